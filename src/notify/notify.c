/* notify.c — see notify.h.  Templates are plain text with {variables}: the event's
 * variables are listed here, beside its default text, and a template is checked against
 * that list when saved, so a message never goes out with a hole or a stray brace. */
#include "notify/notify.h"

#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "cases/cases_supervision.h"
#include "core/buf.h"
#include "core/workdays.h"
#include "disclosure/disclosure.h"
#include "exchange/exchange.h"
#include "hall/hall.h"
#include "notify/sms_rules.h"
#include "supervision/supervision.h"
#include "store/notify_store.h"

#define TITLE_MAX 120 /* bytes: 40 Chinese characters */
#define BODY_MAX 1500 /* bytes: 500 Chinese characters */

typedef struct event_def {
    const char *event, *name;
    const char *const *vars;
    const char *title, *body;
    const char *sms; /* the SMS's text (short: one 70-character segment); NULL: no SMS */
} event_def;

static const char *const CASE_VARS[] = {"case_no", "item_name", "title", NULL};
static const char *const SUPPLEMENT_VARS[] = {"case_no",   "item_name", "title",
                                              "materials", "comment",   NULL};
static const char *const DECIDED_VARS[] = {"case_no", "item_name", "title",
                                           "result",  "reason",    NULL};
static const char *const REQUEST_VARS[] = {"number", "org_name", "outcome", NULL};
static const char *const NOTICE_VARS[] = {"case_no", "item_name", "content", "reply_due", NULL};
static const char *const APPT_VARS[] = {"code", "item_name", "site_name", "date", "time", NULL};
static const char *const DUE_VARS[] = {"case_no", "item_name", "due_date", "days_left", NULL};

static const event_def EVENTS[] = {
    {"case_accepted", "办件已受理", CASE_VARS, "您的申请已受理",
     "您申请的“{item_name}”（办件编号 {case_no}）已受理，请留意办理进度。",
     "您的办件{case_no}已受理，进度可在消息中心查看。"},
    {"case_supplement", "需要补正材料", SUPPLEMENT_VARS, "请补正申请材料",
     "您申请的“{item_name}”（办件编号 {case_no}）需要补正以下材料：\n{materials}\n"
     "请一次性补齐后重新提交。{comment}",
     "您的办件{case_no}需要补正材料，请登录查看清单并补齐后重新提交。"},
    {"case_decided", "办件已作出决定", DECIDED_VARS, "您的申请已办理完毕",
     "您申请的“{item_name}”（办件编号 {case_no}）结果：{result}。{reason}",
     "您的办件{case_no}已办结，结果：{result}。详情请登录查看。"},
    {"case_owed", "容缺材料待补交", SUPPLEMENT_VARS, "请按期补交容缺材料",
     "您申请的“{item_name}”（办件编号 {case_no}）已容缺受理，请按期补交以下材料：\n{materials}",
     "您的办件{case_no}已容缺受理，请按期补交材料，清单请登录查看。"},
    {"case_revoked", "决定已撤销", DECIDED_VARS, "您的办件决定已撤销",
     "您申请的“{item_name}”（办件编号 {case_no}）的决定已撤销。{reason}",
     "您的办件{case_no}的决定已撤销，详情请登录查看。"},
    {"case_ready", "结果可领取", CASE_VARS, "办理结果可以领取了",
     "您申请的“{item_name}”（办件编号 {case_no}）已准予许可，结果可以领取：请按选择的方式领取，"
     "窗口领取请带上本人身份证件。",
     "您的办件{case_no}结果可以领取了，窗口领取请带上本人身份证件。"},
    {"request_answered", "政府信息公开申请已答复", REQUEST_VARS, "您的政府信息公开申请已答复",
     "您向{org_name}提出的政府信息公开申请（编号 {number}）已答复：{outcome}。"
     "答复书可在“我的申请”中查看下载。",
     "您的政府信息公开申请{number}已答复，请登录“我的申请”查看。"},
    {"appointment_eve", "预约前一天提醒", APPT_VARS, "明天有预约：{item_name}",
     "您预约了明天（{date}）{time} 在{site_name}办理“{item_name}”，预约码 {code}。"
     "请按时到大厅，在取号机输入预约码或出示本人身份证件签到；不能前往请提前在“我的预约”中取消。",
     "您预约了明天{time}在{site_name}办理业务，预约码{code}，请按时到场。"},
    {"supervision_notice", "督办（工作人员）", NOTICE_VARS, "督办：{case_no}",
     "电子监察对办件 {case_no}（{item_name}）发出督办：{content}\n请于 {reply_due} 前回复。", NULL},
    {"case_due_soon", "即将到期（工作人员）", DUE_VARS, "办件即将到期：{case_no}",
     "办件 {case_no}（{item_name}）将于 {due_date} 到期，还剩 {days_left} 个工作日，请抓紧办理。",
     NULL},
};

