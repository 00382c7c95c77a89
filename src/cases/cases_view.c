/* cases_view.c — reading cases: one case with its deadlines and timeline, the work
 * queues (intake, review, delivery), the applicant's own list, the public progress
 * lookup and the applicant profile that pre-fills a desk filing.
 *
 * Deadline figures are computed on read from the stored due dates and the calendar,
 * so "working days left" and the on time / due soon / overdue status are always as of
 * today without a nightly job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "cases/cases_int.h"
#include "catalog/catalog_cases.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "store/rows.h"

static json_t *time_json(int64_t ms) {
    if (!ms) return json_null();
    char s[32];
    ow_time_format_iso(ms, s);
    return json_string(s);
}

/* A few org names per request, looked up through the account module. */
typedef struct org_cache {
    int64_t id[16];
    const char *name[16];
    int n;
} org_cache;

static const char *org_name_c(ow_ctx *cx, org_cache *oc, int64_t id) {
    if (!id) return "";
    for (int i = 0; i < oc->n; i++)
        if (oc->id[i] == id) return oc->name[i];
    const char *name;
    if (ow_org_name(cx, id, &name) != OW_OK) ow_err_clear(&cx->err);
    if (oc->n < 16) {
        oc->id[oc->n] = id;
        oc->name[oc->n++] = name;
    }
    return name;
}

static json_t *org_json(ow_ctx *cx, org_cache *oc, int64_t id) {
    if (!id) return json_null();
    return json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", org_name_c(cx, oc, id));
}

/* ---------------- deadlines ---------------- */

static const char *phase_of(const char *state) {
    if (!strcmp(state, "submitted") || !strcmp(state, "supplement")) return "intake";
    if (!strcmp(state, "review") || !strcmp(state, "suspended")) return "decision";
    if (!strcmp(state, "approved")) return "delivery";
    return "closed";
}

static const char *status_name(const char *s) {
    if (!strcmp(s, "on_time")) return "正常";
    if (!strcmp(s, "due_soon")) return "即将到期";
    if (!strcmp(s, "overdue")) return "已超期";
    if (!strcmp(s, "paused")) return "暂停计时";
    if (!strcmp(s, "closed")) return "已结束";
    return "无法计算";
}

/* The as-of-today part of a deadline, shared by the jansson view and the list text. */
typedef struct deadline_now {
    const char *phase, *status;
    bool has_late, late; /* closed: decided after the committed due date */
    bool has_left;       /* running or overdue: working days left (negative: over) */
    int left;
    const char *message; /* unknown: why the due date could not be computed */
    bool provisional;    /* open, and a due date lies in a year computed from the law */
} deadline_now;

static void deadline_compute(ow_ctx *cx, const ow_case_row *c, int32_t today, deadline_now *d) {
    ow_calendar *cal = cx->app->calendar;
    memset(d, 0, sizeof *d);
    d->phase = phase_of(c->state);
    ow_err e = {0};
    if (!strcmp(d->phase, "closed")) {
        d->status = "closed";
        d->has_late = true;
        d->late = c->decided_date != OW_DATE_NONE && c->due_committed != OW_DATE_NONE &&
                  c->decided_date > c->due_committed;
    } else if (!strcmp(c->state, "supplement") || !strcmp(c->state, "suspended")) {
        d->status = "paused";
        d->provisional = ow_cal_date_provisional(cal, c->due_committed) ||
                         ow_cal_date_provisional(cal, c->due_statutory);
    } else if (c->due_date == OW_DATE_NONE) {
        d->status = "unknown";
        /* say why: the calendar year the period runs into is missing */
        ow_case_row copy = *c;
        const char *note = NULL;
        ow_cal_pause *p;
        size_t np;
        if (ow_case_pauses(cx, c->id, &p, &np) == OW_OK &&
            ow_case_compute_due(cx, &copy, p, np, &note) == OW_OK && note)
            d->message = note;
        ow_err_clear(&cx->err);
    } else {
        d->has_left = true;
        d->provisional = ow_cal_date_provisional(cal, c->due_date) ||
                         ow_cal_date_provisional(cal, c->due_committed) ||
                         ow_cal_date_provisional(cal, c->due_statutory);
        if (today > c->due_date) {
            int over = 0;
            if (ow_cal_count_workdays(cal, c->due_date, today, &over, &e) == OW_OK) d->left = -over;
            d->status = "overdue";
        } else {
            ow_cal_count_workdays(cal, today, c->due_date, &d->left, &e);
            d->status = d->left <= OW_CASE_DUE_SOON_DAYS ? "due_soon" : "on_time";
        }
    }
}

