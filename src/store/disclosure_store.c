/* disclosure_store.c — see disclosure_store.h. */
#include "store/disclosure_store.h"

#include "store/db.h"
#include "store/rows.h"

/* Every count binds (org, from, to) as ?1 ?2 ?3, also where a statement needs only one of
 * the dates (it names the other in a condition that always holds), so that one binding
 * serves them all. */
#define ORG " (?1 = 0 OR org_id = ?1) "

static const char *const request_sql[] = {
    [OW_DIS_REQ_NEW] = "SELECT applicant_type, NULL, count(*) FROM info_requests WHERE" ORG
                       "AND received_date BETWEEN ?2 AND ?3 GROUP BY applicant_type",
    [OW_DIS_REQ_CARRIED_IN] =
        "SELECT applicant_type, NULL, count(*) FROM info_requests WHERE" ORG
        "AND received_date < ?2 AND (concluded_date IS NULL OR concluded_date >= ?2)"
        " AND ?3 IS NOT NULL GROUP BY applicant_type",
    [OW_DIS_REQ_CONCLUDED] = "SELECT applicant_type, outcome, count(*) FROM info_requests WHERE" ORG
                             "AND received_date IS NOT NULL AND concluded_date BETWEEN ?2 AND ?3"
                             " GROUP BY applicant_type, outcome",
    [OW_DIS_REQ_CARRIED_OUT] =
        "SELECT applicant_type, NULL, count(*) FROM info_requests WHERE" ORG
        "AND received_date <= ?3 AND (concluded_date IS NULL OR concluded_date > ?3)"
        " AND ?2 IS NOT NULL GROUP BY applicant_type",
};

static ow_stmt *dated(ow_db *db, const char *sql, int64_t org, const char *from, const char *to,
                      ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return NULL;
    ow_bind_int64(st, 1, org);
    ow_bind_text(st, 2, from);
    ow_bind_text(st, 3, to);
    return st;
}

typedef struct group_cb {
    void (*fn)(void *arg, const char *a, const char *b, int64_t n);
    void *arg;
} group_cb;

static int group_row(ow_stmt *st, void *ctx) {
    group_cb *c = ctx;
    c->fn(c->arg, ow_db_text(st, 0), ow_col_text(st, 1), ow_col_int64(st, 2));
    return 0;
}

/* Hand each (text, text, count) row to fn. */
static int groups(ow_db *db, ow_stmt *st, void (*fn)(void *, const char *, const char *, int64_t),
                  void *arg, const char *what, ow_err *e) {
    if (!st) return OW_EDB;
    group_cb c = {fn, arg};
    return ow_rows_each(db, st, group_row, &c, what, e);
}

int ow_dis_store_request_counts(ow_db *db, ow_dis_req_count which, int64_t org, const char *from,
                                const char *to,
                                void (*fn)(void *arg, const char *applicant_type,
                                           const char *outcome, int64_t n),
                                void *arg, ow_err *e) {
    return groups(db, dated(db, request_sql[which], org, from, to, e), fn, arg, "report count", e);
}

int ow_dis_store_review_counts(ow_db *db, int64_t org, const char *from, const char *to,
                               void (*fn)(void *arg, const char *kind, const char *result,
                                          int64_t n),
                               void *arg, ow_err *e) {
    static const char *sql =
        "SELECT v.kind, CASE WHEN v.result <> 'pending' AND v.decided_date <= ?3 THEN v.result"
        " ELSE 'pending' END, count(*) FROM info_request_reviews v JOIN info_requests r"
        " ON r.id = v.request_id WHERE (?1 = 0 OR r.org_id = ?1) AND v.filed_date BETWEEN ?2 AND ?3"
        " GROUP BY 1, 2";
    return groups(db, dated(db, sql, org, from, to, e), fn, arg, "report reviews", e);
}

#define PUBLISHED "SELECT count(*) FROM publications WHERE" ORG "AND state = 'published'"

static const char *const publication_sql[] = {
    [OW_DIS_PUB_ISSUED] = PUBLISHED " AND column_code = ?4 AND issued_date BETWEEN ?2 AND ?3",
    [OW_DIS_PUB_REPEALED] = PUBLISHED " AND column_code = ?4 AND validity = 'repealed'"
                                      " AND repealed_date BETWEEN ?2 AND ?3",
    [OW_DIS_PUB_VALID] = PUBLISHED " AND column_code = ?4 AND issued_date <= ?3"
                                   " AND validity <> 'expired'"
                                   " AND (validity <> 'repealed' OR repealed_date > ?3)"
                                   " AND ?2 IS NOT NULL",
    [OW_DIS_PUB_PUBLISHED] = PUBLISHED " AND published_date BETWEEN ?2 AND ?3",
    [OW_DIS_PUB_KEY_AREA] = PUBLISHED " AND published_date BETWEEN ?2 AND ?3"
                                      " AND column_code IN ('budget', 'major_projects',"
                                      " 'public_resources', 'public_welfare')",
};

