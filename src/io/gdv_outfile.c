/* gdv_outfile.c: files written whole or not at all, and the places that are
 * not plain files. A plain file (new or existing, also at the end of a
 * chain of symbolic links) is written to a temporary .NAME.PID.tmp beside
 * it, synced, and renamed over it: an interrupted run leaves the old file,
 * never half a new one, and the link stays a link. Standard output ("-"),
 * a FIFO, a device, a socket and anything under /dev or /proc (such as
 * /proc/self/fd/1) are written directly: renaming there would replace the
 * pipe or the device node by a regular file. Every stream goes through a
 * sink that keeps the first write error, so the error is reported once, at
 * commit, with the file's name and the system's reason. A process may bound
 * every file's size and refuse paths that are links (gdv_outfile_policy:
 * render on a server writing students' figures). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <dirent.h>

#include "io/gdv_io.h"

/* Temporaries still open, for gdv_outfile_abort_all from a signal handler. A
 * small fixed table: a process writes a handful of files at once. */
#define MAX_OPEN 16
static char *volatile open_tmp[MAX_OPEN];

/* Registers a temporary for the signal handler; if the table is full the
 * file is still written, only an interrupt could leave that temporary
 * behind (and the next run writing there removes it). */
static void remember(char *tmp) {
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_tmp[i] == NULL) { open_tmp[i] = tmp; return; }
}

/* True when this process is writing `tmp` right now. */
static int is_open_here(const char *tmp) {
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_tmp[i] && strcmp(open_tmp[i], tmp) == 0) return 1;
  return 0;
}

/* Unregisters a temporary once it is renamed or discarded; a signal in
 * between finds the name already gone, which is harmless. */
static void forget(const char *tmp) {
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_tmp[i] == tmp) open_tmp[i] = NULL;
}

/* gdv_outfile_policy's settings, for the files opened after it. */
static uint64_t policy_max_bytes;
static int policy_refuse_links;

void gdv_outfile_policy(uint64_t max_bytes, int refuse_links) {
  policy_max_bytes = max_bytes;
  policy_refuse_links = refuse_links;
}

/* Where a stream's bytes go: one descriptor, and the first error. */
struct gdv_out_sink {
  int fd;
  int error;        /* errno of the first failed write; 0 if none */
  int discard;      /* set by abort: drop what is still buffered */
  uint64_t written, max_bytes;  /* max_bytes 0: no limit */
  int too_large;    /* the writer passed max_bytes: the rest was dropped */
};

/* Reports success to stdio even when the system refuses, so the writers
 * (libpng, Cairo, our reports) run to their end and the error surfaces at
 * gdv_outfile_commit, which knows the file's name; after a failure the rest is
 * dropped. */
static ssize_t sink_write(void *cookie, const char *buf, size_t size) {
  struct gdv_out_sink *s = cookie;
  size_t done = 0;
  if (s->max_bytes && size > s->max_bytes - s->written) s->too_large = 1;
  if (s->too_large) return (ssize_t)size;
  s->written += size;
  while (!s->discard && s->error == 0 && done < size) {
    ssize_t n = write(s->fd, buf + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) s->error = n < 0 ? errno : EIO;
    else done += (size_t)n;
  }
  return (ssize_t)size;
}

/* The descriptor is closed by gdv_outfile_commit or gdv_outfile_abort, which need
 * its status (standard output's is never closed). */
static int sink_close(void *cookie) {
  (void)cookie;
  return 0;
}

/* Wraps fd in a stdio stream whose errors wait for commit. `name` is what
 * messages call the file. On failure everything is released (fd closed
 * when owned, the temporary removed), as by gdv_outfile_abort. */
static gdv_status attach(gdv_outfile *out, const char *name, int fd,
                         int owns_fd, gdv_error *err) {
  cookie_io_functions_t io = {NULL, sink_write, NULL, sink_close};
  out->path = strdup(name);
  out->sink = calloc(1, sizeof *out->sink);
  if (out->path && out->sink) {
    out->sink->fd = fd;
    out->sink->max_bytes = policy_max_bytes;
    out->f = fopencookie(out->sink, "w", io);
  }
  out->fd = fd;
  out->owns_fd = owns_fd;
  if (out->f == NULL) {
    gdv_outfile_abort(out);
    return gdv_error_set(err, GDV_ERR_SYSTEM, name, 0, "out of memory");
  }
  return GDV_OK;
}

/* The link's text, whatever its length (NULL with errno set). */
static char *read_link(const char *path) {
  for (size_t cap = 256;; cap *= 2) {
    char *buf = malloc(cap);
    if (buf == NULL) return NULL;
    ssize_t n = readlink(path, buf, cap);
    if (n < 0) {
      free(buf);
      return NULL;
    }
    if ((size_t)n < cap) {
      buf[n] = '\0';
      return buf;
    }
    free(buf);
  }
}