/* {phase, committed_days, statutory_days, due…, status, status_name, clock_start,
 * extended_days}: the list row's deadline (the case view adds days used and pauses). */
static json_t *deadline_json(ow_ctx *cx, const ow_case_row *c) {
    deadline_now d;
    deadline_compute(cx, c, ow_case_today(cx), &d);
    json_t *o = json_pack(
        "{s:s,s:i,s:i,s:o,s:o,s:o}", "phase", d.phase, "committed_days", c->committed_days,
        "statutory_days", c->statutory_days, "due", ow_json_date(c->due_date), "due_committed",
        ow_json_date(c->due_committed), "due_statutory", ow_json_date(c->due_statutory));
    if (d.provisional) json_object_set_new(o, "provisional", json_true());
    if (d.has_late) json_object_set_new(o, "late", json_boolean(d.late));
    if (d.message) json_object_set_new(o, "message", json_string(d.message));
    if (d.has_left) json_object_set_new(o, "days_left", json_integer(d.left));
    json_object_set_new(o, "status", json_string(d.status));
    json_object_set_new(o, "status_name", json_string(status_name(d.status)));
    json_object_set_new(o, "clock_start", ow_json_date(c->clock_start));
    json_object_set_new(o, "extended_days", json_integer(c->extended_days));
    return o;
}

/* ---------------- one case ---------------- */

static json_t *summary_json(ow_ctx *cx, org_cache *oc, const ow_case_row *c) {
    json_t *o = json_pack(
        "{s:I,s:s,s:{s:I,s:s,s:s,s:i,s:s},s:o,s:{s:s,s:s,s:s},s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id",
        (json_int_t)c->id, "case_no", c->case_no, "item", "id", (json_int_t)c->item_id, "code",
        c->item_code, "name", c->item_name, "version", c->item_version, "type", c->item_type,
        "department", org_json(cx, oc, c->dept_id), "applicant", "kind", c->applicant_kind, "name",
        c->applicant_name, "id_number", c->id_masked, "channel", c->channel, "channel_name",
        ow_case_channel_name(c->channel), "state", c->state, "state_name",
        ow_case_state_name(c->state), "submitted_at", time_json(c->submitted_at), "received_date",
        ow_json_date(c->received_date), "intake_org", org_json(cx, oc, c->intake_org_id));
    json_object_set_new(o, "deadline", deadline_json(cx, c));
    json_object_set_new(o, "result", json_string(c->result));
    json_object_set_new(o, "current_step", json_string(ow_case_step_label(c)));
    return o;
}

/* The list rows as JSON text written straight into the page (core/json.h says why); the
 * same members in the same order as summary_json, which the unit tests check byte for
 * byte (queue_text_matches_the_jansson_rows). */
#define LIT(lit) OW_JSON_PUT_LIT(b, lit)

static void org_text(ow_buf *b, ow_ctx *cx, org_cache *oc, int64_t id) {
    if (!id) {
        LIT("null");
        return;
    }
    LIT("{\"id\":");
    ow_json_put_int(b, id);
    LIT(",\"name\":");
    ow_json_put_str(b, org_name_c(cx, oc, id));
    ow_buf_putc(b, '}');
}

/* An instant as time_json prints it: ISO 8601 with the offset, or null for none. */
static void put_time(ow_buf *b, int64_t ms) {
    if (!ms) {
        OW_JSON_PUT_LIT(b, "null");
        return;
    }
    char t[32];
    ow_time_format_iso(ms, t);
    ow_json_put_str(b, t);
}

/* A JSON value this module stored itself (written by ow_json_dump, so already the text
 * jansson would print) goes out as it is; empty or not of the expected kind: fallback. */
static void put_stored_json(ow_buf *b, const char *stored, char open, const char *fallback) {
    size_t n = stored ? strlen(stored) : 0;
    char close = open == '{' ? '}' : ']';
    if (n >= 2 && stored[0] == open && stored[n - 1] == close)
        ow_buf_append(b, stored, n);
    else
        ow_buf_puts(b, fallback);
}

