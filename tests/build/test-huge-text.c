/*
 * test-huge-text.c — the static vsh's code and read-only data are laid out in whole 2 MiB
 * units with its entry stub alone after the code, and a vsh started from a cold page cache
 * runs from huge pages (shell/huge-text.c, docs/architecture.md "Huge pages for vsh's code").
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UNIT (2UL << 20)

struct fixture {
    char dir[PATH_MAX / 2]; /* room for the names made inside it */
    pid_t child;
};

static const char *
build_dir(void)
{
    const char *b = getenv("VSH_TOP_BUILDDIR");

    return b ? b : ".";
}

static void
vsh_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/shell/vsh", build_dir());
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    /* Beside the build, so on the file system vsh itself is read from. */
    if ((size_t) snprintf(f->dir, sizeof(f->dir), "%s/tests/build/huge-text.XXXXXX",
                          build_dir()) >= sizeof(f->dir) || !mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    f->child = -1;
    *state = f;
    return 0;
}

static void
remove_tree(const char *dir)
{
    char cmd[PATH_MAX + 16];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", dir);
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    if (f->child > 0) {
        kill(f->child, SIGKILL);
        waitpid(f->child, NULL, 0);
    }
    remove_tree(f->dir);
    free(f);
    return 0;
}

/* Written out and dropped from the page cache, so that the next read is a cold one. */
static void
uncache(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    assert_true(fd >= 0);
    assert_int_equal(fsync(fd), 0);
    assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
    close(fd);
}

static void
copy_file(const char *from, const char *to, mode_t mode)
{
    char buf[1 << 16];
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    ssize_t n;

    assert_true(in >= 0);
    assert_true(out >= 0);
    while ((n = read(in, buf, sizeof(buf))) > 0)
        assert_int_equal(write(out, buf, (size_t) n), n);
    assert_int_equal(n, 0);
    close(in);
    assert_int_equal(close(out), 0);
}

/*
 * The Rss and FilePmdMapped (kB) of the mapping of @path that starts at @start in process
 * @pid, and its size in bytes; -1 when there is none.
 */
static int
mapping_kb(pid_t pid, const char *path, unsigned long start, long *rss, long *pmd,
           unsigned long *size)
{
    char name[64], line[PATH_MAX + 128];
    FILE *fp;
    int found = 0;

    snprintf(name, sizeof(name), "/proc/%d/smaps", (int) pid);
    fp = fopen(name, "re");
    if (!fp)
        return -1;
    *rss = *pmd = -1;
    while (fgets(line, sizeof(line), fp)) {
        unsigned long lo, hi;
        int off = 0;

        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &off) == 2 && off > 0) {
            size_t len = strcspn(line + off, "\n");

            if (found)
                break;
            found = lo == start && strlen(path) == len && strncmp(line + off, path, len) == 0;
            if (found)
                *size = hi - lo;
        } else if (found) {
            sscanf(line, "Rss: %ld kB", rss);
            sscanf(line, "FilePmdMapped: %ld kB", pmd);
        }
    }
    fclose(fp);
    return found && *rss >= 0 && *pmd >= 0 ? 0 : -1;
}

/* The program's segments: its code, the read-only data after it and its data. */
struct layout {
    Elf64_Addr entry;
    Elf64_Phdr code, rodata, data;
};

static void
read_layout(const char *path, struct layout *out)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph[32];
    int fd, n_code = 0, n_rodata = 0, n_data = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &eh, sizeof(eh), 0), sizeof(eh));
    assert_memory_equal(eh.e_ident, ELFMAG, SELFMAG);
    assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
    assert_int_equal(eh.e_type, ET_EXEC);
    assert_int_equal(eh.e_phentsize, sizeof(Elf64_Phdr));
    assert_true(eh.e_phnum > 0 && eh.e_phnum <= 32);
    assert_int_equal(pread(fd, ph, eh.e_phnum * sizeof(Elf64_Phdr), (off_t) eh.e_phoff),
                     (ssize_t) (eh.e_phnum * sizeof(Elf64_Phdr)));
    close(fd);
    memset(out, 0, sizeof(*out));
    out->entry = eh.e_entry;
    for (int i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
            out->code = ph[i];
            n_code++;
        }
    }
    assert_int_equal(n_code, 1);
    for (int i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_vaddr < out->code.p_vaddr)
            continue;
        if (ph[i].p_flags == PF_R) {
            out->rodata = ph[i];
            n_rodata++;
        } else if (ph[i].p_flags & PF_W) {
            out->data = ph[i];
            n_data++;
        }
    }
    assert_int_equal(n_rodata, 1);
    assert_int_equal(n_data, 1);
}

