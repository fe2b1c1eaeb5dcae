/* gdv_expr.c: formula files (CONTRACT 6). A shunting-yard parser with
 * explicit stacks, so 100,000 nested parentheses cost memory, not C stack.
 * A statement's nodes are collected first and added to the graph once the
 * statement is complete: only then is it known which node is the top one,
 * the one that takes the statement's name. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"

/* An operand: a node already in the graph, a node of this statement, or a
 * literal that becomes a const leaf only if something uses it. */
typedef enum ref_kind { REF_GRAPH, REF_PENDING, REF_LITERAL } ref_kind;

typedef struct ref {
  ref_kind kind;
  size_t index;     /* graph id or pending index */
  double value;     /* literal */
  char text[40];    /* literal as written (with its sign) */
  int chain;        /* GDV_OP_ADD/MUL: an open chain `a+b+...` to extend */
} ref;

typedef struct pending {
  gdv_op op;
  double exponent;
  int call;         /* written as a call `f(...)`, not with an operator */
  ref *args;
  size_t n_args, cap_args;
} pending;

typedef enum tok {
  T_END, T_NAME, T_NUMBER, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_CARET,
  T_LPAREN, T_RPAREN, T_COMMA, T_EQUALS
} tok;

typedef enum stack_kind { S_BINARY, S_NEG, S_PAREN, S_CALL } stack_kind;

typedef struct stack_item {
  stack_kind kind;
  tok op;           /* for S_BINARY */
  size_t name_at;   /* S_CALL: offset of the function name in the line */
  size_t name_len;
  size_t n_args;    /* S_CALL: arguments seen */
  size_t base;      /* S_CALL: operand stack height at the '(' */
} stack_item;

typedef struct parser {
  const char *file;
  long line_no;
  const char *line;        /* the current line, comment cut off */
  size_t len, pos;
  tok t;                   /* current token */
  size_t t_at, t_len;
  gdv_graph *g;
  gdv_error *err;
  pending *pend;
  size_t n_pend, cap_pend;
  ref *vals;
  size_t n_vals, cap_vals;
  stack_item *ops;
  size_t n_ops, cap_ops;
  size_t n_auto;           /* names made for this statement */
  char **taken;            /* labels given to intermediate nodes so far */
  size_t n_taken, cap_taken;
  gdv_index taken_index;   /* the labels by text (keys: taken) */
  int used_pi;             /* this statement reads the constant pi */
  size_t alias_bytes;      /* the op names its aliased calls (swish) stand for */
} parser;

/* The constant `pi` of formulas, drawn as π. */
#define PI_VALUE 3.14159265358979323846
#define PI_TEXT "\xCF\x80"

