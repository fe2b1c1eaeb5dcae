/* cmd_worksheet.c: `gradviz worksheet`: an exercise sheet of a graph with
 * write-in boxes and its answer key from one layout; with --variants or
 * --class, a sheet and a key for every student, through batch's
 * machinery (children in parallel, a manifest to resume). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "core/gdv_exercise.h"
#include "io/gdv_answers.h"
#include "io/gdv_io.h"
#include "batch/gdv_batch.h"
#include "teach/gdv_worksheet.h"

static const char worksheet_help[] =
  "Usage: gradviz worksheet GRAPH -o SHEET.{pdf,png,svg,html} [--key KEY.pdf] [options]\n"
  "       gradviz worksheet GRAPH --variants 1-30 -o DIR [--formats pdf,html] [options]\n"
  "       gradviz worksheet GRAPH --class ROSTER.csv -o DIR [--formats pdf] [options]\n\n"
  "An exercise sheet: the figure of GRAPH with the numbers the student\n"
  "computes left as write-in boxes, and its answer key: the same figure, every\n"
  "node, edge and box at the same place, with the answers in the boxes. The\n"
  "sheet shows no answer: no gradient drawn as edge width or colour, no sum,\n"
  "no title with a number; its SVG holds no number of a box, its PNG no graph.\n"
  "Each box of an edge carries the edge's name (FROM->TO) for the answers file\n"
  "of gradviz grade. As HTML the sheet is a page to fill in offline: each\n"
  "answer is judged as it is typed, as grade judges it (the page holds salted\n"
  "hashes near the answers, not the answers).\n\n"
  "  -o SHEET         the sheet (format from the suffix; up to 5 -o)\n"
  "  --key KEY        the answer key (up to 5)\n"
  "  --given LIST     numbers shown: values, locals, grads, edge-grads, sums\n"
  "                   (default values,locals)\n"
  "  --blank LIST     what the student computes: kinds (default grads,edge-grads,\n"
  "                   sums but those given) and node ids: only those nodes'\n"
  "                   numbers are boxes\n"
  "                   (a node's value and gradient, the locals into it, the\n"
  "                   gradients along its out-edges), the others shown\n"
  "  --ask NODE|PATH  only the numbers on every path from NODE to the output,\n"
  "                   or on one path a->c->e, are boxes\n"
  "  --variant K      student K's numbers (other leaf values, friendly by hand,\n"
  "                   the graph's lesson kept; eval, render and grade take it)\n"
  "  --student TEXT   printed on the sheet and the key\n"
  "  --style S, --page P, --precision N, --dpi N, --rankdir D, --legend P\n"
  "                   as for render (the page: default slide)\n"
  "  --rtol R, --atol A  the page's tolerance (default 0.02 and 0.01, as grade)\n"
  "  --dump-layout F  the sheet's layout as JSON; --dump-key-layout F the key's\n"
  "  --output NODE    differentiate NODE instead of the graph's output\n\n"
  "A class, one sheet and one key per student into the folder -o DIR, drawn in\n"
  "parallel and redrawn only when something changed (as batch):\n"
  "  --variants A-B   students A to B: DIR/student-K.pdf and DIR/student-K.key.pdf\n"
  "  --class ROSTER   a CSV with an id column (and maybe name, variant): DIR/ID.pdf\n"
  "                   and DIR/ID.key.pdf; the name and id are printed on the\n"
  "                   sheet; DIR/class.csv lists id, name, variant and files\n"
  "  --formats LIST   the sheets' formats (default pdf); keys in the same\n"
  "  -j N, --force, --time-limit S   as batch\n\n"
  "Then: gradviz grade GRAPH answers.csv --variant K. See gradviz(1).\n";

#define WS_MAX_OUT 5

typedef struct ws_opts {
  const char *out[WS_MAX_OUT], *key[WS_MAX_OUT];
  size_t n_out, n_key;
  const char *given, *blank, *ask, *student, *style, *page, *precision, *dpi, *rankdir;
  const char *legend, *dump, *dump_key, *rtol, *atol, *output, *variants, *roster, *formats;
  const char *jobs, *time_limit;
  int force;
} ws_opts;

/* -o and --key gather; the other values are checked where used. */
static int ws_option(int opt, const char *value, void *ctx) {
  ws_opts *o = ctx;
  if (opt == 'o' || opt == 'k') {
    const char **list = opt == 'o' ? o->out : o->key;
    size_t *n = opt == 'o' ? &o->n_out : &o->n_key;
    if (*n == WS_MAX_OUT) return gdv_cli_usage("worksheet", "at most %d %s", WS_MAX_OUT,
                                               opt == 'o' ? "-o" : "--key");
    list[(*n)++] = value;
    return 0;
  }
  if (opt == 'f') { o->force = 1; return 0; }
  return GDV_ERR_INPUT;
}

