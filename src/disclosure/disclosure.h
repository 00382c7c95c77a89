/* disclosure.h — government information disclosure (政府信息公开, issue 9).
 *
 * Three parts, one header:
 *   rules        the figures and categories of the 2019 regulation (docs/disclosure-
 *                rules.md) as plain functions: receipt date per channel, the reply
 *                deadline with extension, supplement restart and paused consultation,
 *                lights, information-processing fees, the outcome table;
 *   requests     依申请公开: filing, the one transition function, notices, reviews;
 *   publications 主动公开 with confidentiality review, search and feeds; and the
 *                annual report (年度报告) built from both.
 * Authorization is checked in these functions (cx->actor), never in the handlers. */
#ifndef OW_DISCLOSURE_DISCLOSURE_H
#define OW_DISCLOSURE_DISCLOSURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/workdays.h"
#include "core/ctx.h"
#include "docs/docs.h"
#include "store/disclosure_store.h"

/* ======================= rules (rules.c) ======================= */

#define OW_DIS_REPLY_WORKDAYS 20         /* Art. 33 */
#define OW_DIS_EXTENSION_WORKDAYS 20     /* Art. 33, once */
#define OW_DIS_SUPPLEMENT_ASK_WORKDAYS 7 /* Art. 30: ask within 7 working days of receipt */
#define OW_DIS_THIRD_PARTY_WORKDAYS 15   /* Art. 32 */
#define OW_DIS_FEE_PAY_WORKDAYS 20       /* fee measures: pay within 20 working days */
#define OW_DIS_DUE_SOON_WORKDAYS 3       /* yellow light when this many or fewer are left */
#define OW_DIS_RECONSIDERATION_DAYS 60   /* 行政复议法: 60 days from knowing */
#define OW_DIS_LITIGATION_MONTHS 6       /* 行政诉讼法 Art. 46: six months */

/* Fees (国办函〔2020〕109号), progressive, in yuan. */
#define OW_DIS_FEE_FREE_REQUESTS_PER_MONTH 10
#define OW_DIS_FEE_FREE_PAGES 30

/* Art. 31: the day a request counts as received.
 *   in_person     the day it is handed in (handed_in);
 *   post          the day the agency signs for it (signed_for); an ordinary letter
 *                 without signature: the day receipt is confirmed with the applicant
 *                 (confirmed), pass signed = false;
 *   online, data_message  the day both sides confirm receipt (confirmed).
 * A date the channel needs that is OW_DATE_NONE is OW_EINVAL naming it. */
int ow_dis_receipt_date(const char *channel, bool signed_letter, int32_t handed_in,
                        int32_t signed_for, int32_t confirmed, int32_t *out, ow_err *e);

/* What the reply deadline depends on. */
typedef struct ow_dis_clock {
    int32_t received;            /* Art. 31 receipt date */
    int32_t supplement_asked;    /* OW_DATE_NONE if no supplement was asked */
    int32_t supplement_received; /* OW_DATE_NONE until the supplement arrives */
    bool extended;               /* one extension, Art. 33 */
    const ow_cal_pause *pauses;  /* third party / other agencies / fee: not counted */
    size_t npauses;
} ow_dis_clock;

/* The reply deadline: 20 working days (40 when extended) from the receipt date, or
 * from the receipt of the supplement when one was asked (Art. 30), skipping paused
 * days after that start.  *due = OW_DATE_NONE while the supplement is awaited or a
 * pause that would contain the deadline is still open. */
int ow_dis_due(ow_calendar *cal, const ow_dis_clock *c, int32_t *due, ow_err *e);
/* Last day on which the supplement may still be asked: 7 working days after receipt. */
int ow_dis_supplement_ask_by(ow_calendar *cal, int32_t received, int32_t *out, ow_err *e);
/* The applicant's deadline for the supplement: `workdays` working days from asked. */
int ow_dis_supplement_due(ow_calendar *cal, int32_t asked, int workdays, int32_t *out, ow_err *e);
/* The third party's deadline: 15 working days from the day it received the letter. */
int ow_dis_third_party_due(ow_calendar *cal, int32_t sent, int32_t *out, ow_err *e);
/* The applicant's deadline to pay a fee: 20 working days from the notice. */
int ow_dis_fee_due(ow_calendar *cal, int32_t notice, int32_t *out, ow_err *e);

/* Lights for a request (as for cases): "green" on time, "yellow" due soon (≤ 3 working
 * days left), "red" overdue, "paused" while the clock waits; for concluded requests
 * "done" when concluded on or before the deadline, "late" after it. */
