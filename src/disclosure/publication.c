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
#include "disclosure/disclosure_int.h"
#include "files/files.h"
#include "store/disclosure_store.h"
#include "store/publication_store.h"

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
    int rc =
        ow_dis_store_event(cx->db, OW_DIS_EVENTS_PUBLICATION, id, ow_clock_now_ms(cx->clock),
                           cx->actor.user_id, cx->actor.name, action, from, to, note, &cx->err);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *d = json_pack("{s:s,s:s}", "from", from, "to", to);
    rc =
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
    ow_pub_fields pf = {.column = in->column,
                        .title = in->title,
                        .doc_number = in->doc_number ? in->doc_number : "",
                        .issued_date = in->issued_date,
                        .validity = in->validity ? in->validity : "none",
                        .repealed_date = in->repealed_date,
                        .body = in->body};
    if ((rc = ow_pub_store_insert(cx->db, org, &pf, cx->actor.user_id, ow_clock_now_ms(cx->clock),
                                  id, &cx->err)))
        return rc;
    return pub_event(cx, *id, "create", "", "draft", in->title);
}

typedef ow_pub_state pub;

static int load_pub(ow_ctx *cx, int64_t id, pub *p) {
    bool found;
    int rc = ow_pub_store_state(cx->db, id, cx->arena, p, &found, &cx->err);
    if (!rc && !found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "公开信息不存在");
    return rc;
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
    ow_pub_fields pf = {in->column,   in->title,         in->doc_number, in->issued_date,
                        in->validity, in->repealed_date, in->body};
    if ((rc = ow_pub_store_update(cx->db, id, &pf, ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    return pub_event(cx, id, "edit", "draft", "draft", NULL);
}

/* 索引号: region code, unit code, year, sequence within the unit and year. */
static int next_index_no(ow_ctx *cx, const pub *p, int year, char out[64]) {
    int n, rc = ow_pub_store_next_index(cx->db, p->org_id, year, &n, &cx->err);
    if (rc) return rc;
    snprintf(out, 64, "%s-%s-%d-%05d", cx->app->cfg.region_code, p->org_code, year, n);
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
        if ((rc = ow_pub_store_submitter(cx->db, id, &by, &cx->err))) return rc;
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
    int64_t now = ow_clock_now_ms(cx->clock);
    if (!strcmp(action, "submit")) {
        rc = ow_pub_store_submit(cx->db, id, now, &cx->err);
    } else if (!strcmp(action, "approve")) {
        int y, m, d;
        ow_date_ymd(t, &y, &m, &d);
        char idx[64];
        if ((rc = next_index_no(cx, &p, y, idx))) return rc;
        rc = ow_pub_store_approve(cx->db, id, idx, arg, cx->actor.user_id, date, now, &cx->err);
    } else if (!strcmp(action, "reject")) {
        rc = ow_pub_store_reject(cx->db, id, arg, now, &cx->err);
    } else if (!strcmp(action, "withdraw")) {
        rc = ow_pub_store_withdraw(cx->db, id, arg, now, &cx->err);
    } else { /* repeal */
        if ((rc = check_date(cx, "repealed_date", arg))) return rc;
        if (strcmp(arg, p.issued_date) < 0)
            return ow_err_set(&cx->err, OW_EINVAL, "repealed_date", "废止日期不能早于成文日期");
        rc = ow_pub_store_repeal(cx->db, id, arg, now, &cx->err);
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
    int n;
    bool same;
    if ((rc = ow_pub_store_attachment_count(cx->db, pub_id, filename, &n, &same, &cx->err)))
        return rc;
    if (same)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "duplicate", "filename",
                           "已有同名附件“%s”，请先删除或改名后再上传", filename);
    if (n >= OW_DIS_PUB_ATTACHMENTS_MAX)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "too_many_attachments", "file",
                           "每条公开信息最多 %d 个附件", OW_DIS_PUB_ATTACHMENTS_MAX);
    if ((rc = ow_files_blob_record(cx, sha256, size, content_type)) ||
        (rc = ow_pub_store_attachment_insert(cx->db, pub_id, sha256, filename, content_type, size,
                                             cx->actor.user_id, ow_clock_now_ms(cx->clock), id,
                                             &cx->err)))
        return rc;
    return pub_event(cx, pub_id, "attach", "draft", "draft", filename);
}

int ow_dis_pub_attach_remove(ow_ctx *cx, int64_t pub_id, int64_t att_id) {
    pub p;
    int rc = load_pub(cx, pub_id, &p);
    if (rc || (rc = attach_editable(cx, &p))) return rc;
    /* the row goes; the content stays in the store (it may be shared, and a draft's
     * file was never public) */
    const char *name;
    if ((rc = ow_pub_store_attachment_delete(cx->db, att_id, pub_id, cx->arena, &name, &cx->err)))
        return rc;
    if (!name) return ow_err_set(&cx->err, OW_ENOTFOUND, "attachment_id", "附件不存在");
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
    return ow_dis_file_row(cx, OW_DIS_FILE_ATTACHMENT, att_id, pub_id, "attachment_id",
                           "附件不存在", out);
}

typedef struct att_arg {
    ow_ctx *cx;
    int64_t pub_id;
    json_t *a;
} att_arg;

static void attachment_json(void *arg, const ow_dis_file *f) {
    att_arg *x = arg;
    json_array_append_new(
        x->a, json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)f->id, "filename", f->filename,
                        "content_type", f->content_type, "size", (json_int_t)f->size, "url",
                        ow_sprintf(x->cx->arena, "/api/v1/publications/%lld/attachments/%lld",
                                   (long long)x->pub_id, (long long)f->id)));
}

