//! "Incidente in corso": the pure domain of incident response.
//!
//! No files, no database, no clock: the caller passes the current time. The
//! store keeps contacts and incidents ([`crate::store`]), the use cases in
//! [`crate::usecase::incident`] put the two together, the faces only present.
//!
//! - [`contacts`]: the organisation's emergency contacts, validated.
//! - [`model`]: the triage (what happened, personal data, discovery time),
//!   the log entries and the incident as loaded.
//! - [`checklist`]: the first-hour steps per case and audience, as data
//!   (`assets/incident/checklists.json`, versioned and validated).
//! - [`deadlines`]: what must be sent to whom by when, from the discovery
//!   time, with the legal source of each (see `docs/incident.md`).
//! - [`drafts`]: ready texts for the Garante, CSIRT Italia, the Polizia
//!   Postale, the Giunta and Poste's security, never sent by the app.

pub mod checklist;
pub mod contacts;
pub mod deadlines;
pub mod drafts;
pub mod model;

use thiserror::Error;

pub use checklist::{Checklist, ChecklistError, Step};
pub use contacts::{Contact, ContactRole};
pub use deadlines::{Deadline, DeadlineKind, Duty};
pub use model::{Case, Incident, IncidentInput, LogEntry, LogKind, PersonalData, Triage};

/// Why incident data was refused. The message (Display) is English for the
/// CLI and logs; [`IncidentError::italian`] gives the text for the app.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum IncidentError {
    /// A phone number that cannot be dialled.
    #[error("{role}: {value:?} is not a valid phone number ({why})")]
    BadPhone {
        /// Contact role id.
        role: String,
        /// The text given.
        value: String,
        /// What is wrong, in English.
        why: &'static str,
    },
    /// An e-mail address that cannot be right.
    #[error("{role}: {value:?} is not a valid e-mail address")]
    BadEmail {
        /// Contact role id.
        role: String,
        /// The text given.
        value: String,
    },
    /// A contact without a name but with a number or address.
    #[error("{role}: a contact needs a name (a person or an office)")]
    MissingName {
        /// Contact role id.
        role: String,
    },
    /// A role that does not exist for this kind of organisation.
    #[error("{role}: not a contact of a {audience}")]
    RoleNotForAudience {
        /// Contact role id.
        role: String,
        /// `comune` or `polis_office`.
        audience: &'static str,
    },
    /// The same role twice in one list.
    #[error("{role}: given twice")]
    DuplicateRole {
        /// Contact role id.
        role: String,
    },
    /// A text with control characters.
    #[error("{field}: contains control characters")]
    ControlCharacters {
        /// Which field.
        field: &'static str,
    },
    /// A text longer than allowed.
    #[error("{field}: longer than {limit} characters")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A required text left empty.
    #[error("{field}: must not be empty")]
    Empty {
        /// Which field.
        field: &'static str,
    },
    /// A date or time typed in the app that cannot be read.
    #[error("{0:?} is not a date (dd/mm/yyyy) and time (hh:mm)")]
    BadDateTime(String),
    /// The discovery time is after now.
    #[error("the discovery time {0} is in the future")]
    DiscoveryInFuture(String),
    /// The discovery time is implausibly old.
    #[error("the discovery time {0} is before the year 2000")]
    DiscoveryTooOld(String),
    /// An estimate out of range.
    #[error("{field}: {value} is not a plausible number")]
    BadEstimate {
        /// Which field.
        field: &'static str,
        /// The value given.
        value: u64,
    },
    /// A checklist step or deadline id that does not belong to the incident.
    #[error("{0:?} is not a step or deadline of this incident")]
    UnknownItem(String),
    /// The incident JSON has the wrong format tag.
    #[error("unsupported incident format {found:?} (expected {expected:?})")]
    Format {
        /// The tag found.
        found: String,
        /// The tag this version reads.
        expected: &'static str,
    },
    /// The organisation of an incident description is not plausible.
    #[error("organization: {0}")]
    Organization(String),
    /// The incident JSON does not parse.
    #[error("incident description: {0}")]
    Json(String),
}

impl IncidentError {
    /// The message for the person at the screen, in Italian.
    pub fn italian(&self) -> String {
        match self {
            IncidentError::BadPhone { role, value, .. } => format!(
                "{}: «{}» non è un numero di telefono valido. Scrivi solo cifre, spazi o trattini, con il prefisso (per esempio 06 1234567, 333 1234567 o +39 06 1234567).",
                contacts::role_label_any(role),
                value
            ),
            IncidentError::BadEmail { role, value } => format!(
                "{}: «{}» non è un indirizzo e-mail valido (per esempio nome@comune.example.it).",
                contacts::role_label_any(role),
                value
            ),
            IncidentError::MissingName { role } => format!(
                "{}: scrivi il nome della persona o dell'ufficio.",
                contacts::role_label_any(role)
            ),
            IncidentError::RoleNotForAudience { role, .. } => format!(
                "{}: questo contatto non è previsto per questo tipo di ente.",
                contacts::role_label_any(role)
            ),
            IncidentError::DuplicateRole { role } => format!(
                "{}: indicato due volte.",
                contacts::role_label_any(role)
            ),
            IncidentError::ControlCharacters { field } => {
                format!("Il testo di «{}» contiene caratteri non ammessi.", field_label(field))
            }
            IncidentError::TooLong { field, limit } => format!(
                "Il testo di «{}» è troppo lungo: al massimo {limit} caratteri.",
                field_label(field)
            ),
            IncidentError::Empty { field } => format!("Scrivi «{}».", field_label(field)),
            IncidentError::BadDateTime(_) => {
                "Scrivi la data come 01/12/2026 e l'ora come 15:30.".to_string()
            }
            IncidentError::DiscoveryInFuture(_) => {
                "L'ora della scoperta è nel futuro: indica quando ve ne siete accorti.".to_string()
            }
            IncidentError::DiscoveryTooOld(_) => {
                "L'ora della scoperta non è plausibile: controlla la data.".to_string()
            }
            IncidentError::BadEstimate { field, .. } => format!(
                "Il numero indicato per «{}» non è plausibile.",
                field_label(field)
            ),
            IncidentError::UnknownItem(_) => {
                "Questo passo non appartiene a questo incidente.".to_string()
            }
            IncidentError::Format { .. }
            | IncidentError::Json(_)
            | IncidentError::Organization(_) => {
                "La descrizione dell'incidente non è in un formato leggibile.".to_string()
            }
        }
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "summary" => "che cosa è successo",
        "text" => "voce del registro",
        "data_categories" => "tipi di dati coinvolti",
        "people_estimate" => "persone coinvolte",
        "records_estimate" => "registrazioni coinvolte",
        "name" => "nome",
        _ => "campo",
    }
}

/// Free text check shared by the model and the store: trimmed, limited, no control
/// characters except line breaks and tabs when `multiline`.
pub fn clean_text(
    field: &'static str,
    text: &str,
    limit: usize,
    multiline: bool,
) -> Result<String, IncidentError> {
    let t = text.replace("\r\n", "\n").replace('\r', "\n");
    let t = t.trim();
    if t.chars().count() > limit {
        return Err(IncidentError::TooLong { field, limit });
    }
    let bad = t
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t')));
    if bad {
        return Err(IncidentError::ControlCharacters { field });
    }
    Ok(t.to_string())
}
