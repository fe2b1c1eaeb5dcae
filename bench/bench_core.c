/* bench_core.c: how fast the engine runs forward and backward over the
 * chapter-1 MNIST network expanded scalar by scalar, and how much memory
 * the whole process needed. Prints `bench: NAME VALUE UNIT` lines.
 *
 * The network is the one `gradviz mnist` draws, from the same builder
 * (gdv_mnist_net_build): 784 input leaves; every weight and bias a `param`
 * leaf; every w*x a two-operand `mul`; each unit an `add` of its products
 * and its bias, then `sigmoid`; the quadratic cost C = 0.5 * sum_j (a_j -
 * y_j)^2 from sub, square, add and mul nodes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/gdv.h"
#include "mnist/gdv_mnist.h"

/* CPU time of this thread: the machine is shared by several builds, and
 * time spent descheduled is not the engine's. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A fixed pseudo-random sequence (splitmix64): the same network on every
 * run, so figures compare across commits. */
static uint64_t rng = 42;
/* A double in [0, 1) from the fixed sequence. */
static double uniform(void) {
  return (double)(gdv_splitmix64(&rng) >> 11) / 9007199254740992.0;
}

/* Building a fixed network cannot fail but for memory: stop loudly. */
static void die(const gdv_error *err) {
  fprintf(stderr, "bench_core: %s\n", err->message);
  exit(1);
}

/* A node name from a printf format, in a buffer reused by the next call
 * (the core copies names). */
static const char *name_of(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static const char *name_of(const char *fmt, ...) {
  static char name[64];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  return name;
}

/* Adds an op node (or a leaf, for add_leaf) and stops on failure. */
static gdv_id add_node(gdv_graph *g, gdv_op op, const char *name) {
  gdv_id id;
  gdv_error err;
  if (gdv_graph_add_node(g, name, op, 0, &id, &err)) die(&err);
  return id;
}

/* Adds a leaf with its role and value. */
static gdv_id add_leaf(gdv_graph *g, gdv_role role, double value,
                       const char *name) {
  gdv_id id = add_node(g, GDV_OP_LEAF, name);
  g->role[id] = (uint8_t)role;
  g->value[id] = value;
  return id;
}

/* Adds from -> to in operand order. */
static void connect(gdv_graph *g, gdv_id from, gdv_id to) {
  gdv_error err;
  if (gdv_graph_add_edge(g, from, to, -1, 0, &err)) die(&err);
}

/* Nielsen's chapter-1 network, one scalar per node, one edge per use:
 * weights N(0, 1/n) from a fixed seed, a fixed pseudo-random image, the
 * label a one-hot 7. */
static void build_network(gdv_mnist_net *net) {
  gdv_mnist_shape shape;
  gdv_error err;
  if (gdv_mnist_shape_parse("784,30,10", &shape, &err) ||
      gdv_mnist_net_build(net, &shape, GDV_MNIST_SIGMOID, GDV_MNIST_QUADRATIC,
                          &err))
    die(&err);
  gdv_mnist_shape_free(&shape);
  gdv_mnist_net_init(net, 42, 1);
  for (size_t k = 0; k < 784; k++) net->g->value[net->input[k]] = uniform();
  for (size_t j = 0; j < 10; j++) net->g->value[net->target[j]] = j == 7;
}

/* For qsort: batches in increasing time. */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Seconds one forward+backward takes: the best of 15 batches of about
 * 50 ms each. The best, not the mean: on a shared machine other processes
 * only ever add time, so the fastest batch is the engine's own speed. The
 * median goes to stderr for comparison. */
static double time_passes(gdv_graph *g, const char *what) {
  enum { BATCHES = 15 };
  double per_pass[BATCHES];
  size_t reps = 1;
  for (;;) {   /* size a batch to about 50 ms */
    double t0 = now();
    for (size_t r = 0; r < reps; r++) {
      gdv_forward(g);
      gdv_backward(g);
    }
    if (now() - t0 > 0.05) break;
    reps *= 2;
  }
  for (int b = 0; b < BATCHES; b++) {
    double t0 = now();
    for (size_t r = 0; r < reps; r++) {
      gdv_forward(g);
      gdv_backward(g);
    }
    per_pass[b] = (now() - t0) / (double)reps;
  }
  qsort(per_pass, BATCHES, sizeof per_pass[0], cmp_double);
  fprintf(stderr, "bench_core: %s: best %.1f us, median %.1f us per "
          "forward+backward (%d batches of %zu)\n", what,
          per_pass[0] * 1e6, per_pass[BATCHES / 2] * 1e6, BATCHES, reps);
  return per_pass[0];
}

/* A chain of a million identity/neg/add nodes: the other extreme, one
 * operand per node and no fan-in. */
static gdv_graph *build_chain(size_t n) {
  gdv_graph *g;
  gdv_error err;
  if (gdv_graph_new(&g, "chain", &err)) die(&err);
  gdv_id prev = add_leaf(g, GDV_ROLE_INPUT, 0.5, "x");
  gdv_id one = add_leaf(g, GDV_ROLE_CONST, 1, "one");
  static const gdv_op cyc[] = {GDV_OP_IDENTITY, GDV_OP_NEG, GDV_OP_ADD};
  for (size_t i = 2; i < n; i++) {
    gdv_id v = add_node(g, cyc[i % 3], name_of("n%zu", i));
    connect(g, prev, v);
    if (cyc[i % 3] == GDV_OP_ADD) connect(g, one, v);
    prev = v;
  }
  if (gdv_graph_finalize(g, &err)) die(&err);
  return g;
}

/* Prints the bench lines; `bench_core N` instead runs N passes only. */
int main(int argc, char **argv) {
  gdv_mnist_net net;
  build_network(&net);
  gdv_graph *g = net.g;
  if (argc > 1) {
    /* `bench_core N`: exactly N passes and no timing, for a profiler
     * (valgrind --tool=callgrind bench/bench_core 20). */
    long reps = atol(argv[1]);
    for (long r = 0; r < reps; r++) {
      gdv_forward(g);
      gdv_backward(g);
    }
    printf("C = %.17g\n", g->value[g->output]);
    gdv_mnist_net_free(&net);
    return 0;
  }
  double t = time_passes(g, "784-30-10");
  /* A sanity line: the cost and one gradient, so a broken engine cannot
   * post a fast figure unnoticed. */
  size_t leaves = 0;
  for (size_t v = 0; v < g->n_nodes; v++) leaves += g->op[v] == GDV_OP_LEAF;
  gdv_id w = net.layer[2].weight[7 * 30 + 0];
  fprintf(stderr, "bench_core: 784-30-10: %zu nodes (%zu leaves), %zu edges; "
          "C = %.6g, dC/d%s = %.6g; %.3f ms per forward+backward\n",
          g->n_nodes, leaves, g->n_edges, g->value[g->output], g->name[w],
          g->grad[w], t * 1e3);
  printf("bench: eval-784-30-10 %.2f ns/edge\n", t * 1e9 / (double)g->n_edges);
  gdv_mnist_net_free(&net);

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("bench: eval-784-30-10-peak-memory %.1f MB\n",
         (double)ru.ru_maxrss / 1024.0);

  g = build_chain(1000000);
  t = time_passes(g, "chain");
  printf("bench: eval-chain-1M %.2f ns/edge\n", t * 1e9 / (double)g->n_edges);
  gdv_graph_free(g);
  return 0;
}
