/* mnist_net.c: the chapter-1 network as a scalar graph of the core, and the
 * seeded numbers that initialise it. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist/gdv_mnist.h"

static const char *const act_names[] = {"sigmoid", "tanh", "relu"};
static const char *const cost_names[] = {"quadratic", "cross-entropy"};

/* The index into act_names is the enum value: keep them in the same order. */
int gdv_mnist_act_lookup(const char *name, gdv_mnist_act *out) {
  for (int i = 0; i < 3; i++)
    if (strcmp(name, act_names[i]) == 0) { *out = (gdv_mnist_act)i; return 1; }
  return 0;
}

/* The index into cost_names is the enum value: keep them in the same order. */
int gdv_mnist_cost_lookup(const char *name, gdv_mnist_cost *out) {
  for (int i = 0; i < 2; i++)
    if (strcmp(name, cost_names[i]) == 0) { *out = (gdv_mnist_cost)i; return 1; }
  return 0;
}

/* No range check: a must be a valid enum value. */
const char *gdv_mnist_act_name(gdv_mnist_act a) { return act_names[a]; }
/* No range check: c must be a valid enum value. */
const char *gdv_mnist_cost_name(gdv_mnist_cost c) { return cost_names[c]; }

/* A limit that keeps every id inside 32 bits with room to spare: a layer
 * pair of more than 50 million weights is a typo, not a network. */
#define MAX_WEIGHTS 50000000u

/* Refuses zero sizes, fewer than two layers and more than MAX_WEIGHTS
 * weights, so every node id of the network fits in 32 bits. */
gdv_status gdv_mnist_shape_parse(const char *text, gdv_mnist_shape *out,
                                 gdv_error *err) {
  memset(out, 0, sizeof *out);
  size_t n = 1;
  for (const char *p = text; *p; p++) n += *p == ',';
  out->sizes = calloc(n, sizeof *out->sizes);
  if (!out->sizes)
    return gdv_error_oom(err);
  const char *p = text;
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 10);
    if (*p < '0' || *p > '9' || (*end != ',' && *end != '\0') || errno ||
        v == 0 || v > MAX_WEIGHTS) {
      gdv_mnist_shape_free(out);
      return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                           "'%s': expected sizes from 1 up, separated "
                           "by commas, such as 784,30,10", text);
    }
    out->sizes[i] = (size_t)v;
    if (i > 0) total += (uint64_t)out->sizes[i - 1] * v;
    p = end + (*end == ',');
  }
  out->n_layers = n;
  if (n < 2 || total > MAX_WEIGHTS) {
    gdv_mnist_shape_free(out);
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, n < 2
                         ? "'%s': needs at least an input and an output layer"
                         : "'%s': more than 50 million weights", text);
  }
  return GDV_OK;
}

/* Leaves the shape empty, so a second free is harmless. */
void gdv_mnist_shape_free(gdv_mnist_shape *s) {
  free(s->sizes);
  s->sizes = NULL;
  s->n_layers = 0;
}

/* Cut short quietly when buf is too small; it is for messages and the
 * weights header. */
char *gdv_mnist_shape_format(const gdv_mnist_shape *s, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < s->n_layers && used < size; i++)
    used += (size_t)snprintf(buf + used, size - used, "%s%zu", i ? "," : "",
                             s->sizes[i]);
  return buf;
}

/* Layer by layer: two shapes with the same number of weights are still
 * different networks. */
int gdv_mnist_shape_equal(const gdv_mnist_shape *a, const gdv_mnist_shape *b) {
  if (a->n_layers != b->n_layers) return 0;
  for (size_t i = 0; i < a->n_layers; i++)
    if (a->sizes[i] != b->sizes[i]) return 0;
  return 1;
}

/* ---- PRNG: splitmix64 (the core's gdv_splitmix64) seeds xoshiro256**
 * (public-domain algorithms by Vigna and Blackman); never rand(), whose
 * sequence differs by platform. */

/* splitmix64 spreads one 64-bit seed over the 256-bit state; the spare
 * normal is dropped, so a reseed repeats the sequence exactly. */
void gdv_mnist_rng_seed(gdv_mnist_rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++) r->s[i] = gdv_splitmix64(&seed);
  r->has_spare = 0;
  r->spare = 0;
}

/* k must be 1..63 (a shift by 64 is undefined); xoshiro uses 7 and 45. */
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256**: the same seed gives the same network and training run on
 * every platform. */
