/* catalog_int.h — what the catalog's own files share and nobody else needs:
 * the vocabularies (codes and their Chinese names) and the create-or-replace
 * used by both the demo loader and the CSV importer. */
#ifndef OW_CATALOG_CATALOG_INT_H
#define OW_CATALOG_CATALOG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"

typedef struct ow_cat_vocab {
    const char *code, *name;
} ow_cat_vocab;

typedef enum {
    OW_CAT_TYPE,
    OW_CAT_MODE,
    OW_CAT_LEVEL,
    OW_CAT_TARGET,
    OW_CAT_DEPTH,
    OW_CAT_FORM,
    OW_CAT_MEDIUM,
    OW_CAT_REQUIRED,
    OW_CAT_ROLE,
} ow_cat_kind;

/* The vocabulary of a kind, in display order. */
const ow_cat_vocab *ow_cat_vocab_of(ow_cat_kind kind, size_t *n);
/* The code for s, given either as the code or as its Chinese name; NULL if neither. */
const char *ow_cat_code(ow_cat_kind kind, const char *s);
/* The Chinese name of a code ("" if unknown). */
const char *ow_cat_name(ow_cat_kind kind, const char *code);

int ow_cat_require_admin(ow_ctx *cx);
/* Create the item, or replace the head of the item with the same code; publish it when
 * asked.  *created tells which. */
int ow_cat_upsert(ow_ctx *cx, ow_item *it, bool publish, bool *created);

#endif
