//! The use-case layer both faces call: its policies, and the dashboard's
//! results verified once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};

use sentinella::aggregate::{AggregateOptions, Scope};
use sentinella::coordinator::{CoordinatorDb, Outcome};
use sentinella::exchange::{self, ExportOptions, RejectionKind};
use sentinella::istat::IstatList;
use sentinella::keys::KeyPair;
use sentinella::store::{Status, Store};
use sentinella::usecase::aggregate::{self, VerifiedCache};
use sentinella::usecase::{collect, export, planning};

/// A result file of the example answers for comune `code`.
fn result_file(dir: &std::path::Path, code: &str, seed: u8) -> std::path::PathBuf {
    let mut loaded = common::answers("tests/fixtures/answers/example1.answers.json");
    loaded.sheet.organization.istat_code = code.into();
    let (_, bytes) = exchange::export_result(
        &loaded,
        &KeyPair::from_seed([seed; 32]),
        &ExportOptions {
            with_notes: false,
            app_version: "0.1.0".into(),
            exported_at: Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
            assessment_id: None,
        },
    )
    .unwrap();
    common::write(dir, &format!("{code}.json"), bytes)
}

#[test]
fn the_dashboard_verifies_each_result_once_and_the_explicit_check_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = common::catalog();
    let files: Vec<_> = [("056044", 1), ("056001", 2), ("058091", 3)]
        .into_iter()
        .map(|(code, seed)| result_file(dir.path(), code, seed))
        .collect();
    let path = dir.path().join("coord.db");
    let mut db = CoordinatorDb::open(&path).unwrap();
    let mut cache = VerifiedCache::default();
    let collected = collect::collect(
        &mut db,
        &files,
        &catalog,
        &BTreeSet::new(),
        Some(&mut cache),
        |_| {},
    )
    .unwrap();
    assert_eq!(collected.count(Outcome::New), 3);
    assert_eq!(cache.len(), 3, "the import keeps what it verified");

    let list = IstatList::builtin().unwrap();
    let opts = AggregateOptions {
        min_group: 1,
        ..AggregateOptions::default()
    };
    let full = aggregate::gather_db(&db, &catalog).unwrap();
    let cached = cache.gather(&db, &catalog).unwrap();
    assert_eq!(full.current.len(), 3);
    assert_eq!(
        aggregate::reports(&cached, list, &Scope::Italy, opts),
        aggregate::reports(&full, list, &Scope::Italy, opts),
        "the same figures with and without the kept records"
    );

    // Someone alters a stored file behind the app's back: the explicit
    // check (gather_db, `aggregate --db`) finds it; the kept records were
    // verified at import and are not read again.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE results SET file = x'7b7d' WHERE istat_code = '056001'",
            [],
        )
        .unwrap();
    let full = aggregate::gather_db(&db, &catalog).unwrap();
    assert_eq!(full.current.len(), 2);
    assert_eq!(full.rejected.len(), 1);
    assert_eq!(full.rejected[0].kind, RejectionKind::NotAResultFile);
    let cached = cache.gather(&db, &catalog).unwrap();
    assert_eq!((cached.current.len(), cached.rejected.len()), (3, 0));
    // A new process has nothing kept: it verifies what it has not seen.
    let fresh = VerifiedCache::default().gather(&db, &catalog).unwrap();
    assert_eq!((fresh.current.len(), fresh.rejected.len()), (2, 1));
}

/// The current records' ISTAT codes, signers and sources, in order.
fn signed(g: &aggregate::Gathered) -> Vec<(String, String, String)> {
    g.current
        .iter()
        .map(|r| {
            (
                r.istat_code.clone(),
                r.fingerprint.clone(),
                r.source.clone(),
            )
        })
        .collect()
}

