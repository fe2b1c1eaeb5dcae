/* cmd_mnist.c: `gradviz mnist`: builds the chapter-1 network node by node,
 * evaluates it on one real digit, and draws it or writes it as DOT. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mnist_draw/gdv_mnist_draw.h"
#include "io/gdv_io.h"
#include "mnist/gdv_mnist.h"
#include "render/gdv_render.h"
#include "teach/gdv_teach.h"

static const char mnist_help[] =
  "Usage: gradviz mnist [options] -o OUT.{png,svg,pdf,dot,html}\n\n"
  "Builds the network of chapter 1 of Nielsen's book as a scalar graph (every\n"
  "weight and bias a param leaf, every w*x a mul node, every unit an add and\n"
  "its activation, the cost C = 1/2 ||a - y||^2 node by node), evaluates it\n"
  "forward and backward on one digit, and draws it, or writes it as DOT.\n\n"
  "  --layers LIST         layer sizes (default 784,30,10)\n"
  "  --activation NAME     sigmoid (default), tanh or relu\n"
  "  --cost NAME           quadratic (default) or cross-entropy (softmax outputs)\n"
  "  --seed N              initial weights, each N(0,1) as in the chapter\n"
  "                        (xoshiro256** and Box-Muller; default 3, as train)\n"
  "  --weights FILE        weights file from 'gradviz train'; 'trained' names\n"
  "                        the installed 784-30-10 file trained on real digits;\n"
  "                        the file's layers, activation and cost are kept (a\n"
  "                        flag that names others is an error)\n"
  "  --images IDX --labels IDX --index K\n"
  "                        the digit (default: the 100 real test digits\n"
  "                        installed with gradviz, K = 0)\n"
  "  --show-units LIST|all units shown per layer, e.g. 8,6,10; the rest of a\n"
  "                        layer becomes one node whose numbers are the sums of\n"
  "                        what it hides (default 6,5,5: fits a slide; the\n"
  "                        output layer always shows the label and the prediction)\n"
  "  --focus-unit L:J      unit J of layer L alone: its inputs, weights, terms w*x\n"
  "                        and dC/dw as pictures, its largest terms written out\n"
  "                        with weight, input and gradient, the exact sum of the\n"
  "                        others, the bias, z, a and the gradients\n"
  "  --expand LIST         per layer (or one word for all): 'units' (one node per\n"
  "                        unit, default), 'layer' (one node per layer with\n"
  "                        norms) or 'scalar' (each shown unit as the engine\n"
  "                        holds it: weight leaves, one mul per w*a, an ellipsis\n"
  "                        mul summing the rest, bias, z, activation; default\n"
  "                        units 3,2 per layer), e.g. units,scalar,units\n"
  "  --sum-terms N|all     terms written out in each sum, the largest (default\n"
  "                        1, or none when the figure would not fit its page);\n"
  "                        the others are folded into one '+ 781 more: 5.78'\n"
  "                        term, their sum; every number of a sum is rounded to\n"
  "                        the total's last digit, so the sum adds up as printed.\n"
  "                        On a page, long sums go on rows, over fewer units when\n"
  "                        --show-units is not given, or fewer terms are written\n"
  "                        (the legend says so)\n"
  "  --precision N         significant digits of the totals (default 3)\n"
  "  --style S             default, print, dark, cs231n or a FILE.style\n"
  "  --show LIST           what to draw, as render's --show (default all)\n"
  "  --dpi N               PNG resolution, 10 to 2400 (default 144; with --page\n"
  "                        none less for views too big for 144)\n"
  "  --dump-layout F       also write every drawn element as JSON (for tests)\n"
  "  --page P              slide (16:9, the default), beamer, a4, letter, a0 and\n"
  "                        a1 (posters), WxH with px, pt, mm, cm or in, or none\n"
  "                        (the figure's own size). Each view takes the most\n"
  "                        detail that is legible on the page (text 9 pt or more,\n"
  "                        18 px/em on a 1920x1080 slide); one that cannot be is\n"
  "                        drawn at its own size as PDF or SVG without --page, as\n"
  "                        a PDF poster of pages P with --page (margins, shared\n"
  "                        strips, page lines, no blank page), else refused\n"
  "  --id-prefix P         SVG: every id starts with P (default: OUT's base name)\n"
  "  --emit dot            write the scalar graph as a DOT file (contract\n"
  "                        format: 'gradviz eval' and 'gradviz check' read it)\n"
  "  --format F            png, svg, pdf, html (a page: every unit's whole sum,\n"
  "                        pan and zoom) or dot (the same as --emit dot);\n"
  "                        default: OUT's suffix ('-o -' needs it)\n"
  "  -o OUT                output; '-' is standard output\n"
  "  --time-limit SECONDS  stop past SECONDS (wall clock) with one line and\n"
  "                        exit 3, writing nothing (default: no limit)\n\n"
  "Weights file (text): a header line\n"
  "  gradviz-weights 1 layers 784,30,10 activation sigmoid cost quadratic\n"
  "then per layer L the line 'layer L biases', one line of its biases, the\n"
  "line 'layer L weights', and one line per unit j of its incoming weights\n"
  "w_j0 ... w_j(n-1), numbers written so they read back as the same doubles.\n";

typedef struct mnist_args {
  gdv_cli_net_flags net;     /* --layers, --activation, --cost, --seed, --weights */
  const char *images, *labels, *out, *emit;
  const char *format;
  const char *show, *focus, *expand;
  const char *style, *draw_show, *dump, *page, *id_prefix;
  size_t index, sum_terms;
  int precision;
  double dpi;
} mnist_args;

