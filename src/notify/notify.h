/* notify.h — notifications (issue 20): in-app messages (消息中心) to applicants when their
 * case is accepted, needs 补正 (listing what), is decided and is ready to collect, from
 * templates per event that administrators edit, whose variables are checked when saved.
 *
 * Above cases/ and account/: it follows the cases (ow_cases_follow) rather than being
 * called by them, so no arrow points from cases into it; src/main.c registers it and
 * appends its routes (notify_api.h), as for the hall and the identity platform. */
#ifndef OW_NOTIFY_NOTIFY_H
#define OW_NOTIFY_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "core/ctx.h"

/* Register the case follower that writes the messages (in the case's transaction), after
 * checking the SMS settings (sms_quiet_hours): OW_EINVAL naming the setting. */
int ow_notify_setup(ow_app *app, ow_err *e);

/* Every event with its variables, its default and its current template (admin). */
int ow_notify_templates_json(ow_ctx *cx, json_t **out);
/* Check and save an event's template (admin): OW_EINVAL naming title or body for a
 * variable the event does not have, an unclosed brace, empty or too long text. */
int ow_notify_template_put(ow_ctx *cx, const char *event, const char *title, const char *body);
/* Back to the default (admin). */
int ow_notify_template_reset(ow_ctx *cx, const char *event);
/* Check and save an event's SMS text (admin), checked as the in-app template (field
 * text); OW_EINVAL `no_sms` naming event for an event that sends no SMS.  *warning (in
 * cx's arena, else NULL) when the text with the signature runs past one 70-character
 * segment: it is saved, and sent in several. */
int ow_notify_sms_template_put(ow_ctx *cx, const char *event, const char *text, char **warning);
int ow_notify_sms_template_reset(ow_ctx *cx, const char *event);

/* The actor's messages, newest first, and how many are unread. */
int ow_notify_messages_json(ow_ctx *cx, bool unread_only, int page, int per_page, json_t **items,
                            int64_t *total);
int ow_notify_unread(ow_ctx *cx, int64_t *n);
/* Mark one of the actor's messages read (id > 0), or all (id 0). */
int ow_notify_mark_read(ow_ctx *cx, int64_t id);

/* The actor's SMS setting: on unless switched off, and whether the account has a mobile
 * number to send to. */
int ow_notify_sms_setting(ow_ctx *cx, bool *sms_on, bool *has_mobile);
/* Switch the actor's SMS on or off (audited). */
int ow_notify_sms_set(ow_ctx *cx, bool sms_on);

#endif
