/* cmd_batch.c: `gradviz batch`: every graph in some files and folders, in
 * every format, into one output folder, N at a time. The options, the
 * progress lines and the summary are here; the children that draw the
 * figures (this same binary, /proc/self/exe, running `gradviz render`) are
 * run by the batch layer (gdv_batch_run), and the settings each figure
 * was drawn with are kept in the folder's manifest (.gradviz-batch). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "io/gdv_io.h"
#include "batch/gdv_batch.h"

static const char batch_help[] =
  "Usage: gradviz batch PATH... -o DIR [--formats LIST] [--style S] [-j N] [--force]\n"
  "                    [--shard K/N] [--list] [--time-limit S] [--follow-links]\n\n"
  "Renders every graph (.dot, .gv, .expr) in the given files and folders\n"
  "(folders recursively, in sorted order) into DIR, in every format of LIST,\n"
  "mirroring the folders: PATH/sub/a.dot gives DIR/sub/a.png. Each graph is\n"
  "drawn by its own `gradviz render` process, one layout for all its formats;\n"
  "a failing input does not stop the others, and is listed at the end with\n"
  "its error.\n\n"
  "  -o, --output-dir DIR  where the figures go (created when missing)\n"
  "  --formats LIST        comma list of png, svg, pdf, dot, html, gif, tex\n"
  "                        (default png)\n"
  "  --style NAME|FILE     style for every figure\n"
  "  --show LIST           what every figure shows (see gradviz render)\n"
  "  --expand GROUPS       groups drawn in full: all, none or names (see render)\n"
  "  --precision N         significant digits\n"
  "  --dpi N               PNG resolution (small values make thumbnails)\n"
  "  --page P              page of every figure (see gradviz render)\n"
  "  --legend P            where every figure's legend goes: bottom, side, none\n"
  "  -j, --jobs N          figures drawn at once (default: the number of CPUs)\n"
  "  --force               redraw figures that are newer than their graph\n"
  "  --shard K/N           only part K (0 to N-1) of N: for N machines or jobs\n"
  "                        sharing the work (graphs split by a hash of their path)\n"
  "  --list                print the graphs this run would draw, each with its\n"
  "                        figures (tab-separated), and draw nothing\n"
  "  --time-limit S        seconds each graph may take, all its formats together\n"
  "                        (default 60; 0: no limit); past it the graph's\n"
  "                        process is killed and the graph counts as failed\n"
  "  --follow-links        read inputs that are symbolic links to files outside\n"
  "                        their folder (refused by default: each fails)\n\n"
  "A figure is redrawn when it is missing, older than its graph, when the\n"
  "graph file or a style file it is drawn with changed (their contents are\n"
  "hashed), or when it was drawn with other --style, --show, --expand,\n"
  "--precision, --page, --legend or (PNG, GIF) --dpi: DIR/.gradviz-batch records\n"
  "what each figure was drawn from and with, updated as each figure lands, so\n"
  "a killed batch never leaves a line that claims what was not drawn. Drawing\n"
  "processes die with the batch. A symbolic link in DIR (at a figure's name or\n"
  "on the way to it) is never written through: that figure fails.\n\n"
  "Settings a graph file carries (graph attributes gradviz_style,\n"
  "gradviz_show, gradviz_expand, gradviz_precision, gradviz_dpi, gradviz_page,\n"
  "gradviz_legend) apply to its figure; options given here win over them.\n\n"
  "Progress goes to stderr: a bar on a terminal, else one line per graph.\n"
  "Exit status: 0 when every graph was drawn (or up to date), 1 when some\n"
  "failed, 2 for bad usage, 3 when the output folder cannot be made.\n";

static const char *const known_formats[] = {"png", "svg", "pdf", "dot", "html", "gif", "tex"};
#define N_FORMATS (sizeof known_formats / sizeof *known_formats)

/* The options of one batch and what it found to do. */
typedef struct batch {
  const char *dir;
  const char *formats[N_FORMATS];  /* each one of known_formats */
  size_t n_formats;
  const char *style, *show, *expand, *precision, *dpi, *page, *legend;
  int force, list_only, follow_links;
  size_t jobs, shard, n_shards;
  double time_limit;       /* seconds a graph's child may take; 0: none */
  gdv_batch_list list;
  unsigned char *todo;     /* per item x format: 1 to draw */
  char *settings[N_FORMATS];  /* per format: the manifest's settings text */
  char **want;             /* per item x format: the manifest line wanted */
} batch;

