/*
 * gdv_batch.h: many graphs at once (`gradviz batch`): the settings a graph
 * file carries for its own figure, finding the graph files under folders,
 * where their figures go, the manifest of what each was drawn from, and
 * the children that draw them. The frames and pages a teacher makes from
 * one figure are the teach layer's (teach/gdv_teach.h); the statistics of
 * one graph are the core's (core/gdv_stats.h).
 *
 * Like every library layer this one never prints and never exits.
 */
#ifndef GDV_BATCH_H
#define GDV_BATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "core/gdv.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"

/* ------------------------------------------------------------------ */
/* Settings a graph file carries for its own figure                    */

/* DOT graph attributes `gradviz_style`, `gradviz_show`, `gradviz_expand`,
 * `gradviz_precision` (and `gradviz_dpi`, `gradviz_page`, `gradviz_legend`),
 * so that a course keeps them with the figure. NULL
 * where the file says nothing (and always for formula files). Options given
 * on the command line win over these. */
typedef struct gdv_graph_settings {
  const char *style;       /* a style NAME, or a FILE: a relative FILE is
                              taken from the graph's folder (points into
                              style_path) */
  const char *show;        /* a --show LIST */
  const char *expand;      /* an --expand GROUPS (gradviz_expand) */
  const char *precision;   /* significant digits, as text */
  const char *dpi;
  const char *page;        /* gradviz_page: a --page */
  const char *size;        /* Graphviz's own size="W,H[!]", inches */
  const char *legend;      /* gradviz_legend: bottom, side or none */
  char style_path[1024];
} gdv_graph_settings;

/* Looks the settings up (the strings belong to `in`). A precision or dpi
 * outside its range (GDV_PRECISION_MIN..., GDV_DPI_MIN...), or a legend
 * place other than bottom, side and none, is bad input naming the file. */
gdv_status gdv_graph_settings_get(const gdv_input *in, gdv_graph_settings *out,
                                  gdv_error *err);

/* ------------------------------------------------------------------ */
/* Batch rendering: which files, and where their figures go            */

typedef struct gdv_batch_item {
  char *input;      /* the path to read */
  char *stem;       /* the output path below the output folder, without
                       suffix: "sub/chain" for ARG/sub/chain.dot; in the
                       input's block (freeing the input frees it) */
  int outside;      /* a symbolic link to a file outside the folder it was
                       found in (the folder argument, or the folder of a
                       file named by itself), not to be followed: the
                       input fails with one line and is never read */
  char **args;      /* NULL, or options for this item's child alone
                       (worksheet --variants: --variant K --student S),
                       NULL-terminated, owned by the list; they are part
                       of its figures' manifest lines */
} gdv_batch_item;

typedef struct gdv_batch_list {
  gdv_batch_item *items;
  size_t n, cap;
} gdv_batch_list;

/* Every graph in the given files and folders (folders recursively, names
 * starting with '.' skipped, symbolic links to folders not followed), in
 * sorted order. A folder's graphs keep their path below it; a file given
 * by name goes to the top. The folder `skip_dir` (the output folder, may
 * be NULL or not exist yet) is not entered: figures written as DOT must not
 * become inputs of the next run. Two inputs wanting the same output stem,
 * or a path that does not exist, are bad input. Without follow_links, an
 * input that is a symbolic link out of its folder is marked `outside`. */
gdv_status gdv_batch_collect(char *const *paths, size_t n_paths,
                             const char *skip_dir, int follow_links,
                             gdv_batch_list *out, gdv_error *err);
void gdv_batch_list_free(gdv_batch_list *l);
/* Sharding (`batch --shard K/N`): keeps the items in part `shard` of
 * `n_shards` (0 <= shard < n_shards), by a hash of its stem; every item is
 * in exactly one part. */
void gdv_batch_keep_shard(gdv_batch_list *l, size_t shard, size_t n_shards);
/* DIR/STEM.SUFFIX, malloc'd (NULL when out of memory). */
char *gdv_batch_output_path(const char *dir, const gdv_batch_item *it,
                            const char *suffix);

