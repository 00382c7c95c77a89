/* publication.c — publications (主动公开): the columns of the disclosure catalog,
 * drafting, the confidentiality review (保密审查) that must pass before anything is
 * published, withdrawal with a reason, repeal of a normative document, public lists
 * with Chinese substring search and an Atom feed per column.
 *
 *   draft ──submit──▶ review ──approve (审查意见)──▶ published ──withdraw (理由)──▶ withdrawn
 *     ▲                  │                              └─repeal (废止日期): stays published,
 *     └──────reject──────┘                                validity becomes repealed
 *
 * Search: FTS5's trigram tokenizer finds any substring of three or more characters,
 * which is what Chinese search needs without a word segmenter; one- and two-character
 * queries (人名, 地名 are often two) fall back to LIKE over the same columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/json.h"
#include "disclosure/disclosure.h"
#include "files/files.h"
#include "store/db.h"

static const ow_dis_column columns[] = {
    {"guide", "政府信息公开指南", false},
    {"rules", "规章", false},
    {"normative", "行政规范性文件", false},
    {"interpretation", "政策解读", false},
    {"plans", "规划计划", false},
    {"budget", "财政预决算", true},
    {"major_projects", "重大建设项目", true},
    {"public_resources", "公共资源配置", true},
    {"public_welfare", "社会公益事业", true},
    {"permits", "行政许可", false},
    {"penalties", "行政处罚", false},
    {"enforcement", "行政强制", false},
    {"fees", "行政事业性收费", false},
    {"personnel", "人事信息", false},
    {"news", "工作动态", false},
    {"annual_reports", "政府信息公开年度报告", false},
};

const ow_dis_column *ow_dis_columns(size_t *n) {
    *n = sizeof columns / sizeof columns[0];
    return columns;
}

const ow_dis_column *ow_dis_column_find(const char *code) {
    for (size_t i = 0; code && i < sizeof columns / sizeof columns[0]; i++)
        if (!strcmp(columns[i].code, code)) return &columns[i];
    return NULL;
}

static int32_t today(ow_ctx *cx) {
    return ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
}

static bool is_admin(const ow_ctx *cx) {
    return cx->actor.system || ow_actor_is(&cx->actor, "admin");
}

static bool may_edit(ow_ctx *cx, int64_t org_id) {
    return is_admin(cx) || (ow_actor_is(&cx->actor, "discloser") && cx->actor.org_id == org_id);
}

static int check_date(ow_ctx *cx, const char *field, const char *s) {
    int32_t d;
    if (s && ow_date_parse(s, &d))
        return ow_err_set(&cx->err, OW_EINVAL, field, "%s应为 YYYY-MM-DD 格式的日期",
                          ow_json_label(field));
    return OW_OK;
}

static int validate(ow_ctx *cx, const ow_dis_pub_in *in) {
    if (in->column && !ow_dis_column_find(in->column))
        return ow_err_set(&cx->err, OW_EINVAL, "column", "栏目“%s”不存在", in->column);
    if (in->validity && strcmp(in->validity, "valid") && strcmp(in->validity, "repealed") &&
        strcmp(in->validity, "expired") && strcmp(in->validity, "none"))
        return ow_err_set(&cx->err, OW_EINVAL, "validity",
                          "有效性应为有效、已废止、已失效或不适用");
    if (in->validity && !strcmp(in->validity, "repealed") && !in->repealed_date)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "repealed_date",
                           "已废止的文件请填写废止日期");
    int rc;
    if ((rc = check_date(cx, "issued_date", in->issued_date)) ||
        (rc = check_date(cx, "repealed_date", in->repealed_date)))
        return rc;
    return OW_OK;
}

static int pub_event(ow_ctx *cx, int64_t id, const char *action, const char *from, const char *to,
                     const char *note) {
    static const char *sql =
        "INSERT INTO publication_events(publication_id, at, actor_id, actor_name, action,"
        " from_state, to_state, note) VALUES(?,?,?,?,?,?,?,?)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, ow_clock_now_ms(cx->clock));
    if (cx->actor.user_id) ow_bind_int64(st, 3, cx->actor.user_id);
    ow_bind_text(st, 4, cx->actor.name);
    ow_bind_text_ref(st, 5, action);
    ow_bind_text(st, 6, from);
    ow_bind_text(st, 7, to);
    ow_bind_text(st, 8, note ? note : "");
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "publication event", &cx->err);
    ow_reset(st);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *d = json_pack("{s:s,s:s}", "from", from, "to", to);
    int rc =
        ow_audit_append(cx, ow_sprintf(cx->arena, "publication.%s", action), "publication", ids, d);
    json_decref(d);
    return rc;
}

int ow_dis_pub_create(ow_ctx *cx, const ow_dis_pub_in *in, int64_t *id) {
    int64_t org = in->org_id ? in->org_id : cx->actor.org_id;
    if (!org || !may_edit(cx, org))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有本单位的政务公开人员可以发布公开信息");
    int rc = validate(cx, in);
    if (rc) return rc;
    if (!in->column || !in->title || !*in->title || !in->issued_date || !in->body)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field",
                           !in->column                 ? "column"
                           : !in->title || !*in->title ? "title"
                           : !in->issued_date          ? "issued_date"
                                                       : "body",
                           "请填写栏目、标题、成文日期和正文");
    static const char *sql =
        "INSERT INTO publications(org_id, column_code, title, doc_number, issued_date, validity,"
        " repealed_date, body, state, created_by, created_at, updated_at)"
        " VALUES(?,?,?,?,?,?,?,?,'draft',?,?,?)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_bind_int64(st, 1, org);
    ow_bind_text(st, 2, in->column);
    ow_bind_text(st, 3, in->title);
    ow_bind_text(st, 4, in->doc_number ? in->doc_number : "");
    ow_bind_text(st, 5, in->issued_date);
    ow_bind_text(st, 6, in->validity ? in->validity : "none");
    if (in->repealed_date) ow_bind_text(st, 7, in->repealed_date);
    ow_bind_text(st, 8, in->body);
    if (cx->actor.user_id) ow_bind_int64(st, 9, cx->actor.user_id);
    ow_bind_int64(st, 10, now);
    ow_bind_int64(st, 11, now);
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "publication insert", &cx->err);
    ow_reset(st);
    *id = ow_db_last_id(cx->db);
    return pub_event(cx, *id, "create", "", "draft", in->title);
}

typedef struct pub {
    int64_t id, org_id, created_by;
    char state[12], validity[12], org_code[16];
    const char *issued_date;
} pub;

static int load_pub(ow_ctx *cx, int64_t id, pub *p) {
    static const char *sql =
        "SELECT p.id, p.org_id, coalesce(p.created_by, 0), p.state, p.validity,"
        " o.code, p.issued_date FROM publications p JOIN orgs o ON o.id = p.org_id"
        " WHERE p.id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_DONE) {
        ow_reset(st);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "公开信息不存在");
    }
    if (rc != OW_ROW) return ow_db_fail(cx->db, "publication load", &cx->err);
    p->id = ow_col_int64(st, 0);
    p->org_id = ow_col_int64(st, 1);
    p->created_by = ow_col_int64(st, 2);
    snprintf(p->state, sizeof p->state, "%s", ow_db_text(st, 3));
    snprintf(p->validity, sizeof p->validity, "%s", ow_db_text(st, 4));
    snprintf(p->org_code, sizeof p->org_code, "%s", ow_db_text(st, 5));
    p->issued_date = ow_strdup(cx->arena, ow_db_text(st, 6));
    ow_reset(st);
    return OW_OK;
}

int ow_dis_pub_update(ow_ctx *cx, int64_t id, const ow_dis_pub_in *in) {
    pub p;
    int rc = load_pub(cx, id, &p);
    if (rc) return rc;
    if (!may_edit(cx, p.org_id))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有本单位的政务公开人员可以修改公开信息");
    if (strcmp(p.state, "draft"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "state",
                           "只有草稿可以修改；已提交审查或已发布的信息请先退回或撤回");
    if ((rc = validate(cx, in))) return rc;
    static const char *sql =
        "UPDATE publications SET column_code = coalesce(?1, column_code), title = coalesce(?2, "
        "title),"
        " doc_number = coalesce(?3, doc_number), issued_date = coalesce(?4, issued_date),"
        " validity = coalesce(?5, validity), repealed_date = coalesce(?6, repealed_date),"
        " body = coalesce(?7, body), updated_at = ?8 WHERE id = ?9";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    const char *v[] = {in->column,   in->title,         in->doc_number, in->issued_date,
                       in->validity, in->repealed_date, in->body};
    for (int i = 0; i < 7; i++)
        if (v[i]) ow_bind_text(st, i + 1, v[i]);
    ow_bind_int64(st, 8, ow_clock_now_ms(cx->clock));
    ow_bind_int64(st, 9, id);
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "publication update", &cx->err);
    ow_reset(st);
    return pub_event(cx, id, "edit", "draft", "draft", NULL);
}

/* 索引号: region code, unit code, year, sequence within the unit and year. */
static int next_index_no(ow_ctx *cx, const pub *p, int year, char out[64]) {
    static const char *sql =
        "INSERT INTO publication_index_seq(org_id, year, last) VALUES(?1, ?2, 1)"
        " ON CONFLICT(org_id, year) DO UPDATE SET last = publication_index_seq.last + 1 RETURNING "
        "last";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, p->org_id);
    ow_bind_int(st, 2, year);
    if (ow_step(st) != OW_ROW) return ow_db_fail(cx->db, "index number", &cx->err);
    int n = ow_col_int(st, 0);
    ow_reset(st);
    snprintf(out, 64, "%s-%s-%d-%05d", cx->app->cfg.region_code, p->org_code, year, n);
    return OW_OK;
}