/*
 * The layout: code and read-only data in whole 2 MiB units of file and memory, the entry
 * stub alone after the code, the file's part of the data ending on a page.
 */
static void
test_code_is_laid_out_in_2mib_units(void **state)
{
    char path[PATH_MAX];
    struct layout l;

    (void) state;
    vsh_path(path, sizeof(path));
    read_layout(path, &l);
    print_message("# code: offset 0x%lx, address 0x%lx, 0x%lx bytes; entry 0x%lx\n",
                  (unsigned long) l.code.p_offset, (unsigned long) l.code.p_vaddr,
                  (unsigned long) l.code.p_memsz, (unsigned long) l.entry);
    print_message("# read-only data: offset 0x%lx, address 0x%lx, 0x%lx bytes\n",
                  (unsigned long) l.rodata.p_offset, (unsigned long) l.rodata.p_vaddr,
                  (unsigned long) l.rodata.p_memsz);
    assert_int_equal(l.code.p_offset % UNIT, 0);
    assert_int_equal(l.code.p_vaddr % UNIT, 0);
    assert_int_equal(l.code.p_filesz, l.code.p_memsz);
    /* the stub starts the last unit and is all of it */
    assert_int_equal(l.entry % UNIT, 0);
    assert_true(l.entry >= l.code.p_vaddr + UNIT);
    assert_true(l.code.p_vaddr + l.code.p_memsz > l.entry);
    assert_true(l.code.p_vaddr + l.code.p_memsz - l.entry < 4096);
    /* the read-only data: whole units */
    assert_int_equal(l.rodata.p_offset % UNIT, 0);
    assert_int_equal(l.rodata.p_vaddr % UNIT, 0);
    assert_int_equal(l.rodata.p_memsz % UNIT, 0);
    assert_int_equal(l.rodata.p_filesz, l.rodata.p_memsz);
    /* nothing for the kernel to zero in the data's last file page at exec */
    assert_int_equal((l.data.p_offset + l.data.p_filesz) % 4096, 0);
}

/* THP's mode, from the kernel; NULL when it is "never" or unknown. */
static const char *
thp_mode(char *buf, size_t size)
{
    FILE *fp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
    char *nl;

    if (!fp)
        return NULL;
    if (!fgets(buf, (int) size, fp))
        buf[0] = '\0';
    fclose(fp);
    nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    return strstr(buf, "[always]") || strstr(buf, "[madvise]") ? buf : NULL;
}

/*
 * Whether this file system reads a file advised MADV_HUGEPAGE into 2 MiB folios and maps
 * them whole (ext4 does from Linux 6.16; tmpfs, XFS earlier): a 4 MiB file of our own,
 * read cold through such a mapping.
 */
