/*
 * gdv_batch.c: the file side of `gradviz batch`: finding every graph under
 * the given folders in a fixed order, naming the outputs so the output
 * folder mirrors the input folders, and deciding what is already done.
 * The children that draw run in gdv_batch_run.c; the settings each figure
 * was drawn with are kept by gdv_batch_manifest.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "batch/gdv_batch.h"

/* A name that is only a suffix (".dot") is a hidden file, not a graph; .gv
 * is the other common suffix of DOT files. */
static int is_graph(const char *name) {
  const char *dot = strrchr(name, '.');
  if (dot == NULL || dot == name) return 0;
  return strcmp(dot, ".dot") == 0 || strcmp(dot, ".gv") == 0 ||
         strcmp(dot, ".expr") == 0;
}

/* "a" + "/" + "b", without doubling a trailing slash. */
static char *join(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  int slash = la > 0 && a[la - 1] != '/';
  char *s = malloc(la + slash + lb + 1);
  if (s == NULL) return NULL;
  memcpy(s, a, la);
  if (slash) s[la] = '/';
  memcpy(s + la + slash, b, lb + 1);
  return s;
}

/* Appends an input and its output stem (rel, its path below the folder
 * argument, without the suffix), copied into one block: the stem after the
 * input's NUL, so that freeing the input frees the item. */
static gdv_status add_item(gdv_batch_list *l, const char *input, const char *rel,
                           int outside, gdv_error *err) {
  if (!gdv_grow((void **)&l->items, &l->cap, l->n, sizeof *l->items)) return gdv_error_oom(err);
  size_t li = strlen(input) + 1, lr = strlen(rel) + 1;
  char *block = malloc(li + lr);
  if (block == NULL) return gdv_error_oom(err);
  char *stem = memcpy(block + li, rel, lr);
  char *slash = strrchr(stem, '/'), *dot = strrchr(stem, '.');
  if (dot && (slash == NULL || dot > slash + 1)) *dot = '\0';
  l->items[l->n++] = (gdv_batch_item){memcpy(block, input, li), stem, outside, NULL};
  return GDV_OK;
}

/* 1 when `path`, a symbolic link, ends at a file outside `folder` (both
 * resolved: links in the folder's own path are the user's). A link that
 * cannot be resolved counts as outside. */
static int points_outside(const char *path, const char *folder) {
  char *target = realpath(path, NULL), *root = realpath(folder, NULL);
  size_t lr = root ? strlen(root) : 0;
  int outside = target == NULL || root == NULL ||
                !(strncmp(target, root, lr) == 0 &&
                  (target[lr] == '/' || (lr == 1 && root[0] == '/')));
  free(target);
  free(root);
  return outside;
}

/* An input found as `path` (lstat in *sb) is refused when it is a
 * symbolic link out of `folder` and links are not to be followed. */
static int refused_link(const char *path, const struct stat *sb, const char *folder,
                        int follow_links) {
  return !follow_links && S_ISLNK(sb->st_mode) && points_outside(path, folder);
}

/* Walks one folder argument with an explicit stack of folders to visit (a
 * deep tree costs heap, not C stack). `rel_start` is where the path below
 * the argument begins in every joined path. */
