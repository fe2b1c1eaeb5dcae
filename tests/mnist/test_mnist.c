/* test_mnist.c: the mnist (model) layer: IDX files, the scalar network
 * against a dense computation by hand, the weights file, SGD, and the unit
 * view whose ellipsis sums must add up; and the mnist_draw layer built on it:
 * labels, DOT strings, the big PNG's own lines. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include "../check_main.h"
#include "mnist_draw/gdv_mnist_draw.h"
#include "mnist_draw/mnist_png.h"
#include "mnist_draw/mnist_sum.h"
#include "mnist/gdv_mnist.h"

static char tmpdir[256];

static void make_tmpdir(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/gdv-test-mnist.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
}

static char *tmp_path(const char *name) {
  static char buf[4][320];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, 320, "%s/%s", tmpdir, name);
  return p;
}

static void write_bytes(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, n, f), n);
  fclose(f);
}

/* A small data set: count images of rows x cols with a pattern per label. */
static gdv_mnist_data make_data(size_t count, size_t rows, size_t cols) {
  gdv_mnist_data d = {count, rows, cols, malloc(count * rows * cols), malloc(count)};
  for (size_t i = 0; i < count; i++) {
    d.labels[i] = (uint8_t)(i % 2);
    for (size_t p = 0; p < rows * cols; p++)
      d.pixels[i * rows * cols + p] = (uint8_t)((p % 2 == i % 2) ? 200 + (i * 7 + p) % 50 : (i * 13 + p) % 40);
  }
  return d;
}

/* ---- IDX ---- */

START_TEST(idx_round_trip) {
  make_tmpdir();
  gdv_mnist_data d = make_data(5, 3, 4), back;
  gdv_error err;
  ck_assert_int_eq(gdv_mnist_data_save(&d, tmp_path("i"), tmp_path("l"), &err), 0);
  ck_assert_int_eq(gdv_mnist_data_load(tmp_path("i"), tmp_path("l"), &back, &err), 0);
  ck_assert_uint_eq(back.count, 5);
  ck_assert_uint_eq(back.rows, 3);
  ck_assert_uint_eq(back.cols, 4);
  ck_assert_mem_eq(back.pixels, d.pixels, 60);
  ck_assert_mem_eq(back.labels, d.labels, 5);
  gdv_mnist_data_free(&back);
  gdv_mnist_data_free(&d);
  remove_tmpdir();
}
END_TEST

/* Loads (images, labels) and returns the error message, "" on success. */
static const char *load_message(const uint8_t *img, size_t ni, const uint8_t *lab,
                                size_t nl) {
  static gdv_error err;
  gdv_mnist_data d;
  write_bytes(tmp_path("bi"), img, ni);
  write_bytes(tmp_path("bl"), lab, nl);
  gdv_error_clear(&err);
  if (gdv_mnist_data_load(tmp_path("bi"), tmp_path("bl"), &d, &err) == GDV_OK) {
    gdv_mnist_data_free(&d);
    return "";
  }
  ck_assert_int_eq(err.code, GDV_ERR_INPUT);
  return err.message;
}

START_TEST(idx_errors) {
  make_tmpdir();
  uint8_t img[16 + 2 * 4] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2};
  uint8_t lab[8 + 2] = {0, 0, 8, 1, 0, 0, 0, 2, 3, 7};
  ck_assert_str_eq(load_message(img, sizeof img, lab, sizeof lab), "");
  ck_assert_str_eq(load_message(lab, sizeof lab, lab, sizeof lab),
                   "not an IDX images file: magic number 0x00000801, expected 0x00000803");
  ck_assert_str_eq(load_message(img, sizeof img, img, sizeof img),
                   "not an IDX labels file: magic number 0x00000803, expected 0x00000801");
  ck_assert_str_eq(load_message(img, sizeof img - 1, lab, sizeof lab),
                   "truncated: the header promises 8 bytes of data, the file has 7");
  ck_assert_str_eq(load_message(img, 10, lab, sizeof lab),
                   "truncated: 10 bytes, the header needs 16");
  ck_assert_str_eq(load_message(img, 2, lab, sizeof lab),
                   "truncated: 2 bytes, too short for an IDX header");
  ck_assert_str_eq(load_message(img, sizeof img, lab, sizeof lab - 1),
                   "truncated: the header promises 2 bytes of data, the file has 1");
  lab[9] = 10;
  ck_assert_str_eq(load_message(img, sizeof img, lab, sizeof lab),
                   "label 1 is 10, not a digit 0-9");
  lab[9] = 1;
  lab[7] = 1;
  ck_assert_str_eq(load_message(img, sizeof img, lab, sizeof lab),
                   "1 bytes of trailing data after the 1 the header promises");
  gdv_error err;
  gdv_mnist_data d;
  ck_assert_int_eq(gdv_mnist_data_load(tmp_path("none"), tmp_path("bl"), &d, &err),
                   GDV_ERR_INPUT);
  ck_assert_str_eq(err.file, tmp_path("none"));
  remove_tmpdir();
}
END_TEST

/* ---- shapes ---- */

