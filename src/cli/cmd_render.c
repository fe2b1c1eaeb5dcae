/* cmd_render.c: `gradviz render`: the annotated figure of a graph. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "io/gdv_io.h"
#include "batch/gdv_batch.h"
#include "teach/gdv_teach.h"
#include "render/gdv_render.h"

static const char render_help[] =
  "Usage: gradviz render GRAPH -o OUT.{png,svg,pdf,dot,html,gif,tex} [options]\n\n"
  "Evaluates GRAPH forward and backward and draws it: every node with its\n"
  "op, value (forward, blue) and dC/dnode (backward, orange); every edge u->v\n"
  "with its local derivative dv/du and the gradient flowing back along it;\n"
  "a node used more than once with dC/dnode as the sum of its out-edges'\n"
  "gradients. Edge width and colour grow with |gradient| (log scale); nodes\n"
  "that do not reach C are grey. On a page, a planner chooses the figure\n"
  "(below); Cairo draws it.\n"
  "More than 8 parallel edges u->v with the same numbers (x*x*...*x) are\n"
  "drawn as one edge marked with their count (\xC3\x97" "4000), their sum as\n"
  "4000 \xC3\x97 t. A PNG too large for its limit is refused before layout, and\n"
  "so is a figure whose text would be under 1 px per em on its page.\n\n"
  "  -o OUT            output file; '-' is standard output (needs --format);\n"
  "                    several -o draw one layout into each (format by suffix)\n"
  "  --format F        png, svg, pdf, dot (annotated DOT), html (a page to step\n"
  "                    through and inspect), gif (the steps animated, for any\n"
  "                    slide tool) or tex (a TikZ picture: \\usepackage{tikz},\n"
  "                    then \\input it; with --steps-by, Beamer overlays);\n"
  "                    default: OUT's suffix\n"
  "  --style S         default, print, dark, cs231n or a FILE.style (see below)\n"
  "  --show LIST       what to draw: values,grads,locals,edge-grads,sums,legend,...\n"
  "  --precision N     significant digits of the numbers, 1 to 17 (default 4)\n"
  "  --dpi N           PNG resolution, 10 to 2400 (default 144)\n"
  "  --page P          slide (16:9, the default), beamer (4:3, 128x96 mm),\n"
  "                    beamer169 (160x90 mm), a4, letter, WxH with px, pt, mm,\n"
  "                    cm or in, or none (the figure's own size)\n"
  "  --text-size PT    aim for node and edge text of PT points on the page\n"
  "                    (default: 18 px/em on a 1920x1080 slide, 9 pt there)\n"
  "  --highlight NODE  mark the paths NODE->C, list each path's chain-rule product\n"
  "  --output NODE     differentiate NODE instead of the graph's output\n"
  "  --expand GROUPS   groups drawn in full: all, none, or a comma list of\n"
  "                    names; the others are drawn as one node each (default\n"
  "                    on a page: the most detail that stays legible)\n"
  "  --layout L        auto (layers up to 2000 nodes, then columns), layers\n"
  "                    (ours: each edge's label just before its arrowhead),\n"
  "                    dot (Graphviz) or columns; a graph with an edge across\n"
  "                    over 480 of dot's ranks, where Graphviz 2.42 crashes,\n"
  "                    takes auto's instead of dot\n"
  "  --rankdir D       LR, TB or auto (the direction that draws the text\n"
  "                    largest on the page); default: the graph's, else LR\n"
  "  --legend P        the key: bottom (default; on a page, the graph's empty\n"
  "                    corner when that draws it larger), side (a column at\n"
  "                    the right) or none; it names only what the figure shows\n"
  "  --dump-layout F   also write every drawn element as JSON (for tests);\n"
  "                    with --steps, every frame's: {\"frames\": [...]}\n"
  "  --steps DIR       slide frames of both passes: DIR/frame-NNN.png, frames.pdf\n"
  "  --steps-by B      node (default), statement or layer: what one frame of\n"
  "                    --steps, one step of the HTML page, of a GIF and of a\n"
  "                    TikZ picture's overlays adds\n"
  "  --frame-ms MS     a GIF's time per step, 20 to 60000 (default 1200); the\n"
  "                    last step is held four times as long\n"
  "  --id-prefix P     SVG: every id starts with P (default: OUT's base name and\n"
  "                    a hash of the figure, e.g. neuron-dfeb7d53-), so figures\n"
  "                    inlined in one page differ\n"
  "  --variant K       student K's numbers: other input and parameter values,\n"
  "                    few digits each, the graph's lesson kept (see worksheet)\n"
  "  --input-format F  dot or expr: how GRAPH is read (default: by its suffix;\n"
  "                    - and other names by the first line, x = 2 a formula)\n"
  "  --time-limit S    past S seconds stop with one line and exit 3, writing\n"
  "                    nothing (default: no limit)\n"
  "  --max-label B     longest id or label, bytes or with K, M (default 4K)\n"
  "  --max-output B    largest output file (default 256M)\n"
  "  --no-follow-output-links\n"
  "                    refuse an output path that is a symbolic link\n"
  "  -h, --help        this text\n"
  "  --version         gradviz's version\n\n"
  "--show items: values, grads, locals, edge-grads, sums, legend, title, flow,\n"
  "ops, all, none. 'values,grads' draws only those; '-locals' or '+flow' edits\n"
  "the style's set. 'recorded' (not in all; it always adds) shows a graph's\n"
  "recorded gradients under the computed ones; a wrong one is marked anyway.\n"
  "--steps draws the figure itself, coloured as the forward pass and then the\n"
  "backward pass reach each part (same positions, same detail), a node, a\n"
  "statement or a layer a frame (--steps-by); SVG frames with --format svg;\n"
  "-o is then optional.\n"
  "Groups are a formula file's statements (h1 = tanh(w1*x1 + b1): its node and\n"
  "the nodes its expression made) and a DOT file's subgraph cluster_*. A\n"
  "collapsed group is one node showing its equation, the value and dC/d of\n"
  "its result; each node u feeding it gets one edge carrying d(result)/du\n"
  "through the group and the gradient through it, so fan-out sums still add\n"
  "up (a number written in the equation gets no node). A cluster with more\n"
  "than one result (nodes used outside it) stays expanded, with a note.\n"
  "The planner (on a page, unless --expand is given) tries levels of detail\n"
  "(groups of one shape collapsed together, so units of a layer look alike;\n"
  "a collapsed group lists its named nodes with value and dC/d), line\n"
  "widths layer by layer, values and gradients side by side, edge labels\n"
  "as bare numbers, left to right or top to bottom, and folds into rows. It\n"
  "keeps the figure that reads best on the page: text of 18 px per em or\n"
  "more on a 1920x1080 slide, no overlaps, no edge through a text, edges\n"
  "that can be followed; then fewer folds and crossings, more detail. When\n"
  "none reads it draws the best it found and says so on stderr (exit 0).\n"
  "--highlight (it lists paths through every node) and the annotated DOT\n"
  "draw every group in full; --highlight with an --expand that collapses\n"
  "a group is an error.\n"
  "Numbers use the minus sign U+2212 and read like 1.234\xC3\x97" "10\xE2\x81\xBB\xE2\x81\xB5 below 10^-4\n"
  "or from 10^6 on.\n\n"
  "Styles: NAME is NAME.style in $GRADVIZ_STYLE_PATH, then among the installed\n"
  "styles. The style file format (`key = value` lines: colours #RRGGBB,\n"
  "sizes in points) and every key are described in gradviz(1) and in\n"
  "  " GDV_PKGDATADIR "/styles/README\n\n"
  "A DOT graph may carry its own settings as graph attributes gradviz_style,\n"
  "gradviz_show, gradviz_expand, gradviz_precision, gradviz_dpi, gradviz_page\n"
  "(Graphviz's size=\"W,H\" is a page too) and gradviz_legend; options given\n"
  "here win over them. Its gradviz_style is a style NAME or a regular FILE\n"
  "beside the graph (a relative path without '..', reached through no symbolic\n"
  "link; its errors quote none of its text); --style takes any file.\n\n"
  "A PNG over GRADVIZ_MAX_PIXELS (default 100M, 100 megapixels) is refused\n"
  "before it is drawn; inputs over GRADVIZ_MAX_INPUT (default 1G) too.\n";

/* Outputs beyond the first -o come from their suffix (batch draws all the
 * formats of one graph from one layout this way); --format is for one. */
