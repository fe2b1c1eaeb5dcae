/* test_inputs.c: the io layer's guards for untrusted input: sizes as
 * GRADVIZ_MAX_INPUT writes them, the size limit and NUL bytes in the
 * reader, strict UTF-8, Latin-1 DOT, and JSON strings that stay valid. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check_main.h"
#include "io/gdv_io.h"

START_TEST(sizes) {
  unsigned long long v = 0;
  ck_assert(gdv_parse_size("1G", 1024, &v) && v == 1ull << 30);
  ck_assert(gdv_parse_size("200M", 1024, &v) && v == 200ull << 20);
  ck_assert(gdv_parse_size("64k", 1024, &v) && v == 65536);
  ck_assert(gdv_parse_size("100M", 1000, &v) && v == 100000000ull);
  ck_assert(gdv_parse_size("12", 1024, &v) && v == 12);
  ck_assert(!gdv_parse_size("0", 1024, &v));
  ck_assert(!gdv_parse_size("", 1024, &v));
  ck_assert(!gdv_parse_size("-1", 1024, &v));
  ck_assert(!gdv_parse_size("1X", 1024, &v));
  ck_assert(!gdv_parse_size("1MB", 1024, &v));
  ck_assert(!gdv_parse_size("99999999999T", 1024, &v));
  char buf[32];
  gdv_size_text(1u << 30, buf, sizeof buf);
  ck_assert_str_eq(buf, "1 GiB");
  gdv_size_text(1000, buf, sizeof buf);
  ck_assert_str_eq(buf, "1000 bytes");
}
END_TEST

/* Writes `n` bytes of `data` to a fresh file; returns its path. */
static const char *file_of(const char *data, size_t n) {
  static char path[64];
  snprintf(path, sizeof path, "%s/gdv-inputs-%ld.txt",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, n, f), n);
  fclose(f);
  return path;
}

START_TEST(reader_limit_and_nul) {
  gdv_file_text t;
  gdv_error err;
  const char *path = file_of("a\nb\n\0c", 6);
  ck_assert_int_eq(gdv_file_read(path, 100, 0, &t, &err), GDV_ERR_INPUT);
  ck_assert_int_eq(err.line, 3);
  ck_assert_str_eq(err.message, "a NUL byte: this is not a text file");
  ck_assert_int_eq(gdv_file_read(path, 100, 1, &t, &err), GDV_OK);
  ck_assert_uint_eq(t.size, 6);
  ck_assert(memcmp(t.data, "a\nb\n\0c", 6) == 0);
  gdv_file_text_free(&t);
  ck_assert_int_eq(gdv_file_read(path, 6, 1, &t, &err), GDV_OK);
  gdv_file_text_free(&t);
  ck_assert_int_eq(gdv_file_read(path, 5, 1, &t, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "larger than 5 bytes, the input size limit "
                   "(GRADVIZ_MAX_INPUT sets it)");
  ck_assert_ptr_null(t.data);
  setenv("GRADVIZ_MAX_INPUT", "4", 1);
  ck_assert_int_eq(gdv_file_load(path, &t, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "larger than 4 bytes, the input size limit "
                   "(GRADVIZ_MAX_INPUT sets it)");
  setenv("GRADVIZ_MAX_INPUT", "4Q", 1);
  ck_assert_int_eq(gdv_file_load(path, &t, &err), GDV_ERR_INPUT);
  ck_assert_str_eq(err.file, "");
  unsetenv("GRADVIZ_MAX_INPUT");
  unlink(path);
}
END_TEST

/* check_utf8 on a C string: the failing line, 0 when valid. */
static long bad_line(const char *s) {
  gdv_error err;
  gdv_error_clear(&err);
  if (gdv_utf8_check("f", s, strlen(s), NULL, &err) == GDV_OK) return 0;
  return err.line;
}

START_TEST(utf8_strict) {
  ck_assert_int_eq(bad_line("caf\xc3\xa9 \xe2\x88\x82 \xf0\x9f\x98\x80\n"), 0);
  ck_assert_int_eq(bad_line("a\nb\ncaf\xe9\n"), 3);
  ck_assert_int_eq(bad_line("\xc0\xaf"), 1);              /* overlong '/' */
  ck_assert_int_eq(bad_line("\xe0\x80\xaf"), 1);          /* overlong */
  ck_assert_int_eq(bad_line("\xed\xa0\x80"), 1);          /* surrogate */
  ck_assert_int_eq(bad_line("\xf4\x90\x80\x80"), 1);      /* past U+10FFFF */
  ck_assert_int_eq(bad_line("\n\xe2\x82"), 2);            /* cut short */
  ck_assert_int_eq(bad_line("\x80"), 1);                  /* a lone continuation */
  gdv_error err;
  gdv_utf8_check("f", "\xff", 1, "hint", &err);
  ck_assert_str_eq(err.message, "byte 0xFF is not UTF-8: hint");
}
END_TEST

START_TEST(dot_latin1) {
  const char *text = "digraph {\n  charset=\"latin1\"\n  x [value=1, label=\"caf\xe9\"]\n}\n";
  gdv_graph *g = NULL;
  gdv_error err;
  char **attrs = NULL;
  ck_assert_int_eq(gdv_dot_parse("g.dot", text, strlen(text), &g, &attrs, &err), GDV_OK);
  ck_assert_str_eq(g->label[0], "caf\xc3\xa9");
  ck_assert_str_eq(attrs[0], "charset");
  ck_assert_str_eq(attrs[1], "UTF-8");
  for (char **a = attrs; *a; a++) free(*a);
  free(attrs);
  gdv_graph_free(g);
  /* a node's charset is no declaration */
  text = "digraph {\n  x [value=1, charset=latin1, label=\"caf\xe9\"]\n}\n";
  ck_assert_int_eq(gdv_dot_parse("g.dot", text, strlen(text), &g, NULL, &err),
                   GDV_ERR_INPUT);
  ck_assert_int_eq(err.line, 2);
  ck_assert_str_eq(err.message, "byte 0xE9 is not UTF-8: DOT files are UTF-8 "
                   "unless the graph says charset=latin1");
  /* the kept text is converted too, declaration and all */
  gdv_file_text t = {strdup("digraph { graph [charset=l1]; x [value=1, label=\"\xe9\"] }"), 0};
  t.size = strlen(t.data);
  ck_assert_int_eq(gdv_dot_to_utf8("g.dot", &t, &err), GDV_OK);
  ck_assert_str_eq(t.data, "digraph { graph [charset=\"UTF-8\"]; x [value=1, label=\"\xc3\xa9\"] }");
  ck_assert_uint_eq(t.size, strlen(t.data));
  gdv_file_text_free(&t);
}
END_TEST

START_TEST(json_strings_stay_valid) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  gdv_json_string(f, "a\x01\x7f\"\\\xe9\xc3\xa9\n");
  fclose(f);
  ck_assert_str_eq(buf, "\"a\\u0001\\u007f\\\"\\\\\\ufffd\xc3\xa9\\n\"");
  free(buf);
}
END_TEST

static Suite *inputs_suite(void) {
  Suite *s = suite_create("inputs");
  TCase *tc = tcase_create("inputs");
  tcase_add_test(tc, sizes);
  tcase_add_test(tc, reader_limit_and_nul);
  tcase_add_test(tc, utf8_strict);
  tcase_add_test(tc, dot_latin1);
  tcase_add_test(tc, json_strings_stay_valid);
  suite_add_tcase(s, tc);
  return s;
}

/* One suite, run as TAP (see check_main.h). */
int main(void) { return gdv_check_run_suite(inputs_suite()); }
