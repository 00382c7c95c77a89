/* hall_store.c — see hall_store.h. */
#include "store/hall_store.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"

/* ---- small helpers ---- */

static void cp(char *dst, size_t n, const char *s) {
    snprintf(dst, n, "%s", s ? s : "");
}
#define CP(dst, st, i) cp((dst), sizeof(dst), ow_col_text((st), (i)))

static void bind_id(ow_stmt *st, int i, int64_t v) {
    if (v)
        ow_bind_int64(st, i, v);
    else
        ow_bind_null(st, i);
}

static void bind_text_or_null(ow_stmt *st, int i, const char *s) {
    if (s && *s)
        ow_bind_text(st, i, s);
    else
        ow_bind_null(st, i);
}

static int64_t col_id(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? 0 : ow_col_int64(st, i);
}

/* Step a statement that returns no rows, then make it ready for its next use. */
static int done(ow_db *db, ow_stmt *st, const char *what, ow_err *e) {
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
}

/* One integer from a statement that answers one row. */
static int one_int64(ow_db *db, ow_stmt *st, const char *what, int64_t *out, ow_err *e) {
    int rc = ow_step(st);
    *out = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, what, e);
    return OW_OK;
}

static int not_found(ow_err *e, const char *field, const char *msg) {
    return ow_err_set(e, OW_ENOTFOUND, field, "%s", msg);
}

/* ---- organisations ---- */

#define ORG_COLS "id, parent_id, code, kind, name, address, active"

static void read_org(ow_stmt *st, ow_hall_org *o) {
    o->id = ow_col_int64(st, 0);
    o->parent_id = col_id(st, 1);
    CP(o->code, st, 2);
    CP(o->kind, st, 3);
    CP(o->name, st, 4);
    CP(o->address, st, 5);
    o->active = ow_col_int(st, 6) == 1;
}

