/* cmd_eval.c: `gradviz eval`: values, gradients and per-edge numbers. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "io/gdv_io.h"

static const char eval_help[] =
  "Usage: gradviz eval GRAPH [--format text|json|csv] [--output NODE] [-o FILE]\n"
  "                    [--time-limit SECONDS]\n\n"
  "Evaluates GRAPH forward and backward from its output C and prints every\n"
  "node's value and dC/dnode, every edge's local derivative dv/du and the\n"
  "gradient flowing along it, and, for each value used more than once, its\n"
  "gradient written as the sum over its uses.\n\n"
  "  --format F     text (default, for reading), json or csv\n"
  "  --output NODE  differentiate NODE instead of the graph's output\n"
  "  -o FILE        write to FILE (whole or not at all) instead of stdout\n"
  "  --variant K    student K's numbers: other input and parameter values,\n"
  "                 few digits each, the graph's lesson kept (see worksheet)\n"
  "  --input-format F  dot or expr: how GRAPH is read (default: .expr is a\n"
  "                 formula, .dot and .gv DOT; - and other names a formula\n"
  "                 when the first line is a statement such as x = 2)\n"
  "  --time-limit SECONDS\n"
  "                 stop past SECONDS (wall clock, reading included) with one\n"
  "                 line and exit 3, writing nothing (default: no limit)\n\n"
  "JSON: one object with output, nodes (id, label, op, role, value, grad,\n"
  "fan_in, fan_out, reaches_output; recorded_value and recorded_grad when\n"
  "the file recorded them) and edges (from, to, arg, local, grad); numbers\n"
  "read back as the same doubles, one that is not finite is null and its\n"
  "node or edge has \"nonfinite\": true. CSV: one row per node and per edge,\n"
  "told apart by the first column. See gradviz(1), COMMANDS, eval.\n";

/* What eval's options set. */
typedef struct eval_options {
  gdv_report_format format;
  const char *output;
  const char *out_path;
} eval_options;

/* --format and --time-limit, the options of eval with a value to check;
 * the node and the file are texts, and the rest is gdv_cli_parse's. */
static int eval_option(int opt, const char *value, void *ctx) {
  eval_options *o = ctx;
  if (opt == GDV_CLI_TIME_LIMIT) return gdv_cli_time_limit_option("eval", value);
  if (gdv_report_format_lookup(value, &o->format)) return 0;
  return gdv_cli_usage("eval", "unknown format '%s' (text, json or csv)", value);
}

static const gdv_cli_text eval_texts[] = {
  GDV_CLI_TEXT('O', eval_options, output), GDV_CLI_TEXT('o', eval_options, out_path), {0, 0}};

static const gdv_cli_spec eval_spec = {"eval", eval_help, "o:",
    "format=f output=O" GDV_CLI_TIME_LIMIT_OPTION, 0, eval_texts, NULL};

/* The report goes through gdv_out: a failed write never leaves half a report
 * in place of the old file. */
int gdv_cmd_eval(int argc, char **argv) {
  eval_options o = {GDV_REPORT_TEXT, NULL, "-"};
  gdv_input in;
  int status = gdv_cli_parse_graph(&eval_spec, argc, argv, eval_option, &o, &o.output, &in);
  if (status >= 0) return status;
  gdv_forward(in.graph);
  gdv_backward(in.graph);
  gdv_error err;
  gdv_error_clear(&err);
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, o.out_path, &err);
  if (st == GDV_OK) {
    st = gdv_report_write(in.graph, o.format, out.f, &err);
    if (st == GDV_OK) st = gdv_outfile_commit(&out, &err);
    else gdv_outfile_abort(&out);
  }
  gdv_input_free(&in);
  return st ? gdv_cli_report(&err) : 0;
}
