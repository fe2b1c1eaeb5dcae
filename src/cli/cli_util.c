/* cli_util.c: what every command needs: messages, option values, time. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "config.h"
#include "io/gdv_io.h"

/* The one place library errors are printed; a code of 0 still exits 2, so a
 * reported error never looks like success. */
int gdv_cli_report(const gdv_error *err) {
  if (err->file[0] && err->line > 0)
    fprintf(stderr, "gradviz: %s:%ld: %s\n", err->file, err->line, err->message);
  else if (err->file[0])
    fprintf(stderr, "gradviz: %s: %s\n", err->file, err->message);
  else
    fprintf(stderr, "gradviz: %s\n", err->message);
  return err->code ? (int)err->code : 2;
}

/* Usage errors are bad input: always exit 2, and always point at the
 * command's --help. */
int gdv_cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "gradviz: %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (see 'gradviz %s --help')\n", cmd);
  return GDV_ERR_INPUT;
}

/* The ':' prefix silences getopt so that our message names the option as the
 * user typed it, in the house format. */
int gdv_cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
                   const struct option *longopts) {
  char spec[64];
  snprintf(spec, sizeof spec, ":%s", shortopts);  /* ':' : we print errors */
  int c = getopt_long(argc, argv, spec, longopts, NULL);
  if (c != '?' && c != ':') return c;
  /* getopt has stepped past a bad long option, so argv[optind - 1] is its
   * text; GNU getopt permutes, so the index before the call is not. For
   * a long option missing its value, optopt holds the option's short
   * letter ('f' for --format), which the user never typed. */
  const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
  int is_long = arg[0] == '-' && arg[1] == '-';
  int len = (int)strcspn(arg, "=");
  if (c == '?') {
    if (optopt) gdv_cli_usage(cmd, "unknown option '-%c'", optopt);
    else gdv_cli_usage(cmd, "unknown option '%.*s'", len, arg);
  } else {
    if (is_long) gdv_cli_usage(cmd, "option '%.*s' needs a value", len, arg);
    else gdv_cli_usage(cmd, "option '-%c' needs a value", optopt);
  }
  return '?';
}

/* The command's own options followed by --help and --version, so each
 * command's table lists only what is its own. */
static struct option *options_with_common(const struct option *own) {
  size_t n = 0;
  while (own != NULL && own[n].name != NULL) n++;
  struct option *all = calloc(n + 3, sizeof *all);
  if (all == NULL) return NULL;
  if (n) memcpy(all, own, n * sizeof *all);
  all[n] = (struct option){"help", no_argument, NULL, 'h'};
  all[n + 1] = (struct option){"version", no_argument, NULL, 'V'};
  return all;
}

/* fflush and ferror: a help text that did not reach a full disk or a closed
 * pipe must not exit 0. */
int gdv_cli_print_stdout(const char *cmd, const char *text) {
  errno = 0;
  fputs(text, stdout);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "gradviz: %s: cannot write to standard output: %s\n", cmd,
            strerror(errno ? errno : EIO));
    return GDV_ERR_SYSTEM;
  }
  return 0;
}

/* One loop for every command: the options table is the command's, the
 * handling of --help, --version and errors is everyone's. */
int gdv_cli_parse(const gdv_cli_spec *spec, int argc, char **argv,
                  gdv_cli_on_option on_option, void *ctx, int *exit_status) {
  char shortopts[64];
  snprintf(shortopts, sizeof shortopts, "%sh", spec->shortopts ? spec->shortopts : "");
  struct option *all = options_with_common(spec->options);
  if (all == NULL) {
    fprintf(stderr, "gradviz: %s: out of memory\n", spec->name);
    *exit_status = GDV_ERR_SYSTEM;
    return 1;
  }
  int c, status = 0;
  char version[64];
  while (status == 0 && (c = gdv_cli_getopt(spec->name, argc, argv, shortopts, all)) != -1) {
    if (c == 'h') {
      status = -1 - gdv_cli_print_stdout(spec->name, spec->help);
    } else if (c == 'V') {
      snprintf(version, sizeof version, "gradviz %s\n", PACKAGE_VERSION);
      status = -1 - gdv_cli_print_stdout(spec->name, version);
    } else if (c == '?') {
      status = GDV_ERR_INPUT;
    } else {
      status = on_option(c, optarg, ctx);
    }
  }
  free(all);
  if (status == 0) return 0;
  *exit_status = status < 0 ? -1 - status : status;
  return 1;
}

/* The number syntax of graph files (gdv_parse_number), so an option reads
 * like a value in a file. */
int gdv_cli_double(const char *cmd, const char *opt, const char *text, double *out) {
  if (!gdv_parse_number(text, out)) {
    gdv_cli_usage(cmd, "%s '%s' is not a number", opt, text);
    return 0;
  }
  return 1;
}

/* Refuses a sign: strtoull would quietly turn "-1" into a huge number. */
int gdv_cli_u64(const char *cmd, const char *opt, const char *text, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno == ERANGE) {
    gdv_cli_usage(cmd, "%s '%s' is not a whole number", opt, text);
    return 0;
  }
  *out = (uint64_t)v;
  return 1;
}

/* The strict syntax of gdv_cli_u64; assumes a 64-bit size_t (no range
 * check). */
int gdv_cli_size(const char *cmd, const char *opt, const char *text, size_t *out) {
  uint64_t v;
  if (!gdv_cli_u64(cmd, opt, text, &v)) return 0;
  *out = (size_t)v;
  return 1;
}

/* Returns an exit status (0: go on) and takes exactly one GRAPH; --output
 * moves C to another node, which recomputes what reaches it. */
int gdv_cli_load_graph(const char *cmd, int argc, char **argv,
                       const char *output, gdv_input *in) {
  if (optind != argc - 1)
    return gdv_cli_usage(cmd, optind >= argc ? "needs a GRAPH file"
                                             : "takes one GRAPH file");
  gdv_error err;
  gdv_error_clear(&err);
  if (gdv_input_load(argv[optind], in, &err)) return gdv_cli_report(&err);
  if (output == NULL) return 0;
  gdv_id id = gdv_graph_find(in->graph, output);
  if (id == GDV_NONE) {
    gdv_error_set(&err, GDV_ERR_INPUT, in->display_path, 0,
                  "--output: no node named '%s'", output);
    gdv_input_free(in);
    return gdv_cli_report(&err);
  }
  gdv_graph_set_output(in->graph, id);
  return 0;
}

/* Monotonic, so a timing never jumps when the wall clock is set. */
double gdv_cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Removes temporaries, then lets the default action end the process with
 * the signal's status (so shells see "interrupted"). */
static void on_signal(int sig) {
  gdv_out_abort_all();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* For commands writing through gdv_out: an interrupt removes the temporaries
 * and still ends the process as killed by the signal. */
void gdv_cli_install_signals(void) {
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGHUP, on_signal);
}