static int org_one(ow_db *db, ow_stmt *st, ow_hall_org *out, ow_err *e) {
    int rc = ow_step(st);
    if (rc == OW_ROW) read_org(st, out);
    ow_reset(st);
    if (rc == OW_DONE) return not_found(e, "org_id", "机构不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "hall org", e);
    return OW_OK;
}

int ow_hall_store_org(ow_db *db, int64_t id, ow_hall_org *out, ow_err *e) {
    static const char *sql = "SELECT " ORG_COLS " FROM orgs WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    return org_one(db, st, out, e);
}

int ow_hall_store_org_by_code(ow_db *db, const char *code, ow_hall_org *out, ow_err *e) {
    static const char *sql = "SELECT " ORG_COLS " FROM orgs WHERE code = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, code);
    return org_one(db, st, out, e);
}

static int each_org(ow_db *db, ow_stmt *st, const char *what,
                    int (*fn)(void *arg, const ow_hall_org *o), void *arg, ow_err *e) {
    int rc, out = OW_OK;
    ow_hall_org o;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_org(st, &o);
        if ((out = fn(arg, &o))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

int ow_hall_store_each_site_window_state(ow_db *db, const ow_hall_org *site,
                                         int (*fn)(void *arg, const ow_hall_org *w,
                                                   const char *state),
                                         void *arg, ow_err *e) {
    static const char *windows_sql =
        "SELECT o.id, o.parent_id, o.code, o.kind, o.name, o.address, o.active,"
        " coalesce(w.state, 'closed') FROM orgs o LEFT JOIN hall_windows w ON w.window_id = o.id"
        " WHERE o.parent_id = ?1 AND o.kind = 'window' AND o.active = 1 ORDER BY o.sort, o.id";
    static const char *self_sql =
        "SELECT o.id, o.parent_id, o.code, o.kind, o.name, o.address, o.active,"
        " coalesce(w.state, 'closed') FROM orgs o LEFT JOIN hall_windows w ON w.window_id = o.id"
        " WHERE o.id = ?1";
    ow_stmt *st = ow_db_stmt(db, strcmp(site->kind, "township") ? windows_sql : self_sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site->id);
    int rc, out = OW_OK;
    ow_hall_org o;
    char state[16];
    while ((rc = ow_step(st)) == OW_ROW) {
        read_org(st, &o);
        CP(state, st, 7);
        if ((out = fn(arg, &o, state))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall window states", e);
    return out;
}

int ow_hall_store_each_site_window(ow_db *db, const ow_hall_org *site,
                                   int (*fn)(void *arg, const ow_hall_org *w), void *arg,
                                   ow_err *e) {
    static const char *sql = "SELECT " ORG_COLS " FROM orgs WHERE parent_id = ?1"
                             " AND kind = 'window' AND active = 1 ORDER BY sort, id";
    if (!strcmp(site->kind, "township")) return fn(arg, site);
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site->id);
    return each_org(db, st, "hall windows", fn, arg, e);
}

int ow_hall_store_each_hall(ow_db *db, int (*fn)(void *arg, const ow_hall_org *site), void *arg,
                            ow_err *e) {
    static const char *sql =
        "SELECT " ORG_COLS " FROM orgs o WHERE o.kind IN ('center', 'township') AND o.active = 1"
        " AND EXISTS (SELECT 1 FROM hall_groups g WHERE g.site_id = o.id AND g.active = 1)"
        " ORDER BY CASE WHEN o.kind = 'center' THEN 0 ELSE 1 END, o.sort, o.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    return each_org(db, st, "halls", fn, arg, e);
}

/* ---- settings ---- */

int ow_hall_store_kiosk_key(ow_db *db, int64_t site, char hash[65], int64_t *at, ow_err *e) {
    static const char *sql =
        "SELECT kiosk_key_hash, kiosk_key_at FROM hall_sites WHERE site_id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    int rc = ow_step(st);
    hash[0] = '\0';
    *at = 0;
    if (rc == OW_ROW) {
        cp(hash, 65, ow_col_text(st, 0));
        *at = col_id(st, 1);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "kiosk key", e);
    return OW_OK;
}

int ow_hall_store_set_kiosk_key(ow_db *db, int64_t site, const char *hash, int64_t at, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_sites (site_id, kiosk_key_hash, kiosk_key_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?3) ON CONFLICT (site_id) DO UPDATE SET"
        " kiosk_key_hash = excluded.kiosk_key_hash, kiosk_key_at = excluded.kiosk_key_at,"
        " updated_at = excluded.updated_at";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, hash);
    ow_bind_int64(st, 3, at);
    return done(db, st, "kiosk key set", e);
}

/* ---- groups ---- */

#define GROUP_COLS                                                                                 \
    "id, site_id, letter, name, note, slot_capacity, service_min, is_default, active, sort"

static void read_group(ow_stmt *st, ow_hall_group *g) {
    g->id = ow_col_int64(st, 0);
    g->site_id = ow_col_int64(st, 1);
    CP(g->letter, st, 2);
    CP(g->name, st, 3);
    CP(g->note, st, 4);
    g->slot_capacity = ow_col_int(st, 5);
    g->service_min = ow_col_int(st, 6);
    g->is_default = ow_col_int(st, 7) == 1;
    g->active = ow_col_int(st, 8) == 1;
    g->sort = ow_col_int(st, 9);
}

int ow_hall_store_group(ow_db *db, int64_t id, ow_hall_group *out, ow_err *e) {
    static const char *sql = "SELECT " GROUP_COLS " FROM hall_groups WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) read_group(st, out);
    ow_reset(st);
    if (rc == OW_DONE) return not_found(e, "group_id", "业务类别不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "hall group", e);
    return OW_OK;
}

int ow_hall_store_each_group(ow_db *db, int64_t site, bool active_only,
                             int (*fn)(void *arg, const ow_hall_group *g), void *arg, ow_err *e) {
    static const char *sql = "SELECT " GROUP_COLS " FROM hall_groups WHERE site_id = ?1"
                             " AND (?2 = 0 OR active = 1) ORDER BY sort, letter";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_int(st, 2, active_only ? 1 : 0);
    int rc, out = OW_OK;
    ow_hall_group g;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_group(st, &g);
        if ((out = fn(arg, &g))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall groups", e);
    return out;
}

int ow_hall_store_group_insert(ow_db *db, const ow_hall_group *g, int64_t at, int64_t *id,
                               ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_groups (site_id, letter, name, note, slot_capacity, service_min,"
        " is_default, active, sort, created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, g->site_id);
    ow_bind_text(st, 2, g->letter);
    ow_bind_text(st, 3, g->name);
    ow_bind_text(st, 4, g->note);
    ow_bind_int(st, 5, g->slot_capacity);
    ow_bind_int(st, 6, g->service_min);
    ow_bind_int(st, 7, g->is_default ? 1 : 0);
    ow_bind_int(st, 8, g->active ? 1 : 0);
    ow_bind_int(st, 9, g->sort);
    ow_bind_int64(st, 10, at);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall group insert", e);
}

int ow_hall_store_group_update(ow_db *db, const ow_hall_group *g, int64_t at, ow_err *e) {
    static const char *sql =
        "UPDATE hall_groups SET letter = ?2, name = ?3, note = ?4, slot_capacity = ?5,"
        " service_min = ?6, is_default = ?7, active = ?8, sort = ?9, updated_at = ?10"
        " WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, g->id);
    ow_bind_text(st, 2, g->letter);
    ow_bind_text(st, 3, g->name);
    ow_bind_text(st, 4, g->note);
    ow_bind_int(st, 5, g->slot_capacity);
    ow_bind_int(st, 6, g->service_min);
    ow_bind_int(st, 7, g->is_default ? 1 : 0);
    ow_bind_int(st, 8, g->active ? 1 : 0);
    ow_bind_int(st, 9, g->sort);
    ow_bind_int64(st, 10, at);
    return done(db, st, "hall group update", e);
}

int ow_hall_store_letter_taken(ow_db *db, int64_t site, const char *letter, int64_t except,
                               bool *taken, ow_err *e) {
    static const char *sql =
        "SELECT count(*) FROM hall_groups WHERE site_id = ?1 AND letter = ?2 AND id <> ?3";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, letter);
    ow_bind_int64(st, 3, except);
    int64_t n;
    int rc = one_int64(db, st, "hall letter", &n, e);
    *taken = n > 0;
    return rc;
}

int ow_hall_store_clear_default(ow_db *db, int64_t site, int64_t except, ow_err *e) {
    static const char *sql =
        "UPDATE hall_groups SET is_default = 0 WHERE site_id = ?1 AND id <> ?2 AND is_default = 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_int64(st, 2, except);
    return done(db, st, "hall default group", e);
}

static int set_pairs(ow_db *db, const char *del_sql, const char *ins_sql, int64_t group,
                     const int64_t *ids, int n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, del_sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    int rc = done(db, st, "hall group pairs", e);
    for (int i = 0; !rc && i < n; i++) {
        if (!(st = ow_db_stmt(db, ins_sql, e))) return OW_EDB;
        ow_bind_int64(st, 1, group);
        ow_bind_int64(st, 2, ids[i]);
        rc = done(db, st, "hall group pair", e);
    }
    return rc;
}

int ow_hall_store_set_group_windows(ow_db *db, int64_t group, const int64_t *ids, int n,
                                    ow_err *e) {
    static const char *del = "DELETE FROM hall_group_windows WHERE group_id = ?1";
    static const char *ins = "INSERT INTO hall_group_windows (group_id, window_id) VALUES (?1, ?2)"
                             " ON CONFLICT (group_id, window_id) DO NOTHING";
    return set_pairs(db, del, ins, group, ids, n, e);
}

int ow_hall_store_set_group_depts(ow_db *db, int64_t group, const int64_t *ids, int n, ow_err *e) {
    static const char *del = "DELETE FROM hall_group_depts WHERE group_id = ?1";
    static const char *ins = "INSERT INTO hall_group_depts (group_id, dept_id) VALUES (?1, ?2)"
                             " ON CONFLICT (group_id, dept_id) DO NOTHING";
    return set_pairs(db, del, ins, group, ids, n, e);
}

static int each_pair(ow_db *db, const char *sql, int64_t site, ow_hall_pair_fn fn, void *arg,
                     ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_col_int64(st, 1), ow_db_text(st, 2),
                      ow_db_text(st, 3))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall group pairs", e);
    return out;
}

int ow_hall_store_each_group_window(ow_db *db, int64_t site, ow_hall_pair_fn fn, void *arg,
                                    ow_err *e) {
    static const char *sql =
        "SELECT gw.group_id, o.id, o.code, o.name FROM hall_group_windows gw"
        " JOIN hall_groups g ON g.id = gw.group_id JOIN orgs o ON o.id = gw.window_id"
        " WHERE g.site_id = ?1 ORDER BY g.sort, g.letter, o.sort, o.id";
    return each_pair(db, sql, site, fn, arg, e);
}

int ow_hall_store_each_group_dept(ow_db *db, int64_t site, ow_hall_pair_fn fn, void *arg,
                                  ow_err *e) {
    static const char *sql =
        "SELECT gd.group_id, o.id, o.code, o.name FROM hall_group_depts gd"
        " JOIN hall_groups g ON g.id = gd.group_id JOIN orgs o ON o.id = gd.dept_id"
        " WHERE g.site_id = ?1 ORDER BY g.sort, g.letter, o.sort, o.id";
    return each_pair(db, sql, site, fn, arg, e);
}

static int first_group(ow_db *db, const char *sql, int64_t site, int64_t org, int64_t *group,
                       ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    if (org) ow_bind_int64(st, 2, org);
    return one_int64(db, st, "hall group of", group, e);
}

int ow_hall_store_group_of_window(ow_db *db, int64_t site, int64_t window, int64_t *group,
                                  ow_err *e) {
    static const char *sql =
        "SELECT g.id FROM hall_groups g JOIN hall_group_windows gw ON gw.group_id = g.id"
        " WHERE g.site_id = ?1 AND gw.window_id = ?2 AND g.active = 1"
        " ORDER BY g.sort, g.letter LIMIT 1";
    return first_group(db, sql, site, window, group, e);
}

int ow_hall_store_group_of_dept(ow_db *db, int64_t site, int64_t dept, int64_t *group, ow_err *e) {
    static const char *sql =
        "SELECT g.id FROM hall_groups g JOIN hall_group_depts gd ON gd.group_id = g.id"
        " WHERE g.site_id = ?1 AND gd.dept_id = ?2 AND g.active = 1"
        " ORDER BY g.sort, g.letter LIMIT 1";
    return first_group(db, sql, site, dept, group, e);
}

int ow_hall_store_default_group(ow_db *db, int64_t site, int64_t *group, ow_err *e) {
    static const char *sql = "SELECT id FROM hall_groups WHERE site_id = ?1 AND is_default = 1"
                             " AND active = 1 ORDER BY sort, letter LIMIT 1";
    return first_group(db, sql, site, 0, group, e);
}

int ow_hall_store_window_serves(ow_db *db, int64_t window, int64_t group, bool *yes, ow_err *e) {
    static const char *sql =
        "SELECT count(*) FROM hall_group_windows gw JOIN hall_groups g ON g.id = gw.group_id"
        " WHERE gw.window_id = ?1 AND gw.group_id = ?2 AND g.active = 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window);
    ow_bind_int64(st, 2, group);
    int64_t n;
    int rc = one_int64(db, st, "hall window serves", &n, e);
    *yes = n > 0;
    return rc;
}

int ow_hall_store_window_groups(ow_db *db, int64_t window, int64_t *ids, int max, int *n,
                                ow_err *e) {
    static const char *sql =
        "SELECT g.id FROM hall_groups g JOIN hall_group_windows gw ON gw.group_id = g.id"
        " WHERE gw.window_id = ?1 AND g.active = 1 ORDER BY g.sort, g.letter";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window);
    int rc;
    *n = 0;
    while ((rc = ow_step(st)) == OW_ROW)
        if (*n < max) ids[(*n)++] = ow_col_int64(st, 0);
    ow_reset(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, "hall window groups", e);
}

/* ---- appointments ---- */

#define APPT_COLS                                                                                  \
    "a.id, a.code, a.site_id, a.group_id, a.item_id, a.item_name, a.user_id, a.holder_idx,"        \
    " a.name, a.day, a.slot, a.state, a.moves, a.cancel_reason, a.cancelled_by, a.ticket_id,"      \
    " a.created_at, a.updated_at"

static void read_appt(ow_stmt *st, ow_hall_appt *a) {
    a->id = ow_col_int64(st, 0);
    CP(a->code, st, 1);
    a->site_id = ow_col_int64(st, 2);
    a->group_id = ow_col_int64(st, 3);
    a->item_id = ow_col_int64(st, 4);
    CP(a->item_name, st, 5);
    a->user_id = ow_col_int64(st, 6);
    CP(a->holder_idx, st, 7);
    CP(a->name, st, 8);
    CP(a->day, st, 9);
    a->slot = ow_col_int(st, 10);
    CP(a->state, st, 11);
    a->moves = ow_col_int(st, 12);
    CP(a->cancel_reason, st, 13);
    a->cancelled_by = col_id(st, 14);
    a->ticket_id = col_id(st, 15);
    a->created_at = ow_col_int64(st, 16);
    a->updated_at = ow_col_int64(st, 17);
}

static int appt_one(ow_db *db, ow_stmt *st, ow_hall_appt *out, bool *found, ow_err *e) {
    int rc = ow_step(st);
    if (rc == OW_ROW) read_appt(st, out);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "hall appointment", e);
    if (found) {
        *found = rc == OW_ROW;
        return OW_OK;
    }
    if (rc == OW_DONE) return not_found(e, "id", "预约不存在");
    return OW_OK;
}

int ow_hall_store_appt(ow_db *db, int64_t id, ow_hall_appt *out, ow_err *e) {
    static const char *sql = "SELECT " APPT_COLS " FROM hall_appointments a WHERE a.id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    return appt_one(db, st, out, NULL, e);
}

int ow_hall_store_appt_by_code(ow_db *db, int64_t site, const char *day, const char *code,
                               ow_hall_appt *out, ow_err *e) {
    static const char *sql = "SELECT " APPT_COLS " FROM hall_appointments a"
                             " WHERE a.site_id = ?1 AND a.day = ?2 AND a.code = ?3";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, day);
    ow_bind_text(st, 3, code);
    return appt_one(db, st, out, NULL, e);
}

int ow_hall_store_appt_of_holder(ow_db *db, int64_t site, const char *day, const char *holder_idx,
                                 ow_hall_appt *out, bool *found, ow_err *e) {
    static const char *sql =
        "SELECT " APPT_COLS " FROM hall_appointments a WHERE a.holder_idx = ?3 AND a.day = ?2"
        " AND a.site_id = ?1 AND a.state = 'booked' ORDER BY a.slot, a.id LIMIT 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, day);
    ow_bind_text(st, 3, holder_idx);
    return appt_one(db, st, out, found, e);
}

int ow_hall_store_code_taken(ow_db *db, int64_t site, const char *day, const char *code,
                             bool *taken, ow_err *e) {
    static const char *sql = "SELECT count(*) FROM hall_appointments"
                             " WHERE site_id = ?1 AND day = ?2 AND code = ?3";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, day);
    ow_bind_text(st, 3, code);
    int64_t n;
    int rc = one_int64(db, st, "hall appointment code", &n, e);
    *taken = n > 0;
    return rc;
}

