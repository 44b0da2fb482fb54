//! The incident section over a real SQLite file: contacts (validated, all
//! or nothing), incidents, the append-only log, exercises kept apart, the
//! drafts built from the log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod store_common;

use chrono::{Duration, Utc};
use sentinella::incident::drafts::DraftKind;
use sentinella::incident::model::{Case, LogKind, PersonalData, Triage};
use sentinella::incident::{ContactRole, IncidentError};
use sentinella::model::{Audience, Organization};
use sentinella::store::{Store, StoreError};
use sentinella::usecase::incident::{self as respond, ContactInput, RespondError};

fn contact(role: ContactRole, name: &str, phone: &str, email: &str) -> ContactInput {
    ContactInput {
        role,
        name: name.into(),
        phone: phone.into(),
        email: email.into(),
    }
}

fn triage(pd: PersonalData) -> Triage {
    Triage {
        case: Case::Ransomware,
        personal_data: pd,
        discovered_at: Utc::now() - Duration::minutes(20),
        summary:
            "Sul PC dell'anagrafe i file hanno estensione .lock e c'è un messaggio di riscatto."
                .into(),
        data_categories: "anagrafe".into(),
        people_estimate: Some(3000),
        records_estimate: None,
    }
}

fn polis() -> Organization {
    Organization {
        name: "Ufficio postale di Prova".into(),
        kind: Audience::PolisOffice,
        ..store_common::org()
    }
}

#[test]
fn contacts_are_validated_and_saved_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut store = Store::open(&db).unwrap();
    let org = store_common::org();
    let good = [
        contact(
            ContactRole::IncidentLead,
            "Maria Bianchi",
            "333 1234567",
            "",
        ),
        contact(
            ContactRole::ItSupport,
            "Alfa Informatica",
            "0761 123456",
            "assistenza@alfa.example.it",
        ),
        contact(ContactRole::Dpo, "", "", ""),
    ];
    let saved = respond::save_contacts(&mut store, &org, &good).unwrap();
    assert_eq!(saved.len(), 2);
    // An impossible phone number: refused, nothing changed.
    let before = store.contacts_of(&org).unwrap();
    let bad = [
        contact(
            ContactRole::IncidentLead,
            "Maria Bianchi",
            "333 1234567",
            "",
        ),
        contact(ContactRole::Cosc, "COSC", "12", ""),
    ];
    let e = respond::save_contacts(&mut store, &org, &bad).unwrap_err();
    assert!(
        matches!(e.as_incident(), Some(IncidentError::BadPhone { .. })),
        "{e}"
    );
    assert!(e
        .as_incident()
        .unwrap()
        .italian()
        .contains("non è un numero di telefono valido"));
    let e = respond::save_contacts(
        &mut store,
        &org,
        &[contact(ContactRole::Dpo, "DPO", "", "dpo@comune")],
    )
    .unwrap_err();
    assert!(
        matches!(e.as_incident(), Some(IncidentError::BadEmail { .. })),
        "{e}"
    );
    // A Polis role for a comune.
    let e = respond::save_contacts(
        &mut store,
        &org,
        &[contact(
            ContactRole::PosteSecurity,
            "Poste",
            "06 1234567",
            "",
        )],
    )
    .unwrap_err();
    assert!(matches!(
        e.as_incident(),
        Some(IncidentError::RoleNotForAudience { .. })
    ));
    assert_eq!(store.contacts_of(&org).unwrap(), before);
    // Reopen: still there.
    drop(store);
    let store = Store::open_existing(&db).unwrap();
    assert_eq!(store.contacts_of(&org).unwrap(), before);
    assert_eq!(before[0].role, ContactRole::IncidentLead);
}

