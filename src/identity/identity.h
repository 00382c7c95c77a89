/* identity.h — sign-in through the provincial unified identity platform (统一身份认证)
 * over OpenID Connect (issue 20, docs/decisions/0007-oidc.md).
 *
 * Above account/ (sessions, accounts), audit/ and app/: it includes them and nothing
 * includes it.  src/main.c starts it with the configuration and appends its routes
 * (identity_api.h) to the others, as it does for the hall and the assessment. */
#ifndef OW_IDENTITY_IDENTITY_H
#define OW_IDENTITY_IDENTITY_H

#include "core/config.h"
#include "core/err.h"

/* Make the process's relying party from oidc_* (nothing when oidc_issuer is ""). */
int ow_identity_start(const ow_config *cfg, ow_err *e);
void ow_identity_stop(void);

#endif
