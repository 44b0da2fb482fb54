//! The session file, `sentinella-workshop/1`: a session exported as JSON
//! (to render its debrief elsewhere, or to keep it). Counts only, no names.
//!
//! The reader is strict, like the result reader: at most
//! [`MAX_SESSION_BYTES`], UTF-8, nested at most [`MAX_JSON_DEPTH`] deep,
//! the format tag checked before anything else (another version of the
//! format is named as such), unknown fields refused, and the content
//! checked against its questionnaire with the same rules as the presenter
//! window ([`Session::record_counts`]): no negative count, no more answers
//! than the room holds, no question the questionnaire does not have.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::session::{minutes_from, room_from, Session, Tally, TallySource, WorkshopError};
use crate::model::{Questionnaire, QuestionnaireRef};

/// The format tag of a session file.
pub const WORKSHOP_FORMAT: &str = "sentinella-workshop/1";
/// The prefix every version of the format shares.
const FORMAT_PREFIX: &str = "sentinella-workshop/";
/// Largest session file read (a session of 200 questions is about 30 KB).
pub const MAX_SESSION_BYTES: u64 = 512 * 1024;
/// Deepest nesting accepted (the format needs 4).
pub const MAX_JSON_DEPTH: usize = 8;

/// A session file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFile {
    /// `sentinella-workshop/1`.
    pub format: String,
    /// The questionnaire and version.
    pub questionnaire: QuestionnaireRef,
    /// Chosen domain ids.
    pub domains: Vec<String>,
    /// Time plan, minutes.
    pub minutes: i64,
    /// Declared room size.
    pub room_size: i64,
    /// Index of the question on screen.
    pub current: i64,
    /// When the session was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// One entry per question, in order.
    pub questions: Vec<FileTally>,
}

/// One question's tally in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileTally {
    /// Question id.
    pub id: String,
    /// Counts by option index.
    pub counts: Vec<i64>,
    /// Shown to the room.
    pub revealed: bool,
    /// Where the counts came from.
    pub source: TallySource,
}

/// Why a session file was refused.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Larger than [`MAX_SESSION_BYTES`].
    #[error("the file is too large ({size} bytes; a session file has at most {limit} bytes)")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// Not UTF-8.
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    /// Nested too deep.
    #[error("the JSON is nested more than {MAX_JSON_DEPTH} levels deep: not a session file")]
    TooDeep,
    /// Not JSON.
    #[error("the file is not valid JSON: {0}")]
    Json(String),
    /// No format tag, or another format.
    #[error(
        "not a Sentinella workshop session file (format {found:?}, expected {WORKSHOP_FORMAT:?})"
    )]
    NotSession {
        /// The format tag found, if any.
        found: Option<String>,
    },
    /// Another version of the format.
    #[error(
        "session file format {found:?} is not supported (this version reads {WORKSHOP_FORMAT:?})"
    )]
    Version {
        /// The format tag found.
        found: String,
    },
    /// The right format tag but a wrong shape (unknown or missing field,
    /// wrong type).
    #[error("the session file is malformed: {0}")]
    Shape(String),
    /// The questionnaire it names is not available.
    #[error("the session is for questionnaire {id} {version}, which is not available")]
    UnknownQuestionnaire {
        /// Id.
        id: String,
        /// Version.
        version: String,
    },
    /// The content breaks a session rule.
    #[error("{0}")]
    Content(#[from] WorkshopError),
}

impl SessionFile {
    /// The file of a session.
    pub fn from_session(s: &Session) -> SessionFile {
        SessionFile {
            format: WORKSHOP_FORMAT.into(),
            questionnaire: s.questionnaire.clone(),
            domains: s.domains.clone(),
            minutes: i64::from(s.minutes),
            room_size: i64::from(s.room_size),
            current: i64::try_from(s.current).unwrap_or(0),
            created_at: s.created_at,
            updated_at: s.updated_at,
            questions: s
                .tallies
                .iter()
                .map(|t| FileTally {
                    id: t.question_id.clone(),
                    counts: t.counts.iter().map(|&c| i64::from(c)).collect(),
                    revealed: t.revealed,
                    source: t.source,
                })
                .collect(),
        }
    }