static int set_state(ow_ctx *cx, int64_t id, const char *sql, int nb, const char *const *v) {
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    for (int i = 0; i < nb; i++) {
        if (v[i])
            ow_bind_text(st, i + 1, v[i]);
        else
            ow_bind_null(st, i + 1);
    }
    ow_bind_int64(st, nb + 1, ow_clock_now_ms(cx->clock));
    ow_bind_int64(st, nb + 2, id);
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "publication state", &cx->err);
    ow_reset(st);
    return OW_OK;
}

static const struct {
    const char *action, *name, *from, *to, *arg, *arg_label;
} pub_transitions[] = {
    {"submit", "提交保密审查", "draft", "review", NULL, NULL},
    {"approve", "保密审查通过并发布", "review", "published", "note", "审查意见"},
    {"reject", "退回修改", "review", "draft", "note", "退回理由"},
    {"withdraw", "撤回", "published", "withdrawn", "reason", "撤回理由"},
    {"repeal", "宣布废止", "published", "published", "repealed_date", "废止日期"},
};

/* Who sent the publication to review last (its latest submit), 0 if nobody. */
static int submitter(ow_ctx *cx, int64_t id, int64_t *user_id) {
    static const char *sql = "SELECT coalesce(actor_id, 0) FROM publication_events"
                             " WHERE publication_id = ? AND action = 'submit'"
                             " ORDER BY id DESC LIMIT 1";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *user_id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(cx->db, "submitter", &cx->err);
    return OW_OK;
}

