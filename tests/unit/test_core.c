/* test_core.c — the foundation helpers in src/core: arena, buf, UTF-8 checks,
 * config (file, environment, ranges), JSON getters, ISO time parsing and
 * formatting, and the error-code-to-status mapping of docs/architecture.md "Errors". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/workdays.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/json.h"
#include "core/log.h"

/* ---------- arena ---------- */

static void arena_many_allocations_aligned_zeroed_distinct(void **state) {
    (void)state;
    ow_arena *a = ow_arena_new(1024);
    enum { N = 5000 };
    unsigned char *ptrs[N];
    size_t total = 0;
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 97) + 1;
        ptrs[i] = ow_alloc(a, n);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(ptrs[i][k], 0);
        memset(ptrs[i], i & 0xff, n); /* scribble: must not clobber another allocation */
        total += (n + 15) & ~(size_t)15;
    }
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 97) + 1;
        for (size_t k = 0; k < n; k++)
            assert_int_equal(ptrs[i][k], i & 0xff);
    }
    assert_int_equal(ow_arena_used(a), total);
    /* one allocation larger than a block gets its own block */
    unsigned char *big = ow_alloc(a, 1 << 20);
    assert_int_equal((uintptr_t)big % 16, 0);
    big[(1 << 20) - 1] = 1;
    assert_int_equal(ow_arena_used(a), total + (1 << 20));
    ow_arena_free(a);
}

static void arena_reset_reuses_and_forgets(void **state) {
    (void)state;
    ow_arena *a = ow_arena_new(2048);
    for (int i = 0; i < 100; i++)
        ow_alloc(a, 300);
    assert_true(ow_arena_used(a) >= 100 * 300);
    ow_arena_reset(a);
    assert_int_equal(ow_arena_used(a), 0);
    /* after reset the memory is handed out again, zeroed */
    for (int round = 0; round < 3; round++) {
        char *p = ow_alloc(a, 64);
        for (int k = 0; k < 64; k++)
            assert_int_equal(p[k], 0);
        memset(p, 'x', 64);
        for (int i = 0; i < 50; i++)
            ow_alloc(a, 500); /* spill into new blocks */
        ow_arena_reset(a);
    }
    ow_arena_free(a); /* LeakSanitizer checks the spilled blocks were freed */
}

