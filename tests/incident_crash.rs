//! Crash safety of the incident log: a child process appends log entries in
//! a loop and reports each committed entry on its stdout; we SIGKILL it at
//! random moments (the same method as tests/crash.rs for the answers) and
//! check that every reported entry is in the database, in order, and that
//! the database passes `PRAGMA integrity_check`.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use sentinella::store::Store;

fn seed() -> u64 {
    std::env::var("SENTINELLA_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        })
}

#[test]
fn sigkill_loses_no_committed_log_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("incident-crash.db");
    let mut rng = seed();
    eprintln!("incident crash seed {rng} (set SENTINELLA_CRASH_SEED to replay)");
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    // incident id -> (seq, n) of every reported entry
    let mut reported: BTreeMap<i64, Vec<(i64, u64)>> = BTreeMap::new();
    let mut kills_mid_loop = 0;
    let rounds = 40;
    for round in 0..rounds {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sentinella"))
            .args(["incident", "crash-writer", "--db"])
            .arg(&db)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        let delay = if next() % 8 == 0 {
            next() % 15
        } else {
            next() % 250
        };
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "round {round}: not killed: {status}"
        );
        let lines = reader.join().unwrap();
        let mut logged = 0;
        for line in &lines {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["opened", id] => {
                    reported.entry(id.parse().unwrap()).or_default();
                }
                ["logged", id, seq, n] => {
                    reported
                        .entry(id.parse().unwrap())
                        .or_default()
                        .push((seq.parse().unwrap(), n.parse().unwrap()));
                    logged += 1;
                }
                _ => panic!("unexpected line {line:?}"),
            }
        }
        if logged > 0 {
            kills_mid_loop += 1;
        }
    }
    let store = Store::open_existing(&db).unwrap();
    assert!(store.integrity_check().unwrap().is_empty());
    let mut total = 0;
    for (&id, entries) in &reported {
        let inc = store.load_incident(id).unwrap();
        // Every reported entry is there with its text; at most one more
        // (committed, killed before it was reported).
        assert!(
            inc.log.len() >= entries.len() && inc.log.len() <= entries.len() + 1,
            "incident {id}: {} stored, {} reported",
            inc.log.len(),
            entries.len()
        );
        for (i, &(seq, n)) in entries.iter().enumerate() {
            assert_eq!(inc.log[i].seq, seq, "incident {id} entry {n}");
            assert!(inc.log[i]
                .text
                .starts_with(&format!("entry {n} of incident {id}:")));
        }
        total += entries.len();
    }
    eprintln!("{rounds} kills ({kills_mid_loop} during the log loop), {total} reported entries, all found");
    assert!(
        kills_mid_loop >= 15,
        "too few kills landed in the loop: {kills_mid_loop}"
    );
}