int ow_dis_light(ow_calendar *cal, const char *state, int32_t due, int32_t concluded, int32_t today,
                 const char **light, int *workdays_left, ow_err *e);

/* Fee by count: the k-th request (1-based) of one applicant in one natural month.
 * 1–10 free, 11–30 100 yuan, then each band of 10 costs 100 yuan more (31–40 200, …). */
int64_t ow_dis_fee_count_yuan(int k);
/* Fee by volume for one request of `pages` pages: 1–30 free, 31–100 10 yuan a page,
 * 101–200 20 yuan a page, from 201 on 40 yuan a page (each rate only inside its band). */
int64_t ow_dis_fee_pages_yuan(int pages);

/* The outcome table: every reply category of Art. 36–39 mapped to its notice and to
 * its row of the annual-report table (section 3, 三、本年度办理结果). */
typedef struct ow_dis_outcome {
    const char *key;    /* "partial", "refused_secret", … */
    const char *name;   /* 部分公开 */
    int group;          /* 1 予以公开 … 6 其他处理 (the report's (一)…(六)) */
    int sub;            /* numbered sub-row inside the group, 0 when none */
    const char *notice; /* notice kind key, e.g. "partial" */
    const char *title;  /* 政府信息部分公开告知书 */
    const char *basis;  /* legal basis cited in the notice */
    bool needs_reason;  /* the notice must state a reason the officer writes */
} ow_dis_outcome;

const ow_dis_outcome *ow_dis_outcome_find(const char *key);
const ow_dis_outcome *ow_dis_outcomes(size_t *n);

/* ======================= requests (request.c) ======================= */

/* A stored file of a request or a publication, for download (arena strings). */
typedef ow_dis_file ow_dis_attachment;

/* Reads the stored file id of parent (a publication's attachment or a request's paper)
 * into *out; a missing row is OW_ENOTFOUND on `field` with `missing` as the message. */
int ow_dis_file_row(ow_ctx *cx, ow_dis_file_of of, int64_t id, int64_t parent, const char *field,
                    const char *missing, ow_dis_attachment *out);

typedef struct ow_dis_request_in {
    int64_t org_id;             /* agency asked */
    const char *channel;        /* online | in_person | post | data_message */
    const char *applicant_type; /* person | commercial | research | public_interest |
                                   legal_service | other_org */
    const char *name, *id_number, *uscc, *contact_name, *mobile, *address, *email;
    const char *content, *purpose, *delivery; /* delivery: paper | email | electronic | pickup */
    const char *received_date; /* staff recording a letter or visit: YYYY-MM-DD, or NULL */
    bool ordinary_letter;      /* post without signature */
} ow_dis_request_in;

/* File a request.  Citizens and enterprises file online for themselves (channel
 * online); disclosers record the other channels for their organisation, with the
 * receipt date.  Online and data-message requests wait for the agency to confirm
 * receipt (state submitted); others start the clock at once. */
int ow_dis_request_file(ow_ctx *cx, const ow_dis_request_in *in, int64_t *id);

/* The one transition function (request.c opens with its table).  args carries the
 * action's inputs (reason, outcome, dates, …). */
int ow_dis_request_transition(ow_ctx *cx, int64_t id, const char *action, const json_t *args);

/* Who hears of a request answered (notifications, issue 20: the applicant is told), without
 * this module calling up into them; in the reply's transaction. */
typedef struct ow_dis_replied {
    int64_t request_id, user_id; /* user_id 0: filed for somebody without an account */
    const char *number, *org_name, *outcome_name;
} ow_dis_replied;
typedef struct ow_dis_follower {
    int (*replied)(ow_ctx *cx, const ow_dis_replied *r);
} ow_dis_follower;
/* Register f (static storage) with app; registering the same one again does nothing. */
void ow_dis_follow(ow_app *app, const ow_dis_follower *f);

/* After a calendar edit: recompute the stored deadline of every open request (the
 * calendar module calls this in the edit's transaction).  *n = requests changed. */
int ow_dis_recompute_open(ow_ctx *cx, int *n);

/* One request with its timeline, pauses, notices, reviews and light. */
int ow_dis_request_get_json(ow_ctx *cx, int64_t id, json_t **out);
/* Unmasked ID and mobile numbers of the applicant, for the handling discloser; audited. */
int ow_dis_request_pii(ow_ctx *cx, int64_t id, json_t **out);

