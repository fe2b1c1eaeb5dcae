/* cli_util.c: what every command needs: messages, option values, time. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/gdv_exercise.h"
#include "config.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"

/* Messages carry names and file names from the user's files, where a
 * newline or an escape sequence (ESC [ ... ) would break the one-line
 * promise or rewrite the terminal, and library messages that span lines
 * (cgraph's "String starting: ..."). Every control character (C0, DEL, and
 * C1 written as UTF-8) and every byte that is not valid UTF-8 becomes \n,
 * \r, \t or \xHH, so a message is one line of printable text. */
char *gdv_cli_escape(const char *text) {
  size_t len = strlen(text);
  char *out = malloc(4 * len + 1), *o = out;
  if (out == NULL) return NULL;
  const unsigned char *p = (const unsigned char *)text;
  while (*p) {
    size_t n = gdv_utf8_seq(p, p + strnlen((const char *)p, 4));
    int c1 = p[0] == 0xC2 && n == 2 && p[1] < 0xA0;
    if (*p == '\n' || *p == '\r' || *p == '\t') {
      *o++ = '\\';
      *o++ = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
      p++;
    } else if (*p < 0x20 || *p == 0x7F || n == 0 || c1) {
      o += sprintf(o, "\\x%02x", *p);
      p++;
    } else {
      memcpy(o, p, n);
      o += n;
      p += n;
    }
  }
  *o = '\0';
  return out;
}

/* One line on stderr, written at once, with names escaped. */
static void print_line(const char *prefix, const char *text, const char *suffix) {
  gdv_cli_progress_clear();
  char *safe = gdv_cli_escape(text);
  fprintf(stderr, "%s%s%s\n", prefix, safe ? safe : "(out of memory)", suffix);
  free(safe);
}

/* The library's messages say what is wrong in its own terms; the setting
 * that would help is named here as the command line writes it. A switch
 * without a default, so a new setting that is not named here warns. */
const char *gdv_cli_setting_hint(gdv_setting setting) {
  switch (setting) {
  case GDV_SETTING_NONE: return "";
  case GDV_SETTING_DPI: return " (--dpi)";
  case GDV_SETTING_LAYOUT: return " (--layout columns)";
  case GDV_SETTING_SHOW: return " (--show)";
  case GDV_SETTING_EXPAND: return " (--expand all)";
  case GDV_SETTING_STYLE: return " (--style takes any file)";
  case GDV_SETTING_STEPS_BY: return " (--steps-by layer takes fewer)";
  case GDV_SETTING_MAX_OUTPUT: return " (--max-output BYTES sets it)";
  case GDV_SETTING_OUTPUT_LINKS: return " (--no-follow-output-links)";
  case GDV_SETTING_FOLLOW_LINKS: return " (--follow-links follows it)";
  case GDV_SETTING_TIME_LIMIT: return " (--time-limit)";
  case GDV_SETTING_ASK: return "";  /* cmd_worksheet puts --ask in front */
  case GDV_SETTING_BLANK: return " (--blank and --ask choose what the student computes)";
  case GDV_SETTING_LEARNING_RATE: return "";  /* cmd_train says the value to go under */
  case GDV_SETTING_PAGE_NONE: return " (--page none: the figure at its own size, in any format)";
  }
  return "";
}

/* A library message about an option's value gets the option's name in
 * front ("--page: ..."), or a note after it; the code, place and setting
 * stay. */
gdv_status gdv_cli_flag_error(gdv_error *err, const char *prefix, const char *suffix) {
  char file[sizeof err->file], message[sizeof err->message];
  snprintf(file, sizeof file, "%s", err->file);
  snprintf(message, sizeof message, "%s", err->message);
  return gdv_error_set_about(err, err->setting, err->code, file, err->line, "%s%s%s", prefix,
                             message, suffix);
}

/* The one place library errors are printed; a code of 0 still exits 2, so a
 * reported error never looks like success. */
int gdv_cli_report(const gdv_error *err) {
  char where[sizeof err->file + 32];
  if (err->file[0] && err->line > 0)
    snprintf(where, sizeof where, "%s:%ld: ", err->file, err->line);
  else if (err->file[0])
    snprintf(where, sizeof where, "%s: ", err->file);
  else
    where[0] = '\0';
  char *text = malloc(strlen(where) + strlen(err->message) + 1);
  if (text) {
    strcpy(text, where);
    strcat(text, err->message);
  }
  print_line("gradviz: ", text ? text : err->message, gdv_cli_setting_hint(err->setting));
  free(text);
  return err->code ? (int)err->code : 2;
}