static const gdv_cli_text ws_texts[] = {
  GDV_CLI_TEXT('G', ws_opts, given), GDV_CLI_TEXT('B', ws_opts, blank),
  GDV_CLI_TEXT('A', ws_opts, ask), GDV_CLI_TEXT('N', ws_opts, student),
  GDV_CLI_TEXT('s', ws_opts, style), GDV_CLI_TEXT('P', ws_opts, page),
  GDV_CLI_TEXT('p', ws_opts, precision), GDV_CLI_TEXT('d', ws_opts, dpi),
  GDV_CLI_TEXT('R', ws_opts, rankdir), GDV_CLI_TEXT('L', ws_opts, legend),
  GDV_CLI_TEXT('D', ws_opts, dump), GDV_CLI_TEXT('K', ws_opts, dump_key),
  GDV_CLI_TEXT('r', ws_opts, rtol), GDV_CLI_TEXT('a', ws_opts, atol),
  GDV_CLI_TEXT('O', ws_opts, output), GDV_CLI_TEXT('W', ws_opts, variants),
  GDV_CLI_TEXT('C', ws_opts, roster), GDV_CLI_TEXT('F', ws_opts, formats),
  GDV_CLI_TEXT('j', ws_opts, jobs), GDV_CLI_TEXT('T', ws_opts, time_limit), {0, 0}};

static const gdv_cli_spec ws_spec = {"worksheet", worksheet_help, "o:j:",
    "key=k given=G blank=B ask=A student=N style=s page=P precision=p dpi=d rankdir=R "
    "legend=L dump-layout=D dump-key-layout=K rtol=r atol=a output=O variants=W class=C "
    "formats=F jobs=j force:f time-limit=T", 0, ws_texts, NULL};

/* The settings a sheet is drawn with, checked; returns -1 to go on, else
 * the exit status after printing why. */
