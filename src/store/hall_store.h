/* hall_store.h — the hall's tables behind typed functions (decision 0003; issue 18):
 * sites and window groups, appointments and booking blocks, queue tickets with their
 * calls and events, the windows at work and their pauses, assisted applications, and the
 * rows the figures are made from.  The rules are in src/hall/, which makes no statement
 * call itself; every statement here runs on SQLite and on PostgreSQL (docs/style.md
 * "SQL": `?N` placeholders, ON CONFLICT, RETURNING, 0/1 flags compared explicitly, no
 * date functions — days and minute bounds are computed in C and bound).
 *
 * Days are 'YYYY-MM-DD' text, slots the minute of the day their half hour starts,
 * instants UTC milliseconds; 0 for an instant or an id means "none" (NULL in the table).
 * Strings in the fixed-size structs are copies; strings handed to a callback are
 * borrowed for the call.  Besides its own tables the hall reads `orgs` (names, kinds and
 * the tree of a hall's windows, like most modules) and, for the per-clerk figures and
 * the one-visit record, `ratings` by service and staff (read only). */
#ifndef OW_STORE_HALL_STORE_H
#define OW_STORE_HALL_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* ---- organisations as the hall sees them ---- */

typedef struct ow_hall_org {
    int64_t id, parent_id;
    char code[32], kind[16], name[192], address[256];
    bool active;
} ow_hall_org;

/* OW_ENOTFOUND when there is no such organisation. */
int ow_hall_store_org(ow_db *db, int64_t id, ow_hall_org *out, ow_err *e);
int ow_hall_store_org_by_code(ow_db *db, const char *code, ow_hall_org *out, ow_err *e);
/* The windows of a hall: a center's active child windows in their order, or the
 * township centre itself.  fn's non-zero answer stops the walk and is returned. */
int ow_hall_store_each_site_window(ow_db *db, const ow_hall_org *site,
                                   int (*fn)(void *arg, const ow_hall_org *w), void *arg,
                                   ow_err *e);
/* Every hall that has at least one window group, in the organisations' order. */
int ow_hall_store_each_hall(ow_db *db, int (*fn)(void *arg, const ow_hall_org *site), void *arg,
                            ow_err *e);

/* ---- a hall's settings ---- */

/* The hash of the ticket machines' key, "" when none was issued. */
int ow_hall_store_kiosk_key(ow_db *db, int64_t site, char hash[65], int64_t *at, ow_err *e);
int ow_hall_store_set_kiosk_key(ow_db *db, int64_t site, const char *hash, int64_t at, ow_err *e);

/* ---- window groups ---- */

typedef struct ow_hall_group {
    int64_t id, site_id;
    char letter[2], name[96], note[512];
    int slot_capacity, service_min, sort;
    bool is_default, active;
} ow_hall_group;

int ow_hall_store_group(ow_db *db, int64_t id, ow_hall_group *out, ow_err *e);
/* The groups of a hall in their order (active ones only when active_only). */
int ow_hall_store_each_group(ow_db *db, int64_t site, bool active_only,
                             int (*fn)(void *arg, const ow_hall_group *g), void *arg, ow_err *e);
int ow_hall_store_group_insert(ow_db *db, const ow_hall_group *g, int64_t at, int64_t *id,
                               ow_err *e);
int ow_hall_store_group_update(ow_db *db, const ow_hall_group *g, int64_t at, ow_err *e);
/* Another group of the hall (not except) already uses letter. */
int ow_hall_store_letter_taken(ow_db *db, int64_t site, const char *letter, int64_t except,
                               bool *taken, ow_err *e);
/* Make every other group of the hall not the default. */
int ow_hall_store_clear_default(ow_db *db, int64_t site, int64_t except, ow_err *e);
/* Replace the windows / departments of a group. */
int ow_hall_store_set_group_windows(ow_db *db, int64_t group, const int64_t *ids, int n, ow_err *e);
int ow_hall_store_set_group_depts(ow_db *db, int64_t group, const int64_t *ids, int n, ow_err *e);
/* Every (group, window) and (group, department) pair of a hall, with the org's name. */
typedef int (*ow_hall_pair_fn)(void *arg, int64_t group, int64_t org, const char *code,
                               const char *name);
int ow_hall_store_each_group_window(ow_db *db, int64_t site, ow_hall_pair_fn fn, void *arg,
                                    ow_err *e);
int ow_hall_store_each_group_dept(ow_db *db, int64_t site, ow_hall_pair_fn fn, void *arg,
                                  ow_err *e);
/* Where an item goes: the active group of the hall that has the window (then the
 * department) named; *group 0 when none has it.  The hall's active default group. */
