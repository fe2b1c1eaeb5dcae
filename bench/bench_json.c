/* bench_json.c: how long `eval --format json` spends writing, apart from
 * reading and evaluating: loads GRAPH, runs both passes, writes the JSON
 * once to OUT (for the reference to read), then times writing it to
 * /dev/null (best of two, CPU time of this process). Prints the seconds.
 * Used by bench/json_bench.py, which times Python's json.dumps of the same
 * document beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/gdv.h"
#include "io/gdv_io.h"

/* CPU time of this process: the machine may be shared. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Writes the report to a path; stops the bench on any failure. */
static void write_json(const gdv_graph *g, const char *path) {
  gdv_error err;
  FILE *f = fopen(path, "w");
  if (f == NULL || gdv_report_write(g, GDV_REPORT_JSON, f, &err) != GDV_OK || fclose(f) != 0) {
    fprintf(stderr, "bench_json: cannot write %s\n", path);
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench_json GRAPH OUT.json\n");
    return 2;
  }
  gdv_input in;
  gdv_error err;
  gdv_error_clear(&err);
  if (gdv_input_load(argv[1], &in, &err) != GDV_OK) {
    fprintf(stderr, "bench_json: %s: %s\n", err.file, err.message);
    return 1;
  }
  gdv_forward(in.graph);
  gdv_backward(in.graph);
  write_json(in.graph, argv[2]);
  double best = 0;
  for (int round = 0; round < 2; round++) {
    double start = now();
    write_json(in.graph, "/dev/null");
    double t = now() - start;
    if (round == 0 || t < best) best = t;
  }
  printf("%.3f\n", best);
  gdv_input_free(&in);
  return 0;
}
