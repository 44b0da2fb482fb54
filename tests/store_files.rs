//! Opening, refusing, migrating, backing up and restoring real database
//! files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod store_common;

use std::path::Path;

use chrono::{TimeZone, Utc};
use rusqlite::Connection;
use sentinella::store::{self, list_backups, Status, Store, StoreError, KEEP_BACKUPS};
use store_common::{catalog, new_assessment, snapshot};

/// A Sentinella database with a few assessments, closed cleanly.
fn populated(path: &Path) {
    let cat = catalog();
    let mut store = Store::open(path).unwrap();
    for day in ["2025-01-10", "2026-01-10", "2026-06-10"] {
        let id = store
            .create_assessment(&cat, &new_assessment(&cat, day))
            .unwrap();
        for (q, o) in [
            ("backup_weekly", "l2"),
            ("backup_offline", "l3"),
            ("named_accounts", "l0"),
        ] {
            store
                .save_answer(
                    &cat,
                    id,
                    q,
                    o,
                    Some(&"una nota abbastanza lunga ".repeat(20)),
                )
                .unwrap();
        }
    }
}

/// Open must fail with `expect` and leave the directory byte-identical.
fn refused_untouched(path: &Path, expect: fn(&StoreError) -> bool) {
    let dir = path.parent().unwrap();
    let before = snapshot(dir);
    for create in [true, false] {
        match Store::open_with_report(path, create) {
            Err(e) => assert!(expect(&e), "unexpected error: {e}"),
            Ok(_) => panic!("{} was opened", path.display()),
        }
    }
    assert!(matches!(
        store::restore(path, path),
        Err(StoreError::InvalidBackup { .. })
    ));
    let _ = store::check(path);
    assert_eq!(snapshot(dir), before, "the directory changed");
}

#[test]
fn text_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "Verbale della Giunta\n".repeat(200)).unwrap();
    refused_untouched(&path, |e| matches!(e, StoreError::NotSqlite { .. }));
    let msg = Store::open(&path).unwrap_err().to_string();
    assert!(msg.contains("not a Sentinella database"), "{msg}");
}

#[test]
fn short_and_random_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("short.db");
    std::fs::write(&short, b"SQLite format 3\0 truncated").unwrap();
    refused_untouched(&short, |e| matches!(e, StoreError::NotSqlite { .. }));
    let random = dir.path().join("random.db");
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..16384)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    std::fs::write(&random, bytes).unwrap();
    refused_untouched(&random, |e| matches!(e, StoreError::NotSqlite { .. }));
}

#[test]
fn other_sqlite_databases_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("other.db");
    {
        let c = Connection::open(&plain).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    refused_untouched(&plain, |e| {
        matches!(
            e,
            StoreError::NotSentinella {
                application_id: 0,
                ..
            }
        )
    });
    let foreign = dir.path().join("foreign.db");
    {
        let c = Connection::open(&foreign).unwrap();
        c.execute_batch("PRAGMA application_id = 42; CREATE TABLE t (x);")
            .unwrap();
    }
    refused_untouched(&foreign, |e| {
        matches!(
            e,
            StoreError::NotSentinella {
                application_id: 42,
                ..
            }
        )
    });
}

#[test]
fn corrupt_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    populated(&path);
    // Close cleanly happened: no -wal left. Scribble over every page after
    // the first (the schema page) .
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 3 * 4096, "need several pages");
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    std::fs::remove_dir_all(store::backup_dir(&path)).ok();
    refused_untouched(&path, |e| matches!(e, StoreError::Corrupt { .. }));
    let msg = Store::open(&path).unwrap_err().to_string();
    assert!(msg.contains("damaged"), "{msg}");
}

