/*
 * gdv_mnist.h: the network of chapter 1 of Nielsen's "Neural Networks and
 * Deep Learning" (784-30-10, sigmoid units, quadratic cost) built as a
 * scalar graph of the core: every weight and bias a `param` leaf, every w*x a
 * `mul` node, every unit an `add` and its activation. Also: IDX files, the
 * weights file, mini-batch SGD through gdv_forward/gdv_backward, and the
 * unit-level view (shown units plus one ellipsis per layer) that figures use.
 * This is the model layer: the figure (drawing, PNG, DOT) is src/mnist_draw.
 *
 * Like the core, nothing here prints or exits. Uses the core and io layers,
 * libc and libm.
 */
#ifndef GDV_MNIST_H
#define GDV_MNIST_H

#include <stdio.h>
#include <stdint.h>

#include "core/gdv.h"

/* ---- IDX files ---------------------------------------------------------- */

/* Images and labels read from a pair of IDX files (big-endian headers,
 * magic 0x00000803 for images, 0x00000801 for labels). */
typedef struct gdv_mnist_data {
  size_t count;
  size_t rows, cols;      /* 28 x 28 for MNIST */
  uint8_t *pixels;        /* count * rows * cols bytes, 0 = background */
  uint8_t *labels;        /* count bytes, 0..9 */
} gdv_mnist_data;

/* Reads and checks both files: magic numbers, dimensions, lengths (a
 * truncated or overlong file is an error naming it), labels 0..9, and that
 * both hold the same number of items. */
gdv_status gdv_mnist_data_load(const char *images, const char *labels,
                               gdv_mnist_data *out, gdv_error *err);
void gdv_mnist_data_free(gdv_mnist_data *d);
/* Writes IDX files (tests and tools make their own small sets). */
gdv_status gdv_mnist_data_save(const gdv_mnist_data *d, const char *images,
                               const char *labels, gdv_error *err);

/* ---- the network -------------------------------------------------------- */

typedef enum gdv_mnist_act {
  GDV_MNIST_SIGMOID, GDV_MNIST_TANH, GDV_MNIST_RELU
} gdv_mnist_act;

typedef enum gdv_mnist_cost {
  GDV_MNIST_QUADRATIC,      /* C = 1/2 sum (a_j - y_j)^2 */
  GDV_MNIST_CROSS_ENTROPY   /* softmax outputs, C = -sum y_j log p_j */
} gdv_mnist_cost;

int gdv_mnist_act_lookup(const char *name, gdv_mnist_act *out);
int gdv_mnist_cost_lookup(const char *name, gdv_mnist_cost *out);
const char *gdv_mnist_act_name(gdv_mnist_act a);
const char *gdv_mnist_cost_name(gdv_mnist_cost c);

/* Layer sizes, from "784,30,10". At least two layers, each at least 1.
 * Like every message of this layer, an error says what is wrong with the
 * value ("'6,,2': expected sizes ..."), not which command-line flag it
 * came from: the command line adds that. */
typedef struct gdv_mnist_shape {
  size_t n_layers;
  size_t *sizes;
} gdv_mnist_shape;
gdv_status gdv_mnist_shape_parse(const char *text, gdv_mnist_shape *out,
                                 gdv_error *err);
void gdv_mnist_shape_free(gdv_mnist_shape *s);
/* "784,30,10" into buf. */
char *gdv_mnist_shape_format(const gdv_mnist_shape *s, char *buf, size_t size);
int gdv_mnist_shape_equal(const gdv_mnist_shape *a, const gdv_mnist_shape *b);

/*
 * The built network. Nodes are created in topological order, so their ids
 * survive gdv_graph_finalize unchanged. Layer l = 1 .. n_layers-1 has
 * n_out = sizes[l] units fed by n_in = sizes[l-1]; its arrays are indexed
 * [j * n_in + k] (unit j, operand k) or [j].
 */
typedef struct gdv_mnist_layer {
  size_t n_in, n_out;
  gdv_id *weight;   /* param leaves, [j * n_in + k] */
  gdv_id *mul;      /* w_jk * a_k,   [j * n_in + k] */
  gdv_id *bias;     /* param leaves, [j] */
  gdv_id *sum;      /* z_j = sum_k w_jk a_k + b_j */
  gdv_id *act;      /* a_j = sigma(z_j); for softmax outputs: z_j itself */
} gdv_mnist_layer;

