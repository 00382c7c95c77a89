/* hall.h — the hall (办事大厅, issue 18): appointments (预约), queue tickets (取号), calling
 * at the windows (叫号), the hall's display, the window's day and its figures, and
 * assisted applications (帮办代办).  The rules are in docs/service-rules.md "The hall".
 *
 * A hall is the district centre or a township centre (an organisation of kind center or
 * township).  Its windows are the centre's windows, or the township centre itself, and
 * they are grouped into window groups (业务类别): a group has a letter (its tickets are
 * A001, A002 … each day), the windows that call its tickets, the departments whose items
 * it takes, and how many appointments each half hour of the opening hours (hall_hours)
 * takes.  An item goes to the group of the window its guide names, else of its
 * department, else to the hall's default group.
 *
 *   appointment  booked ──check in──▶ checked_in (a ticket, priority 1)
 *                  │ cancel (until the cut-off) ─▶ cancelled
 *                  │ move (until the cut-off: another working day or half hour)
 *                  └ not checked in by the end of its check-in window ─▶ no_show
 *                    (noshow_limit no-shows in noshow_window_days block online booking
 *                    for noshow_block_days; an administrator may lift the block)
 *   ticket       waiting ─call─▶ called ─serve─▶ serving ─done─▶ done
 *                  │ cancel         │ recall (again on the display)
 *                  ▼                ├ no_show (过号) ─requeue─▶ waiting (at the back)
 *                cancelled          └ transfer (also from serving) ─▶ waiting, first in
 *                                     line at the other window or group
 *                waiting or called when the day ends ─▶ expired
 *
 * Queue order at a window: tickets transferred to it (priority 3), 绿色通道 (2), checked-in
 * appointments (1), the others (0); within a priority, by the time they joined the queue.
 * Serving a ticket opens the window service the evaluator at the window rates (好差评), so
 * a ticket ties together its waiting time, its service time, the case filed from it and
 * its rating: one visit, one record.
 *
 * Every state change writes its audit row in the caller's transaction.  Functions check
 * cx->actor themselves; the ticket machine (kiosk) is no actor and presents its hall's
 * key instead.  Times come from cx->clock, days from the legal calendar. */
#ifndef OW_HALL_HALL_H
#define OW_HALL_HALL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_HALL_SLOT_MIN 30    /* appointments are per half hour */
#define OW_HALL_SESSIONS_MAX 4 /* sessions of the opening hours in one day */
#define OW_HALL_GROUP_WINDOWS_MAX 64
#define OW_HALL_GROUP_DEPTS_MAX 64
#define OW_HALL_NOTE_MAX_CHARS 200
#define OW_HALL_KIOSK_KEY_CHARS 43 /* base64url of 32 random bytes */
#define OW_HALL_TOKEN_CHARS 24     /* the ticket's and the assist record's link codes */
#define OW_HALL_ASSIST_MINUTES_MAX 480

/* ---- opening hours and set-up ---- */

/* The opening hours as minutes of the day: sessions [start, end). */
typedef struct ow_hall_hours {
    int n;
    int start[OW_HALL_SESSIONS_MAX], end[OW_HALL_SESSIONS_MAX];
} ow_hall_hours;

/* "08:30-12:00,14:30-17:30": up to four sessions in order, on whole or half hours, none
 * empty or overlapping.  OW_EINVAL naming field hall_hours otherwise. */
int ow_hall_hours_parse(const char *s, ow_hall_hours *out, ow_err *e);
/* Check the hall's settings and register what follows other modules: the calendar
 * (appointments on a day that stops being a working day are cancelled) and the
 * supervision sweep (no-shows, booking blocks, the end of the day).  Once, after
 * ow_app_init (src/main.c). */
int ow_hall_setup(ow_app *app, ow_err *e);

/* ---- halls and their window groups ---- */