#define RENDER_MAX_OUTPUTS 5

/* What the options ask for. */
typedef struct render_opts {
  const char *out_path, *format, *style_name, *show;
  const char *more_out[RENDER_MAX_OUTPUTS - 1];  /* the second -o on */
  gdv_figure_format more_fmt[RENDER_MAX_OUTPUTS - 1];
  size_t n_more;
  const char *highlight, *output, *layout, *dump, *steps, *page, *legend, *expand;
  const char *rankdir, *id_prefix, *steps_by;
  gdv_steps_by by;
  gdv_legend_place legend_place;
  uint8_t *expand_mask;   /* from expand, for the scene options */
  size_t precision;
  double dpi;
  int dpi_given;
  double text_size;       /* --text-size: points on the page; 0: not asked */
  double frame_ms;        /* --frame-ms: a GIF's delay between steps */
  gdv_figure_format fmt;
  unsigned long long max_label, max_output;  /* bytes: --max-label, --max-output */
  int no_follow_links;                      /* --no-follow-output-links */
} render_opts;

/* Bounds no course graph comes near (its longest label is about a hundred
 * bytes, its figures a few megabytes); a file made to exhaust a server
 * (a 4 MiB label made a 134 MB page) stops at them. */
#define RENDER_MAX_LABEL (4ULL << 10)
#define RENDER_MAX_OUTPUT (256ULL << 20)

/* The interactive page: the figure, the frames --steps would draw with
 * these options, every node's numbers; a note when the steps were left
 * out (too many for a page). */
static gdv_status write_page(gdv_input *in, const gdv_scene *scene, const gdv_style *style,
                             const gdv_scene_options *sopt, const render_opts *ro,
                             const char *prefix, const char *name, FILE *f, gdv_error *err) {
  char software[64];
  snprintf(software, sizeof software, "gradviz %s", PACKAGE_VERSION);
  gdv_frames_options fo = {*sopt, style, GDV_FIGURE_SVG, ro->dpi, software, ro->legend_place,
                           NULL, NULL, scene, ro->by};
  int steps_left = 0;
  const char *title = scene->title ? scene->title : name;
  gdv_status st = gdv_html_page_graph(in->graph, scene, &fo, prefix, name, title, &steps_left,
                                      f, err);
  gdv_cli_progress_clear();
  if (st == GDV_OK && steps_left)
    fprintf(stderr, "gradviz: render: note: %s: the page has no steps: too many for "
            "one page (--steps draws them as files)\n", in->display_path);
  return st;
}

/* A GIF holds the last step this many times as long as the others. */
#define RENDER_LAST_HOLD 4

