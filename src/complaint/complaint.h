/* complaint.h — 投诉与建议 (issue 8): anyone files a complaint or a suggestion,
 * anonymously or signed, about a case, a window, a department or in general; it is
 * assigned to an office, answered within complaint_answer_days working days, raised
 * to the supervisors each time it goes overdue, and the complainant sees the answer
 * and rates it.
 *
 *   submitted --assign--> assigned --answer--> answered --rate--> closed
 *   (a complaint about a case, window or department is assigned when filed)
 *
 * The complainant's mobile number is personal data: encrypted, blind-indexed and
 * shown masked; an anonymous complaint shows staff neither name nor number. */
#ifndef OW_COMPLAINT_COMPLAINT_H
#define OW_COMPLAINT_COMPLAINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_COMPLAINT_TITLE_MAX_CHARS 60
#define OW_COMPLAINT_CONTENT_MAX_CHARS 2000
#define OW_COMPLAINT_ANSWER_MAX_CHARS 2000

typedef struct ow_complaint_in {
    const char *kind;     /* complaint | suggestion */
    const char *subject;  /* case | window | department | general */
    const char *case_no;  /* subject case */
    int64_t about_org_id; /* subject window or department */
    const char *title, *content;
    bool anonymous;
    const char *contact_name, *mobile; /* optional; mobile normalised and encrypted */
} ow_complaint_in;

/* File one.  query_code receives the code an anonymous complainant quotes with the
 * reference number to follow it (shown once, only its hash is kept). */
int ow_complaint_file(ow_ctx *cx, const ow_complaint_in *in, int64_t *id, char ref_no[48],
                      char query_code[44]);
/* Supervisors give a general complaint (or re-give any open one) to an office. */
int ow_complaint_assign(ow_ctx *cx, int64_t id, int64_t org_id, const char *note);
/* The assigned office (or a supervisor) answers. */
int ow_complaint_answer(ow_ctx *cx, int64_t id, const char *answer);
/* The complainant rates the answer (1–5) with an optional remark; closes it.
 * query_code NULL: the signed-in complainant. */
int ow_complaint_rate(ow_ctx *cx, int64_t id, const char *query_code, int satisfaction,
                      const char *feedback);
/* Raise every open complaint past its deadline: escalation + 1, a new deadline of
 * complaint_escalate_days working days, an event and an audit row each.  *n raised. */
int ow_complaint_escalate_overdue(ow_ctx *cx, int *n);

/* After a calendar edit: every complaint not yet answered gets its deadline again —
 * complaint_answer_days from filing, or complaint_escalate_days from its last
 * escalation.  *n recomputed. */
int ow_complaint_recompute_open(ow_ctx *cx, int *n);

/* The complainant's own, a staff member's office's, or (supervisors) all. */
typedef struct ow_complaint_query {
    const char *state; /* NULL any, "open" = not answered yet */
    bool overdue, escalated, mine;
    int page, per_page;
} ow_complaint_query;
int ow_complaint_list_json(ow_ctx *cx, const ow_complaint_query *q, json_t **items, int64_t *total);
int ow_complaint_get_json(ow_ctx *cx, int64_t id, json_t **out);
/* An anonymous complainant's view by reference number and query code. */
int ow_complaint_lookup_json(ow_ctx *cx, const char *ref_no, const char *query_code, json_t **out);
int ow_complaint_id_by_ref(ow_ctx *cx, const char *ref_no, int64_t *id);

int ow_complaint_demo_seed(ow_ctx *cx);

#endif