START_TEST(shape_parse) {
  gdv_mnist_shape s;
  gdv_error err;
  char buf[64];
  ck_assert_int_eq(gdv_mnist_shape_parse("784,30,10", &s, &err), 0);
  ck_assert_uint_eq(s.n_layers, 3);
  ck_assert_str_eq(gdv_mnist_shape_format(&s, buf, sizeof buf), "784,30,10");
  gdv_mnist_shape_free(&s);
  const char *bad[] = {"", "784", "784,,10", "784,0,10", "a,1", "784,30,", "-1,2", "9,9x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_int_eq(gdv_mnist_shape_parse(bad[i], &s, &err), GDV_ERR_INPUT);
  ck_assert_int_eq(gdv_mnist_shape_parse("100000,1000", &s, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "'100000,1000': more than 50 million weights");
}
END_TEST

/* ---- the network against a dense computation ---- */

static double act_f(gdv_mnist_act a, double z) {
  return a == GDV_MNIST_TANH ? tanh(z) : a == GDV_MNIST_RELU ? (z > 0 ? z : 0)
                                                              : 1 / (1 + exp(-z));
}

static double act_d(gdv_mnist_act a, double z) {
  double s = act_f(a, z);
  return a == GDV_MNIST_TANH ? 1 - s * s : a == GDV_MNIST_RELU ? (z > 0) : s * (1 - s);
}

static void build(gdv_mnist_net *net, const char *layers, gdv_mnist_act act,
                  gdv_mnist_cost cost, uint64_t seed) {
  gdv_mnist_shape s;
  gdv_error err;
  ck_assert_int_eq(gdv_mnist_shape_parse(layers, &s, &err), 0);
  ck_assert_int_eq(gdv_mnist_net_build(net, &s, act, cost, &err), 0);
  gdv_mnist_shape_free(&s);
  gdv_mnist_net_init(net, seed, 0);
}

/* Node counts: inputs, targets, per layer n_out*(2*n_in + 1 bias + z + a),
 * the quadratic cost's 2 per output + sum + half + C. */
START_TEST(net_shape) {
  gdv_mnist_net net;
  build(&net, "784,30,10", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 1);
  size_t nodes = 784 + 10 + 30 * (2 * 784 + 3) + 10 * (2 * 30 + 3) + 2 * 10 + 3;
  ck_assert_uint_eq(net.g->n_nodes, nodes);
  ck_assert_uint_eq(net.n_params, 30 * 785 + 10 * 31);
  ck_assert_uint_eq(net.g->n_edges, 30 * (2 * 784 + 785 + 1) + 10 * (2 * 30 + 31 + 1) + 10 * 3 + 10 + 2);
  ck_assert_str_eq(net.g->name[net.layer[1].weight[3 * 784 + 5]], "w1_3_5");
  ck_assert_uint_eq(net.g->op[net.layer[1].mul[0]], GDV_OP_MUL);
  ck_assert_uint_eq(net.g->role[net.layer[2].bias[9]], GDV_ROLE_PARAM);
  ck_assert_str_eq(net.g->name[net.g->output], "C");
  gdv_mnist_net_free(&net);
}
END_TEST

/* Forward and backward of the graph against the chapter's formulas
 * (delta = (a - y) * sigma'(z), dC/dw = delta * a_prev), per activation. */
START_TEST(net_matches_dense) {
  gdv_mnist_act act = (gdv_mnist_act)_i;
  gdv_mnist_net net;
  build(&net, "6,4,3", act, GDV_MNIST_QUADRATIC, 7);
  gdv_mnist_data d = make_data(2, 2, 3);
  gdv_error err;
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 1, "d", &err), 0);
  gdv_forward(net.g);
  gdv_backward(net.g);
  const double *val = net.g->value, *grad = net.g->grad;
  double a0[6], z1[4], a1[4], z2[3], a2[3], d2[3], d1[4];
  for (int k = 0; k < 6; k++) a0[k] = d.pixels[6 + k] / 255.0;
  double C = 0;
  for (int j = 0; j < 4; j++) {
    z1[j] = val[net.layer[1].bias[j]];
    for (int k = 0; k < 6; k++) z1[j] += val[net.layer[1].weight[j * 6 + k]] * a0[k];
    a1[j] = act_f(act, z1[j]);
  }
  for (int j = 0; j < 3; j++) {
    z2[j] = val[net.layer[2].bias[j]];
    for (int k = 0; k < 4; k++) z2[j] += val[net.layer[2].weight[j * 4 + k]] * a1[k];
    a2[j] = act_f(act, z2[j]);
    double y = j == d.labels[1];
    C += 0.5 * (a2[j] - y) * (a2[j] - y);
    d2[j] = (a2[j] - y) * act_d(act, z2[j]);
  }
  for (int k = 0; k < 4; k++) {
    d1[k] = 0;
    for (int j = 0; j < 3; j++) d1[k] += val[net.layer[2].weight[j * 4 + k]] * d2[j];
    d1[k] *= act_d(act, z1[k]);
  }
  ck_assert_double_eq_tol(val[net.cost_node], C, 1e-14);
  for (int j = 0; j < 3; j++) {
    ck_assert_double_eq_tol(grad[net.layer[2].bias[j]], d2[j], 1e-14);
    for (int k = 0; k < 4; k++)
      ck_assert_double_eq_tol(grad[net.layer[2].weight[j * 4 + k]], d2[j] * a1[k], 1e-14);
  }
  for (int j = 0; j < 4; j++)
    for (int k = 0; k < 6; k++)
      ck_assert_double_eq_tol(grad[net.layer[1].weight[j * 6 + k]], d1[j] * a0[k], 1e-14);
  gdv_mnist_data_free(&d);
  gdv_mnist_net_free(&net);
}
END_TEST

/* Softmax + cross-entropy: dC/dz_j = p_j - y_j, and finite differences. */
START_TEST(net_cross_entropy) {
  gdv_mnist_net net;
  build(&net, "6,5,4", GDV_MNIST_SIGMOID, GDV_MNIST_CROSS_ENTROPY, 3);
  gdv_mnist_data d = make_data(2, 2, 3);
  gdv_error err;
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 1, "d", &err), 0);
  gdv_forward(net.g);
  gdv_backward(net.g);
  const gdv_mnist_layer *L = &net.layer[2];
  double zmax = -INFINITY, s = 0;
  for (int j = 0; j < 4; j++) if (net.g->value[L->sum[j]] > zmax) zmax = net.g->value[L->sum[j]];
  for (int j = 0; j < 4; j++) s += exp(net.g->value[L->sum[j]] - zmax);
  for (int j = 0; j < 4; j++) {
    double p = exp(net.g->value[L->sum[j]] - zmax) / s;
    ck_assert_double_eq_tol(net.g->grad[L->sum[j]], p - (j == 1), 1e-14);
    if (j == 1) ck_assert_double_eq_tol(net.g->value[net.cost_node], -log(p), 1e-13);
  }
  gdv_check_options opt;
  gdv_check_result res;
  gdv_check_defaults(&opt);
  ck_assert_int_eq(gdv_check_run(net.g, &opt, &res, &err), 0);
  ck_assert_uint_eq(res.n_failed, 0);
  ck_assert_uint_eq(res.n_rows, res.n_leaves);
  gdv_check_result_free(&res);
  gdv_mnist_data_free(&d);
  gdv_mnist_net_free(&net);
}
END_TEST

