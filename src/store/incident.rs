//! Emergency contacts and incidents in the store.
//!
//! Every write is one IMMEDIATE transaction and returns after its commit is
//! durable (WAL + synchronous=FULL), like the answers: when the app says a
//! log entry is saved, a crash or a power cut cannot take it away. The log
//! and the marks are append-only (triggers of schema version 3).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::api::{now, org_key, parse_audience, parse_time, timestamp, upsert_organization};
use super::{Store, StoreError};
use crate::incident::contacts::{check_list, Contact, ContactRole};
use crate::incident::model::{
    check_entry_text, Case, Incident, LogEntry, LogKind, PersonalData, Triage,
};
use crate::incident::IncidentError;
use crate::model::Organization;

/// One row of [`Store::list_incidents`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentSummary {
    /// Row id.
    pub id: i64,
    /// Organisation name.
    pub organization: String,
    /// What happened.
    pub case: Case,
    /// When it was discovered.
    pub discovered_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Number of log entries.
    pub entries: i64,
}

fn bad(what: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::BadValue {
        what,
        value: value.into(),
    }
}

/// The incident exists and is not closed.
fn check_open(conn: &Connection, incident: i64) -> Result<(), StoreError> {
    let closed: Option<Option<String>> = conn
        .query_row(
            "SELECT closed_at FROM incidents WHERE id = ?1",
            [incident],
            |r| r.get(0),
        )
        .optional()?;
    match closed {
        None => Err(StoreError::IncidentNotFound(incident)),
        Some(Some(_)) => Err(StoreError::IncidentClosed(incident)),
        Some(None) => Ok(()),
    }
}

impl Store {
    /// Replace the emergency contacts of an organisation (created, or
    /// updated, like for an assessment). Each contact is validated; roles
    /// not in `contacts` are removed. One transaction: all or nothing.
    pub fn save_contacts(
        &mut self,
        org: &Organization,
        contacts: &[Contact],
    ) -> Result<i64, StoreError> {
        crate::incident::model::check_organization(org)?;
        let checked = contacts
            .iter()
            .map(Contact::validated)
            .collect::<Result<Vec<_>, IncidentError>>()?;
        check_list(org.kind, &checked)?;
        let at = timestamp(now());
        let tx = self.conn.transaction()?;
        let org_id = upsert_organization(&tx, org)?;
        tx.execute("DELETE FROM contacts WHERE organization_id = ?1", [org_id])?;
        for c in &checked {
            tx.execute(
                "INSERT INTO contacts (organization_id, role, name, phone, email, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![org_id, c.role.id(), c.name, c.phone, c.email, at],
            )?;
        }
        tx.commit()?;
        Ok(org_id)
    }

