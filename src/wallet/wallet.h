/* wallet.h — the e-license library (电子证照库) and the materials wallet (电子资料卡包).
 *
 * When a case is approved, the item's result (结婚证, 营业执照, 食品经营许可证 …) is
 * issued as an e-license to the applicant, identified by ID number or USCC (一号申请):
 * type, number, holder (encrypted, blind-indexed), issuing department, validity, its
 * data fields, and a verification code in the document register (docs.h), so
 * /verify/{code} answers whether it is genuine and current.  Licenses can be revoked
 * (reason, audited) and expire.
 *
 * The wallet of a person or enterprise is their licenses plus the materials accepted
 * in their earlier cases.  When they apply for an item whose materials name a license
 * type (the catalog's license_type) or a material they hold, the apply form offers it
 * and the case records a reference instead of a new upload (免提交, 互认共享). */
#ifndef OW_WALLET_WALLET_H
#define OW_WALLET_WALLET_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_LICENSE_REVOKE_REASON_MAX_CHARS 200

/* What the cases module hands over when a case is approved. */
typedef struct ow_license_issue_in {
    int64_t case_id;
    const char *case_no;
    int64_t item_id;
    int item_version;
    const char *item_name;
    const char *holder_kind;   /* person, enterprise */
    const char *holder_number; /* ID number or USCC, plain (encrypted here) */
    const char *holder_idx;    /* its blind index (as the case stores it) */
    const char *holder_masked;
    const char *holder_name;
    const char *title; /* what was applied for, in the applicant's words */
    int64_t dept_id;
} ow_license_issue_in;

/* Issue the item's result as an e-license.  *id = 0 when the result is not a
 * certificate (a payment, a registration without a document).  Writer. */
int ow_wallet_issue_for_case(ow_ctx *cx, const ow_license_issue_in *in, int64_t *id);
/* Is this result name a certificate, and which type (《食品经营许可证》 → 食品经营许可证)? */
int ow_wallet_license_type(const char *result_name, char *type, size_t type_size);

/* Who hears of a license revoked (src/exchange tells the city's index), in the
 * revocation's transaction; an error rolls it back.  Registered once at start-up. */
typedef struct ow_wallet_follower {
    int (*revoked)(ow_ctx *cx, const char *number, int64_t at_ms);
} ow_wallet_follower;
void ow_wallet_follow(ow_app *app, const ow_wallet_follower *f);

/* Revoke (approver of the issuing department, admin): reason required; audited. */
int ow_wallet_revoke(ow_ctx *cx, int64_t id, const char *reason);
/* Revoke the license case_id issued, if it issued one still valid (the case's decision was
 * revoked: a false commitment, issue 22); as ow_wallet_revoke, by the system. */
int ow_wallet_revoke_for_case(ow_ctx *cx, int64_t case_id, const char *reason);
/* One license: the holder, staff of the issuing department, supervisors, admins. */
int ow_wallet_license_json(ow_ctx *cx, int64_t id, json_t **out);
/* Writer: the license's certificate was rendered and frozen under code (docs.h): the
 * audit row license.certificate_issue with the PDF's SHA-256 and size. */
int ow_wallet_certificate_issued(ow_ctx *cx, int64_t id, const char *code, const char *sha256,
                                 int64_t size);
/* The signed-in citizen's or enterprise's blind index (their wallet's key);
 * OW_EFORBIDDEN for staff. */
int ow_wallet_holder_idx(ow_ctx *cx, const char **idx);
/* The signed-in citizen's or enterprise's wallet: {licenses:[…], materials:[…]}. */
int ow_wallet_mine_json(ow_ctx *cx, json_t **out);
/* For each of an item's materials, what the wallet can stand in with:
 * [{material, required, license_type, licenses:[…], materials:[…]}]. */
int ow_wallet_offers_json(ow_ctx *cx, int64_t item_id, json_t **out);
/* Attach a wallet item to a case instead of an upload: a valid license of the
 * material's license type held by the case's applicant, or one of their accepted
 * materials of the same name.  Exactly one of license_id, material_id. */
int ow_wallet_attach(ow_ctx *cx, int64_t case_id, const char *material, int64_t license_id,
                     int64_t material_id, int64_t *id);

/* The license case_id issued, as its id and type (*id 0 when it issued none): what a
 * one-thing bundle (src/bundle) attaches to the case that waits for it. */
int ow_wallet_license_of_case(ow_ctx *cx, int64_t case_id, int64_t *id, char *type,
                              size_t type_size);

/* The demo: demo-citizen's marriage registration carried through to 已办结 so their
 * wallet holds a 结婚证 (init --demo). */
int ow_wallet_demo_seed(ow_ctx *cx);

#endif