/* `gradviz: CMD: text` and the end of the line: a hint, else a pointer
 * to the command's --help. */
static void usage_line(const char *cmd, const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void usage_line(const char *cmd, const char *hint, const char *fmt, va_list ap) {
  char *text = NULL;
  if (vasprintf(&text, fmt, ap) < 0) text = NULL;
  char prefix[96], suffix[GDV_HINT_SIZE + 96];
  snprintf(prefix, sizeof prefix, "gradviz: %s: ", cmd);
  if (hint && hint[0]) snprintf(suffix, sizeof suffix, "%s", hint);
  else snprintf(suffix, sizeof suffix, " (see 'gradviz %s --help')", cmd);
  print_line(prefix, text ? text : fmt, suffix);
  free(text);
}

/* A warning does not stop the command: `gradviz: CMD: warning: ...`. The
 * library only says what it found (it never prints). */
void gdv_cli_font_warning(const char *cmd, const gdv_style *style) {
  char text[sizeof style->font + GDV_HINT_SIZE + 192], prefix[128];
  if (!gdv_text_font_warning(style, text, sizeof text)) return;
  snprintf(prefix, sizeof prefix, "gradviz: %s: warning: style '%s': ", cmd, style->name);
  print_line(prefix, text, "");
}

/* Usage errors are bad input: always exit 2, and always point at the
 * command's --help. */
int gdv_cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  usage_line(cmd, NULL, fmt, ap);
  va_end(ap);
  return GDV_ERR_INPUT;
}

/* A usage error about a misspelt word: the closest known name instead of
 * the pointer to --help when one is close. */
static int usage_hinted(const char *cmd, const gdv_suggest *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int usage_hinted(const char *cmd, const gdv_suggest *s, const char *fmt, ...) {
  char hint[GDV_HINT_SIZE];
  va_list ap;
  va_start(ap, fmt);
  usage_line(cmd, gdv_suggest_hint(s, hint, sizeof hint), fmt, ap);
  va_end(ap);
  return GDV_ERR_INPUT;
}

/* `--pgae`: the long option closest to what was typed (before any '='),
 * as the user would type it. */
static int unknown_long_option(const char *cmd, const char *arg, int len,
                               const struct option *longopts) {
  char word[GDV_SUGGEST_MAX + 1];
  gdv_suggest s;
  snprintf(word, sizeof word, "%.*s", len > 2 ? len - 2 : 0, arg + 2);
  gdv_suggest_start(&s, word);
  for (const struct option *o = longopts; o && o->name; o++) gdv_suggest_offer(&s, o->name);
  s.prefix = "--";
  return usage_hinted(cmd, &s, "unknown option '%.*s'", len, arg);
}

/* The ':' prefix silences getopt so that our message names the option as the
 * user typed it, in the house format. */
static int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
                      const struct option *longopts) {
  char spec[64];
  int w = snprintf(spec, sizeof spec, ":%s", shortopts);  /* ':' : we print errors */
  if (w < 0 || (size_t)w >= sizeof spec) return -1;  /* never: commands have a few */
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
    /* a known long flag given a value: optopt holds its code, not a letter */
    if (optopt && is_long && arg[len] == '=')
      gdv_cli_usage(cmd, "option '%.*s' takes no value", len, arg);
    else if (optopt) gdv_cli_usage(cmd, "unknown option '-%c'", optopt);
    else if (is_long) unknown_long_option(cmd, arg, len, longopts);
    else gdv_cli_usage(cmd, "unknown option '%.*s'", len, arg);
  } else {
    if (is_long) gdv_cli_usage(cmd, "option '%.*s' needs a value", len, arg);
    else gdv_cli_usage(cmd, "option '-%c' needs a value", optopt);
  }
  return '?';
}

/* The command running (gdv_cli_begin) reads a GRAPH, and how to read it
 * (--input-format): an option every such command has, kept here rather
 * than in each command's options. */
static int reads_graph;
static gdv_input_format input_format;
/* --variant K: student K's leaf values (gdv_variant_apply), for every
 * command that reads a GRAPH; 0 is the file's own. */
static uint64_t variant;
/* Its code in getopt's table: no command's letter. */
#define INPUT_FORMAT_OPT 0x100
#define VARIANT_OPT 0x101

void gdv_cli_begin(const gdv_command *cmd) {
  reads_graph = cmd->reads_graph;
  input_format = GDV_INPUT_AUTO;
  variant = 0;
}

