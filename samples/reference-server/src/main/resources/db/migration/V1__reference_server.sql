-- MediaStore reference server schema (portable: H2 2.x and PostgreSQL 14+).
-- Times are epoch milliseconds. Ids are prefixed random strings (u_, g_, c_, a_, s_).
-- Rolling updates: a release only adds tables and nullable columns; drops wait one release.
CREATE TABLE ms_user (
    id                   VARCHAR(40)   NOT NULL PRIMARY KEY,
    username             VARCHAR(64)   NOT NULL UNIQUE,
    display_name         VARCHAR(200)  NOT NULL,
    password_hash        VARCHAR(1024) NOT NULL,
    must_change_password BOOLEAN       NOT NULL,
    disabled             BOOLEAN       NOT NULL,
    created_at           BIGINT        NOT NULL
);
CREATE TABLE ms_user_role (
    user_id VARCHAR(40) NOT NULL,
    role_name VARCHAR(32) NOT NULL,
    PRIMARY KEY (user_id, role_name)
);
CREATE TABLE ms_group (
    name       VARCHAR(64) NOT NULL PRIMARY KEY,
    created_at BIGINT      NOT NULL
);
CREATE TABLE ms_group_member (
    group_name VARCHAR(64) NOT NULL,
    user_id    VARCHAR(40) NOT NULL,
    PRIMARY KEY (group_name, user_id)
);
CREATE TABLE ms_session (
    id_hash    VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(40) NOT NULL,
    csrf_token VARCHAR(64) NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX ms_session_user ON ms_session (user_id);
CREATE TABLE ms_login_throttle (
    throttle_key  VARCHAR(300) NOT NULL PRIMARY KEY,
    failures      INTEGER      NOT NULL,
    blocked_until BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);
CREATE TABLE ms_collection (
    id         VARCHAR(40)  NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    parent_id  VARCHAR(40),
    owner_id   VARCHAR(40)  NOT NULL,
    created_at BIGINT       NOT NULL
);
CREATE TABLE ms_asset (
    id               VARCHAR(40)   NOT NULL PRIMARY KEY,
    title            VARCHAR(500)  NOT NULL,
    description      VARCHAR(5000) NOT NULL,
    collection_id    VARCHAR(40),
    owner_id         VARCHAR(40)   NOT NULL,
    content_type     VARCHAR(200)  NOT NULL,
    file_name        VARCHAR(255)  NOT NULL,
    size_bytes       BIGINT        NOT NULL,
    sha256           VARCHAR(64)   NOT NULL,
    blob_key         VARCHAR(300)  NOT NULL,
    created_at       BIGINT        NOT NULL,
    kind             VARCHAR(10)   NOT NULL,
    video_state      VARCHAR(20),
    video_progress   DOUBLE PRECISION,
    video_error      VARCHAR(500),
    worker_id        VARCHAR(64),
    worker_heartbeat BIGINT
);
CREATE INDEX ms_asset_order ON ms_asset (created_at, id);
CREATE INDEX ms_asset_video ON ms_asset (video_state);
CREATE TABLE ms_share (
    id             VARCHAR(40)  NOT NULL PRIMARY KEY,
    asset_id       VARCHAR(40)  NOT NULL,
    principal_type VARCHAR(10)  NOT NULL,
    principal      VARCHAR(200) NOT NULL,
    share_role     VARCHAR(20)  NOT NULL,
    not_after      BIGINT,
    created_at     BIGINT       NOT NULL
);
CREATE INDEX ms_share_asset ON ms_share (asset_id);
CREATE TABLE ms_token_key (
    kid         VARCHAR(64)  NOT NULL PRIMARY KEY,
    wrap_key_id VARCHAR(64)  NOT NULL,
    wrapped     VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL,
    retired_at  BIGINT
);
CREATE TABLE ms_content_key (
    key_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    asset_id      VARCHAR(40)  NOT NULL,
    master_key_id VARCHAR(64)  NOT NULL,
    wrapped       VARCHAR(200) NOT NULL,
    created_at    BIGINT       NOT NULL
);
CREATE INDEX ms_content_key_asset ON ms_content_key (asset_id);
-- mediastore-tokens' JDBC replay guard and revocation list (copied from io/mediastore/tokens/spi/schema.sql)
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
