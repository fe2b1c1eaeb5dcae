/* gdv_dotout.c: the annotated DOT. Plain Graphviz draws it readably (HTML
 * labels with the numbers, colours by role), and gradviz reads it back to
 * the same graph: numbers are written to round-trip, operands carry `arg`,
 * and the graph says gradviz_annotated=true so the reader knows that op
 * nodes' `value` and the drawn labels are results, not input. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "io/gdv_io.h"
#include "render/gdv_render.h"

/* DOT strings are quoted by gdv_dot_quoted (gdv_render_util.c), shared
 * with the MNIST figure's DOT. */
#define dot_quoted gdv_dot_quoted

/* Writes s escaped for an HTML-like label, which Graphviz reads as XML
 * (gdv_xml_char: no control character or noncharacter reaches it). */
static void html_text(FILE *f, const char *s) {
  size_t len;
  for (; *s; s += len) {
    const char *r = gdv_xml_char(s, &len);
    if (r) fputs(r, f);
    else fwrite(s, 1, len, f);
  }
}

/* A double as DOT attribute text that reads back as the same double. */
static void dot_number(FILE *f, double x) {
  char buf[32];
  if (!isfinite(x)) fputs(isnan(x) ? "\"nan\"" : x > 0 ? "\"inf\"" : "\"-inf\"", f);
  else fprintf(f, "\"%s\"", gdv_number_text(x, buf, sizeof buf));
}

/* A colour as DOT's #RRGGBB (opaque: the default style's colours are). */
typedef struct hex_colour {
  char s[8];
} hex_colour;

/* Rounds each channel to a byte, so the default style's colours come back
 * as the hex they were written as. */
static hex_colour hex(gdv_rgba c) {
  hex_colour h;
  snprintf(h.s, sizeof h.s, "#%02X%02X%02X", (unsigned)lround(c.r * 255) & 255u,
           (unsigned)lround(c.g * 255) & 255u, (unsigned)lround(c.b * 255) & 255u);
  return h;
}

/* Colour of a text line kind: the default style's, as the figure's. */
static hex_colour line_colour(const gdv_style *st, int kind) {
  switch (kind) {
  case GDV_TEXT_VALUE: case GDV_TEXT_LOCAL: return hex(st->forward);
  case GDV_TEXT_GRAD: case GDV_TEXT_EDGE_GRAD: return hex(st->backward);
  case GDV_TEXT_SUM: return hex(st->sum);
  default: return hex(st->text);
  }
}

/* Writes lines as an HTML label: one coloured line each, except that a
 * fan-out sum wrapped over lines (cut before a " + ") is one line again:
 * the annotated DOT keeps the sum whole, as data, whatever the figure's
 * width. */
static void html_label(FILE *f, const gdv_style *st, const gdv_scene_line *lines, size_t n) {
  fputs("<", f);
  for (size_t i = 0; i < n; i++) {
    if (i) fputs("<BR/>", f);
    int bold = lines[i].kind == GDV_TEXT_NAME || lines[i].kind == GDV_TEXT_OP;
    fprintf(f, "<FONT COLOR=\"%s\">%s", line_colour(st, lines[i].kind).s, bold ? "<B>" : "");
    html_text(f, lines[i].text);
    for (; lines[i].kind == GDV_TEXT_SUM && i + 1 < n && lines[i + 1].kind == GDV_TEXT_SUM; i++) {
      fputs(" ", f);
      html_text(f, lines[i + 1].text);
    }
    fprintf(f, "%s</FONT>", bold ? "</B>" : "");
  }
  fputs(">", f);
}

/* One graph attribute: the name bare when it is a DOT identifier, so
 * that the attributes written here and those read back from this file
 * come out alike. */
