/* publication_store.c — see publication_store.h. */
#include "store/publication_store.h"

#include <string.h>

#include "core/buf.h"
#include "store/db.h"
#include "store/rows.h"

int ow_pub_store_insert(ow_db *db, int64_t org_id, const ow_pub_fields *f, int64_t created_by,
                        int64_t now_ms, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO publications(org_id, column_code, title, doc_number, issued_date, validity,"
        " repealed_date, body, state, created_by, created_at, updated_at)"
        " VALUES(?,?,?,?,?,?,?,?,'draft',?,?,?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_text(st, 2, f->column);
    ow_bind_text(st, 3, f->title);
    ow_bind_text(st, 4, f->doc_number);
    ow_bind_text(st, 5, f->issued_date);
    ow_bind_text(st, 6, f->validity);
    ow_rows_bind_opt_text(st, 7, f->repealed_date);
    ow_bind_text(st, 8, f->body);
    ow_rows_bind_opt_id(st, 9, created_by);
    ow_bind_int64(st, 10, now_ms);
    ow_bind_int64(st, 11, now_ms);
    return ow_rows_insert(db, st, id, "publication insert", e);
}

int ow_pub_store_update(ow_db *db, int64_t id, const ow_pub_fields *f, int64_t now_ms, ow_err *e) {
    static const char *sql =
        "UPDATE publications SET column_code = coalesce(?1, column_code),"
        " title = coalesce(?2, title), doc_number = coalesce(?3, doc_number),"
        " issued_date = coalesce(?4, issued_date), validity = coalesce(?5, validity),"
        " repealed_date = coalesce(?6, repealed_date), body = coalesce(?7, body),"
        " updated_at = ?8 WHERE id = ?9";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    const char *v[] = {f->column,   f->title,         f->doc_number, f->issued_date,
                       f->validity, f->repealed_date, f->body};
    for (int i = 0; i < 7; i++)
        ow_rows_bind_opt_text(st, i + 1, v[i]);
    ow_bind_int64(st, 8, now_ms);
    ow_bind_int64(st, 9, id);
    return ow_rows_done(db, st, "publication update", e);
}

int ow_pub_store_state(ow_db *db, int64_t id, ow_arena *a, ow_pub_state *out, bool *found,
                       ow_err *e) {
    static const char *sql =
        "SELECT p.id, p.org_id, coalesce(p.created_by, 0), p.state, p.validity,"
        " o.code, p.issued_date FROM publications p JOIN orgs o ON o.id = p.org_id"
        " WHERE p.id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (rc == OW_ROW)
        *out = (ow_pub_state){.id = ow_col_int64(st, 0),
                              .org_id = ow_col_int64(st, 1),
                              .created_by = ow_col_int64(st, 2),
                              .state = ow_rows_dupe(a, st, 3),
                              .validity = ow_rows_dupe(a, st, 4),
                              .org_code = ow_rows_dupe(a, st, 5),
                              .issued_date = ow_rows_dupe(a, st, 6)};
    return ow_rows_one_done(db, st, rc, "publication load", e);
}

int ow_pub_store_submitter(ow_db *db, int64_t id, int64_t *user_id, ow_err *e) {
    static const char *sql = "SELECT coalesce(actor_id, 0) FROM publication_events"
                             " WHERE publication_id = ? AND action = 'submit'"
                             " ORDER BY id DESC LIMIT 1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *user_id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    return ow_rows_one_done(db, st, rc, "submitter", e);
}

int ow_pub_store_next_index(ow_db *db, int64_t org_id, int year, int *n, ow_err *e) {
    static const char *sql =
        "INSERT INTO publication_index_seq(org_id, year, last) VALUES(?1, ?2, 1)"
        " ON CONFLICT(org_id, year) DO UPDATE SET last = publication_index_seq.last + 1"
        " RETURNING last";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, year);
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int(st, 0) : 0;
    /* stepped to its end so that the upsert is complete before the reset */
    if (rc == OW_ROW) rc = ow_step(st) == OW_DONE ? OW_ROW : -1;
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "index number", e);
}

/* A state change whose statement binds texts ?1 … ?n, then the instant and the id. */
static int set_state(ow_db *db, const char *sql, int64_t id, int64_t now_ms, int n,
                     const char *const *v, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    for (int i = 0; i < n; i++)
        ow_rows_bind_opt_text(st, i + 1, v[i]);
    ow_bind_int64(st, n + 1, now_ms);
    ow_bind_int64(st, n + 2, id);
    return ow_rows_done(db, st, "publication state", e);
}

