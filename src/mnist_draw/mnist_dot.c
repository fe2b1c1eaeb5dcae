/* mnist_dot.c: the network as a contract DOT file (CONTRACT 1), so that
 * `gradviz eval`, `check` and `render` can take it from here. Nodes are
 * written in the graph's topological order and edges in operand order, so
 * the file reads back as the same graph. Strings are quoted as every DOT
 * gradviz writes (gdv_dot_quoted). */
#include <string.h>

#include "mnist_draw/gdv_mnist_draw.h"
#include "render/gdv_render.h"

/* Leaf values go out as shortest round-trip text, so `gradviz check` on the
 * file sees the very same numbers; the graph's ids (x0, w1_2_3) need no
 * quoting. */
gdv_status gdv_mnist_write_dot(const gdv_mnist_net *net, const char *title,
                               FILE *f, gdv_error *err) {
  const gdv_graph *g = net->g;
  char num[32];
  fputs("digraph mnist {\n  rankdir=LR;\n", f);
  if (title) {
    fputs("  label=", f);
    gdv_dot_quoted(f, title);
    fputs(";\n", f);
  }
  for (size_t v = 0; v < g->n_nodes; v++) {
    fprintf(f, "  %s [", g->name[v]);
    if (g->op[v] == GDV_OP_LEAF) {
      if (g->role[v] != GDV_ROLE_INPUT)
        fprintf(f, "role=%s, ", gdv_role_name((gdv_role)g->role[v]));
      fprintf(f, "value=\"%s\"", gdv_number_text(g->value[v], num, sizeof num));
    } else {
      fprintf(f, "op=%s", gdv_op_get((gdv_op)g->op[v])->name);
    }
    if (g->label[v]) {
      fputs(", label=", f);
      gdv_dot_quoted(f, g->label[v]);
    }
    if (v == g->output) fputs(", output=true", f);
    fputs("];\n", f);
  }
  for (size_t v = 0; v < g->n_nodes; v++)
    for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++)
      fprintf(f, "  %s -> %s;\n", g->name[g->edge_from[e]], g->name[v]);
  fputs("}\n", f);
  if (ferror(f))
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the DOT file");
  return GDV_OK;
}
