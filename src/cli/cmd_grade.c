/* cmd_grade.c: `gradviz grade`: a student's answers against the graph
 * (student K's with --variant K), each wrong one with its likely cause. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/gdv_exercise.h"
#include "io/gdv_answers.h"
#include "io/gdv_io.h"

static const char grade_help[] =
  "Usage: gradviz grade GRAPH ANSWERS [--variant K] [--format text|json]\n"
  "                     [--rtol R] [--atol A] [--output NODE] [-o FILE]\n\n"
  "Grades a student's answers to a worksheet of GRAPH (see gradviz worksheet):\n"
  "each answer is right within 2% or 0.01 (the larger), as a hand computation\n"
  "carried to three or four digits is. Each wrong answer is named with its\n"
  "likely cause where the graph can tell:\n"
  "  - the sign;\n"
  "  - one term of a fan-out sum (or some of its terms) instead of the sum,\n"
  "    naming the missing terms;\n"
  "  - the local derivative given where the gradient was asked (the upstream\n"
  "    gradient forgotten);\n"
  "  - carried: wrong, but right from the student's own wrong answers\n"
  "    upstream (their dC/dv times the local, their terms summed): only the\n"
  "    first error of a chain costs.\n\n"
  "ANSWERS is CSV with the header quantity,item,value, or JSON: a list of\n"
  "{\"quantity\": ..., \"item\": ..., \"value\": ...}. quantity is grad, edge-grad,\n"
  "local or value; item a node's id, FROM->TO for an edge, FROM->TO#k for the\n"
  "k-th (from 1) of parallel edges. '-' reads standard input.\n\n"
  "  --variant K    student K's numbers (as the worksheet --variant K showed)\n"
  "  --format F     text (default) or json (for a course platform)\n"
  "  --rtol R       relative tolerance (default 0.02)\n"
  "  --atol A       absolute tolerance (default 0.01)\n"
  "  --output NODE  differentiate NODE instead of the graph's output\n"
  "  -o FILE        write the report to FILE instead of standard output\n"
  "  --input-format F  dot or expr: how GRAPH is read\n\n"
  "Exit status: 0 every answer right, 1 some wrong, 2 bad input or usage.\n";

typedef struct grade_options {
  int json;
  const char *output, *out_path;
  gdv_grade_options tol;
} grade_options;

/* --format, --rtol and --atol; the rest are texts or gdv_cli_parse's. */
static int grade_option(int opt, const char *value, void *ctx) {
  grade_options *o = ctx;
  if (opt == 'r')
    return gdv_cli_double_in("grade", "--rtol", value, 0, 0, 1, &o->tol.rtol) ? 0 : GDV_ERR_INPUT;
  if (opt == 'a')
    return gdv_cli_double_in("grade", "--atol", value, 0, 0, 1e6, &o->tol.atol) ? 0 : GDV_ERR_INPUT;
  if (strcmp(value, "text") == 0 || strcmp(value, "json") == 0) {
    o->json = value[0] == 'j';
    return 0;
  }
  return gdv_cli_usage("grade", "unknown format '%s' (text or json)", value);
}

static const gdv_cli_text grade_texts[] = {
  GDV_CLI_TEXT('O', grade_options, output), GDV_CLI_TEXT('o', grade_options, out_path), {0, 0}};

static const gdv_cli_spec grade_spec = {"grade", grade_help, "o:",
    "format=f rtol=r atol=a output=O", 0, grade_texts, NULL};

/* A number as the key shows it: four significant digits. */
static void put_number(FILE *f, double x) {
  fprintf(f, "%.4g", x == 0 ? 0.0 : x);
}

/* An answer's quantity and item ("grad b", "edge-grad a->c"). */
static void put_item(FILE *f, const gdv_graph *g, const gdv_answer *a) {
  char *name = gdv_item_name(g, (gdv_quantity)a->quantity, a->item);
  fprintf(f, "%s %s", gdv_quantity_name((gdv_quantity)a->quantity), name ? name : "?");
  free(name);
}