typedef struct gdv_mnist_net {
  gdv_graph *g;
  gdv_mnist_shape shape;
  gdv_mnist_act act;
  gdv_mnist_cost cost;
  gdv_id *input;           /* sizes[0] input leaves x_k */
  gdv_id *target;          /* sizes[last] input leaves y_j (one-hot) */
  gdv_mnist_layer *layer;  /* [1 .. n_layers-1]; layer[0] unused */
  gdv_id cost_node;
  size_t n_params;
  gdv_id *params;          /* weights-file order: per layer, biases, then
                              weights row by row */
} gdv_mnist_net;

/* Builds and finalizes the graph. Values: inputs 0, targets 0, params 0. */
gdv_status gdv_mnist_net_build(gdv_mnist_net *net, const gdv_mnist_shape *shape,
                               gdv_mnist_act act, gdv_mnist_cost cost,
                               gdv_error *err);
void gdv_mnist_net_free(gdv_mnist_net *net);

/* A small deterministic PRNG (xoshiro256**, seeded by splitmix64): the same
 * seed gives the same network on every machine. */
typedef struct gdv_mnist_rng { uint64_t s[4]; int has_spare; double spare; } gdv_mnist_rng;
void gdv_mnist_rng_seed(gdv_mnist_rng *r, uint64_t seed);
uint64_t gdv_mnist_rng_next(gdv_mnist_rng *r);
double gdv_mnist_rng_uniform(gdv_mnist_rng *r);       /* (0, 1) */
double gdv_mnist_rng_normal(gdv_mnist_rng *r);        /* N(0,1), Box-Muller */
size_t gdv_mnist_rng_below(gdv_mnist_rng *r, size_t n);

/* Every weight and bias drawn from N(0,1), as in chapter 1; with `scaled`,
 * weights into a unit of n inputs from N(0, 1/n) instead (chapter 3's
 * remedy for saturated units; biases stay N(0,1)). */
void gdv_mnist_net_init(gdv_mnist_net *net, uint64_t seed, int scaled);
/* Sets the inputs to pixel/255 and the targets to the one-hot label; fails
 * (an error naming `file`) when index is past the data ("4 is out of
 * range: ...") or, as gdv_mnist_net_check_data, when the image size is not
 * sizes[0] or the label is not below sizes[last]. */
gdv_status gdv_mnist_net_set_sample(gdv_mnist_net *net,
                                    const gdv_mnist_data *d, size_t index,
                                    const char *file, gdv_error *err);
/* Checks that data fits the network (pixels per image = sizes[0], labels
 * below sizes[last]); the error names `file`. */
gdv_status gdv_mnist_net_check_data(const gdv_mnist_net *net,
                                    const gdv_mnist_data *d, const char *file,
                                    gdv_error *err);
/* After gdv_forward: output unit j's activation a_j; for softmax outputs
 * (cross-entropy cost, whose graph node is z_j) a_j = softmax(z)_j, in
 * [0, 1]. */
double gdv_mnist_net_output(const gdv_mnist_net *net, size_t j);
/* After gdv_forward: the output unit with the largest activation. */
size_t gdv_mnist_net_predict(const gdv_mnist_net *net);

/* ---- weights file ------------------------------------------------------- */
/*
 * Text, one header line, then numbers written with gdv_number_text (they
 * read back as the same doubles):
 *
 *   gradviz-weights 1 layers 784,30,10 activation sigmoid cost quadratic
 *   layer 1 biases
 *   b_0 b_1 ... b_29                  (one line, n_out numbers)
 *   layer 1 weights
 *   w_0,0 w_0,1 ... w_0,783           (n_out lines of n_in numbers: row j
 *   ...                                holds the weights into unit j)
 *   layer 2 biases
 *   ...
 *
 * Numbers are separated by single spaces. Blank lines and lines starting
 * with '#' are ignored by the reader.
 */
typedef struct gdv_mnist_weights {
  gdv_mnist_shape shape;
  gdv_mnist_act act;
  gdv_mnist_cost cost;
  size_t n_values;
  double *values;      /* in gdv_mnist_net.params order */
} gdv_mnist_weights;

gdv_status gdv_mnist_weights_read(const char *path, gdv_mnist_weights *out,
                                  gdv_error *err);
