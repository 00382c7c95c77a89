/* notify_store.h — the tables of notifications (issue 20) behind typed functions:
 * `messages` and `notify_templates`.  src/notify/ keeps the rules and makes no statement
 * call.  Instants are UTC milliseconds; strings of rows are copies in the arena given. */
#ifndef OW_STORE_NOTIFY_STORE_H
#define OW_STORE_NOTIFY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef struct ow_message_row {
    int64_t id, user_id, case_id, created_at, read_at; /* case_id, read_at 0: none */
    const char *event, *title, *body, *link;
    /* read back only: the SMS sent with it (sms_id 0: none) — its outbox row's state and
     * the newest delivery report's status and detail (NULL: none) */
    int64_t sms_id, sms_delivered_at, sms_failed_at, sms_not_before;
    const char *sms_error, *sms_report, *sms_report_detail;
} ow_message_row;

/* Insert a message; *inserted false when dedup_key was used already (nothing written). */
int ow_notify_store_message_insert(ow_db *db, const ow_message_row *m, const char *dedup_key,
                                   bool *inserted, ow_err *e);
typedef int (*ow_message_cb)(void *arg, const ow_message_row *m);
/* A person's messages, newest first; unread_only: those not read yet. */
int ow_notify_store_messages(ow_db *db, int64_t user_id, bool unread_only, int limit,
                             int64_t offset, ow_arena *a, ow_message_cb cb, void *arg, ow_err *e);
int ow_notify_store_count(ow_db *db, int64_t user_id, bool unread_only, int64_t *n, ow_err *e);
/* Mark one message (id > 0) or all of them (id 0) read; *found false when id is not theirs. */
int ow_notify_store_mark_read(ow_db *db, int64_t user_id, int64_t id, int64_t now_ms, bool *found,
                              ow_err *e);

/* Record the outbox row of the SMS that went with the message of dedup_key. */
int ow_notify_store_message_sms(ow_db *db, const char *dedup_key, int64_t outbox_id, ow_err *e);

/* An administrator's SMS text of an event (found false: the default applies). */
int ow_notify_store_sms_template(ow_db *db, const char *event, ow_arena *a, const char **text,
                                 bool *found, ow_err *e);
int ow_notify_store_sms_template_put(ow_db *db, const char *event, const char *text, int64_t by,
                                     int64_t now_ms, ow_err *e);
int ow_notify_store_sms_template_delete(ow_db *db, const char *event, ow_err *e);

/* An administrator's template of an event; found false when the default applies. */
int ow_notify_store_template(ow_db *db, const char *event, ow_arena *a, const char **title,
                             const char **body, int64_t *updated_at, bool *found, ow_err *e);
int ow_notify_store_template_put(ow_db *db, const char *event, const char *title, const char *body,
                                 int64_t by, int64_t now_ms, ow_err *e);
int ow_notify_store_template_delete(ow_db *db, const char *event, ow_err *e);

/* Whether the person switched SMS off (sms_opt_out). */
int ow_notify_store_sms_off(ow_db *db, int64_t user_id, bool *off, ow_err *e);
int ow_notify_store_sms_set(ow_db *db, int64_t user_id, bool off, int64_t now_ms, ow_err *e);

#endif
