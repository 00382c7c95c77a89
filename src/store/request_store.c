/* request_store.c — see request_store.h. */
#include "store/request_store.h"

#include "core/workdays.h"
#include "store/db.h"
#include "store/rows.h"

int ow_req_store_get(ow_db *db, int64_t id, ow_arena *a, ow_req_row *out, bool *found, ow_err *e) {
    static const char *sql =
        "SELECT r.id, r.org_id, coalesce(r.user_id, 0), r.number, r.state, r.channel,"
        " r.applicant_type, r.delivery, r.applicant_name, r.content, r.id_number_idx, r.uscc,"
        " o.name, o.phone, r.received_date, r.clock_start, r.due_date, r.supplement_asked_date,"
        " r.supplement_due, r.supplement_received_date, r.fee_due, r.concluded_date, r.extended,"
        " r.outcome, coalesce(r.fee_yuan, 0)"
        " FROM info_requests r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (rc == OW_ROW)
        *out = (ow_req_row){.id = ow_col_int64(st, 0),
                            .org_id = ow_col_int64(st, 1),
                            .user_id = ow_col_int64(st, 2),
                            .number = ow_rows_dupe(a, st, 3),
                            .state = ow_rows_dupe(a, st, 4),
                            .channel = ow_rows_dupe(a, st, 5),
                            .applicant_type = ow_rows_dupe(a, st, 6),
                            .delivery = ow_rows_dupe(a, st, 7),
                            .applicant_name = ow_rows_dupe(a, st, 8),
                            .content = ow_rows_dupe(a, st, 9),
                            .id_idx = ow_rows_dup(a, st, 10),
                            .uscc = ow_rows_dup(a, st, 11),
                            .org_name = ow_rows_dupe(a, st, 12),
                            .org_phone = ow_rows_dupe(a, st, 13),
                            .received = ow_rows_day(st, 14),
                            .clock_start = ow_rows_day(st, 15),
                            .due = ow_rows_day(st, 16),
                            .supplement_asked = ow_rows_day(st, 17),
                            .supplement_due = ow_rows_day(st, 18),
                            .supplement_received = ow_rows_day(st, 19),
                            .fee_due = ow_rows_day(st, 20),
                            .concluded = ow_rows_day(st, 21),
                            .extended = ow_col_int(st, 22) != 0,
                            .outcome = ow_rows_dup(a, st, 23),
                            .fee_yuan = ow_col_int64(st, 24)};
    return ow_rows_one_done(db, st, rc, "request load", e);
}

/* An UPDATE … WHERE id = ?n of one request, with ?1 … ?n-1 bound by the caller. */
static int update(ow_db *db, ow_stmt *st, int n, int64_t id, ow_err *e) {
    ow_bind_int64(st, n, id);
    return ow_rows_done(db, st, "request update", e);
}

typedef struct open_cb {
    int (*fn)(void *arg, int64_t id, int32_t due);
    void *arg;
} open_cb;

static int open_row(ow_stmt *st, void *ctx) {
    open_cb *c = ctx;
    return c->fn(c->arg, ow_col_int64(st, 0), ow_rows_day(st, 1));
}

int ow_req_store_open(ow_db *db, int (*fn)(void *arg, int64_t id, int32_t due), void *arg,
                      ow_err *e) {
    static const char *sql = "SELECT id, due_date FROM info_requests WHERE state IN ('processing',"
                             " 'supplement', 'consulting', 'fee') ORDER BY id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    open_cb c = {fn, arg};
    return ow_rows_each(db, st, open_row, &c, "open requests", e);
}

int ow_req_store_insert(ow_db *db, const ow_req_new *n, int64_t now_ms, int64_t *id, ow_err *e) {
    static const char *sql =
        "INSERT INTO info_requests(number, org_id, user_id, channel, applicant_type,"
        " applicant_name, id_number_enc, id_number_idx, id_masked, uscc, contact_name,"
        " mobile_enc, mobile_idx, mobile_masked, address, email, content, purpose, delivery,"
        " state, submitted_at, post_signed, received_date, clock_start, created_at, updated_at)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,"
        " ?23,?23,?21,?21)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, n->number);
    ow_bind_int64(st, 2, n->org_id);
    ow_rows_bind_opt_id(st, 3, n->user_id);
    ow_bind_text(st, 4, n->channel);
    ow_bind_text(st, 5, n->applicant_type);
    ow_bind_text(st, 6, n->applicant_name);
    const char *t[] = {n->id_number_enc, n->id_number_idx, n->id_masked,  n->uscc,
                       n->contact_name,  n->mobile_enc,    n->mobile_idx, n->mobile_masked,
                       n->address,       n->email,         n->content,    n->purpose,
                       n->delivery};
    for (int i = 0; i < 13; i++)
        ow_rows_bind_opt_text(st, 7 + i, t[i]);
    ow_bind_text(st, 20, n->received == OW_DATE_NONE ? "submitted" : "processing");
    ow_bind_int64(st, 21, now_ms);
    ow_bind_int(st, 22, n->post_signed ? 1 : 0);
    ow_rows_bind_day(st, 23, n->received);
    return ow_rows_insert(db, st, id, "request insert", e);
}