START_TEST(set_sample_errors) {
  gdv_mnist_net net;
  build(&net, "5,2", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 1);
  gdv_mnist_data d = make_data(3, 2, 3);
  gdv_error err;
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 0, "imgs", &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.file, "imgs");
  ck_assert_str_eq(err.message, "images of 2x3 = 6 pixels do not fit an input "
                   "layer of 5 units");
  gdv_mnist_net_free(&net);
  build(&net, "6,2", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 1);
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 3, "imgs", &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "3 is out of range: the file holds 3 images (0 to 2)");
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 2, "imgs", &err), 0);
  ck_assert_double_eq(net.g->value[net.input[1]], d.pixels[13] / 255.0);
  ck_assert_double_eq(net.g->value[net.target[0]], 1);
  ck_assert_double_eq(net.g->value[net.target[1]], 0);
  gdv_mnist_net_free(&net);
  build(&net, "6,1", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 1);
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 1, "imgs", &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "label 1 of item 1 has no output unit: the output layer has 1");
  gdv_mnist_net_free(&net);
  gdv_mnist_data_free(&d);
}
END_TEST

/* ---- PRNG ---- */

START_TEST(rng_normal) {
  gdv_mnist_rng r, r2;
  gdv_mnist_rng_seed(&r, 42);
  gdv_mnist_rng_seed(&r2, 42);
  double s = 0, s2 = 0;
  size_t n = 200000;
  for (size_t i = 0; i < n; i++) {
    double x = gdv_mnist_rng_normal(&r);
    ck_assert(x == gdv_mnist_rng_normal(&r2));
    s += x;
    s2 += x * x;
  }
  ck_assert_double_le(fabs(s / n), 0.01);
  ck_assert_double_le(fabs(s2 / n - 1), 0.01);
  gdv_mnist_rng_seed(&r, 1);
  gdv_mnist_rng_seed(&r2, 2);
  ck_assert(gdv_mnist_rng_next(&r) != gdv_mnist_rng_next(&r2));
  for (int i = 0; i < 1000; i++) ck_assert_uint_lt(gdv_mnist_rng_below(&r, 7), 7);
}
END_TEST

/* ---- weights file ---- */