/* Whether a format's file holds the steps: a GIF always (a still figure
 * is a PNG), a TikZ picture when steps are asked (--steps-by, --steps). */
static int animated(const render_opts *ro, gdv_figure_format fmt) {
  return fmt == GDV_FIGURE_GIF || (fmt == GDV_FIGURE_TEX && (ro->steps_by || ro->steps));
}

/* The frames --steps would draw with these options as one file: an
 * animated GIF (the last step held longer) or a TikZ picture of Beamer
 * overlays. */
static gdv_status write_animation(gdv_input *in, const gdv_scene *scene, const gdv_style *style,
                                  const gdv_scene_options *sopt, const render_opts *ro,
                                  gdv_figure_format fmt, const char *name, FILE *f,
                                  gdv_error *err) {
  char software[64];
  snprintf(software, sizeof software, "gradviz %s", PACKAGE_VERSION);
  gdv_frames_options fo = {*sopt, style, GDV_FIGURE_PNG, ro->dpi, software, ro->legend_place,
                           NULL, NULL, scene, ro->by};
  gdv_render_meta meta = {.dpi = ro->dpi, .software = software, .graph = in->graph, .name = name};
  int ms = (int)ro->frame_ms;
  gdv_anim *a;
  size_t n = 0;
  gdv_status st = gdv_anim_new(fmt, style, &meta, ms, RENDER_LAST_HOLD * ms, f, &a, err);
  if (st == GDV_OK) st = gdv_frames_write_anim(in->graph, &fo, a, &n, err);
  gdv_anim_free(a);
  gdv_cli_progress_clear();
  return st;
}

/* Writes the figure (or DOT) whole or not at all. */
static gdv_status write_output(const char *path, gdv_figure_format fmt, gdv_input *in,
                               const gdv_scene *scene, const gdv_style *style,
                               const gdv_scene_options *sopt, const render_opts *ro,
                               gdv_error *err) {
  char *a = realpath(in->path, NULL), *b = strcmp(path, "-") ? realpath(path, NULL) : NULL;
  int same = a && b && strcmp(a, b) == 0;
  free(a);
  free(b);
  if (same)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0, "is the input file: refusing to overwrite it");
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, path, err);
  if (st) return st;
  /* SVG ids from --id-prefix, else the output's name (the input's for
   * standard output); its <title> names the input */
  char prefix[96], name[96];
  if (ro->id_prefix) gdv_svg_prefix(ro->id_prefix, prefix, sizeof prefix);
  else gdv_svg_prefix_from_path(strcmp(path, "-") ? path : in->display_path, prefix,
                                sizeof prefix);
  const char *slash = strrchr(in->display_path, '/');
  snprintf(name, sizeof name, "%s", slash ? slash + 1 : in->display_path);
  char *dot = strrchr(name, '.');
  if (dot && dot != name) *dot = '\0';
  /* an SVG's default ids: the name, then a hash of what it draws */
  if (!ro->id_prefix && fmt == GDV_FIGURE_SVG) {
    char base[96];
    snprintf(base, sizeof base, "%s", prefix);
    gdv_svg_options so = {base, in->graph, name, 0};
    st = gdv_svg_content_prefix(scene, style, &so, prefix, sizeof prefix, err);
    if (st) {
      gdv_outfile_abort(&out);
      return st;
    }
  }
  if (fmt == GDV_FIGURE_DOT) {
    st = gdv_render_write_dot(in->graph, in->is_dot ? in->graph_attrs : NULL, sopt, out.f, err);
  } else if (fmt == GDV_FIGURE_HTML) {
    st = write_page(in, scene, style, sopt, ro, prefix, name, out.f, err);
  } else if (animated(ro, fmt)) {
    st = write_animation(in, scene, style, sopt, ro, fmt, name, out.f, err);
  } else {
    char software[64];
    snprintf(software, sizeof software, "gradviz %s", PACKAGE_VERSION);
    gdv_render_meta meta = {.dpi = ro->dpi, .software = software, .source = in->text.data,
                            .id_prefix = prefix, .graph = in->graph, .name = name};
    st = gdv_render_write(scene, style, fmt, &meta, out.f, err);
  }
  if (st) {
    gdv_outfile_abort(&out);
    if (err->file[0] == '\0') snprintf(err->file, sizeof err->file, "%s", path);
    return st;
  }
  return gdv_outfile_commit(&out, err);
}

/* --precision and --dpi: numbers with a range. */
static int render_number_option(int opt, const char *value, render_opts *o) {
  if (opt == 'p')
    return gdv_cli_size_in("render", "--precision", value, GDV_PRECISION_MIN, GDV_PRECISION_MAX,
                           &o->precision) ? 0 : GDV_ERR_INPUT;
  o->dpi_given = 1;
  return gdv_cli_double_in("render", "--dpi", value, GDV_DPI_MIN, 0, GDV_DPI_MAX, &o->dpi)
             ? 0 : GDV_ERR_INPUT;
}

/* --max-label and --max-output: bytes, or a number with K, M or G. */
static int render_bytes_option(const char *name, const char *value, unsigned long long *out) {
  if (!gdv_parse_size(value, 1024, out))
    return gdv_cli_usage("render", "%s '%s' is not a size (bytes, or a number with K, M or "
                         "G, such as 64M)", name, value);
  return 0;
}

