/* catalog_guides.c — published guides parsed once per process (catalog_cases.h).
 *
 * Every submit and many transitions need their item version's guide, which is stored as
 * JSON text; parsing those ~2 KB for each request was a quarter of the server's CPU in
 * the cases benchmark (perf: json_loadb under ow_catalog_case_item).  A published
 * version never changes (item_versions refuses UPDATE and DELETE, migration 0003), so
 * its parsed form can be shared for the life of the process: the cache is keyed by
 * (item, version) and never invalidated.  The current version of an item is still read
 * from item_public on every call, so publishing, suspending or withdrawing an item takes
 * effect at once.
 *
 * Only versions read outside a transaction are kept, so nothing uncommitted is cached.
 * Sharing: callers get their own reference (json_incref is atomic in jansson ≥ 2.11)
 * and only read; nothing may modify a guide obtained here. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>

#include "app/app.h"
#include "catalog/catalog.h"
#include "catalog/catalog_cases.h"
#include "store/catalog_store.h"
#include "store/db.h"

/* A district publishes a few hundred items, each with a handful of versions; past this
 * many the cache stops growing and the rest are parsed per request as before. */
#define GUIDE_SLOTS 2048
#define GUIDE_MAX 1024

typedef struct guide_slot {
    int64_t item_id;
    int version;
    json_t *guide;
} guide_slot;

struct ow_guide_cache {
    pthread_mutex_t mu;
    int n;
    guide_slot slots[GUIDE_SLOTS];
};

ow_guide_cache *ow_guide_cache_new(void) {
    ow_guide_cache *c = calloc(1, sizeof *c);
    if (c) pthread_mutex_init(&c->mu, NULL);
    return c;
}

void ow_guide_cache_free(ow_guide_cache *c) {
    if (!c) return;
    for (int i = 0; i < GUIDE_SLOTS; i++)
        json_decref(c->slots[i].guide);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static unsigned slot_of(int64_t item_id, int version) {
    uint64_t h = ((uint64_t)item_id * 31u + (uint64_t)version) * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 40) % GUIDE_SLOTS;
}

/* A new reference to the cached guide, or NULL. */
static json_t *cache_get(ow_guide_cache *c, int64_t item_id, int version) {
    json_t *g = NULL;
    pthread_mutex_lock(&c->mu);
    for (unsigned i = slot_of(item_id, version);; i = (i + 1) % GUIDE_SLOTS) {
        guide_slot *s = &c->slots[i];
        if (!s->guide) break;
        if (s->item_id == item_id && s->version == version) {
            g = json_incref(s->guide);
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return g;
}

static void cache_put(ow_guide_cache *c, int64_t item_id, int version, json_t *g) {
    pthread_mutex_lock(&c->mu);
    if (c->n < GUIDE_MAX) {
        for (unsigned i = slot_of(item_id, version);; i = (i + 1) % GUIDE_SLOTS) {
            guide_slot *s = &c->slots[i];
            if (s->guide && s->item_id == item_id && s->version == version) break; /* raced */
            if (!s->guide) {
                *s = (guide_slot){item_id, version, json_incref(g)};
                c->n++;
                break;
            }
        }
    }
    pthread_mutex_unlock(&c->mu);
}

/* The current published version of the item, OW_ENOTFOUND when it is not public. */
static int current_version(ow_ctx *cx, int64_t item_id, int *version) {
    return ow_catalog_store_public_version(cx->db, item_id, version, &cx->err);
}

int ow_catalog_guide_shared(ow_ctx *cx, int64_t item_id, int version, json_t **out) {
    *out = NULL;
    ow_guide_cache *c = cx->app ? cx->app->guides : NULL;
    if (!c)
        return version ? ow_catalog_version_json(cx, item_id, version, out)
                       : ow_catalog_published_json(cx, item_id, out);
    int rc;
    if (!version && (rc = current_version(cx, item_id, &version))) return rc;
    if ((*out = cache_get(c, item_id, version))) return OW_OK;
    if ((rc = ow_catalog_version_json(cx, item_id, version, out))) return rc;
    /* Only what is committed: inside the writer's transaction a version being published
     * in the same batch is visible and may still roll back. */
    if (!ow_db_in_tx(cx->db)) cache_put(c, item_id, version, *out);
    return OW_OK;
}
