-- The session table of cookies-store-jdbc for PostgreSQL (9.5 or later).
-- Create it once, as the application's schema migrations do, or let the store create it on start
-- with createTable=true. The store names its table with the `table` setting (default cookies_session);
-- with another name, rename both the table and the index below.
--
--   id          the session id (the core's ids are 43 characters)
--   data        the encoded session; NULL in a row that only holds a lock on an id with no session
--   expires_at  when the session expires; rows past it are never served, and the store's clean-up
--               deletes them a bounded batch at a time, through the index below
--   lock_token  the token of the instance that holds the session's lock, or NULL
--   lock_until  when that lock's lease runs out; after it, another instance may take the lock

CREATE TABLE IF NOT EXISTS cookies_session (
    id         VARCHAR(128)             NOT NULL PRIMARY KEY,
    data       BYTEA,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lock_token VARCHAR(64),
    lock_until TIMESTAMP WITH TIME ZONE
);

CREATE INDEX IF NOT EXISTS cookies_session_expires_at ON cookies_session (expires_at);