/* One option of render; --help and --version are gdv_cli_parse's. */
static int render_option(int opt, const char *value, void *ctx) {
  render_opts *o = ctx;
  switch (opt) {
  case GDV_CLI_TIME_LIMIT: return gdv_cli_time_limit_option("render", value);
  case 'M': return render_bytes_option("--max-label", value, &o->max_label);
  case 'Y': return render_bytes_option("--max-output", value, &o->max_output);
  case 'N': o->no_follow_links = 1; return 0;
  case 'o':
    if (o->out_path == NULL) o->out_path = value;
    else if (o->n_more < RENDER_MAX_OUTPUTS - 1) o->more_out[o->n_more++] = value;
    else return gdv_cli_usage("render", "at most %d -o", RENDER_MAX_OUTPUTS);
    return 0;
  case 'f': o->format = value; return 0;
  case 's': o->style_name = value; return 0;
  case 'S': o->show = value; return 0;
  case 'p': case 'd': return render_number_option(opt, value, o);
  case 'H': o->highlight = value; return 0;
  case 'O': o->output = value; return 0;
  case 'L': o->layout = value; return 0;
  case 'D': o->dump = value; return 0;
  case 'T': o->steps = value; return 0;
  case 'P': o->page = value; return 0;
  case 'G': o->legend = value; return 0;
  case 'X': o->expand = value; return 0;
  case 'R': o->rankdir = value; return 0;
  case 'I': o->id_prefix = value; return 0;
  case 'B': o->steps_by = value; return 0;
  case 'F':
    return gdv_cli_double_in("render", "--frame-ms", value, 20, 0, 60000, &o->frame_ms) ? 0
                                                                                      : GDV_ERR_INPUT;
  case 'z':
    return gdv_cli_double_in("render", "--text-size", value, 2, 0, 144, &o->text_size) ? 0
                                                                                    : GDV_ERR_INPUT;
  }
  return GDV_ERR_INPUT;
}

static const gdv_cli_spec render_spec = {"render", render_help, "o:",
    "format=f style=s show=S precision=p dpi=d highlight=H "
    "output=O layout=L dump-layout=D steps=T page=P legend=G expand=X rankdir=R id-prefix=I "
    "steps-by=B text-size=z frame-ms=F max-label=M max-output=Y no-follow-output-links:N"
    GDV_CLI_TIME_LIMIT_OPTION, 0, NULL,
    NULL};

/* The options; returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, render_opts *o) {
  int status;
  return gdv_cli_parse(&render_spec, argc, argv, render_option, o, &status) ? status : -1;
}

/* The operands, the layout, and the format from --format or the -o suffix
 * ("-o -" needs --format); returns -1 to go on, else the exit status. */
static int check_usage(int argc, render_opts *ro, gdv_figure_format *fmt) {
  if (optind != argc - 1)
    return gdv_cli_usage("render", optind >= argc ? "needs a GRAPH file" : "takes one GRAPH file");
  if (ro->out_path == NULL && ro->steps == NULL) return gdv_cli_usage("render", "needs -o OUT");
  /* "-" would be a folder named '-', not standard output: frames are many files */
  if (ro->steps && strcmp(ro->steps, "-") == 0)
    return gdv_cli_usage("render", "--steps needs a folder, not -");
  if (ro->steps_by && !gdv_steps_by_lookup(ro->steps_by, &ro->by))
    return gdv_cli_usage("render", "unknown --steps-by '%s' (node, statement or layer)",
                         ro->steps_by);
  const char *layout = ro->layout;
  if (strcmp(layout, "auto") && strcmp(layout, "dot") && strcmp(layout, "columns") && strcmp(layout, "layers"))
    return gdv_cli_usage("render", "unknown layout '%s' (auto, layers, dot or columns)", layout);
  if (ro->rankdir && strcmp(ro->rankdir, "LR") && strcmp(ro->rankdir, "TB") &&
      strcmp(ro->rankdir, "auto"))
    return gdv_cli_usage("render", "unknown rankdir '%s' (LR, TB or auto)", ro->rankdir);
  if (ro->legend && !gdv_legend_place_lookup(ro->legend, &ro->legend_place))
    return gdv_cli_usage("render", "unknown legend place '%s' (bottom, side or none)", ro->legend);
  *fmt = GDV_FIGURE_PNG;
  if (ro->n_more && (ro->format || ro->steps))
    return gdv_cli_usage("render", "several -o take their format from their suffix, "
                         "without --format or --steps");
  for (size_t i = 0; i < ro->n_more; i++)
    if (strcmp(ro->more_out[i], "-") == 0 ||
        !gdv_figure_format_from_path(ro->more_out[i], &ro->more_fmt[i]))
      return gdv_cli_usage("render", "cannot tell the format of '%s' (use .png, .svg, .pdf, "
                           ".dot, .html, .gif or .tex)", ro->more_out[i]);
  if (ro->format) {
    if (!gdv_figure_format_lookup(ro->format, fmt))
      return gdv_cli_usage("render", "unknown format '%s' (png, svg, pdf, dot, html, gif or tex)", ro->format);
  } else if (ro->out_path == NULL) {
    /* --steps alone: PNG frames */
  } else if (strcmp(ro->out_path, "-") == 0) {
    return gdv_cli_usage("render", "-o - needs --format (png, svg, pdf, dot, html, gif or tex)");
  } else if (!gdv_figure_format_from_path(ro->out_path, fmt)) {
    return gdv_cli_usage("render", "cannot tell the format of '%s' (use .png, .svg, .pdf, "
                         ".dot, .html, .gif, .tex or --format)", ro->out_path);
  }
  return -1;
}

