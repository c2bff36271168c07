-- The session table of cookies-store-jdbc for PostgreSQL (9.5 or later).
-- Create it once, as the application's schema migrations do, or let the store create it on start
-- with createTable=true. The store names its table with the `table` setting (default cookies_session);
-- with another name, rename the table and both indexes below (<table>_expires_at, <table>_principal).
--
--   id              the session id (the core's ids are 43 characters)
--   data            the encoded session; NULL in a row that only holds a lock on an id with no session
--   expires_at      when the session expires; rows past it are never served, and the store's clean-up
--                   deletes them a bounded batch at a time, through the index below
--   lock_token      the token of the instance that holds the session's lock, or NULL
--   lock_until      when that lock's lease runs out; after it, another instance may take the lock
--   principal_hash  the index of sessions by user: SHA-256 of the logged-in user's principal name
--                   (32 bytes; no user name is stored in this column), NULL for an anonymous session
--   created_at      when the logged-in session was created or its user logged in (the application's
--                   clock), NULL for an anonymous session
--   ttl_ms          the idle timeout, in milliseconds, that a read slides the logged-in session's
--                   expiry back to, as it was at login; NULL for an anonymous session
--
-- A table created before the index of sessions by user lacks the last three columns and the last
-- index; docs/jdbc-store.md gives the ALTER TABLE statements that add them.

CREATE TABLE IF NOT EXISTS cookies_session (
    id             VARCHAR(128)             NOT NULL PRIMARY KEY,
    data           BYTEA,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lock_token     VARCHAR(64),
    lock_until     TIMESTAMP WITH TIME ZONE,
    principal_hash BYTEA,
    created_at     TIMESTAMP WITH TIME ZONE,
    ttl_ms         BIGINT
);

CREATE INDEX IF NOT EXISTS cookies_session_expires_at ON cookies_session (expires_at);

-- Partial: anonymous sessions have no entry in it, so writing them costs this index nothing.
CREATE INDEX IF NOT EXISTS cookies_session_principal ON cookies_session (principal_hash)
    WHERE principal_hash IS NOT NULL;
