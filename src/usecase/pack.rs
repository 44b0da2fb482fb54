//! The coordinator's packs, both sides (see `docs/packs.md`).
//!
//! Comune / Polis side ([`import`]): verify the pack; trust on first use of
//! the coordinator's key — the first pack is not applied until the user
//! confirms its fingerprint (read out by the coordinator on the phone); a
//! pack signed by another key is held back, with both fingerprints, unless
//! the user confirms the new one the same way; a pack whose sequence number
//! is not newer than the last one applied is refused (no rollback to old
//! alerts or an old questionnaire; a new key, once confirmed, starts its
//! own series, as a coordinator who reinstalled starts again from 1); a questionnaire version that
//! contradicts one already known is refused. A pack is applied whole, in
//! one transaction, or not at all. [`active_alerts`] hides expired alerts
//! and those for the other audience.
//!
//! Coordinator side ([`issue`]): the next sequence number from the
//! coordinator database, sign with the installation key, write the file
//! atomically and record it in the history in one transaction.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use thiserror::Error;

use crate::coordinator::{CoordinatorDb, CoordinatorError, IssuedPack};
use crate::ids::Fingerprint;
use crate::incident::contacts::{Contact, ContactRole};
use crate::keys::{KeyError, KeyPair};
use crate::load::{Catalog, LoadError, LoadedQuestionnaire};
use crate::model::Audience;
use crate::pack::{
    self, Alert, Issuer, PackDraft, PackError, TerritoryContact, TerritoryRole, VerifiedPack,
};
use crate::store::{PackApply, PackState, Store, StoreError};