/* An installed data file, or the build tree's copy when run uninstalled;
 * NULL when neither exists. */
static char *find_data(const char *name) {
  return gdv_data_file("mnist", "examples/mnist", name);
}

/* --precision: significant digits, 1 to 17 (a double's round trip). */
static int precision_option(const char *value, int *out) {
  size_t p;
  if (!gdv_cli_size_in("mnist", "--precision", value, 1, 17, &p)) return GDV_ERR_INPUT;
  *out = (int)p;
  return 0;
}

/* --sum-terms: how many terms of a unit's sum are written, or 'all'. */
static int sum_terms_option(const char *value, size_t *out) {
  if (strcmp(value, "all") == 0) {
    *out = SIZE_MAX;
    return 0;
  }
  return gdv_cli_size_in("mnist", "--sum-terms", value, 1, SIZE_MAX, out) ? 0 : GDV_ERR_INPUT;
}

/* --dpi: as render's, 10 to 2400. */
static int dpi_option(const char *value, double *out) {
  return gdv_cli_double_in("mnist", "--dpi", value, 10, 0, 2400, out) ? 0 : GDV_ERR_INPUT;
}

/* One option of mnist; --help and --version are gdv_cli_parse's. */
static int mnist_option(int opt, const char *value, void *ctx) {
  mnist_args *a = ctx;
  int net = gdv_cli_net_option("mnist", opt, value, &a->net);
  if (net >= 0) return net;
  switch (opt) {
  case 'i': a->images = value; return 0;
  case 'l': a->labels = value; return 0;
  case 'k': return gdv_cli_size("mnist", "--index", value, &a->index) ? 0 : GDV_ERR_INPUT;
  case 'u': a->show = value; return 0;
  case 'f': a->focus = value; return 0;
  case 'x': a->expand = value; return 0;
  case 'E': a->emit = value; return 0;
  case 'F': a->format = value; return 0;
  case 'p': return precision_option(value, &a->precision);
  case 't': return sum_terms_option(value, &a->sum_terms);
  case 'o':  /* one figure a run: a second -o must not pass unnoticed */
    if (a->out) return gdv_cli_usage("mnist", "-o given twice (mnist writes one file a run)");
    a->out = value;
    return 0;
  case 'S': a->style = value; return 0;
  case 'W': a->draw_show = value; return 0;
  case 'd': return dpi_option(value, &a->dpi);
  case 'D': a->dump = value; return 0;
  case 'P': a->page = value; return 0;
  case 'I': a->id_prefix = value; return 0;
  case GDV_CLI_TIME_LIMIT: return gdv_cli_time_limit_option("mnist", value);
  }
  return GDV_ERR_INPUT;
}

