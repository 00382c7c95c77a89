/* cases_int.h — what the cases module's own files share (the row, deadlines,
 * relations); nothing outside src/cases includes it. */
#ifndef OW_CASES_CASES_INT_H
#define OW_CASES_CASES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "catalog/catalog_cases.h"
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
/* A history row and its audit row for c (cases.c's own record). */
int ow_case_record_event(ow_ctx *cx, const ow_case_row *c, const char *action, const char *from,
                         const char *comment, json_t *detail);
/* Write back c (cases.c's own store). */
int ow_case_store(ow_ctx *cx, const ow_case_row *c);
/* Tell the followers (notify) of a step. */
int ow_case_announce_stepped(ow_ctx *cx, const ow_case_row *c, const ow_case_action_in *in,
                             const char *from);

/* ---- the case modes of issue 22 (cases_modes.c) ---- */

/* Whether org has an open review of the joint step step_seq of the case. */
int ow_case_joint_open_at(ow_ctx *cx, int64_t case_id, int step_seq, int64_t org, bool *open);
/* Whether the joint step step_seq of the case has its departments' reviews at all. */
int ow_case_joint_any_at(ow_ctx *cx, int64_t case_id, int step_seq, bool *any);
/* Whether org reviews (or reviewed) any joint step of the case. */
int ow_case_joint_member(ow_ctx *cx, int64_t case_id, int64_t org, bool *member);
/* Open each department's review of joint step step_seq (the case just reached it). */
int ow_case_joint_open(ow_ctx *cx, const ow_case_row *c, int step_seq, const ow_case_joint *g,
                       json_t *detail);
/* The actor's department's opinion on joint step step_seq (forward/approve: agreed; deny:
 * denied, which closes the others).  *last: the case moves on with in->action now (all
 * agreed, or denied); otherwise the opinion was recorded (会签同意) and the case waits. */
int ow_case_joint_vote(ow_ctx *cx, ow_case_row *c, int step_seq, const char *step_name,
                       const ow_case_action_in *in, bool *last);
/* Close the open reviews of the step, with why. */
int ow_case_joint_close(ow_ctx *cx, const ow_case_row *c, int step_seq, const char *why);
/* Whether the case's commitment check found it false. */
int ow_case_commitment_failed(ow_ctx *cx, int64_t case_id, bool *failed);
/* What an action needs of the modes: an unconfirmed commitment cannot be accepted, a
 * decision waits for owed materials when the item says so, only acceptance owes. */
int ow_case_modes_check_action(ow_ctx *cx, const ow_case_row *c, const ow_case_action_in *in);
/* Accept with the materials owed: checked against the item, marked on c's checklist,
 * recorded with their due date (in detail). */
int ow_case_modes_owe(ow_ctx *cx, ow_case_row *c, const ow_case_action_in *in, int32_t today,
                      json_t *detail);
/* Tell the applicant what they owe (the notify follower's reminder). */
int ow_case_modes_remind(ow_ctx *cx, const ow_case_row *c);
/* After an approval: a commitment's check is due within its working days. */
int ow_case_modes_decided(ow_ctx *cx, const ow_case_row *c, int32_t today);
/* A decision revoked after a false commitment: the commitment marked, a credit record. */
int ow_case_modes_revoked(ow_ctx *cx, const ow_case_row *c, const char *reason, json_t *detail);
/* An owed material came in electronically (ow_cases_material_received). */
int ow_case_modes_material_in(ow_ctx *cx, int64_t id, const char *material);
/* Whether the case still owes a material (容缺): it may then be attached after acceptance. */
int ow_case_modes_owes(ow_ctx *cx, int64_t id, bool *owes);
/* The case's modes as JSON text into b: {joint:[…], commitment:{…}|null, owed:[…],
 * alerts:[…]}. */
int ow_case_modes_text(ow_ctx *cx, const ow_case_row *c, ow_buf *b);

#endif
