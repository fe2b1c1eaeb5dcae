/* cmd_check.c: `gradviz check`: backprop against finite differences, and
 * what each costs on this graph. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "io/gdv_io.h"
#include "core/gdv_stats.h"

static const char check_help[] =
  "Usage: gradviz check GRAPH [--eps E] [--rtol R] [--sample N] [--seed N]\n"
  "                     [--time-limit SECONDS]\n\n"
  "Compares dC/dleaf from one backward pass with central finite differences\n"
  "(C(x+E) - C(x-E)) / 2E for every leaf (parameters first), prints a table\n"
  "of analytic, numeric and error = |a - n| / max(1, |a|, |n|), and what each\n"
  "method costs on this graph, in forward passes, edge visits and time.\n"
  "Exit status 1 when some error exceeds R.\n\n"
  "  --eps E     step (default 1e-6)\n"
  "  --rtol R    largest error that passes (default 1e-5)\n"
  "  --sample N  check N leaves picked with --seed (default: all)\n"
  "  --seed N    for --sample (default 1)\n"
  "  --variant K       student K's numbers: other input and parameter values,\n"
  "                    few digits each, the graph's lesson kept (see worksheet)\n"
  "  --input-format F  dot or expr: how GRAPH is read (default: by its\n"
  "              suffix; - and other names by the first line, x = 2 a formula)\n"
  "  --time-limit SECONDS\n"
  "              stop past SECONDS (wall clock, reading included) with one\n"
  "              line and exit 3 (default: no limit)\n";

/* A NaN's sign means nothing; printf would show "-nan" for some. */
static double shown(double x) {
  return isnan(x) ? fabs(x) : x;
}

/* The lesson of `check`: what all the gradients cost by backprop against
 * finite differences on this very graph (the table `stats` prints), and
 * what the sampled check itself took. */
static int print_cost(gdv_graph *g, const gdv_check_result *res, double fd_time) {
  gdv_stats_options opt;
  gdv_stats s;
  gdv_error err;
  gdv_stats_options_default(&opt);
  opt.fd_budget = 0.5;   /* the check already ran its own differences */
  if (gdv_stats_compute(g, &opt, &s, &err)) return gdv_cli_report(&err);
  gdv_cli_print_cost(stdout, &s);
  if (res->n_rows < res->n_leaves)
    printf("  the %zu sampled leaves took %zu forward passes: %.3g s\n",
           res->n_rows, res->forward_passes, fd_time);
  return 0;
}

/* Why a recorded gradient is wrong, in words, when the graph can tell. */
static void print_cause(const gdv_graph *g, const gdv_rec_row *r) {
  if (r->cause == GDV_CAUSE_OVERWRITTEN) {
    printf("  overwritten instead of accumulated: ");
    if (r->n_matched == 1)
      printf("the term through %s alone, of %zu\n",
             gdv_graph_display_name(g, g->edge_to[r->first_edge]), r->n_terms);
    else
      printf("the sum of %zu of its %zu terms\n", r->n_matched, r->n_terms);
  } else if (r->cause == GDV_CAUSE_DOWNSTREAM) {
    printf("  follows from a wrong recorded grad it was sent\n");
  } else {
    putchar('\n');
  }
}

/* The recorded numbers (values and dC/dnode the file carries) against
 * gradviz's: a line when all match, else each wrong one with both numbers
 * and its likely cause. Returns the number of wrong ones. */
static size_t print_recorded(const gdv_graph *g, const gdv_rec_result *rec, double rtol) {
  printf("\nrecorded numbers: %zu of %zu match (each within half a unit of its last "
         "digit, or rtol %g)\n", rec->n_recorded - rec->n_wrong, rec->n_recorded, rtol);
  if (rec->n_wrong == 0) return 0;
  int w = 4;
  for (size_t i = 0; i < rec->n_wrong; i++) {
    int n = (int)strlen(gdv_graph_display_name(g, rec->rows[i].node));
    if (n > w) w = n < 40 ? n : 40;
  }
  printf("%-*s  %-5s %17s %17s  %s\n", w, "node", "", "recorded", "computed",
         "likely cause");
  for (size_t i = 0; i < rec->n_wrong; i++) {
    const gdv_rec_row *r = &rec->rows[i];
    printf("%-*s  %-5s %17.10g %17.10g", w, gdv_graph_display_name(g, r->node),
           r->which == GDV_REC_GRAD ? "grad" : "data", shown(r->recorded),
           shown(r->computed));
    print_cause(g, r);
  }
  /* one line a script can take the names from */
  const char *sep = "wrong recorded gradients: ";
  for (size_t i = 0; i < rec->n_wrong; i++) {
    if (rec->rows[i].which != GDV_REC_GRAD) continue;
    printf("%s%s", sep, gdv_graph_display_name(g, rec->rows[i].node));
    sep = ", ";
  }
  if (*sep == ',') putchar('\n');
  return rec->n_wrong;
}