#[test]
fn the_kept_records_never_make_current_what_the_database_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = common::catalog();
    let list = IstatList::builtin().unwrap();
    let opts = AggregateOptions {
        min_group: 1,
        ..AggregateOptions::default()
    };
    let mut db = CoordinatorDb::in_memory().unwrap();
    let mut cache = VerifiedCache::default();
    let same = |db: &CoordinatorDb, cache: &mut VerifiedCache| {
        let full = aggregate::gather_db(db, &catalog).unwrap();
        let cached = cache.gather(db, &catalog).unwrap();
        assert_eq!(signed(&cached), signed(&full));
        assert_eq!(
            aggregate::reports(&cached, list, &Scope::Italy, opts),
            aggregate::reports(&full, list, &Scope::Italy, opts),
        );
        full
    };
    let first = vec![
        result_file(dir.path(), "056044", 1),
        result_file(dir.path(), "056001", 2),
    ];
    collect::collect(
        &mut db,
        &first,
        &catalog,
        &BTreeSet::new(),
        Some(&mut cache),
        |_| {},
    )
    .unwrap();
    let before = same(&db, &mut cache);
    assert_eq!(before.current.len(), 2);

    // The same answers, same export time, same file name, signed by
    // another key: it verifies (the import sees it) but is held back.
    let other = vec![result_file(dir.path(), "056044", 9)];
    let mut held = collect::collect(
        &mut db,
        &other,
        &catalog,
        &BTreeSet::new(),
        Some(&mut cache),
        |_| {},
    )
    .unwrap()
    .held;
    assert_eq!(held.len(), 1);
    // Its signed payload is the current one's: only the signer tells them
    // apart, so a record kept by payload alone would stand in for it.
    let resigned =
        exchange::verify_bytes(&std::fs::read(&other[0]).unwrap(), &catalog, None).unwrap();
    assert!(before.current.iter().any(|r| {
        r.payload_sha256 == resigned.payload_sha256 && r.fingerprint != resigned.fingerprint
    }));
    assert_eq!(signed(&same(&db, &mut cache)), signed(&before));

    // The coordinator accepts the new key: the old key's result goes to
    // history and the new one is current, for both.
    let wanted = held[0].acceptance.clone();
    collect::accept_key(&mut db, &mut held, &wanted, &catalog, Some(&mut cache)).unwrap();
    let after = same(&db, &mut cache);
    assert_eq!(after.current.len(), 2);
    assert_ne!(signed(&after), signed(&before));
}

/// A store with the example answers imported as an assessment.
fn store_with(dir: &std::path::Path, status: Status) -> (Store, sentinella::ids::AssessmentId) {
    let catalog = common::catalog();
    let mut store = Store::open(&dir.join("s.db")).unwrap();
    let text = std::fs::read_to_string(
        common::root().join("tests/fixtures/answers/example1.answers.json"),
    )
    .unwrap();
    let id = store
        .import_answers(&catalog, "example1", &text, status)
        .unwrap();
    (store, sentinella::ids::AssessmentId::new(id).unwrap())
}

#[test]
fn a_draft_is_never_exported_and_blank_notes_are_not_notes() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = common::catalog();
    let key = KeyPair::from_seed([5; 32]);
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let (store, draft) = store_with(dir.path(), Status::Draft);
    let e = export::export_stored(&store, &catalog, &key, draft, false, now).unwrap_err();
    assert!(
        matches!(e, export::ExportError::Draft(id) if id == draft),
        "{e}"
    );
    assert!(e.to_string().contains("still a draft"), "{e}");

    let mut loaded = common::answers("tests/fixtures/answers/example1.answers.json");
    let mut ids = loaded
        .sheet
        .answers
        .keys()
        .cloned()
        .collect::<Vec<_>>()
        .into_iter();
    loaded
        .sheet
        .answers
        .get_mut(&ids.next().unwrap())
        .unwrap()
        .note = Some("  \n ".into());
    loaded
        .sheet
        .answers
        .get_mut(&ids.next().unwrap())
        .unwrap()
        .note = Some("vero".into());
    assert_eq!(export::count_notes(&loaded), 1);
}

#[test]
fn a_stored_plan_compares_with_the_previous_completed_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = common::catalog();
    let (mut store, first) = store_with(dir.path(), Status::Completed);
    let text = std::fs::read_to_string(
        common::root().join("tests/fixtures/answers/example1.answers.json"),
    )
    .unwrap();
    let second = store
        .import_answers(&catalog, "again", &text, Status::Draft)
        .unwrap();
    let second = sentinella::ids::AssessmentId::new(second).unwrap();
    let plan = planning::plan_stored(&store, &catalog, second, None).unwrap();
    let previous = plan.planned.previous.expect("the first one is compared");
    assert_eq!(previous.id, Some(first));
    assert!(planning::plan_stored(&store, &catalog, first, None)
        .unwrap()
        .planned
        .previous
        .is_none());
    // An explicitly named older file must not be newer than the answers.
    let mut newer = common::answers("tests/fixtures/answers/example1.answers.json");
    newer.sheet.assessed_on = newer.sheet.assessed_on.succ_opt().unwrap();
    let e = planning::plan_stored(&store, &catalog, second, Some(&newer)).unwrap_err();
    assert!(
        matches!(e, planning::PlanError::PreviousIsLater { .. }),
        "{e}"
    );
    store.reopen(first.get()).unwrap();
    assert!(
        planning::plan_stored(&store, &catalog, second, None)
            .unwrap()
            .planned
            .previous
            .is_none(),
        "a draft is not a previous assessment"
    );
}