/* --page, else the graph's gradviz_page, else its Graphviz size, else a
 * slide: the default figure is one a teacher puts on a slide unedited. */
static gdv_status page_named_setting(const render_opts *ro, const gdv_graph_settings *gs,
                                     const gdv_input *in, gdv_scene_options *sopt,
                                     gdv_error *err) {
  if (ro->page) {
    gdv_status st = gdv_page_parse(ro->page, ro->dpi, &sopt->page, err);
    if (st) gdv_cli_flag_error(err, "--page: ", "");
    return st;
  }
  if (gs->page) {
    gdv_status st = gdv_page_parse(gs->page, ro->dpi, &sopt->page, err);
    if (st) {
      gdv_cli_flag_error(err, "gradviz_page: ", "");
      snprintf(err->file, sizeof err->file, "%s", in->display_path);
    }
    return st;
  }
  if (gs->size && gdv_page_from_graphviz_size(gs->size, &sopt->page)) return GDV_OK;
  return gdv_page_parse("slide", ro->dpi, &sopt->page, err);
}

/* The page, and with --text-size the planner's threshold of legible text
 * on it (the measures' px per em: 11 pt on beamer169 is 46.6). */
static gdv_status page_setting(const render_opts *ro, const gdv_graph_settings *gs,
                               const gdv_input *in, gdv_scene_options *sopt, gdv_error *err) {
  gdv_status st = page_named_setting(ro, gs, in, sopt, err);
  if (st || ro->text_size <= 0) return st;
  if (!(sopt->page.width > 0))
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "--text-size needs a page: with --page "
                         "none the text has the style's size");
  sopt->page.legible_px = gdv_page_px_per_em(&sopt->page, ro->text_size);
  return GDV_OK;
}

/* Notes on stderr the groups --expand would collapse that stay whole:
 * several of their nodes are used outside them. */
static void note_whole_groups(const gdv_graph *g, const uint8_t *mask, gdv_error *err) {
  gdv_groups gr;
  if (gdv_groups_analyse(g, &gr, err)) return;
  for (size_t k = 0; k < gr.n; k++) {
    if (mask[k] || gr.exit[k] != GDV_NONE || gr.exit2[2 * k] == GDV_NONE) continue;
    char *name = gdv_cli_escape(g->group_name[k]);
    char *a = gdv_cli_escape(g->name[gr.exit2[2 * k]]), *b = gdv_cli_escape(g->name[gr.exit2[2 * k + 1]]);
    gdv_cli_progress_clear();
    fprintf(stderr, "gradviz: render: note: group '%s' is drawn in full: more than one of "
            "its nodes is used outside it or is a result (%s, %s)\n", name ? name : "?", a ? a : "?", b ? b : "?");
    free(name); free(a); free(b);
  }
  gdv_groups_free(&gr);
}

/* --expand (or gradviz_expand) as the scene's per-group mask; returns -1
 * to go on, else the exit status after printing why. */
static int expand_groups(render_opts *ro, gdv_input *in, gdv_scene_options *sopt,
                         gdv_error *err) {
  if (ro->expand == NULL) return -1;
  gdv_status st = gdv_expand_parse(in->graph, ro->expand, &ro->expand_mask, err);
  if (st == GDV_ERR_INPUT) {
    gdv_cli_flag_error(err, "--expand: ", "");
    snprintf(err->file, sizeof err->file, "%s", in->display_path);
  }
  if (st) return gdv_cli_report(err);
  sopt->expand = ro->expand_mask;
  sopt->expand_given = 1;
  if (ro->expand_mask) note_whole_groups(in->graph, ro->expand_mask, err);
  return -1;
}

/* Settings the graph file carries (gradviz_style, ...) where no option
 * gave them, then the style and what to show; returns -1 to go on, else
 * the exit status after printing why. */
static int settings(render_opts *ro, gdv_input *in, gdv_style *style,
                    gdv_scene_options *sopt, gdv_error *err) {
  gdv_graph_settings gs;
  if (gdv_graph_settings_get(in, &gs, err)) return gdv_cli_report(err);
  /* a style file the graph names is read as the graph's, not the user's */
  const char *beside = !ro->style_name && gs.style == gs.style_path
                           ? gdv_input_graph_attr(in, "gradviz_style") : NULL;
  if (!ro->style_name) ro->style_name = gs.style;
  if (!ro->show) ro->show = gs.show;
  if (!ro->expand) ro->expand = gs.expand;
  if (!ro->precision && gs.precision) ro->precision = strtoul(gs.precision, NULL, 10);
  if (!ro->dpi_given && gs.dpi) ro->dpi = strtod(gs.dpi, NULL);
  if (!ro->legend && gs.legend) gdv_legend_place_lookup(gs.legend, &ro->legend_place);
  if (beside) {
    if (gdv_style_load_beside(in->path, beside, style, err)) return gdv_cli_report(err);
  } else if (ro->style_name) {
    gdv_status st = gdv_style_load(ro->style_name, style, err);
    /* a name that is no style file names no file: the option is to blame */
    if (st == GDV_ERR_INPUT && err->file[0] == '\0') gdv_cli_flag_error(err, "--style: ", "");
    if (st) return gdv_cli_report(err);
    gdv_cli_font_warning("render", style);
  } else {
    gdv_style_default(style);
  }
  gdv_scene_options_default(sopt);
  if (page_setting(ro, &gs, in, sopt, err)) return gdv_cli_report(err);
  if (ro->rankdir)
    sopt->rankdir = strcmp(ro->rankdir, "LR") == 0   ? GDV_RANKDIR_LR
                    : strcmp(ro->rankdir, "TB") == 0 ? GDV_RANKDIR_TB
                                                     : GDV_RANKDIR_AUTO;
  sopt->show = style->show;
  sopt->precision = ro->precision ? (int)ro->precision : style->precision;
  sopt->highlight = ro->highlight;
  if (ro->show && gdv_show_parse(ro->show, &sopt->show, err))
    return gdv_cli_usage("render", "--show: %s", err->message);
  return expand_groups(ro, in, sopt, err);
}