static void arena_strings(void **state) {
    (void)state;
    ow_arena *a = ow_arena_new(0);
    assert_string_equal(ow_strdup(a, "益阳"), "益阳");
    assert_null(ow_strdup(a, NULL));
    assert_string_equal(ow_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(ow_sprintf(a, "%s-%04d", "case", 17), "case-0017");
    char longer[3000];
    memset(longer, 'z', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    char *s = ow_sprintf(a, "<%s>", longer);
    assert_int_equal(strlen(s), sizeof longer + 1);
    assert_int_equal(s[0], '<');
    assert_int_equal(s[sizeof longer], '>');
    ow_arena_free(a);
}

/* ---------- buf ---------- */

static void buf_printf_grows_and_keeps_contents(void **state) {
    (void)state;
    ow_arena *a = ow_arena_new(1024);
    ow_buf b;
    ow_buf_init(&b, a, 8); /* hint below the minimum: 64 */
    assert_int_equal(b.cap, 64);
    assert_string_equal(b.data, "");
    char expect[20000];
    size_t el = 0;
    for (int i = 0; i < 1000; i++) {
        ow_buf_printf(&b, "%d,", i);
        el += (size_t)snprintf(expect + el, sizeof expect - el, "%d,", i);
    }
    assert_int_equal(b.len, el);
    assert_string_equal(b.data, expect);
    assert_true(b.cap > b.len);
    /* one printf far larger than the current capacity */
    char big[10000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    size_t before = b.len;
    ow_buf_printf(&b, "[%s]", big);
    assert_int_equal(b.len, before + sizeof big + 1);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.data[before], '[');
    assert_int_equal(b.data[b.len - 1], ']');
    assert_memory_equal(b.data, expect, el);
    /* empty printf changes nothing */
    ow_buf_printf(&b, "%s", "");
    assert_int_equal(b.len, before + sizeof big + 1);
    ow_buf_putc(&b, '!');
    ow_buf_puts(&b, "end");
    assert_string_equal(b.data + b.len - 4, "!end");
    ow_arena_free(a);
}

static void str_helpers(void **state) {
    (void)state;
    ow_str s = ow_str_c("/api/v1/cases");
    assert_int_equal(s.n, 13);
    assert_true(ow_str_eq(s, "/api/v1/cases"));
    assert_false(ow_str_eq(s, "/api/v1/case"));
    assert_true(ow_str_has_prefix(s, "/api/"));
    assert_false(ow_str_has_prefix(s, "/api/v1/cases/"));
    assert_int_equal(ow_str_c(NULL).n, 0);
}

/* ---------- UTF-8 ---------- */

static void utf8_len_counts_code_points(void **state) {
    (void)state;
    assert_int_equal(ow_utf8_len(""), 0);
    assert_int_equal(ow_utf8_len("abc"), 3);
    assert_int_equal(ow_utf8_len("益阳市赫山区"), 6);
    assert_int_equal(ow_utf8_len("A益1"), 3);
    assert_int_equal(ow_utf8_len("\xF0\x9F\x98\x80"), 1); /* U+1F600, four bytes */
}

static void utf8_valid_text_accepts_text(void **state) {
    (void)state;
    assert_true(ow_utf8_valid_text(""));
    assert_true(ow_utf8_valid_text("plain ASCII ~"));
    assert_true(ow_utf8_valid_text("益阳市赫山区政务服务中心"));
    assert_true(ow_utf8_valid_text("line\nbreak\r\ttab"));
    assert_true(ow_utf8_valid_text("\xC2\xA0"));         /* U+00A0, first after C1 */
    assert_true(ow_utf8_valid_text("\xED\x9F\xBF"));     /* U+D7FF, just below surrogates */
    assert_true(ow_utf8_valid_text("\xEE\x80\x80"));     /* U+E000, just above */
    assert_true(ow_utf8_valid_text("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
}

static void utf8_valid_text_rejects_bad_sequences(void **state) {
    (void)state;
    /* overlong encodings of '/' and of U+0000..U+FFFF */
    assert_false(ow_utf8_valid_text("\xC0\xAF"));
    assert_false(ow_utf8_valid_text("\xC1\xBF"));
    assert_false(ow_utf8_valid_text("\xE0\x80\xAF"));
    assert_false(ow_utf8_valid_text("\xE0\x9F\xBF"));
    assert_false(ow_utf8_valid_text("\xF0\x80\x80\xAF"));
    assert_false(ow_utf8_valid_text("\xF0\x8F\xBF\xBF"));
    /* UTF-16 surrogates */
    assert_false(ow_utf8_valid_text("\xED\xA0\x80"));
    assert_false(ow_utf8_valid_text("\xED\xBF\xBF"));
    /* beyond U+10FFFF, and lead bytes that never occur */
    assert_false(ow_utf8_valid_text("\xF4\x90\x80\x80"));
    assert_false(ow_utf8_valid_text("\xF5\x80\x80\x80"));
    assert_false(ow_utf8_valid_text("\xFF"));
    /* stray continuation byte, truncated sequences (also at the end of the string) */
    assert_false(ow_utf8_valid_text("a\x80"));
    assert_false(ow_utf8_valid_text("\xE7\x9B"));
    assert_false(ow_utf8_valid_text("\xE7\x9Bx"));
    assert_false(ow_utf8_valid_text("\xF0\x9F\x98"));
}

static void utf8_valid_text_rejects_control_characters(void **state) {
    (void)state;
    assert_false(ow_utf8_valid_text("a\x01"
                                    "b"));
    assert_false(ow_utf8_valid_text("\x1b[31m"));
    assert_false(ow_utf8_valid_text("del\x7f"));
    assert_false(ow_utf8_valid_text("\x0b")); /* vertical tab */
    /* C1 controls U+0080..U+009F (NEL U+0085, CSI U+009B) */
    assert_false(ow_utf8_valid_text("\xC2\x80"));
    assert_false(ow_utf8_valid_text("x\xC2\x85y"));
    assert_false(ow_utf8_valid_text("\xC2\x9B"));
    assert_false(ow_utf8_valid_text("\xC2\x9F"));
}

/* ---------- config ---------- */

static char *write_temp(const char *text) {
    static char path[64];
    snprintf(path, sizeof path, "/tmp/ow-test-conf.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

static void config_defaults_are_the_embedded_setup(void **state) {
    (void)state;
    ow_config c;
    ow_config_defaults(&c);
    assert_string_equal(c.data_dir, "var");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.region_name, "益阳市赫山区");
    assert_string_equal(c.region_code, "430903");
    assert_int_equal(c.max_body_bytes, 1024 * 1024);
    assert_false(c.cookie_secure);
    char host[64];
    int port = -1;
    ow_err e = {0};
    assert_int_equal(ow_config_listen_addr(&c, host, &port, &e), OW_OK);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
}

static void config_file_sets_keys_and_skips_comments(void **state) {
    (void)state;
    char *path = write_temp("# onewindow.conf\n"
                            "\n"
                            "  listen =  0.0.0.0:9090  \n"
                            "region_name=测试区\n"
                            "threads = 8\n"
                            "max_body_bytes = 2048\n"
                            "cookie_secure = yes\n"
                            "   # indented comment\n"
                            "clock_offset_ms = -86400000\n");
    ow_config c;
    ow_config_defaults(&c);
    ow_err e = {0};
    assert_int_equal(ow_config_load_file(&c, path, true, &e), OW_OK);
    assert_string_equal(c.listen, "0.0.0.0:9090");
    assert_string_equal(c.region_name, "测试区");
    assert_int_equal(c.threads, 8);
    assert_int_equal(c.max_body_bytes, 2048);
    assert_true(c.cookie_secure);
    assert_int_equal(c.clock_offset_ms, -86400000LL);
    assert_string_equal(c.source, path);
    assert_string_equal(c.data_dir, "var"); /* untouched keys keep their defaults */
    unlink(path);
}

static void config_unknown_key_names_the_line(void **state) {
    (void)state;
    char *path = write_temp("listen = 127.0.0.1:1\n# ok\nlisten_port = 80\nthreads = 2\n");
    ow_config c;
    ow_config_defaults(&c);
    ow_err e = {0};
    assert_int_equal(ow_config_load_file(&c, path, true, &e), OW_EINVAL);
    assert_string_equal(e.field, "listen_port");
    assert_non_null(strstr(e.message, "第 3 行"));
    assert_non_null(strstr(e.message, "listen_port"));
    assert_int_equal(c.threads, 0); /* stopped at the bad line */
    unlink(path);

    path = write_temp("threads = 2\nno equals sign here\n");
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_config_load_file(&c, path, true, &e), OW_EINVAL);
    assert_non_null(strstr(e.message, "第 2 行"));
    unlink(path);

    path = write_temp("\n\nthreads = 1000\n");
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_config_load_file(&c, path, true, &e), OW_EINVAL);
    assert_string_equal(e.field, "threads");
    assert_non_null(strstr(e.message, "第 3 行"));
    assert_non_null(strstr(e.message, "0 到 256"));
    unlink(path);
}

static void config_missing_file_only_fails_when_required(void **state) {
    (void)state;
    ow_config c;
    ow_config_defaults(&c);
    ow_err e = {0};
    assert_int_equal(ow_config_load_file(&c, "/nonexistent/onewindow.conf", false, &e), OW_OK);
    assert_int_equal(ow_config_load_file(&c, "/nonexistent/onewindow.conf", true, &e), OW_EIO);
    assert_string_equal(e.field, "config");
}

static void config_env_overrides_file(void **state) {
    (void)state;
    char *path = write_temp("listen = 127.0.0.1:1111\nthreads = 3\n");
    ow_config c;
    ow_config_defaults(&c);
    ow_err e = {0};
    assert_int_equal(ow_config_load_file(&c, path, true, &e), OW_OK);
    setenv("OW_LISTEN", "127.0.0.1:2222", 1);
    setenv("OW_COOKIE_SECURE", "true", 1);
    assert_int_equal(ow_config_load_env(&c, &e), OW_OK);
    assert_string_equal(c.listen, "127.0.0.1:2222");
    assert_true(c.cookie_secure);
    assert_int_equal(c.threads, 3); /* not in the environment: the file's value stays */

    setenv("OW_THREADS", "many", 1);
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_config_load_env(&c, &e), OW_EINVAL);
    assert_string_equal(e.field, "threads");
    unsetenv("OW_THREADS");
    unsetenv("OW_LISTEN");
    unsetenv("OW_COOKIE_SECURE");
    unlink(path);
}

static void config_values_are_checked(void **state) {
    (void)state;
    ow_config c;
    ow_config_defaults(&c);
    ow_err e = {0};
    /* booleans */
    assert_int_equal(ow_config_set(&c, "cookie_secure", "1", &e), OW_OK);
    assert_true(c.cookie_secure);
    assert_int_equal(ow_config_set(&c, "cookie_secure", "no", &e), OW_OK);
    assert_false(c.cookie_secure);
    assert_int_equal(ow_config_set(&c, "cookie_secure", "TRUE!", &e), OW_EINVAL);
    assert_int_equal(ow_config_set(&c, "cookie_secure", "", &e), OW_EINVAL);
    /* integer ranges, both ends inclusive */
    assert_int_equal(ow_config_set(&c, "threads", "256", &e), OW_OK);
    assert_int_equal(c.threads, 256);
    assert_int_equal(ow_config_set(&c, "threads", "257", &e), OW_EINVAL);
    assert_int_equal(ow_config_set(&c, "threads", "-1", &e), OW_EINVAL);
    assert_int_equal(ow_config_set(&c, "threads", "", &e), OW_EINVAL);
    assert_int_equal(ow_config_set(&c, "threads", "4x", &e), OW_EINVAL);
    assert_int_equal(c.threads, 256); /* a refused value changes nothing */
    assert_int_equal(ow_config_set(&c, "max_body_bytes", "1023", &e), OW_EINVAL);
    assert_int_equal(ow_config_set(&c, "max_body_bytes", "67108864", &e), OW_OK);
    assert_int_equal(c.max_body_bytes, 64LL * 1024 * 1024);
    assert_int_equal(ow_config_set(&c, "max_body_bytes", "99999999999999999999", &e), OW_EINVAL);
    assert_int_equal(ow_config_set(&c, "idle_timeout_s", "0", &e), OW_EINVAL);
    /* strings: too long for the field */
    char longv[600];
    memset(longv, 'd', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    assert_int_equal(ow_config_set(&c, "region_code", longv, &e), OW_EINVAL);
    assert_string_equal(c.region_code, "430903");
    assert_int_equal(ow_config_set(&c, "no_such_key", "1", &e), OW_EINVAL);
    assert_string_equal(e.field, "no_such_key");
}

static void config_listen_addr_is_parsed(void **state) {
    (void)state;
    ow_config c;
    ow_config_defaults(&c);
    ow_err e = {0};
    char host[64];
    int port;
    snprintf(c.listen, sizeof c.listen, "0.0.0.0:0");
    assert_int_equal(ow_config_listen_addr(&c, host, &port, &e), OW_OK);
    assert_string_equal(host, "0.0.0.0");
    assert_int_equal(port, 0);
    const char *bad[] = {
        "8080", ":8080", "127.0.0.1:", "127.0.0.1:80x", "127.0.0.1:65536", "127.0.0.1:-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(c.listen, sizeof c.listen, "%s", bad[i]);
        memset(&e, 0, sizeof e);
        assert_int_equal(ow_config_listen_addr(&c, host, &port, &e), OW_EINVAL);
        assert_string_equal(e.field, "listen");
    }
}

/* ---------- JSON ---------- */

static void json_parse_object_errors(void **state) {
    (void)state;
    ow_err e = {0};
    json_t *v = ow_json_parse_object("{\"a\":1}", 7, &e);
    assert_non_null(v);
    json_decref(v);
    assert_null(ow_json_parse_object("", 0, &e));
    assert_string_equal(e.kind, "invalid_json");
    memset(&e, 0, sizeof e);
    assert_null(ow_json_parse_object("{\"a\":", 5, &e));
    assert_string_equal(e.kind, "invalid_json");
    assert_int_equal(e.code, OW_EINVAL);
    memset(&e, 0, sizeof e);
    assert_null(ow_json_parse_object("[1,2]", 5, &e));
    assert_string_equal(e.kind, "invalid_json");
    memset(&e, 0, sizeof e);
    assert_null(ow_json_parse_object("{\"a\":1,\"a\":2}", 13, &e)); /* duplicate keys */
    assert_string_equal(e.kind, "invalid_json");
    /* n bounds the parse: trailing bytes beyond n are not read */
    v = ow_json_parse_object("{}garbage", 2, &e);
    assert_non_null(v);
    json_decref(v);
}

static void json_str_getter(void **state) {
    (void)state;
    json_t *o = json_pack("{s:s,s:i,s:n,s:s,s:s,s:s}", "name", "益阳市赫山区", "num", 5, "nul",
                          "empty", "", "ctl", "a\x01z", "ok", "line\nbreak");
    json_object_set_new(o, "embedded_nul", json_stringn("a\0b", 3));
    ow_err e = {0};
    const char *s = (const char *)1;

    assert_int_equal(ow_json_str(o, "name", true, 6, &s, &e), OW_OK);
    assert_string_equal(s, "益阳市赫山区");
    assert_int_equal(ow_json_str(o, "ok", true, 0, &s, &e), OW_OK); /* 0 = no limit */

    /* too long, counted in characters not bytes */
    assert_int_equal(ow_json_str(o, "name", true, 5, &s, &e), OW_EINVAL);
    assert_null(s);
    assert_string_equal(e.field, "name");
    assert_non_null(strstr(e.message, "5"));

    /* missing: an error only when required */
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_json_str(o, "absent", true, 10, &s, &e), OW_EINVAL);
    assert_string_equal(e.kind, "missing_field");
    assert_string_equal(e.field, "absent");
    s = (const char *)1;
    assert_int_equal(ow_json_str(o, "absent", false, 10, &s, &e), OW_OK);
    assert_null(s);
    assert_int_equal(ow_json_str(o, "nul", false, 10, &s, &e), OW_OK);
    assert_null(s);

    /* empty: fine when optional, missing when required */
    assert_int_equal(ow_json_str(o, "empty", false, 10, &s, &e), OW_OK);
    assert_string_equal(s, "");
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_json_str(o, "empty", true, 10, &s, &e), OW_EINVAL);
    assert_string_equal(e.kind, "missing_field");

    /* wrong type */
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_json_str(o, "num", true, 10, &s, &e), OW_EINVAL);
    assert_string_equal(e.kind, "invalid_field");
    assert_string_equal(e.field, "num");

    /* control characters and an embedded NUL */
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_json_str(o, "ctl", true, 10, &s, &e), OW_EINVAL);
    assert_string_equal(e.field, "ctl");
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_json_str(o, "embedded_nul", true, 10, &s, &e), OW_EINVAL);
    assert_string_equal(e.field, "embedded_nul");
    json_decref(o);
}