static const event_def *find_event(const char *event) {
    for (size_t i = 0; i < sizeof EVENTS / sizeof *EVENTS; i++)
        if (event && !strcmp(EVENTS[i].event, event)) return &EVENTS[i];
    return NULL;
}

static bool known_var(const event_def *d, const char *name, size_t n) {
    for (const char *const *v = d->vars; *v; v++)
        if (strlen(*v) == n && !strncmp(*v, name, n)) return true;
    return false;
}

/* The template's text is fine for the event: every {name} known, braces closed. */
static int check_text(ow_ctx *cx, const event_def *d, const char *field, const char *text,
                      size_t max) {
    if (!text || !*text)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", field, "请填写模板内容");
    if (strlen(text) > max)
        return ow_err_set(&cx->err, OW_EINVAL, field, "模板过长（最多 %zu 字节）", max);
    for (const char *p = text; *p; p++) {
        if (*p == '}')
            return ow_err_setk(&cx->err, OW_EINVAL, "template_brace", field,
                               "模板中有多余的“}”：变量应写成 {变量名}");
        if (*p != '{') continue;
        const char *end = strchr(p + 1, '}');
        const char *next = strchr(p + 1, '{');
        if (!end || (next && next < end))
            return ow_err_setk(&cx->err, OW_EINVAL, "template_brace", field,
                               "模板中的“{”没有对应的“}”");
        size_t n = (size_t)(end - p - 1);
        if (!known_var(d, p + 1, n)) {
            ow_buf names;
            ow_buf_init(&names, cx->arena, 128);
            for (const char *const *v = d->vars; *v; v++)
                ow_buf_printf(&names, "%s{%s}", v == d->vars ? "" : "、", *v);
            ow_err_setk(&cx->err, OW_EINVAL, "unknown_variable", field,
                        "“%s”没有变量 {%.*s}，可用的变量：%s", d->name, (int)n, p + 1,
                        names.data ? names.data : "");
            return OW_EINVAL;
        }
        p = end;
    }
    return OW_OK;
}

/* text with each {name} replaced by vals[i] where names[i] == name (checked on save). */
static char *render(ow_arena *a, const char *text, const char *const *names,
                    const char *const *vals, int n) {
    ow_buf b;
    ow_buf_init(&b, a, strlen(text) + 64);
    for (const char *p = text; *p; p++) {
        const char *end = *p == '{' ? strchr(p + 1, '}') : NULL;
        if (!end) {
            ow_buf_append(&b, p, 1);
            continue;
        }
        size_t k = (size_t)(end - p - 1);
        for (int i = 0; i < n; i++)
            if (strlen(names[i]) == k && !strncmp(names[i], p + 1, k)) {
                ow_buf_printf(&b, "%s", vals[i] ? vals[i] : "");
                break;
            }
        p = end;
    }
    return b.data ? b.data : ow_strdup(a, "");
}

/* The template in force: the administrators' or the default. */
static int template_of(ow_ctx *cx, const event_def *d, const char **title, const char **body) {
    bool found;
    int64_t at;
    int rc =
        ow_notify_store_template(cx->db, d->event, cx->arena, title, body, &at, &found, &cx->err);
    if (rc) return rc;
    if (!found) {
        *title = d->title;
        *body = d->body;
    }
    return OW_OK;
}

#define HOUR_MS ((int64_t)3600 * 1000)

/* The instant an SMS to dest queued at now may leave: past the quiet hours and within the
 * number's rate (sms_rules.h).  Moving past one may land in the other, so both are applied
 * until neither moves it (a few rounds at most: each round moves forward). */
