/* bundle_store.c — see bundle_store.h. */
#include "store/bundle_store.h"

#include <stdio.h>
#include <string.h>

#include "core/workdays.h"
#include "store/db.h"
#include "store/rows.h"

/* ---------------- bundles ---------------- */

int ow_bundle_store_name_taken(ow_db *db, const char *name, int64_t except_id, bool *taken,
                               ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM bundles WHERE name = ? AND id <> ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, name);
    ow_bind_int64(st, 2, except_id);
    int64_t n = 0;
    int rc = ow_rows_int64(db, st, &n, "bundle name", e);
    *taken = n > 0;
    return rc;
}

int ow_bundle_store_put(ow_db *db, const ow_bundle_row *r, int64_t *id, ow_err *e) {
    if (!r->id) {
        ow_stmt *st = ow_db_stmt(db,
                                 "INSERT INTO bundles (name, life_event, target, committed_days,"
                                 " on_denial, active, created_at, updated_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                                 e);
        if (!st) return OW_EDB;
        ow_bind_text(st, 1, r->name);
        ow_bind_text(st, 2, r->life_event);
        ow_bind_text(st, 3, r->target);
        ow_bind_int(st, 4, r->committed_days);
        ow_bind_text(st, 5, r->on_denial);
        ow_bind_int(st, 6, r->active);
        ow_bind_int64(st, 7, r->updated_at);
        return ow_rows_insert(db, st, id, "bundle insert", e);
    }
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE bundles SET name = ?1, life_event = ?2, target = ?3,"
                             " committed_days = ?4, on_denial = ?5, active = ?6, updated_at = ?7"
                             " WHERE id = ?8",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, r->name);
    ow_bind_text(st, 2, r->life_event);
    ow_bind_text(st, 3, r->target);
    ow_bind_int(st, 4, r->committed_days);
    ow_bind_text(st, 5, r->on_denial);
    ow_bind_int(st, 6, r->active);
    ow_bind_int64(st, 7, r->updated_at);
    ow_bind_int64(st, 8, r->id);
    *id = r->id;
    return ow_rows_done(db, st, "bundle update", e);
}

int ow_bundle_store_put_items(ow_db *db, int64_t bundle_id, const ow_bundle_item_row *items, int n,
                              ow_err *e) {
    ow_stmt *del = ow_db_stmt(db, "DELETE FROM bundle_items WHERE bundle_id = ?", e);
    if (!del) return OW_EDB;
    ow_bind_int64(del, 1, bundle_id);
    int rc = ow_rows_done(db, del, "bundle items delete", e);
    if (rc) return rc;
    for (int i = 0; i < n; i++) {
        ow_stmt *st = ow_db_stmt(db,
                                 "INSERT INTO bundle_items (bundle_id, seq, item_id, waits_for,"
                                 " via_material, fields) VALUES (?, ?, ?, ?, ?, ?)",
                                 e);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, bundle_id);
        ow_bind_int(st, 2, items[i].seq);
        ow_bind_int64(st, 3, items[i].item_id);
        if (items[i].waits_for > 0)
            ow_bind_int(st, 4, items[i].waits_for);
        else
            ow_bind_null(st, 4);
        ow_rows_bind_opt_text(st, 5, items[i].waits_for > 0 ? items[i].via_material : NULL);
        ow_bind_text(st, 6, items[i].fields ? items[i].fields : "[]");
        if ((rc = ow_rows_done(db, st, "bundle item insert", e))) return rc;
    }
    return OW_OK;
}

#define BUNDLE_COLS                                                                                \
    "id, name, life_event, target, committed_days, on_denial, active, created_at, updated_at"

static void bundle_row(ow_arena *a, ow_stmt *st, ow_bundle_row *r) {
    r->id = ow_col_int64(st, 0);
    r->name = ow_rows_dupe(a, st, 1);
    r->life_event = ow_rows_dupe(a, st, 2);
    r->target = ow_rows_dupe(a, st, 3);
    r->committed_days = ow_col_int(st, 4);
    r->on_denial = ow_rows_dupe(a, st, 5);
    r->active = ow_col_int(st, 6) != 0;
    r->created_at = ow_col_int64(st, 7);
    r->updated_at = ow_col_int64(st, 8);
}