#[test]
fn incident_log_marks_and_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut store = Store::open(&db).unwrap();
    let org = store_common::org();
    respond::save_contacts(
        &mut store,
        &org,
        &[contact(
            ContactRole::Dpo,
            "Studio Verdi (DPO)",
            "06 7654321",
            "dpo@verdi.example.it",
        )],
    )
    .unwrap();
    let id = respond::open_incident(
        &mut store,
        &org,
        false,
        triage(PersonalData::Yes),
        Utc::now(),
    )
    .unwrap();
    let e1 = respond::add_entry(
        &mut store,
        id,
        LogKind::Fact,
        "Schermata di riscatto sul PC 3",
        None,
    )
    .unwrap();
    let e2 = respond::add_entry(
        &mut store,
        id,
        LogKind::Call,
        "Chiamato il DPO",
        Some(ContactRole::Dpo),
    )
    .unwrap();
    respond::add_entry(
        &mut store,
        id,
        LogKind::Decision,
        "Non si paga il riscatto",
        None,
    )
    .unwrap();
    assert!(e2.seq > e1.seq && e2.at >= e1.at);
    respond::mark(&mut store, id, "isolate", true).unwrap();
    respond::mark(&mut store, id, "deadline:garante", true).unwrap();
    // Not a step of a comune's ransomware checklist, nor a deadline.
    let e = respond::mark(&mut store, id, "poste_security", true).unwrap_err();
    assert!(matches!(
        e.as_incident(),
        Some(IncidentError::UnknownItem(_))
    ));
    // Bad log entries change nothing.
    for bad in ["", "  ", "colore \u{1b}[31m", &"x".repeat(4001)] {
        let e = respond::add_entry(&mut store, id, LogKind::Fact, bad, None).unwrap_err();
        assert!(e.as_incident().is_some(), "{bad:?}: {e}");
    }
    // Typing is kept; adding the entry clears it in the same transaction.
    store.save_log_typing(id, "Sto scrivendo").unwrap();
    assert_eq!(store.log_typing(id).unwrap(), "Sto scrivendo");
    assert!(store.save_log_typing(id, "x\u{0}").is_err());
    assert_eq!(store.log_typing(id).unwrap(), "Sto scrivendo");
    respond::add_entry(&mut store, id, LogKind::Fact, "Sto scrivendo e salvo", None).unwrap();
    assert_eq!(store.log_typing(id).unwrap(), "");
    let inc = store.load_incident(id).unwrap();
    assert_eq!(inc.log.len(), 4);
    assert_eq!(inc.log[1].contact, Some(ContactRole::Dpo));
    assert!(inc.done.contains_key("isolate"));

    let view = respond::view(&store, id, Utc::now()).unwrap();
    let garante = view
        .deadlines
        .iter()
        .find(|d| d.item == "deadline:garante")
        .unwrap();
    assert!(garante.done_at.is_some());

    let drafts = respond::drafts(&store, id, Utc::now()).unwrap();
    let kinds: Vec<_> = drafts.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            DraftKind::Garante,
            DraftKind::Csirt,
            DraftKind::Polizia,
            DraftKind::Note
        ]
    );
    let g = &drafts[0].text;
    // Art. 33(3): nature, categories and numbers, DPO contact, consequences, measures.
    for needle in [
        "a) Natura della violazione",
        "Categorie di dati personali: anagrafe",
        "persone interessate: 3000",
        "registrazioni coinvolte: [da completare",
        "Studio Verdi (DPO), tel. 06 7654321, dpo@verdi.example.it",
        "c) Probabili conseguenze",
        "d) Misure adottate o proposte",
        "Non si paga il riscatto",
        "Staccate dalla rete",
        "art. 33",
    ] {
        assert!(g.contains(needle), "missing {needle:?} in\n{g}");
    }
    assert!(!g.contains("ESERCITAZIONE"));

    // Append-only: the database itself refuses to rewrite or erase the log.
    for sql in [
        "UPDATE incident_log SET text = 'x'",
        "DELETE FROM incident_log",
        "DELETE FROM incident_marks",
    ] {
        let e = store.connection().execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }

    // Closed: nothing more is added.
    respond::close(&mut store, id).unwrap();
    let e = respond::add_entry(&mut store, id, LogKind::Fact, "dopo", None).unwrap_err();
    assert!(
        matches!(e, RespondError::Store(StoreError::IncidentClosed(_))),
        "{e}"
    );
    assert_eq!(store.load_incident(id).unwrap().log.len(), 4);
}

#[test]
fn exercises_never_mix_with_incidents_and_polis_escalates_to_poste() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let real = respond::open_incident(
        &mut store,
        &store_common::org(),
        false,
        triage(PersonalData::No),
        Utc::now(),
    )
    .unwrap();
    let drill = respond::open_incident(
        &mut store,
        &polis(),
        true,
        triage(PersonalData::Unknown),
        Utc::now(),
    )
    .unwrap();
    let incidents: Vec<_> = store
        .list_incidents(false)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let exercises: Vec<_> = store
        .list_incidents(true)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(incidents, [real]);
    assert_eq!(exercises, [drill]);
    let drafts = respond::drafts(&store, drill, Utc::now()).unwrap();
    let kinds: Vec<_> = drafts.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [DraftKind::Poste, DraftKind::Polizia, DraftKind::Note]
    );
    for d in &drafts {
        assert!(d.text.starts_with("ESERCITAZIONE"), "{:?}", d.kind);
    }
    let view = respond::view(&store, drill, Utc::now()).unwrap();
    assert_eq!(view.checklist.steps[1].id, "poste_security");
    assert!(view.deadlines.iter().all(|d| d.deadline.due.is_none()));
    // No personal data, small comune: only the voluntary CSIRT notification.
    let view = respond::view(&store, real, Utc::now()).unwrap();
    assert_eq!(view.deadlines.len(), 1);
    // A discovery time in the future is refused and nothing is stored.
    let mut t = triage(PersonalData::Yes);
    t.discovered_at = Utc::now() + Duration::hours(3);
    let e =
        respond::open_incident(&mut store, &store_common::org(), false, t, Utc::now()).unwrap_err();
    assert!(matches!(
        e.as_incident(),
        Some(IncidentError::DiscoveryInFuture(_))
    ));
    assert_eq!(store.list_incidents(false).unwrap().len(), 1);
}