#[test]
fn newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    populated(&path);
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA user_version = 99;").unwrap();
    }
    std::fs::remove_dir_all(store::backup_dir(&path)).ok();
    refused_untouched(
        &path,
        |e| matches!(e, StoreError::TooNew { found: 99, supported, .. } if *supported == store::LATEST_VERSION),
    );
    let msg = Store::open(&path).unwrap_err().to_string();
    assert!(msg.contains("newer version of Sentinella"), "{msg}");
}

#[test]
fn older_schema_is_migrated_after_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    store::create_at_version(&path, 1).unwrap();
    {
        // Data written by a version-1 build.
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "INSERT INTO organizations VALUES (1, 'comune:056044', 'comune', '056044', 'Comune di Prova', 'VT', 'Lazio', 605);
             INSERT INTO assessments VALUES (1, 1, 'mini', '1.0.0', 'abc', 'draft', '2025-05-05', NULL,
                 '2025-05-05T10:00:00.000Z', '2025-05-05T10:00:00.000Z', NULL);
             INSERT INTO answers VALUES (1, 'backup_weekly', 'l2', NULL, '2025-05-05T10:00:00.000Z');",
        )
        .unwrap();
    }
    let (store, report) = Store::open_with_report(&path, false).unwrap();
    assert_eq!(report.migrated_from, Some(1));
    assert_eq!(store.schema_version().unwrap(), store::LATEST_VERSION);
    let backup = report.backup.unwrap();
    assert!(backup
        .file_name()
        .unwrap()
        .to_string_lossy()
        .ends_with("-pre-migration-v1.sqlite3"));
    let old: i64 = Connection::open(&backup)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(old, 1, "the backup holds the old version");
    let a = store.load_assessment(1).unwrap();
    assert_eq!(a.sheet.answers["backup_weekly"].option, "l2");
    assert_eq!(a.info.last_position, None);
    let listed = store.list_assessments(&catalog()).unwrap();
    assert!(listed[0].score.as_ref().is_some_and(|s| !s.content_matches));
    assert!(store.integrity_check().unwrap().is_empty());
}

#[test]
fn empty_file_is_initialized() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    std::fs::File::create(&path).unwrap();
    let (store, report) = Store::open_with_report(&path, false).unwrap();
    assert!(!report.created);
    assert_eq!(store.schema_version().unwrap(), store::LATEST_VERSION);
}

#[cfg(unix)]
#[test]
fn files_are_private() {
    use store_common::mode;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let cat = catalog();
    let mut store = Store::open(&path).unwrap();
    let id = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-01-01"))
        .unwrap();
    store
        .save_answer(&cat, id, "backup_weekly", "l1", None)
        .unwrap();
    let backup = store.backup_now().unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir.path().join("s.db-wal")), 0o600);
    assert_eq!(mode(&dir.path().join("s.db-shm")), 0o600);
    assert_eq!(mode(&store::backup_dir(&path)), 0o700);
    assert_eq!(mode(&backup), 0o600);
}

#[test]
fn daily_backups_keep_the_last_seven() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap();
    let cat = catalog();
    {
        let (mut store, report) = Store::open_at(&path, true, day(1)).unwrap();
        assert!(
            report.created && report.backup.is_none(),
            "nothing to back up yet"
        );
        store
            .create_assessment(&cat, &new_assessment(&cat, "2026-11-01"))
            .unwrap();
    }
    let (_, report) = Store::open_at(&path, false, day(1)).unwrap();
    assert!(report.backup.is_some(), "first open of the day");
    let (_, report) = Store::open_at(&path, false, day(1)).unwrap();
    assert!(report.backup.is_none(), "once a day");
    for d in 2..=12 {
        let (_, report) = Store::open_at(&path, false, day(d)).unwrap();
        assert!(report.backup.is_some());
    }
    let backups = list_backups(&path).unwrap();
    assert_eq!(backups.len(), KEEP_BACKUPS);
    assert_eq!(backups.first().unwrap().taken_at, day(6));
    assert_eq!(backups.last().unwrap().taken_at, day(12));
    assert!(backups.iter().all(|b| b.reason == "daily"));
    for b in &backups {
        let c = Connection::open(&b.path).unwrap();
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "a backup is one self-contained file");
    }
}

