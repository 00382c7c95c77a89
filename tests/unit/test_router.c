/* test_router.c — the route table (src/http/router.c): segment matching, path
 * parameters, table order deciding literal-vs-parameter, the 404/405 split with
 * the Allow list, HEAD served by GET routes, and the compile-time refusals
 * (duplicates, malformed patterns). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"

/* Handlers are never called by the router; distinct functions let us tell
 * which route matched by comparing pointers as well as patterns. */
static int h_list(ow_req *rq) {
    (void)rq;
    return 0;
}
static int h_queue(ow_req *rq) {
    (void)rq;
    return 0;
}
static int h_get(ow_req *rq) {
    (void)rq;
    return 0;
}
static int h_post(ow_req *rq) {
    (void)rq;
    return 0;
}
static int h_put(ow_req *rq) {
    (void)rq;
    return 0;
}
static int h_trans(ow_req *rq) {
    (void)rq;
    return 0;
}
static int h_file(ow_req *rq) {
    (void)rq;
    return 0;
}

static const ow_route routes[] = {
    {"GET", "/api/v1/cases", h_list, OW_INLINE, 0},
    {"POST", "/api/v1/cases", h_post, OW_ON_WRITER, 0},
    {"GET", "/api/v1/cases/queue", h_queue, OW_INLINE, 0}, /* literal before {id} */
    {"GET", "/api/v1/cases/{id}", h_get, OW_INLINE, 0},
    {"PUT", "/api/v1/cases/{id}", h_put, OW_ON_WRITER, 0},
    {"POST", "/api/v1/cases/{id}/transitions", h_trans, OW_ON_WRITER, 0},
    {"GET", "/api/v1/cases/{case_id}/files/{file_id}", h_file, OW_INLINE, 0},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static int setup(void **state) {
    ow_router *r = NULL;
    ow_err e = {0};
    if (ow_router_new(routes, NROUTES, &r, &e) != OW_OK) return -1;
    *state = r;
    return 0;
}

static int teardown(void **state) {
    ow_router_free(*state);
    return 0;
}

/* Match method+path on a private copy (the router splits it in place). */
static int match(ow_router *r, const char *method, const char *path, ow_route_match *m, char *allow,
                 size_t cap, char *copy, size_t copy_cap) {
    snprintf(copy, copy_cap, "%s", path);
    return ow_router_match(r, method, copy, m, allow, cap);
}

static const char *param(const ow_route_match *m, const char *name) {
    for (int i = 0; i < m->nparams; i++)
        if (m->name_lens[i] == strlen(name) && !memcmp(m->names[i], name, m->name_lens[i]))
            return m->values[i];
    return NULL;
}

static void matches_literal_and_param_routes(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[256];

    assert_int_equal(match(r, "GET", "/api/v1/cases", &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_FOUND);
    assert_ptr_equal(m.route->fn, h_list);
    assert_int_equal(m.nparams, 0);

    assert_int_equal(
        match(r, "GET", "/api/v1/cases/42", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_FOUND);
    assert_ptr_equal(m.route->fn, h_get);
    assert_int_equal(m.nparams, 1);
    assert_string_equal(param(&m, "id"), "42");

    assert_int_equal(
        match(r, "POST", "/api/v1/cases/7/transitions", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_FOUND);
    assert_ptr_equal(m.route->fn, h_trans);
    assert_string_equal(param(&m, "id"), "7");
}

static void two_params_are_named_and_ordered(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[256];
    assert_int_equal(
        match(r, "GET", "/api/v1/cases/12/files/abc-9", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_FOUND);
    assert_ptr_equal(m.route->fn, h_file);
    assert_int_equal(m.nparams, 2);
    assert_int_equal(m.name_lens[0], strlen("case_id"));
    assert_memory_equal(m.names[0], "case_id", m.name_lens[0]);
    assert_string_equal(m.values[0], "12");
    assert_string_equal(param(&m, "file_id"), "abc-9");
    assert_null(param(&m, "id"));
}

static void literal_listed_first_beats_param(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[256];
    assert_int_equal(
        match(r, "GET", "/api/v1/cases/queue", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_FOUND);
    assert_ptr_equal(m.route->fn, h_queue);
    assert_int_equal(m.nparams, 0);

    /* The reverse order lets {id} swallow "queue": order in the table is the rule. */
    static const ow_route reversed[] = {
        {"GET", "/x/{id}", h_get, OW_INLINE, 0},
        {"GET", "/x/queue", h_queue, OW_INLINE, 0},
    };
    ow_router *r2;
    ow_err e = {0};
    assert_int_equal(ow_router_new(reversed, 2, &r2, &e), OW_OK);
    assert_int_equal(match(r2, "GET", "/x/queue", &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_FOUND);
    assert_ptr_equal(m.route->fn, h_get);
    assert_string_equal(param(&m, "id"), "queue");
    ow_router_free(r2);
}

static void unknown_path_is_no_path(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[256];
    assert_int_equal(match(r, "GET", "/api/v1/nothing", &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_NO_PATH);
    assert_null(m.route);
    assert_string_equal(allow, "");
    /* one segment too many for any route */
    assert_int_equal(match(r, "GET", "/api/v1/cases/1/transitions/x", &m, allow, sizeof allow, copy,
                           sizeof copy),
                     OW_ROUTE_NO_PATH);
    /* an empty parameter segment does not match {id} */
    assert_int_equal(
        match(r, "GET", "/api/v1/cases//transitions", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_NO_PATH);
    /* not starting with '/' */
    assert_int_equal(match(r, "GET", "api/v1/cases", &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_NO_PATH);
}

static void wrong_method_lists_allowed_methods(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[256];
    assert_int_equal(
        match(r, "DELETE", "/api/v1/cases", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_NO_METHOD);
    assert_null(m.route);
    assert_string_equal(allow, "GET, POST");

    /* /cases/queue matches the literal GET and both {id} routes: GET once, then PUT */
    assert_int_equal(
        match(r, "DELETE", "/api/v1/cases/queue", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_NO_METHOD);
    assert_string_equal(allow, "GET, PUT");

    assert_int_equal(
        match(r, "GET", "/api/v1/cases/5/transitions", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_NO_METHOD);
    assert_string_equal(allow, "POST");
}

static void head_is_answered_by_get_route(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[256];
    assert_int_equal(
        match(r, "HEAD", "/api/v1/cases/9", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_FOUND);
    assert_ptr_equal(m.route->fn, h_get);
    assert_string_equal(param(&m, "id"), "9");
    /* ...but not by a POST-only route */
    assert_int_equal(
        match(r, "HEAD", "/api/v1/cases/9/transitions", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_NO_METHOD);
}

static void trailing_slash_does_not_match(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[256];
    assert_int_equal(match(r, "GET", "/api/v1/cases/", &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_NO_PATH);
    assert_int_equal(
        match(r, "GET", "/api/v1/cases/3/", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_NO_PATH);
}

static void too_many_segments_is_no_path(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[128], copy[512];
    /* OW_ROUTE_MAX_SEGMENTS + 1 segments must not overflow anything */
    char path[256] = "";
    for (int i = 0; i <= OW_ROUTE_MAX_SEGMENTS; i++)
        strcat(path, "/s");
    assert_int_equal(match(r, "GET", path, &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_NO_PATH);
    /* a route with exactly the maximum compiles and matches */
    char pattern[256] = "";
    for (int i = 0; i < OW_ROUTE_MAX_SEGMENTS; i++)
        strcat(pattern, "/s");
    ow_route deep[] = {{"GET", pattern, h_get, OW_INLINE, 0}};
    ow_router *r2;
    ow_err e = {0};
    assert_int_equal(ow_router_new(deep, 1, &r2, &e), OW_OK);
    assert_int_equal(match(r2, "GET", pattern, &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_FOUND);
    assert_int_equal(match(r2, "GET", path, &m, allow, sizeof allow, copy, sizeof copy),
                     OW_ROUTE_NO_PATH);
    ow_router_free(r2);
    /* one more segment in a pattern is refused at compile time */
    ow_route deeper[] = {{"GET", path, h_get, OW_INLINE, 0}};
    r2 = NULL;
    assert_int_equal(ow_router_new(deeper, 1, &r2, &e), OW_EINTERNAL);
    assert_null(r2);
    assert_string_equal(e.field, "route");
}

static void duplicate_route_is_refused(void **state) {
    (void)state;
    ow_router *r = NULL;
    ow_err e = {0};
    static const ow_route same[] = {
        {"GET", "/api/v1/items/{id}", h_get, OW_INLINE, 0},
        {"GET", "/api/v1/items/{item_id}", h_file, OW_INLINE, 0}, /* same shape, other name */
    };
    assert_int_equal(ow_router_new(same, 2, &r, &e), OW_EINTERNAL);
    assert_null(r);
    assert_non_null(strstr(e.message, "/api/v1/items/{item_id}"));

    static const ow_route exact[] = {
        {"POST", "/a", h_post, OW_INLINE, 0},
        {"GET", "/a", h_get, OW_INLINE, 0},
        {"POST", "/a", h_put, OW_INLINE, 0},
    };
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_router_new(exact, 3, &r, &e), OW_EINTERNAL);
    assert_null(r);

    /* same pattern, different methods; and literal vs param at one position: both fine */
    static const ow_route fine[] = {
        {"GET", "/a/{id}", h_get, OW_INLINE, 0},
        {"PUT", "/a/{id}", h_put, OW_INLINE, 0},
        {"GET", "/a/b", h_list, OW_INLINE, 0},
    };
    assert_int_equal(ow_router_new(fine, 3, &r, &e), OW_OK);
    ow_router_free(r);
}

static void malformed_patterns_are_refused(void **state) {
    (void)state;
    ow_router *r = NULL;
    ow_err e = {0};
    static const ow_route noslash[] = {{"GET", "api/v1/x", h_get, OW_INLINE, 0}};
    assert_int_equal(ow_router_new(noslash, 1, &r, &e), OW_EINTERNAL);
    assert_null(r);
    static const ow_route params[] = {{"GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}", h_get, OW_INLINE, 0}};
    assert_int_equal(ow_router_new(params, 1, &r, &e), OW_EINTERNAL);
    assert_null(r);
}

static void allow_list_is_truncated_safely(void **state) {
    ow_router *r = *state;
    ow_route_match m;
    char allow[5], copy[256];
    assert_int_equal(
        match(r, "DELETE", "/api/v1/cases", &m, allow, sizeof allow, copy, sizeof copy),
        OW_ROUTE_NO_METHOD);
    assert_true(strlen(allow) < sizeof allow);
    /* no Allow buffer at all is fine too */
    snprintf(copy, sizeof copy, "/api/v1/cases");
    assert_int_equal(ow_router_match(r, "DELETE", copy, &m, NULL, 0), OW_ROUTE_NO_METHOD);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_literal_and_param_routes),
        cmocka_unit_test(two_params_are_named_and_ordered),
        cmocka_unit_test(literal_listed_first_beats_param),
        cmocka_unit_test(unknown_path_is_no_path),
        cmocka_unit_test(wrong_method_lists_allowed_methods),
        cmocka_unit_test(head_is_answered_by_get_route),
        cmocka_unit_test(trailing_slash_does_not_match),
        cmocka_unit_test(too_many_segments_is_no_path),
        cmocka_unit_test(duplicate_route_is_refused),
        cmocka_unit_test(malformed_patterns_are_refused),
        cmocka_unit_test(allow_list_is_truncated_safely),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
