//! The database schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version and is managed by
//! rusqlite_migration: version N means the first N migrations of
//! [`migrations`] have been applied, each in its own transaction.
//!
//! Migrations are append-only: a released migration is never edited; a
//! change to the schema is a new entry at the end.

use rusqlite_migration::{Migrations, M};

/// `PRAGMA application_id` of every Sentinella database: the ASCII bytes
/// `SNTL` read as a big-endian 32-bit integer (0x534E544C = 1397642316).
/// SQLite stores it at offset 68 of the file header; `file(1)` and our open
/// check use it to tell a Sentinella database from any other SQLite file.
pub const APPLICATION_ID: u32 = 0x534E_544C;

/// Version 1: organizations, assessments, answers, context answers.
const V1: &str = "
PRAGMA application_id = 1397642316;

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    -- Identity: kind + ISTAT code (+ name for Polis offices, as one comune
    -- can have several post offices). Computed by the library.
    org_key     TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('comune', 'polis_office')),
    istat_code  TEXT NOT NULL,
    name        TEXT NOT NULL,
    province    TEXT NOT NULL,
    region      TEXT NOT NULL,
    population  INTEGER NOT NULL CHECK (population >= 0)
);

CREATE TABLE assessments (
    id                    INTEGER PRIMARY KEY,
    organization_id       INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    content_hash          TEXT NOT NULL,
    status                TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'completed')),
    assessed_on           TEXT NOT NULL,          -- YYYY-MM-DD
    assessor_role         TEXT,
    created_at            TEXT NOT NULL,          -- RFC 3339, UTC
    updated_at            TEXT NOT NULL,          -- RFC 3339, UTC
    completed_at          TEXT,                   -- RFC 3339, UTC
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX assessments_by_organization ON assessments (organization_id, assessed_on);

CREATE TABLE answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    option_id     TEXT NOT NULL,
    note          TEXT,
    answered_at   TEXT NOT NULL,                  -- RFC 3339, UTC
    PRIMARY KEY (assessment_id, question_id)
) WITHOUT ROWID;

CREATE TABLE context_answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    option_id     TEXT NOT NULL,
    answered_at   TEXT NOT NULL,                  -- RFC 3339, UTC
    PRIMARY KEY (assessment_id, question_id)
) WITHOUT ROWID;
";

/// Version 2: where the user left off (question or context question id), so
/// the app resumes exactly there; and a cache of the score, refreshed in the
/// transaction of every change to the answers, valid only for the
/// questionnaire content whose hash is `score_hash` (lists of thousands of
/// assessments need not re-score them all); and the number of answered
/// questions, kept in the same transactions.
const V2: &str = "
ALTER TABLE assessments ADD COLUMN last_position TEXT;
ALTER TABLE assessments ADD COLUMN score_hash TEXT;
ALTER TABLE assessments ADD COLUMN score_overall REAL;
ALTER TABLE assessments ADD COLUMN score_tier TEXT;
ALTER TABLE assessments ADD COLUMN score_baseline_met INTEGER;
ALTER TABLE assessments ADD COLUMN score_gates_failed INTEGER;
ALTER TABLE assessments ADD COLUMN score_unknown INTEGER;
ALTER TABLE assessments ADD COLUMN score_unanswered INTEGER;
ALTER TABLE assessments ADD COLUMN score_in_scope INTEGER;
ALTER TABLE assessments ADD COLUMN answered_count INTEGER;
";

/// Version 3: the organisation's emergency contacts and the incidents
/// ("Incidente in corso"), with the log text being typed. The incident log and the marks (steps ticked,
/// deadlines done) are append-only: triggers refuse UPDATE and DELETE, so
/// what was acknowledged as saved can only be added to. An exercise is an
/// incident with `exercise = 1`, listed apart and never counted as real.
const V3: &str = "
CREATE TABLE contacts (
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT,
    email           TEXT,
    updated_at      TEXT NOT NULL,                -- RFC 3339, UTC
    PRIMARY KEY (organization_id, role)
) WITHOUT ROWID;

CREATE TABLE incidents (
    id                INTEGER PRIMARY KEY,
    organization_id   INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    exercise          INTEGER NOT NULL CHECK (exercise IN (0, 1)),
    case_id           TEXT NOT NULL,
    personal_data     TEXT NOT NULL CHECK (personal_data IN ('yes', 'no', 'unknown')),
    discovered_at     TEXT NOT NULL,              -- RFC 3339, UTC
    summary           TEXT NOT NULL,
    data_categories   TEXT NOT NULL,
    people_estimate   INTEGER,
    records_estimate  INTEGER,
    checklist_version TEXT NOT NULL,
    opened_at         TEXT NOT NULL,              -- RFC 3339, UTC
    closed_at         TEXT                        -- RFC 3339, UTC
);
CREATE INDEX incidents_by_organization ON incidents (organization_id, exercise, opened_at);