uint64_t gdv_cli_variant(void) { return variant; }

/* --variant's value: a whole number up to GDV_VARIANT_MAX. */
static int variant_option(const char *cmd, const char *value) {
  size_t k;
  if (!gdv_cli_size_in(cmd, "--variant", value, 0, GDV_VARIANT_MAX, &k)) return GDV_ERR_INPUT;
  variant = k;
  return 0;
}

/* --input-format's value. */
static int input_format_option(const char *cmd, const char *value) {
  if (gdv_input_format_lookup(value, &input_format)) return 0;
  return gdv_cli_usage(cmd, "--input-format: unknown format '%s' (dot or expr)", value);
}

/* getopt_long's table made from a command's one-line option list
 * ("format=f no-timing:T"), followed by --help and --version (and
 * --input-format for a command that reads a GRAPH). */
typedef struct option_table {
  struct option *rows;
  char *names;          /* the list's copy, cut into the rows' names */
} option_table;

/* Each word is NAME=C (takes a value) or NAME:C (a flag); C is the code the
 * command's handler sees. One line per command instead of a table. */
static int option_table_make(const char *list, option_table *t) {
  size_t n = 0;
  for (const char *p = list; p && *p; p++) n += *p == '=' || *p == ':';
  t->names = strdup(list ? list : "");
  t->rows = calloc(n + 5, sizeof *t->rows);
  if (t->names == NULL || t->rows == NULL) return 0;
  size_t i = 0;
  for (char *w = strtok(t->names, " "); w && i < n; w = strtok(NULL, " ")) {
    char *mark = w + strcspn(w, "=:");
    if (*mark == '\0' || mark[1] == '\0') continue;
    t->rows[i].has_arg = *mark == '=' ? required_argument : no_argument;
    t->rows[i].val = (unsigned char)mark[1];
    *mark = '\0';
    t->rows[i++].name = w;
  }
  t->rows[i] = (struct option){"help", no_argument, NULL, 'h'};
  t->rows[i + 1] = (struct option){"version", no_argument, NULL, 'V'};
  if (reads_graph) {
    t->rows[i + 2] = (struct option){"input-format", required_argument, NULL, INPUT_FORMAT_OPT};
    t->rows[i + 3] = (struct option){"variant", required_argument, NULL, VARIANT_OPT};
  }
  return 1;
}

/* Most options only name something (a file, a node): one loop stores them
 * all instead of a case in every command's handler. Returns 0 when opt is
 * not one of texts. */
static int store_text(const gdv_cli_text *texts, int opt, const char *value, void *ctx) {
  for (const gdv_cli_text *t = texts; t && t->opt; t++)
    if (t->opt == opt) {
      *(const char **)((char *)ctx + t->offset) = value;
      return 1;
    }
  return 0;
}

/* One loop for every command: the option list is the command's, the
 * handling of --help, --version and errors is everyone's. */
int gdv_cli_parse(const gdv_cli_spec *spec, int argc, char **argv,
                  gdv_cli_on_option on_option, void *ctx, int *exit_status) {
  char shortopts[64];
  snprintf(shortopts, sizeof shortopts, "%sh", spec->shortopts ? spec->shortopts : "");
  option_table t;
  if (!option_table_make(spec->options, &t)) {
    free(t.rows);
    free(t.names);
    fprintf(stderr, "gradviz: %s: out of memory\n", spec->name);
    *exit_status = GDV_ERR_SYSTEM;
    return 1;
  }
  int c, status = 0;
  /* help and version go to stdout; main checks that they got there */
  while (status == 0 && (c = cli_getopt(spec->name, argc, argv, shortopts, t.rows)) != -1) {
    if (c == 'h') {
      fputs(spec->help, stdout);
      status = -1;
    } else if (c == 'V') {
      printf("gradviz %s\n", PACKAGE_VERSION);
      status = -1;
    } else if (c == '?') {
      status = GDV_ERR_INPUT;
    } else if (c == INPUT_FORMAT_OPT) {
      status = input_format_option(spec->name, optarg);
    } else if (c == VARIANT_OPT) {
      status = variant_option(spec->name, optarg);
    } else if (!store_text(spec->texts, c, optarg, ctx)) {
      status = on_option(c, optarg, ctx);
    }
  }
  free(t.rows);
  free(t.names);
  if (status == 0 && spec->no_operands && optind != argc)
    status = gdv_cli_usage(spec->name, "unexpected argument '%s'", argv[optind]);
  if (status == 0 && spec->check) status = spec->check(ctx);
  if (status == 0) return 0;
  *exit_status = status < 0 ? 0 : status;
  return 1;
}