int ow_pub_store_insert_published(ow_db *db, int64_t org_id, const char *column,
                                  const char *index_no, const char *title, const char *doc_number,
                                  const char *issued_date, const char *validity,
                                  const char *repealed_date, const char *body,
                                  const char *published_date, int64_t at_ms, ow_err *e) {
    static const char *sql =
        "INSERT INTO publications(org_id, column_code, index_no, title, doc_number, issued_date,"
        " validity, repealed_date, body, state, review_note, published_at, published_date,"
        " created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,'published',"
        " '经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。',?,?,?,?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_text(st, 2, column);
    ow_bind_text(st, 3, index_no);
    ow_bind_text(st, 4, title);
    ow_bind_text(st, 5, doc_number ? doc_number : "");
    ow_bind_text(st, 6, issued_date);
    ow_bind_text(st, 7, validity);
    ow_rows_bind_opt_text(st, 8, repealed_date);
    ow_bind_text(st, 9, body);
    ow_bind_int64(st, 10, at_ms);
    ow_bind_text(st, 11, published_date);
    ow_bind_int64(st, 12, at_ms);
    ow_bind_int64(st, 13, at_ms);
    return ow_rows_done(db, st, "demo publication", e);
}

int ow_pub_store_index_set(ow_db *db, int64_t org_id, int year, int last, ow_err *e) {
    static const char *seq_sql =
        "INSERT INTO publication_index_seq(org_id, year, last) VALUES(?1, ?2, ?3)"
        " ON CONFLICT(org_id, year) DO UPDATE SET last = ?3";
    ow_stmt *st = ow_db_stmt(db, seq_sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, year);
    ow_bind_int(st, 3, last);
    return ow_rows_done(db, st, "demo index seq", e);
}

int ow_pub_store_submit(ow_db *db, int64_t id, int64_t now_ms, ow_err *e) {
    return set_state(db, "UPDATE publications SET state = 'review', updated_at = ?1 WHERE id = ?2",
                     id, now_ms, 0, NULL, e);
}

int ow_pub_store_approve(ow_db *db, int64_t id, const char *index_no, const char *note,
                         int64_t reviewer, const char *date, int64_t now_ms, ow_err *e) {
    static const char *sql =
        "UPDATE publications SET state = 'published', index_no = coalesce(index_no, ?1),"
        " review_note = ?2, reviewed_by = ?3, published_at = ?4, published_date = ?5,"
        " updated_at = ?4 WHERE id = ?6";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, index_no);
    ow_bind_text(st, 2, note);
    ow_bind_int64(st, 3, reviewer);
    ow_bind_int64(st, 4, now_ms);
    ow_bind_text(st, 5, date);
    ow_bind_int64(st, 6, id);
    return ow_rows_done(db, st, "publication state", e);
}

int ow_pub_store_reject(ow_db *db, int64_t id, const char *note, int64_t now_ms, ow_err *e) {
    const char *v[] = {note};
    return set_state(db,
                     "UPDATE publications SET state = 'draft', review_note = ?1, updated_at = ?2"
                     " WHERE id = ?3",
                     id, now_ms, 1, v, e);
}

int ow_pub_store_withdraw(ow_db *db, int64_t id, const char *reason, int64_t now_ms, ow_err *e) {
    const char *v[] = {reason};
    return set_state(db,
                     "UPDATE publications SET state = 'withdrawn', withdraw_reason = ?1,"
                     " withdrawn_at = ?2, updated_at = ?2 WHERE id = ?3",
                     id, now_ms, 1, v, e);
}

int ow_pub_store_repeal(ow_db *db, int64_t id, const char *date, int64_t now_ms, ow_err *e) {
    const char *v[] = {date};
    return set_state(db,
                     "UPDATE publications SET validity = 'repealed', repealed_date = ?1,"
                     " updated_at = ?2 WHERE id = ?3",
                     id, now_ms, 1, v, e);
}

/* ---------------- attachments ---------------- */

int ow_pub_store_attachment_count(ow_db *db, int64_t pub_id, const char *filename, int *n,
                                  bool *same_name, ow_err *e) {
    static const char *sql =
        "SELECT count(*), coalesce(sum(CASE WHEN filename = ?2 THEN 1 ELSE 0 END), 0)"
        " FROM publication_attachments WHERE publication_id = ?1";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, pub_id);
    ow_bind_text(st, 2, filename);
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int(st, 0) : 0;
    *same_name = rc == OW_ROW && ow_col_int(st, 1) > 0;
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "attachment count", e);
}

