/*
 * pty-harness.c — drives a program on a pseudo-terminal from a small script, as a user at
 * a terminal would, for the interactive tests of vsh.
 *
 *   pty-harness SCRIPT -- PROGRAM [ARGS...]
 *
 * SCRIPT has one step per line ('#' lines and blank lines are skipped):
 *   send TEXT     write TEXT to the terminal; \r \n \t \e \\ and \xHH are understood
 *   expect TEXT   wait until the program has printed TEXT (after the previous match)
 *   exit N        wait for the program to end and check its exit status is N
 *
 * Exit status 0 when every step passed; otherwise 1, with the failing step and everything
 * the program printed on stderr. A step that waits gives up after a generous limit, so a
 * broken program fails the test instead of hanging it; the program is killed (by its pid)
 * whatever happens.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HARNESS_WAIT_LIMIT_S 30
#define HARNESS_OUT_MAX (1 << 20)

static char transcript[HARNESS_OUT_MAX + 1];
static size_t transcript_len;
static size_t match_pos;
static pid_t child = -1;
static int master = -1;

static void
harness_fail(const char *step)
{
    fprintf(stderr, "pty-harness: step failed: %s\n--- what the program printed ---\n%.*s\n"
            "--- end ---\n", step, (int) transcript_len, transcript);
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    exit(1);
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the escapes of a step's text in place; returns the new length. */
static size_t
unescape(char *s)
{
    char *in = s;
    char *out = s;

    while (*in) {
        if (*in != '\\' || !in[1]) {
            *out++ = *in++;
            continue;
        }
        in++;
        switch (*in) {
        case 'r': *out++ = '\r'; break;
        case 'n': *out++ = '\n'; break;
        case 't': *out++ = '\t'; break;
        case 'e': *out++ = 0x1b; break;
        case 'x':
            if (hexval(in[1]) >= 0 && hexval(in[2]) >= 0) {
                *out++ = (char) (hexval(in[1]) * 16 + hexval(in[2]));
                in += 2;
            }
            break;
        default: *out++ = *in; break;
        }
        in++;
    }
    *out = '\0';
    return (size_t) (out - s);
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Reads what the program printed, waiting at most @wait_ms; returns 0 at end of output. */
static int
pump(int wait_ms)
{
    struct pollfd pfd = { .fd = master, .events = POLLIN };
    char buf[4096];
    ssize_t n;
    ssize_t i;

    if (poll(&pfd, 1, wait_ms) <= 0)
        return 1;
    n = read(master, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (n <= 0)
        return 0;               /* EIO: every slave descriptor is closed */
    if (transcript_len + (size_t) n > HARNESS_OUT_MAX)
        harness_fail("the program printed too much");
    /* Keep the text a user reads: a bell (readline's "ambiguous") and the carriage
     * returns of redisplays would split the words the steps look for. */
    for (i = 0; i < n; i++) {
        if (buf[i] != '\a' && buf[i] != '\r')
            transcript[transcript_len++] = buf[i];
    }
    transcript[transcript_len] = '\0';
    return 1;
}

static void
step_expect(const char *text, const char *step)
{
    double deadline = now_s() + HARNESS_WAIT_LIMIT_S;
    char *found;

    for (;;) {
        if ((found = memmem(transcript + match_pos, transcript_len - match_pos, text,
                            strlen(text)))) {
            match_pos = (size_t) (found - transcript) + strlen(text);
            return;
        }
        if (now_s() > deadline || !pump(200))
            harness_fail(step);
    }
}

static void
step_send(const char *text, size_t len, const char *step)
{
    while (len > 0) {
        ssize_t n = write(master, text, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            harness_fail(step);
        text += n;
        len -= (size_t) n;
    }
    /* let the program read it before the next step sends more (readline reads keys) */
    (void) pump(100);
}

static void
step_exit(int expected, const char *step)
{
    double deadline = now_s() + HARNESS_WAIT_LIMIT_S;
    int status;

    for (;;) {
        pid_t r = waitpid(child, &status, WNOHANG);

        if (r == child)
            break;
        if (now_s() > deadline)
            harness_fail(step);
        (void) pump(100);
    }
    child = -1;
    while (pump(0) && transcript_len < HARNESS_OUT_MAX) {
        struct pollfd pfd = { .fd = master, .events = POLLIN };

        if (poll(&pfd, 1, 0) <= 0)
            break;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != expected) {
        char why[600];

        if (WIFEXITED(status))
            snprintf(why, sizeof(why), "%s (the program exited with %d)", step,
                     WEXITSTATUS(status));
        else
            snprintf(why, sizeof(why), "%s (the program was killed by signal %d)", step,
                     WTERMSIG(status));
        harness_fail(why);
    }
}

static void
spawn(char **argv)
{
    struct winsize ws = { .ws_row = 24, .ws_col = 200 };
    char *slave_name;
    int slave;

    if ((master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 || grantpt(master) < 0 ||
        unlockpt(master) < 0 || !(slave_name = ptsname(master))) {
        perror("pty-harness: pseudo-terminal");
        exit(1);
    }
    if ((child = fork()) < 0) {
        perror("pty-harness: fork");
        exit(1);
    }
    if (child == 0) {
        setsid();
        if ((slave = open(slave_name, O_RDWR)) < 0)
            _exit(127);
        ioctl(slave, TIOCSCTTY, 0);
        ioctl(slave, TIOCSWINSZ, &ws);
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        if (slave > 2)
            close(slave);
        execvp(argv[0], argv);
        _exit(127);
    }
}

static void
run_step(char *line)
{
    char step[512];
    size_t len = strlen(line);
    size_t cut;

    if (len && line[len - 1] == '\n')
        line[--len] = '\0';
    /* The step's name is only for messages: a longer line is cut there. */
    cut = len < sizeof(step) ? len : sizeof(step) - 1;
    memcpy(step, line, cut);
    step[cut] = '\0';
    if (!*line || line[0] == '#')
        return;
    if (strncmp(line, "send ", 5) == 0) {
        size_t n = unescape(line + 5);

        step_send(line + 5, n, step);
    } else if (strncmp(line, "expect ", 7) == 0) {
        unescape(line + 7);
        step_expect(line + 7, step);
    } else if (strncmp(line, "exit ", 5) == 0) {
        step_exit(atoi(line + 5), step);
    } else {
        fprintf(stderr, "pty-harness: unknown step: %s\n", line);
        harness_fail(step);
    }
}

int
main(int argc, char **argv)
{
    char line[4096];
    FILE *script;

    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: pty-harness SCRIPT -- PROGRAM [ARGS...]\n");
        return 2;
    }
    if (!(script = fopen(argv[1], "re"))) {
        perror(argv[1]);
        return 2;
    }
    spawn(argv + 3);
    while (fgets(line, sizeof(line), script))
        run_step(line);
    fclose(script);
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    return 0;
}