/* Working days used and left, and the pauses: once the clock has started. */
static void deadline_used_text(ow_buf *b, ow_ctx *cx, const ow_case_row *c, int32_t today) {
    if (c->clock_start == OW_DATE_NONE) return;
    ow_cal_pause *p;
    size_t np;
    ow_err e = {0};
    if (ow_case_pauses(cx, c->id, &p, &np) == OW_OK) {
        int32_t until = c->decided_date != OW_DATE_NONE ? c->decided_date : today;
        int used = 0;
        if (ow_cal_used_with_pauses(cx->app->calendar, c->clock_start, until, p, np, &used, &e) ==
            OW_OK) {
            LIT(",\"days_used\":");
            ow_json_put_int(b, used);
            LIT(",\"committed_days_left\":");
            ow_json_put_int(b, c->committed_days - used);
            LIT(",\"statutory_days_left\":");
            ow_json_put_int(b, c->statutory_days + c->extended_days - used);
        }
        LIT(",\"pauses\":[");
        for (size_t i = 0; i < np; i++) {
            if (i) ow_buf_putc(b, ',');
            LIT("{\"start\":");
            ow_json_put_date(b, p[i].start);
            LIT(",\"end\":");
            ow_json_put_date(b, p[i].end);
            ow_buf_putc(b, '}');
        }
        ow_buf_putc(b, ']');
    }
    ow_err_clear(&cx->err);
}

/* full: the case view's summary — the applicant's contact and the deadline's days used,
 * left and pauses too (deadline_json's full) — left open for the view's other members. */
static void summary_text(ow_buf *b, ow_ctx *cx, org_cache *oc, const ow_case_row *c, int32_t today,
                         bool full) {
    LIT("{\"id\":");
    ow_json_put_int(b, c->id);
    LIT(",\"case_no\":");
    ow_json_put_str(b, c->case_no);
    LIT(",\"item\":{\"id\":");
    ow_json_put_int(b, c->item_id);
    LIT(",\"code\":");
    ow_json_put_str(b, c->item_code);
    LIT(",\"name\":");
    ow_json_put_str(b, c->item_name);
    LIT(",\"version\":");
    ow_json_put_int(b, c->item_version);
    LIT(",\"type\":");
    ow_json_put_str(b, c->item_type);
    LIT("},\"department\":");
    org_text(b, cx, oc, c->dept_id);
    LIT(",\"applicant\":{\"kind\":");
    ow_json_put_str(b, c->applicant_kind);
    LIT(",\"name\":");
    ow_json_put_str(b, c->applicant_name);
    LIT(",\"id_number\":");
    ow_json_put_str(b, c->id_masked);
    if (full) {
        LIT(",\"mobile\":");
        ow_json_put_str(b, c->mobile_masked);
        LIT(",\"address\":");
        ow_json_put_str(b, c->address);
        LIT(",\"has_account\":");
        ow_json_put_bool(b, c->applicant_user_id != 0);
        LIT(",\"uscc_override\":");
        put_stored_json(b, c->id_override, '{', "null");
    }
    LIT("},\"channel\":");
    ow_json_put_str(b, c->channel);
    LIT(",\"channel_name\":");
    ow_json_put_str(b, ow_case_channel_name(c->channel));
    LIT(",\"state\":");
    ow_json_put_str(b, c->state);
    LIT(",\"state_name\":");
    ow_json_put_str(b, ow_case_state_name(c->state));
    LIT(",\"submitted_at\":");
    put_time(b, c->submitted_at);
    LIT(",\"received_date\":");
    ow_json_put_date(b, c->received_date);
    LIT(",\"intake_org\":");
    org_text(b, cx, oc, c->intake_org_id);
    deadline_now d;
    deadline_compute(cx, c, today, &d);
    LIT(",\"deadline\":{\"phase\":");
    ow_json_put_str(b, d.phase);
    LIT(",\"committed_days\":");
    ow_json_put_int(b, c->committed_days);
    LIT(",\"statutory_days\":");
    ow_json_put_int(b, c->statutory_days);
    LIT(",\"due\":");
    ow_json_put_date(b, c->due_date);
    LIT(",\"due_committed\":");
    ow_json_put_date(b, c->due_committed);
    LIT(",\"due_statutory\":");
    ow_json_put_date(b, c->due_statutory);
    if (d.provisional) LIT(",\"provisional\":true");
    if (d.has_late) {
        LIT(",\"late\":");
        ow_json_put_bool(b, d.late);
    }
    if (d.message) {
        LIT(",\"message\":");
        ow_json_put_str(b, d.message);
    }
    if (d.has_left) {
        LIT(",\"days_left\":");
        ow_json_put_int(b, d.left);
    }
    LIT(",\"status\":");
    ow_json_put_str(b, d.status);
    LIT(",\"status_name\":");
    ow_json_put_str(b, status_name(d.status));
    if (full) deadline_used_text(b, cx, c, today);
    LIT(",\"clock_start\":");
    ow_json_put_date(b, c->clock_start);
    LIT(",\"extended_days\":");
    ow_json_put_int(b, c->extended_days);
    LIT("},\"result\":");
    ow_json_put_str(b, c->result);
    LIT(",\"current_step\":");
    ow_json_put_str(b, ow_case_step_label(c));
    if (!full) ow_buf_putc(b, '}');
}