    /// Pretty JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings and numbers cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Read a file's bytes: size, encoding, depth, format tag, shape.
    pub fn parse(bytes: &[u8]) -> Result<SessionFile, FileError> {
        if bytes.len() as u64 > MAX_SESSION_BYTES {
            return Err(FileError::TooLarge {
                size: bytes.len() as u64,
                limit: MAX_SESSION_BYTES,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
        check_depth(text)?;
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| FileError::Json(e.to_string()))?;
        let found = value
            .get("format")
            .and_then(|f| f.as_str())
            .map(str::to_string);
        match found {
            Some(f) if f == WORKSHOP_FORMAT => {}
            Some(f) if f.starts_with(FORMAT_PREFIX) => return Err(FileError::Version { found: f }),
            other => return Err(FileError::NotSession { found: other }),
        }
        serde_json::from_value(value).map_err(|e| FileError::Shape(e.to_string()))
    }

    /// The session, checked against its questionnaire `q` (found by the
    /// caller from [`SessionFile::questionnaire`]).
    pub fn into_session(self, q: &Questionnaire) -> Result<Session, FileError> {
        if q.id != self.questionnaire.id || q.version != self.questionnaire.version {
            return Err(WorkshopError::OtherQuestionnaire {
                session: format!("{} {}", self.questionnaire.id, self.questionnaire.version),
                given: format!("{} {}", q.id, q.version),
            }
            .into());
        }
        let room_size = room_from(self.room_size)?;
        let minutes = minutes_from(self.minutes)?;
        let mut session = Session {
            questionnaire: self.questionnaire,
            domains: self.domains,
            minutes,
            room_size,
            current: 0,
            tallies: self
                .questions
                .iter()
                .map(|t| Tally {
                    question_id: t.id.clone(),
                    counts: vec![0; t.counts.len()],
                    revealed: t.revealed,
                    source: t.source,
                })
                .collect(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        };
        // Structure first (ids, option counts, duplicates), then every count
        // through the same check as the presenter window.
        session.check_against(q)?;
        for t in &self.questions {
            session.record_counts(&t.id, &t.counts, t.source)?;
        }
        session.go_to(self.current)?;
        Ok(session)
    }
}

/// Refuse nesting deeper than [`MAX_JSON_DEPTH`] with one linear scan,
/// before the parser sees the text.
fn check_depth(text: &str) -> Result<(), FileError> {
    let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(FileError::TooDeep);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::load::Catalog;
    use crate::workshop::SessionSetup;

    fn session() -> (Questionnaire, Session) {
        let (catalog, _) = Catalog::builtin();
        let q = (*catalog.latest("comune").unwrap().questionnaire).clone();
        let setup = SessionSetup {
            domains: vec![q.domains[1].id.clone()],
            minutes: 60,
            room_size: 25,
        };
        let mut s = Session::new(&q, &setup, Utc::now()).unwrap();
        let id = s.tallies[0].question_id.clone();
        let mut counts = vec![0_i64; s.tallies[0].counts.len()];
        counts[1] = 7;
        counts[2] = 4;
        s.record_counts(&id, &counts, TallySource::Phones).unwrap();
        s.set_revealed(&id, true).unwrap();
        s.next_question();
        (q, s)
    }

    #[test]
    fn round_trip() {
        let (q, s) = session();
        let json = SessionFile::from_session(&s).to_json();
        let back = SessionFile::parse(json.as_bytes())
            .unwrap()
            .into_session(&q)
            .unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn hostile_files_are_refused() {
        let (q, s) = session();
        let good: serde_json::Value =
            serde_json::from_str(&SessionFile::from_session(&s).to_json()).unwrap();
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut v = good.clone();
            f(&mut v);
            let bytes = serde_json::to_vec(&v).unwrap();
            SessionFile::parse(&bytes).and_then(|f| f.into_session(&q))
        };
        assert!(matches!(
            edit(&|v| v["format"] = "sentinella-workshop/2".into()),
            Err(FileError::Version { .. })
        ));
        assert!(matches!(
            edit(&|v| v["format"] = "sentinella-answers/1".into()),
            Err(FileError::NotSession { .. })
        ));
        assert!(matches!(
            edit(&|v| v["extra"] = 1.into()),
            Err(FileError::Shape(_))
        ));
        assert!(matches!(
            edit(&|v| v["questions"][0]["counts"][1] = (-3).into()),
            Err(FileError::Content(WorkshopError::NegativeCount { .. }))
        ));
        assert!(matches!(
            edit(&|v| v["questions"][0]["counts"][1] = 1_000_000.into()),
            Err(FileError::Content(WorkshopError::AboveRoom { .. }))
        ));
        assert!(matches!(
            edit(&|v| v["questions"][0]["id"] = "invented".into()),
            Err(FileError::Content(WorkshopError::UnknownQuestion(_)))
        ));
        assert!(matches!(
            edit(&|v| v["room_size"] = 100_000.into()),
            Err(FileError::Content(WorkshopError::RoomSize(100_000)))
        ));
        assert!(matches!(
            edit(&|v| v["current"] = 999.into()),
            Err(FileError::Content(WorkshopError::Position { .. }))
        ));
        assert!(matches!(
            SessionFile::parse(&vec![b' '; 600 * 1024]),
            Err(FileError::TooLarge { .. })
        ));
        assert!(matches!(
            SessionFile::parse("[".repeat(100).as_bytes()),
            Err(FileError::TooDeep)
        ));
        assert!(matches!(
            SessionFile::parse(b"{\"format\": "),
            Err(FileError::Json(_))
        ));
        assert!(matches!(
            SessionFile::parse(&[0xff, 0xfe]),
            Err(FileError::NotUtf8)
        ));
    }
}