/* --steps DIR: the frames of the forward and backward pass (src/teach);
 * --dump-layout F then dumps every frame, whole or not at all. */
static gdv_status render_steps(const render_opts *ro, gdv_input *in, const gdv_style *style,
                               const gdv_scene_options *sopt, const gdv_scene *figure,
                               gdv_error *err) {
  char software[64];
  snprintf(software, sizeof software, "gradviz %s", PACKAGE_VERSION);
  /* beside a GIF or TikZ file (which hold the steps themselves) the
   * frames are PNG */
  gdv_figure_format ff = ro->fmt == GDV_FIGURE_GIF || ro->fmt == GDV_FIGURE_TEX ? GDV_FIGURE_PNG
                                                                               : ro->fmt;
  gdv_frames_options fo = {*sopt, style, ff, ro->dpi, software, ro->legend_place, NULL,
                           ro->id_prefix, figure, ro->by};
  size_t n = 0;
  if (ro->fmt == GDV_FIGURE_DOT || ro->fmt == GDV_FIGURE_HTML)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "--steps draws png, svg or pdf, not %s",
                         ro->fmt == GDV_FIGURE_DOT ? "dot" : "html (a page holds its steps)");
  gdv_outfile df;
  gdv_status st = ro->dump ? gdv_outfile_open(&df, ro->dump, err) : GDV_OK;
  if (st) return st;
  fo.dump = ro->dump ? df.f : NULL;
  gdv_cli_install_signals();
  st = gdv_frames_write(in->graph, &fo, ro->steps, &n, err);
  if (ro->dump) {
    if (st == GDV_OK) st = gdv_outfile_commit(&df, err);
    else gdv_outfile_abort(&df);
  }
  if (st == GDV_ERR_INPUT) gdv_cli_flag_error(err, "--steps: ", "");
  gdv_cli_progress_stop();
  if (st == GDV_OK)
    printf("%s: %zu frames in %s/ (and %s/frames.pdf)\n", in->display_path, n, ro->steps, ro->steps);
  return st;
}

/* --max-label: an id or label longer than this is refused before any
 * work: its text would be measured, laid out and written many times over.
 * A formula's equations are gradviz's own text, not checked. Returns -1 to
 * go on, else the exit status after printing why. */
static int check_labels(const render_opts *ro, const gdv_input *in) {
  const gdv_graph *g = in->graph;
  size_t len = 0;
  long line = 0;
  const char *what = NULL;
  for (size_t v = 0; v < g->n_nodes && !what; v++) {
    size_t a = strlen(g->name[v]), b = g->label[v] ? strlen(g->label[v]) : 0;
    if (a > ro->max_label || b > ro->max_label) {
      what = a >= b ? "a node id" : "a node label";
      len = a >= b ? a : b;
      line = g->line[v];
    }
  }
  for (size_t k = 0; k < g->n_groups && !what; k++) {
    size_t a = strlen(g->group_name[k]);
    size_t b = in->is_dot && g->group_label[k] ? strlen(g->group_label[k]) : 0;
    if (a > ro->max_label || b > ro->max_label) {
      what = "a cluster's name or label";
      len = a >= b ? a : b;
    }
  }
  if (!what && g->title && strlen(g->title) > ro->max_label) {
    what = "the graph's label";
    len = strlen(g->title);
  }
  if (!what) return -1;
  char n[32], lim[32];
  gdv_size_text((size_t)ro->max_label, lim, sizeof lim);
  gdv_error err;
  gdv_error_set(&err, GDV_ERR_INPUT, in->display_path, line,
                "%s of %s bytes, more than the %s --max-label allows", what,
                gdv_cli_grouped(len, n, sizeof n), lim);
  return gdv_cli_report(&err);
}

/* Whether an output of this run is a figure (not the annotated DOT). */
static int draws_figure(const render_opts *ro) {
  int figure = ro->out_path && ro->fmt != GDV_FIGURE_DOT;
  for (size_t i = 0; i < ro->n_more; i++) figure |= ro->more_fmt[i] != GDV_FIGURE_DOT;
  return figure;
}

/* The one line for a figure whose text would be invisible on its page:
 * what it would be, and what helps. `most`: px is a bound, not the drawn
 * size. */
static gdv_status refuse_invisible(const gdv_input *in, const gdv_page *page,
                                   const render_opts *ro, double px, int most,
                                   gdv_error *err) {
  return gdv_error_set(err, GDV_ERR_INPUT, in->display_path, 0,
                       "the figure's text would be %s%.2g px per em on its page (%s, at "
                       "%g dpi): too small to see; draw it at its own size with --page "
                       "none (as SVG or PDF), or draw less with %s--show values",
                       most ? "at most " : "", px, page->name, ro->dpi,
                       in->graph->n_groups ? "--expand none or " : "");
}

/* Text under 1 pixel per em (at --dpi) is no figure: refused before the
 * layout when no layout could make it larger (gdv_scene_text_ceiling),
 * else after it, before anything is drawn. */