static int
fs_maps_files_in_huge_pages(const char dir[PATH_MAX / 2])
{
    char path[PATH_MAX], real[PATH_MAX];
    static char block[1 << 16];
    unsigned long size;
    long rss, pmd;
    char *area, *map;
    int fd;

    snprintf(path, sizeof(path), "%s/probe", dir);
    fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    memset(block, 0x5a, sizeof(block));
    for (unsigned long done = 0; done < 2 * UNIT; done += sizeof(block))
        assert_int_equal(write(fd, block, sizeof(block)), (ssize_t) sizeof(block));
    close(fd);
    uncache(path);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    /* a 2 MiB-aligned address for the mapping: reserve one unit more and place it inside */
    area = mmap(NULL, 3 * UNIT, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(area != MAP_FAILED);
    map = (char *) (((uintptr_t) area + UNIT - 1) & ~(uintptr_t) (UNIT - 1));
    assert_true(mmap(map, 2 * UNIT, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == map);
    close(fd);
    assert_int_equal(madvise(map, 2 * UNIT, MADV_HUGEPAGE), 0);
    for (unsigned long i = 0; i < 2 * UNIT; i += 4096)
        assert_int_equal(((volatile char *) map)[i], 0x5a);
    assert_non_null(realpath(path, real));
    assert_int_equal(mapping_kb(getpid(), real, (unsigned long) map, &rss, &pmd, &size), 0);
    munmap(area, 3 * UNIT);
    return pmd > 0;
}

/* Reads one line from @fd into @buf, waiting up to @ms milliseconds; its length or -1. */
static ssize_t
read_line(int fd, char *buf, size_t size, int ms)
{
    size_t len = 0;
    struct timespec pause = { 0, 10 * 1000 * 1000 };

    for (int waited = 0; waited <= ms && len + 1 < size;) {
        ssize_t n = read(fd, buf + len, 1);

        if (n == 1) {
            if (buf[len++] == '\n')
                break;
        } else if (n < 0 && errno == EAGAIN) {
            nanosleep(&pause, NULL);
            waited += 10;
        } else {
            return -1;
        }
    }
    buf[len] = '\0';
    return len > 0 && buf[len - 1] == '\n' ? (ssize_t) len : -1;
}

/* waitpid for up to @ms milliseconds; 0 when the child is still running then. */
static pid_t
wait_child(pid_t pid, int *status, int ms)
{
    struct timespec pause = { 0, 10 * 1000 * 1000 };

    for (int waited = 0; waited <= ms; waited += 10) {
        pid_t r = waitpid(pid, status, WNOHANG);

        if (r != 0)
            return r;
        nanosleep(&pause, NULL);
    }
    return 0;
}

/*
 * A copy of vsh, dropped from the page cache, is started as an interactive session; once it
 * has answered a command, all of its code and read-only data it has touched is mapped
 * through huge pages: no page of those mappings is mapped small but the entry stub's.
 */
static void
test_cold_start_maps_the_code_in_huge_pages(void **state)
{
    struct fixture *f = *state;
    char mode[128], src[PATH_MAX], copy[PATH_MAX], real[PATH_MAX], uri[PATH_MAX + 32];
    char line[256];
    struct layout l;
    int in[2], out[2], status;
    unsigned long size;
    long rss, pmd;

    if (!thp_mode(mode, sizeof(mode))) {
        print_message("# skipped: transparent huge pages are off on this kernel (%s)\n",
                      mode);
        skip();
    }
    if (!fs_maps_files_in_huge_pages(f->dir)) {
        print_message("# skipped: the file system of %s does not map files in huge pages "
                      "(ext4 needs Linux 6.16)\n", f->dir);
        skip();
    }
    vsh_path(src, sizeof(src));
    read_layout(src, &l);
    snprintf(copy, sizeof(copy), "%s/vsh", f->dir);
    copy_file(src, copy, 0755);
    uncache(copy);
    /* smaps names the file by its resolved path */
    assert_non_null(realpath(copy, real));
    snprintf(uri, sizeof(uri), "qemu:///embed?root=%s/store", f->dir);

    assert_int_equal(pipe2(in, O_CLOEXEC), 0);
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    f->child = fork();
    assert_true(f->child >= 0);
    if (f->child == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        execl(copy, "vsh", "-q", "-c", uri, (char *) NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    assert_int_equal(fcntl(out[0], F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(write(in[1], "hostname\n", 9), 9);
    assert_true(read_line(out[0], line, sizeof(line), 10000) > 0);

    assert_int_equal(mapping_kb(f->child, real, l.code.p_vaddr, &rss, &pmd, &size), 0);
    print_message("# vsh's code mapping: %lu kB, Rss %ld kB, FilePmdMapped %ld kB\n",
                  size / 1024, rss, pmd);
    assert_true(pmd >= (long) (UNIT / 1024));
    /* what is not in huge pages is at most the stub's unit, past the last whole one */
    assert_true(rss - pmd <= (long) ((size % UNIT) / 1024));
    assert_int_equal(mapping_kb(f->child, real, l.rodata.p_vaddr, &rss, &pmd, &size), 0);
    print_message("# its read-only data: %lu kB, Rss %ld kB, FilePmdMapped %ld kB\n",
                  size / 1024, rss, pmd);
    assert_true(pmd >= (long) (UNIT / 1024));
    assert_int_equal(rss, pmd);

    close(in[1]);
    assert_int_equal(wait_child(f->child, &status, 10000), f->child);
    f->child = -1;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(out[0]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_is_laid_out_in_2mib_units),
        cmocka_unit_test_setup_teardown(test_cold_start_maps_the_code_in_huge_pages, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
