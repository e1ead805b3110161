-- 0004: publishing to and syncing with ODK Central (OpenRosa servers).
--
-- These tables are this laptop's own: bundles leave them out (bundle.go),
-- so credentials never travel.

-- How to reach a project on a server. server is the project URL without
-- any token (https://HOST/v1/projects/ID). Either email + password (a web
-- user; session holds the current session token and when it expires) or
-- app_token (an app user) is set.
CREATE TABLE central_servers (
    server          TEXT NOT NULL PRIMARY KEY CHECK (server <> ''),
    email           TEXT NOT NULL DEFAULT '',
    password        TEXT NOT NULL DEFAULT '',
    app_token       TEXT NOT NULL DEFAULT '',
    session         TEXT NOT NULL DEFAULT '',
    session_expires TEXT NOT NULL DEFAULT '',
    insecure_ok     INTEGER NOT NULL DEFAULT 0 CHECK (insecure_ok IN (0, 1)),
    updated_at      TEXT NOT NULL
) WITHOUT ROWID;

-- Which survey version is which form version on which server: written by
-- publish and pull, read by sync. definition_hash is the sha256 of the
-- definition as it was published or pulled, so that sync can tell when the
-- survey version changed since.
CREATE TABLE central_links (
    survey_id       TEXT    NOT NULL,
    survey_version  INTEGER NOT NULL,
    server          TEXT    NOT NULL,
    xml_form_id     TEXT    NOT NULL CHECK (xml_form_id <> ''),
    form_version    TEXT    NOT NULL,
    definition_hash TEXT    NOT NULL,
    linked_at       TEXT    NOT NULL,
    PRIMARY KEY (survey_id, survey_version, server),
    FOREIGN KEY (survey_id, survey_version) REFERENCES surveys (id, version) ON DELETE CASCADE
) WITHOUT ROWID;

-- Where each response stands on each server. instance_id is the instanceID
-- the server last accepted (uuid:RESPONSE-ID for the first version);
-- sent_hash fingerprints what was sent, so that a later change is sent
-- again as an edit carrying deprecatedID.
CREATE TABLE central_sends (
    response_id TEXT    NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    server      TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'refused')),
    instance_id TEXT    NOT NULL DEFAULT '',
    sent_hash   TEXT    NOT NULL DEFAULT '',
    sent_at     TEXT    NOT NULL DEFAULT '',
    message     TEXT    NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (response_id, server)
) WITHOUT ROWID;
CREATE INDEX central_sends_server_state ON central_sends (server, state);
