//! Coordinator packs (`sentinella-pack/1`): what a coordinator sends back
//! down to its comuni and Polis offices — alerts ("avvisi"), territory
//! contacts (the regional COSC of the Polizia Postale, the regional CSIRT,
//! the ANCI or regional referent) and, optionally, new questionnaire
//! versions.
//!
//! A pack travels in the same envelope as a result file
//! ([`crate::exchange::Envelope`]): the payload bytes in base64, the
//! coordinator's Ed25519 public key and the signature of
//! `sentinella-pack/1\n<payload bytes>`, made by the same machinery
//! ([`crate::exchange::seal_bytes_as`], [`crate::exchange::open_envelope`]).
//! The format tag in the signed message keeps a pack from ever passing for a
//! result file, and the other way round.
//!
//! The reader ([`verify_pack_bytes`]) is as strict as the result reader and
//! shares its caps: at most [`MAX_PACK_BYTES`], nesting at most
//! [`crate::exchange::MAX_JSON_DEPTH`] levels, UTF-8 only, no duplicate keys
//! at any level, no unknown field, then the rules of [`check_payload`]
//! (text lengths, control characters, dates, contacts) and the
//! questionnaire validator for every questionnaire inside.
//!
//! Pure: no files, no database, no clock (the caller passes `now`).

mod model;
mod read;
mod strict;

pub use model::{
    Alert, AlertAudience, Issuer, PackDraft, PackPayload, Severity, TerritoryContact,
    TerritoryRole, DRAFT_FORMAT, MAX_ALERTS, MAX_CONTACTS, MAX_NAME_CHARS, MAX_QUESTIONNAIRES,
    MAX_RELATED, MAX_TEXT_CHARS, MAX_TITLE_CHARS, PACK_FAMILY, PACK_FORMAT, PACK_VERSION,
};
pub use read::{
    check_payload, read_draft, read_pack_file, seal_pack, verify_pack_bytes, verify_pack_bytes_at,
    PackError, VerifiedPack, MAX_PACK_BYTES,
};
