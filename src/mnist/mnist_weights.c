/* mnist_weights.c: the weights file (format in gdv_mnist.h): text, so that
 * a trained network can be read, diffed and committed; every number is
 * written so it reads back as the same double. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"
#include "mnist/gdv_mnist.h"

/* Shortest round-trip numbers: reading the file back gives the same network
 * bit for bit. Order: per layer, biases, then weights row by row. */
gdv_status gdv_mnist_weights_write(const gdv_mnist_net *net, FILE *f,
                                   gdv_error *err) {
  char shape[256], num[32];
  const double *val = net->g->value;
  fprintf(f, "gradviz-weights 1 layers %s activation %s cost %s\n",
          gdv_mnist_shape_format(&net->shape, shape, sizeof shape),
          gdv_mnist_act_name(net->act), gdv_mnist_cost_name(net->cost));
  for (size_t l = 1; l < net->shape.n_layers; l++) {
    const gdv_mnist_layer *L = &net->layer[l];
    fprintf(f, "layer %zu biases\n", l);
    for (size_t j = 0; j < L->n_out; j++)
      fprintf(f, "%s%s", j ? " " : "", gdv_number_text(val[L->bias[j]], num, sizeof num));
    fprintf(f, "\nlayer %zu weights\n", l);
    for (size_t j = 0; j < L->n_out; j++)
      for (size_t k = 0; k < L->n_in; k++)
        fprintf(f, "%s%s", gdv_number_text(val[L->weight[j * L->n_in + k]], num, sizeof num),
                k + 1 < L->n_in ? " " : "\n");
  }
  if (ferror(f))
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the weights");
  return GDV_OK;
}

/* A cursor over the file's lines, for messages with line numbers. */
typedef struct reader {
  const char *path;
  char *p;        /* start of the current line */
  long line;
  gdv_error *err;
} reader;

/* The next line that is not blank or a comment, NUL-terminated in place;
 * NULL at the end. */
static char *next_line(reader *r) {
  while (r->p && *r->p) {
    char *s = r->p, *nl = strchr(s, '\n');
    r->line++;
    if (nl) {
      *nl = '\0';
      r->p = nl + 1;
      if (nl > s && nl[-1] == '\r') nl[-1] = '\0';
    } else {
      r->p = NULL;
    }
    char *t = s + strspn(s, " \t");
    if (*t && *t != '#') return s;
  }
  return NULL;
}

/* Reads exactly n numbers from the current line (n_lines lines of n/n_lines
 * numbers each). */
static gdv_status read_numbers(reader *r, double *out, size_t n_lines,
                               size_t per_line, const char *what) {
  for (size_t i = 0; i < n_lines; i++) {
    char *s = next_line(r);
    if (!s)
      return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                           "the file ends inside %s (line %zu of %zu expected)",
                           what, i + 1, n_lines);
    size_t count = 0;
    for (char *tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t")) {
      double x;
      if (!gdv_parse_number(tok, &x))
        return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                             "'%.40s' is not a number", tok);
      if (count < per_line) out[i * per_line + count] = x;
      count++;
    }
    if (count != per_line)
      return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                           "%zu numbers on a line of %s, expected %zu", count,
                           what, per_line);
  }
  return GDV_OK;
}

/* Expects the line "layer L WHAT". */
static gdv_status expect_heading(reader *r, size_t l, const char *what) {
  char *s = next_line(r), want[64];
  snprintf(want, sizeof want, "layer %zu %s", l, what);
  if (!s)
    return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                         "the file ends before '%s'", want);
  if (strcmp(s, want) != 0)
    return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                         "expected '%s', found '%.60s'", want, s);
  return GDV_OK;
}

/* The header: "gradviz-weights 1 layers A,B,C activation X cost Y". */
static gdv_status read_header(reader *r, gdv_mnist_weights *w) {
  char *s = next_line(r);
  char layers[256], act[32], cost[32];
  int version = 0, used = 0;
  if (!s || sscanf(s, "gradviz-weights %d layers %255s activation %31s cost %31s%n",
                   &version, layers, act, cost, &used) != 4 || s[used] != '\0')
    return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                         "not a gradviz weights file (the first line should be "
                         "'gradviz-weights 1 layers 784,30,10 activation "
                         "sigmoid cost quadratic')");
  if (version != 1)
    return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                         "weights file version %d; this gradviz reads version 1",
                         version);
  gdv_status st = gdv_mnist_shape_parse(layers, &w->shape, r->err);
  if (st) {
    char msg[sizeof r->err->message];
    snprintf(msg, sizeof msg, "%s", r->err->message);
    return gdv_error_set(r->err, st, r->path, r->line, "%s", msg);
  }
  if (!gdv_mnist_act_lookup(act, &w->act) || !gdv_mnist_cost_lookup(cost, &w->cost))
    return gdv_error_set(r->err, GDV_ERR_INPUT, r->path, r->line,
                         "unknown activation '%s' or cost '%s'", act, cost);
  return GDV_OK;
}