static int scalar(ow_db *db, ow_stmt *st, int64_t *out, const char *what, ow_err *e) {
    if (!st) return OW_EDB;
    return ow_rows_int64(db, st, out, what, e);
}

int ow_dis_store_publication_count(ow_db *db, ow_dis_pub_count which, int64_t org, const char *from,
                                   const char *to, const char *column, int64_t *n, ow_err *e) {
    ow_stmt *st = dated(db, publication_sql[which], org, from, to, e);
    if (st && which != OW_DIS_PUB_PUBLISHED && which != OW_DIS_PUB_KEY_AREA)
        ow_bind_text(st, 4, column);
    return scalar(db, st, n, "report publications", e);
}

int ow_dis_store_fees_paid(ow_db *db, int64_t org, const char *from, const char *to, int64_t *yuan,
                           ow_err *e) {
    static const char *sql = "SELECT coalesce(sum(fee_yuan), 0) FROM info_requests WHERE" ORG
                             "AND fee_paid_date BETWEEN ?2 AND ?3";
    return scalar(db, dated(db, sql, org, from, to, e), yuan, "report fees", e);
}

int ow_dis_store_report_texts(ow_db *db, ow_arena *a, int64_t org_id, int year,
                              ow_dis_report_texts *out, ow_err *e) {
    *out = (ow_dis_report_texts){0};
    static const char *sql =
        "SELECT overview, problems, other, admin_fees_wan FROM disclosure_reports"
        " WHERE org_id = ? AND year = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, year);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->overview = ow_rows_dup(a, st, 0);
        out->problems = ow_rows_dup(a, st, 1);
        out->other = ow_rows_dup(a, st, 2);
        out->admin_fees_wan = ow_col_double(st, 3);
    }
    return ow_rows_one_done(db, st, rc, "report texts", e);
}

int ow_dis_store_report_texts_put(ow_db *db, int64_t org_id, int year,
                                  const ow_dis_report_texts *in, int64_t at_ms, int64_t by_user,
                                  ow_err *e) {
    static const char *sql =
        "INSERT INTO disclosure_reports(org_id, year, overview, problems, other, admin_fees_wan,"
        " updated_at, updated_by) VALUES(?1, ?2, coalesce(?3, ''), coalesce(?4, ''),"
        " coalesce(?5, ''), coalesce(?6, 0), ?7, ?8) ON CONFLICT(org_id, year) DO UPDATE SET"
        " overview = coalesce(?3, disclosure_reports.overview),"
        " problems = coalesce(?4, disclosure_reports.problems),"
        " other = coalesce(?5, disclosure_reports.other),"
        " admin_fees_wan = coalesce(?6, disclosure_reports.admin_fees_wan),"
        " updated_at = ?7, updated_by = ?8";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, year);
    ow_rows_bind_opt_text(st, 3, in->overview);
    ow_rows_bind_opt_text(st, 4, in->problems);
    ow_rows_bind_opt_text(st, 5, in->other);
    if (in->admin_fees_wan >= 0)
        ow_bind_double(st, 6, in->admin_fees_wan);
    else
        ow_bind_null(st, 6);
    ow_bind_int64(st, 7, at_ms);
    ow_rows_bind_opt_id(st, 8, by_user);
    return ow_rows_done(db, st, "report save", e);
}

static const char *const file_sql[] = {
    [OW_DIS_FILE_ATTACHMENT] =
        "SELECT id, sha256, filename, content_type, size, ''"
        " FROM publication_attachments WHERE id = ?1 AND publication_id = ?2",
    [OW_DIS_FILE_PAPER] = "SELECT id, sha256, filename, content_type, size, label"
                          " FROM info_request_files WHERE id = ?1 AND request_id = ?2",
};
static const char *const files_sql[] = {
    [OW_DIS_FILE_ATTACHMENT] = "SELECT id, sha256, filename, content_type, size, ''"
                               " FROM publication_attachments WHERE publication_id = ? ORDER BY id",
    [OW_DIS_FILE_PAPER] = "SELECT id, sha256, filename, content_type, size, label"
                          " FROM info_request_files WHERE request_id = ? ORDER BY id",
};