int ow_hall_store_slot_count(ow_db *db, int64_t group, const char *day, int slot, int64_t except,
                             int *n, ow_err *e) {
    static const char *sql =
        "SELECT count(*) FROM hall_appointments WHERE group_id = ?1 AND day = ?2 AND slot = ?3"
        " AND state IN ('booked', 'checked_in', 'no_show') AND id <> ?4";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    ow_bind_text(st, 2, day);
    ow_bind_int(st, 3, slot);
    ow_bind_int64(st, 4, except);
    int64_t v;
    int rc = one_int64(db, st, "hall slot count", &v, e);
    *n = (int)v;
    return rc;
}

int ow_hall_store_each_slot_count(ow_db *db, int64_t group, const char *from, const char *to,
                                  int (*fn)(void *arg, const char *day, int slot, int n), void *arg,
                                  ow_err *e) {
    static const char *sql =
        "SELECT day, slot, count(*) FROM hall_appointments WHERE group_id = ?1"
        " AND day >= ?2 AND day <= ?3 AND state IN ('booked', 'checked_in', 'no_show')"
        " GROUP BY day, slot ORDER BY day, slot";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    ow_bind_text(st, 2, from);
    ow_bind_text(st, 3, to);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_db_text(st, 0), ow_col_int(st, 1), ow_col_int(st, 2)))) break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall slot counts", e);
    return out;
}

int ow_hall_store_user_day_count(ow_db *db, int64_t user, const char *day, int64_t except, int *n,
                                 ow_err *e) {
    static const char *sql =
        "SELECT count(*) FROM hall_appointments WHERE user_id = ?1 AND day = ?2"
        " AND state IN ('booked', 'checked_in', 'no_show') AND id <> ?3";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user);
    ow_bind_text(st, 2, day);
    ow_bind_int64(st, 3, except);
    int64_t v;
    int rc = one_int64(db, st, "hall user day", &v, e);
    *n = (int)v;
    return rc;
}

int ow_hall_store_appt_insert(ow_db *db, const ow_hall_appt *a, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_appointments (code, site_id, group_id, item_id, item_name, user_id,"
        " holder_idx, name, day, slot, state, created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'booked', ?11, ?11) RETURNING id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, a->code);
    ow_bind_int64(st, 2, a->site_id);
    ow_bind_int64(st, 3, a->group_id);
    ow_bind_int64(st, 4, a->item_id);
    ow_bind_text(st, 5, a->item_name);
    ow_bind_int64(st, 6, a->user_id);
    ow_bind_text(st, 7, a->holder_idx);
    ow_bind_text(st, 8, a->name);
    ow_bind_text(st, 9, a->day);
    ow_bind_int(st, 10, a->slot);
    ow_bind_int64(st, 11, a->created_at);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall appointment insert", e);
}

int ow_hall_store_appt_state(ow_db *db, int64_t id, const char *state, const char *reason,
                             int64_t by, int64_t at, ow_err *e) {
    static const char *sql = "UPDATE hall_appointments SET state = ?2, cancel_reason = ?3,"
                             " cancelled_by = ?4, updated_at = ?5 WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, state);
    ow_bind_text(st, 3, reason ? reason : "");
    bind_id(st, 4, by);
    ow_bind_int64(st, 5, at);
    return done(db, st, "hall appointment state", e);
}

int ow_hall_store_appt_move(ow_db *db, int64_t id, const char *day, int slot, int64_t at,
                            ow_err *e) {
    static const char *sql = "UPDATE hall_appointments SET day = ?2, slot = ?3,"
                             " moves = moves + 1, updated_at = ?4 WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, day);
    ow_bind_int(st, 3, slot);
    ow_bind_int64(st, 4, at);
    return done(db, st, "hall appointment move", e);
}

int ow_hall_store_appt_checked_in(ow_db *db, int64_t id, int64_t ticket, int64_t at, ow_err *e) {
    static const char *sql = "UPDATE hall_appointments SET state = 'checked_in', ticket_id = ?2,"
                             " updated_at = ?3 WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, ticket);
    ow_bind_int64(st, 3, at);
    return done(db, st, "hall appointment check-in", e);
}

/* A person's appointments through hall_appointments_user, a hall's days through
 * hall_appointments_site_day: each filter leads with the column its index does. */
#define APPT_WHERE_USER                                                                            \
    " WHERE a.user_id = ?1 AND (?2 = 0 OR a.site_id = ?2) AND a.day >= ?3 AND a.day <= ?4"         \
    " AND (?5 IS NULL OR a.state = ?5)"
#define APPT_WHERE_SITE                                                                            \
    " WHERE a.site_id = ?2 AND a.day >= ?3 AND a.day <= ?4 AND (?1 = 0 OR a.user_id = ?1)"         \
    " AND (?5 IS NULL OR a.state = ?5)"

static void bind_appt_filter(ow_stmt *st, const ow_hall_appt_filter *f) {
    ow_bind_int64(st, 1, f->user_id);
    ow_bind_int64(st, 2, f->site_id);
    ow_bind_text(st, 3, f->day_from ? f->day_from : "0000-01-01");
    ow_bind_text(st, 4, f->day_to ? f->day_to : "9999-12-31");
    bind_text_or_null(st, 5, f->state);
}

int ow_hall_store_appt_count(ow_db *db, const ow_hall_appt_filter *f, int64_t *n, ow_err *e) {
    static const char *by_user = "SELECT count(*) FROM hall_appointments a" APPT_WHERE_USER;
    static const char *by_site = "SELECT count(*) FROM hall_appointments a" APPT_WHERE_SITE;
    ow_stmt *st = ow_db_stmt(db, f->user_id ? by_user : by_site, e);
    if (!st) return OW_EDB;
    bind_appt_filter(st, f);
    return one_int64(db, st, "hall appointment count", n, e);
}

static int each_appt(ow_db *db, ow_stmt *st, const char *what, ow_hall_appt_fn fn, void *arg,
                     ow_err *e) {
    int rc, out = OW_OK;
    ow_hall_appt a;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_appt(st, &a);
        if ((out = fn(arg, &a))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

int ow_hall_store_appt_page(ow_db *db, const ow_hall_appt_filter *f, bool newest, int limit,
                            int64_t offset, ow_hall_appt_fn fn, void *arg, ow_err *e) {
#define APPT_ASC " ORDER BY a.day, a.slot, a.id LIMIT ?6 OFFSET ?7"
#define APPT_DESC " ORDER BY a.day DESC, a.slot DESC, a.id DESC LIMIT ?6 OFFSET ?7"
    static const char *const sql[2][2] = {
        {"SELECT " APPT_COLS " FROM hall_appointments a" APPT_WHERE_SITE APPT_ASC,
         "SELECT " APPT_COLS " FROM hall_appointments a" APPT_WHERE_SITE APPT_DESC},
        {"SELECT " APPT_COLS " FROM hall_appointments a" APPT_WHERE_USER APPT_ASC,
         "SELECT " APPT_COLS " FROM hall_appointments a" APPT_WHERE_USER APPT_DESC}};
    ow_stmt *st = ow_db_stmt(db, sql[f->user_id != 0][newest], e);
    if (!st) return OW_EDB;
    bind_appt_filter(st, f);
    ow_bind_int(st, 6, limit);
    ow_bind_int64(st, 7, offset);
    return each_appt(db, st, "hall appointment page", fn, arg, e);
}

int ow_hall_store_each_missed(ow_db *db, const char *day, int last_slot, ow_hall_appt_fn fn,
                              void *arg, ow_err *e) {
    static const char *sql = "SELECT " APPT_COLS " FROM hall_appointments a"
                             " WHERE a.state = 'booked' AND (a.day < ?1 OR (a.day = ?1"
                             " AND a.slot <= ?2)) ORDER BY a.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, day);
    ow_bind_int(st, 2, last_slot);
    return each_appt(db, st, "hall missed appointments", fn, arg, e);
}

int ow_hall_store_each_booked_from(ow_db *db, const char *day, ow_hall_appt_fn fn, void *arg,
                                   ow_err *e) {
    static const char *sql = "SELECT " APPT_COLS " FROM hall_appointments a"
                             " WHERE a.state = 'booked' AND a.day >= ?1 ORDER BY a.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, day);
    return each_appt(db, st, "hall booked appointments", fn, arg, e);
}

int ow_hall_store_each_booked_on(ow_db *db, const char *day, ow_hall_appt_fn fn, void *arg,
                                 ow_err *e) {
    static const char *sql = "SELECT " APPT_COLS " FROM hall_appointments a"
                             " WHERE a.state = 'booked' AND a.day = ?1 ORDER BY a.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, day);
    return each_appt(db, st, "hall appointments of a day", fn, arg, e);
}

int ow_hall_store_noshow_count(ow_db *db, int64_t user, const char *from, const char *to,
                               int64_t after_ms, int *n, ow_err *e) {
    static const char *sql =
        "SELECT count(*) FROM hall_appointments WHERE user_id = ?1 AND state = 'no_show'"
        " AND day >= ?2 AND day <= ?3 AND updated_at > ?4";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user);
    ow_bind_text(st, 2, from);
    ow_bind_text(st, 3, to);
    ow_bind_int64(st, 4, after_ms);
    int64_t v;
    int rc = one_int64(db, st, "hall no-shows", &v, e);
    *n = (int)v;
    return rc;
}

/* ---- booking blocks ---- */

#define BLOCK_COLS                                                                                 \
    "b.id, b.user_id, b.from_day, b.until_day, b.no_shows, b.created_at, b.lifted_at,"             \
    " b.lifted_by, b.lift_reason, coalesce(u.name, '')"
#define BLOCK_FROM " FROM hall_booking_blocks b LEFT JOIN users u ON u.id = b.user_id"

static void read_block(ow_stmt *st, ow_hall_block *b) {
    b->id = ow_col_int64(st, 0);
    b->user_id = ow_col_int64(st, 1);
    CP(b->from_day, st, 2);
    CP(b->until_day, st, 3);
    b->no_shows = ow_col_int(st, 4);
    b->created_at = ow_col_int64(st, 5);
    b->lifted_at = col_id(st, 6);
    b->lifted_by = col_id(st, 7);
    CP(b->lift_reason, st, 8);
    CP(b->user_name, st, 9);
}

static int block_one(ow_db *db, ow_stmt *st, ow_hall_block *out, bool *found, ow_err *e) {
    int rc = ow_step(st);
    if (rc == OW_ROW) read_block(st, out);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "hall block", e);
    if (found) {
        *found = rc == OW_ROW;
        return OW_OK;
    }
    return rc == OW_ROW ? OW_OK : not_found(e, "id", "预约限制记录不存在");
}

int ow_hall_store_block_active(ow_db *db, int64_t user, const char *day, ow_hall_block *out,
                               bool *found, ow_err *e) {
    static const char *sql = "SELECT " BLOCK_COLS BLOCK_FROM
                             " WHERE b.user_id = ?1 AND b.until_day >= ?2 AND b.lifted_at IS NULL"
                             " ORDER BY b.until_day DESC LIMIT 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user);
    ow_bind_text(st, 2, day);
    return block_one(db, st, out, found, e);
}

int ow_hall_store_block_last(ow_db *db, int64_t user, ow_hall_block *out, bool *found, ow_err *e) {
    static const char *sql =
        "SELECT " BLOCK_COLS BLOCK_FROM " WHERE b.user_id = ?1 ORDER BY b.id DESC LIMIT 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user);
    return block_one(db, st, out, found, e);
}

int ow_hall_store_block_get(ow_db *db, int64_t id, ow_hall_block *out, ow_err *e) {
    static const char *sql = "SELECT " BLOCK_COLS BLOCK_FROM " WHERE b.id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    return block_one(db, st, out, NULL, e);
}

int ow_hall_store_block_insert(ow_db *db, const ow_hall_block *b, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_booking_blocks (user_id, from_day, until_day, no_shows, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, b->user_id);
    ow_bind_text(st, 2, b->from_day);
    ow_bind_text(st, 3, b->until_day);
    ow_bind_int(st, 4, b->no_shows);
    ow_bind_int64(st, 5, b->created_at);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall block insert", e);
}

int ow_hall_store_block_lift(ow_db *db, int64_t id, int64_t by, const char *reason, int64_t at,
                             ow_err *e) {
    static const char *sql = "UPDATE hall_booking_blocks SET lifted_at = ?2, lifted_by = ?3,"
                             " lift_reason = ?4 WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, at);
    bind_id(st, 3, by);
    ow_bind_text(st, 4, reason ? reason : "");
    return done(db, st, "hall block lift", e);
}

#define BLOCK_WHERE " WHERE (?1 = 0 OR (b.lifted_at IS NULL AND b.until_day >= ?2))"

int ow_hall_store_block_count(ow_db *db, const char *day, bool active_only, int64_t *n, ow_err *e) {
    static const char *sql = "SELECT count(*) FROM hall_booking_blocks b" BLOCK_WHERE;
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, active_only ? 1 : 0);
    ow_bind_text(st, 2, day);
    return one_int64(db, st, "hall block count", n, e);
}