/* The whole file as one NUL-terminated string; io's reader refuses a NUL
 * inside (with its line) and a file over the input size limit. */
static gdv_status slurp(const char *path, char **out, gdv_error *err) {
  gdv_file_text t;
  gdv_status st = gdv_file_load(path, &t, err);
  if (st) return st;
  *out = t.data;
  return GDV_OK;
}

/* Every heading and count is checked against the header's shape; values land
 * in the network's params order, which gdv_mnist_weights_apply relies on. */
gdv_status gdv_mnist_weights_read(const char *path, gdv_mnist_weights *out,
                                  gdv_error *err) {
  memset(out, 0, sizeof *out);
  char *text = NULL;
  gdv_status st = slurp(path, &text, err);
  if (st) return st;
  reader r = {path, text, 0, err};
  st = read_header(&r, out);
  if (!st) {
    for (size_t l = 1; l < out->shape.n_layers; l++)
      out->n_values += out->shape.sizes[l] * (out->shape.sizes[l - 1] + 1);
    out->values = malloc(out->n_values * sizeof *out->values);
    if (!out->values) st = gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "out of memory");
  }
  double *v = out->values;
  for (size_t l = 1; !st && l < out->shape.n_layers; l++) {
    size_t n_in = out->shape.sizes[l - 1], n_out = out->shape.sizes[l];
    st = expect_heading(&r, l, "biases");
    if (!st) st = read_numbers(&r, v, 1, n_out, "the biases");
    v += n_out;
    if (!st) st = expect_heading(&r, l, "weights");
    if (!st) st = read_numbers(&r, v, n_out, n_in, "the weights");
    v += n_in * n_out;
  }
  if (!st && next_line(&r))
    st = gdv_error_set(err, GDV_ERR_INPUT, path, r.line,
                       "unexpected text after the last layer");
  free(text);
  if (st) gdv_mnist_weights_free(out);
  return st;
}

/* Leaves no dangling pointer, so a second free is harmless. */
void gdv_mnist_weights_free(gdv_mnist_weights *w) {
  gdv_mnist_shape_free(&w->shape);
  free(w->values);
  w->values = NULL;
  w->n_values = 0;
}

/* The shapes must be equal, not merely the sizes; values are copied in
 * params order, which is the file's order. */
gdv_status gdv_mnist_weights_apply(const gdv_mnist_weights *w,
                                   gdv_mnist_net *net, const char *path,
                                   gdv_error *err) {
  if (!gdv_mnist_shape_equal(&w->shape, &net->shape)) {
    char a[256], b[256];
    return gdv_error_set(err, GDV_ERR_INPUT, path, 1,
                         "weights for layers %s do not fit the network %s",
                         gdv_mnist_shape_format(&w->shape, a, sizeof a),
                         gdv_mnist_shape_format(&net->shape, b, sizeof b));
  }
  for (size_t p = 0; p < net->n_params; p++)
    net->g->value[net->params[p]] = w->values[p];
  return GDV_OK;
}

/* The file's settings win over the defaults, and a setting the caller names
 * must agree with the file: weights trained with one cost are neither
 * retrained nor drawn with another (they would be saved under the wrong
 * name). The half-built network and the file's numbers are freed on every
 * failure. */
gdv_status gdv_mnist_net_make(gdv_mnist_net *net, const gdv_mnist_net_spec *spec,
                              gdv_error *err) {
  static const size_t default_sizes[] = {784, 30, 10};
  gdv_mnist_shape shape = {3, (size_t *)default_sizes};
  gdv_mnist_act act = spec->act ? *spec->act : GDV_MNIST_SIGMOID;
  gdv_mnist_cost cost = spec->cost ? *spec->cost : GDV_MNIST_QUADRATIC;
  gdv_mnist_weights w = {0};
  gdv_status st = GDV_OK;
  memset(net, 0, sizeof *net);
  if (spec->weights) {
    if ((st = gdv_mnist_weights_read(spec->weights, &w, err))) return st;
    if (spec->act && *spec->act != w.act)
      st = gdv_error_set(err, GDV_ERR_INPUT, spec->weights, 1,
                         "the weights were trained with activation %s, not %s",
                         gdv_mnist_act_name(w.act), gdv_mnist_act_name(*spec->act));
    else if (spec->cost && *spec->cost != w.cost)
      st = gdv_error_set(err, GDV_ERR_INPUT, spec->weights, 1,
                         "the weights were trained with cost %s, not %s",
                         gdv_mnist_cost_name(w.cost), gdv_mnist_cost_name(*spec->cost));
    act = w.act;
    cost = w.cost;
    shape = w.shape;
  }
  if (spec->shape) shape = *spec->shape;
  if (!st) st = gdv_mnist_net_build(net, &shape, act, cost, err);
  if (!st) gdv_mnist_net_init(net, spec->seed, spec->scaled);
  if (!st && spec->weights) {
    st = gdv_mnist_weights_apply(&w, net, spec->weights, err);
    if (st) gdv_mnist_net_free(net);
  }
  gdv_mnist_weights_free(&w);
  return st;
}
