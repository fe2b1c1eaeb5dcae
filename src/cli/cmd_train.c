/* cmd_train.c: `gradviz train`: mini-batch SGD on the scalar graph of the
 * chapter-1 network, through the same gdv_forward/gdv_backward that every
 * other command uses. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
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
  "  --weights FILE       start from these weights instead; the file's layers,\n"
  "                       activation and cost are kept (a flag that names\n"
  "                       others is an error)\n"
  "  -o WEIGHTS           where to write the trained weights\n\n"
  "The real digits: fetch-mnist.sh (scripts/ in the source tree; installed in\n"
  "  " GDV_DOCDIR "/examples/mnist) fetches 8,000 training and 2,000\n"
  "test digits. The chapter's settings (--eta 3 --batch 10 --epochs 30) reach\n"
  "about 91-92% on those 2,000 test digits.\n";

typedef struct train_args {
  gdv_cli_net_flags net;     /* --layers, --activation, --cost, --seed,
                                --weights, --init */
  const char *out;
  const char *train_images, *train_labels, *test_images, *test_labels;
  size_t epochs, batch;
  double eta;
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

/* The numbers of train's options that have limits beyond their syntax. */
static int train_number_option(int opt, const char *value, train_args *a) {
  switch (opt) {
  case 'E': return gdv_cli_size("train", "--epochs", value, &a->epochs) ? 0 : GDV_ERR_INPUT;
  case 'B':
    return gdv_cli_size_in("train", "--batch", value, 1, SIZE_MAX, &a->batch) ? 0 : GDV_ERR_INPUT;
  case 'e':
    return gdv_cli_double_in("train", "--eta", value, 0, 1, INFINITY, &a->eta) ? 0 : GDV_ERR_INPUT;
  }
  return GDV_ERR_INPUT;
}

/* One option of train with a value to check; the paths are texts, kept
 * by gdv_cli_parse, and --help and --version are its own. */
static int train_option(int opt, const char *value, void *ctx) {
  train_args *a = ctx;
  int net = gdv_cli_net_option("train", opt, value, &a->net);
  if (net >= 0) return net;
  switch (opt) {
  case 'E': case 'B': case 'e': return train_number_option(opt, value, a);
  case 'I':
    if (strcmp(value, "normal") && strcmp(value, "scaled"))
      return gdv_cli_usage("train", "--init '%s': 'normal' or 'scaled'", value);
    a->net.scaled = strcmp(value, "scaled") == 0;
    return 0;
  }
  return GDV_ERR_INPUT;
}

/* The checks after the options, which need all of them. */
static int train_check(void *ctx) {
  const train_args *a = ctx;
  if (!a->train_images || !a->train_labels)
    return gdv_cli_usage("train", "needs --train-images and --train-labels "
                         "(fetch-mnist.sh in " GDV_DOCDIR "/examples/mnist fetches real digits)");
  if (!a->test_images != !a->test_labels)
    return gdv_cli_usage("train", "--test-images and --test-labels go together");
  if (!a->out) return gdv_cli_usage("train", "needs -o WEIGHTS");
  return 0;
}

static const gdv_cli_text train_texts[] = {
  GDV_CLI_TEXT('1', train_args, train_images), GDV_CLI_TEXT('2', train_args, train_labels),
  GDV_CLI_TEXT('3', train_args, test_images), GDV_CLI_TEXT('4', train_args, test_labels),
  GDV_CLI_TEXT('o', train_args, out), {0, 0}};

static const gdv_cli_spec train_spec = {"train", train_help, "o:",
    GDV_CLI_NET_OPTIONS
    "epochs=E batch=B eta=e init=I train-images=1 train-labels=2 "
    "test-images=3 test-labels=4 output=o", 1, train_texts, train_check};

/* The network from the options, or from the starting weights, whose
 * settings win (the model layer's gdv_mnist_net_make); the data must fit
 * it. */
static gdv_status make_net(const train_args *a, gdv_mnist_net *net,
                           const gdv_mnist_data *train, const gdv_mnist_data *test,
                           gdv_error *err) {
  gdv_status st = gdv_cli_mnist_net("train", &a->net, net, err);
  if (st) return st;
  st = gdv_mnist_net_check_data(net, train, a->train_images, err);
  if (!st && a->test_images) st = gdv_mnist_net_check_data(net, test, a->test_images, err);
  return st ? gdv_cli_flag_error(err, "", " (--layers)") : GDV_OK;
}

/* Through gdv_out: a failed or interrupted save keeps the previous weights
 * file. */
static gdv_status save(const gdv_mnist_net *net, const char *path, gdv_error *err) {
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, path, err);
  if (st) return st;
  st = gdv_mnist_weights_write(net, out.f, err);
  if (st) {
    gdv_outfile_abort(&out);
    return gdv_error_set(err, st, path, 0, "cannot write");
  }
  return gdv_outfile_commit(&out, err);
}

/* Defaults are those of Nielsen's chapter 1 (30 epochs, mini-batch 10, eta
 * 3.0); the weights are saved once, after the last epoch. */
int gdv_cmd_train(int argc, char **argv) {
  train_args a = {0};
  a.epochs = 30;
  a.batch = 10;
  a.eta = 3.0;
  a.net.seed = 3;
  int status;
  if (gdv_cli_parse(&train_spec, argc, argv, train_option, &a, &status)) return status;
  gdv_error err;
  gdv_error_clear(&err);
  gdv_mnist_data train = {0}, test = {0};
  gdv_mnist_net net = {0};
  gdv_status st = gdv_mnist_data_load(a.train_images, a.train_labels, &train, &err);
  if (!st && a.test_images)
    st = gdv_mnist_data_load(a.test_images, a.test_labels, &test, &err);
  if (!st) st = make_net(&a, &net, &train, &test, &err);
  if (st) goto done;
  char shape[256];
  fprintf(stderr, "train: %s %s, %s cost: %zu nodes, %zu edges, %zu params; "
          "%zu digits, batch %zu, eta %g\n",
          gdv_mnist_shape_format(&net.shape, shape, sizeof shape),
          gdv_mnist_act_name(net.act), gdv_mnist_cost_name(net.cost),
          net.g->n_nodes, net.g->n_edges, net.n_params, train.count, a.batch, a.eta);
  gdv_mnist_train_options opt = {a.batch, a.eta, 0};
  gdv_mnist_rng rng;
  gdv_mnist_rng_seed(&rng, a.net.seed ^ 0x5eed5eed5eed5eedu);
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
  if (st && err.setting == GDV_SETTING_LEARNING_RATE) {
    char advice[64];
    snprintf(advice, sizeof advice, "; try a smaller --eta than %g", a.eta);
    gdv_cli_flag_error(&err, "", advice);
  }
done:
  gdv_mnist_net_free(&net);
  gdv_mnist_data_free(&train);
  gdv_mnist_data_free(&test);
  return st ? gdv_cli_report(&err) : 0;
}
