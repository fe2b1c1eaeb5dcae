/*
 * gdv_io.h: reading graphs (DOT through cgraph, formula files with our own
 * parser), writing evaluation reports, and writing files whole or not at
 * all. Like the core, nothing here prints to the terminal or exits.
 */
#ifndef GDV_IO_H
#define GDV_IO_H

#include <stdio.h>

#include "core/gdv.h"

/* A file's bytes, NUL-terminated. */
typedef struct gdv_file_text {
  char *data;
  size_t size;
} gdv_file_text;

/* Reads `path` whole ("-": standard input). Missing or unreadable files are
 * bad input (exit 2), as the contract says; so are a NUL byte (named with
 * its line, as soon as it is read) and a file over the input size limit. */
gdv_status gdv_file_load(const char *path, gdv_file_text *out, gdv_error *err);
/* The same with an explicit limit; binary data (IDX) may hold NUL bytes. */
gdv_status gdv_file_read(const char *path, size_t limit, int binary,
                         gdv_file_text *out, gdv_error *err);
void gdv_file_text_free(gdv_file_text *t);
/* The input size limit: GRADVIZ_MAX_INPUT (such as 200M), else 1 GiB;
 * style files have at most 1 MiB. A malformed variable is bad input. */
gdv_status gdv_input_limit(size_t *out, gdv_error *err);
gdv_status gdv_style_input_limit(size_t *out, gdv_error *err);
/* "1G", "200M", "64K" or a plain number (K is `unit`: 1024 or 1000);
 * 0 when s is none of these or is zero. */
int gdv_parse_size(const char *s, unsigned long long unit, unsigned long long *out);
/* n as "1 GiB", "200 MiB" or "1234 bytes", for messages. */
void gdv_size_text(size_t n, char *buf, size_t len);
/* Refuses the first byte that is not strict UTF-8, with its line; `hint`
 * (may be NULL) follows the message. */
gdv_status gdv_utf8_check(const char *file, const char *text, size_t size,
                               const char *hint, gdv_error *err);

/* A file read piece by piece (IDX: the header says how much to read). */
typedef struct gdv_in_file {
  FILE *f;
  const char *shown;    /* for messages: "<stdin>" for "-" */
  int is_stdin;
} gdv_in_file;
gdv_status gdv_in_open(gdv_in_file *in, const char *path, gdv_error *err);
/* Up to n bytes; *got < n only at the end of the file. */
gdv_status gdv_in_read(gdv_in_file *in, void *buf, size_t n, size_t *got,
                       gdv_error *err);
void gdv_in_close(gdv_in_file *in);

/* A loaded graph: the evaluated core graph plus what the outer layers need
 * of its source (the DOT attributes to keep, the text for PNG metadata). */
typedef struct gdv_input {
  gdv_graph *graph;
  char *path;           /* as given; "-" for standard input */
  char *display_path;   /* for messages: "<stdin>" for "-" */
  gdv_file_text text;        /* the source bytes */
  int is_dot;
  char **graph_attrs;   /* DOT graph attributes: name, value, ..., NULL */
} gdv_input;

/* How a graph file is read: by its name and first line, or as asked. */
typedef enum gdv_input_format { GDV_INPUT_AUTO, GDV_INPUT_DOT, GDV_INPUT_EXPR } gdv_input_format;
/* "auto", "dot" or "expr"; 0 for any other name. */
int gdv_input_format_lookup(const char *name, gdv_input_format *out);
/* Loads a formula file (.expr) or DOT (.dot, .gv); "-" and other names are
 * a formula when their first statement line is one (`x = 2`, `param w =
 * 1`, `output y`), else DOT. Finalizes the graph; it is ready for
 * gdv_forward. */
gdv_status gdv_input_load(const char *path, gdv_input *in, gdv_error *err);
/* The same, read as `format` says (GDV_INPUT_AUTO: as gdv_input_load). */
gdv_status gdv_input_load_as(const char *path, gdv_input_format format, gdv_input *in,
                             gdv_error *err);
void gdv_input_free(gdv_input *in);
/* The value of a graph attribute kept from DOT, or NULL. */
const char *gdv_input_graph_attr(const gdv_input *in, const char *name);

