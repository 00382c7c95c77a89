-- The city's e-license index (跨区域互认, docs/exchange.md "The e-license hub"): one row per
-- license a district registered with license.issued, changed by license.revoked.  No ID
-- number in clear: the holder is the district's mask and an HMAC under the city-wide key.
CREATE TABLE exchange_city_licenses (
    district TEXT NOT NULL,
    number TEXT NOT NULL,
    type TEXT NOT NULL,
    issuer TEXT NOT NULL,
    holder_kind TEXT NOT NULL,
    holder_masked TEXT NOT NULL,
    holder_hmac TEXT NOT NULL,            -- "" when the district has no exchange_holder_key
    issued_date TEXT NOT NULL,
    valid_until TEXT NOT NULL,            -- "" for long-term
    cert_hash TEXT NOT NULL,              -- SHA-256 of the certificate as the district holds it
    status TEXT NOT NULL,                 -- valid, revoked
    revoked_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (district, number)
);
CREATE INDEX exchange_city_licenses_holder ON exchange_city_licenses (holder_hmac);