/// Why a pack was not applied.
#[derive(Debug, Error)]
pub enum PackImportError {
    /// The pack itself is refused (hostile, damaged or malformed).
    #[error(transparent)]
    Rejected(#[from] PackError),
    /// Signed by another key than the coordinator's on record.
    #[error("the pack is signed by key {found}, but the coordinator's key on record is {on_record}: nothing was applied; if the coordinator really changed key, confirm the new fingerprint with them by phone and import again confirming {found}")]
    OtherKey {
        /// The pack's key.
        found: String,
        /// The key on record.
        on_record: String,
    },
    /// The fingerprint confirmed is not the pack's.
    #[error("the fingerprint confirmed ({given}) is not the one of the key that signed this pack ({found}): nothing was applied")]
    ConfirmationMismatch {
        /// What the user confirmed.
        given: String,
        /// The pack's key.
        found: String,
    },
    /// Not newer than the last pack applied.
    #[error("this pack has sequence number {sequence}, but pack {last} was already applied: an older or replayed pack is never applied again (nothing was changed)")]
    NotNewer {
        /// The pack's sequence number.
        sequence: u64,
        /// The last one applied.
        last: u64,
    },
    /// A questionnaire contradicts one already here.
    #[error("{0}")]
    QuestionnaireConflict(String),
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a pack holds, for the user to see (before and after applying it).
#[derive(Debug, Clone, Serialize)]
pub struct PackSummary {
    /// The signer's fingerprint.
    pub fingerprint: String,
    /// Who issued it.
    pub issuer: Issuer,
    /// Its sequence number.
    pub sequence: u64,
    /// Its date.
    pub issued_on: NaiveDate,
    /// Its alerts.
    pub alerts: Vec<Alert>,
    /// Its territory contacts.
    pub contacts: Vec<TerritoryContact>,
    /// The questionnaire versions it brings ("id version").
    pub questionnaires: Vec<String>,
    /// The fingerprint of the key on record when the pack's key differs
    /// from it (a confirmed change of key).
    pub replaces_key: Option<String>,
}

impl PackSummary {
    fn of(pack: &VerifiedPack, replaces_key: Option<String>) -> PackSummary {
        let p = &pack.payload;
        PackSummary {
            fingerprint: pack.fingerprint.clone(),
            issuer: p.issuer.clone(),
            sequence: p.sequence,
            issued_on: p.issued_on,
            alerts: p.alerts.clone(),
            contacts: p.contacts.clone(),
            questionnaires: pack
                .questionnaires
                .iter()
                .map(|q| format!("{} {}", q.questionnaire.id, q.questionnaire.version))
                .collect(),
            replaces_key,
        }
    }
}

/// What [`import`] did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportOutcome {
    /// The first pack of a coordinator: nothing applied until the user
    /// confirms this fingerprint (import again with it).
    NeedsConfirmation(PackSummary),
    /// Applied, whole.
    Applied(PackSummary),
}

/// Import a pack into the comune's database. `confirm` is the fingerprint
/// the user confirmed with the coordinator (needed for the first pack and
/// for a change of key); `catalog` is the questionnaires known here.
pub fn import(
    store: &mut Store,
    catalog: &Catalog,
    bytes: &[u8],
    confirm: Option<&Fingerprint>,
    now: DateTime<Utc>,
) -> Result<ImportOutcome, PackImportError> {
    let pack = pack::verify_pack_bytes_at(bytes, now)?;
    let state = store.pack_state()?;
    if let Some(s) = &state {
        if s.public_key == pack.public_key && pack.payload.sequence <= s.last_sequence {
            return Err(PackImportError::NotNewer {
                sequence: pack.payload.sequence,
                last: s.last_sequence,
            });
        }
    }
    let confirmed = match confirm {
        None => false,
        Some(f) if f.matches(&pack.fingerprint) => true,
        Some(f) => {
            return Err(PackImportError::ConfirmationMismatch {
                given: f.to_string(),
                found: pack.fingerprint.clone(),
            })
        }
    };
    let replaces_key = match &state {
        None if !confirmed => {
            return Ok(ImportOutcome::NeedsConfirmation(PackSummary::of(
                &pack, None,
            )))
        }
        None => None,
        Some(s) if s.public_key != pack.public_key => {
            if !confirmed {
                return Err(PackImportError::OtherKey {
                    found: pack.fingerprint.clone(),
                    on_record: s.fingerprint.clone(),
                });
            }
            Some(s.fingerprint.clone())
        }
        Some(_) => None,
    };
    check_questionnaires(store, catalog, &pack.questionnaires)?;
    let accept_key = state.is_none() || replaces_key.is_some();
    match store.apply_pack(&pack, accept_key, now)? {
        PackApply::Applied => Ok(ImportOutcome::Applied(PackSummary::of(&pack, replaces_key))),
        // Another window applied a pack in the meantime: judged again.
        PackApply::NotNewer { last } => Err(PackImportError::NotNewer {
            sequence: pack.payload.sequence,
            last,
        }),
        PackApply::OtherKey { on_record } => Err(PackImportError::OtherKey {
            found: pack.fingerprint.clone(),
            on_record,
        }),
        PackApply::KeyNotConfirmed => Ok(ImportOutcome::NeedsConfirmation(PackSummary::of(
            &pack, None,
        ))),
        PackApply::QuestionnaireChanged { id } => Err(PackImportError::QuestionnaireConflict(
            format!("questionnaire {id} was received earlier with other content: a version never changes; nothing was applied"),
        )),
    }
}

/// A questionnaire of the pack must not contradict the catalog (built-in
/// and received earlier): same id and version with other content, or the
/// same id for another audience.
fn check_questionnaires(
    store: &Store,
    catalog: &Catalog,
    incoming: &[LoadedQuestionnaire],
) -> Result<(), PackImportError> {
    if incoming.is_empty() {
        return Ok(());
    }
    let mut known = catalog.clone();
    for q in store.pack_questionnaires()? {
        // Known ones already passed this check when they arrived.
        let _ = known.add(q);
    }
    for q in incoming {
        known.add(q.clone()).map_err(|e| match e {
            LoadError::Conflict { message, .. } => {
                PackImportError::QuestionnaireConflict(format!("{message}; nothing was applied"))
            }
            other => PackImportError::QuestionnaireConflict(other.to_string()),
        })?;
    }
    Ok(())
}

/// The alerts to show on `today`: not expired, for this kind of
/// organization (every audience when `kind` is `None`); the most urgent
/// first, then the newest.
pub fn active_alerts(
    store: &Store,
    kind: Option<Audience>,
    today: NaiveDate,
) -> Result<Vec<Alert>, StoreError> {
    Ok(filter_active(store.pack_alerts()?, kind, today))
}

/// The one kind of organisation this installation assesses (Comune or
/// Polis office), or `None` when it holds both kinds or none: whose alerts
/// to show when the caller does not say.
pub fn installation_kind(store: &Store) -> Result<Option<Audience>, StoreError> {
    let kinds: std::collections::BTreeSet<Audience> = store
        .organizations()?
        .into_iter()
        .map(|(_, o)| o.kind)
        .collect();
    Ok(if kinds.len() == 1 {
        kinds.into_iter().next()
    } else {
        None
    })
}

/// [`active_alerts`] over a list (pure).
pub fn filter_active(alerts: Vec<Alert>, kind: Option<Audience>, today: NaiveDate) -> Vec<Alert> {
    let mut out: Vec<Alert> = alerts
        .into_iter()
        .filter(|a| a.expires_on >= today)
        .filter(|a| kind.is_none_or(|k| a.audience.includes(k)))
        .collect();
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.date.cmp(&a.date)));
    out
}

/// The coordinator on record and what its last pack brought.
#[derive(Debug, Clone, Serialize)]
pub struct PackStatus {
    /// The coordinator on record (none before the first pack).
    pub state: Option<PackState>,
    /// The territory contacts.
    pub contacts: Vec<TerritoryContact>,
    /// The questionnaire versions received ("id version").
    pub questionnaires: Vec<String>,
}

/// What the packs brought so far.
pub fn status(store: &Store) -> Result<PackStatus, StoreError> {
    Ok(PackStatus {
        state: store.pack_state()?,
        contacts: store.pack_contacts()?,
        questionnaires: store
            .pack_questionnaires()?
            .iter()
            .map(|q| format!("{} {}", q.questionnaire.id, q.questionnaire.version))
            .collect(),
    })
}

