/* cases_int.h — what the cases module's own files share (the row, deadlines,
 * relations); nothing outside src/cases includes it. */
#ifndef OW_CASES_CASES_INT_H
#define OW_CASES_CASES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "core/workdays.h"
#include "core/ctx.h"
#include <jansson.h>

typedef struct ow_case_row {
    int64_t id;
    char case_no[32];
    int64_t item_id;
    int item_version;
    const char *item_code, *item_name, *item_type;
    int64_t dept_id;
    char applicant_kind[12];
    int64_t applicant_user_id;
    const char *applicant_idx, *applicant_name, *id_enc, *id_masked, *mobile_masked, *address;
    char channel[12];
    int64_t intake_org_id, intake_scope_id, filed_by;
    const char *title, *materials, *supplement_names;
    char state[16];
    int64_t submitted_at;
    int32_t received_date, accepted_date, clock_start, decided_date;
    bool deemed_accepted;
    int64_t concluded_at;
    int committed_days, statutory_days;
    int extended_days; /* Art. 42 extension added to the statutory limit */
    int32_t due_committed, due_statutory, due_date; /* OW_DATE_NONE when not set */
    const char *result, *delivery_method, *tracking_no;
    int64_t updated_at;
    int step_seq;            /* 1-based step of the item's procedure the case is at */
    const char *step_name;   /* "" for rows written before steps were followed */
    const char *route;       /* JSON steps with their acting orgs after a transfer, or NULL */
    const char *id_override; /* JSON {reason, by, by_name, at}: a pilot USCC accepted, or NULL */
} ow_case_row;

int ow_case_load(ow_ctx *cx, int64_t id, ow_case_row *c);
int ow_case_load_by_no(ow_ctx *cx, const char *case_no, ow_case_row *c);
int ow_case_pauses(ow_ctx *cx, int64_t id, ow_cal_pause **out, size_t *n);
/* Set c's due dates for its state; a missing calendar year leaves them unknown and puts
 * the reason in *note (may be NULL). */
int ow_case_compute_due(ow_ctx *cx, ow_case_row *c, const ow_cal_pause *p, size_t np,
                        const char **note);
int ow_case_scope_of(ow_ctx *cx, int64_t org_id, int64_t *scope);
bool ow_case_state_open(const char *state);
int32_t ow_case_today(const ow_ctx *cx);
const char *ow_case_channel_name(const char *channel);
/* A history row as the steps read it. */
typedef struct ow_case_event_ref {
    int64_t at;
    const char *action, *actor_name, *actor_role, *actor_org;
    int step_seq;   /* detail.step.seq: the step it was taken at (0: none recorded) */
    bool next_step; /* detail.next_step: it moved the case on to the next step */
} ow_case_event_ref;

/* The actions the actor may take on c now, as JSON text into b:
 * [{action, name, to, needs:[…]}]. */
int ow_case_actions_text(ow_ctx *cx, const ow_case_row *c, ow_buf *b);
/* The steps of c's procedure with the state of each (done, current, todo, skipped),
 * from the item version, the route and the history (oldest first), as JSON text into b:
 * [{seq, name, role, role_name, org:{id, name}, days, status, department_step,
 *   done_at?, done_by?:{name, role, org}, done_action?}]. */
int ow_case_steps_text(ow_ctx *cx, const ow_case_row *c, const ow_case_event_ref *events,
                       size_t nev, ow_buf *b);
/* The name of the step c is at, for queues: the stored one, or one read from the state. */
const char *ow_case_step_label(const ow_case_row *c);
/* May the actor see c? */
int ow_case_may_view(ow_ctx *cx, const ow_case_row *c, bool *ok);

#endif