int ow_bundle_store_get(ow_db *db, ow_arena *a, int64_t id, ow_bundle_row *out, bool *found,
                        ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT " BUNDLE_COLS " FROM bundles WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) bundle_row(a, st, out);
    return ow_rows_one_done(db, st, rc, "bundle get", e);
}

/* Rows gathered into a growing arena array. */
typedef struct gather {
    ow_arena *a;
    void *v;
    int n, cap;
    size_t size;
} gather;

static void *gather_next(gather *g) {
    if (g->n == g->cap) {
        int cap = g->cap ? g->cap * 2 : 8;
        void *v = ow_alloc(g->a, (size_t)cap * g->size);
        if (g->n) memcpy(v, g->v, (size_t)g->n * g->size);
        g->v = v;
        g->cap = cap;
    }
    return (char *)g->v + (size_t)g->n++ * g->size;
}

static int each_bundle(ow_stmt *st, void *ctx) {
    gather *g = ctx;
    bundle_row(g->a, st, gather_next(g));
    return OW_OK;
}

int ow_bundle_store_list(ow_db *db, ow_arena *a, bool all, ow_bundle_row **out, int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT " BUNDLE_COLS " FROM bundles WHERE ?1 = 1 OR active = 1 ORDER BY id", e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, all);
    gather g = {.a = a, .size = sizeof **out};
    int rc = ow_rows_each(db, st, each_bundle, &g, "bundle list", e);
    *out = g.v;
    *n = g.n;
    return rc;
}

static int each_item(ow_stmt *st, void *ctx) {
    gather *g = ctx;
    ow_bundle_item_row *r = gather_next(g);
    r->seq = ow_col_int(st, 0);
    r->item_id = ow_col_int64(st, 1);
    r->waits_for = ow_col_null(st, 2) ? 0 : ow_col_int(st, 2);
    r->via_material = ow_rows_dupe(g->a, st, 3);
    r->fields = ow_rows_dupe(g->a, st, 4);
    return OW_OK;
}

int ow_bundle_store_items(ow_db *db, ow_arena *a, int64_t bundle_id, ow_bundle_item_row **out,
                          int *n, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT seq, item_id, waits_for, via_material, fields FROM bundle_items"
                   " WHERE bundle_id = ? ORDER BY seq",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, bundle_id);
    gather g = {.a = a, .size = sizeof **out};
    int rc = ow_rows_each(db, st, each_item, &g, "bundle items", e);
    *out = g.v;
    *n = g.n;
    return rc;
}

/* ---------------- applications ---------------- */

int ow_bundle_store_next_no(ow_db *db, const char *day, int64_t *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO bundle_seq(day, n) VALUES(?, 1)"
                             " ON CONFLICT(day) DO UPDATE SET n = bundle_seq.n + 1 RETURNING n",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, day);
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    if (rc == OW_ROW) rc = ow_step(st);
    int out = rc == OW_DONE && *n ? OW_OK : ow_db_fail(db, "bundle number", e);
    ow_reset(st);
    return out;
}

int ow_bundle_store_app_insert(ow_db *db, const ow_bundle_app_row *r, const char *idem_key,
                               int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO bundle_apps (app_no, bundle_id, bundle_name, on_denial, applicant_user_id,"
        " filed_by, applicant_name, id_masked, channel, form, state, received_date, due_date,"
        " submitted_at, updated_at, idem_key)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, r->app_no);
    ow_bind_int64(st, 2, r->bundle_id);
    ow_bind_text(st, 3, r->bundle_name);
    ow_bind_text(st, 4, r->on_denial);
    ow_rows_bind_opt_id(st, 5, r->applicant_user_id);
    ow_bind_int64(st, 6, r->filed_by);
    ow_bind_text(st, 7, r->applicant_name);
    ow_bind_text(st, 8, r->id_masked);
    ow_bind_text(st, 9, r->channel);
    ow_bind_text(st, 10, r->form);
    ow_bind_text(st, 11, r->state);
    ow_bind_int(st, 12, r->received_date);
    ow_rows_bind_daynum(st, 13, r->due_date);
    ow_bind_int64(st, 14, r->submitted_at);
    ow_rows_bind_opt_text(st, 15, idem_key);
    return ow_rows_insert(db, st, id, "bundle app insert", e);
}

int ow_bundle_store_app_idem(ow_db *db, int64_t filer, const char *idem_key, int64_t *id,
                             ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT id FROM bundle_apps WHERE filed_by = ? AND idem_key = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, filer);
    ow_bind_text(st, 2, idem_key);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    return ow_rows_one_done(db, st, rc, "bundle app idem", e);
}

