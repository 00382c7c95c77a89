/* hall_assist.c — 帮办代办: the 帮办代办 window, the township centres and the village agent
 * points record each application they helped with — who helped whom, for which item,
 * how long it took — and the applicant confirms it.
 *
 *   recorded ──confirm (the applicant: the link on the helper's screen, or signed in)──▶ confirmed
 *            ──dispute (the applicant, with what is wrong)──▶ disputed
 *            ──paper (the helper: the applicant signed the paper form)──▶ confirmed
 *
 * The applicant's ID number is kept encrypted with its blind index (docs/architecture.md
 * "Personal data"): the list shows it masked, and a signed-in citizen finds the records
 * about them by the index of their own number. */
#include "hall/hall_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "cases/cases.h"
#include "cases/cases_supervision.h"
#include "catalog/catalog_cases.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/workdays.h"
#include "supervision/supervision.h"

void ow_hall_assist_token(const ow_ctx *cx, int64_t id, char out[OW_HALL_TOKEN_CHARS + 1]) {
    char ids[24], hex[65];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    ow_blind_index(&cx->app->keys, "hall_assist", ids, hex);
    memcpy(out, hex, OW_HALL_TOKEN_CHARS);
    out[OW_HALL_TOKEN_CHARS] = '\0';
}

static bool helps(const ow_actor *a) {
    return a->user_id > 0 && (!strcmp(a->role, "clerk") || !strcmp(a->role, "agent"));
}

static const char *kind_name(const char *k) {
    return !strcmp(k, "help") ? "帮办" : !strcmp(k, "agent") ? "代办" : k;
}

static const char *state_name(const char *s) {
    return !strcmp(s, "recorded")    ? "待申请人确认"
           : !strcmp(s, "confirmed") ? "申请人已确认"
           : !strcmp(s, "disputed")  ? "申请人有异议"
                                     : s;
}

static const char *channel_name(const char *c) {
    return !strcmp(c, "link")      ? "扫码确认"
           : !strcmp(c, "account") ? "登录确认"
           : !strcmp(c, "paper")   ? "纸质签字"
                                   : "";
}