static volatile sig_atomic_t interrupted;

/* Only a flag: the scheduler sees poll() fail with EINTR and stops. */
static void on_interrupt(int sig) { interrupted = sig; }

/* sigaction without SA_RESTART, so the scheduler's poll() returns EINTR and
 * the batch notices the interrupt at once. */
static void install_interrupt(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* Splits "png,svg" into a checked list without repeats; the list points at
 * known_formats, so nothing is allocated per format. */
static int parse_formats(const char *text, batch *b) {
  char *copy = strdup(text), *save = NULL;
  if (copy == NULL) {
    fprintf(stderr, "gradviz: batch: out of memory\n");
    return GDV_ERR_SYSTEM;
  }
  for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    size_t k = 0;
    while (k < N_FORMATS && strcmp(tok, known_formats[k]) != 0) k++;
    if (k == N_FORMATS) {
      gdv_cli_usage("batch", "unknown format '%s' in --formats (png, svg, pdf, dot, html, gif, tex)", tok);
      free(copy);
      return GDV_ERR_INPUT;
    }
    int dup = 0;
    for (size_t i = 0; i < b->n_formats; i++) dup |= b->formats[i] == known_formats[k];
    if (!dup) b->formats[b->n_formats++] = known_formats[k];
  }
  free(copy);
  if (b->n_formats == 0)
    return gdv_cli_usage("batch", "--formats needs at least one format");
  return 0;
}

/* What the progress line and the summary read of a running batch (of
 * graphs, or of worksheets for a class). */
typedef struct batch_view {
  const gdv_batch_list *list;
  const char *const *formats;
  int tty;
  const char *noun;        /* "graph", "student" */
} batch_view;

/* One line per graph when stderr is a file, a redrawn bar on a terminal;
 * called by the scheduler each time an input is finished. */
static void progress(void *ctx, size_t item, gdv_batch_outcome outcome, size_t finished) {
  static const char *const what[] = {"fresh ", "ok    ", "FAILED"};
  const batch_view *b = ctx;
  size_t total = b->list->n;
  const gdv_batch_item *it = &b->list->items[item];
  char *safe = gdv_cli_escape(it->args ? it->stem : it->input);
  const char *name = safe ? safe : "?";
  if (b->tty) {
    int width = 30, filled = total ? (int)(width * finished / total) : width;
    fprintf(stderr, "\r\033[K[");
    for (int i = 0; i < width; i++) fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %zu/%zu %s", finished, total, name);
  } else {
    int digits = snprintf(NULL, 0, "%zu", total);
    fprintf(stderr, "[%*zu/%zu] %s %s\n", digits, finished, total, what[outcome], name);
  }
  fflush(stderr);
  free(safe);
}

/* Failures in input order (the scheduler sorts them), each with the
 * child's message quoted line by line. */
static void summary(const batch_view *b, const char *cmd, const gdv_batch_result *r) {
  if (b->tty) fprintf(stderr, "\r\033[K");
  fprintf(stderr, "gradviz: %s: %zu %s%s: %zu drawn, %zu up to date, %zu failed\n", cmd,
          b->list->n, b->noun, b->list->n == 1 ? "" : "s", r->drawn, r->fresh, r->n_failures);
  for (size_t i = 0; i < r->n_failures; i++) {
    const gdv_batch_failure *f = &r->failures[i];
    const gdv_batch_item *it = &b->list->items[f->item];
    char *safe = gdv_cli_escape(it->args ? it->stem : it->input);
    fprintf(stderr, "failed: %s (%s)\n", safe ? safe : "?", b->formats[f->format]);
    free(safe);
    /* the child's lines (escaped by its gdv_cli_report: escaping again
     * changes nothing) and the batch's own, which name files raw */
    const char *m = f->message ? f->message : "(out of memory)";
    while (*m) {
      const char *nl = strchr(m, '\n');
      size_t len = nl ? (size_t)(nl - m) : strlen(m);
      char *line = strndup(m, len), *esc = line ? gdv_cli_escape(line) : NULL;
      fprintf(stderr, "  %s%s\n", esc ? esc : "(out of memory)",
              m[len] ? "" : gdv_cli_setting_hint(f->setting));
      free(esc);
      free(line);
      m += len + (nl != NULL);
    }
  }
}

