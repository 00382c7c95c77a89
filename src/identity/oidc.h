/* oidc.h — the relying party's half of OpenID Connect (issue 20,
 * docs/decisions/0007-oidc.md): the provider's metadata from discovery, the code
 * exchanged for tokens (PKCE), and the ID token checked — signature against the
 * provider's JWKS (refetched when a token names a key we do not hold: rotation), issuer,
 * audience, expiry, issue time and nonce.  JOSE is cjose's (Debian libcjose0), HTTP is
 * libcurl's.  One ow_oidc per process; its caches are shared by every thread under a
 * mutex.  The network calls block: call them on the pool, never inline or on the writer. */
#ifndef OW_IDENTITY_OIDC_H
#define OW_IDENTITY_OIDC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/err.h"

typedef struct ow_oidc ow_oidc;

/* NULL when cfg->oidc_issuer is "" (sign-in through the provider is off). */
ow_oidc *ow_oidc_new(const ow_config *cfg);
void ow_oidc_free(ow_oidc *o);
const char *ow_oidc_issuer(const ow_oidc *o);

/* The provider's endpoints, copied into the arena (end_session is "" when it has none). */
typedef struct ow_oidc_endpoints {
    const char *authorization, *token, *jwks, *end_session;
} ow_oidc_endpoints;
int ow_oidc_discover(ow_oidc *o, ow_arena *a, ow_oidc_endpoints *out, ow_err *e);

/* The PKCE S256 challenge of a verifier (43 base64url characters). */
void ow_oidc_pkce_challenge(const char *verifier, char out[44]);
/* s percent-encoded for a URL's query, into the arena. */
const char *ow_oidc_urlencode(ow_arena *a, const char *s);

/* Exchange an authorization code for the ID token (client_secret_basic, with the PKCE
 * verifier); *id_token in the arena. */
int ow_oidc_exchange(ow_oidc *o, const char *code, const char *verifier, const char *redirect_uri,
                     ow_arena *a, const char **id_token, ow_err *e);

/* Check an ID token as a whole and answer its claims (the caller json_decref's them).
 * The error's kind names what failed: id_token_malformed, id_token_alg, id_token_key,
 * id_token_signature, id_token_issuer, id_token_audience, id_token_expired, id_token_iat,
 * id_token_nonce, id_token_subject (all 401). */
int ow_oidc_verify(ow_oidc *o, const char *id_token, const char *nonce, int64_t now_ms,
                   json_t **claims, ow_err *e);

/* A back-channel logout token (OIDC Back-Channel Logout 1.0 §2.6), checked as an ID token
 * is — signature against the JWKS, iss, aud, iat — and as a logout token: jti present,
 * events holding the back-channel-logout event as an object, sub or sid (or both), and no
 * nonce; iat no older than OW_OIDC_LOGOUT_MAX_AGE_S.  Its claims (json_decref them).
 * Refusals are 400 (OW_EINVAL) naming logout_token: logout_token_malformed, _alg, _key,
 * _signature, _issuer, _audience, _iat, _expired, _jti, _events, _nonce, _subject.
 * That the jti was not seen before is the caller's to check (the database's). */
#define OW_OIDC_LOGOUT_MAX_AGE_S 600
int ow_oidc_verify_logout(ow_oidc *o, const char *logout_token, int64_t now_ms, json_t **claims,
                          ow_err *e);

#endif