static int sms_not_before(ow_ctx *cx, const char *dest, int64_t now, int64_t *at) {
    const ow_config *c = &cx->app->cfg;
    ow_sms_quiet q;
    if (!ow_sms_quiet_parse(c->sms_quiet_hours, &q))
        return ow_err_set(&cx->err, OW_EINVAL, "sms_quiet_hours",
                          "sms_quiet_hours 应写成 HH:MM-HH:MM，例如 21:00-08:00");
    int64_t t = now;
    int64_t *sent = ow_alloc(cx->arena, sizeof *sent * (size_t)(c->sms_rate_per_hour + 1));
    for (int round = 0; round < 16; round++) {
        int64_t quiet = ow_sms_quiet_release(&q, t);
        int n = 0;
        if (c->sms_rate_per_hour > 0) {
            int rc =
                ow_exchange_outbox_times(cx, dest, quiet - HOUR_MS, sent, c->sms_rate_per_hour, &n);
            if (rc) return rc;
        }
        int64_t slot = ow_sms_rate_slot(sent, n, c->sms_rate_per_hour, HOUR_MS, quiet);
        if (slot == t) break;
        t = slot;
    }
    *at = t;
    return OW_OK;
}

/* An applicant's SMS beside their message, in the same transaction (issue 20 point 4):
 * when a gateway is set, the event has an SMS text, the account has a mobile number and
 * its owner did not switch SMS off.  The row in the exchange outbox is held until
 * sms_not_before; src/exchange/sms.c sends it. */
static int queue_sms(ow_ctx *cx, const event_def *d, int64_t user_id, const char *key,
                     const char *const *names, const char *const *vals, int n) {
    if (!d->sms || !cx->app->cfg.sms_gateway_url[0]) return OW_OK;
    bool off, custom;
    const char *text = d->sms;
    int rc = ow_notify_store_sms_template(cx->db, d->event, cx->arena, &text, &custom, &cx->err);
    if (rc) return rc;
    if (!custom) text = d->sms;
    rc = ow_notify_store_sms_off(cx->db, user_id, &off, &cx->err);
    if (rc || off) return rc;
    char mobile[12];
    if ((rc = ow_account_mobile(cx, user_id, mobile)) || !mobile[0]) return rc;
    const char *dest = ow_sprintf(cx->arena, "sms:%s", mobile);
    int64_t at = 0;
    if ((rc = sms_not_before(cx, dest, ow_clock_now_ms(cx->clock), &at))) return rc;
    json_t *p = json_pack("{s:s,s:s,s:s}", "to", mobile, "text",
                          render(cx->arena, text, names, vals, n), "event", d->event);
    int64_t row = 0;
    rc = ow_exchange_outbox_put_at(cx, dest, "sms", p, at, &row);
    json_decref(p);
    if (rc) return rc;
    return ow_notify_store_message_sms(cx->db, key, row, &cx->err);
}

/* The message of event to user_id under key, and its SMS; *inserted false when the key
 * was used already (nothing written, no SMS). */
static int send_once(ow_ctx *cx, const char *event, int64_t user_id, int64_t case_id,
                     const char *link, const char *key, const char *const *names,
                     const char *const *vals, int n, bool *inserted) {
    const event_def *d = find_event(event);
    const char *t, *b;
    int rc = template_of(cx, d, &t, &b);
    if (rc) return rc;
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_message_row m = {.user_id = user_id,
                        .case_id = case_id,
                        .created_at = now,
                        .event = event,
                        .title = render(cx->arena, t, names, vals, n),
                        .body = render(cx->arena, b, names, vals, n),
                        .link = link};
    rc = ow_notify_store_message_insert(cx->db, &m, key, inserted, &cx->err);
    if (rc || !*inserted) return rc;
    return queue_sms(cx, d, user_id, key, names, vals, n);
}

static int send_to(ow_ctx *cx, const char *event, int64_t user_id, int64_t case_id,
                   const char *link, const char *key, const char *const *names,
                   const char *const *vals, int n) {
    bool inserted;
    return send_once(cx, event, user_id, case_id, link, key, names, vals, n, &inserted);
}

static int send(ow_ctx *cx, const char *event, int64_t user_id, int64_t case_id,
                const char *const *names, const char *const *vals, int n) {
    /* one message per case, event and step */
    const char *key = ow_sprintf(cx->arena, "case:%lld:%s:%lld:%lld", (long long)case_id, event,
                                 (long long)user_id, (long long)ow_clock_now_ms(cx->clock));
    return send_to(cx, event, user_id, case_id,
                   ow_sprintf(cx->arena, "/my/cases/%lld", (long long)case_id), key, names, vals,
                   n);
}