static int mnist_check(void *ctx);
static const gdv_cli_spec mnist_spec = {"mnist", mnist_help, "o:",
    GDV_CLI_NET_OPTIONS
    "images=i labels=l index=k show-units=u focus-unit=f "
    "expand=x emit=E format=F precision=p sum-terms=t output=o "
    "style=S show=W dpi=d dump-layout=D page=P id-prefix=I" GDV_CLI_TIME_LIMIT_OPTION, 1, NULL,
    mnist_check};

/* The checks after the options (gdv_cli_parse calls it), which need all of
 * them. */
static int mnist_check(void *ctx) {
  mnist_args *a = ctx;
  if (!a->out) return gdv_cli_usage("mnist", "needs -o OUT");
  if (a->emit && strcmp(a->emit, "dot") != 0)
    return gdv_cli_usage("mnist", "--emit '%s': only 'dot' is known", a->emit);
  if (a->format && strcmp(a->format, "png") && strcmp(a->format, "svg") &&
      strcmp(a->format, "pdf") && strcmp(a->format, "dot") && strcmp(a->format, "html"))
    return gdv_cli_usage("mnist", "--format '%s': png, svg, pdf, html or dot", a->format);
  if (a->format && strcmp(a->format, "dot") == 0) a->emit = "dot";
  if (strcmp(a->out, "-") == 0 && !a->format && !a->emit)
    return gdv_cli_usage("mnist", "-o - needs --format (png, svg, pdf or dot)");
  if (!a->images != !a->labels)
    return gdv_cli_usage("mnist", "--images and --labels go together");
  return 0;
}

/* --weights trained names the installed file; the model layer does the
 * rest (the file's settings win over the defaults). */
static gdv_status make_net(const mnist_args *a, gdv_mnist_net *net,
                           const char **weights_path, char **found,
                           gdv_error *err) {
  *weights_path = a->net.weights;
  if (a->net.weights && strcmp(a->net.weights, "trained") == 0) {
    *found = find_data("weights-784-30-10.txt");
    if (!*found)
      return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                           "mnist: --weights trained: the installed weights "
                           "file weights-784-30-10.txt is missing");
    *weights_path = *found;
  }
  gdv_cli_net_flags flags = a->net;
  flags.weights = *weights_path;
  return gdv_cli_mnist_net("mnist", &flags, net, err);
}

/* Parses "8,6,10" or "all" into one count per column (SIZE_MAX: all). */
static int parse_show(const char *text, size_t n_cols, size_t *show) {
  for (size_t c = 0; c < n_cols; c++) show[c] = SIZE_MAX;
  if (!text) {
    /* what fits a slide: 6 inputs, 5 units a layer (the output layer's
     * label and prediction among them), the rest in the ellipses */
    show[0] = 6;
    for (size_t c = 1; c < n_cols; c++) show[c] = 5;
    return 1;
  }
  if (strcmp(text, "all") == 0) return 1;
  const char *p = text;
  for (size_t c = 0; c < n_cols; c++) {
    char *end;
    if (strncmp(p, "all", 3) == 0) {
      end = (char *)p + 3;
    } else {
      if (*p < '0' || *p > '9') return 0;
      unsigned long long v = strtoull(p, &end, 10);
      if (v == 0) return 0;
      show[c] = (size_t)v;
    }
    if (c + 1 < n_cols ? *end != ',' : *end != '\0') return 0;
    p = end + 1;
  }
  return 1;
}

/* "layer,units,scalar", or one word for every layer: a layer drawn as one
 * node has show 0; a scalar layer's shown units are drawn node by node
 * (scalar[c] = 1; the inputs are leaves already, so for them scalar is
 * units). */
static int parse_expand(const char *text, size_t n_cols, size_t *show, int *scalar) {
  if (!text) return 1;
  int one = strchr(text, ',') == NULL;
  const char *p = text;
  for (size_t c = 0; c < n_cols; c++) {
    size_t n = strcspn(p, ",");
    if (n == 5 && strncmp(p, "layer", 5) == 0) show[c] = 0;
    else if (n == 6 && strncmp(p, "scalar", 6) == 0) scalar[c] = c > 0;
    else if (!(n == 5 && strncmp(p, "units", 5) == 0)) return 0;
    if (one) continue;
    p += n;
    if (c + 1 < n_cols ? *p != ',' : *p != '\0') return 0;
    p++;
  }
  return 1;
}

/* Without --show-units, a layer drawn node by node shows 2 units (and its
 * inputs 3): every unit costs a weight, a mul per operand, a bias and z. */