int ow_hall_store_block_page(ow_db *db, const char *day, bool active_only, int limit,
                             int64_t offset, int (*fn)(void *arg, const ow_hall_block *b),
                             void *arg, ow_err *e) {
    static const char *sql =
        "SELECT " BLOCK_COLS BLOCK_FROM BLOCK_WHERE " ORDER BY b.id DESC LIMIT ?3 OFFSET ?4";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, active_only ? 1 : 0);
    ow_bind_text(st, 2, day);
    ow_bind_int(st, 3, limit);
    ow_bind_int64(st, 4, offset);
    int rc, out = OW_OK;
    ow_hall_block b;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_block(st, &b);
        if ((out = fn(arg, &b))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall block page", e);
    return out;
}

/* ---- tickets ---- */

#define TICKET_COLS                                                                                \
    "t.id, t.site_id, t.group_id, t.day, t.seq, t.number, t.source, t.priority, t.green,"          \
    " t.user_id, t.appointment_id, t.item_name, t.state, t.taken_at, t.queued_at,"                 \
    " t.target_window_id, t.window_id, t.clerk_id, t.first_called_at, t.called_at, t.calls,"       \
    " t.served_at, t.ended_at, t.transfers, t.service_id, t.case_id, t.case_no, t.call_id"

static void read_ticket(ow_stmt *st, ow_hall_ticket *t) {
    t->id = ow_col_int64(st, 0);
    t->site_id = ow_col_int64(st, 1);
    t->group_id = ow_col_int64(st, 2);
    CP(t->day, st, 3);
    t->seq = ow_col_int(st, 4);
    CP(t->number, st, 5);
    CP(t->source, st, 6);
    t->priority = ow_col_int(st, 7);
    t->green = ow_col_int(st, 8) == 1;
    t->user_id = col_id(st, 9);
    t->appointment_id = col_id(st, 10);
    CP(t->item_name, st, 11);
    CP(t->state, st, 12);
    t->taken_at = ow_col_int64(st, 13);
    t->queued_at = ow_col_int64(st, 14);
    t->target_window_id = col_id(st, 15);
    t->window_id = col_id(st, 16);
    t->clerk_id = col_id(st, 17);
    t->first_called_at = col_id(st, 18);
    t->called_at = col_id(st, 19);
    t->calls = ow_col_int(st, 20);
    t->served_at = col_id(st, 21);
    t->ended_at = col_id(st, 22);
    t->transfers = ow_col_int(st, 23);
    t->service_id = col_id(st, 24);
    t->case_id = col_id(st, 25);
    CP(t->case_no, st, 26);
    t->call_id = col_id(st, 27);
}

