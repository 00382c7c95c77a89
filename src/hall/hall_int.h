/* hall_int.h — what the hall's own files share (docs/style.md "Files and names"): the
 * clock in the hall's terms, the hall and window of an actor, audit rows, estimates. */
#ifndef OW_HALL_HALL_INT_H
#define OW_HALL_HALL_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "hall/hall.h"
#include "store/hall_store.h"

/* Now, in the hall's terms. */
typedef struct hall_clock {
    int64_t ms;    /* UTC milliseconds */
    int32_t today; /* Shanghai date */
    char day[11];  /* the same as YYYY-MM-DD */
    int minute;    /* minute of the Shanghai day */
} hall_clock;

void hall_now(const ow_ctx *cx, hall_clock *c);
/* The instant minute m of Shanghai day d begins. */
int64_t hall_instant(int32_t d, int minute);
/* "08:30" */
void hall_hhmm(int minute, char out[6]);
/* The configured opening hours (checked at start-up by ow_hall_setup). */
int hall_hours(ow_ctx *cx, ow_hall_hours *h);
/* The session of the opening hours minute falls in, -1 between sessions. */
int hall_session_at(const ow_hall_hours *h, int minute);
/* Is slot the start of a bookable half hour? */
bool hall_slot_valid(const ow_hall_hours *h, int slot);

/* A hall by its code: an active center or township.  OW_ENOTFOUND naming field. */
int hall_site(ow_ctx *cx, const char *code, const char *field, ow_hall_org *site);
/* The hall an organisation belongs to: a window's centre, a township itself, the centre. */
int hall_site_of_org(ow_ctx *cx, int64_t org_id, ow_hall_org *site);
/* The clerk's window and its hall; OW_EFORBIDDEN for anybody who does not call tickets. */
int hall_actor_window(ow_ctx *cx, ow_hall_org *window, ow_hall_org *site);
/* The hall a member of staff reads: supervisors and administrators any (code, default
 * the centre), clerks only their own (a code naming another is OW_EFORBIDDEN). */
int hall_staff_site(ow_ctx *cx, const char *code, ow_hall_org *site);

bool hall_is_person(const ow_actor *a); /* a signed-in citizen or enterprise */
bool hall_sees_all(const ow_actor *a);  /* supervisor, admin, the system */
bool hall_is_clerk(const ow_actor *a);

/* An audit row for the hall; detail is stolen (may be NULL). */
int hall_audit(ow_ctx *cx, const char *action, const char *object_type, int64_t id, json_t *detail);
/* An instant as ISO 8601, or null for 0. */
json_t *hall_time_json(int64_t ms);
/* Whole minutes from a to b, rounded (0 when either is missing). */
int hall_minutes(int64_t a, int64_t b);
const char *hall_weekday_name(int32_t d); /* 周一 … 周日 */

/* Is today a working day on the legal calendar? */
int hall_workday(ow_ctx *cx, int32_t d, const char *field, bool *work, bool *provisional);
/* Whether the hall issues tickets now, and if not, why (a message for the person). */
typedef struct hall_open {
    bool workday, issuing;
    int session; /* now within this session, -1 if none */
    char why[160];
} hall_open;
int hall_open_now(ow_ctx *cx, const hall_clock *now, hall_open *out);

/* The people waiting and the windows open per group of a hall today. */
typedef struct hall_group_now {
    ow_hall_group g;
    int waiting, windows, windows_open;
    int64_t oldest; /* when the longest-waiting ticket joined, 0 if none */
} hall_group_now;
/* Up to max active groups of site in their order with today's counts; *n how many.  The
 * longest wait of every group (oldest_of NULL) or only of those listed (noldest of them). */
int hall_groups_now(ow_ctx *cx, int64_t site, const char *day, hall_group_now *out, int max, int *n,
                    const int64_t *oldest_of, int noldest);
/* Minutes a ticket with `ahead` people before it may wait in group: each of them takes
 * today's mean service time once three services ended (else the group's setting), shared
 * among the windows open (at least one).  Nobody ahead: 0. */
int hall_estimate(ow_ctx *cx, const ow_hall_group *g, const char *day, int ahead, int windows_open,
                  int *minutes);

/* The state of a ticket in Chinese (等候中, 已叫号 …). */
const char *hall_ticket_state_name(const char *state);
const char *hall_appt_state_name(const char *state);
const char *hall_pause_reason_name(const char *reason);

/* The group an item goes to at a hall, and the item's name (catalog: the published guide).
 * booking: the item must be one that is bookable there (docs/service-rules.md). */
int hall_item_group(ow_ctx *cx, const ow_hall_org *site, int64_t item_id, bool booking,
                    ow_hall_group *group, char *item_name, size_t name_size);
/* The queue's part of the sweep (hall_queue.c): tickets and windows a past day left. */
int hall_queue_sweep(ow_ctx *cx, const hall_clock *now, int *n);

#define HALL_GROUPS_MAX 26

#endif