static void scalar_defaults(size_t n_cols, size_t *show, const int *scalar) {
  int any = 0;
  for (size_t c = 1; c < n_cols; c++) {
    if (!scalar[c]) continue;
    any = 1;
    if (show[c]) show[c] = 2;
  }
  if (any && show[0]) show[0] = 3;
}

/* LAYER:UNIT with LAYER from 1 (the input layer has no fan-in to show); no
 * --focus-unit at all is fine. */
static int parse_focus(const char *text, size_t *layer, size_t *unit) {
  char *end;
  if (!text) return 1;
  if (*text < '0' || *text > '9') return 0;
  *layer = strtoul(text, &end, 10);
  if (*end != ':' || end[1] < '0' || end[1] > '9') return 0;
  *unit = strtoul(end + 1, &end, 10);
  return *end == '\0' && *layer > 0;
}

/* Case-insensitive, so OUT.DOT is DOT too. */
static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Through gdv_out, so a failed write leaves no half DOT file. */
static gdv_status write_dot(const gdv_mnist_net *net, const char *title,
                            const char *path, gdv_error *err) {
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, path, err);
  if (st) return st;
  st = gdv_mnist_write_dot(net, title, out.f, err);
  if (st) {
    gdv_outfile_abort(&out);
    return gdv_error_set(err, st, path, 0, "cannot write");
  }
  return gdv_outfile_commit(&out, err);
}

/* What the figure also says, for a terminal: the verdict and the layer
 * gradient norms (small norms near the input: vanishing gradients). */
static void print_summary(const gdv_mnist_net *net, const gdv_mnist_view *v,
                          const char *images, size_t index, unsigned label) {
  printf("digit %zu of %s: label %u, prediction %zu, C = %.6g\n", index, images,
         label, gdv_mnist_net_predict(net), net->g->value[net->cost_node]);
  for (size_t c = 0; c < v->n_columns; c++) {
    /* softmax outputs: a = softmax(z), and the graph's gradient is dC/dz */
    int softmax = c + 1 == v->n_columns && net->cost == GDV_MNIST_CROSS_ENTROPY;
    printf("  layer %zu (%zu units): ||a|| = %.4g, ||dC/d%s|| = %.4g%s\n", c,
           net->shape.sizes[c], v->column[c].value_norm, softmax ? "z" : "a",
           v->column[c].grad_norm, c == 0 ? " (dC/dx)" : softmax ? " (softmax outputs)" : "");
  }
}

/* Everything one run holds, so that the steps below share one cleanup. */
typedef struct mnist_run {
  mnist_args a;
  gdv_error err;
  gdv_mnist_data data;
  gdv_mnist_net net;
  gdv_mnist_view view;
  char *def_images, *def_labels, *found_weights;
  const char *images, *labels, *weights_path;
  size_t *show, focus_layer, focus_unit;
  int *scalar;
  gdv_style style;
  gdv_page page;
  unsigned show_bits;
  int natural;              /* drawn at its own size, not on the slide */
  char title[1024];
} mnist_run;

/* Frees what the steps made; the run stays safe to free again. */
static void run_free(mnist_run *r) {
  gdv_mnist_view_free(&r->view);
  gdv_mnist_net_free(&r->net);
  gdv_mnist_data_free(&r->data);
  free(r->def_images);
  free(r->def_labels);
  free(r->found_weights);
  free(r->show);
  free(r->scalar);
  r->def_images = r->def_labels = r->found_weights = NULL;
  r->show = NULL;
  r->scalar = NULL;
}

/* The digit (the installed test digits without --images), the network, one
 * forward and backward pass, and the figure's title. */
