/* cli.h: the command line. The only layer that prints to the terminal and
 * picks exit statuses; each command lives in its own file (cmd_*.c) and is
 * listed once in the table in main.c. */
#ifndef GDV_CLI_H
#define GDV_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "core/gdv.h"

typedef struct gdv_command {
  const char *name;
  const char *synopsis;   /* one line for `gradviz --help` */
  int (*run)(int argc, char **argv);
  int reads_graph;        /* takes one GRAPH: gets --input-format */
} gdv_command;
/* Says which command runs, before it parses its options: a command that
 * reads a GRAPH gets --input-format dot|expr from gdv_cli_parse, which
 * gdv_cli_load_graph then follows. */
void gdv_cli_begin(const gdv_command *cmd);
/* The --variant K a command reading a GRAPH was given (0: none, the
 * file's numbers); gdv_cli_load_graph applies it. */
uint64_t gdv_cli_variant(void);

int gdv_cmd_render(int argc, char **argv);
int gdv_cmd_eval(int argc, char **argv);
int gdv_cmd_check(int argc, char **argv);
int gdv_cmd_mnist(int argc, char **argv);
int gdv_cmd_train(int argc, char **argv);
int gdv_cmd_batch(int argc, char **argv);
int gdv_cmd_stats(int argc, char **argv);
int gdv_cmd_worksheet(int argc, char **argv);
int gdv_cmd_grade(int argc, char **argv);

/* `text` with control characters and bytes that are not UTF-8 escaped
 * (\n, \x1b): one printable line; malloc'd, NULL when out of memory. */
char *gdv_cli_escape(const char *text);
/* Prints `gradviz: FILE:LINE: message` (escaped), the setting the
 * message is about named as a flag (gdv_cli_setting_hint), and returns
 * the error's status. */
int gdv_cli_report(const gdv_error *err);
/* What the line of a library error about `setting` ends with: " (--dpi)",
 * "" for GDV_SETTING_NONE. */
const char *gdv_cli_setting_hint(gdv_setting setting);
/* Names the option a library message is about: prefix goes before the
 * message ("--layers ", "--page: "), suffix after (" (--layers)").
 * Returns the code. */
gdv_status gdv_cli_flag_error(gdv_error *err, const char *prefix, const char *suffix);
/* Prints the library's warning when no family of the style's font is
 * installed (which font draws instead, the closest installed name). */
struct gdv_style;
void gdv_cli_font_warning(const char *cmd, const struct gdv_style *style);
/* Prints `gradviz: CMD: message` for a usage error and returns 2. */
int gdv_cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An option whose value is kept as written (a path, a node name, a word
 * looked up later): its code, and where in the command's options (the
 * handler's ctx) the text goes. gdv_cli_parse stores these itself, so a
 * handler has only the options with a value to check. */
typedef struct gdv_cli_text {
  int opt;
  size_t offset;           /* offsetof(the options struct, a const char *) */
} gdv_cli_text;
/* One entry of a texts list: GDV_CLI_TEXT('o', eval_options, out_path). The
 * comparison is never evaluated; it makes the compiler warn when the field
 * is not a const char *, which the offset alone would not. */
#define GDV_CLI_TEXT(opt, type, field) \
  {(opt), offsetof(type, field) + 0 * sizeof(&((type *)0)->field == (const char **)0)}
/* What a command declares once: its name, its help text and its own
 * options. --help and --version are added for every command by
 * gdv_cli_parse, so no command repeats them. */
typedef struct gdv_cli_spec {
  const char *name;
  const char *help;
  const char *shortopts;   /* the command's own short options ("o:") */
  const char *options;     /* its long options, one line: "format=f force:F"
                              (NAME=C takes a value, NAME:C is a flag; C is
                              the code its handler gets) */
  int no_operands;         /* 1: anything after the options is an error */
  const gdv_cli_text *texts;  /* ends with {0, 0}; NULL: the handler has all */
  int (*check)(void *ctx); /* after the last option, the checks that need
                              them all: 0 to go on or the exit status; NULL:
                              none */
} gdv_cli_spec;
/* Called for each option with its value (NULL for flags); returns 0 to go
 * on or the exit status that ends the command. */
typedef int (*gdv_cli_on_option)(int opt, const char *value, void *ctx);
/* Parses argv by `spec`, storing its texts in ctx and calling on_option for
 * the command's other options, then spec->check; prints help, version and
 * usage errors. Returns 0 when the command goes on (optind is at the first
 * operand), else 1 with *exit_status set (0 after --help or --version, 2 for
 * a usage error; main says 3 when stdout lost them). */
int gdv_cli_parse(const gdv_cli_spec *spec, int argc, char **argv,
                  gdv_cli_on_option on_option, void *ctx, int *exit_status);
