/* fuzz_file.c: readers that take a path get one without touching the disk
 * (memfd), so a long fuzzing run writes nothing and runs fast. */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

/* A memfd disappears with its last descriptor: nothing to clean up if the
 * harness crashes. */
int gdv_fuzz_file(const uint8_t *data, size_t size, char *path, size_t path_size) {
  int fd = memfd_create("gdv-fuzz", 0);
  if (fd < 0) return -1;
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) {
      close(fd);
      return -1;
    }
    done += (size_t)n;
  }
  snprintf(path, path_size, "/proc/self/fd/%d", fd);
  return fd;
}

/* Closing drops the file's bytes. */
void gdv_fuzz_close(int fd) {
  if (fd >= 0) close(fd);
}