static gdv_status evaluate(mnist_run *r) {
  gdv_error *err = &r->err;
  r->images = r->a.images;
  r->labels = r->a.labels;
  if (!r->images) {
    r->def_images = find_data("test100-images-idx3-ubyte");
    r->def_labels = find_data("test100-labels-idx1-ubyte");
    if (!r->def_images || !r->def_labels)
      return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                           "mnist: the installed test digits are missing; give "
                           "--images and --labels");
    r->images = r->def_images;
    r->labels = r->def_labels;
  }
  gdv_status st = gdv_mnist_data_load(r->images, r->labels, &r->data, err);
  if (!st) st = make_net(&r->a, &r->net, &r->weights_path, &r->found_weights, err);
  if (st) return st;
  st = gdv_mnist_net_set_sample(&r->net, &r->data, r->a.index, r->images, err);
  if (st == GDV_ERR_INPUT)
    return r->a.index >= r->data.count ? gdv_cli_flag_error(err, "--index ", "")
                                       : gdv_cli_flag_error(err, "", " (--layers)");
  if (st) return st;
  gdv_forward(r->net.g);
  gdv_backward(r->net.g);
  char shape[256];
  gdv_mnist_shape_format(&r->net.shape, shape, sizeof shape);
  for (char *p = shape; *p; p++) if (*p == ',') *p = '-';
  /* the installed digits are MNIST's test set; other files are named */
  const char *slash = strrchr(r->images, '/');
  char which[320];
  if (r->a.images) snprintf(which, sizeof which, "image #%zu of %s", r->a.index,
                            slash ? slash + 1 : r->images);
  else snprintf(which, sizeof which, "test image #%zu", r->a.index);
  snprintf(r->title, sizeof r->title, "%s %s network, %s cost, %s: %s (a handwritten %u)",
           shape, gdv_mnist_act_name(r->net.act), gdv_mnist_cost_name(r->net.cost),
           r->weights_path ? "trained weights" : "random weights", which,
           r->data.labels[r->a.index]);
  return GDV_OK;
}

/* --show-units, --focus-unit and --expand against the network's layers:
 * returns a usage exit status (printed), or 0 with *st set. */
static int view_settings(mnist_run *r, gdv_status *st) {
  size_t n = r->net.shape.n_layers;
  const mnist_args *a = &r->a;
  r->show = malloc(n * sizeof *r->show);
  r->scalar = calloc(n, sizeof *r->scalar);
  if (!r->show || !r->scalar) {
    *st = gdv_error_oom(&r->err);
    return 0;
  }
  if (!parse_show(a->show, n, r->show))
    return gdv_cli_usage("mnist", "--show-units '%s': expected 'all' or one count "
                         "per layer (%zu), such as 8,6,10", a->show, n);
  if (!parse_focus(a->focus, &r->focus_layer, &r->focus_unit))
    return gdv_cli_usage("mnist", "--focus-unit '%s': expected LAYER:UNIT, such as 1:7",
                         a->focus);
  if (!parse_expand(a->expand, n, r->show, r->scalar))
    return gdv_cli_usage("mnist", "--expand '%s': expected 'units', 'layer' or 'scalar' "
                         "per layer (%zu), or one for all, such as units,scalar,units",
                         a->expand, n);
  if (!a->show) scalar_defaults(n, r->show, r->scalar);
  return 0;
}

/* -o m.html or --format html: the interactive page. */
static int wants_page(const mnist_args *a) {
  gdv_figure_format fmt;
  return a->format ? strcmp(a->format, "html") == 0
                   : gdv_figure_format_from_path(a->out, &fmt) && fmt == GDV_FIGURE_HTML;
}

/* --style, --show and --page (a slide unless given, as render's; a page
 * pans and zooms, so it draws the figure at its own size): a usage
 * exit status (printed), or 0 with *st set (a style file that cannot be
 * read is that file's error). */
static int draw_settings(mnist_run *r, gdv_style *style, unsigned *show, gdv_status *st) {
  *st = GDV_OK;
  *show = GDV_SHOW_ALL;
  if (r->a.draw_show && gdv_show_parse(r->a.draw_show, show, &r->err))
    return gdv_cli_usage("mnist", "--show: %s", r->err.message);
  const char *page = r->a.page ? r->a.page : wants_page(&r->a) ? "none" : "slide";
  /* posters: ISO A0 and A1 paper, portrait */
  if (strcmp(page, "a0") == 0) page = "841x1189mm";
  else if (strcmp(page, "a1") == 0) page = "594x841mm";
  *st = gdv_page_parse(page, r->a.dpi > 0 ? r->a.dpi : 144, &r->page, &r->err);
  if (*st) {
    *st = gdv_cli_flag_error(&r->err, "--page: ", "");
    return 0;
  }
  if (!r->a.style) {
    gdv_style_default(style);
    return 0;
  }
  *st = gdv_style_load(r->a.style, style, &r->err);
  /* a name that is no style file names no file: the option is to blame */
  if (*st == GDV_ERR_INPUT && r->err.file[0] == '\0') *st = gdv_cli_flag_error(&r->err, "--style: ", "");
  if (*st == GDV_OK) gdv_cli_font_warning("mnist", style);
  return 0;
}