/* The history, oldest first, written into b as the view's timeline
 * ([{seq, at, action, action_name, state, state_name, actor:{name, role, org},
 * from_state, comment, detail}]), and kept in *ev for the steps; *notice is the detail
 * of the last 补正 (the open notice while the case waits for it), or NULL. */
typedef struct timeline_acc {
    ow_ctx *cx;
    ow_buf *b;
    ow_case_event_ref **ev;
    size_t *nev, cap;
    json_t **notice;
} timeline_acc;

static int timeline_event(void *arg, const ow_case_event_row *r) {
    timeline_acc *t = arg;
    ow_ctx *cx = t->cx;
    ow_buf *b = t->b;
    if (*t->nev == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        ow_case_event_ref *grown = ow_alloc(cx->arena, t->cap * sizeof *grown);
        if (*t->nev) memcpy(grown, *t->ev, *t->nev * sizeof *grown);
        *t->ev = grown;
    }
    ow_case_event_ref *e = &(*t->ev)[(*t->nev)++];
    const char *action = r->action, *to = r->to_state, *detail = r->detail;
    e->at = r->at;
    e->action = ow_strdup(cx->arena, action);
    e->actor_name = ow_strdup(cx->arena, r->actor_name);
    e->actor_role = ow_strdup(cx->arena, r->actor_role);
    e->actor_org = ow_strdup(cx->arena, r->actor_org);
    /* the steps need two members of the detail; the text itself goes out as stored */
    json_t *d = *detail == '{' ? json_loads(detail, 0, NULL) : NULL;
    e->step_seq = (int)json_integer_value(json_object_get(json_object_get(d, "step"), "seq"));
    e->next_step = json_object_get(d, "next_step") != NULL;
    if (d && !strcmp(action, "supplement")) {
        json_decref(*t->notice);
        json_object_set_new(d, "at", time_json(e->at));
        *t->notice = json_incref(d);
    }
    json_decref(d);

    if (*t->nev > 1) ow_buf_putc(b, ',');
    LIT("{\"seq\":");
    ow_json_put_int(b, r->seq);
    LIT(",\"at\":");
    put_time(b, e->at);
    LIT(",\"action\":");
    ow_json_put_str(b, action);
    LIT(",\"action_name\":");
    ow_json_put_str(b, ow_case_action_name(action));
    LIT(",\"state\":");
    ow_json_put_str(b, to);
    LIT(",\"state_name\":");
    ow_json_put_str(b, ow_case_state_name(to));
    LIT(",\"actor\":{\"name\":");
    ow_json_put_str(b, e->actor_name);
    LIT(",\"role\":");
    ow_json_put_str(b, e->actor_role);
    LIT(",\"org\":");
    ow_json_put_str(b, e->actor_org);
    LIT("},\"from_state\":");
    ow_json_put_str(b, r->from_state);
    LIT(",\"comment\":");
    ow_json_put_str(b, r->comment);
    LIT(",\"detail\":");
    put_stored_json(b, detail, '{', "{}");
    ow_buf_putc(b, '}');
    return OW_OK;
}

static int timeline_text(ow_ctx *cx, int64_t id, ow_buf *b, ow_case_event_ref **ev, size_t *nev,
                         json_t **notice) {
    *ev = NULL;
    *nev = 0;
    *notice = NULL;
    timeline_acc t = {.cx = cx, .b = b, .ev = ev, .nev = nev, .notice = notice};
    ow_buf_putc(b, '[');
    int rc = ow_cases_store_each_event(cx->db, id, timeline_event, &t, &cx->err);
    if (rc) {
        json_decref(*notice);
        *notice = NULL;
        return rc;
    }
    ow_buf_putc(b, ']');
    return OW_OK;
}

