//! The store's API against real database files in temporary directories.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod store_common;

use sentinella::load::{self, Catalog};
use sentinella::model::Audience;
use sentinella::scoring;
use sentinella::store::{Status, Store, StoreError};
use store_common::{catalog, fixtures, new_assessment, org};

fn fresh() -> (tempfile::TempDir, Store, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    (dir, store, catalog())
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn pragmas_are_set() {
    let (_dir, store, _) = fresh();
    let c = store.connection();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let app: i64 = c
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(fk, 1);
    assert_eq!(app, i64::from(sentinella::store::APPLICATION_ID));
    assert_eq!(
        store.schema_version().unwrap(),
        sentinella::store::LATEST_VERSION
    );
    assert!(store.integrity_check().unwrap().is_empty());
}

#[test]
fn create_and_load() {
    let (_dir, mut store, cat) = fresh();
    let new = new_assessment(&cat, "2026-11-20");
    let id = store.create_assessment(&cat, &new).unwrap();
    let a = store.load_assessment(id).unwrap();
    assert_eq!(a.info.id, id);
    assert_eq!(a.info.organization, org());
    assert_eq!(a.info.questionnaire, new.questionnaire);
    assert_eq!(a.info.content_hash, new.content_hash);
    assert_eq!(a.info.status, Status::Draft);
    assert_eq!(a.info.assessor_role.as_deref(), Some("Segretario comunale"));
    assert_eq!(a.info.completed_at, None);
    assert_eq!(a.info.last_position, None);
    assert_eq!(a.info.created_at, a.info.updated_at);
    assert_eq!(a.sheet.assessed_on, new.assessed_on);
    assert!(a.sheet.answers.is_empty() && a.sheet.context.is_empty());
}

#[test]
fn create_rejects_bad_input() {
    let (_dir, mut store, cat) = fresh();
    let mut new = new_assessment(&cat, "2026-11-20");
    new.content_hash = "00".into();
    assert!(matches!(
        store.create_assessment(&cat, &new),
        Err(StoreError::ContentHashMismatch { .. })
    ));
    let mut new = new_assessment(&cat, "2026-11-20");
    new.organization.istat_code = "12".into();
    new.organization.kind = Audience::PolisOffice;
    match store.create_assessment(&cat, &new) {
        Err(StoreError::Invalid(issues)) => assert_eq!(issues.len(), 2, "{issues:?}"),
        other => panic!("{other:?}"),
    }
    let new = new_assessment(&cat, "2026-11-20");
    assert!(matches!(
        store.create_assessment(&Catalog::default(), &new),
        Err(StoreError::QuestionnaireUnavailable { .. })
    ));
    assert_eq!(count(&store, "assessments"), 0);
    assert_eq!(count(&store, "organizations"), 0);
}

#[test]
fn save_answer_upserts_and_validates() {
    let (_dir, mut store, cat) = fresh();
    let id = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-11-20"))
        .unwrap();
    let first = store
        .save_answer(&cat, id, "backup_weekly", "l1", Some("  solo su un PC  "))
        .unwrap();
    let second = store
        .save_answer(&cat, id, "backup_weekly", "l3", None)
        .unwrap();
    assert!(second.answered_at >= first.answered_at);
    store
        .save_answer(&cat, id, "restore_test", "not_applicable", Some(""))
        .unwrap();
    let a = store.load_assessment(id).unwrap();
    assert_eq!(a.sheet.answers.len(), 2);
    assert_eq!(a.sheet.answers["backup_weekly"].option, "l3");
    assert_eq!(a.sheet.answers["backup_weekly"].note, None);
    assert_eq!(
        a.sheet.answers["restore_test"].note, None,
        "blank note stored as none"
    );
    assert_eq!(a.answered_at["backup_weekly"], second.answered_at);
    assert_eq!(a.info.last_position.as_deref(), Some("restore_test"));
    assert_eq!(a.info.answered, 2);
    assert!(a.info.updated_at >= a.info.created_at);

    store
        .save_answer(&cat, id, "named_accounts", "l2", Some("note"))
        .unwrap();
    let a = store.load_assessment(id).unwrap();
    assert_eq!(
        a.sheet.answers["named_accounts"].note.as_deref(),
        Some("note")
    );

    // Rejections are typed and change nothing.
    let before = store.load_assessment(id).unwrap();
    assert!(matches!(
        store.save_answer(&cat, id, "no_such_question", "l1", None),
        Err(StoreError::UnknownQuestion { .. })
    ));
    assert!(matches!(
        store.save_answer(&cat, id, "backup_weekly", "l9", None),
        Err(StoreError::UnknownOption { .. })
    ));
    assert!(matches!(
        store.save_answer(&cat, id, "ctx_it", "internal", None),
        Err(StoreError::UnknownQuestion { .. })
    ));
    let long = "x".repeat(sentinella::validate::MAX_NOTE_CHARS + 1);
    assert!(matches!(
        store.save_answer(&cat, id, "backup_weekly", "l1", Some(&long)),
        Err(StoreError::NoteTooLong { .. })
    ));
    assert!(matches!(
        store.save_answer(&cat, 999, "backup_weekly", "l1", None),
        Err(StoreError::AssessmentNotFound(999))
    ));
    assert!(matches!(
        store.save_answer(&Catalog::default(), id, "backup_weekly", "l1", None),
        Err(StoreError::QuestionnaireUnavailable { .. })
    ));
    assert_eq!(store.load_assessment(id).unwrap(), before);

    store.clear_answer(&cat, id, "named_accounts").unwrap();
    let a = store.load_assessment(id).unwrap();
    assert!(!a.sheet.answers.contains_key("named_accounts"));
}

#[test]
fn context_answers_and_position() {
    let (_dir, mut store, cat) = fresh();
    let id = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-11-20"))
        .unwrap();
    store
        .save_context_answer(&cat, id, "ctx_it", "supplier")
        .unwrap();
    store
        .save_context_answer(&cat, id, "ctx_it", "internal")
        .unwrap();
    store
        .save_context_answer(&cat, id, "ctx_servers", "no")
        .unwrap();
    assert!(matches!(
        store.save_context_answer(&cat, id, "ctx_nope", "no"),
        Err(StoreError::UnknownContextQuestion { .. })
    ));
    assert!(matches!(
        store.save_context_answer(&cat, id, "ctx_servers", "maybe"),
        Err(StoreError::UnknownContextOption { .. })
    ));
    assert!(matches!(
        store.save_context_answer(&cat, id, "backup_weekly", "l1"),
        Err(StoreError::UnknownContextQuestion { .. })
    ));
    let a = store.load_assessment(id).unwrap();
    assert_eq!(a.sheet.context.len(), 2);
    assert_eq!(a.sheet.context["ctx_it"], "internal");
    assert_eq!(a.info.last_position.as_deref(), Some("ctx_servers"));

    store.set_last_position(&cat, id, "backup_offline").unwrap();
    assert!(matches!(
        store.set_last_position(&cat, id, "nowhere"),
        Err(StoreError::UnknownQuestion { .. })
    ));
    assert_eq!(
        store.assessment_info(id).unwrap().last_position.as_deref(),
        Some("backup_offline")
    );
}

#[test]
fn complete_reopen_delete() {
    let (_dir, mut store, cat) = fresh();
    let id = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-11-20"))
        .unwrap();
    store
        .save_answer(&cat, id, "backup_weekly", "l2", None)
        .unwrap();
    store
        .save_context_answer(&cat, id, "ctx_it", "internal")
        .unwrap();
    store.complete(id).unwrap();
    let info = store.assessment_info(id).unwrap();
    assert_eq!(info.status, Status::Completed);
    let completed_at = info.completed_at.unwrap();
    store.complete(id).unwrap(); // idempotent
    assert_eq!(
        store.assessment_info(id).unwrap().completed_at,
        Some(completed_at)
    );
    assert!(matches!(
        store.save_answer(&cat, id, "backup_weekly", "l3", None),
        Err(StoreError::AssessmentCompleted(_))
    ));
    assert!(matches!(
        store.save_context_answer(&cat, id, "ctx_it", "supplier"),
        Err(StoreError::AssessmentCompleted(_))
    ));
    assert!(matches!(
        store.clear_answer(&cat, id, "backup_weekly"),
        Err(StoreError::AssessmentCompleted(_))
    ));
    store.reopen(id).unwrap();
    let info = store.assessment_info(id).unwrap();
    assert_eq!(info.status, Status::Draft);
    assert_eq!(info.completed_at, None);
    store
        .save_answer(&cat, id, "backup_weekly", "l3", None)
        .unwrap();
    assert!(matches!(
        store.complete(42),
        Err(StoreError::AssessmentNotFound(42))
    ));
    assert!(matches!(
        store.reopen(42),
        Err(StoreError::AssessmentNotFound(42))
    ));

    store.delete_assessment(id).unwrap();
    assert!(matches!(
        store.load_assessment(id),
        Err(StoreError::AssessmentNotFound(_))
    ));
    assert_eq!(count(&store, "answers"), 0);
    assert_eq!(count(&store, "context_answers"), 0);
    assert_eq!(count(&store, "organizations"), 1, "the organization stays");
    assert!(matches!(
        store.delete_assessment(id),
        Err(StoreError::AssessmentNotFound(_))
    ));
}

#[test]
fn list_with_scores() {
    let (_dir, mut store, cat) = fresh();
    let a = store
        .create_assessment(&cat, &new_assessment(&cat, "2025-11-20"))
        .unwrap();
    store
        .save_answer(&cat, a, "backup_weekly", "l1", None)
        .unwrap();
    store
        .save_context_answer(&cat, a, "ctx_servers", "no")
        .unwrap();
    let text = std::fs::read_to_string(fixtures().join("answers/example1.answers.json")).unwrap();
    let b = store
        .import_answers(&cat, "example1", &text, Status::Completed)
        .unwrap();

    let rows = store.list_assessments(&cat).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.info.id).collect::<Vec<_>>(),
        vec![b, a]
    );
    for row in &rows {
        let stored = store.load_assessment(row.info.id).unwrap();
        let q = &cat.get("mini", "1.0.0").unwrap().questionnaire;
        let expected = scoring::score(q, &stored.sheet);
        let got = row.score.as_ref().unwrap();
        assert_eq!(got.overall, expected.overall);
        assert_eq!(got.tier, expected.tier);
        assert_eq!(got.baseline_met, expected.baseline.met);
        assert_eq!(got.gates_failed, expected.baseline.failed.len());
        assert_eq!(got.unanswered, expected.unanswered.len());
        assert!(got.content_matches);
    }
    // A stale cache (scored against other content) is not trusted.
    let fresh = store.list_assessments(&cat).unwrap();
    store
        .connection()
        .execute(
            "UPDATE assessments SET score_hash = 'stale', score_overall = 0",
            [],
        )
        .unwrap();
    assert_eq!(store.list_assessments(&cat).unwrap(), fresh);
    // Without the questionnaire the rows are still listed, unscored.
    let rows = store.list_assessments(&Catalog::default()).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.score.is_none()));
}

