//! The strict pack reader, the payload rules, and sealing.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::model::*;
use super::strict::first_duplicate;
use crate::exchange::{
    self, check_depth, open_envelope, parse_json, typed, Envelope, ResultError, MAX_JSON_DEPTH,
    MAX_RESULT_BYTES,
};
use crate::incident::contacts::{check_email, normalize_phone, ContactRole};
use crate::keys::{fingerprint_bytes, KeyPair};
use crate::load::{content_hash, LoadedQuestionnaire};
use crate::validate::{self, is_forbidden_char, Issue};

/// Largest pack read: the cap of result files.
pub const MAX_PACK_BYTES: u64 = MAX_RESULT_BYTES;

/// Why a pack (or a draft) was refused. Every message is English; the app
/// words each variant in Italian.
#[derive(Debug, Error)]
pub enum PackError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[source] std::io::Error),
    /// A directory, FIFO, device or socket.
    #[error("not a regular file ({0}): a pack is a regular file")]
    NotRegular(&'static str),
    /// Zero bytes, or only white space.
    #[error("the file is empty")]
    Empty,
    /// Over [`MAX_PACK_BYTES`].
    #[error("the file is too large ({size} bytes; a pack is at most {limit} bytes)")]
    TooLarge {
        /// Its size (or the bytes read before giving up).
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// Not UTF-8.
    #[error("{what} is not valid UTF-8 text (invalid byte at offset {offset})")]
    InvalidUtf8 {
        /// "the file" or "the payload".
        what: &'static str,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// Nested too deep.
    #[error("{what} is nested more than {limit} levels deep; a pack never is")]
    TooDeep {
        /// "the file" or "the payload".
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The JSON stops early.
    #[error("the file is truncated: the JSON stops at line {line}, column {column} before it is complete")]
    Truncated {
        /// Line.
        line: usize,
        /// Column.
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
    /// The same key twice in one object.
    #[error("{what}: the key {key:?} appears twice in the same object (line {line}, column {column}); a pack never repeats a key")]
    DuplicateKey {
        /// "the file" or "the payload".
        what: &'static str,
        /// The key.
        key: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// JSON, but not a pack.
    #[error("not a Sentinella pack: {0}")]
    NotAPack(String),
    /// Another kind of file.
    #[error("$.format: {found:?} is not a pack format (expected {PACK_FORMAT:?}){hint}")]
    WrongFormat {
        /// The tag found.
        found: String,
        /// Advice, starting with "; ", or empty.
        hint: String,
    },
    /// A newer version of the format.
    #[error("$.format: this pack has format {found:?}, written by a newer version of Sentinella; this version reads {PACK_FORMAT:?}: update Sentinella to read it")]
    FutureVersion {
        /// The tag found.
        found: String,
    },
    /// A field the format does not have.
    #[error("{path}: unknown field {field:?}: a {PACK_FORMAT} file has no such field (the file was edited, or written by other software)")]
    UnknownField {
        /// JSON path of the object.
        path: String,
        /// The field.
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
    /// Base64, key or signature malformed.
    #[error("$.{field}: {message}")]
    Encoding {
        /// The envelope field.
        field: &'static str,
        /// The problem.
        message: String,
    },
    /// The signature does not match.
    #[error("the signature does not match the content: the pack was altered after it was signed (or damaged in transit); ask the coordinator to send it again")]
    Tampered,
    /// The payload's tag differs from the envelope's.
    #[error("$.payload.format: {found:?} does not match the envelope's {PACK_FORMAT:?}")]
    PayloadFormat {
        /// The payload's tag.
        found: String,
    },
    /// A control or bidirectional character in a text.
    #[error("{path}: contains the control or bidirectional character U+{code:04X}, which is not allowed")]
    ControlCharacter {
        /// JSON path.
        path: String,
        /// The character.
        code: u32,
    },
    /// A text over its cap.
    #[error("{path}: {chars} characters, more than the {limit} allowed")]
    TooLong {
        /// JSON path.
        path: String,
        /// Its length.
        chars: usize,
        /// The cap.
        limit: usize,
    },
    /// More items than allowed.
    #[error("{path}: {count} items, more than the {limit} allowed")]
    TooMany {
        /// JSON path.
        path: String,
        /// How many.
        count: usize,
        /// The cap.
        limit: usize,
    },
    /// Any other broken rule of the format.
    #[error("{path}: {message}")]
    Invalid {
        /// JSON path.
        path: String,
        /// The problem.
        message: String,
    },
    /// An alert that expires before the pack (or the alert) is issued.
    #[error("{path}: expires on {expires_on}, before it is issued on {issued_on}")]
    ExpiresBeforeIssue {
        /// JSON path.
        path: String,
        /// The expiry.
        expires_on: NaiveDate,
        /// The issue date.
        issued_on: NaiveDate,
    },
    /// A date no genuine pack carries.
    #[error("implausible date: {0}")]
    ImplausibleDate(String),
    /// A questionnaire inside fails validation.
    #[error(
        "$.payload.questionnaires[{index}] ({id}): the questionnaire is not valid: {}",
        list(issues)
    )]
    InvalidQuestionnaire {
        /// Its position.
        index: usize,
        /// Its id and version as written.
        id: String,
        /// The validator's findings.
        issues: Vec<Issue>,
    },
}

fn list(issues: &[Issue]) -> String {
    let mut text = issues
        .iter()
        .take(5)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if issues.len() > 5 {
        text.push_str(&format!("; and {} more", issues.len() - 5));
    }
    text
}

impl PackError {
    /// A stable short id of the kind of problem (for JSON output and tests).
    pub fn kind(&self) -> &'static str {
        match self {
            PackError::Io(_) => "io",
            PackError::NotRegular(_) => "not_regular",
            PackError::Empty => "empty",
            PackError::TooLarge { .. } => "too_large",
            PackError::InvalidUtf8 { .. } => "invalid_utf8",
            PackError::TooDeep { .. } => "too_deep",
            PackError::Truncated { .. } => "truncated",
            PackError::NotJson { .. } => "not_json",
            PackError::DuplicateKey { .. } => "duplicate_key",
            PackError::NotAPack(_) => "not_a_pack",
            PackError::WrongFormat { .. } => "wrong_format",
            PackError::FutureVersion { .. } => "future_version",
            PackError::UnknownField { .. } => "unknown_field",
            PackError::Shape { .. } => "bad_shape",
            PackError::Encoding { .. } => "bad_encoding",
            PackError::Tampered => "tampered",
            PackError::PayloadFormat { .. } => "payload_format",
            PackError::ControlCharacter { .. } => "control_character",
            PackError::TooLong { .. } => "too_long",
            PackError::TooMany { .. } => "too_many",
            PackError::Invalid { .. } => "invalid",
            PackError::ExpiresBeforeIssue { .. } => "expires_before_issue",
            PackError::ImplausibleDate(_) => "implausible_date",
            PackError::InvalidQuestionnaire { .. } => "invalid_questionnaire",
        }
    }

    /// The same problem found by the result-file machinery this reader
    /// shares (caps, JSON, envelope, signature).
    fn from_shared(e: ResultError) -> PackError {
        match e {
            ResultError::Io(e) => PackError::Io(e),
            ResultError::NotRegular(w) => PackError::NotRegular(w),
            ResultError::Empty => PackError::Empty,
            ResultError::TooLarge { size, limit } => PackError::TooLarge { size, limit },
            ResultError::InvalidUtf8 { what, offset } => PackError::InvalidUtf8 { what, offset },
            ResultError::TooDeep { what, limit } => PackError::TooDeep { what, limit },
            ResultError::Truncated { line, column } => PackError::Truncated { line, column },
            ResultError::NotJson {
                message,
                line,
                column,
            } => PackError::NotJson {
                message,
                line,
                column,
            },
            ResultError::UnknownField { path, field } => PackError::UnknownField { path, field },
            ResultError::Shape { path, message } => PackError::Shape { path, message },
            ResultError::Encoding { field, message } => PackError::Encoding { field, message },
            ResultError::Tampered => PackError::Tampered,
            // The shared steps raise nothing else; keep the message anyway.
            other => PackError::Shape {
                path: "$".into(),
                message: other.to_string(),
            },
        }
    }
}

/// A pack that passed every check.
#[derive(Debug, Clone)]
pub struct VerifiedPack {
    /// The signed content.
    pub payload: PackPayload,
    /// Its questionnaires, validated, with their content hashes.
    pub questionnaires: Vec<LoadedQuestionnaire>,
    /// The signer's public key.
    pub public_key: [u8; 32],
    /// Its fingerprint (`3F2A-9C01-77DE-B410`).
    pub fingerprint: String,
    /// SHA-256 (hex) of the signed payload bytes.
    pub payload_sha256: String,
}

/// Read a pack file: at most [`MAX_PACK_BYTES`], regular files only.
pub fn read_pack_file(path: &Path) -> Result<Vec<u8>, PackError> {
    exchange::read_capped(path).map_err(PackError::from_shared)
}

/// Verify the bytes of a pack (dates judged against the clock).
pub fn verify_pack_bytes(bytes: &[u8]) -> Result<VerifiedPack, PackError> {
    verify_pack_bytes_at(bytes, Utc::now())
}

/// Parse JSON text strictly: depth first (one linear scan), then JSON,
/// then no duplicate keys.
fn strict_json(text: &str, what: &'static str) -> Result<serde_json::Value, PackError> {
    check_depth(text, what).map_err(PackError::from_shared)?;
    let value = parse_json(text).map_err(PackError::from_shared)?;
    if let Some(d) = first_duplicate(text) {
        return Err(PackError::DuplicateKey {
            what,
            key: validate::printable(&d.key).chars().take(80).collect(),
            line: d.line,
            column: d.column,
        });
    }
    Ok(value)
}

fn utf8<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a str, PackError> {
    std::str::from_utf8(bytes).map_err(|e| PackError::InvalidUtf8 {
        what,
        offset: e.valid_up_to(),
    })
}

/// [`verify_pack_bytes`] with the clock given.
pub fn verify_pack_bytes_at(bytes: &[u8], now: DateTime<Utc>) -> Result<VerifiedPack, PackError> {
    if bytes.len() as u64 > MAX_PACK_BYTES {
        return Err(PackError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_PACK_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PackError::Empty);
    }
    let text = utf8(bytes, "the file")?;
    let value = strict_json(text, "the file")?;
    check_format_tag(&value)?;
    let envelope: Envelope = typed(value, "$").map_err(PackError::from_shared)?;
    let (payload, public_key) = open_envelope(&envelope).map_err(PackError::from_shared)?;

    let payload_text = utf8(&payload, "the payload")?;
    let value = strict_json(payload_text, "the payload")?;
    match value.get("format") {
        Some(serde_json::Value::String(f)) if f == PACK_FORMAT => {}
        Some(serde_json::Value::String(f)) => {
            return Err(PackError::PayloadFormat { found: f.clone() })
        }
        _ => {
            return Err(PackError::PayloadFormat {
                found: String::new(),
            })
        }
    }
    let payload_value: PackPayload = typed(value, "$.payload").map_err(PackError::from_shared)?;
    check_payload(&payload_value, now.date_naive())?;
    let questionnaires = check_questionnaires(&payload_value)?;
    Ok(VerifiedPack {
        payload: payload_value,
        questionnaires,
        fingerprint: fingerprint_bytes(&public_key),
        public_key,
        payload_sha256: exchange::hex(&Sha256::digest(&payload)),
    })
}

fn check_format_tag(value: &serde_json::Value) -> Result<(), PackError> {
    let Some(object) = value.as_object() else {
        return Err(PackError::NotAPack(
            "expected a JSON object with a \"format\" field".into(),
        ));
    };
    let found = match object.get("format") {
        Some(serde_json::Value::String(s)) => s,
        Some(_) => {
            return Err(PackError::NotAPack(format!(
                "\"format\" must be the string {PACK_FORMAT:?}"
            )))
        }
        None => {
            return Err(PackError::NotAPack(format!(
                "it has no \"format\" field (expected {PACK_FORMAT:?})"
            )))
        }
    };
    if found == PACK_FORMAT {
        return Ok(());
    }
    let version = found
        .strip_prefix(PACK_FAMILY)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse::<u32>().ok());
    if version.is_some_and(|v| v > PACK_VERSION) {
        return Err(PackError::FutureVersion {
            found: validate::printable(found).chars().take(80).collect(),
        });
    }
    let hint = if found.starts_with("sentinella-result/") {
        "; this is a result file of a comune: the coordinator imports it with `sentinella collect`"
    } else if found == DRAFT_FORMAT {
        "; this is an unsigned draft: the coordinator signs it with `sentinella pack sign`"
    } else if found.starts_with("sentinella-questionnaire/") {
        "; this is a questionnaire, not a pack"
    } else {
        ""
    };
    Err(PackError::WrongFormat {
        found: validate::printable(found).chars().take(80).collect(),
        hint: hint.into(),
    })
}

/// One text field: trimmed non-empty (when `required`), at most `limit`
/// characters, no control or bidirectional character (line feeds and tabs
/// only where `multiline`).
fn check_text(
    path: &str,
    text: &str,
    limit: usize,
    multiline: bool,
    required: bool,
) -> Result<(), PackError> {
    let chars = text.chars().count();
    if chars > limit {
        return Err(PackError::TooLong {
            path: path.into(),
            chars,
            limit,
        });
    }
    if let Some(c) = text.chars().find(|&c| is_forbidden_char(c, multiline)) {
        return Err(PackError::ControlCharacter {
            path: path.into(),
            code: u32::from(c),
        });
    }
    if required && text.trim().is_empty() {
        return Err(PackError::Invalid {
            path: path.into(),
            message: "must not be empty".into(),
        });
    }
    Ok(())
}

fn count(path: &str, n: usize, limit: usize) -> Result<(), PackError> {
    if n > limit {
        return Err(PackError::TooMany {
            path: path.into(),
            count: n,
            limit,
        });
    }
    Ok(())
}

/// No pack is dated before this day (the format dates from 2026).
const EARLIEST_PACK: NaiveDate = match NaiveDate::from_ymd_opt(2025, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The rules beyond the shape, for a pack as read and for a pack about to
/// be signed (so a coordinator can never sign what its comuni would
/// refuse). `today` is the reader's date: a pack dated more than a day
/// after it is refused. Questionnaires are checked by the reader.
pub fn check_payload(p: &PackPayload, today: NaiveDate) -> Result<(), PackError> {
    check_text(
        "$.payload.issuer.name",
        &p.issuer.name,
        MAX_NAME_CHARS,
        false,
        true,
    )?;
    check_text(
        "$.payload.issuer.territory",
        &p.issuer.territory,
        MAX_NAME_CHARS,
        false,
        true,
    )?;
    if p.sequence == 0 || p.sequence > i64::MAX as u64 {
        return Err(PackError::Invalid {
            path: "$.payload.sequence".into(),
            message: format!("{} is not a sequence number (1, 2, 3, ...)", p.sequence),
        });
    }
    if p.issued_on > today + chrono::Duration::days(1) {
        return Err(PackError::ImplausibleDate(format!(
            "issued on {}, after today ({today})",
            p.issued_on
        )));
    }
    if p.issued_on < EARLIEST_PACK {
        return Err(PackError::ImplausibleDate(format!(
            "issued on {}, before any Sentinella pack existed (the earliest date accepted is {EARLIEST_PACK})",
            p.issued_on
        )));
    }
    count("$.payload.alerts", p.alerts.len(), MAX_ALERTS)?;
    count("$.payload.contacts", p.contacts.len(), MAX_CONTACTS)?;
    count(
        "$.payload.questionnaires",
        p.questionnaires.len(),
        MAX_QUESTIONNAIRES,
    )?;
    for (i, a) in p.alerts.iter().enumerate() {
        let path = format!("$.payload.alerts[{i}]");
        check_text(
            &format!("{path}.title"),
            &a.title,
            MAX_TITLE_CHARS,
            false,
            true,
        )?;
        check_text(&format!("{path}.text"), &a.text, MAX_TEXT_CHARS, true, true)?;
        if a.expires_on < p.issued_on {
            return Err(PackError::ExpiresBeforeIssue {
                path: format!("{path}.expires_on"),
                expires_on: a.expires_on,
                issued_on: p.issued_on,
            });
        }
        if a.expires_on < a.date {
            return Err(PackError::ExpiresBeforeIssue {
                path: format!("{path}.expires_on"),
                expires_on: a.expires_on,
                issued_on: a.date,
            });
        }
        if a.date > p.issued_on {
            return Err(PackError::ImplausibleDate(format!(
                "{path}.date: {}, after the pack's own date {}",
                a.date, p.issued_on
            )));
        }
        count(
            &format!("{path}.related_questions"),
            a.related_questions.len(),
            MAX_RELATED,
        )?;
        for (j, q) in a.related_questions.iter().enumerate() {
            let ok = !q.is_empty()
                && q.len() <= 64
                && q.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !ok {
                return Err(PackError::Invalid {
                    path: format!("{path}.related_questions[{j}]"),
                    message: "a question id has 1 to 64 letters, digits, '.', '_' or '-'".into(),
                });
            }
        }
    }
    let mut roles = Vec::new();
    for (i, c) in p.contacts.iter().enumerate() {
        let path = format!("$.payload.contacts[{i}]");
        if roles.contains(&c.role) {
            return Err(PackError::Invalid {
                path: format!("{path}.role"),
                message: format!("the role {:?} is given twice", c.role.id()),
            });
        }
        roles.push(c.role);
        check_text(
            &format!("{path}.name"),
            &c.name,
            MAX_NAME_CHARS,
            false,
            true,
        )?;
        // The phone and e-mail rules of the organisation's own contacts.
        if let Some(phone) = &c.phone {
            normalize_phone(ContactRole::Cosc, phone).map_err(|_| PackError::Invalid {
                path: format!("{path}.phone"),
                message: format!(
                    "{:?} is not a valid phone number",
                    validate::printable(phone)
                        .chars()
                        .take(40)
                        .collect::<String>()
                ),
            })?;
        }
        if let Some(email) = &c.email {
            check_email(ContactRole::Cosc, email).map_err(|_| PackError::Invalid {
                path: format!("{path}.email"),
                message: format!(
                    "{:?} is not a valid e-mail address",
                    validate::printable(email)
                        .chars()
                        .take(60)
                        .collect::<String>()
                ),
            })?;
        }
        if c.phone.is_none() && c.email.is_none() {
            return Err(PackError::Invalid {
                path: path.clone(),
                message: "a contact needs a phone number or an e-mail address".into(),
            });
        }
    }
    Ok(())
}

/// Validate the questionnaires inside with the questionnaire validator;
/// one id and version at most once.
fn check_questionnaires(p: &PackPayload) -> Result<Vec<LoadedQuestionnaire>, PackError> {
    let mut out: Vec<LoadedQuestionnaire> = Vec::new();
    for (index, q) in p.questionnaires.iter().enumerate() {
        let issues = validate::questionnaire_issues(q);
        let id = format!(
            "{} {}",
            validate::printable(&q.id)
                .chars()
                .take(64)
                .collect::<String>(),
            validate::printable(&q.version)
                .chars()
                .take(32)
                .collect::<String>()
        );
        if !issues.is_empty() {
            return Err(PackError::InvalidQuestionnaire { index, id, issues });
        }
        if out
            .iter()
            .any(|e| e.questionnaire.id == q.id && e.questionnaire.version == q.version)
        {
            return Err(PackError::Invalid {
                path: format!("$.payload.questionnaires[{index}]"),
                message: format!("questionnaire {id} is given twice"),
            });
        }
        out.push(LoadedQuestionnaire {
            content_hash: content_hash(q),
            questionnaire: std::sync::Arc::new(q.clone()),
            origin: format!("pack {}", p.sequence),
        });
    }
    Ok(out)
}

/// Check, sign and self-verify a pack: the bytes of the pack file (pretty
/// JSON ending with a line feed). The coordinator's "Firma e salva" and
/// `sentinella pack sign` both come here.
pub fn seal_pack(
    payload: &PackPayload,
    key: &KeyPair,
    now: DateTime<Utc>,
) -> Result<(VerifiedPack, Vec<u8>), PackError> {
    check_payload(payload, now.date_naive())?;
    let bytes = serde_json::to_vec(payload).map_err(|e| PackError::Shape {
        path: "$.payload".into(),
        message: e.to_string(),
    })?;
    let sealed = exchange::seal_bytes_as(PACK_FORMAT, &bytes, key);
    let verified = verify_pack_bytes_at(&sealed, now)?;
    Ok((verified, sealed))
}

/// Read a coordinator's draft strictly (same caps, no duplicate keys, no
/// unknown fields); the draft's rules are those of [`check_payload`],
/// checked when it is signed.
pub fn read_draft(bytes: &[u8]) -> Result<PackDraft, PackError> {
    if bytes.len() as u64 > MAX_PACK_BYTES {
        return Err(PackError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_PACK_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PackError::Empty);
    }
    let text = utf8(bytes, "the file")?;
    let value = strict_json(text, "the file")?;
    match value.get("format") {
        Some(serde_json::Value::String(f)) if f == DRAFT_FORMAT => {}
        _ => {
            return Err(PackError::NotAPack(format!(
                "a draft has \"format\": {DRAFT_FORMAT:?} (write one with `sentinella pack new`)"
            )))
        }
    }
    typed(value, "$").map_err(PackError::from_shared)
}

const _: () = assert!(MAX_JSON_DEPTH >= 8);