/* One case as the workbench and the applicant see it, written as JSON text (core/json.h
 * says why: the full view with its timeline, steps and actions is every submit's and
 * every transition's answer, and building it in jansson was most of their request
 * threads' time).  Members: the list row's (summary_text), with the applicant's
 * contact and the deadline's days used, left and pauses, then title, materials,
 * accepted_date, deemed_accepted, decided_date, concluded_at, delivery,
 * supplement_notice, steps, timeline, actions. */
int ow_cases_get_text(ow_ctx *cx, int64_t id, ow_buf *b) {
    ow_case_row c;
    int rc = ow_case_load(cx, id, &c);
    if (rc) return rc;
    bool ok;
    if ((rc = ow_case_may_view(cx, &c, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    /* the history first, in its own buffer: the steps and the open notice come from it */
    ow_buf tl;
    ow_buf_init(&tl, cx->arena, 2048);
    ow_case_event_ref *ev;
    size_t nev;
    json_t *notice;
    if ((rc = timeline_text(cx, c.id, &tl, &ev, &nev, &notice))) return rc;

    org_cache oc = {0};
    summary_text(b, cx, &oc, &c, ow_case_today(cx), true);
    LIT(",\"title\":");
    ow_json_put_str(b, c.title);
    LIT(",\"materials\":");
    put_stored_json(b, c.materials, '[', "[]");
    LIT(",\"accepted_date\":");
    ow_json_put_date(b, c.accepted_date);
    LIT(",\"deemed_accepted\":");
    ow_json_put_bool(b, c.deemed_accepted);
    LIT(",\"decided_date\":");
    ow_json_put_date(b, c.decided_date);
    LIT(",\"concluded_at\":");
    put_time(b, c.concluded_at);
    LIT(",\"delivery\":");
    if (c.delivery_method[0]) {
        LIT("{\"method\":");
        ow_json_put_str(b, c.delivery_method);
        LIT(",\"tracking_no\":");
        ow_json_put_str(b, c.tracking_no);
        ow_buf_putc(b, '}');
    } else {
        LIT("null");
    }
    /* the open 补正 notice: {at, notice (its number, 1 before notices were numbered),
     * materials} */
    LIT(",\"supplement_notice\":");
    if (!strcmp(c.state, "supplement") && notice) {
        json_t *no = json_object_get(notice, "notice");
        LIT("{\"at\":");
        ow_json_put_value(b, json_object_get(notice, "at"));
        LIT(",\"notice\":");
        if (no)
            ow_json_put_value(b, no);
        else
            LIT("1");
        LIT(",\"materials\":");
        ow_json_put_value(b, json_object_get(notice, "materials"));
        ow_buf_putc(b, '}');
    } else {
        LIT("null");
    }
    json_decref(notice);
    LIT(",\"steps\":");
    if ((rc = ow_case_steps_text(cx, &c, ev, nev, b))) return rc;
    LIT(",\"timeline\":");
    ow_buf_append(b, tl.data, tl.len);
    LIT(",\"actions\":");
    if ((rc = ow_case_actions_text(cx, &c, b))) return rc;
    /* joint review, commitment, owed materials (issue 22, cases_modes.c) */
    LIT(",\"modes\":");
    if ((rc = ow_case_modes_text(cx, &c, b))) return rc;
    ow_buf_putc(b, '}');
    return OW_OK;
}

#undef LIT

int ow_cases_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_buf b;
    ow_buf_init(&b, cx->arena, 8192);
    int rc = ow_cases_get_text(cx, id, &b);
    if (rc) return rc;
    json_error_t je;
    *out = json_loadb(b.data, b.len, 0, &je);
    if (!*out) return ow_err_set(&cx->err, OW_EINTERNAL, "", "办件内容有误：%s", je.text);
    return OW_OK;
}

int ow_cases_guide_json(ow_ctx *cx, const json_t *case_json, json_t **out) {
    const json_t *item = json_object_get(case_json, "item");
    json_int_t id = json_integer_value(json_object_get(item, "id"));
    json_int_t version = json_integer_value(json_object_get(item, "version"));
    if (id <= 0 || version <= 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "item_id", "事项不存在");
    return ow_catalog_guide_shared(cx, id, (int)version, out);
}

/* The public lookup's timeline: no actors, comments or details. */
static int timeline_public_event(void *arg, const ow_case_event_row *r) {
    json_array_append_new(arg, json_pack("{s:i,s:o,s:s,s:s,s:s,s:s,s:s}", "seq", r->seq, "at",
                                         time_json(r->at), "action", r->action, "action_name",
                                         ow_case_action_name(r->action), "state", r->to_state,
                                         "state_name", ow_case_state_name(r->to_state), "org",
                                         r->actor_org));
    return OW_OK;
}

static int timeline_public_json(ow_ctx *cx, int64_t id, json_t **out) {
    json_t *arr = json_array();
    int rc = ow_cases_store_each_event(cx->db, id, timeline_public_event, arr, &cx->err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return OW_OK;
}

/* ---------------- queues ---------------- */

typedef struct list_acc {
    ow_ctx *cx;
    json_t *arr;
    ow_buf *text;
    int32_t today;
    org_cache oc;
    size_t rows;
} list_acc;

static int list_one(void *arg, const ow_case_row *c) {
    list_acc *l = arg;
    if (!l->text) {
        json_array_append_new(l->arr, summary_json(l->cx, &l->oc, c));
        return OW_OK;
    }
    if (l->rows++) ow_buf_putc(l->text, ',');
    summary_text(l->text, l->cx, &l->oc, c, l->today, false);
    return OW_OK;
}

static bool in_list(const char *s, const char *const *list) {
    for (; *list; list++)
        if (!strcmp(*list, s)) return true;
    return false;
}

static const char *const ALL_STATES[] = {"submitted", "supplement", "review",  "suspended",
                                         "approved",  "denied",     "refused", "concluded",
                                         "withdrawn", NULL};

/* The page's rows into arr (jansson) or, when text is given, as a JSON array into text. */
static int list_cases(ow_ctx *cx, const ow_case_query *q, json_t *arr, ow_buf *text,
                      int64_t *total) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    const char *queue = q->queue && *q->queue ? q->queue : "mine";
    const char *role = cx->actor.role;
    ow_case_queue_kind kind = OW_CASE_Q_ALL;
    int64_t scope = 0;
    const char *states[4] = {NULL, NULL, NULL, NULL}; /* the queue's own states */
    int rc;
    if (!strcmp(queue, "intake") && !strcmp(role, "clerk")) {
        kind = OW_CASE_Q_SCOPE;
        states[0] = "submitted", states[1] = "supplement";
    } else if (!strcmp(queue, "intake") && !strcmp(role, "agent")) {
        kind = OW_CASE_Q_POINT; /* the point's filings in every state */
        scope = cx->actor.org_id;
    } else if (!strcmp(queue, "delivery") && !strcmp(role, "clerk")) {
        kind = OW_CASE_Q_SCOPE;
        states[0] = "approved";
    } else if (!strcmp(queue, "review") && !strcmp(role, "approver")) {
        kind = OW_CASE_Q_DEPT;
        scope = cx->actor.org_id;
        states[0] = "review", states[1] = "suspended";
    } else if (!strcmp(queue, "mine") &&
               (!strcmp(role, "citizen") || !strcmp(role, "enterprise"))) {
        kind = OW_CASE_Q_MINE;
        scope = cx->actor.user_id;
    } else if (!strcmp(queue, "all") &&
               (cx->actor.system || !strcmp(role, "supervisor") || !strcmp(role, "admin"))) {
        kind = OW_CASE_Q_ALL;
    } else if (!in_list(queue, (const char *const[]){"intake", "review", "delivery", "mine", "all",
                                                     NULL})) {
        return ow_err_set(
            &cx->err, OW_EINVAL, "queue",
            "队列应为 intake（受理）、review（审批）、delivery（出件）、mine（我的办件）或 "
            "all（全部）");
    } else {
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "queue", "您的岗位不能查看该办件队列");
    }
    if (kind == OW_CASE_Q_SCOPE && (rc = ow_case_scope_of(cx, cx->actor.org_id, &scope))) return rc;
    if (q->state && *q->state) {
        bool allowed = states[0] ? in_list(q->state, states) : in_list(q->state, ALL_STATES);
        if (!allowed)
            return ow_err_set(&cx->err, OW_EINVAL, "state", "该队列中没有“%s”状态的办件",
                              ow_case_state_name(q->state)[0] ? ow_case_state_name(q->state)
                                                              : q->state);
    }
    int32_t lo = OW_DATE_NONE, hi = OW_DATE_NONE, today = ow_case_today(cx);
    if (q->deadline && *q->deadline) {
        if (!strcmp(q->deadline, "overdue")) {
            hi = today - 1;
        } else if (!strcmp(q->deadline, "due_soon")) {
            lo = today;
            ow_err e = {0};
            if (ow_cal_add_workdays(cx->app->calendar, today, OW_CASE_DUE_SOON_DAYS, &hi, &e))
                hi = today + OW_CASE_DUE_SOON_DAYS;
        } else {
            return ow_err_set(&cx->err, OW_EINVAL, "deadline",
                              "期限筛选应为 overdue（已超期）或 due_soon（即将到期）");
        }
    }
    if (q->channel && *q->channel && !ow_case_channel_name(q->channel)[0])
        return ow_err_set(&cx->err, OW_EINVAL, "channel",
                          "受理渠道应为 online、window、township 或 agent");
    ow_case_queue_filter f = {.kind = kind,
                              .owner = scope,
                              .queue = queue,
                              .state = q->state && *q->state ? q->state : NULL,
                              .item_id = q->item_id,
                              .channel = q->channel && *q->channel ? q->channel : NULL,
                              .q = q->q && *q->q ? q->q : NULL,
                              .due_from = lo,
                              .due_to = hi};
    bool filtered =
        f.state || q->item_id > 0 || f.channel || f.q || lo != OW_DATE_NONE || hi != OW_DATE_NONE;
    if (!filtered && (kind == OW_CASE_Q_DEPT || kind == OW_CASE_Q_SCOPE))
        rc = ow_cases_store_queue_size(cx->db, kind == OW_CASE_Q_DEPT ? "dept" : "scope", scope,
                                       queue, total, &cx->err);
    else
        rc = ow_cases_store_queue_total(cx->db, cx->arena, &f, total, &cx->err);
    if (rc) return rc;
    list_acc acc = {.cx = cx, .arr = arr, .text = text, .today = today};
    if (text) ow_buf_putc(text, '[');
    if ((rc = ow_cases_store_queue_page(cx->db, cx->arena, &f, q->per_page,
                                        (int64_t)(q->page - 1) * q->per_page, list_one, &acc,
                                        &cx->err)))
        return rc;
    if (text) ow_buf_putc(text, ']');
    return OW_OK;
}

/* list_cases in one read transaction: the total, the rows and their org names come from
 * one snapshot, and the WAL read lock is taken once instead of once per statement.  Each
 * take locks a mutex shared by every connection to the file and makes two fcntl calls; at
 * 64 connections the request threads queued on it (futex waits in the profile). */
typedef struct list_call {
    ow_ctx *cx;
    const ow_case_query *q;
    json_t *arr;
    ow_buf *text;
    int64_t *total;
} list_call;

static int list_call_run(void *arg) {
    list_call *l = arg;
    return list_cases(l->cx, l->q, l->arr, l->text, l->total);
}

static int list_cases_snapshot(ow_ctx *cx, const ow_case_query *q, json_t *arr, ow_buf *text,
                               int64_t *total) {
    list_call l = {.cx = cx, .q = q, .arr = arr, .text = text, .total = total};
    return ow_rows_snapshot(cx->db, list_call_run, &l, &cx->err);
}

int ow_cases_list_json(ow_ctx *cx, const ow_case_query *q, json_t **items, int64_t *total) {
    json_t *arr = json_array();
    int rc = list_cases_snapshot(cx, q, arr, NULL, total);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *items = arr;
    return OW_OK;
}

int ow_cases_list_text(ow_ctx *cx, const ow_case_query *q, ow_buf *items, int64_t *total) {
    return list_cases_snapshot(cx, q, NULL, items, total);
}

/* ---------------- public tracking ---------------- */

int ow_cases_track_json(ow_ctx *cx, const char *case_no, const char *id_tail, json_t **out) {
    if (!case_no || !*case_no)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "case_no", "请填写办件编号");
    if (!id_tail || strlen(id_tail) != 6)
        return ow_err_set(&cx->err, OW_EINVAL, "id_tail",
                          "请填写身份证号码（或统一社会信用代码）的后 6 位");
    if (strlen(case_no) > 30)
        return ow_err_set(&cx->err, OW_EINVAL, "case_no", "办件编号格式不正确");
    ow_case_row c;
    int rc = ow_case_load_by_no(cx, case_no, &c);
    /* One answer for "no such case" and "wrong number": nothing to learn by guessing. */
    if (rc == OW_ENOTFOUND)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "case_no",
                          "未找到与办件编号和证件号码后 6 位相符的办件");
    if (rc) return rc;
    char *num = NULL;
    if (ow_pii_decrypt(&cx->app->keys, c.id_enc, "cases.id_number", &num))
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息解密失败");
    char tail[7];
    size_t n = strlen(num);
    snprintf(tail, sizeof tail, "%s", n >= 6 ? num + n - 6 : num);
    free(num);
    char want[7];
    for (int i = 0; i < 6; i++) {
        char ch = id_tail[i];
        want[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
    }
    want[6] = '\0';
    if (!ow_ct_equal(tail, want))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "case_no",
                          "未找到与办件编号和证件号码后 6 位相符的办件");
    char name[64];
    ow_mask_name(c.applicant_name, name, sizeof name);
    org_cache oc = {0};
    json_t *tl = NULL;
    if ((rc = timeline_public_json(cx, c.id, &tl))) return rc;
    *out = json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:s,s:s,s:o,s:o,s:o}", "case_no", c.case_no,
                     "item_name", c.item_name, "department", org_name_c(cx, &oc, c.dept_id),
                     "applicant", "name", name, "id_number", c.id_masked, "state", c.state,
                     "state_name", ow_case_state_name(c.state), "submitted_at",
                     time_json(c.submitted_at), "deadline", deadline_json(cx, &c), "timeline", tl);
    json_object_set_new(*out, "current_step", json_string(ow_case_step_label(&c)));
    return OW_OK;
}

