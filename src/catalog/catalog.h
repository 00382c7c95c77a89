/* catalog.h — the service catalog (政务服务事项目录): items, their guides
 * (办事指南), published versions, search and coverage figures (issue 5).
 *
 * An item has a head that administrators edit and a chain of immutable
 * published versions.  The public only ever sees the current published
 * version; cases refer to (item_id, version).  Every function takes the
 * request context and checks the actor's role itself. */
#ifndef OW_CATALOG_CATALOG_H
#define OW_CATALOG_CATALOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_ITEM_NAME_MAX_CHARS 100
#define OW_ITEM_MATERIALS_MAX 60
#define OW_ITEM_STEPS_MAX 20
#define OW_CATALOG_IMPORT_MAX_ROWS 5000
#define OW_CATALOG_ISSUES_MAX 200

typedef struct ow_item_material {
    const char *name;
    const char *form; /* original, copy, both (原件 / 复印件 / 原件和复印件) */
    int copies;
    const char *medium;   /* paper, electronic, both */
    const char *required; /* yes, conditional */
    const char *condition;
    const char *source;
    const char *blank_form;
    const char *sample;
    const char *license_type; /* e-license type from the wallet that can stand in, or "" */
    const char *note;
} ow_item_material;

typedef struct ow_item_step {
    const char *name;
    const char *role;     /* agent, clerk, approver, supervisor, admin */
    int64_t org_id;       /* 0 = the item's department */
    const char *org_code; /* input alternative to org_id (import, seeder) */
    const char *org_name; /* filled by validation and loading */
    int days;
    const char *description;
} ow_item_step;

/* The head of an item as edited.  Strings are borrowed (arena or JSON) and never NULL
 * once parsed or loaded. */
typedef struct ow_item {
    int64_t id;
    const char *code, *name, *type;
    int64_t dept_id, window_id;
    const char *dept_code, *window_code; /* input alternatives to the ids */
    const char *dept_name, *window_name; /* filled by validation and loading */
    const char *implementing_body, *theme, *target, *keywords, *basis, *conditions;
    int statutory_days, committed_days;
    bool fee;
    const char *fee_standard, *fee_basis;
    bool mode_immediate, mode_online, mode_nearby, mode_one_visit;
    int visits;
    bool level_district, level_township, level_agent_point;
    bool hosted;
    const char *online_depth; /* none, apply, full */
    bool appointment, delivery;
    const char *scope, *place, *hours, *consult_phone, *complaint_phone, *result_name, *remedies;
    ow_item_material *materials;
    int nmaterials;
    ow_item_step *steps;
    int nsteps;
    /* joint review, commitment, tolerance (catalog_modes.c): compact JSON text or NULL */
    const char *case_modes;
    /* state, filled when loaded */
    const char *status; /* draft, published, suspended */
    int version;
    bool pending;
    const char *suspend_reason;
    int64_t created_at, updated_at;
} ow_item;

/* One validation or import problem: where and what. */
typedef struct ow_catalog_issue {
    int row; /* import: 1-based data row (the header is row 1, data starts at 2); 0 otherwise */
    char column[48]; /* import: the column header */
    char field[64];  /* the item field: "name", "materials[2].condition" */
    char message[200];
} ow_catalog_issue;

typedef struct ow_catalog_issues {
    ow_catalog_issue *v;
    int n, cap;
    int dropped; /* issues past OW_CATALOG_ISSUES_MAX */
} ow_catalog_issues;

/* ---- items: parse, validate, edit, publish ---- */

/* Read an item from its JSON form (docs/api.md); the first problem goes to cx->err. */
int ow_catalog_item_from_json(ow_ctx *cx, const json_t *obj, ow_item *out);
/* Check every rule (lengths, code format, committed <= statutory, modes vs. depth,
 * at least one step, departments exist…).  Collects all problems into issues when
 * given; returns OW_EINVAL with the first one in cx->err. */
int ow_catalog_validate(ow_ctx *cx, ow_item *it, ow_catalog_issues *issues);

/* Admin only.  Create a draft; *id_out is its id. */
int ow_catalog_create(ow_ctx *cx, ow_item *it, int64_t *id_out);
/* Admin only.  Replace the head of item id; a published item stays visible in its
 * published version until published again. */
int ow_catalog_update(ow_ctx *cx, int64_t id, ow_item *it);
/* Admin only.  Transitions: publish (draft/published-with-changes/suspended → published,
 * a new version when the head changed), suspend (published → suspended, reason required). */
int ow_catalog_publish(ow_ctx *cx, int64_t id, int *version_out);
int ow_catalog_suspend(ow_ctx *cx, int64_t id, const char *reason);

/* ---- reading ---- */