static const char *result_name(const ow_case_stepped *s) {
    if (!strcmp(s->action, "refuse")) return "不予受理";
    if (!strcmp(s->result, "approved")) return "准予许可";
    if (!strcmp(s->result, "denied")) return "不予许可";
    return s->result;
}

/* In the case's transaction, on the writer: the message is there exactly when the step is. */
static int on_stepped(ow_ctx *cx, const ow_case_stepped *s) {
    if (s->applicant_user_id <= 0) return OW_OK; /* filed for somebody without an account */
    const char *names[] = {"case_no", "item_name", "title", "materials",
                           "comment", "result",    "reason"};
    const char *vals[] = {s->case_no, s->item_name, s->title, "", "", "", ""};
    int n = (int)(sizeof names / sizeof *names);
    int rc = OW_OK;
    if (!strcmp(s->action, "accept") || (!strcmp(s->from, "submitted") &&
                                         !strcmp(s->to, "review") && strcmp(s->action, "resubmit")))
        rc = send(cx, "case_accepted", s->applicant_user_id, s->case_id, names, vals, n);
    if (!rc && (!strcmp(s->action, "supplement") || !strcmp(s->action, "owed_reminder"))) {
        ow_buf b;
        ow_buf_init(&b, cx->arena, 256);
        for (int i = 0; i < s->ndefects; i++)
            ow_buf_printf(&b, "%s%d. %s%s%s", i ? "\n" : "", i + 1, s->defects[i].name,
                          s->defects[i].problem && *s->defects[i].problem ? "：" : "",
                          s->defects[i].problem ? s->defects[i].problem : "");
        vals[3] = b.data ? b.data : "";
        vals[4] = *s->comment ? ow_sprintf(cx->arena, "（%s）", s->comment) : "";
        rc = send(cx, strcmp(s->action, "supplement") ? "case_owed" : "case_supplement",
                  s->applicant_user_id, s->case_id, names, vals, n);
    }
    if (!rc && (!strcmp(s->action, "approve") || !strcmp(s->action, "deny") ||
                !strcmp(s->action, "refuse"))) {
        vals[5] = result_name(s);
        vals[6] = *s->reason ? ow_sprintf(cx->arena, "理由：%s", s->reason) : "";
        rc = send(cx, "case_decided", s->applicant_user_id, s->case_id, names, vals, n);
    }
    if (!rc && !strcmp(s->action, "revoke")) {
        vals[6] = *s->reason ? ow_sprintf(cx->arena, "理由：%s", s->reason) : "";
        rc = send(cx, "case_revoked", s->applicant_user_id, s->case_id, names, vals, n);
    }
    /* 待出件: approved with a delivery step still to come */
    if (!rc && !strcmp(s->to, "approved") && strcmp(s->from, "approved"))
        rc = send(cx, "case_ready", s->applicant_user_id, s->case_id, names, vals, n);
    return rc;
}

/* ---------------- staff: 督办 and cases about to run out of time ---------------- */

typedef struct office_msg {
    ow_ctx *cx;
    const char *event, *key;
    int64_t case_id;
    const char *const *names, *const *vals;
    int n;
    int sent;
} office_msg;

static int office_one(void *arg, int64_t user_id) {
    office_msg *m = arg;
    const char *key = ow_sprintf(m->cx->arena, "%s:%lld", m->key, (long long)user_id);
    m->sent++;
    return send_to(m->cx, m->event, user_id, m->case_id,
                   ow_sprintf(m->cx->arena, "/work/cases/%lld", (long long)m->case_id), key,
                   m->names, m->vals, m->n);
}

/* A supervision notice issued: each active staff member of the department is told. */
static int on_notice(ow_ctx *cx, const ow_notice_issued *n) {
    char due[11];
    ow_date_format(n->reply_due, due);
    const char *names[] = {"case_no", "item_name", "content", "reply_due"};
    const char *vals[] = {n->case_no, n->item_name ? n->item_name : "", n->content, due};
    office_msg m = {.cx = cx,
                    .event = "supervision_notice",
                    .key = ow_sprintf(cx->arena, "notice:%lld", (long long)n->notice_id),
                    .case_id = n->case_id,
                    .names = names,
                    .vals = vals,
                    .n = 4};
    return ow_account_staff_each(cx, n->org_id, office_one, &m);
}

