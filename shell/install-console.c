/*
 * install-console.c — the console relay of vsh-install: the terminal on one side, the
 * domain's console stream on the other, Ctrl+] to leave (virsh's escape).
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "install.h"

#define CONSOLE_ESCAPE 0x1d     /* Ctrl+] */

static int
console_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t) n;
    }
    return 0;
}

/* Copies one chunk from @from to @to. Returns 1 to go on, 0 at the end (EOF or escape),
 * -1 on error. */
static int
console_pump(int from, int to, bool watch_escape)
{
    char buf[4096];
    ssize_t n = read(from, buf, sizeof(buf));
    char *esc;

    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : -1;
    if (n == 0)
        return 0;
    if (watch_escape && (esc = memchr(buf, CONSOLE_ESCAPE, (size_t) n))) {
        (void) console_write_all(to, buf, (size_t) (esc - buf));
        return 0;
    }
    return console_write_all(to, buf, (size_t) n) < 0 ? -1 : 1;
}

static int
console_loop(int fd, GError **error)
{
    struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { fd, POLLIN, 0 } };

    for (;;) {
        int rc;

        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR && install_interrupted)
                return 0;   /* leave the console; the domain runs on */
            if (errno == EINTR)
                continue;
            return install_error_errno(error, errno, "console");
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            rc = console_pump(fd, STDOUT_FILENO, false);
            if (rc <= 0)
                return rc < 0 ? install_error_errno(error, errno, "console") : 0;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            rc = console_pump(STDIN_FILENO, fd, true);
            if (rc <= 0)
                return rc < 0 ? install_error_errno(error, errno, "console") : 0;
        }
    }
}

int
install_console_relay(int fd, GError **error)
{
    struct termios saved;
    struct termios raw;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    int rc;

    if (tty) {
        raw = saved;
        cfmakeraw(&raw);
        (void) tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    }
    rc = console_loop(fd, error);
    if (tty) {
        (void) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        (void) console_write_all(STDOUT_FILENO, "\n", 1);
    }
    return rc;
}
