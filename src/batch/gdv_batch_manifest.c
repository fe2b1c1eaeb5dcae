/*
 * gdv_batch_manifest.c: what each figure of a batch output folder was drawn
 * from and with. A figure newer than its graph may still be stale: drawn at
 * another --dpi, in another style, or from a style file edited since. The
 * manifest DIR/.gradviz-batch records, one sorted line a figure, the
 * settings and the content hashes of the graph and style files, so batch
 * redraws exactly the figures whose inputs or settings changed; it is plain
 * text, the same bytes for the same figures, and written whole or not at
 * all. It is rewritten as figures land (under a lock several shards share),
 * so a killed batch leaves no line that claims what was not drawn.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/gdv_batch.h"

static const char header[] = "# gradviz batch: what each figure here was drawn from and with\n";

/* Appends s with backslash, tab and newline escaped, so that any file name
 * or style path fits on one line and splits at the one tab. */
size_t gdv_batch_escape(char *out, const char *s) {
  size_t n = 0;
  for (; *s; s++) {
    char c = *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\\' ? '\\' : 0;
    if (c) {
      if (out) { out[n] = '\\'; out[n + 1] = c; }
      n += 2;
    } else {
      if (out) out[n] = *s;
      n++;
    }
  }
  if (out) out[n] = '\0';
  return n;
}

/* `parts` joined, each escaped (malloc'd). */
static char *escaped_join(const char *const *parts, size_t n) {
  size_t len = 1;
  for (size_t i = 0; i < n; i++) len += gdv_batch_escape(NULL, parts[i]);
  char *s = malloc(len);
  if (s == NULL) return NULL;
  size_t at = 0;
  s[0] = '\0';
  for (size_t i = 0; i < n; i++) at += gdv_batch_escape(s + at, parts[i]);
  return s;
}

/* dpi changes only the pixels of a PNG: an SVG or PDF drawn at another dpi
 * is the same file and stays up to date. expand is written only when
 * given, so manifests written before it existed stay up to date. */
char *gdv_batch_settings_text(const char *format, const char *style,
                              const char *show, const char *expand, const char *precision,
                              const char *dpi, const char *page, const char *legend) {
  /* --dpi makes the pixels of a PNG and of a GIF's frames */
  int pixels = strcmp(format, "png") == 0 || strcmp(format, "gif") == 0;
  /* page= and legend= only when given: figures drawn before those options
   * existed keep their settings text, so they are not all redrawn */
  const char *parts[] = {"style=", style ? style : "-", " show=", show ? show : "-",
                         expand ? " expand=" : "", expand ? expand : "",
                         " precision=", precision ? precision : "-",
                         pixels ? " dpi=" : "", pixels ? (dpi ? dpi : "-") : "",
                         page ? " page=" : "", page ? page : "",
                         legend ? " legend=" : "", legend ? legend : ""};
  return escaped_join(parts, sizeof parts / sizeof parts[0]);
}

/* STEM.FORMAT: the figure's path below the output folder. */
static char *figure_name(const gdv_batch_item *it, const char *format) {
  const char *parts[] = {it->stem, ".", format};
  return escaped_join(parts, 3);
}