static void graph_attr(FILE *f, const char *name, const char *value) {
  int bare = (*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_';
  for (const char *p = name; *p && bare; p++)
    bare = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
           (*p >= '0' && *p <= '9');
  fputs("  ", f);
  if (bare) fputs(name, f);
  else dot_quoted(f, name);
  fputc('=', f);
  dot_quoted(f, value);
  fputs(";\n", f);
}

/* The graph's own attributes, rankdir and title unless given, then
 * gradviz_annotated=true (an input one is dropped), and the default node
 * and edge look. The added ones come before gradviz_annotated and are read
 * back as the graph's own: the file written from this one is the same. */
static void write_graph_attrs(FILE *f, const gdv_graph *g, char *const *graph_attrs,
                              const gdv_style *st) {
  int has_rankdir = 0, has_label = 0;
  for (size_t i = 0; graph_attrs && graph_attrs[i]; i += 2) {
    if (strcmp(graph_attrs[i], "gradviz_annotated") == 0) continue;
    if (strcmp(graph_attrs[i], "rankdir") == 0) has_rankdir = 1;
    if (strcmp(graph_attrs[i], "label") == 0) has_label = 1;
    graph_attr(f, graph_attrs[i], graph_attrs[i + 1]);
  }
  if (!has_rankdir) graph_attr(f, "rankdir", g->rankdir ? g->rankdir : "LR");
  if (!has_label && g->title) {
    graph_attr(f, "label", g->title);
    graph_attr(f, "labelloc", "t");
  }
  fputs("  gradviz_annotated=true;\n", f);
  fprintf(f, "  node [shape=box, style=\"rounded,filled\", fontname=\"%s\", "
          "fontsize=%g, fillcolor=\"%s\", color=\"%s\"];\n", st->font, st->font_size,
          hex(st->node_fill).s, hex(st->node_stroke).s);
  fprintf(f, "  edge [fontname=\"%s\", fontsize=%g, color=\"%s\"];\n", st->font,
          st->edge_font_size, hex(st->edge).s);
}

/* A leaf's role, drawn as the figure draws it: fill, dashes, pen width. */
static void write_role(FILE *f, const gdv_graph *g, gdv_id v, const gdv_style *st) {
  gdv_role role = (gdv_role)(g->role[v] ? g->role[v] : GDV_ROLE_INPUT);
  fprintf(f, "role=%s, ", gdv_role_name(role));
  gdv_rgba fill = role == GDV_ROLE_PARAM ? st->param_fill
                  : role == GDV_ROLE_CONST ? st->const_fill : st->input_fill;
  fprintf(f, "fillcolor=\"%s\", ", hex(fill).s);
  if (role == GDV_ROLE_CONST) fputs("style=\"rounded,filled,dashed\", ", f);
  if (role == GDV_ROLE_PARAM) fputs("penwidth=2, ", f);
}

/* One node: op or role, value and gradient that read back exactly, the
 * names gradviz needs to restore, and the drawn label. */
static void write_node(FILE *f, const gdv_graph *g, const gdv_scene *s, gdv_id v,
                       const gdv_style *st) {
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
    write_role(f, g, v, st);
  }
  fputs("value=", f);
  dot_number(f, g->value[v]);
  fputs(", grad=", f);
  dot_number(f, g->grad[v]);
  if (v == g->output) fprintf(f, ", output=true, penwidth=3, color=\"%s\"", hex(st->output_stroke).s);
  if (!g->reaches[v]) fprintf(f, ", fontcolor=\"%s\", color=\"%s\"", hex(st->grey).s, hex(st->grey).s);
  if (g->label[v] && g->label[v][0] == '\0') {
    fputs(", gradviz_unnamed=true", f);
  } else if (g->label[v]) {
    fputs(", gradviz_label=", f);
    dot_quoted(f, g->label[v]);
  }
  fputs(", label=", f);
  html_label(f, st, s->nodes[v].lines, s->nodes[v].n_lines);
  fputs("];\n", f);
}

/* One edge: its operand index, local derivative and gradient; se is the
 * scene edge drawing it, or SIZE_MAX for an edge merged into an earlier
 * parallel one: kept (the file must read back to the same graph) but
 * invisible, so that plain Graphviz draws the one edge marked "×N". */
static void write_edge(FILE *f, const gdv_graph *g, const gdv_scene *s, size_t e,
                       size_t se, const gdv_style *st) {
  static const gdv_edge_format dot_edge = {
    "  %F -> %T [arg=%A, local=%L, grad=%G", dot_quoted, dot_number};
  gdv_edge_write(f, g, e, &dot_edge);
  if (se == SIZE_MAX) {
    fputs(", style=invis", f);
  } else if (s->edges[se].n_lines) {
    fputs(", label=", f);
    html_label(f, st, s->edges[se].lines, s->edges[se].n_lines);
  }
  fputs("];\n", f);
}

/* Every edge carries its arg and unnamed nodes are marked, so the file reads
 * back to the same graph and numbers; colours and fonts are the default
 * style's, the look plain Graphviz gives it. */
gdv_status gdv_render_write_dot(const gdv_graph *g, char *const *graph_attrs,
                                const gdv_scene_options *opt, FILE *f,
                                gdv_error *err) {
  gdv_scene *s = NULL;
  /* The file is the whole graph (it must read back to the same numbers):
   * every group in full, whatever --expand says. */
  gdv_scene_options full;
  if (opt) full = *opt;
  else gdv_scene_options_default(&full);
  full.expand = NULL;
  gdv_status st = gdv_scene_from_graph(g, &full, &s, err);
  if (st) return st;
  gdv_style style;
  gdv_style_default(&style);
  fputs("digraph ", f);
  dot_quoted(f, g->title ? g->title : "gradviz");
  fputs(" {\n", f);
  write_graph_attrs(f, g, graph_attrs, &style);
  for (gdv_id v = 0; v < g->n_nodes; v++) write_node(f, g, s, v, &style);
  for (size_t e = 0, se = 0; e < g->n_edges; e++) {
    int drawn = s->edge_group == NULL || s->edge_group[e] != 0;
    write_edge(f, g, s, e, drawn ? se++ : SIZE_MAX, &style);
  }
  fputs("}\n", f);
  gdv_scene_free(s);
  if (ferror(f)) return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the DOT file");
  return GDV_OK;
}
