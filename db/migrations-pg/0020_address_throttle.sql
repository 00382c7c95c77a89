-- Per-address throttles shared by every node (db/migrations/0020_address_throttle.sql).
CREATE TABLE address_throttle (
    kind TEXT NOT NULL,
    ip TEXT NOT NULL,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (kind, ip)
);
CREATE INDEX address_throttle_stale ON address_throttle(kind, window_start);
