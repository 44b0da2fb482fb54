//! The incident card: what to do in the first hour and whom to call, per
//! audience. Pure content, decided from the organization's data; the PDF
//! renders it ([`crate::report::plan_pdf`]).
//!
//! A comune follows its own chain (incident lead, IT supplier, DPO, Polizia
//! Postale, CSIRT Italia, Garante); whether notifying CSIRT Italia is a duty
//! depends on the comune's population and on whether it is a regional
//! capital (Legge 90/2024, art. 1). A Polis office escalates to Poste first,
//! then to the office manager, then to the Polizia Postale; it never copies
//! data to personal phones. Every statement and its source are listed in
//! `docs/references.md`.

use serde::Serialize;

use crate::incident::contacts::ContactRole;
use crate::istat;
use crate::model::format::thousands;
use crate::model::{Audience, Organization};

/// Population above which a comune falls under Legge 90/2024 (art. 1): more
/// than 100,000 inhabitants.
pub const L90_POPULATION: u32 = 100_000;

/// ISTAT codes of the comuni that are regional capitals (capoluoghi di
/// regione), which Legge 90/2024 covers whatever their population.
pub const REGIONAL_CAPITALS: [&str; 20] = [
    "001272", // Torino
    "007003", // Aosta
    "015146", // Milano
    "022205", // Trento
    "027042", // Venezia
    "032006", // Trieste
    "010025", // Genova
    "037006", // Bologna
    "048017", // Firenze
    "054039", // Perugia
    "042002", // Ancona
    "058091", // Roma
    "066049", // L'Aquila
    "070006", // Campobasso
    "063049", // Napoli
    "072006", // Bari
    "076063", // Potenza
    "079023", // Catanzaro
    "082053", // Palermo
    "092009", // Cagliari
];

/// Whether notifying CSIRT Italia is a legal duty for a comune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsirtDuty {
    /// More than 100,000 inhabitants: Legge 90/2024 applies.
    Population,
    /// A regional capital: Legge 90/2024 applies.
    RegionalCapital,
    /// Neither: notification is voluntary.
    Voluntary,
}

/// The comune of the ISTAT list the organization is in (for the code of a
/// merged comune, the comune it is part of today).
fn listed(org: &Organization) -> Option<&'static istat::Comune> {
    istat::IstatList::builtin()
        .ok()
        .and_then(|list| list.resolve(&org.istat_code))
        .map(|r| r.comune)
}

/// The population the duty is decided on: the ISTAT list's (for the code of
/// a merged comune, that of the comune it is part of today), else the one on
/// the answers.
pub fn csirt_population(org: &Organization) -> u32 {
    listed(org).map_or(org.population, |c| c.population)
}

/// Decide the CSIRT Italia duty from the ISTAT data of the comune: the
/// population of the ISTAT list when the code is in it (for the code of a
/// merged comune, the population of the comune it is part of today; else
/// the population on the answers), and the list of regional capitals.
pub fn csirt_duty(org: &Organization) -> CsirtDuty {
    let population = csirt_population(org);
    if REGIONAL_CAPITALS.contains(&org.istat_code.as_str()) {
        CsirtDuty::RegionalCapital
    } else if population > L90_POPULATION {
        CsirtDuty::Population
    } else {
        CsirtDuty::Voluntary
    }
}

/// One row of the card's "whom to call" table; the name and telephone
/// number are written in by hand (we invent none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Who (Italian).
    pub who: String,
    /// When and why to call (Italian).
    pub when: String,
    /// The role of the organisation's saved emergency contacts ("Contatti
    /// per le emergenze") that fills this row; none for national bodies,
    /// whose row is left to be written in.
    pub role: Option<ContactRole>,
}

/// The whole card for one organization. Texts are Italian and may use the
/// `**bold**` markup of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentCard {
    /// The steps of the first hour, in order.
    pub first_hour: Vec<String>,
    /// Whom to call, in the order to call them.
    pub contacts: Vec<Contact>,
    /// The heading of the notification paragraphs.
    pub notification_title: String,
    /// Who notifies whom, and when.
    pub notification: Vec<String>,
}

fn contact(who: &str, when: impl Into<String>) -> Contact {
    Contact {
        who: who.into(),
        when: when.into(),
        role: None,
    }
}