/* The head of an item (admin only). */
int ow_catalog_get_head(ow_ctx *cx, int64_t id, ow_item *out);
/* The head as JSON, with state (admin only). */
int ow_catalog_head_json(ow_ctx *cx, int64_t id, json_t **out);
/* The current published guide (public); 404 for drafts and suspended items. */
int ow_catalog_published_json(ow_ctx *cx, int64_t id, json_t **out);
/* The same guide as its stored JSON text (malloc'ed), for replying without re-serialising. */
int ow_catalog_published_text(ow_ctx *cx, int64_t id, char **text, size_t *len);
/* One published version's guide, current or past (public: cases show theirs). */
int ow_catalog_version_json(ow_ctx *cx, int64_t id, int version, json_t **out);
/* The version history: [{version, published_at, published_by}] (admin only). */
int ow_catalog_versions(ow_ctx *cx, int64_t id, json_t **out);
/* The JSON form of an item head (as stored in a version's snapshot). */
json_t *ow_catalog_item_to_json(ow_ctx *cx, const ow_item *it);

/* ---- search ---- */

typedef struct ow_catalog_query {
    const char *q;      /* substring of name or keywords; NULL or "" = all */
    int64_t dept_id;    /* 0 = any */
    const char *theme;  /* NULL = any */
    const char *mode;   /* immediate, online, nearby, one_visit; NULL = any */
    const char *level;  /* district, township, agent_point; NULL = any */
    const char *type;   /* NULL = any */
    const char *target; /* person, enterprise; NULL = any */
    const char *status; /* admin list only: draft, published, suspended, all */
    int page, per_page;
} ow_catalog_query;

/* Public search over published items: ranked (exact name, name prefix, name substring,
 * then bm25), paged.  *items is a JSON array of summaries. */
int ow_catalog_search(ow_ctx *cx, const ow_catalog_query *qy, json_t **items, int64_t *total);
/* The same public search answered from the in-memory index (catalog_index.c), rendered as
 * the list reply {"items":[…],"total":…,"page":…,"per_page":…} (malloc'ed).  Identical
 * to ow_catalog_search, which answers instead whenever the index cannot do so exactly
 * (being rebuilt, case folding beyond ASCII, no app). */
int ow_catalog_search_text(ow_ctx *cx, const ow_catalog_query *qy, char **body, size_t *len);
/* Build the index now (server start-up), so the first search does not pay for it. */
int ow_catalog_index_warm(ow_ctx *cx);
/* Release the app's index (ow_app_close). */
void ow_catalog_index_drop(ow_app *app);
/* Admin list over heads in any state (admin only). */
int ow_catalog_admin_list(ow_ctx *cx, const ow_catalog_query *qy, json_t **items, int64_t *total);

/* ---- coverage (进驻率, 网上可办率, 马上办, 一次办, 零跑腿) ---- */

int ow_catalog_coverage(ow_ctx *cx, json_t **out);

/* The vocabularies (themes, types, modes, levels, …) and the departments and windows
 * items can name, for search filters and the edit form (public). */
int ow_catalog_vocabularies(ow_ctx *cx, json_t **out);

/* ---- import / export ---- */

/* Admin only.  Import a CSV in the export format: every row is validated and every
 * problem reported (row, column) in issues; nothing is written unless all rows pass.
 * Rows create items by code or replace the head of an existing one; publish=true
 * publishes each imported item. */
int ow_catalog_import_csv(ow_ctx *cx, const char *csv, size_t len, bool publish,
                          ow_catalog_issues *issues, int *created, int *updated);
/* The same from an XLSX workbook's first sheet, in the export's layout; rows are
 * numbered as the sheet numbers them. */
int ow_catalog_import_xlsx(ow_ctx *cx, const void *xlsx, size_t len, bool publish,
                           ow_catalog_issues *issues, int *created, int *updated);
/* Admin only.  Export the heads (status filter as in the admin list) as CSV (arena). */
int ow_catalog_export_csv(ow_ctx *cx, const char *status, char **csv, size_t *len);
/* The same rows and columns as a sheet for ow_sheet_xlsx (report.h; cells in the arena),
 * so the request thread reads and the pool renders; and as the XLSX workbook itself
 * (malloc'ed): days and visits as numbers, everything else as text. */
struct ow_sheet;
int ow_catalog_export_sheet(ow_ctx *cx, const char *status, struct ow_sheet *sheet);
int ow_catalog_export_xlsx(ow_ctx *cx, const char *status, char **xlsx, size_t *len);

/* The demo catalog (demo_dir/catalog.json), created and published as the system.
 * Departments and windows must already exist (orgs D01…, W01…). */
int ow_catalog_demo_seed(ow_ctx *cx, const char *demo_dir);
/* Load and publish every item of a JSON array file (the demo format). */
int ow_catalog_load_json_file(ow_ctx *cx, const char *path, int *count);

void ow_catalog_issues_free(ow_catalog_issues *is);

#endif
