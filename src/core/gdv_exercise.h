/*
 * gdv_exercise.h: exercises on a graph (libc and libm only, like all of
 * the core). A student's variant of a graph (other leaf values, friendly
 * for hand computation, the graph's lesson kept), and grading a student's
 * answers with the likely cause of each wrong one.
 *
 * Like the rest of the core this never prints and never exits.
 */
#ifndef GDV_EXERCISE_H
#define GDV_EXERCISE_H

#include "core/gdv.h"

/* ------------------------------------------------------------------ */
/* Variants (--variant K)                                              */

/* The largest K; 0 is the file's own numbers. */
#define GDV_VARIANT_MAX 1000000u

/* Gives every input and parameter leaf student K's value (constants keep
 * theirs) and evaluates the graph (forward and backward). The values are
 * few-digit decimals on a grid scaled to the leaf's own (a leaf of 0.5
 * gets tenths up to 1, a leaf of 2 halves up to 4), drawn from a
 * sequence seeded by K and the graph's leaf names, until a draw keeps
 * the lesson:
 *   - every value, local and gradient finite and at most 1e4 in size
 *     (no log of a negative, no division by 0);
 *   - no tie where an op chooses (relu or abs at 0, max or min with two
 *     operands equal, clamp at a bound), and every such choice the same
 *     as with the file's numbers: a dead ReLU stays dead, the max keeps
 *     its winner;
 *   - no gradient that was not 0 becomes 0 or tiny (under a tenth of
 *     the file's, and under 0.001);
 *   - at least one leaf differs from the file.
 * The same K and graph give the same numbers on every machine. K = 0
 * leaves the file's numbers (and evaluates). Recorded numbers (a
 * draw_dot file's) are dropped: they belong to the file's values. When
 * no draw within the work budget keeps the lesson, GDV_ERR_INPUT says
 * so and the graph keeps the file's numbers. */
gdv_status gdv_variant_apply(gdv_graph *g, uint64_t k, gdv_error *err);

/* ------------------------------------------------------------------ */
/* Grading (gradviz grade)                                             */

/* What an answer is about: a node's value or gradient dC/dnode, an
 * edge's local derivative or the gradient flowing along it. */
typedef enum gdv_quantity {
  GDV_Q_VALUE = 0, GDV_Q_GRAD, GDV_Q_LOCAL, GDV_Q_EDGE_GRAD, GDV_Q_COUNT
} gdv_quantity;
/* "value", "grad", "local", "edge-grad". */
const char *gdv_quantity_name(gdv_quantity q);
int gdv_quantity_lookup(const char *name, gdv_quantity *out);

/* One answer: the quantity, its node or edge (by quantity), the number
 * the student gave, and where it came from (for messages). A quantity
 * and item is answered at most once (the reader refuses repeats). */
typedef struct gdv_answer {
  uint8_t quantity;        /* gdv_quantity */
  gdv_id item;             /* node (value, grad) or edge (local, edge-grad) */
  double value;
  long line;               /* in the answers file, 0 if unknown */
} gdv_answer;

/* A hand computation is right within max(rtol * |expected|, atol). */
typedef struct gdv_grade_options {
  double rtol;             /* default 0.02 */
  double atol;             /* default 0.01 */
} gdv_grade_options;
void gdv_grade_defaults(gdv_grade_options *o);
/* Whether x is right for the expected e under o. */
int gdv_grade_close(double x, double e, const gdv_grade_options *o);

typedef enum gdv_verdict {
  GDV_RIGHT = 0,
  GDV_WRONG,               /* a first error: it costs */
  GDV_CARRIED              /* wrong, but right from the student's own
                              wrong answers upstream: it costs nothing */
} gdv_verdict;

/* The likely cause of a wrong answer, first that fits in this order. */
typedef enum gdv_cause {
  GDV_CAUSE_UNKNOWN = 0,
  GDV_CAUSE_CARRIED,       /* (CARRIED) from the answer `from` */
  GDV_CAUSE_SIGN,          /* the right number with the wrong sign */
  GDV_CAUSE_PART_SUM,      /* a fan-out sum: some of its terms, not all
                              (missing: the edges left out) */
  GDV_CAUSE_LOCAL          /* the local derivative where the gradient was
                              asked: the upstream gradient forgotten
                              (edge: the edge whose local it is) */
} gdv_cause;

typedef struct gdv_grade_row {
  size_t answer;           /* index into the answers */
  uint8_t verdict;         /* gdv_verdict */
  uint8_t cause;           /* gdv_cause */
  double expected;         /* the right number */
  double own;              /* CARRIED: what the student's own upstream
                              answers give */
  size_t from;             /* CARRIED: the first wrong answer the chain
                              starts from (an index into the answers) */
  size_t edge;             /* LOCAL: the edge whose local it is */
  size_t *missing;         /* PART_SUM: edges whose terms are missing */
  size_t n_missing;
  size_t n_terms;          /* PART_SUM: terms of the sum */
} gdv_grade_row;

typedef struct gdv_grade_result {
  gdv_grade_row *rows;     /* one per answer, in answer order */
  size_t n_rows;
  size_t n_right, n_wrong, n_carried;
} gdv_grade_result;

/* Grades answers against g evaluated (forward and backward). A grad or
 * edge-grad is carried when, wrong, it equals what the student's own
 * answers upstream give (edge-grad u->v: their dC/dv times their local,
 * or the true one where they gave none; grad u: the sum of their terms
 * along u's edges), one of those being wrong: only the first error of a
 * chain costs. A wrong answer that is not carried gets the first cause
 * that fits: sign, part of a fan-out sum (up to 12 terms: any subset;
 * beyond, single terms), the local derivative instead of the gradient. */
gdv_status gdv_grade(const gdv_graph *g, const gdv_answer *answers, size_t n,
                     const gdv_grade_options *o, gdv_grade_result *r, gdv_error *err);
void gdv_grade_result_free(gdv_grade_result *r);

/* Checking without the answer (a worksheet's page): numbers fall in
 * cells of a grid as fine as a quarter of the tolerance (steps of atol/4
 * below atol/rtol, else of log(1 + rtol/4) in log|x|), and a page holds
 * salted hashes of the cells that meet [t - tol, t + tol] for the right
 * number t: an answer is right when its cell's hash is among them (within
 * the tolerance, or at most a quarter of it beyond). The cell of x, as
 * text ("a-12", "+37", "-37"), in buf (32 bytes): */
void gdv_grade_cell(double x, const gdv_grade_options *o, char *buf, size_t size);
/* Every distinct cell that meets [t - tol, t + tol], into cells (n
 * entries of 32 bytes); returns how many (at most n). */
size_t gdv_grade_cells_near(double t, const gdv_grade_options *o, char (*cells)[32], size_t n);
/* FNV-1a of "SALT|TAG|CELL", then 64 rounds of a 32-bit finaliser: the
 * page's check (the same in its script). */
uint32_t gdv_grade_hash(const char *salt, const char *tag, const char *cell);

/* The right number for a quantity of g (evaluated). */
double gdv_quantity_truth(const gdv_graph *g, gdv_quantity q, gdv_id item);

#endif
