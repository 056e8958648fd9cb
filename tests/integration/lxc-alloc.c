/*
 * lxc-alloc — allocates and touches memory inside a container, to show that the domain's
 * memory limit is enforced. Built static so that it runs in a busybox root filesystem.
 *
 * Usage: lxc-alloc MIB
 * Touches MIB mebibytes one at a time, printing "allocated N MiB" after each hundredth,
 * then "done MIB MiB" and exits 0. Under a smaller memory limit the kernel's OOM killer
 * ends it with SIGKILL before "done" is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
    long mib;
    long i;

    if (argc != 2 || (mib = strtol(argv[1], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: lxc-alloc MIB\n");
        return 2;
    }
    for (i = 1; i <= mib; i++) {
        char *p = malloc(1 << 20);

        if (!p) {
            printf("malloc failed after %ld MiB\n", i - 1);
            return 1;
        }
        /* Touch every page so the memory is really charged to the cgroup. */
        memset(p, 0x5a, 1 << 20);
        if (i % 100 == 0) {
            printf("allocated %ld MiB\n", i);
            fflush(stdout);
        }
    }
    printf("done %ld MiB\n", mib);
    return 0;
}