int ow_pub_store_attachment_insert(ow_db *db, int64_t pub_id, const char *sha256,
                                   const char *filename, const char *content_type, int64_t size,
                                   int64_t by_user, int64_t now_ms, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO publication_attachments(publication_id, sha256, filename, content_type, size,"
        " uploaded_by, created_at) VALUES(?,?,?,?,?,?,?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, pub_id);
    ow_bind_text(st, 2, sha256);
    ow_bind_text(st, 3, filename);
    ow_bind_text(st, 4, content_type);
    ow_bind_int64(st, 5, size);
    ow_rows_bind_opt_id(st, 6, by_user);
    ow_bind_int64(st, 7, now_ms);
    return ow_rows_insert(db, st, id, "attachment insert", e);
}

int ow_pub_store_attachment_delete(ow_db *db, int64_t att_id, int64_t pub_id, ow_arena *a,
                                   const char **filename, ow_err *e) {
    static const char *sql =
        "DELETE FROM publication_attachments WHERE id = ? AND publication_id = ?"
        " RETURNING filename";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, att_id);
    ow_bind_int64(st, 2, pub_id);
    int rc = ow_step(st);
    *filename = rc == OW_ROW ? ow_rows_dupe(a, st, 0) : NULL;
    if (rc == OW_ROW) rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, "attachment delete", e);
}

/* ---------------- reading ---------------- */

#define PUB_COLS                                                                                   \
    "p.id, p.org_id, o.name, p.column_code, p.index_no, p.title, p.doc_number, p.issued_date,"     \
    " p.validity, p.repealed_date, p.state, p.published_date, p.review_note, p.withdraw_reason"

/* The row's texts, borrowed from the statement. */
static void pub_row(ow_stmt *st, ow_pub_row *r) {
    *r = (ow_pub_row){.id = ow_col_int64(st, 0),
                      .org_id = ow_col_int64(st, 1),
                      .org_name = ow_db_text(st, 2),
                      .column = ow_db_text(st, 3),
                      .index_no = ow_col_text(st, 4),
                      .title = ow_db_text(st, 5),
                      .doc_number = ow_db_text(st, 6),
                      .issued_date = ow_db_text(st, 7),
                      .validity = ow_db_text(st, 8),
                      .repealed_date = ow_col_text(st, 9),
                      .state = ow_db_text(st, 10),
                      .published_date = ow_col_text(st, 11),
                      .review_note = ow_db_text(st, 12),
                      .withdraw_reason = ow_db_text(st, 13)};
}

int ow_pub_store_get(ow_db *db, int64_t id, ow_arena *a, ow_pub_row *out, bool *found, ow_err *e) {
    static const char *sql =
        "SELECT " PUB_COLS
        ", p.body FROM publications p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (rc == OW_ROW) {
        ow_pub_row r;
        pub_row(st, &r);
        const char **s[] = {&r.org_name,        &r.column,   &r.title,         &r.doc_number,
                            &r.issued_date,     &r.validity, &r.state,         &r.review_note,
                            &r.withdraw_reason, &r.index_no, &r.repealed_date, &r.published_date};
        for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
            if (*s[i]) *s[i] = ow_strdup(a, *s[i]);
        r.body = ow_rows_dupe(a, st, 14);
        *out = r;
    }
    return ow_rows_one_done(db, st, rc, "publication get", e);
}

#define PUB_WHERE                                                                                  \
    " WHERE (?1 IS NULL OR p.column_code = ?1) AND (?2 = 0 OR p.org_id = ?2)"                      \
    " AND ((?3 IS NULL AND p.state = 'published') OR (?3 = 'all' AND (?4 = 0 OR p.org_id = ?4))"   \
    " OR (?3 <> 'all' AND p.state = ?3 AND (?4 = 0 OR p.org_id = ?4)))"                            \
    " AND (?5 IS NULL OR p.published_date >= ?5) AND (?6 IS NULL OR p.published_date <= ?6)"
#define PUB_PAGE                                                                                   \
    " ORDER BY coalesce(p.published_date, p.issued_date) DESC, p.id DESC LIMIT ?8 OFFSET ?9"
#define PUB_LIKE                                                                                   \
    " AND (p.title LIKE ?7 ESCAPE '\\' OR p.doc_number LIKE ?7 ESCAPE '\\'"                        \
    " OR p.body LIKE ?7 ESCAPE '\\')"
#define PUB_FTS " AND p.id IN (SELECT rowid FROM publications_fts WHERE publications_fts MATCH ?7)"
#define PUB_ILIKE " AND (p.title || ' ' || p.doc_number || ' ' || p.body) ILIKE ?7 ESCAPE '\\'"
#define PUB_SELECT "SELECT " PUB_COLS " FROM publications p JOIN orgs o ON o.id = p.org_id"

