/* bundle_int.h — what the bundle module's files share (not for other modules). */
#ifndef OW_BUNDLE_BUNDLE_INT_H
#define OW_BUNDLE_BUNDLE_INT_H

#include <jansson.h>

#include "catalog/catalog_cases.h"
#include "core/ctx.h"
#include "store/bundle_store.h"

/* A bundle's item with its published guide facts and its fields (a new reference). */
typedef struct ow_bundle_item {
    ow_bundle_item_row row;
    ow_case_item it;
    json_t *fields;
} ow_bundle_item;

typedef struct ow_bundle_def {
    ow_bundle_row row;
    ow_bundle_item *items;
    int n;
} ow_bundle_def;

/* The bundle with its items' current published versions; OW_ENOTFOUND (field id) when
 * there is no such bundle, or an item's when it is no longer published. */
int ow_bundle_load(ow_ctx *cx, int64_t id, ow_bundle_def *d);
void ow_bundle_def_free(ow_bundle_def *d);
/* The combined form: [{key, label, required, items:[seq…]}], each key once. */
json_t *ow_bundle_form_json(const ow_bundle_def *d);
/* The merged materials: [{name, required, license_type, items:[seq…], fed_by}]. */
json_t *ow_bundle_materials_json(const ow_bundle_def *d);
const char *ow_bundle_rule_name(const char *on_denial);
/* Put cx->err's field under at ("items[2]" + "item_id" → "items[2].item_id"); answers rc. */
int ow_bundle_err_under(ow_ctx *cx, const char *at, int rc);

#endif
