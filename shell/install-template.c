/*
 * install-template.c — the root filesystem templates of vsh-install (lxc-create's -t):
 * busybox, debian[:SUITE] (debootstrap), tar=FILE, oci=DIR and oci-archive=FILE.
 */
#include <config.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gio.h>

#include "install.h"

/*
 * The init of the busybox template. A shell script rather than busybox's own init because
 * it must work as PID 1 of a container and as an ordinary process of a chroot jail (busybox
 * init refuses to run unless it is PID 1), and because shutting down must be one signal
 * whatever the driver sends: TERM, PWR or USR2 end it with status 0. INT is ctrl-alt-del,
 * what `vsh reboot --mode signal` and LXC send for a reboot: as PID 1 of a container it
 * reboots (reboot(2) in a PID namespace ends init, and the monitor starts a new one); in a
 * jail, where it is not PID 1 and a reboot(2) would be the host's, it stops as for TERM.
 * fd 3 keeps the console: a background job's stdin would otherwise be /dev/null.
 */
const char install_init_script[] =
    "#!/bin/sh\n"
    "# vsh minimal init: keeps a login shell on the console, respawned when it exits.\n"
    "# SIGTERM, SIGPWR or SIGUSR2 stop the domain cleanly; SIGINT (ctrl-alt-del) reboots\n"
    "# a container and stops a jail.\n"
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
    "export PATH\n"
    "[ -e /proc/self ] || mount -t proc proc /proc 2>/dev/null\n"
    "shell=\n"
    "stop() {\n"
    "    [ -n \"$shell\" ] && kill -HUP \"$shell\" 2>/dev/null\n"
    "    exit 0\n"
    "}\n"
    "ctrlaltdel() {\n"
    "    if [ \"$$\" = 1 ]; then\n"
    "        [ -n \"$shell\" ] && kill -HUP \"$shell\" 2>/dev/null\n"
    "        reboot -f\n"
    "    fi\n"
    "    stop\n"
    "}\n"
    "trap stop TERM PWR USR2\n"
    "trap ctrlaltdel INT\n"
    "exec 3<&0\n"
    "while :; do\n"
    "    if command -v setsid >/dev/null 2>&1; then\n"
    "        setsid -c /bin/sh -l <&3 &\n"
    "    else\n"
    "        /bin/sh -l <&3 &\n"
    "    fi\n"
    "    shell=$!\n"
    "    wait \"$shell\"\n"
    "    shell=\n"
    "    sleep 1 &\n"
    "    wait $!\n"
    "done\n";

static const char busybox_passwd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
static const char busybox_group[] =
    "root:x:0:\n"
    "nogroup:x:65534:\n";
static const char busybox_profile[] =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
    "export PATH\n"
    "PS1='\\h:\\w\\$ '\n";

void
install_template_free(install_template *tmpl)
{
    if (!tmpl)
        return;
    g_free(tmpl->arg);
    g_free(tmpl);
}

/* ---------------------------------------------------------------- parsing */

static bool
template_suite_is_valid(const char *suite)
{
    size_t i;

    for (i = 0; suite[i]; i++) {
        if (!g_ascii_isalnum(suite[i]) && suite[i] != '-')
            return false;
    }
    return i > 0 && i <= 32;
}

static int
template_check_arg(install_template *t, const char *text, GError **error)
{
    struct stat st;
    g_autofree char *debootstrap = NULL;

    switch (t->kind) {
    case INSTALL_TEMPLATE_BUSYBOX:
        return 0;
    case INSTALL_TEMPLATE_DEBIAN:
        if (!template_suite_is_valid(t->arg))
            return install_error(error, VSH_ERROR_INVALID_ARG, "invalid Debian suite '%s'",
                                 t->arg);
        if (!(debootstrap = g_find_program_in_path("debootstrap")))
            return install_error(error, VSH_ERROR_UNSUPPORTED,
                                 "template 'debian' needs debootstrap (Debian package "
                                 "debootstrap)");
        return 0;
    case INSTALL_TEMPLATE_OCI:
        if (stat(t->arg, &st) < 0 || !S_ISDIR(st.st_mode))
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "template '%s': '%s' is not a directory", text, t->arg);
        return 0;
    default:
        if (stat(t->arg, &st) < 0 || !S_ISREG(st.st_mode))
            return install_error(error, VSH_ERROR_INVALID_ARG,
                                 "template '%s': '%s' is not a file", text, t->arg);
        return 0;
    }
}