/* What is wrong with an answer, in words (nothing for a right one). */
static void put_reason(FILE *f, const gdv_graph *g, const gdv_answer *a, const gdv_grade_row *r,
                       const gdv_answer *all) {
  if (r->verdict == GDV_RIGHT) return;
  fprintf(f, "expected ");
  put_number(f, r->expected);
  switch ((gdv_cause)r->cause) {
  case GDV_CAUSE_CARRIED:
    fprintf(f, "; but right from your own ");
    put_item(f, g, &all[r->from]);
    fprintf(f, " (line %ld), which was wrong: only the first error costs", all[r->from].line);
    break;
  case GDV_CAUSE_SIGN:
    fprintf(f, "; the sign is wrong");
    break;
  case GDV_CAUSE_PART_SUM: {
    size_t used = r->n_terms - r->n_missing;
    fprintf(f, "; %s of the fan-out sum of %zu terms instead of the sum; missing ",
            used == 1 ? "one term" : "some terms", r->n_terms);
    for (size_t k = 0; k < r->n_missing; k++) {
      char *name = gdv_item_name(g, GDV_Q_EDGE_GRAD, (gdv_id)r->missing[k]);
      fprintf(f, "%s%s (", k ? ", " : "", name ? name : "?");
      put_number(f, g->edge_grad[r->missing[k]]);
      fprintf(f, ")");
      free(name);
    }
    break;
  }
  case GDV_CAUSE_LOCAL: {
    char *name = gdv_item_name(g, GDV_Q_EDGE_GRAD, (gdv_id)r->edge);
    fprintf(f, "; that is the local derivative of %s: multiply it by the upstream gradient "
            "dC/d%s", name ? name : "?", g->name[g->edge_to[r->edge]]);
    free(name);
    break;
  }
  case GDV_CAUSE_UNKNOWN:
    break;
  }
  (void)a;
}

static const char *const verdicts[] = {"right", "wrong", "carried"};
static const char *const causes[] = {NULL, "carried", "sign", "part-sum", "local"};

/* The report as text: one line an answer, then the score. */
static void write_text(FILE *f, const gdv_input *in, const gdv_answer_list *l,
                       const gdv_grade_result *r) {
  const gdv_graph *g = in->graph;
  for (size_t i = 0; i < l->n; i++) {
    const gdv_answer *a = &l->a[i];
    const gdv_grade_row *row = &r->rows[i];
    fprintf(f, "line %-4ld ", a->line);
    put_item(f, g, a);
    fprintf(f, " = ");
    put_number(f, a->value);
    fprintf(f, ": %s", row->verdict == GDV_WRONG ? "WRONG" : verdicts[row->verdict]);
    if (row->verdict != GDV_RIGHT) {
      fprintf(f, ": ");
      put_reason(f, g, a, row, l->a);
    }
    fputc('\n', f);
  }
  fprintf(f, "score: %zu of %zu (%zu right, %zu error%s", l->n - r->n_wrong, l->n, r->n_right,
          r->n_wrong, r->n_wrong == 1 ? "" : "s");
  if (r->n_carried)
    fprintf(f, ", %zu answer%s carried from an earlier error", r->n_carried,
            r->n_carried == 1 ? "" : "s");
  fprintf(f, ")\n");
}