int ow_dis_pub_transition(ow_ctx *cx, int64_t id, const char *action, const json_t *args) {
    size_t i, n = sizeof pub_transitions / sizeof pub_transitions[0];
    for (i = 0; i < n; i++)
        if (action && !strcmp(pub_transitions[i].action, action)) break;
    if (i == n)
        return ow_err_set(&cx->err, OW_EINVAL, "action", "不支持的操作“%s”", action ? action : "");
    pub p;
    int rc = load_pub(cx, id, &p);
    if (rc) return rc;
    if (!may_edit(cx, p.org_id))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有本单位的政务公开人员可以办理");
    if (strcmp(p.state, pub_transitions[i].from))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "当前状态不能执行“%s”", pub_transitions[i].name);
    if (!strcmp(action, "approve")) {
        /* separation of duties: the 保密审查 is a second pair of eyes, never the submitter's */
        int64_t by;
        if ((rc = submitter(cx, id, &by))) return rc;
        if (by && by == cx->actor.user_id)
            return ow_err_setk(&cx->err, OW_EFORBIDDEN, "same_person", "action",
                               "保密审查须由提交人以外的政务公开人员审核，不能审批本人提交的信息");
    }
    const char *arg = NULL;
    if (pub_transitions[i].arg) {
        if ((rc = ow_json_str(args, pub_transitions[i].arg, true, 500, &arg, &cx->err))) {
            snprintf(cx->err.message, sizeof cx->err.message, "请填写%s",
                     pub_transitions[i].arg_label);
            return rc;
        }
    }
    const char *to = pub_transitions[i].to;
    int32_t t = today(cx);
    char date[11];
    ow_date_format(t, date);
    if (!strcmp(action, "submit")) {
        rc = set_state(cx, id,
                       "UPDATE publications SET state = 'review', updated_at = ?1 WHERE id = ?2", 0,
                       NULL);
    } else if (!strcmp(action, "approve")) {
        int y, m, d;
        ow_date_ymd(t, &y, &m, &d);
        char idx[64], uid[24];
        if ((rc = next_index_no(cx, &p, y, idx))) return rc;
        snprintf(uid, sizeof uid, "%lld", (long long)cx->actor.user_id);
        char now[24];
        snprintf(now, sizeof now, "%lld", (long long)ow_clock_now_ms(cx->clock));
        const char *v[] = {idx, arg, uid, now, date};
        rc = set_state(
            cx, id,
            "UPDATE publications SET state = 'published', index_no = coalesce(index_no, ?1),"
            " review_note = ?2, reviewed_by = ?3, published_at = ?4, published_date = ?5,"
            " updated_at = ?6 WHERE id = ?7",
            5, v);
    } else if (!strcmp(action, "reject")) {
        const char *v[] = {arg};
        rc = set_state(cx, id,
                       "UPDATE publications SET state = 'draft', review_note = ?1, updated_at = ?2 "
                       "WHERE id = ?3",
                       1, v);
    } else if (!strcmp(action, "withdraw")) {
        char now[24];
        snprintf(now, sizeof now, "%lld", (long long)ow_clock_now_ms(cx->clock));
        const char *v[] = {arg, now};
        rc = set_state(cx, id,
                       "UPDATE publications SET state = 'withdrawn', withdraw_reason = ?1,"
                       " withdrawn_at = ?2, updated_at = ?3 WHERE id = ?4",
                       2, v);
    } else { /* repeal */
        if ((rc = check_date(cx, "repealed_date", arg))) return rc;
        if (strcmp(arg, p.issued_date) < 0)
            return ow_err_set(&cx->err, OW_EINVAL, "repealed_date", "废止日期不能早于成文日期");
        const char *v[] = {arg};
        rc = set_state(cx, id,
                       "UPDATE publications SET validity = 'repealed', repealed_date = ?1,"
                       " updated_at = ?2 WHERE id = ?3",
                       1, v);
    }
    if (rc) return rc;
    return pub_event(cx, id, action, p.state, to, arg);
}