enum { BY_NONE, BY_FTS, BY_LIKE, BY_ILIKE };
static const char *const list_sql[4][2] = {
    [BY_NONE] = {"SELECT count(*) FROM publications p" PUB_WHERE, PUB_SELECT PUB_WHERE PUB_PAGE},
    /* three or more characters: the trigram index */
    [BY_FTS] = {"SELECT count(*) FROM publications p" PUB_WHERE PUB_FTS,
                PUB_SELECT PUB_WHERE PUB_FTS PUB_PAGE},
    /* one or two characters: a scan with LIKE */
    [BY_LIKE] = {"SELECT count(*) FROM publications p" PUB_WHERE PUB_LIKE,
                 PUB_SELECT PUB_WHERE PUB_LIKE PUB_PAGE},
    /* PostgreSQL, any length: the trigram index of db/migrations-pg answers the ILIKE */
    [BY_ILIKE] = {"SELECT count(*) FROM publications p" PUB_WHERE PUB_ILIKE,
                  PUB_SELECT PUB_WHERE PUB_ILIKE PUB_PAGE},
};

/* q as a LIKE pattern matching it anywhere, its wildcards escaped. */
static const char *like_pattern(ow_arena *a, const char *q) {
    ow_buf b;
    ow_buf_init(&b, a, strlen(q) + 4);
    ow_buf_putc(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') ow_buf_putc(&b, '\\');
        ow_buf_putc(&b, *p);
    }
    ow_buf_putc(&b, '%');
    return b.data;
}

/* q as one FTS5 phrase, its quotes doubled. */
static const char *fts_phrase(ow_arena *a, const char *q) {
    ow_buf b;
    ow_buf_init(&b, a, strlen(q) + 4);
    ow_buf_putc(&b, '"');
    for (const char *p = q; *p; p++) {
        if (*p == '"') ow_buf_putc(&b, '"');
        ow_buf_putc(&b, *p);
    }
    ow_buf_putc(&b, '"');
    return b.data;
}

int ow_pub_store_list(ow_db *db, ow_arena *a, const ow_pub_query *q, int limit, int64_t offset,
                      int64_t *total, void (*fn)(void *arg, const ow_pub_row *r), void *arg,
                      ow_err *e) {
    int by = !q->q                                 ? BY_NONE
             : ow_db_backend(db) == OW_DB_POSTGRES ? BY_ILIKE
             : ow_utf8_len(q->q) >= 3              ? BY_FTS
                                                   : BY_LIKE;
    const char *qarg = by == BY_NONE  ? NULL
                       : by == BY_FTS ? fts_phrase(a, q->q)
                                      : like_pattern(a, q->q);
    *total = 0;
    for (int pass = 0; pass < 2; pass++) {
        ow_stmt *st = ow_db_stmt(db, list_sql[by][pass], e);
        if (!st) return OW_EDB;
        ow_rows_bind_opt_text(st, 1, q->column);
        ow_bind_int64(st, 2, q->org_id);
        ow_rows_bind_opt_text(st, 3, q->state);
        ow_bind_int64(st, 4, q->scope);
        ow_rows_bind_opt_text(st, 5, q->from);
        ow_rows_bind_opt_text(st, 6, q->to);
        if (qarg) ow_bind_text(st, 7, qarg);
        if (pass == 1) {
            ow_bind_int(st, 8, limit);
            ow_bind_int64(st, 9, offset);
        }
        int rc;
        while ((rc = ow_step(st)) == OW_ROW) {
            if (pass == 0) {
                *total = ow_col_int64(st, 0);
            } else {
                ow_pub_row r;
                pub_row(st, &r);
                fn(arg, &r);
            }
        }
        ow_reset(st);
        ow_clear_bindings(st);
        if (rc != OW_DONE) return ow_db_fail(db, "publication list", e);
    }
    return OW_OK;
}

typedef struct feed_cb {
    void (*fn)(void *arg, int64_t id, const char *title, const char *index_no,
               const char *doc_number, const char *org_name, int64_t published_at,
               const char *summary);
    void *arg;
} feed_cb;

static int feed_row(ow_stmt *st, void *ctx) {
    feed_cb *c = ctx;
    c->fn(c->arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2), ow_db_text(st, 3),
          ow_db_text(st, 4), ow_col_int64(st, 5), ow_db_text(st, 6));
    return 0;
}

int ow_pub_store_feed(ow_db *db, const char *column, int limit,
                      void (*fn)(void *arg, int64_t id, const char *title, const char *index_no,
                                 const char *doc_number, const char *org_name, int64_t published_at,
                                 const char *summary),
                      void *arg, ow_err *e) {
    static const char *sql = "SELECT p.id, p.title, p.index_no, p.doc_number, o.name,"
                             " p.published_at, substr(p.body, 1, 200)"
                             " FROM publications p JOIN orgs o ON o.id = p.org_id"
                             " WHERE p.column_code = ? AND p.state = 'published'"
                             " ORDER BY p.published_at DESC, p.id DESC LIMIT ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, column);
    ow_bind_int(st, 2, limit);
    feed_cb c = {fn, arg};
    return ow_rows_each(db, st, feed_row, &c, "feed", e);
}
