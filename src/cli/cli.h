/* cli.h: the command line. The only layer that prints to the terminal and
 * picks exit statuses; each command lives in its own file (cmd_*.c) and is
 * listed once in the table in main.c. */
#ifndef GDV_CLI_H
#define GDV_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <stdint.h>

#include "core/gdv.h"

typedef struct gdv_command {
  const char *name;
  const char *synopsis;   /* one line for `gradviz --help` */
  int (*run)(int argc, char **argv);
} gdv_command;

int gdv_cmd_render(int argc, char **argv);
int gdv_cmd_eval(int argc, char **argv);
int gdv_cmd_check(int argc, char **argv);
int gdv_cmd_mnist(int argc, char **argv);
int gdv_cmd_train(int argc, char **argv);
int gdv_cmd_batch(int argc, char **argv);
int gdv_cmd_stats(int argc, char **argv);

/* `text` with control characters and bytes that are not UTF-8 escaped
 * (\n, \x1b): one printable line; malloc'd, NULL when out of memory. */
char *gdv_cli_escape(const char *text);
/* Prints `gradviz: FILE:LINE: message` (escaped) and returns the error's
 * status. */
int gdv_cli_report(const gdv_error *err);
/* Prints `gradviz: CMD: message` for a usage error and returns 2. */
int gdv_cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* getopt_long with our messages: returns the option, -1 at the end, or '?'
 * after printing the usage error (the caller returns 2). */
int gdv_cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
                   const struct option *longopts);
/* Option values; each prints the usage error and returns 0 when bad. */
int gdv_cli_double(const char *cmd, const char *opt, const char *text, double *out);
int gdv_cli_size(const char *cmd, const char *opt, const char *text, size_t *out);
int gdv_cli_u64(const char *cmd, const char *opt, const char *text, uint64_t *out);
/* Loads the one GRAPH operand left after the options (argv[optind]) and,
 * when `output` is not NULL, makes that node the output. Returns 0, or the
 * exit status after printing why (usage, bad input). */
struct gdv_input;
int gdv_cli_load_graph(const char *cmd, int argc, char **argv,
                       const char *output, struct gdv_input *in);
/* Thousands separators ("47,720"): the counts here have many digits. */
const char *gdv_cli_grouped(uint64_t x, char *buf, size_t size);
/* The cost table of stats and check: backprop against finite differences,
 * counted in passes and edge visits and timed, from gdv_stats_compute. */
struct gdv_stats;
void gdv_cli_print_cost(FILE *f, const struct gdv_stats *s);
/* Seconds on a monotonic clock. */
double gdv_cli_now(void);
/* Removes unfinished output files on SIGINT/SIGTERM, then dies of it. */
void gdv_cli_install_signals(void);

#endif