int ow_req_store_count_numbered(ow_db *db, const char *prefix, int *n, ow_err *e) {
    static const char *sql =
        "SELECT count(*) FROM info_requests WHERE number >= ?1 AND number < ?1 || 'z'";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, prefix);
    int64_t count;
    int rc = ow_rows_int64(db, st, &count, "request number", e);
    *n = (int)count;
    return rc;
}

int ow_req_store_count_all(ow_db *db, int64_t *n, ow_err *e) {
    static const char *sql = "SELECT count(*) FROM info_requests";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    return ow_rows_int64(db, st, n, "demo check", e);
}

#define ITEM_COLS                                                                                  \
    "r.id, r.number, r.org_id, o.name, r.channel, r.applicant_type, r.applicant_name, r.content,"  \
    " r.state, r.received_date, r.due_date, r.concluded_date, r.outcome, r.submitted_at,"          \
    " r.extended, coalesce(r.user_id, 0)"
#define ITEM_NCOLS 16

static void item_row(ow_stmt *st, ow_req_item *it) {
    *it = (ow_req_item){.id = ow_col_int64(st, 0),
                        .number = ow_db_text(st, 1),
                        .org_id = ow_col_int64(st, 2),
                        .org_name = ow_db_text(st, 3),
                        .channel = ow_db_text(st, 4),
                        .applicant_type = ow_db_text(st, 5),
                        .applicant_name = ow_db_text(st, 6),
                        .content = ow_db_text(st, 7),
                        .state = ow_db_text(st, 8),
                        .received = ow_rows_day(st, 9),
                        .due = ow_rows_day(st, 10),
                        .concluded = ow_rows_day(st, 11),
                        .outcome = ow_col_text(st, 12),
                        .submitted_at = ow_col_int64(st, 13),
                        .extended = ow_col_int(st, 14) != 0,
                        .user_id = ow_col_int64(st, 15)};
}

typedef struct item_cb {
    int (*fn)(void *arg, const ow_req_item *it);
    void *arg;
} item_cb;

static int item_each(ow_stmt *st, void *ctx) {
    item_cb *c = ctx;
    ow_req_item it;
    item_row(st, &it);
    return c->fn(c->arg, &it);
}

int ow_req_store_list(ow_db *db, int64_t org_id, int64_t user_id, const char *state,
                      const char *q_escaped, int (*fn)(void *arg, const ow_req_item *it), void *arg,
                      ow_err *e) {
    static const char *sql =
        "SELECT " ITEM_COLS " FROM info_requests r JOIN orgs o ON o.id = r.org_id"
        " WHERE (?1 = 0 OR r.org_id = ?1) AND (?2 = 0 OR r.user_id = ?2)"
        " AND (?3 IS NULL OR r.state = ?3 OR (?3 = 'open' AND r.state IN ('submitted',"
        " 'processing', 'supplement', 'consulting', 'fee')))"
        " AND (?4 IS NULL OR r.number LIKE '%' || ?4 || '%' ESCAPE '\\'"
        " OR r.applicant_name LIKE '%' || ?4 || '%' ESCAPE '\\'"
        " OR r.content LIKE '%' || ?4 || '%' ESCAPE '\\')"
        " ORDER BY CASE WHEN r.state IN ('replied', 'closed', 'withdrawn') THEN 1 ELSE 0 END,"
        " coalesce(r.due_date, '9999'), r.id DESC";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int64(st, 2, user_id);
    ow_rows_bind_opt_text(st, 3, state);
    ow_rows_bind_opt_text(st, 4, q_escaped);
    item_cb c = {fn, arg};
    return ow_rows_each(db, st, item_each, &c, "request list", e);
}