START_TEST(weights_round_trip) {
  make_tmpdir();
  gdv_mnist_net net, other;
  gdv_error err;
  build(&net, "6,4,3", GDV_MNIST_TANH, GDV_MNIST_CROSS_ENTROPY, 11);
  net.g->value[net.params[0]] = 0.1;  /* a value with no short decimal */
  FILE *f = fopen(tmp_path("w.txt"), "w");
  ck_assert_int_eq(gdv_mnist_weights_write(&net, f, &err), 0);
  fclose(f);
  gdv_mnist_weights w;
  ck_assert_int_eq(gdv_mnist_weights_read(tmp_path("w.txt"), &w, &err), 0);
  ck_assert_uint_eq(w.act, GDV_MNIST_TANH);
  ck_assert_uint_eq(w.cost, GDV_MNIST_CROSS_ENTROPY);
  build(&other, "6,4,3", GDV_MNIST_TANH, GDV_MNIST_CROSS_ENTROPY, 12);
  ck_assert_int_eq(gdv_mnist_weights_apply(&w, &other, "w.txt", &err), 0);
  for (size_t p = 0; p < net.n_params; p++)
    ck_assert(net.g->value[net.params[p]] == other.g->value[other.params[p]]);
  gdv_mnist_net_free(&other);
  build(&other, "6,5,3", GDV_MNIST_TANH, GDV_MNIST_CROSS_ENTROPY, 12);
  ck_assert_int_eq(gdv_mnist_weights_apply(&w, &other, "w.txt", &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.file, "w.txt");
  ck_assert_str_eq(err.message, "weights for layers 6,4,3 do not fit the network 6,5,3");
  gdv_mnist_weights_free(&w);
  gdv_mnist_net_free(&other);
  gdv_mnist_net_free(&net);

  /* damaged files: the message names the line */
  const char *hdr = "gradviz-weights 1 layers 2,1 activation sigmoid cost quadratic\n";
  struct { const char *body; long line; const char *msg; } bad[] = {
    {"layer 1 biases\n0.5\nlayer 1 weights\n1 2 3\n", 5,
     "3 numbers on a line of the weights, expected 2"},
    {"layer 1 biases\n0.5\nlayer 1 weights\n1 x\n", 5, "'x' is not a number"},
    {"layer 1 biases\n0.5\n", 3, "the file ends before 'layer 1 weights'"},
    {"layer 2 biases\n", 2, "expected 'layer 1 biases', found 'layer 2 biases'"},
    {"layer 1 biases\n0.5\nlayer 1 weights\n1 2\n7\n", 6, "unexpected text after the last layer"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[512];
    snprintf(text, sizeof text, "%s%s", hdr, bad[i].body);
    write_bytes(tmp_path("bad.txt"), text, strlen(text));
    ck_assert_int_eq(gdv_mnist_weights_read(tmp_path("bad.txt"), &w, &err), GDV_ERR_INPUT);
    ck_assert_str_eq(err.message, bad[i].msg);
    ck_assert_int_eq(err.line, bad[i].line);
  }
  write_bytes(tmp_path("bad.txt"), "hello\n", 6);
  ck_assert_int_eq(gdv_mnist_weights_read(tmp_path("bad.txt"), &w, &err), GDV_ERR_INPUT);
  ck_assert_int_eq(err.line, 1);
  remove_tmpdir();
}
END_TEST

/* ---- training ---- */

/* One SGD step of a mini-batch equals eta/m times the summed gradients of
 * separate forward/backward passes; and training learns a separable set. */
START_TEST(train_learns) {
  gdv_mnist_net net, ref;
  gdv_error err;
  build(&net, "6,4,2", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 5);
  build(&ref, "6,4,2", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 5);
  gdv_mnist_data d = make_data(4, 2, 3);
  double *sum = calloc(ref.n_params, sizeof *sum);
  for (size_t i = 0; i < 4; i++) {
    ck_assert_int_eq(gdv_mnist_net_set_sample(&ref, &d, i, "d", &err), 0);
    gdv_forward(ref.g);
    gdv_backward(ref.g);
    for (size_t p = 0; p < ref.n_params; p++) sum[p] += ref.g->grad[ref.params[p]];
  }
  gdv_mnist_train_options opt = {4, 0.5, 0};
  gdv_mnist_rng rng;
  gdv_mnist_rng_seed(&rng, 1);
  ck_assert_int_eq(gdv_mnist_train_epoch(&net, &d, &opt, &rng, NULL, NULL, NULL, &err), 0);
  for (size_t p = 0; p < net.n_params; p++)
    ck_assert_double_eq_tol(net.g->value[net.params[p]],
                            ref.g->value[ref.params[p]] - 0.5 / 4 * sum[p], 1e-14);
  free(sum);
  gdv_mnist_data_free(&d);
  d = make_data(40, 2, 3);
  opt.batch = 4;
  opt.eta = 3;
  double first = 0, last = 0;
  for (int e = 0; e < 30; e++) {
    double c;
    ck_assert_int_eq(gdv_mnist_train_epoch(&net, &d, &opt, &rng, NULL, NULL, &c, &err), 0);
    if (e == 0) first = c;
    last = c;
  }
  ck_assert_double_lt(last, first / 4);
  ck_assert_uint_eq(gdv_mnist_evaluate(&net, &d), 40);
  gdv_mnist_data_free(&d);
  gdv_mnist_net_free(&net);
  gdv_mnist_net_free(&ref);
}
END_TEST

/* ---- the view: shown plus elided equals the true total ---- */

/* The written-out sum of view unit u (fan-in or fan-out) with at most
 * max_terms edge terms: its terms add up to the total (z, or dC/da) and
 * stand for every scalar path exactly once; the written edges are shown
 * units' and the largest; the bias comes first, the folded rest last. */
static void check_terms(const gdv_mnist_net *net, const gdv_mnist_view *v,
                        size_t c, size_t u, int fan_out, size_t max_terms,
                        double min_share) {
  gdv_mnist_term *t;
  size_t n, edges = 0, paths = 0;
  gdv_error err;
  ck_assert_int_eq(gdv_mnist_view_terms(v, c, u, fan_out, max_terms, min_share, &t, &n, &err), 0);
  const gdv_mnist_vunit *vu = &v->column[c].unit[u];
  size_t other = fan_out ? c + 1 : c - 1;
  double s = 0, mag = 0, smallest = INFINITY;
  for (size_t i = 0; i < n; i++) {
    s += t[i].value;
    mag += fabs(t[i].value);
    paths += t[i].paths;
    ck_assert_int_eq(t[i].kind == GDV_MNIST_TERM_BIAS, !fan_out && i == 0);
    if (t[i].kind == GDV_MNIST_TERM_REST) ck_assert_uint_eq(i, n - 1);
    if (t[i].kind != GDV_MNIST_TERM_EDGE) continue;
    const gdv_mnist_vedge *e = &v->edge[t[i].edge];
    ck_assert_uint_eq(e->column, fan_out ? c + 1 : c);
    ck_assert_uint_eq(fan_out ? e->from : e->to, u);
    ck_assert(!v->column[other].unit[fan_out ? e->to : e->from].ellipsis);
    ck_assert(t[i].value == (fan_out ? e->grad : e->contrib));
    if (fabs(t[i].value) < smallest) smallest = fabs(t[i].value);
    edges++;
  }
  ck_assert_uint_le(edges, max_terms);
  double total = fan_out ? vu->grad : vu->z;
  ck_assert_double_eq_tol(s, total, 1e-12 * (1 + mag));
  ck_assert_uint_eq(paths, vu->count * net->shape.sizes[other]);
  /* no folded edge of a shown unit is larger than a written one, unless
   * it is below min_share of the largest */
  double largest = 0;
  for (size_t e = 0; e < v->n_edges; e++) {
    const gdv_mnist_vedge *ve = &v->edge[e];
    if (fan_out ? ve->column != c + 1 || ve->from != u : ve->column != c || ve->to != u) continue;
    if (fabs(fan_out ? ve->grad : ve->contrib) > largest) largest = fabs(fan_out ? ve->grad : ve->contrib);
  }
  ck_assert_double_ge(smallest, min_share * largest);
  for (size_t e = 0; e < v->n_edges; e++) {
    const gdv_mnist_vedge *ve = &v->edge[e];
    if (fan_out ? ve->column != c + 1 || ve->from != u : ve->column != c || ve->to != u) continue;
    if (v->column[other].unit[fan_out ? ve->to : ve->from].ellipsis) continue;
    int written = 0;
    for (size_t i = 0; i < n; i++) written |= t[i].kind == GDV_MNIST_TERM_EDGE && t[i].edge == e;
    if (!written && fabs(fan_out ? ve->grad : ve->contrib) >= min_share * largest) {
      ck_assert_uint_eq(edges, max_terms);
      ck_assert_double_le(fabs(fan_out ? ve->grad : ve->contrib), smallest);
    }
  }
  free(t);
}

/* The scalar view of every shown unit of column c: bias + the muls' values
 * = z; one path per scalar weight; each mul agrees with the view edge it
 * expands (so the fan-out sums at column c-1 still add up, through the
 * muls); dC/dw = dC/dz * a, also summed over an ellipsis mul; and at
 * every view unit of column c-1, the gradients flowing back through the
 * muls plus those into column c's ellipsis add up to dC/da. */
static void check_scalar(const gdv_mnist_net *net, const gdv_mnist_view *v, size_t c) {
  const gdv_mnist_vcolumn *col = &v->column[c], *prev = &v->column[c - 1];
  double *back = calloc(prev->n_units, sizeof *back), *mag = calloc(prev->n_units, sizeof *mag);
  gdv_error err;
  for (size_t u = 0; u < col->n_units; u++) {
    const gdv_mnist_vunit *vu = &col->unit[u];
    if (vu->ellipsis) {
      /* the layer's elided units stay one node, fed by the view's edges */
      for (size_t e = 0; e < v->n_edges; e++)
        if (v->edge[e].column == c && v->edge[e].to == u) {
          back[v->edge[e].from] += v->edge[e].grad;
          mag[v->edge[e].from] += fabs(v->edge[e].grad);
        }
      gdv_mnist_smul *m;
      size_t n;
      ck_assert_int_eq(gdv_mnist_view_scalar(net, v, c, u, &m, &n, &err), GDV_ERR_INPUT);
      continue;
    }
    gdv_mnist_smul *m;
    size_t n, paths = 0;
    ck_assert_int_eq(gdv_mnist_view_scalar(net, v, c, u, &m, &n, &err), 0);
    ck_assert_uint_eq(n, prev->n_units);
    double z = vu->bias, zmag = fabs(vu->bias);
    double dz = net->g->grad[net->layer[c].sum[vu->first]];
    for (size_t i = 0; i < n; i++) {
      const gdv_mnist_vunit *pu = &prev->unit[m[i].from];
      ck_assert_uint_eq(m[i].from, i);
      ck_assert_uint_eq(m[i].paths, pu->count);
      ck_assert_int_eq(m[i].paths == 1, m[i].mul != GDV_NONE && m[i].weight != GDV_NONE);
      if (m[i].paths == 1) {
        ck_assert(m[i].value == net->g->value[m[i].mul]);
        ck_assert(m[i].w_grad == net->g->grad[m[i].weight]);
        ck_assert_double_eq_tol(m[i].value, m[i].w * m[i].x, 1e-15 * (1 + fabs(m[i].value)));
      }
      ck_assert(m[i].grad == dz);
      ck_assert_double_eq_tol(m[i].x, pu->value, 1e-12 * (1 + fabs(pu->value)));
      ck_assert_double_eq_tol(m[i].w_grad, dz * m[i].x, 1e-12 * (1 + fabs(dz * m[i].x)));
      /* the view stores column c's edges row by row: to * n_from + from */
      size_t base = 0;
      while (v->edge[base].column != c) base++;
      const gdv_mnist_vedge *e = &v->edge[base + u * prev->n_units + i];
      ck_assert(e->column == c && e->to == u && e->from == i);
      ck_assert_double_eq_tol(m[i].value, e->contrib, 1e-12 * (1 + fabs(e->contrib)));
      ck_assert_double_eq_tol(m[i].x_grad, e->grad, 1e-12 * (1 + fabs(e->grad)));
      ck_assert_double_eq_tol(m[i].w, e->weight, 1e-12 * (1 + fabs(e->weight)));
      z += m[i].value;
      zmag += fabs(m[i].value);
      paths += m[i].paths;
      back[i] += m[i].x_grad;
      mag[i] += fabs(m[i].x_grad);
    }
    ck_assert_uint_eq(paths, net->layer[c].n_in);
    ck_assert_double_eq_tol(z, vu->z, 1e-12 * (1 + zmag));
    free(m);
  }
  for (size_t s = 0; s < prev->n_units; s++)
    ck_assert_double_eq_tol(back[s], prev->unit[s].grad, 1e-12 * (1 + mag[s]));
  free(back);
  free(mag);
}

static void check_view_sums(const gdv_mnist_net *net, const gdv_mnist_view *v,
                            const size_t *show) {
  const gdv_graph *g = net->g;
  for (size_t c = 0; c < v->n_columns; c++) {
    const gdv_mnist_vcolumn *col = &v->column[c];
    size_t n = net->shape.sizes[c], k = show[c] >= n - 1 ? n : show[c];
    ck_assert_uint_eq(col->n_units, k + (k < n));
    double total_a = 0, total_g = 0, shown = 0, tol;
    size_t members = 0;
    for (size_t j = 0; j < n; j++) {
      gdv_id a = c ? net->layer[c].act[j] : net->input[j];
      total_a += g->value[a];
      total_g += g->grad[a];
    }
    for (size_t u = 0; u < col->n_units; u++) {
      members += col->unit[u].count;
      shown += col->unit[u].value;
      ck_assert_int_eq(col->unit[u].ellipsis, k < n && u == col->n_units - 1);
    }
    ck_assert_uint_eq(members, n);
    ck_assert_double_eq_tol(shown, total_a, 1e-12 * (1 + fabs(total_a)));
    (void)total_g;
    /* fan-in of every view unit: bias + sum of its in-edges' contributions = z */
    for (size_t u = 0; c > 0 && u < col->n_units; u++) {
      double s = col->unit[u].bias, mag = fabs(s);
      size_t paths = 0;
      for (size_t e = 0; e < v->n_edges; e++)
        if (v->edge[e].column == c && v->edge[e].to == u) {
          s += v->edge[e].contrib;
          mag += fabs(v->edge[e].contrib);
          paths += v->edge[e].paths;
        }
      tol = 1e-12 * (1 + mag);
      ck_assert_double_eq_tol(s, col->unit[u].z, tol);
      ck_assert_uint_eq(paths, col->unit[u].count * net->shape.sizes[c - 1]);
    }
    /* the written-out sums, folded to a few terms, add up too */
    static const size_t terms[] = {1, 2, 3, SIZE_MAX};
    static const double shares[] = {0, 1e-3, 0.3};
    /* (in the 784-unit column, every 61st unit and the last: time) */
    for (size_t u = 0; u < col->n_units; u++)
      for (size_t i = 0; i < 12 && (col->n_units < 100 || u % 61 == 0 || u + 1 == col->n_units); i++) {
        if (c > 0) check_terms(net, v, c, u, 0, terms[i % 4], shares[i / 4]);
        if (c + 1 < v->n_columns) check_terms(net, v, c, u, 1, terms[i % 4], shares[i / 4]);
      }
    if (c > 0 && col->n_units <= 40) check_scalar(net, v, c);
    /* fan-out of every view unit: sum of out-edges' grads = dC/da */
    for (size_t u = 0; c + 1 < v->n_columns && u < col->n_units; u++) {
      double s = 0, mag = 0;
      for (size_t e = 0; e < v->n_edges; e++)
        if (v->edge[e].column == c + 1 && v->edge[e].from == u) {
          s += v->edge[e].grad;
          mag += fabs(v->edge[e].grad);
        }
      tol = 1e-12 * (1 + mag);
      ck_assert_double_eq_tol(s, col->unit[u].grad, tol);
    }
  }
}

START_TEST(view_sums) {
  gdv_mnist_net net;
  gdv_error err;
  build(&net, "784,30,10", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 9);
  gdv_mnist_data d = make_data(1, 28, 28);
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 0, "d", &err), 0);
  gdv_forward(net.g);
  gdv_backward(net.g);
  size_t choices[][3] = {{8, 6, 10}, {12, 8, SIZE_MAX}, {1, 1, 1}, {783, 29, 9},
                         {SIZE_MAX, SIZE_MAX, SIZE_MAX}, {100, 5, 3}, {784, 2, 10},
                         {0, 3, 0}, {0, 0, 0}};
  for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
    gdv_mnist_view v;
    ck_assert_int_eq(gdv_mnist_view_build(&net, choices[i], 0, 0, &v, &err), 0);
    check_view_sums(&net, &v, choices[i]);
    gdv_mnist_view_free(&v);
  }
  /* the ellipsis of 8,6,10 hides 776 inputs and 24 hidden units */
  gdv_mnist_view v;
  ck_assert_int_eq(gdv_mnist_view_build(&net, choices[0], 0, 0, &v, &err), 0);
  ck_assert_uint_eq(v.column[0].unit[8].count, 776);
  ck_assert_uint_eq(v.column[1].unit[6].count, 24);
  ck_assert_uint_eq(v.n_edges, 9 * 7 + 7 * 10);
  gdv_mnist_view_free(&v);
  /* the output column shows the label's unit and the prediction first */
  size_t few[3] = {6, 5, 2};
  ck_assert_int_eq(gdv_mnist_view_build(&net, few, 0, 0, &v, &err), 0);
  size_t pred = gdv_mnist_net_predict(&net), label = d.labels[0];
  ck_assert_uint_ne(pred, label);
  ck_assert_uint_eq(v.column[2].n_units, 3);
  ck_assert_uint_eq(v.column[2].unit[0].first, pred < label ? pred : label);
  ck_assert_uint_eq(v.column[2].unit[1].first, pred < label ? label : pred);
  gdv_mnist_view_free(&v);
  /* focus: unit 1:17 shown, with its full fan-in */
  size_t show[3] = {8, 3, 10};
  ck_assert_int_eq(gdv_mnist_view_build(&net, show, 1, 17, &v, &err), 0);
  ck_assert_uint_eq(v.column[0].n_units, 784);
  ck_assert_uint_eq(v.column[1].n_units, 4);
  int found = 0;
  for (size_t u = 0; u < 3; u++) found |= v.column[1].unit[u].first == 17;
  ck_assert(found);
  gdv_mnist_view_free(&v);
  ck_assert_int_eq(gdv_mnist_view_build(&net, show, 2, 10, &v, &err), GDV_ERR_INPUT);
  gdv_mnist_data_free(&d);
  gdv_mnist_net_free(&net);
}
END_TEST

