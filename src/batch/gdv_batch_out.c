/*
 * gdv_batch_out.c: how batch puts figures in its output folder without
 * ever following a symbolic link there. Children draw into a work folder
 * only this run uses (DIR/.gradviz-batch-work.HOST.PID); each figure is then
 * moved into place with renameat from folders opened one component at a
 * time with O_NOFOLLOW. A link someone planted on the way, or at the
 * figure's own name, is refused; one planted between the check and the
 * rename is replaced by the figure (rename never follows a link), so its
 * target is never written.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "batch/gdv_batch.h"

#define WORK_PREFIX ".gradviz-batch-work."

/* This run's work folder: WORK_PREFIX HOST.PID. The host is in the name
 * because shards on several machines may share one output folder (NFS),
 * where process numbers of different machines meet. */
static void work_name(char *buf, size_t size) {
  char host[65] = "";
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') strcpy(host, "host");
  host[sizeof host - 1] = '\0';
  for (char *c = host; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          *c == '-' || *c == '.'))
      *c = '_';
  snprintf(buf, size, WORK_PREFIX "%s.%ld", host, (long)getpid());
}

/* "DIR/" and the first `len` bytes of `rel`: a path below the output
 * folder, for messages (malloc'd; NULL when out of memory). */
static char *shown_path(const char *dir, const char *rel, size_t len) {
  size_t ld = strlen(dir);
  char *s = NULL;
  if (asprintf(&s, "%s%s%.*s", dir, ld && dir[ld - 1] == '/' ? "" : "/", (int)len, rel) < 0)
    return NULL;
  return s;
}

/* The error of a path below the output folder. */
static gdv_status place_error(gdv_error *err, const char *dir, const char *rel, size_t len,
                              const char *what, const char *why) {
  char *shown = shown_path(dir, rel, len);
  gdv_status st = gdv_error_set(err, GDV_ERR_INPUT, shown ? shown : dir, 0, "%s%s", what,
                                why ? why : "");
  free(shown);
  return st;
}

static const char link_refused[] =
    "a symbolic link; batch does not write through links in its output folder";

/* Opens the folder the figure DIR/STEM.FORMAT goes in, one component at a
 * time below the output folder (root_fd) with O_NOFOLLOW, making the
 * missing ones, then looks at the figure's own name there: a symbolic link
 * on the way or at the name is refused, and so are the input file itself
 * and anything but a plain file. Returns the folder's fd, or -1 with err
 * set; *name gets the figure's name in that folder (malloc'd). */
static int figure_place(int root_fd, const char *dir, const gdv_batch_item *it,
                        const char *format, char **name, gdv_error *err) {
  const char *stem = it->stem, *base = strrchr(stem, '/');
  size_t folder_len = base ? (size_t)(base - stem) : 0;
  base = base ? base + 1 : stem;
  *name = NULL;
  int fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    gdv_error_set(err, GDV_ERR_SYSTEM, dir, 0, "cannot open the folder: %s", strerror(errno));
    return -1;
  }
  for (size_t at = 0, end; fd >= 0 && at < folder_len; at = end + 1) {
    for (end = at; end < folder_len && stem[end] != '/';) end++;
    if (end == at) continue;  /* "a//b" */
    char *part = strndup(stem + at, end - at);
    if (part == NULL) {
      gdv_error_oom(err);
      close(fd);
      return -1;
    }
    int next = -1, e = 0;
    struct stat sb;
    if (mkdirat(fd, part, 0777) != 0 && errno != EEXIST) e = errno;
    if (e == 0 && (next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
      e = errno;
    if (next < 0 && fstatat(fd, part, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(sb.st_mode))
      place_error(err, dir, stem, end, link_refused, NULL);
    else if (next < 0)
      place_error(err, dir, stem, folder_len, "cannot create the folder: ",
                  strerror(e ? e : EINVAL));
    free(part);
    close(fd);
    fd = next;
  }
  if (fd < 0) return -1;
  struct stat sb, in;
  const char *problem = NULL;
  if (asprintf(name, "%s.%s", base, format) < 0) {
    *name = NULL;
    problem = "out of memory";
  } else if (fstatat(fd, *name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(sb.st_mode)) problem = link_refused;
    else if (stat(it->input, &in) == 0 && in.st_dev == sb.st_dev && in.st_ino == sb.st_ino)
      problem = "is the input file: refusing to overwrite it";
    else if (!S_ISREG(sb.st_mode)) problem = "not a regular file: refusing to replace it";
  }
  if (problem == NULL) return fd;
  char *shown = gdv_batch_output_path(dir, it, format);
  gdv_error_set(err, GDV_ERR_INPUT, shown ? shown : dir, 0, "%s", problem);
  free(shown);
  free(*name);
  *name = NULL;
  close(fd);
  return -1;
}

/* Before a child draws: the figure's folder is made and its place is one
 * batch may write. */
gdv_status gdv_batch_output_check(int root_fd, const char *dir, const gdv_batch_item *it,
                                  const char *format, gdv_error *err) {
  char *name;
  int fd = figure_place(root_fd, dir, it, format, &name, err);
  if (fd < 0) return err->code ? err->code : GDV_ERR_SYSTEM;
  free(name);
  close(fd);
  return GDV_OK;
}

/* After it drew: the figure, from_fd/BASE.FORMAT, is checked again and
 * renamed into place. */
gdv_status gdv_batch_output_land(int root_fd, const char *dir, const gdv_batch_item *it,
                                 const char *format, int from_fd, gdv_error *err) {
  char *name;
  int fd = figure_place(root_fd, dir, it, format, &name, err);
  if (fd < 0) return err->code ? err->code : GDV_ERR_SYSTEM;
  gdv_status st = GDV_OK;
  struct stat old;  /* a figure redrawn keeps its mode, as render's keep theirs */
  if (fstatat(fd, name, &old, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(old.st_mode) &&
      fchmodat(from_fd, name, old.st_mode & 07777, 0) != 0) { /* keep the default */ }
  if (renameat(from_fd, name, fd, name) != 0) {
    char *shown = gdv_batch_output_path(dir, it, format);
    st = gdv_error_set(err, GDV_ERR_SYSTEM, shown ? shown : dir, 0, "cannot write: %s",
                       strerror(errno));
    free(shown);
  }
  free(name);
  close(fd);
  return st;
}

/* Unlinks every entry of an open folder that is not itself a folder. */
static void remove_files(int fd) {
  int copy = dup(fd);
  DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) unlinkat(fd, e->d_name, 0);
  if (d) closedir(d);
  else if (copy >= 0) close(copy);
}

/* Removes parent/NAME, a work folder: files, and folders of files (its
 * fixed depth, so no recursion), links never followed. */
static void remove_work(int parent_fd, const char *name) {
  int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    int copy = dup(fd);
    DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0) {
        remove_files(sub);
        close(sub);
        unlinkat(fd, e->d_name, AT_REMOVEDIR);
      } else {
        unlinkat(fd, e->d_name, 0);
      }
    }
    if (d) closedir(d);
    else if (copy >= 0) close(copy);
    close(fd);
  }
  unlinkat(parent_fd, name, AT_REMOVEDIR);
}

