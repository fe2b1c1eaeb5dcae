/* gdv_dotout.c: the annotated DOT. Plain Graphviz draws it readably (HTML
 * labels with the numbers, colours by role), and gradviz reads it back to
 * the same graph: numbers are written to round-trip, operands carry `arg`,
 * and the graph says gradviz_annotated=true so the reader knows that op
 * nodes' `value` and the drawn labels are results, not input. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/gdv_io.h"
#include "render/gdv_render.h"

/* DOT strings are quoted by gdv_dot_quoted (gdv_render_util.c), shared
 * with the MNIST figure's DOT. */
#define dot_quoted gdv_dot_quoted

/* Writes s escaped for an HTML-like label. */
static void html_text(FILE *f, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    default: fputc(*s, f);
    }
  }
}

/* A double as DOT attribute text that reads back as the same double. */
static void dot_number(FILE *f, double x) {
  char buf[32];
  if (!isfinite(x)) fputs(isnan(x) ? "\"nan\"" : x > 0 ? "\"inf\"" : "\"-inf\"", f);
  else fprintf(f, "\"%s\"", gdv_format_double(x, buf, sizeof buf));
}

/* Colour of a text line kind, as #RRGGBB (the default style's). */
static const char *line_colour(int kind) {
  switch (kind) {
  case GDV_TEXT_VALUE: case GDV_TEXT_LOCAL: return "#0072B2";
  case GDV_TEXT_GRAD: case GDV_TEXT_EDGE_GRAD: case GDV_TEXT_SUM: return "#D55E00";
  default: return "#1A1A1A";
  }
}

/* Writes lines as an HTML label: one coloured line each. */
static void html_label(FILE *f, const gdv_scene_line *lines, size_t n) {
  fputs("<", f);
  for (size_t i = 0; i < n; i++) {
    if (i) fputs("<BR/>", f);
    int bold = lines[i].kind == GDV_TEXT_NAME || lines[i].kind == GDV_TEXT_OP;
    fprintf(f, "<FONT COLOR=\"%s\">%s", line_colour(lines[i].kind), bold ? "<B>" : "");
    html_text(f, lines[i].text);
    fprintf(f, "%s</FONT>", bold ? "</B>" : "");
  }
  fputs(">", f);
}

/* Every edge carries its arg and unnamed nodes are marked, so the file reads
 * back to the same graph and numbers; an input gradviz_annotated is dropped
 * and rewritten true. */
gdv_status gdv_render_write_dot(const gdv_graph *g, char *const *graph_attrs,
                                const gdv_scene_options *opt, FILE *f,
                                gdv_error *err) {
  gdv_scene *s = NULL;
  gdv_status st = gdv_scene_from_graph(g, opt, &s, err);
  if (st) return st;
  int has_rankdir = 0, has_label = 0;
  fputs("digraph ", f);
  dot_quoted(f, g->title ? g->title : "gradviz");
  fputs(" {\n", f);
  for (size_t i = 0; graph_attrs && graph_attrs[i]; i += 2) {
    if (strcmp(graph_attrs[i], "gradviz_annotated") == 0) continue;
    if (strcmp(graph_attrs[i], "rankdir") == 0) has_rankdir = 1;
    if (strcmp(graph_attrs[i], "label") == 0) has_label = 1;
    fputs("  ", f);
    dot_quoted(f, graph_attrs[i]);
    fputs("=", f);
    dot_quoted(f, graph_attrs[i + 1]);
    fputs(";\n", f);
  }
  fputs("  gradviz_annotated=true;\n", f);
  if (!has_rankdir) {
    fputs("  rankdir=", f);
    dot_quoted(f, g->rankdir ? g->rankdir : "LR");
    fputs(";\n", f);
  }
  if (!has_label && g->title) {
    fputs("  label=", f);
    dot_quoted(f, g->title);
    fputs(";\n  labelloc=t;\n", f);
  }
  fputs("  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", "
        "fontsize=11, fillcolor=\"#F2F2F2\", color=\"#4D4D4D\"];\n"
        "  edge [fontname=\"DejaVu Sans\", fontsize=10, color=\"#666666\"];\n", f);
  for (gdv_id v = 0; v < g->n_nodes; v++) {
    fputs("  ", f);
    dot_quoted(f, g->name[v]);
    fputs(" [", f);
    if (g->op[v] != GDV_OP_LEAF) {
      fprintf(f, "op=%s, ", gdv_op_get((gdv_op)g->op[v])->name);
      if (g->op[v] == GDV_OP_POWK) {
        fputs("exponent=", f);
        dot_number(f, g->exponent[v]);
        fputs(", ", f);
      }
    } else {
      fprintf(f, "role=%s, ", gdv_role_name((gdv_role)(g->role[v] ? g->role[v] : GDV_ROLE_INPUT)));
      static const char *const fills[] = {"", "#E8F1F8", "#FDF1DC", "#FFFFFF"};
      fprintf(f, "fillcolor=\"%s\", ", fills[g->role[v] ? g->role[v] : 1]);
      if (g->role[v] == GDV_ROLE_CONST) fputs("style=\"rounded,filled,dashed\", ", f);
      if (g->role[v] == GDV_ROLE_PARAM) fputs("penwidth=2, ", f);
    }
    fputs("value=", f);
    dot_number(f, g->value[v]);
    fputs(", grad=", f);
    dot_number(f, g->grad[v]);
    if (v == g->output) fputs(", output=true, penwidth=3, color=\"#000000\"", f);
    if (!g->reaches[v]) fputs(", fontcolor=\"#B0B0B0\", color=\"#B0B0B0\"", f);
    if (g->label[v] && g->label[v][0] == '\0') {
      fputs(", gradviz_unnamed=true", f);
    } else if (g->label[v]) {
      fputs(", gradviz_label=", f);
      dot_quoted(f, g->label[v]);
    }
    fputs(", label=", f);
    html_label(f, s->nodes[v].lines, s->nodes[v].n_lines);
    fputs("];\n", f);
  }
  for (size_t e = 0; e < g->n_edges; e++) {
    gdv_id to = g->edge_to[e];
    fputs("  ", f);
    dot_quoted(f, g->name[g->edge_from[e]]);
    fputs(" -> ", f);
    dot_quoted(f, g->name[to]);
    fprintf(f, " [arg=%zu, local=", e - g->arg_start[to]);
    dot_number(f, g->edge_local[e]);
    fputs(", grad=", f);
    dot_number(f, g->edge_grad[e]);
    if (s->edges[e].n_lines) {
      fputs(", label=", f);
      html_label(f, s->edges[e].lines, s->edges[e].n_lines);
    }
    fputs("];\n", f);
  }
  fputs("}\n", f);
  gdv_scene_free(s);
  if (ferror(f)) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the DOT file");
  return GDV_OK;
}