/* ---- the real digits, where present ---- */

START_TEST(real_digits) {
  const char *dir = getenv("GDV_SRCDIR");
  char img[512], lab[512];
  snprintf(img, sizeof img, "%s/examples/mnist/test100-images-idx3-ubyte", dir ? dir : ".");
  snprintf(lab, sizeof lab, "%s/examples/mnist/test100-labels-idx1-ubyte", dir ? dir : ".");
  gdv_mnist_data d;
  gdv_error err;
  if (access(img, R_OK) != 0) return;
  ck_assert_int_eq(gdv_mnist_data_load(img, lab, &d, &err), 0);
  ck_assert_uint_eq(d.count, 100);
  uint8_t first[8] = {1, 3, 4, 6, 1, 4, 2, 0};
  ck_assert_mem_eq(d.labels, first, 8);
  gdv_mnist_data_free(&d);
}
END_TEST

/* ---- the figure (src/mnist_draw) ---- */

/* A 6-3-2 network evaluated on a 2x3 image, every unit shown. */
static void small_figure(gdv_mnist_net *net, gdv_mnist_data *d, gdv_mnist_view *v,
                         gdv_mnist_draw_options *opt) {
  gdv_error err;
  build(net, "6,3,2", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 3);
  *d = make_data(4, 2, 3);
  ck_assert_int_eq(gdv_mnist_net_set_sample(net, d, 0, "imgs", &err), 0);
  gdv_forward(net->g);
  gdv_backward(net->g);
  size_t show[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
  ck_assert_int_eq(gdv_mnist_view_build(net, show, 0, 0, v, &err), 0);
  memset(opt, 0, sizeof *opt);
  opt->title = "small";
  opt->image = d->pixels;
  opt->rows = 2;
  opt->cols = 3;
  opt->label = d->labels[0];
}

static void small_figure_free(gdv_mnist_net *net, gdv_mnist_data *d, gdv_mnist_view *v) {
  gdv_mnist_view_free(v);
  gdv_mnist_net_free(net);
  gdv_mnist_data_free(d);
}

/* The inputs' labels count rows of the image's own width (they assumed 28
 * pixels: x₃ of a 2x3 image was "row 0, col 3"). */
START_TEST(figure_input_labels) {
  gdv_mnist_net net;
  gdv_mnist_data d;
  gdv_mnist_view v;
  gdv_mnist_draw_options opt;
  gdv_style style;
  gdv_scene *s;
  gdv_error err;
  small_figure(&net, &d, &v, &opt);
  ck_assert_int_eq(gdv_mnist_scene(&net, &v, &opt, &style, &s, &err), 0);
  const char *want[6] = {"x₀  (row 0, col 0)", "x₁  (row 0, col 1)", "x₂  (row 0, col 2)",
                         "x₃  (row 1, col 0)", "x₄  (row 1, col 1)", "x₅  (row 1, col 2)"};
  for (size_t k = 0; k < 6; k++) {
    char id[8];
    snprintf(id, sizeof id, "x%zu", k);
    size_t i = 0;
    while (i < s->n_nodes && strcmp(s->nodes[i].id, id) != 0) i++;
    ck_assert_uint_lt(i, s->n_nodes);
    ck_assert_str_eq(s->nodes[i].lines[0].text, want[k]);
  }
  gdv_scene_free(s);
  small_figure_free(&net, &d, &v);
}
END_TEST

/* No title is a figure without one, not a crash. */
START_TEST(figure_without_title) {
  gdv_mnist_net net;
  gdv_mnist_data d;
  gdv_mnist_view v;
  gdv_mnist_draw_options opt;
  gdv_error err;
  make_tmpdir();
  small_figure(&net, &d, &v, &opt);
  opt.title = NULL;
  ck_assert_int_eq(gdv_mnist_draw(&net, &v, &opt, tmp_path("f.svg"), &err), 0);
  ck_assert_int_eq(access(tmp_path("f.svg"), R_OK), 0);
  small_figure_free(&net, &d, &v);
  remove_tmpdir();
}
END_TEST

/* The DOT's strings escape newlines as every DOT gradviz writes does (a
 * raw newline inside quotes was written before). */
START_TEST(dot_escapes_strings) {
  gdv_mnist_net net;
  gdv_mnist_data d;
  gdv_mnist_view v;
  gdv_mnist_draw_options opt;
  gdv_error err;
  small_figure(&net, &d, &v, &opt);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  ck_assert_int_eq(gdv_mnist_write_dot(&net, "two\nlines \"q\" \\", f, &err), 0);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(text, "\n  label=\"two\\nlines \\\"q\\\" \\\\\";\n"));
  free(text);
  small_figure_free(&net, &d, &v);
}
END_TEST

