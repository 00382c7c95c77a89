/* cases.h — applications (办件) and their workflow (issue 6): one-number application,
 * one-window intake, the department's decision, delivery, legal deadlines.
 *
 * Every state change goes through ow_cases_transition(), whose rules are one table in
 * cases.c.  Functions check cx->actor themselves (docs/architecture.md
 * "Where code lives") and write the case, its history row and an audit row in the
 * caller's transaction (the writer's, in serve). */
#ifndef OW_CASES_CASES_H
#define OW_CASES_CASES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"

#define OW_CASE_MATERIALS_MAX 60
#define OW_CASE_IDEM_KEY_MAX_CHARS 64
#define OW_CASE_INTAKE_DAYS 5     /* Administrative Licensing Law Art. 32 */
#define OW_CASE_DELIVERY_DAYS 10  /* Art. 44: certificate within 10 days of the decision */
#define OW_CASE_EXTENSION_DAYS 10 /* Art. 42: once, approved by the head of the agency */
#define OW_CASE_DUE_SOON_DAYS 2   /* working days left at which a case shows as due soon */
/* Public progress lookups (case number + last 6 of the ID number): failed ones allowed
 * per client address per window, so the tails cannot be guessed by trying them all. */
#define OW_CASE_TRACK_MAX_FAILURES 10
#define OW_CASE_TRACK_WINDOW_MS (15 * 60 * 1000LL)

/* A new application.  Online (citizen, enterprise): the applicant is the account and
 * id_number / uscc / name are taken from it.  At a window, township center or agent
 * point (clerk, agent): the applicant is identified by id_number (person) or uscc
 * (enterprise) with their name. */
typedef struct ow_case_apply_in {
    int64_t item_id;
    const char *id_number, *uscc;
    const char *name, *mobile, *address, *title;
    const char **materials; /* names of the guide's materials handed in */
    int nmaterials;
    const char *idem_key; /* a repeated key from the same filer answers the first case */
    /* A clerk accepting a USCC that fails only its check characters (an early pilot
     * code; docs/service-rules.md): why, after checking the licence.  NULL otherwise. */
    const char *uscc_override_reason;
    /* 告知承诺制 (issue 22): the applicant commits in writing in place of the materials the
     * item names for it; they confirm the 承诺书 before the case is accepted. */
    bool commitment;
} ow_case_apply_in;

/* *created is false when idem_key named an earlier submission (its id is returned). */
int ow_cases_submit(ow_ctx *cx, const ow_case_apply_in *in, int64_t *id, bool *created);
/* The same in two steps, so the server reads and checks on a request thread and only
 * writes on the writer: prepare (any connection; the result lives in cx->arena and
 * borrows in's strings), then commit (the write connection; re-checks the key). */
typedef struct ow_case_submit_prep ow_case_submit_prep;
int ow_cases_submit_prepare(ow_ctx *cx, const ow_case_apply_in *in, ow_case_submit_prep **out);
int ow_cases_submit_commit(ow_ctx *cx, ow_case_submit_prep *p, int64_t *id, bool *created);

/* One material named in a supplement (补正) notice and what is wrong with it. */
typedef struct ow_case_defect {
    const char *name, *problem;
} ow_case_defect;

typedef struct ow_case_action_in {
    const char *action;            /* accept, supplement, resubmit, refuse, approve, deny, suspend,
                                      resume, extend, transfer, deliver, withdraw */
    const char *comment;           /* optional remark on any action */
    const char *reason;            /* required for refuse, deny, suspend, transfer, withdraw */
    const ow_case_defect *defects; /* supplement: every missing or faulty material */
    int ndefects;
    int64_t dept_id;         /* transfer: the department that should decide */
    const char *delivery;    /* deliver: window, post, electronic */
    const char *tracking_no; /* deliver by post */
    const char **materials;  /* resubmit: materials now handed in */
    int nmaterials;
    /* accept (容缺受理, issue 22): minor materials the item lets the applicant still owe,
     * due within owed_days working days */
    const char **owed;
    int nowed, owed_days;
} ow_case_action_in;

int ow_cases_transition(ow_ctx *cx, int64_t id, const ow_case_action_in *in);

/* Writer: an audit row on the case for one of its documents (notices/case_notices.c):
 * action case.notice_issue (frozen: detail has its kind, code, number and the SHA-256 of
 * the PDF) or case.notice_correct.  detail is borrowed. */
int ow_cases_audit_document(ow_ctx *cx, int64_t id, const char *action, const json_t *detail);