static int ws_settings(const ws_opts *o, const gdv_input *in, gdv_style *style,
                       gdv_worksheet_options *wo, gdv_worksheet_checking *page, double *dpi,
                       uint8_t **masks) {
  gdv_error err;
  gdv_error_clear(&err);
  size_t precision = 0;
  *dpi = 144;
  gdv_grade_defaults(&page->tol);
  if ((o->precision && !gdv_cli_size_in("worksheet", "--precision", o->precision, 1, 17, &precision)) ||
      (o->dpi && !gdv_cli_double_in("worksheet", "--dpi", o->dpi, 10, 0, 2400, dpi)) ||
      (o->rtol && !gdv_cli_double_in("worksheet", "--rtol", o->rtol, 0, 0, 1, &page->tol.rtol)) ||
      (o->atol && !gdv_cli_double_in("worksheet", "--atol", o->atol, 0, 0, 1e6, &page->tol.atol)))
    return GDV_ERR_INPUT;
  if (o->style) {
    if (gdv_style_load(o->style, style, &err)) return gdv_cli_report(&err);
    gdv_cli_font_warning("worksheet", style);
  } else {
    gdv_style_default(style);
  }
  memset(wo, 0, sizeof *wo);
  gdv_scene_options_default(&wo->scene);
  if (gdv_page_parse(o->page ? o->page : "slide", *dpi, &wo->scene.page, &err))
    return gdv_cli_usage("worksheet", "--page: %s", err.message);
  if (o->rankdir) {
    if (strcmp(o->rankdir, "LR") && strcmp(o->rankdir, "TB") && strcmp(o->rankdir, "auto"))
      return gdv_cli_usage("worksheet", "unknown rankdir '%s' (LR, TB or auto)", o->rankdir);
    wo->scene.rankdir = o->rankdir[0] == 'L' ? GDV_RANKDIR_LR
                        : o->rankdir[0] == 'T' ? GDV_RANKDIR_TB : GDV_RANKDIR_AUTO;
  }
  gdv_legend_place place = GDV_LEGEND_BOTTOM;
  if (o->legend && !gdv_legend_place_lookup(o->legend, &place))
    return gdv_cli_usage("worksheet", "unknown legend place '%s' (bottom, side or none)", o->legend);
  wo->scene.legend_place = place;
  wo->scene.precision = precision ? (int)precision : style->precision;
  wo->style = style;
  if (gdv_worksheet_kinds(in->graph, o->given ? o->given : "values,locals", 0, &wo->given, NULL,
                          &err))
    return gdv_cli_usage("worksheet", "--given: %s", err.message);
  if (gdv_worksheet_kinds(in->graph, o->blank ? o->blank : "", 1, &wo->blank, &masks[0], &err))
    return gdv_cli_usage("worksheet", "--blank: %s", err.message);
  /* no kind named: what the backward pass computes, but what is given */
  if (wo->blank == 0) wo->blank = (GDV_SHOW_GRADS | GDV_SHOW_EDGE_GRADS | GDV_SHOW_SUMS) & ~wo->given;
  wo->nodes = masks[0];
  if (o->ask && gdv_worksheet_ask(in->graph, o->ask, &masks[1], &masks[2], &err)) {
    snprintf(err.file, sizeof err.file, "%s", in->display_path);
    if (err.setting == GDV_SETTING_ASK) gdv_cli_flag_error(&err, "--ask: ", "");
    return gdv_cli_report(&err);
  }
  wo->ask_nodes = masks[1];
  wo->ask_edges = masks[2];
  wo->student = o->student;
  wo->variant = gdv_cli_variant();
  return -1;
}

/* The exercise's name: the graph file's base name without its suffix. */
static void base_name(const char *path, char *buf, size_t size) {
  const char *slash = strrchr(path, '/');
  snprintf(buf, size, "%s", slash ? slash + 1 : path);
  char *dot = strrchr(buf, '.');
  if (dot && dot != buf) *dot = '\0';
}

/* One output of the sheet or the key, whole or not at all. */
static gdv_status write_one(const gdv_worksheet *w, const gdv_input *in, int key, const char *path,
                            const gdv_style *st, const gdv_worksheet_checking *page, double dpi,
                            const char *name, gdv_error *err) {
  gdv_figure_format fmt;
  if (strcmp(path, "-") == 0 || !gdv_figure_format_from_path(path, &fmt))
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0, "cannot tell the format (use .png, .svg, "
                         ".pdf or .html)");
  char software[64], prefix[96];
  snprintf(software, sizeof software, "gradviz %s", PACKAGE_VERSION);
  gdv_svg_prefix_from_path(path, prefix, sizeof prefix);
  gdv_render_meta meta = {.dpi = dpi, .software = software, .source = in->text.data,
                          .id_prefix = prefix, .graph = in->graph, .name = name};
  gdv_outfile out;
  gdv_status s = gdv_outfile_open(&out, path, err);
  if (s) return s;
  s = gdv_worksheet_write(w, in->graph, key, fmt, &meta, st, page, out.f, err);
  if (s) {
    gdv_outfile_abort(&out);
    if (err->file[0] == '\0') snprintf(err->file, sizeof err->file, "%s", path);
    return s;
  }
  return gdv_outfile_commit(&out, err);
}

