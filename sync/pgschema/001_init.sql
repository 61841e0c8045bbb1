-- 001: the server's tables. Every table is in the connection's schema
-- (search_path), so one database can hold several servers' schemas.

-- One row: the database's id, its sequence and purge watermark, and
-- whether record bodies are encrypted (key_check is the server key's
-- encryption of a known text; NULL: bodies are plain JSON).
CREATE TABLE server_state (
	one       boolean PRIMARY KEY DEFAULT true CHECK (one),
	server_id text    NOT NULL,
	last_seq  bigint  NOT NULL DEFAULT 0,
	purged    bigint  NOT NULL DEFAULT 0,
	key_check bytea
);

-- The current version of every record: its JSON (AES-GCM sealed with
-- the server key when key_check is set), the server sequence of its last
-- change, and the device it came from unchanged ('' when merged).
CREATE TABLE records (
	id         text   PRIMARY KEY,
	commune    text   NOT NULL,
	seq        bigint NOT NULL UNIQUE,
	origin     text   NOT NULL DEFAULT '',
	deleted_ms bigint,
	body       bytea  NOT NULL
);
CREATE INDEX records_commune_seq ON records (commune, seq);
CREATE INDEX records_deleted ON records (deleted_ms) WHERE deleted_ms IS NOT NULL;

-- Enrolment codes (by hash) and devices (by id and token hash), as JSON.
CREATE TABLE enrolments (
	code_hash bytea       PRIMARY KEY,
	created   timestamptz NOT NULL,
	body      jsonb       NOT NULL
);
CREATE TABLE devices (
	id         text        PRIMARY KEY,
	token_hash bytea       NOT NULL UNIQUE,
	enrolled   timestamptz NOT NULL,
	body       jsonb       NOT NULL
);

-- Idempotency keys of pushes and their answers.
CREATE TABLE idempotency (
	device  text        NOT NULL,
	key     text        NOT NULL,
	hash    bytea       NOT NULL,
	seqs    jsonb       NOT NULL,
	created timestamptz NOT NULL,
	PRIMARY KEY (device, key)
);