int ow_hall_assist_create(ow_ctx *cx, const ow_hall_assist_in *in, int64_t *id) {
    if (!helps(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有窗口工作人员和代办员可以登记帮办代办");
    ow_hall_assist a = {0};
    if (!in->kind || (strcmp(in->kind, "help") && strcmp(in->kind, "agent")))
        return ow_err_set(&cx->err, OW_EINVAL, "kind", "类型应为 help（帮办）或 agent（代办）");
    if (!in->applicant_name || !*in->applicant_name || ow_utf8_len(in->applicant_name) > 50)
        return ow_err_set(&cx->err, OW_EINVAL, "applicant_name",
                          "请填写申请人姓名（最多 50 个字）");
    hall_clock now;
    hall_now(cx, &now);
    int y, m, d;
    ow_date_ymd(now.today, &y, &m, &d);
    char id_norm[19];
    int rc = ow_id_number_check(in->id_number ? in->id_number : "", id_norm,
                                y * 10000 + m * 100 + d, &cx->err);
    if (rc) return rc;
    if (in->mobile && *in->mobile) {
        char mob[12];
        if ((rc = ow_mobile_check(in->mobile, mob, &cx->err))) return rc;
        ow_mask_mobile(mob, a.mobile_masked);
    }
    if (in->minutes < 1 || in->minutes > OW_HALL_ASSIST_MINUTES_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, "minutes", "用时应在 1 到 %d 分钟之间",
                          OW_HALL_ASSIST_MINUTES_MAX);
    if (in->note && ow_utf8_len(in->note) > OW_HALL_NOTE_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "note", "备注最多 %d 个字", OW_HALL_NOTE_MAX_CHARS);
    if (in->item_id) {
        json_t *guide;
        rc = ow_catalog_guide_shared(cx, in->item_id, 0, &guide);
        if (rc == OW_ENOTFOUND)
            return ow_err_set(&cx->err, OW_EINVAL, "item_id", "事项不存在或未发布");
        if (rc) return rc;
        snprintf(a.item_name, sizeof a.item_name, "%s",
                 json_string_value(json_object_get(guide, "name")));
        json_decref(guide);
        a.item_id = in->item_id;
    } else if (in->item_name && *in->item_name && ow_utf8_len(in->item_name) <= 100) {
        snprintf(a.item_name, sizeof a.item_name, "%s", in->item_name);
    } else {
        return ow_err_set(&cx->err, OW_EINVAL, "item_id", "请选择或填写帮办代办的事项");
    }
    if (in->case_id || (in->case_no && *in->case_no)) {
        ow_case_brief cb;
        rc = in->case_id ? ow_cases_brief(cx, in->case_id, &cb)
                         : ow_cases_brief_by_no(cx, in->case_no, &cb);
        bool ok = false;
        if (!rc) rc = ow_cases_may_view_id(cx, cb.id, &ok);
        if (rc == OW_ENOTFOUND || (!rc && !ok))
            return ow_err_set(&cx->err, OW_EINVAL, in->case_id ? "case_id" : "case_no",
                              "办件不存在");
        if (rc) return rc;
        a.case_id = cb.id;
        snprintf(a.case_no, sizeof a.case_no, "%s", cb.case_no);
    }
    if (in->ticket_id) {
        ow_hall_ticket t;
        ow_hall_org site;
        rc = ow_hall_store_ticket(cx->db, in->ticket_id, &t, &cx->err);
        if (!rc) rc = hall_site_of_org(cx, cx->actor.org_id, &site);
        if (rc == OW_ENOTFOUND || rc == OW_EFORBIDDEN || (!rc && t.site_id != site.id))
            return ow_err_set(&cx->err, OW_EINVAL, "ticket_id", "本大厅没有这个号");
        if (rc) return rc;
        a.ticket_id = t.id;
    }
    char *enc = NULL;
    if (ow_pii_encrypt(&cx->app->keys, id_norm, "hall_assists.id_number", &enc))
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "证件号码加密失败");
    ow_blind_index(&cx->app->keys, "id_number", id_norm, a.id_number_idx);
    char masked[19];
    ow_mask_id_number(id_norm, masked);
    snprintf(a.id_masked, sizeof a.id_masked, "%s", masked);
    a.id_number_enc = enc;
    a.org_id = cx->actor.org_id;
    a.helper_id = cx->actor.user_id;
    snprintf(a.helper_name, sizeof a.helper_name, "%s", cx->actor.name);
    snprintf(a.kind, sizeof a.kind, "%s", in->kind);
    snprintf(a.applicant_name, sizeof a.applicant_name, "%s", in->applicant_name);
    snprintf(a.note, sizeof a.note, "%s", in->note ? in->note : "");
    a.minutes = in->minutes;
    a.ended_at = now.ms;
    a.started_at = now.ms - (int64_t)in->minutes * 60000;
    a.created_at = now.ms;
    memcpy(a.day, now.day, sizeof a.day);
    rc = ow_hall_store_assist_insert(cx->db, &a, id, &cx->err);
    free(enc);
    if (rc) return rc;
    return hall_audit(cx, "hall.assist.create", "hall_assist", *id,
                      json_pack("{s:s,s:s,s:s,s:i,s:s}", "kind", a.kind, "id_masked", a.id_masked,
                                "item", a.item_name, "minutes", a.minutes, "case_no", a.case_no));
}

/* Who may see the record: staff whose office it is (or above it), the applicant signed
 * in, whoever has its link. */
typedef enum { SEE_NONE, SEE_STAFF, SEE_APPLICANT } seer;

static int may_see(ow_ctx *cx, const ow_hall_assist *a, const char *token, seer *who) {
    *who = SEE_NONE;
    if (token && *token) {
        char want[OW_HALL_TOKEN_CHARS + 1];
        ow_hall_assist_token(cx, a->id, want);
        if (ow_ct_equal(token, want)) *who = SEE_APPLICANT;
        return OW_OK;
    }
    if (!strcmp(cx->actor.kind, "staff") && cx->actor.user_id > 0) {
        bool ok = false;
        int rc = ow_sup_in_scope(cx, a->org_id, &ok);
        if (rc && rc != OW_EFORBIDDEN) return rc;
        memset(&cx->err, 0, sizeof cx->err);
        if (ok) *who = SEE_STAFF;
        return OW_OK;
    }
    if (hall_is_person(&cx->actor)) {
        char idx[65];
        int rc = ow_account_holder_idx(cx, cx->actor.user_id, idx);
        if (rc) return rc;
        if (idx[0] && !strcmp(idx, a->id_number_idx)) *who = SEE_APPLICANT;
    }
    return OW_OK;
}

static json_t *assist_json(ow_ctx *cx, const ow_hall_assist *a, seer who) {
    char name[128];
    if (who == SEE_STAFF)
        snprintf(name, sizeof name, "%s", a->applicant_name);
    else
        ow_mask_name(a->applicant_name, name, sizeof name);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:{s:I,s:s},s:s,s:s,s:s,s:s,s:{s:o,s:s},s:o,s:i,s:o,s:o,s:s,s:s,s:s,s:s,"
        "s:s,s:s,s:o}",
        "id", (json_int_t)a->id, "kind", a->kind, "kind_name", kind_name(a->kind), "org", "id",
        (json_int_t)a->org_id, "name", a->org_name, "helper_name", a->helper_name, "applicant_name",
        name, "id_masked", a->id_masked, "mobile_masked", a->mobile_masked, "item", "id",
        a->item_id ? json_integer(a->item_id) : json_null(), "name", a->item_name, "case",
        a->case_id ? json_pack("{s:I,s:s}", "id", (json_int_t)a->case_id, "case_no", a->case_no)
                   : json_null(),
        "minutes", a->minutes, "started_at", hall_time_json(a->started_at), "ended_at",
        hall_time_json(a->ended_at), "day", a->day, "note", a->note, "state", a->state,
        "state_name", state_name(a->state), "confirm_channel", a->confirm_channel,
        "confirm_channel_name", channel_name(a->confirm_channel), "confirmed_at",
        hall_time_json(a->confirmed_at));
    if (a->confirm_note[0]) json_object_set_new(o, "confirm_note", json_string(a->confirm_note));
    if (who == SEE_STAFF) {
        char tok[OW_HALL_TOKEN_CHARS + 1];
        ow_hall_assist_token(cx, a->id, tok);
        json_object_set_new(o, "token", json_string(tok));
        if (a->ticket_id) json_object_set_new(o, "ticket_id", json_integer(a->ticket_id));
    }
    json_object_set_new(o, "can_confirm",
                        json_boolean(who == SEE_APPLICANT && !strcmp(a->state, "recorded")));
    return o;
}