int ow_hall_store_group_of_window(ow_db *db, int64_t site, int64_t window, int64_t *group,
                                  ow_err *e);
int ow_hall_store_group_of_dept(ow_db *db, int64_t site, int64_t dept, int64_t *group, ow_err *e);
int ow_hall_store_default_group(ow_db *db, int64_t site, int64_t *group, ow_err *e);
/* Does window serve group (an active group)? */
int ow_hall_store_window_serves(ow_db *db, int64_t window, int64_t group, bool *yes, ow_err *e);
/* The active groups window serves, at most max, in the groups' order. */
int ow_hall_store_window_groups(ow_db *db, int64_t window, int64_t *ids, int max, int *n,
                                ow_err *e);

/* ---- appointments ---- */

typedef struct ow_hall_appt {
    int64_t id, site_id, group_id, item_id, user_id, cancelled_by, ticket_id;
    char code[8], day[11], state[16], holder_idx[65], item_name[256], name[128], cancel_reason[256];
    int slot, moves;
    int64_t created_at, updated_at;
} ow_hall_appt;

int ow_hall_store_appt(ow_db *db, int64_t id, ow_hall_appt *out, ow_err *e);
/* The appointment of a hall on day with that code (OW_ENOTFOUND when none). */
int ow_hall_store_appt_by_code(ow_db *db, int64_t site, const char *day, const char *code,
                               ow_hall_appt *out, ow_err *e);
/* The earliest still-booked appointment of a holder at a hall on day (*found). */
int ow_hall_store_appt_of_holder(ow_db *db, int64_t site, const char *day, const char *holder_idx,
                                 ow_hall_appt *out, bool *found, ow_err *e);
int ow_hall_store_code_taken(ow_db *db, int64_t site, const char *day, const char *code,
                             bool *taken, ow_err *e);
/* Appointments that hold a place in a slot (booked, checked in, no-show), except one. */
int ow_hall_store_slot_count(ow_db *db, int64_t group, const char *day, int slot, int64_t except,
                             int *n, ow_err *e);
/* The same per (day, slot) for every slot of group between two days. */
int ow_hall_store_each_slot_count(ow_db *db, int64_t group, const char *from, const char *to,
                                  int (*fn)(void *arg, const char *day, int slot, int n), void *arg,
                                  ow_err *e);
/* A person's appointments on day that count against the daily limit, except one. */
int ow_hall_store_user_day_count(ow_db *db, int64_t user, const char *day, int64_t except, int *n,
                                 ow_err *e);
int ow_hall_store_appt_insert(ow_db *db, const ow_hall_appt *a, int64_t *id, ow_err *e);
/* state with the reason and who (cancelled; no_show); at: the time of the change. */
int ow_hall_store_appt_state(ow_db *db, int64_t id, const char *state, const char *reason,
                             int64_t by, int64_t at, ow_err *e);
int ow_hall_store_appt_move(ow_db *db, int64_t id, const char *day, int slot, int64_t at,
                            ow_err *e);
int ow_hall_store_appt_checked_in(ow_db *db, int64_t id, int64_t ticket, int64_t at, ow_err *e);

/* A person's appointments (user_id, and site_id unless 0) or a hall's (site_id). */
typedef struct ow_hall_appt_filter {
    int64_t user_id, site_id;
    const char *day_from, *day_to, *state; /* NULL: any */
} ow_hall_appt_filter;
typedef int (*ow_hall_appt_fn)(void *arg, const ow_hall_appt *a);
int ow_hall_store_appt_count(ow_db *db, const ow_hall_appt_filter *f, int64_t *n, ow_err *e);
/* One page by day and slot (ascending), or newest day first when newest. */
int ow_hall_store_appt_page(ow_db *db, const ow_hall_appt_filter *f, bool newest, int limit,
                            int64_t offset, ow_hall_appt_fn fn, void *arg, ow_err *e);
/* Still-booked appointments past their check-in window: on a day before `day`, or on
 * `day` in a slot starting at or before last_slot. */
int ow_hall_store_each_missed(ow_db *db, const char *day, int last_slot, ow_hall_appt_fn fn,
                              void *arg, ow_err *e);
/* Still-booked appointments from day on (the calendar changed). */
int ow_hall_store_each_booked_from(ow_db *db, const char *day, ow_hall_appt_fn fn, void *arg,
                                   ow_err *e);
/* Still-booked appointments on day (the reminders the day before, src/notify). */
int ow_hall_store_each_booked_on(ow_db *db, const char *day, ow_hall_appt_fn fn, void *arg,
                                 ow_err *e);
