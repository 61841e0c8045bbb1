-- 003: small keyed values of the province's dashboard (users, sessions,
-- audit), sealed with the server key like the records.
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value bytea NOT NULL
);