/* Frees everything a batch owns (safe on a half-built one). */
static void batch_free(batch *b) {
  for (size_t i = 0; i < N_FORMATS; i++) free(b->settings[i]);
  free(b->todo);
  gdv_batch_want_free(b->want, b->list.n * b->n_formats);
  gdv_batch_list_free(&b->list);
}

/* A library error without a file is about the batch as a whole. */
static int report(const gdv_error *err) {
  if (err->file[0]) return gdv_cli_report(err);
  char *safe = gdv_cli_escape(err->message);
  fprintf(stderr, "gradviz: batch: %s\n", safe ? safe : err->message);
  free(safe);
  return err->code ? (int)err->code : GDV_ERR_SYSTEM;
}

/* "K/N" with 0 <= K < N; prints the usage error itself. */
static int parse_shard(const char *text, batch *b) {
  const char *slash = strchr(text, '/');
  char k_text[32];
  size_t k, n;
  if (slash == NULL || (size_t)(slash - text) >= sizeof k_text) {
    gdv_cli_usage("batch", "--shard '%s' is not K/N (such as 0/4)", text);
    return 0;
  }
  memcpy(k_text, text, (size_t)(slash - text));
  k_text[slash - text] = '\0';
  if (!gdv_cli_size("batch", "--shard", k_text, &k) || !gdv_cli_size("batch", "--shard", slash + 1, &n))
    return 0;
  if (n == 0 || k >= n) {
    gdv_cli_usage("batch", "--shard %zu/%zu: K must be 0 to N-1, N at least 1", k, n);
    return 0;
  }
  b->shard = k;
  b->n_shards = n;
  return 1;
}

/* What batch's option handler fills: the batch, and the --formats text
 * (parsed once every option is known). */
typedef struct batch_options {
  batch *b;
  const char **formats;
} batch_options;

/* --precision, --dpi and --jobs: whole numbers in render's ranges (checked
 * here, before any child runs), kept as typed for the children (--jobs as
 * a count); --time-limit: seconds, 0 for none. */
static int batch_number_option(int opt, const char *value, batch *b) {
  size_t size;
  if (opt == 'T')
    return gdv_cli_double_in("batch", "--time-limit", value, 0, 0, 1e6, &b->time_limit)
               ? 0 : GDV_ERR_INPUT;
  const char *name = opt == 'P' ? "--precision" : opt == 'D' ? "--dpi" : "--jobs";
  size_t lo = opt == 'P' ? GDV_PRECISION_MIN : opt == 'D' ? GDV_DPI_MIN : 1;
  size_t hi = opt == 'P' ? GDV_PRECISION_MAX : opt == 'D' ? GDV_DPI_MAX : SIZE_MAX;
  if (!gdv_cli_size_in("batch", name, value, lo, hi, &size)) return GDV_ERR_INPUT;
  if (opt == 'P') b->precision = value;
  else if (opt == 'D') b->dpi = value;
  else b->jobs = size;
  return 0;
}

/* One option of batch; --help and --version are gdv_cli_parse's. */
static int batch_option(int opt, const char *value, void *ctx) {
  batch_options *o = ctx;
  batch *b = o->b;
  switch (opt) {
  case 'o': b->dir = value; return 0;
  case 'F': *o->formats = value; return 0;
  case 'S': b->style = value; return 0;
  case 'W': b->show = value; return 0;
  case 'g': b->page = value; return 0;
  case 'G': {
    gdv_legend_place place;
    if (!gdv_legend_place_lookup(value, &place))
      return gdv_cli_usage("batch", "unknown legend place '%s' (bottom, side or none)", value);
    b->legend = value;
    return 0;
  }
  case 'X': b->expand = value; return 0;
  case 'P': case 'D': case 'j': case 'T': return batch_number_option(opt, value, b);
  case 'f': b->force = 1; return 0;
  case 'l': b->follow_links = 1; return 0;
  case 'K': return parse_shard(value, b) ? 0 : GDV_ERR_INPUT;
  case 'L': b->list_only = 1; return 0;
  }
  return GDV_ERR_INPUT;
}