impl Contact {
    /// The saved contact with this role fills the row.
    fn filled_by(mut self, role: ContactRole) -> Contact {
        self.role = Some(role);
        self
    }
}

/// The card for an organization.
pub fn card(org: &Organization) -> IncidentCard {
    match org.kind {
        Audience::Comune => comune_card(org),
        Audience::PolisOffice => polis_card(),
    }
}

const COMMON_STEPS: [&str; 3] = [
    "**Non pagate riscatti** e non rispondete a chi vi contatta per l'attacco.",
    "**Non cancellate** messaggi o file sospetti: servono per capire che cosa è successo.",
    "**Cambiate le password** solo da un computer sicuro e su indicazione di chi gestisce \
     l'incidente.",
];

fn comune_card(org: &Organization) -> IncidentCard {
    let mut first_hour = vec![
        "**Non spegnete il computer colpito**: staccatelo dalla rete (cavo e Wi-Fi) e lasciatelo \
         acceso."
            .to_string(),
        "**Avvisate subito** il responsabile degli incidenti e il fornitore informatico.".into(),
        "**Annotate** ora della scoperta, che cosa avete visto e i messaggi sullo schermo; \
         fotografate lo schermo con il telefono dell'ufficio."
            .into(),
    ];
    first_hour.extend(COMMON_STEPS.iter().map(|s| s.to_string()));

    let duty = csirt_duty(org);
    let text = match duty {
        CsirtDuty::Population | CsirtDuty::RegionalCapital => {
            "**Obbligatorio per questo Comune** (Legge 90/2024, art. 1): prima segnalazione entro \
             **24 ore** da quando si scopre l'incidente, notifica completa entro **72 ore**, \
             tramite il sito csirt.gov.it. Se l'ACN ha inserito il Comune fra i soggetti NIS, \
             valgono anche le regole del d.lgs. 138/2024."
        }
        CsirtDuty::Voluntary => {
            "**Facoltativo ma utile**: l'obbligo della Legge 90/2024 riguarda i comuni con più di \
             100.000 abitanti e i capoluoghi di regione. Questo Comune può notificare su base \
             volontaria (d.lgs. 138/2024, art. 26) tramite csirt.gov.it e ricevere supporto."
        }
    };
    // The figure that decided, with its source (a capital is one whatever
    // its population).
    let csirt = match (duty, listed(org)) {
        (CsirtDuty::RegionalCapital, _) => format!("{text} Il Comune è capoluogo di regione."),
        (_, Some(c)) => format!(
            "{text} Abitanti considerati: {} ({}).",
            thousands(c.population),
            c.population_source()
        ),
        // A code unknown to the list: the figure typed with the assessment
        // (none for a workshop's nameless group).
        (_, None) if org.population > 0 => format!(
            "{text} Abitanti considerati: {} (dato indicato nell'autovalutazione).",
            thousands(org.population)
        ),
        (_, None) => text.to_string(),
    };
    let region = if org.region.trim().is_empty() {
        "la regione".to_string()
    } else {
        format!("la regione {}", org.region.trim())
    };
    let contacts = vec![
        contact(
            "Responsabile interno degli incidenti",
            "Per primo: coordina, decide chi avvisare e tiene nota di tutto.",
        )
        .filled_by(ContactRole::IncidentLead),
        contact(
            "Fornitore informatico (assistenza)",
            "Subito: isola i sistemi, verifica le copie, ripristina.",
        )
        .filled_by(ContactRole::ItSupport),
        contact(
            "Sindaco",
            "Da informare appena il quadro è chiaro, con la nota per la Giunta.",
        )
        .filled_by(ContactRole::Head),
        contact(
            "Responsabile della protezione dei dati (DPO)",
            "Subito, se l'incidente tocca dati personali: valuta con il Comune la notifica al \
             Garante e l'avviso alle persone coinvolte.",
        )
        .filled_by(ContactRole::Dpo),
        contact(
            "Polizia Postale e per la Sicurezza Cibernetica",
            format!(
                "Per denunciare un reato informatico (truffa, estorsione, accesso abusivo): il \
                 Centro operativo per la sicurezza cibernetica (COSC) competente per {region}, \
                 o l'ufficio più vicino."
            ),
        )
        .filled_by(ContactRole::Cosc),
        contact(
            "CSIRT Italia (Agenzia per la cybersicurezza nazionale)",
            csirt,
        ),
        contact(
            "Garante per la protezione dei dati personali",
            "Entro 72 ore dalla scoperta, se sono coinvolti dati personali: notifica della \
             violazione tramite garanteprivacy.it, a cura del Comune con il DPO.",
        ),
    ];
    IncidentCard {
        first_hour,
        contacts,
        notification_title: "Entro 72 ore, se ci sono dati personali".into(),
        notification: vec![
            "Una violazione di dati personali (per esempio anagrafe, tributi, servizi sociali) va \
             notificata al Garante **entro 72 ore** da quando se ne ha notizia, anche se le \
             informazioni sono ancora incomplete: si possono integrare dopo (Regolamento UE \
             2016/679, art. 33). Se il rischio per le persone è alto, vanno avvisate anche loro \
             (art. 34). Annotate sempre che cosa è successo e che cosa avete deciso, anche quando \
             non notificate."
                .into(),
        ],
    }
}

