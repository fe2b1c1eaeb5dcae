/* cmd_eval.c: `gradviz eval`: values, gradients and per-edge numbers. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "io/gdv_io.h"

static const char eval_help[] =
  "Usage: gradviz eval GRAPH [--format text|json|csv] [--output NODE] [-o FILE]\n\n"
  "Evaluates GRAPH forward and backward from its output C and prints every\n"
  "node's value and dC/dnode, every edge's local derivative dv/du and the\n"
  "gradient flowing along it, and, for each value used more than once, its\n"
  "gradient written as the sum over its uses.\n\n"
  "  --format F     text (default, for reading), json (CONTRACT 5), csv\n"
  "  --output NODE  differentiate NODE instead of the graph's output\n"
  "  -o FILE        write to FILE (whole or not at all) instead of stdout\n";

/* The report goes through gdv_out: a failed write never leaves half a report
 * in place of the old file. */
int gdv_cmd_eval(int argc, char **argv) {
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'O'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  gdv_report_format fmt = GDV_REPORT_TEXT;
  const char *output = NULL, *out_path = "-";
  int c;
  while ((c = gdv_cli_getopt("eval", argc, argv, "o:h", opts)) != -1) {
    switch (c) {
    case 'f':
      if (!gdv_report_format_lookup(optarg, &fmt))
        return gdv_cli_usage("eval", "unknown format '%s' (text, json or csv)", optarg);
      break;
    case 'O': output = optarg; break;
    case 'o': out_path = optarg; break;
    case 'h': fputs(eval_help, stdout); return 0;
    case 'V': printf("gradviz %s\n", PACKAGE_VERSION); return 0;
    default: return GDV_ERR_INPUT;
    }
  }
  gdv_error err;
  gdv_input in;
  gdv_error_clear(&err);
  int status = gdv_cli_load_graph("eval", argc, argv, output, &in);
  if (status) return status;
  gdv_forward(in.graph);
  gdv_backward(in.graph);
  gdv_out_file out;
  gdv_status st = gdv_out_open(&out, out_path, &err);
  if (st == GDV_OK) {
    st = gdv_report_write(in.graph, fmt, out.f, &err);
    if (st == GDV_OK) st = gdv_out_commit(&out, &err);
    else gdv_out_abort(&out);
  }
  gdv_input_free(&in);
  return st ? gdv_cli_report(&err) : 0;
}