typedef struct ow_dis_request_filter {
    const char *state; /* one state, "open" (not concluded) or NULL for all */
    const char *light; /* green | yellow | red | paused, or NULL */
    const char *q;     /* number, name or content substring */
    int64_t org_id;    /* 0: every organisation the actor may see */
    bool mine;         /* only the actor's own requests (citizens always) */
} ow_dis_request_filter;

int ow_dis_request_list(ow_ctx *cx, const ow_dis_request_filter *f, int page, int per_page,
                        json_t **items, int64_t *total);

/* For the supervision alerts (电子监察): open requests of org_id (0: every agency)
 * due soon (yellow) or overdue (red) by this module's lights; counts[0] yellow,
 * counts[1] red; *items the first max of them, the most urgent first:
 * [{id, number, org_name, applicant_name, content, due_date, workdays_left, light}].
 * Checks no roles: the caller decides who may see them. */
int ow_dis_request_due_json(ow_ctx *cx, int64_t org_id, int max, int counts[2], json_t **items);

/* Papers of a request received on paper (scanned letter, envelope, proof of identity),
 * files in the store of src/files.  The handling discloser adds them (check first,
 * inline, then add on the writer); whoever may read the request may download them. */
int ow_dis_request_papers_check(ow_ctx *cx, int64_t request_id);
int ow_dis_request_papers_add(ow_ctx *cx, int64_t request_id, const char *label, const char *sha256,
                              const char *filename, const char *content_type, int64_t size,
                              int64_t *id);
int ow_dis_request_papers_get(ow_ctx *cx, int64_t request_id, int64_t file_id,
                              ow_dis_attachment *out);

/* Reconsideration / litigation records. */
int ow_dis_review_add(ow_ctx *cx, int64_t request_id, const json_t *in, int64_t *id);
int ow_dis_review_update(ow_ctx *cx, int64_t request_id, int64_t review_id, const json_t *in);

/* A notice's PDF, rendered from its stored payload (on the pool). *pdf malloc'ed.
 * The applicant and the handling organisation's staff may download it.  code_out gets
 * its verification code; a notice frozen already (docs.h "frozen documents") is not
 * rendered: frozen_sha names its stored bytes (else ""). */
int ow_dis_notice_pdf(ow_ctx *cx, int64_t request_id, int64_t notice_id, const char *base_url,
                      unsigned char **pdf, size_t *len, char *filename, size_t filename_size,
                      char code_out[OW_DOCS_CODE_CHARS + 1], char frozen_sha[65]);
/* Writer: the notice's PDF was frozen: the audit row info_request.notice_issue with its
 * SHA-256 and size. */
int ow_dis_notice_issued(ow_ctx *cx, int64_t request_id, const char *code, const char *sha256,
                         int64_t size);

/* ======================= publications (publication.c) ======================= */

typedef struct ow_dis_column {
    const char *code, *name;
    bool key_area; /* 重点领域 */
} ow_dis_column;
const ow_dis_column *ow_dis_columns(size_t *n);
const ow_dis_column *ow_dis_column_find(const char *code);

typedef struct ow_dis_pub_in {
    int64_t org_id; /* 0: the actor's organisation */
    const char *column, *title, *doc_number, *issued_date, *validity, *repealed_date, *body;
} ow_dis_pub_in;

int ow_dis_pub_create(ow_ctx *cx, const ow_dis_pub_in *in, int64_t *id);
int ow_dis_pub_update(ow_ctx *cx, int64_t id, const ow_dis_pub_in *in);
/* submit (draft → review), approve (review → published, 保密审查 passed, with a note),
 * reject (review → draft, with a note), withdraw (published → withdrawn, with a reason),
 * repeal (published, validity → repealed on a date). */
int ow_dis_pub_transition(ow_ctx *cx, int64_t id, const char *action, const json_t *args);
int ow_dis_pub_get_json(ow_ctx *cx, int64_t id, json_t **out);

typedef struct ow_dis_pub_filter {
    const char *column, *q, *state; /* state: staff only; the public sees published */
    int64_t org_id;
    const char *from, *to; /* published between, dates */
    bool manage;           /* staff view: the actor's drafts and reviews too */
} ow_dis_pub_filter;
int ow_dis_pub_list(ow_ctx *cx, const ow_dis_pub_filter *f, int page, int per_page, json_t **items,
                    int64_t *total);
/* Attachments (附件): files in the store of src/files, added and removed by the unit's
 * disclosers while the publication is a draft, reviewed and published with it, listed
 * in ow_dis_pub_get_json, downloadable by the public while it is published and by the
 * unit's staff at any time (a withdrawn publication keeps them). */