static void json_int_and_bool_getters(void **state) {
    (void)state;
    json_t *o = json_pack("{s:i,s:f,s:s,s:b,s:i}", "n", 42, "real", 1.5, "text", "42", "flag", 1,
                          "neg", -3);
    ow_err e = {0};
    int64_t v = 7;
    assert_int_equal(ow_json_int(o, "n", true, 1, 100, &v, &e), OW_OK);
    assert_int_equal(v, 42);
    assert_int_equal(ow_json_int(o, "n", true, 43, 100, &v, &e), OW_EINVAL);
    assert_string_equal(e.field, "n");
    assert_int_equal(ow_json_int(o, "neg", true, 0, 100, &v, &e), OW_EINVAL);
    assert_int_equal(ow_json_int(o, "real", true, 0, 100, &v, &e), OW_EINVAL);
    assert_int_equal(ow_json_int(o, "text", true, 0, 100, &v, &e), OW_EINVAL);
    v = 7;
    assert_int_equal(ow_json_int(o, "absent", false, 0, 100, &v, &e), OW_OK);
    assert_int_equal(v, 7); /* optional and missing: untouched */
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_json_int(o, "absent", true, 0, 100, &v, &e), OW_EINVAL);
    assert_string_equal(e.kind, "missing_field");

    bool b = false;
    assert_int_equal(ow_json_bool(o, "flag", true, &b, &e), OW_OK);
    assert_true(b);
    assert_int_equal(ow_json_bool(o, "n", true, &b, &e), OW_EINVAL);
    assert_string_equal(e.field, "n");
    assert_int_equal(ow_json_bool(o, "absent", false, &b, &e), OW_OK);
    assert_int_equal(ow_json_bool(o, "absent", true, &b, &e), OW_EINVAL);
    json_decref(o);
}