/* ---------------- applicant profile for desk filings ---------------- */

int ow_cases_profile_json(ow_ctx *cx, const char *id_number, const char *uscc, json_t **out) {
    if (!cx->actor.system && strcmp(cx->actor.role, "clerk") && strcmp(cx->actor.role, "agent"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有窗口、便民服务中心和代办点工作人员可以调取申请人信息");
    bool has_id = id_number && *id_number, has_uscc = uscc && *uscc;
    if (has_id == has_uscc)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "id_number",
                           "请填写身份证号码或统一社会信用代码（二者填其一）");
    char norm[19];
    int rc;
    int32_t today = ow_case_today(cx);
    int y, m, d;
    ow_date_ymd(today, &y, &m, &d);
    if (has_id)
        rc = ow_id_number_check(id_number, norm, y * 10000 + m * 100 + d, &cx->err);
    else
        rc = ow_uscc_check(uscc, norm, &cx->err);
    if (rc) return rc;
    char idx[65], masked[19];
    ow_blind_index(&cx->app->keys, has_id ? "id_number" : "uscc", norm, idx);
    if (has_id)
        ow_mask_id_number(norm, masked);
    else
        snprintf(masked, sizeof masked, "%s", norm);
    ow_case_applicant_last last;
    bool found;
    if ((rc = ow_cases_store_applicant_last(cx->db, cx->arena, idx, &last, &found, &cx->err)))
        return rc;
    json_t *o = json_pack("{s:s,s:s,s:b}", "kind", has_id ? "person" : "enterprise", "id_number",
                          masked, "found", found);
    if (found) {
        char *mob = NULL;
        if (last.mobile_enc &&
            ow_pii_decrypt(&cx->app->keys, last.mobile_enc, "cases.mobile", &mob)) {
            json_decref(o);
            return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息解密失败");
        }
        json_object_set_new(o, "name", json_string(last.name));
        json_object_set_new(o, "mobile", json_string(mob ? mob : ""));
        json_object_set_new(o, "address", json_string(last.address));
        json_object_set_new(o, "last_case_no", json_string(last.case_no));
        free(mob);
    }
    ow_login_target t;
    if ((rc = ow_account_find_login(cx, norm, &t))) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "has_account", json_boolean(t.user_id != 0));
    json_t *detail = json_pack("{s:b,s:s}", "found", json_is_true(json_object_get(o, "found")),
                               "fields", "name,mobile,address");
    rc = ow_audit_append(cx, "case.applicant_profile_view", "applicant", masked, detail);
    json_decref(detail);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return OW_OK;
}