typedef struct due_walk {
    ow_ctx *cx;
    int32_t today;
    ow_light_rule rule;
    int sent;
} due_walk;

/* A case whose current deadline is at most light_warn_days working days away (yellow by
 * days, not by share) tells the office that has it now: the intake office before
 * acceptance, the deciding department after.  Once per case and deadline (the key). */
static int due_one(void *arg, const ow_case_view *c) {
    due_walk *w = arg;
    if (c->paused || c->due_date < 0) return OW_OK;
    ow_light light;
    int left;
    int rc = ow_light_of(w->cx, &w->rule, c->clock_start, c->due_date, w->today, &light, &left);
    if (rc || light != OW_LIGHT_YELLOW || left < 0) return rc;
    bool intake = !strcmp(c->state, "submitted") || !strcmp(c->state, "supplement");
    int64_t org = intake ? c->intake_org_id : c->dept_id;
    char due[11], days[12];
    ow_date_format(c->due_date, due);
    snprintf(days, sizeof days, "%d", left);
    const char *names[] = {"case_no", "item_name", "due_date", "days_left"};
    const char *vals[] = {c->case_no, c->item_name ? c->item_name : "", due, days};
    office_msg m = {.cx = w->cx,
                    .event = "case_due_soon",
                    .key = ow_sprintf(w->cx->arena, "due:%lld:%d", (long long)c->id, c->due_date),
                    .case_id = c->id,
                    .names = names,
                    .vals = vals,
                    .n = 4};
    rc = ow_account_staff_each(w->cx, org, office_one, &m);
    w->sent += m.sent;
    return rc;
}

/* The supervision sweep's follower (every minute, on the writer): the same walk over the
 * open cases the lights page makes on every request.  The messages' keys make the next
 * walk, on this node or another, send nothing new; a staff member added to the office
 * later is told on the next sweep. */
static int due_sweep(ow_ctx *cx, int *n) {
    due_walk w = {.cx = cx,
                  .today = ow_date_today_shanghai(ow_clock_now_ms(cx->clock)),
                  .rule = {.warn_days = cx->app->cfg.light_warn_days, .warn_percent = 101}};
    int rc = ow_cases_each_open(cx, due_one, &w);
    *n = rc ? 0 : w.sent;
    return rc;
}

/* ---------------- the day before an appointment ---------------- */

typedef struct eve_walk {
    ow_ctx *cx;
    int sent;
} eve_walk;

static int eve_one(void *arg, const ow_hall_booked *b) {
    eve_walk *w = arg;
    char time[12];
    snprintf(time, sizeof time, "%02d:%02d", (b->slot / 60) % 24, b->slot % 60);
    const char *names[] = {"code", "item_name", "site_name", "date", "time"};
    const char *vals[] = {b->code, b->item_name, b->site_name, b->day, time};
    /* once per appointment and its day and time: a moved appointment is reminded again */
    const char *key =
        ow_sprintf(w->cx->arena, "appt:%lld:%s:%d:eve", (long long)b->id, b->day, b->slot);
    bool inserted = false;
    int rc = send_once(w->cx, "appointment_eve", b->user_id, 0, "/my/appointments", key, names,
                       vals, 5, &inserted);
    if (inserted) w->sent++;
    return rc;
}

/* The supervision sweep's follower (every minute, on the writer, from the injected clock):
 * on the day before an appointment (Asia/Shanghai), its holder gets the message and — as
 * for the other events — an SMS held past the quiet hours.  The message's key makes it
 * once per appointment across sweeps, restarts and nodes: the second insert of the key
 * writes nothing and queues no SMS. */
static int eve_sweep(ow_ctx *cx, int *n) {
    char day[11];
    ow_date_format(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)) + 1, day);
    eve_walk w = {.cx = cx};
    int rc = ow_hall_each_booked_on(cx, day, eve_one, &w);
    *n = rc ? 0 : w.sent;
    return rc;
}

/* An information request answered: its applicant is told, in the reply's transaction. */
static int on_replied(ow_ctx *cx, const ow_dis_replied *r) {
    if (r->user_id <= 0) return OW_OK;
    const char *names[] = {"number", "org_name", "outcome"};
    const char *vals[] = {r->number, r->org_name, r->outcome_name};
    return send_to(cx, "request_answered", r->user_id, 0,
                   ow_sprintf(cx->arena, "/open/my/%lld", (long long)r->request_id),
                   ow_sprintf(cx->arena, "request:%lld:reply", (long long)r->request_id), names,
                   vals, 3);
}