/* The case with its deadlines, timeline and the actions the actor may take now. */
int ow_cases_get_json(ow_ctx *cx, int64_t id, json_t **out);
/* The same as JSON text appended to b (the API's answers: cases_view.c says why). */
int ow_cases_get_text(ow_ctx *cx, int64_t id, ow_buf *b);
/* The published guide (办事指南) a case was filed under — its item and version, from the
 * case's JSON as ow_cases_get_json gives it — with the item's basis (设定依据), result
 * name and remedies, for the documents that cite them (notices/).  *out is shared with
 * the guide cache: json_decref it, never change it. */
int ow_cases_guide_json(ow_ctx *cx, const json_t *case_json, json_t **out);

typedef struct ow_case_query {
    const char *queue;    /* intake, review, delivery, mine, all */
    const char *state;    /* NULL = the queue's states */
    const char *deadline; /* overdue, due_soon: only those */
    const char *channel;
    int64_t item_id;
    const char *q; /* case number (or its prefix) or applicant name */
    int page, per_page;
} ow_case_query;

int ow_cases_list_json(ow_ctx *cx, const ow_case_query *q, json_t **items, int64_t *total);
/* The same page as JSON array text appended to items (the API's path: no jansson objects
 * per row); byte for byte what ow_cases_list_json's items dump to. */
int ow_cases_list_text(ow_ctx *cx, const ow_case_query *q, ow_buf *items, int64_t *total);

/* Public progress lookup: the case number and the last 6 characters of the applicant's
 * ID number or USCC; numbers masked in the answer.  OW_ENOTFOUND on any mismatch. */
int ow_cases_track_json(ow_ctx *cx, const char *case_no, const char *id_tail, json_t **out);

/* Staff filing for an applicant: their last known name, mobile and address (from
 * earlier cases) for an ID number or USCC.  Audited. */
int ow_cases_profile_json(ow_ctx *cx, const char *id_number, const char *uscc, json_t **out);

/* Recompute the due dates of every open case (after a calendar edit). */
int ow_cases_recompute_open(ow_ctx *cx, int *n);

/* A year of realistic demo cases across items, channels and states (init --demo). */
int ow_cases_demo_seed(ow_ctx *cx);
/* n synthetic cases, bulk inserted for benchmarks (seed --cases N); no audit rows. */
int ow_cases_bench_seed(ow_ctx *cx, int64_t n);

/* What the materials and wallet modules need of a case (issue 7): who applied and
 * whether the actor may see it and attach materials to it now.  OW_ENOTFOUND when
 * the case does not exist or the actor may not see it (cases_materials.c). */
typedef struct ow_case_attach_view {
    int64_t id;
    char case_no[32];
    char state[16];
    int64_t item_id;
    int item_version;
    const char *item_name;
    const char *applicant_kind; /* person, enterprise */
    const char *applicant_idx;  /* blind index of the ID number / USCC */
    const char *applicant_name;
    const char *id_masked;
    int64_t dept_id;
    int64_t submitted_at;
    bool attacher;   /* the actor is the applicant, the filer, or a clerk of the intake center */
    bool may_attach; /* attacher, and the case is submitted or in supplement (补正) */
} ow_case_attach_view;
int ow_cases_attach_view(ow_ctx *cx, int64_t id, ow_case_attach_view *out);
/* OW_OK when materials may be added now: 403 for someone who may look at the case but
 * not add to it, 409 for the right person when the file is closed (after acceptance). */
int ow_cases_attach_check(ow_ctx *cx, const ow_case_attach_view *b);
/* An electronic material (upload, wallet file or e-license) was attached for `material`:
 * the case's checklist counts it as handed in (已收), so acceptance does not stop at it.
 * Call in the attaching transaction. */
int ow_cases_material_received(ow_ctx *cx, int64_t id, const char *material);
/* Whether the actor may look at case `id` (false, not an error, when there is no such case). */
int ow_cases_may_view_id(ow_ctx *cx, int64_t id, bool *ok);

/* ---- case modes (issue 22; cases_modes.c, docs/service-rules.md) ---- */

#define OW_CASE_OWED_DAYS_MAX 30 /* the longest a window lets a minor material be owed */

/* The applicant (or the office that filed for them, on their signed paper) confirms the
 * 承诺书 of a case filed on commitment: recorded with who and when. */
int ow_cases_commitment_confirm(ow_ctx *cx, int64_t id);
/* The deciding department records the check (核查) of a commitment: result "pass" or
 * "fail" with notes.  A failed check revokes the decision (and with it the e-license the
 * case issued) and records a credit note against the applicant. */