fn polis_card() -> IncidentCard {
    let mut first_hour = vec![
        "**Non spegnete il computer colpito** e non continuate a usarlo: staccate il cavo di rete \
         solo se ve lo chiede l'assistenza di Poste."
            .to_string(),
        "**Avvisate subito** l'assistenza e la sicurezza di Poste, con il canale previsto \
         dalle procedure interne, poi il direttore dell'ufficio."
            .into(),
        "**Annotate su carta** ora della scoperta, che cosa avete visto e i messaggi sullo \
         schermo. **Non fotografate** schermo o documenti con il telefono personale."
            .into(),
        "**Non usate strade alternative** (posta personale, chiavette, foto di documenti) per \
         completare le pratiche: avvisate i cittadini e annotate le richieste in sospeso."
            .into(),
    ];
    first_hour.extend(COMMON_STEPS.iter().map(|s| s.to_string()));
    let contacts = vec![
        contact(
            "Referente per la sicurezza di Poste Italiane",
            "Per primo: lo sportello è collegato ai sistemi di Poste, che decidono come \
             intervenire e chi avvisare.",
        )
        .filled_by(ContactRole::PosteSecurity),
        contact(
            "Assistenza informatica di Poste",
            "Subito, con il canale previsto dalle procedure interne: interviene sulle postazioni \
             e sui sistemi dello sportello.",
        )
        .filled_by(ContactRole::ItSupport),
        contact(
            "Direttore dell'ufficio postale",
            "Subito dopo: organizza il lavoro allo sportello e tiene i contatti con Poste.",
        )
        .filled_by(ContactRole::Head),
        contact(
            "Responsabile interno degli incidenti",
            "Se non è il direttore: coordina l'ufficio e tiene nota di tutto.",
        )
        .filled_by(ContactRole::IncidentLead),
        contact(
            "Polizia Postale e per la Sicurezza Cibernetica",
            "Per denunciare un reato (truffa allo sportello, documenti falsi, furto di dati), \
             d'intesa con il direttore e con Poste.",
        )
        .filled_by(ContactRole::Cosc),
    ];
    IncidentCard {
        first_hour,
        contacts,
        notification_title: "Chi avvisa il Garante e CSIRT Italia".into(),
        notification: vec![
            "Lo sportello non notifica da sé l'incidente a CSIRT Italia o al Garante per la \
             protezione dei dati personali: lo segnala subito a Poste, che segue le proprie \
             procedure con le amministrazioni titolari dei dati."
                .into(),
            "Il tempo conta: una violazione di dati personali (documenti, impronte, foto) va \
             notificata al Garante **entro 72 ore** da chi ne è titolare (Regolamento UE \
             2016/679, art. 33). Per questo va segnalata a Poste subito, senza aspettare la fine \
             della giornata."
                .into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    fn org(code: &str, population: u32, kind: Audience) -> Organization {
        Organization {
            name: "Comune di Prova".into(),
            istat_code: code.into(),
            province: "XX".into(),
            region: "Lazio".into(),
            population,
            kind,
        }
    }

    #[test]
    fn the_card_names_the_population_that_decided_and_its_source() {
        let csirt_row = |o: &Organization| {
            card(o)
                .contacts
                .into_iter()
                .find(|c| c.who.starts_with("CSIRT Italia"))
                .expect("a CSIRT Italia row")
                .when
        };
        // A file made with the code of Ronago, merged in 2024 into Uggiate
        // con Ronago: the population of the comune of today decides.
        let when = csirt_row(&org("013199", 1_754, Audience::Comune));
        assert!(when.starts_with("**Facoltativo ma utile**"), "{when}");
        assert!(
            when.ends_with(
                "Abitanti considerati: 6.667 (popolazione legale ISTAT al 31 dicembre 2021)."
            ),
            "{when}"
        );
        // Latina: above the threshold, the figure is shown too.
        let when = csirt_row(&org("059011", 1, Audience::Comune));
        assert!(
            when.starts_with("**Obbligatorio per questo Comune**"),
            "{when}"
        );
        assert!(when.contains("Abitanti considerati: 127.861"), "{when}");
        // A code unknown to the list: the figure of the answers, said so;
        // none for a nameless group.
        let when = csirt_row(&org("099999", 3_000, Audience::Comune));
        assert!(
            when.ends_with("Abitanti considerati: 3.000 (dato indicato nell'autovalutazione)."),
            "{when}"
        );
        let when = csirt_row(&org("", 0, Audience::Comune));
        assert!(!when.contains("Abitanti"), "{when}");
        // A regional capital is one whatever its population.
        let when = csirt_row(&org("007003", 34_102, Audience::Comune));
        assert!(
            when.ends_with("Il Comune è capoluogo di regione."),
            "{when}"
        );
    }

    #[test]
    fn current_legal_population_decides_near_the_threshold() {
        // Andria had 100,052 inhabitants at the 2011 census, 97,588 at 31
        // December 2021: with the current legal population the Legge 90
        // duty does not bind it (it would with the 2011 figure).
        let andria = org("110001", 100_052, Audience::Comune);
        assert_eq!(csirt_population(&andria), 97_588);
        assert_eq!(csirt_duty(&andria), CsirtDuty::Voluntary);
        // Novara stays above it (101,952 then, 101,367 now).
        assert_eq!(
            csirt_duty(&org("003106", 1, Audience::Comune)),
            CsirtDuty::Population
        );
    }

    #[test]
    fn duty_follows_population_and_regional_capitals() {
        // Proceno (VT): small, not a capital.
        assert_eq!(
            csirt_duty(&org("056044", 605, Audience::Comune)),
            CsirtDuty::Voluntary
        );
        // Aosta: a regional capital well under 100,000 inhabitants.
        assert_eq!(
            csirt_duty(&org("007003", 34_102, Audience::Comune)),
            CsirtDuty::RegionalCapital
        );
        // Latina: above 100,000 inhabitants, not a regional capital; the
        // ISTAT population wins over what the answers say.
        assert_eq!(
            csirt_duty(&org("059011", 5, Audience::Comune)),
            CsirtDuty::Population
        );
        // A code not in the list: the declared population decides.
        assert_eq!(
            csirt_duty(&org("999999", 100_001, Audience::Comune)),
            CsirtDuty::Population
        );
        assert_eq!(
            csirt_duty(&org("999999", 100_000, Audience::Comune)),
            CsirtDuty::Voluntary
        );
    }

    #[test]
    fn every_regional_capital_is_in_the_istat_list() {
        let list = istat::IstatList::builtin().expect("ISTAT list");
        for code in REGIONAL_CAPITALS {
            assert!(list.get(code).is_some(), "{code} missing");
        }
    }

    #[test]
    fn cards_differ_by_audience() {
        let comune = card(&org("056044", 605, Audience::Comune));
        let polis = card(&org("056044", 605, Audience::PolisOffice));
        let text = |c: &IncidentCard| {
            let mut t = c.first_hour.join(" ");
            for x in &c.contacts {
                t.push_str(&x.who);
                t.push_str(&x.when);
            }
            t.push_str(&c.notification.join(" "));
            t
        };
        let (tc, tp) = (text(&comune), text(&polis));
        assert!(tc.contains("CSIRT Italia") && tc.contains("Facoltativo"));
        assert!(tc.contains("COSC") && tc.contains("regione Lazio"));
        assert!(tp.contains("Non fotografate"));
        assert!(!tp.contains("fotografate lo schermo"));
        assert!(polis.contacts[0].who.contains("Poste"));
        assert!(!polis.contacts.iter().any(|c| c.who.contains("CSIRT")));
        assert!(!polis.contacts.iter().any(|c| c.who.contains("Garante")));
    }
}