static const ow_case_follower FOLLOWER = {.stepped = on_stepped};
static const ow_dis_follower DIS_FOLLOWER = {.replied = on_replied};
static const ow_notice_follower NOTICE_FOLLOWER = {.issued = on_notice};
static const ow_sweep_follower SWEEP_FOLLOWER = {.key = "due_soon_messages", .sweep = due_sweep};
static const ow_sweep_follower EVE_FOLLOWER = {.key = "appointment_reminders", .sweep = eve_sweep};

int ow_notify_setup(ow_app *app, ow_err *e) {
    ow_sms_quiet q;
    if (!ow_sms_quiet_parse(app->cfg.sms_quiet_hours, &q))
        return ow_err_set(e, OW_EINVAL, "sms_quiet_hours",
                          "sms_quiet_hours 应写成 HH:MM-HH:MM（例如 21:00-08:00），或 off");
    ow_cases_follow(app, &FOLLOWER);
    ow_notice_follow(app, &NOTICE_FOLLOWER);
    ow_dis_follow(app, &DIS_FOLLOWER);
    ow_supervision_follow(app, &SWEEP_FOLLOWER);
    ow_supervision_follow(app, &EVE_FOLLOWER);
    return OW_OK;
}

/* ---------------- templates (administrators) ---------------- */

static int admin_only(ow_ctx *cx) {
    if (ow_actor_is(&cx->actor, "admin")) return OW_OK;
    return ow_err_setk(&cx->err, OW_EFORBIDDEN, "forbidden", "", "只有系统管理员可以修改消息模板");
}

/* Characters (UTF-8 code points) of s. */
static size_t chars_of(const char *s) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

/* Values of a typical message, for the SMS preview and its length: an SMS is billed per
 * segment, so the administrator sees how long the text comes out with real values. */
static const char *sample_of(const char *var) {
    static const struct {
        const char *name, *value;
    } S[] = {{"case_no", "SQ20261124000123"},
             {"item_name", "内地居民结婚登记"},
             {"title", "申请办理结婚登记"},
             {"result", "准予许可"},
             {"number", "YS2026-0012"},
             {"org_name", "区民政局"},
             {"outcome", "予以公开"},
             {"code", "123456"},
             {"site_name", "区政务服务中心"},
             {"date", "2026-11-25"},
             {"time", "09:30"},
             {"materials", "1. 近期半身免冠合影照片"}};
    for (size_t i = 0; i < sizeof S / sizeof *S; i++)
        if (!strcmp(S[i].name, var)) return S[i].value;
    return "……";
}

/* The SMS as the phone shows it with the sample values: 【sms_sign_name】 and the text
 * (the provider puts the signature in front, and it counts toward the length). */
static const char *sms_preview(ow_ctx *cx, const event_def *d, const char *text) {
    const char *names[8], *vals[8];
    int n = 0;
    for (const char *const *v = d->vars; *v && n < 8; v++, n++) {
        names[n] = *v;
        vals[n] = sample_of(*v);
    }
    const char *sign = cx->app->cfg.sms_sign_name[0] ? cx->app->cfg.sms_sign_name : "签名";
    return ow_sprintf(cx->arena, "【%s】%s", sign, render(cx->arena, text, names, vals, n));
}

/* One segment holds OW_SMS_SEGMENT characters; a longer SMS goes as several of 67 each
 * (the rest carries the concatenation header). */
#define OW_SMS_SEGMENT 70
#define OW_SMS_LONG_SEGMENT 67
static int sms_segments(size_t chars) {
    return chars <= OW_SMS_SEGMENT ? 1
                                   : (int)((chars + OW_SMS_LONG_SEGMENT - 1) / OW_SMS_LONG_SEGMENT);
}

/* The SMS fields of an event's template entry: sms (null for events without one),
 * default_sms, sms_customized, sms_preview, sms_chars, sms_segments. */
