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
#include "store/cases_store.h"
#include <jansson.h>

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