#define APP_COLS                                                                                   \
    "id, app_no, bundle_id, bundle_name, on_denial, coalesce(applicant_user_id, 0), filed_by,"     \
    " applicant_name, id_masked, channel, form, state, stop_reason, coalesce(delivery, ''),"       \
    " received_date, due_date, submitted_at, coalesce(delivered_at, 0), coalesce(rated_at, 0),"    \
    " coalesce(concluded_at, 0), updated_at, coalesce(rating_level, 0)"

static void app_row(ow_arena *a, ow_stmt *st, ow_bundle_app_row *r) {
    r->id = ow_col_int64(st, 0);
    snprintf(r->app_no, sizeof r->app_no, "%s", ow_db_text(st, 1));
    r->bundle_id = ow_col_int64(st, 2);
    r->bundle_name = ow_rows_dupe(a, st, 3);
    r->on_denial = ow_rows_dupe(a, st, 4);
    r->applicant_user_id = ow_col_int64(st, 5);
    r->filed_by = ow_col_int64(st, 6);
    r->applicant_name = ow_rows_dupe(a, st, 7);
    r->id_masked = ow_rows_dupe(a, st, 8);
    r->channel = ow_rows_dupe(a, st, 9);
    r->form = ow_rows_dupe(a, st, 10);
    snprintf(r->state, sizeof r->state, "%s", ow_db_text(st, 11));
    r->stop_reason = ow_rows_dupe(a, st, 12);
    r->delivery = ow_rows_dupe(a, st, 13);
    r->received_date = (int32_t)ow_col_int64(st, 14);
    r->due_date = ow_rows_daynum(st, 15);
    r->submitted_at = ow_col_int64(st, 16);
    r->delivered_at = ow_col_int64(st, 17);
    r->rated_at = ow_col_int64(st, 18);
    r->concluded_at = ow_col_int64(st, 19);
    r->updated_at = ow_col_int64(st, 20);
    r->rating_level = ow_col_int(st, 21);
}

int ow_bundle_store_app_get(ow_db *db, ow_arena *a, int64_t id, ow_bundle_app_row *out, bool *found,
                            ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT " APP_COLS " FROM bundle_apps WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) app_row(a, st, out);
    return ow_rows_one_done(db, st, rc, "bundle app get", e);
}

int ow_bundle_store_app_set_applicant(ow_db *db, int64_t id, const char *name,
                                      const char *id_masked, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "UPDATE bundle_apps SET applicant_name = ?, id_masked = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, name);
    ow_bind_text(st, 2, id_masked);
    ow_bind_int64(st, 3, id);
    return ow_rows_done(db, st, "bundle app applicant", e);
}

int ow_bundle_store_app_update(ow_db *db, const ow_bundle_app_row *r, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE bundle_apps SET state = ?1, stop_reason = ?2, delivery = ?3,"
                             " delivered_at = ?4, rating_level = ?5, rated_at = ?6,"
                             " concluded_at = ?7, updated_at = ?8 WHERE id = ?9",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, r->state);
    ow_bind_text(st, 2, r->stop_reason ? r->stop_reason : "");
    ow_rows_bind_opt_text(st, 3, r->delivery && *r->delivery ? r->delivery : NULL);
    ow_rows_bind_opt_id(st, 4, r->delivered_at);
    if (r->rating_level)
        ow_bind_int(st, 5, r->rating_level);
    else
        ow_bind_null(st, 5);
    ow_rows_bind_opt_id(st, 6, r->rated_at);
    ow_rows_bind_opt_id(st, 7, r->concluded_at);
    ow_bind_int64(st, 8, r->updated_at);
    ow_bind_int64(st, 9, r->id);
    return ow_rows_done(db, st, "bundle app update", e);
}

static int each_app(ow_stmt *st, void *ctx) {
    gather *g = ctx;
    app_row(g->a, st, gather_next(g));
    return OW_OK;
}

