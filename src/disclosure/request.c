/* request.c — information requests (依申请公开): filing, the one transition function,
 * notices, reconsideration and litigation records, lists with lights.
 *
 * A request's states:
 *
 *   submitted ──confirm_receipt──▶ processing ──reply──▶ replied
 *   (online: waits for the           │  ▲  │
 *    agency to confirm, Art. 31)     │  │  ├─ask_supplement─▶ supplement ──supplement──▶ processing
 *                                    │  │  │                      └─supplement_lapsed─▶ closed
 *                                    │  │  ├─consult──▶ consulting ──consult_done──▶ processing
 *                                    │  │  └─fee_notice─▶ fee ──fee_paid──▶ processing
 *                                    │  │                     └─fee_lapsed──▶ closed
 *                                    └─ withdraw (from any open state) ──▶ withdrawn
 *
 * extend (once, with the approver's name) and deliver (a notice handed over) keep the
 * state.  Letters, visits and data messages are recorded by the discloser with their
 * receipt date and start in processing.  Each transition writes the new state, the
 * recomputed deadline (rules.c), a timeline row, its notice when the law asks for one
 * and the audit row, in the caller's transaction.
 *
 * The clock: 20 working days from receipt; after a supplement, 20 from the receipt of
 * the supplement; once extended, 20 more; consultation and a fee wait do not count.
 * All of it is recomputed from the stored dates on every change (recompute_due), so
 * nothing accumulates rounding or drift. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "calendar/calendar.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "disclosure/disclosure.h"
#include "disclosure/disclosure_int.h"
#include "docs/docs.h"
#include "files/files.h"
#include "store/request_store.h"

#define CONTENT_MAX_CHARS 2000
#define NOTICE_NUMBER_PREFIX "赫政信"
#define MAX_PAUSES 32

/* ---------- small helpers ---------- */

static int32_t today(ow_ctx *cx) {
    return ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
}

static const char *fmt_date(ow_ctx *cx, int32_t d) {
    char s[11];
    ow_date_format(d, s);
    return ow_strdup(cx->arena, s);
}

static const char *cn_date(ow_ctx *cx, int32_t d) {
    char s[11], out[32];
    ow_date_format(d, s);
    ow_docs_chinese_date(s, out, sizeof out);
    return ow_strdup(cx->arena, out);
}

static int forbid(ow_ctx *cx, const char *msg) {
    return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "%s", msg);
}

static bool is_admin(const ow_ctx *cx) {
    return cx->actor.system || ow_actor_is(&cx->actor, "admin");
}

/* A date field of args ("YYYY-MM-DD"), defaulting to today; never in the future. */
static int arg_date(ow_ctx *cx, const json_t *args, const char *key, int32_t *out) {
    const char *s = NULL;
    int rc = ow_json_str(args, key, false, 10, &s, &cx->err);
    if (rc) return rc;
    if (!s) {
        *out = today(cx);
        return OW_OK;
    }
    if (ow_date_parse(s, out))
        return ow_err_set(&cx->err, OW_EINVAL, key, "%s应为 YYYY-MM-DD 格式的日期",
                          ow_json_label(key));
    if (*out > today(cx))
        return ow_err_set(&cx->err, OW_EINVAL, key, "%s不能晚于今天", ow_json_label(key));
    return OW_OK;
}

/* ---------- the request row ---------- */

typedef struct req {
    int64_t id, org_id, user_id;
    char number[40], state[16], channel[16], applicant_type[20], delivery[12];
    const char *applicant_name, *content, *id_idx, *uscc, *org_name, *org_phone;
    int32_t received, clock_start, due, supplement_asked, supplement_due, supplement_received;
    int32_t fee_due, concluded;
    bool extended;
    const char *outcome;
    int64_t fee_yuan;
    ow_cal_pause pauses[MAX_PAUSES];
    char pause_kind[MAX_PAUSES][16];
    size_t npauses;
} req;

static int pause_in(void *arg, const char *kind, int32_t start, int32_t end, const char *party) {
    (void)party;
    req *r = arg;
    if (r->npauses == MAX_PAUSES) return 1;
    r->pauses[r->npauses].start = start;
    r->pauses[r->npauses].end = end;
    snprintf(r->pause_kind[r->npauses], sizeof r->pause_kind[0], "%s", kind);
    r->npauses++;
    return 0;
}