/* ======================= attachments ======================= */

static int attach_editable(ow_ctx *cx, const pub *p) {
    if (!may_edit(cx, p->org_id))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有本单位的政务公开人员可以管理附件");
    if (strcmp(p->state, "draft"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "state",
                           "只有草稿可以增删附件；已提交审查或已发布的信息请先退回");
    return OW_OK;
}

int ow_dis_pub_attach_check(ow_ctx *cx, int64_t pub_id) {
    pub p;
    int rc = load_pub(cx, pub_id, &p);
    if (rc) return rc;
    return attach_editable(cx, &p);
}

int ow_dis_pub_attach_add(ow_ctx *cx, int64_t pub_id, const char *sha256, const char *filename,
                          const char *content_type, int64_t size, int64_t *id) {
    pub p;
    int rc = load_pub(cx, pub_id, &p);
    if (rc || (rc = attach_editable(cx, &p))) return rc;
    static const char *csql =
        "SELECT count(*), coalesce(sum(filename = ?2), 0) FROM publication_attachments"
        " WHERE publication_id = ?1";
    ow_stmt *st = ow_db_stmt(cx->db, csql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, pub_id);
    ow_bind_text(st, 2, filename);
    if (ow_step(st) != OW_ROW) return ow_db_fail(cx->db, "attachment count", &cx->err);
    int n = ow_col_int(st, 0), same = ow_col_int(st, 1);
    ow_reset(st);
    if (same)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "duplicate", "filename",
                           "已有同名附件“%s”，请先删除或改名后再上传", filename);
    if (n >= OW_DIS_PUB_ATTACHMENTS_MAX)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "too_many_attachments", "file",
                           "每条公开信息最多 %d 个附件", OW_DIS_PUB_ATTACHMENTS_MAX);
    if ((rc = ow_files_blob_record(cx, sha256, size, content_type))) return rc;
    static const char *sql =
        "INSERT INTO publication_attachments(publication_id, sha256, filename, content_type, size,"
        " uploaded_by, created_at) VALUES(?,?,?,?,?,?,?)";
    if (!(st = ow_db_stmt(cx->db, sql, &cx->err))) return OW_EDB;
    ow_bind_int64(st, 1, pub_id);
    ow_bind_text(st, 2, sha256);
    ow_bind_text(st, 3, filename);
    ow_bind_text(st, 4, content_type);
    ow_bind_int64(st, 5, size);
    if (cx->actor.user_id)
        ow_bind_int64(st, 6, cx->actor.user_id);
    else
        ow_bind_null(st, 6);
    ow_bind_int64(st, 7, ow_clock_now_ms(cx->clock));
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "attachment insert", &cx->err);
    ow_reset(st);
    *id = ow_db_last_id(cx->db);
    return pub_event(cx, pub_id, "attach", "draft", "draft", filename);
}