static int sms_fields(ow_ctx *cx, const event_def *d, json_t *item) {
    if (!d->sms) {
        json_object_set_new(item, "sms", json_null());
        return OW_OK;
    }
    const char *text = d->sms;
    bool found;
    int rc = ow_notify_store_sms_template(cx->db, d->event, cx->arena, &text, &found, &cx->err);
    if (rc) return rc;
    if (!found) text = d->sms;
    const char *preview = sms_preview(cx, d, text);
    size_t chars = chars_of(preview);
    json_object_set_new(item, "sms", json_string(text));
    json_object_set_new(item, "default_sms", json_string(d->sms));
    json_object_set_new(item, "sms_customized", json_boolean(found));
    json_object_set_new(item, "sms_preview", json_string(preview));
    json_object_set_new(item, "sms_chars", json_integer((json_int_t)chars));
    json_object_set_new(item, "sms_segments", json_integer(sms_segments(chars)));
    return OW_OK;
}

int ow_notify_templates_json(ow_ctx *cx, json_t **out) {
    int rc = admin_only(cx);
    if (rc) return rc;
    json_t *items = json_array();
    for (size_t i = 0; i < sizeof EVENTS / sizeof *EVENTS && !rc; i++) {
        const event_def *d = &EVENTS[i];
        const char *t, *b;
        bool found;
        int64_t at = 0;
        rc = ow_notify_store_template(cx->db, d->event, cx->arena, &t, &b, &at, &found, &cx->err);
        if (rc) break;
        json_t *vars = json_array();
        for (const char *const *v = d->vars; *v; v++)
            json_array_append_new(vars, json_string(*v));
        json_t *item =
            json_pack("{s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:b}", "event", d->event, "name", d->name,
                      "variables", vars, "title", found ? t : d->title, "body", found ? b : d->body,
                      "default_title", d->title, "default_body", d->body, "customized", found);
        if ((rc = sms_fields(cx, d, item))) {
            json_decref(item);
            break;
        }
        json_array_append_new(items, item);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = items;
    return OW_OK;
}

int ow_notify_template_put(ow_ctx *cx, const char *event, const char *title, const char *body) {
    int rc = admin_only(cx);
    if (rc) return rc;
    const event_def *d = find_event(event);
    if (!d) return ow_err_set(&cx->err, OW_ENOTFOUND, "event", "没有这种消息“%s”", event);
    if ((rc = check_text(cx, d, "title", title, TITLE_MAX)) ||
        (rc = check_text(cx, d, "body", body, BODY_MAX)))
        return rc;
    if ((rc = ow_notify_store_template_put(cx->db, event, title, body, cx->actor.user_id,
                                           ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    json_t *a = json_pack("{s:s,s:s}", "title", title, "body", body);
    rc = ow_audit_append(cx, "notify.template", "notify_template", event, a);
    json_decref(a);
    return rc;
}

int ow_notify_template_reset(ow_ctx *cx, const char *event) {
    int rc = admin_only(cx);
    if (rc) return rc;
    if (!find_event(event))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "event", "没有这种消息“%s”", event);
    if ((rc = ow_notify_store_template_delete(cx->db, event, &cx->err))) return rc;
    return ow_audit_append(cx, "notify.template_reset", "notify_template", event, NULL);
}

#define SMS_MAX 600 /* bytes: 200 Chinese characters, three segments */

int ow_notify_sms_template_put(ow_ctx *cx, const char *event, const char *text, char **warning) {
    *warning = NULL;
    int rc = admin_only(cx);
    if (rc) return rc;
    const event_def *d = find_event(event);
    if (!d) return ow_err_set(&cx->err, OW_ENOTFOUND, "event", "没有这种消息“%s”", event);
    if (!d->sms)
        return ow_err_setk(&cx->err, OW_EINVAL, "no_sms", "event", "“%s”只发站内消息，不发短信",
                           d->name);
    if ((rc = check_text(cx, d, "text", text, SMS_MAX))) return rc;
    if ((rc = ow_notify_store_sms_template_put(cx->db, event, text, cx->actor.user_id,
                                               ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    size_t chars = chars_of(sms_preview(cx, d, text));
    if (chars > OW_SMS_SEGMENT)
        *warning =
            ow_sprintf(cx->arena, "短信连同签名约 %zu 字，超过一条的 %d 字，将分 %d 条发送和计费",
                       chars, OW_SMS_SEGMENT, sms_segments(chars));
    json_t *a = json_pack("{s:s,s:I}", "text", text, "chars", (json_int_t)chars);
    rc = ow_audit_append(cx, "notify.sms_template", "notify_template", event, a);
    json_decref(a);
    return rc;
}

int ow_notify_sms_template_reset(ow_ctx *cx, const char *event) {
    int rc = admin_only(cx);
    if (rc) return rc;
    const event_def *d = find_event(event);
    if (!d || !d->sms)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "event", "没有这种短信“%s”", event);
    if ((rc = ow_notify_store_sms_template_delete(cx->db, event, &cx->err))) return rc;
    return ow_audit_append(cx, "notify.sms_template_reset", "notify_template", event, NULL);
}

/* ---------------- the message center ---------------- */

/* The SMS that went with a message, as its reader sees it (state): queued (waiting, e.g.
 * for the end of quiet hours, until not_before), sent (the gateway took it), delivered or
 * failed — by the newest delivery report (code: its status, detail: its text), or failed
 * when the outbox gave it up (code: the gateway's refusal). */
static json_t *sms_state(const ow_message_row *m) {
    if (!m->sms_id) return json_null();
    const char *report = m->sms_report && *m->sms_report ? m->sms_report : NULL;
    const char *state = "queued", *code = NULL, *detail = NULL;
    if (report) {
        state = ow_exchange_sms_delivered(report) ? "delivered" : "failed";
        code = report;
        detail = m->sms_report_detail;
    } else if (m->sms_failed_at) {
        state = "failed";
        code = m->sms_error;
    } else if (m->sms_delivered_at) {
        state = "sent";
    }
    return json_pack("{s:s,s:o,s:o,s:o}", "state", state, "code",
                     code && *code ? json_string(code) : json_null(), "detail",
                     detail && *detail ? json_string(detail) : json_null(), "not_before",
                     !strcmp(state, "queued") ? json_integer(m->sms_not_before) : json_null());
}

static int message_json(void *arg, const ow_message_row *m) {
    json_array_append_new(
        arg, json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:I,s:o,s:o}", "id", (json_int_t)m->id, "event",
                       m->event, "title", m->title, "body", m->body, "case_id",
                       m->case_id ? json_integer(m->case_id) : json_null(), "link", m->link,
                       "created_at", (json_int_t)m->created_at, "read_at",
                       m->read_at ? json_integer(m->read_at) : json_null(), "sms", sms_state(m)));
    return OW_OK;
}

int ow_notify_messages_json(ow_ctx *cx, bool unread_only, int page, int per_page, json_t **items,
                            int64_t *total) {
    if (!cx->actor.user_id) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    int rc = ow_notify_store_count(cx->db, cx->actor.user_id, unread_only, total, &cx->err);
    if (rc) return rc;
    json_t *a = json_array();
    rc = ow_notify_store_messages(cx->db, cx->actor.user_id, unread_only, per_page,
                                  (int64_t)(page - 1) * per_page, cx->arena, message_json, a,
                                  &cx->err);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *items = a;
    return OW_OK;
}

int ow_notify_unread(ow_ctx *cx, int64_t *n) {
    if (!cx->actor.user_id) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    return ow_notify_store_count(cx->db, cx->actor.user_id, true, n, &cx->err);
}

int ow_notify_mark_read(ow_ctx *cx, int64_t id) {
    if (!cx->actor.user_id) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    bool found;
    int rc = ow_notify_store_mark_read(cx->db, cx->actor.user_id, id, ow_clock_now_ms(cx->clock),
                                       &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "消息不存在");
    return OW_OK;
}

/* ---------------- SMS on or off (the message center's setting) ---------------- */

int ow_notify_sms_setting(ow_ctx *cx, bool *sms_on, bool *has_mobile) {
    if (!cx->actor.user_id) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    bool off;
    int rc = ow_notify_store_sms_off(cx->db, cx->actor.user_id, &off, &cx->err);
    if (rc) return rc;
    char mobile[12];
    if ((rc = ow_account_mobile(cx, cx->actor.user_id, mobile))) return rc;
    *sms_on = !off;
    *has_mobile = mobile[0] != '\0';
    return OW_OK;
}

int ow_notify_sms_set(ow_ctx *cx, bool sms_on) {
    if (!cx->actor.user_id) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    int rc = ow_notify_store_sms_set(cx->db, cx->actor.user_id, !sms_on, ow_clock_now_ms(cx->clock),
                                     &cx->err);
    if (rc) return rc;
    json_t *a = json_pack("{s:b}", "sms", sms_on);
    rc = ow_audit_append(cx, "notify.sms_setting", "user",
                         ow_sprintf(cx->arena, "%lld", (long long)cx->actor.user_id), a);
    json_decref(a);
    return rc;
}