int ow_req_store_running(ow_db *db, int64_t org_id, int (*fn)(void *arg, const ow_req_item *it),
                         void *arg, ow_err *e) {
    static const char *sql =
        "SELECT " ITEM_COLS " FROM info_requests r JOIN orgs o ON o.id = r.org_id"
        " WHERE r.state = 'processing' AND r.due_date IS NOT NULL AND (?1 = 0 OR r.org_id = ?1)"
        " ORDER BY r.due_date, r.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    item_cb c = {fn, arg};
    return ow_rows_each(db, st, item_each, &c, "request due", e);
}

int ow_req_store_detail(ow_db *db, int64_t id, ow_arena *a, ow_req_detail *out, bool *found,
                        ow_err *e) {
    static const char *sql =
        "SELECT " ITEM_COLS ", r.id_masked, r.uscc, r.contact_name, r.mobile_masked, r.address,"
        " r.email, r.purpose, r.delivery, r.supplement_asked_date, r.supplement_items,"
        " r.supplement_due, r.supplement_received_date, r.supplement_text, r.extension_approver,"
        " r.extension_reason, r.extension_date, r.fee_method, r.fee_units, r.fee_yuan,"
        " r.fee_notice_date, r.fee_due, r.fee_paid_date, r.outcome_reason, r.outcome_detail,"
        " r.clock_start FROM info_requests r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (rc == OW_ROW) {
        ow_req_detail d;
        item_row(st, &d.item);
        const char **s[] = {&d.item.number,         &d.item.org_name,       &d.item.channel,
                            &d.item.applicant_type, &d.item.applicant_name, &d.item.content,
                            &d.item.state,          &d.item.outcome};
        for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
            if (*s[i]) *s[i] = ow_strdup(a, *s[i]);
        const int b = ITEM_NCOLS;
        d.id_masked = ow_rows_dup(a, st, b);
        d.uscc = ow_rows_dup(a, st, b + 1);
        d.contact_name = ow_rows_dupe(a, st, b + 2);
        d.mobile_masked = ow_rows_dupe(a, st, b + 3);
        d.address = ow_rows_dupe(a, st, b + 4);
        d.email = ow_rows_dupe(a, st, b + 5);
        d.purpose = ow_rows_dupe(a, st, b + 6);
        d.delivery = ow_rows_dupe(a, st, b + 7);
        d.supplement_asked = ow_rows_day(st, b + 8);
        d.supplement_items = ow_rows_dup(a, st, b + 9);
        d.supplement_due = ow_rows_day(st, b + 10);
        d.supplement_received = ow_rows_day(st, b + 11);
        d.supplement_text = ow_rows_dup(a, st, b + 12);
        d.extension_approver = ow_rows_dup(a, st, b + 13);
        d.extension_reason = ow_rows_dupe(a, st, b + 14);
        d.extension_date = ow_rows_day(st, b + 15);
        d.fee_method = ow_rows_dup(a, st, b + 16);
        d.fee_units = ow_col_int64(st, b + 17);
        d.fee_yuan = ow_col_int64(st, b + 18);
        d.fee_notice_date = ow_rows_day(st, b + 19);
        d.fee_due = ow_rows_day(st, b + 20);
        d.fee_paid = ow_rows_day(st, b + 21);
        d.outcome_reason = ow_rows_dupe(a, st, b + 22);
        d.outcome_detail = ow_rows_dupe(a, st, b + 23);
        d.clock_start = ow_rows_day(st, b + 24);
        *out = d;
    }
    return ow_rows_one_done(db, st, rc, "request get", e);
}

/* ---------------- the columns the workflow writes ---------------- */

int ow_req_store_set_state(ow_db *db, int64_t id, const char *state, int32_t due, int64_t now_ms,
                           ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE info_requests SET state = ?1, due_date = ?2, updated_at = ?3"
                             " WHERE id = ?4",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, state);
    ow_rows_bind_day(st, 2, due);
    ow_bind_int64(st, 3, now_ms);
    return update(db, st, 4, id, e);
}

int ow_req_store_set_due(ow_db *db, int64_t id, int32_t due, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE info_requests SET due_date = ?1 WHERE id = ?2", e);
    if (!st) return OW_EDB;
    ow_rows_bind_day(st, 1, due);
    return update(db, st, 2, id, e);
}

int ow_req_store_set_received(ow_db *db, int64_t id, int32_t day, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "UPDATE info_requests SET received_date = ?1, clock_start = ?1 WHERE id = ?2", e);
    if (!st) return OW_EDB;
    ow_rows_bind_day(st, 1, day);
    return update(db, st, 2, id, e);
}