int ow_hall_assist_json(ow_ctx *cx, int64_t id, const char *token, json_t **out) {
    ow_hall_assist a;
    seer who;
    int rc = ow_hall_store_assist(cx->db, id, &a, &cx->err);
    if (!rc) rc = may_see(cx, &a, token, &who);
    if (rc == OW_ENOTFOUND || (!rc && who == SEE_NONE)) {
        if (!rc && !token && !ow_actor_signed_in(&cx->actor))
            return ow_err_setk(&cx->err, OW_EUNAUTH, "unauthenticated", "", "请先登录");
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "帮办代办记录不存在");
    }
    if (rc) return rc;
    *out = assist_json(cx, &a, who);
    return OW_OK;
}

int ow_hall_assist_act(ow_ctx *cx, int64_t id, const char *action, const char *token,
                       const char *note) {
    ow_hall_assist a;
    seer who;
    int rc = ow_hall_store_assist(cx->db, id, &a, &cx->err);
    if (!rc) rc = may_see(cx, &a, token, &who);
    if (rc == OW_ENOTFOUND || (!rc && who == SEE_NONE))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "帮办代办记录不存在");
    if (rc) return rc;
    const char *act = action ? action : "";
    bool applicant = !strcmp(act, "confirm") || !strcmp(act, "dispute");
    if (!applicant && strcmp(act, "paper"))
        return ow_err_set(&cx->err, OW_EINVAL, "action",
                          "操作应为 confirm（确认）、dispute（有异议）或 paper（纸质签字确认）");
    if (applicant && who != SEE_APPLICANT)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "action", "只有申请人本人可以确认或提出异议");
    if (!applicant && (who != SEE_STAFF || !helps(&cx->actor)))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "action", "只有经办的工作人员可以登记纸质确认");
    if (strcmp(a.state, "recorded"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "该记录%s，不能再操作", state_name(a.state));
    if (!strcmp(act, "dispute") && (!note || !*note))
        return ow_err_set(&cx->err, OW_EINVAL, "note", "请写明哪里与实际不符");
    if (note && ow_utf8_len(note) > OW_HALL_NOTE_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "note", "说明最多 %d 个字", OW_HALL_NOTE_MAX_CHARS);
    const char *channel = !applicant ? "paper" : token && *token ? "link" : "account";
    const char *text = note && *note ? note : !applicant ? "申请人已在纸质登记表上签字确认" : "";
    hall_clock now;
    hall_now(cx, &now);
    if ((rc = ow_hall_store_assist_confirm(cx->db, id,
                                           !strcmp(act, "dispute") ? "disputed" : "confirmed",
                                           channel, text, now.ms, &cx->err)))
        return rc;
    char what[32];
    snprintf(what, sizeof what, "hall.assist.%s", act);
    return hall_audit(cx, what, "hall_assist", id, json_pack("{s:s}", "channel", channel));
}