static char *
template_default_suite(void)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    size_t i;

    /* the host's own release when it is Debian: the suite its apt mirror surely has */
    if (g_file_get_contents("/etc/os-release", &text, NULL, NULL) &&
        strstr(text, "\nID=debian")) {
        lines = g_strsplit(text, "\n", -1);
        for (i = 0; lines[i]; i++) {
            if (g_str_has_prefix(lines[i], "VERSION_CODENAME=") && lines[i][17])
                return g_strdup(lines[i] + 17);
        }
    }
    return g_strdup("stable");
}

install_template *
install_template_parse(const char *text, GError **error)
{
    g_autoptr(install_template) t = g_new0(install_template, 1);

    if (strcmp(text, "busybox") == 0) {
        t->kind = INSTALL_TEMPLATE_BUSYBOX;
    } else if (strcmp(text, "debian") == 0 || g_str_has_prefix(text, "debian:")) {
        t->kind = INSTALL_TEMPLATE_DEBIAN;
        t->arg = text[6] ? g_strdup(text + 7) : template_default_suite();
    } else if (g_str_has_prefix(text, "tar=")) {
        t->kind = INSTALL_TEMPLATE_TAR;
        t->arg = g_strdup(text + 4);
    } else if (g_str_has_prefix(text, "oci=")) {
        t->kind = INSTALL_TEMPLATE_OCI;
        t->arg = g_strdup(text + 4);
    } else if (g_str_has_prefix(text, "oci-archive=")) {
        t->kind = INSTALL_TEMPLATE_OCI_ARCHIVE;
        t->arg = g_strdup(text + 12);
    } else {
        install_error(error, VSH_ERROR_INVALID_ARG,
                      "unknown template '%s' (busybox, debian[:SUITE], tar=FILE, oci=DIR, "
                      "oci-archive=FILE)", text);
        return NULL;
    }
    if (t->arg && !*t->arg) {
        install_error(error, VSH_ERROR_INVALID_ARG, "template '%s' needs a value", text);
        return NULL;
    }
    if (template_check_arg(t, text, error) < 0)
        return NULL;
    return g_steal_pointer(&t);
}

/* ---------------------------------------------------------------- busybox */

/* A dynamically linked busybox would not run inside a root that has no libc. */
static bool
template_is_static_elf(const char *path)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    const Elf64_Ehdr *eh;
    size_t i;

    if (!g_file_get_contents(path, &data, &len, NULL) || len < sizeof(Elf64_Ehdr) ||
        memcmp(data, ELFMAG, SELFMAG) != 0 || data[EI_CLASS] != ELFCLASS64)
        return false;
    eh = (const Elf64_Ehdr *) data;
    if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
        eh->e_phoff + (guint64) eh->e_phnum * sizeof(Elf64_Phdr) > len)
        return false;
    for (i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = (const Elf64_Phdr *) (data + eh->e_phoff) + i;

        if (ph->p_type == PT_INTERP)
            return false;
    }
    return true;
}

static const char *
template_find_busybox(GError **error)
{
    static const char *const candidates[] = { "/bin/busybox", "/usr/bin/busybox", NULL };
    size_t i;

    for (i = 0; candidates[i]; i++) {
        if (access(candidates[i], X_OK) == 0 && template_is_static_elf(candidates[i]))
            return candidates[i];
    }
    install_error(error, VSH_ERROR_UNSUPPORTED,
                  "template 'busybox' needs a static busybox (Debian package busybox-static)");
    return NULL;
}