int ow_req_store_ask_supplement(ow_db *db, int64_t id, int32_t asked, const char *items,
                                int32_t due, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE info_requests SET supplement_asked_date = ?1,"
                             " supplement_items = ?2, supplement_due = ?3 WHERE id = ?4",
                             e);
    if (!st) return OW_EDB;
    ow_rows_bind_day(st, 1, asked);
    ow_bind_text(st, 2, items);
    ow_rows_bind_day(st, 3, due);
    return update(db, st, 4, id, e);
}

int ow_req_store_supplement_received(ow_db *db, int64_t id, int32_t day, const char *text,
                                     ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE info_requests SET supplement_received_date = ?1,"
                             " clock_start = ?1, supplement_text = ?2 WHERE id = ?3",
                             e);
    if (!st) return OW_EDB;
    ow_rows_bind_day(st, 1, day);
    ow_rows_bind_opt_text(st, 2, text);
    return update(db, st, 3, id, e);
}

int ow_req_store_conclude(ow_db *db, int64_t id, const char *outcome, const char *reason,
                          const char *detail, int32_t day, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE info_requests SET outcome = ?1, outcome_reason = ?2,"
                             " outcome_detail = ?3, concluded_date = ?4 WHERE id = ?5",
                             e);
    if (!st) return OW_EDB;
    ow_rows_bind_opt_text(st, 1, outcome);
    ow_rows_bind_opt_text(st, 2, reason);
    ow_rows_bind_opt_text(st, 3, detail);
    ow_rows_bind_day(st, 4, day);
    return update(db, st, 5, id, e);
}

int ow_req_store_extend(ow_db *db, int64_t id, const char *approver, const char *reason,
                        int32_t day, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE info_requests SET extended = 1, extension_approver = ?1,"
                             " extension_reason = ?2, extension_date = ?3 WHERE id = ?4",
                             e);
    if (!st) return OW_EDB;
    ow_rows_bind_opt_text(st, 1, approver);
    ow_rows_bind_opt_text(st, 2, reason);
    ow_rows_bind_day(st, 3, day);
    return update(db, st, 4, id, e);
}

int ow_req_store_fee_notice(ow_db *db, int64_t id, const char *method, int64_t units, int64_t yuan,
                            int32_t day, int32_t due, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE info_requests SET fee_method = ?1, fee_units = ?2,"
                             " fee_yuan = ?3, fee_notice_date = ?4, fee_due = ?5 WHERE id = ?6",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, method);
    ow_bind_int64(st, 2, units);
    ow_bind_int64(st, 3, yuan);
    ow_rows_bind_day(st, 4, day);
    ow_rows_bind_day(st, 5, due);
    return update(db, st, 6, id, e);
}

int ow_req_store_fee_paid(ow_db *db, int64_t id, int32_t day, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE info_requests SET fee_paid_date = ?1 WHERE id = ?2", e);
    if (!st) return OW_EDB;
    ow_rows_bind_day(st, 1, day);
    return update(db, st, 2, id, e);
}

int ow_req_store_month_rank(ow_db *db, int64_t org_id, const char *id_idx, const char *uscc,
                            int32_t received, int64_t id, int *rank, ow_err *e) {
    static const char *sql =
        "SELECT count(*) FROM info_requests WHERE org_id = ?1"
        " AND ((?2 IS NOT NULL AND id_number_idx = ?2) OR (?3 IS NOT NULL AND uscc = ?3))"
        " AND substr(received_date, 1, 7) = substr(?4, 1, 7)"
        " AND (received_date < ?4 OR (received_date = ?4 AND id <= ?5))";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_rows_bind_opt_text(st, 2, id_idx);
    ow_rows_bind_opt_text(st, 3, uscc);
    ow_rows_bind_day(st, 4, received);
    ow_bind_int64(st, 5, id);
    int64_t n;
    int rc = ow_rows_int64(db, st, &n, "month rank", e);
    *rank = (int)n;
    return rc;
}

/* ---------------- pauses ---------------- */

typedef struct pause_cb {
    int (*fn)(void *arg, const char *kind, int32_t start, int32_t end, const char *party);
    void *arg;
} pause_cb;

static int pause_row(ow_stmt *st, void *ctx) {
    pause_cb *c = ctx;
    return c->fn(c->arg, ow_db_text(st, 0), ow_rows_day(st, 1), ow_rows_day(st, 2),
                 ow_db_text(st, 3));
}

