/* cmd_render.c: `gradviz render` (not built yet). */
#include <stdio.h>

#include "cli/cli.h"

int gdv_cmd_render(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "gradviz: render: not built yet\n");
  return GDV_ERR_INPUT;
}
