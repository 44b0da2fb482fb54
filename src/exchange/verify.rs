//! The hardened reader of result files. Every file is untrusted: it is
//! capped in size, checked for UTF-8 and nesting depth before parsing,
//! dispatched on its format tag, parsed into typed structures that reject
//! unknown fields, its signature verified, its questionnaire matched to the
//! catalog, its answers validated, and its scores recomputed locally.

use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::{hex, signed_message, Envelope, ResultPayload, RESULT_FAMILY, RESULT_FORMAT};
use crate::istat::{self, IstatList};
use crate::keys::fingerprint_bytes;
use crate::load::{Catalog, LoadedQuestionnaire};
use crate::model::{AnswerSheet, QuestionnaireRef, ANSWERS_FORMAT};
use crate::scoring::{self, round1, Score};
use crate::validate::{self, Issue};

/// Largest result file read (a real one is 5–50 KB).
pub const MAX_RESULT_BYTES: u64 = 4 * 1024 * 1024;

/// Deepest JSON nesting accepted (a real file nests 4 levels).
pub const MAX_JSON_DEPTH: usize = 32;

/// Why a result file was rejected. Every variant is a clear English message;
/// [`ResultError::kind`] gives a stable id for reports.
#[derive(Debug, Error)]
pub enum ResultError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[source] std::io::Error),
    /// A directory, FIFO, device or socket: never read.
    #[error("not a regular file ({0}): a result file is a regular file")]
    NotRegular(&'static str),
    /// Zero bytes, or only white space.
    #[error("the file is empty")]
    Empty,
    /// A `.p7m` or `.eml` envelope that gives no result file
    /// ([`super::wrapped`]).
    #[error("{0}")]
    Envelope(String),
    /// Over [`MAX_RESULT_BYTES`].
    #[error("the file is too large ({size} bytes; a result file is at most {limit} bytes)")]
    TooLarge {
        /// Its size (or the bytes read before giving up).
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// Not UTF-8 text.
    #[error("{what} is not valid UTF-8 text (invalid byte at offset {offset})")]
    InvalidUtf8 {
        /// "the file" or "the payload".
        what: &'static str,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// Nested deeper than [`MAX_JSON_DEPTH`].
    #[error("{what} is nested more than {limit} levels deep; a result file never is")]
    TooDeep {
        /// "the file" or "the payload".
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The JSON ends too early.
    #[error("the file is truncated: the JSON stops at line {line}, column {column} before it is complete")]
    Truncated {
        /// Line of the end.
        line: usize,
        /// Column of the end.
        column: usize,
    },
    /// Not JSON.
    #[error("not valid JSON: {message} (line {line}, column {column})")]
    NotJson {
        /// The parser's message.
        message: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// JSON, but not an object with a format tag.
    #[error("not a Sentinella result file: {0}")]
    NotAResultFile(String),
    /// A format tag of another kind of file.
    #[error("$.format: {found:?} is not a result file format (expected {RESULT_FORMAT:?}){hint}")]
    WrongFormat {
        /// The tag found.
        found: String,
        /// Advice, starting with "; ", or empty.
        hint: String,
    },
    /// A result file of a newer format version.
    #[error("$.format: this result file has format {found:?}, written by a newer version of Sentinella; this version reads {RESULT_FORMAT:?}: update Sentinella to read it")]
    FutureVersion {
        /// The tag found.
        found: String,
    },
    /// A field this format does not have.
    #[error("{path}: unknown field {field:?}: a {RESULT_FORMAT} file has no such field (the file was edited, or written by other software)")]
    UnknownField {
        /// JSON path of the object.
        path: String,
        /// The field name.
        field: String,
    },
    /// A field missing or of the wrong type.
    #[error("{path}: {message}")]
    Shape {
        /// JSON path.
        path: String,
        /// The problem.
        message: String,
    },
    /// Base64, key or signature bytes malformed.
    #[error("$.{field}: {message}")]
    Encoding {
        /// The envelope field.
        field: &'static str,
        /// The problem.
        message: String,
    },
    /// The signature does not match the content.
    #[error("the signature does not match the content: the file was altered after it was signed (or damaged in transit); ask the comune to export it again")]
    Tampered,
    /// Validly signed, by a key other than the one expected.
    #[error("signed by key {found}, but the key on record for this sender is {expected}; if the comune changed computer or reinstalled Sentinella, confirm the new fingerprint with them before accepting it")]
    OtherKey {
        /// Fingerprint of the key that signed.
        found: String,
        /// Fingerprint of the expected key.
        expected: String,
    },
    /// The payload's format tag differs from the envelope's.
    #[error("$.payload.format: {found:?} does not match the envelope's {RESULT_FORMAT:?}")]
    PayloadFormat {
        /// The payload's tag.
        found: String,
    },
    /// The questionnaire version is not in the catalog.
    #[error("questionnaire {id} version {version} is not available here (available: {available}); load it with --questionnaires <dir> or update Sentinella")]
    UnknownQuestionnaire {
        /// Id.
        id: String,
        /// Version.
        version: String,
        /// What the catalog has.
        available: String,
    },
    /// Same id and version, different content.
    #[error("questionnaire {id} {version} here has content hash {local}, but the file was answered against content {found}: the two copies of this version differ, so the scores cannot be recomputed")]
    QuestionnaireChanged {
        /// Id.
        id: String,
        /// Version.
        version: String,
        /// Hash in the file.
        found: String,
        /// Hash of the local copy.
        local: String,
    },
    /// A date no genuine export can carry.
    #[error("implausible dates: {0}")]
    ImplausibleDate(String),
    /// The answers break the questionnaire's rules.
    #[error("the answers do not fit the questionnaire: {}", list_issues(issues))]
    InvalidAnswers {
        /// Every problem, with paths under `$.payload`.
        issues: Vec<Issue>,
    },
}

/// The first few issues, then a count: a hostile file can carry thousands.
fn list_issues(issues: &[Issue]) -> String {
    const SHOWN: usize = 10;
    let mut text = issues
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if issues.len() > SHOWN {
        text.push_str(&format!("; and {} more", issues.len() - SHOWN));
    }
    text
}

/// The kind of problem that got a result file rejected: what a face
/// matches on (exhaustively) to word it for its users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionKind {
    /// [`ResultError::Io`].
    Io,
    /// [`ResultError::NotRegular`].
    NotRegular,
    /// [`ResultError::Empty`].
    Empty,
    /// [`ResultError::Envelope`].
    Envelope,
    /// [`ResultError::TooLarge`].
    TooLarge,
    /// [`ResultError::InvalidUtf8`].
    InvalidUtf8,
    /// [`ResultError::TooDeep`].
    TooDeep,
    /// [`ResultError::Truncated`].
    Truncated,
    /// [`ResultError::NotJson`].
    NotJson,
    /// [`ResultError::NotAResultFile`].
    NotAResultFile,
    /// [`ResultError::WrongFormat`].
    WrongFormat,
    /// [`ResultError::FutureVersion`].
    FutureVersion,
    /// [`ResultError::UnknownField`].
    UnknownField,
    /// [`ResultError::Shape`].
    BadShape,
    /// [`ResultError::Encoding`].
    BadEncoding,
    /// [`ResultError::Tampered`].
    Tampered,
    /// [`ResultError::OtherKey`].
    OtherKey,
    /// Not a fault of the file: the coordinator's import held it back
    /// because no key is on record for its organization and the same
    /// import brought files of it signed by two or more keys.
    ContestedKey,
    /// [`ResultError::PayloadFormat`].
    PayloadFormat,
    /// [`ResultError::UnknownQuestionnaire`].
    UnknownQuestionnaire,
    /// [`ResultError::QuestionnaireChanged`].
    QuestionnaireChanged,
    /// [`ResultError::ImplausibleDate`].
    ImplausibleDate,
    /// [`ResultError::InvalidAnswers`].
    InvalidAnswers,
}

impl RejectionKind {
    /// Every kind, in declaration order.
    pub const ALL: [RejectionKind; 23] = [
        RejectionKind::Io,
        RejectionKind::NotRegular,
        RejectionKind::Empty,
        RejectionKind::Envelope,
        RejectionKind::TooLarge,
        RejectionKind::InvalidUtf8,
        RejectionKind::TooDeep,
        RejectionKind::Truncated,
        RejectionKind::NotJson,
        RejectionKind::NotAResultFile,
        RejectionKind::WrongFormat,
        RejectionKind::FutureVersion,
        RejectionKind::UnknownField,
        RejectionKind::BadShape,
        RejectionKind::BadEncoding,
        RejectionKind::Tampered,
        RejectionKind::OtherKey,
        RejectionKind::ContestedKey,
        RejectionKind::PayloadFormat,
        RejectionKind::UnknownQuestionnaire,
        RejectionKind::QuestionnaireChanged,
        RejectionKind::ImplausibleDate,
        RejectionKind::InvalidAnswers,
    ];

    /// Stable id (as serialized), for reports and CSV.
    pub fn id(self) -> &'static str {
        match self {
            RejectionKind::Io => "io",
            RejectionKind::NotRegular => "not_regular",
            RejectionKind::Empty => "empty",
            RejectionKind::Envelope => "envelope",
            RejectionKind::TooLarge => "too_large",
            RejectionKind::InvalidUtf8 => "invalid_utf8",
            RejectionKind::TooDeep => "too_deep",
            RejectionKind::Truncated => "truncated",
            RejectionKind::NotJson => "not_json",
            RejectionKind::NotAResultFile => "not_a_result_file",
            RejectionKind::WrongFormat => "wrong_format",
            RejectionKind::FutureVersion => "future_version",
            RejectionKind::UnknownField => "unknown_field",
            RejectionKind::BadShape => "bad_shape",
            RejectionKind::BadEncoding => "bad_encoding",
            RejectionKind::Tampered => "tampered",
            RejectionKind::OtherKey => "other_key",
            RejectionKind::ContestedKey => "contested_key",
            RejectionKind::PayloadFormat => "payload_format",
            RejectionKind::UnknownQuestionnaire => "unknown_questionnaire",
            RejectionKind::QuestionnaireChanged => "questionnaire_changed",
            RejectionKind::ImplausibleDate => "implausible_date",
            RejectionKind::InvalidAnswers => "invalid_answers",
        }
    }

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<RejectionKind> {
        RejectionKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

impl std::fmt::Display for RejectionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl ResultError {
    /// The kind of problem.
    pub fn rejection_kind(&self) -> RejectionKind {
        match self {
            ResultError::Io(_) => RejectionKind::Io,
            ResultError::NotRegular(_) => RejectionKind::NotRegular,
            ResultError::Empty => RejectionKind::Empty,
            ResultError::Envelope(_) => RejectionKind::Envelope,
            ResultError::TooLarge { .. } => RejectionKind::TooLarge,
            ResultError::InvalidUtf8 { .. } => RejectionKind::InvalidUtf8,
            ResultError::TooDeep { .. } => RejectionKind::TooDeep,
            ResultError::Truncated { .. } => RejectionKind::Truncated,
            ResultError::NotJson { .. } => RejectionKind::NotJson,
            ResultError::NotAResultFile(_) => RejectionKind::NotAResultFile,
            ResultError::WrongFormat { .. } => RejectionKind::WrongFormat,
            ResultError::FutureVersion { .. } => RejectionKind::FutureVersion,
            ResultError::UnknownField { .. } => RejectionKind::UnknownField,
            ResultError::Shape { .. } => RejectionKind::BadShape,
            ResultError::Encoding { .. } => RejectionKind::BadEncoding,
            ResultError::Tampered => RejectionKind::Tampered,
            ResultError::OtherKey { .. } => RejectionKind::OtherKey,
            ResultError::PayloadFormat { .. } => RejectionKind::PayloadFormat,
            ResultError::UnknownQuestionnaire { .. } => RejectionKind::UnknownQuestionnaire,
            ResultError::QuestionnaireChanged { .. } => RejectionKind::QuestionnaireChanged,
            ResultError::ImplausibleDate(_) => RejectionKind::ImplausibleDate,
            ResultError::InvalidAnswers { .. } => RejectionKind::InvalidAnswers,
        }
    }

    /// A stable short id of the kind of problem, for reports and CSV
    /// ([`RejectionKind::id`]).
    pub fn kind(&self) -> &'static str {
        self.rejection_kind().id()
    }
}

#[cfg(test)]
mod kind_tests {
    use super::RejectionKind;

    #[test]
    fn every_kind_has_a_distinct_id_that_reads_back() {
        let ids: std::collections::BTreeSet<&str> =
            RejectionKind::ALL.iter().map(|k| k.id()).collect();
        assert_eq!(ids.len(), RejectionKind::ALL.len());
        for k in RejectionKind::ALL {
            assert_eq!(RejectionKind::from_id(k.id()), Some(k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::from(k.id()))
            );
        }
        assert_eq!(RejectionKind::from_id("no such kind"), None);
    }
}

/// A rejected file, with its name.
#[derive(Debug, Error)]
#[error("{file}: {error}")]
pub struct FileError {
    /// The file.
    pub file: String,
    /// Why.
    #[source]
    pub error: ResultError,
}

/// A result file that passed every check.
#[derive(Debug, Clone)]
pub struct VerifiedResult {
    /// The signed content.
    pub payload: ResultPayload,
    /// The answers, as an answers sheet (for scoring and plans).
    pub sheet: AnswerSheet,
    /// The questionnaire from the local catalog.
    pub questionnaire: LoadedQuestionnaire,
    /// The scores, recomputed here.
    pub score: Score,
    /// The signer's public key.
    pub public_key: [u8; 32],
    /// Its short fingerprint.
    pub fingerprint: String,
    /// SHA-256 (hex) of the signed payload bytes: identifies this exact export.
    pub payload_sha256: String,
    /// Things worth telling that do not reject the file (for example
    /// declared scores that differ from the recomputed ones).
    pub warnings: Vec<String>,
}

/// Read at most [`MAX_RESULT_BYTES`] (+1 to detect more) from a regular
/// file: a 100 MB file costs 4 MB of reading, never 100 MB of memory; a
/// FIFO or a device is refused without reading.
///
/// A `.p7m` (CAdES) or `.eml` (a message saved from the PEC client) is
/// opened and the result file inside returned ([`super::wrapped`]); the
/// envelope is capped like a result file.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, ResultError> {
    use super::wrapped::{unwrap, Wrapping};
    use crate::store::file::{read_regular_capped, ReadError};
    let bytes = read_regular_capped(path, MAX_RESULT_BYTES).map_err(|e| match e {
        ReadError::Io(e) => ResultError::Io(e),
        ReadError::NotRegular(what) => ResultError::NotRegular(what),
        ReadError::TooLarge { size, limit } => ResultError::TooLarge { size, limit },
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    unwrap(bytes, Wrapping::of_name(&name)).map_err(ResultError::Envelope)
}

/// Read and verify one result file. `expected_key`, when given, is the
/// public key on record for the sender (trust on first use).
pub fn verify_file(
    path: &Path,
    catalog: &Catalog,
    expected_key: Option<&[u8; 32]>,
) -> Result<VerifiedResult, FileError> {
    let wrap = |error| FileError {
        file: path.display().to_string(),
        error,
    };
    let bytes = read_capped(path).map_err(wrap)?;
    verify_bytes(&bytes, catalog, expected_key).map_err(wrap)
}

/// Verify the bytes of a result file (dates judged against the clock).
pub fn verify_bytes(
    bytes: &[u8],
    catalog: &Catalog,
    expected_key: Option<&[u8; 32]>,
) -> Result<VerifiedResult, ResultError> {
    verify_bytes_at(bytes, catalog, expected_key, Utc::now())
}

/// No assessment is dated before this day: the first Sentinella
/// questionnaire (version 1.0.0) dates from 2026, and the floor keeps a year
/// of margin before it.
pub const EARLIEST_ASSESSMENT: NaiveDate = match NaiveDate::from_ymd_opt(2025, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Refuse dates no genuine export carries: an export after `now` plus a day
/// of slack (clocks and time zones), an assessment after its own export
/// (plus a day: the assessment date is local, the export time UTC), or an
/// assessment before [`EARLIEST_ASSESSMENT`]. A future date would otherwise
/// keep a result "current" for good.
fn check_dates(p: &ResultPayload, now: DateTime<Utc>) -> Result<(), ResultError> {
    let slack = chrono::Duration::days(1);
    if p.exported_at > now + slack {
        return Err(ResultError::ImplausibleDate(format!(
            "exported at {} (after today)",
            p.exported_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )));
    }
    if p.assessed_on > p.exported_at.date_naive() + slack {
        return Err(ResultError::ImplausibleDate(format!(
            "assessed on {}, after its own export on {}",
            p.assessed_on,
            p.exported_at.date_naive()
        )));
    }
    if p.assessed_on < EARLIEST_ASSESSMENT {
        return Err(ResultError::ImplausibleDate(format!(
            "assessed on {}, before any Sentinella questionnaire existed (the earliest date accepted is {EARLIEST_ASSESSMENT})",
            p.assessed_on
        )));
    }
    Ok(())
}

/// The envelope of a result file, opened: size, encoding and format
/// checked, the Ed25519 signature verified over the exact payload bytes.
/// Returns the payload bytes and the signer's public key.
fn open_file(bytes: &[u8]) -> Result<(Vec<u8>, [u8; 32]), ResultError> {
    if bytes.len() as u64 > MAX_RESULT_BYTES {
        return Err(ResultError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_RESULT_BYTES,
        });
    }
    // A byte-order mark added by an editor is harmless: the envelope is not
    // signed, only the payload inside it.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ResultError::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ResultError::InvalidUtf8 {
        what: "the file",
        offset: e.valid_up_to(),
    })?;
    check_depth(text, "the file")?;
    let value = parse_json(text)?;
    check_format_tag(&value)?;
    let envelope: Envelope = typed(value, "$")?;
    open_envelope(&envelope)
}

/// Who a signed result file speaks for: its organization's ISTAT code,
/// the kind of organization (from the questionnaire), and the key that
/// signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedClaim {
    /// The organization's ISTAT code, as written in the payload.
    pub istat_code: String,
    /// Comune or Polis office: the audience of the questionnaire named.
    pub audience: crate::model::Audience,
    /// The signer's Ed25519 public key.
    pub public_key: [u8; 32],
}

/// The claim of a result file, cheaper to read than [`verify_bytes_at`]:
/// the envelope and its signature are checked in full, and the
/// questionnaire named must be in `catalog`, but the answers, dates and
/// scores are not. Used to find, before an import, the
/// organizations that two keys claim at once: whoever holds a key can sign
/// a fully valid file for any organization, so a claim needs the signature
/// and nothing more.
pub fn signed_claim(bytes: &[u8], catalog: &Catalog) -> Result<SignedClaim, ResultError> {
    #[derive(Deserialize)]
    struct Claimed {
        questionnaire: Named,
        organization: Code,
    }
    #[derive(Deserialize)]
    struct Named {
        id: String,
        version: String,
    }
    #[derive(Deserialize)]
    struct Code {
        istat_code: String,
    }
    let (payload, public_key) = open_file(bytes)?;
    let claimed: Claimed = serde_json::from_slice(&payload).map_err(|e| ResultError::Shape {
        path: "$.payload".into(),
        message: e.to_string(),
    })?;
    let Named { id, version } = claimed.questionnaire;
    let Some(entry) = catalog.get(&id, &version) else {
        return Err(ResultError::UnknownQuestionnaire {
            id,
            version,
            available: describe(catalog),
        });
    };
    Ok(SignedClaim {
        istat_code: claimed.organization.istat_code,
        audience: entry.questionnaire.audience,
        public_key,
    })
}

/// [`verify_bytes`] with the clock given.
pub fn verify_bytes_at(
    bytes: &[u8],
    catalog: &Catalog,
    expected_key: Option<&[u8; 32]>,
    now: DateTime<Utc>,
) -> Result<VerifiedResult, ResultError> {
    let (payload, public_key) = open_file(bytes)?;
    if let Some(expected) = expected_key {
        if expected != &public_key {
            return Err(ResultError::OtherKey {
                found: fingerprint_bytes(&public_key),
                expected: fingerprint_bytes(expected),
            });
        }
    }

    // The signed payload: as strict as the envelope.
    let payload_text = std::str::from_utf8(&payload).map_err(|e| ResultError::InvalidUtf8 {
        what: "the payload",
        offset: e.valid_up_to(),
    })?;
    check_depth(payload_text, "the payload")?;
    let value = parse_json(payload_text)?;
    match value.get("format") {
        Some(serde_json::Value::String(f)) if f == RESULT_FORMAT => {}
        Some(serde_json::Value::String(f)) => {
            return Err(ResultError::PayloadFormat { found: f.clone() })
        }
        _ => {
            return Err(ResultError::PayloadFormat {
                found: String::new(),
            })
        }
    }
    let payload_value: ResultPayload = typed(value, "$.payload")?;
    check_dates(&payload_value, now)?;

    // The questionnaire: known, and the same content.
    let stamp = &payload_value.questionnaire;
    let Some(entry) = catalog.get(&stamp.id, &stamp.version) else {
        return Err(ResultError::UnknownQuestionnaire {
            id: stamp.id.clone(),
            version: stamp.version.clone(),
            available: describe(catalog),
        });
    };
    if entry.content_hash != stamp.content_hash {
        return Err(ResultError::QuestionnaireChanged {
            id: stamp.id.clone(),
            version: stamp.version.clone(),
            found: stamp.content_hash.clone(),
            local: entry.content_hash.clone(),
        });
    }
    let sheet = AnswerSheet {
        format: ANSWERS_FORMAT.to_string(),
        questionnaire: QuestionnaireRef {
            id: stamp.id.clone(),
            version: stamp.version.clone(),
        },
        organization: payload_value.organization.clone(),
        assessed_on: payload_value.assessed_on,
        assessor_role: payload_value.assessor_role.clone(),
        context: payload_value.context.clone(),
        answers: payload_value.answers.clone(),
    };
    let mut issues = validate::answers_issues(&sheet, &entry.questionnaire);
    if !is_token(&payload_value.assessment_id, 64) {
        issues.push(Issue {
            path: "$.assessment_id".into(),
            message: "an assessment id has 1 to 64 letters, digits, '.', '_', '-' or '+'".into(),
        });
    }
    if !is_token(&payload_value.app_version, 32) {
        issues.push(Issue {
            path: "$.app_version".into(),
            message: "a version has 1 to 32 letters, digits, '.', '_', '-' or '+'".into(),
        });
    }
    if !payload_value.notes_included && sheet.answers.values().any(|a| a.note.is_some()) {
        issues.push(Issue {
            path: "$.answers".into(),
            message: "notes are present although notes_included is false".into(),
        });
    }
    if !issues.is_empty() {
        for issue in &mut issues {
            issue.path = issue.path.replacen('$', "$.payload", 1);
        }
        return Err(ResultError::InvalidAnswers { issues });
    }

    // Scores: recomputed, never trusted.
    let score = scoring::score(&entry.questionnaire, &sheet);
    let mut warnings = Vec::new();
    let declared = &payload_value.scores;
    if (declared.overall - round1(score.overall)).abs() > 0.05
        || declared.baseline_met != score.baseline.met
        || declared.tier != score.tier.id()
    {
        warnings.push(format!(
            "the scores declared in the file (overall {:.1}, tier {}, baseline {}) differ from the scores recomputed here (overall {:.1}, tier {}, baseline {}); the recomputed ones are used",
            declared.overall,
            declared.tier,
            if declared.baseline_met { "met" } else { "not met" },
            round1(score.overall),
            score.tier.id(),
            if score.baseline.met { "met" } else { "not met" },
        ));
    }
    if let Some(w) = istat_mismatch(&sheet.organization) {
        warnings.push(w);
    }
    Ok(VerifiedResult {
        sheet,
        questionnaire: entry.clone(),
        score,
        public_key,
        fingerprint: fingerprint_bytes(&public_key),
        payload_sha256: hex(&Sha256::digest(&payload)),
        payload: payload_value,
        warnings,
    })
}

/// Decode an envelope and check its Ed25519 signature over the exact
/// payload bytes (the format tag bound in, [`signed_message`]): the
/// payload bytes and the signer's public key. Shared by result files and
/// coordinator packs ([`crate::pack`]).
pub(crate) fn open_envelope(envelope: &Envelope) -> Result<(Vec<u8>, [u8; 32]), ResultError> {
    let payload = decode(&envelope.payload, "payload")?;
    let public_key: [u8; 32] = decode(&envelope.public_key, "public_key")?
        .try_into()
        .map_err(|b: Vec<u8>| ResultError::Encoding {
            field: "public_key",
            message: format!("an Ed25519 public key has 32 bytes, not {}", b.len()),
        })?;
    let signature: [u8; 64] = decode(&envelope.signature, "signature")?
        .try_into()
        .map_err(|b: Vec<u8>| ResultError::Encoding {
            field: "signature",
            message: format!("an Ed25519 signature has 64 bytes, not {}", b.len()),
        })?;
    let key = VerifyingKey::from_bytes(&public_key).map_err(|_| ResultError::Encoding {
        field: "public_key",
        message: "not a valid Ed25519 public key".into(),
    })?;
    key.verify_strict(
        &signed_message(&envelope.format, &payload),
        &Signature::from_bytes(&signature),
    )
    .map_err(|_| ResultError::Tampered)?;
    Ok((payload, public_key))
}

/// 1 to `max` ASCII letters, digits, `.`, `_`, `-`, `+`.
fn is_token(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
}

/// A warning when the organization's declared province or region differs
/// from the ISTAT list for its code (aggregation uses the list).
fn istat_mismatch(org: &crate::model::Organization) -> Option<String> {
    let list = IstatList::builtin().ok()?;
    let comune = list.get(&org.istat_code)?;
    let region_ok = istat::fold(&comune.region) == istat::fold(&org.region)
        || comune
            .region
            .split('/')
            .any(|p| istat::fold(p) == istat::fold(&org.region));
    (comune.province != org.province || !region_ok).then(|| {
        format!(
            "the file places ISTAT code {} in {} ({}), the ISTAT list in {} ({}): the ISTAT list is used",
            org.istat_code, org.province, org.region, comune.province, comune.region
        )
    })
}

fn describe(catalog: &Catalog) -> String {
    let list: Vec<String> = catalog
        .entries()
        .iter()
        .map(|e| format!("{} {}", e.questionnaire.id, e.questionnaire.version))
        .collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

/// Reject nesting deeper than [`MAX_JSON_DEPTH`] with one linear scan,
/// before any parser recurses.
pub(crate) fn check_depth(text: &str, what: &'static str) -> Result<(), ResultError> {
    if json_nesting_exceeds(text, MAX_JSON_DEPTH) {
        return Err(ResultError::TooDeep {
            what,
            limit: MAX_JSON_DEPTH,
        });
    }
    Ok(())
}

/// Whether JSON text nests arrays and objects deeper than `limit`: one
/// linear scan over the bytes (brackets inside strings do not count), so a
/// hostile file is refused before any recursive parser sees it. Shared by
/// every strict reader (result files, packs, workshop sessions).
pub(crate) fn json_nesting_exceeds(text: &str, limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
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
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

pub(crate) fn parse_json(text: &str) -> Result<serde_json::Value, ResultError> {
    serde_json::from_str(text).map_err(|e| {
        if e.classify() == serde_json::error::Category::Eof {
            ResultError::Truncated {
                line: e.line(),
                column: e.column(),
            }
        } else {
            let message = e.to_string();
            ResultError::NotJson {
                message: message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string(),
                line: e.line(),
                column: e.column(),
            }
        }
    })
}

/// Dispatch on the format tag before the shape is checked, so a file of
/// another kind or a newer version gets that message.
fn check_format_tag(value: &serde_json::Value) -> Result<(), ResultError> {
    let Some(object) = value.as_object() else {
        return Err(ResultError::NotAResultFile(
            "expected a JSON object with a \"format\" field".into(),
        ));
    };
    let found = match object.get("format") {
        None => {
            return Err(ResultError::NotAResultFile(format!(
                "it has no \"format\" field (expected {RESULT_FORMAT:?})"
            )))
        }
        Some(serde_json::Value::String(s)) => s,
        Some(_) => {
            return Err(ResultError::NotAResultFile(format!(
                "\"format\" must be the string {RESULT_FORMAT:?}"
            )))
        }
    };
    if found == RESULT_FORMAT {
        return Ok(());
    }
    let version = found
        .strip_prefix(RESULT_FAMILY)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse::<u32>().ok());
    if let Some(v) = version {
        if v > super::RESULT_VERSION {
            return Err(ResultError::FutureVersion {
                found: found.clone(),
            });
        }
    }
    let hint = if found.starts_with("sentinella-answers/") {
        "; this is an answers file: the comune makes its result file with `sentinella export` (or \"Esporta risultati\" in the app)".to_string()
    } else if found.starts_with("sentinella-questionnaire/") {
        "; this is a questionnaire: load it with --questionnaires <dir>".to_string()
    } else {
        String::new()
    };
    Err(ResultError::WrongFormat {
        found: found.clone(),
        hint,
    })
}

pub(crate) fn typed<T: DeserializeOwned>(
    value: serde_json::Value,
    root: &str,
) -> Result<T, ResultError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let message = e.into_inner().to_string();
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let field = rest.split('`').next().unwrap_or_default().to_string();
            // serde_path_to_error ends the path with the unknown field.
            let parent = inner
                .rsplit_once('.')
                .map(|(p, _)| format!("{root}.{p}"))
                .unwrap_or_else(|| root.to_string());
            return ResultError::UnknownField {
                path: parent,
                field,
            };
        }
        ResultError::Shape {
            path: if inner == "." {
                root.to_string()
            } else {
                format!("{root}.{inner}")
            },
            message,
        }
    })
}