/* A number in the range, with the number syntax of graph files
 * (gdv_number_in: the core words every range and every number that is
 * not one, for options and files alike). */
int gdv_cli_double_in(const char *cmd, const char *opt, const char *text, double lo,
                      int lo_open, double hi, double *out) {
  char msg[256];
  if (gdv_number_in(opt, text, 0, lo, lo_open, hi, out, msg, sizeof msg)) return 1;
  gdv_cli_usage(cmd, "%s", msg);
  return 0;
}

/* A whole number in [lo, hi] (hi SIZE_MAX: no upper bound), read exactly
 * by gdv_cli_size, with the core's range wording. */
int gdv_cli_size_in(const char *cmd, const char *opt, const char *text, size_t lo, size_t hi,
                    size_t *out) {
  if (!gdv_cli_size(cmd, opt, text, out)) return 0;
  if (*out >= lo && *out <= hi) return 1;
  char msg[256];
  gdv_range_text(msg, sizeof msg, opt, text, (double)lo, 0,
                 hi == SIZE_MAX ? INFINITY : (double)hi);
  gdv_cli_usage(cmd, "%s", msg);
  return 0;
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

/* A read that may block says so first: a pipe with no writer, or a
 * terminal, waits without a word otherwise, and looks like a hang. */
static void say_if_waiting(const char *path) {
  struct stat st;
  if (strcmp(path, "-") == 0) {
    if (isatty(STDIN_FILENO))
      fprintf(stderr, "gradviz: reading the graph from the terminal (%s; end with Ctrl-D)\n",
              input_format == GDV_INPUT_EXPR ? "a formula"
              : input_format == GDV_INPUT_DOT ? "DOT" : "DOT, or a formula");
    return;
  }
  if (stat(path, &st) == 0 && S_ISFIFO(st.st_mode)) {
    char *safe = gdv_cli_escape(path);
    fprintf(stderr, "gradviz: %s: a pipe; waiting for a program to write to it\n",
            safe ? safe : "?");
    free(safe);
  }
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
  say_if_waiting(argv[optind]);
  /* the clock includes the reading: a pipe that never ends is bounded too */
  gdv_cli_time_limit_start(strcmp(argv[optind], "-") ? argv[optind] : "<stdin>");
  if (gdv_input_load_as(argv[optind], input_format, in, &err)) return gdv_cli_report(&err);
  if (output != NULL) {
    gdv_id id = gdv_graph_find(in->graph, output);
    if (id == GDV_NONE) {
      gdv_error_set(&err, GDV_ERR_INPUT, in->display_path, 0,
                    "--output: no node named '%s'", output);
      gdv_input_free(in);
      return gdv_cli_report(&err);
    }
    gdv_graph_set_output(in->graph, id);
  }
  /* student K's leaves, after --output: the lesson is the one C shows */
  if (variant && gdv_variant_apply(in->graph, variant, &err)) {
    snprintf(err.file, sizeof err.file, "%s", in->display_path);
    gdv_input_free(in);
    return gdv_cli_report(&err);
  }
  return 0;
}

/* One call where a command's options end and its graph begins: eval, stats
 * and check said the same six lines each. */
int gdv_cli_parse_graph(const gdv_cli_spec *spec, int argc, char **argv,
                        gdv_cli_on_option on_option, void *ctx,
                        const char *const *output, gdv_input *in) {
  int status;
  if (gdv_cli_parse(spec, argc, argv, on_option, ctx, &status)) return status;
  status = gdv_cli_load_graph(spec->name, argc, argv, output ? *output : NULL, in);
  return status ? status : -1;
}

/* Monotonic, so a timing never jumps when the wall clock is set. */
double gdv_cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The line a signal handler writes and exits with: made beforehand, since
 * a handler may only copy bytes and call write and _exit. */
static char limit_line[1200];
static size_t limit_len;
static char crash_prefix[1100];

/* --time-limit's value: seconds, more than 0; 0 until given. */
static double time_limit;

/* Copies a NUL-terminated string into a handler's buffer; returns the new
 * length. Async-signal-safe (no library call). */
static size_t put(char *buf, size_t len, size_t size, const char *s) {
  while (*s && len + 1 < size) buf[len++] = *s++;
  buf[len] = '\0';
  return len;
}

/* Past the time limit: the temporaries go, one line says so, and the
 * process ends with 3 at once (no atexit work, which could hang where the
 * main program stopped). */
static void on_time_limit(int sig) {
  (void)sig;
  gdv_cli_progress_abort();
  gdv_outfile_abort_all();
  ssize_t n = write(STDERR_FILENO, limit_line, limit_len);
  (void)n;
  _exit(GDV_ERR_SYSTEM);
}

/* Seconds as a number of the graph files' syntax, more than 0. */
int gdv_cli_time_limit_option(const char *cmd, const char *value) {
  return gdv_cli_double_in(cmd, "--time-limit", value, 0, 1, INFINITY, &time_limit)
             ? 0 : GDV_ERR_INPUT;
}

/* A wall-clock timer (ITIMER_REAL: waiting on a pipe counts too); the
 * handler's line names `subject` (escaped, as every message). */
void gdv_cli_time_limit_start(const char *subject) {
  if (!(time_limit > 0)) return;
  char *safe = gdv_cli_escape(subject ? subject : "?");
  int n = snprintf(limit_line, sizeof limit_line,
                   "gradviz: %.1000s: stopped after the time limit of %g s (--time-limit)\n",
                   safe ? safe : "?", time_limit);
  free(safe);
  limit_len = n < 0 ? 0 : (size_t)n < sizeof limit_line ? (size_t)n : sizeof limit_line - 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_time_limit;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it;
  memset(&it, 0, sizeof it);
  /* past three years the timer's seconds could overflow: as good as none */
  double limit = time_limit < 1e8 ? time_limit : 1e8;
  it.it_value.tv_sec = (time_t)limit;
  it.it_value.tv_usec = (suseconds_t)((limit - (double)it.it_value.tv_sec) * 1e6);
  if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0) it.it_value.tv_usec = 1;
  setitimer(ITIMER_REAL, &it, NULL);
}

