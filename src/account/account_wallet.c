/* account_wallet.c — the key of a person's or enterprise's wallet (issue 7): the
 * keyed blind index of their ID number or USCC, without decrypting anything. */
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "core/crypto.h"
#include "store/db.h"

int ow_account_holder_idx(ow_ctx *cx, int64_t user_id, char out[65]) {
    static const char *sql = "SELECT kind, coalesce(id_number_idx, ''), coalesce(uscc, '')"
                             " FROM users WHERE id = ?";
    out[0] = '\0';
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        const char *kind = ow_col_text(st, 0);
        const char *idx = ow_col_text(st, 1);
        const char *uscc = ow_col_text(st, 2);
        if (!strcmp(kind, "citizen") && *idx) {
            memcpy(out, idx, strlen(idx) < 64 ? strlen(idx) + 1 : 65);
            out[64] = '\0';
        } else if (!strcmp(kind, "enterprise") && *uscc) {
            ow_blind_index(&cx->app->keys, "uscc", uscc, out);
        }
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(cx->db, "holder index", &cx->err);
    return OW_OK;
}
