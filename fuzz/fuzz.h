/* fuzz.h: what every harness shares. A harness is one function,
 * LLVMFuzzerTestOneInput, built twice: with libFuzzer (`make fuzz`) to
 * search for crashes, and with fuzz/driver.c (`make check`) to replay the
 * kept reproducers and seeds as regression tests. */
#ifndef GDV_FUZZ_H
#define GDV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Puts bytes in an anonymous in-memory file and returns a path that opens
 * it (/proc/self/fd/N), for readers that take a path; the caller passes
 * the fd to gdv_fuzz_close. -1 when the system refuses. */
int gdv_fuzz_file(const uint8_t *data, size_t size, char *path, size_t path_size);
void gdv_fuzz_close(int fd);

#endif
