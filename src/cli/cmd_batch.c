/* cmd_batch.c: `gradviz batch` (not built yet). */
#include <stdio.h>

#include "cli/cli.h"

int gdv_cmd_batch(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "gradviz: batch: not built yet\n");
  return GDV_ERR_INPUT;
}