/* No-shows of a person on days in [from, to] recorded after the instant after_ms. */
int ow_hall_store_noshow_count(ow_db *db, int64_t user, const char *from, const char *to,
                               int64_t after_ms, int *n, ow_err *e);

/* ---- booking blocks ---- */

typedef struct ow_hall_block {
    int64_t id, user_id, lifted_by;
    char from_day[11], until_day[11], lift_reason[256], user_name[128];
    int no_shows;
    int64_t created_at, lifted_at;
} ow_hall_block;

/* The block in force for user on day (not lifted, until_day >= day), *found. */
int ow_hall_store_block_active(ow_db *db, int64_t user, const char *day, ow_hall_block *out,
                               bool *found, ow_err *e);
/* The latest block of user, lifted or not (*found). */
int ow_hall_store_block_last(ow_db *db, int64_t user, ow_hall_block *out, bool *found, ow_err *e);
int ow_hall_store_block_get(ow_db *db, int64_t id, ow_hall_block *out, ow_err *e);
int ow_hall_store_block_insert(ow_db *db, const ow_hall_block *b, int64_t *id, ow_err *e);
int ow_hall_store_block_lift(ow_db *db, int64_t id, int64_t by, const char *reason, int64_t at,
                             ow_err *e);
/* Blocks in force on day (active_only) or all, newest first. */
int ow_hall_store_block_count(ow_db *db, const char *day, bool active_only, int64_t *n, ow_err *e);
int ow_hall_store_block_page(ow_db *db, const char *day, bool active_only, int limit,
                             int64_t offset, int (*fn)(void *arg, const ow_hall_block *b),
                             void *arg, ow_err *e);

/* ---- tickets ---- */

typedef struct ow_hall_ticket {
    int64_t id, site_id, group_id, user_id, appointment_id, target_window_id, window_id, clerk_id,
        service_id, case_id, call_id;
    char day[11], number[8], source[12], state[12], item_name[256], case_no[40];
    int seq, priority, calls, transfers;
    bool green;
    int64_t taken_at, queued_at, first_called_at, called_at, served_at, ended_at;
} ow_hall_ticket;

/* The next number of group on day for a ticket that joins its queue: the day's counter
 * moved on by one and one more waiting, in the caller's transaction (gapless: a
 * rolled-back ticket gives its number back). */
int ow_hall_store_next_seq(ow_db *db, int64_t group, const char *day, int *seq, ow_err *e);
int ow_hall_store_ticket_insert(ow_db *db, const ow_hall_ticket *t, int64_t *id, ow_err *e);
int ow_hall_store_ticket(ow_db *db, int64_t id, ow_hall_ticket *out, ow_err *e);
/* Write back every field that changes after the ticket is taken, and keep the day's
 * count of each group's line: was is the row as stored (a ticket leaving the line or
 * joining it, moving to another group's, or transferred to a window, which takes it out
 * of its group's line). */
int ow_hall_store_ticket_save(ow_db *db, const ow_hall_ticket *t, const ow_hall_ticket *was,
                              ow_err *e);
int ow_hall_store_ticket_event(ow_db *db, int64_t ticket, int64_t at, const char *action,
                               int64_t window, int64_t actor, const char *actor_name,
                               const char *note, ow_err *e);
/* One step of a ticket (the call a display announces is one). */
typedef struct ow_hall_ticket_step {
    int64_t id, ticket_id, at, window_id;
    char action[16];
} ow_hall_ticket_step;
int ow_hall_store_ticket_step(ow_db *db, int64_t id, ow_hall_ticket_step *out, ow_err *e);
/* The latest call or recall of ticket; *id 0 when it was never called. */
int ow_hall_store_last_call_step(ow_db *db, int64_t ticket, int64_t *id, ow_err *e);
/* The calls and recalls of a hall's windows at or after since_ms, oldest first. */
int ow_hall_store_each_call_step_since(ow_db *db, int64_t site, int64_t since_ms,
                                       int (*fn)(void *arg, int64_t id), void *arg, ow_err *e);
int ow_hall_store_each_ticket_event(ow_db *db, int64_t ticket,
                                    int (*fn)(void *arg, int64_t at, const char *action,
                                              const char *window_name, const char *actor_name,
                                              const char *note),
                                    void *arg, ow_err *e);
/* The ticket window should call next on day: transferred to it, or of a group it serves,
 * by priority and then the time it joined the queue; *id 0 when nobody waits. */
