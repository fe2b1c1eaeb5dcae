/* gdv_report.c: `gradviz eval` output as text, JSON or CSV. */
#include <math.h>
#include <string.h>

#include "io/gdv_io.h"

/* The names must stay in the enum's order (text, json, csv): the index is
 * the format. */
int gdv_report_format_lookup(const char *name, gdv_report_format *out) {
  static const char *const names[] = {"text", "json", "csv"};
  int i = gdv_name_index(names, 3, name);
  if (i >= 0) *out = (gdv_report_format)i;
  return i >= 0;
}

/* JSON has no NaN or Infinity: null keeps the file parseable; finite values
 * get the shortest text that reads back to the same double. */
void gdv_json_number(FILE *f, double x) {
  char buf[40];
  if (!isfinite(x)) {
    fputs("null", f);
    return;
  }
  fputs(gdv_number_text(x, buf, sizeof buf), f);
}

/* Escapes what JSON requires, and DEL; UTF-8 passes through, so names stay
 * readable, and a byte that is not UTF-8 becomes U+FFFD, so the output is
 * valid JSON whatever the graph holds. `in_script`: also '<', '>' and '&'
 * as \u escapes, so that the string can stand inside an HTML <script>
 * (no "</script>" or "<!--" in a name ends the element early). */
void gdv_json_string_in(FILE *f, const char *s, int in_script) {
  const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
  fputc('"', f);
  while (p < end) {
    size_t n = *p < 0x80 ? 1 : gdv_utf8_seq(p, end);
    int markup = in_script && (*p == '<' || *p == '>' || *p == '&');
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p == '\n') fputs("\\n", f);
    else if (*p == '\t') fputs("\\t", f);
    else if (*p < 0x20 || *p == 0x7F || markup) fprintf(f, "\\u%04x", *p);
    else if (n == 0) fputs("\\ufffd", f);
    else fwrite(p, 1, n, f);
    p += n ? n : 1;
  }
  fputc('"', f);
}

/* A JSON string for eval's JSON and the other reports. */
void gdv_json_string(FILE *f, const char *s) {
  gdv_json_string_in(f, s, 0);
}

/* What an edge's record holds is the same in eval's JSON and CSV and in
 * the annotated DOT (render's gdv_dotout.c): one writer, and each format
 * says only where the parts go and how it spells names and numbers. */
void gdv_edge_write(FILE *f, const gdv_graph *g, size_t e, const gdv_edge_format *fmt) {
  gdv_id to = g->edge_to[e];
  for (const char *p = fmt->layout; *p;) {
    size_t n = strcspn(p, "%");
    fwrite(p, 1, n, f);
    p += n;
    if (*p == '\0') break;
    switch (p[1]) {
    case 'F': fmt->name(f, g->name[g->edge_from[e]]); break;
    case 'T': fmt->name(f, g->name[to]); break;
    case 'A': fprintf(f, "%zu", e - g->arg_start[to]); break;
    case 'L': fmt->number(f, g->edge_local[e]); break;
    case 'G': fmt->number(f, g->edge_grad[e]); break;
    default: fputc('%', f); p--;  /* a lone %: written as it is */
    }
    p += 2;
  }
}

/* The op's contract name, NULL for leaves. */
static const char *op_name(const gdv_graph *g, gdv_id v) {
  return g->op[v] == GDV_OP_LEAF ? NULL : gdv_op_get((gdv_op)g->op[v])->name;
}

/* Keys are fixed by the CONTRACT; edges grouped by consumer in operand
 * order, so `arg` is the position; a non-finite number is null plus
 * "nonfinite". */