/* Where figures go (gdv_batch_out.c): never through a symbolic link in the
 * output folder (root_fd, shown as dir). output_check makes the folder of
 * DIR/STEM.FORMAT and refuses a link on the way or at the figure's name, the
 * input file itself, or anything but a plain file there; output_land checks
 * again and renames from_fd/NAME.FORMAT (NAME: the stem's last part) into
 * place. Children draw into this run's work folder
 * DIR/.gradviz-batch-work.HOST.PID (work_open makes it afresh, removing
 * those of this machine's runs that are gone), one folder per item
 * (work_item: made empty and opened, or removed), at work_path(dir, item) =
 * "DIR/.gradviz-batch-work.HOST.PID/ITEM/". */
gdv_status gdv_batch_output_check(int root_fd, const char *dir, const gdv_batch_item *it,
                                  const char *format, gdv_error *err);
gdv_status gdv_batch_output_land(int root_fd, const char *dir, const gdv_batch_item *it,
                                 const char *format, int from_fd, gdv_error *err);
int gdv_batch_work_open(int root_fd, const char *dir, gdv_error *err);
char *gdv_batch_work_path(const char *dir, size_t item);
int gdv_batch_work_item(int work_fd, size_t item, int make);
void gdv_batch_work_close(int root_fd, int work_fd);
/* 1 when `output` exists and was modified after `input`. */
int gdv_output_is_fresh(const char *input, const char *output);

/* What each figure in an output folder was drawn from and with, kept in
 * DIR/.gradviz-batch (one `FIGURE<TAB>SETTINGS` line a figure, sorted,
 * tabs, newlines and backslashes escaped; SETTINGS holds the options and
 * the content hashes of the graph and style files): a figure newer than its
 * graph is up to date only when its line is the one wanted now. */
#define GDV_BATCH_MANIFEST ".gradviz-batch"
typedef struct gdv_batch_manifest {
  char **figure;    /* STEM.FORMAT, escaped, sorted */
  char **settings;  /* escaped */
  size_t n, cap;
} gdv_batch_manifest;

void gdv_batch_manifest_free(gdv_batch_manifest *m);
/* The settings text of one format (malloc'd, escaped; NULL when out of
 * memory): style, show, precision for every format, dpi for PNG only,
 * "-" where not given; expand, page and legend only where given. */
char *gdv_batch_settings_text(const char *format, const char *style,
                              const char *show, const char *expand, const char *precision,
                              const char *dpi, const char *page, const char *legend);
/* s with backslash, tab and newline escaped into out (when not NULL);
 * returns the length. */
size_t gdv_batch_escape(char *out, const char *s);
/* What a figure of `it` is drawn from besides the options, as manifest
 * text (malloc'd, NULL when out of memory): "input=SIZE:HASH" of the graph
 * file, then " style-content=HASH" of the file --style `style` names, or
 * without --style " graph-style=VALUE@HASH" for every gradviz_style the
 * DOT file sets ("-" for a file that is missing or not a plain file). */
char *gdv_batch_inputs_text(const gdv_batch_item *it, const char *style);
/* want[item x format] = settings[format] + " " + the item's inputs text
 * (malloc'd array; gdv_batch_want_free frees it). */
gdv_status gdv_batch_want(const gdv_batch_list *l, const char *const *settings,
                          size_t n_formats, const char *style, char ***want,
                          gdv_error *err);
void gdv_batch_want_free(char **want, size_t n);

/* Marks in todo[item x format] the figures to draw: missing, not newer
 * than their graph, whose line is not want[item x format], inputs that are
 * refused links, or all of them with `force`. Unless `dry` (--list), this
 * is done under the folder's lock (DIR/.gradviz-batch.lock, which exists
 * only while a run holds it), and the lines of the figures to draw that
 * claim other inputs or settings are removed before any is drawn. */
