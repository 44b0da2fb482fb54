//! The history of the packs a coordinator issued (schema version 3).

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{CoordinatorDb, CoordinatorError};
use crate::pack::VerifiedPack;

/// One pack issued, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedPack {
    /// Its sequence number.
    pub sequence: u64,
    /// Its date.
    pub issued_on: String,
    /// When it was signed (RFC 3339, UTC).
    pub issued_at: String,
    /// The fingerprint of the key that signed it.
    pub fingerprint: String,
    /// SHA-256 of its payload.
    pub payload_sha256: String,
    /// Number of alerts.
    pub alerts: u32,
    /// Number of territory contacts.
    pub contacts: u32,
    /// Number of questionnaires.
    pub questionnaires: u32,
    /// Where it was written.
    pub written_to: String,
}

impl CoordinatorDb {
    /// The sequence number the next pack gets: one more than the last one
    /// issued (1 for the first).
    pub fn next_pack_sequence(&self) -> Result<u64, CoordinatorError> {
        let last: Option<i64> = self
            .conn
            .query_row("SELECT max(sequence) FROM packs_issued", [], |r| r.get(0))
            .optional()
            .map_err(self.sq())?
            .flatten();
        Ok(last.map_or(1, |n| u64::try_from(n).unwrap_or(0) + 1))
    }

    /// Record a pack in the history and run `write` (which writes the pack
    /// file) inside the same transaction: when writing fails, the sequence
    /// number is not used up and nothing is recorded.
    pub fn record_issued_pack<E>(
        &mut self,
        pack: &VerifiedPack,
        file: &[u8],
        written_to: &str,
        now: DateTime<Utc>,
        write: impl FnOnce() -> Result<(), E>,
    ) -> Result<Result<(), E>, CoordinatorError> {
        let path = self.path.clone();
        let sq = move |source| CoordinatorError::Sqlite {
            path: path.clone(),
            source,
        };
        let p = &pack.payload;
        let tx = self.conn.transaction().map_err(&sq)?;
        tx.execute(
            "INSERT INTO packs_issued (sequence, issued_on, issued_at, fingerprint, payload_sha256,
                 alerts, contacts, questionnaires, written_to, file)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                p.sequence as i64,
                p.issued_on.to_string(),
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                pack.fingerprint,
                pack.payload_sha256,
                p.alerts.len() as i64,
                p.contacts.len() as i64,
                p.questionnaires.len() as i64,
                written_to,
                file,
            ],
        )
        .map_err(&sq)?;
        if let Err(e) = write() {
            // Dropping the transaction rolls it back.
            return Ok(Err(e));
        }
        tx.commit().map_err(&sq)?;
        Ok(Ok(()))
    }

    /// The packs issued, newest first.
    pub fn issued_packs(&self) -> Result<Vec<IssuedPack>, CoordinatorError> {
        let sq = self.sq();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT sequence, issued_on, issued_at, fingerprint, payload_sha256, alerts,
                        contacts, questionnaires, written_to
                 FROM packs_issued ORDER BY sequence DESC",
            )
            .map_err(&sq)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(IssuedPack {
                    sequence: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    issued_on: r.get(1)?,
                    issued_at: r.get(2)?,
                    fingerprint: r.get(3)?,
                    payload_sha256: r.get(4)?,
                    alerts: u32::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
                    contacts: u32::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
                    questionnaires: u32::try_from(r.get::<_, i64>(7)?).unwrap_or(0),
                    written_to: r.get(8)?,
                })
            })
            .map_err(&sq)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(&sq)
    }
}
