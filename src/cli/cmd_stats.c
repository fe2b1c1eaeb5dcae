/* cmd_stats.c: `gradviz stats`: the size and shape of a graph, the memory
 * the forward pass keeps for the backward pass, and backprop against finite
 * differences in edge visits and in time. The figures come from
 * gdv_stats_compute (src/core); this file only prints them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "io/gdv_io.h"
#include "core/gdv_stats.h"

static const char stats_help[] =
  "Usage: gradviz stats GRAPH [--format text|json] [--no-timing]\n\n"
  "Counts nodes, edges, leaves by role, the depth (longest path, in edges)\n"
  "and the widest fan-in and fan-out; the memory the forward pass must keep\n"
  "for the backward pass (8 bytes a value: mul keeps its operands, exp,\n"
  "tanh, sigmoid, relu and sqrt keep their result, add keeps nothing),\n"
  "against keeping everything; and the work of all gradients by one\n"
  "forward and one backward pass against finite differences (two forward\n"
  "passes per parameter), in edge visits and in time on this machine.\n\n"
  "  --format F     text (default) or json\n"
  "  --no-timing    counts only (the same output on every run)\n"
  "  --output NODE  differentiate NODE instead of the graph's output\n"
  "  --variant K       student K's numbers: other input and parameter values,\n"
  "                    few digits each, the graph's lesson kept (see worksheet)\n"
  "  --input-format F  dot or expr: how GRAPH is read (default: by its\n"
  "                 suffix; - and other names by the first line, x = 2 a formula)\n";

/* For people: thousands grouped; print_json gives the same numbers for
 * programs. */
static void print_text(FILE *f, const gdv_graph *g, const gdv_stats *s) {
  char a[32], b[32], c[32], d[32], e[32], h[32];
  fprintf(f, "graph %s\n", g->source);
  fprintf(f, "  nodes          %s (%s ops, %s leaves: %s input, %s param, %s const)\n",
          gdv_cli_grouped(s->n_nodes, a, sizeof a), gdv_cli_grouped(s->n_ops, b, sizeof b),
          gdv_cli_grouped(s->n_inputs + s->n_params + s->n_consts, c, sizeof c),
          gdv_cli_grouped(s->n_inputs, d, sizeof d), gdv_cli_grouped(s->n_params, e, sizeof e),
          gdv_cli_grouped(s->n_consts, h, sizeof h));
  fprintf(f, "  edges          %s\n", gdv_cli_grouped(s->n_edges, a, sizeof a));
  fprintf(f, "  output         %s\n", g->name[g->output]);
  if (s->n_unreached)
    fprintf(f, "  unreached      %zu node%s with no path to the output\n",
            s->n_unreached, s->n_unreached == 1 ? "" : "s");
  fprintf(f, "  depth          %zu (longest path, in edges, ends at %s)\n", s->depth,
          g->name[s->depth_end]);
  fprintf(f, "  widest fan-in  %zu (%s)\n", s->max_fan_in, g->name[s->max_fan_in_node]);
  fprintf(f, "  widest fan-out %zu (%s)\n", s->max_fan_out, g->name[s->max_fan_out_node]);

  fprintf(f, "\nmemory kept by the forward pass for the backward pass (8 bytes a value):\n");
  fprintf(f, "  values kept    %s (%s activations, %s leaves); %s by ops that need\n"
             "                 their operands, %s by ops that need their result\n",
          gdv_cli_grouped(s->saved_values, a, sizeof a), gdv_cli_grouped(s->saved_activations, b, sizeof b),
          gdv_cli_grouped(s->saved_leaf_values, c, sizeof c), gdv_cli_grouped(s->saved_by_inputs, d, sizeof d),
          gdv_cli_grouped(s->saved_by_output, e, sizeof e));
  if (s->saved_indices)
    fprintf(f, "  max/min        %zu winner index%s\n", s->saved_indices,
            s->saved_indices == 1 ? "" : "es");
  fprintf(f, "  needed         %s bytes\n", gdv_cli_grouped(s->saved_bytes, a, sizeof a));
  fprintf(f, "  every value    %s bytes\n", gdv_cli_grouped(s->all_values_bytes, a, sizeof a));
  fprintf(f, "  values+locals  %s bytes (every value and every edge's local derivative)\n",
          gdv_cli_grouped(s->all_with_locals_bytes, a, sizeof a));

  gdv_cli_print_cost(f, s);
}

/* One integer key a line; comma says whether a key follows, since JSON
 * forbids a trailing comma. */
static void json_key_u64(FILE *f, const char *key, uint64_t x, int comma) {
  fprintf(f, "  \"%s\": %" PRIu64 "%s\n", key, x, comma ? "," : "");
}

