//! Result files: what a comune sends to its coordinator (`sentinella-result/1`).
//!
//! A result file is a small JSON envelope that carries the signed bytes
//! verbatim, so no re-serialization can break the signature:
//!
//! ```json
//! {
//!   "format": "sentinella-result/1",
//!   "payload": "<base64 of the payload JSON, exactly as signed>",
//!   "public_key": "<base64 of the 32-byte Ed25519 public key>",
//!   "signature": "<base64 of the 64-byte Ed25519 signature>"
//! }
//! ```
//!
//! The signed message is the format tag, a line feed, then the payload bytes
//! (`sentinella-result/1\n{...}`): the tag binds the signature to this use
//! and this version. The payload ([`ResultPayload`]) holds the questionnaire
//! stamp (id, version, content hash), organization, dates, context answers,
//! answers (notes only when the user opted in) and the scores for
//! information. The importer never trusts those scores: [`verify`]
//! recomputes them.
//!
//! Base64 keeps the file pure ASCII, so mail clients and USB sticks with
//! odd encodings cannot alter the signed bytes.

mod verify;
pub mod wrapped;

pub(crate) use verify::{check_depth, json_nesting_exceeds, open_envelope, parse_json, typed};

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::KeyPair;
use crate::load::LoadedAnswers;
use crate::model::{Answer, Organization};
use crate::scoring::{round1, Score};

pub use verify::{
    parallel_map, read_capped, signed_claim, verify_bytes, verify_bytes_at, verify_each,
    verify_file, FileError, RejectionKind, ResultError, SignedClaim, VerifiedResult,
    EARLIEST_ASSESSMENT, MAX_JSON_DEPTH, MAX_RESULT_BYTES,
};

/// The format family of result files.
pub const RESULT_FAMILY: &str = "sentinella-result";
/// The version of the format this build writes and reads.
pub const RESULT_VERSION: u32 = 1;
/// The format tag this build writes and reads.
pub const RESULT_FORMAT: &str = "sentinella-result/1";

/// The outer JSON object of a result file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// `sentinella-result/1`.
    pub format: String,
    /// Base64 (standard, padded) of the payload bytes.
    pub payload: String,
    /// Base64 of the signer's 32-byte Ed25519 public key.
    pub public_key: String,
    /// Base64 of the 64-byte Ed25519 signature of
    /// `format + "\n" + payload bytes`.
    pub signature: String,
}

/// What a comune sends: the signed content of a result file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultPayload {
    /// `sentinella-result/1` (the same tag as the envelope).
    pub format: String,
    /// Version of the Sentinella that wrote the file.
    pub app_version: String,
    /// Stable id of the assessment: the same assessment exported twice has
    /// the same id, so an importer can tell a re-send from a new assessment.
    pub assessment_id: String,
    /// When the file was written.
    pub exported_at: DateTime<Utc>,
    /// The questionnaire the answers were given against.
    pub questionnaire: QuestionnaireStamp,
    /// Who answered.
    pub organization: Organization,
    /// The day of the assessment.
    pub assessed_on: NaiveDate,
    /// Role of the person who answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessor_role: Option<String>,
    /// Whether the free-text notes were included (the user opted in).
    pub notes_included: bool,
    /// Context question id → option id.
    pub context: BTreeMap<String, String>,
    /// Scored question id → answer.
    pub answers: BTreeMap<String, Answer>,
    /// The scores as the sender computed them: for information only.
    pub scores: DeclaredScores,
}

/// Names the exact questionnaire content the answers refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireStamp {
    /// Questionnaire id.
    pub id: String,
    /// Questionnaire version.
    pub version: String,
    /// SHA-256 of the canonical content ([`crate::load::content_hash`]).
    pub content_hash: String,
}

/// The sender's scores (never trusted by an importer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredScores {
    /// Overall score, one decimal.
    pub overall: f64,
    /// Tier id.
    pub tier: String,
    /// Whether every baseline gate passed.
    pub baseline_met: bool,
    /// Question ids whose gate failed.
    pub failed_gates: Vec<String>,
    /// Domain id → score (one decimal; null when no question applies).
    pub domains: BTreeMap<String, Option<f64>>,
}

impl DeclaredScores {
    /// The scores to declare for a computed [`Score`].
    pub fn from_score(score: &Score) -> DeclaredScores {
        DeclaredScores {
            overall: round1(score.overall),
            tier: score.tier.id().to_string(),
            baseline_met: score.baseline.met,
            failed_gates: score.baseline.failed.clone(),
            domains: score
                .domains
                .iter()
                .map(|d| (d.id.clone(), d.score.map(round1)))
                .collect(),
        }
    }
}

/// Options of an export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Include the free-text notes (they may describe weaknesses in detail).
    pub with_notes: bool,
    /// The writing application's version.
    pub app_version: String,
    /// When the file is written (the caller reads the clock).
    pub exported_at: DateTime<Utc>,
    /// The assessment id; `None` derives one from the comune, questionnaire
    /// and date ([`derived_assessment_id`]). The store passes its own.
    pub assessment_id: Option<String>,
}

