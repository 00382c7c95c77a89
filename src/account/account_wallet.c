/* account_wallet.c — the key of a person's or enterprise's wallet (issue 7): the
 * keyed blind index of their ID number or USCC, without decrypting anything. */
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "core/crypto.h"
#include "store/account_store.h"

int ow_account_holder_idx(ow_ctx *cx, int64_t user_id, char out[65]) {
    const char *kind, *idx, *uscc;
    out[0] = '\0';
    int rc = ow_account_store_holder(cx->db, user_id, cx->arena, &kind, &idx, &uscc, &cx->err);
    if (rc || !kind) return rc;
    if (!strcmp(kind, "citizen") && *idx) {
        memcpy(out, idx, strlen(idx) < 64 ? strlen(idx) + 1 : 65);
        out[64] = '\0';
    } else if (!strcmp(kind, "enterprise") && *uscc) {
        ow_blind_index(&cx->app->keys, "uscc", uscc, out);
    }
    return OW_OK;
}