static int
template_copy_file(const char *src, int rootfd, const char *dst, mode_t mode, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) local = NULL;

    if (!g_file_get_contents(src, &data, &len, &local))
        return install_error(error, VSH_ERROR_SYSTEM, "%s", local->message);
    return install_write_buf_in_root(rootfd, dst, data, len, mode, error);
}

/* One symlink per applet ("usr/bin/wc" -> "../../bin/busybox"), as busybox --install -s
 * would make, but relative so the tree works wherever it is mounted. */
static int
template_busybox_links(const char *busybox, int rootfd, GError **error)
{
    const char *argv[] = { busybox, "--list-full", NULL };
    g_autofree char *out = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) local = NULL;
    size_t i;

    if (!g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &out, NULL, NULL, &local))
        return install_error(error, VSH_ERROR_SYSTEM, "cannot run '%s': %s", busybox,
                             local->message);
    lines = g_strsplit(out, "\n", -1);
    for (i = 0; lines[i]; i++) {
        g_autofree char *dir = NULL;
        g_autofree char *base = NULL;
        g_autoptr(GString) target = g_string_new("");
        const char *p;
        int dfd;

        if (!strchr(lines[i], '/') || strcmp(lines[i], "sbin/init") == 0 ||
            strstr(lines[i], ".."))
            continue;
        for (p = strchr(lines[i], '/'); p; p = strchr(p + 1, '/'))
            g_string_append(target, "../");
        g_string_append(target, "bin/busybox");
        dir = g_path_get_dirname(lines[i]);
        base = g_path_get_basename(lines[i]);
        if (install_mkdir_p_in_root(rootfd, dir) < 0 ||
            (dfd = install_openat_in_root(rootfd, dir, O_PATH | O_DIRECTORY, 0)) < 0)
            return install_error_errno(error, errno, "cannot create '%s'", dir);
        if (strcmp(lines[i], "bin/busybox") != 0 &&
            symlinkat(strcmp(dir, "bin") == 0 ? "busybox" : target->str, dfd, base) < 0 &&
            errno != EEXIST) {
            int saved = errno;

            close(dfd);
            return install_error_errno(error, saved, "cannot create '%s'", lines[i]);
        }
        close(dfd);
    }
    return 0;
}

static int
template_busybox_tree(int rootfd, const char *busybox, GError **error)
{
    static const struct { const char *path; mode_t mode; } dirs[] = {
        { "bin", 0755 }, { "sbin", 0755 }, { "usr/bin", 0755 }, { "usr/sbin", 0755 },
        { "etc", 0755 }, { "dev", 0755 }, { "proc", 0555 }, { "sys", 0555 },
        { "tmp", 01777 }, { "root", 0700 }, { "run", 0755 }, { "var/log", 0755 },
        { "home", 0755 }, { "mnt", 0755 },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(dirs); i++) {
        int fd;

        if (install_mkdir_p_in_root(rootfd, dirs[i].path) < 0 ||
            (fd = install_openat_in_root(rootfd, dirs[i].path, O_RDONLY | O_DIRECTORY, 0)) < 0)
            return install_error_errno(error, errno, "cannot create '%s'", dirs[i].path);
        (void) fchmod(fd, dirs[i].mode);
        close(fd);
    }
    if (template_copy_file(busybox, rootfd, "bin/busybox", 0755, error) < 0 ||
        template_busybox_links(busybox, rootfd, error) < 0 ||
        install_write_in_root(rootfd, "etc/passwd", busybox_passwd, 0644, error) < 0 ||
        install_write_in_root(rootfd, "etc/group", busybox_group, 0644, error) < 0 ||
        install_write_in_root(rootfd, "etc/profile", busybox_profile, 0644, error) < 0 ||
        install_write_in_root(rootfd, "sbin/init", install_init_script, 0755, error) < 0)
        return -1;
    return 0;
}