#define OW_DIS_PUB_ATTACHMENTS_MAX 20
/* May the actor add to or remove from this publication's attachments now? */
int ow_dis_pub_attach_check(ow_ctx *cx, int64_t pub_id);
/* Record a received file (ow_files_receive) as an attachment.  Writer. */
int ow_dis_pub_attach_add(ow_ctx *cx, int64_t pub_id, const char *sha256, const char *filename,
                          const char *content_type, int64_t size, int64_t *id);
int ow_dis_pub_attach_remove(ow_ctx *cx, int64_t pub_id, int64_t att_id);
/* One attachment the actor may download (404 for the public unless published). */
int ow_dis_pub_attach_get(ow_ctx *cx, int64_t pub_id, int64_t att_id, ow_dis_attachment *out);

/* Atom 1.0 feed of the newest published items of one column; *xml arena-allocated. */
int ow_dis_pub_feed(ow_ctx *cx, const char *column, const char *base_url, char **xml, size_t *len);

/* ======================= annual report (annual_report.c) ======================= */

/* The whole report (sections 1–6, every table row and column) for one organisation
 * (org_id > 0) or the district (0) and a year. */
/* The actor is a discloser of the district's disclosure office (config disclosure_office):
 * they edit the district's annual report and inspect the units. */
bool ow_dis_office_discloser(ow_ctx *cx);
/* May record inspections (督查) of the units: the office's disclosers, supervisors, admins. */
bool ow_dis_may_inspect(ow_ctx *cx);
int ow_dis_report_json(ow_ctx *cx, int64_t org_id, int year, json_t **out);
int ow_dis_report_html(ow_ctx *cx, int64_t org_id, int year, char **html, size_t *len);
int ow_dis_report_pdf(ow_ctx *cx, int64_t org_id, int year, unsigned char **pdf, size_t *len);
/* The report's tables as an XLSX workbook in the template's layout (report_xlsx.c): one
 * sheet per table, merged heading cells; tmp_dir holds the writer's temporary file.
 * *out malloc'ed. */
int ow_dis_report_xlsx(ow_ctx *cx, int64_t org_id, int year, const char *tmp_dir, char **out,
                       size_t *len);
/* Edit the free-text sections and the fee figure (disclosers of the org; admin). */
int ow_dis_report_save(ow_ctx *cx, int64_t org_id, int year, const json_t *in);

/* ======================= unit statistics and inspection (inspection.c) ======================= */

/* Publications per unit per month of a year (the 月报表), key-area columns per unit,
 * and which units published nothing in the quarter (0 = the whole year) or left a
 * key-area column empty all year.  Staff only. */
int ow_dis_unit_stats(ow_ctx *cx, int year, int quarter, json_t **out);

/* An inspection record, a new one each time: org_id, kind (quarterly — the default —,
 * special, topic, follow_up), title (special and topic), follows_id and result
 * (rectified, partly, not_rectified: a follow-up's), year and quarter (the quarterly
 * one's; the others' from inspected_date, default today), rating (good/fair/poor),
 * findings, rectify_by (date, required unless good).  Supervisors, the office's
 * disclosers, admin. */
int ow_dis_inspection_save(ow_ctx *cx, const json_t *in, int64_t *id);
/* Record the rectification: rectified_date, rectification_note. */
int ow_dis_inspection_rectify(ow_ctx *cx, int64_t id, const json_t *in);
int ow_dis_inspection_list(ow_ctx *cx, int year, int quarter, json_t **items);
/* The same of one kind (NULL = any) and unit (0 = any); each record lists the follow-ups
 * of the same list that follow it. */
int ow_dis_inspection_list_kind(ow_ctx *cx, int year, int quarter, const char *kind, int64_t org_id,
                                json_t **items);
/* The inspection bulletin (督查通报) of a quarter as PDF; *pdf malloc'ed. */
int ow_dis_bulletin_pdf(ow_ctx *cx, int year, int quarter, unsigned char **pdf, size_t *len);

/* ======================= misc ======================= */

/* The legal calendar the app loaded at start-up (app->calendar, src/calendar); an
 * error in cx->err and NULL when it was not loaded. */
ow_calendar *ow_dis_calendar(ow_ctx *cx);

/* A year of publications and a few dozen requests for the demo district. */
int ow_disclosure_demo_seed(ow_ctx *cx);

#endif