int ow_req_store_pauses(ow_db *db, int64_t id,
                        int (*fn)(void *arg, const char *kind, int32_t start, int32_t end,
                                  const char *party),
                        void *arg, ow_err *e) {
    static const char *sql = "SELECT kind, start_date, end_date, party FROM info_request_pauses"
                             " WHERE request_id = ? ORDER BY start_date, id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    pause_cb c = {fn, arg};
    return ow_rows_each(db, st, pause_row, &c, "pauses", e);
}

int ow_req_store_pause_add(ow_db *db, int64_t id, const char *kind, int32_t start,
                           const char *party, const char *note, ow_err *e) {
    static const char *sql = "INSERT INTO info_request_pauses(request_id, kind, start_date, party,"
                             " note) VALUES(?,?,?,?,?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, kind);
    ow_rows_bind_day(st, 3, start);
    ow_bind_text(st, 4, party ? party : "");
    ow_bind_text(st, 5, note ? note : "");
    return ow_rows_done(db, st, "pause insert", e);
}

int ow_req_store_pauses_end(ow_db *db, int64_t id, const char *kinds, int32_t day, ow_err *e) {
    static const char *sql = "UPDATE info_request_pauses SET end_date = ?1 WHERE request_id = ?2"
                             " AND end_date IS NULL AND instr(?3, kind) > 0";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_rows_bind_day(st, 1, day);
    ow_bind_int64(st, 2, id);
    ow_bind_text(st, 3, kinds);
    return ow_rows_done(db, st, "pause end", e);
}

/* ---------------- timeline and notices ---------------- */

int ow_req_store_notice_add(ow_db *db, int64_t id, const ow_req_notice *n, int64_t now_ms,
                            int64_t *notice_id, ow_err *e) {
    static const char *sql =
        "INSERT INTO info_request_notices(request_id, kind, title, number, verify_code,"
        " payload, issued_date, created_at) VALUES(?,?,?,?,?,?,?,?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, n->kind);
    ow_bind_text(st, 3, n->title);
    ow_bind_text(st, 4, n->number);
    ow_bind_text(st, 5, n->verify_code);
    ow_bind_text(st, 6, n->payload);
    ow_rows_bind_day(st, 7, n->issued);
    ow_bind_int64(st, 8, now_ms);
    return ow_rows_insert(db, st, notice_id, "notice insert", e);
}

int ow_req_store_notice_delivered(ow_db *db, int64_t id, int64_t notice_id, int32_t day,
                                  const char *method, bool *found, ow_err *e) {
    static const char *sql =
        "UPDATE info_request_notices SET delivered_date = ?1, delivery_method = ?2"
        " WHERE id = ?3 AND request_id = ?4";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_rows_bind_day(st, 1, day);
    ow_bind_text(st, 2, method);
    ow_bind_int64(st, 3, notice_id);
    ow_bind_int64(st, 4, id);
    int rc = ow_rows_done(db, st, "deliver", e);
    *found = !rc && ow_db_changes(db) == 1;
    return rc;
}

typedef struct notice_cb {
    void (*fn)(void *arg, const ow_req_notice *n);
    void *arg;
} notice_cb;

static int notice_row(ow_stmt *st, void *ctx) {
    notice_cb *c = ctx;
    ow_req_notice n = {.id = ow_col_int64(st, 0),
                       .kind = ow_db_text(st, 1),
                       .title = ow_db_text(st, 2),
                       .number = ow_db_text(st, 3),
                       .verify_code = ow_db_text(st, 4),
                       .issued = ow_rows_day(st, 5),
                       .delivered = ow_rows_day(st, 6),
                       .delivery_method = ow_col_text(st, 7)};
    c->fn(c->arg, &n);
    return 0;
}

int ow_req_store_notices(ow_db *db, int64_t id, void (*fn)(void *arg, const ow_req_notice *n),
                         void *arg, ow_err *e) {
    static const char *sql = "SELECT id, kind, title, number, verify_code, issued_date,"
                             " delivered_date, delivery_method FROM info_request_notices"
                             " WHERE request_id = ? ORDER BY id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    notice_cb c = {fn, arg};
    return ow_rows_each(db, st, notice_row, &c, "notices", e);
}