fn decode(text: &str, field: &'static str) -> Result<Vec<u8>, ResultError> {
    B64.decode(text.as_bytes())
        .map_err(|e| ResultError::Encoding {
            field,
            message: format!("not valid base64: {e}"),
        })
}

/// Read and verify many files on up to `threads` threads, mapping each
/// outcome through `map` as soon as it is known (so only the mapped values,
/// not every verified result, stay in memory). The output is in the order
/// of `paths`; one bad file never affects the others.
pub fn verify_each<T, F>(
    paths: &[std::path::PathBuf],
    catalog: &Catalog,
    threads: usize,
    map: F,
) -> Vec<T>
where
    T: Send,
    F: Fn(&Path, Result<VerifiedResult, ResultError>) -> T + Sync,
{
    parallel_map(paths, threads, |p| {
        let outcome = read_capped(p).and_then(|b| verify_bytes(&b, catalog, None));
        map(p, outcome)
    })
}

/// `f` over `items` on up to `threads` scoped threads, in order.
pub fn parallel_map<S, T, F>(items: &[S], threads: usize, f: F) -> Vec<T>
where
    S: Sync,
    T: Send,
    F: Fn(&S) -> T + Sync,
{
    let run = |chunk: &[S]| -> Vec<T> { chunk.iter().map(&f).collect() };
    let threads = threads.clamp(1, 16);
    if threads == 1 || items.len() < 64 {
        return run(items);
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|c| s.spawn(move || run(c)))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for (h, chunk) in handles.into_iter().zip(items.chunks(size)) {
            match h.join() {
                Ok(part) => out.extend(part),
                // A panic in a worker is a bug; redo that chunk on this
                // thread rather than lose its items.
                Err(_) => out.extend(run(chunk)),
            }
        }
        out
    })
}