static int load_req(ow_ctx *cx, int64_t id, req *r) {
    memset(r, 0, sizeof *r);
    ow_req_row w;
    bool found;
    int rc = ow_req_store_get(cx->db, id, cx->arena, &w, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
    r->id = w.id;
    r->org_id = w.org_id;
    r->user_id = w.user_id;
    snprintf(r->number, sizeof r->number, "%s", w.number);
    snprintf(r->state, sizeof r->state, "%s", w.state);
    snprintf(r->channel, sizeof r->channel, "%s", w.channel);
    snprintf(r->applicant_type, sizeof r->applicant_type, "%s", w.applicant_type);
    snprintf(r->delivery, sizeof r->delivery, "%s", w.delivery);
    r->applicant_name = w.applicant_name;
    r->content = w.content;
    r->id_idx = w.id_idx;
    r->uscc = w.uscc;
    r->org_name = w.org_name;
    r->org_phone = w.org_phone;
    r->received = w.received;
    r->clock_start = w.clock_start;
    r->due = w.due;
    r->supplement_asked = w.supplement_asked;
    r->supplement_due = w.supplement_due;
    r->supplement_received = w.supplement_received;
    r->fee_due = w.fee_due;
    r->concluded = w.concluded;
    r->extended = w.extended;
    r->outcome = w.outcome;
    r->fee_yuan = w.fee_yuan;
    /* more than MAX_PAUSES stops the walk: the first ones count, as before */
    rc = ow_req_store_pauses(cx->db, r->id, pause_in, r, &cx->err);
    return rc < 0 ? rc : OW_OK;
}

/* ---------- who may do what ---------- */

static bool is_handler(ow_ctx *cx, const req *r) {
    if (is_admin(cx)) return true;
    return ow_actor_is(&cx->actor, "discloser") && cx->actor.org_id == r->org_id;
}

static bool is_applicant(ow_ctx *cx, const req *r) {
    return r->user_id && cx->actor.user_id == r->user_id;
}

static bool may_read(ow_ctx *cx, const req *r) {
    return is_handler(cx, r) || is_applicant(cx, r) || ow_actor_is(&cx->actor, "supervisor");
}

/* ---------- clock ---------- */

/* The legal calendar the app loaded at start-up (src/calendar: serve, init --demo). */
ow_calendar *ow_dis_calendar(ow_ctx *cx) {
    if (!cx->app->calendar)
        ow_err_set(&cx->err, OW_EINTERNAL, "calendar", "法定工作日历未加载（目录 %s）",
                   cx->app->cfg.calendar_dir);
    return cx->app->calendar;
}

/* Said on a notice after a date in a year whose holiday notice is not out yet. */
static const char *provisional_note(ow_ctx *cx, int32_t d) {
    return ow_cal_date_provisional(cx->app->calendar, d)
               ? "（上述日期暂按法定节假日推算，国务院公布该年度放假安排后如有调整，本机关将另行告"
                 "知。）"
               : "";
}

static int recompute_due(ow_ctx *cx, req *r) {
    ow_calendar *cal = ow_dis_calendar(cx);
    if (!cal) return OW_EINTERNAL;
    ow_dis_clock c = {.received = r->received,
                      .supplement_asked = r->supplement_asked,
                      .supplement_received = r->supplement_received,
                      .extended = r->extended,
                      .pauses = r->pauses,
                      .npauses = r->npauses};
    int rc = ow_dis_due(cal, &c, &r->due, &cx->err);
    /* a deadline in a year whose holiday notice is not loaded yet: say so */
    return rc ? ow_calendar_explain(&cx->err, rc, "received_date") : OW_OK;
}

static int add_event(ow_ctx *cx, const req *r, const char *action, const char *from, const char *to,
                     const char *note);

#define RECOMPUTE_MAX 20000 /* open requests of the whole district, far above a year's */

typedef struct open_list {
    int64_t *ids;
    int32_t *old;
    int n;
} open_list;

static int open_in(void *arg, int64_t id, int32_t due) {
    open_list *l = arg;
    if (l->n == RECOMPUTE_MAX) return 1;
    l->ids[l->n] = id;
    l->old[l->n++] = due;
    return 0;
}

int ow_dis_recompute_open(ow_ctx *cx, int *n) {
    *n = 0;
    open_list l = {ow_alloc(cx->arena, RECOMPUTE_MAX * sizeof *l.ids),
                   ow_alloc(cx->arena, RECOMPUTE_MAX * sizeof *l.old), 0};
    int rc = ow_req_store_open(cx->db, open_in, &l, &cx->err);
    if (rc < 0) return rc;
    int64_t *ids = l.ids;
    int32_t *old = l.old;
    int count = l.n;
    for (int i = 0; i < count; i++) {
        req *r = ow_alloc(cx->arena, sizeof *r);
        if ((rc = load_req(cx, ids[i], r)) || (rc = recompute_due(cx, r))) return rc;
        if (r->due == old[i]) continue;
        const char *v[] = {r->due == OW_DATE_NONE ? NULL : fmt_date(cx, r->due)};
        if ((rc = ow_req_store_set_due(cx->db, r->id, r->due, &cx->err))) return rc;
        /* the applicant's timeline says why the date moved, written as the system */
        const char *note = ow_sprintf(
            cx->arena, "法定节假日安排变更，答复期限由 %s 调整为 %s%s",
            old[i] == OW_DATE_NONE ? "—" : fmt_date(cx, old[i]), v[0] ? v[0] : "—",
            ow_cal_date_provisional(cx->app->calendar, r->due) ? "（暂按法定节假日推算）" : "");
        ow_actor who = cx->actor;
        memset(&cx->actor, 0, sizeof cx->actor);
        cx->actor.system = true;
        snprintf(cx->actor.name, sizeof cx->actor.name, "系统");
        rc = add_event(cx, r, "deadline", r->state, r->state, note);
        cx->actor = who;
        if (rc) return rc;
        (*n)++;
    }
    return OW_OK;
}

/* ---------- timeline and notices ---------- */

static int add_event(ow_ctx *cx, const req *r, const char *action, const char *from, const char *to,
                     const char *note) {
    return ow_dis_store_event(cx->db, OW_DIS_EVENTS_REQUEST, r->id, ow_clock_now_ms(cx->clock),
                              cx->actor.user_id, cx->actor.name, action, from, to, note, &cx->err);
}

/* A notice under construction: paragraphs collected in order. */
typedef struct notice {
    const char *kind, *title;
    json_t *paras;
} notice;

static void para(ow_ctx *cx, notice *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void para(ow_ctx *cx, notice *n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = ow_vsprintf(cx->arena, fmt, ap);
    va_end(ap);
    json_array_append_new(n->paras, json_string(s));
}

static const char *quoted_content(ow_ctx *cx, const req *r) {
    /* the request as the notice quotes it: at most 120 characters */
    const char *s = r->content;
    size_t chars = 0, i = 0;
    while (s[i] && chars < 120) {
        unsigned char c = (unsigned char)s[i];
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        chars++;
    }
    return s[i] ? ow_sprintf(cx->arena, "%.*s……", (int)i, s) : s;
}

static void notice_intro(ow_ctx *cx, notice *n, const req *r) {
    int32_t since = r->supplement_received != OW_DATE_NONE ? r->supplement_received : r->received;
    const char *who = strcmp(r->applicant_type, "person") ? "贵单位" : "您";
    if (r->supplement_received != OW_DATE_NONE)
        para(cx, n,
             "本机关于%s收到%s提出的政府信息公开申请（申请编号：%s），并于%s收到补正后的申请，"
             "申请获取“%s”。",
             cn_date(cx, r->received), who, r->number, cn_date(cx, since), quoted_content(cx, r));
    else
        para(cx, n, "本机关于%s收到%s提出的政府信息公开申请（申请编号：%s），申请获取“%s”。",
             cn_date(cx, r->received), who, r->number, quoted_content(cx, r));
}

static void notice_remedies(ow_ctx *cx, notice *n) {
    para(cx, n,
         "如对本告知不服，可以自收到本告知书之日起%d日内向%s人民政府申请行政复议，"
         "或者自收到本告知书之日起%d个月内依法向人民法院提起行政诉讼。",
         OW_DIS_RECONSIDERATION_DAYS, cx->app->cfg.region_name, OW_DIS_LITIGATION_MONTHS);
}

static void notice_contact(ow_ctx *cx, notice *n, const req *r) {
    para(cx, n, "联系人：%s　　联系电话：%s",
         cx->actor.name[0] ? cx->actor.name : "政务公开工作人员",
         *r->org_phone ? r->org_phone : "（见本机关政府信息公开指南）");
}

/* Store the notice: a document number, a verification code in the docs register and
 * the payload the PDF is drawn from. */
static int issue_notice(ow_ctx *cx, const req *r, notice *n, int64_t *notice_id) {
    int32_t t = today(cx);
    int y, m, d;
    ow_date_ymd(t, &y, &m, &d);
    char number[64], code[OW_DOCS_CODE_CHARS + 1], masked[64], ids[24];
    int rc = ow_docs_next_number(cx, NOTICE_NUMBER_PREFIX, y, number, sizeof number);
    if (rc) return rc;
    ow_mask_name(r->applicant_name, masked, sizeof masked);
    snprintf(ids, sizeof ids, "%lld", (long long)r->id);
    const char *date = fmt_date(cx, t);
    json_t *payload =
        json_pack("{s:s,s:s,s:s,s:s,s:O,s:s,s:s}", "kind", n->kind, "title", n->title, "number",
                  number, "issuer", r->org_name, "paragraphs", n->paras, "recipient",
                  ow_sprintf(cx->arena, "%s：", r->applicant_name), "date", date);
    char *text = ow_json_dump(payload);
    char hash[65];
    ow_blake2b_hex(text, strlen(text), hash);
    ow_doc_record rec = {.kind = ow_sprintf(cx->arena, "dis.%s", n->kind),
                         .title = n->title,
                         .issuer = r->org_name,
                         .number = number,
                         .recipient_masked = masked,
                         .issued_date = date,
                         .object_type = "info_request",
                         .object_id = ids,
                         .content_hash = hash};
    rc = ow_docs_register(cx, &rec, code);
    if (!rc) {
        ow_req_notice row = {.kind = n->kind,
                             .title = n->title,
                             .number = number,
                             .verify_code = code,
                             .payload = text,
                             .issued = t};
        int64_t nid;
        rc = ow_req_store_notice_add(cx->db, r->id, &row, ow_clock_now_ms(cx->clock), &nid,
                                     &cx->err);
        if (!rc && notice_id) *notice_id = nid;
    }
    free(text);
    json_decref(payload);
    return rc;
}

/* ---------- the transitions ---------- */

enum { W_STAFF = 1, W_APPLICANT = 2 };

/* What an action hands back to the transition function to write. */
typedef struct change {
    const char *to;   /* new state, NULL = unchanged */
    const char *note; /* timeline note */
    notice n;         /* kind NULL = no notice */
    json_t *audit;    /* extra audit detail, stolen */
} change;

typedef int (*action_fn)(ow_ctx *cx, req *r, const json_t *args, change *c);

static int act_confirm(ow_ctx *cx, req *r, const json_t *args, change *c) {
    int32_t d;
    int rc = arg_date(cx, args, "received_date", &d);
    if (rc) return rc;
    r->received = d;
    r->clock_start = d;
    rc = ow_req_store_set_received(cx->db, r->id, d, &cx->err);
    c->note = ow_sprintf(cx->arena, "确认收到申请，收到日期 %s", fmt_date(cx, d));
    return rc;
}

static int act_ask_supplement(ow_ctx *cx, req *r, const json_t *args, change *c) {
    const char *items;
    int64_t wd = 15;
    int rc;
    if ((rc = ow_json_str(args, "items", true, 1000, &items, &cx->err)) ||
        (rc = ow_json_int(args, "workdays", false, 1, 60, &wd, &cx->err)))
        return rc;
    if (r->supplement_asked != OW_DATE_NONE)
        return ow_err_set(&cx->err, OW_ECONFLICT, "action",
                          "补正只能一次性告知，本申请已通知过补正");
    ow_calendar *cal = ow_dis_calendar(cx);
    if (!cal) return OW_EINTERNAL;
    int32_t by, t = today(cx), due;
    if ((rc = ow_dis_supplement_ask_by(cal, r->received, &by, &cx->err))) return rc;
    if (t > by)
        return ow_err_set(&cx->err, OW_ECONFLICT, "action",
                          "补正须在收到申请之日起7个工作日内（%s 前）一次性告知，已超过期限",
                          fmt_date(cx, by));
    if ((rc = ow_dis_supplement_due(cal, t, (int)wd, &due, &cx->err))) return rc;
    r->supplement_asked = t;
    r->supplement_due = due;
    rc = ow_req_store_ask_supplement(cx->db, r->id, t, items, due, &cx->err);
    c->note = ow_sprintf(cx->arena, "通知补正：%s（补正期限 %s）", items, fmt_date(cx, due));
    c->n.kind = "supplement";
    c->n.title = "补正申请通知书";
    notice_intro(cx, &c->n, r);
    para(cx, &c->n,
         "经审查，您的申请内容不够明确，本机关无法确定您所需要的政府信息。根据%s第三十条的规定，"
         "请您对以下内容作出补正：%s",
         "《中华人民共和国政府信息公开条例》", items);
    para(cx, &c->n,
         "请于%s前（%"
         "lld个工作日内）向本机关提交补正后的申请，答复期限自本机关收到补正的申请之日起计算。"
         "无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。%s",
         cn_date(cx, due), (long long)wd, provisional_note(cx, due));
    return rc;
}

static int act_supplement(ow_ctx *cx, req *r, const json_t *args, change *c) {
    const char *text;
    int rc = ow_json_str(args, "text", true, CONTENT_MAX_CHARS, &text, &cx->err);
    if (rc) return rc;
    int32_t d = today(cx);
    /* a discloser recording a supplement that came by post gives its receipt date */
    if (!is_applicant(cx, r) && (rc = arg_date(cx, args, "received_date", &d))) return rc;
    if (d < r->supplement_asked)
        return ow_err_set(&cx->err, OW_EINVAL, "received_date", "补正收到日期不能早于补正通知日期");
    r->supplement_received = d;
    r->clock_start = d;
    rc = ow_req_store_supplement_received(cx->db, r->id, d, text, &cx->err);
    c->note = ow_sprintf(cx->arena, "收到补正（%s），答复期限重新起算", fmt_date(cx, d));
    return rc;
}

static int conclude(ow_ctx *cx, req *r, const char *outcome, const char *reason,
                    const char *detail_json) {
    r->concluded = today(cx);
    r->outcome = outcome;
    return ow_req_store_conclude(cx->db, r->id, outcome, reason, detail_json, r->concluded,
                                 &cx->err);
}

static void outcome_notice(ow_ctx *cx, req *r, const ow_dis_outcome *o, const char *reason,
                           json_t *detail, change *c);

static int act_supplement_lapsed(ow_ctx *cx, req *r, const json_t *args, change *c) {
    (void)args;
    if (today(cx) <= r->supplement_due)
        return ow_err_set(&cx->err, OW_ECONFLICT, "action", "补正期限（%s）尚未届满",
                          fmt_date(cx, r->supplement_due));
    const ow_dis_outcome *o = ow_dis_outcome_find("other_no_supplement");
    int rc = conclude(cx, r, o->key, "", NULL);
    c->note = "申请人逾期未补正，视为放弃申请";
    outcome_notice(cx, r, o, NULL, NULL, c);
    return rc;
}

static int act_extend(ow_ctx *cx, req *r, const json_t *args, change *c) {
    const char *approver, *reason;
    int rc;
    if ((rc = ow_json_str(args, "approver", true, 30, &approver, &cx->err)) ||
        (rc = ow_json_str(args, "reason", true, 500, &reason, &cx->err)))
        return rc;
    if (r->extended) return ow_err_set(&cx->err, OW_ECONFLICT, "action", "答复期限只能延长一次");
    if (r->due != OW_DATE_NONE && today(cx) > r->due)
        return ow_err_set(&cx->err, OW_ECONFLICT, "action", "答复期限（%s）已过，不能再延期",
                          fmt_date(cx, r->due));
    r->extended = true;
    rc = ow_req_store_extend(cx->db, r->id, approver, reason, today(cx), &cx->err);
    if (!rc) rc = recompute_due(cx, r);
    if (rc) return rc;
    c->note = ow_sprintf(cx->arena, "经%s同意延期答复：%s", approver, reason);
    c->n.kind = "extension";
    c->n.title = "延期答复告知书";
    notice_intro(cx, &c->n, r);
    if (r->due != OW_DATE_NONE)
        para(cx, &c->n,
             "因%"
             "s，本机关不能在法定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第"
             "二款的规定，"
             "经本机关政府信息公开工作机构负责人同意，答复期限延长%d个工作日，本机关将于%"
             "s前作出答复。%s",
             reason, OW_DIS_EXTENSION_WORKDAYS, cn_date(cx, r->due), provisional_note(cx, r->due));
    else
        para(cx, &c->n,
             "因%"
             "s，本机关不能在法定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第"
             "二款的规定，"
             "经本机关政府信息公开工作机构负责人同意，答复期限延长%"
             "d个工作日（征求意见等所需时间不计算在内）。",
             reason, OW_DIS_EXTENSION_WORKDAYS);
    return OW_OK;
}

static int add_pause(ow_ctx *cx, req *r, const char *kind, int32_t start, const char *party,
                     const char *note) {
    int rc = ow_req_store_pause_add(cx->db, r->id, kind, start, party, note, &cx->err);
    if (rc) return rc;
    if (r->npauses < MAX_PAUSES) {
        r->pauses[r->npauses].start = start;
        r->pauses[r->npauses].end = OW_DATE_NONE;
        snprintf(r->pause_kind[r->npauses], sizeof r->pause_kind[0], "%s", kind);
        r->npauses++;
    }
    return OW_OK;
}

/* Close the open pauses of the given kinds on `end`. */
static int end_pauses(ow_ctx *cx, req *r, const char *kinds, int32_t end) {
    for (size_t i = 0; i < r->npauses; i++) {
        if (r->pauses[i].end != OW_DATE_NONE || !strstr(kinds, r->pause_kind[i])) continue;
        if (end < r->pauses[i].start)
            return ow_err_set(&cx->err, OW_EINVAL, "date", "结束日期不能早于开始日期（%s）",
                              fmt_date(cx, r->pauses[i].start));
        r->pauses[i].end = end;
    }
    return ow_req_store_pauses_end(cx->db, r->id, kinds, end, &cx->err);
}

static int act_consult(ow_ctx *cx, req *r, const json_t *args, change *c) {
    const char *kind, *party;
    int32_t d;
    int rc;
    if ((rc = ow_json_str(args, "kind", true, 20, &kind, &cx->err)) ||
        (rc = ow_json_str(args, "party", true, 100, &party, &cx->err)) ||
        (rc = arg_date(cx, args, "date", &d)))
        return rc;
    if (strcmp(kind, "third_party") && strcmp(kind, "other_agency"))
        return ow_err_set(&cx->err, OW_EINVAL, "kind", "征求意见对象应为第三方或其他机关");
    if (d < r->clock_start)
        return ow_err_set(&cx->err, OW_EINVAL, "date", "征求意见日期不能早于答复期限的起算日");
    ow_calendar *cal = ow_dis_calendar(cx);
    if (!cal) return OW_EINTERNAL;
    int32_t tp_due = OW_DATE_NONE;
    if (!strcmp(kind, "third_party") && (rc = ow_dis_third_party_due(cal, d, &tp_due, &cx->err)))
        return rc;
    if ((rc = add_pause(cx, r, kind, d, party, NULL))) return rc;
    c->note =
        !strcmp(kind, "third_party")
            ? ow_sprintf(cx->arena,
                         "书面征求第三方（%s）意见，第三方应于 %s 前答复；所需时间不计入答复期限",
                         party, fmt_date(cx, tp_due))
            : ow_sprintf(cx->arena, "征求其他机关（%s）意见；所需时间不计入答复期限", party);
    return OW_OK;
}

static int act_consult_done(ow_ctx *cx, req *r, const json_t *args, change *c) {
    int32_t d;
    const char *note = NULL;
    int rc;
    if ((rc = arg_date(cx, args, "date", &d)) ||
        (rc = ow_json_str(args, "note", false, 500, &note, &cx->err)))
        return rc;
    if ((rc = end_pauses(cx, r, "third_party other_agency", d))) return rc;
    c->note = ow_sprintf(cx->arena, "收到意见（%s）%s%s", fmt_date(cx, d), note ? "：" : "",
                         note ? note : "");
    return OW_OK;
}

/* How many requests this applicant had received by this agency in the natural month of
 * this one's receipt, this one included (by receipt date, then id): the fee by count. */
static int month_rank(ow_ctx *cx, const req *r, int *k) {
    return ow_req_store_month_rank(cx->db, r->org_id, r->id_idx, r->uscc, r->received, r->id, k,
                                   &cx->err);
}

static int act_fee_notice(ow_ctx *cx, req *r, const json_t *args, change *c) {
    const char *method;
    int64_t pages = 0;
    int rc;
    if ((rc = ow_json_str(args, "method", true, 10, &method, &cx->err))) return rc;
    if (r->fee_yuan > 0)
        return ow_err_set(&cx->err, OW_ECONFLICT, "action", "本申请已发出过收费通知");
    int64_t yuan;
    int units;
    const char *basis;
    if (!strcmp(method, "count")) {
        int k = 0;
        if ((rc = month_rank(cx, r, &k))) return rc;
        yuan = ow_dis_fee_count_yuan(k);
        units = k;
        if (!yuan)
            return ow_err_set(
                &cx->err, OW_ECONFLICT, "method",
                "该申请人本月向本机关提出的第 %d 件申请，未超过 %d 件，不收取信息处理费", k,
                OW_DIS_FEE_FREE_REQUESTS_PER_MONTH);
        basis = ow_sprintf(
            cx->arena,
            "按件计收：您本月向本机关提出的第%d件政府信息公开申请。同一申请人一个自然月内"
            "累计申请10件以下（含10件）的不收费；11—30件（含30件）的部分每件100元；"
            "31件以上的部分以10件为一档，每增加一档，收费标准提高100元",
            k);
    } else if (!strcmp(method, "pages")) {
        if ((rc = ow_json_int(args, "pages", true, 1, 100000, &pages, &cx->err))) return rc;
        if (!strcmp(r->delivery, "pickup"))
            return ow_err_set(&cx->err, OW_ECONFLICT, "method",
                              "按量计收只适用于申请纸质复制件、电子邮件或复制电子数据的申请");
        yuan = ow_dis_fee_pages_yuan((int)pages);
        units = (int)pages;
        if (!yuan)
            return ow_err_set(&cx->err, OW_ECONFLICT, "pages",
                              "%lld 页未超过 %d 页，不收取信息处理费", (long long)pages,
                              OW_DIS_FEE_FREE_PAGES);
        basis = ow_sprintf(
            cx->arena,
            "按量计收：共%lld页。30页以下（含30页）的不收费；31—100页（含100页）的部分每页10元；"
            "101—200页（含200页）的部分每页20元；200页以上的部分每页40元",
            (long long)pages);
    } else {
        return ow_err_set(&cx->err, OW_EINVAL, "method",
                          "计收方式应为按件（count）或按量（pages）");
    }
    ow_calendar *cal = ow_dis_calendar(cx);
    if (!cal) return OW_EINTERNAL;
    int32_t t = today(cx), due;
    if ((rc = ow_dis_fee_due(cal, t, &due, &cx->err))) return rc;
    r->fee_yuan = yuan;
    r->fee_due = due;
    rc = ow_req_store_fee_notice(cx->db, r->id, method, units, yuan, t, due, &cx->err);
    if (!rc) rc = add_pause(cx, r, "fee", t, "", NULL);
    if (rc) return rc;
    c->note = ow_sprintf(cx->arena, "发出收费通知：%lld 元，缴费期限 %s", (long long)yuan,
                         fmt_date(cx, due));
    c->n.kind = "fee";
    c->n.title = "政府信息公开信息处理费缴费通知书";
    notice_intro(cx, &c->n, r);
    para(cx, &c->n,
         "根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》的规"
         "定，"
         "您的申请应缴纳信息处理费。收费依据和标准：%s。应缴金额：人民币%lld元。",
         basis, (long long)yuan);
    para(cx, &c->n,
         "请于%s前（收到本通知之日起%"
         "d个工作日内）通过本平台“我的申请”页面或到本机关政务公开窗口缴纳。"
         "逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。自发出本通知至缴费之日的"
         "期间不计算在答复期限内。%s",
         cn_date(cx, due), OW_DIS_FEE_PAY_WORKDAYS, provisional_note(cx, due));
    c->audit =
        json_pack("{s:s,s:i,s:I}", "method", method, "units", units, "yuan", (json_int_t)yuan);
    return OW_OK;
}

static int act_fee_paid(ow_ctx *cx, req *r, const json_t *args, change *c) {
    int32_t d;
    int rc = arg_date(cx, args, "date", &d);
    if (rc) return rc;
    if ((rc = end_pauses(cx, r, "fee", d))) return rc;
    rc = ow_req_store_fee_paid(cx->db, r->id, d, &cx->err);
    c->note = ow_sprintf(cx->arena, "申请人已缴纳信息处理费 %lld 元（%s）", (long long)r->fee_yuan,
                         fmt_date(cx, d));
    return rc;
}

static int act_fee_lapsed(ow_ctx *cx, req *r, const json_t *args, change *c) {
    (void)args;
    if (today(cx) <= r->fee_due)
        return ow_err_set(&cx->err, OW_ECONFLICT, "action", "缴费期限（%s）尚未届满",
                          fmt_date(cx, r->fee_due));
    int rc = end_pauses(cx, r, "fee", r->fee_due);
    const ow_dis_outcome *o = ow_dis_outcome_find("other_no_fee");
    if (!rc) rc = conclude(cx, r, o->key, "", NULL);
    c->note = "申请人逾期未缴纳信息处理费，视为放弃申请";
    outcome_notice(cx, r, o, NULL, NULL, c);
    return rc;
}

/* The paragraphs that say what was decided, per notice kind. */
static void outcome_notice(ow_ctx *cx, req *r, const ow_dis_outcome *o, const char *reason,
                           json_t *detail, change *c) {
    if (!*o->notice) return;
    c->n.kind = o->notice;
    c->n.title = o->title;
    notice_intro(cx, &c->n, r);
    const char *body = json_string_value(json_object_get(detail, "body"));
    const char *where = json_string_value(json_object_get(detail, "where"));
    const char *agency = json_string_value(json_object_get(detail, "agency"));
    const char *agency_contact = json_string_value(json_object_get(detail, "agency_contact"));
    const char *k = o->notice;
    if (!strcmp(k, "disclosed")) {
        if (!strcmp(o->key, "disclosed_published"))
            para(cx, &c->n,
                 "经审查，您申请获取的政府信息已经主动公开。根据%"
                 "s的规定，现告知您获取该政府信息的方式和途径：%s",
                 o->basis, reason);
        else
            para(cx, &c->n,
                 "经审查，您申请获取的政府信息属于公开范围。根据%s的规定，本机关向您提供该政府信息%"
                 "s%s",
                 o->basis, body ? "：" : "（见附件）。", body ? body : "");
        if (where) para(cx, &c->n, "获取方式：%s", where);
    } else if (!strcmp(k, "partial")) {
        para(cx, &c->n,
             "经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处"
             "理。根据%s的规定，"
             "本机关向您提供可以公开的部分%s%s",
             o->basis, body ? "：" : "（见附件）。", body ? body : "");
        para(cx, &c->n, "对不予公开的部分，理由如下：%s", reason);
    } else if (!strcmp(k, "refused")) {
        para(cx, &c->n, "经审查，您申请获取的政府信息%s。理由：%s", o->name + strlen("不予公开："),
             reason);
        para(cx, &c->n, "根据%s的规定，本机关决定不予公开。", o->basis);
    } else if (!strcmp(k, "not_exist")) {
        para(cx, &c->n,
             "经本机关检索，没有您所申请公开的政府信息%s%s。根据%"
             "s的规定，现告知您该政府信息不存在。",
             reason && *reason ? "。检索情况：" : "", reason ? reason : "", o->basis);
    } else if (!strcmp(k, "not_ours")) {
        para(cx, &c->n, "经审查，您所申请公开的信息不属于本机关负责公开的政府信息。理由：%s",
             reason);
        if (agency)
            para(cx, &c->n,
                 "根据%s的规定，负责公开该政府信息的行政机关为%s%s%s，请向该机关提出申请。",
                 o->basis, agency, agency_contact ? "，联系方式：" : "",
                 agency_contact ? agency_contact : "");
        else
            para(cx, &c->n, "根据%s的规定，特此告知。本机关无法确定负责公开该政府信息的行政机关。",
                 o->basis);
    } else if (!strcmp(k, "unavailable")) {
        para(cx, &c->n, "经审查，%s。理由：%s", o->name + strlen("无法提供："), reason);
        para(cx, &c->n, "根据%s的规定，本机关无法向您提供该政府信息。", o->basis);
    } else if (!strcmp(k, "repeat")) {
        para(cx, &c->n,
             "经审查，本机关已就您此前提出的相同政府信息公开申请作出答复（%s）。根据%"
             "s的规定，对您的本次申请不予重复处理。",
             reason, o->basis);
    } else if (!strcmp(k, "not_handled")) {
        para(cx, &c->n, "经审查，您的申请%s。理由：%s", o->name + strlen("不予处理："), reason);
        para(cx, &c->n, "根据%s的规定，本机关对您的申请不作为政府信息公开申请处理%s", o->basis,
             !strcmp(o->key, "not_handled_petition") ? "，您可以通过信访、投诉举报等相应渠道提出。"
             : !strcmp(o->key, "not_handled_publication") ? "，您可以通过公开出版发行渠道获取。"
                                                          : "。");
    } else if (!strcmp(k, "abandoned")) {
        if (!strcmp(o->key, "other_no_supplement"))
            para(cx, &c->n,
                 "本机关已于%s通知您在%s前补正申请，您无正当理由逾期未补正。根据%"
                 "s的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
                 cn_date(cx, r->supplement_asked), cn_date(cx, r->supplement_due), o->basis);
        else
            para(cx, &c->n,
                 "本机关已向您发出信息处理费缴费通知，您逾期（%s前）未缴纳。根据%"
                 "s的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
                 cn_date(cx, r->fee_due), o->basis);
    } else if (!strcmp(k, "special_law")) {
        para(cx, &c->n,
             "经审查，您申请获取的信息属于%s，有关法律、行政法规对信息的获取有特别规定。根据%"
             "s的规定，请您依照有关法律、行政法规的规定办理。",
             reason, o->basis);
    }
    notice_remedies(cx, &c->n);
    notice_contact(cx, &c->n, r);
}

static int act_reply(ow_ctx *cx, req *r, const json_t *args, change *c) {
    const char *key, *reason = NULL, *body = NULL, *where = NULL, *agency = NULL, *contact = NULL;
    int rc;
    if (!json_object_get(args, "outcome"))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "outcome", "请选择答复结果");
    if ((rc = ow_json_str(args, "outcome", true, 40, &key, &cx->err)) ||
        (rc = ow_json_str(args, "reason", false, 1000, &reason, &cx->err)) ||
        (rc = ow_json_str(args, "body", false, 4000, &body, &cx->err)) ||
        (rc = ow_json_str(args, "where", false, 300, &where, &cx->err)) ||
        (rc = ow_json_str(args, "agency", false, 100, &agency, &cx->err)) ||
        (rc = ow_json_str(args, "agency_contact", false, 100, &contact, &cx->err)))
        return rc;
    const ow_dis_outcome *o = ow_dis_outcome_find(key);
    if (!o || (o->group == 6 && strcmp(o->key, "other_special_law")))
        return ow_err_set(&cx->err, OW_EINVAL, "outcome", "答复结果“%s”不是可选的答复类型", key);
    if (o->needs_reason && (!reason || !*reason))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "reason",
                           "“%s”的答复须填写理由或说明", o->name);
    if (!strcmp(o->key, "unavailable_unclear") && r->supplement_received == OW_DATE_NONE)
        return ow_err_set(&cx->err, OW_ECONFLICT, "outcome",
                          "只有补正后申请内容仍不明确的，才能以此答复；本申请未经补正");
    json_t *detail = json_object();
    if (body) json_object_set_new(detail, "body", json_string(body));
    if (where) json_object_set_new(detail, "where", json_string(where));
    if (agency) json_object_set_new(detail, "agency", json_string(agency));
    if (contact) json_object_set_new(detail, "agency_contact", json_string(contact));
    char *dj = ow_json_dump(detail);
    rc = conclude(cx, r, o->key, reason ? reason : "", dj);
    free(dj);
    if (!rc) {
        c->note = ow_sprintf(cx->arena, "答复：%s", o->name);
        outcome_notice(cx, r, o, reason ? reason : "", detail, c);
        c->audit = json_pack("{s:s}", "outcome", o->key);
    }
    json_decref(detail);
    return rc;
}