#[test]
fn history_in_date_order() {
    let (_dir, mut store, cat) = fresh();
    let mid = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-03-01"))
        .unwrap();
    let late = store
        .create_assessment(&cat, &new_assessment(&cat, "2027-03-01"))
        .unwrap();
    let early = store
        .create_assessment(&cat, &new_assessment(&cat, "2025-03-01"))
        .unwrap();
    let mut other = new_assessment(&cat, "2026-01-01");
    other.organization.istat_code = "056045".into();
    other.organization.name = "Comune di Altrove".into();
    let foreign = store.create_assessment(&cat, &other).unwrap();

    let org_id = store.assessment_info(mid).unwrap().organization_id;
    let ids: Vec<_> = store
        .history(org_id)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, vec![early, mid, late]);
    assert!(!ids.contains(&foreign));
    assert_eq!(store.organizations().unwrap().len(), 2);
    assert!(matches!(
        store.history(999),
        Err(StoreError::OrganizationNotFound(999))
    ));

    assert_eq!(store.previous_completed(late).unwrap(), None);
    store.complete(early).unwrap();
    store.complete(mid).unwrap();
    assert_eq!(store.previous_completed(late).unwrap().unwrap().id, mid);
    assert_eq!(store.previous_completed(mid).unwrap().unwrap().id, early);
    assert_eq!(store.previous_completed(early).unwrap(), None);
}

