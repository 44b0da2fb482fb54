//! The organisation's emergency contacts ("Contatti per le emergenze").
//!
//! Entered once by the user, validated here, kept by the store, printed on
//! the plan's incident card and offered one click away during an incident.
//! Sentinella ships no phone number of its own: every number comes from the
//! user (or, later, from the coordinator's pack).

use serde::{Deserialize, Serialize};

use super::{clean_text, IncidentError};
use crate::model::Audience;

/// Longest name or office.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest e-mail address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest phone number as typed (with spaces).
pub const MAX_PHONE_CHARS: usize = 32;

/// Who a contact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    /// The person who coordinates the response.
    IncidentLead,
    /// The IT supplier's help desk (for Polis: Poste's IT assistance).
    ItSupport,
    /// The data protection officer (comune).
    Dpo,
    /// The Sindaco (comune) or the office manager (Polis).
    Head,
    /// The regional COSC of the Polizia Postale e per la Sicurezza Cibernetica.
    Cosc,
    /// Poste's security referent (Polis).
    PosteSecurity,
}

impl ContactRole {
    /// Every role, in a stable order.
    pub const ALL: [ContactRole; 6] = [
        ContactRole::IncidentLead,
        ContactRole::ItSupport,
        ContactRole::Dpo,
        ContactRole::Head,
        ContactRole::Cosc,
        ContactRole::PosteSecurity,
    ];

    /// Stable id (as stored and in JSON).
    pub fn id(self) -> &'static str {
        match self {
            ContactRole::IncidentLead => "incident_lead",
            ContactRole::ItSupport => "it_support",
            ContactRole::Dpo => "dpo",
            ContactRole::Head => "head",
            ContactRole::Cosc => "cosc",
            ContactRole::PosteSecurity => "poste_security",
        }
    }

    /// The role with this id.
    pub fn from_id(id: &str) -> Option<ContactRole> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Italian label for this audience.
    pub fn label(self, audience: Audience) -> &'static str {
        match (self, audience) {
            (ContactRole::IncidentLead, _) => "Responsabile interno degli incidenti",
            (ContactRole::ItSupport, Audience::Comune) => "Fornitore informatico (assistenza)",
            (ContactRole::ItSupport, Audience::PolisOffice) => "Assistenza informatica di Poste",
            (ContactRole::Dpo, _) => "Responsabile della protezione dei dati (DPO)",
            (ContactRole::Head, Audience::Comune) => "Sindaco",
            (ContactRole::Head, Audience::PolisOffice) => "Direttore dell'ufficio postale",
            (ContactRole::Cosc, _) => {
                "Polizia Postale e per la Sicurezza Cibernetica (COSC regionale)"
            }
            (ContactRole::PosteSecurity, _) => "Referente per la sicurezza di Poste Italiane",
        }
    }

    /// The roles an organisation of this kind keeps, in the order shown.
    pub fn for_audience(audience: Audience) -> &'static [ContactRole] {
        match audience {
            Audience::Comune => &[
                ContactRole::IncidentLead,
                ContactRole::ItSupport,
                ContactRole::Dpo,
                ContactRole::Head,
                ContactRole::Cosc,
            ],
            Audience::PolisOffice => &[
                ContactRole::PosteSecurity,
                ContactRole::IncidentLead,
                ContactRole::ItSupport,
                ContactRole::Head,
                ContactRole::Cosc,
            ],
        }
    }
}

/// The Italian label of a role id, for error messages that only know the id.
pub(crate) fn role_label_any(id: &str) -> &'static str {
    ContactRole::from_id(id)
        .map(|r| r.label(Audience::Comune))
        .unwrap_or("Contatto")
}

/// One contact, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Who this is.
    pub role: ContactRole,
    /// Person or office ("Mario Rossi", "Help desk Alfa Informatica").
    pub name: String,
    /// Phone number as the user wrote it (spaces normalised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail or PEC address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Contact {
    /// Check and normalise a contact typed by the user. `None` when every
    /// field is empty (the contact is missing, and stays a blank line).
    pub fn parse(
        role: ContactRole,
        name: &str,
        phone: &str,
        email: &str,
    ) -> Result<Option<Contact>, IncidentError> {
        let name = clean_text("name", name, MAX_NAME_CHARS, false)?;
        let phone = phone.trim();
        let email = email.trim();
        if name.is_empty() && phone.is_empty() && email.is_empty() {
            return Ok(None);
        }
        if name.is_empty() {
            return Err(IncidentError::MissingName {
                role: role.id().into(),
            });
        }
        let phone = if phone.is_empty() {
            None
        } else {
            Some(normalize_phone(role, phone)?)
        };
        let email = if email.is_empty() {
            None
        } else {
            Some(check_email(role, email)?)
        };
        Ok(Some(Contact {
            role,
            name: collapse_spaces(&name),
            phone,
            email,
        }))
    }

    /// Validate a contact read from elsewhere (a JSON file, the database).
    pub fn validated(&self) -> Result<Contact, IncidentError> {
        Contact::parse(
            self.role,
            &self.name,
            self.phone.as_deref().unwrap_or(""),
            self.email.as_deref().unwrap_or(""),
        )?
        .ok_or(IncidentError::MissingName {
            role: self.role.id().into(),
        })
    }
}