/// The catalog with the questionnaire versions received by pack added
/// (offered for new assessments; an existing assessment keeps its own
/// version). One that contradicts the catalog is left out.
pub fn catalog_with_packs(store: &Store, catalog: &Catalog) -> Result<Catalog, StoreError> {
    let mut out = catalog.clone();
    for q in store.pack_questionnaires()? {
        let _ = out.add(q);
    }
    Ok(out)
}

/// The organisation's own emergency contacts, completed with the pack's
/// COSC where the organisation has none of its own (its own always wins).
pub fn with_territory_contacts(own: Vec<Contact>, territory: &[TerritoryContact]) -> Vec<Contact> {
    let mut out = own;
    if out.iter().any(|c| c.role == ContactRole::Cosc) {
        return out;
    }
    if let Some(t) = territory.iter().find(|t| t.role == TerritoryRole::Cosc) {
        out.push(Contact {
            role: ContactRole::Cosc,
            name: t.name.clone(),
            phone: t.phone.clone(),
            email: t.email.clone(),
        });
    }
    out
}

/// Why a pack could not be issued.
#[derive(Debug, Error)]
pub enum IssueError {
    /// The draft or the pack breaks a rule of the format.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// The signing key.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The coordinator database.
    #[error(transparent)]
    Coordinator(#[from] CoordinatorError),
    /// The pack file could not be written (nothing recorded).
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// A pack issued.
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    /// What it holds.
    pub summary: PackSummary,
    /// Whether the signing key was created now.
    pub key_created: bool,
    /// Size of the file.
    pub bytes: usize,
}

/// Sign a pack with the next sequence number and write it to `out`
/// atomically, recording it in the coordinator database's history (both
/// or neither).
pub fn issue(
    draft: PackDraft,
    keys: &Path,
    db: &mut CoordinatorDb,
    out: &Path,
    now: DateTime<Utc>,
) -> Result<Issued, IssueError> {
    let key = KeyPair::load_or_create(keys)?;
    let sequence = db.next_pack_sequence()?;
    let payload = draft.into_payload(sequence, now.date_naive());
    let (verified, bytes) = pack::seal_pack(&payload, &key, now)?;
    db.record_issued_pack(&verified, &bytes, &out.display().to_string(), now, || {
        crate::store::file::write_atomic(out, &bytes)
    })?
    .map_err(|source| IssueError::Write {
        path: out.display().to_string(),
        source,
    })?;
    Ok(Issued {
        summary: PackSummary::of(&verified, None),
        key_created: key.created,
        bytes: bytes.len(),
    })
}

/// The packs issued, newest first.
pub fn history(db: &CoordinatorDb) -> Result<Vec<IssuedPack>, CoordinatorError> {
    db.issued_packs()
}

/// Read a pack file and summarize it, verified (nothing is written).
pub fn show(bytes: &[u8], now: DateTime<Utc>) -> Result<PackSummary, PackError> {
    Ok(PackSummary::of(
        &pack::verify_pack_bytes_at(bytes, now)?,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosc(name: &str) -> TerritoryContact {
        TerritoryContact {
            role: TerritoryRole::Cosc,
            name: name.into(),
            phone: Some("06 1234 5678".into()),
            email: None,
        }
    }

    #[test]
    fn the_pack_fills_the_cosc_only_where_the_organisation_has_none() {
        let own = Contact {
            role: ContactRole::Cosc,
            name: "COSC scritto dal Comune".into(),
            phone: Some("0761 000000".into()),
            email: None,
        };
        let kept = with_territory_contacts(vec![own.clone()], &[cosc("COSC del pacchetto")]);
        assert_eq!(kept, vec![own]);
        let filled = with_territory_contacts(Vec::new(), &[cosc("COSC del pacchetto")]);
        assert_eq!(filled.len(), 1);
        assert_eq!(filled[0].role, ContactRole::Cosc);
        assert_eq!(filled[0].name, "COSC del pacchetto");
        // The regional CSIRT has no row of its own on the card.
        let csirt = TerritoryContact {
            role: TerritoryRole::RegionalCsirt,
            ..cosc("CSIRT")
        };
        assert!(with_territory_contacts(Vec::new(), &[csirt]).is_empty());
    }

    #[test]
    fn expired_and_other_audience_alerts_are_hidden() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        let alert = |title: &str, audience, expires: u32, severity| Alert {
            title: title.into(),
            text: "t".into(),
            date: day(1),
            severity,
            audience,
            expires_on: day(expires),
            related_questions: Vec::new(),
        };
        use crate::pack::{AlertAudience as A, Severity as S};
        let alerts = vec![
            alert("scaduto", A::Both, 9, S::Critical),
            alert("polis", A::Polis, 30, S::Critical),
            alert("info", A::Comuni, 30, S::Info),
            alert("oggi", A::Both, 10, S::Warning),
        ];
        let shown: Vec<String> = filter_active(alerts.clone(), Some(Audience::Comune), day(10))
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(shown, ["oggi", "info"]);
        assert_eq!(filter_active(alerts, None, day(10)).len(), 3);
    }
}