/* A work folder of this machine (`ours` is this run's name) whose run is
 * gone: its process is (ESRCH), or it has our own number (a leftover of a
 * process that had it before us). Other machines' folders are theirs. */
static int run_is_gone(const char *name, const char *ours) {
  const char *dot = strrchr(name, '.'), *our_dot = strrchr(ours, '.');
  if (dot - name != our_dot - ours || strncmp(name, ours, (size_t)(dot - name)) != 0) return 0;
  const char *p = dot + 1;
  char *end;
  if (*p < '0' || *p > '9') return 0;
  long pid = strtol(p, &end, 10);
  if (*end != '\0' || pid <= 0 || pid > 0x7fffffffL) return 0;
  return pid == (long)getpid() || (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/* This run's work folder, made afresh (mode 0700) after removing those of
 * runs that were killed. Its fd, or -1 with err set. */
int gdv_batch_work_open(int root_fd, const char *dir, gdv_error *err) {
  char name[128];
  work_name(name, sizeof name);
  int copy = dup(root_fd);
  DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL)
    if (strncmp(e->d_name, WORK_PREFIX, sizeof WORK_PREFIX - 1) == 0 &&
        run_is_gone(e->d_name, name))
      remove_work(root_fd, e->d_name);
  if (d) closedir(d);
  else if (copy >= 0) close(copy);
  int fd = -1;
  if (mkdirat(root_fd, name, 0700) == 0)
    fd = openat(root_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    place_error(err, dir, name, strlen(name), "cannot make the work folder: ", strerror(errno));
  return fd;
}

/* "DIR/.gradviz-batch-work.HOST.PID/ITEM/": where a child draws (malloc'd). */
char *gdv_batch_work_path(const char *dir, size_t item) {
  size_t ld = strlen(dir);
  char name[128], *s = NULL;
  work_name(name, sizeof name);
  if (asprintf(&s, "%s%s%s/%zu/", dir, ld && dir[ld - 1] == '/' ? "" : "/", name, item) < 0)
    return NULL;
  return s;
}

/* The item's folder in the work folder: made empty (make) and opened, or
 * removed with what is left in it (-1 then). */
int gdv_batch_work_item(int work_fd, size_t item, int make) {
  char name[32];
  snprintf(name, sizeof name, "%zu", item);
  remove_work(work_fd, name);
  if (!make || mkdirat(work_fd, name, 0700) != 0) return -1;
  return openat(work_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Removes this run's work folder and all in it. */
void gdv_batch_work_close(int root_fd, int work_fd) {
  char name[128];
  if (work_fd >= 0) close(work_fd);
  work_name(name, sizeof name);
  remove_work(root_fd, name);
}