static int act_withdraw(ow_ctx *cx, req *r, const json_t *args, change *c) {
    const char *reason = NULL;
    int rc = ow_json_str(args, "reason", false, 500, &reason, &cx->err);
    if (rc) return rc;
    rc = end_pauses(cx, r, "third_party other_agency fee", today(cx));
    if (!rc) rc = conclude(cx, r, "other_withdrawn", reason ? reason : "", NULL);
    c->note = ow_sprintf(cx->arena, "申请人撤回申请%s%s", reason ? "：" : "", reason ? reason : "");
    return rc;
}

static int act_deliver(ow_ctx *cx, req *r, const json_t *args, change *c) {
    int64_t notice_id;
    const char *method;
    int32_t d;
    int rc;
    if ((rc = ow_json_int(args, "notice_id", true, 1, INT64_MAX, &notice_id, &cx->err)) ||
        (rc = ow_json_str(args, "method", true, 20, &method, &cx->err)) ||
        (rc = arg_date(cx, args, "date", &d)))
        return rc;
    bool found;
    if ((rc = ow_req_store_notice_delivered(cx->db, r->id, notice_id, d, method, &found, &cx->err)))
        return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "notice_id", "告知书不存在");
    c->note = ow_sprintf(cx->arena, "告知书已送达（%s，%s）", method, fmt_date(cx, d));
    return OW_OK;
}