/* The file a chain of symbolic links ends at (the path itself when it is
 * no link, or does not exist yet), so the rename replaces the link's
 * target and the link stays. NULL with errno set (ELOOP for a cycle). */
static char *follow_links(const char *path) {
  char *cur = strdup(path);
  for (int hops = 0; cur; hops++) {
    struct stat sb;
    if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode)) return cur;
    char *link = hops < 40 ? read_link(cur) : NULL;
    if (hops >= 40) errno = ELOOP;
    if (link == NULL || link[0] == '/') {
      free(cur);
      cur = link;
      continue;
    }
    /* A relative link is relative to the folder holding it. */
    const char *slash = strrchr(cur, '/');
    size_t dir = slash ? (size_t)(slash - cur + 1) : 0;
    char *next = malloc(dir + strlen(link) + 1);
    if (next) {
      memcpy(next, cur, dir);
      strcpy(next + dir, link);
    }
    free(link);
    free(cur);
    cur = next;
  }
  return NULL;
}

/* The temporary's name for `target`: DIR/.NAME.PID.tmp. This pattern and
 * remove_temporaries below are the only two places that know it. */
static char *temporary_name(const char *target, long pid) {
  size_t n = strlen(target) + 32;
  char *tmp = malloc(n);
  if (tmp == NULL) return NULL;
  const char *slash = strrchr(target, '/');
  size_t dir_len = slash ? (size_t)(slash - target + 1) : 0;
  snprintf(tmp, n, "%.*s.%s.%ld.tmp", (int)dir_len, target, target + dir_len, pid);
  return tmp;
}

/* /dev and /proc hold devices and the links of /proc/self/fd: written in
 * place, never renamed over. */
static int in_system_tree(const char *path) {
  return strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0;
}

/* Everything but a plain file is opened and written as it is (O_TRUNC is
 * ignored by FIFOs and devices, and empties a file reached through
 * /proc/self/fd). */
static gdv_status open_direct(gdv_outfile *out, const char *path, gdv_error *err) {
  int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "cannot write: %s",
                         strerror(errno));
  return attach(out, path, fd, 1, err);   /* on failure it closes fd */
}

/* A temporary's writer is gone when its process is: kill(pid, 0) fails
 * with ESRCH (EPERM means alive, under another user). Our own number is
 * left to open_temporary, which knows what this process has open. */
static int writer_is_gone(long pid) {
  if (pid <= 0 || pid > 0x7fffffffL) return 1;
  if (pid == (long)getpid()) return 0;
  return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Matches only temporary_name's exact pattern .NAME.DIGITS.tmp, so it never
 * removes a user's own dot-files, and only when that process is gone, so
 * two runs writing the same file never remove each other's temporary. */
static void remove_temporaries(const char *output) {
  const char *slash = strrchr(output, '/');
  const char *name = slash ? slash + 1 : output;
  char *dir = slash ? strndup(output, (size_t)(slash - output + 1)) : strdup("./");
  DIR *d = dir ? opendir(dir) : NULL;
  size_t ln = strlen(name), dl = dir ? strlen(dir) : 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    const char *s = e->d_name;
    if (s[0] != '.' || strncmp(s + 1, name, ln) != 0 || s[1 + ln] != '.') continue;
    const char *p = s + 2 + ln;
    if (*p < '0' || *p > '9') continue;
    char *end;
    long pid = strtol(p, &end, 10);
    if (strcmp(end, ".tmp") != 0 || !writer_is_gone(pid)) continue;
    char *path = malloc(dl + strlen(s) + 1);
    if (path == NULL) continue;
    memcpy(path, dir, dl);
    strcpy(path + dl, s);
    unlink(path);
    free(path);
  }
  if (d) closedir(d);
  free(dir);
}

/* A plain file: a fresh temporary beside the target (links followed), with
 * the existing file's mode, so the rename changes only the contents. */
static gdv_status open_temporary(gdv_outfile *out, const char *path, gdv_error *err) {
  char *target = policy_refuse_links ? strdup(path) : follow_links(path);
  if (target == NULL)
    return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "cannot write: %s",
                         strerror(errno));
  remove_temporaries(target);
  struct stat sb;
  int exists = stat(target, &sb) == 0;
  mode_t mode = exists ? (sb.st_mode & 07777) : 0666;
  out->tmp_path = temporary_name(target, (long)getpid());
  out->target = target;
  int fd = -1;
  int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  if (out->tmp_path) {
    fd = open(out->tmp_path, flags, mode);
    /* Our own number on a name we are not writing: a killed run's
     * leftover from a process that had our PID (containers reuse them). */
    if (fd < 0 && errno == EEXIST && !is_open_here(out->tmp_path)) {
      unlink(out->tmp_path);
      fd = open(out->tmp_path, flags, mode);
    }
    /* The umask trims a new file's mode; an existing file keeps its own. */
    if (fd >= 0 && exists && fchmod(fd, mode) != 0) { /* keep the default */ }
    if (fd >= 0 && exists && (sb.st_uid != geteuid() || sb.st_gid != getegid()) &&
        fchown(fd, sb.st_uid, sb.st_gid) != 0) { /* only root may give files away */ }
  }
  if (fd < 0) {
    int saved = out->tmp_path ? errno : ENOMEM;
    gdv_outfile_abort(out);
    return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "cannot write: %s",
                         strerror(saved));
  }
  remember(out->tmp_path);
  return attach(out, path, fd, 1, err);   /* on failure it removes tmp_path */
}

