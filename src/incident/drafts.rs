//! Ready texts built from the incident: never sent by the app, copied by the
//! user into the right channel. Missing facts become visible placeholders
//! `[da completare: …]` rather than invented content.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::checklist::Checklists;
use super::contacts::{Contact, ContactRole};
use super::deadlines::{self, Duty};
use super::model::{Incident, LogKind, PersonalData};
use crate::model::Audience;
use crate::store::format_italian;

/// Which draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    /// Notification of a personal data breach (GDPR art. 33).
    Garante,
    /// Notification to CSIRT Italia.
    Csirt,
    /// Facts for the Polizia Postale e per la Sicurezza Cibernetica.
    Polizia,
    /// One-page note for the Giunta (comune) or the office manager (Polis).
    Note,
    /// Escalation to Poste's security (Polis).
    Poste,
}

impl DraftKind {
    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            DraftKind::Garante => "garante",
            DraftKind::Csirt => "csirt",
            DraftKind::Polizia => "polizia",
            DraftKind::Note => "note",
            DraftKind::Poste => "poste",
        }
    }
}

/// One draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// Which one.
    pub kind: DraftKind,
    /// Title.
    pub title: String,
    /// Where it goes, in one sentence.
    pub destination: String,
    /// The text to copy.
    pub text: String,
}

fn todo(what: &str) -> String {
    format!("[da completare: {what}]")
}

fn contact_line(contacts: &[Contact], role: ContactRole, audience: Audience) -> String {
    match contacts.iter().find(|c| c.role == role) {
        Some(c) => {
            let mut s = c.name.clone();
            if let Some(p) = &c.phone {
                s.push_str(&format!(", tel. {p}"));
            }
            if let Some(e) = &c.email {
                s.push_str(&format!(", {e}"));
            }
            s
        }
        None => todo(&format!(
            "{}: nome e recapiti",
            role.label(audience).to_lowercase()
        )),
    }
}

fn header(incident: &Incident, what: &str, now: DateTime<Utc>) -> String {
    let mut s = String::new();
    if incident.exercise {
        s.push_str("ESERCITAZIONE — NON È UN INCIDENTE REALE. NON INVIARE.\n\n");
    }
    s.push_str(&format!(
        "BOZZA preparata con Sentinella il {}: {what} Sentinella non invia nulla.\n\n",
        format_italian(now)
    ));
    s
}

fn facts(incident: &Incident) -> String {
    let t = &incident.triage;
    let mut s = format!(
        "Ente: {} (provincia {}, codice ISTAT {})\nChe cosa è successo: {}\nScoperto il: {}\n",
        incident.organization.name,
        incident.organization.province,
        incident.organization.istat_code,
        t.case.short(),
        format_italian(t.discovered_at)
    );
    s.push_str(&format!(
        "Descrizione: {}\n",
        if t.summary.is_empty() {
            todo("che cosa avete visto, dove e chi se n'è accorto")
        } else {
            t.summary.clone()
        }
    ));
    s
}

fn personal_data_lines(incident: &Incident) -> String {
    let t = &incident.triage;
    let involved = match t.personal_data {
        PersonalData::Yes => "sì".to_string(),
        PersonalData::No => "no, per quanto noto".to_string(),
        PersonalData::Unknown => "non ancora accertato".to_string(),
    };
    format!(
        "Dati personali coinvolti: {involved}\nCategorie di dati personali: {}\nNumero approssimativo di persone interessate: {}\nNumero approssimativo di registrazioni coinvolte: {}\n",
        if t.data_categories.is_empty() {
            todo("per esempio anagrafe, tributi, servizi sociali, documenti d'identità")
        } else {
            t.data_categories.clone()
        },
        t.people_estimate
            .map_or_else(|| todo("stima delle persone"), |n| n.to_string()),
        t.records_estimate
            .map_or_else(|| todo("stima delle registrazioni"), |n| n.to_string()),
    )
}

/// Steps done (with their time) and decisions from the log.
fn measures(incident: &Incident, checklists: &Checklists) -> String {
    let mut lines = Vec::new();
    let list = checklists.for_case(incident.triage.case, incident.audience());
    for step in &list.steps {
        if let Some(at) = incident.done.get(&step.id) {
            lines.push(format!("- {}: {}", format_italian(*at), step.text));
        }
    }
    for e in incident.log.iter().filter(|e| e.kind == LogKind::Decision) {
        lines.push(format!(
            "- {} (decisione): {}",
            format_italian(e.at),
            e.text
        ));
    }
    if lines.is_empty() {
        todo("le misure adottate o proposte per porre rimedio e limitare i danni")
    } else {
        lines.join("\n")
    }
}