/* Binary search: the index of figure, or where it would go (*found 0). */
static size_t find(const gdv_batch_manifest *m, const char *figure, int *found) {
  size_t lo = 0, hi = m->n;
  *found = 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(m->figure[mid], figure);
    if (c == 0) {
      *found = 1;
      return mid;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Looked up by binary search: a batch asks once per figure. */
static const char *manifest_get(const gdv_batch_manifest *m, const char *figure) {
  int found;
  size_t i = find(m, figure, &found);
  return found ? m->settings[i] : NULL;
}

/* Keeps the arrays sorted, so lookups stay logarithmic and the file comes
 * out in the same order every time. */
static gdv_status manifest_set(gdv_batch_manifest *m, const char *figure,
                               const char *settings, gdv_error *err) {
  int found;
  size_t i = find(m, figure, &found);
  char *value = strdup(settings);
  if (value == NULL) return gdv_error_oom(err);
  if (found) {
    free(m->settings[i]);
    m->settings[i] = value;
    return GDV_OK;
  }
  char *key = strdup(figure);
  if (key == NULL) {
    free(value);
    return gdv_error_oom(err);
  }
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 64;
    char **f = realloc(m->figure, cap * sizeof *f);
    if (f) m->figure = f;
    char **s = f ? realloc(m->settings, cap * sizeof *s) : NULL;
    if (s) m->settings = s;
    if (f == NULL || s == NULL) {
      free(key);
      free(value);
      return gdv_error_oom(err);
    }
    m->cap = cap;
  }
  memmove(m->figure + i + 1, m->figure + i, (m->n - i) * sizeof *m->figure);
  memmove(m->settings + i + 1, m->settings + i, (m->n - i) * sizeof *m->settings);
  m->figure[i] = key;
  m->settings[i] = value;
  m->n++;
  return GDV_OK;
}

/* DIR/.gradviz-batch (malloc'd). */
static char *manifest_path(const char *dir) {
  size_t ld = strlen(dir), n = ld + sizeof GDV_BATCH_MANIFEST + 2;
  char *path = malloc(n);
  if (path) snprintf(path, n, "%s%s%s", dir, ld && dir[ld - 1] == '/' ? "" : "/",
                     GDV_BATCH_MANIFEST);
  return path;
}

/* Lines that are not `FIGURE<TAB>SETTINGS` (a comment, a line cut short)
 * are skipped: the worst a damaged manifest does is redraw figures. */
static gdv_status parse(char *text, gdv_batch_manifest *m, gdv_error *err) {
  for (char *line = text; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    char *tab = strchr(line, '\t');
    if (line[0] != '#' && tab && nl) {
      *tab = '\0';
      gdv_status st = manifest_set(m, line, tab + 1, err);
      if (st) return st;
    }
    line = nl ? nl + 1 : NULL;
  }
  return GDV_OK;
}

/* The manifest must be a plain file: one planted as a symbolic link is
 * neither read nor written through (a FIFO would stall the batch, and a
 * link would make it replace the link's target). */
static gdv_status plain_manifest(const char *path, gdv_error *err) {
  struct stat sb;
  if (lstat(path, &sb) != 0 || S_ISREG(sb.st_mode)) return GDV_OK;
  return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "%s; batch neither reads nor "
                       "replaces it", S_ISLNK(sb.st_mode) ? "a symbolic link"
                                                          : "not a regular file");
}

/* A folder drawn before manifests existed has none: every figure in it is
 * then redrawn once. */
static gdv_status manifest_load(const char *dir, gdv_batch_manifest *m,
                                gdv_error *err) {
  memset(m, 0, sizeof *m);
  char *path = manifest_path(dir);
  if (path == NULL) return gdv_error_oom(err);
  gdv_status st = plain_manifest(path, err);
  FILE *f = st ? NULL : fopen(path, "rb");
  if (f == NULL) {
    int e = errno;
    free(path);
    if (st || e == ENOENT || e == ENOTDIR) return st;
    return gdv_error_set(err, GDV_ERR_SYSTEM, dir, 0, "cannot read %s: %s",
                         GDV_BATCH_MANIFEST, strerror(e));
  }
  fclose(f);
  gdv_file_text text;
  st = gdv_file_load(path, &text, err);
  free(path);
  if (st) return st;
  st = parse(text.data, m, err);
  gdv_file_text_free(&text);
  if (st) gdv_batch_manifest_free(m);
  return st;
}

/* Through a temporary beside it and a rename, like every output file. */
static gdv_status manifest_save(const char *dir, const gdv_batch_manifest *m,
                                gdv_error *err) {
  char *path = manifest_path(dir);
  if (path == NULL) return gdv_error_oom(err);
  gdv_outfile out;
  /* not a link now: the rename replaces whatever is there then, never
   * follows it */
  gdv_status st = plain_manifest(path, err);
  if (st == GDV_OK) st = gdv_outfile_open(&out, path, err);
  free(path);
  if (st) return st;
  fputs(header, out.f);
  for (size_t i = 0; i < m->n; i++) fprintf(out.f, "%s\t%s\n", m->figure[i], m->settings[i]);
  return gdv_outfile_commit(&out, err);
}

/* Leaves the manifest empty, so a second free is harmless. */
void gdv_batch_manifest_free(gdv_batch_manifest *m) {
  for (size_t i = 0; i < m->n; i++) {
    free(m->figure[i]);
    free(m->settings[i]);
  }
  free(m->figure);
  free(m->settings);
  memset(m, 0, sizeof *m);
}

/* Forgets a figure's line (nothing when it has none). */
static void manifest_remove(gdv_batch_manifest *m, const char *figure) {
  int found;
  size_t i = find(m, figure, &found);
  if (!found) return;
  free(m->figure[i]);
  free(m->settings[i]);
  memmove(m->figure + i, m->figure + i + 1, (m->n - i - 1) * sizeof *m->figure);
  memmove(m->settings + i, m->settings + i + 1, (m->n - i - 1) * sizeof *m->settings);
  m->n--;
}

