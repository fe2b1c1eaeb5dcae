/* cmd_mnist.c: `gradviz mnist`: builds the chapter-1 network node by node,
 * evaluates it on one real digit, and draws it or writes it as DOT. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "io/gdv_io.h"
#include "mnist/gdv_mnist.h"
#include "mnist/gdv_mnist_draw.h"

static const char mnist_help[] =
  "Usage: gradviz mnist [options] -o OUT.{png,svg,pdf,dot}\n\n"
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
  "                        the installed 784-30-10 file trained on real digits\n"
  "  --images IDX --labels IDX --index K\n"
  "                        the digit (default: the 100 real test digits\n"
  "                        installed with gradviz, K = 0)\n"
  "  --show-units LIST|all units shown per layer, e.g. 8,6,10; the rest of a\n"
  "                        layer becomes one node whose numbers are the sums of\n"
  "                        what it hides (default 6,5,5: fits a slide; the\n"
  "                        output layer always shows the label and the prediction)\n"
  "  --focus-unit L:J      show unit J of layer L and its whole fan-in\n"
  "  --expand LIST         per layer (or one word for all): 'units' (one node per\n"
  "                        unit, default), 'layer' (one node per layer with\n"
  "                        norms) or 'scalar' (each shown unit as the engine\n"
  "                        holds it: weight leaves, one mul per w*a, an ellipsis\n"
  "                        mul summing the rest, bias, z, activation; default\n"
  "                        units 3,2 per layer), e.g. units,scalar,units\n"
  "  --sum-terms N|all     terms written out in each sum, the largest (default\n"
  "                        2); the others are folded into one '...' term, their\n"
  "                        exact sum\n"
  "  --precision N         significant digits of the numbers drawn (default 3)\n"
  "  --emit dot            write the scalar graph as a DOT file (contract\n"
  "                        format: 'gradviz eval' and 'gradviz check' read it)\n"
  "  --format F            png, svg, pdf or dot (the same as --emit dot);\n"
  "                        default: OUT's suffix ('-o -' needs it)\n"
  "  -o OUT                output; '-' is standard output\n\n"
  "Weights file (text): a header line\n"
  "  gradviz-weights 1 layers 784,30,10 activation sigmoid cost quadratic\n"
  "then per layer L the line 'layer L biases', one line of its biases, the\n"
  "line 'layer L weights', and one line per unit j of its incoming weights\n"
  "w_j0 ... w_j(n-1), numbers written so they read back as the same doubles.\n";

typedef struct mnist_args {
  const char *layers, *act, *cost, *weights, *images, *labels, *out, *emit;
  const char *format;
  const char *show, *focus, *expand;
  uint64_t seed;
  size_t index, sum_terms;
  int precision;
} mnist_args;

/* An installed data file, or the source tree's copy when run from a build
 * folder; NULL when neither exists. */
static char *find_data(const char *name) {
  const char *dirs[] = {GDV_PKGDATADIR "/mnist", GDV_SRCDIR "/examples/mnist"};
  for (size_t i = 0; i < 2; i++) {
    size_t n = strlen(dirs[i]) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path) return NULL;
    snprintf(path, n, "%s/%s", dirs[i], name);
    if (access(path, R_OK) == 0) return path;
    free(path);
  }
  return NULL;
}

/* Returns -1 when --help or --version was handled (exit 0), else a usage
 * exit status, 0 to go on. */