static gdv_status walk(const char *root, const struct stat *skip, int follow_links,
                       gdv_batch_list *l, gdv_error *err) {
  char **stack = NULL;
  size_t n = 0, cap = 0;
  gdv_status st = GDV_OK;
  size_t rel_start = strlen(root) + (root[strlen(root) - 1] != '/');
  char *first = strdup(root);
  if (first == NULL) return gdv_error_oom(err);
  stack = malloc(sizeof *stack);
  if (stack == NULL) {
    free(first);
    return gdv_error_oom(err);
  }
  stack[n++] = first;
  cap = 1;
  while (n > 0 && st == GDV_OK) {
    char *dir = stack[--n];
    DIR *d = opendir(dir);
    if (d == NULL) {
      st = gdv_error_set(err, GDV_ERR_INPUT, dir, 0, "cannot read the folder: %s",
                         strerror(errno));
      free(dir);
      break;
    }
    struct dirent *e;
    while (st == GDV_OK && (e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      char *path = join(dir, e->d_name);
      struct stat sb, lsb;
      if (path == NULL) {
        st = gdv_error_oom(err);
      } else if (lstat(path, &lsb) != 0) {
        /* gone meanwhile */
      } else if (S_ISDIR(lsb.st_mode)) {
        if (skip && lsb.st_dev == skip->st_dev && lsb.st_ino == skip->st_ino) {
          free(path);
          continue;
        }
        if (n == cap) {
          char **bigger = realloc(stack, 2 * cap * sizeof *stack);
          if (bigger == NULL) {
            st = gdv_error_oom(err);
            free(path);
            continue;
          }
          stack = bigger;
          cap *= 2;
        }
        stack[n++] = path;
        continue;
      } else if (is_graph(e->d_name) && stat(path, &sb) == 0 &&
                 S_ISREG(sb.st_mode)) {
        st = add_item(l, path, path + rel_start,
                      refused_link(path, &lsb, root, follow_links), err);
      }
      free(path);
    }
    closedir(d);
    free(dir);
  }
  while (n > 0) free(stack[--n]);
  free(stack);
  return st;
}

/* Sorted by output stem: the order is the same on every file system. */
static int cmp_items(const void *a, const void *b) {
  const gdv_batch_item *x = a, *y = b;
  int c = strcmp(x->stem, y->stem);
  return c ? c : strcmp(x->input, y->input);
}

/* Sorted so runs are reproducible; two inputs with one stem (a.dot, a.expr)
 * are refused, since their figures would overwrite each other. */
gdv_status gdv_batch_collect(char *const *paths, size_t n_paths,
                             const char *skip_dir, int follow_links,
                             gdv_batch_list *out, gdv_error *err) {
  gdv_status st = GDV_OK;
  struct stat skip;
  int have_skip = skip_dir && stat(skip_dir, &skip) == 0 && S_ISDIR(skip.st_mode);
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < n_paths && st == GDV_OK; i++) {
    struct stat sb;
    if (stat(paths[i], &sb) != 0) {
      st = gdv_error_set(err, GDV_ERR_INPUT, paths[i], 0, "%s", strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
      st = walk(paths[i], have_skip ? &skip : NULL, follow_links, out, err);
    } else {
      /* a file named here: its folder is the one that holds it (a shell
       * glob names every file of a folder one by one) */
      const char *slash = strrchr(paths[i], '/');
      char *folder = slash ? strndup(paths[i], (size_t)(slash - paths[i] + 1)) : strdup(".");
      struct stat lsb;
      int outside = folder && lstat(paths[i], &lsb) == 0 &&
                    refused_link(paths[i], &lsb, folder, follow_links);
      st = folder ? add_item(out, paths[i], slash ? slash + 1 : paths[i], outside, err)
                  : gdv_error_oom(err);
      free(folder);
    }
  }
  if (st == GDV_OK && out->n > 1) {
    qsort(out->items, out->n, sizeof *out->items, cmp_items);
    for (size_t i = 1; i < out->n && st == GDV_OK; i++)
      if (strcmp(out->items[i - 1].stem, out->items[i].stem) == 0)
        st = gdv_error_set(err, GDV_ERR_INPUT, out->items[i].input, 0,
                           "its figures would overwrite those of %s "
                           "(same name, different suffix)",
                           out->items[i - 1].input);
  }
  if (st) gdv_batch_list_free(out);
  return st;
}

/* Leaves the list zeroed, so a second free, or a free after a failed
 * collect, is harmless. */
void gdv_batch_list_free(gdv_batch_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->items[i].input);  /* and the stem */
    for (char **a = l->items[i].args; a && *a; a++) free(*a);
    free(l->items[i].args);
  }
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* Adds the '/' only when dir lacks it, so "out" and "out/" give the same
 * paths (and the same log lines). */
char *gdv_batch_output_path(const char *dir, const gdv_batch_item *it,
                            const char *suffix) {
  size_t n = strlen(dir) + strlen(it->stem) + strlen(suffix) + 3;
  char *s = malloc(n);
  if (s == NULL) return NULL;
  size_t ld = strlen(dir);
  snprintf(s, n, "%s%s%s.%s", dir, ld && dir[ld - 1] == '/' ? "" : "/", it->stem,
           suffix);
  return s;
}

/* Compares nanoseconds too: on a fast machine an edit and the last build
 * often share a second. */
int gdv_output_is_fresh(const char *input, const char *output) {
  struct stat si, so;
  if (stat(input, &si) != 0 || stat(output, &so) != 0) return 0;
  if (so.st_mtim.tv_sec != si.st_mtim.tv_sec)
    return so.st_mtim.tv_sec > si.st_mtim.tv_sec;
  return so.st_mtim.tv_nsec > si.st_mtim.tv_nsec;
}

/* A number a graph file sets, in its range: a typo in a figure's settings
 * should stop that figure, not fall back silently. */
static gdv_status setting_in(const gdv_input *in, const char *name, const char *text,
                             int whole, double lo, double hi, gdv_error *err) {
  char msg[256];
  double x;
  if (text == NULL || gdv_number_in(name, text, whole, lo, 0, hi, &x, msg, sizeof msg))
    return GDV_OK;
  return gdv_error_set(err, GDV_ERR_INPUT, in->display_path, 0, "%s", msg);
}