CREATE TABLE incident_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE RESTRICT,
    at           TEXT NOT NULL,                   -- RFC 3339, UTC
    kind         TEXT NOT NULL CHECK (kind IN ('fact', 'decision', 'call')),
    text         TEXT NOT NULL,
    contact_role TEXT
);
CREATE INDEX incident_log_by_incident ON incident_log (incident_id, seq);
CREATE TRIGGER incident_log_no_update BEFORE UPDATE ON incident_log
BEGIN SELECT RAISE(ABORT, 'the incident log is append-only'); END;
CREATE TRIGGER incident_log_no_delete BEFORE DELETE ON incident_log
BEGIN SELECT RAISE(ABORT, 'the incident log is append-only'); END;

-- The text being typed in the log box, saved as it is typed and cleared
-- in the transaction that appends it to the log: a crash loses nothing
-- typed (one row per incident).
CREATE TABLE incident_typing (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents (id) ON DELETE RESTRICT,
    text        TEXT NOT NULL,
    updated_at  TEXT NOT NULL                     -- RFC 3339, UTC
);

CREATE TABLE incident_marks (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE RESTRICT,
    item        TEXT NOT NULL,                    -- step id or deadline:<id>
    done        INTEGER NOT NULL CHECK (done IN (0, 1)),
    at          TEXT NOT NULL                     -- RFC 3339, UTC
);
CREATE INDEX incident_marks_by_incident ON incident_marks (incident_id, item, seq);
CREATE TRIGGER incident_marks_no_update BEFORE UPDATE ON incident_marks
BEGIN SELECT RAISE(ABORT, 'the incident marks are append-only'); END;
CREATE TRIGGER incident_marks_no_delete BEFORE DELETE ON incident_marks
BEGIN SELECT RAISE(ABORT, 'the incident marks are append-only'); END;
";

/// Version 4: what the coordinator's packs brought (see `crate::pack`):
/// the coordinator's key on record (trust on first use) and the last
/// sequence number applied (one row), the alerts and territory contacts of
/// the last pack (a pack replaces them), and the questionnaire versions
/// received (kept, for the next assessments). A pack is applied in one
/// transaction: all of it or nothing.
const V4: &str = "
CREATE TABLE pack_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    public_key       BLOB NOT NULL CHECK (length(public_key) = 32),
    fingerprint      TEXT NOT NULL,
    issuer_name      TEXT NOT NULL,
    issuer_territory TEXT NOT NULL,
    last_sequence    INTEGER NOT NULL CHECK (last_sequence >= 1),
    issued_on        TEXT NOT NULL,               -- YYYY-MM-DD
    payload_sha256   TEXT NOT NULL,
    key_recorded_at  TEXT NOT NULL,               -- RFC 3339, UTC
    applied_at       TEXT NOT NULL                -- RFC 3339, UTC
);

CREATE TABLE pack_alerts (
    position          INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    text              TEXT NOT NULL,
    date              TEXT NOT NULL,              -- YYYY-MM-DD
    severity          TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    audience          TEXT NOT NULL CHECK (audience IN ('comuni', 'polis', 'both')),
    expires_on        TEXT NOT NULL,              -- YYYY-MM-DD
    related_questions TEXT NOT NULL               -- JSON array of question ids
);

CREATE TABLE pack_contacts (
    role  TEXT PRIMARY KEY CHECK (role IN ('cosc', 'regional_csirt', 'referent')),
    name  TEXT NOT NULL,
    phone TEXT,
    email TEXT
) WITHOUT ROWID;

CREATE TABLE pack_questionnaires (
    questionnaire_id TEXT NOT NULL,
    version          TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    content          TEXT NOT NULL,               -- the questionnaire JSON
    sequence         INTEGER NOT NULL,            -- the pack that brought it
    PRIMARY KEY (questionnaire_id, version)
) WITHOUT ROWID;
";

/// Every migration, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(V1), M::up(V2), M::up(V3), M::up(V4)])
}

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = 4;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_latest_matches() {
        assert!(migrations().validate().is_ok());
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        assert!(migrations().to_latest(&mut conn).is_ok());
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST_VERSION);
        let id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, i64::from(APPLICATION_ID));
    }
}