/* Adds a node at (x, y), 10 points square. */
static size_t put_node(gdv_scene *s, const char *id, double x, double y) {
  size_t i;
  gdv_error err;
  ck_assert_int_eq(gdv_scene_add_node(s, id, GDV_KIND_OP, &i, &err), 0);
  s->nodes[i].x = x;
  s->nodes[i].y = y;
  s->nodes[i].w = s->nodes[i].h = 10;
  return i;
}

/* Adds a straight edge from a to b with |gradient| w. */
static void put_edge(gdv_scene *s, size_t a, size_t b, double w) {
  size_t e;
  gdv_error err;
  ck_assert_int_eq(gdv_scene_add_edge(s, a, b, &e, &err), 0);
  gdv_scene_edge *ed = &s->edges[e];
  ed->weight = w;
  ed->pts = malloc(4 * sizeof *ed->pts);
  ed->pts[0] = s->nodes[a].x + 5;
  ed->pts[1] = ed->pts[3] = s->nodes[a].y;
  ed->pts[2] = s->nodes[b].x - 10;
  ed->n_pts = 2;
  ed->tip_x = s->nodes[b].x - 5;
  ed->tip_y = s->nodes[b].y;
}

/* The big figures' own PNG lines take the flow colours the drawn edges
 * take (the render layer's range, at least two decades): with |gradient|
 * 1 and 2 the smaller is most of the way to flow-hi (orange), not the
 * faint grey of the bottom of the scale it used to get. */