/* Public: every hall with its groups, hours and whether it takes tickets now. */
int ow_hall_sites_json(ow_ctx *cx, json_t **out);
/* Public: one hall now — its groups with the people waiting, the windows open and the
 * estimated wait of a ticket taken now; whether tickets are issued and why not. */
int ow_hall_site_json(ow_ctx *cx, const char *code, json_t **out);

typedef struct ow_hall_group_in {
    const char *letter, *name, *note;
    int slot_capacity, service_min, sort;
    bool is_default, active;
    const int64_t *windows; /* windows of this hall */
    int nwindows;
    const int64_t *depts; /* departments whose items it takes */
    int ndepts;
} ow_hall_group_in;

/* Administrators: the hall's groups with their windows and departments, every window of
 * the hall, and whether its ticket machines have a key.  Supervisors may read it. */
int ow_hall_settings_json(ow_ctx *cx, const char *code, json_t **out);
/* Administrators: a new group (id 0) or a changed one. */
int ow_hall_group_save(ow_ctx *cx, const char *code, int64_t id, const ow_hall_group_in *in,
                       int64_t *out_id);
/* Administrators: a new key for the hall's ticket machines (the old one stops working);
 * key is shown once, only its hash is kept. */
int ow_hall_kiosk_key_new(ow_ctx *cx, const char *code, char key[OW_HALL_KIOSK_KEY_CHARS + 1]);

/* ---- appointments ---- */

/* Public: the bookable half hours of the next booking_workdays working days for an item
 * (or a group) at a hall, with the places left in each. */
int ow_hall_slots_json(ow_ctx *cx, const char *code, int64_t item_id, int64_t group_id,
                       json_t **out);

typedef struct ow_hall_book_in {
    const char *site; /* hall code */
    int64_t item_id;
    const char *day; /* YYYY-MM-DD */
    int slot;        /* minute of the day the half hour starts */
} ow_hall_book_in;

/* A signed-in person or enterprise books for themselves. */
int ow_hall_book(ow_ctx *cx, const ow_hall_book_in *in, int64_t *id);

typedef struct ow_hall_appt_act {
    const char *action; /* cancel, move */
    const char *day;    /* move */
    int slot;           /* move */
    const char *reason; /* cancel: required from staff */
} ow_hall_appt_act;

/* The holder cancels or moves until the cut-off; staff of the hall may cancel with a
 * reason at any time before it is checked in. */
int ow_hall_appointment_act(ow_ctx *cx, int64_t id, const ow_hall_appt_act *in);
int ow_hall_appointment_json(ow_ctx *cx, int64_t id, json_t **out);

typedef struct ow_hall_appt_query {
    const char *site; /* staff: a hall (default: their own) */
    const char *day;  /* staff: a day (default today) */
    const char *state;
    int page, per_page;
} ow_hall_appt_query;

/* Citizens and enterprises: their own, newest first.  Clerks: their hall's day;
 * supervisors and administrators: any hall's, by slot. */
int ow_hall_appointments_json(ow_ctx *cx, const ow_hall_appt_query *q, json_t **items,
                              int64_t *total);
/* A person's standing: a block in force (until when and why), recent no-shows, limits. */
int ow_hall_booking_status_json(ow_ctx *cx, json_t **out);
/* Supervisors and administrators: booking blocks (in force only when active). */
int ow_hall_blocks_json(ow_ctx *cx, bool active, int page, int per_page, json_t **items,
                        int64_t *total);
/* Administrators: lift a block with a reason. */
int ow_hall_block_lift(ow_ctx *cx, int64_t id, const char *reason);

/* The supervision sweep's part (once a minute): appointments past their check-in window
 * become no-shows and may block booking; tickets a past day left waiting expire, its
 * windows close and their pauses end at closing time.  *n: what changed. */
int ow_hall_sweep(ow_ctx *cx, int *n);
/* The appointments still booked on day (YYYY-MM-DD), for the reminder the day before
 * (src/notify follows the sweep and calls this, so no arrow points from the hall up). */
