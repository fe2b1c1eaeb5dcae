/* cmd_train.c: `gradviz train`: mini-batch SGD on the scalar graph of the
 * chapter-1 network, through the same gdv_forward/gdv_backward that every
 * other command uses. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "io/gdv_io.h"
#include "mnist/gdv_mnist.h"

static const char train_help[] =
  "Usage: gradviz train --train-images IDX --train-labels IDX\n"
  "                     [--test-images IDX --test-labels IDX] -o WEIGHTS [options]\n\n"
  "Trains the network of chapter 1 of Nielsen's book by mini-batch stochastic\n"
  "gradient descent. Every sample is one forward and one backward pass of the\n"
  "scalar graph that 'gradviz mnist' draws (one node per weight, per product,\n"
  "per unit). After each epoch prints 'epoch K: test accuracy P%' (with test\n"
  "data). Writes the weights file (text; see 'gradviz mnist --help').\n\n"
  "  --layers LIST        layer sizes (default 784,30,10)\n"
  "  --activation NAME    sigmoid (default), tanh or relu\n"
  "  --cost NAME          quadratic (default) or cross-entropy (softmax outputs)\n"
  "  --epochs N           passes over the training data (default 30)\n"
  "  --batch N            mini-batch size (default 10)\n"
  "  --eta X              learning rate (default 3.0)\n"
  "  --seed N             initial weights and the shuffles (default 3: with\n"
  "                       N(0,1) weights, seeds 1 and 2 start with an output\n"
  "                       unit saturated for every digit and never learn it)\n"
  "  --init normal|scaled weights N(0,1) as in chapter 1 (default), or\n"
  "                       N(0,1/n_in) as in chapter 3 (fewer saturated units)\n"
  "  --weights FILE       start from these weights instead\n"
  "  -o WEIGHTS           where to write the trained weights\n\n"
  "The real digits: scripts/fetch-mnist.sh fetches 8,000 training and 2,000\n"
  "test digits. The chapter's settings (--eta 3 --batch 10 --epochs 30) reach\n"
  "about 91-92% on those 2,000 test digits.\n";

typedef struct train_args {
  const char *layers, *act, *cost, *out, *weights;
  const char *train_images, *train_labels, *test_images, *test_labels;
  size_t epochs, batch;
  int scaled;
  double eta;
  uint64_t seed;
} train_args;

typedef struct progress {
  int tty;
  size_t epoch, epochs;
  size_t last_shown;
  double t0;
} progress;

/* A bar on a terminal; nothing per batch otherwise (logs stay short). */
static int show_progress(void *ctx, size_t done, size_t total) {
  progress *p = ctx;
  if (!p->tty) return 0;
  size_t width = 30, fill = total ? done * width / total : width;
  if (done != total && fill == p->last_shown) return 0;
  p->last_shown = fill;
  fprintf(stderr, "\repoch %zu/%zu [", p->epoch, p->epochs);
  for (size_t i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
  fprintf(stderr, "] %zu/%zu %.1f s", done, total, gdv_cli_now() - p->t0);
  fflush(stderr);
  return 0;
}

/* Returns -1 when --help or --version was handled (exit 0), else a usage
 * exit status, 0 to go on. */
static int parse_args(int argc, char **argv, train_args *a) {
  static const struct option opts[] = {
    {"layers", required_argument, NULL, 'L'},
    {"activation", required_argument, NULL, 'A'},
    {"cost", required_argument, NULL, 'C'},
    {"epochs", required_argument, NULL, 'E'},
    {"batch", required_argument, NULL, 'B'},
    {"eta", required_argument, NULL, 'e'},
    {"seed", required_argument, NULL, 's'},
    {"weights", required_argument, NULL, 'w'},
    {"init", required_argument, NULL, 'I'},
    {"train-images", required_argument, NULL, 1},
    {"train-labels", required_argument, NULL, 2},
    {"test-images", required_argument, NULL, 3},
    {"test-labels", required_argument, NULL, 4},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  int c;
  while ((c = gdv_cli_getopt("train", argc, argv, "ho:", opts)) != -1) {
    switch (c) {
    case 'L': a->layers = optarg; break;
    case 'A': a->act = optarg; break;
    case 'C': a->cost = optarg; break;
    case 'E': if (!gdv_cli_size("train", "--epochs", optarg, &a->epochs)) return 2; break;
    case 'B':
      if (!gdv_cli_size("train", "--batch", optarg, &a->batch)) return 2;
      if (a->batch == 0) return gdv_cli_usage("train", "--batch must be at least 1");
      break;
    case 'e':
      if (!gdv_cli_double("train", "--eta", optarg, &a->eta)) return 2;
      if (!(a->eta > 0)) return gdv_cli_usage("train", "--eta must be positive");
      break;
    case 's': if (!gdv_cli_u64("train", "--seed", optarg, &a->seed)) return 2; break;
    case 'w': a->weights = optarg; break;
    case 'I':
      if (strcmp(optarg, "normal") && strcmp(optarg, "scaled"))
        return gdv_cli_usage("train", "--init '%s': 'normal' or 'scaled'", optarg);
      a->scaled = strcmp(optarg, "scaled") == 0;
      break;
    case 1: a->train_images = optarg; break;
    case 2: a->train_labels = optarg; break;
    case 3: a->test_images = optarg; break;
    case 4: a->test_labels = optarg; break;
    case 'o': a->out = optarg; break;
    case 'h': fputs(train_help, stdout); return -1;
    case 'V': printf("gradviz %s\n", PACKAGE_VERSION); return -1;
    default: return 2;
    }
  }
  if (optind != argc)
    return gdv_cli_usage("train", "unexpected argument '%s'", argv[optind]);
  if (!a->train_images || !a->train_labels)
    return gdv_cli_usage("train", "needs --train-images and --train-labels "
                         "(scripts/fetch-mnist.sh fetches real digits)");
  if (!a->test_images != !a->test_labels)
    return gdv_cli_usage("train", "--test-images and --test-labels go together");
  if (!a->out) return gdv_cli_usage("train", "needs -o WEIGHTS");
  return 0;
}

/* Builds the network from the options (or the starting weights). */
static gdv_status make_net(const train_args *a, gdv_mnist_net *net, gdv_error *err) {
  gdv_mnist_shape shape;
  gdv_mnist_act act = GDV_MNIST_SIGMOID;
  gdv_mnist_cost cost = GDV_MNIST_QUADRATIC;
  if (a->act && !gdv_mnist_act_lookup(a->act, &act))
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                         "train: unknown --activation '%s' (sigmoid, tanh, relu)", a->act);
  if (a->cost && !gdv_mnist_cost_lookup(a->cost, &cost))
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                         "train: unknown --cost '%s' (quadratic, cross-entropy)", a->cost);
  gdv_status st = gdv_mnist_shape_parse(a->layers ? a->layers : "784,30,10", &shape, err);
  if (st) return st;
  st = gdv_mnist_net_build(net, &shape, act, cost, err);
  gdv_mnist_shape_free(&shape);
  if (st) return st;
  gdv_mnist_net_init(net, a->seed, a->scaled);
  if (a->weights) {
    gdv_mnist_weights w;
    st = gdv_mnist_weights_read(a->weights, &w, err);
    if (!st) st = gdv_mnist_weights_apply(&w, net, a->weights, err);
    if (!st) gdv_mnist_weights_free(&w);
  }
  if (st) gdv_mnist_net_free(net);
  return st;
}

