/* fuzz_style.c: the style reader (`key = value` lines), on top of the
 * default style as `--style FILE` does. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "render/gdv_render.h"

/* Through gdv_style_load with a path, so the file reading is covered too. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  int fd = gdv_fuzz_file(data, size, path, sizeof path);
  if (fd < 0) return 0;
  gdv_style st;
  gdv_error err;
  gdv_style_default(&st);
  (void)gdv_style_load(path, &st, &err);
  gdv_fuzz_close(fd);
  return 0;
}
