-- 0002: merging bundles from other laptops (see merge.go).
--
-- content_hash is a fingerprint of a response's content (survey version,
-- language, status, times, result and answers), so that a merge can tell
-- a duplicate from a conflict without reading every answer again. It is
-- NULL until a merge or an export needs it, and goes back to NULL whenever
-- the response changes: every store method that writes answers also
-- updates the response row (its updated_at), which fires the trigger.
ALTER TABLE responses ADD COLUMN content_hash TEXT;

CREATE TRIGGER responses_content_changed
AFTER UPDATE OF survey_id, survey_version, language, started_at, updated_at, submitted_at, status, result
ON responses
WHEN NEW.content_hash IS NOT NULL
BEGIN
    UPDATE responses SET content_hash = NULL WHERE id = NEW.id;
END;

-- Conflict copies point at the response they clashed with.
CREATE INDEX responses_conflict_of ON responses (conflict_of) WHERE conflict_of IS NOT NULL;

-- Versions of a response that staff dropped when resolving a conflict, so
-- that merging an old bundle again does not bring them back.
CREATE TABLE merge_dropped (
    response_id  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    dropped_at   TEXT NOT NULL,
    PRIMARY KEY (response_id, content_hash)
) WITHOUT ROWID;
