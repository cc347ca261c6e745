-- MediaStore ACL policy store, schema version 1. Portable SQL (PostgreSQL, H2); statements end with ';'.
CREATE TABLE acl_version (
    id INTEGER NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL,
    next_seq BIGINT NOT NULL
);
INSERT INTO acl_version (id, version, next_seq) VALUES (1, 0, 0);
CREATE TABLE acl_membership (
    member_kind VARCHAR(5) NOT NULL,
    member_id VARCHAR(256) NOT NULL,
    parent_kind VARCHAR(5) NOT NULL,
    parent_id VARCHAR(256) NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (member_kind, member_id, parent_kind, parent_id)
);
CREATE TABLE acl_object (
    model VARCHAR(64) NOT NULL,
    object_id VARCHAR(256) NOT NULL,
    parent_model VARCHAR(64),
    parent_id VARCHAR(256),
    owner_kind VARCHAR(5),
    owner_id VARCHAR(256),
    inheritance_blocked BOOLEAN NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (model, object_id)
);
CREATE TABLE acl_grant (
    id VARCHAR(256) NOT NULL PRIMARY KEY,
    effect VARCHAR(5) NOT NULL,
    subject_kind VARCHAR(5) NOT NULL,
    subject_id VARCHAR(256) NOT NULL,
    scope VARCHAR(6) NOT NULL,
    model VARCHAR(64) NOT NULL,
    object_id VARCHAR(256),
    actions VARCHAR(4000),
    role_name VARCHAR(64),
    not_before BIGINT,
    not_after BIGINT,
    seq BIGINT NOT NULL
);
CREATE INDEX acl_grant_target ON acl_grant (model, object_id);
CREATE INDEX acl_grant_subject ON acl_grant (subject_kind, subject_id);
