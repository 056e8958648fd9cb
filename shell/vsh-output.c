/*
 * vsh-output.c — how the vsh shell prints: plain output, output that -q silences,
 * one-line errors and virsh's tables (vsh-shell.h).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vsh-shell.h"

void
shell_print(shell_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void
shell_print_extra(shell_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

/* Messages must stay on one line whatever the library or the user put in them. */
static void
shell_error_write(const char *msg)
{
    g_autofree char *line = g_strdup(msg);
    g_autofree char *stripped = NULL;
    char *p;

    for (p = line; *p; p++) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }
    stripped = g_strdup(g_strstrip(line));
    fflush(stdout);
    fprintf(stderr, "error: %s\n", stripped);
    fflush(stderr);
}

void
shell_error(shell_ctl *ctl, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    shell_error_write(msg);
}

void
shell_error_gerror(shell_ctl *ctl, const GError *err, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *prefix = NULL;
    g_autofree char *msg = NULL;
    const char *text = err ? err->message : "unknown error";

    if (!fmt) {
        shell_error_write(text);
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strdup_printf("%s: %s", prefix, text);
    shell_error_write(msg);
}

struct shell_table {
    guint ncols;
    GPtrArray *rows;            /* of char ** (g_strfreev); row 0 is the header */
};

shell_table *
shell_table_new(const char *const *header)
{
    shell_table *table = g_new0(shell_table, 1);

    table->ncols = g_strv_length((char **) header);
    table->rows = g_ptr_array_new_with_free_func((GDestroyNotify) g_strfreev);
    g_ptr_array_add(table->rows, g_strdupv((char **) header));
    return table;
}

void
shell_table_add_row(shell_table *table, const char *const *cells)
{
    char **row = g_new0(char *, table->ncols + 1);
    guint i;

    for (i = 0; i < table->ncols; i++)
        row[i] = g_strdup(cells[i] ? cells[i] : "");
    g_ptr_array_add(table->rows, row);
}

static void
shell_table_print_row(char **row, const gsize *widths, guint ncols)
{
    GString *line = g_string_new(" ");
    guint i;

    for (i = 0; i < ncols; i++) {
        g_string_append(line, row[i]);
        if (i + 1 < ncols) {
            gsize len = g_utf8_strlen(row[i], -1);

            for (; len < widths[i] + 3; len++)
                g_string_append_c(line, ' ');
        }
    }
    printf("%s\n", line->str);
    g_string_free(line, TRUE);
}

void
shell_table_print_free(shell_ctl *ctl, shell_table *table)
{
    g_autofree gsize *widths = g_new0(gsize, table->ncols);
    guint first = ctl->quiet ? 1 : 0;
    gsize rule = 0;
    guint r;
    guint i;

    /* Widths count the header only when it is printed, as virsh does with -q. */
    for (r = first; r < table->rows->len; r++) {
        char **row = table->rows->pdata[r];

        for (i = 0; i < table->ncols; i++)
            widths[i] = MAX(widths[i], (gsize) g_utf8_strlen(row[i], -1));
    }
    if (!ctl->quiet) {
        shell_table_print_row(table->rows->pdata[0], widths, table->ncols);
        for (i = 0; i < table->ncols; i++)
            rule += widths[i] + 3;
        for (; rule > 0; rule--)
            putchar('-');
        putchar('\n');
    }
    for (r = 1; r < table->rows->len; r++)
        shell_table_print_row(table->rows->pdata[r], widths, table->ncols);
    g_ptr_array_unref(table->rows);
    g_free(table);
}