void gdv_mnist_weights_free(gdv_mnist_weights *w);
/* Copies the values into the net; a shape mismatch is an error naming
 * `path`. */
gdv_status gdv_mnist_weights_apply(const gdv_mnist_weights *w,
                                   gdv_mnist_net *net, const char *path,
                                   gdv_error *err);
gdv_status gdv_mnist_weights_write(const gdv_mnist_net *net, FILE *f,
                                   gdv_error *err);

/* ---- a network from settings and an optional weights file ------------ */

/* What `gradviz mnist` and `gradviz train` build a network from. A NULL
 * setting is the weights file's, or without a file the default (784,30,10,
 * sigmoid, quadratic). */
typedef struct gdv_mnist_net_spec {
  const gdv_mnist_shape *shape;
  const gdv_mnist_act *act;
  const gdv_mnist_cost *cost;
  uint64_t seed;          /* initial weights (gdv_mnist_net_init) */
  int scaled;
  const char *weights;    /* a weights file to start from, or NULL */
} gdv_mnist_net_spec;

/* Builds, initialises and, with a weights file, loads the network. The
 * file's activation and cost are the network's: a spec naming another is
 * an error naming the file, as is a shape the file does not fit. */
gdv_status gdv_mnist_net_make(gdv_mnist_net *net, const gdv_mnist_net_spec *spec,
                              gdv_error *err);

/* ---- training ----------------------------------------------------------- */

typedef struct gdv_mnist_train_options {
  size_t batch;     /* mini-batch size, default 10 */
  double eta;       /* learning rate, default 3.0 */
  size_t epoch;     /* 1, 2, ...: names the epoch in messages (0: unnamed) */
} gdv_mnist_train_options;

/* Called after every mini-batch with the digits done so far; return
 * non-zero to stop. */
typedef int (*gdv_mnist_progress_fn)(void *ctx, size_t done, size_t total);

/* One epoch of mini-batch SGD: shuffles the order with rng, then for each
 * sample sets the inputs, runs gdv_forward and gdv_backward on the graph and
 * adds dC/dparam; after each mini-batch, param -= eta/m * sum. Returns the
 * mean cost over the epoch in *mean_cost (may be NULL). A cost or a new
 * weight that is inf or nan stops the epoch with an error (the weights
 * stay those before that mini-batch). */
gdv_status gdv_mnist_train_epoch(gdv_mnist_net *net, const gdv_mnist_data *d,
                                 const gdv_mnist_train_options *opt,
                                 gdv_mnist_rng *rng, gdv_mnist_progress_fn fn,
                                 void *ctx, double *mean_cost, gdv_error *err);
/* Correct predictions over the whole set (forward passes only). */
size_t gdv_mnist_evaluate(gdv_mnist_net *net, const gdv_mnist_data *d);

/* ---- the unit view: what a figure shows --------------------------------- */
/*
 * Columns of units: column 0 the inputs, column l the units of layer l. Per
 * column, either every unit or the first K chosen units plus one ellipsis
 * unit standing for the rest. An edge joins two view units of consecutive
 * columns and carries sums over the scalar paths it stands for:
 *   contrib = sum of w_jk * a_k  (what flows forward into z_j),
 *   grad    = sum of dC/dz_j * w_jk (what flows back into a_k),
 * so at every view unit the written-out fan-in (plus bias) adds up to z and
 * the fan-out adds up to dC/da, the ellipsis included.
 */
typedef struct gdv_mnist_vunit {
  size_t first, count;  /* units [first .. ] of the layer (count 1, or the
                           elided ones: `member` lists them) */
  int ellipsis;
  double value;         /* a (sum over members); softmax outputs: softmax(z) */
  double grad;          /* dC/da (sum); softmax outputs: dC/dz = a - y (the
                           graph holds z, the cost takes its softmax) */
  double z, z_grad;     /* z and dC/dz (sums); 0 in column 0 */
  double bias;          /* sum of biases; 0 in column 0 */
  double bias_grad;
} gdv_mnist_vunit;

typedef struct gdv_mnist_vedge {
  size_t from, to;      /* indices into the columns' unit arrays */
  size_t column;        /* the edge goes from column-1 to column */
  size_t paths;         /* how many scalar weights it stands for */
  double contrib;
  double grad;
  double weight;        /* the weight when paths == 1, else their sum */
} gdv_mnist_vedge;