static int each_ticket(ow_db *db, ow_stmt *st, const char *what,
                       int (*fn)(void *arg, const ow_hall_ticket *t), void *arg, ow_err *e) {
    int rc, out = OW_OK;
    ow_hall_ticket t;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_ticket(st, &t);
        if ((out = fn(arg, &t))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

int ow_hall_store_next_seq(ow_db *db, int64_t group, const char *day, int *seq, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_counters (group_id, day, last_seq, waiting) VALUES (?1, ?2, 1, 1)"
        " ON CONFLICT (group_id, day) DO UPDATE SET last_seq = hall_counters.last_seq + 1,"
        " waiting = hall_counters.waiting + 1 RETURNING last_seq";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    ow_bind_text(st, 2, day);
    int rc = ow_step(st);
    *seq = rc == OW_ROW ? ow_col_int(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall counter", e);
}

int ow_hall_store_ticket_insert(ow_db *db, const ow_hall_ticket *t, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_tickets (site_id, group_id, day, seq, number, source, priority, green,"
        " user_id, appointment_id, item_name, state, taken_at, queued_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'waiting', ?12, ?12) RETURNING id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, t->site_id);
    ow_bind_int64(st, 2, t->group_id);
    ow_bind_text(st, 3, t->day);
    ow_bind_int(st, 4, t->seq);
    ow_bind_text(st, 5, t->number);
    ow_bind_text(st, 6, t->source);
    ow_bind_int(st, 7, t->priority);
    ow_bind_int(st, 8, t->green ? 1 : 0);
    bind_id(st, 9, t->user_id);
    bind_id(st, 10, t->appointment_id);
    ow_bind_text(st, 11, t->item_name);
    ow_bind_int64(st, 12, t->taken_at);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall ticket insert", e);
}

int ow_hall_store_ticket(ow_db *db, int64_t id, ow_hall_ticket *out, ow_err *e) {
    static const char *sql = "SELECT " TICKET_COLS " FROM hall_tickets t WHERE t.id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) read_ticket(st, out);
    ow_reset(st);
    if (rc == OW_DONE) return not_found(e, "id", "号票不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "hall ticket", e);
    return OW_OK;
}

/* One more (delta 1) or one fewer (-1) waiting in group on day. */
static int waiting_delta(ow_db *db, int64_t group, const char *day, int delta, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_counters (group_id, day, last_seq, waiting) VALUES (?1, ?2, 0, ?3)"
        " ON CONFLICT (group_id, day) DO UPDATE SET waiting = hall_counters.waiting + ?3";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    ow_bind_text(st, 2, day);
    ow_bind_int(st, 3, delta);
    return done(db, st, "hall waiting count", e);
}

int ow_hall_store_ticket_save(ow_db *db, const ow_hall_ticket *t, const ow_hall_ticket *was,
                              ow_err *e) {
    static const char *sql =
        "UPDATE hall_tickets SET group_id = ?2, priority = ?3, state = ?4, queued_at = ?5,"
        " target_window_id = ?6, window_id = ?7, clerk_id = ?8, first_called_at = ?9,"
        " called_at = ?10, calls = ?11, served_at = ?12, ended_at = ?13, transfers = ?14,"
        " service_id = ?15, case_id = ?16, case_no = ?17, call_id = ?18 WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, t->id);
    ow_bind_int64(st, 2, t->group_id);
    ow_bind_int(st, 3, t->priority);
    ow_bind_text(st, 4, t->state);
    ow_bind_int64(st, 5, t->queued_at);
    bind_id(st, 6, t->target_window_id);
    bind_id(st, 7, t->window_id);
    bind_id(st, 8, t->clerk_id);
    bind_id(st, 9, t->first_called_at);
    bind_id(st, 10, t->called_at);
    ow_bind_int(st, 11, t->calls);
    bind_id(st, 12, t->served_at);
    bind_id(st, 13, t->ended_at);
    ow_bind_int(st, 14, t->transfers);
    bind_id(st, 15, t->service_id);
    bind_id(st, 16, t->case_id);
    ow_bind_text(st, 17, t->case_no);
    bind_id(st, 18, t->call_id);
    int rc = done(db, st, "hall ticket save", e);
    /* In a group's line: waiting and not transferred to a window. */
    bool in = !strcmp(was->state, "waiting") && !was->target_window_id;
    bool now = !strcmp(t->state, "waiting") && !t->target_window_id;
    bool moved = was->group_id != t->group_id;
    if (!rc && in && (!now || moved)) rc = waiting_delta(db, was->group_id, t->day, -1, e);
    if (!rc && now && (!in || moved)) rc = waiting_delta(db, t->group_id, t->day, 1, e);
    return rc;
}

int ow_hall_store_ticket_event(ow_db *db, int64_t ticket, int64_t at, const char *action,
                               int64_t window, int64_t actor, const char *actor_name,
                               const char *note, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_ticket_events (ticket_id, at, action, window_id, actor_id, actor_name,"
        " note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, ticket);
    ow_bind_int64(st, 2, at);
    ow_bind_text(st, 3, action);
    bind_id(st, 4, window);
    bind_id(st, 5, actor);
    ow_bind_text(st, 6, actor_name ? actor_name : "");
    ow_bind_text(st, 7, note ? note : "");
    return done(db, st, "hall ticket event", e);
}

int ow_hall_store_ticket_step(ow_db *db, int64_t id, ow_hall_ticket_step *out, ow_err *e) {
    static const char *sql = "SELECT id, ticket_id, at, coalesce(window_id, 0), action"
                             " FROM hall_ticket_events WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->id = ow_col_int64(st, 0);
        out->ticket_id = ow_col_int64(st, 1);
        out->at = ow_col_int64(st, 2);
        out->window_id = ow_col_int64(st, 3);
        CP(out->action, st, 4);
    }
    ow_reset(st);
    if (rc == OW_DONE) return not_found(e, "id", "叫号记录不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "hall ticket step", e);
    return OW_OK;
}

int ow_hall_store_last_call_step(ow_db *db, int64_t ticket, int64_t *id, ow_err *e) {
    static const char *sql = "SELECT coalesce(max(id), 0) FROM hall_ticket_events"
                             " WHERE ticket_id = ?1 AND action IN ('call', 'recall')";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, ticket);
    return one_int64(db, st, "hall last call", id, e);
}

int ow_hall_store_each_call_step_since(ow_db *db, int64_t site, int64_t since_ms,
                                       int (*fn)(void *arg, int64_t id), void *arg, ow_err *e) {
    static const char *sql =
        "SELECT ev.id FROM hall_ticket_events ev JOIN hall_tickets t ON t.id = ev.ticket_id"
        " WHERE ev.action IN ('call', 'recall') AND ev.at >= ?2 AND t.site_id = ?1"
        " ORDER BY ev.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_int64(st, 2, since_ms);
    int64_t ids[256];
    int n = 0, rc;
    while ((rc = ow_step(st)) == OW_ROW && n < 256)
        ids[n++] = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_DONE && rc != OW_ROW) return ow_db_fail(db, "hall recent calls", e);
    for (int i = 0; i < n; i++)
        if ((rc = fn(arg, ids[i]))) return rc;
    return OW_OK;
}

int ow_hall_store_each_ticket_event(ow_db *db, int64_t ticket,
                                    int (*fn)(void *arg, int64_t at, const char *action,
                                              const char *window_name, const char *actor_name,
                                              const char *note),
                                    void *arg, ow_err *e) {
    static const char *sql = "SELECT ev.at, ev.action, coalesce(o.name, ''), ev.actor_name, ev.note"
                             " FROM hall_ticket_events ev LEFT JOIN orgs o ON o.id = ev.window_id"
                             " WHERE ev.ticket_id = ?1 ORDER BY ev.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, ticket);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2),
                      ow_db_text(st, 3), ow_db_text(st, 4))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall ticket events", e);
    return out;
}

/* The first of a line: a group's tickets (not transferred to a window) or those
 * transferred to a window, in calling order. */
static int line_head(ow_db *db, const char *sql, int64_t key, const char *day, int64_t *id,
                     int *priority, int64_t *queued, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, key);
    ow_bind_text(st, 2, day);
    int rc = ow_step(st);
    *id = 0;
    if (rc == OW_ROW) {
        *id = ow_col_int64(st, 0);
        *priority = ow_col_int(st, 1);
        *queued = ow_col_int64(st, 2);
    }
    ow_reset(st);
    return rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "hall line head", e);
}

int ow_hall_store_next_waiting(ow_db *db, const char *day, int64_t window, int64_t *id, ow_err *e) {
    /* Each line's head from its index (no scan of the hall's whole queue), then the best
     * of them: by priority, then by the time it joined, then by number. */
    static const char *group_sql =
        "SELECT id, priority, queued_at FROM hall_tickets WHERE group_id = ?1 AND day = ?2"
        " AND state = 'waiting' AND target_window_id IS NULL"
        " ORDER BY priority DESC, queued_at, id LIMIT 1";
    static const char *target_sql =
        "SELECT id, priority, queued_at FROM hall_tickets WHERE target_window_id = ?1"
        " AND day = ?2 AND state = 'waiting' ORDER BY priority DESC, queued_at, id LIMIT 1";
    int64_t groups[64];
    int n, rc = ow_hall_store_window_groups(db, window, groups, 64, &n, e);
    if (rc) return rc;
    int64_t best = 0, best_queued = 0, cand, queued;
    int best_priority = -1, priority = 0;
    for (int i = 0; i <= n; i++) {
        rc = i < n ? line_head(db, group_sql, groups[i], day, &cand, &priority, &queued, e)
                   : line_head(db, target_sql, window, day, &cand, &priority, &queued, e);
        if (rc) return rc;
        if (!cand) continue;
        if (priority > best_priority ||
            (priority == best_priority &&
             (queued < best_queued || (queued == best_queued && cand < best)))) {
            best = cand;
            best_priority = priority;
            best_queued = queued;
        }
    }
    *id = best;
    return OW_OK;
}

static int count_capped(ow_db *db, const char *sql, int64_t key, const ow_hall_ticket *t, int *n,
                        ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, key);
    ow_bind_text(st, 2, t->day);
    ow_bind_int(st, 3, t->priority);
    ow_bind_int64(st, 4, t->queued_at);
    ow_bind_int64(st, 5, t->id);
    ow_bind_int(st, 6, OW_HALL_STORE_AHEAD_MAX);
    int64_t v;
    int rc = one_int64(db, st, "hall ahead", &v, e);
    *n = (int)v;
    return rc;
}

int ow_hall_store_ahead(ow_db *db, const ow_hall_ticket *t, int *n, ow_err *e) {
    /* Counting the tickets before t costs as many rows as there are.  An ordinary ticket
     * (priority 0, in its group's line) may be counted from the other end instead: all
     * in the group's line (the day's counter, which leaves out those transferred to a
     * window) less those behind it — for a ticket just taken, nobody.  Whichever end is nearer, as
     * its number tells. */
    static const char *before_sql =
        "SELECT count(*) FROM (SELECT 1 FROM hall_tickets WHERE group_id = ?1 AND day = ?2"
        " AND state = 'waiting' AND target_window_id IS NULL AND (priority > ?3"
        " OR (priority = ?3 AND (queued_at < ?4 OR (queued_at = ?4 AND id < ?5)))) LIMIT ?6)"
        " AS ahead";
    static const char *target_sql =
        "SELECT count(*) FROM (SELECT 1 FROM hall_tickets WHERE target_window_id = ?1"
        " AND day = ?2 AND state = 'waiting' AND (priority > ?3"
        " OR (priority = ?3 AND (queued_at < ?4 OR (queued_at = ?4 AND id < ?5)))) LIMIT ?6)"
        " AS ahead";
    static const char *after_sql =
        "SELECT count(*) FROM (SELECT 1 FROM hall_tickets WHERE group_id = ?1 AND day = ?2"
        " AND state = 'waiting' AND target_window_id IS NULL AND priority = ?3"
        " AND (queued_at > ?4 OR (queued_at = ?4 AND id > ?5)) LIMIT ?6) AS behind";
    static const char *counter_sql =
        "SELECT last_seq, waiting FROM hall_counters WHERE group_id = ?1 AND day = ?2";
    if (t->target_window_id) return count_capped(db, target_sql, t->target_window_id, t, n, e);
    if (t->priority != 0) return count_capped(db, before_sql, t->group_id, t, n, e);
    ow_stmt *st = ow_db_stmt(db, counter_sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, t->group_id);
    ow_bind_text(st, 2, t->day);
    int rc = ow_step(st);
    int last = rc == OW_ROW ? ow_col_int(st, 0) : 0, waiting = rc == OW_ROW ? ow_col_int(st, 1) : 0;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "hall counter", e);
    if (last - t->seq >= t->seq) return count_capped(db, before_sql, t->group_id, t, n, e);
    int behind;
    if ((rc = count_capped(db, after_sql, t->group_id, t, &behind, e))) return rc;
    if (behind == OW_HALL_STORE_AHEAD_MAX)
        return count_capped(db, before_sql, t->group_id, t, n, e);
    int ahead = waiting - 1 - behind;
    *n = ahead < 0 ? 0 : ahead > OW_HALL_STORE_AHEAD_MAX ? OW_HALL_STORE_AHEAD_MAX : ahead;
    return OW_OK;
}

int ow_hall_store_each_waiting(ow_db *db, int64_t site, const char *day,
                               int (*fn)(void *arg, int64_t group, int n), void *arg, ow_err *e) {
    static const char *sql =
        "SELECT c.group_id, c.waiting FROM hall_counters c JOIN hall_groups g ON g.id = c.group_id"
        " WHERE g.site_id = ?1 AND c.day = ?2 AND c.waiting > 0 ORDER BY c.group_id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, day);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_col_int(st, 1)))) break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall waiting", e);
    return out;
}