int ow_bundle_store_app_list(ow_db *db, ow_arena *a, const ow_bundle_app_filter *f,
                             ow_bundle_app_row **out, int *n, int64_t *total, ow_err *e) {
    ow_stmt *cnt = ow_db_stmt(db,
                              "SELECT count(*) FROM bundle_apps"
                              " WHERE (?1 = 0 OR applicant_user_id = ?1)"
                              " AND (?2 IS NULL OR state = ?2"
                              " OR (?2 = 'active' AND state IN ('open', 'ready')))",
                              e);
    if (!cnt) return OW_EDB;
    ow_bind_int64(cnt, 1, f->user_id);
    ow_rows_bind_opt_text(cnt, 2, f->state);
    int rc = ow_rows_int64(db, cnt, total, "bundle app count", e);
    if (rc) return rc;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT " APP_COLS " FROM bundle_apps"
                             " WHERE (?1 = 0 OR applicant_user_id = ?1)"
                             " AND (?2 IS NULL OR state = ?2"
                             " OR (?2 = 'active' AND state IN ('open', 'ready')))"
                             " ORDER BY id DESC LIMIT ?3 OFFSET ?4",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, f->user_id);
    ow_rows_bind_opt_text(st, 2, f->state);
    ow_bind_int(st, 3, f->per_page);
    ow_bind_int64(st, 4, (int64_t)(f->page - 1) * f->per_page);
    gather g = {.a = a, .size = sizeof **out};
    rc = ow_rows_each(db, st, each_app, &g, "bundle app list", e);
    *out = g.v;
    *n = g.n;
    return rc;
}

/* ---------------- child cases ---------------- */

int ow_bundle_store_child_insert(ow_db *db, const ow_bundle_child_row *r, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO bundle_children (app_id, seq, case_id, item_id,"
                             " waits_for, via_material) VALUES (?, ?, ?, ?, ?, ?)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->app_id);
    ow_bind_int(st, 2, r->seq);
    ow_bind_int64(st, 3, r->case_id);
    ow_bind_int64(st, 4, r->item_id);
    if (r->waits_for > 0)
        ow_bind_int(st, 5, r->waits_for);
    else
        ow_bind_null(st, 5);
    ow_rows_bind_opt_text(st, 6, r->waits_for > 0 ? r->via_material : NULL);
    return ow_rows_done(db, st, "bundle child insert", e);
}

#define CHILD_COLS                                                                                 \
    "app_id, seq, case_id, item_id, coalesce(waits_for, 0), coalesce(via_material, ''),"           \
    " coalesce(license_id, 0)"

static void child_row(ow_arena *a, ow_stmt *st, ow_bundle_child_row *r) {
    r->app_id = ow_col_int64(st, 0);
    r->seq = ow_col_int(st, 1);
    r->case_id = ow_col_int64(st, 2);
    r->item_id = ow_col_int64(st, 3);
    r->waits_for = ow_col_int(st, 4);
    r->via_material = ow_rows_dupe(a, st, 5);
    r->license_id = ow_col_int64(st, 6);
}

static int each_child(ow_stmt *st, void *ctx) {
    gather *g = ctx;
    child_row(g->a, st, gather_next(g));
    return OW_OK;
}

int ow_bundle_store_children(ow_db *db, ow_arena *a, int64_t app_id, ow_bundle_child_row **out,
                             int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT " CHILD_COLS " FROM bundle_children WHERE app_id = ? ORDER BY seq", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, app_id);
    gather g = {.a = a, .size = sizeof **out};
    int rc = ow_rows_each(db, st, each_child, &g, "bundle children", e);
    *out = g.v;
    *n = g.n;
    return rc;
}

int ow_bundle_store_child_of_case(ow_db *db, ow_arena *a, int64_t case_id, ow_bundle_child_row *out,
                                  bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT " CHILD_COLS " FROM bundle_children WHERE case_id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) child_row(a, st, out);
    return ow_rows_one_done(db, st, rc, "bundle child of case", e);
}

int ow_bundle_store_child_fed(ow_db *db, int64_t app_id, int seq, int64_t license_id, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "UPDATE bundle_children SET license_id = ? WHERE app_id = ? AND seq = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, license_id);
    ow_bind_int64(st, 2, app_id);
    ow_bind_int(st, 3, seq);
    return ow_rows_done(db, st, "bundle child fed", e);
}