fn timeline(incident: &Incident) -> String {
    let mut lines = vec![format!(
        "- {}: scoperta dell'incidente",
        format_italian(incident.triage.discovered_at)
    )];
    for e in &incident.log {
        let who = match (e.kind, e.contact) {
            (LogKind::Call, Some(r)) => format!(" ({})", r.label(incident.audience())),
            _ => String::new(),
        };
        lines.push(format!(
            "- {} {}{who}: {}",
            format_italian(e.at),
            e.kind.label().to_lowercase(),
            e.text.replace('\n', " ")
        ));
    }
    lines.join("\n")
}

fn deadline_lines(incident: &Incident) -> String {
    let list = deadlines::deadlines(&incident.organization, &incident.triage);
    if list.is_empty() {
        return "Nessuna scadenza di notifica per quanto indicato nel triage.".into();
    }
    list.iter()
        .map(|d| {
            let when = d.due.map_or_else(
                || "senza una scadenza fissa".to_string(),
                |t| format!("entro il {}", format_italian(t)),
            );
            let duty = match d.duty {
                Duty::Required => "obbligatoria",
                Duty::ToAssess => "da valutare",
                Duty::Voluntary => "volontaria",
            };
            let done = incident
                .done
                .get(&d.kind.item())
                .map_or(String::new(), |t| {
                    format!(" — fatta il {}", format_italian(*t))
                });
            format!("- {} ({duty}), {when}{done}. Fonte: {}", d.title, d.source)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every draft for this incident, in the order shown.
pub fn drafts(
    incident: &Incident,
    contacts: &[Contact],
    checklists: &Checklists,
    now: DateTime<Utc>,
) -> Vec<Draft> {
    let a = incident.audience();
    let mut out = Vec::new();
    match a {
        Audience::Comune => {
            if incident.triage.personal_data != PersonalData::No {
                out.push(garante(incident, contacts, checklists, now));
            }
            out.push(csirt(incident, contacts, checklists, now));
            out.push(polizia(incident, contacts, now));
            out.push(note(incident, checklists, now));
        }
        Audience::PolisOffice => {
            out.push(poste(incident, contacts, checklists, now));
            out.push(polizia(incident, contacts, now));
            out.push(note(incident, checklists, now));
        }
    }
    out
}

fn garante(
    incident: &Incident,
    contacts: &[Contact],
    checklists: &Checklists,
    now: DateTime<Utc>,
) -> Draft {
    let due = incident.triage.discovered_at + chrono::Duration::hours(72);
    let mut text = header(
        incident,
        "da riportare nella procedura online di notifica delle violazioni del Garante per la protezione dei dati personali.",
        now,
    );
    text.push_str(&format!(
        "Titolare del trattamento: {}\nTermine: entro il {} (72 ore dalla scoperta). Se la notifica parte dopo, indicate i motivi del ritardo.\n\n",
        incident.organization.name,
        format_italian(due)
    ));
    text.push_str("a) Natura della violazione\n");
    text.push_str(&facts(incident));
    text.push_str(&personal_data_lines(incident));
    text.push_str(&format!(
        "\nb) Responsabile della protezione dei dati (DPO) o altro punto di contatto\n{}\n",
        contact_line(contacts, ContactRole::Dpo, Audience::Comune)
    ));
    text.push_str(&format!(
        "\nc) Probabili conseguenze per le persone\n{}\n",
        todo("per esempio furto d'identità, perdita di riservatezza, servizi non disponibili")
    ));
    text.push_str(&format!(
        "\nd) Misure adottate o proposte, anche per attenuare gli effetti\n{}\n",
        measures(incident, checklists)
    ));
    text.push_str(&format!(
        "\nCronologia dal registro\n{}\n",
        timeline(incident)
    ));
    text.push_str(&format!(
        "\nFonte dei contenuti richiesti: {}.\n",
        deadlines::SOURCE_GDPR_33
    ));
    Draft {
        kind: DraftKind::Garante,
        title: "Notifica di violazione al Garante".into(),
        destination: "Da copiare nella procedura online del Garante per la protezione dei dati personali (garanteprivacy.it), a cura del titolare con il DPO.".into(),
        text,
    }
}

fn csirt(
    incident: &Incident,
    contacts: &[Contact],
    checklists: &Checklists,
    now: DateTime<Utc>,
) -> Draft {
    let mut text = header(
        incident,
        "promemoria dei fatti per la notifica a CSIRT Italia (csirt.gov.it). I campi del modulo di CSIRT Italia non sono stati verificati da Sentinella.",
        now,
    );
    text.push_str(&facts(incident));
    text.push_str(&format!(
        "Referente per l'incidente: {}\nSistemi e servizi coinvolti: {}\nEffetti sui servizi ai cittadini: {}\n",
        contact_line(contacts, ContactRole::IncidentLead, Audience::Comune),
        todo("quali computer, server o servizi"),
        todo("quali servizi sono fermi o rallentati e da quando")
    ));
    text.push_str(&format!("\nScadenze\n{}\n", deadline_lines(incident)));
    text.push_str(&format!(
        "\nMisure adottate\n{}\n",
        measures(incident, checklists)
    ));
    text.push_str(&format!(
        "\nCronologia dal registro\n{}\n",
        timeline(incident)
    ));
    Draft {
        kind: DraftKind::Csirt,
        title: "Notifica a CSIRT Italia".into(),
        destination: "Da riportare nel modulo di notifica di CSIRT Italia, l'Agenzia per la cybersicurezza nazionale (csirt.gov.it).".into(),
        text,
    }
}

fn polizia(incident: &Incident, contacts: &[Contact], now: DateTime<Utc>) -> Draft {
    let a = incident.audience();
    let mut text = header(
        incident,
        "esposizione dei fatti da portare alla Polizia Postale e per la Sicurezza Cibernetica per la denuncia.",
        now,
    );
    text.push_str(&format!(
        "Chi presenta la denuncia: {}\n",
        todo("nome, qualifica e documento d'identità")
    ));
    text.push_str(&facts(incident));
    text.push_str(&format!(
        "Sistemi coinvolti: {}\nDanni e perdite: {}\nProve conservate: {}\nContatto per gli investigatori: {}\n",
        todo("computer, account, servizi colpiti"),
        todo("dati persi o cifrati, somme richieste o pagate, servizi interrotti"),
        todo("messaggi, file, registri, dispositivi conservati e da chi"),
        contact_line(contacts, ContactRole::IncidentLead, a)
    ));
    text.push_str(&format!(
        "\nCronologia dal registro\n{}\n",
        timeline(incident)
    ));
    Draft {
        kind: DraftKind::Polizia,
        title: "Denuncia alla Polizia Postale".into(),
        destination: "Da portare al COSC regionale o all'ufficio della Polizia Postale e per la Sicurezza Cibernetica, o da usare per la denuncia online.".into(),
        text,
    }
}

fn note(incident: &Incident, checklists: &Checklists, now: DateTime<Utc>) -> Draft {
    let (title, to) = match incident.audience() {
        Audience::Comune => ("Nota per la Giunta", "Alla Giunta e al Segretario comunale"),
        Audience::PolisOffice => ("Nota per la direzione", "Al direttore dell'ufficio postale"),
    };
    let mut text = header(incident, "nota interna.", now);
    text.push_str(&format!("{to}\n\n"));
    text.push_str(&facts(incident));
    text.push_str(&format!(
        "\nChe cosa abbiamo fatto\n{}\n",
        measures(incident, checklists)
    ));
    text.push_str(&format!("\nScadenze\n{}\n", deadline_lines(incident)));
    text.push_str(&format!(
        "\nChe cosa chiediamo di decidere\n{}\n",
        todo("per esempio risorse per il ripristino, comunicazione ai cittadini")
    ));
    Draft {
        kind: DraftKind::Note,
        title: title.into(),
        destination: format!("{to}: una pagina per decidere."),
        text,
    }
}

fn poste(
    incident: &Incident,
    contacts: &[Contact],
    checklists: &Checklists,
    now: DateTime<Utc>,
) -> Draft {
    let mut text = header(
        incident,
        "messaggio per la sicurezza di Poste Italiane, da inviare con i canali interni previsti.",
        now,
    );
    text.push_str(&format!(
        "Alla sicurezza di Poste Italiane ({})\n\n",
        contact_line(contacts, ContactRole::PosteSecurity, Audience::PolisOffice)
    ));
    text.push_str(&facts(incident));
    text.push_str(&personal_data_lines(incident));
    text.push_str(&format!(
        "Servizi dello sportello coinvolti: {}\n",
        todo("per esempio passaporti, certificati anagrafici, chioschi")
    ));
    text.push_str(&format!(
        "\nChe cosa abbiamo fatto\n{}\n",
        measures(incident, checklists)
    ));
    text.push_str(&format!(
        "\nReferente nell'ufficio: {}\n",
        contact_line(contacts, ContactRole::Head, Audience::PolisOffice)
    ));
    Draft {
        kind: DraftKind::Poste,
        title: "Messaggio per la sicurezza di Poste".into(),
        destination:
            "Alla sicurezza di Poste Italiane, che valuta le notifiche al Garante e alle autorità."
                .into(),
        text,
    }
}