/* Parsers on text already in memory; `file` names it in messages. */
gdv_status gdv_dot_parse(const char *file, const char *text, size_t size,
                         gdv_graph **out, char ***graph_attrs,
                         gdv_error *err);
/* A DOT text whose graph says charset=latin1 (or another of Graphviz's
 * names for it) becomes UTF-8, the declaration with it; any other text
 * must be UTF-8 already (bad input naming the line otherwise). gdv_dot_parse
 * does the same on its own copy. */
gdv_status gdv_dot_to_utf8(const char *file, gdv_file_text *text, gdv_error *err);
/* The value of every `NAME = ID` anywhere in DOT text, read as the scanner
 * of gdv_dot_parse reads it (a NULL-terminated malloc'd array of malloc'd
 * strings; NULL when out of memory). */
char **gdv_dot_attr_values(const char *text, size_t size, const char *name);
gdv_status gdv_expr_parse(const char *file, const char *text, size_t size,
                          gdv_graph **out, gdv_error *err);

/* Evaluation reports (`gradviz eval`). */
typedef enum gdv_report_format {
  GDV_REPORT_TEXT, GDV_REPORT_JSON, GDV_REPORT_CSV
} gdv_report_format;
int gdv_report_format_lookup(const char *name, gdv_report_format *out);
/* Writes the evaluated graph (after gdv_forward and gdv_backward). */
gdv_status gdv_report_write(const gdv_graph *g, gdv_report_format fmt,
                            FILE *f, gdv_error *err);
/* Writes x as JSON: the shortest round-tripping text, `null` if not finite. */
void gdv_json_number(FILE *f, double x);
void gdv_json_string(FILE *f, const char *s);
/* The same, safe inside an HTML <script> when in_script is 1. */
void gdv_json_string_in(FILE *f, const char *s, int in_script);
/* How one format spells an edge's record: a layout in which %F and %T
 * stand for the names of the edge's two ends (written by `name`), %A for
 * its operand index, %L and %G for its local derivative and its gradient
 * (written by `number`); the rest of the layout is written as it is. */
typedef struct gdv_edge_format {
  const char *layout;
  void (*name)(FILE *f, const char *s);
  void (*number)(FILE *f, double x);
} gdv_edge_format;
/* Writes edge e of g as fmt lays it out. */
void gdv_edge_write(FILE *f, const gdv_graph *g, size_t e, const gdv_edge_format *fmt);

/* Writing a file whole or not at all: a plain file (links followed to
 * their target) gets a temporary .NAME.PID.tmp in the same folder, synced
 * and renamed over it when complete, keeping its mode. "-" is standard
 * output; a FIFO, a device, or a path under /dev or /proc is written
 * directly. Write errors wait for gdv_outfile_commit, which names the file and
 * the reason. */
struct gdv_out_sink;
typedef struct gdv_outfile {
  FILE *f;
  char *path;           /* as given, for messages; "<stdout>" for "-" */
  char *target;         /* the file renamed over; NULL when written directly */
  char *tmp_path;       /* NULL when written directly */
  int fd;
  int owns_fd;          /* 0 for standard output */
  struct gdv_out_sink *sink;
} gdv_outfile;
gdv_status gdv_outfile_open(gdv_outfile *out, const char *path, gdv_error *err);
/* Flushes, syncs and renames; on any failure removes the temporary. */
gdv_status gdv_outfile_commit(gdv_outfile *out, gdv_error *err);
/* Removes the temporary and drops unwritten bytes: for an error half way. */
void gdv_outfile_abort(gdv_outfile *out);
/* For every file opened after it, in this process: at most max_bytes are
 * written (0: no limit; past it the rest is dropped and commit refuses the
 * file, naming --max-output), and with refuse_links a path that is a
 * symbolic link is refused instead of followed (a plain file is then
 * renamed over the path itself, never over a link's target). */
void gdv_outfile_policy(uint64_t max_bytes, int refuse_links);
/* Removes every temporary still open (for a signal handler). */
void gdv_outfile_abort_all(void);
/* Creates the folders leading to `file` (mkdir -p of its dirname). */
gdv_status gdv_make_parent_dirs(const char *file, gdv_error *err);

#endif