/* The report as one JSON object. */
static int write_json(FILE *f, const gdv_input *in, const gdv_answer_list *l,
                      const gdv_grade_result *r) {
  const gdv_graph *g = in->graph;
  fprintf(f, "{\n  \"graph\": ");
  gdv_json_string(f, in->display_path);
  fprintf(f, ",\n  \"variant\": %llu,\n  \"answers\": %zu,\n  \"right\": %zu,\n  \"wrong\": %zu,"
          "\n  \"carried\": %zu,\n  \"score\": %zu,\n  \"results\": [",
          (unsigned long long)gdv_cli_variant(), l->n, r->n_right, r->n_wrong, r->n_carried,
          l->n - r->n_wrong);
  for (size_t i = 0; i < l->n; i++) {
    const gdv_answer *a = &l->a[i];
    const gdv_grade_row *row = &r->rows[i];
    char *item = gdv_item_name(g, (gdv_quantity)a->quantity, a->item);
    char *msg = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&msg, &len);
    if (item == NULL || m == NULL) {
      free(item);
      if (m) fclose(m);
      free(msg);
      return 0;
    }
    put_reason(m, g, a, row, l->a);
    fclose(m);
    fprintf(f, "%s\n    {\"line\": %ld, \"quantity\": \"%s\", \"item\": ", i ? "," : "", a->line,
            gdv_quantity_name((gdv_quantity)a->quantity));
    gdv_json_string(f, item);
    fprintf(f, ", \"value\": ");
    gdv_json_number(f, a->value);
    fprintf(f, ", \"expected\": ");
    gdv_json_number(f, row->expected);
    fprintf(f, ", \"verdict\": \"%s\", \"cause\": ", verdicts[row->verdict]);
    if (causes[row->cause]) fprintf(f, "\"%s\"", causes[row->cause]);
    else fprintf(f, "null");
    if (row->cause == GDV_CAUSE_PART_SUM) {
      fprintf(f, ", \"missing\": [");
      for (size_t k = 0; k < row->n_missing; k++) {
        char *name = gdv_item_name(g, GDV_Q_EDGE_GRAD, (gdv_id)row->missing[k]);
        fprintf(f, "%s", k ? ", " : "");
        gdv_json_string(f, name ? name : "?");
        free(name);
      }
      fprintf(f, "]");
    }
    if (row->cause == GDV_CAUSE_CARRIED) {
      char *from = gdv_item_name(g, (gdv_quantity)l->a[row->from].quantity, l->a[row->from].item);
      fprintf(f, ", \"from\": {\"quantity\": \"%s\", \"item\": ",
              gdv_quantity_name((gdv_quantity)l->a[row->from].quantity));
      gdv_json_string(f, from ? from : "?");
      fprintf(f, ", \"line\": %ld}, \"own\": ", l->a[row->from].line);
      gdv_json_number(f, row->own);
      free(from);
    }
    if (row->cause == GDV_CAUSE_LOCAL) {
      char *edge = gdv_item_name(g, GDV_Q_EDGE_GRAD, (gdv_id)row->edge);
      fprintf(f, ", \"edge\": ");
      gdv_json_string(f, edge ? edge : "?");
      free(edge);
    }
    fprintf(f, ", \"message\": ");
    gdv_json_string(f, msg && *msg ? msg : "right");
    fprintf(f, "}");
    free(item);
    free(msg);
  }
  fprintf(f, "\n  ]\n}\n");
  return 1;
}

/* GRAPH ANSWERS: the graph is read as every command reads it (the last
 * operand is the answers file). */
int gdv_cmd_grade(int argc, char **argv) {
  grade_options o;
  memset(&o, 0, sizeof o);
  o.out_path = "-";
  gdv_grade_defaults(&o.tol);
  int status;
  if (gdv_cli_parse(&grade_spec, argc, argv, grade_option, &o, &status)) return status;
  if (argc - optind != 2)
    return gdv_cli_usage("grade", argc - optind < 2 ? "needs a GRAPH and an ANSWERS file"
                                                    : "takes a GRAPH and an ANSWERS file");
  const char *answers_path = argv[argc - 1];
  gdv_input in;
  if ((status = gdv_cli_load_graph("grade", argc - 1, argv, o.output, &in))) return status;
  gdv_forward(in.graph);
  gdv_backward(in.graph);
  gdv_error err;
  gdv_error_clear(&err);
  gdv_answer_list l;
  gdv_grade_result r;
  memset(&r, 0, sizeof r);
  gdv_status st = gdv_answers_load(answers_path, in.graph, &l, &err);
  if (st == GDV_OK) st = gdv_grade(in.graph, l.a, l.n, &o.tol, &r, &err);
  gdv_outfile out;
  if (st == GDV_OK) st = gdv_outfile_open(&out, o.out_path, &err);
  if (st == GDV_OK) {
    if (o.json ? write_json(out.f, &in, &l, &r) : (write_text(out.f, &in, &l, &r), 1)) {
      st = gdv_outfile_commit(&out, &err);
    } else {
      gdv_outfile_abort(&out);
      st = gdv_error_oom(&err);
    }
  }
  int all_right = st == GDV_OK && r.n_wrong == 0 && r.n_carried == 0;
  gdv_grade_result_free(&r);
  gdv_answer_list_free(&l);
  gdv_input_free(&in);
  if (st) return gdv_cli_report(&err);
  return all_right ? 0 : GDV_ERR_CHECK;
}