#define OPEN "submitted processing supplement consulting fee"

/* Every action: the states it starts from, the state it leads to (NULL = unchanged),
 * who may take it.  This table is the whole workflow. */
static const struct transition {
    const char *action, *name, *from, *to;
    unsigned who;
    action_fn fn;
} transitions[] = {
    {"confirm_receipt", "确认收到", "submitted", "processing", W_STAFF, act_confirm},
    {"ask_supplement", "通知补正", "processing", "supplement", W_STAFF, act_ask_supplement},
    {"supplement", "提交补正", "supplement", "processing", W_STAFF | W_APPLICANT, act_supplement},
    {"supplement_lapsed", "逾期未补正", "supplement", "closed", W_STAFF, act_supplement_lapsed},
    {"extend", "延期答复", "processing consulting", NULL, W_STAFF, act_extend},
    {"consult", "征求意见", "processing", "consulting", W_STAFF, act_consult},
    {"consult_done", "收到意见", "consulting", "processing", W_STAFF, act_consult_done},
    {"fee_notice", "收费通知", "processing", "fee", W_STAFF, act_fee_notice},
    {"fee_paid", "已缴费", "fee", "processing", W_STAFF, act_fee_paid},
    {"fee_lapsed", "逾期未缴费", "fee", "closed", W_STAFF, act_fee_lapsed},
    {"reply", "答复", "processing", "replied", W_STAFF, act_reply},
    {"withdraw", "撤回申请", OPEN, "withdrawn", W_STAFF | W_APPLICANT, act_withdraw},
    {"deliver", "送达", "processing supplement consulting fee replied closed", NULL, W_STAFF,
     act_deliver},
};

