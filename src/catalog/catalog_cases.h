/* catalog_cases.h — what the cases module needs from an item's published guide,
 * read through catalog.h only (ow_catalog_published_json / ow_catalog_version_json).
 *
 * Written on the cases branch (issue 6), kept apart from catalog.c so the catalog's
 * own files stay the catalog engineer's: the guide JSON is the catalog's public
 * contract, this file turns it into the few facts a case is filed and timed by. */
#ifndef OW_CATALOG_CATALOG_CASES_H
#define OW_CATALOG_CATALOG_CASES_H

#include <stdbool.h>
#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

typedef struct ow_case_material {
    const char *name;
    bool required;            /* "yes"; conditional materials are not required */
    const char *license_type; /* e-license type from the wallet that can stand in, or "" */
} ow_case_material;

/* One step of the item's procedure (办理流程) as a case follows it: who acts (a role)
 * and in which organisation.  org_id 0 = the item's department. */
typedef struct ow_case_step {
    const char *name, *role; /* role: agent, clerk, approver, supervisor, admin */
    int64_t org_id;
    const char *org_name;
    int days;
} ow_case_step;

/* A step reviewed by several departments at once (并联审批, issue 22): 1-based step. */
typedef struct ow_case_joint {
    int step;
    int64_t *org_ids;
    int norgs;
} ow_case_joint;

/* An item version as a case sees it.  Strings live in cx->arena. */
typedef struct ow_case_item {
    int64_t item_id;
    int version;
    const char *code, *name, *type, *target; /* target: person, enterprise, both */
    int64_t dept_id, window_id;              /* window_id 0 = none named */
    const char *dept_name;
    int statutory_days, committed_days;
    bool mode_online, mode_nearby;
    bool level_district, level_township, level_agent_point;
    bool delivery; /* the result may be posted */
    ow_case_material *materials;
    int nmaterials;
    ow_case_step *steps; /* in order; at least one for a published guide */
    int nsteps;
    /* the case modes of the guide (catalog_modes.c) */
    ow_case_joint *joint;
    int njoint;
    const char **commit_materials; /* 告知承诺: what the commitment replaces; none: not eligible */
    int ncommit, check_days;
    const char **owe_materials; /* 容缺: what may be owed at intake; none: not allowed */
    int nowe;
    bool decision_waits; /* the decision waits for the owed materials */
} ow_case_item;
/* The joint group of 1-based step, or NULL. */
const ow_case_joint *ow_case_item_joint(const ow_case_item *it, int step);
/* Whether name is among n names. */
bool ow_case_names_has(const char *const *names, int n, const char *name);

/* version 0: the current published version (OW_ENOTFOUND for drafts and suspended
 * items, field "item_id"); otherwise that published version. */
int ow_catalog_case_item(ow_ctx *cx, int64_t item_id, int version, ow_case_item *out);
/* Index of the material named name in it, or -1. */
int ow_case_item_material(const ow_case_item *it, const char *name);

/* Parsed guides shared by every request (catalog_guides.c): published versions are
 * immutable, so each is parsed once.  version 0: the item's current published version.
 * *out is a new reference the caller must json_decref and must not modify. */
typedef struct ow_guide_cache ow_guide_cache;
ow_guide_cache *ow_guide_cache_new(void);
void ow_guide_cache_free(ow_guide_cache *c);
int ow_catalog_guide_shared(ow_ctx *cx, int64_t item_id, int version, json_t **out);

#endif
