/* followers.c — see followers.h. */
#include "core/followers.h"

#include <assert.h>

void ow_followers_add(ow_followers *l, const void *f) {
    for (int i = 0; i < l->n; i++)
        if (l->v[i] == f) return;
    assert(l->n < OW_FOLLOWERS_MAX);
    if (l->n < OW_FOLLOWERS_MAX) l->v[l->n++] = f;
}
