/* mnist_train.c: mini-batch SGD on the scalar graph. There is no separate
 * dense implementation: each sample is one gdv_forward and one gdv_backward
 * of the same graph that `gradviz mnist` draws and `gradviz check` checks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "mnist/gdv_mnist.h"

/* Training that overflows must stop before it saves inf or nan as weights
 * (the weights reader rejects them); the usual cause is the step size. */
static gdv_status diverged(const gdv_mnist_train_options *opt, size_t start,
                           size_t n, const char *what, gdv_error *err) {
  size_t batch = opt->batch ? opt->batch : 1;
  char epoch[48] = "";
  if (opt->epoch) snprintf(epoch, sizeof epoch, "epoch %zu, ", opt->epoch);
  return gdv_error_set_about(err, GDV_SETTING_LEARNING_RATE, GDV_ERR_INPUT, "", 0,
                             "train: %sbatch %zu of %zu: %s became inf or nan "
                             "(training diverged)",
                             epoch, start / batch + 1, (n + batch - 1) / batch, what);
}

/* Ignores gdv_mnist_net_set_sample's status: gdv_mnist_net_check_data vetted
 * the data first. Our own rng shuffles, so a seed reproduces the run. */
gdv_status gdv_mnist_train_epoch(gdv_mnist_net *net, const gdv_mnist_data *d,
                                 const gdv_mnist_train_options *opt,
                                 gdv_mnist_rng *rng, gdv_mnist_progress_fn fn,
                                 void *ctx, double *mean_cost, gdv_error *err) {
  gdv_status st = gdv_mnist_net_check_data(net, d, "training data", err);
  if (st) return st;
  size_t n = d->count, P = net->n_params, batch = opt->batch ? opt->batch : 1;
  size_t *order = malloc((n ? n : 1) * sizeof *order);
  double *acc = calloc(P ? P : 1, sizeof *acc);
  if (!order || !acc) {
    free(order);
    free(acc);
    return gdv_error_oom(err);
  }
  /* Fisher-Yates with our own generator: the same seed, the same run. */
  for (size_t i = 0; i < n; i++) order[i] = i;
  for (size_t i = n; i > 1; i--) {
    size_t j = gdv_mnist_rng_below(rng, i), t = order[i - 1];
    order[i - 1] = order[j];
    order[j] = t;
  }
  gdv_graph *g = net->g;
  const gdv_id *params = net->params;
  double cost_sum = 0;
  for (size_t start = 0; start < n && !st; start += batch) {
    size_t end = start + batch < n ? start + batch : n;
    double batch_cost = 0;
    for (size_t i = start; i < end; i++) {
      gdv_mnist_net_set_sample(net, d, order[i], "", err);
      gdv_forward(g);
      gdv_backward(g);
      batch_cost += g->value[net->cost_node];
      for (size_t p = 0; p < P; p++) acc[p] += g->grad[params[p]];
    }
    cost_sum += batch_cost;
    /* The new weights go to acc first: all are applied or, when one is
     * not finite, none. */
    double step = opt->eta / (double)(end - start);
    int finite = 1;
    for (size_t p = 0; p < P; p++) {
      acc[p] = g->value[params[p]] - step * acc[p];
      finite = finite && isfinite(acc[p]);
    }
    if (!isfinite(batch_cost)) st = diverged(opt, start, n, "the cost", err);
    else if (!finite) st = diverged(opt, start, n, "a weight", err);
    for (size_t p = 0; p < P; p++) {
      if (!st) g->value[params[p]] = acc[p];
      acc[p] = 0;
    }
    if (!st && fn && fn(ctx, end, n)) break;
  }
  if (mean_cost) *mean_cost = n ? cost_sum / (double)n : 0;
  free(order);
  free(acc);
  return st;
}

/* Only forward passes: accuracy needs no gradients. */
size_t gdv_mnist_evaluate(gdv_mnist_net *net, const gdv_mnist_data *d) {
  size_t correct = 0;
  gdv_error err;
  for (size_t i = 0; i < d->count; i++) {
    if (gdv_mnist_net_set_sample(net, d, i, "", &err)) return 0;
    gdv_forward(net->g);
    correct += gdv_mnist_net_predict(net) == d->labels[i];
  }
  return correct;
}