#[test]
fn organization_is_updated_not_duplicated() {
    let (_dir, mut store, cat) = fresh();
    store
        .create_assessment(&cat, &new_assessment(&cat, "2025-03-01"))
        .unwrap();
    let mut next = new_assessment(&cat, "2026-03-01");
    next.organization.population = 612;
    let id = store.create_assessment(&cat, &next).unwrap();
    let orgs = store.organizations().unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].1.population, 612);
    assert_eq!(
        store
            .load_assessment(id)
            .unwrap()
            .sheet
            .organization
            .population,
        612
    );
}

#[test]
fn import_export_round_trip() {
    let (_dir, mut store, cat) = fresh();
    for name in ["example1", "example2", "example3"] {
        let text = std::fs::read_to_string(fixtures().join(format!("answers/{name}.answers.json")))
            .unwrap();
        let original = load::answers_from_str(name, &text, &cat).unwrap().sheet;
        let id = store
            .import_answers(&cat, name, &text, Status::Draft)
            .unwrap();
        let exported = store.export_answers(id).unwrap();
        let back = load::answers_from_str("export", &exported, &cat)
            .unwrap()
            .sheet;
        assert_eq!(back, original, "{name}");
        // Export, import again, export again: byte-identical.
        let id2 = store
            .import_answers(&cat, "again", &exported, Status::Draft)
            .unwrap();
        assert_eq!(store.export_answers(id2).unwrap(), exported);
    }
}

