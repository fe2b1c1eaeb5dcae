/* cli_cost.c: the table `stats` and `check` both end with, the card's
 * central claim in numbers: one forward and one backward pass against two
 * forward passes per parameter, in edge visits and in time. */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/gdv_stats.h"

/* Thousands separators: the numbers that matter here have many digits. */
const char *gdv_cli_grouped(uint64_t x, char *buf, size_t size) {
  char raw[32];
  int n = snprintf(raw, sizeof raw, "%" PRIu64, x), j = 0;
  for (int i = 0; i < n && (size_t)j + 2 < size; i++) {
    if (i > 0 && (n - i) % 3 == 0) buf[j++] = ',';
    buf[j++] = raw[i];
  }
  buf[j] = '\0';
  return buf;
}

/* Seconds in the unit a reader takes in at a glance, right-aligned. */
static void print_time(FILE *f, double t) {
  char buf[32];
  if (t < 1e-6) snprintf(buf, sizeof buf, "%.1f ns", t * 1e9);
  else if (t < 1e-3) snprintf(buf, sizeof buf, "%.1f us", t * 1e6);
  else if (t < 1) snprintf(buf, sizeof buf, "%.1f ms", t * 1e3);
  else snprintf(buf, sizeof buf, "%.2f s", t);
  fprintf(f, " %14s", buf);
}

/* A ratio: "4.2" when small, "16,210" when large. */
static const char *ratio(double x, char *buf, size_t size) {
  if (x >= 100 && x < 1e18) return gdv_cli_grouped((uint64_t)(x + 0.5), buf, size);
  snprintf(buf, size, "%.2g", x);
  return buf;
}

/* Prints the cost section from figures gdv_stats_compute measured. */
void gdv_cli_print_cost(FILE *f, const gdv_stats *s) {
  char a[32], b[32];
  fprintf(f, "\nthe cost of all %s gradients dC/d%s:\n", gdv_cli_grouped(s->n_wanted, a, sizeof a),
          s->wanted_are_params ? "param" : "leaf (no params: every leaf)");
  fprintf(f, "  %-20s %18s %18s", "method", "passes", "edge visits");
  if (s->timed) fprintf(f, " %14s", "time");
  fputc('\n', f);
  fprintf(f, "  %-20s %18s %18s", "backprop", "1 fwd + 1 bwd",
          gdv_cli_grouped(s->backprop_edge_visits, a, sizeof a));
  if (s->timed) {
    print_time(f, s->t_forward + s->t_backward);
  }
  fputc('\n', f);
  char passes[48];
  snprintf(passes, sizeof passes, "%s fwd", gdv_cli_grouped(s->fd_forward_passes, b, sizeof b));
  fprintf(f, "  %-20s %18s %18s", "finite differences", passes,
          gdv_cli_grouped(s->fd_edge_visits, a, sizeof a));
  if (s->timed) {
    print_time(f, s->t_fd);
    if (s->fd_extrapolated) fputs(" (estimated: passes x one pass)", f);
  }
  fputc('\n', f);
  if (s->backprop_edge_visits == 0) return;  /* no edges: nothing to compare */
  fprintf(f, "  finite differences visit %s times as many edges",
          ratio((double)s->fd_edge_visits / (double)s->backprop_edge_visits, a, sizeof a));
  if (s->timed && s->t_forward + s->t_backward > 0)
    fprintf(f, " and take %s times as long",
            ratio(s->t_fd / (s->t_forward + s->t_backward), a, sizeof a));
  fputc('\n', f);
}