static void write_json(const gdv_graph *g, FILE *f) {
  fputs("{\n  \"output\": ", f);
  gdv_json_string(f, g->name[g->output]);
  fputs(",\n  \"nodes\": [", f);
  for (size_t v = 0; v < g->n_nodes; v++) {
    fputs(v ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
    gdv_json_string(f, g->name[v]);
    fputs(", \"label\": ", f);
    gdv_json_string(f, gdv_graph_display_name(g, (gdv_id)v));
    fputs(", \"op\": ", f);
    if (op_name(g, (gdv_id)v)) gdv_json_string(f, op_name(g, (gdv_id)v));
    else fputs("null", f);
    fputs(", \"role\": ", f);
    if (g->op[v] == GDV_OP_LEAF) gdv_json_string(f, gdv_role_name(g->role[v]));
    else fputs("null", f);
    if (g->op[v] == GDV_OP_POWK) {
      fputs(", \"exponent\": ", f);
      gdv_json_number(f, g->exponent[v]);
    }
    fputs(", \"value\": ", f);
    gdv_json_number(f, g->value[v]);
    fputs(", \"grad\": ", f);
    gdv_json_number(f, g->grad[v]);
    fprintf(f, ", \"fan_in\": %zu, \"fan_out\": %u, \"reaches_output\": %s, \"named\": %s",
            gdv_fan_in(g, (gdv_id)v), g->fan_out[v],
            g->reaches[v] ? "true" : "false", gdv_graph_named(g, (gdv_id)v) ? "true" : "false");
    if (!isfinite(g->value[v]) || !isfinite(g->grad[v]))
      fputs(", \"nonfinite\": true", f);
    /* what the file recorded, beside what gradviz computed (issue 13) */
    if (g->recorded && (g->recorded[v].has & GDV_REC_VALUE)) {
      fputs(", \"recorded_value\": ", f);
      gdv_json_number(f, g->recorded[v].value);
    }
    if (g->recorded && (g->recorded[v].has & GDV_REC_GRAD)) {
      fputs(", \"recorded_grad\": ", f);
      gdv_json_number(f, g->recorded[v].grad);
    }
    fputc('}', f);
  }
  fputs("\n  ],\n  \"edges\": [", f);
  static const gdv_edge_format json_edge = {
    "{\"from\": %F, \"to\": %T, \"arg\": %A, \"local\": %L, \"grad\": %G",
    gdv_json_string, gdv_json_number};
  for (size_t e = 0; e < g->n_edges; e++) {
    fputs(e ? ",\n    " : "\n    ", f);
    gdv_edge_write(f, g, e, &json_edge);
    if (!isfinite(g->edge_local[e]) || !isfinite(g->edge_grad[e]))
      fputs(", \"nonfinite\": true", f);
    fputc('}', f);
  }
  fputs(g->n_edges ? "\n  ]\n}\n" : "]\n}\n", f);
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s) {
  if (s == NULL) return;
  if (strpbrk(s, ",\"\n\r") == NULL) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* Unlike JSON, CSV can say nan and inf, so a spreadsheet shows them; a NaN's
 * meaningless sign is dropped. */
static void csv_number(FILE *f, double x) {
  char buf[40];
  if (isnan(x)) fputs("nan", f);
  else if (isinf(x)) fputs(x > 0 ? "inf" : "-inf", f);
  else fputs(gdv_number_text(x, buf, sizeof buf), f);
}

/* One table, a row per node then a row per edge, told apart by `kind`, so
 * a spreadsheet filter shows either. */
static void write_csv(const gdv_graph *g, FILE *f) {
  fputs("kind,id,label,op,role,value,grad,from,to,arg,local,reaches_output\n", f);
  for (size_t v = 0; v < g->n_nodes; v++) {
    fputs("node,", f);
    csv_field(f, g->name[v]);
    fputc(',', f);
    csv_field(f, gdv_graph_display_name(g, (gdv_id)v));
    fputc(',', f);
    csv_field(f, op_name(g, (gdv_id)v));
    fputc(',', f);
    csv_field(f, g->op[v] == GDV_OP_LEAF ? gdv_role_name(g->role[v]) : NULL);
    fputc(',', f);
    csv_number(f, g->value[v]);
    fputc(',', f);
    csv_number(f, g->grad[v]);
    fprintf(f, ",,,,,%s\n", g->reaches[v] ? "true" : "false");
  }
  /* an edge's gradient goes in the grad column, beside the nodes' */
  static const gdv_edge_format csv_edge = {"edge,,,,,,%G,%F,%T,%A,%L,\n", csv_field, csv_number};
  for (size_t e = 0; e < g->n_edges; e++) gdv_edge_write(f, g, e, &csv_edge);
}

/* A name for text tables: the label, or for unnamed formula nodes the id. */
static const char *text_name(const gdv_graph *g, gdv_id v) {
  const char *s = gdv_graph_display_name(g, v);
  return *s ? s : g->name[v];
}

/* libm's NaN may carry a sign and printf shows it ("-nan" from log(-1)):
 * the sign of a NaN means nothing, and the table should not depend on it. */
static double shown(double x) {
  return isnan(x) ? fabs(x) : x;
}

/* A name for the terminal: control characters and DEL as \n, \t, \xHH,
 * so a name cannot move the cursor or clear the screen; then spaces up to
 * `width` columns (counted in bytes written). */
static void put_name(FILE *f, const char *s, int width) {
  int n = 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\n') n += fprintf(f, "\\n");
    else if (c == '\t') n += fprintf(f, "\\t");
    else if (c < 0x20 || c == 0x7F) n += fprintf(f, "\\x%02x", c);
    else { fputc(c, f); n++; }
  }
  for (; n < width; n++) fputc(' ', f);
}

/* Column width of the longest name, so the table lines up. */
static int name_width(const gdv_graph *g) {
  size_t w = 4;
  for (size_t v = 0; v < g->n_nodes; v++) {
    size_t n = 0;   /* as put_name writes it */
    for (const char *p = g->name[v]; *p; p++) {
      unsigned char c = (unsigned char)*p;
      n += c == '\n' || c == '\t' ? 2 : c < 0x20 || c == 0x7F ? 4 : 1;
    }
    if (n > w) w = n;
  }
  return w > 40 ? 40 : (int)w;
}

/* Node table, edge table, then fan-out sums term by term; the sums need the
 * out-edge index, whose allocation failure is left in err. */
static void write_text(const gdv_graph *g, FILE *f, gdv_error *err) {
  int w = name_width(g);
  fputs("output ", f);
  put_name(f, text_name(g, g->output), 0);
  fprintf(f, " = %.6g\n\n", shown(g->value[g->output]));
  fprintf(f, "%-*s  %-9s %14s %14s\n", w, "node", "op/role", "value",
          "dC/dnode");
  for (size_t v = 0; v < g->n_nodes; v++) {
    const char *kind = op_name(g, (gdv_id)v);
    if (kind == NULL) kind = gdv_role_name(g->role[v]);
    put_name(f, g->name[v], w);
    fprintf(f, "  %-9s %14.6g %14.6g%s\n", kind,
            shown(g->value[v]), shown(g->grad[v]),
            (gdv_id)v == g->output ? "  (output C)"
            : !g->reaches[v]       ? "  (does not reach the output)" : "");
  }
  if (g->n_edges) {
    fprintf(f, "\n%-*s    %-*s %4s %14s %14s\n", w, "edge", w, "", "arg",
            "local dv/du", "grad");
    for (size_t v = 0; v < g->n_nodes; v++)
      for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++)
      {
        put_name(f, g->name[g->edge_from[e]], w);
        fputs(" -> ", f);
        put_name(f, g->name[v], w);
        fprintf(f, " %4zu %14.6g %14.6g\n", e - g->arg_start[v],
                shown(g->edge_local[e]), shown(g->edge_grad[e]));
      }
  }
  gdv_consumers out;
  if (gdv_consumers_build(g, &out, err) != GDV_OK) return;
  int header = 0;
  for (size_t u = 0; u < g->n_nodes; u++) {
    if (out.start[u + 1] - out.start[u] < 2) continue;
    if (!header) {
      fputs("\nfan-out sums: the gradient of a value used several times is "
            "the sum of what flows back along each use\n", f);
      header = 1;
    }
    fputs("dC/d", f);
    put_name(f, text_name(g, (gdv_id)u), 0);
    fputs(" =", f);
    for (size_t k = out.start[u]; k < out.start[u + 1]; k++) {
      double term = shown(g->edge_grad[out.edge[k]]);
      if (k == out.start[u]) fprintf(f, " %.6g", term);
      else if (signbit(term)) fprintf(f, " - %.6g", -term);
      else fprintf(f, " + %.6g", term);
    }
    fprintf(f, " = %.6g\n", shown(g->grad[u]));
  }
  gdv_consumers_free(&out);
}

/* Clears err first: the text format's out-edge index is the only thing that
 * can fail, and its failure is what gets returned. */
gdv_status gdv_report_write(const gdv_graph *g, gdv_report_format fmt,
                            FILE *f, gdv_error *err) {
  gdv_error_clear(err);
  switch (fmt) {
  case GDV_REPORT_JSON: write_json(g, f); break;
  case GDV_REPORT_CSV: write_csv(g, f); break;
  case GDV_REPORT_TEXT: write_text(g, f, err); break;
  }
  return err ? err->code : GDV_OK;
}