/* [{id, filename, content_type, size, url}] in upload order. */
static int attachments_json(ow_ctx *cx, int64_t pub_id, json_t **out) {
    att_arg x = {cx, pub_id, json_array()};
    int rc =
        ow_dis_store_files(cx->db, OW_DIS_FILE_ATTACHMENT, pub_id, attachment_json, &x, &cx->err);
    if (rc) {
        json_decref(x.a);
        return rc;
    }
    *out = x.a;
    return OW_OK;
}

static const char *validity_name(const char *v) {
    return !strcmp(v, "valid")      ? "有效"
           : !strcmp(v, "repealed") ? "已废止"
           : !strcmp(v, "expired")  ? "已失效"
                                    : "—";
}

static json_t *opt_string(const char *s) {
    return s ? json_string(s) : json_null();
}

static json_t *pub_row(const ow_pub_row *r) {
    const ow_dis_column *c = ow_dis_column_find(r->column);
    json_t *j =
        json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o}", "id",
                  (json_int_t)r->id, "org_id", (json_int_t)r->org_id, "org_name", r->org_name,
                  "column", r->column, "column_name", c ? c->name : r->column, "index_no",
                  opt_string(r->index_no), "title", r->title, "doc_number", r->doc_number,
                  "issued_date", r->issued_date, "validity", r->validity, "validity_name",
                  validity_name(r->validity), "repealed_date", opt_string(r->repealed_date),
                  "state", r->state, "published_date", opt_string(r->published_date));
    json_object_set_new(j, "review_note", json_string(r->review_note));
    json_object_set_new(j, "withdraw_reason", json_string(r->withdraw_reason));
    return j;
}