uint64_t gdv_mnist_rng_next(gdv_mnist_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* In (0, 1), never 0, so Box-Muller's log stays finite. */
double gdv_mnist_rng_uniform(gdv_mnist_rng *r) {
  /* 53 random bits, shifted off zero so log() below is finite. */
  return ((double)(gdv_mnist_rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Box-Muller: two uniforms give two independent normals; keep the spare. */
double gdv_mnist_rng_normal(gdv_mnist_rng *r) {
  if (r->has_spare) {
    r->has_spare = 0;
    return r->spare;
  }
  double u = gdv_mnist_rng_uniform(r), v = gdv_mnist_rng_uniform(r);
  double radius = sqrt(-2.0 * log(u)), angle = 6.283185307179586 * v;
  r->spare = radius * sin(angle);
  r->has_spare = 1;
  return radius * cos(angle);
}

/* Unbiased: rejects the top sliver that would favour small values. */
size_t gdv_mnist_rng_below(gdv_mnist_rng *r, size_t n) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = gdv_mnist_rng_next(r); while (x >= limit);
  return (size_t)(x % n);
}

/* ---- building the graph ---- */

typedef struct builder {
  gdv_mnist_net *net;
  gdv_error *err;
  char name[64];
} builder;

/* Adds a node named by printf; labels "" on mul nodes (a figure shows the
 * op symbol only, as the formula reader does for unnamed nodes). */
static gdv_status node(builder *b, gdv_op op, gdv_role role, gdv_id *out,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The role is set after creation because gdv_graph_add_node makes every leaf
 * an input; line 0: a built network has no source lines. */
static gdv_status node(builder *b, gdv_op op, gdv_role role, gdv_id *out,
                       const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->name, sizeof b->name, fmt, ap);
  va_end(ap);
  gdv_status st = gdv_graph_add_node(b->net->g, b->name, op, 0, out, b->err);
  if (!st && role != GDV_ROLE_NONE) b->net->g->role[*out] = (uint8_t)role;
  return st;
}

/* arg -1: operands in the order the edges are added, which build_layer
 * chooses. */
static gdv_status edge(builder *b, gdv_id from, gdv_id to) {
  return gdv_graph_add_edge(b->net->g, from, to, -1, 0, b->err);
}

/* Anything unknown falls back to sigmoid, the chapter's activation. */
static gdv_op act_op(gdv_mnist_act a) {
  return a == GDV_MNIST_TANH ? GDV_OP_TANH
       : a == GDV_MNIST_RELU ? GDV_OP_RELU : GDV_OP_SIGMOID;
}

/* Layer l: per unit j, bias, then w_jk and w_jk*a_k for every k, then z_j
 * and a_j. Creation order is topological, so finalize keeps the ids. */
static gdv_status build_layer(builder *b, size_t l, const gdv_id *prev,
                              int softmax_out) {
  gdv_mnist_net *net = b->net;
  gdv_mnist_layer *L = &net->layer[l];
  gdv_status st = GDV_OK;
  for (size_t j = 0; j < L->n_out && !st; j++) {
    st = node(b, GDV_OP_LEAF, GDV_ROLE_PARAM, &L->bias[j], "b%zu_%zu", l, j);
    for (size_t k = 0; k < L->n_in && !st; k++) {
      size_t i = j * L->n_in + k;
      st = node(b, GDV_OP_LEAF, GDV_ROLE_PARAM, &L->weight[i], "w%zu_%zu_%zu", l, j, k);
      if (!st) st = node(b, GDV_OP_MUL, GDV_ROLE_NONE, &L->mul[i], "m%zu_%zu_%zu", l, j, k);
      if (!st) st = edge(b, L->weight[i], L->mul[i]);
      if (!st) st = edge(b, prev[k], L->mul[i]);
    }
    if (!st) st = node(b, GDV_OP_ADD, GDV_ROLE_NONE, &L->sum[j], "z%zu_%zu", l, j);
    for (size_t k = 0; k < L->n_in && !st; k++) st = edge(b, L->mul[j * L->n_in + k], L->sum[j]);
    if (!st) st = edge(b, L->bias[j], L->sum[j]);
    if (softmax_out) {
      L->act[j] = L->sum[j];
      continue;
    }
    if (!st) st = node(b, act_op(net->act), GDV_ROLE_NONE, &L->act[j], "a%zu_%zu", l, j);
    if (!st) st = edge(b, L->sum[j], L->act[j]);
  }
  return st;
}

/* C = 1/2 sum_j (a_j - y_j)^2, node by node. */
static gdv_status build_quadratic(builder *b, const gdv_id *a, size_t n) {
  gdv_mnist_net *net = b->net;
  gdv_id sum, half, d, s;
  gdv_id *sq = malloc(n * sizeof *sq);
  if (!sq) return gdv_error_oom(b->err);
  gdv_status st = GDV_OK;
  for (size_t j = 0; j < n && !st; j++) {
    st = node(b, GDV_OP_SUB, GDV_ROLE_NONE, &d, "d_%zu", j);
    if (!st) st = edge(b, a[j], d);
    if (!st) st = edge(b, net->target[j], d);
    if (!st) st = node(b, GDV_OP_SQUARE, GDV_ROLE_NONE, &s, "sq_%zu", j);
    if (!st) st = edge(b, d, s);
    sq[j] = s;
  }
  if (!st) st = node(b, GDV_OP_ADD, GDV_ROLE_NONE, &sum, "sum_sq");
  for (size_t j = 0; j < n && !st; j++) st = edge(b, sq[j], sum);
  if (!st) st = node(b, GDV_OP_LEAF, GDV_ROLE_CONST, &half, "half");
  if (!st) {
    net->g->value[half] = 0.5;
    st = node(b, GDV_OP_MUL, GDV_ROLE_NONE, &net->cost_node, "C");
  }
  if (!st) st = edge(b, half, net->cost_node);
  if (!st) st = edge(b, sum, net->cost_node);
  free(sq);
  return st;
}

/* Softmax with cross-entropy, stable: u_j = z_j - max z, log p_j = u_j -
 * log sum exp u, C = -sum_j y_j log p_j. The max's gradient is exactly the
 * softmax invariance (its contributions cancel), so nothing is lost. */
static gdv_status build_cross_entropy(builder *b, const gdv_id *z, size_t n) {
  gdv_mnist_net *net = b->net;
  gdv_id *u = malloc(3 * n * sizeof *u), *e = u + n, *t = u + 2 * n;
  gdv_id zmax, sum, logsum, lp, total;
  if (!u) return gdv_error_oom(b->err);
  gdv_status st = node(b, GDV_OP_MAX, GDV_ROLE_NONE, &zmax, "zmax");
  for (size_t j = 0; j < n && !st; j++) st = edge(b, z[j], zmax);
  for (size_t j = 0; j < n && !st; j++) {
    st = node(b, GDV_OP_SUB, GDV_ROLE_NONE, &u[j], "u_%zu", j);
    if (!st) st = edge(b, z[j], u[j]);
    if (!st) st = edge(b, zmax, u[j]);
    if (!st) st = node(b, GDV_OP_EXP, GDV_ROLE_NONE, &e[j], "e_%zu", j);
    if (!st) st = edge(b, u[j], e[j]);
  }
  if (!st) st = node(b, GDV_OP_ADD, GDV_ROLE_NONE, &sum, "sum_exp");
  for (size_t j = 0; j < n && !st; j++) st = edge(b, e[j], sum);
  if (!st) st = node(b, GDV_OP_LOG, GDV_ROLE_NONE, &logsum, "log_sum_exp");
  if (!st) st = edge(b, sum, logsum);
  for (size_t j = 0; j < n && !st; j++) {
    st = node(b, GDV_OP_SUB, GDV_ROLE_NONE, &lp, "logp_%zu", j);
    if (!st) st = edge(b, u[j], lp);
    if (!st) st = edge(b, logsum, lp);
    if (!st) st = node(b, GDV_OP_MUL, GDV_ROLE_NONE, &t[j], "ylogp_%zu", j);
    if (!st) st = edge(b, net->target[j], t[j]);
    if (!st) st = edge(b, lp, t[j]);
  }
  if (!st) st = node(b, GDV_OP_ADD, GDV_ROLE_NONE, &total, "sum_ylogp");
  for (size_t j = 0; j < n && !st; j++) st = edge(b, t[j], total);
  if (!st) st = node(b, GDV_OP_NEG, GDV_ROLE_NONE, &net->cost_node, "C");
  if (!st) st = edge(b, total, net->cost_node);
  free(u);
  return st;
}

/* Notes a failure in *fail instead of returning it, so a run of allocations
 * is checked once; always returns GDV_OK. */
static gdv_status alloc_ids(gdv_id **out, size_t n, int *fail) {
  *out = malloc((n ? n : 1) * sizeof **out);
  if (!*out) *fail = 1;
  return GDV_OK;
}

/* Lists params in weights-file order: per layer, biases, then weights. */
static void list_params(gdv_mnist_net *net) {
  size_t p = 0;
  for (size_t l = 1; l < net->shape.n_layers; l++) {
    gdv_mnist_layer *L = &net->layer[l];
    for (size_t j = 0; j < L->n_out; j++) net->params[p++] = L->bias[j];
    for (size_t i = 0; i < L->n_out * L->n_in; i++) net->params[p++] = L->weight[i];
  }
}

/* Nodes are made in topological order, so the ids kept in net survive
 * gdv_graph_finalize; the cost node is checked, since shuffled ids would be
 * silently wrong. */
gdv_status gdv_mnist_net_build(gdv_mnist_net *net, const gdv_mnist_shape *shape,
                               gdv_mnist_act act, gdv_mnist_cost cost,
                               gdv_error *err) {
  memset(net, 0, sizeof *net);
  size_t nl = shape->n_layers, n_in = shape->sizes[0], n_out = shape->sizes[nl - 1];
  net->act = act;
  net->cost = cost;
  net->shape.n_layers = nl;
  net->shape.sizes = malloc(nl * sizeof *net->shape.sizes);
  net->layer = calloc(nl, sizeof *net->layer);
  int fail = !net->shape.sizes || !net->layer;
  if (fail) {
    gdv_mnist_net_free(net);
    return gdv_error_oom(err);
  }
  memcpy(net->shape.sizes, shape->sizes, nl * sizeof *shape->sizes);
  alloc_ids(&net->input, n_in, &fail);
  alloc_ids(&net->target, n_out, &fail);
  for (size_t l = 1; l < nl; l++) {
    gdv_mnist_layer *L = &net->layer[l];
    L->n_in = shape->sizes[l - 1];
    L->n_out = shape->sizes[l];
    alloc_ids(&L->weight, L->n_in * L->n_out, &fail);
    alloc_ids(&L->mul, L->n_in * L->n_out, &fail);
    alloc_ids(&L->bias, L->n_out, &fail);
    alloc_ids(&L->sum, L->n_out, &fail);
    alloc_ids(&L->act, L->n_out, &fail);
    net->n_params += L->n_out * (L->n_in + 1);
  }
  alloc_ids(&net->params, net->n_params, &fail);
  if (fail) {
    gdv_mnist_net_free(net);
    return gdv_error_oom(err);
  }
  gdv_status st = gdv_graph_new(&net->g, "mnist", err);
  if (st) {
    gdv_mnist_net_free(net);
    return st;
  }
  builder b = {net, err, {0}};
  for (size_t k = 0; k < n_in && !st; k++)
    st = node(&b, GDV_OP_LEAF, GDV_ROLE_INPUT, &net->input[k], "x%zu", k);
  const gdv_id *prev = net->input;
  for (size_t l = 1; l < nl && !st; l++) {
    int softmax_out = l == nl - 1 && cost == GDV_MNIST_CROSS_ENTROPY;
    st = build_layer(&b, l, prev, softmax_out);
    prev = net->layer[l].act;
  }
  for (size_t j = 0; j < n_out && !st; j++)
    st = node(&b, GDV_OP_LEAF, GDV_ROLE_INPUT, &net->target[j], "y%zu", j);
  if (!st)
    st = cost == GDV_MNIST_QUADRATIC ? build_quadratic(&b, prev, n_out)
                                     : build_cross_entropy(&b, prev, n_out);
  for (size_t l = 1; l < nl && !st; l++)
    for (size_t i = 0; i < net->layer[l].n_in * net->layer[l].n_out && !st; i++)
      st = gdv_graph_set_label(net->g, net->layer[l].mul[i], "", err);
  if (!st) st = gdv_graph_mark_output(net->g, net->cost_node, err);
  if (!st) st = gdv_graph_finalize(net->g, err);
  /* The ids we kept assume finalize kept creation order; make sure. */
  if (!st && (net->g->output != net->cost_node ||
              strcmp(net->g->name[net->cost_node], "C") != 0))
    st = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0,
                       "internal error: the graph was reordered");
  if (st) {
    gdv_mnist_net_free(net);
    return st;
  }
  list_params(net);
  return GDV_OK;
}

/* Safe on a half-built network (the build's error paths call it) and leaves
 * it zeroed. */
void gdv_mnist_net_free(gdv_mnist_net *net) {
  if (net->layer)
    for (size_t l = 1; l < net->shape.n_layers; l++) {
      gdv_mnist_layer *L = &net->layer[l];
      free(L->weight); free(L->mul); free(L->bias); free(L->sum); free(L->act);
    }
  free(net->layer);
  free(net->input);
  free(net->target);
  free(net->params);
  gdv_mnist_shape_free(&net->shape);
  if (net->g) gdv_graph_free(net->g);
  memset(net, 0, sizeof *net);
}

/* Biases and weights in file order, all from one N(0,1) stream. */
void gdv_mnist_net_init(gdv_mnist_net *net, uint64_t seed, int scaled) {
  gdv_mnist_rng r;
  gdv_mnist_rng_seed(&r, seed);
  size_t p = 0;
  for (size_t l = 1; l < net->shape.n_layers; l++) {
    const gdv_mnist_layer *L = &net->layer[l];
    double scale = scaled ? 1 / sqrt((double)L->n_in) : 1;
    for (size_t j = 0; j < L->n_out; j++, p++)
      net->g->value[net->params[p]] = gdv_mnist_rng_normal(&r);
    for (size_t i = 0; i < L->n_out * L->n_in; i++, p++)
      net->g->value[net->params[p]] = scale * gdv_mnist_rng_normal(&r);
  }
}

/* Checks every label once, up front, so the training loop need not look at
 * each sample's status. */
gdv_status gdv_mnist_net_check_data(const gdv_mnist_net *net,
                                    const gdv_mnist_data *d, const char *file,
                                    gdv_error *err) {
  size_t n_in = net->shape.sizes[0];
  size_t n_out = net->shape.sizes[net->shape.n_layers - 1];
  if (d->rows * d->cols != n_in)
    return gdv_error_set(err, GDV_ERR_INPUT, file, 0,
                         "images of %zux%zu = %zu pixels do not fit an input "
                         "layer of %zu units", d->rows, d->cols,
                         d->rows * d->cols, n_in);
  for (size_t i = 0; i < d->count; i++)
    if (d->labels[i] >= n_out)
      return gdv_error_set(err, GDV_ERR_INPUT, file, 0,
                           "label %u of item %zu has no output unit: the "
                           "output layer has %zu", d->labels[i], i,
                           n_out);
  return GDV_OK;
}

/* Cheap per-sample checks; on a mismatch gdv_mnist_net_check_data writes the
 * message, so both say the same. */
gdv_status gdv_mnist_net_set_sample(gdv_mnist_net *net,
                                    const gdv_mnist_data *d, size_t index,
                                    const char *file, gdv_error *err) {
  size_t n_in = net->shape.sizes[0];
  size_t n_out = net->shape.sizes[net->shape.n_layers - 1];
  if (index >= d->count)
    return gdv_error_set(err, GDV_ERR_INPUT, file, 0,
                         "%zu is out of range: the file holds %zu "
                         "images (0 to %zu)", index, d->count,
                         d->count ? d->count - 1 : 0);
  if (d->rows * d->cols != n_in || d->labels[index] >= n_out)
    return gdv_mnist_net_check_data(net, d, file, err);
  double *val = net->g->value;
  const uint8_t *px = d->pixels + index * n_in;
  for (size_t k = 0; k < n_in; k++) val[net->input[k]] = px[k] / 255.0;
  for (size_t j = 0; j < n_out; j++) val[net->target[j]] = j == d->labels[index];
  return GDV_OK;
}

/* Ties go to the lowest unit, so the prediction is deterministic. */
/* Softmax outputs are z in the graph (the cost takes log softmax itself):
 * the probability is computed here, as the cost does, from z - max z. */
double gdv_mnist_net_output(const gdv_mnist_net *net, size_t j) {
  const gdv_mnist_layer *L = &net->layer[net->shape.n_layers - 1];
  const double *v = net->g->value;
  if (net->cost != GDV_MNIST_CROSS_ENTROPY) return v[L->act[j]];
  double top = v[L->sum[0]], sum = 0;
  for (size_t i = 1; i < L->n_out; i++) if (v[L->sum[i]] > top) top = v[L->sum[i]];
  for (size_t i = 0; i < L->n_out; i++) sum += exp(v[L->sum[i]] - top);
  return exp(v[L->sum[j]] - top) / sum;
}

size_t gdv_mnist_net_predict(const gdv_mnist_net *net) {
  const gdv_mnist_layer *L = &net->layer[net->shape.n_layers - 1];
  size_t best = 0;
  for (size_t j = 1; j < L->n_out; j++)
    if (net->g->value[L->act[j]] > net->g->value[L->act[best]]) best = j;
  return best;
}
