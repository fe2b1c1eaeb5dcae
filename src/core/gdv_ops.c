/* gdv_ops.c: the table of operations and what the rest needs to know. */
#include <string.h>

#include "gdv.h"

/* One row per op, indexed by the enum; `saves` follows the backward
 * switch in gdv_eval.c: mul needs its operands (the product of the others,
 * no division: exact at 0); exp, tanh, sigmoid, relu and sqrt are cheapest
 * from their own result; add, sub, neg, identity and mean need nothing. */
#define NOTHING GDV_SAVE_NOTHING
#define IN GDV_SAVE_INPUTS
#define OUT GDV_SAVE_OUTPUT
#define INDEX GDV_SAVE_INDEX
static const gdv_op_info op_table[] = {
  [GDV_OP_LEAF]     = {"leaf", "", 0, 0, NOTHING},
  [GDV_OP_ADD]      = {"add", "+", 1, -1, NOTHING},
  [GDV_OP_MUL]      = {"mul", "\xC3\x97", 1, -1, IN},       /* × */
  [GDV_OP_SUB]      = {"sub", "\xE2\x88\x92", 2, 2, NOTHING}, /* − */
  [GDV_OP_DIV]      = {"div", "\xC3\xB7", 2, 2, IN},        /* ÷ */
  [GDV_OP_POW]      = {"pow", "^", 2, 2, IN | OUT},  /* x1*x0^(x1-1), x0^x1*ln x0 */
  [GDV_OP_POWK]     = {"pow", "^", 1, 1, IN},
  [GDV_OP_MAX]      = {"max", "max", 1, -1, INDEX},
  [GDV_OP_MIN]      = {"min", "min", 1, -1, INDEX},
  [GDV_OP_NEG]      = {"neg", "\xE2\x88\x92", 1, 1, NOTHING},
  [GDV_OP_SQUARE]   = {"square", "x\xC2\xB2", 1, 1, IN},    /* x² */
  [GDV_OP_SQRT]     = {"sqrt", "\xE2\x88\x9A", 1, 1, OUT},  /* √ */
  [GDV_OP_EXP]      = {"exp", "exp", 1, 1, OUT},
  [GDV_OP_LOG]      = {"log", "log", 1, 1, IN},
  [GDV_OP_ABS]      = {"abs", "|x|", 1, 1, IN},
  [GDV_OP_TANH]     = {"tanh", "tanh", 1, 1, OUT},
  [GDV_OP_SIGMOID]  = {"sigmoid", "\xCF\x83", 1, 1, OUT},   /* σ */
  [GDV_OP_RELU]     = {"relu", "ReLU", 1, 1, OUT},
  [GDV_OP_SIN]      = {"sin", "sin", 1, 1, IN},
  [GDV_OP_COS]      = {"cos", "cos", 1, 1, IN},
  [GDV_OP_IDENTITY] = {"identity", "id", 1, 1, NOTHING},
  [GDV_OP_SOFTPLUS] = {"softplus", "softplus", 1, 1, IN},  /* local σ(x0) */
  [GDV_OP_LOG1P]    = {"log1p", "log1p", 1, 1, IN},        /* local 1/(1+x0) */
  [GDV_OP_SILU]     = {"silu", "SiLU", 1, 1, IN},          /* local σ(1 + x0(1-σ)) */
  [GDV_OP_LOGSUMEXP] = {"logsumexp", "logsumexp", 1, -1, IN | OUT}, /* e^(x_k - out) */
  [GDV_OP_MEAN]     = {"mean", "mean", 1, -1, NOTHING},    /* local 1/n */
  [GDV_OP_CLAMP]    = {"clamp", "clamp", 3, 3, IN},        /* which bound is active */
};
#undef NOTHING
#undef IN
#undef OUT
#undef INDEX
/* A new op without a row here stops the build (a row missing in the middle
 * has a NULL name, which test_core's op_table test catches). */
_Static_assert(sizeof op_table / sizeof op_table[0] == GDV_OP_COUNT,
               "op_table needs one row per gdv_op");

/* The row of op_table; op is always valid inside the core. */
const gdv_op_info *gdv_op_get(gdv_op op) {
  return &op_table[op < GDV_OP_COUNT ? op : GDV_OP_LEAF];
}

/* Other names courses use for an op: read in formulas and DOT, never
 * written (a file or a figure says the op's own name). */
static const struct {
  const char *name;
  gdv_op op;
} op_aliases[] = {
  {"swish", GDV_OP_SILU},
};

/* Alias i and its op, for lists of the names a reader accepts. */
const char *gdv_op_alias(size_t i, gdv_op *op) {
  if (i >= sizeof op_aliases / sizeof op_aliases[0]) return NULL;
  *op = op_aliases[i].op;
  return op_aliases[i].name;
}

/* Maps a contract name or an alias to an op. "pow" maps to the two-operand
 * form; the reader turns it into GDV_OP_POWK when it sees `exponent`. */
int gdv_op_lookup(const char *name, gdv_op *out) {
  for (int op = GDV_OP_ADD; op < GDV_OP_COUNT; op++) {
    if (op == GDV_OP_POWK) continue;
    if (strcmp(op_table[op].name, name) == 0) {
      *out = (gdv_op)op;
      return 1;
    }
  }
  gdv_op alias_op;
  const char *alias;
  for (size_t i = 0; (alias = gdv_op_alias(i, &alias_op)) != NULL; i++)
    if (strcmp(alias, name) == 0) {
      *out = alias_op;
      return 1;
    }
  return 0;
}

static const char *const role_names[] = {NULL, "input", "param", "const"};

/* The contract's name of a role, NULL for op nodes. */
const char *gdv_role_name(gdv_role role) {
  return role <= GDV_ROLE_CONST ? role_names[role] : NULL;
}

/* Maps "input", "param", "const" to a role. */
int gdv_role_lookup(const char *name, gdv_role *out) {
  for (int r = GDV_ROLE_INPUT; r <= GDV_ROLE_CONST; r++) {
    if (strcmp(role_names[r], name) == 0) {
      *out = (gdv_role)r;
      return 1;
    }
  }
  return 0;
}
