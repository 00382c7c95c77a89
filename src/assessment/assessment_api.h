/* assessment_api.h — the HTTP side of the assessment module: its route tables.  They are
 * gathered by src/main.c, not app/routes.c: nothing in src/ depends on this module (it
 * depends on the modules it measures), so app/ does not include it either and the module
 * stays off the dependency cycle (docs/architecture.md, "Dependencies between modules"). */
#ifndef OW_ASSESSMENT_ASSESSMENT_API_H
#define OW_ASSESSMENT_ASSESSMENT_API_H

#include <stddef.h>

#include "http/http.h"

/* schemes, scores, sheets, points, objections (assessment_api.c) */
extern const ow_route ow_assessment_routes[];
extern const size_t ow_assessment_routes_n;
/* work plans and tasks (workplan_api.c) */
extern const ow_route ow_workplan_routes[];
extern const size_t ow_workplan_routes_n;
/* bulletins and their rule (bulletin_api.c) */
extern const ow_route ow_bulletin_routes[];
extern const size_t ow_bulletin_routes_n;

#endif