/* One option of check; --help and --version are gdv_cli_parse's. */
static int check_option(int opt, const char *value, void *ctx) {
  gdv_check_options *o = ctx;
  switch (opt) {
  case 'e':
    return gdv_cli_double_in("check", "--eps", value, 0, 1, INFINITY, &o->eps) ? 0 : GDV_ERR_INPUT;
  case 'r':
    return gdv_cli_double_in("check", "--rtol", value, 0, 0, INFINITY, &o->rtol) ? 0 : GDV_ERR_INPUT;
  case 'n':
    return gdv_cli_size_in("check", "--sample", value, 1, SIZE_MAX, &o->sample) ? 0 : GDV_ERR_INPUT;
  case 's':
    return gdv_cli_u64("check", "--seed", value, &o->seed) ? 0 : GDV_ERR_INPUT;
  case GDV_CLI_TIME_LIMIT:
    return gdv_cli_time_limit_option("check", value);
  }
  return GDV_ERR_INPUT;
}

static const gdv_cli_spec check_spec = {"check", check_help, "",
    "eps=e rtol=r sample=n seed=s" GDV_CLI_TIME_LIMIT_OPTION, 0, NULL, NULL};

/* Exit 1 (GDV_ERR_CHECK) when a checked leaf disagrees, 2 for bad input:
 * scripts can tell a wrong gradient from a wrong file. */
int gdv_cmd_check(int argc, char **argv) {
  gdv_check_options opt;
  gdv_check_defaults(&opt);
  gdv_input in;
  int load_status = gdv_cli_parse_graph(&check_spec, argc, argv, check_option, &opt, NULL, &in);
  if (load_status >= 0) return load_status;
  gdv_error err;
  gdv_error_clear(&err);
  gdv_graph *g = in.graph;
  gdv_check_result res;
  double t0 = gdv_cli_now();
  if (gdv_check_run(g, &opt, &res, &err)) {
    gdv_input_free(&in);
    return gdv_cli_report(&err);
  }
  double fd_time = gdv_cli_now() - t0;
  int w = 4;
  for (size_t i = 0; i < res.n_rows; i++) {
    int n = (int)strlen(g->name[res.rows[i].leaf]);
    if (n > w) w = n < 40 ? n : 40;
  }
  printf("C = %s = %.10g\n\n", g->name[g->output], shown(res.output_value));
  printf("%-*s  %-6s %17s %17s %10s\n", w, "leaf", "role", "backprop",
         "finite diff.", "error");
  for (size_t i = 0; i < res.n_rows; i++) {
    const gdv_check_row *r = &res.rows[i];
    printf("%-*s  %-6s %17.10g %17.10g %10.2e  %s\n", w, g->name[r->leaf],
           gdv_role_name(g->role[r->leaf]), shown(r->analytic),
           shown(r->numeric), shown(r->error),
           r->ok ? "ok" : "MISMATCH");
  }
  printf("\nchecked %zu of %zu leaves: %zu passed, %zu failed "
         "(eps %g, rtol %g)\n", res.n_rows, res.n_leaves,
         res.n_rows - res.n_failed, res.n_failed, opt.eps, opt.rtol);
  gdv_rec_result rec;
  if (gdv_recorded_check(g, opt.rtol, &rec, &err)) {
    gdv_check_result_free(&res);
    gdv_input_free(&in);
    return gdv_cli_report(&err);
  }
  size_t n_wrong = g->recorded ? print_recorded(g, &rec, opt.rtol) : 0;
  gdv_rec_result_free(&rec);
  int status = print_cost(g, &res, fd_time);
  if (status == 0 && (res.n_failed || n_wrong)) status = GDV_ERR_CHECK;
  gdv_check_result_free(&res);
  gdv_input_free(&in);
  return status;
}