/* Option values; each prints the usage error and returns 0 when bad. */
int gdv_cli_size(const char *cmd, const char *opt, const char *text, size_t *out);
int gdv_cli_u64(const char *cmd, const char *opt, const char *text, uint64_t *out);
/* Ranged values (like tmux's args_strtonum): the core's one wording for
 * every range error (gdv_range_text), "--dpi 5 is out of range (10 to
 * 2400)". _double_in excludes lo when lo_open ("above 0"); hi INFINITY
 * (or SIZE_MAX) has no upper bound. */
int gdv_cli_double_in(const char *cmd, const char *opt, const char *text, double lo,
                      int lo_open, double hi, double *out);
int gdv_cli_size_in(const char *cmd, const char *opt, const char *text, size_t lo, size_t hi,
                    size_t *out);
/* Loads the one GRAPH operand left after the options (argv[optind]) and,
 * when `output` is not NULL, makes that node the output. Returns 0, or the
 * exit status after printing why (usage, bad input). */
struct gdv_input;
int gdv_cli_load_graph(const char *cmd, int argc, char **argv,
                       const char *output, struct gdv_input *in);
/* What eval, stats and check begin with: gdv_cli_parse, then
 * gdv_cli_load_graph with the node name that *output holds after the
 * options (output NULL: the graph's own output). Returns -1 to go on with
 * the graph in *in, else the exit status (0 after --help or --version). */
int gdv_cli_parse_graph(const gdv_cli_spec *spec, int argc, char **argv,
                        gdv_cli_on_option on_option, void *ctx,
                        const char *const *output, struct gdv_input *in);
/* Thousands separators ("47,720"): the counts here have many digits. */
const char *gdv_cli_grouped(uint64_t x, char *buf, size_t size);
/* The cost table of stats and check: backprop against finite differences,
 * counted in passes and edge visits and timed, from gdv_stats_compute. */
struct gdv_stats;
void gdv_cli_print_cost(FILE *f, const struct gdv_stats *s);
/* Seconds on a monotonic clock. */
double gdv_cli_now(void);
/* --time-limit SECONDS, in every command that has it (render, mnist, eval,
 * check): GDV_CLI_TIME_LIMIT is the option's code in a spec's list. */
#define GDV_CLI_TIME_LIMIT '^'
#define GDV_CLI_TIME_LIMIT_OPTION " time-limit=^"
/* Takes --time-limit's value (returns 0, or the usage status after
 * printing why). */
int gdv_cli_time_limit_option(const char *cmd, const char *value);
/* Starts the clock when --time-limit was given: past it the process
 * removes its temporaries, prints `gradviz: SUBJECT: stopped after the time
 * limit of N s (--time-limit)` and exits 3. */
void gdv_cli_time_limit_start(const char *subject);
/* A fault signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) becomes one
 * line naming SUBJECT (and Graphviz when it was laying out) and exit 3,
 * with the temporaries removed, instead of a crash. */
void gdv_cli_catch_crashes(const char *subject);
/* A line on stderr, when it is a terminal, while a figure takes over a
 * second (GRADVIZ_PROGRESS_DELAY): "gradviz: VERB FILE… N s", rewritten
 * each second by a thread (cli_progress.c); nothing when stderr is not a
 * terminal, or when PATH is "-" and stdout is one. _clear blanks it for a
 * message (every message of cli_util does), _stop ends it and leaves the
 * line blank (call before printing to stdout), _abort only blanks it (for
 * a signal handler). */
void gdv_cli_progress_start(const char *verb, const char *path);
void gdv_cli_progress_clear(void);
void gdv_cli_progress_stop(void);
void gdv_cli_progress_abort(void);
/* Removes unfinished output files on SIGINT/SIGTERM, then dies of it. */
void gdv_cli_install_signals(void);

/* Runs a batch plan (src/batch) as `batch` does: children in
 * parallel, progress on stderr, the summary naming each failure, an
 * interrupt ending it with nothing half-written; `cmd` names the command
 * in messages, `noun` what an input is ("graph", "student"). Returns the
 * exit status (cmd_batch.c). */
struct gdv_batch_plan;
int gdv_cli_batch_execute(const char *cmd, struct gdv_batch_plan *p, const char *noun);

/* ---- shared by mnist and train (cli_mnist.c) ---- */
/* The flags that make the network; NULL ones leave the setting to the
 * weights file, or the default. */
typedef struct gdv_cli_net_flags {
  const char *layers, *act, *cost, *weights;
  uint64_t seed;
  int scaled;
} gdv_cli_net_flags;
/* The options that make the network, in the option lists of mnist and
 * train (one list, so the two commands cannot drift apart). */
#define GDV_CLI_NET_OPTIONS "layers=L activation=A cost=C seed=s weights=w "
/* Takes one of GDV_CLI_NET_OPTIONS into *flags: returns 0, an exit status
 * for a bad value, or -1 when `opt` is not one of them. */
int gdv_cli_net_option(const char *cmd, int opt, const char *value, gdv_cli_net_flags *flags);
struct gdv_mnist_net;
gdv_status gdv_cli_mnist_net(const char *cmd, const gdv_cli_net_flags *flags,
                             struct gdv_mnist_net *net, gdv_error *err);

#endif