static void json_error_body_shape(void **state) {
    (void)state;
    ow_err e = {0};
    ow_err_set(&e, OW_EINVAL, "id_number", "身份证号码校验码不正确");
    json_t *body = ow_json_error(&e);
    char *text = ow_json_dump(body);
    assert_string_equal(text, "{\"error\":{\"code\":\"invalid_field\",\"field\":\"id_number\","
                              "\"message\":\"身份证号码校验码不正确\"}}");
    free(text);
    json_decref(body);

    ow_err_setk(&e, OW_ECONFLICT, "transition_not_allowed", "", "当前状态不能受理");
    body = ow_json_error(&e);
    json_t *err = json_object_get(body, "error");
    assert_string_equal(json_string_value(json_object_get(err, "code")), "transition_not_allowed");
    assert_null(json_object_get(err, "field")); /* no field: no key */
    json_decref(body);

    /* money as a real prints without binary noise */
    json_t *m = json_pack("{s:f}", "v", 351.82);
    text = ow_json_dump(m);
    assert_string_equal(text, "{\"v\":351.82}");
    free(text);
    json_decref(m);
}

/* ---------- time ---------- */

static void time_parse_known_instants(void **state) {
    (void)state;
    int64_t ms = 0;
    assert_int_equal(ow_time_parse_iso("2026-11-24T09:30:00+08:00", &ms), OW_OK);
    assert_int_equal(ms, 1795483800000LL);
    assert_int_equal(ow_time_parse_iso("2026-11-24T01:30:00Z", &ms), OW_OK);
    assert_int_equal(ms, 1795483800000LL);
    assert_int_equal(ow_time_parse_iso("2026-11-23T20:00:00-05:30", &ms), OW_OK);
    assert_int_equal(ms, 1795483800000LL);
    assert_int_equal(ow_time_parse_iso("2024-02-29T23:59:59.5Z", &ms), OW_OK);
    assert_int_equal(ms, 1709251199500LL);
    assert_int_equal(ow_time_parse_iso("2024-02-29T23:59:59.123456Z", &ms), OW_OK);
    assert_int_equal(ms, 1709251199123LL);
    assert_int_equal(ow_time_parse_iso("2000-01-01T00:00:00+08:00", &ms), OW_OK);
    assert_int_equal(ms, 946656000000LL);
    assert_int_equal(ow_time_parse_iso("1970-01-01T00:00:00Z", &ms), OW_OK);
    assert_int_equal(ms, 0);
}