/// Check a list of contacts for an organisation: roles of its audience,
/// each at most once.
pub fn check_list(audience: Audience, contacts: &[Contact]) -> Result<(), IncidentError> {
    let allowed = ContactRole::for_audience(audience);
    let mut seen = Vec::new();
    for c in contacts {
        if !allowed.contains(&c.role) {
            return Err(IncidentError::RoleNotForAudience {
                role: c.role.id().into(),
                audience: match audience {
                    Audience::Comune => "comune",
                    Audience::PolisOffice => "polis_office",
                },
            });
        }
        if seen.contains(&c.role) {
            return Err(IncidentError::DuplicateRole {
                role: c.role.id().into(),
            });
        }
        seen.push(c.role);
    }
    Ok(())
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Check a phone number and return it with its spaces normalised.
///
/// Accepted: Italian numbers (fixed lines from 0, 6–11 digits; mobiles
/// from 3, 9–10 digits; non-geographic numbers from 8, 6–10 digits; short
/// numbers from 1, 3–6 digits), optionally with `+39`/`0039`; foreign
/// numbers with `+` or `00` and 8–15 digits (E.164). Separators: spaces,
/// dots, hyphens, slashes, parentheses.
pub fn normalize_phone(role: ContactRole, text: &str) -> Result<String, IncidentError> {
    let bad = |why: &'static str| IncidentError::BadPhone {
        role: role.id().into(),
        value: text.chars().take(40).collect(),
        why,
    };
    let text = text.trim();
    if text.chars().count() > MAX_PHONE_CHARS {
        return Err(bad("too long"));
    }
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in text.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '.' | '-' | '/' | '(' | ')' => {}
            _ => {
                return Err(bad(
                    "only digits, spaces, dots, hyphens and a leading + are allowed",
                ))
            }
        }
    }
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let national = match international {
        Some(rest) => match rest.strip_prefix("39") {
            Some(n) => n,
            None => {
                if !(8..=15).contains(&rest.len()) || rest.starts_with('0') {
                    return Err(bad("an international number has 8 to 15 digits"));
                }
                return Ok(collapse_spaces(text));
            }
        },
        None => digits.as_str(),
    };
    let n = national.len();
    let ok = match national.as_bytes().first() {
        Some(b'0') => (6..=11).contains(&n),
        Some(b'3') => (9..=10).contains(&n),
        Some(b'8') => (6..=10).contains(&n),
        Some(b'1') => (3..=6).contains(&n) && international.is_none(),
        _ => false,
    };
    if ok {
        Ok(collapse_spaces(text))
    } else if n == 0 {
        Err(bad("no digits"))
    } else {
        Err(bad(
            "not an Italian number: check the prefix and the number of digits",
        ))
    }
}

/// Check an e-mail (or PEC) address: one `@`, a plausible local part and a
/// domain with at least two labels and an alphabetic top-level label.
pub fn check_email(role: ContactRole, text: &str) -> Result<String, IncidentError> {
    let bad = || IncidentError::BadEmail {
        role: role.id().into(),
        value: text.chars().take(60).collect(),
    };
    let t = text.trim();
    if t.chars().count() > MAX_EMAIL_CHARS || !t.is_ascii() {
        return Err(bad());
    }
    let (local, domain) = t.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(t.to_string())
    } else {
        Err(bad())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const R: ContactRole = ContactRole::ItSupport;

    #[test]
    fn phones() {
        for ok in [
            "06 1234567",
            "0761-123456",
            "333 123 4567",
            "+39 333 1234567",
            "0039 06 12345678",
            "800 123456",
            "(0761) 12.34.56",
            "+41 44 123 45 67",
            "1515",
        ] {
            assert!(normalize_phone(R, ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "abc",
            "06 12a4567",
            "12",
            "333 12",
            "+39 1515",
            "5551234567",
            "06 1234567 int. 4",
            "++39 06 1234567",
            "+0 12345678",
            "061234567890123",
            "0\u{0}6 1234567",
        ] {
            assert!(normalize_phone(R, bad).is_err(), "{bad}");
        }
        assert_eq!(normalize_phone(R, "  06   1234567 ").unwrap(), "06 1234567");
    }

    #[test]
    fn emails() {
        for ok in [
            "mario.rossi@comune.example.it",
            "protocollo@pec.comune.example.it",
            "help+desk@alfa-informatica.example.com",
        ] {
            assert!(check_email(R, ok).is_ok(), "{ok}");
        }
        for bad in [
            "mario",
            "mario@",
            "@comune.it",
            "mario@comune",
            "mario@@comune.it",
            "ma rio@comune.it",
            "mario@comune..it",
            "mario@-comune.it",
            "mario@comune.i",
            "mario@comune.1t",
            ".mario@comune.it",
            "màrio@comune.it",
        ] {
            assert!(check_email(R, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contacts() {
        assert_eq!(Contact::parse(R, " ", "", "").unwrap(), None);
        assert!(matches!(
            Contact::parse(R, "", "06 1234567", ""),
            Err(IncidentError::MissingName { .. })
        ));
        let c = Contact::parse(R, " Alfa  Informatica ", "06 1234567", "")
            .unwrap()
            .unwrap();
        assert_eq!(c.name, "Alfa Informatica");
        assert!(Contact::parse(R, "Alfa\u{7}", "", "").is_err());
        let polis = [Contact {
            role: ContactRole::Dpo,
            name: "x".into(),
            phone: None,
            email: None,
        }];
        assert!(check_list(Audience::PolisOffice, &polis).is_err());
        assert!(check_list(Audience::Comune, &polis).is_ok());
        let twice = [polis[0].clone(), polis[0].clone()];
        assert!(check_list(Audience::Comune, &twice).is_err());
    }
}