/* "-" is standard output (what stdio buffered so far goes first); a path
 * that exists and is not a plain file, or lies under /dev or /proc, is
 * written directly; everything else through a temporary. */
gdv_status gdv_outfile_open(gdv_outfile *out, const char *path, gdv_error *err) {
  memset(out, 0, sizeof *out);
  out->fd = -1;
  if (strcmp(path, "-") == 0) {
    fflush(stdout);
    return attach(out, "<stdout>", STDOUT_FILENO, 0, err);
  }
  struct stat sb;
  if (policy_refuse_links && lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
    return gdv_error_set_about(err, GDV_SETTING_OUTPUT_LINKS, GDV_ERR_INPUT, path, 0,
                               "is a symbolic link: refusing to write through it");
  if (stat(path, &sb) == 0) {
    if (S_ISDIR(sb.st_mode))
      return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0,
                           "cannot write: %s", strerror(EISDIR));
    if (!S_ISREG(sb.st_mode) || in_system_tree(path))
      return open_direct(out, path, err);
  }
  return open_temporary(out, path, err);
}

/* Flushes, then (for a temporary) fsyncs before the rename: without the
 * sync a crash of the machine soon after could leave the new name with no
 * data on some file systems; with it the file is the old one or the whole
 * new one. (The folder itself is not synced: after such a crash the old
 * file may come back, which is still whole.) Any failure is reported with
 * the name the user gave and the system's reason; the old target stays. */
gdv_status gdv_outfile_commit(gdv_outfile *out, gdv_error *err) {
  int error = 0;
  if (fflush(out->f) != 0) error = errno;
  if (out->sink->too_large) {
    char lim[32];
    gdv_size_text((size_t)out->sink->max_bytes, lim, sizeof lim);
    gdv_status st = gdv_error_set_about(err, GDV_SETTING_MAX_OUTPUT, GDV_ERR_INPUT, out->path,
                                        0, "larger than %s, the output size limit", lim);
    gdv_outfile_abort(out);
    return st;
  }
  if (out->sink->error) error = out->sink->error;
  if (!error && out->tmp_path && fsync(out->fd) != 0) error = errno;
  fclose(out->f);
  out->f = NULL;
  if (out->owns_fd && close(out->fd) != 0 && !error) error = errno;
  out->fd = -1;
  if (!error && out->tmp_path && rename(out->tmp_path, out->target) != 0)
    error = errno;
  gdv_status st = GDV_OK;
  if (error)
    st = gdv_error_set(err, GDV_ERR_SYSTEM, out->path, 0, "cannot write: %s",
                       strerror(error));
  gdv_outfile_abort(out);
  return st;
}

/* Safe after a commit, on standard output (which it never closes) and
 * twice; drops what is still buffered and removes the temporary, so a
 * failed run leaves no litter and no half output. */
void gdv_outfile_abort(gdv_outfile *out) {
  if (out->sink) out->sink->discard = 1;
  if (out->f) fclose(out->f);
  if (out->owns_fd && out->fd >= 0) close(out->fd);
  if (out->tmp_path) {
    forget(out->tmp_path);
    unlink(out->tmp_path);   /* after a rename there is nothing to unlink */
  }
  free(out->sink);
  free(out->tmp_path);
  free(out->target);
  free(out->path);
  memset(out, 0, sizeof *out);
  out->fd = -1;
}

/* Async-signal-safe: only unlink. */
void gdv_outfile_abort_all(void) {
  for (int i = 0; i < MAX_OPEN; i++)
    if (open_tmp[i]) unlink(open_tmp[i]);
}

/* An existing folder is fine (EEXIST), so sibling outputs and reruns need no
 * care; a file with no folder part needs nothing. */
gdv_status gdv_make_parent_dirs(const char *file, gdv_error *err) {
  char *p = strdup(file);
  if (p == NULL) return gdv_error_oom(err);
  char *last = strrchr(p, '/');
  if (last == NULL || last == p) {
    free(p);
    return GDV_OK;
  }
  *last = '\0';
  for (char *s = p + 1;; s++) {
    int end = *s == '\0';
    if (*s == '/' || end) {
      *s = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        gdv_status st = gdv_error_set(err, GDV_ERR_SYSTEM, p, 0,
                                      "cannot create the folder: %s", strerror(errno));
        free(p);
        return st;
      }
      if (end) break;
      *s = '/';
    }
  }
  free(p);
  return GDV_OK;
}