    /// The emergency contacts of an organisation (by its identity), in the
    /// order of [`ContactRole::for_audience`]; empty when none were saved or
    /// the organisation is unknown.
    pub fn contacts_of(&self, org: &Organization) -> Result<Vec<Contact>, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM organizations WHERE org_key = ?1",
                [org_key(org)],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => self.contacts(id),
            None => Ok(Vec::new()),
        }
    }

    /// The emergency contacts of an organisation (by row id).
    pub fn contacts(&self, organization_id: i64) -> Result<Vec<Contact>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT role, name, phone, email FROM contacts WHERE organization_id = ?1",
        )?;
        let rows = stmt.query_map([organization_id], |r| {
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
            let role = ContactRole::from_id(&role).ok_or_else(|| bad("contacts.role", role))?;
            out.push(Contact {
                role,
                name,
                phone,
                email,
            });
        }
        out.sort_by_key(|c| ContactRole::ALL.iter().position(|r| *r == c.role));
        Ok(out)
    }

    /// Open an incident (or an exercise). The triage must already be
    /// validated ([`Triage::validated`]).
    pub fn open_incident(
        &mut self,
        org: &Organization,
        exercise: bool,
        triage: &Triage,
        checklist_version: &str,
    ) -> Result<i64, StoreError> {
        crate::incident::model::check_organization(org)?;
        let tx = self.conn.transaction()?;
        let org_id = upsert_organization(&tx, org)?;
        tx.execute(
            "INSERT INTO incidents (organization_id, exercise, case_id, personal_data, discovered_at,
                 summary, data_categories, people_estimate, records_estimate, checklist_version, opened_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                org_id,
                exercise,
                triage.case.id(),
                triage.personal_data.id(),
                timestamp(triage.discovered_at),
                triage.summary,
                triage.data_categories,
                triage.people_estimate.map(|n| n as i64),
                triage.records_estimate.map(|n| n as i64),
                checklist_version,
                timestamp(now()),
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Append an entry to the incident's log; returns it as stored, after
    /// the commit is durable.
    pub fn add_log_entry(
        &mut self,
        incident: i64,
        kind: LogKind,
        text: &str,
        contact: Option<ContactRole>,
    ) -> Result<LogEntry, StoreError> {
        let text = check_entry_text(text)?;
        let contact = if kind == LogKind::Call { contact } else { None };
        let at = now();
        let tx = self.conn.transaction()?;
        check_open(&tx, incident)?;
        tx.execute(
            "INSERT INTO incident_log (incident_id, at, kind, text, contact_role) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![incident, timestamp(at), kind.id(), text, contact.map(ContactRole::id)],
        )?;
        let seq = tx.last_insert_rowid();
        tx.execute(
            "DELETE FROM incident_typing WHERE incident_id = ?1",
            [incident],
        )?;
        tx.commit()?;
        Ok(LogEntry {
            seq,
            at,
            kind,
            text,
            contact,
        })
    }

    /// Keep the text being typed in the log box (empty: forget it). Saved
    /// at every pause in typing, so a crash loses nothing typed; appending
    /// the entry clears it in the same transaction.
    pub fn save_log_typing(&mut self, incident: i64, text: &str) -> Result<(), StoreError> {
        let text = crate::incident::clean_text(
            "text",
            text,
            crate::incident::model::MAX_ENTRY_CHARS,
            true,
        )?;
        let tx = self.conn.transaction()?;
        check_open(&tx, incident)?;
        if text.is_empty() {
            tx.execute(
                "DELETE FROM incident_typing WHERE incident_id = ?1",
                [incident],
            )?;
        } else {
            tx.execute(
                "INSERT INTO incident_typing (incident_id, text, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (incident_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                params![incident, text, timestamp(now())],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The text left in the log box (empty when none).
    pub fn log_typing(&self, incident: i64) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT text FROM incident_typing WHERE incident_id = ?1",
                [incident],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Mark a step or a deadline (`deadline:<id>`) done or not done; returns
    /// the time recorded. The caller checks that `item` belongs to the
    /// incident (see [`crate::usecase::incident::mark`]).
    pub fn mark_incident_item(
        &mut self,
        incident: i64,
        item: &str,
        done: bool,
    ) -> Result<DateTime<Utc>, StoreError> {
        let at = now();
        let tx = self.conn.transaction()?;
        check_open(&tx, incident)?;
        tx.execute(
            "INSERT INTO incident_marks (incident_id, item, done, at) VALUES (?1, ?2, ?3, ?4)",
            params![incident, item, done, timestamp(at)],
        )?;
        tx.commit()?;
        Ok(at)
    }

    /// Replace the details of the triage that the notification needs (what
    /// was seen, data categories, estimates). `triage` must be validated;
    /// case, personal data and discovery time are not changed.
    pub fn update_triage_details(
        &mut self,
        incident: i64,
        triage: &Triage,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        check_open(&tx, incident)?;
        tx.execute(
            "UPDATE incidents SET summary = ?2, data_categories = ?3, people_estimate = ?4, records_estimate = ?5
             WHERE id = ?1",
            params![
                incident,
                triage.summary,
                triage.data_categories,
                triage.people_estimate.map(|n| n as i64),
                triage.records_estimate.map(|n| n as i64),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Close an incident: its log and marks can no longer change.
    pub fn close_incident(&mut self, incident: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        check_open(&tx, incident)?;
        tx.execute(
            "UPDATE incidents SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL",
            params![incident, timestamp(now())],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// An incident with its log and marks.
    pub fn load_incident(&self, incident: i64) -> Result<Incident, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT i.organization_id, i.exercise, i.case_id, i.personal_data, i.discovered_at,
                        i.summary, i.data_categories, i.people_estimate, i.records_estimate,
                        i.checklist_version, i.opened_at, i.closed_at,
                        o.name, o.istat_code, o.province, o.region, o.population, o.kind
                 FROM incidents i JOIN organizations o ON o.id = i.organization_id
                 WHERE i.id = ?1",
                [incident],
                |r| {
                    Ok((
                        (
                            r.get::<_, i64>(0)?,
                            r.get::<_, bool>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, String>(5)?,
                            r.get::<_, String>(6)?,
                            r.get::<_, Option<i64>>(7)?,
                            r.get::<_, Option<i64>>(8)?,
                        ),
                        (
                            r.get::<_, String>(9)?,
                            r.get::<_, String>(10)?,
                            r.get::<_, Option<String>>(11)?,
                            r.get::<_, String>(12)?,
                            r.get::<_, String>(13)?,
                            r.get::<_, String>(14)?,
                            r.get::<_, String>(15)?,
                            r.get::<_, i64>(16)?,
                            r.get::<_, String>(17)?,
                        ),
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::IncidentNotFound(incident))?;
        let (
            (org_id, exercise, case, pd, discovered, summary, categories, people, records),
            (version, opened, closed, name, istat_code, province, region, population, kind),
        ) = row;
        let estimate = |what: &'static str, v: Option<i64>| -> Result<Option<u64>, StoreError> {
            v.map(|n| u64::try_from(n).map_err(|_| bad(what, n.to_string())))
                .transpose()
        };
        let triage = Triage {
            case: Case::from_id(&case).ok_or_else(|| bad("incidents.case_id", case.clone()))?,
            personal_data: PersonalData::from_id(&pd)
                .ok_or_else(|| bad("incidents.personal_data", pd.clone()))?,
            discovered_at: parse_time("incidents.discovered_at", &discovered)?,
            summary,
            data_categories: categories,
            people_estimate: estimate("incidents.people_estimate", people)?,
            records_estimate: estimate("incidents.records_estimate", records)?,
        };
        let organization = Organization {
            name,
            istat_code,
            province,
            region,
            population: u32::try_from(population)
                .map_err(|_| bad("organizations.population", population.to_string()))?,
            kind: parse_audience(&kind)?,
        };

        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, kind, text, contact_role FROM incident_log WHERE incident_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([incident], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut log = Vec::new();
        for row in rows {
            let (seq, at, kind, text, contact) = row?;
            log.push(LogEntry {
                seq,
                at: parse_time("incident_log.at", &at)?,
                kind: LogKind::from_id(&kind).ok_or_else(|| bad("incident_log.kind", kind))?,
                text,
                contact: contact
                    .map(|c| {
                        ContactRole::from_id(&c).ok_or_else(|| bad("incident_log.contact_role", c))
                    })
                    .transpose()?,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT item, done, at FROM incident_marks WHERE incident_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([incident], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut done = BTreeMap::new();
        for row in rows {
            let (item, is_done, at) = row?;
            if is_done {
                done.insert(item, parse_time("incident_marks.at", &at)?);
            } else {
                done.remove(&item);
            }
        }
        Ok(Incident {
            id: incident,
            organization_id: org_id,
            organization,
            exercise,
            triage,
            checklist_version: version,
            opened_at: parse_time("incidents.opened_at", &opened)?,
            closed_at: closed
                .map(|c| parse_time("incidents.closed_at", &c))
                .transpose()?,
            log,
            done,
        })
    }

    /// Real incidents (`exercise` false) or exercises (true), newest first:
    /// the two lists never mix.
    pub fn list_incidents(&self, exercise: bool) -> Result<Vec<IncidentSummary>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, o.name, i.case_id, i.discovered_at, i.closed_at,
                    (SELECT count(*) FROM incident_log l WHERE l.incident_id = i.id)
             FROM incidents i JOIN organizations o ON o.id = i.organization_id
             WHERE i.exercise = ?1 ORDER BY i.opened_at DESC, i.id DESC",
        )?;
        let rows = stmt.query_map([exercise], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, organization, case, discovered, closed, entries) = row?;
            out.push(IncidentSummary {
                id,
                organization,
                case: Case::from_id(&case).ok_or_else(|| bad("incidents.case_id", case.clone()))?,
                discovered_at: parse_time("incidents.discovered_at", &discovered)?,
                closed_at: closed
                    .map(|c| parse_time("incidents.closed_at", &c))
                    .transpose()?,
                entries,
            });
        }
        Ok(out)
    }

    /// Row id of a known organisation.
    pub fn organization_id(&self, org: &Organization) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM organizations WHERE org_key = ?1",
                [org_key(org)],
                |r| r.get(0),
            )
            .optional()?)
    }
}