static void time_parse_rejects_malformed(void **state) {
    (void)state;
    const char *bad[] = {
        "",
        "2026-11-24",
        "2026-11-24T09:30:00",       /* no offset */
        "2026-11-24 09:30:00+08:00", /* space instead of T */
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-11-31T00:00:00Z", /* November has 30 days */
        "2026-02-29T00:00:00Z", /* not a leap year */
        "2100-02-29T00:00:00Z", /* nor is 2100 */
        "2026-11-24T24:00:00Z",
        "2026-11-24T09:60:00Z",
        "2026-11-24T-1:30:00Z", /* sign inside a field */
        "2026-11-24T 9:30:00Z", /* space inside a field */
        "2026-11-24T09:30:00.Z",
        "2026-11-24T09:30:00+0800",
        "2026-11-24T09:30:00+08:00x",
        "2026-11-24T09:30:00+-1:00",
        "2026-11-24T09:30:00+24:00",
        "2026-11-24T09:30:00ZZ",
        "26-11-24T09:30:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 12345;
        if (ow_time_parse_iso(bad[i], &ms) != OW_EINVAL) fail_msg("accepted \"%s\"", bad[i]);
    }
}

static void time_format_round_trips(void **state) {
    (void)state;
    char out[32];
    ow_time_format_iso(0, out);
    assert_string_equal(out, "1970-01-01T08:00:00+08:00");
    ow_time_format_iso(1795483800000LL, out);
    assert_string_equal(out, "2026-11-24T09:30:00+08:00");
    /* late evening UTC is the next Shanghai day */
    int64_t ms;
    assert_int_equal(ow_time_parse_iso("2026-12-31T16:00:00Z", &ms), OW_OK);
    ow_time_format_iso(ms, out);
    assert_string_equal(out, "2027-01-01T00:00:00+08:00");
    /* every hour across a leap day and a year end survives format → parse */
    assert_int_equal(ow_time_parse_iso("2027-12-30T00:00:00+08:00", &ms), OW_OK);
    for (int i = 0; i < 24 * 800; i += 7) {
        int64_t t = ms + (int64_t)i * 3600 * 1000;
        int64_t back = -1;
        ow_time_format_iso(t, out);
        assert_int_equal(ow_time_parse_iso(out, &back), OW_OK);
        assert_int_equal(back, t);
    }
}

