/* op_list.c: prints the op table, the one list of ops, for tests/core/ops.sh to
 * hold every other list against (README, the man page, draw_dot's message,
 * the Python exporter's maps): `op NAME MIN MAX` per op (MAX -1: no limit;
 * pow once, as DOT and formulas name it) and `alias NAME OP` per alias. */
#include <stdio.h>

#include "core/gdv.h"

int main(void) {
  for (int k = GDV_OP_ADD; k < GDV_OP_COUNT; k++) {
    if (k == GDV_OP_POWK) continue;   /* pow with `exponent`: the same name */
    const gdv_op_info *info = gdv_op_get((gdv_op)k);
    printf("op %s %d %d\n", info->name, info->min_args, info->max_args);
  }
  gdv_op op;
  const char *alias;
  for (size_t i = 0; (alias = gdv_op_alias(i, &op)) != NULL; i++)
    printf("alias %s %s\n", alias, gdv_op_get(op)->name);
  return 0;
}