gdv_status gdv_batch_manifest_begin(const char *dir, const gdv_batch_list *l,
                                    const char *const *formats, size_t n_formats,
                                    char *const *want, int force, int dry,
                                    unsigned char *todo, gdv_error *err);
/* A run's copy of the manifest between additions, and the identity of the
 * file it was last read from or written to (zeroed to start; free m). */
typedef struct gdv_batch_ledger {
  gdv_batch_manifest m;
  int valid;              /* m is what the file holds while it is that file */
  uint64_t dev, ino, size;
  int64_t mtime_sec, mtime_nsec;
} gdv_batch_ledger;
/* Under the lock: adds want[f] for each figure f in figures[] (item x
 * format), just put in place, to the manifest as it is now (read again
 * only when another run wrote it since this one did). */
gdv_status gdv_batch_manifest_add(const char *dir, gdv_batch_ledger *lg,
                                  const gdv_batch_list *l,
                                  const char *const *formats, size_t n_formats,
                                  char *const *want, const size_t *figures, size_t n,
                                  gdv_error *err);

/* ------------------------------------------------------------------ */
/* Batch rendering: the children that draw the figures                 */

/* What happened to an input: all its figures up to date, all drawn, or
 * its first failure (its other figures are then not started). */
typedef enum gdv_batch_outcome {
  GDV_BATCH_FRESH, GDV_BATCH_DRAWN, GDV_BATCH_FAILED
} gdv_batch_outcome;

/* Called once an input is finished, `finished` inputs so far (for a
 * progress display: the library prints nothing). */
typedef void (*gdv_batch_progress_fn)(void *ctx, size_t item,
                                      gdv_batch_outcome outcome, size_t finished);

typedef struct gdv_batch_plan {
  const char *exe;              /* run as `EXE render INPUT -o OUT --format F ARGS` */
  const char *command;          /* NULL: render; else this command, each
                                   output after its out_flags entry */
  const char *const *out_flags; /* per format: "-o" or "--key" (NULL:
                                   -o each, --format F for one) */
  const char *dir;              /* the output folder (it exists) */
  const char *const *formats;   /* png, svg, pdf, dot */
  size_t n_formats;
  const char *const *render_args;  /* options for every child, NULL-terminated */
  size_t jobs;                  /* children at once, at least 1 */
  const gdv_batch_list *list;
  const unsigned char *todo;    /* per item x format: 1 to draw */
  char *const *want;            /* per item x format: its manifest line */
  double time_limit;            /* seconds a child may take; 0: no limit */
  const volatile sig_atomic_t *stop;  /* set (to a signal number) from a signal
                                   handler: stop every child at once */
  gdv_batch_progress_fn progress;  /* may be NULL */
  void *ctx;
} gdv_batch_plan;

typedef struct gdv_batch_failure {
  size_t item;
  size_t format;                /* index into the plan's formats */
  char *message;                /* the child's stderr, trimmed; NULL when
                                   out of memory */
  gdv_setting setting;          /* what would help, when the batch itself
                                   refused (its front end names it) */
} gdv_batch_failure;

typedef struct gdv_batch_result {
  size_t finished, drawn, fresh;  /* inputs */
  gdv_batch_failure *failures;  /* one per failed input, in input order */
  size_t n_failures;
  unsigned char *made;          /* per item x format: drawn by this run */
  int stopped;                  /* *stop when the batch stopped, else 0 */
  int manifest_failed;          /* the manifest could not be written: */
  gdv_error manifest_err;       /* the first such error */
} gdv_batch_result;

/* Draws every figure of the plan, at most `jobs` children at once, biggest
 * inputs first, each child killed past the time limit, and adds each
 * figure's line to the manifest once it is in place. A child's failure is a
 * failure in the result, not an error; errors are the system's (no memory,
 * no fork). After a stop, the running children are killed and what they
 * were writing is removed. */
gdv_status gdv_batch_run(const gdv_batch_plan *p, gdv_batch_result *r, gdv_error *err);
void gdv_batch_result_free(gdv_batch_result *r);

#endif