START_TEST(fast_edges_flow_colours) {
  gdv_scene *s;
  gdv_style st;
  gdv_error err;
  gdv_render_canvas rc;
  make_tmpdir();
  gdv_style_default(&st);
  ck_assert_int_eq(gdv_scene_new(&s, &err), 0);
  s->show = GDV_SHOW_FLOW;
  put_edge(s, put_node(s, "a1", 0, 0), put_node(s, "b1", 200, 0), 2);
  put_edge(s, put_node(s, "a2", 0, 40), put_node(s, "b2", 200, 40), 1);
  s->laid_out = 1;
  gdv_render_meta meta = {.dpi = 144};
  FILE *f = fopen(tmp_path("e.png"), "wb");
  ck_assert_int_eq(gdv_mnist_png_fast_edges(s, &st, &meta, f, &err), 0);
  fclose(f);
  ck_assert_int_eq(gdv_render_canvas_draw(s, &st, &meta, &rc, &err), 0);
  ck_assert_double_eq_tol(rc.flow_lo, 0.02, 1e-12);
  gdv_rgba want;
  double t = gdv_render_flow_colour(&st, rc.flow_lo, rc.flow_hi, 1, &want);
  ck_assert_double_eq_tol(t, log10(50) / 2, 1e-12);
  cairo_surface_t *png = cairo_image_surface_create_from_png(tmp_path("e.png"));
  ck_assert_int_eq(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
  const uint32_t *px = (const uint32_t *)(void *)cairo_image_surface_get_data(png);
  int stride = cairo_image_surface_get_stride(png) / 4;
  int x = (int)((100 + rc.ox) * rc.scale), y = (int)((40 + rc.oy) * rc.scale);
  uint32_t dark = 0xffffff;
  for (int r = y - 2; r <= y + 2; r++) {
    uint32_t p = px[r * stride + x] & 0xffffff;
    if ((p & 255) < (dark & 255)) dark = p;
  }
  /* blue drops by (255 - 255 * want.b) * alpha at full coverage; half of
   * it at worst between two pixel rows; the old grey at alpha 0.05 moved
   * it by 4 at most */
  double alpha = 0.05 + 0.55 * t, drop = (255 - 255 * want.b) * alpha;
  ck_assert_int_le((int)(dark & 255), (int)(255 - drop / 2));
  ck_assert_int_gt((int)(dark >> 16 & 255), (int)(dark & 255));
  cairo_surface_destroy(png);
  gdv_render_canvas_free(&rc);
  gdv_scene_free(s);
  remove_tmpdir();
}
END_TEST

/* A written-out sum as gdv_mnist_sum_text writes it. */
static char *sum_text(double total, const gdv_mnist_term *t, size_t n, int prec) {
  gdv_sbuf b = {0};
  gdv_mnist_sum_text(&b, total, t, n, prec);
  ck_assert(!b.failed);
  return b.s;
}

/* The numbers of a sum add up as printed: every term to the total's last
 * digit, the folded rest what the written terms leave of the total (it
 * used to be each term at 3 significant digits: 7.42 = −0.369 + 1.24 +
 * 0.768 + 5.79, which adds up to 7.429); without a rest, the rounding
 * miss goes to the terms nearest halfway. */
START_TEST(sums_add_up_as_printed) {
  gdv_mnist_term z[4] = {{GDV_MNIST_TERM_BIAS, -0.3691, 0, 0}, {GDV_MNIST_TERM_EDGE, 1.2404, 1, 0},
                         {GDV_MNIST_TERM_EDGE, 0.7679, 1, 1}, {GDV_MNIST_TERM_REST, 5.7852, 781, 0}};
  char *s = sum_text(-0.3691 + 1.2404 + 0.7679 + 5.7852, z, 4, 3);
  ck_assert_str_eq(s, "7.42 = −0.37 (b) + 1.24 + 0.77 + 781 more: 5.78");
  free(s);
  gdv_mnist_term third[3] = {{GDV_MNIST_TERM_EDGE, 1.0 / 3, 1, 0}, {GDV_MNIST_TERM_EDGE, 1.0 / 3, 1, 1},
                             {GDV_MNIST_TERM_EDGE, 1.0 / 3, 1, 2}};
  s = sum_text(1, third, 3, 3);
  ck_assert_str_eq(s, "1.00 = 0.34 + 0.33 + 0.33");
  free(s);
  gdv_mnist_term tiny[2] = {{GDV_MNIST_TERM_EDGE, -1.1e-6, 1, 0}, {GDV_MNIST_TERM_REST, -3.57e-5, 29, 0}};
  s = sum_text(-3.68e-5, tiny, 2, 3);
  ck_assert_str_eq(s, "−3.68×10⁻⁵ = −0.11×10⁻⁵ + 29 more: −3.57×10⁻⁵");
  free(s);
  gdv_mnist_term one[1] = {{GDV_MNIST_TERM_REST, 0.25, 10, 0}};
  s = sum_text(0.25, one, 1, 3);
  ck_assert_str_eq(s, "0.25");
  free(s);
}
END_TEST

/* --focus-unit marks its unit with the highlight outline, and the legend
 * says what the outline means (it marked nothing before). */
START_TEST(focus_unit_marked) {
  gdv_mnist_net net;
  gdv_mnist_data d;
  gdv_mnist_view v;
  gdv_mnist_draw_options opt;
  gdv_style style;
  gdv_scene *s;
  gdv_error err;
  small_figure(&net, &d, &v, &opt);
  gdv_mnist_view_free(&v);
  size_t show[3] = {SIZE_MAX, 2, SIZE_MAX};
  ck_assert_int_eq(gdv_mnist_view_build(&net, show, 1, 2, &v, &err), 0);
  opt.focus_layer = 1;
  opt.focus_unit = 2;
  ck_assert_int_eq(gdv_mnist_scene(&net, &v, &opt, &style, &s, &err), 0);
  size_t marked = 0;
  for (size_t i = 0; i < s->n_nodes; i++)
    if (s->nodes[i].flags & GDV_NODE_HIGHLIGHT) {
      marked++;
      ck_assert_str_eq(s->nodes[i].id, "a1_2");
    }
  ck_assert_uint_eq(marked, 1);
  ck_assert_str_eq(s->legend_highlight, "layer 1, unit 2: the unit and all 7 terms of its sum");
  gdv_scene_free(s);
  small_figure_free(&net, &d, &v);
}
END_TEST

/* Reads a PNG's pixels (RGB24). */
static cairo_surface_t *load_png(const char *path) {
  cairo_surface_t *png = cairo_image_surface_create_from_png(path);
  ck_assert_int_eq(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
  return png;
}

/* The dense figure's PNG, whose edges mnist_png draws itself, shows what
 * Cairo draws in SVG and PDF: the same scene drawn both ways differs by
 * less than 0.5 in 255 on average, and on no more than 0.1% of the pixels
 * by more than 32 (anti-aliasing). Before, the PNG drew straight faint lines
 * where Cairo drew routed curves 1.2 to 5 points wide, opaque. */
START_TEST(dense_png_draws_what_svg_draws) {
  gdv_mnist_net net;
  gdv_mnist_data d;
  gdv_mnist_view v;
  gdv_style style;
  gdv_scene *fast, *plain;
  gdv_error err;
  make_tmpdir();
  build(&net, "100,6,3", GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC, 3);
  d = make_data(2, 10, 10);
  ck_assert_int_eq(gdv_mnist_net_set_sample(&net, &d, 0, "imgs", &err), 0);
  gdv_forward(net.g);
  gdv_backward(net.g);
  size_t show[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
  ck_assert_int_eq(gdv_mnist_view_build(&net, show, 0, 0, &v, &err), 0);
  ck_assert_uint_gt(v.n_edges, 400);  /* the dense style */
  gdv_mnist_draw_options opt;
  memset(&opt, 0, sizeof opt);
  opt.image = d.pixels;
  opt.rows = opt.cols = 10;
  opt.page = NULL;  /* natural size: no page to fit */
  ck_assert_int_eq(gdv_mnist_scene(&net, &v, &opt, &style, &fast, &err), 0);
  ck_assert_int_eq(gdv_mnist_scene(&net, &v, &opt, &style, &plain, &err), 0);
  gdv_render_meta meta = {.dpi = 144};
  FILE *f = fopen(tmp_path("fast.png"), "wb");
  ck_assert_int_eq(gdv_mnist_png_fast_edges(fast, &style, &meta, f, &err), 0);
  fclose(f);
  f = fopen(tmp_path("cairo.png"), "wb");
  ck_assert_int_eq(gdv_render_write(plain, &style, GDV_FIGURE_PNG, &meta, f, &err), 0);
  fclose(f);
  cairo_surface_t *a = load_png(tmp_path("fast.png")), *b = load_png(tmp_path("cairo.png"));
  int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
  ck_assert_int_eq(w, cairo_image_surface_get_width(b));
  ck_assert_int_eq(h, cairo_image_surface_get_height(b));
  const uint8_t *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
  int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
  double total = 0;
  size_t far = 0, edge_px = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      int worst = 0;
      for (int c = 0; c < 3; c++) {
        int diff = abs((int)pa[y * sa + 4 * x + c] - (int)pb[y * sb + 4 * x + c]);
        total += diff;
        if (diff > worst) worst = diff;
      }
      far += worst > 32;
      edge_px += pb[y * sb + 4 * x] != pb[4 * x];  /* not background (row 0) */
    }
  double mean = total / (3.0 * w * h);
  ck_assert_msg(mean < 0.5, "mean difference %.2f (%zu far)", mean, far);
  ck_assert_msg(far < (size_t)w * (size_t)h / 1000, "%zu pixels differ by more than 32", far);
  ck_assert_uint_gt(edge_px, 1000);
  cairo_surface_destroy(a);
  cairo_surface_destroy(b);
  gdv_scene_free(fast);
  gdv_scene_free(plain);
  gdv_mnist_view_free(&v);
  gdv_mnist_net_free(&net);
  gdv_mnist_data_free(&d);
  remove_tmpdir();
}
END_TEST

static Suite *mnist_suite(void) {
  Suite *s = suite_create("mnist");
  TCase *tc = tcase_create("idx");
  tcase_add_test(tc, idx_round_trip);
  tcase_add_test(tc, idx_errors);
  tcase_add_test(tc, real_digits);
  suite_add_tcase(s, tc);
  tc = tcase_create("net");
  tcase_add_test(tc, shape_parse);
  tcase_add_test(tc, net_shape);
  tcase_add_loop_test(tc, net_matches_dense, 0, 3);
  tcase_add_test(tc, net_cross_entropy);
  tcase_add_test(tc, set_sample_errors);
  tcase_add_test(tc, rng_normal);
  suite_add_tcase(s, tc);
  tc = tcase_create("weights");
  tcase_add_test(tc, weights_round_trip);
  tcase_add_test(tc, train_learns);
  suite_add_tcase(s, tc);
  tc = tcase_create("view");
  tcase_add_test(tc, view_sums);
  suite_add_tcase(s, tc);
  tc = tcase_create("figure");
  tcase_add_test(tc, figure_input_labels);
  tcase_add_test(tc, figure_without_title);
  tcase_add_test(tc, dot_escapes_strings);
  tcase_add_test(tc, fast_edges_flow_colours);
  tcase_add_test(tc, sums_add_up_as_printed);
  tcase_add_test(tc, focus_unit_marked);
  tcase_add_test(tc, dense_png_draws_what_svg_draws);
  suite_add_tcase(s, tc);
  return s;
}

/* One suite, run as TAP (see check_main.h). */
int main(void) { return gdv_check_run_suite(mnist_suite()); }
