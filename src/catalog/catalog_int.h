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

/* Record a validation problem (catalog.c): into is when there is one, and into cx->err
 * when it is the first.  field is the full path ("case_modes.joint[0].step"). */
void ow_cat_issue(ow_ctx *cx, ow_catalog_issues *is, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The item's case modes (catalog_modes.c, issue 22): read from its JSON, checked against
 * its materials and steps, written into its JSON (null when none). */
int ow_cat_modes_from_json(ow_ctx *cx, const json_t *o, ow_item *it);
void ow_cat_modes_validate(ow_ctx *cx, ow_item *it, ow_catalog_issues *is);
void ow_cat_modes_to_json(const ow_item *it, json_t *o);

/* One row of an imported file: its cells' texts (arena).  line is where a CSV record
 * starts; sheet_row the row number an XLSX sheet gives it (0 for CSV). */
typedef struct ow_cat_row {
    char **cells;
    int n;
    int line;
    int sheet_row;
} ow_cat_row;
/* The records of a CSV text (catalog_import.c): quoted cells may hold commas, quotes
 * ("") and line breaks; a leading BOM is skipped.  OW_EINVAL on an unterminated quote. */
int ow_cat_csv_rows(ow_ctx *cx, const char *s, size_t len, ow_cat_row **rows, int *nrows);
/* The non-blank rows of an XLSX workbook's first sheet (catalog_xlsx.c). */
int ow_cat_xlsx_rows(ow_ctx *cx, const void *data, size_t len, ow_cat_row **rows, int *nrows);

/* Search helpers shared by the SQL search (catalog.c) and the in-memory index
 * (catalog_index.c), so both read a query the same way. */
/* The query without whitespace (ASCII and U+3000), ASCII folded to lower case; *chars its
 * length in code points. */
char *ow_cat_normalise_query(ow_ctx *cx, const char *q, size_t *chars);
/* Reject unknown filter values and over-long queries, naming the field. */
int ow_cat_check_filters(ow_ctx *cx, const ow_catalog_query *qy);
/* The bit of a mode / level code in item_public.modes / .levels (0 if unknown). */
int ow_cat_mode_bit(const char *mode);
int ow_cat_level_bit(const char *level);
/* ow_catalog_search_text telling whether the index answered (tests: the comparison with
 * SQL must not pass because SQL answered both). */
int ow_cat_search_text(ow_ctx *cx, const ow_catalog_query *qy, char **body, size_t *len,
                       bool *from_index);

#endif
