/* gdv_outfile.c: files written whole or not at all. The data goes to a
 * temporary name beside the target (same file system, so rename is
 * atomic); an interrupted run leaves the old file, never half a new one. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/gdv_io.h"

/* Temporaries still open, for gdv_out_abort_all from a signal handler. A
 * small fixed table: a process writes a handful of files at once. */
#define MAX_OPEN 16
static char *volatile open_tmp[MAX_OPEN];

/* Registers a temporary for the signal handler; if the table is full the
 * file is still written, only an interrupt could leave that temporary
 * behind. */
static void remember(char *tmp) {
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_tmp[i] == NULL) { open_tmp[i] = tmp; return; }
}

/* Unregisters a temporary once it is renamed or discarded; a signal in
 * between finds the name already gone, which is harmless. */
static void forget(const char *tmp) {
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_tmp[i] == tmp) open_tmp[i] = NULL;
}

/* "-" writes straight to stdout (nothing to make atomic); any other path
 * gets a per-process temporary beside it, in the same directory so rename
 * works. */
gdv_status gdv_out_open(gdv_out_file *out, const char *path, gdv_error *err) {
  memset(out, 0, sizeof *out);
  if (strcmp(path, "-") == 0) {
    out->f = stdout;
    return GDV_OK;
  }
  out->path = strdup(path);
  size_t n = strlen(path) + 32;
  out->tmp_path = malloc(n);
  if (out->path == NULL || out->tmp_path == NULL) {
    gdv_out_abort(out);
    return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "out of memory");
  }
  /* A dot-name beside the target, unique per process. */
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
  snprintf(out->tmp_path, n, "%.*s.%s.%ld.tmp", (int)dir_len, path,
           path + dir_len, (long)getpid());
  out->f = fopen(out->tmp_path, "wb");
  if (out->f == NULL) {
    int saved = errno;
    gdv_out_abort(out);
    return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "cannot write: %s",
                         strerror(saved));
  }
  remember(out->tmp_path);
  return GDV_OK;
}

/* A flush, close or rename failure is reported and the old target stays
 * untouched; the temporary is always released, success or not. */
gdv_status gdv_out_commit(gdv_out_file *out, gdv_error *err) {
  if (out->tmp_path == NULL) {
    if (fflush(out->f) != 0 || ferror(out->f))
      return gdv_error_set(err, GDV_ERR_SYSTEM, "<stdout>", 0,
                           "cannot write: %s", strerror(errno));
    return GDV_OK;
  }
  int failed = fflush(out->f) != 0 || ferror(out->f);
  int saved = errno;
  if (fclose(out->f) != 0 && !failed) { failed = 1; saved = errno; }
  out->f = NULL;
  if (!failed && rename(out->tmp_path, out->path) != 0) {
    failed = 1;
    saved = errno;
  }
  gdv_status st = GDV_OK;
  if (failed)
    st = gdv_error_set(err, GDV_ERR_SYSTEM, out->path, 0, "cannot write: %s",
                       strerror(saved));
  gdv_out_abort(out);
  return st;
}

/* Safe after a commit, on stdout (which it never closes) and twice; removes
 * the temporary so a failed run leaves no litter. */
void gdv_out_abort(gdv_out_file *out) {
  if (out->f && out->tmp_path) fclose(out->f);
  if (out->tmp_path) {
    forget(out->tmp_path);
    unlink(out->tmp_path);   /* after a rename there is nothing to unlink */
  }
  free(out->tmp_path);
  free(out->path);
  memset(out, 0, sizeof *out);
}

/* Async-signal-safe: only unlink. */
void gdv_out_abort_all(void) {
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_tmp[i]) unlink(open_tmp[i]);
}