typedef struct assist_list {
    ow_ctx *cx;
    json_t *items;
    seer who;
} assist_list;

static int add_assist(void *arg, const ow_hall_assist *a) {
    assist_list *l = arg;
    json_array_append_new(l->items, assist_json(l->cx, a, l->who));
    return 0;
}

int ow_hall_assists_json(ow_ctx *cx, const ow_hall_assist_query *q, json_t **items,
                         int64_t *total) {
    ow_hall_assist_filter f = {.from = q->from, .to = q->to, .state = q->state};
    char idx[65];
    assist_list l = {cx, NULL, SEE_STAFF};
    int rc;
    if (hall_is_person(&cx->actor)) {
        if ((rc = ow_account_holder_idx(cx, cx->actor.user_id, idx))) return rc;
        if (!idx[0]) {
            *items = json_array();
            *total = 0;
            return OW_OK;
        }
        f.applicant_idx = idx;
        l.who = SEE_APPLICANT;
    } else {
        if ((rc = ow_sup_scope(cx, &f.org_id))) return rc;
    }
    int32_t d;
    if (q->from && *q->from && ow_date_parse(q->from, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "from", "日期格式应为 YYYY-MM-DD");
    if (q->to && *q->to && ow_date_parse(q->to, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "to", "日期格式应为 YYYY-MM-DD");
    if (q->state && *q->state && strcmp(q->state, "recorded") && strcmp(q->state, "confirmed") &&
        strcmp(q->state, "disputed"))
        return ow_err_set(&cx->err, OW_EINVAL, "state", "状态应为 recorded、confirmed 或 disputed");
    if ((rc = ow_hall_store_assist_count(cx->db, &f, total, &cx->err))) return rc;
    l.items = json_array();
    rc = ow_hall_store_assist_page(cx->db, &f, q->per_page, (int64_t)(q->page - 1) * q->per_page,
                                   add_assist, &l, &cx->err);
    if (rc) {
        json_decref(l.items);
        return rc;
    }
    *items = l.items;
    return OW_OK;
}