static gdv_status fail(parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fills the caller's error with this line's number. */
static gdv_status fail(parser *p, const char *fmt, ...) {
  char msg[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return gdv_error_set(p->err, GDV_ERR_INPUT, p->file, p->line_no, "%s", msg);
}

/* Out of memory, blamed on the line being parsed, as every parser error is. */
static gdv_status oom(parser *p) {
  return gdv_error_set(p->err, GDV_ERR_SYSTEM, p->file, p->line_no,
                       "out of memory");
}

/* Grows a dynamic array by doubling; 0 when memory runs out. */
static int reserve(void **a, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 1;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  void *t = realloc(*a, c * size);
  if (t == NULL) return 0;
  *a = t;
  *cap = c;
  return 1;
}

/* Reads the next token of the line. */
static gdv_status lex(parser *p) {
  while (p->pos < p->len && isspace((unsigned char)p->line[p->pos])) p->pos++;
  p->t_at = p->pos;
  if (p->pos >= p->len) { p->t = T_END; p->t_len = 0; return GDV_OK; }
  unsigned char c = (unsigned char)p->line[p->pos];
  if (isalpha(c) || c == '_') {
    while (p->pos < p->len && (isalnum((unsigned char)p->line[p->pos]) ||
                               p->line[p->pos] == '_'))
      p->pos++;
    p->t = T_NAME;
  } else if (isdigit(c) || c == '.') {
    while (p->pos < p->len && (isdigit((unsigned char)p->line[p->pos]) ||
                               p->line[p->pos] == '.'))
      p->pos++;
    if (p->pos < p->len && (p->line[p->pos] == 'e' || p->line[p->pos] == 'E')) {
      size_t q = p->pos + 1;
      if (q < p->len && (p->line[q] == '+' || p->line[q] == '-')) q++;
      if (q < p->len && isdigit((unsigned char)p->line[q])) {
        while (q < p->len && isdigit((unsigned char)p->line[q])) q++;
        p->pos = q;
      }
    }
    /* `0x10`, `2abc`: one bad number, not a number then a name. */
    while (p->pos < p->len && (isalnum((unsigned char)p->line[p->pos]) ||
                               p->line[p->pos] == '_' || p->line[p->pos] == '.'))
      p->pos++;
    p->t = T_NUMBER;
  } else {
    static const char punct[] = "+-*/^(),=";
    static const tok kinds[] = {T_PLUS, T_MINUS, T_STAR, T_SLASH, T_CARET,
                                T_LPAREN, T_RPAREN, T_COMMA, T_EQUALS};
    const char *hit = c ? strchr(punct, c) : NULL;
    if (hit == NULL) {
      if (c >= 0x80)
        return fail(p, "unexpected byte 0x%02X (formulas are ASCII)", c);
      return fail(p, "unexpected character '%c'", c);
    }
    p->t = kinds[hit - punct];
    p->pos++;
  }
  p->t_len = p->pos - p->t_at;
  return GDV_OK;
}

/* The current token as text, for messages. */
static const char *tok_text(parser *p, char *buf, size_t size) {
  if (p->t == T_END) return "the end of the line";
  snprintf(buf, size, "'%.*s'", (int)(p->t_len > 40 ? 40 : p->t_len),
           p->line + p->t_at);
  return buf;
}

/* Exact, case-sensitive match of the current name token, for keywords such
 * as `output`. */
static int tok_is(parser *p, const char *word) {
  return p->t == T_NAME && p->t_len == strlen(word) &&
         memcmp(p->line + p->t_at, word, p->t_len) == 0;
}

/* The operand stack is explicit and grows without limit: deep nesting costs
 * heap, never C stack. */
static gdv_status push_val(parser *p, ref r) {
  if (!reserve((void **)&p->vals, &p->cap_vals, p->n_vals + 1, sizeof r))
    return oom(p);
  p->vals[p->n_vals++] = r;
  return GDV_OK;
}

/* The operator stack, explicit for the same reason as the operand stack: no
 * recursion, no depth limit. */
static gdv_status push_op(parser *p, stack_item it) {
  if (!reserve((void **)&p->ops, &p->cap_ops, p->n_ops + 1, sizeof it))
    return oom(p);
  p->ops[p->n_ops++] = it;
  return GDV_OK;
}

/* Starts a pending node of this statement; returns its index. */
static gdv_status new_pending(parser *p, gdv_op op, size_t *out) {
  if (!reserve((void **)&p->pend, &p->cap_pend, p->n_pend + 1, sizeof *p->pend))
    return oom(p);
  pending *n = &p->pend[p->n_pend];
  memset(n, 0, sizeof *n);
  n->op = op;
  *out = p->n_pend++;
  return GDV_OK;
}

/* A stored operand drops its chain mark: only the value on the stack may
 * still be extended by a following + or *. */
static gdv_status pending_arg(parser *p, size_t node, ref r) {
  pending *n = &p->pend[node];
  if (!reserve((void **)&n->args, &n->cap_args, n->n_args + 1, sizeof r))
    return oom(p);
  r.chain = 0;
  n->args[n->n_args++] = r;
  return GDV_OK;
}

/* chain (GDV_OP_ADD or MUL, else 0) marks an open chain, so a+b+c grows one
 * node's operands instead of nesting adds. */
static ref pending_ref(size_t index, int chain) {
  ref r;
  memset(&r, 0, sizeof r);
  r.kind = REF_PENDING;
  r.index = index;
  r.chain = chain;
  return r;
}

/* Applies a binary operator to the top two operands. */
static gdv_status reduce_binary(parser *p, tok op) {
  ref b = p->vals[--p->n_vals], a = p->vals[--p->n_vals];
  size_t node;
  gdv_status st;
  gdv_op chain_op = op == T_PLUS ? GDV_OP_ADD : op == T_STAR ? GDV_OP_MUL
                                                             : GDV_OP_LEAF;
  if (chain_op != GDV_OP_LEAF && a.kind == REF_PENDING &&
      a.chain == (int)chain_op) {
    /* a+b+c is one add node with three operands. */
    if ((st = pending_arg(p, a.index, b))) return st;
    return push_val(p, a);
  }
  if (op == T_CARET && b.kind == REF_LITERAL) {
    if ((st = new_pending(p, GDV_OP_POWK, &node))) return st;
    p->pend[node].exponent = b.value;
    if ((st = pending_arg(p, node, a))) return st;
    return push_val(p, pending_ref(node, 0));
  }
  gdv_op kind = op == T_PLUS ? GDV_OP_ADD : op == T_STAR ? GDV_OP_MUL
              : op == T_MINUS ? GDV_OP_SUB : op == T_SLASH ? GDV_OP_DIV
              : GDV_OP_POW;
  if ((st = new_pending(p, kind, &node))) return st;
  if ((st = pending_arg(p, node, a)) || (st = pending_arg(p, node, b)))
    return st;
  return push_val(p, pending_ref(node, (int)chain_op));
}

/* Unary minus: folded into a literal, else a `neg` node. */
static gdv_status reduce_neg(parser *p) {
  ref *a = &p->vals[p->n_vals - 1];
  if (a->kind == REF_LITERAL) {
    /* The text stays what was written, with the sign flipped. */
    a->value = -a->value;
    size_t len = strlen(a->text);
    if (a->text[0] == '-') {
      memmove(a->text, a->text + 1, len);
    } else if (len + 1 < sizeof a->text) {
      memmove(a->text + 1, a->text, len + 1);
      a->text[0] = '-';
    }
    return GDV_OK;
  }
  size_t node;
  gdv_status st;
  ref x = p->vals[--p->n_vals];
  if ((st = new_pending(p, GDV_OP_NEG, &node)) || (st = pending_arg(p, node, x)))
    return st;
  return push_val(p, pending_ref(node, 0));
}

/* A call of no op: the closest op's name as a hint (`sigmod(x)`). */
static gdv_status unknown_function(parser *p, const char *name) {
  char hint[GDV_HINT_SIZE];
  return fail(p, "unknown function '%s'%s", name, gdv_op_hint(name, hint, sizeof hint));
}

/* A call `name(args...)`: its arguments are the top n_args operands. */
static gdv_status reduce_call(parser *p, const stack_item *call) {
  char name[64];
  gdv_op op;
  snprintf(name, sizeof name, "%.*s", (int)(call->name_len > 60 ? 60 : call->name_len),
           p->line + call->name_at);
  if (!gdv_op_lookup(name, &op)) return unknown_function(p, name);
  const gdv_op_info *info = gdv_op_get(op);
  if (strcmp(name, info->name) != 0) p->alias_bytes += strlen(info->name);
  size_t n = call->n_args;
  if (info->max_args < 0 && n < (size_t)info->min_args)
    return fail(p, "'%s' takes at least 1 argument, it has none", name);
  if (info->max_args >= 0 && n != (size_t)info->min_args)
    return fail(p, "'%s' takes %d argument%s, it has %zu", name,
                info->min_args, info->min_args == 1 ? "" : "s", n);
  size_t node;
  gdv_status st = new_pending(p, op, &node);
  if (st) return st;
  p->pend[node].call = 1;
  for (size_t k = 0; k < n; k++)
    if ((st = pending_arg(p, node, p->vals[p->n_vals - n + k]))) return st;
  p->n_vals -= n;
  return push_val(p, pending_ref(node, 0));
}

/* Higher binds tighter; unary minus sits below ^ so -x^2 is -(x^2). Right-
 * associativity of ^ is decided by the caller. */
static int precedence(const stack_item *it) {
  if (it->kind == S_NEG) return 3;
  switch (it->op) {
  case T_CARET: return 4;
  case T_STAR: case T_SLASH: return 2;
  default: return 1;
  }
}

/* Reduces the operator on top of the stack. */
static gdv_status reduce_top(parser *p) {
  stack_item it = p->ops[--p->n_ops];
  return it.kind == S_NEG ? reduce_neg(p) : reduce_binary(p, it.op);
}

/* A number literal: it becomes a const leaf when the statement is added. */
static gdv_status operand_number(parser *p) {
  ref r;
  memset(&r, 0, sizeof r);
  r.kind = REF_LITERAL;
  snprintf(r.text, sizeof r.text, "%.*s", (int)(p->t_len < 39 ? p->t_len : 39),
           p->line + p->t_at);
  char num[400];
  snprintf(num, sizeof num, "%.*s", (int)(p->t_len < 399 ? p->t_len : 399),
           p->line + p->t_at);
  if (!gdv_parse_number(num, &r.value)) {
    if (gdv_number_overflows(num))
      return fail(p, "number '%s' overflows a double", num);
    return fail(p, "'%s' is not a number (decimal or exponent "
                "notation)", num);
  }
  return push_val(p, r);
}

/* `pi` where no statement assigned that name: a literal, so it becomes a
 * const leaf drawn as π, and -pi is one constant like -2. */
static gdv_status operand_pi(parser *p, int *want_operand) {
  ref r;
  memset(&r, 0, sizeof r);
  r.kind = REF_LITERAL;
  r.value = PI_VALUE;
  snprintf(r.text, sizeof r.text, "%s", PI_TEXT);
  p->used_pi = 1;
  *want_operand = 0;
  return push_val(p, r);
}

/* A name: a call when '(' follows (an operand must come next), else a
 * node named by an earlier statement, else the constant pi. */
static gdv_status operand_name(parser *p, int *want_operand) {
  gdv_status st;
  char buf[64];
  size_t at = p->t_at, len = p->t_len;
  size_t save = p->pos;
  if ((st = lex(p))) return st;
  if (p->t == T_LPAREN) {
    stack_item it = {S_CALL, T_LPAREN, at, len, 0, p->n_vals};
    if ((st = push_op(p, it))) return st;
    /* An empty call `f()` is caught when it closes. */
    size_t save2 = p->pos;
    if ((st = lex(p))) return st;
    if (p->t == T_RPAREN) {
      snprintf(buf, sizeof buf, "%.*s", (int)(len < 60 ? len : 60), p->line + at);
      gdv_op op;
      if (!gdv_op_lookup(buf, &op)) return unknown_function(p, buf);
      return fail(p, "'%s' needs an argument", buf);
    }
    p->pos = save2;
    return GDV_OK;
  }
  p->pos = save;
  char name[256];
  if (len >= sizeof name) return fail(p, "a name longer than 255 characters");
  memcpy(name, p->line + at, len);
  name[len] = '\0';
  gdv_id id = gdv_graph_find(p->g, name);
  if (id == GDV_NONE && strcmp(name, "pi") == 0) return operand_pi(p, want_operand);
  gdv_op named_op;
  /* `tanh x` is a student's slip, not a missing variable. */
  if (id == GDV_NONE && gdv_op_lookup(name, &named_op))
    return fail(p, "'%s' is a function: write %s(...)", name, name);
  if (id == GDV_NONE) return fail(p, "undefined name '%s'", name);
  ref r;
  memset(&r, 0, sizeof r);
  r.kind = REF_GRAPH;
  r.index = id;
  if ((st = push_val(p, r))) return st;
  *want_operand = 0;
  return GDV_OK;
}

/* Where an operand is due: unary minus, '(', a number or a name. */
static gdv_status parse_operand(parser *p, int *want_operand) {
  char buf[64];
  gdv_status st;
  if (p->t == T_MINUS) {
    stack_item it = {S_NEG, T_MINUS, 0, 0, 0, 0};
    return push_op(p, it);
  }
  if (p->t == T_LPAREN) {
    stack_item it = {S_PAREN, T_LPAREN, 0, 0, 0, p->n_vals};
    return push_op(p, it);
  }
  if (p->t == T_NUMBER) {
    if ((st = operand_number(p))) return st;
    *want_operand = 0;
    return GDV_OK;
  }
  if (p->t == T_NAME) return operand_name(p, want_operand);
  if (p->t == T_END) return fail(p, "expected an expression at the end of the line");
  /* Python's power operator, seen as `*` followed by `*`. */
  if (p->t == T_STAR && p->t_at > 0 && p->line[p->t_at - 1] == '*')
    return fail(p, "'**' is not an operator: write x^2 for a power");
  return fail(p, "expected a name, a number or '(' but found %s",
              tok_text(p, buf, sizeof buf));
}

/* A binary operator: first reduces what binds at least as tight on the
 * left (only tighter for the right-associative '^'). */
static gdv_status push_binary(parser *p, size_t base_ops) {
  gdv_status st;
  stack_item it = {S_BINARY, p->t, 0, 0, 0, 0};
  int right = p->t == T_CARET;
  while (p->n_ops > base_ops) {
    stack_item *top = &p->ops[p->n_ops - 1];
    if (top->kind == S_PAREN || top->kind == S_CALL) break;
    int pt = precedence(top), pi = precedence(&it);
    if (pt > pi || (pt == pi && !right)) {
      if ((st = reduce_top(p))) return st;
    } else {
      break;
    }
  }
  return push_op(p, it);
}

/* ')' or ',': reduces down to the innermost group, then closes it (a call
 * or parentheses) or counts one more argument. */
static gdv_status close_group(parser *p, size_t base_ops, int *want_operand) {
  gdv_status st;
  while (p->n_ops > base_ops && (p->ops[p->n_ops - 1].kind == S_BINARY ||
                                 p->ops[p->n_ops - 1].kind == S_NEG))
    if ((st = reduce_top(p))) return st;
  if (p->n_ops == base_ops) {
    if (p->t == T_COMMA) return fail(p, "',' outside a function call");
    return fail(p, "unbalanced parentheses: ')' without '('");
  }
  stack_item *top = &p->ops[p->n_ops - 1];
  if (p->t == T_COMMA) {
    if (top->kind != S_CALL) return fail(p, "',' outside a function call");
    top->n_args++;
    *want_operand = 1;
    return GDV_OK;
  }
  stack_item it = p->ops[--p->n_ops];
  if (it.kind == S_CALL) {
    it.n_args++;
    return reduce_call(p, &it);
  }
  p->vals[p->n_vals - 1].chain = 0;  /* (a+b)+c keeps its group */
  return GDV_OK;
}

/* Parses an expression up to the end of the line onto p->vals: an
 * operator-precedence parser with explicit stacks (no recursion, so a
 * formula may nest as deep as memory allows). */
static gdv_status parse_expression(parser *p) {
  gdv_status st;
  char buf[64];
  int want_operand = 1;
  size_t base_ops = p->n_ops;
  for (;;) {
    if ((st = lex(p))) return st;
    if (want_operand) {
      if ((st = parse_operand(p, &want_operand))) return st;
      continue;
    }
    /* want an operator, ')' , ',' or the end */
    if (p->t == T_PLUS || p->t == T_MINUS || p->t == T_STAR ||
        p->t == T_SLASH || p->t == T_CARET) {
      if ((st = push_binary(p, base_ops))) return st;
      want_operand = 1;
      continue;
    }
    if (p->t == T_RPAREN || p->t == T_COMMA) {
      if ((st = close_group(p, base_ops, &want_operand))) return st;
      continue;
    }
    if (p->t == T_END) break;
    if (p->t == T_LPAREN)
      return fail(p, "expected an operator before '('");
    return fail(p, "expected an operator but found %s", tok_text(p, buf, sizeof buf));
  }
  while (p->n_ops > base_ops) {
    stack_item *top = &p->ops[p->n_ops - 1];
    if (top->kind == S_PAREN || top->kind == S_CALL)
      return fail(p, "unbalanced parentheses: missing ')'");
    if ((st = reduce_top(p))) return st;
  }
  return GDV_OK;
}

/* Adds a literal as a const leaf. */
static gdv_status materialize(parser *p, const char *stmt, ref *r,
                              gdv_id *pend_ids) {
  if (r->kind == REF_GRAPH) return GDV_OK;
  if (r->kind == REF_PENDING) {
    r->kind = REF_GRAPH;
    r->index = pend_ids[r->index];
    return GDV_OK;
  }
  char name[300], label[3 * sizeof r->text];
  gdv_id id;
  gdv_status st;
  snprintf(name, sizeof name, "%s#%zu", stmt, ++p->n_auto);
  /* labelled as written, with a true minus: -0.5 reads like 0.5 */
  if ((st = gdv_graph_add_node(p->g, name, GDV_OP_LEAF, p->line_no, &id, p->err)) ||
      (st = gdv_graph_set_label(p->g, id, gdv_minus_sign(r->text, label, sizeof label),
                                p->err)))
    return st;
  p->g->value[id] = r->value;
  p->g->role[id] = GDV_ROLE_CONST;
  r->kind = REF_GRAPH;
  r->index = id;
  return GDV_OK;
}

/* The statement's pending nodes in an order where each comes after its
 * operands: a post-order walk from the top, with an explicit stack (a
 * formula may nest 100,000 deep). Creation order is not enough: extending
 * a chain `a + f(b) + g(c)` gives the add node, made first, operands made
 * after it. Returns the count, or (size_t)-1 when memory runs out. */
static size_t pending_order(parser *p, size_t top, size_t *order) {
  typedef struct frame { size_t node, next; } frame;
  frame *stack = malloc((p->n_pend ? p->n_pend : 1) * sizeof *stack);
  size_t depth = 0, count = 0;
  if (stack == NULL) return (size_t)-1;
  stack[depth++] = (frame){top, 0};
  while (depth > 0) {
    frame *f = &stack[depth - 1];
    const pending *n = &p->pend[f->node];
    if (f->next < n->n_args) {
      const ref *r = &n->args[f->next++];
      if (r->kind == REF_PENDING) stack[depth++] = (frame){r->index, 0};
      continue;
    }
    order[count++] = f->node;
    depth--;
  }
  free(stack);
  return count;
}

/* Naming the parts of a statement. A part is drawn with its subexpression
 * when that is short (`w11·x1`, `a − y`, `(a − y)²`), so a figure, a frame
 * title or a --highlight path says which node it means; a longer one, or
 * one whose text another part already shows, is drawn as the statement's
 * name with the number of its id as a subscript (`C₂` for the node C#2),
 * so a reader can still type its id. Ids do not change. */
#define NAME_MAX_CHARS 16

/* How tightly a part's text binds, to know where parentheses are due. */
enum { L_SUM = 1, L_PRODUCT, L_NEG, L_POW, L_ATOM };

/* A part's text as it grows, cut off once it has too many characters:
 * long texts are never built, so a deep formula costs no more. */
typedef struct name_buf {
  char s[NAME_MAX_CHARS * 4 + 1];
  size_t len, chars;
  int too_long;
} name_buf;

/* Appends UTF-8 text, counting characters (not bytes) against the limit. */
static void nb_put(name_buf *b, const char *t) {
  for (; *t && !b->too_long; t++) {
    if (((unsigned char)*t & 0xC0) != 0x80 && ++b->chars > NAME_MAX_CHARS) {
      b->too_long = 1;
      break;
    }
    b->s[b->len++] = *t;
  }
  b->s[b->len] = '\0';
}

/* Appends operand r, in parentheses when it binds looser than `need` or is
 * a negation after the first operand (`x·(−2)`, not `x·−2`). */
static void nb_operand(name_buf *b, const parser *p, const ref *r, char *const *texts,
                       const uint8_t *levels, int need, int first) {
  const char *t = NULL;
  char literal[3 * sizeof r->text];
  int level = L_ATOM;
  if (r->kind == REF_GRAPH) t = gdv_graph_display_name(p->g, (gdv_id)r->index);
  if (r->kind == REF_LITERAL) {
    /* as written, with a true minus (as the statement's equation shows it) */
    t = gdv_minus_sign(r->text, literal, sizeof literal);
    level = r->text[0] == '-' ? L_NEG : L_ATOM;
  }
  if (r->kind == REF_PENDING) { t = texts[r->index]; level = levels[r->index]; }
  if (t == NULL) { b->too_long = 1; return; }
  int paren = level < need || (!first && level == L_NEG);
  if (paren) nb_put(b, "(");
  nb_put(b, t);
  if (paren) nb_put(b, ")");
}

/* A constant exponent as superscript digits when it is a small integer
 * (x², x⁻¹), else after a caret (x^0.5). */
static void nb_exponent(name_buf *b, double e) {
  static const char *const sup[] = {"\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3",
                                    "\xE2\x81\xB4", "\xE2\x81\xB5", "\xE2\x81\xB6",
                                    "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
  char num[40];
  if (e != floor(e) || fabs(e) >= 1000) {
    nb_put(b, "^");
    nb_put(b, gdv_number_text(e, num, sizeof num));
    return;
  }
  snprintf(num, sizeof num, "%d", (int)e);
  for (const char *d = num; *d; d++) nb_put(b, *d == '-' ? "\xE2\x81\xBB" : sup[*d - '0']);
}

/* The text of pending part n from its operands' texts (texts and levels
 * of its pending operands are known: parts are named operands first);
 * *out NULL when longer than NAME_MAX_CHARS. */
static gdv_status part_text(parser *p, const pending *n, char *const *texts,
                            const uint8_t *levels, uint8_t *level, char **out) {
  name_buf b;
  memset(&b, 0, sizeof b);
  *level = L_ATOM;
  if (n->call || n->op == GDV_OP_POW) {
    int call = n->call;
    if (call) nb_put(&b, gdv_op_get(n->op)->name);
    if (call) nb_put(&b, "(");
    for (size_t k = 0; k < n->n_args; k++) {
      if (k) nb_put(&b, call ? ", " : "^");
      nb_operand(&b, p, &n->args[k], texts, levels, call ? 0 : k ? L_POW : L_ATOM, 1);
    }
    if (call) nb_put(&b, ")");
    else *level = L_POW;
  } else if (n->op == GDV_OP_NEG) {
    nb_put(&b, "\xE2\x88\x92");
    nb_operand(&b, p, &n->args[0], texts, levels, L_POW, 1);
    *level = L_NEG;
  } else if (n->op == GDV_OP_POWK) {
    nb_operand(&b, p, &n->args[0], texts, levels, L_ATOM, 1);
    nb_exponent(&b, n->exponent);
    *level = L_POW;
  } else {
    /* + − · /, all left-associative: a right operand of the same
     * tightness needs its parentheses, a left one does not */
    int sum = n->op == GDV_OP_ADD || n->op == GDV_OP_SUB;
    const char *sep = n->op == GDV_OP_ADD ? " + " : n->op == GDV_OP_SUB ? " \xE2\x88\x92 "
                    : n->op == GDV_OP_MUL ? "\xC2\xB7" : "/";
    *level = (uint8_t)(sum ? L_SUM : L_PRODUCT);
    for (size_t k = 0; k < n->n_args; k++) {
      if (k) nb_put(&b, sep);
      nb_operand(&b, p, &n->args[k], texts, levels, *level + (k > 0), k == 0);
    }
  }
  *out = NULL;
  if (!b.too_long && (*out = strdup(b.s)) == NULL) return oom(p);
  return GDV_OK;
}

/* Takes label s for one part: 1 when it was free, 0 when another part
 * shows it already, -1 when memory runs out. */
static int take_label(parser *p, const char *s) {
  if (gdv_index_find_string(&p->taken_index, p->taken, s) != GDV_INDEX_END) return 0;
  if (p->n_taken == p->cap_taken) {
    size_t cap = p->cap_taken ? 2 * p->cap_taken : 64;
    char **grown = realloc(p->taken, cap * sizeof *grown);
    if (grown == NULL) return -1;
    p->taken = grown;
    p->cap_taken = cap;
  }
  if ((p->taken[p->n_taken] = strdup(s)) == NULL) return -1;
  if (!gdv_index_add(&p->taken_index, gdv_hash_string(s), p->n_taken)) {
    free(p->taken[p->n_taken]);
    return -1;
  }
  p->n_taken++;
  return 1;
}

/* Labels part `number` of statement stmt (id stmt#number): its text when
 * short and not shown by another part, else stmt with the number as a
 * subscript. */
static gdv_status label_part(parser *p, const char *stmt, size_t number, const char *text,
                             gdv_id id) {
  static const char *const sub[] = {"\xE2\x82\x80", "\xE2\x82\x81", "\xE2\x82\x82",
                                    "\xE2\x82\x83", "\xE2\x82\x84", "\xE2\x82\x85",
                                    "\xE2\x82\x86", "\xE2\x82\x87", "\xE2\x82\x88",
                                    "\xE2\x82\x89"};
  int fresh = text ? take_label(p, text) : 0;
  if (fresh < 0) return oom(p);
  if (fresh) return gdv_graph_set_label(p->g, id, text, p->err);
  char digits[32], label[300 + 3 * sizeof digits];
  size_t len = (size_t)snprintf(label, sizeof label, "%s", stmt);
  snprintf(digits, sizeof digits, "%zu", number);
  for (const char *d = digits; *d && len + 4 < sizeof label; d++)
    len += (size_t)snprintf(label + len, sizeof label - len, "%s", sub[*d - '0']);
  return gdv_graph_set_label(p->g, id, label, p->err);
}

/* The texts of the statement's parts, in `order` (operands first); a
 * NULL text stays NULL (too long), as does every part built on it. */
static gdv_status part_texts(parser *p, const size_t *order, size_t count, char **texts) {
  uint8_t *levels = calloc(p->n_pend ? p->n_pend : 1, 1);
  gdv_status st = levels ? GDV_OK : oom(p);
  for (size_t j = 0; j < count && !st; j++)
    st = part_text(p, &p->pend[order[j]], texts, levels, &levels[order[j]], &texts[order[j]]);
  free(levels);
  return st;
}

/* Adds the statement's pending nodes to the graph, each after its
 * operands; the top one comes last and takes `stmt`. */
static gdv_status emit_statement(parser *p, const char *stmt, ref top) {
  size_t n_pend = p->n_pend ? p->n_pend : 1;
  gdv_id *ids = malloc(n_pend * sizeof *ids);
  size_t *order = malloc(n_pend * sizeof *order);
  char **texts = calloc(n_pend, sizeof *texts);
  size_t count = ids && order && texts ? pending_order(p, top.index, order) : (size_t)-1;
  gdv_status st = count == (size_t)-1 ? oom(p) : part_texts(p, order, count, texts);
  p->n_auto = 0;
  for (size_t j = 0; j < count && !st; j++) {
    size_t i = order[j];
    pending *n = &p->pend[i];
    int is_top = i == top.index;
    for (size_t k = 0; k < n->n_args && !st; k++)
      st = materialize(p, stmt, &n->args[k], ids);
    if (st) break;
    char name[300];
    if (is_top) snprintf(name, sizeof name, "%s", stmt);
    else snprintf(name, sizeof name, "%s#%zu", stmt, ++p->n_auto);
    if ((st = gdv_graph_add_node(p->g, name, n->op, p->line_no, &ids[i], p->err)))
      break;
    p->g->exponent[ids[i]] = n->exponent;
    if (!is_top) st = label_part(p, stmt, p->n_auto, texts[i], ids[i]);
    for (size_t k = 0; k < n->n_args && !st; k++)
      st = gdv_graph_add_edge(p->g, (gdv_id)n->args[k].index, ids[i], -1,
                              p->line_no, p->err);
  }
  for (size_t i = 0; texts && i < p->n_pend; i++) free(texts[i]);
  free(texts);
  free(ids);
  free(order);
  return st;
}

/* Forgets the statement's pending nodes and both stacks but keeps their
 * capacity for the next line; also the final cleanup. */
static void clear_statement(parser *p) {
  for (size_t i = 0; i < p->n_pend; i++) free(p->pend[i].args);
  p->n_pend = 0;
  p->n_vals = 0;
  p->n_ops = 0;
  p->used_pi = 0;
  p->alias_bytes = 0;
}

/* The length of a whole-number exponent at s (an optional '-', digits,
 * then no more of a number or name), 0 if there is none. */
static size_t whole_exponent(const char *s, size_t len) {
  size_t k = len > 0 && s[0] == '-';
  size_t digits = k;
  while (digits < len && isdigit((unsigned char)s[digits])) digits++;
  if (digits == k) return 0;
  if (digits < len && (isalnum((unsigned char)s[digits]) || s[digits] == '.' || s[digits] == '_'))
    return 0;
  return digits;
}

/* `^2` and `^-1` as superscripts, as a slide writes them; returns the
 * bytes written at out (room: 3 per character). */
static size_t superscript(const char *s, size_t len, char *out) {
  static const char *const digit[] = {"\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3",
                                      "\xE2\x81\xB4", "\xE2\x81\xB5", "\xE2\x81\xB6",
                                      "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    const char *t = s[i] == '-' ? "\xE2\x81\xBB" : digit[s[i] - '0'];
    memcpy(out + n, t, strlen(t));
    n += strlen(t);
  }
  return n;
}

/* A name of the statement at line[i..] as the figure shows it: the
 * constant pi as π (right of '=' in a statement that reads it), a call of
 * an alias (swish) as its op's name; any other name, or a number's run of
 * letters and digits (1e5), as written. Returns the bytes read. */
static size_t equation_word(const parser *p, size_t i, int right, char *out, size_t *n) {
  size_t j = i;
  int number = isdigit((unsigned char)p->line[i]) || p->line[i] == '.';
  while (j < p->len && (isalnum((unsigned char)p->line[j]) || p->line[j] == '_' ||
                        (number && p->line[j] == '.')))
    j++;
  const char *word = p->line + i, *put = NULL;
  size_t len = j - i, after = j;
  while (after < p->len && isspace((unsigned char)p->line[after])) after++;
  int call = after < p->len && p->line[after] == '(';
  char name[64];
  gdv_op op;
  if (right && p->used_pi && !call && len == 2 && memcmp(word, "pi", 2) == 0) {
    put = PI_TEXT;
  } else if (call && len < sizeof name) {
    memcpy(name, word, len);
    name[len] = '\0';
    if (gdv_op_lookup(name, &op)) put = gdv_op_get(op)->name;
  }
  if (put == NULL) {
    memcpy(out + *n, word, len);
    *n += len;
  } else {
    memcpy(out + *n, put, strlen(put));
    *n += strlen(put);
  }
  return len;
}

/* The statement as a figure shows it: blanks run together, '*' as '·',
 * '-' as the minus sign '−' (U+2212), a whole-number power as a
 * superscript (x², x⁻¹), pi as π and an alias as its op's name (see
 * equation_word). NULL when out of memory. */
static char *equation_text(const parser *p) {
  char *out = malloc(3 * p->len + p->alias_bytes + 1);
  if (out == NULL) return NULL;
  size_t n = 0, k;
  int blank = 0, right = 0;
  for (size_t i = 0; i < p->len; i++) {
    char c = p->line[i];
    if (isspace((unsigned char)c)) { blank = n > 0; continue; }
    if (blank) out[n++] = ' ';
    blank = 0;
    right |= c == '=';
    if (isalnum((unsigned char)c) || c == '_' || c == '.') {
      i += equation_word(p, i, right, out, &n) - 1;
    } else if (c == '^' && (k = whole_exponent(p->line + i + 1, p->len - i - 1)) > 0) {
      n += superscript(p->line + i + 1, k, out + n);
      i += k;
    } else if (c == '*') { memcpy(out + n, "\xC2\xB7", 2); n += 2; }
    else if (c == '-') { memcpy(out + n, "\xE2\x88\x92", 3); n += 3; }
    else out[n++] = c;
  }
  out[n] = '\0';
  return out;
}

/* The statement is a group: its node and the op nodes its expression made
 * (ids from first_new on; the literals' const leaves stay outside, like
 * every leaf), labelled with its equation. */
static gdv_status record_group(parser *p, const char *stmt, size_t first_new) {
  char *eq = equation_text(p);
  if (eq == NULL) return oom(p);
  gdv_id group;
  gdv_status st = gdv_graph_add_group(p->g, stmt, eq, &group, p->err);
  free(eq);
  for (size_t v = first_new; st == GDV_OK && v < p->g->n_nodes; v++)
    if (p->g->op[v] != GDV_OP_LEAF) st = gdv_graph_set_group(p->g, (gdv_id)v, group, p->err);
  return st;
}

/* emit_statement, then the statement's group over the nodes it added. */
static gdv_status emit_grouped(parser *p, const char *stmt, ref top) {
  size_t first_new = p->g->n_nodes;
  gdv_status st = emit_statement(p, stmt, top);
  return st ? st : record_group(p, stmt, first_new);
}

/* One non-empty line: `output NAME`, `[role] NAME = NUMBER`, or
 * `NAME = EXPRESSION`. */
static gdv_status parse_statement(parser *p, char *last_name, long *output_line,
                                  char *output_name) {
  gdv_status st;
  char buf[64], name[256];
  gdv_role role = GDV_ROLE_INPUT;
  int role_given = 0;
  if ((st = lex(p))) return st;
  if (p->t != T_NAME)
    return fail(p, "expected a name at the start of the statement, found %s",
                tok_text(p, buf, sizeof buf));
  size_t save = p->pos, first_at = p->t_at, first_len = p->t_len;
  if ((st = lex(p))) return st;
  int second_is_name = p->t == T_NAME;
  size_t second_at = p->t_at, second_len = p->t_len;
  p->pos = save;
  p->t_at = first_at;
  p->t_len = first_len;
  p->t = T_NAME;
  if (second_is_name && tok_is(p, "output")) {
    if (*output_line)
      return fail(p, "a second 'output' statement (the first is on line %ld)",
                  *output_line);
    lex(p);
    if (p->t_len >= 256) return fail(p, "a name longer than 255 characters");
    snprintf(output_name, 256, "%.*s", (int)p->t_len, p->line + p->t_at);
    if ((st = lex(p))) return st;
    if (p->t != T_END)
      return fail(p, "'output' takes one name, then the line ends; found %s",
                  tok_text(p, buf, sizeof buf));
    *output_line = p->line_no;
    return GDV_OK;
  }
  if (second_is_name) {
    char word[32];
    snprintf(word, sizeof word, "%.*s", (int)(first_len < 31 ? first_len : 31),
             p->line + first_at);
    if (!gdv_role_lookup(word, &role) || first_len > 31)
      return fail(p, "expected '=' after '%.*s'", (int)(first_len > 40 ? 40 : first_len),
                  p->line + first_at);
    role_given = 1;
    p->pos = second_at + second_len;
    p->t_at = second_at;
    p->t_len = second_len;
  }
  if (p->t_len >= sizeof name) return fail(p, "a name longer than 255 characters");
  snprintf(name, sizeof name, "%.*s", (int)p->t_len, p->line + p->t_at);
  if ((st = lex(p))) return st;
  if (p->t != T_EQUALS)
    return fail(p, "expected '=' after '%s', found %s", name,
                tok_text(p, buf, sizeof buf));
  gdv_id prev = gdv_graph_find(p->g, name);
  if (prev != GDV_NONE)
    return fail(p, "'%s' is assigned twice (first on line %ld)", name,
                p->g->line[prev]);
  clear_statement(p);
  if ((st = parse_expression(p))) return st;
  if (p->n_vals != 1) return fail(p, "expected an expression after '='");
  ref top = p->vals[0];
  gdv_id id;
  if (top.kind == REF_LITERAL) {
    if ((st = gdv_graph_add_node(p->g, name, GDV_OP_LEAF, p->line_no, &id, p->err)))
      return st;
    p->g->value[id] = top.value;
    p->g->role[id] = (uint8_t)role;
  } else if (role_given) {
    return fail(p, "'%s' is for leaves: write %s %s = NUMBER",
                gdv_role_name(role), gdv_role_name(role), name);
  } else if (top.kind == REF_GRAPH) {
    /* y = x: an identity node named y. */
    size_t node;
    if ((st = new_pending(p, GDV_OP_IDENTITY, &node)) ||
        (st = pending_arg(p, node, top)))
      return st;
    top = pending_ref(node, 0);
  }
  if (top.kind == REF_PENDING && (st = emit_grouped(p, name, top))) return st;
  snprintf(last_name, 256, "%s", name);
  return GDV_OK;
}

/* Line by line, `#` starts a comment; the output is the `output` statement's
 * node, else the last name assigned. A NUL byte means not a formula. */
gdv_status gdv_expr_parse(const char *file, const char *text, size_t size,
                          gdv_graph **out, gdv_error *err) {
  parser p;
  memset(&p, 0, sizeof p);
  p.file = file;
  p.err = err;
  gdv_status st = gdv_graph_new(&p.g, file, err);
  if (st) return st;
  char last_name[256] = "", output_name[256] = "";
  long output_line = 0;
  const char *end = text + size;
  if (memchr(text, '\0', size) != NULL) {
    st = gdv_error_set(err, GDV_ERR_INPUT, file, 0,
                       "the file contains a NUL byte: not a formula file");
    goto done;
  }
  if ((st = gdv_utf8_check(file, text, size, "formula files are UTF-8", err)))
    goto done;
  for (const char *line = text; line < end && !st;) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    const char *stop = nl ? nl : end;
    const char *hash = memchr(line, '#', (size_t)(stop - line));
    p.line_no++;
    p.line = line;
    p.len = (size_t)((hash ? hash : stop) - line);
    p.pos = 0;
    size_t k = 0;
    while (k < p.len && isspace((unsigned char)line[k])) k++;
    if (k < p.len) st = parse_statement(&p, last_name, &output_line, output_name);
    line = nl ? nl + 1 : end;
  }
  if (st) goto done;
  if (output_line) {
    gdv_id id = gdv_graph_find(p.g, output_name);
    if (id == GDV_NONE) {
      st = gdv_error_set(err, GDV_ERR_INPUT, file, output_line,
                         "output names '%s', which is never assigned",
                         output_name);
      goto done;
    }
    if ((st = gdv_graph_mark_output(p.g, id, err))) goto done;
  } else if (last_name[0]) {
    if ((st = gdv_graph_mark_output(p.g, gdv_graph_find(p.g, last_name), err)))
      goto done;
  }
  if ((st = gdv_graph_finalize(p.g, err))) goto done;
  *out = p.g;
  p.g = NULL;
done:
  clear_statement(&p);
  for (size_t i = 0; i < p.n_taken; i++) free(p.taken[i]);
  free(p.taken);
  gdv_index_free(&p.taken_index);
  free(p.pend);
  free(p.vals);
  free(p.ops);
  gdv_graph_free(p.g);
  return st;
}