int ow_dis_pub_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_pub_row r;
    bool found;
    int rc = ow_pub_store_get(cx->db, id, cx->arena, &r, &found, &cx->err);
    if (rc) return rc;
    if (!found || !pub_visible(cx, r.state, r.org_id))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "公开信息不存在");
    json_t *j = pub_row(&r);
    json_object_set_new(j, "body", json_string(r.body));
    json_object_set_new(j, "may_edit", json_boolean(may_edit(cx, r.org_id)));
    json_t *att = NULL;
    if ((rc = attachments_json(cx, id, &att))) {
        json_decref(j);
        return rc;
    }
    json_object_set_new(j, "attachments", att);
    if (may_edit(cx, r.org_id)) {
        json_t *ev = json_array();
        json_object_set_new(j, "timeline", ev);
        if ((rc = ow_dis_store_events(cx->db, OW_DIS_EVENTS_PUBLICATION, id, ow_dis_event_json, ev,
                                      &cx->err))) {
            json_decref(j);
            return rc;
        }
        /* under review: whether this reader may approve it (not the one who submitted it) */
        if (!strcmp(r.state, "review")) {
            int64_t by = 0;
            if ((rc = ow_pub_store_submitter(cx->db, id, &by, &cx->err))) {
                json_decref(j);
                return rc;
            }
            json_object_set_new(j, "may_approve", json_boolean(!by || by != cx->actor.user_id));
        }
    }
    *out = j;
    return OW_OK;
}

static void list_row(void *arg, const ow_pub_row *r) {
    json_array_append_new(arg, pub_row(r));
}

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
    if (q && ow_utf8_len(q) > 100)
        return ow_err_set(&cx->err, OW_EINVAL, "q", "搜索词过长（最多100个字）");
    ow_pub_query pq = {.column = f->column,
                       .org_id = f->org_id,
                       .state = state,
                       .scope = scope,
                       .from = f->from,
                       .to = f->to,
                       .q = q};
    json_t *arr = json_array();
    if ((rc = ow_pub_store_list(cx->db, cx->arena, &pq, per_page, (int64_t)(page - 1) * per_page,
                                total, list_row, arr, &cx->err))) {
        json_decref(arr);
        return rc;
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

typedef struct feed_arg {
    ow_buf *b;
    const char *base_url;
    bool first;
} feed_arg;

static void feed_entry(void *arg, int64_t id, const char *title, const char *index_no,
                       const char *doc_number, const char *org_name, int64_t published_at,
                       const char *summary) {
    feed_arg *x = arg;
    ow_buf *b = x->b;
    char at[32];
    ow_time_format_iso(published_at, at);
    if (x->first) {
        ow_buf_printf(b, "<updated>%s</updated>\n", at);
        x->first = false;
    }
    ow_buf_printf(b, "<entry>\n<id>%s/open/publications/%lld</id>\n<title>", x->base_url,
                  (long long)id);
    xml_escape(b, title);
    ow_buf_printf(b,
                  "</title>\n<link "
                  "href=\"%s/open/publications/%lld\"/>\n<updated>%s</updated>\n<author><name>",
                  x->base_url, (long long)id, at);
    xml_escape(b, org_name);
    ow_buf_puts(b, "</name></author>\n<summary>");
    ow_buf_puts(b, "索引号：");
    xml_escape(b, index_no);
    if (*doc_number) {
        ow_buf_puts(b, "　文号：");
        xml_escape(b, doc_number);
    }
    ow_buf_puts(b, "　");
    xml_escape(b, summary);
    ow_buf_puts(b, "</summary>\n</entry>\n");
}

int ow_dis_pub_feed(ow_ctx *cx, const char *column, const char *base_url, char **xml, size_t *len) {
    const ow_dis_column *c = ow_dis_column_find(column);
    if (!c) return ow_err_set(&cx->err, OW_ENOTFOUND, "column", "栏目不存在");
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
    feed_arg x = {&b, base_url, true};
    int rc = ow_pub_store_feed(cx->db, column, FEED_ENTRIES, feed_entry, &x, &cx->err);
    if (rc) return rc;
    if (x.first) {
        char at[32];
        ow_time_format_iso(ow_clock_now_ms(cx->clock), at);
        ow_buf_printf(&b, "<updated>%s</updated>\n", at);
    }
    ow_buf_puts(&b, "</feed>\n");
    *xml = b.data;
    *len = b.len;
    return OW_OK;
}
