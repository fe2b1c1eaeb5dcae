/* cmd_stats.c: `gradviz stats` (not built yet). */
#include <stdio.h>

#include "cli/cli.h"

int gdv_cmd_stats(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "gradviz: stats: not built yet\n");
  return GDV_ERR_INPUT;
}
