-- Sign-in through the provincial identity platform over OpenID Connect (issue 20,
-- docs/decisions/0007-oidc.md).  The rules are in src/identity/, every statement in
-- src/store/identity_store.c.  Instants are UTC milliseconds.

-- One sign-in under way: what the browser was sent to the provider with.  The state is
-- kept as its hash (the browser holds the state itself, in the URL and a cookie); the
-- nonce and the PKCE verifier are needed again when the code comes back.  used_at is set
-- once, when the callback takes the row: a second callback with the same state is refused.
CREATE TABLE oidc_logins (
    id INTEGER PRIMARY KEY,
    state_hash TEXT NOT NULL UNIQUE,
    nonce TEXT NOT NULL UNIQUE,
    verifier TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX oidc_logins_created ON oidc_logins(created_at);

-- A provider identity (issuer, subject) and the account it signs into: made when a
-- citizen or enterprise first signs in (matched by ID number or USCC, or created), or by
-- an administrator for a staff account.  level: the assurance level last presented.
CREATE TABLE identity_links (
    id INTEGER PRIMARY KEY,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    level TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_sign_in_at INTEGER,
    UNIQUE (issuer, subject)
);
CREATE INDEX identity_links_user ON identity_links(user_id);

-- A session opened through the provider: the ID token it came with, sent back as
-- id_token_hint when the session ends so the provider can end its own.
CREATE TABLE oidc_sessions (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
    link_id INTEGER NOT NULL REFERENCES identity_links(id),
    id_token TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT ''
);
