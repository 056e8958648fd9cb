/*
 * lxc-forkbomb — forks until the kernel refuses, to show that the domain's pids limit is
 * enforced. Built static so that it runs in a busybox root filesystem.
 *
 * Usage: lxc-forkbomb MAX
 * Forks up to MAX children that sleep until their parent ends. Prints
 * "forked N, stopped by: REASON" (REASON is strerror of the failed fork, or "max"), then
 * kills and reaps its children and exits 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    long max;
    long n;
    const char *reason = "max";

    if (argc != 2 || (max = strtol(argv[1], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: lxc-forkbomb MAX\n");
        return 2;
    }
    /* A process group of our own, so that the kill below reaches our children only. */
    if (setpgid(0, 0) < 0) {
        perror("setpgid");
        return 1;
    }
    for (n = 0; n < max; n++) {
        pid_t pid = fork();

        if (pid < 0) {
            reason = strerror(errno);
            break;
        }
        if (pid == 0) {
            /* Children go when the parent goes, whatever happens to it. */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            pause();
            _exit(0);
        }
    }
    printf("forked %ld, stopped by: %s\n", n, reason);
    fflush(stdout);
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM);
    while (wait(NULL) > 0)
        ;
    return 0;
}