static int parse_args(int argc, char **argv, mnist_args *a) {
  static const struct option opts[] = {
    {"layers", required_argument, NULL, 'L'},
    {"activation", required_argument, NULL, 'A'},
    {"cost", required_argument, NULL, 'C'},
    {"seed", required_argument, NULL, 's'},
    {"weights", required_argument, NULL, 'w'},
    {"images", required_argument, NULL, 'i'},
    {"labels", required_argument, NULL, 'l'},
    {"index", required_argument, NULL, 'k'},
    {"show-units", required_argument, NULL, 'u'},
    {"focus-unit", required_argument, NULL, 'f'},
    {"expand", required_argument, NULL, 'x'},
    {"emit", required_argument, NULL, 'E'},
    {"format", required_argument, NULL, 'F'},
    {"precision", required_argument, NULL, 'p'},
    {"sum-terms", required_argument, NULL, 't'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  int c;
  while ((c = gdv_cli_getopt("mnist", argc, argv, "ho:", opts)) != -1) {
    switch (c) {
    case 'L': a->layers = optarg; break;
    case 'A': a->act = optarg; break;
    case 'C': a->cost = optarg; break;
    case 's': if (!gdv_cli_u64("mnist", "--seed", optarg, &a->seed)) return 2; break;
    case 'w': a->weights = optarg; break;
    case 'i': a->images = optarg; break;
    case 'l': a->labels = optarg; break;
    case 'k': if (!gdv_cli_size("mnist", "--index", optarg, &a->index)) return 2; break;
    case 'u': a->show = optarg; break;
    case 'f': a->focus = optarg; break;
    case 'x': a->expand = optarg; break;
    case 'E': a->emit = optarg; break;
    case 'F': a->format = optarg; break;
    case 'p': {
      size_t p;
      if (!gdv_cli_size("mnist", "--precision", optarg, &p)) return 2;
      if (p < 1 || p > 17)
        return gdv_cli_usage("mnist", "--precision %s: expected 1 to 17 significant digits", optarg);
      a->precision = (int)p;
      break;
    }
    case 't':
      if (strcmp(optarg, "all") == 0) a->sum_terms = SIZE_MAX;
      else if (!gdv_cli_size("mnist", "--sum-terms", optarg, &a->sum_terms)) return 2;
      else if (a->sum_terms == 0)
        return gdv_cli_usage("mnist", "--sum-terms 0: expected 1 or more, or 'all'");
      break;
    case 'o': a->out = optarg; break;
    case 'h': fputs(mnist_help, stdout); return -1;
    case 'V': printf("gradviz %s\n", PACKAGE_VERSION); return -1;
    default: return 2;
    }
  }
  if (optind != argc)
    return gdv_cli_usage("mnist", "unexpected argument '%s'", argv[optind]);
  if (!a->out) return gdv_cli_usage("mnist", "needs -o OUT");
  if (a->emit && strcmp(a->emit, "dot") != 0)
    return gdv_cli_usage("mnist", "--emit '%s': only 'dot' is known", a->emit);
  if (a->format && strcmp(a->format, "png") && strcmp(a->format, "svg") &&
      strcmp(a->format, "pdf") && strcmp(a->format, "dot"))
    return gdv_cli_usage("mnist", "--format '%s': png, svg, pdf or dot", a->format);
  if (a->format && strcmp(a->format, "dot") == 0) a->emit = "dot";
  if (strcmp(a->out, "-") == 0 && !a->format && !a->emit)
    return gdv_cli_usage("mnist", "-o - needs --format (png, svg, pdf or dot)");
  if (!a->images != !a->labels)
    return gdv_cli_usage("mnist", "--images and --labels go together");
  return 0;
}

/* Weights first (they may name the shape), then the network. */
static gdv_status make_net(const mnist_args *a, gdv_mnist_net *net,
                           const char **weights_path, char **found,
                           gdv_error *err) {
  gdv_mnist_weights w = {0};
  int have_w = 0;
  gdv_status st = GDV_OK;
  *weights_path = a->weights;
  if (a->weights && strcmp(a->weights, "trained") == 0) {
    *found = find_data("weights-784-30-10.txt");
    if (!*found)
      return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                           "mnist: --weights trained: the installed weights "
                           "file weights-784-30-10.txt is missing");
    *weights_path = *found;
  }
  if (*weights_path) {
    st = gdv_mnist_weights_read(*weights_path, &w, err);
    if (st) return st;
    have_w = 1;
  }
  gdv_mnist_act act = have_w ? w.act : GDV_MNIST_SIGMOID;
  gdv_mnist_cost cost = have_w ? w.cost : GDV_MNIST_QUADRATIC;
  gdv_mnist_shape shape = {0};
  if (a->act && !gdv_mnist_act_lookup(a->act, &act))
    st = gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                       "mnist: unknown --activation '%s' (sigmoid, tanh, relu)", a->act);
  if (!st && a->cost && !gdv_mnist_cost_lookup(a->cost, &cost))
    st = gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                       "mnist: unknown --cost '%s' (quadratic, cross-entropy)", a->cost);
  if (!st && (a->layers || !have_w))
    st = gdv_mnist_shape_parse(a->layers ? a->layers : "784,30,10", &shape, err);
  if (!st && !a->layers && have_w) {
    /* no --layers: the weights file's shape */
    shape.n_layers = w.shape.n_layers;
    shape.sizes = malloc(w.shape.n_layers * sizeof *shape.sizes);
    if (!shape.sizes) st = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
    else memcpy(shape.sizes, w.shape.sizes, w.shape.n_layers * sizeof *shape.sizes);
  }
  if (!st) st = gdv_mnist_net_build(net, &shape, act, cost, err);
  if (!st) gdv_mnist_net_init(net, a->seed, 0);
  if (!st && have_w) st = gdv_mnist_weights_apply(&w, net, *weights_path, err);
  gdv_mnist_shape_free(&shape);
  if (have_w) gdv_mnist_weights_free(&w);
  return st;
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
  gdv_out_file out;
  gdv_status st = gdv_out_open(&out, path, err);
  if (st) return st;
  st = gdv_mnist_write_dot(net, title, out.f, err);
  if (st) {
    gdv_out_abort(&out);
    return gdv_error_set(err, st, path, 0, "cannot write");
  }
  return gdv_out_commit(&out, err);
}

/* What the figure also says, for a terminal: the verdict and the layer
 * gradient norms (small norms near the input: vanishing gradients). */