static bool word_in(const char *word, const char *list) {
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

static const char *state_name(const char *s) {
    static const char *const names[][2] = {
        {"submitted", "待确认收到"},  {"processing", "办理中"}, {"supplement", "待补正"},
        {"consulting", "征求意见中"}, {"fee", "待缴费"},        {"replied", "已答复"},
        {"closed", "终止处理"},       {"withdrawn", "已撤回"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i][0], s)) return names[i][1];
    return s;
}

int ow_dis_request_transition(ow_ctx *cx, int64_t id, const char *action, const json_t *args) {
    const struct transition *t = NULL;
    for (size_t i = 0; action && i < sizeof transitions / sizeof transitions[0]; i++)
        if (!strcmp(transitions[i].action, action)) t = &transitions[i];
    if (!t)
        return ow_err_set(&cx->err, OW_EINVAL, "action", "不支持的操作“%s”", action ? action : "");
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, id, r);
    if (rc) return rc;
    bool ok = ((t->who & W_STAFF) && is_handler(cx, r)) ||
              ((t->who & W_APPLICANT) && is_applicant(cx, r));
    if (!ok) {
        if (!may_read(cx, r))
            return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
        return forbid(cx, ow_sprintf(cx->arena, "您无权对该申请执行“%s”", t->name));
    }
    if (!word_in(r->state, t->from))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "申请当前为“%s”，不能执行“%s”", state_name(r->state), t->name);
    json_t *empty = NULL;
    if (!args) args = empty = json_object();
    change c = {.n = {.paras = json_array()}};
    char from[16];
    snprintf(from, sizeof from, "%s", r->state);
    rc = t->fn(cx, r, args, &c);
    const char *to = t->to ? t->to : from;
    if (!rc) rc = recompute_due(cx, r);
    if (!rc)
        rc =
            ow_req_store_set_state(cx->db, r->id, to, r->due, ow_clock_now_ms(cx->clock), &cx->err);
    if (!rc) rc = add_event(cx, r, action, from, to, c.note);
    int64_t notice_id = 0;
    if (!rc && c.n.kind) rc = issue_notice(cx, r, &c.n, &notice_id);
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)r->id);
        json_t *d = c.audit ? c.audit : json_object();
        c.audit = NULL;
        json_object_set_new(d, "action", json_string(action));
        json_object_set_new(d, "from", json_string(from));
        json_object_set_new(d, "to", json_string(to));
        if (notice_id) json_object_set_new(d, "notice_id", json_integer(notice_id));
        rc = ow_audit_append(cx, ow_sprintf(cx->arena, "info_request.%s", action), "info_request",
                             ids, d);
        json_decref(d);
    }
    if (!rc && !strcmp(action, "reply")) {
        const ow_dis_outcome *o =
            ow_dis_outcome_find(json_string_value(json_object_get(args, "outcome")));
        ow_dis_replied rp = {.request_id = r->id,
                             .user_id = r->user_id,
                             .number = r->number,
                             .org_name = r->org_name ? r->org_name : "",
                             .outcome_name = o ? o->name : ""};
        for (int i = 0; i < cx->app->dis_followers.n && !rc; i++) {
            const ow_dis_follower *f = cx->app->dis_followers.v[i];
            if (f->replied) rc = f->replied(cx, &rp);
        }
    }
    if (c.audit) json_decref(c.audit);
    json_decref(c.n.paras);
    if (empty) json_decref(empty);
    return rc;
}

void ow_dis_follow(ow_app *app, const ow_dis_follower *f) {
    ow_followers_add(&app->dis_followers, f);
}

/* ---------- filing ---------- */

static bool in_list(const char *s, const char *const *list) {
    for (; *list; list++)
        if (s && !strcmp(s, *list)) return true;
    return false;
}

static int next_number(ow_ctx *cx, int32_t day, char out[40]) {
    int y, m, d;
    ow_date_ymd(day, &y, &m, &d);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%.16s-GK-%04d%02d%02d-", cx->app->cfg.region_code, y % 10000,
             m % 100, d % 100);
    int n, rc = ow_req_store_count_numbered(cx->db, prefix, &n, &cx->err);
    if (rc) return rc;
    snprintf(out, 40, "%.32s%04d", prefix, (n + 1) % 100000);
    return OW_OK;
}

static int today_yyyymmdd(ow_ctx *cx) {
    int y, m, d;
    ow_date_ymd(today(cx), &y, &m, &d);
    return y * 10000 + m * 100 + d;
}

/* An online request by a citizen or an enterprise is the account's own (one-number
 * application, as cases do it): the applicant is the account's verified name and ID
 * number or USCC.  Left out, they come from the account; a different name or number is
 * refused naming the field, so nobody files in another person's name.  Only staff
 * registering a letter or a visit enter someone else's. */
static int own_identity(ow_ctx *cx, bool person, const char **name, char idn[19], char uscc[19]) {
    json_t *u = NULL, *pii = NULL;
    int rc = ow_account_user_json(cx, cx->actor.user_id, &u);
    if (!rc && person) rc = ow_account_user_pii_read(cx, cx->actor.user_id, &pii);
    if (rc) {
        json_decref(u);
        return rc;
    }
    const char *acct_name = json_string_value(json_object_get(u, "name"));
    const char *acct_no = person ? json_string_value(json_object_get(pii, "id_number"))
                                 : json_string_value(json_object_get(u, "uscc"));
    char given[19] = "";
    snprintf(given, sizeof given, "%s", person ? idn : uscc);
    if (!acct_name || !acct_no) {
        rc = ow_err_set(&cx->err, OW_EINTERNAL, "", "账号缺少实名信息");
    } else if (*name && **name && strcmp(*name, acct_name)) {
        rc = ow_err_setk(&cx->err, OW_EINVAL, "identity_mismatch", "name",
                         person ? "网上申请只能以本账号实名登记的姓名（%s）提交，"
                                  "为他人申请请由其本人登录或到政务公开窗口办理"
                                : "网上申请只能以本账号登记的单位名称（%s）提交",
                         acct_name);
    } else if (given[0] && strcmp(given, acct_no)) {
        rc = ow_err_setk(&cx->err, OW_EINVAL, "identity_mismatch", person ? "id_number" : "uscc",
                         person ? "身份证号码与本账号实名登记的号码不一致，网上只能为本人申请"
                                : "统一社会信用代码与本账号登记的代码不一致，网上只能为本单位申请");
    } else {
        *name = ow_strdup(cx->arena, acct_name);
        snprintf(person ? idn : uscc, 19, "%s", acct_no);
    }
    json_decref(u);
    json_decref(pii);
    return rc;
}

