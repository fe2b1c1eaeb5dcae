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
  "  --format F     text (default, for reading), json (CONTRACT 5), csv\n"
  "  --output NODE  differentiate NODE instead of the graph's output\n"
  "  -o FILE        write to FILE (whole or not at all) instead of stdout\n"
  "  --time-limit SECONDS\n"
  "                 stop past SECONDS (wall clock, reading included) with one\n"
  "                 line and exit 3, writing nothing (default: no limit)\n";

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
