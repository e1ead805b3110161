-- 0001: the first Canvass schema.
--
-- Times are UTC text of fixed width, 2006-01-02T15:04:05.000Z, so that text
-- order is time order and date-range filters can use the indexes.
-- Flags are 0/1 integers. JSON columns are checked with json_valid.

CREATE TABLE surveys (
    id           TEXT    NOT NULL CHECK (id <> ''),
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT    NOT NULL CHECK (json_valid(title)),  -- survey.Text as JSON
    template     TEXT    NOT NULL DEFAULT '',
    definition   TEXT    NOT NULL CHECK (json_valid(definition)),
    content_hash TEXT    NOT NULL,  -- sha256 of the definition with its version set to 0
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    PRIMARY KEY (id, version)
);

CREATE TABLE events (
    id         TEXT    NOT NULL PRIMARY KEY CHECK (id <> ''),
    name       TEXT    NOT NULL,
    venue      TEXT    NOT NULL DEFAULT '',
    date       TEXT,   -- 2006-01-02; NULL when no date was given
    notes      TEXT    NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    closed     INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at TEXT    NOT NULL
);
-- At most one event is active.
CREATE UNIQUE INDEX events_one_active ON events (active) WHERE active = 1;

CREATE TABLE responses (
    id             TEXT    NOT NULL PRIMARY KEY CHECK (id <> ''),
    survey_id      TEXT    NOT NULL,
    survey_version INTEGER NOT NULL,
    event_id       TEXT    REFERENCES events (id) ON DELETE SET NULL,
    device_id      TEXT    NOT NULL,
    language       TEXT    NOT NULL DEFAULT '',
    started_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    submitted_at   TEXT,
    status         TEXT    NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'complete', 'abandoned')),
    result         TEXT    CHECK (result IS NULL OR json_valid(result)),
    conflict_of    TEXT,   -- id of the response this one clashed with in a merge
    FOREIGN KEY (survey_id, survey_version) REFERENCES surveys (id, version)
);
CREATE INDEX responses_survey_status  ON responses (survey_id, status);
CREATE INDEX responses_survey_started ON responses (survey_id, started_at);
CREATE INDEX responses_event          ON responses (event_id, started_at);
CREATE INDEX responses_started        ON responses (started_at);

CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question    TEXT NOT NULL CHECK (question <> ''),
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (response_id, question)
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);