int ow_dis_request_file(ow_ctx *cx, const ow_dis_request_in *in, int64_t *id) {
    static const char *const channels[] = {"online", "in_person", "post", "data_message", NULL};
    static const char *const types[] = {
        "person", "commercial", "research", "public_interest", "legal_service", "other_org", NULL};
    static const char *const deliveries[] = {"paper", "email", "electronic", "pickup", NULL};
    if (!ow_actor_signed_in(&cx->actor))
        return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录后再提交政府信息公开申请");
    bool staff = is_admin(cx) || ow_actor_is(&cx->actor, "discloser");
    bool self = ow_actor_is(&cx->actor, "citizen") || ow_actor_is(&cx->actor, "enterprise");
    if (!staff && !self) return forbid(cx, "只有公众或政务公开工作人员可以登记政府信息公开申请");
    if (!in_list(in->channel, channels))
        return ow_err_set(&cx->err, OW_EINVAL, "channel", "申请渠道应为网上、当面、邮寄或数据电文");
    if (self && strcmp(in->channel, "online"))
        return ow_err_set(&cx->err, OW_EINVAL, "channel", "公众只能通过网上渠道提交申请");
    if (staff && !is_admin(cx) && !cx->actor.system && in->org_id != cx->actor.org_id)
        return forbid(cx, "只能为本机关登记政府信息公开申请");
    if (!in_list(in->applicant_type, types))
        return ow_err_set(&cx->err, OW_EINVAL, "applicant_type", "申请人类型不正确");
    if (ow_actor_is(&cx->actor, "citizen") && strcmp(in->applicant_type, "person"))
        return ow_err_set(&cx->err, OW_EINVAL, "applicant_type", "个人账号只能以自然人身份申请");
    if (ow_actor_is(&cx->actor, "enterprise") && !strcmp(in->applicant_type, "person"))
        return ow_err_set(&cx->err, OW_EINVAL, "applicant_type",
                          "法人账号应以法人或其他组织身份申请");
    const char *name = in->name;
    if (!self && (!name || !*name))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "name", "请填写申请人姓名或名称");
    if (!in->content || !*in->content)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "content",
                           "请填写所需政府信息的名称、文号或者便于查询的其他特征性描述");
    if (!in_list(in->delivery, deliveries))
        return ow_err_set(&cx->err, OW_EINVAL, "delivery",
                          "获取信息的方式应为纸质、电子邮件、电子数据或自行领取");
    if (!strcmp(in->delivery, "email") && (!in->email || !strchr(in->email, '@')))
        return ow_err_set(&cx->err, OW_EINVAL, "email", "选择电子邮件方式时请填写有效的电子邮箱");
    char kind[16];
    int rc = ow_org_kind(cx, in->org_id, kind);
    if (rc) return ow_err_set(&cx->err, OW_EINVAL, "org_id", "请选择受理申请的行政机关");
    if (!strcmp(kind, "window") || !strcmp(kind, "agent_point"))
        return ow_err_set(&cx->err, OW_EINVAL, "org_id",
                          "窗口和代办点不是政府信息公开的行政机关，请选择部门、乡镇（街道）或中心");
    char idn[19] = "", uscc[19] = "", mobile[12];
    bool person = !strcmp(in->applicant_type, "person");
    bool has_id = in->id_number && *in->id_number, has_uscc = in->uscc && *in->uscc;
    if (person) {
        if (!has_id && !self)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "id_number",
                               "请填写申请人身份证号码");
        if (has_id && (rc = ow_id_number_check(in->id_number, idn, today_yyyymmdd(cx), &cx->err)))
            return rc;
    } else {
        if (!has_uscc && !self)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "uscc",
                               "请填写统一社会信用代码");
        if (has_uscc && (rc = ow_uscc_check(in->uscc, uscc, &cx->err))) return rc;
        if (!in->contact_name || !*in->contact_name)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "contact_name",
                               "请填写联系人姓名");
    }
    if (self && (rc = own_identity(cx, person, &name, idn, uscc))) return rc;
    if (!in->mobile || !*in->mobile)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "mobile",
                           "请填写联系电话（手机号码）");
    if ((rc = ow_mobile_check(in->mobile, mobile, &cx->err))) return rc;

    /* receipt: online waits for the agency's confirmation (both sides confirm); the
     * other channels are recorded by the discloser with their receipt date. */
    int32_t received = OW_DATE_NONE;
    if (strcmp(in->channel, "online")) {
        int32_t given = today(cx);
        if (in->received_date && ow_date_parse(in->received_date, &given))
            return ow_err_set(&cx->err, OW_EINVAL, "received_date",
                              "收到日期应为 YYYY-MM-DD 格式的日期");
        if (given > today(cx))
            return ow_err_set(&cx->err, OW_EINVAL, "received_date", "收到日期不能晚于今天");
        bool signed_letter = !in->ordinary_letter;
        if ((rc = ow_dis_receipt_date(in->channel, signed_letter, given, given, given, &received,
                                      &cx->err)))
            return rc;
    }
    const ow_crypto_keys *k = &cx->app->keys;
    char *id_enc = NULL, *mob_enc = NULL, id_idx[65], mob_idx[65], id_m[19] = "", mob_m[12];
    if (person && ow_pii_encrypt(k, idn, "info_requests.id_number", &id_enc))
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息加密失败");
    if (ow_pii_encrypt(k, mobile, "info_requests.mobile", &mob_enc)) {
        free(id_enc);
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息加密失败");
    }
    if (person) {
        ow_blind_index(k, "id_number", idn, id_idx);
        ow_mask_id_number(idn, id_m);
    }
    ow_blind_index(k, "mobile", mobile, mob_idx);
    ow_mask_mobile(mobile, mob_m);
    char number[40];
    rc = next_number(cx, received != OW_DATE_NONE ? received : today(cx), number);
    if (rc) goto done;
    ow_req_new nr = {.number = number,
                     .channel = in->channel,
                     .applicant_type = in->applicant_type,
                     .applicant_name = name,
                     .org_id = in->org_id,
                     .user_id = self ? cx->actor.user_id : 0,
                     .id_number_enc = person ? id_enc : NULL,
                     .id_number_idx = person ? id_idx : NULL,
                     .id_masked = person ? id_m : NULL,
                     .uscc = person ? NULL : uscc,
                     .contact_name = in->contact_name ? in->contact_name : "",
                     .mobile_enc = mob_enc,
                     .mobile_idx = mob_idx,
                     .mobile_masked = mob_m,
                     .address = in->address ? in->address : "",
                     .email = in->email ? in->email : "",
                     .content = in->content,
                     .purpose = in->purpose ? in->purpose : "",
                     .delivery = in->delivery,
                     .post_signed = !in->ordinary_letter,
                     .received = received};
    if ((rc = ow_req_store_insert(cx->db, &nr, ow_clock_now_ms(cx->clock), id, &cx->err)))
        goto done;
    req r0;
    if ((rc = load_req(cx, *id, &r0)) || (rc = recompute_due(cx, &r0))) goto done;
    if (r0.due != OW_DATE_NONE && (rc = ow_req_store_set_due(cx->db, *id, r0.due, &cx->err)))
        goto done;
    if ((rc = add_event(cx, &r0, "file", "", r0.state,
                        received == OW_DATE_NONE ? "网上提交申请，待确认收到"
                                                 : ow_sprintf(cx->arena, "登记申请，收到日期 %s",
                                                              fmt_date(cx, received)))))
        goto done;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)*id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:I}", "number", number, "channel", in->channel,
                          "applicant_type", in->applicant_type, "org_id", (json_int_t)in->org_id);
    rc = ow_audit_append(cx, "info_request.file", "info_request", ids, d);
    json_decref(d);
done:
    free(id_enc);
    free(mob_enc);
    return rc;
}

/* ---------- reading ---------- */

static const char *applicant_type_name(const char *t) {
    static const char *const names[][2] = {
        {"person", "自然人"},
        {"commercial", "商业企业"},
        {"research", "科研机构"},
        {"public_interest", "社会公益组织"},
        {"legal_service", "法律服务机构"},
        {"other_org", "其他"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i][0], t)) return names[i][1];
    return t;
}

static int add_light(ow_ctx *cx, json_t *o, const char *state, int32_t due, int32_t concluded) {
    ow_calendar *cal = ow_dis_calendar(cx);
    if (!cal) return OW_EINTERNAL;
    const char *light;
    int left;
    int rc = ow_dis_light(cal, state, due, concluded, today(cx), &light, &left, &cx->err);
    if (rc) return rc;
    json_object_set_new(o, "light", json_string(light));
    json_object_set_new(o, "workdays_left", json_integer(left));
    return OW_OK;
}

static json_t *list_row(ow_ctx *cx, const ow_req_item *it) {
    char sub[32];
    ow_time_format_iso(it->submitted_at, sub);
    const ow_dis_outcome *o = ow_dis_outcome_find(it->outcome);
    json_t *j = json_pack(
        "{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:b}", "id",
        (json_int_t)it->id, "number", it->number, "org_id", (json_int_t)it->org_id, "org_name",
        it->org_name, "channel", it->channel, "applicant_type", it->applicant_type,
        "applicant_type_name", applicant_type_name(it->applicant_type), "applicant_name",
        it->applicant_name, "content", it->content, "state", it->state, "received_date",
        ow_json_date(it->received), "due_date", ow_json_date(it->due), "concluded_date",
        ow_json_date(it->concluded), "outcome", o ? json_string(o->key) : json_null(),
        "outcome_name", o ? json_string(o->name) : json_null(), "submitted_at", sub, "extended",
        it->extended);
    json_object_set_new(j, "state_name", json_string(state_name(it->state)));
    /* an open request's deadline in a year computed from the law (core/workdays.h) */
    static const char *open_states[] = {"processing", "supplement", "consulting", "fee"};
    for (size_t i = 0; i < sizeof open_states / sizeof *open_states; i++)
        if (!strcmp(it->state, open_states[i]) &&
            ow_cal_date_provisional(cx->app->calendar, it->due))
            json_object_set_new(j, "due_provisional", json_true());
    return j;
}

/* Lights depend on today and the calendar, so filtering by light and paging happen
 * here; one organisation's requests are a few hundred a year at most. */
typedef struct list_arg {
    ow_ctx *cx;
    const char *light;
    int64_t n, skip, per_page;
    json_t *all;
} list_arg;

static int list_in(void *arg, const ow_req_item *it) {
    list_arg *x = arg;
    json_t *row = list_row(x->cx, it);
    int rc = add_light(x->cx, row, it->state, it->due, it->concluded);
    if (rc) {
        json_decref(row);
        return rc;
    }
    if (x->light && strcmp(json_string_value(json_object_get(row, "light")), x->light)) {
        json_decref(row);
        return 0;
    }
    if (x->n >= x->skip && x->n < x->skip + x->per_page)
        json_array_append_new(x->all, row);
    else
        json_decref(row);
    x->n++;
    return 0;
}

int ow_dis_request_list(ow_ctx *cx, const ow_dis_request_filter *f, int page, int per_page,
                        json_t **items, int64_t *total) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    int64_t org = f->org_id, user = 0;
    bool public_user = ow_actor_is(&cx->actor, "citizen") || ow_actor_is(&cx->actor, "enterprise");
    if (public_user || f->mine)
        user = cx->actor.user_id;
    else if (ow_actor_is(&cx->actor, "discloser"))
        org = cx->actor.org_id;
    else if (!is_admin(cx) && !ow_actor_is(&cx->actor, "supervisor"))
        return forbid(cx, "无权查看政府信息公开申请");
    /* q is text to find, never a pattern: % and _ are themselves */
    const char *q = f->q && *f->q ? ow_like_escape(cx->arena, f->q) : NULL;
    list_arg x = {cx, f->light, 0, (int64_t)(page - 1) * per_page, per_page, json_array()};
    int rc = ow_req_store_list(cx->db, org, user, f->state, q, list_in, &x, &cx->err);
    if (rc) {
        json_decref(x.all);
        return rc;
    }
    *items = x.all;
    *total = x.n;
    return OW_OK;
}

typedef struct due_arg {
    ow_ctx *cx;
    ow_calendar *cal;
    int32_t today;
    int max, *counts;
    json_t *items;
} due_arg;

enum { DUE_REST_GREEN = 1 };