int ow_cases_commitment_check(ow_ctx *cx, int64_t id, const char *result, const char *notes);
/* A material owed (容缺) handed in on paper at the intake window. */
int ow_cases_owed_receive(ow_ctx *cx, int64_t id, const char *material);
/* The actor's department's joint reviews waiting for its opinion (并联审批): the cases as
 * the queues list them, with the group's state. */
int ow_cases_joint_queue_json(ow_ctx *cx, json_t **out);
/* What supervision lights red beyond the deadlines: owed materials past their due date
 * and commitment checks not recorded in time (supervisors, admins; an approver or clerk
 * sees their office's). */
int ow_cases_mode_alerts_json(ow_ctx *cx, json_t **out);
/* Credit records (信用记录), newest first, of one applicant (id_number or uscc: checked,
 * and the look-up audited — call on the writer) or of everyone (both NULL): the staff who
 * accept, decide and supervise. */
int ow_cases_credit_json(ow_ctx *cx, const char *id_number, const char *uscc, int page,
                         int per_page, json_t **items, int64_t *total);
/* The supervision sweep's follower: remind applicants of owed materials due within a
 * working day (once a day per case); *n how many. */
int ow_cases_owed_remind(ow_ctx *cx, int *n);

/* Chinese names for display. */
const char *ow_case_state_name(const char *state);
const char *ow_case_action_name(const char *action);

/* ---- who follows a case's decisions ----
 *
 * Other modules act on what happens to a case — its accepted materials become reusable
 * (the file store), an approval issues the item's result as an e-license (the wallet) —
 * without the cases module calling up into them: app/app.c registers them at start-up
 * and ow_cases_transition announces the step in its transaction (docs/architecture.md
 * "Modules").  A follower's error rolls the transition back. */

/* An approved case as the e-license library needs it (the holder's number in clear,
 * for the writer to encrypt; borrowed for the call). */
typedef struct ow_case_approved {
    int64_t case_id, item_id, dept_id;
    int item_version;
    const char *case_no, *item_name, *title;
    const char *holder_kind; /* person, enterprise */
    const char *holder_number, *holder_idx, *holder_masked, *holder_name;
} ow_case_approved;

/* A case after any step, as the national 办件 data items describe it (what the city
 * platform receives, docs/exchange.md "What a district sends"): no personal data in
 * clear.  Dates are 'YYYY-MM-DD' ("" when not yet), instants UTC ms (0 when not yet). */
typedef struct ow_case_record {
    const char *action; /* the step taken */
    bool accepted_now;  /* this step accepted the case (accept, or filed accepted at a window) */
    const char *case_no, *item_code, *item_name, *state, *result; /* result "" while open */
    const char *applicant_type;                                   /* person, enterprise */
    const char *applicant_masked, *channel;
    int64_t dept_id, submitted_at, concluded_at;
    char accepted_date[11], due_date[11], decided_date[11];
    bool overdue; /* concluded after its due date, or still open past it */
} ow_case_record;

/* Any step a case took, as those who tell people about it need it (src/notify, issue 20);
 * borrowed for the call. */
typedef struct ow_case_stepped {
    int64_t case_id, applicant_user_id; /* 0: filed for someone without an account */
    const char *case_no, *item_name, *title;
    const char *action, *from, *to; /* the action and the states before and after */
    const char *result;             /* approved, denied, or "" */
    const char *reason, *comment;   /* as given with the action, or "" */
    const ow_case_defect *defects;  /* supplement: what is missing or wrong */
    int ndefects;
} ow_case_stepped;

typedef struct ow_case_follower {
    int (*accepted)(ow_ctx *cx, int64_t case_id); /* accepted (at a window: filed accepted) */
    int (*approved)(ow_ctx *cx, const ow_case_approved *c);
    int (*recorded)(ow_ctx *cx, const ow_case_record *r); /* after every step, for the city
                                                           * (src/exchange); may be NULL */
    int (*stepped)(ow_ctx *cx, const ow_case_stepped *s); /* every step, after the above
                                                           * (src/notify); may be NULL */
    /* the decision of case_id was revoked (a false commitment, issue 22): the e-license
     * it issued is revoked with reason (src/wallet); may be NULL */
    int (*revoked)(ow_ctx *cx, int64_t case_id, const char *reason);
} ow_case_follower;
/* Register f (static storage) with app; registering the same one again does nothing. */
void ow_cases_follow(ow_app *app, const ow_case_follower *f);

#endif