typedef struct ow_hall_booked {
    int64_t id, user_id;
    const char *code, *day, *item_name, *site_name;
    int slot; /* minutes after midnight */
} ow_hall_booked;
int ow_hall_each_booked_on(ow_ctx *cx, const char *day,
                           int (*fn)(void *arg, const ow_hall_booked *b), void *arg);
/* The calendar changed: booked appointments on days that are no longer working days are
 * cancelled (the holder sees why).  *n: how many. */
int ow_hall_calendar_changed(ow_ctx *cx, int64_t *n);

/* ---- tickets ---- */

typedef struct ow_hall_take_in {
    const char *site;       /* hall code */
    const char *via;        /* kiosk (key needed), phone (signed-in person), staff (clerk) */
    const char *kiosk_key;  /* via kiosk */
    int64_t group_id;       /* the group, unless an appointment is checked in */
    bool green;             /* 绿色通道: elderly, disabled, pregnant, servicemen */
    const char *appt_code;  /* check in by the appointment's code (kiosk, staff) */
    const char *id_number;  /* … or by the holder's ID number or USCC (kiosk, staff) */
    int64_t appointment_id; /* … or the signed-in holder's own appointment (phone) */
} ow_hall_take_in;

/* Take a ticket, or check an appointment in (which takes its ticket). */
int ow_hall_take(ow_ctx *cx, const ow_hall_take_in *in, int64_t *ticket_id);
/* The code that lets whoever holds the printed ticket follow it on a phone. */
void ow_hall_ticket_token(const ow_ctx *cx, int64_t id, char out[OW_HALL_TOKEN_CHARS + 1]);
/* A ticket as its holder sees it: state, people ahead, estimated wait, the window it is
 * called to.  token NULL: the signed-in holder, or staff of the hall. */
int ow_hall_ticket_json(ow_ctx *cx, int64_t id, const char *token, json_t **out);
/* The holder gives up a ticket still waiting (or staff of the hall for them). */
int ow_hall_ticket_cancel(ow_ctx *cx, int64_t id, const char *token);
/* The signed-in person's tickets of today. */
int ow_hall_my_tickets_json(ow_ctx *cx, json_t **out);

/* ---- the window (叫号) ---- */

/* The clerk's window now: its state, the ticket in hand, the queues it calls from, the
 * day so far, the other windows and groups to transfer to. */
int ow_hall_counter_json(ow_ctx *cx, json_t **out);
/* open, pause (reason: break, meeting, system, business, other — other needs a note),
 * resume, close. */
int ow_hall_window_set(ow_ctx *cx, const char *action, const char *reason, const char *note);
/* Call the next ticket; OW_ECONFLICT queue_empty when nobody waits. */
int ow_hall_call_next(ow_ctx *cx, int64_t *ticket_id);

typedef struct ow_hall_ticket_act {
    const char *action; /* recall, no_show, serve, done, transfer, requeue */
    int64_t window_id;  /* transfer to a window … */
    int64_t group_id;   /* … or to a group */
    const char *note;
} ow_hall_ticket_act_in;

int ow_hall_ticket_act(ow_ctx *cx, int64_t id, const ow_hall_ticket_act_in *in);
/* The case filed from the ticket (by id, or by its number). */
int ow_hall_ticket_link_case(ow_ctx *cx, int64_t id, int64_t case_id, const char *case_no);
/* The whole visit for staff: the ticket, its calls, its timeline, case and rating. */
int ow_hall_visit_json(ow_ctx *cx, int64_t id, json_t **out);

/* ---- live ---- */

/* The event channel of a hall ("hall/C00"). */
void ow_hall_channel(const char *code, char out[48]);
/* Public: what the hall's display shows — each window with the number at it, the
 * latest calls, the people waiting per group and the longest wait. */