int ow_dis_pub_attach_remove(ow_ctx *cx, int64_t pub_id, int64_t att_id) {
    pub p;
    int rc = load_pub(cx, pub_id, &p);
    if (rc || (rc = attach_editable(cx, &p))) return rc;
    /* the row goes; the content stays in the store (it may be shared, and a draft's
     * file was never public) */
    static const char *sql =
        "DELETE FROM publication_attachments WHERE id = ? AND publication_id = ?"
        " RETURNING filename";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, att_id);
    ow_bind_int64(st, 2, pub_id);
    rc = ow_step(st);
    if (rc == OW_DONE) {
        ow_reset(st);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "attachment_id", "附件不存在");
    }
    if (rc != OW_ROW) return ow_db_fail(cx->db, "attachment delete", &cx->err);
    const char *name = ow_strdup(cx->arena, ow_db_text(st, 0));
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "attachment delete", &cx->err);
    ow_reset(st);
    return pub_event(cx, pub_id, "detach", "draft", "draft", name);
}

/* Who sees a publication (and its files): everyone while it is published; the unit's
 * disclosers, admins and supervisors in every state. */
static bool pub_visible(ow_ctx *cx, const char *state, int64_t org_id) {
    return !strcmp(state, "published") || may_edit(cx, org_id) ||
           ow_actor_is(&cx->actor, "supervisor");
}

int ow_dis_pub_attach_get(ow_ctx *cx, int64_t pub_id, int64_t att_id, ow_dis_attachment *out) {
    pub p;
    int rc = load_pub(cx, pub_id, &p);
    if (rc) return rc;
    if (!pub_visible(cx, p.state, p.org_id))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "公开信息不存在");
    static const char *sql =
        "SELECT sha256, filename, content_type, size FROM publication_attachments"
        " WHERE id = ? AND publication_id = ?";
    return ow_dis_file_row(cx, sql, att_id, pub_id, "attachment_id", "附件不存在", out);
}

/* [{id, filename, content_type, size, url}] in upload order. */
static int attachments_json(ow_ctx *cx, int64_t pub_id, json_t **out) {
    static const char *sql = "SELECT id, filename, content_type, size FROM publication_attachments"
                             " WHERE publication_id = ? ORDER BY id";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, pub_id);
    json_t *a = json_array();
    int rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        int64_t aid = ow_col_int64(st, 0);
        json_array_append_new(
            a, json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)aid, "filename",
                         ow_db_text(st, 1), "content_type", ow_db_text(st, 2), "size",
                         (json_int_t)ow_col_int64(st, 3), "url",
                         ow_sprintf(cx->arena, "/api/v1/publications/%lld/attachments/%lld",
                                    (long long)pub_id, (long long)aid)));
    }
    ow_reset(st);
    if (rc != OW_DONE) {
        json_decref(a);
        return ow_db_fail(cx->db, "attachments", &cx->err);
    }
    *out = a;
    return OW_OK;
}

static const char *validity_name(const char *v) {
    return !strcmp(v, "valid")      ? "有效"
           : !strcmp(v, "repealed") ? "已废止"
           : !strcmp(v, "expired")  ? "已失效"
                                    : "—";
}

#define PUB_COLS                                                                                   \
    "p.id, p.org_id, o.name, p.column_code, p.index_no, p.title, p.doc_number, p.issued_date,"     \
    " p.validity, p.repealed_date, p.state, p.published_date, p.review_note, p.withdraw_reason"

