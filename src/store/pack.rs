//! What the coordinator's packs brought, in the store (schema version 4).
//!
//! [`Store::apply_pack`] writes a verified pack in one IMMEDIATE
//! transaction and checks again, inside it, the two rules that protect the
//! comune (the key on record, a newer sequence number): two windows
//! importing at once cannot both apply, and a refusal writes nothing.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::api::{parse_time, timestamp};
use super::{Store, StoreError};
use crate::load::{content_hash, LoadedQuestionnaire};
use crate::model::Questionnaire;
use crate::pack::{
    Alert, AlertAudience, Issuer, Severity, TerritoryContact, TerritoryRole, VerifiedPack,
};

/// The coordinator on record and the last pack applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackState {
    /// The coordinator's public key.
    #[serde(skip)]
    pub public_key: [u8; 32],
    /// Its fingerprint.
    pub fingerprint: String,
    /// Who issued the last pack.
    pub issuer: Issuer,
    /// The sequence number of the last pack applied.
    pub last_sequence: u64,
    /// Its date.
    pub issued_on: NaiveDate,
    /// When the key was recorded (first pack, or a confirmed new key).
    pub key_recorded_at: DateTime<Utc>,
    /// When the last pack was applied.
    pub applied_at: DateTime<Utc>,
}

/// What [`Store::apply_pack`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackApply {
    /// Applied, whole.
    Applied,
    /// Nothing written: the pack is not newer than the last one applied.
    NotNewer {
        /// The last sequence applied.
        last: u64,
    },
    /// Nothing written: signed by another key than the one on record, and
    /// that key was not accepted.
    OtherKey {
        /// The fingerprint on record.
        on_record: String,
    },
    /// Nothing written: no key on record and the first one not accepted.
    KeyNotConfirmed,
    /// Nothing written: a questionnaire of the pack has the id and version
    /// of one received earlier with other content.
    QuestionnaireChanged {
        /// Id and version.
        id: String,
    },
}

fn bad(what: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::BadValue {
        what,
        value: value.into(),
    }
}

fn date(what: &'static str, s: &str) -> Result<NaiveDate, StoreError> {
    s.parse().map_err(|_| bad(what, s))
}

