/* test_util.h: what the core-layer Check programs (test_core, test_dot,
 * test_expr) share: reading a graph from text, finding nodes and operands,
 * comparing doubles. Each helper fails the running test itself, so a test
 * reads as a list of facts. Prefix tu_. */
#ifndef GDV_TEST_UTIL_H
#define GDV_TEST_UTIL_H

#include <stddef.h>

#include "core/gdv.h"

/* Which reader: DOT (the file is called "g.dot") or a formula ("f.expr"). */
typedef enum tu_format { TU_DOT, TU_EXPR } tu_format;

/* Reads `text`, runs forward and backward; fails the test with the reader's
 * message. attrs (DOT only, may be NULL) receives the graph attributes. */
gdv_graph *tu_parse(tu_format format, const char *text, char ***attrs);
/* Reading `text` must fail as bad input, on `line`, with exactly
 * `message`, naming the file, and leave no graph. */
void tu_parse_fails(tu_format format, const char *text, long line,
                    const char *message);

/* Ids change at finalize (topological order): look nodes up by name. */
gdv_id tu_find(const gdv_graph *g, const char *name);
/* The edge carrying operand k of v. */
size_t tu_in_edge(const gdv_graph *g, gdv_id v, size_t k);
/* Operand k of v, in operand order. */
gdv_id tu_operand(const gdv_graph *g, gdv_id v, size_t k);
/* |a - b| small relative to the larger of 1, |a|, |b|. */
int tu_close_to(double a, double b, double tol);
/* Whether `make check-full` runs us (GDV_CHECK_FULL=1): its long samples
 * then, a short one in `make check`, with the same cases either way. */
int tu_check_full(void);

#endif