/* A crash (a signal that means a fault, most likely inside Graphviz's
 * layout) becomes one line and exit 3 with the temporaries removed. The
 * line says where when it can: gdv_layout_dot_busy is a flag read without
 * a call into anything that could be broken. */
static void on_crash(int sig) {
  static const struct { int sig; const char *name; } names[] = {
    {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"}, {SIGFPE, "SIGFPE"}, {SIGILL, "SIGILL"},
    {SIGABRT, "SIGABRT"}};
  const char *name = "a signal";
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].sig == sig) name = names[i].name;
  gdv_cli_progress_abort();
  gdv_outfile_abort_all();
  char line[sizeof crash_prefix + 200];
  size_t n = put(line, 0, sizeof line, crash_prefix);
  if (gdv_layout_dot_busy()) {
    n = put(line, n, sizeof line, "Graphviz's dot layout crashed (");
    n = put(line, n, sizeof line, name);
    n = put(line, n, sizeof line, "); nothing was written (--layout columns needs no Graphviz)\n");
  } else {
    n = put(line, n, sizeof line, "gradviz crashed (");
    n = put(line, n, sizeof line, name);
    n = put(line, n, sizeof line, "); nothing was written (a bug: please report it)\n");
  }
  ssize_t w = write(STDERR_FILENO, line, n);
  (void)w;
  _exit(GDV_ERR_SYSTEM);
}

/* A signal handler's own stack: enough for on_crash's line and libc's
 * frames. */
#define GDV_CLI_SIGNAL_STACK (64 * 1024)

/* The handler runs on a stack of its own (the main thread's; the layout
 * thread sets up its own), so a stack overflow can report too. The stack
 * is kept for the process: a handler may need it at any time. */
void gdv_cli_catch_crashes(const char *subject) {
  static char *alt;
  char *safe = gdv_cli_escape(subject ? subject : "?");
  snprintf(crash_prefix, sizeof crash_prefix, "gradviz: %.1000s: ", safe ? safe : "?");
  free(safe);
  if (alt == NULL && (alt = malloc(GDV_CLI_SIGNAL_STACK)) != NULL) {
    stack_t ss = {.ss_sp = alt, .ss_size = GDV_CLI_SIGNAL_STACK, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) { /* without it, on the thread's own stack */ }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_crash;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

/* Removes temporaries, then lets the default action end the process with
 * the signal's status (so shells see "interrupted"). */
static void on_signal(int sig) {
  gdv_cli_progress_abort();
  gdv_outfile_abort_all();
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