impl Store {
    /// The coordinator on record, if a pack was ever applied.
    pub fn pack_state(&self) -> Result<Option<PackState>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT public_key, fingerprint, issuer_name, issuer_territory, last_sequence,
                        issued_on, key_recorded_at, applied_at
                 FROM pack_state WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((key, fingerprint, name, territory, seq, issued, recorded, applied)) = row else {
            return Ok(None);
        };
        Ok(Some(PackState {
            public_key: key
                .try_into()
                .map_err(|_| bad("pack_state.public_key", "not 32 bytes"))?,
            fingerprint,
            issuer: Issuer { name, territory },
            last_sequence: u64::try_from(seq)
                .map_err(|_| bad("pack_state.last_sequence", seq.to_string()))?,
            issued_on: date("pack_state.issued_on", &issued)?,
            key_recorded_at: parse_time("pack_state.key_recorded_at", &recorded)?,
            applied_at: parse_time("pack_state.applied_at", &applied)?,
        }))
    }

    /// Apply a verified pack whole, or nothing: `accept_key` is the
    /// fingerprint the user confirmed (needed for the first key, and to
    /// replace the key on record). The sequence number must be newer than
    /// the last one applied.
    pub fn apply_pack(
        &mut self,
        pack: &VerifiedPack,
        accept_key: bool,
        now: DateTime<Utc>,
    ) -> Result<PackApply, StoreError> {
        let p = &pack.payload;
        let tx = self.conn.transaction()?;
        let current: Option<(Vec<u8>, String, i64, String)> = tx
            .query_row(
                "SELECT public_key, fingerprint, last_sequence, key_recorded_at
                 FROM pack_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let mut recorded_at = timestamp(now);
        match &current {
            None if !accept_key => return Ok(PackApply::KeyNotConfirmed),
            None => {}
            Some((key, fingerprint, _, _)) if key[..] != pack.public_key[..] && !accept_key => {
                return Ok(PackApply::OtherKey {
                    on_record: fingerprint.clone(),
                });
            }
            Some((key, _, _, _)) if key[..] != pack.public_key[..] => {}
            Some((_, _, _, at)) => recorded_at = at.clone(),
        }
        // The sequence rule, for the key on record; a new key, confirmed by
        // the user, starts its own series.
        if let Some((key, _, last, _)) = &current {
            let last = u64::try_from(*last).unwrap_or(u64::MAX);
            if key[..] == pack.public_key[..] && p.sequence <= last {
                return Ok(PackApply::NotNewer { last });
            }
        }
        for q in &pack.questionnaires {
            let qq = &q.questionnaire;
            let known: Option<String> = tx
                .query_row(
                    "SELECT content_hash FROM pack_questionnaires
                     WHERE questionnaire_id = ?1 AND version = ?2",
                    params![qq.id, qq.version],
                    |r| r.get(0),
                )
                .optional()?;
            match known {
                Some(h) if h != q.content_hash => {
                    return Ok(PackApply::QuestionnaireChanged {
                        id: format!("{} {}", qq.id, qq.version),
                    })
                }
                Some(_) => {}
                None => {
                    let content = serde_json::to_string(&*qq.clone())
                        .map_err(|e| bad("pack_questionnaires.content", e.to_string()))?;
                    tx.execute(
                        "INSERT INTO pack_questionnaires
                             (questionnaire_id, version, content_hash, content, sequence)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![
                            qq.id,
                            qq.version,
                            q.content_hash,
                            content,
                            p.sequence as i64
                        ],
                    )?;
                }
            }
        }
        tx.execute(
            "INSERT INTO pack_state (id, public_key, fingerprint, issuer_name, issuer_territory,
                 last_sequence, issued_on, payload_sha256, key_recorded_at, applied_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key,
                 fingerprint = excluded.fingerprint, issuer_name = excluded.issuer_name,
                 issuer_territory = excluded.issuer_territory,
                 last_sequence = excluded.last_sequence, issued_on = excluded.issued_on,
                 payload_sha256 = excluded.payload_sha256,
                 key_recorded_at = excluded.key_recorded_at, applied_at = excluded.applied_at",
            params![
                &pack.public_key[..],
                pack.fingerprint,
                p.issuer.name,
                p.issuer.territory,
                p.sequence as i64,
                p.issued_on.to_string(),
                pack.payload_sha256,
                recorded_at,
                timestamp(now),
            ],
        )?;
        tx.execute("DELETE FROM pack_alerts", [])?;
        for (i, a) in p.alerts.iter().enumerate() {
            let related = serde_json::to_string(&a.related_questions)
                .map_err(|e| bad("pack_alerts.related_questions", e.to_string()))?;
            tx.execute(
                "INSERT INTO pack_alerts (position, title, text, date, severity, audience,
                     expires_on, related_questions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    i as i64,
                    a.title,
                    a.text,
                    a.date.to_string(),
                    a.severity.id(),
                    a.audience.id(),
                    a.expires_on.to_string(),
                    related
                ],
            )?;
        }
        tx.execute("DELETE FROM pack_contacts", [])?;
        for c in &p.contacts {
            tx.execute(
                "INSERT INTO pack_contacts (role, name, phone, email) VALUES (?1, ?2, ?3, ?4)",
                params![c.role.id(), c.name, c.phone, c.email],
            )?;
        }
        tx.commit()?;
        Ok(PackApply::Applied)
    }

    /// Every alert of the last pack applied, in the pack's order.
    pub fn pack_alerts(&self) -> Result<Vec<Alert>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT title, text, date, severity, audience, expires_on, related_questions
             FROM pack_alerts ORDER BY position",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (title, text, day, severity, audience, expires, related) = row?;
            out.push(Alert {
                title,
                text,
                date: date("pack_alerts.date", &day)?,
                severity: Severity::from_id(&severity)
                    .ok_or_else(|| bad("pack_alerts.severity", severity))?,
                audience: AlertAudience::from_id(&audience)
                    .ok_or_else(|| bad("pack_alerts.audience", audience))?,
                expires_on: date("pack_alerts.expires_on", &expires)?,
                related_questions: serde_json::from_str(&related)
                    .map_err(|_| bad("pack_alerts.related_questions", related))?,
            });
        }
        Ok(out)
    }

    /// The territory contacts of the last pack applied.
    pub fn pack_contacts(&self) -> Result<Vec<TerritoryContact>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT role, name, phone, email FROM pack_contacts")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (role, name, phone, email) = row?;
            out.push(TerritoryContact {
                role: TerritoryRole::from_id(&role)
                    .ok_or_else(|| bad("pack_contacts.role", role))?,
                name,
                phone,
                email,
            });
        }
        out.sort_by_key(|c| c.role);
        Ok(out)
    }

    /// The questionnaire versions received by pack, each checked again by
    /// the validator (a damaged row is skipped, never trusted).
    pub fn pack_questionnaires(&self) -> Result<Vec<LoadedQuestionnaire>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT content, sequence FROM pack_questionnaires ORDER BY questionnaire_id, version",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (content, sequence) = row?;
            let Ok(q) = serde_json::from_str::<Questionnaire>(&content) else {
                continue;
            };
            if !crate::validate::questionnaire_issues(&q).is_empty() {
                continue;
            }
            out.push(LoadedQuestionnaire {
                content_hash: content_hash(&q),
                questionnaire: Arc::new(q),
                origin: format!("pack {sequence}"),
            });
        }
        Ok(out)
    }
}