/* The layout dump of the sheet or the key. */
static gdv_status dump_one(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                           const char *path, gdv_error *err) {
  gdv_outfile out;
  gdv_status r = gdv_outfile_open(&out, path, err);
  if (r) return r;
  r = gdv_render_dump_layout(s, st, g, out.f, err);
  if (r) {
    gdv_outfile_abort(&out);
    return r;
  }
  return gdv_outfile_commit(&out, err);
}

/* One sheet and its key. */
static int one_sheet(const ws_opts *o, int argc, char **argv) {
  if (o->n_out == 0 && o->n_key == 0 && !o->dump && !o->dump_key)
    return gdv_cli_usage("worksheet", "needs -o SHEET (and --key KEY), or --variants/--class "
                         "with -o DIR");
  gdv_input in;
  int status = gdv_cli_load_graph("worksheet", argc, argv, o->output, &in);
  if (status) return status;
  gdv_forward(in.graph);
  gdv_backward(in.graph);
  gdv_style style;
  gdv_worksheet_options wo;
  gdv_worksheet_checking page;
  double dpi;
  uint8_t *masks[3] = {NULL, NULL, NULL};
  char name[96], salt[40];
  status = ws_settings(o, &in, &style, &wo, &page, &dpi, masks);
  base_name(in.display_path, name, sizeof name);
  wo.name = name;
  snprintf(salt, sizeof salt, "%016llx",
           (unsigned long long)gdv_hash(gdv_hash(GDV_HASH_START, in.text.data, in.text.size),
                                        &wo.variant, sizeof wo.variant));
  page.salt = salt;
  gdv_error err;
  gdv_error_clear(&err);
  gdv_worksheet w;
  memset(&w, 0, sizeof w);
  gdv_status st = GDV_OK;
  if (status < 0) {
    gdv_cli_progress_start("drawing", o->n_out ? o->out[0] : o->n_key ? o->key[0] : "worksheet");
    st = gdv_worksheet_make(in.graph, &wo, &w, &err);
    if (st && err.file[0] == '\0') snprintf(err.file, sizeof err.file, "%s", in.display_path);
    gdv_cli_install_signals();
    gdv_render_keep_text(1);
    for (size_t i = 0; st == GDV_OK && i < o->n_out; i++)
      st = write_one(&w, &in, 0, o->out[i], &style, &page, dpi, name, &err);
    for (size_t i = 0; st == GDV_OK && i < o->n_key; i++)
      st = write_one(&w, &in, 1, o->key[i], &style, &page, dpi, name, &err);
    gdv_render_keep_text(0);
    if (st == GDV_OK && o->dump) st = dump_one(w.sheet, &style, NULL, o->dump, &err);
    if (st == GDV_OK && o->dump_key) st = dump_one(w.key, &style, in.graph, o->dump_key, &err);
    status = st ? gdv_cli_report(&err) : 0;
  }
  gdv_worksheet_free(&w);
  for (int k = 0; k < 3; k++) free(masks[k]);
  gdv_input_free(&in);
  return status;
}

/* ---- a class ---- */

/* The options every student's child gets, as given here. */
static size_t child_args(const ws_opts *o, const char **args) {
  static const struct { const char *flag; size_t offset; } pass[] = {
    {"--given", offsetof(ws_opts, given)}, {"--blank", offsetof(ws_opts, blank)},
    {"--ask", offsetof(ws_opts, ask)}, {"--style", offsetof(ws_opts, style)},
    {"--page", offsetof(ws_opts, page)}, {"--precision", offsetof(ws_opts, precision)},
    {"--dpi", offsetof(ws_opts, dpi)}, {"--rankdir", offsetof(ws_opts, rankdir)},
    {"--legend", offsetof(ws_opts, legend)}, {"--rtol", offsetof(ws_opts, rtol)},
    {"--atol", offsetof(ws_opts, atol)}, {"--output", offsetof(ws_opts, output)}};
  size_t k = 0;
  for (size_t i = 0; i < sizeof pass / sizeof *pass; i++) {
    const char *v = *(const char *const *)((const char *)o + pass[i].offset);
    if (v) {
      args[k++] = pass[i].flag;
      args[k++] = v;
    }
  }
  args[k] = NULL;
  return k;
}