int ow_hall_store_oldest_waiting(ow_db *db, int64_t group, const char *day, int64_t *at,
                                 ow_err *e) {
    /* the line's index in order, to the first one not transferred (min() would read
     * every waiting row to test target_window_id) */
    static const char *sql = "SELECT queued_at FROM hall_tickets"
                             " WHERE group_id = ?1 AND day = ?2 AND state = 'waiting'"
                             " AND target_window_id IS NULL ORDER BY queued_at LIMIT 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    ow_bind_text(st, 2, day);
    return one_int64(db, st, "hall oldest waiting", at, e);
}

int ow_hall_store_open_windows_of(ow_db *db, int64_t group, int *n, ow_err *e) {
    static const char *sql = "SELECT count(*) FROM hall_group_windows gw JOIN hall_windows w ON "
                             "w.window_id = gw.window_id"
                             " WHERE gw.group_id = ?1 AND w.state = 'open'";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    int64_t v;
    int rc = one_int64(db, st, "hall open windows of", &v, e);
    *n = (int)v;
    return rc;
}

int ow_hall_store_each_open_windows(ow_db *db, int64_t site,
                                    int (*fn)(void *arg, int64_t group, int n), void *arg,
                                    ow_err *e) {
    static const char *sql =
        "SELECT gw.group_id, count(*) FROM hall_group_windows gw"
        " JOIN hall_groups g ON g.id = gw.group_id JOIN hall_windows w ON w.window_id = "
        "gw.window_id"
        " WHERE g.site_id = ?1 AND g.active = 1 AND w.state = 'open' GROUP BY gw.group_id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_col_int(st, 1)))) break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall open windows", e);
    return out;
}

int ow_hall_store_service_mean(ow_db *db, int64_t group, const char *day, int *n, int64_t *mean,
                               ow_err *e) {
    static const char *sql =
        "SELECT served, served_ms FROM hall_counters WHERE group_id = ?1 AND day = ?2";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    ow_bind_text(st, 2, day);
    int rc = ow_step(st);
    *n = 0;
    *mean = 0;
    if (rc == OW_ROW) {
        *n = ow_col_int(st, 0);
        int64_t sum = ow_col_int64(st, 1);
        *mean = *n ? sum / *n : 0;
    }
    ow_reset(st);
    return rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "hall service mean", e);
}

int ow_hall_store_user_open_ticket(ow_db *db, int64_t user, int64_t site, const char *day,
                                   int64_t *id, ow_err *e) {
    static const char *sql =
        "SELECT id FROM hall_tickets WHERE user_id = ?1 AND day = ?3 AND site_id = ?2"
        " AND state IN ('waiting', 'called', 'serving') ORDER BY id DESC LIMIT 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user);
    ow_bind_int64(st, 2, site);
    ow_bind_text(st, 3, day);
    return one_int64(db, st, "hall open ticket", id, e);
}

int ow_hall_store_each_user_ticket(ow_db *db, int64_t user, const char *day,
                                   int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                   ow_err *e) {
    static const char *sql = "SELECT " TICKET_COLS " FROM hall_tickets t"
                             " WHERE t.user_id = ?1 AND t.day = ?2 ORDER BY t.id DESC";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user);
    ow_bind_text(st, 2, day);
    return each_ticket(db, st, "hall user tickets", fn, arg, e);
}

int ow_hall_store_clerk_ticket(ow_db *db, int64_t clerk, int64_t *id, ow_err *e) {
    static const char *sql = "SELECT coalesce(max(id), 0) FROM hall_tickets WHERE clerk_id = ?1"
                             " AND state IN ('called', 'serving')";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, clerk);
    return one_int64(db, st, "hall clerk ticket", id, e);
}

int ow_hall_store_each_called(ow_db *db, int64_t site, const char *day, int limit,
                              int (*fn)(void *arg, const ow_hall_ticket *t), void *arg, ow_err *e) {
    static const char *sql = "SELECT " TICKET_COLS " FROM hall_tickets t WHERE t.site_id = ?1"
                             " AND t.day = ?2 AND t.called_at IS NOT NULL"
                             " ORDER BY t.called_at DESC, t.id DESC LIMIT ?3";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, day);
    ow_bind_int(st, 3, limit);
    return each_ticket(db, st, "hall called tickets", fn, arg, e);
}

int ow_hall_store_each_called_at(ow_db *db, int64_t window, const char *day, int limit,
                                 int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                 ow_err *e) {
    static const char *sql = "SELECT " TICKET_COLS " FROM hall_tickets t WHERE t.window_id = ?1"
                             " AND t.day = ?2 AND t.called_at IS NOT NULL"
                             " ORDER BY t.called_at DESC, t.id DESC LIMIT ?3";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window);
    ow_bind_text(st, 2, day);
    ow_bind_int(st, 3, limit);
    return each_ticket(db, st, "hall window calls", fn, arg, e);
}

int ow_hall_store_each_at_window(ow_db *db, int64_t site, const char *day,
                                 int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                 ow_err *e) {
    static const char *sql = "SELECT " TICKET_COLS " FROM hall_tickets t WHERE t.site_id = ?1"
                             " AND t.day = ?2 AND t.state IN ('called', 'serving') ORDER BY t.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, day);
    return each_ticket(db, st, "hall tickets at windows", fn, arg, e);
}

int ow_hall_store_each_stale_ticket(ow_db *db, const char *day,
                                    int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                    ow_err *e) {
    static const char *sql = "SELECT " TICKET_COLS " FROM hall_tickets t WHERE t.day < ?1"
                             " AND t.state IN ('waiting', 'called', 'serving') ORDER BY t.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, day);
    return each_ticket(db, st, "hall stale tickets", fn, arg, e);
}

int ow_hall_store_service_rating(ow_db *db, int64_t service, int *level, ow_err *e) {
    static const char *sql =
        "SELECT level FROM ratings WHERE service_id = ?1 AND void = 0 ORDER BY id LIMIT 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, service);
    int64_t v;
    int rc = one_int64(db, st, "hall service rating", &v, e);
    *level = (int)v;
    return rc;
}

/* ---- calls ---- */

#define CALL_COLS                                                                                  \
    "c.id, c.ticket_id, c.site_id, c.group_id, c.day, c.window_id, c.clerk_id, c.clerk_name,"      \
    " c.queued_at, c.called_at, c.recalls, c.served_at, c.ended_at, c.outcome, c.service_id"

static void read_call(ow_stmt *st, ow_hall_call *c) {
    c->id = ow_col_int64(st, 0);
    c->ticket_id = ow_col_int64(st, 1);
    c->site_id = ow_col_int64(st, 2);
    c->group_id = ow_col_int64(st, 3);
    CP(c->day, st, 4);
    c->window_id = ow_col_int64(st, 5);
    c->clerk_id = ow_col_int64(st, 6);
    CP(c->clerk_name, st, 7);
    c->queued_at = ow_col_int64(st, 8);
    c->called_at = ow_col_int64(st, 9);
    c->recalls = ow_col_int(st, 10);
    c->served_at = col_id(st, 11);
    c->ended_at = col_id(st, 12);
    CP(c->outcome, st, 13);
    c->service_id = col_id(st, 14);
}

int ow_hall_store_call_insert(ow_db *db, const ow_hall_call *c, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_calls (ticket_id, site_id, group_id, day, window_id, clerk_id,"
        " clerk_name, queued_at, called_at, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
        " 'open') RETURNING id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, c->ticket_id);
    ow_bind_int64(st, 2, c->site_id);
    ow_bind_int64(st, 3, c->group_id);
    ow_bind_text(st, 4, c->day);
    ow_bind_int64(st, 5, c->window_id);
    ow_bind_int64(st, 6, c->clerk_id);
    ow_bind_text(st, 7, c->clerk_name);
    ow_bind_int64(st, 8, c->queued_at);
    ow_bind_int64(st, 9, c->called_at);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall call insert", e);
}

/* What a call adds to its group's service time of the day: one done after service. */
static bool call_served(const char *outcome, int64_t served_at, int64_t ended_at, int64_t *ms) {
    *ms = ended_at - served_at;
    return !strcmp(outcome, "done") && served_at && ended_at;
}

static int served_delta(ow_db *db, int64_t group, const char *day, int n, int64_t ms, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_counters (group_id, day, last_seq, waiting, served, served_ms)"
        " VALUES (?1, ?2, 0, 0, ?3, ?4) ON CONFLICT (group_id, day) DO UPDATE SET"
        " served = hall_counters.served + ?3, served_ms = hall_counters.served_ms + ?4";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, group);
    ow_bind_text(st, 2, day);
    ow_bind_int(st, 3, n);
    ow_bind_int64(st, 4, ms);
    return done(db, st, "hall served count", e);
}

int ow_hall_store_call_save(ow_db *db, const ow_hall_call *c, ow_err *e) {
    static const char *sql = "UPDATE hall_calls SET recalls = ?2, served_at = ?3, ended_at = ?4,"
                             " outcome = ?5, service_id = ?6, called_at = ?7 WHERE id = ?1";
    ow_hall_call was;
    int rc = ow_hall_store_call(db, c->id, &was, e);
    if (rc) return rc;
    int64_t was_ms, now_ms;
    bool was_in = call_served(was.outcome, was.served_at, was.ended_at, &was_ms);
    bool now_in = call_served(c->outcome, c->served_at, c->ended_at, &now_ms);
    if (was_in && (rc = served_delta(db, was.group_id, was.day, -1, -was_ms, e))) return rc;
    if (now_in && (rc = served_delta(db, c->group_id, c->day, 1, now_ms, e))) return rc;
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, c->id);
    ow_bind_int(st, 2, c->recalls);
    bind_id(st, 3, c->served_at);
    bind_id(st, 4, c->ended_at);
    ow_bind_text(st, 5, c->outcome);
    bind_id(st, 6, c->service_id);
    ow_bind_int64(st, 7, c->called_at);
    return done(db, st, "hall call save", e);
}