int ow_hall_store_next_waiting(ow_db *db, const char *day, int64_t window, int64_t *id, ow_err *e);
/* How many wait before t in its queue, counted up to OW_HALL_STORE_AHEAD_MAX. */
#define OW_HALL_STORE_AHEAD_MAX 999
int ow_hall_store_ahead(ow_db *db, const ow_hall_ticket *t, int *n, ow_err *e);
/* Waiting tickets of a hall's day per group (the groups with any in their line, not
 * counting those transferred to a window), from the day's counters. */
int ow_hall_store_each_waiting(ow_db *db, int64_t site, const char *day,
                               int (*fn)(void *arg, int64_t group, int n), void *arg, ow_err *e);
/* When the longest-waiting ticket of group's line joined it on day; 0 when nobody waits. */
int ow_hall_store_oldest_waiting(ow_db *db, int64_t group, const char *day, int64_t *at, ow_err *e);
/* The windows of a hall (a township centre is its own) with their state now (closed when
 * nobody ever opened it). */
int ow_hall_store_each_site_window_state(ow_db *db, const ow_hall_org *site,
                                         int (*fn)(void *arg, const ow_hall_org *w,
                                                   const char *state),
                                         void *arg, ow_err *e);
/* Windows open now (taking calls) that serve group. */
int ow_hall_store_open_windows_of(ow_db *db, int64_t group, int *n, ow_err *e);
/* Windows open now (taking calls) per group of a hall. */
int ow_hall_store_each_open_windows(ow_db *db, int64_t site,
                                    int (*fn)(void *arg, int64_t group, int n), void *arg,
                                    ow_err *e);
/* Finished services of group on day: how many and their mean length (ms), as the day's
 * counter keeps them (ow_hall_store_call_save moves it). */
int ow_hall_store_service_mean(ow_db *db, int64_t group, const char *day, int *n, int64_t *mean,
                               ow_err *e);
/* A person's ticket still in a hall's queue on day (waiting, called or serving), 0: none. */
int ow_hall_store_user_open_ticket(ow_db *db, int64_t user, int64_t site, const char *day,
                                   int64_t *id, ow_err *e);
/* The tickets of a person on day, newest first. */
int ow_hall_store_each_user_ticket(ow_db *db, int64_t user, const char *day,
                                   int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                   ow_err *e);
/* The ticket a clerk has at their window now (called or serving), 0: none. */
int ow_hall_store_clerk_ticket(ow_db *db, int64_t clerk, int64_t *id, ow_err *e);
/* Tickets of a hall's day, newest call first, at most limit (the display's latest
 * calls); of one window (a window's recent calls). */
int ow_hall_store_each_called(ow_db *db, int64_t site, const char *day, int limit,
                              int (*fn)(void *arg, const ow_hall_ticket *t), void *arg, ow_err *e);
int ow_hall_store_each_called_at(ow_db *db, int64_t window, const char *day, int limit,
                                 int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                 ow_err *e);
/* Tickets of a hall's day at a window now (called or being served). */
int ow_hall_store_each_at_window(ow_db *db, int64_t site, const char *day,
                                 int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                 ow_err *e);
/* Tickets of day still waiting or called that the day left behind (before day). */
int ow_hall_store_each_stale_ticket(ow_db *db, const char *day,
                                    int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                    ow_err *e);
/* The rating given for a window service (level 0: none yet; revoked ones count as none). */
int ow_hall_store_service_rating(ow_db *db, int64_t service, int *level, ow_err *e);

/* ---- calls (one leg of a visit at one window) ---- */

typedef struct ow_hall_call {
    int64_t id, ticket_id, site_id, group_id, window_id, clerk_id, service_id;
    char day[11], clerk_name[128], outcome[16];
    int recalls;
    int64_t queued_at, called_at, served_at, ended_at;
} ow_hall_call;

int ow_hall_store_call_insert(ow_db *db, const ow_hall_call *c, int64_t *id, ow_err *e);
int ow_hall_store_call_save(ow_db *db, const ow_hall_call *c, ow_err *e);
int ow_hall_store_call(ow_db *db, int64_t id, ow_hall_call *out, ow_err *e);

/* ---- windows at work and their pauses ---- */

typedef struct ow_hall_window {
    int64_t window_id, site_id, clerk_id, pause_id, since;
    char state[12], clerk_name[128];
} ow_hall_window;

int ow_hall_store_window(ow_db *db, int64_t window, ow_hall_window *out, bool *found, ow_err *e);
int ow_hall_store_window_put(ow_db *db, const ow_hall_window *w, ow_err *e);
/* Every window of a hall that has a row, with the pause's reason when paused. */
int ow_hall_store_each_window_state(ow_db *db, int64_t site,
                                    int (*fn)(void *arg, const ow_hall_window *w,
                                              const char *reason),
                                    void *arg, ow_err *e);