static int due_in(void *arg, const ow_req_item *it) {
    due_arg *x = arg;
    const char *light;
    int left;
    int rc = ow_dis_light(x->cal, it->state, it->due, OW_DATE_NONE, x->today, &light, &left,
                          &x->cx->err);
    if (rc) return rc;
    bool red = !strcmp(light, "red");
    if (!red && strcmp(light, "yellow")) return DUE_REST_GREEN; /* by due date */
    x->counts[red]++;
    if ((int)json_array_size(x->items) < x->max)
        json_array_append_new(
            x->items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:i,s:s}", "id", (json_int_t)it->id,
                                "number", it->number, "org_name", it->org_name, "applicant_name",
                                it->applicant_name, "content", it->content, "due_date",
                                ow_json_date(it->due), "workdays_left", left, "light", light));
    return 0;
}

int ow_dis_request_due_json(ow_ctx *cx, int64_t org_id, int max, int counts[2], json_t **items) {
    /* Only requests whose clock runs can be due: a paused or new request has no light
     * to raise.  The lights are the module's own (ow_dis_light), so the supervision
     * alerts and the disclosure queue never disagree about what is due. */
    counts[0] = counts[1] = 0;
    ow_calendar *cal = ow_dis_calendar(cx);
    if (!cal) return OW_EINTERNAL;
    due_arg x = {cx, cal, today(cx), max, counts, json_array()};
    int rc = ow_req_store_running(cx->db, org_id, due_in, &x, &cx->err);
    if (rc < 0) {
        json_decref(x.items);
        return rc;
    }
    *items = x.items;
    return OW_OK;
}

static int papers_json(ow_ctx *cx, int64_t request_id, json_t *into);

static int pause_json(void *arg, const char *kind, int32_t start, int32_t end, const char *party) {
    json_array_append_new(arg,
                          json_pack("{s:s,s:o,s:o,s:s}", "kind", kind, "start", ow_json_date(start),
                                    "end", ow_json_date(end), "party", party));
    return 0;
}

void ow_dis_event_json(void *arg, int64_t at_ms, const char *actor, const char *action,
                       const char *from, const char *to, const char *note) {
    char at[32];
    ow_time_format_iso(at_ms, at);
    json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "at", at, "actor", actor,
                                         "action", action, "from", from, "to", to, "note", note));
}

typedef struct notices_arg {
    ow_ctx *cx;
    int64_t id;
    json_t *a;
} notices_arg;

static void notice_json(void *arg, const ow_req_notice *n) {
    notices_arg *x = arg;
    json_array_append_new(
        x->a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s}", "id", (json_int_t)n->id, "kind",
                        n->kind, "title", n->title, "number", n->number, "verify_code",
                        n->verify_code, "issued_date", ow_json_date(n->issued), "delivered_date",
                        ow_json_date(n->delivered), "delivery_method",
                        n->delivery_method ? json_string(n->delivery_method) : json_null(), "pdf",
                        ow_sprintf(x->cx->arena, "/api/v1/info-requests/%lld/notices/%lld/pdf",
                                   (long long)x->id, (long long)n->id)));
}

static json_t *text_date(const char *s) {
    int32_t d;
    return ow_json_date(!s || ow_date_parse(s, &d) ? OW_DATE_NONE : d);
}

static void review_json(void *arg, const ow_req_review *v) {
    json_array_append_new(arg, json_pack("{s:I,s:s,s:o,s:s,s:s,s:o,s:s}", "id", (json_int_t)v->id,
                                         "kind", v->kind, "filed_date", text_date(v->filed_date),
                                         "body", v->body, "result", v->result, "decided_date",
                                         text_date(v->decided_date), "note", v->note));
}

int ow_dis_request_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, id, r);
    if (rc) return rc;
    if (!may_read(cx, r)) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
    ow_req_detail dt;
    bool found;
    if ((rc = ow_req_store_detail(cx->db, id, cx->arena, &dt, &found, &cx->err))) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
    json_t *j = list_row(cx, &dt.item);
    json_object_set_new(j, "id_masked", dt.id_masked ? json_string(dt.id_masked) : json_null());
    json_object_set_new(j, "uscc", dt.uscc ? json_string(dt.uscc) : json_null());
    json_object_set_new(j, "contact_name", json_string(dt.contact_name));
    json_object_set_new(j, "mobile_masked", json_string(dt.mobile_masked));
    json_object_set_new(j, "address", json_string(dt.address));
    json_object_set_new(j, "email", json_string(dt.email));
    json_object_set_new(j, "purpose", json_string(dt.purpose));
    json_object_set_new(j, "delivery", json_string(dt.delivery));
    json_object_set_new(
        j, "supplement",
        json_pack("{s:o,s:o,s:o,s:o,s:o}", "asked_date", ow_json_date(dt.supplement_asked), "items",
                  dt.supplement_items ? json_string(dt.supplement_items) : json_null(), "due",
                  ow_json_date(dt.supplement_due), "received_date",
                  ow_json_date(dt.supplement_received), "text",
                  dt.supplement_text ? json_string(dt.supplement_text) : json_null()));
    json_object_set_new(j, "extension",
                        !dt.extension_approver
                            ? json_null()
                            : json_pack("{s:s,s:s,s:o}", "approver", dt.extension_approver,
                                        "reason", dt.extension_reason, "date",
                                        ow_json_date(dt.extension_date)));
    json_object_set_new(
        j, "fee",
        !dt.fee_method
            ? json_null()
            : json_pack("{s:s,s:I,s:I,s:o,s:o,s:o}", "method", dt.fee_method, "units",
                        (json_int_t)dt.fee_units, "yuan", (json_int_t)dt.fee_yuan, "notice_date",
                        ow_json_date(dt.fee_notice_date), "due", ow_json_date(dt.fee_due),
                        "paid_date", ow_json_date(dt.fee_paid)));
    json_object_set_new(j, "outcome_reason", json_string(dt.outcome_reason));
    json_t *detail = json_loads(dt.outcome_detail, 0, NULL);
    json_object_set_new(j, "outcome_detail", detail ? detail : json_object());
    json_object_set_new(j, "clock_start", ow_json_date(dt.clock_start));
    if ((rc = add_light(cx, j, r->state, r->due, r->concluded))) {
        json_decref(j);
        return rc;
    }
    const ow_dis_outcome *oc = ow_dis_outcome_find(r->outcome);
    if (oc)
        json_object_set_new(j, "outcome_group",
                            json_pack("{s:i,s:i}", "group", oc->group, "sub", oc->sub));
    /* deadlines the officer works against */
    ow_calendar *cal = ow_dis_calendar(cx);
    if (!cal) {
        json_decref(j);
        return OW_EINTERNAL;
    }
    if (r->received != OW_DATE_NONE && r->supplement_asked == OW_DATE_NONE) {
        int32_t by;
        if (!ow_dis_supplement_ask_by(cal, r->received, &by, &cx->err))
            json_object_set_new(j, "supplement_ask_by", ow_json_date(by));
    }
    /* pauses, timeline, notices, reviews */
    json_t *pa = json_array(), *ev = json_array(), *no = json_array(), *rv = json_array();
    json_object_set_new(j, "pauses", pa);
    json_object_set_new(j, "timeline", ev);
    json_object_set_new(j, "notices", no);
    json_object_set_new(j, "reviews", rv);
    notices_arg na = {cx, id, no};
    if ((rc = ow_req_store_pauses(cx->db, id, pause_json, pa, &cx->err)) ||
        (rc = ow_dis_store_events(cx->db, OW_DIS_EVENTS_REQUEST, id, ow_dis_event_json, ev,
                                  &cx->err)) ||
        (rc = ow_req_store_notices(cx->db, id, notice_json, &na, &cx->err)) ||
        (rc = ow_req_store_reviews(cx->db, id, review_json, rv, &cx->err))) {
        json_decref(j);
        return rc;
    }
    /* what the actor may do now */
    json_t *acts = json_array();
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
        const struct transition *t = &transitions[i];
        bool who = ((t->who & W_STAFF) && is_handler(cx, r)) ||
                   ((t->who & W_APPLICANT) && is_applicant(cx, r));
        if (who && word_in(r->state, t->from))
            json_array_append_new(acts,
                                  json_pack("{s:s,s:s}", "action", t->action, "name", t->name));
    }
    json_object_set_new(j, "actions", acts);
    json_object_set_new(j, "may_handle", json_boolean(is_handler(cx, r)));
    json_t *papers = json_array();
    json_object_set_new(j, "papers", papers);
    if ((rc = papers_json(cx, id, papers))) {
        json_decref(j);
        return rc;
    }
    *out = j;
    return OW_OK;
}

/* ---------- papers (scanned letter, envelope, proof of identity) ---------- */

int ow_dis_request_papers_check(ow_ctx *cx, int64_t request_id) {
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, request_id, r);
    if (rc) return rc;
    if (!may_read(cx, r)) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
    if (!is_handler(cx, r)) return forbid(cx, "只有办理该申请的政务公开人员可以上传申请材料");
    return OW_OK;
}

int ow_dis_request_papers_add(ow_ctx *cx, int64_t request_id, const char *label, const char *sha256,
                              const char *filename, const char *content_type, int64_t size,
                              int64_t *id) {
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, request_id, r);
    if (rc) return rc;
    if (!is_handler(cx, r)) return forbid(cx, "只有办理该申请的政务公开人员可以上传申请材料");
    if ((rc = ow_files_blob_record(cx, sha256, size, content_type))) return rc;
    if ((rc =
             ow_req_store_paper_add(cx->db, request_id, label, sha256, filename, content_type, size,
                                    cx->actor.user_id, ow_clock_now_ms(cx->clock), id, &cx->err)))
        return rc;
    if ((rc = add_event(cx, r, "add_paper", r->state, r->state,
                        ow_sprintf(cx->arena, "收到申请材料（%s）：%s", label, filename))))
        return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)request_id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:I}", "label", label, "filename", filename, "sha256",
                          sha256, "size", (json_int_t)size);
    rc = ow_audit_append(cx, "info_request.add_paper", "info_request", ids, d);
    json_decref(d);
    return rc;
}

