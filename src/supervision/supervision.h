/* supervision.h — 电子监察 (issue 8): the deadline lights of open cases, per case and
 * aggregated per department, window and township; workbench alerts; the daily
 * digest for each department; supervision notices (督办) with reply deadlines;
 * and the periodic sweep that raises overdue complaints and writes the digests.
 *
 * Also the few helpers the ratings, complaints and statistics modules share for
 * "who oversees what": the staff scope and working-day deadlines. */
#ifndef OW_SUPERVISION_SUPERVISION_H
#define OW_SUPERVISION_SUPERVISION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

/* ---- shared helpers ---- */

/* Today's Shanghai business date by cx's clock. */
int32_t ow_sup_today(const ow_ctx *cx);
/* n working days after from, with the app's legal calendar; a calendar not loaded or a
 * year missing is an error on field (never a weekdays-only guess). */
int ow_sup_add_workdays(ow_ctx *cx, int32_t from, int n, const char *field, int32_t *due);
/* Working days in (from, to]. */
int ow_sup_count_workdays(ow_ctx *cx, int32_t from, int32_t to, int *n);
/* Supervisors, administrators and the system see every office. */
bool ow_sup_sees_all(const ow_actor *a);
/* The office whose work the actor may see: 0 for all (supervisor, admin), the actor's
 * own organisation for other staff (its windows or agent points included);
 * OW_EFORBIDDEN for citizens and the anonymous. */
int ow_sup_scope(ow_ctx *cx, int64_t *org_id);
/* Is org_id inside the actor's scope? */
int ow_sup_in_scope(ow_ctx *cx, int64_t org_id, bool *ok);
/* An active organisation by its code (windows for the kiosk). */
int ow_sup_org_by_code(ow_ctx *cx, const char *code, int64_t *id, char kind[16], char name[128]);
/* An organisation's name, "" when there is none. */
const char *ow_sup_org_name(ow_ctx *cx, int64_t id);
/* An instant (UTC ms) as ISO 8601 text, or null when the column was NULL. */
json_t *ow_sup_time_json(int64_t ms, bool null);

/* ---- lights ---- */

typedef enum { OW_LIGHT_GREEN = 0, OW_LIGHT_YELLOW = 1, OW_LIGHT_RED = 2 } ow_light;

typedef struct ow_light_rule {
    int warn_days;    /* yellow when this many working days or fewer are left */
    int warn_percent; /* yellow once this share of the period is used */
} ow_light_rule;

/* The light of a deadline: start is the day the period runs from (not counted), due
 * its last day, today the day of the reading.  Red after due; yellow when at most
 * warn_days working days are left after today or warn_percent of the working days in
 * (start, due] are used; green otherwise.  due OW_DATE_NONE (clock stopped): green.
 * *left receives working days left (negative: days overdue). */
int ow_light_of(ow_ctx *cx, const ow_light_rule *rule, int32_t start, int32_t due, int32_t today,
                ow_light *light, int *left);
const char *ow_light_name(ow_light l); /* green, yellow, red */

/* Lights of the open cases in the actor's scope: {"totals":{green,yellow,red},
 * "by_department":[…], "by_window":[…], "by_township":[…], "cases":[…red and yellow…]}. */
int ow_supervision_lights_json(ow_ctx *cx, json_t **out);
/* Green, yellow and red counts of the open cases of an office (0: all). */
int ow_supervision_light_counts(ow_ctx *cx, int64_t scope, int counts[3]);
/* Workbench alerts for the signed-in staff member. */
int ow_supervision_alerts_json(ow_ctx *cx, json_t **out);

/* ---- supervision notices (督办), notices.c ---- */

/* A supervisor issues a notice on an open case to its department; reply_days 0: the
 * configured notice_reply_days. */
int ow_notice_issue(ow_ctx *cx, int64_t case_id, const char *content, int reply_days, int64_t *id);

typedef struct ow_notice_in {
    const char *action; /* reply (the department), follow_up, close (supervisors) */
    const char *note;   /* the reply, the follow-up's demand, the closing remark */
    int reply_days;     /* follow_up: working days for the new reply (0: default) */
} ow_notice_in;
/* The one transition function of a notice (notices.c opens with its table). */
int ow_notice_transition(ow_ctx *cx, int64_t id, const ow_notice_in *in);
/* The department replies: ow_notice_transition with action reply. */
int ow_notice_reply(ow_ctx *cx, int64_t id, const char *reply);

typedef struct ow_notice_query {
    const char *state; /* open, overdue (open past its deadline), replied, closed, active, NULL */
    int64_t case_id;   /* 0: any */
    int64_t org_id;    /* 0: the actor's scope; supervisors may pick a department */
    int page, per_page;
} ow_notice_query;
/* Notices in the actor's scope, the most urgent first (open by reply deadline). */
int ow_notice_list_json(ow_ctx *cx, const ow_notice_query *q, json_t **items, int64_t *total);
/* One notice with its events (issue, replies, follow-ups, closing). */
int ow_notice_get_json(ow_ctx *cx, int64_t id, json_t **out);
const char *ow_notice_state_name(const char *state); /* 待回复, 已回复, 已办结 */

/* Who hears of a notice issued (notifications, issue 20: the department's staff are told),
 * without this module calling up into them; in the issuing transaction. */
typedef struct ow_notice_issued {
    int64_t notice_id, case_id, org_id;
    const char *case_no, *item_name, *content;
    int32_t reply_due; /* day number */
} ow_notice_issued;
typedef struct ow_notice_follower {
    int (*issued)(ow_ctx *cx, const ow_notice_issued *n);
} ow_notice_follower;
/* Register f (static storage) with app; registering the same one again does nothing. */
void ow_notice_follow(ow_app *app, const ow_notice_follower *f);

/* ---- the sweep ---- */

typedef struct ow_sweep_report {
    int complaints_escalated;
    int digests_written;
} ow_sweep_report;

/* What the sweep does for other modules (escalating complaints past their answer
 * deadline): they follow it — app/app.c registers them at start-up — instead of the
 * supervision module calling up into them (docs/architecture.md "Modules").  Each runs in
 * the sweep's transaction and counts what it did; key names the count
 * ("complaints_escalated" fills the report's field). */
typedef struct ow_sweep_follower {
    const char *key;
    int (*sweep)(ow_ctx *cx, int *n);
} ow_sweep_follower;
/* Register f (static storage) with app; registering the same one again does nothing. */
void ow_supervision_follow(ow_app *app, const ow_sweep_follower *f);

/* Raise overdue complaints and write today's digests (once a day per department).
 * Runs on the writer: the server's ticker calls it every minute, supervisors can run
 * it at once (POST /api/v1/supervision/sweep). */
int ow_supervision_sweep(ow_ctx *cx, ow_sweep_report *r);
/* The ticker thread: runs the sweep on the writer now and then every period_s
 * seconds until stopped (serve starts it after the writer, stops it before). */
int ow_supervision_ticker_start(ow_app *app, int period_s, ow_err *e);
void ow_supervision_ticker_stop(ow_app *app);
/* The daily digest of an office: the actor's own office, or org_id for supervisors
 * (0: the whole center, today only).  day OW_DATE_NONE: today as it stands now, made
 * on the spot ("live": true); a given day: the digest the sweep stored that morning,
 * or for today when none is stored yet, one made now.  OW_ENOTFOUND for a past day
 * without a digest (digests are made for departments with open cases). */
int ow_supervision_digest_json(ow_ctx *cx, int64_t org_id, int32_t day, json_t **out);

#endif
