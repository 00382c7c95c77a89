/* bundle.h — one-thing bundles (一件事一次办, issue 22 points 1 and 5): a life event that
 * spans several departments, applied for once.
 *
 * An administrator composes a bundle: its items in order (each from its department), the
 * application fields each item asks (the bundle's form is their union, each key asked
 * once), a committed limit in working days, what a child's denial does (continue: the
 * others go on; stop: the undecided ones are terminated) and dependencies — item B waits
 * for item A when A's issued e-license is one of B's materials.  The materials list is
 * merged from the items' guides, each material once.
 *
 * One application files one child case per item through the cases module (cases.h) and
 * gives one number (YJS-yyyymmdd-NNNN).  Departments work their cases in parallel; a
 * waiting child cannot be accepted until the license it waits for is issued, and then the
 * bundle attaches that license to it (wallet.h) and accepts it by itself.  The bundle
 * follows its children through the cases module's follower hook (ow_case_follower), so
 * cases knows nothing of bundles; nothing but src/main.c includes this header.
 *
 * States of an application: open (办理中) while a child is undecided, ready (待领取) when
 * every child is decided and approved results wait for the one delivery, concluded
 * (已办结) after it, terminated (已终止) when the stop rule ended it or nothing was
 * approved.  One delivery hands out every approved child; one rating rates each child
 * that ended (rating.h), so every department hears it. */
#ifndef OW_BUNDLE_BUNDLE_H
#define OW_BUNDLE_BUNDLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_BUNDLE_NAME_MAX_CHARS 40
#define OW_BUNDLE_EVENT_MAX_CHARS 500
#define OW_BUNDLE_ITEMS_MAX 12
#define OW_BUNDLE_FIELDS_MAX 20
#define OW_BUNDLE_FIELD_MAX_CHARS 200
#define OW_BUNDLE_COMMITTED_MAX_WORKDAYS 60

/* Create (id 0; *out_id answers) or replace (id) a bundle from its JSON
 * {name, life_event, committed_days, on_denial, active?, items:[{item_id, waits_for?,
 * via_material?, fields:[{key, label, required?}]}]} (admin only).  Errors name the field
 * (items[1].via_material). */
int ow_bundle_put(ow_ctx *cx, int64_t id, const json_t *in, int64_t *out_id);
/* The bundles (only active ones unless all, which admins may ask for). */
int ow_bundle_list_json(ow_ctx *cx, bool all, json_t **out);
/* A bundle's guide: items with their departments and results, the combined form, the
 * merged materials (each once; which items need it, which item's license feeds it). */
int ow_bundle_get_json(ow_ctx *cx, int64_t id, json_t **out);

/* One application: {form:{key:value}, materials:[names handed in], wallet:[{material,
 * license_id}], id_number/uscc/name/mobile (at a window), idempotency_key}.  Files the child
 * cases in the caller's transaction.  *created false when the key named an earlier one. */
int ow_bundle_apply(ow_ctx *cx, int64_t bundle_id, const json_t *in, int64_t *app_id,
                    bool *created);
/* The same in two steps, as the cases module's submit: prepare checks everything and
 * prepares each child on a request thread (any connection; the result lives in cx->arena
 * and borrows in), commit numbers and inserts on the writer (re-checks the key). */
typedef struct ow_bundle_prep ow_bundle_prep;
int ow_bundle_apply_prepare(ow_ctx *cx, int64_t bundle_id, const json_t *in, ow_bundle_prep **out);
int ow_bundle_apply_commit(ow_ctx *cx, ow_bundle_prep *p, int64_t *app_id, bool *created);
/* An application with its children, their progress and the lights. */
int ow_bundle_app_json(ow_ctx *cx, int64_t app_id, json_t **out);
/* Applications: the applicant's own, or all for staff at the window and supervisors.
 * state NULL, active, open, ready, concluded or terminated. */
int ow_bundle_app_list_json(ow_ctx *cx, const char *state, int page, int per_page, json_t **items,
                            int64_t *total);
/* The window accepts every child that can be accepted now (materials complete, not
 * waiting); *n how many. */
int ow_bundle_accept(ow_ctx *cx, int64_t app_id, int *n);
/* The one delivery: every approved child handed out by delivery (window, post with
 * tracking_no, electronic). */
int ow_bundle_deliver(ow_ctx *cx, int64_t app_id, const char *delivery, const char *tracking_no);
/* The applicant's one rating (level 1..5), given to every child that ended. */
int ow_bundle_rate(ow_ctx *cx, int64_t app_id, int level, const char *comment, const char **tags,
                   int ntags);
/* Lights of the open applications (supervisors, admins, clerks):
 * {totals:{green,yellow,red}, items:[…]}. */
int ow_bundle_lights_json(ow_ctx *cx, json_t **out);

/* The rule a child's end applies to its siblings (pure, for the unit tests): given the
 * bundle's on_denial, whether the child ended denied (deny, refuse) and whether a sibling
 * waits for it, terminate that sibling? */
bool ow_bundle_terminates(const char *on_denial, bool denied, bool sibling_waits);
/* The application's state from its children's states (pure): states[i] as cases.h
 * names them; stopped: the stop rule ended it. */
const char *ow_bundle_state_of(const char *const *states, int n, bool stopped);
const char *ow_bundle_state_name(const char *state);

/* Register the bundle as a follower of the cases (src/main.c, after app/ set up the
 * wallet's, so a license is issued before the bundle passes it on). */
void ow_bundle_setup(ow_app *app);
/* The demo district's five bundles (init --demo), after the catalog's demo. */
int ow_bundle_demo_seed(ow_ctx *cx);

#endif
