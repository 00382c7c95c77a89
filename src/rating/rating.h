/* rating.h — 好差评: ratings of window services and of cases, and the
 * rectification (整改) every bad rating opens (issue 8; 国办发〔2019〕51号,
 * GB/T 39734-2020; docs/service-rules.md "Ratings").
 *
 * Five levels, 5 非常满意 … 1 非常不满意.  On site one rating per service (一次一评):
 * the clerk starts a service at their window, the evaluator kiosk at that window
 * shows the buttons while it is open.  Online one rating per case (一事一评): the
 * applicant on the portal, or anyone holding the link printed on the case's notice.
 * A rating of 不满意 or 非常不满意 opens a rectification for the responsible office
 * with a deadline in working days (config rectify_days, default 15). */
#ifndef OW_RATING_RATING_H
#define OW_RATING_RATING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_RATING_COMMENT_MAX_CHARS 500
#define OW_RATING_TAGS_MAX 8
#define OW_RATING_NOTE_MAX_CHARS 1000
#define OW_RATING_TOKEN_CHARS 32

const char *ow_rating_level_name(int level); /* 5 → 非常满意; NULL outside 1..5 */
static inline bool ow_rating_is_bad(int level) {
    return level <= 2;
}
/* The preset tags (评价标签), as a JSON object {"good":[…],"bad":[…]}. */
json_t *ow_rating_tags_json(void);

typedef struct ow_rating_in {
    int level;
    const char *comment; /* optional */
    const char **tags;   /* preset tags only */
    int ntags;
} ow_rating_in;

/* ---- window services and the kiosk ---- */

/* A clerk or agent starts a service at their own window / center / agent point; any
 * service still open there ends.  case_id 0: a service without a case. */
int ow_service_start(ow_ctx *cx, int64_t case_id, const char *topic, int64_t *id);
int ow_service_end(ow_ctx *cx, int64_t id);
/* The clerk's window now: {window, service|null, recent:[…]}. */
int ow_service_current_json(ow_ctx *cx, json_t **out);
/* What the kiosk at window_code shows (public). */
int ow_kiosk_json(ow_ctx *cx, const char *window_code, json_t **out);
/* The applicant taps a level at the kiosk: rates the window's open service. */
int ow_rating_kiosk(ow_ctx *cx, const char *window_code, int64_t service_id, const ow_rating_in *in,
                    int64_t *rating_id);

/* ---- cases ---- */

/* The code printed on a case's notice next to the rating link (keyed hash of the id). */
void ow_rating_case_token(const ow_ctx *cx, int64_t case_id, char out[OW_RATING_TOKEN_CHARS + 1]);
/* Rate a case: token NULL for its signed-in applicant (channel portal), else the
 * notice's code (channel notice, no sign-in needed).  The case must have ended. */
int ow_rating_case(ow_ctx *cx, int64_t case_id, const char *token, const ow_rating_in *in,
                   int64_t *rating_id);
/* The case as the rating page shows it: number, item, whether rated, the rating with
 * its rectification's outcome. */
int ow_rating_case_json(ow_ctx *cx, int64_t case_id, const char *token, json_t **out);

/* ---- reading ratings ---- */

typedef struct ow_rating_query {
    const char *channel;
    int level; /* 0 = any */
    bool bad_only;
    int64_t org_id;   /* responsible office filter (supervisors) */
    int32_t from, to; /* rated dates, OW_DATE_NONE = open */
    int page, per_page;
} ow_rating_query;

/* Citizens: their own; staff: their office's; supervisors and admins: all. */
int ow_rating_list_json(ow_ctx *cx, const ow_rating_query *q, json_t **items, int64_t *total);
int ow_rating_get_json(ow_ctx *cx, int64_t id, json_t **out);

/* ---- rectifications (整改) ---- */

typedef struct ow_rectify_in {
    const char *action;  /* visit, verify, close, review, publish */
    const char *note;    /* what was found / done / explained (required but for publish) */
    const char *outcome; /* verify: fixed, ledger, explained, appeal */
    int ledger_days;     /* verify ledger: working days for the ledger item */
    const char *result;  /* review: upheld, revoked */
} ow_rectify_in;

int ow_rectify_transition(ow_ctx *cx, int64_t id, const ow_rectify_in *in);
int ow_rectify_get_json(ow_ctx *cx, int64_t id, json_t **out);
typedef struct ow_rectify_query {
    const char *state; /* NULL = any; "active" = not closed */
    bool overdue;
    int page, per_page;
} ow_rectify_query;
int ow_rectify_list_json(ow_ctx *cx, const ow_rectify_query *q, json_t **items, int64_t *total);
/* Public: published rectifications (no personal data). */
int ow_rectify_public_json(ow_ctx *cx, int page, int per_page, json_t **items, int64_t *total);

/* The deadline of a rectification opened on `opened`: rectify_days working days. */
int ow_rectify_due(ow_ctx *cx, int32_t opened, int32_t *due);

/* After a calendar edit: every rectification not yet closed gets its deadline again
 * from its opening day (rectify_days working days).  *n recomputed. */
int ow_rectify_recompute_open(ow_ctx *cx, int *n);

/* Demo: ratings over the demo year on the demo cases and window services. */
int ow_rating_demo_seed(ow_ctx *cx);

/* ---- who follows the ratings ----
 *
 * Every rating and every step of a rectification is announced, in its transaction, to
 * the modules that follow them (the city exchange, issue 19), registered at start-up so
 * this module includes none of them (docs/architecture.md "Modules").  A follower's
 * error rolls the change back.  No personal data: the case number, never the person. */
typedef struct ow_rating_record {
    int64_t rating_id;
    const char *channel; /* window (the kiosk), online, … */
    int level;           /* 1 (非常不满意) … 5 (非常满意) */
    const char *case_no; /* "" for a window service */
    int64_t at;          /* UTC ms */
} ow_rating_record;
typedef struct ow_rectify_record {
    int64_t rectification_id, rating_id;
    const char *action; /* open, visit, verify, close, review, publish */
    const char *state;  /* the state after it */
    int64_t at;
} ow_rectify_record;
typedef struct ow_rating_follower {
    int (*rated)(ow_ctx *cx, const ow_rating_record *r);
    int (*rectified)(ow_ctx *cx, const ow_rectify_record *r);
} ow_rating_follower;
/* Register f (static storage) with app; registering the same one again does nothing. */
void ow_rating_follow(ow_app *app, const ow_rating_follower *f);

#endif