#[test]
fn restore_from_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let cat = catalog();
    let mut store = Store::open(&path).unwrap();
    let id = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-01-01"))
        .unwrap();
    store
        .save_answer(&cat, id, "backup_weekly", "l1", None)
        .unwrap();
    let backup = store.backup_now().unwrap();
    store
        .save_answer(&cat, id, "backup_weekly", "l3", None)
        .unwrap();
    let later = store
        .create_assessment(&cat, &new_assessment(&cat, "2026-02-01"))
        .unwrap();
    drop(store);

    let report = store::restore(&path, &backup).unwrap();
    let previous = report.previous_backup.unwrap();
    let store = Store::open_existing(&path).unwrap();
    assert_eq!(
        store.load_assessment(id).unwrap().sheet.answers["backup_weekly"].option,
        "l1"
    );
    assert!(matches!(
        store.load_assessment(later),
        Err(StoreError::AssessmentNotFound(_))
    ));
    drop(store);
    // The pre-restore backup holds what was overwritten.
    store::restore(&path, &previous).unwrap();
    let store = Store::open_existing(&path).unwrap();
    assert_eq!(
        store.load_assessment(id).unwrap().sheet.answers["backup_weekly"].option,
        "l3"
    );
    assert!(store.load_assessment(later).is_ok());
}

#[test]
fn restore_refuses_a_bad_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    populated(&path);
    let bad = dir.path().join("bad.sqlite3");
    std::fs::write(&bad, "not a backup").unwrap();
    let foreign = dir.path().join("foreign.sqlite3");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let before = snapshot(dir.path());
    for from in [&bad, &foreign, &dir.path().join("missing.sqlite3")] {
        match store::restore(&path, from) {
            Err(StoreError::InvalidBackup { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn restore_over_a_damaged_database_moves_it_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    populated(&path);
    let backup = Store::open(&path).unwrap().backup_now().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    for b in bytes.iter_mut().skip(4096) {
        *b = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::Corrupt { .. })
    ));
    let report = store::restore(&path, &backup).unwrap();
    let aside = report.damaged_moved_to.unwrap();
    assert_eq!(std::fs::read(&aside).unwrap(), bytes, "kept, never deleted");
    let store = Store::open_existing(&path).unwrap();
    assert_eq!(store.list_assessments(&catalog()).unwrap().len(), 3);
    assert!(store.integrity_check().unwrap().is_empty());
}

#[test]
fn check_reports_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    populated(&path);
    let before = snapshot(dir.path());
    let report = store::check(&path).unwrap();
    assert!(report.problems.is_empty());
    assert_eq!(report.assessments, 3);
    assert_eq!(report.answers, 9);
    assert_eq!(snapshot(dir.path()), before);
    let _ = Status::Draft;
}

#[test]
fn failed_migration_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    store::create_at_version(&path, 1).unwrap();
    {
        // A hand-edited version-1 database on which migration 2 fails.
        let c = Connection::open(&path).unwrap();
        c.execute_batch("ALTER TABLE assessments ADD COLUMN score_tier TEXT;")
            .unwrap();
    }
    let schema_before: Vec<String> = {
        let c = Connection::open(&path).unwrap();
        let mut stmt = c
            .prepare("SELECT coalesce(sql, name) FROM sqlite_schema ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    match Store::open(&path) {
        Err(StoreError::Migration(msg)) => assert!(msg.contains("score_tier"), "{msg}"),
        other => panic!("{other:?}"),
    }
    let c = Connection::open(&path).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the migration was rolled back");
    let mut stmt = c
        .prepare("SELECT coalesce(sql, name) FROM sqlite_schema ORDER BY name")
        .unwrap();
    let schema_after: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(schema_after, schema_before);
    let backups = list_backups(&path).unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, "pre-migration-v1");
}