/* want[item x format]: the format's settings, then what the item's
 * figures are drawn from (gdv_batch_inputs_text). An input that is a link
 * batch will not follow is not read, even to hash it. */
gdv_status gdv_batch_want(const gdv_batch_list *l, const char *const *settings,
                          size_t n_formats, const char *style, char ***want,
                          gdv_error *err) {
  size_t n = l->n * n_formats;
  *want = calloc(n ? n : 1, sizeof **want);
  if (*want == NULL) return gdv_error_oom(err);
  for (size_t i = 0; i < l->n; i++) {
    char *inputs = l->items[i].outside ? strdup("input=-")
                                       : gdv_batch_inputs_text(&l->items[i], style);
    /* an item's own options (a student's variant and name) */
    for (char **a = l->items[i].args; inputs && a && *a; a++) {
      char *esc = malloc(2 * strlen(*a) + 1), *more = NULL;
      if (esc) gdv_batch_escape(esc, *a);
      if (esc == NULL || asprintf(&more, "%s %s", inputs, esc) < 0) more = NULL;
      free(esc);
      free(inputs);
      inputs = more;
    }
    for (size_t k = 0; inputs && k < n_formats; k++)
      if (asprintf(&(*want)[i * n_formats + k], "%s %s", settings[k], inputs) < 0)
        (*want)[i * n_formats + k] = NULL;
    int ok = inputs != NULL;
    for (size_t k = 0; ok && k < n_formats; k++) ok = (*want)[i * n_formats + k] != NULL;
    free(inputs);
    if (!ok) {
      gdv_batch_want_free(*want, n);
      *want = NULL;
      return gdv_error_oom(err);
    }
  }
  return GDV_OK;
}

/* Safe on a partly filled array. */
void gdv_batch_want_free(char **want, size_t n) {
  for (size_t i = 0; want && i < n; i++) free(want[i]);
  free(want);
}

/* Marks the figures to draw: missing, not newer than their graph, or drawn
 * from other inputs or with other settings than want[item x format] (or
 * every one, with force). */
static gdv_status stale(const gdv_batch_list *l, const char *dir,
                        const char *const *formats, size_t n_formats,
                        char *const *want, const gdv_batch_manifest *m,
                        int force, unsigned char *todo, gdv_error *err) {
  for (size_t i = 0; i < l->n; i++) {
    for (size_t k = 0; k < n_formats; k++) {
      char *out = gdv_batch_output_path(dir, &l->items[i], formats[k]);
      char *name = figure_name(&l->items[i], formats[k]);
      if (out == NULL || name == NULL) {
        free(out);
        free(name);
        return gdv_error_oom(err);
      }
      const char *was = manifest_get(m, name);
      size_t f = i * n_formats + k;
      todo[f] = force || l->items[i].outside || !gdv_output_is_fresh(l->items[i].input, out) ||
                was == NULL || strcmp(was, want[f]) != 0;
      free(out);
      free(name);
    }
  }
  return GDV_OK;
}

/* DIR/.gradviz-batch.lock exists only while one run reads and replaces the
 * manifest: a run opens it, locks it (flock), checks that the file it
 * locked is still the one of that name (its last holder removes it before
 * letting go: a run that opened it just before lost the race and opens it
 * again), and removes it before it lets go itself. So no lock file stays
 * after a run and never do two runs hold the lock at once; a lock file a
 * killed run left is taken over and removed by the next one. A plain file
 * opened for writing: flock works on it over NFS too, where shards on
 * several machines may share the folder. */
typedef struct folder_lock {
  int fd;
  char *path;
} folder_lock;