#[test]
fn import_rejects_bad_files_without_writing() {
    let (_dir, mut store, cat) = fresh();
    let bad = [
        "not json",
        r#"{"format":"sentinella-answers/9"}"#,
        r#"{"format":"sentinella-answers/1","questionnaire":{"id":"mini","version":"9.9.9"},"organization":{"name":"X","istat_code":"056044","province":"VT","region":"Lazio","population":1,"kind":"comune"},"assessed_on":"2026-01-01"}"#,
        r#"{"format":"sentinella-answers/1","questionnaire":{"id":"mini","version":"1.0.0"},"organization":{"name":"X","istat_code":"056044","province":"VT","region":"Lazio","population":1,"kind":"comune"},"assessed_on":"2026-01-01","answers":{"backup_weekly":{"option":"l7"}}}"#,
    ];
    for text in bad {
        assert!(matches!(
            store.import_answers(&cat, "bad.json", text, Status::Draft),
            Err(StoreError::Load(_))
        ));
    }
    assert_eq!(count(&store, "assessments"), 0);
    assert_eq!(count(&store, "organizations"), 0);
}

#[test]
fn data_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let cat = catalog();
    let id = {
        let mut store = Store::open(&path).unwrap();
        let id = store
            .create_assessment(&cat, &new_assessment(&cat, "2026-11-20"))
            .unwrap();
        store
            .save_answer(
                &cat,
                id,
                "backup_offline",
                "l2",
                Some("nastro in cassaforte"),
            )
            .unwrap();
        id
    };
    let store = Store::open_existing(&path).unwrap();
    let a = store.load_assessment(id).unwrap();
    assert_eq!(a.sheet.answers["backup_offline"].option, "l2");
    assert_eq!(
        a.sheet.answers["backup_offline"].note.as_deref(),
        Some("nastro in cassaforte")
    );
    assert!(matches!(
        Store::open_existing(&dir.path().join("missing.db")),
        Err(StoreError::NotFound { .. })
    ));
    assert!(!dir.path().join("missing.db").exists());
}

#[test]
fn two_handles_on_one_file() {
    // The desktop app and a command line may have the database open at once.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let cat = catalog();
    let mut app = Store::open(&path).unwrap();
    let mut cli = Store::open_existing(&path).unwrap();
    let id = app
        .create_assessment(&cat, &new_assessment(&cat, "2026-11-20"))
        .unwrap();
    cli.save_answer(&cat, id, "backup_weekly", "l2", None)
        .unwrap();
    app.save_answer(&cat, id, "backup_offline", "l3", None)
        .unwrap();
    for store in [&app, &cli] {
        let a = store.load_assessment(id).unwrap();
        assert_eq!(a.sheet.answers.len(), 2);
    }
    assert!(app.backups().unwrap().is_empty());
    let b = cli.backup_now().unwrap();
    assert_eq!(app.backups().unwrap().len(), 1);
    assert_eq!(app.backups().unwrap()[0].path, b);
    assert_eq!(app.backups().unwrap()[0].reason, "manual");
}

#[test]
fn checkpoint_keeps_data() {
    let (dir, mut store, cat) = fresh();
    let id = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-11-20"))
        .unwrap();
    store
        .save_answer(&cat, id, "backup_weekly", "l2", None)
        .unwrap();
    store.checkpoint().unwrap();
    let wal: i64 = store
        .connection()
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .unwrap();
    assert_eq!(wal, 4000);
    drop(store);
    let store = Store::open_existing(&dir.path().join("s.db")).unwrap();
    assert_eq!(store.load_assessment(id).unwrap().sheet.answers.len(), 1);
}