int ow_dis_request_papers_get(ow_ctx *cx, int64_t request_id, int64_t file_id,
                              ow_dis_attachment *out) {
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, request_id, r);
    if (rc) return rc;
    if (!may_read(cx, r)) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
    return ow_dis_file_row(cx, OW_DIS_FILE_PAPER, file_id, request_id, "file_id", "申请材料不存在",
                           out);
}

int ow_dis_file_row(ow_ctx *cx, ow_dis_file_of of, int64_t id, int64_t parent, const char *field,
                    const char *missing, ow_dis_attachment *out) {
    bool found;
    int rc = ow_dis_store_file(cx->db, of, id, parent, cx->arena, out, &found, &cx->err);
    if (!rc && !found) return ow_err_set(&cx->err, OW_ENOTFOUND, field, "%s", missing);
    return rc;
}

/* [{id, label, filename, content_type, size, url}] in upload order. */
typedef struct papers_arg {
    ow_ctx *cx;
    int64_t request_id;
    json_t *a;
} papers_arg;

static void paper_json(void *arg, const ow_dis_file *f) {
    papers_arg *x = arg;
    json_array_append_new(
        x->a, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)f->id, "label", f->label,
                        "filename", f->filename, "content_type", f->content_type, "size",
                        (json_int_t)f->size, "url",
                        ow_sprintf(x->cx->arena, "/api/v1/info-requests/%lld/files/%lld",
                                   (long long)x->request_id, (long long)f->id)));
}

static int papers_json(ow_ctx *cx, int64_t request_id, json_t *into) {
    papers_arg x = {cx, request_id, into};
    return ow_dis_store_files(cx->db, OW_DIS_FILE_PAPER, request_id, paper_json, &x, &cx->err);
}

int ow_dis_request_pii(ow_ctx *cx, int64_t id, json_t **out) {
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, id, r);
    if (rc) return rc;
    /* as the request itself: those who may not read it learn nothing, not even that it
     * exists (404 alike); a reader who may not see the numbers (a supervisor) gets 403 */
    if (!may_read(cx, r)) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
    if (!is_handler(cx, r) && !is_applicant(cx, r))
        return forbid(cx, "只有办理该申请的政务公开人员可以查看完整的身份证号码和手机号码");
    const char *idn_enc, *mob_enc;
    if ((rc = ow_req_store_pii(cx->db, id, cx->arena, &idn_enc, &mob_enc, &cx->err))) return rc;
    char *idn = NULL, *mob = NULL;
    int r1 =
        !idn_enc ? OW_OK : ow_pii_decrypt(&cx->app->keys, idn_enc, "info_requests.id_number", &idn);
    int r2 = ow_pii_decrypt(&cx->app->keys, mob_enc, "info_requests.mobile", &mob);
    if (r1 || r2) {
        free(idn);
        free(mob);
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息解密失败");
    }
    json_t *o =
        json_pack("{s:o,s:s}", "id_number", idn ? json_string(idn) : json_null(), "mobile", mob);
    free(idn);
    free(mob);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *d = json_pack("{s:s}", "fields", "id_number,mobile");
    rc = ow_audit_append(cx, "info_request.pii_view", "info_request", ids, d);
    json_decref(d);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return OW_OK;
}

/* ---------- reconsideration and litigation ---------- */

static int review_fields(ow_ctx *cx, const json_t *in, bool create, const char **kind,
                         const char **filed, const char **body, const char **result,
                         const char **decided, const char **note) {
    int rc;
    if ((rc = ow_json_str(in, "kind", create, 40, kind, &cx->err)) ||
        (rc = ow_json_str(in, "filed_date", create, 10, filed, &cx->err)) ||
        (rc = ow_json_str(in, "body", false, 100, body, &cx->err)) ||
        (rc = ow_json_str(in, "result", create, 20, result, &cx->err)) ||
        (rc = ow_json_str(in, "decided_date", false, 10, decided, &cx->err)) ||
        (rc = ow_json_str(in, "note", false, 500, note, &cx->err)))
        return rc;
    static const char *const kinds[] = {"reconsideration", "litigation_direct",
                                        "litigation_after_reconsideration", NULL};
    static const char *const results[] = {"pending", "upheld", "corrected", "other", NULL};
    if (*kind && !in_list(*kind, kinds))
        return ow_err_set(&cx->err, OW_EINVAL, "kind",
                          "类型应为行政复议、未经复议直接起诉或复议后起诉");
    if (*result && !in_list(*result, results))
        return ow_err_set(&cx->err, OW_EINVAL, "result", "结果应为维持、纠正、其他或尚未审结");
    int32_t d;
    if (*filed && ow_date_parse(*filed, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "filed_date", "提起日期应为 YYYY-MM-DD 格式的日期");
    if (*decided && ow_date_parse(*decided, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "decided_date",
                          "审结日期应为 YYYY-MM-DD 格式的日期");
    if (*result && strcmp(*result, "pending") && !*decided)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "decided_date",
                           "已审结的请填写审结日期");
    return OW_OK;
}

int ow_dis_review_add(ow_ctx *cx, int64_t request_id, const json_t *in, int64_t *id) {
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, request_id, r);
    if (rc) return rc;
    if (!is_handler(cx, r)) return forbid(cx, "只有办理该申请的政务公开人员可以登记复议、诉讼情况");
    const char *kind = NULL, *filed = NULL, *body = NULL, *result = NULL, *decided = NULL,
               *note = NULL;
    if ((rc = review_fields(cx, in, true, &kind, &filed, &body, &result, &decided, &note)))
        return rc;
    ow_req_review v = {0, kind, filed, body, result, decided, note};
    if ((rc = ow_req_store_review_add(cx->db, request_id, &v, ow_clock_now_ms(cx->clock), id,
                                      &cx->err)))
        return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)request_id);
    json_t *d =
        json_pack("{s:I,s:s,s:s}", "review_id", (json_int_t)*id, "kind", kind, "result", result);
    rc = ow_audit_append(cx, "info_request.review_add", "info_request", ids, d);
    json_decref(d);
    return rc;
}

int ow_dis_review_update(ow_ctx *cx, int64_t request_id, int64_t review_id, const json_t *in) {
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, request_id, r);
    if (rc) return rc;
    if (!is_handler(cx, r)) return forbid(cx, "只有办理该申请的政务公开人员可以更新复议、诉讼情况");
    const char *kind = NULL, *filed = NULL, *body = NULL, *result = NULL, *decided = NULL,
               *note = NULL;
    if ((rc = review_fields(cx, in, false, &kind, &filed, &body, &result, &decided, &note)))
        return rc;
    ow_req_review v = {review_id, kind, filed, body, result, decided, note};
    bool found;
    if ((rc = ow_req_store_review_update(cx->db, request_id, &v, ow_clock_now_ms(cx->clock), &found,
                                         &cx->err)))
        return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "review_id", "复议或诉讼记录不存在");
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)request_id);
    json_t *d = json_pack("{s:I,s:s?}", "review_id", (json_int_t)review_id, "result", result);
    rc = ow_audit_append(cx, "info_request.review_update", "info_request", ids, d);
    json_decref(d);
    return rc;
}

/* ---------- notice PDF ---------- */

int ow_dis_notice_pdf(ow_ctx *cx, int64_t request_id, int64_t notice_id, const char *base_url,
                      unsigned char **pdf, size_t *len, char *filename, size_t filename_size,
                      char code_out[OW_DOCS_CODE_CHARS + 1], char frozen_sha[65]) {
    *pdf = NULL;
    *len = 0;
    frozen_sha[0] = '\0';
    req *r = ow_alloc(cx->arena, sizeof *r);
    int rc = load_req(cx, request_id, r);
    if (rc) return rc;
    if (!may_read(cx, r)) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
    ow_req_notice nr;
    bool found;
    if ((rc = ow_req_store_notice(cx->db, request_id, notice_id, cx->arena, &nr, &found, &cx->err)))
        return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "notice_id", "告知书不存在");
    const char *code = nr.verify_code;
    snprintf(filename, filename_size, "notice-%s.pdf", code);
    snprintf(code_out, OW_DOCS_CODE_CHARS + 1, "%s", code);
    /* issued already: its frozen bytes (docs.h "frozen documents") */
    int64_t size;
    if ((rc = ow_docs_frozen(cx, code, frozen_sha, &size, NULL))) return rc;
    if (frozen_sha[0]) return OW_OK;
    json_t *p = json_loads(nr.payload, 0, NULL);
    if (!p) return ow_err_set(&cx->err, OW_EINTERNAL, "", "告知书内容损坏");
    json_t *paras = json_object_get(p, "paragraphs");
    size_t np = json_array_size(paras);
    const char **pp = ow_alloc(cx->arena, (np + 1) * sizeof *pp);
    for (size_t i = 0; i < np; i++)
        pp[i] = json_string_value(json_array_get(paras, i));
    char url[512], date[32];
    ow_docs_verify_url(base_url, code, url, sizeof url);
    ow_docs_chinese_date(json_string_value(json_object_get(p, "date")), date, sizeof date);
    ow_doc_notice n = {
        .title = json_string_value(json_object_get(p, "title")),
        .issuer = json_string_value(json_object_get(p, "issuer")),
        .number = json_string_value(json_object_get(p, "number")),
        .recipient = json_string_value(json_object_get(p, "recipient")),
        .paragraphs = pp,
        .nparagraphs = np,
        .sign_date = date,
        .qr_payload = url,
        .qr_caption = ow_sprintf(cx->arena, "扫码核验真伪\n核验码 %s", code),
    };
    rc = ow_docs_render_notice(&n, pdf, len, &cx->err);
    json_decref(p);
    return rc;
}

int ow_dis_notice_issued(ow_ctx *cx, int64_t request_id, const char *code, const char *sha256,
                         int64_t size) {
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)request_id);
    json_t *d = json_pack("{s:s,s:s,s:I}", "code", code, "pdf_sha256", sha256, "pdf_size",
                          (json_int_t)size);
    int rc = ow_audit_append(cx, "info_request.notice_issue", "info_request", ids, d);
    json_decref(d);
    return rc;
}