typedef struct gdv_mnist_vcolumn {
  size_t n_units;
  gdv_mnist_vunit *unit;
  size_t *member;       /* layer unit -> its view unit */
  double grad_norm;     /* ||dC/da|| over the whole layer */
  double value_norm;    /* ||a|| */
  double z_grad_norm;   /* ||dC/dz||; 0 in column 0 */
} gdv_mnist_vcolumn;

typedef struct gdv_mnist_view {
  size_t n_columns;
  gdv_mnist_vcolumn *column;
  size_t n_edges;
  gdv_mnist_vedge *edge;
} gdv_mnist_view;

/* show[l]: how many units of column l to show (SIZE_MAX or >= size: all;
 * 0: the whole layer as one node).
 * focus_layer/focus_unit (focus_layer 0: none): that unit is shown first in
 * its column and its whole fan-in column is shown. Units are chosen by
 * |dC/da| (largest first), then by index; inputs by pixel value (ink first),
 * then |dC/dx|. The shown ones keep their layer order. Needs gdv_forward and gdv_backward. */
gdv_status gdv_mnist_view_build(const gdv_mnist_net *net, const size_t *show,
                                size_t focus_layer, size_t focus_unit,
                                gdv_mnist_view *out, gdv_error *err);
void gdv_mnist_view_free(gdv_mnist_view *v);

/* One term of a written-out sum at a view unit: the bias (fan-in only), one
 * edge from or to a shown unit, or the rest: every other edge folded into one
 * number (the edge of the ellipsis unit, and shown edges past the largest
 * few), so that the terms always add up to the total. */
typedef enum gdv_mnist_term_kind {
  GDV_MNIST_TERM_BIAS, GDV_MNIST_TERM_EDGE, GDV_MNIST_TERM_REST
} gdv_mnist_term_kind;

typedef struct gdv_mnist_term {
  gdv_mnist_term_kind kind;
  double value;         /* contrib (fan-in) or grad (fan-out), or their sum */
  size_t paths;         /* scalar paths w_jk * a_k it stands for (bias: 0) */
  size_t edge;          /* TERM_EDGE: index into view->edge */
} gdv_mnist_term;

/* The terms of view unit u of column c: fan-in (z = bias + sum of
 * contribs; c > 0) or fan-out (dC/da = sum of the out-edges' grads; c below
 * the last column). At most max_terms edges of shown units are written, the
 * largest in magnitude (then the lowest index), in layer order; all other
 * edges are summed into one REST term, last. So are edges smaller than
 * min_share times the unit's largest edge (ellipsis edges included): a
 * term of 10⁻¹² beside one of 10⁻⁶ only takes room. *out (freed by the
 * caller) holds *n terms. */
gdv_status gdv_mnist_view_terms(const gdv_mnist_view *v, size_t c, size_t u,
                                int fan_out, size_t max_terms, double min_share,
                                gdv_mnist_term **out, size_t *n,
                                gdv_error *err);

/* ---- the scalar view of one unit: the graph as the engine holds it ----- */
/*
 * Shown unit j of layer c, node by node: z_j = b_j + sum of one mul per
 * operand, each mul w_jk * a_k with its weight leaf. Operands from shown
 * units of column c-1 are single muls (real graph nodes); the operands from
 * column c-1's ellipsis unit are gathered into one ellipsis mul whose
 * numbers are the exact sums of what it hides.
 */
typedef struct gdv_mnist_smul {
  size_t from;          /* view unit of column c-1 it reads */
  size_t paths;         /* 1: one scalar mul; more: an ellipsis of these */
  gdv_id weight, mul;   /* graph nodes when paths == 1, else GDV_NONE */
  double w, w_grad;     /* the weight and dC/dw (sums over paths) */
  double x;             /* the operand a_k (sum) */
  double value;         /* w * a (sum) */
  double grad;          /* dC/d(w*a) of each path: dC/dz_j, the same for all */
  double x_grad;        /* what flows back to a_k along w: dC/dz_j * w (sum) */
} gdv_mnist_smul;

/* The muls of view unit u of column c (c > 0; u not an ellipsis), in the
 * order of column c-1's view units. *out (freed by the caller) holds *n. */
gdv_status gdv_mnist_view_scalar(const gdv_mnist_net *net, const gdv_mnist_view *v,
                                 size_t c, size_t u, gdv_mnist_smul **out,
                                 size_t *n, gdv_error *err);

#endif
