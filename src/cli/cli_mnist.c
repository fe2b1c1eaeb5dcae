/* cli_mnist.c: what `gradviz mnist` and `gradviz train` share: the flags
 * that shape the network turned into the model layer's settings, and flag
 * names added to the model's messages (the library says what is wrong with
 * a value; only the command line knows which flag it came from). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "mnist/gdv_mnist.h"

/* Only the seed has a syntax to check here; the names are checked when
 * the network is made (gdv_cli_mnist_net), after every option is known. */
int gdv_cli_net_option(const char *cmd, int opt, const char *value, gdv_cli_net_flags *flags) {
  switch (opt) {
  case 'L': flags->layers = value; return 0;
  case 'A': flags->act = value; return 0;
  case 'C': flags->cost = value; return 0;
  case 's': return gdv_cli_u64(cmd, "--seed", value, &flags->seed) ? 0 : GDV_ERR_INPUT;
  case 'w': flags->weights = value; return 0;
  }
  return -1;
}

/* Unknown names are the command's usage errors; a bad --layers is the
 * model's message with the flag named. */
gdv_status gdv_cli_mnist_net(const char *cmd, const gdv_cli_net_flags *flags,
                             struct gdv_mnist_net *net, gdv_error *err) {
  gdv_mnist_act act;
  gdv_mnist_cost cost;
  gdv_mnist_shape shape = {0};
  gdv_mnist_net_spec spec = {NULL, NULL, NULL, flags->seed, flags->scaled, flags->weights};
  if (flags->act && !gdv_mnist_act_lookup(flags->act, &act))
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                         "%s: unknown --activation '%s' (sigmoid, tanh, relu)", cmd, flags->act);
  if (flags->cost && !gdv_mnist_cost_lookup(flags->cost, &cost))
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                         "%s: unknown --cost '%s' (quadratic, cross-entropy)", cmd, flags->cost);
  if (flags->act) spec.act = &act;
  if (flags->cost) spec.cost = &cost;
  if (flags->layers) {
    if (gdv_mnist_shape_parse(flags->layers, &shape, err))
      return gdv_cli_flag_error(err, "--layers ", "");
    spec.shape = &shape;
  }
  gdv_status st = gdv_mnist_net_make(net, &spec, err);
  gdv_mnist_shape_free(&shape);
  return st;
}