/* Through gdv_out: a failed or interrupted save keeps the previous weights
 * file. */
static gdv_status save(const gdv_mnist_net *net, const char *path, gdv_error *err) {
  gdv_out_file out;
  gdv_status st = gdv_out_open(&out, path, err);
  if (st) return st;
  st = gdv_mnist_weights_write(net, out.f, err);
  if (st) {
    gdv_out_abort(&out);
    return gdv_error_set(err, st, path, 0, "cannot write");
  }
  return gdv_out_commit(&out, err);
}

/* Defaults are those of Nielsen's chapter 1 (30 epochs, mini-batch 10, eta
 * 3.0); the weights are saved once, after the last epoch. */
int gdv_cmd_train(int argc, char **argv) {
  train_args a = {0};
  a.epochs = 30;
  a.batch = 10;
  a.eta = 3.0;
  a.seed = 3;
  int rc = parse_args(argc, argv, &a);
  if (rc) return rc < 0 ? 0 : rc;
  gdv_error err;
  gdv_error_clear(&err);
  gdv_mnist_data train = {0}, test = {0};
  gdv_mnist_net net = {0};
  gdv_status st = gdv_mnist_data_load(a.train_images, a.train_labels, &train, &err);
  if (!st && a.test_images)
    st = gdv_mnist_data_load(a.test_images, a.test_labels, &test, &err);
  if (!st) st = make_net(&a, &net, &err);
  if (!st) st = gdv_mnist_net_check_data(&net, &train, a.train_images, &err);
  if (!st && a.test_images) st = gdv_mnist_net_check_data(&net, &test, a.test_images, &err);
  if (st) goto done;
  char shape[256];
  fprintf(stderr, "train: %s %s, %s cost: %zu nodes, %zu edges, %zu params; "
          "%zu digits, batch %zu, eta %g\n",
          gdv_mnist_shape_format(&net.shape, shape, sizeof shape),
          gdv_mnist_act_name(net.act), gdv_mnist_cost_name(net.cost),
          net.g->n_nodes, net.g->n_edges, net.n_params, train.count, a.batch, a.eta);
  gdv_mnist_train_options opt = {a.batch, a.eta, 0};
  gdv_mnist_rng rng;
  gdv_mnist_rng_seed(&rng, a.seed ^ 0x5eed5eed5eed5eedu);
  progress p = {isatty(2), 0, a.epochs, (size_t)-1, 0};
  for (size_t e = 1; e <= a.epochs && !st; e++) {
    double cost;
    p.epoch = e;
    opt.epoch = e;
    p.last_shown = (size_t)-1;
    p.t0 = gdv_cli_now();
    st = gdv_mnist_train_epoch(&net, &train, &opt, &rng, show_progress, &p, &cost, &err);
    if (st) break;
    double dt = gdv_cli_now() - p.t0;
    if (p.tty) fprintf(stderr, "\r\033[K");
    fprintf(stderr, "train: epoch %zu/%zu: %zu digits in %.2f s, mean cost %.6g\n",
            e, a.epochs, train.count, dt, cost);
    /* With -o - the weights file is standard output: results go aside. */
    FILE *results = strcmp(a.out, "-") == 0 ? stderr : stdout;
    if (test.count) {
      size_t ok = gdv_mnist_evaluate(&net, &test);
      fprintf(results, "epoch %zu: test accuracy %.2f%%\n", e,
              100.0 * (double)ok / (double)test.count);
    } else {
      fprintf(results, "epoch %zu: mean training cost %.6g\n", e, cost);
    }
    fflush(results);
  }
  if (!st) st = save(&net, a.out, &err);
done:
  gdv_mnist_net_free(&net);
  gdv_mnist_data_free(&train);
  gdv_mnist_data_free(&test);
  return st ? gdv_cli_report(&err) : 0;
}
