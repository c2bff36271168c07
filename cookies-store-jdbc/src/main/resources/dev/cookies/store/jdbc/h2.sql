-- The session table of cookies-store-jdbc for H2 (2.x).
-- Create it once, or let the store create it on start with createTable=true. The store names its
-- table with the `table` setting (default cookies_session); with another name, rename the table and
-- both indexes below. The columns are those of postgresql.sql, which describes them. H2 has no
-- partial indexes: the principal_hash index also holds the anonymous sessions' NULLs.

CREATE TABLE IF NOT EXISTS cookies_session (
    id             VARCHAR(128)             NOT NULL PRIMARY KEY,
    data           VARBINARY,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lock_token     VARCHAR(64),
    lock_until     TIMESTAMP WITH TIME ZONE,
    principal_hash VARBINARY(32),
    created_at     TIMESTAMP WITH TIME ZONE,
    ttl_ms         BIGINT
);

CREATE INDEX IF NOT EXISTS cookies_session_expires_at ON cookies_session (expires_at);

CREATE INDEX IF NOT EXISTS cookies_session_principal ON cookies_session (principal_hash);