static const gdv_cli_spec batch_spec = {"batch", batch_help, "o:j:",
    "output-dir=o formats=F style=S show=W expand=X precision=P dpi=D legend=G jobs=j "
    "force:f shard=K list:L page=g time-limit=T follow-links:l", 0, NULL, NULL};

/* The options; returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, batch *b, const char **formats) {
  batch_options o = {b, formats};
  int status;
  if (gdv_cli_parse(&batch_spec, argc, argv, batch_option, &o, &status)) return status;
  if (b->dir == NULL) return gdv_cli_usage("batch", "needs an output folder: -o DIR");
  if (optind >= argc) return gdv_cli_usage("batch", "needs at least one PATH");
  return -1;
}

/* The output folder (exit 3 when it cannot be made), its manifest, and
 * which figures are missing, older than their graph or drawn with other
 * settings. Returns -1 to go on, else the exit status. */
static int plan(batch *b) {
  gdv_error err;
  gdv_error_clear(&err);
  /* the folder itself: make the parents of a file in it */
  size_t ld = strlen(b->dir), n = ld + 4;
  char *probe = malloc(n);
  gdv_status st = GDV_OK;
  if (probe == NULL) {
    st = gdv_error_oom(&err);
  } else if (b->list_only) {
    free(probe);  /* listing makes nothing, not even the folder */
  } else {
    snprintf(probe, n, "%s%sx", b->dir, ld && b->dir[ld - 1] == '/' ? "" : "/");
    st = gdv_make_parent_dirs(probe, &err);
    free(probe);
  }
  for (size_t k = 0; st == GDV_OK && k < b->n_formats; k++)
    if ((b->settings[k] = gdv_batch_settings_text(b->formats[k], b->style, b->show,
                                                  b->expand, b->precision, b->dpi,
                                                  b->page, b->legend)) == NULL)
      st = gdv_error_oom(&err);
  if (st == GDV_OK && (b->todo = calloc(b->list.n * b->n_formats, 1)) == NULL)
    st = gdv_error_oom(&err);
  if (st == GDV_OK)
    st = gdv_batch_want(&b->list, (const char *const *)b->settings, b->n_formats, b->style,
                        &b->want, &err);
  if (st == GDV_OK)
    st = gdv_batch_manifest_begin(b->dir, &b->list, b->formats, b->n_formats, b->want,
                                  b->force, b->list_only, b->todo, &err);
  return st ? report(&err) : -1;
}

/* Runs a plan's children (the scheduler adds each figure to the manifest
 * as it lands, so an interrupt loses nothing drawn), with the progress on
 * stderr, then prints the summary or dies of the interrupting signal;
 * returns the exit status. batch and worksheet --variants share it. */
int gdv_cli_batch_execute(const char *cmd, gdv_batch_plan *p, const char *noun) {
  batch_view view = {p->list, p->formats, isatty(2), noun};
  p->exe = "/proc/self/exe";
  p->stop = &interrupted;
  p->progress = progress;
  p->ctx = &view;
  gdv_batch_result r;
  gdv_error err;
  install_interrupt();
  gdv_status st = gdv_batch_run(p, &r, &err);
  if (st) return report(&err);
  if (r.manifest_failed) {
    st = r.manifest_err.code ? r.manifest_err.code : GDV_ERR_SYSTEM;
    err = r.manifest_err;
  }
  if (r.stopped) {
    if (view.tty) fputc('\n', stderr);
    fprintf(stderr, "gradviz: %s: interrupted after %zu of %zu %ss; "
            "no partial figure left\n", cmd, r.finished, p->list->n, noun);
    gdv_batch_result_free(&r);
    signal((int)interrupted, SIG_DFL);
    raise((int)interrupted);
    return 128 + (int)interrupted;
  }
  summary(&view, cmd, &r);
  int status = st ? report(&err) : r.n_failures ? GDV_ERR_CHECK : 0;
  gdv_batch_result_free(&r);
  return status;
}