static void clock_fixed_and_offset(void **state) {
    (void)state;
    ow_clock fixed = {.fixed_ms = 1795483800000LL};
    assert_int_equal(ow_clock_now_ms(&fixed), 1795483800000LL);
    ow_clock off = {.offset_ms = 86400000LL};
    int64_t sys = ow_clock_now_ms(NULL);
    int64_t shifted = ow_clock_now_ms(&off);
    assert_true(shifted - sys >= 86400000LL && shifted - sys < 86400000LL + 5000);
    int64_t a = ow_clock_mono_us(), b = ow_clock_mono_us();
    assert_true(b >= a);
}

/* ---------- errors ---------- */

static void err_codes_map_to_statuses(void **state) {
    (void)state;
    static const struct {
        int code, status;
        const char *kind;
    } cases[] = {
        {OW_OK, 200, "ok"},
        {OW_EINVAL, 400, "invalid_field"},
        {OW_EUNAUTH, 401, "unauthenticated"},
        {OW_EFORBIDDEN, 403, "forbidden"},
        {OW_ENOTFOUND, 404, "not_found"},
        {OW_ECONFLICT, 409, "conflict"},
        {OW_ELIMIT, 429, "limit_exceeded"},
        {OW_EBUSY, 503, "busy"},
        {OW_EDB, 500, "internal_error"},
        {OW_ENOMEM, 500, "internal_error"},
        {OW_EIO, 500, "internal_error"},
        {OW_EINTERNAL, 500, "internal_error"},
        {-99, 500, "internal_error"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(ow_err_status(NULL, cases[i].code), cases[i].status);
        assert_string_equal(ow_err_default_kind(cases[i].code), cases[i].kind);
        ow_err e = {0};
        assert_int_equal(ow_err_set(&e, cases[i].code, "f", "m%d", 1), cases[i].code);
        assert_int_equal(ow_err_status(&e, cases[i].code), cases[i].status);
        assert_string_equal(e.kind, cases[i].kind);
    }
    /* an explicit status wins: 413 for a body too large, 422 for a rule */
    ow_err e = {0};
    ow_err_set(&e, OW_ELIMIT, "", "过大");
    e.http_status = 413;
    assert_int_equal(ow_err_status(&e, OW_ELIMIT), 413);
    /* setting again clears the override and the retry hint */
    e.retry_after_s = 5;
    ow_err_set(&e, OW_ELIMIT, "", "过多");
    assert_int_equal(ow_err_status(&e, OW_ELIMIT), 429);
    assert_int_equal(e.retry_after_s, 0);
    /* NULL is allowed and still returns the code */
    assert_int_equal(ow_err_set(NULL, OW_ENOTFOUND, "x", "y"), OW_ENOTFOUND);
    ow_err_clear(&e);
    assert_int_equal(e.code, OW_OK);
    assert_string_equal(e.message, "");
}

static void err_message_is_truncated_not_overflowed(void **state) {
    (void)state;
    ow_err e;
    char huge[1000];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    ow_err_setk(&e, OW_EINVAL, huge, huge, "%s", huge);
    assert_int_equal(strlen(e.message), sizeof e.message - 1);
    assert_int_equal(strlen(e.field), sizeof e.field - 1);
    assert_int_equal(strlen(e.kind), sizeof e.kind - 1);
}

/* ow_json_dump walks the tree itself (core/json.c says why); its text must be what
 * json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(10)) prints. */
static void json_dump_matches_json_dumps(void **state) {
    (void)state;
    static const char *docs[] = {
        "{}",
        "[]",
        "[[],{},[{}],{\"a\":[]}]",
        "{\"id\":42,\"case_no\":\"430903-20261124-00001\",\"item\":{\"id\":7,\"name\":"
        "\"内地居民结婚登记\"},"
        "\"deadline\":{\"due\":null,\"late\":false,\"days_left\":-3},\"ok\":true,"
        "\"timeline\":[{\"seq\":1,\"comment\":\"第一行\\n第二行\\t\\\"引号\\\"\\\\\"}]}",
        "{\"键 "
        "\\\"名\\\"\":\"值\",\"\\u0001ctl\":\"\\b\\f\\r\\u001f\\u007f/"
        "\",\"emoji\":\"\xF0\x9F\x98\x80\"}",
        "[0,-1,9223372036854775807,-9223372036854775808,0.5,1.0,-3.25,1e20,1.5e-7,"
        "123456789.123,0.1,100.0,1e300,-0.0,2.5e-300]",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        json_error_t je;
        json_t *v = json_loads(docs[i], 0, &je);
        assert_non_null(v);
        char *want = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
        char *got = ow_json_dump(v);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(want);
        free(got);
        json_decref(v);
    }
    /* values built in code: reals jansson reads back as integers get their ".0", a
     * string holding NUL is escaped, key order is insertion order */
    json_t *o = json_object();
    json_object_set_new(o, "z", json_real(1.0 / 3));
    json_object_set_new(o, "a", json_real(2.0));
    json_object_set_new(o, "m", json_stringn("a\0b", 3));
    json_object_set_new(o, "n", json_pack("{s:[i,s,b,n]}", "x", 1, "y", 1));
    char *want = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    char *got = ow_json_dump(o);
    assert_string_equal(got, want);
    assert_string_equal(got, "{\"z\":0.3333333333,\"a\":2.0,\"m\":\"a\\u0000b\","
                             "\"n\":{\"x\":[1,\"y\",true,null]}}");
    free(want);
    free(got);
    /* as json_dumps: only an object or an array */
    json_t *scalar = json_integer(3);
    assert_null(ow_json_dump(scalar));
    assert_null(json_dumps(scalar, JSON_COMPACT));
    assert_null(ow_json_dump(NULL));
    json_decref(scalar);
    /* a cycle ends in NULL, not a crash */
    json_t *outer = json_array(), *inner = json_array();
    assert_int_equal(json_array_append(outer, inner), 0);
    assert_int_equal(json_array_append(inner, outer), 0);
    assert_null(ow_json_dump(outer));
    json_array_clear(inner);
    json_decref(inner);
    json_decref(outer);
    json_decref(o);
}

/* The JSON text writer must print what jansson prints for the same value. */
static void json_text_writer_matches_jansson(void **state) {
    (void)state;
    ow_arena *a = ow_arena_new(0);
    static const char *strs[] = {"",
                                 "plain",
                                 "中文·名称",
                                 "q\"b\\s/",
                                 "\b\f\n\r\t",
                                 "\x01\x02\x1f\x7f",
                                 "emoji \xF0\x9F\x98\x80 end",
                                 "mixed 王\"五\n"};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        ow_buf b;
        ow_buf_init(&b, a, 0);
        ow_json_put_str(&b, strs[i]);
        json_t *j = json_string(strs[i]);
        char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        assert_string_equal(b.data, want);
        free(want);
        json_decref(j);
    }
    static const int64_t ints[] = {0, 7, -1, 1234567890123LL, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        ow_buf b;
        ow_buf_init(&b, a, 0);
        ow_json_put_int(&b, ints[i]);
        json_t *j = json_integer(ints[i]);
        char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
        assert_string_equal(b.data, want);
        free(want);
        json_decref(j);
    }
    /* bytes that are not UTF-8 (jansson refuses them) still give valid JSON */
    static const char *bad[][2] = {{"a\xff"
                                    "b",
                                    "\"a\\uFFFDb\""},
                                   {"\xc3", "\"\\uFFFD\""},
                                   {"\xe4\xb8", "\"\\uFFFD\\uFFFD\""},
                                   {"\xc0\xaf", "\"\\uFFFD\\uFFFD\""},
                                   {"\xed\xa0\x80", "\"\\uFFFD\\uFFFD\\uFFFD\""}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ow_buf b;
        ow_buf_init(&b, a, 0);
        ow_json_put_str(&b, bad[i][0]);
        assert_string_equal(b.data, bad[i][1]);
    }
    ow_buf b;
    ow_buf_init(&b, a, 0);
    ow_json_put_date(&b, OW_DATE_NONE);
    ow_buf_putc(&b, ',');
    int32_t d;
    assert_int_equal(ow_date_parse("2026-03-09", &d), OW_OK);
    ow_json_put_date(&b, d);
    assert_string_equal(b.data, "null,\"2026-03-09\"");
    ow_arena_free(a);
}