/* The interactive page (-o m.html or --format html), whole or not at all. */
static gdv_status write_page(mnist_run *r, const gdv_mnist_draw_options *dopt) {
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, r->a.out, &r->err);
  if (st) return st;
  /* ids as the SVG's: --id-prefix, else the output's name */
  char prefix[96];
  if (r->a.id_prefix) snprintf(prefix, sizeof prefix, "%s", r->a.id_prefix);
  else gdv_svg_prefix_from_path(strcmp(r->a.out, "-") ? r->a.out : "mnist", prefix, sizeof prefix);
  st = gdv_html_page_mnist(&r->net, &r->view, dopt, prefix, out.f, &r->err);
  if (st) {
    gdv_outfile_abort(&out);
    return st;
  }
  return gdv_outfile_commit(&out, &r->err);
}

/* The view, then the figure; the summary only when the figure is a file. */
static gdv_status draw(mnist_run *r) {
  gdv_error *err = &r->err;
  gdv_status st = gdv_mnist_view_build(&r->net, r->show, r->focus_layer, r->focus_unit,
                                       &r->view, err);
  if (st == GDV_ERR_INPUT) return gdv_cli_flag_error(err, "--focus-unit ", "");
  if (st) return st;
  size_t pixels = r->data.rows * r->data.cols;
  gdv_mnist_draw_options dopt = {r->title, r->data.pixels + r->a.index * pixels,
                                 r->data.rows, r->data.cols, r->data.labels[r->a.index],
                                 r->a.precision, r->a.sum_terms, r->scalar,
                                 r->a.emit ? NULL : r->a.format, &r->style, &r->show_bits,
                                 r->a.dpi, r->a.dump, r->focus_layer, r->focus_unit, &r->page,
                                 r->a.id_prefix, r->show, r->a.show != NULL,
                                 r->a.page != NULL, &r->natural};
  gdv_figure_format fmt;
  st = wants_page(&r->a) ? write_page(r, &dopt)
                         : gdv_mnist_draw(&r->net, &r->view, &dopt, r->a.out, err);
  if (st == GDV_ERR_INPUT && !r->a.format && !gdv_figure_format_from_path(r->a.out, &fmt))
    return gdv_cli_flag_error(err, "", " (or --emit dot)");
  gdv_cli_progress_stop();
  if (!st && r->natural)
    fprintf(stderr, "gradviz: mnist: the view does not fit a slide legibly: drawn at its own "
            "size (--page P for a poster of pages P)\n");
  if (!st && strcmp(r->a.out, "-") != 0)
    print_summary(&r->net, &r->view, r->images, r->a.index, r->data.labels[r->a.index]);
  return st;
}

/* Without --images it uses the 100 test digits that come with gradviz; a
 * .dot or .gv output (or --emit dot) writes the network, not a figure. */
int gdv_cmd_mnist(int argc, char **argv) {
  mnist_run r;
  memset(&r, 0, sizeof r);
  r.a.net.seed = 3;
  int rc = 0;
  if (gdv_cli_parse(&mnist_spec, argc, argv, mnist_option, &r.a, &rc)) return rc;
  gdv_cli_time_limit_start(strcmp(r.a.out, "-") ? r.a.out : "<stdout>");
  gdv_error_clear(&r.err);
  int dot = r.a.emit || ends_with(r.a.out, ".dot") || ends_with(r.a.out, ".gv");
  gdv_cli_progress_start(dot ? "writing" : "drawing", r.a.out);
  gdv_status st = evaluate(&r);
  if (!st && dot)
    st = write_dot(&r.net, r.title, r.a.out, &r.err);
  else if (!st && !(rc = view_settings(&r, &st)) && !st &&
           !(rc = draw_settings(&r, &r.style, &r.show_bits, &st)) && !st)
    st = draw(&r);
  run_free(&r);
  if (rc) return rc;
  return st ? gdv_cli_report(&r.err) : 0;
}
