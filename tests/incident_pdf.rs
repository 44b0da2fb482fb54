//! The PDF incident report read back with poppler (`pdftotext`, `pdffonts`)
//! and `qpdf --check`: every section, the log, the contacts, the drafts; an
//! exercise marked on every page. `SENTINELLA_PDF_DIR` keeps the files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod store_common;

use chrono::{Duration, Utc};
use sentinella::incident::model::{Case, LogKind, PersonalData, Triage};
use sentinella::incident::ContactRole;
use sentinella::model::{Audience, Organization};
use sentinella::store::Store;
use sentinella::usecase::incident::{self as respond, ContactInput};

use common::{assert_clean_pdf, run};

fn text_of(pdf: &[u8], name: &str) -> (String, String) {
    let dir = std::env::var_os("SENTINELLA_PDF_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let p = path.to_str().unwrap().to_string();
    assert_clean_pdf(&p, name);
    let text = run("pdftotext", &["-layout", &p, "-"]);
    (p, text)
}

#[test]
fn incident_report_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let org = store_common::org();
    respond::save_contacts(
        &mut store,
        &org,
        &[
            ContactInput {
                role: ContactRole::ItSupport,
                name: "Alfa Informatica".into(),
                phone: "0761 123456".into(),
                email: "assistenza@alfa.example.it".into(),
            },
            ContactInput {
                role: ContactRole::Dpo,
                name: "Studio Verdi".into(),
                phone: "06 7654321".into(),
                email: String::new(),
            },
        ],
    )
    .unwrap();
    let triage = Triage {
        case: Case::Ransomware,
        personal_data: PersonalData::Yes,
        discovered_at: Utc::now() - Duration::hours(2),
        summary: "Sul PC dell'ufficio anagrafe i file hanno estensione .lock; c'è un messaggio di riscatto.".into(),
        data_categories: "anagrafe, tributi".into(),
        people_estimate: Some(2800),
        records_estimate: Some(12_000),
    };
    let id = respond::open_incident(&mut store, &org, false, triage, Utc::now()).unwrap();
    respond::mark(&mut store, id, "isolate", true).unwrap();
    respond::add_entry(
        &mut store,
        id,
        LogKind::Call,
        "Chiamato il fornitore: arriva alle 17",
        Some(ContactRole::ItSupport),
    )
    .unwrap();
    respond::add_entry(
        &mut store,
        id,
        LogKind::Decision,
        "Sportello anagrafe chiuso fino a domani",
        None,
    )
    .unwrap();
    let pdf = respond::report_pdf(&store, id, Utc::now()).unwrap();
    let (_, text) = text_of(&pdf.bytes, "incident-comune");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Rapporto d'incidente",
        "Comune di Prova",
        "Sintesi",
        "Scadenze dalla scoperta",
        "Notifica al Garante per la protezione dei dati personali",
        "Notifica volontaria a CSIRT Italia",
        "Nella prima ora",
        "Registro",
        "Chiamato il fornitore: arriva alle 17",
        "Sportello anagrafe chiuso fino a domani",
        "Contatti",
        "Alfa Informatica",
        "0761 123456",
        "Bozza: Notifica di violazione al Garante",
        "a) Natura della violazione",
        "Categorie di dati personali: anagrafe, tributi",
        "Numero approssimativo di persone interessate: 2800",
        "b) Responsabile della protezione dei dati (DPO)",
        "Studio Verdi, tel. 06 7654321",
        "c) Probabili conseguenze",
        "d) Misure adottate o proposte",
        "Bozza: Notifica a CSIRT Italia",
        "Bozza: Denuncia alla Polizia Postale",
        "Bozza: Nota per la Giunta",
    ] {
        assert!(flat.contains(needle), "missing {needle:?}");
    }
    assert!(!flat.contains("ESERCITAZIONE"));
}

#[test]
fn an_exercise_is_marked_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let org = Organization {
        name: "Ufficio postale di Prova".into(),
        kind: Audience::PolisOffice,
        ..store_common::org()
    };
    let triage = Triage {
        case: Case::DeviceLost,
        personal_data: PersonalData::Unknown,
        discovered_at: Utc::now() - Duration::minutes(30),
        summary: String::new(),
        data_categories: String::new(),
        people_estimate: None,
        records_estimate: None,
    };
    let id = respond::open_incident(&mut store, &org, true, triage, Utc::now()).unwrap();
    let pdf = respond::report_pdf(&store, id, Utc::now()).unwrap();
    let (path, _) = text_of(&pdf.bytes, "incident-polis-exercise");
    let info = run("pdfinfo", &[&path]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 3, "{pages}");
    for page in 1..=pages {
        let p = page.to_string();
        let t = run("pdftotext", &["-f", &p, "-l", &p, &path, "-"]);
        assert!(t.contains("ESERCITAZIONE"), "page {page} is not marked");
    }
    let all = run("pdftotext", &[&path, "-"]);
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Bozza: Messaggio per la sicurezza di Poste"));
    assert!(!flat.contains("Notifica al Garante per la protezione"));
}

/// The plan PDF of a stored assessment prints the organisation's contacts
/// on the incident card; a role without a contact keeps its blank line.
#[test]
fn plan_card_prints_the_saved_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let catalog = store_common::catalog();
    let id = store
        .create_assessment(
            &catalog,
            &store_common::new_assessment(&catalog, "2026-11-24"),
        )
        .unwrap();
    let render = |store: &Store| {
        let planned = sentinella::usecase::planning::plan_stored(
            store,
            &catalog,
            sentinella::ids::AssessmentId::new(id).unwrap(),
            None,
        )
        .unwrap()
        .planned;
        sentinella::usecase::planning::plan_pdf(&planned)
            .unwrap()
            .pdf
    };
    let card = |text: &str| {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let at = flat
            .find("Scheda incidente Da stampare")
            .expect("incident card");
        flat[at..].to_string()
    };
    let (_, before) = text_of(&render(&store).bytes, "plan-no-contacts");
    assert!(card(&before).contains("Compilate i numeri a mano"));
    assert!(!card(&before).contains("Alfa Informatica"));

    respond::save_contacts(
        &mut store,
        &store_common::org(),
        &[
            ContactInput {
                role: ContactRole::ItSupport,
                name: "Alfa Informatica".into(),
                phone: "0761 123456".into(),
                email: "assistenza@alfa.example.it".into(),
            },
            ContactInput {
                role: ContactRole::Cosc,
                name: "COSC Lazio".into(),
                phone: "06 11223344".into(),
                email: String::new(),
            },
        ],
    )
    .unwrap();
    let (_, after) = text_of(&render(&store).bytes, "plan-with-contacts");
    let c = card(&after);
    for needle in [
        "Contatti per le emergenze",
        "Alfa Informatica",
        "tel. 0761 123456",
        "assistenza@alfa.example.it",
        "COSC Lazio",
        "tel. 06 11223344",
    ] {
        assert!(c.contains(needle), "missing {needle:?} in {c}");
    }
    // The same answers without the store (an answers file): no contacts.
    assert_ne!(before, after);
}