static void print_summary(const gdv_mnist_net *net, const gdv_mnist_view *v,
                          const char *images, size_t index, unsigned label) {
  printf("digit %zu of %s: label %u, prediction %zu, C = %.6g\n", index, images,
         label, gdv_mnist_net_predict(net), net->g->value[net->cost_node]);
  for (size_t c = 0; c < v->n_columns; c++)
    printf("  layer %zu (%zu units): ||a|| = %.4g, ||dC/da|| = %.4g%s\n", c,
           net->shape.sizes[c], v->column[c].value_norm, v->column[c].grad_norm,
           c == 0 ? " (dC/dx)" : "");
}

/* Without --images it uses the 100 test digits that come with gradviz; a
 * .dot or .gv output (or --emit dot) writes the network, not a figure. */
int gdv_cmd_mnist(int argc, char **argv) {
  mnist_args a = {0};
  a.seed = 3;
  int rc = parse_args(argc, argv, &a);
  if (rc) return rc < 0 ? 0 : rc;
  gdv_error err;
  gdv_error_clear(&err);
  gdv_mnist_data data = {0};
  gdv_mnist_net net = {0};
  gdv_mnist_view view = {0};
  char *def_images = NULL, *def_labels = NULL, *found_weights = NULL;
  const char *images = a.images, *labels = a.labels, *weights_path = NULL;
  size_t *show = NULL, focus_layer = 0, focus_unit = 0;
  int *scalar = NULL;
  gdv_status st = GDV_OK;
  if (!images) {
    def_images = find_data("test100-images-idx3-ubyte");
    def_labels = find_data("test100-labels-idx1-ubyte");
    if (!def_images || !def_labels) {
      st = gdv_error_set(&err, GDV_ERR_INPUT, "", 0,
                         "mnist: the installed test digits are missing; give "
                         "--images and --labels");
      goto done;
    }
    images = def_images;
    labels = def_labels;
  }
  st = gdv_mnist_data_load(images, labels, &data, &err);
  if (!st) st = make_net(&a, &net, &weights_path, &found_weights, &err);
  if (!st) st = gdv_mnist_net_set_sample(&net, &data, a.index, images, &err);
  if (st) goto done;
  gdv_forward(net.g);
  gdv_backward(net.g);
  char shape[256], title[1024];
  gdv_mnist_shape_format(&net.shape, shape, sizeof shape);
  for (char *p = shape; *p; p++) if (*p == ',') *p = '-';
  snprintf(title, sizeof title, "%s %s network, %s cost: digit %zu (label %u), %s",
           shape, gdv_mnist_act_name(net.act), gdv_mnist_cost_name(net.cost), a.index,
           data.labels[a.index], weights_path ? "trained weights" : "random weights");
  if (a.emit || ends_with(a.out, ".dot") || ends_with(a.out, ".gv")) {
    st = write_dot(&net, title, a.out, &err);
    goto done;
  }
  show = malloc(net.shape.n_layers * sizeof *show);
  if (!show) {
    st = gdv_error_set(&err, GDV_ERR_SYSTEM, "", 0, "out of memory");
    goto done;
  }
  if (!parse_show(a.show, net.shape.n_layers, show)) {
    rc = gdv_cli_usage("mnist", "--show-units '%s': expected 'all' or one count "
                       "per layer (%zu), such as 8,6,10", a.show, net.shape.n_layers);
    goto done;
  }
  if (!parse_focus(a.focus, &focus_layer, &focus_unit)) {
    rc = gdv_cli_usage("mnist", "--focus-unit '%s': expected LAYER:UNIT, such as 1:7",
                       a.focus);
    goto done;
  }
  scalar = calloc(net.shape.n_layers, sizeof *scalar);
  if (!scalar) {
    st = gdv_error_set(&err, GDV_ERR_SYSTEM, "", 0, "out of memory");
    goto done;
  }
  if (!parse_expand(a.expand, net.shape.n_layers, show, scalar)) {
    rc = gdv_cli_usage("mnist", "--expand '%s': expected 'units', 'layer' or 'scalar' "
                       "per layer (%zu), or one for all, such as units,scalar,units",
                       a.expand, net.shape.n_layers);
    goto done;
  }
  if (!a.show) scalar_defaults(net.shape.n_layers, show, scalar);
  st = gdv_mnist_view_build(&net, show, focus_layer, focus_unit, &view, &err);
  if (st) goto done;
  gdv_mnist_draw_options dopt = {0};
  dopt.title = title;
  dopt.image = data.pixels + a.index * data.rows * data.cols;
  dopt.rows = data.rows;
  dopt.cols = data.cols;
  dopt.label = data.labels[a.index];
  dopt.precision = a.precision;
  dopt.sum_terms = a.sum_terms;
  dopt.scalar = scalar;
  dopt.format = a.emit ? NULL : a.format;
  st = gdv_mnist_draw(&net, &view, &dopt, a.out, &err);
  if (!st && strcmp(a.out, "-") != 0)
    print_summary(&net, &view, images, a.index, data.labels[a.index]);
done:
  gdv_mnist_view_free(&view);
  gdv_mnist_net_free(&net);
  gdv_mnist_data_free(&data);
  free(def_images);
  free(def_labels);
  free(found_weights);
  free(show);
  free(scalar);
  if (rc) return rc;
  return st ? gdv_cli_report(&err) : 0;
}
