/* fuzz_dot.c: the DOT reader (cgraph, then our checks), through the same
 * loader as the command line, then forward and backward on what loads,
 * and its recorded numbers (draw_dot's dialect, grad/data) compared. */
#include "core/gdv.h"
#include "fuzz.h"
#include "io/gdv_io.h"

/* Evaluates whatever loads: a graph the reader accepts must evaluate. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  int fd = gdv_fuzz_file(data, size, path, sizeof path);
  if (fd < 0) return 0;
  gdv_input in;
  gdv_error err;
  if (gdv_input_load(path, &in, &err) == GDV_OK) {
    gdv_forward(in.graph);
    gdv_backward(in.graph);
    gdv_rec_result rec;   /* recorded numbers, as check and render read them */
    if (gdv_recorded_check(in.graph, 1e-5, &rec, &err) == GDV_OK) gdv_rec_result_free(&rec);
    gdv_input_free(&in);
  }
  gdv_fuzz_close(fd);
  return 0;
}