static json_t *pub_row(ow_stmt *st) {
    const ow_dis_column *c = ow_dis_column_find(ow_db_text(st, 3));
    json_t *j = json_pack(
        "{s:I,s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o}", "id",
        (json_int_t)ow_col_int64(st, 0), "org_id", (json_int_t)ow_col_int64(st, 1), "org_name",
        ow_db_text(st, 2), "column", ow_db_text(st, 3), "column_name",
        c ? c->name : ow_db_text(st, 3), "index_no",
        ow_col_null(st, 4) ? json_null() : json_string(ow_db_text(st, 4)), "title",
        ow_db_text(st, 5), "doc_number", ow_db_text(st, 6), "issued_date", ow_db_text(st, 7),
        "validity", ow_db_text(st, 8), "validity_name", validity_name(ow_db_text(st, 8)),
        "repealed_date", ow_col_null(st, 9) ? json_null() : json_string(ow_db_text(st, 9)), "state",
        ow_db_text(st, 10), "published_date",
        ow_col_null(st, 11) ? json_null() : json_string(ow_db_text(st, 11)));
    json_object_set_new(j, "review_note", json_string(ow_db_text(st, 12)));
    json_object_set_new(j, "withdraw_reason", json_string(ow_db_text(st, 13)));
    return j;
}

int ow_dis_pub_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    static const char *sql =
        "SELECT " PUB_COLS
        ", p.body FROM publications p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_DONE) {
        ow_reset(st);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "公开信息不存在");
    }
    if (rc != OW_ROW) return ow_db_fail(cx->db, "publication get", &cx->err);
    if (!pub_visible(cx, ow_db_text(st, 10), ow_col_int64(st, 1))) {
        ow_reset(st);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "公开信息不存在");
    }
    json_t *j = pub_row(st);
    json_object_set_new(j, "body", json_string(ow_db_text(st, 14)));
    json_object_set_new(j, "may_edit", json_boolean(may_edit(cx, ow_col_int64(st, 1))));
    ow_reset(st);
    json_t *att = NULL;
    if ((rc = attachments_json(cx, id, &att))) {
        json_decref(j);
        return rc;
    }
    json_object_set_new(j, "attachments", att);
    if (may_edit(cx, json_integer_value(json_object_get(j, "org_id")))) {
        json_t *ev = json_array();
        static const char *esql = "SELECT at, actor_name, action, from_state, to_state, note FROM"
                                  " publication_events WHERE publication_id = ? ORDER BY id";
        if ((st = ow_db_stmt(cx->db, esql, &cx->err))) {
            ow_bind_int64(st, 1, id);
            while (ow_step(st) == OW_ROW) {
                char at[32];
                ow_time_format_iso(ow_col_int64(st, 0), at);
                json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "at", at, "actor",
                                                    ow_db_text(st, 1), "action", ow_db_text(st, 2),
                                                    "from", ow_db_text(st, 3), "to",
                                                    ow_db_text(st, 4), "note", ow_db_text(st, 5)));
            }
            ow_reset(st);
        }
        json_object_set_new(j, "timeline", ev);
        /* under review: whether this reader may approve it (not the one who submitted it) */
        if (!strcmp(json_string_value(json_object_get(j, "state")), "review")) {
            int64_t by = 0;
            if ((rc = submitter(cx, id, &by))) {
                json_decref(j);
                return rc;
            }
            json_object_set_new(j, "may_approve", json_boolean(!by || by != cx->actor.user_id));
        }
    }
    *out = j;
    return OW_OK;
}

/* Characters in a UTF-8 string. */
static size_t chars(const char *s) {
    return ow_utf8_len(s);
}

static const char *like_pattern(ow_ctx *cx, const char *q) {
    ow_buf b;
    ow_buf_init(&b, cx->arena, strlen(q) + 4);
    ow_buf_putc(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') ow_buf_putc(&b, '\\');
        ow_buf_putc(&b, *p);
    }
    ow_buf_putc(&b, '%');
    return b.data;
}

static const char *fts_phrase(ow_ctx *cx, const char *q) {
    ow_buf b;
    ow_buf_init(&b, cx->arena, strlen(q) + 4);
    ow_buf_putc(&b, '"');
    for (const char *p = q; *p; p++) {
        if (*p == '"') ow_buf_putc(&b, '"');
        ow_buf_putc(&b, *p);
    }
    ow_buf_putc(&b, '"');
    return b.data;
}

#define PUB_WHERE                                                                                  \
    " WHERE (?1 IS NULL OR p.column_code = ?1) AND (?2 = 0 OR p.org_id = ?2)"                      \
    " AND ((?3 IS NULL AND p.state = 'published') OR (?3 = 'all' AND (?4 = 0 OR p.org_id = ?4))"   \
    " OR (?3 <> 'all' AND p.state = ?3 AND (?4 = 0 OR p.org_id = ?4)))"                            \
    " AND (?5 IS NULL OR p.published_date >= ?5) AND (?6 IS NULL OR p.published_date <= ?6)"