/* A style file a graph file names may hold no '..' and start at no '/':
 * a graph from someone else must not make gradviz read files outside its
 * folder (the user's own --style is free). NULL when it may. */
static const char *style_path_problem(const char *style) {
  if (style[0] == '/') return "an absolute path";
  for (const char *p = style; *p; p = strchr(p, '/') ? strchr(p, '/') + 1 : "")
    if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
      return "a path through '..'";
  return NULL;
}

/* A style file a graph file names is read only when it is a regular file:
 * a device or a FIFO could stall or exhaust the run. A missing file is
 * left to the style loader, which says so. */
static gdv_status check_style_file(const gdv_input *in, const char *given,
                                   const char *path, gdv_error *err) {
  const char *problem = style_path_problem(given);
  struct stat sb;
  if (problem == NULL && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
    problem = "not a regular file";
  if (problem == NULL) return GDV_OK;
  return gdv_error_set_about(err, GDV_SETTING_STYLE, GDV_ERR_INPUT, in->display_path, 0,
                             "gradviz_style '%s' is %s; a graph file may name a style "
                             "or a style file beside it", given, problem);
}

/* A relative style file is taken relative to the graph file, not to the
 * working directory, so a folder of graphs and styles moves as one. */
gdv_status gdv_graph_settings_get(const gdv_input *in, gdv_graph_settings *out,
                                  gdv_error *err) {
  memset(out, 0, sizeof *out);
  /* each graph attribute a file may set, and the setting it fills */
  const struct {
    const char *attr;
    const char **setting;
  } attrs[] = {
      {"gradviz_style", &out->style},
      {"gradviz_show", &out->show},
      {"gradviz_expand", &out->expand},
      {"gradviz_precision", &out->precision},
      {"gradviz_dpi", &out->dpi},
      {"gradviz_page", &out->page},
      {"size", &out->size},
      {"gradviz_legend", &out->legend},
  };
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
    *attrs[i].setting = gdv_input_graph_attr(in, attrs[i].attr);
  size_t ls = out->style ? strlen(out->style) : 0;
  int is_file = out->style && (strchr(out->style, '/') != NULL ||
                               (ls > 6 && strcmp(out->style + ls - 6, ".style") == 0));
  if (is_file) {
    const char *given = out->style;
    const char *slash = in->path && strcmp(in->path, "-") != 0 ? strrchr(in->path, '/') : NULL;
    int n = slash ? snprintf(out->style_path, sizeof out->style_path, "%.*s/%s",
                             (int)(slash - in->path), in->path, given)
                  : snprintf(out->style_path, sizeof out->style_path, "%s", given);
    if (n < 0 || (size_t)n >= sizeof out->style_path)
      return gdv_error_set(err, GDV_ERR_INPUT, in->display_path, 0,
                           "gradviz_style: the path is too long");
    out->style = out->style_path;
    gdv_status st = check_style_file(in, given, out->style_path, err);
    if (st) return st;
  }
  gdv_status st = setting_in(in, "gradviz_precision", out->precision, 1, GDV_PRECISION_MIN,
                             GDV_PRECISION_MAX, err);
  if (st == GDV_OK)
    st = setting_in(in, "gradviz_dpi", out->dpi, 0, GDV_DPI_MIN, GDV_DPI_MAX, err);
  if (st) return st;
  gdv_legend_place place;
  if (out->legend && !gdv_legend_place_lookup(out->legend, &place))
    return gdv_error_set(err, GDV_ERR_INPUT, in->display_path, 0,
                         "gradviz_legend must be bottom, side or none, not '%s'", out->legend);
  return GDV_OK;
}

/* By the stem's hash, not by position in the list: a graph's part depends
 * on its own path only, so shards that list the folder at different
 * moments (a file added meanwhile) still never draw one figure twice. */
static int in_shard(const gdv_batch_item *it, size_t shard, size_t n_shards) {
  return n_shards <= 1 || gdv_hash_string(it->stem) % n_shards == shard;
}

/* Frees the items of other shards and closes the gaps, keeping order. */
void gdv_batch_keep_shard(gdv_batch_list *l, size_t shard, size_t n_shards) {
  size_t kept = 0;
  for (size_t i = 0; i < l->n; i++) {
    if (in_shard(&l->items[i], shard, n_shards)) {
      l->items[kept++] = l->items[i];
    } else {
      free(l->items[i].input);  /* and the stem */
    }
  }
  l->n = kept;
}