static gdv_status check_visible(const gdv_input *in, const gdv_scene *scene,
                                const gdv_style *style, const render_opts *ro, gdv_error *err) {
  if (!draws_figure(ro) || !(scene->page.width > 0)) return GDV_OK;
  double px = gdv_scene_text_ceiling(scene, style, ro->dpi), scale = 1;
  if (px >= 1 && scene->laid_out) {
    gdv_status st = gdv_render_page_scale(scene, style, &scale, err);
    if (st) return st;
    px = fmin(style->font_size, style->edge_font_size) * scale * ro->dpi / 72;
  }
  return px < 1 ? refuse_invisible(in, &scene->page, ro, px, !scene->laid_out, err) : GDV_OK;
}

/* Before the search for the level of detail, which lays out many choices:
 * each choice collapses some groups and draws the others in full (or
 * merges collapsed ones, which it keeps only when legible, at 18 px per
 * em), so its text is about as small as the larger of the two extremes'
 * (gdv_scene_text_ceiling, no layout): when both are under 1 pixel per
 * em, no choice is visible (a 1,000,000-node chain: 0.3). */
static gdv_status visible_at_all(const gdv_input *in, const gdv_scene_options *o,
                                 const gdv_style *style, const render_opts *ro, gdv_error *err) {
  if (!draws_figure(ro)) return GDV_OK;
  uint8_t *collapsed = calloc(in->graph->n_groups + 1, 1);
  if (collapsed == NULL) return gdv_error_set(err, GDV_ERR_SYSTEM, in->display_path, 0, "out of memory");
  double most = 0;
  gdv_status st = GDV_OK;
  for (int k = 0; k < 2 && st == GDV_OK && most < 1; k++) {
    gdv_scene_options so = *o;
    so.expand = k ? NULL : collapsed;
    so.highlight = NULL;   /* it needs every group drawn; its list adds room */
    gdv_scene *s = NULL;
    st = gdv_scene_from_graph(in->graph, &so, &s, err);
    if (st == GDV_OK) most = fmax(most, gdv_scene_text_ceiling(s, style, ro->dpi));
    gdv_scene_free(s);
  }
  free(collapsed);
  if (st) return st;
  return most < 1 ? refuse_invisible(in, &o->page, ro, most, 1, err) : GDV_OK;
}

/* --layout as the planner's engine. */
static gdv_engine engine_of(const render_opts *ro) {
  return strcmp(ro->layout, "layers") == 0    ? GDV_ENGINE_LAYERS
         : strcmp(ro->layout, "dot") == 0     ? GDV_ENGINE_DOT
         : strcmp(ro->layout, "columns") == 0 ? GDV_ENGINE_COLUMNS : GDV_ENGINE_AUTO;
}

/* The --text-size a page's threshold was made from, in points. */
static double ro_text_size(const gdv_scene_options *o) {
  return o->page.legible_px / gdv_page_px_per_em(&o->page, 1);
}

/* One line on stderr when the planner found no legible figure: how large
 * the text came out and which options give the room more. */
static void note_illegible(const gdv_plan_report *rep, const gdv_input *in,
                           const gdv_scene_options *o) {
  gdv_cli_progress_clear();
  if (!rep->planned || rep->legible) return;
  fprintf(stderr, "gradviz: render: note: %s: not legible on the page '%s': ", in->display_path,
          o->page.name);
  double need = gdv_page_legible_px(&o->page);
  if (rep->px_per_em < need && o->page.legible_px > 0)
    fprintf(stderr, "its text reaches %.1f pt of the %g pt asked (--text-size)",
            rep->px_per_em / gdv_page_px_per_em(&o->page, 1), ro_text_size(o));
  else if (rep->px_per_em < need)
    fprintf(stderr, "its text reaches %.1f px/em of the 18 a room reads on a slide", rep->px_per_em);
  else
    fprintf(stderr, "labels or edges crowd each other");
  fprintf(stderr, " (%sa larger --page, --page none, %s--steps-by layer show it in parts)\n",
          o->page.legible_px > 0 ? "a smaller --text-size, " : "",
          in->graph->n_groups > rep->collapsed && !o->expand_given && !o->highlight ? "--expand none, " : "");
}

/* The annotated scene of the evaluated graph, and the frames when asked. */
static gdv_status scene_and_steps(const render_opts *ro, gdv_input *in, const gdv_style *style,
                                  const gdv_scene_options *sopt, gdv_scene **scene,
                                  gdv_plan_report *rep, gdv_error *err) {
  gdv_forward(in->graph);
  gdv_backward(in->graph);
  gdv_scene_options o = *sopt;
  o.legend_place = ro->legend_place;
  /* recorded gradients judged as `check` judges them (its default rtol) */
  gdv_check_options copt;
  gdv_check_defaults(&copt);
  gdv_rec_result rec;
  if (gdv_recorded_check(in->graph, copt.rtol, &rec, err)) return GDV_ERR_SYSTEM;
  o.recorded_wrong = rec.wrong_grad;
  /* the planner chooses detail, direction, line width and folds on the
   * laid-out figure; the annotated DOT alone needs no layout */
  int figure = ro->fmt != GDV_FIGURE_DOT || ro->dump != NULL || ro->n_more > 0;
  gdv_status st;
  if ((figure && (ro->out_path || ro->dump) && o.page.width > 0) || ro->steps) {
    /* the planner lays out many candidates: none when none could be seen */
    st = visible_at_all(in, &o, style, ro, err);
    if (st == GDV_OK) st = gdv_plan_figure(in->graph, &o, style, engine_of(ro), scene, rep, err);
  } else {
    st = gdv_scene_from_graph(in->graph, &o, scene, err);
  }
  if (st == GDV_ERR_INPUT && ro->highlight) gdv_cli_flag_error(err, "--highlight: ", "");
  if (st && err->file[0] == '\0') snprintf(err->file, sizeof err->file, "%s", in->display_path);
  gdv_rec_result_free(&rec);
  if (st == GDV_OK && ro->steps) st = render_steps(ro, in, style, sopt, *scene, err);
  return st;
}