/// A stable assessment id for answers that do not come from the store:
/// 32 hex digits of SHA-256 over ISTAT code, questionnaire id and version,
/// and assessment date.
pub fn derived_assessment_id(loaded: &LoadedAnswers) -> String {
    let s = &loaded.sheet;
    let key = format!(
        "{}|{}|{}|{}",
        s.organization.istat_code, s.questionnaire.id, s.questionnaire.version, s.assessed_on
    );
    hex(&Sha256::digest(key.as_bytes())[..16])
}

/// The assessment id of an assessment of the store: 32 hex digits of
/// SHA-256 over ISTAT code, creation time and row id, so it is stable across
/// re-exports and differs between installations (row ids restart at 1).
pub fn store_assessment_id(istat_code: &str, created_at: &DateTime<Utc>, row_id: i64) -> String {
    let key = format!(
        "store|{istat_code}|{}|{row_id}",
        created_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
    );
    hex(&Sha256::digest(key.as_bytes())[..16])
}

/// Build the payload of a result file (pure).
pub fn build_payload(loaded: &LoadedAnswers, score: &Score, opts: &ExportOptions) -> ResultPayload {
    let sheet = &loaded.sheet;
    let answers = sheet
        .answers
        .iter()
        .map(|(id, a)| {
            let note = if opts.with_notes {
                a.note.clone()
            } else {
                None
            };
            (
                id.clone(),
                Answer {
                    option: a.option.clone(),
                    note,
                },
            )
        })
        .collect();
    ResultPayload {
        format: RESULT_FORMAT.to_string(),
        app_version: opts.app_version.clone(),
        assessment_id: opts
            .assessment_id
            .clone()
            .unwrap_or_else(|| derived_assessment_id(loaded)),
        exported_at: opts.exported_at,
        questionnaire: QuestionnaireStamp {
            id: loaded.questionnaire.questionnaire.id.clone(),
            version: loaded.questionnaire.questionnaire.version.clone(),
            content_hash: loaded.questionnaire.content_hash.clone(),
        },
        organization: sheet.organization.clone(),
        assessed_on: sheet.assessed_on,
        assessor_role: sheet.assessor_role.clone(),
        notes_included: opts.with_notes,
        context: sheet.context.clone(),
        answers,
        scores: DeclaredScores::from_score(score),
    }
}

/// The message an Ed25519 signature covers: the format tag, a line feed,
/// then the payload bytes.
pub fn signed_message(format: &str, payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(format.len() + 1 + payload.len());
    message.extend_from_slice(format.as_bytes());
    message.push(b'\n');
    message.extend_from_slice(payload);
    message
}

/// Sign arbitrary payload bytes into a result file (pretty JSON, ending with
/// a line feed). [`seal`] is the normal entry; this one lets tests and the
/// fuzzer sign bytes that no [`ResultPayload`] would produce.
pub fn seal_bytes(payload: &[u8], key: &KeyPair) -> Vec<u8> {
    seal_bytes_as(RESULT_FORMAT, payload, key)
}

/// Sign payload bytes into an envelope of format `format` (result files,
/// and the coordinator's packs of [`crate::pack`]).
pub fn seal_bytes_as(format: &str, payload: &[u8], key: &KeyPair) -> Vec<u8> {
    let signature = key.signing_key().sign(&signed_message(format, payload));
    let envelope = Envelope {
        format: format.to_string(),
        payload: B64.encode(payload),
        public_key: B64.encode(key.public_key().to_bytes()),
        signature: B64.encode(signature.to_bytes()),
    };
    // Serializing four strings cannot fail; fall back to an empty file
    // (which every reader rejects) rather than panic.
    let mut out = serde_json::to_vec_pretty(&envelope).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Sign a payload into the bytes of a result file.
pub fn seal(payload: &ResultPayload, key: &KeyPair) -> Result<Vec<u8>, serde_json::Error> {
    let bytes = serde_json::to_vec(payload)?;
    Ok(seal_bytes(&bytes, key))
}

/// Why an export failed (a defect, never the user's input: the answers were
/// validated when loaded).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The payload could not be serialized.
    #[error("cannot serialize the result: {0}")]
    Serialize(#[from] serde_json::Error),
    /// The file just sealed does not pass the importer's checks.
    #[error("the result file just written does not verify: {0}")]
    SelfCheck(#[from] ResultError),
}

/// Score, build, sign and self-check a result file (pure: the caller reads
/// the clock and the key, and writes the bytes, e.g. with [`write_atomic`]).
/// The app's "Esporta risultati" and `sentinella export` both call this.
pub fn export_result(
    loaded: &LoadedAnswers,
    key: &KeyPair,
    opts: &ExportOptions,
) -> Result<(ResultPayload, Vec<u8>), ExportError> {
    let score = crate::scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let payload = build_payload(loaded, &score, opts);
    let bytes = seal(&payload, key)?;
    // Read it back as an importer would, against this questionnaire only.
    let mut catalog = crate::load::Catalog::default();
    catalog.insert(loaded.questionnaire.clone());
    verify_bytes(&bytes, &catalog, Some(key.public_key().as_bytes()))?;
    Ok((payload, bytes))
}

pub use crate::store::file::{write_atomic, write_atomic_with};

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