/* Windows not closed whose state dates from before the instant before_ms (a past day). */
int ow_hall_store_each_stale_window(ow_db *db, int64_t before_ms,
                                    int (*fn)(void *arg, const ow_hall_window *w), void *arg,
                                    ow_err *e);

typedef struct ow_hall_pause {
    int64_t id, site_id, window_id, clerk_id, started_at, ended_at;
    char day[11], reason[16], note[512], clerk_name[128];
} ow_hall_pause;

int ow_hall_store_pause_insert(ow_db *db, const ow_hall_pause *p, int64_t *id, ow_err *e);
int ow_hall_store_pause_end(ow_db *db, int64_t id, int64_t at, ow_err *e);
int ow_hall_store_pause(ow_db *db, int64_t id, ow_hall_pause *out, ow_err *e);

/* ---- the rows the figures are made of (site 0: every hall) ---- */

int ow_hall_store_each_ticket_in(ow_db *db, int64_t site, const char *from, const char *to,
                                 int (*fn)(void *arg, const ow_hall_ticket *t), void *arg,
                                 ow_err *e);
/* Calls with the rating of the window service each opened (level 0: none). */
int ow_hall_store_each_call_in(ow_db *db, int64_t site, const char *from, const char *to,
                               int (*fn)(void *arg, const ow_hall_call *c, int level), void *arg,
                               ow_err *e);
int ow_hall_store_each_pause_in(ow_db *db, int64_t site, const char *from, const char *to,
                                int (*fn)(void *arg, const ow_hall_pause *p), void *arg, ow_err *e);
/* One window's calls called in [from_ms, to_ms), summed (from the covering index
 * hall_calls_window, however long the day): how many, how long they had waited, how many
 * ended served, no-show or transferred, and the services with their length. */
typedef struct ow_hall_window_day {
    int called, served, no_show, transferred, services;
    int64_t wait_ms, service_ms;
} ow_hall_window_day;
int ow_hall_store_window_day(ow_db *db, int64_t window, int64_t from_ms, int64_t to_ms,
                             ow_hall_window_day *out, ow_err *e);
/* The pauses started in [from_ms, to_ms) at a window. */
int ow_hall_store_each_pause_at(ow_db *db, int64_t window, int64_t from_ms, int64_t to_ms,
                                int (*fn)(void *arg, const ow_hall_pause *p), void *arg, ow_err *e);
int ow_hall_store_each_appt_in(ow_db *db, int64_t site, const char *from, const char *to,
                               ow_hall_appt_fn fn, void *arg, ow_err *e);
/* Ratings at the window evaluators per clerk on days (day numbers) in [from, to], at a
 * hall's windows (site 0: everywhere): how many, the sum of their levels, how many bad
 * (level <= 2); revoked ones left out. */
int ow_hall_store_each_clerk_rating(ow_db *db, int64_t site, int32_t from, int32_t to,
                                    int (*fn)(void *arg, int64_t clerk, const char *name, int n,
                                              int sum, int bad),
                                    void *arg, ow_err *e);

/* ---- 帮办代办 ---- */

typedef struct ow_hall_assist {
    int64_t id, org_id, helper_id, item_id, case_id, ticket_id;
    char helper_name[128], kind[8], applicant_name[128], id_number_idx[65], id_masked[24],
        mobile_masked[16], item_name[256], case_no[40], note[1024], state[12], confirm_channel[12],
        confirm_note[512], day[11], org_name[192];
    const char *id_number_enc; /* insert only */
    int minutes;
    int64_t started_at, ended_at, confirmed_at, created_at;
} ow_hall_assist;

int ow_hall_store_assist_insert(ow_db *db, const ow_hall_assist *a, int64_t *id, ow_err *e);
int ow_hall_store_assist(ow_db *db, int64_t id, ow_hall_assist *out, ow_err *e);
int ow_hall_store_assist_confirm(ow_db *db, int64_t id, const char *state, const char *channel,
                                 const char *note, int64_t at, ow_err *e);
typedef struct ow_hall_assist_filter {
    int64_t org_id;            /* 0: any; else this organisation or those under it */
    const char *applicant_idx; /* NULL: any */
    const char *from, *to;     /* days, NULL: open */
    const char *state;         /* NULL: any */
} ow_hall_assist_filter;
int ow_hall_store_assist_count(ow_db *db, const ow_hall_assist_filter *f, int64_t *n, ow_err *e);
int ow_hall_store_assist_page(ow_db *db, const ow_hall_assist_filter *f, int limit, int64_t offset,
                              int (*fn)(void *arg, const ow_hall_assist *a), void *arg, ow_err *e);

#endif
