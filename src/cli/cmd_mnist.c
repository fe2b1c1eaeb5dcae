/* cmd_mnist.c: `gradviz mnist` (not built yet). */
#include <stdio.h>

#include "cli/cli.h"

int gdv_cmd_mnist(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "gradviz: mnist: not built yet\n");
  return GDV_ERR_INPUT;
}