/* Layout (Graphviz up to 2000 nodes, else columns), the figure, and the
 * layout dump when asked. */
static gdv_status lay_out_and_write(const render_opts *ro, gdv_input *in, gdv_scene *scene,
                                    const gdv_style *style, const gdv_scene_options *sopt,
                                    gdv_error *err) {
  gdv_status st = GDV_OK;
  int needs_layout = ro->fmt != GDV_FIGURE_DOT || ro->dump != NULL;
  for (size_t i = 0; i < ro->n_more; i++) needs_layout |= ro->more_fmt[i] != GDV_FIGURE_DOT;
  needs_layout &= !scene->laid_out;
  st = check_visible(in, scene, style, ro, err);
  if (st == GDV_OK && needs_layout) {
    /* a PNG that cannot hold the figure is refused before the layout */
    int png = ro->fmt == GDV_FIGURE_PNG;
    for (size_t i = 0; i < ro->n_more; i++) png |= ro->more_fmt[i] == GDV_FIGURE_PNG;
    gdv_engine engine = engine_of(ro);
    if (engine == GDV_ENGINE_AUTO)
      engine = scene->n_nodes > GDV_LAYERS_MAX_NODES ? GDV_ENGINE_COLUMNS : GDV_ENGINE_LAYERS;
    if (png && scene->page.width <= 0)
      st = gdv_scene_fit_png(scene, style, engine == GDV_ENGINE_COLUMNS, ro->dpi, err);
    if (st == GDV_OK) st = gdv_plan_page(scene, style, engine, err);
    if (st == GDV_ERR_INPUT && err->file[0] == '\0')
      snprintf(err->file, sizeof err->file, "%s", ro->out_path);
    if (st == GDV_OK) st = check_visible(in, scene, style, ro, err);
  }
  gdv_cli_install_signals();
  /* the formats of one figure draw the same lines: shaped once for all */
  gdv_render_keep_text(ro->n_more > 0);
  if (st == GDV_OK)
    st = write_output(ro->out_path, ro->fmt, in, scene, style, sopt, ro, err);
  for (size_t i = 0; st == GDV_OK && i < ro->n_more; i++)
    st = write_output(ro->more_out[i], ro->more_fmt[i], in, scene, style, sopt, ro, err);
  gdv_render_keep_text(0);
  if (st == GDV_OK && ro->dump && !ro->steps) {
    gdv_outfile df;
    st = gdv_outfile_open(&df, ro->dump, err);
    if (st == GDV_OK) {
      st = gdv_render_dump_layout(scene, style, in->graph, df.f, err);
      if (st == GDV_OK) st = gdv_outfile_commit(&df, err);
      else gdv_outfile_abort(&df);
    }
  }
  return st;
}

/* Options win over the settings the graph file carries (gradviz_style, ...);
 * --steps alone writes only the frames. */
int gdv_cmd_render(int argc, char **argv) {
  render_opts ro;
  memset(&ro, 0, sizeof ro);
  ro.layout = "auto";
  ro.dpi = 144;
  ro.frame_ms = 1200;
  ro.max_label = RENDER_MAX_LABEL;
  ro.max_output = RENDER_MAX_OUTPUT;
  int status = parse_options(argc, argv, &ro);
  if (status < 0) status = check_usage(argc, &ro, &ro.fmt);
  if (status >= 0) return status;
  gdv_outfile_policy(ro.max_output, ro.no_follow_links);
  /* a crash (inside Graphviz: cgraph reading, dot laying out) ends this
   * figure with one line, not render with a signal */
  gdv_cli_catch_crashes(strcmp(argv[optind], "-") ? argv[optind] : "<stdin>");
  gdv_error err;
  gdv_error_clear(&err);
  gdv_input in;
  int load_status = gdv_cli_load_graph("render", argc, argv, ro.output, &in);
  if (load_status) return load_status;
  if ((status = check_labels(&ro, &in)) >= 0) {
    gdv_input_free(&in);
    return status;
  }
  gdv_cli_progress_start("drawing", ro.out_path ? ro.out_path : ro.steps);
  gdv_style style;
  gdv_scene_options sopt;
  status = settings(&ro, &in, &style, &sopt, &err);
  if (status >= 0) {
    free(ro.expand_mask);
    gdv_input_free(&in);
    return status;
  }
  gdv_scene *scene = NULL;
  gdv_plan_report rep;
  memset(&rep, 0, sizeof rep);
  gdv_status st = scene_and_steps(&ro, &in, &style, &sopt, &scene, &rep, &err);
  if (st == GDV_OK && (ro.steps == NULL || ro.out_path != NULL))
    st = lay_out_and_write(&ro, &in, scene, &style, &sopt, &err);
  /* once the figure is written: how legible it came out */
  if (st == GDV_OK && ro.out_path) note_illegible(&rep, &in, &sopt);
  gdv_scene_free(scene);
  free(ro.expand_mask);
  gdv_input_free(&in);
  return st ? gdv_cli_report(&err) : 0;
}