static const char *const list_sql[4][2] = {
    /* no query */
    {"SELECT count(*) FROM publications p" PUB_WHERE,
     "SELECT " PUB_COLS " FROM publications p JOIN orgs o ON o.id = p.org_id" PUB_WHERE
     " ORDER BY coalesce(p.published_date, p.issued_date) DESC, p.id DESC LIMIT ?8 OFFSET ?9"},
    /* three or more characters: the trigram index */
    {"SELECT count(*) FROM publications p" PUB_WHERE
     " AND p.id IN (SELECT rowid FROM publications_fts WHERE publications_fts MATCH ?7)",
     "SELECT " PUB_COLS " FROM publications p JOIN orgs o ON o.id = p.org_id" PUB_WHERE
     " AND p.id IN (SELECT rowid FROM publications_fts WHERE publications_fts MATCH ?7)"
     " ORDER BY coalesce(p.published_date, p.issued_date) DESC, p.id DESC LIMIT ?8 OFFSET ?9"},
    /* one or two characters: a scan with LIKE */
    {"SELECT count(*) FROM publications p" PUB_WHERE
     " AND (p.title LIKE ?7 ESCAPE '\\' OR p.doc_number LIKE ?7 ESCAPE '\\' OR p.body LIKE ?7 "
     "ESCAPE '\\')",
     "SELECT " PUB_COLS " FROM publications p JOIN orgs o ON o.id = p.org_id" PUB_WHERE
     " AND (p.title LIKE ?7 ESCAPE '\\' OR p.doc_number LIKE ?7 ESCAPE '\\' OR p.body LIKE ?7 "
     "ESCAPE '\\')"
     " ORDER BY coalesce(p.published_date, p.issued_date) DESC, p.id DESC LIMIT ?8 OFFSET ?9"},
    /* PostgreSQL, any length: the trigram index of db/migrations-pg answers the ILIKE */
    {"SELECT count(*) FROM publications p" PUB_WHERE
     " AND (p.title || ' ' || p.doc_number || ' ' || p.body) ILIKE ?7 ESCAPE '\\'",
     "SELECT " PUB_COLS " FROM publications p JOIN orgs o ON o.id = p.org_id" PUB_WHERE
     " AND (p.title || ' ' || p.doc_number || ' ' || p.body) ILIKE ?7 ESCAPE '\\'"
     " ORDER BY coalesce(p.published_date, p.issued_date) DESC, p.id DESC LIMIT ?8 OFFSET ?9"},
};

int ow_dis_pub_list(ow_ctx *cx, const ow_dis_pub_filter *f, int page, int per_page, json_t **items,
                    int64_t *total) {
    if (f->column && !ow_dis_column_find(f->column))
        return ow_err_set(&cx->err, OW_EINVAL, "column", "栏目“%s”不存在", f->column);
    const char *state = NULL;
    int64_t scope = 0;
    if (f->manage) {
        if (ow_actor_is(&cx->actor, "discloser"))
            scope = cx->actor.org_id;
        else if (!is_admin(cx) && !ow_actor_is(&cx->actor, "supervisor"))
            return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有政务公开人员可以管理公开信息");
        state = f->state && *f->state ? f->state : "all";
        if (strcmp(state, "all") && strcmp(state, "draft") && strcmp(state, "review") &&
            strcmp(state, "published") && strcmp(state, "withdrawn"))
            return ow_err_set(&cx->err, OW_EINVAL, "state", "状态应为草稿、待审查、已发布或已撤回");
    }
    int rc;
    if ((rc = check_date(cx, "from", f->from)) || (rc = check_date(cx, "to", f->to))) return rc;
    const char *q = f->q && *f->q ? f->q : NULL;
    if (q && chars(q) > 100)
        return ow_err_set(&cx->err, OW_EINVAL, "q", "搜索词过长（最多100个字）");
    int which = !q ? 0 : ow_db_backend(cx->db) == OW_DB_POSTGRES ? 3 : chars(q) >= 3 ? 1 : 2;
    const char *qarg = !q ? NULL : which == 1 ? fts_phrase(cx, q) : like_pattern(cx, q);
    json_t *arr = json_array();
    for (int pass = 0; pass < 2; pass++) {
        ow_stmt *st = ow_db_stmt(cx->db, list_sql[which][pass], &cx->err);
        if (!st) {
            json_decref(arr);
            return OW_EDB;
        }
        if (f->column) ow_bind_text(st, 1, f->column);
        ow_bind_int64(st, 2, f->org_id);
        if (state) ow_bind_text(st, 3, state);
        ow_bind_int64(st, 4, scope);
        if (f->from) ow_bind_text(st, 5, f->from);
        if (f->to) ow_bind_text(st, 6, f->to);
        if (qarg) ow_bind_text(st, 7, qarg);
        if (pass == 1) {
            ow_bind_int(st, 8, per_page);
            ow_bind_int64(st, 9, (int64_t)(page - 1) * per_page);
        }
        while ((rc = ow_step(st)) == OW_ROW) {
            if (pass == 0)
                *total = ow_col_int64(st, 0);
            else
                json_array_append_new(arr, pub_row(st));
        }
        ow_reset(st);
        if (rc != OW_DONE) {
            json_decref(arr);
            return ow_db_fail(cx->db, "publication list", &cx->err);
        }
    }
    *items = arr;
    return OW_OK;
}