static void file_row(ow_stmt *st, ow_dis_file *f) {
    f->id = ow_col_int64(st, 0);
    f->sha256 = ow_db_text(st, 1);
    f->filename = ow_db_text(st, 2);
    f->content_type = ow_db_text(st, 3);
    f->size = ow_col_int64(st, 4);
    f->label = ow_db_text(st, 5);
}

int ow_dis_store_file(ow_db *db, ow_dis_file_of of, int64_t id, int64_t parent, ow_arena *a,
                      ow_dis_file *out, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, file_sql[of], e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, parent);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (rc == OW_ROW) {
        file_row(st, out);
        out->sha256 = ow_strdup(a, out->sha256);
        out->filename = ow_strdup(a, out->filename);
        out->content_type = ow_strdup(a, out->content_type);
        out->label = ow_strdup(a, out->label);
    }
    return ow_rows_one_done(db, st, rc, "stored file row", e);
}

typedef struct files_cb {
    void (*fn)(void *arg, const ow_dis_file *f);
    void *arg;
} files_cb;

static int file_each(ow_stmt *st, void *ctx) {
    files_cb *c = ctx;
    ow_dis_file f;
    file_row(st, &f);
    c->fn(c->arg, &f);
    return 0;
}

int ow_dis_store_files(ow_db *db, ow_dis_file_of of, int64_t parent,
                       void (*fn)(void *arg, const ow_dis_file *f), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, files_sql[of], e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, parent);
    files_cb c = {fn, arg};
    return ow_rows_each(db, st, file_each, &c, "stored files", e);
}

static const char *const event_sql[] = {
    [OW_DIS_EVENTS_PUBLICATION] =
        "INSERT INTO publication_events(publication_id, at, actor_id, actor_name, action,"
        " from_state, to_state, note) VALUES(?,?,?,?,?,?,?,?)",
    [OW_DIS_EVENTS_REQUEST] =
        "INSERT INTO info_request_events(request_id, at, actor_id, actor_name, action,"
        " from_state, to_state, note) VALUES(?,?,?,?,?,?,?,?)",
};
static const char *const events_sql[] = {
    [OW_DIS_EVENTS_PUBLICATION] = "SELECT at, actor_name, action, from_state, to_state, note"
                                  " FROM publication_events WHERE publication_id = ? ORDER BY id",
    [OW_DIS_EVENTS_REQUEST] = "SELECT at, actor_name, action, from_state, to_state, note"
                              " FROM info_request_events WHERE request_id = ? ORDER BY id",
};

int ow_dis_store_event(ow_db *db, ow_dis_events_of of, int64_t id, int64_t at_ms, int64_t actor_id,
                       const char *actor_name, const char *action, const char *from, const char *to,
                       const char *note, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, event_sql[of], e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, at_ms);
    ow_rows_bind_opt_id(st, 3, actor_id);
    ow_bind_text(st, 4, actor_name);
    ow_bind_text(st, 5, action);
    ow_bind_text(st, 6, from);
    ow_bind_text(st, 7, to);
    ow_bind_text(st, 8, note ? note : "");
    return ow_rows_done(db, st, "event", e);
}

typedef struct event_cb {
    void (*fn)(void *arg, int64_t at_ms, const char *actor, const char *action, const char *from,
               const char *to, const char *note);
    void *arg;
} event_cb;

static int event_row(ow_stmt *st, void *ctx) {
    event_cb *c = ctx;
    c->fn(c->arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2), ow_db_text(st, 3),
          ow_db_text(st, 4), ow_db_text(st, 5));
    return 0;
}

int ow_dis_store_events(ow_db *db, ow_dis_events_of of, int64_t id,
                        void (*fn)(void *arg, int64_t at_ms, const char *actor, const char *action,
                                   const char *from, const char *to, const char *note),
                        void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, events_sql[of], e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    event_cb c = {fn, arg};
    return ow_rows_each(db, st, event_row, &c, "events", e);
}

int ow_dis_store_org_by_code(ow_db *db, const char *code, ow_arena *a, int64_t *id,
                             const char **name, bool *found, ow_err *e) {
    static const char *sql = "SELECT id, name FROM orgs WHERE code = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, code);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) {
        *id = ow_col_int64(st, 0);
        if (name) *name = ow_rows_dupe(a, st, 1);
    }
    return ow_rows_one_done(db, st, rc, "demo org", e);
}

int ow_dis_store_demo_citizen(ow_db *db, int64_t *id, ow_err *e) {
    static const char *usql = "SELECT id FROM users WHERE username = 'demo-citizen'";
    ow_stmt *st = ow_db_stmt(db, usql, e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    return ow_rows_one_done(db, st, rc, "demo citizen", e);
}