/* Dates and timestamps are printed by hand; check them against snprintf over years. */
/* ---------- CSV cells (hardening #24: formula injection) ---------- */

typedef struct csv_out {
    char s[256];
    size_t n;
} csv_out;

static void csv_put(void *sink, const char *s, size_t n) {
    csv_out *o = sink;
    assert_true(o->n + n < sizeof o->s);
    memcpy(o->s + o->n, s, n);
    o->n += n;
    o->s[o->n] = '\0';
}

static const char *csv1(csv_out *o, const char *s, bool text) {
    o->n = 0;
    o->s[0] = '\0';
    ow_csv_cell(csv_put, o, s, text);
    return o->s;
}

static void csv_cells_quote_and_guard_formulas(void **state) {
    (void)state;
    csv_out o;
    assert_string_equal(csv1(&o, "赫山区民政局", true), "赫山区民政局");
    assert_string_equal(csv1(&o, "a,b", true), "\"a,b\"");
    assert_string_equal(csv1(&o, "say \"hi\"", true), "\"say \"\"hi\"\"\"");
    assert_string_equal(csv1(&o, "", true), "");
    /* every character that starts a formula, as the organisation renamed in the probe */
    assert_string_equal(csv1(&o, "=HYPERLINK(\"http://evil.example\",\"x\")", true),
                        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
    assert_string_equal(csv1(&o, "+1+2", true), "'+1+2");
    assert_string_equal(csv1(&o, "-2+3", true), "'-2+3");
    assert_string_equal(csv1(&o, "@SUM(A1)", true), "'@SUM(A1)");
    assert_string_equal(csv1(&o, "\t=1", true), "'\t=1");
    assert_string_equal(csv1(&o, "\r=1", true), "\"'\r=1\"");
    assert_string_equal(csv1(&o, "a=b", true), "a=b"); /* only at the start */
    /* numbers stay numbers */
    assert_string_equal(csv1(&o, "-5", false), "-5");
    assert_string_equal(csv1(&o, "-0.5", false), "-0.5");
    assert_string_equal(csv1(&o, "42", false), "42");
    /* what an importer reads back is what was written */
    const char *texts[] = {"=1+1", "-x", "'-x", "''=y", "'plain", "plain", "@a", "\tb"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char guarded[64];
        snprintf(guarded, sizeof guarded, "%s%s", ow_csv_formula_like(texts[i]) ? "'" : "",
                 texts[i]);
        assert_string_equal(ow_csv_unguard(guarded), texts[i]);
    }
    assert_string_equal(ow_csv_unguard("'plain"), "'plain");
}

/* hardening #24: a path with invalid UTF-8 was logged raw, so the line was not JSON. */
static void log_escape_keeps_lines_json(void **state) {
    (void)state;
    char out[128];
    ow_log_json_escape(out, sizeof out, "/api/v1/items?q=\"x\"\\");
    assert_string_equal(out, "/api/v1/items?q=\\\"x\\\"\\\\");
    ow_log_json_escape(out, sizeof out, "a\nb\x7f");
    assert_string_equal(out, "a\\u000ab\\u007f");
    ow_log_json_escape(out, sizeof out, "/事项");
    assert_string_equal(out, "/事项");
    /* a lone byte, a cut sequence, an overlong '/', a surrogate, beyond U+10FFFF */
    ow_log_json_escape(out, sizeof out, "/\xff/\xe4\xb8/\xc0\xaf/\xed\xa0\x80/\xf4\x90\x80\x80");
    assert_string_equal(out, "/\\ufffd/\\ufffd\\ufffd/\\ufffd\\ufffd/\\ufffd\\ufffd\\ufffd/"
                             "\\ufffd\\ufffd\\ufffd\\ufffd");
    json_error_t e;
    char line[160];
    snprintf(line, sizeof line, "{\"path\":\"%s\"}", out);
    json_t *j = json_loads(line, 0, &e);
    assert_non_null(j);
    json_decref(j);
    /* full: cut between characters, never inside one */
    char small[12];
    ow_log_json_escape(small, sizeof small, "事项事项事项");
    assert_string_equal(small, "事项");
}

static void date_and_time_formats_match_snprintf(void **state) {
    (void)state;
    int32_t from, to;
    assert_int_equal(ow_date_parse("0001-01-01", &from), OW_OK);
    assert_int_equal(ow_date_parse("9999-12-31", &to), OW_OK);
    for (int32_t d = from; d <= to; d += (d > 18000 && d < 22000) ? 1 : 97) {
        int y, m, dd;
        ow_date_ymd(d, &y, &m, &dd);
        char want[32], got[11];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
        ow_date_format(d, got);
        assert_string_equal(got, want);
    }
    /* from 1970 to 2100, every 7 hours 13 minutes 17 seconds */
    for (int64_t ms = 0; ms < 4102444800000LL; ms += 25997000LL) {
        time_t s = (time_t)(ms / 1000) + 8 * 3600;
        struct tm tm;
        gmtime_r(&s, &tm);
        char want[80], got[32];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        ow_time_format_iso(ms, got);
        assert_string_equal(got, want);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_many_allocations_aligned_zeroed_distinct),
        cmocka_unit_test(arena_reset_reuses_and_forgets),
        cmocka_unit_test(arena_strings),
        cmocka_unit_test(buf_printf_grows_and_keeps_contents),
        cmocka_unit_test(str_helpers),
        cmocka_unit_test(csv_cells_quote_and_guard_formulas),
        cmocka_unit_test(log_escape_keeps_lines_json),
        cmocka_unit_test(utf8_len_counts_code_points),
        cmocka_unit_test(utf8_valid_text_accepts_text),
        cmocka_unit_test(utf8_valid_text_rejects_bad_sequences),
        cmocka_unit_test(utf8_valid_text_rejects_control_characters),
        cmocka_unit_test(config_defaults_are_the_embedded_setup),
        cmocka_unit_test(config_file_sets_keys_and_skips_comments),
        cmocka_unit_test(config_unknown_key_names_the_line),
        cmocka_unit_test(config_missing_file_only_fails_when_required),
        cmocka_unit_test(config_env_overrides_file),
        cmocka_unit_test(config_values_are_checked),
        cmocka_unit_test(config_listen_addr_is_parsed),
        cmocka_unit_test(json_parse_object_errors),
        cmocka_unit_test(json_str_getter),
        cmocka_unit_test(json_int_and_bool_getters),
        cmocka_unit_test(json_error_body_shape),
        cmocka_unit_test(time_parse_known_instants),
        cmocka_unit_test(time_parse_rejects_malformed),
        cmocka_unit_test(time_format_round_trips),
        cmocka_unit_test(clock_fixed_and_offset),
        cmocka_unit_test(json_text_writer_matches_jansson),
        cmocka_unit_test(json_dump_matches_json_dumps),
        cmocka_unit_test(date_and_time_formats_match_snprintf),
        cmocka_unit_test(err_codes_map_to_statuses),
        cmocka_unit_test(err_message_is_truncated_not_overflowed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