/* "A-B" (or one number) into the students' variants. */
static int parse_range(const char *text, size_t *a, size_t *b) {
  const char *dash = strchr(text, '-');
  char first[32];
  size_t n = dash ? (size_t)(dash - text) : strlen(text);
  if (n == 0 || n >= sizeof first) return 0;
  memcpy(first, text, n);
  first[n] = '\0';
  if (!gdv_cli_size_in("worksheet", "--variants", first, 1, GDV_VARIANT_MAX, a)) return -1;
  *b = *a;
  if (dash && !gdv_cli_size_in("worksheet", "--variants", dash + 1, 1, GDV_VARIANT_MAX, b))
    return -1;
  return *b >= *a;
}

/* A file name from an id: letters, digits, '-' and '_' kept, others '_'. */
static char *safe_stem(const char *id) {
  char *s = strdup(*id ? id : "_");
  for (char *p = s; s && *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '-' || *p == '_'))
      *p = '_';
  return s;
}

/* Adds a student: the graph, the stem, and --variant K --student TEXT. */
static int add_student(gdv_batch_list *l, const char *input, const char *stem, uint64_t k,
                       const char *student) {
  if (!gdv_grow((void **)&l->items, &l->cap, l->n, sizeof *l->items)) return 0;
  size_t li = strlen(input) + 1, ls = strlen(stem) + 1;
  char *block = malloc(li + ls);
  char **args = calloc(5, sizeof *args);
  if (block == NULL || args == NULL) {
    free(block);
    free(args);
    return 0;
  }
  memcpy(block, input, li);
  memcpy(block + li, stem, ls);
  args[0] = strdup("--variant");
  if (asprintf(&args[1], "%llu", (unsigned long long)k) < 0) args[1] = NULL;
  args[2] = strdup("--student");
  args[3] = strdup(student);
  l->items[l->n++] = (gdv_batch_item){block, block + li, 0, args};
  return args[0] && args[1] && args[2] && args[3];
}

/* DIR/class.csv: who gets which variant and files, for grading. */
static gdv_status write_class(const char *dir, const gdv_batch_list *l, const gdv_roster *r,
                              const char *sheet_fmt, gdv_error *err) {
  char *path = NULL;
  if (asprintf(&path, "%s/class.csv", dir) < 0)
    return gdv_error_oom(err);
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, path, err);
  free(path);
  if (st) return st;
  fprintf(out.f, "id,name,variant,sheet,key\n");
  for (size_t i = 0; i < l->n; i++) {
    const gdv_batch_item *it = &l->items[i];
    const char *id = r ? r->e[i].id : it->stem, *name = r && r->e[i].name ? r->e[i].name : "";
    fprintf(out.f, "\"");
    for (const char *p = id; *p; p++) fprintf(out.f, *p == '"' ? "\"\"" : "%c", *p);
    fprintf(out.f, "\",\"");
    for (const char *p = name; *p; p++) fprintf(out.f, *p == '"' ? "\"\"" : "%c", *p);
    fprintf(out.f, "\",%s,%s.%s,%s.key.%s\n", it->args[1], it->stem, sheet_fmt, it->stem,
            sheet_fmt);
  }
  return gdv_outfile_commit(&out, err);
}