/* The children of a batch of graphs: `render` with the batch's options. */
static int run(batch *b) {
  const char *args[15];
  int k = 0;
  if (b->style) { args[k++] = "--style"; args[k++] = b->style; }
  if (b->show) { args[k++] = "--show"; args[k++] = b->show; }
  if (b->expand) { args[k++] = "--expand"; args[k++] = b->expand; }
  if (b->precision) { args[k++] = "--precision"; args[k++] = b->precision; }
  if (b->dpi) { args[k++] = "--dpi"; args[k++] = b->dpi; }
  if (b->page) { args[k++] = "--page"; args[k++] = b->page; }
  if (b->legend) { args[k++] = "--legend"; args[k++] = b->legend; }
  args[k] = NULL;
  gdv_batch_plan p = {.dir = b->dir, .formats = b->formats, .n_formats = b->n_formats,
                      .render_args = args, .jobs = b->jobs, .list = &b->list, .todo = b->todo,
                      .want = b->want, .time_limit = b->time_limit};
  return gdv_cli_batch_execute("batch", &p, "graph");
}

/* --list: each graph of this shard, then the figures it would draw (none
 * when all are up to date), tab-separated, one graph a line; names escaped
 * as in every other line (a tab in a name is \t: the columns stay).
 * An input batch will not follow (a link out of its folder) draws nothing
 * and says so on stderr. */
static int print_list(const batch *b) {
  for (size_t i = 0; i < b->list.n; i++) {
    const gdv_batch_item *it = &b->list.items[i];
    char *name = gdv_cli_escape(it->input);
    int ok = name != NULL;
    if (ok && it->outside)
      fprintf(stderr, "gradviz: %s: a symbolic link to a file outside its folder: not "
              "followed%s\n", name, gdv_cli_setting_hint(GDV_SETTING_FOLLOW_LINKS));
    if (ok) fputs(name, stdout);
    for (size_t f = 0; ok && !it->outside && f < b->n_formats; f++) {
      if (!b->todo[i * b->n_formats + f]) continue;
      char *out = gdv_batch_output_path(b->dir, it, b->formats[f]);
      char *safe = out ? gdv_cli_escape(out) : NULL;
      if (safe) printf("\t%s", safe);
      ok = safe != NULL;
      free(safe);
      free(out);
    }
    free(name);
    if (!ok) {
      fprintf(stderr, "gradviz: batch: out of memory\n");
      return GDV_ERR_SYSTEM;
    }
    putchar('\n');
  }
  return fflush(stdout) == 0 ? 0 : GDV_ERR_SYSTEM;
}

/* Options, the list of graphs and what is already up to date, then run. */
int gdv_cmd_batch(int argc, char **argv) {
  batch b;
  memset(&b, 0, sizeof b);
  const char *formats = "png";
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  b.jobs = cpus > 0 ? (size_t)cpus : 1;
  b.time_limit = 60;
  int status = parse_options(argc, argv, &b, &formats);
  if (status >= 0) return status;
  if ((status = parse_formats(formats, &b))) return status;
  gdv_error err;
  gdv_error_clear(&err);
  if (gdv_batch_collect(argv + optind, (size_t)(argc - optind), b.dir, b.follow_links,
                        &b.list, &err))
    return gdv_cli_report(&err);
  if (b.list.n == 0) {
    fprintf(stderr, "gradviz: batch: no graphs (.dot, .gv, .expr) found\n");
    return GDV_ERR_INPUT;
  }
  gdv_batch_keep_shard(&b.list, b.shard, b.n_shards);
  status = plan(&b);
  if (status < 0) status = b.list_only ? print_list(&b) : run(&b);
  batch_free(&b);
  return status;
}