int ow_hall_store_call(ow_db *db, int64_t id, ow_hall_call *out, ow_err *e) {
    static const char *sql = "SELECT " CALL_COLS " FROM hall_calls c WHERE c.id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) read_call(st, out);
    ow_reset(st);
    if (rc == OW_DONE) return not_found(e, "id", "叫号记录不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "hall call", e);
    return OW_OK;
}

/* ---- windows and pauses ---- */

int ow_hall_store_window(ow_db *db, int64_t window, ow_hall_window *out, bool *found, ow_err *e) {
    static const char *sql = "SELECT window_id, site_id, state, clerk_id, clerk_name, pause_id,"
                             " since FROM hall_windows WHERE window_id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window);
    int rc = ow_step(st);
    memset(out, 0, sizeof *out);
    if (rc == OW_ROW) {
        out->window_id = ow_col_int64(st, 0);
        out->site_id = ow_col_int64(st, 1);
        CP(out->state, st, 2);
        out->clerk_id = col_id(st, 3);
        CP(out->clerk_name, st, 4);
        out->pause_id = col_id(st, 5);
        out->since = ow_col_int64(st, 6);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "hall window", e);
    *found = rc == OW_ROW;
    return OW_OK;
}

int ow_hall_store_window_put(ow_db *db, const ow_hall_window *w, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_windows (window_id, site_id, state, clerk_id, clerk_name, pause_id,"
        " since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (window_id) DO UPDATE SET"
        " site_id = excluded.site_id, state = excluded.state, clerk_id = excluded.clerk_id,"
        " clerk_name = excluded.clerk_name, pause_id = excluded.pause_id, since = excluded.since";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, w->window_id);
    ow_bind_int64(st, 2, w->site_id);
    ow_bind_text(st, 3, w->state);
    bind_id(st, 4, w->clerk_id);
    ow_bind_text(st, 5, w->clerk_name);
    bind_id(st, 6, w->pause_id);
    ow_bind_int64(st, 7, w->since);
    return done(db, st, "hall window put", e);
}

/* A window's row as both window queries select it: window_id, site_id, state, clerk_id,
 * clerk_name, pause_id, since in columns 0-6. */
static void window_row(ow_stmt *st, ow_hall_window *w) {
    memset(w, 0, sizeof *w);
    w->window_id = ow_col_int64(st, 0);
    w->site_id = ow_col_int64(st, 1);
    CP(w->state, st, 2);
    w->clerk_id = col_id(st, 3);
    CP(w->clerk_name, st, 4);
    w->pause_id = col_id(st, 5);
    w->since = ow_col_int64(st, 6);
}

int ow_hall_store_each_window_state(ow_db *db, int64_t site,
                                    int (*fn)(void *arg, const ow_hall_window *w,
                                              const char *reason),
                                    void *arg, ow_err *e) {
    static const char *sql =
        "SELECT w.window_id, w.site_id, w.state, w.clerk_id, w.clerk_name, w.pause_id, w.since,"
        " coalesce(p.reason, '') FROM hall_windows w LEFT JOIN hall_pauses p ON p.id = w.pause_id"
        " WHERE w.site_id = ?1 ORDER BY w.window_id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    int rc, out = OW_OK;
    ow_hall_window w;
    while ((rc = ow_step(st)) == OW_ROW) {
        window_row(st, &w);
        if ((out = fn(arg, &w, ow_db_text(st, 7)))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall window states", e);
    return out;
}

int ow_hall_store_each_stale_window(ow_db *db, int64_t before_ms,
                                    int (*fn)(void *arg, const ow_hall_window *w), void *arg,
                                    ow_err *e) {
    static const char *sql = "SELECT window_id, site_id, state, clerk_id, clerk_name, pause_id,"
                             " since FROM hall_windows WHERE state <> 'closed' AND since < ?1"
                             " ORDER BY window_id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, before_ms);
    int rc, out = OW_OK;
    ow_hall_window w;
    while ((rc = ow_step(st)) == OW_ROW) {
        window_row(st, &w);
        if ((out = fn(arg, &w))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall stale windows", e);
    return out;
}

#define PAUSE_COLS                                                                                 \
    "p.id, p.site_id, p.window_id, p.clerk_id, p.clerk_name, p.day, p.reason, p.note,"             \
    " p.started_at, p.ended_at"

static void read_pause(ow_stmt *st, ow_hall_pause *p) {
    p->id = ow_col_int64(st, 0);
    p->site_id = ow_col_int64(st, 1);
    p->window_id = ow_col_int64(st, 2);
    p->clerk_id = ow_col_int64(st, 3);
    CP(p->clerk_name, st, 4);
    CP(p->day, st, 5);
    CP(p->reason, st, 6);
    CP(p->note, st, 7);
    p->started_at = ow_col_int64(st, 8);
    p->ended_at = col_id(st, 9);
}

int ow_hall_store_pause_insert(ow_db *db, const ow_hall_pause *p, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_pauses (site_id, window_id, clerk_id, clerk_name, day, reason, note,"
        " started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, p->site_id);
    ow_bind_int64(st, 2, p->window_id);
    ow_bind_int64(st, 3, p->clerk_id);
    ow_bind_text(st, 4, p->clerk_name);
    ow_bind_text(st, 5, p->day);
    ow_bind_text(st, 6, p->reason);
    ow_bind_text(st, 7, p->note);
    ow_bind_int64(st, 8, p->started_at);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall pause insert", e);
}

int ow_hall_store_pause_end(ow_db *db, int64_t id, int64_t at, ow_err *e) {
    static const char *sql =
        "UPDATE hall_pauses SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, at);
    return done(db, st, "hall pause end", e);
}

int ow_hall_store_pause(ow_db *db, int64_t id, ow_hall_pause *out, ow_err *e) {
    static const char *sql = "SELECT " PAUSE_COLS " FROM hall_pauses p WHERE p.id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) read_pause(st, out);
    ow_reset(st);
    if (rc == OW_DONE) return not_found(e, "pause_id", "暂停记录不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "hall pause", e);
    return OW_OK;
}

/* ---- figures ---- */

/* Every hall's rows of a period (site 0): the halls one by one, each through its
 * (site_id, day) index, ?1 unused; a hall since closed keeps its figures. */
#define ALL_HALLS " WHERE o.kind IN ('center', 'township') AND ?1 = 0"

int ow_hall_store_each_ticket_in(ow_db *db, int64_t site, const char *from, const char *to,
                                 int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                 ow_err *e) {
    static const char *one = "SELECT " TICKET_COLS " FROM hall_tickets t"
                             " WHERE t.site_id = ?1 AND t.day >= ?2 AND t.day <= ?3 ORDER BY t.id";
    static const char *all =
        "SELECT " TICKET_COLS " FROM orgs o JOIN hall_tickets t"
        " ON t.site_id = o.id AND t.day >= ?2 AND t.day <= ?3" ALL_HALLS " ORDER BY t.id";
    ow_stmt *st = ow_db_stmt(db, site ? one : all, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, from);
    ow_bind_text(st, 3, to);
    return each_ticket(db, st, "hall tickets in", fn, arg, e);
}

int ow_hall_store_each_call_in(ow_db *db, int64_t site, const char *from, const char *to,
                               int (*fn)(void *arg, const ow_hall_call *c, int level), void *arg,
                               ow_err *e) {
    static const char *one = "SELECT " CALL_COLS ", coalesce(r.level, 0) FROM hall_calls c"
                             " LEFT JOIN ratings r ON r.service_id = c.service_id AND r.void = 0"
                             " WHERE c.site_id = ?1 AND c.day >= ?2 AND c.day <= ?3 ORDER BY c.id";
    static const char *all =
        "SELECT " CALL_COLS ", coalesce(r.level, 0) FROM orgs o JOIN hall_calls c"
        " ON c.site_id = o.id AND c.day >= ?2 AND c.day <= ?3"
        " LEFT JOIN ratings r ON r.service_id = c.service_id AND r.void = 0" ALL_HALLS
        " ORDER BY c.id";
    ow_stmt *st = ow_db_stmt(db, site ? one : all, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, from);
    ow_bind_text(st, 3, to);
    int rc, out = OW_OK;
    ow_hall_call c;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_call(st, &c);
        if ((out = fn(arg, &c, ow_col_int(st, 15)))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall calls in", e);
    return out;
}

int ow_hall_store_each_pause_in(ow_db *db, int64_t site, const char *from, const char *to,
                                int (*fn)(void *arg, const ow_hall_pause *p), void *arg,
                                ow_err *e) {
    static const char *one = "SELECT " PAUSE_COLS " FROM hall_pauses p"
                             " WHERE p.site_id = ?1 AND p.day >= ?2 AND p.day <= ?3 ORDER BY p.id";
    static const char *all =
        "SELECT " PAUSE_COLS " FROM orgs o JOIN hall_pauses p"
        " ON p.site_id = o.id AND p.day >= ?2 AND p.day <= ?3" ALL_HALLS " ORDER BY p.id";
    ow_stmt *st = ow_db_stmt(db, site ? one : all, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, from);
    ow_bind_text(st, 3, to);
    int rc, out = OW_OK;
    ow_hall_pause p;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_pause(st, &p);
        if ((out = fn(arg, &p))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall pauses in", e);
    return out;
}

int ow_hall_store_window_day(ow_db *db, int64_t window, int64_t from_ms, int64_t to_ms,
                             ow_hall_window_day *out, ow_err *e) {
#define SERVED "served_at IS NOT NULL AND ended_at IS NOT NULL AND outcome <> 'open'"
    static const char *sql =
        "SELECT count(*), coalesce(sum(called_at - queued_at), 0),"
        " coalesce(sum(CASE WHEN outcome = 'done' THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN outcome = 'no_show' THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN outcome = 'transferred' THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN " SERVED " THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN " SERVED " THEN ended_at - served_at ELSE 0 END), 0)"
        " FROM hall_calls WHERE window_id = ?1 AND called_at >= ?2 AND called_at < ?3";
#undef SERVED
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window);
    ow_bind_int64(st, 2, from_ms);
    ow_bind_int64(st, 3, to_ms);
    int rc = ow_step(st);
    *out = (ow_hall_window_day){0};
    if (rc == OW_ROW) {
        out->called = ow_col_int(st, 0);
        out->wait_ms = ow_col_int64(st, 1);
        out->served = ow_col_int(st, 2);
        out->no_show = ow_col_int(st, 3);
        out->transferred = ow_col_int(st, 4);
        out->services = ow_col_int(st, 5);
        out->service_ms = ow_col_int64(st, 6);
    }
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall window's day", e);
}

int ow_hall_store_each_pause_at(ow_db *db, int64_t window, int64_t from_ms, int64_t to_ms,
                                int (*fn)(void *arg, const ow_hall_pause *p), void *arg,
                                ow_err *e) {
    static const char *sql = "SELECT " PAUSE_COLS " FROM hall_pauses p WHERE p.window_id = ?1"
                             " AND p.started_at >= ?2 AND p.started_at < ?3 ORDER BY p.started_at";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window);
    ow_bind_int64(st, 2, from_ms);
    ow_bind_int64(st, 3, to_ms);
    int rc, out = OW_OK;
    ow_hall_pause p;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_pause(st, &p);
        if ((out = fn(arg, &p))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall window's pauses", e);
    return out;
}

int ow_hall_store_each_appt_in(ow_db *db, int64_t site, const char *from, const char *to,
                               ow_hall_appt_fn fn, void *arg, ow_err *e) {
    static const char *one = "SELECT " APPT_COLS " FROM hall_appointments a"
                             " WHERE a.site_id = ?1 AND a.day >= ?2 AND a.day <= ?3 ORDER BY a.id";
    static const char *all =
        "SELECT " APPT_COLS " FROM orgs o JOIN hall_appointments a"
        " ON a.site_id = o.id AND a.day >= ?2 AND a.day <= ?3" ALL_HALLS " ORDER BY a.id";
    ow_stmt *st = ow_db_stmt(db, site ? one : all, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, site);
    ow_bind_text(st, 2, from);
    ow_bind_text(st, 3, to);
    return each_appt(db, st, "hall appointments in", fn, arg, e);
}

int ow_hall_store_each_clerk_rating(ow_db *db, int64_t site, int32_t from, int32_t to,
                                    int (*fn)(void *arg, int64_t clerk, const char *name, int n,
                                              int sum, int bad),
                                    void *arg, ow_err *e) {
    static const char *sql =
        "SELECT r.staff_id, coalesce(u.name, ''), count(*), sum(r.level),"
        " sum(CASE WHEN r.level <= 2 THEN 1 ELSE 0 END) FROM ratings r"
        " LEFT JOIN users u ON u.id = r.staff_id"
        " WHERE r.channel = 'kiosk' AND r.void = 0 AND r.staff_id IS NOT NULL"
        " AND r.rated_date >= ?1 AND r.rated_date <= ?2 AND (?3 = 0 OR r.org_id = ?3"
        " OR r.org_id IN (SELECT id FROM orgs WHERE parent_id = ?3))"
        " GROUP BY r.staff_id, u.name";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, from);
    ow_bind_int(st, 2, to);
    ow_bind_int64(st, 3, site);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_col_int(st, 2),
                      ow_col_int(st, 3), ow_col_int(st, 4))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall clerk ratings", e);
    return out;
}

/* ---- 帮办代办 ---- */

#define ASSIST_COLS                                                                                \
    "a.id, a.org_id, a.helper_id, a.helper_name, a.kind, a.applicant_name, a.id_number_idx,"       \
    " a.id_masked, a.mobile_masked, a.item_id, a.item_name, a.case_id, a.case_no, a.ticket_id,"    \
    " a.started_at, a.ended_at, a.minutes, a.note, a.state, a.confirm_channel, a.confirm_note,"    \
    " a.confirmed_at, a.day, a.created_at, coalesce(o.name, '')"
#define ASSIST_FROM " FROM hall_assists a LEFT JOIN orgs o ON o.id = a.org_id"

static void read_assist(ow_stmt *st, ow_hall_assist *a) {
    memset(a, 0, sizeof *a);
    a->id = ow_col_int64(st, 0);
    a->org_id = ow_col_int64(st, 1);
    a->helper_id = ow_col_int64(st, 2);
    CP(a->helper_name, st, 3);
    CP(a->kind, st, 4);
    CP(a->applicant_name, st, 5);
    CP(a->id_number_idx, st, 6);
    CP(a->id_masked, st, 7);
    CP(a->mobile_masked, st, 8);
    a->item_id = col_id(st, 9);
    CP(a->item_name, st, 10);
    a->case_id = col_id(st, 11);
    CP(a->case_no, st, 12);
    a->ticket_id = col_id(st, 13);
    a->started_at = ow_col_int64(st, 14);
    a->ended_at = ow_col_int64(st, 15);
    a->minutes = ow_col_int(st, 16);
    CP(a->note, st, 17);
    CP(a->state, st, 18);
    CP(a->confirm_channel, st, 19);
    CP(a->confirm_note, st, 20);
    a->confirmed_at = col_id(st, 21);
    CP(a->day, st, 22);
    a->created_at = ow_col_int64(st, 23);
    CP(a->org_name, st, 24);
}

int ow_hall_store_assist_insert(ow_db *db, const ow_hall_assist *a, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO hall_assists (org_id, helper_id, helper_name, kind, applicant_name,"
        " id_number_enc, id_number_idx, id_masked, mobile_masked, item_id, item_name, case_id,"
        " case_no, ticket_id, started_at, ended_at, minutes, note, state, day, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
        " ?18, 'recorded', ?19, ?20) RETURNING id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, a->org_id);
    ow_bind_int64(st, 2, a->helper_id);
    ow_bind_text(st, 3, a->helper_name);
    ow_bind_text(st, 4, a->kind);
    ow_bind_text(st, 5, a->applicant_name);
    ow_bind_text(st, 6, a->id_number_enc);
    ow_bind_text(st, 7, a->id_number_idx);
    ow_bind_text(st, 8, a->id_masked);
    ow_bind_text(st, 9, a->mobile_masked);
    bind_id(st, 10, a->item_id);
    ow_bind_text(st, 11, a->item_name);
    bind_id(st, 12, a->case_id);
    ow_bind_text(st, 13, a->case_no);
    bind_id(st, 14, a->ticket_id);
    ow_bind_int64(st, 15, a->started_at);
    ow_bind_int64(st, 16, a->ended_at);
    ow_bind_int(st, 17, a->minutes);
    ow_bind_text(st, 18, a->note);
    ow_bind_text(st, 19, a->day);
    ow_bind_int64(st, 20, a->created_at);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "hall assist insert", e);
}

int ow_hall_store_assist(ow_db *db, int64_t id, ow_hall_assist *out, ow_err *e) {
    static const char *sql = "SELECT " ASSIST_COLS ASSIST_FROM " WHERE a.id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) read_assist(st, out);
    ow_reset(st);
    if (rc == OW_DONE) return not_found(e, "id", "帮办代办记录不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "hall assist", e);
    return OW_OK;
}

int ow_hall_store_assist_confirm(ow_db *db, int64_t id, const char *state, const char *channel,
                                 const char *note, int64_t at, ow_err *e) {
    static const char *sql = "UPDATE hall_assists SET state = ?2, confirm_channel = ?3,"
                             " confirm_note = ?4, confirmed_at = ?5 WHERE id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, state);
    ow_bind_text(st, 3, channel);
    ow_bind_text(st, 4, note ? note : "");
    ow_bind_int64(st, 5, at);
    return done(db, st, "hall assist confirm", e);
}

#define ASSIST_WHERE                                                                               \
    " WHERE (?1 = 0 OR a.org_id = ?1 OR a.org_id IN (SELECT id FROM orgs WHERE parent_id = ?1))"   \
    " AND (?2 IS NULL OR a.id_number_idx = ?2) AND (?3 IS NULL OR a.day >= ?3)"                    \
    " AND (?4 IS NULL OR a.day <= ?4) AND (?5 IS NULL OR a.state = ?5)"

static void bind_assist_filter(ow_stmt *st, const ow_hall_assist_filter *f) {
    ow_bind_int64(st, 1, f->org_id);
    bind_text_or_null(st, 2, f->applicant_idx);
    bind_text_or_null(st, 3, f->from);
    bind_text_or_null(st, 4, f->to);
    bind_text_or_null(st, 5, f->state);
}

int ow_hall_store_assist_count(ow_db *db, const ow_hall_assist_filter *f, int64_t *n, ow_err *e) {
    static const char *sql = "SELECT count(*) FROM hall_assists a" ASSIST_WHERE;
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    bind_assist_filter(st, f);
    return one_int64(db, st, "hall assist count", n, e);
}

int ow_hall_store_assist_page(ow_db *db, const ow_hall_assist_filter *f, int limit, int64_t offset,
                              int (*fn)(void *arg, const ow_hall_assist *a), void *arg, ow_err *e) {
    static const char *sql =
        "SELECT " ASSIST_COLS ASSIST_FROM ASSIST_WHERE " ORDER BY a.id DESC LIMIT ?6 OFFSET ?7";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    bind_assist_filter(st, f);
    ow_bind_int(st, 6, limit);
    ow_bind_int64(st, 7, offset);
    int rc, out = OW_OK;
    ow_hall_assist a;
    while ((rc = ow_step(st)) == OW_ROW) {
        read_assist(st, &a);
        if ((out = fn(arg, &a))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "hall assist page", e);
    return out;
}