static gdv_status lock_take(const char *dir, folder_lock *lk, gdv_error *err) {
  char *path = manifest_path(dir);
  lk->fd = -1;
  lk->path = NULL;
  if (path == NULL || asprintf(&lk->path, "%s.lock", path) < 0) {
    free(path);
    lk->path = NULL;
    return gdv_error_oom(err);
  }
  free(path);
  for (;;) {
    int fd = open(lk->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
    if (fd < 0)
      return gdv_error_set(err, GDV_ERR_SYSTEM, lk->path, 0, "cannot lock: %s", strerror(errno));
    while (flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      return gdv_error_set(err, GDV_ERR_SYSTEM, lk->path, 0, "cannot lock: %s", strerror(e));
    }
    struct stat held, named;
    if (fstat(fd, &held) == 0 && lstat(lk->path, &named) == 0 &&
        held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      lk->fd = fd;
      return GDV_OK;
    }
    close(fd);
  }
}

/* Removes the lock file, then lets go (safe when the lock was not taken). */
static void lock_release(folder_lock *lk) {
  if (lk->fd >= 0) {
    unlink(lk->path);
    close(lk->fd);
  }
  free(lk->path);
  lk->fd = -1;
  lk->path = NULL;
}

/* Under the lock, so that shards starting together each see the others'
 * lines. Before anything is drawn, the lines of the figures to redraw that
 * claim other inputs or settings (or a figure that is gone) are removed:
 * from then on, whenever the batch is killed, a line only ever describes
 * the figure beside it (the new figure's line is added once it is in
 * place, gdv_batch_manifest_add). */
gdv_status gdv_batch_manifest_begin(const char *dir, const gdv_batch_list *l,
                                    const char *const *formats, size_t n_formats,
                                    char *const *want, int force, int dry,
                                    unsigned char *todo, gdv_error *err) {
  folder_lock lk = {-1, NULL};
  gdv_batch_manifest m;
  memset(&m, 0, sizeof m);
  gdv_status st = dry ? GDV_OK : lock_take(dir, &lk, err);
  if (st == GDV_OK) st = manifest_load(dir, &m, err);
  if (st == GDV_OK) st = stale(l, dir, formats, n_formats, want, &m, force, todo, err);
  size_t before = m.n;
  for (size_t i = 0; st == GDV_OK && !dry && i < l->n; i++) {
    for (size_t k = 0; k < n_formats; k++) {
      size_t f = i * n_formats + k;
      if (!todo[f]) continue;
      char *name = figure_name(&l->items[i], formats[k]);
      if (name == NULL) {
        st = gdv_error_oom(err);
        break;
      }
      /* kept only when it is what the redrawn figure's will be, and its
       * figure is there */
      const char *was = manifest_get(&m, name);
      char *out = was ? gdv_batch_output_path(dir, &l->items[i], formats[k]) : NULL;
      struct stat sb;
      if (was && (strcmp(was, want[f]) != 0 || out == NULL || lstat(out, &sb) != 0))
        manifest_remove(&m, name);
      free(out);
      free(name);
    }
  }
  if (st == GDV_OK && m.n != before) st = manifest_save(dir, &m, err);
  lock_release(&lk);
  gdv_batch_manifest_free(&m);
  return st;
}

/* The identity of the manifest file as it is now (all zero when it is
 * missing): a rename or any write changes it. */
static void identify(const char *dir, gdv_batch_ledger *lg) {
  char *path = manifest_path(dir);
  struct stat sb;
  lg->dev = lg->ino = lg->size = 0;
  lg->mtime_sec = lg->mtime_nsec = 0;
  if (path && stat(path, &sb) == 0) {
    lg->dev = (uint64_t)sb.st_dev;
    lg->ino = (uint64_t)sb.st_ino;
    lg->size = (uint64_t)sb.st_size;
    lg->mtime_sec = (int64_t)sb.st_mtim.tv_sec;
    lg->mtime_nsec = (int64_t)sb.st_mtim.tv_nsec;
  }
  free(path);
}

/* Under the lock: the manifest as it is now (other shards' lines kept)
 * with a line for each figure just put in place (figures[] holds item x
 * format indices). The file is read again only when it is not the one this
 * run last wrote (another run wrote it since): a batch alone in its folder
 * writes the manifest once per landing and reads it never. */
gdv_status gdv_batch_manifest_add(const char *dir, gdv_batch_ledger *lg,
                                  const gdv_batch_list *l,
                                  const char *const *formats, size_t n_formats,
                                  char *const *want, const size_t *figures, size_t n,
                                  gdv_error *err) {
  folder_lock lk = {-1, NULL};
  gdv_status st = lock_take(dir, &lk, err);
  if (st == GDV_OK && lg->valid) {
    gdv_batch_ledger now;
    identify(dir, &now);
    lg->valid = now.dev == lg->dev && now.ino == lg->ino && now.size == lg->size &&
                now.mtime_sec == lg->mtime_sec && now.mtime_nsec == lg->mtime_nsec;
  }
  if (st == GDV_OK && !lg->valid) {
    gdv_batch_manifest_free(&lg->m);
    st = manifest_load(dir, &lg->m, err);
  }
  for (size_t i = 0; st == GDV_OK && i < n; i++) {
    size_t item = figures[i] / n_formats, k = figures[i] % n_formats;
    char *name = figure_name(&l->items[item], formats[k]);
    st = name ? manifest_set(&lg->m, name, want[figures[i]], err) : gdv_error_oom(err);
    free(name);
  }
  if (st == GDV_OK) st = manifest_save(dir, &lg->m, err);
  lg->valid = st == GDV_OK;
  if (lg->valid) identify(dir, lg);
  lock_release(&lk);
  return st;
}