int ow_hall_board_json(ow_ctx *cx, const char *code, json_t **out);
/* A call or recall (the ticket's step step_id) as the display announces it: its id (the
 * live event's, the same on every node), number, window and the sentence it speaks
 * ("请A001号到综合受理一号窗口办理"); *code: the hall's code. */
int ow_hall_call_json(ow_ctx *cx, int64_t step_id, json_t **out, char code[32]);
/* The step of ticket_id's latest call or recall (0: never called). */
int ow_hall_last_call(ow_ctx *cx, int64_t ticket_id, int64_t *step_id);

/* Every node announces the calls made on the others: a thread reads the calls of the last
 * seconds of every hall someone follows on this node and publishes those its streams have
 * not had (their ids are the steps', so a call is announced once), and refreshes each
 * followed hall's board when it changed.  Started by `serve` after the event hub, stopped
 * before it closes. */
typedef struct ow_hall_live ow_hall_live;
int ow_hall_live_start(ow_app *app, ow_hall_live **out, ow_err *e);
void ow_hall_live_stop(ow_hall_live *l);
/* The hall of ticket id (for the event after a change). */
int ow_hall_ticket_site(ow_ctx *cx, int64_t id, char code[32]);
/* The hall of the actor's window (for the event after a window change). */
int ow_hall_actor_site(ow_ctx *cx, char code[32]);
/* Supervisors and administrators: every hall now — waiting, longest wait, windows open
 * and paused, served today. */
int ow_hall_overview_json(ow_ctx *cx, json_t **out);

/* ---- figures ---- */

typedef struct ow_hall_stats_query {
    int32_t from, to; /* Shanghai dates, both included */
    const char *by;   /* category, window, clerk, hour, day */
    const char *site; /* a hall's code; NULL: every hall (supervisors) */
} ow_hall_stats_query;

/* A statistics table (report/report.h's shape, so it exports the same): waiting and
 * service times, tickets, no-shows, abandonment, appointments' show-up rate, ratings
 * and paused time by category, window, clerk, hour of the day or day. */
int ow_hall_stats_json(ow_ctx *cx, const ow_hall_stats_query *q, json_t **out);

/* ---- 帮办代办 ---- */

typedef struct ow_hall_assist_in {
    const char *kind; /* help 帮办, agent 代办 */
    const char *applicant_name, *id_number, *mobile;
    int64_t item_id; /* or item_name for something not in the catalog */
    const char *item_name;
    int64_t case_id;     /* optional */
    const char *case_no; /* optional, instead of case_id */
    int64_t ticket_id;   /* optional: the visit it belongs to */
    int minutes;         /* time spent */
    const char *note;
} ow_hall_assist_in;

/* A clerk or an agent records an application they helped with. */
int ow_hall_assist_create(ow_ctx *cx, const ow_hall_assist_in *in, int64_t *id);
void ow_hall_assist_token(const ow_ctx *cx, int64_t id, char out[OW_HALL_TOKEN_CHARS + 1]);
/* Staff of the office (or above), the applicant signed in, or whoever has the token. */
int ow_hall_assist_json(ow_ctx *cx, int64_t id, const char *token, json_t **out);
/* confirm, dispute (note needed): the applicant (token or account); paper: the helper
 * records the applicant's signature on the paper form. */
int ow_hall_assist_act(ow_ctx *cx, int64_t id, const char *action, const char *token,
                       const char *note);

typedef struct ow_hall_assist_query {
    const char *from, *to, *state;
    int page, per_page;
} ow_hall_assist_query;
/* Staff: their office's (and the agent points under a township); supervisors: all;
 * citizens: the ones about them. */
int ow_hall_assists_json(ow_ctx *cx, const ow_hall_assist_query *q, json_t **items, int64_t *total);

/* ---- demo ---- */

/* The demo halls: the centre's groups over its 18 windows, one group per township
 * centre. */
int ow_hall_demo_seed(ow_ctx *cx);

#endif