int ow_req_store_notice(ow_db *db, int64_t id, int64_t notice_id, ow_arena *a, ow_req_notice *out,
                        bool *found, ow_err *e) {
    static const char *sql = "SELECT payload, verify_code, number FROM info_request_notices"
                             " WHERE id = ? AND request_id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, notice_id);
    ow_bind_int64(st, 2, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (rc == OW_ROW)
        *out = (ow_req_notice){.id = notice_id,
                               .payload = ow_rows_dupe(a, st, 0),
                               .verify_code = ow_rows_dupe(a, st, 1),
                               .number = ow_rows_dupe(a, st, 2)};
    return ow_rows_one_done(db, st, rc, "notice load", e);
}

/* ---------------- reconsideration and litigation ---------------- */

int ow_req_store_review_add(ow_db *db, int64_t id, const ow_req_review *v, int64_t now_ms,
                            int64_t *review_id, ow_err *e) {
    static const char *sql =
        "INSERT INTO info_request_reviews(request_id, kind, filed_date, body, result, decided_date,"
        " note, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, v->kind);
    ow_bind_text(st, 3, v->filed_date);
    ow_bind_text(st, 4, v->body ? v->body : "");
    ow_bind_text(st, 5, v->result);
    ow_rows_bind_opt_text(st, 6, v->decided_date);
    ow_bind_text(st, 7, v->note ? v->note : "");
    ow_bind_int64(st, 8, now_ms);
    ow_bind_int64(st, 9, now_ms);
    return ow_rows_insert(db, st, review_id, "review insert", e);
}

int ow_req_store_review_update(ow_db *db, int64_t id, const ow_req_review *v, int64_t now_ms,
                               bool *found, ow_err *e) {
    static const char *sql =
        "UPDATE info_request_reviews SET kind = coalesce(?1, kind),"
        " filed_date = coalesce(?2, filed_date), body = coalesce(?3, body),"
        " result = coalesce(?4, result), decided_date = coalesce(?5, decided_date),"
        " note = coalesce(?6, note), updated_at = ?7 WHERE id = ?8 AND request_id = ?9";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    const char *t[] = {v->kind, v->filed_date, v->body, v->result, v->decided_date, v->note};
    for (int i = 0; i < 6; i++)
        ow_rows_bind_opt_text(st, i + 1, t[i]);
    ow_bind_int64(st, 7, now_ms);
    ow_bind_int64(st, 8, v->id);
    ow_bind_int64(st, 9, id);
    int rc = ow_rows_done(db, st, "review update", e);
    *found = !rc && ow_db_changes(db) == 1;
    return rc;
}

typedef struct review_cb {
    void (*fn)(void *arg, const ow_req_review *v);
    void *arg;
} review_cb;

static int review_row(ow_stmt *st, void *ctx) {
    review_cb *c = ctx;
    ow_req_review v = {.id = ow_col_int64(st, 0),
                       .kind = ow_db_text(st, 1),
                       .filed_date = ow_col_text(st, 2),
                       .body = ow_db_text(st, 3),
                       .result = ow_db_text(st, 4),
                       .decided_date = ow_col_text(st, 5),
                       .note = ow_db_text(st, 6)};
    c->fn(c->arg, &v);
    return 0;
}

int ow_req_store_reviews(ow_db *db, int64_t id, void (*fn)(void *arg, const ow_req_review *v),
                         void *arg, ow_err *e) {
    static const char *sql = "SELECT id, kind, filed_date, body, result, decided_date, note FROM"
                             " info_request_reviews WHERE request_id = ? ORDER BY id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    review_cb c = {fn, arg};
    return ow_rows_each(db, st, review_row, &c, "reviews", e);
}

int ow_req_store_paper_add(ow_db *db, int64_t id, const char *label, const char *sha256,
                           const char *filename, const char *content_type, int64_t size,
                           int64_t by_user, int64_t now_ms, int64_t *paper_id, ow_err *e) {
    static const char *sql =
        "INSERT INTO info_request_files(request_id, label, sha256, filename, content_type, size,"
        " uploaded_by, created_at) VALUES(?,?,?,?,?,?,?,?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, label);
    ow_bind_text(st, 3, sha256);
    ow_bind_text(st, 4, filename);
    ow_bind_text(st, 5, content_type);
    ow_bind_int64(st, 6, size);
    ow_rows_bind_opt_id(st, 7, by_user);
    ow_bind_int64(st, 8, now_ms);
    return ow_rows_insert(db, st, paper_id, "request file", e);
}

int ow_req_store_pii(ow_db *db, int64_t id, ow_arena *a, const char **id_number_enc,
                     const char **mobile_enc, ow_err *e) {
    static const char *sql = "SELECT id_number_enc, mobile_enc FROM info_requests WHERE id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *id_number_enc = ow_rows_dup(a, st, 0);
        *mobile_enc = ow_rows_dupe(a, st, 1);
    }
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "request pii", e);
}