/* The students of --variants or --class. */
static int class_list(const ws_opts *o, const char *input, gdv_batch_list *l, gdv_roster *r) {
  gdv_error err;
  gdv_error_clear(&err);
  int ok = 1;
  if (o->roster) {
    if (gdv_roster_load(o->roster, r, &err)) return gdv_cli_report(&err);
    for (size_t i = 0; ok && i < r->n; i++) {
      char *stem = safe_stem(r->e[i].id), *who = NULL;
      for (size_t j = 0; stem && j < i; j++)
        if (strcmp(l->items[j].stem, stem) == 0) {
          free(stem);
          gdv_error_set(&err, GDV_ERR_INPUT, o->roster, r->e[i].line, "id '%s' makes the same "
                        "file name as line %ld's", r->e[i].id, r->e[j].line);
          return gdv_cli_report(&err);
        }
      if (r->e[i].name ? asprintf(&who, "%s (%s)", r->e[i].name, r->e[i].id) < 0
                       : (who = strdup(r->e[i].id)) == NULL)
        who = NULL;
      ok = stem && who && add_student(l, input, stem, r->e[i].variant, who);
      free(stem);
      free(who);
    }
  } else {
    size_t a, b;
    int range = parse_range(o->variants, &a, &b);
    if (range < 0) return GDV_ERR_INPUT;
    if (range == 0) return gdv_cli_usage("worksheet", "--variants '%s' is not A-B (such as 1-30)",
                                         o->variants);
    int digits = snprintf(NULL, 0, "%zu", b);
    for (size_t k = a; ok && k <= b; k++) {
      char stem[64], who[64];
      snprintf(stem, sizeof stem, "student-%0*zu", digits, k);
      snprintf(who, sizeof who, "student %zu", k);
      ok = add_student(l, input, stem, k, who);
    }
  }
  if (!ok) {
    fprintf(stderr, "gradviz: worksheet: out of memory\n");
    return GDV_ERR_SYSTEM;
  }
  return -1;
}

/* Splits --formats into the batch's formats: each sheet format F and its
 * key, key.F, drawn by one child (`-o` and `--key`). */
static int class_formats(const ws_opts *o, const char **formats, const char **flags, size_t *n,
                         char *store, size_t store_size) {
  static const char *const known[] = {"pdf", "png", "svg", "html"};
  char *copy = strdup(o->formats ? o->formats : "pdf"), *save = NULL;
  size_t used = 0;
  *n = 0;
  if (copy == NULL) return GDV_ERR_SYSTEM;
  for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
    int k = gdv_name_index(known, 4, w);
    if (k < 0) {
      free(copy);
      return gdv_cli_usage("worksheet", "unknown format '%s' in --formats (pdf, png, svg, html)", w);
    }
    int dup = 0;
    for (size_t i = 0; i < *n; i++) dup |= formats[i] == known[k];
    if (dup || *n + 2 > 8) continue;
    formats[*n] = known[k];
    flags[(*n)++] = "-o";
    char *key = store + used;
    used += (size_t)snprintf(key, store_size - used, "key.%s", known[k]) + 1;
    formats[*n] = key;
    flags[(*n)++] = "--key";
  }
  free(copy);
  return *n ? -1 : gdv_cli_usage("worksheet", "--formats needs at least one format");
}