static void xml_escape(ow_buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&':
            ow_buf_puts(b, "&amp;");
            break;
        case '<':
            ow_buf_puts(b, "&lt;");
            break;
        case '>':
            ow_buf_puts(b, "&gt;");
            break;
        case '"':
            ow_buf_puts(b, "&quot;");
            break;
        default:
            ow_buf_putc(b, *s);
        }
    }
}

#define FEED_ENTRIES 50

int ow_dis_pub_feed(ow_ctx *cx, const char *column, const char *base_url, char **xml, size_t *len) {
    const ow_dis_column *c = ow_dis_column_find(column);
    if (!c) return ow_err_set(&cx->err, OW_ENOTFOUND, "column", "栏目不存在");
    static const char *sql = "SELECT p.id, p.title, p.index_no, p.doc_number, o.name, "
                             "p.published_at, substr(p.body, 1, 200)"
                             " FROM publications p JOIN orgs o ON o.id = p.org_id"
                             " WHERE p.column_code = ? AND p.state = 'published' ORDER BY "
                             "p.published_at DESC, p.id DESC LIMIT ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, column);
    ow_bind_int(st, 2, FEED_ENTRIES);
    ow_buf b;
    ow_buf_init(&b, cx->arena, 8192);
    ow_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
                    "xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    xml_escape(&b, cx->app->cfg.region_name);
    ow_buf_puts(&b, "政府信息公开 · ");
    xml_escape(&b, c->name);
    ow_buf_printf(&b, "</title>\n<id>%s/open/columns/%s</id>\n", base_url, column);
    ow_buf_printf(&b, "<link rel=\"self\" href=\"%s/api/v1/publication-columns/%s/feed\"/>\n",
                  base_url, column);
    ow_buf_printf(&b, "<link rel=\"alternate\" type=\"text/html\" href=\"%s/open?column=%s\"/>\n",
                  base_url, column);
    bool first = true;
    int rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        char at[32];
        ow_time_format_iso(ow_col_int64(st, 5), at);
        if (first) {
            ow_buf_printf(&b, "<updated>%s</updated>\n", at);
            first = false;
        }
        long long id = ow_col_int64(st, 0);
        ow_buf_printf(&b, "<entry>\n<id>%s/open/publications/%lld</id>\n<title>", base_url, id);
        xml_escape(&b, ow_db_text(st, 1));
        ow_buf_printf(&b,
                      "</title>\n<link "
                      "href=\"%s/open/publications/%lld\"/>\n<updated>%s</updated>\n<author><name>",
                      base_url, id, at);
        xml_escape(&b, ow_db_text(st, 4));
        ow_buf_puts(&b, "</name></author>\n<summary>");
        ow_buf_puts(&b, "索引号：");
        xml_escape(&b, ow_db_text(st, 2));
        if (*ow_db_text(st, 3)) {
            ow_buf_puts(&b, "　文号：");
            xml_escape(&b, ow_db_text(st, 3));
        }
        ow_buf_puts(&b, "　");
        xml_escape(&b, ow_db_text(st, 6));
        ow_buf_puts(&b, "</summary>\n</entry>\n");
    }
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "feed", &cx->err);
    if (first) {
        char at[32];
        ow_time_format_iso(ow_clock_now_ms(cx->clock), at);
        ow_buf_printf(&b, "<updated>%s</updated>\n", at);
    }
    ow_buf_puts(&b, "</feed>\n");
    *xml = b.data;
    *len = b.len;
    return OW_OK;
}
