-- Tables of the JDBC ReplayGuard and RevocationList (portable SQL: PostgreSQL, H2, and others).
-- Times are epoch seconds or milliseconds as named; token ids are base64url (22 characters).
CREATE TABLE IF NOT EXISTS ms_token_use (
    token_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    uses          INTEGER      NOT NULL,
    expires_at_ms BIGINT       NOT NULL
);
CREATE TABLE IF NOT EXISTS ms_token_revoked (
    token_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    expires_at_ms BIGINT       NOT NULL
);
CREATE TABLE IF NOT EXISTS ms_subject_revoked (
    subject       VARCHAR(1024) NOT NULL PRIMARY KEY,
    issued_up_to  BIGINT        NOT NULL
);
