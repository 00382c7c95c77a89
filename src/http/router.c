/* router.c — the route table compiled into segments.
 *
 * About a hundred routes, matched by comparing segments in order: a linear
 * scan costs well under a microsecond, less than building a trie would save.
 * A literal segment beats a {param} segment at the same position only by
 * table order, so keep literal routes (`/cases/queue`) before `/cases/{id}`. */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct seg {
    const char *text; /* literal, or parameter name */
    size_t len;
    int is_param;
} seg;

typedef struct compiled {
    const ow_route *route;
    int nseg;
    seg segs[OW_ROUTE_MAX_SEGMENTS];
} compiled;

struct ow_router {
    size_t n;
    compiled *c;
};

static int compile(const ow_route *rt, compiled *c, ow_err *e) {
    c->route = rt;
    c->nseg = 0;
    const char *p = rt->pattern;
    if (*p != '/') return ow_err_set(e, OW_EINTERNAL, "route", "路由 %s 应以 / 开头", rt->pattern);
    int params = 0;
    while (*p) {
        p++; /* skip '/' */
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (c->nseg == OW_ROUTE_MAX_SEGMENTS)
            return ow_err_set(e, OW_EINTERNAL, "route", "路由 %s 段数过多", rt->pattern);
        seg *s = &c->segs[c->nseg++];
        if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
            s->text = p + 1;
            s->len = len - 2;
            s->is_param = 1;
            if (++params > OW_ROUTE_MAX_PARAMS)
                return ow_err_set(e, OW_EINTERNAL, "route", "路由 %s 参数过多", rt->pattern);
        } else {
            s->text = p;
            s->len = len;
            s->is_param = 0;
        }
        p += len;
    }
    return OW_OK;
}

static int same_shape(const compiled *a, const compiled *b) {
    if (a->nseg != b->nseg) return 0;
    for (int i = 0; i < a->nseg; i++) {
        if (a->segs[i].is_param != b->segs[i].is_param) return 0;
        if (!a->segs[i].is_param && (a->segs[i].len != b->segs[i].len ||
                                     memcmp(a->segs[i].text, b->segs[i].text, a->segs[i].len)))
            return 0;
    }
    return 1;
}

int ow_router_new(const ow_route *routes, size_t n, ow_router **out, ow_err *e) {
    ow_router *r = calloc(1, sizeof *r);
    r->c = calloc(n ? n : 1, sizeof *r->c);
    r->n = n;
    for (size_t i = 0; i < n; i++) {
        int rc = compile(&routes[i], &r->c[i], e);
        for (size_t j = 0; !rc && j < i; j++)
            if (!strcmp(routes[i].method, routes[j].method) && same_shape(&r->c[i], &r->c[j]))
                rc = ow_err_set(e, OW_EINTERNAL, "route", "重复的路由 %s %s", routes[i].method,
                                routes[i].pattern);
        if (rc) {
            ow_router_free(r);
            return rc;
        }
    }
    *out = r;
    return OW_OK;
}

void ow_router_free(ow_router *r) {
    if (!r) return;
    free(r->c);
    free(r);
}

/* Split path into segments in place. Returns the count, or -1 if too many.
 * "/a/b/" gives "a", "b", "" so a trailing slash matches no route. */
static int split(char *path, char **segs) {
    if (*path != '/') return -1;
    int n = 0;
    char *p = path + 1;
    for (;;) {
        if (n == OW_ROUTE_MAX_SEGMENTS) return -1;
        segs[n++] = p;
        char *slash = strchr(p, '/');
        if (!slash) break;
        *slash = '\0';
        p = slash + 1;
    }
    return n;
}

int ow_router_match(const ow_router *r, const char *method, char *path, ow_route_match *m,
                    char *allow, size_t allow_cap) {
    char *segs[OW_ROUTE_MAX_SEGMENTS];
    int n = split(path, segs);
    memset(m, 0, sizeof *m);
    if (allow_cap) allow[0] = '\0';
    if (n < 0) return OW_ROUTE_NO_PATH;
    int path_matched = 0;
    for (size_t i = 0; i < r->n; i++) {
        const compiled *c = &r->c[i];
        if (c->nseg != n) continue;
        int ok = 1;
        for (int k = 0; k < n && ok; k++) {
            const seg *s = &c->segs[k];
            size_t len = strlen(segs[k]);
            if (s->is_param)
                ok = len > 0;
            else
                ok = len == s->len && memcmp(segs[k], s->text, len) == 0;
        }
        if (!ok) continue;
        const char *rm = c->route->method;
        int method_ok = !strcmp(rm, method) || (!strcmp(method, "HEAD") && !strcmp(rm, "GET"));
        if (!method_ok) {
            if (allow_cap && !strstr(allow, rm)) {
                size_t used = strlen(allow);
                snprintf(allow + used, allow_cap - used, "%s%s", used ? ", " : "", rm);
            }
            path_matched = 1;
            continue;
        }
        m->route = c->route;
        for (int k = 0; k < n; k++) {
            const seg *s = &c->segs[k];
            if (!s->is_param) continue;
            m->names[m->nparams] = s->text; /* not NUL-terminated: see name_lens */
            m->name_lens[m->nparams] = s->len;
            m->values[m->nparams] = segs[k];
            m->nparams++;
        }
        return OW_ROUTE_FOUND;
    }
    return path_matched ? OW_ROUTE_NO_METHOD : OW_ROUTE_NO_PATH;
}