/* For programs: plain numbers under fixed keys, names as JSON strings. */
static void print_json(FILE *f, const gdv_graph *g, const gdv_stats *s) {
  fputs("{\n  \"output\": ", f);
  gdv_json_string(f, g->name[g->output]);
  fputs(",\n", f);
  json_key_u64(f, "nodes", s->n_nodes, 1);
  json_key_u64(f, "edges", s->n_edges, 1);
  json_key_u64(f, "ops", s->n_ops, 1);
  fprintf(f, "  \"leaves\": {\"input\": %zu, \"param\": %zu, \"const\": %zu},\n",
          s->n_inputs, s->n_params, s->n_consts);
  json_key_u64(f, "unreached", s->n_unreached, 1);
  json_key_u64(f, "depth", s->depth, 1);
  fputs("  \"depth_end\": ", f);
  gdv_json_string(f, g->name[s->depth_end]);
  fprintf(f, ",\n  \"max_fan_in\": {\"count\": %zu, \"node\": ", s->max_fan_in);
  gdv_json_string(f, g->name[s->max_fan_in_node]);
  fprintf(f, "},\n  \"max_fan_out\": {\"count\": %zu, \"node\": ", s->max_fan_out);
  gdv_json_string(f, g->name[s->max_fan_out_node]);
  fputs("},\n", f);
  fprintf(f, "  \"memory\": {\"saved_values\": %zu, \"saved_activations\": %zu, "
             "\"saved_leaf_values\": %zu, \"saved_by_inputs\": %zu, "
             "\"saved_by_output\": %zu, \"saved_indices\": %zu, "
             "\"saved_bytes\": %zu, \"all_values_bytes\": %zu, "
             "\"all_with_locals_bytes\": %zu},\n",
          s->saved_values, s->saved_activations, s->saved_leaf_values,
          s->saved_by_inputs, s->saved_by_output, s->saved_indices,
          s->saved_bytes, s->all_values_bytes, s->all_with_locals_bytes);
  fprintf(f, "  \"cost\": {\"gradients\": %zu, \"of\": \"%s\", "
             "\"backprop_edge_visits\": %" PRIu64 ", \"fd_forward_passes\": %" PRIu64
             ", \"fd_edge_visits\": %" PRIu64,
          s->n_wanted, s->wanted_are_params ? "param" : "leaf",
          s->backprop_edge_visits, s->fd_forward_passes, s->fd_edge_visits);
  if (s->timed) {
    fputs(", \"seconds\": {\"forward\": ", f);
    gdv_json_number(f, s->t_forward);
    fputs(", \"backward\": ", f);
    gdv_json_number(f, s->t_backward);
    fputs(", \"finite_differences\": ", f);
    gdv_json_number(f, s->t_fd);
    fprintf(f, ", \"fd_estimated\": %s}", s->fd_extrapolated ? "true" : "false");
  }
  fputs("}\n}\n", f);
}

/* What stats' options set. */
typedef struct stats_cli_options {
  gdv_stats_options stats;
  int json;
  const char *output;
} stats_cli_options;

/* One option of stats with a value to check; --output is a text, and
 * --help and --version are gdv_cli_parse's. */
static int stats_option(int opt, const char *value, void *ctx) {
  stats_cli_options *o = ctx;
  switch (opt) {
  case 'f':
    if (strcmp(value, "json") == 0) o->json = 1;
    else if (strcmp(value, "text") == 0) o->json = 0;
    else return gdv_cli_usage("stats", "unknown format '%s' (text or json)", value);
    return 0;
  case 'T': o->stats.timing = 0; return 0;
  }
  return GDV_ERR_INPUT;
}

static const gdv_cli_text stats_texts[] = {GDV_CLI_TEXT('O', stats_cli_options, output), {0, 0}};

static const gdv_cli_spec stats_spec = {"stats", stats_help, "",
    "format=f no-timing:T output=O", 0, stats_texts, NULL};

/* Writes to stdout; main checks standard output once at the end for every
 * command (exit 3, naming the reason) rather than after every line. */
int gdv_cmd_stats(int argc, char **argv) {
  stats_cli_options o = {.json = 0, .output = NULL};
  gdv_stats_options_default(&o.stats);
  gdv_input in;
  int status = gdv_cli_parse_graph(&stats_spec, argc, argv, stats_option, &o, &o.output, &in);
  if (status >= 0) return status;
  gdv_error err;
  gdv_error_clear(&err);
  gdv_stats s;
  if (gdv_stats_compute(in.graph, &o.stats, &s, &err)) {
    gdv_input_free(&in);
    return gdv_cli_report(&err);
  }
  if (o.json) print_json(stdout, in.graph, &s);
  else print_text(stdout, in.graph, &s);
  gdv_input_free(&in);
  return 0;
}