static int
template_busybox(const char *dest, GError **error)
{
    const char *busybox = template_find_busybox(error);
    int rootfd;
    int rc;

    if (!busybox)
        return -1;
    if ((rootfd = open(dest, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return install_error_errno(error, errno, "cannot open '%s'", dest);
    rc = template_busybox_tree(rootfd, busybox, error);
    close(rootfd);
    return rc;
}

/* ---------------------------------------------------------------- debian */

/* The first Debian archive URI of a deb822 .sources paragraph list. */
static char *
template_mirror_from_sources(const char *text)
{
    g_auto(GStrv) paras = g_regex_split_simple("\\n\\s*\\n", text, 0, 0);
    size_t i;

    for (i = 0; paras[i]; i++) {
        g_autoptr(GRegex) re = g_regex_new("^URIs:\\s*(\\S+)", G_REGEX_MULTILINE, 0, NULL);
        g_autoptr(GMatchInfo) m = NULL;

        if (!g_regex_match_simple("^Types:.*\\bdeb\\b", paras[i], G_REGEX_MULTILINE, 0) ||
            g_regex_match_simple("^Enabled:\\s*no", paras[i], G_REGEX_MULTILINE, 0) ||
            g_regex_match_simple("^Suites:.*-security", paras[i], G_REGEX_MULTILINE, 0))
            continue;
        if (g_regex_match(re, paras[i], 0, &m))
            return g_match_info_fetch(m, 1);
    }
    return NULL;
}

/* The URI of the first "deb URI SUITE ..." line of a one-line-style .list file. */
static char *
template_mirror_from_list(const char *text)
{
    g_autoptr(GRegex) re = g_regex_new("^deb\\s+(\\[[^]]*\\]\\s+)?(\\S+)\\s+(\\S+)",
                                       G_REGEX_MULTILINE, 0, NULL);
    g_autoptr(GMatchInfo) m = NULL;

    for (g_regex_match(re, text, 0, &m); g_match_info_matches(m);
         g_match_info_next(m, NULL)) {
        g_autofree char *suite = g_match_info_fetch(m, 3);

        if (!strstr(suite, "-security"))
            return g_match_info_fetch(m, 2);
    }
    return NULL;
}

/* The mirror this machine's apt uses, so debootstrap reaches the same (reachable, maybe
 * local) archive; Debian's redirector when none is configured. */
static char *
template_debian_mirror(void)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = g_dir_open("/etc/apt/sources.list.d", 0, NULL);
    const char *name;
    guint i;

    g_ptr_array_add(files, g_strdup("/etc/apt/sources.list"));
    while (dir && (name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, ".list") || g_str_has_suffix(name, ".sources"))
            g_ptr_array_add(files, g_build_filename("/etc/apt/sources.list.d", name, NULL));
    }
    for (i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        g_autofree char *text = NULL;
        char *uri;

        if (!g_file_get_contents(path, &text, NULL, NULL))
            continue;
        uri = g_str_has_suffix(path, ".sources") ? template_mirror_from_sources(text)
                                                 : template_mirror_from_list(text);
        if (uri && strstr(uri, "debian") && !strstr(uri, "security"))
            return uri;
        g_free(uri);
    }
    return g_strdup("http://deb.debian.org/debian");
}

typedef struct {
    bool tty;
    bool quiet;
    int phase;                  /* index in template_phases */
    unsigned int count;         /* packages seen in this phase */
    unsigned int total;         /* packages retrieved (known after the first phase) */
    unsigned int last_percent;
} debootstrap_progress;

/* debootstrap's stages as its "I:" lines announce them; retrieval interleaves
 * "Retrieving" and "Validating" lines, so only the former count. */
static const struct {
    const char *prefix;
    unsigned int start;         /* percent at which the stage starts */
    unsigned int span;
} template_phases[] = {
    { "I: Retrieving ", 0, 50 },
    { "I: Extracting ", 50, 10 },
    { "I: Unpacking ", 60, 20 },
    { "I: Configuring ", 80, 19 },
};

static void
template_progress_draw(debootstrap_progress *p, unsigned int percent, const char *what)
{
    char bar[31];
    unsigned int fill = percent * 30 / 100;

    memset(bar, '#', fill);
    memset(bar + fill, '-', 30 - fill);
    bar[30] = '\0';
    printf("\r[%s] %3u%%  %-40.40s", bar, percent, what);
    fflush(stdout);
    p->last_percent = percent;
}

/* One line of debootstrap's output: a bar on a terminal, the "I:" lines otherwise. */
static void
template_progress_line(debootstrap_progress *p, const char *line)
{
    size_t i;
    unsigned int est;
    unsigned int percent;

    if (p->quiet || !g_str_has_prefix(line, "I: "))
        return;
    if (!p->tty) {
        printf("%s\n", line);
        fflush(stdout);
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(template_phases); i++) {
        if (g_str_has_prefix(line, template_phases[i].prefix))
            break;
    }
    if (i == G_N_ELEMENTS(template_phases)) {
        template_progress_draw(p, p->last_percent, line + 3);
        return;
    }
    if ((int) i > p->phase) {
        if (p->phase == 0)
            p->total = p->count;
        p->phase = (int) i;
        p->count = 0;
    }
    p->count++;
    /* the package count is only known once retrieval ends; guess a minbase size before */
    est = MAX(p->total ? p->total : 90, p->count);
    percent = template_phases[i].start + template_phases[i].span * p->count / est;
    template_progress_draw(p, MAX(percent, p->last_percent), line + 3);
}

static int
template_debootstrap_run(const char *const *argv, bool quiet, GError **error)
{
    g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_MERGE);
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GDataInputStream) in = NULL;
    g_autoptr(GError) local = NULL;
    g_autofree char *last_error = NULL;
    debootstrap_progress p = { isatty(STDOUT_FILENO), quiet, 0, 0, 0, 0 };
    char *line;

    if (!(proc = g_subprocess_launcher_spawnv(launcher, argv, &local)))
        return install_error(error, VSH_ERROR_SYSTEM, "cannot run debootstrap: %s",
                             local->message);
    in = g_data_input_stream_new(g_subprocess_get_stdout_pipe(proc));
    while ((line = g_data_input_stream_read_line_utf8(in, NULL, NULL, NULL))) {
        if (g_str_has_prefix(line, "E: ")) {
            g_free(last_error);
            last_error = g_strdup(line + 3);
        }
        template_progress_line(&p, line);
        g_free(line);
    }
    if (!g_subprocess_wait(proc, NULL, &local))
        return install_error(error, VSH_ERROR_SYSTEM, "debootstrap: %s", local->message);
    if (p.tty && !quiet) {
        if (g_subprocess_get_successful(proc))
            template_progress_draw(&p, 100, "done");
        printf("\n");
    }
    if (!g_subprocess_get_successful(proc))
        return install_error(error, VSH_ERROR_OPERATION_FAILED, "debootstrap failed: %s",
                             last_error ? last_error : "see its output above");
    return 0;
}

