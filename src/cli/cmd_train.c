/* cmd_train.c: `gradviz train` (not built yet). */
#include <stdio.h>

#include "cli/cli.h"

int gdv_cmd_train(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "gradviz: train: not built yet\n");
  return GDV_ERR_INPUT;
}
