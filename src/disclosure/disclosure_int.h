/* disclosure_int.h — what the disclosure module's own sources share and nobody else
 * includes: the annual report's one model of the template (annual_report.c), which the
 * workbook (report_xlsx.c) exports as the PDF and the HTML draw it; the timeline rows
 * requests and publications show alike. */
#ifndef OW_DISCLOSURE_DISCLOSURE_INT_H
#define OW_DISCLOSURE_DISCLOSURE_INT_H

#include <stdint.h>

#include "core/ctx.h"
#include "docs/docs.h"

typedef struct ow_dis_report ow_dis_report;

/* The report of an organisation (0 = the district) for a year: figures, texts as the
 * office set them or the template's defaults, and the document (arena-allocated). */
int ow_dis_report_build(ow_ctx *cx, int64_t org_id, int year, ow_dis_report **out);
/* Its document: title, opening, sections with their headings, tables 二, 三, 四 (each
 * table's `sheet` names its worksheet), the signature. */
const ow_doc_notice *ow_dis_report_doc(const ow_dis_report *rp);

/* Append one timeline line {at, actor, action, from, to, note} to the JSON array arg
 * (a callback of ow_dis_store_events; request.c). */
void ow_dis_event_json(void *arg, int64_t at_ms, const char *actor, const char *action,
                       const char *from, const char *to, const char *note);

#endif