/* A sheet and a key per student into DIR, as batch draws figures. */
static int class_sheets(const ws_opts *o, int argc, char **argv) {
  if (o->n_out != 1 || o->n_key || o->dump || o->dump_key || o->student)
    return gdv_cli_usage("worksheet", "--variants and --class write into one folder: -o DIR "
                         "(no --key, --student or --dump-layout)");
  if (optind != argc - 1)
    return gdv_cli_usage("worksheet", optind >= argc ? "needs a GRAPH file" : "takes one GRAPH file");
  if (gdv_cli_variant())
    return gdv_cli_usage("worksheet", "--variant is one student's; --variants and --class "
                         "give every student theirs");
  const char *dir = o->out[0], *input = argv[optind];
  size_t jobs = 0;
  double time_limit = 60;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (o->jobs && !gdv_cli_size_in("worksheet", "--jobs", o->jobs, 1, SIZE_MAX, &jobs))
    return GDV_ERR_INPUT;
  if (o->time_limit &&
      !gdv_cli_double_in("worksheet", "--time-limit", o->time_limit, 0, 0, 1e6, &time_limit))
    return GDV_ERR_INPUT;
  const char *formats[8], *flags[8];
  char store[64];
  size_t n_formats;
  int status = class_formats(o, formats, flags, &n_formats, store, sizeof store);
  if (status >= 0) return status;
  gdv_batch_list l;
  gdv_roster r;
  memset(&l, 0, sizeof l);
  memset(&r, 0, sizeof r);
  status = class_list(o, input, &l, &r);
  const char *args[32];
  child_args(o, args);
  char *settings[8] = {NULL}, **want = NULL;
  unsigned char *todo = NULL;
  gdv_error err;
  gdv_error_clear(&err);
  if (status < 0) {
    /* the settings every figure is drawn with, for the manifest */
    gdv_status st = GDV_OK;
    for (size_t f = 0; st == GDV_OK && f < n_formats; f++) {
      char *all = NULL;
      size_t len = strlen("worksheet") + 1;
      for (size_t i = 0; args[i]; i++) len += 2 * strlen(args[i]) + 1;
      if ((all = malloc(len + strlen(formats[f]) + 2)) == NULL) {
        st = gdv_error_oom(&err);
        break;
      }
      size_t k = (size_t)sprintf(all, "worksheet %s", formats[f]);
      for (size_t i = 0; args[i]; i++) {
        all[k++] = ' ';
        k += gdv_batch_escape(all + k, args[i]);
      }
      settings[f] = all;
    }
    if (st == GDV_OK && (todo = calloc(l.n * n_formats + 1, 1)) == NULL)
      st = gdv_error_oom(&err);
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/x", dir);
    if (st == GDV_OK) st = gdv_make_parent_dirs(probe, &err);
    if (st == GDV_OK)
      st = gdv_batch_want(&l, (const char *const *)settings, n_formats, o->style, &want, &err);
    if (st == GDV_OK)
      st = gdv_batch_manifest_begin(dir, &l, formats, n_formats, want, o->force, 0, todo, &err);
    if (st == GDV_OK) st = write_class(dir, &l, o->roster ? &r : NULL, formats[0], &err);
    if (st) {
      status = gdv_cli_report(&err);
    } else {
      gdv_batch_plan p = {.command = "worksheet", .out_flags = flags, .dir = dir,
                          .formats = formats, .n_formats = n_formats, .render_args = args,
                          .jobs = jobs ? jobs : cpus > 0 ? (size_t)cpus : 1, .list = &l,
                          .todo = todo, .want = want, .time_limit = time_limit};
      status = gdv_cli_batch_execute("worksheet", &p, "student");
    }
  }
  for (size_t f = 0; f < n_formats; f++) free(settings[f]);
  gdv_batch_want_free(want, l.n * n_formats);
  free(todo);
  gdv_batch_list_free(&l);
  gdv_roster_free(&r);
  return status;
}

int gdv_cmd_worksheet(int argc, char **argv) {
  ws_opts o;
  memset(&o, 0, sizeof o);
  int status;
  if (gdv_cli_parse(&ws_spec, argc, argv, ws_option, &o, &status)) return status;
  if (o.variants && o.roster)
    return gdv_cli_usage("worksheet", "--variants or --class, not both");
  if (o.variants || o.roster) return class_sheets(&o, argc, argv);
  if (o.formats || o.jobs || o.force || o.time_limit)
    return gdv_cli_usage("worksheet", "--formats, -j, --force and --time-limit are for "
                         "--variants and --class");
  if (optind < argc) gdv_cli_catch_crashes(strcmp(argv[optind], "-") ? argv[optind] : "<stdin>");
  return one_sheet(&o, argc, argv);
}