/* minbase has no init system; give the root the same small init as busybox's so that
 * `vsh console` has a shell (installing systemd-sysv later replaces it). */
static int
template_ensure_init(const char *dest, GError **error)
{
    int rootfd = open(dest, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int fd;
    int rc = 0;

    if (rootfd < 0)
        return install_error_errno(error, errno, "cannot open '%s'", dest);
    fd = install_openat_in_root(rootfd, "sbin/init", O_PATH, 0);
    if (fd >= 0)
        close(fd);
    else if (install_mkdir_p_in_root(rootfd, "sbin") < 0)
        rc = install_error_errno(error, errno, "cannot create '%s/sbin'", dest);
    else
        rc = install_write_in_root(rootfd, "sbin/init", install_init_script, 0755, error);
    close(rootfd);
    return rc;
}

static int
template_debian(const char *suite, const char *dest, bool quiet, GError **error)
{
    g_autofree char *mirror = template_debian_mirror();
    const char *argv[] = { "debootstrap", "--variant=minbase", suite, dest, mirror, NULL };

    if (geteuid() != 0)
        return install_error(error, VSH_ERROR_INVALID_ARG,
                             "template 'debian' must be run as root (debootstrap)");
    if (!quiet && !isatty(STDOUT_FILENO)) {
        printf("debootstrap %s from %s\n", suite, mirror);
        fflush(stdout);
    }
    if (template_debootstrap_run(argv, quiet, error) < 0)
        return -1;
    return template_ensure_init(dest, error);
}

/* ---------------------------------------------------------------- archives and images */

static int
template_oci_archive(const char *archive, const char *dest, install_image_config **ret_config,
                     GError **error)
{
    g_autofree char *tmp = dest ? g_strconcat(dest, ".oci-XXXXXX", NULL)
                                : g_build_filename(g_get_tmp_dir(), "vsh-oci-XXXXXX", NULL);
    g_autoptr(GError) cleanup_err = NULL;
    int rc;

    /* next to the root filesystem: same file system, and removed with it on failure */
    if (!g_mkdtemp_full(tmp, 0700))
        return install_error_errno(error, errno, "cannot create '%s'", tmp);
    rc = install_tar_extract(archive, tmp, INSTALL_TAR_NO_SYMLINK_PATHS, error);
    if (rc == 0)
        rc = install_oci_unpack(tmp, dest, ret_config, error);
    (void) install_remove_tree(tmp, &cleanup_err);
    return rc;
}

/* The template's work when @dest is NULL: read only what says how to run it. */
static int
template_config_only(const install_template *tmpl, install_image_config **ret_config,
                     GError **error)
{
    switch (tmpl->kind) {
    case INSTALL_TEMPLATE_OCI:
        return install_oci_unpack(tmpl->arg, NULL, ret_config, error);
    case INSTALL_TEMPLATE_OCI_ARCHIVE:
        return template_oci_archive(tmpl->arg, NULL, ret_config, error);
    default:
        return 0;
    }
}

static int
template_fill(const install_template *tmpl, const char *dest, bool quiet,
              install_image_config **ret_config, GError **error)
{
    switch (tmpl->kind) {
    case INSTALL_TEMPLATE_BUSYBOX:
        return template_busybox(dest, error);
    case INSTALL_TEMPLATE_DEBIAN:
        return template_debian(tmpl->arg, dest, quiet, error);
    case INSTALL_TEMPLATE_TAR:
        return install_tar_extract(tmpl->arg, dest, INSTALL_TAR_NO_SYMLINK_PATHS, error);
    case INSTALL_TEMPLATE_OCI:
        return install_oci_unpack(tmpl->arg, dest, ret_config, error);
    case INSTALL_TEMPLATE_OCI_ARCHIVE:
        return template_oci_archive(tmpl->arg, dest, ret_config, error);
    }
    g_assert_not_reached();
}

int
install_template_run(const install_template *tmpl, const char *dest, bool quiet,
                     install_image_config **ret_config, GError **error)
{
    g_autoptr(install_image_config) config = NULL;
    int rc;

    rc = dest ? template_fill(tmpl, dest, quiet, &config, error)
              : template_config_only(tmpl, &config, error);
    if (rc < 0)
        return -1;
    if (!config) {
        config = install_image_config_new();
        config->init = g_strdup("/sbin/init");
    }
    *ret_config = g_steal_pointer(&config);
    return 0;
}
