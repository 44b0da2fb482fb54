//! Crash safety of workshop sessions: a child process records counts for
//! every question of a session of the Sportello Polis questionnaire (40
//! questions) and moves to it, printing each committed save; we SIGKILL it
//! after a random number of reported saves (counted on its output, not
//! timed, so the test means the same on a loaded machine), then check that
//! the session resumes exactly: every reported save is there, nothing beyond
//! the save in flight, the database passes `integrity_check`.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

use sentinella::load::Catalog;
use sentinella::store::workshop::WorkshopDb;
use sentinella::usecase::workshop as ws;

/// The counts the writer saves at `seq` (same formula as
/// `crash_counts` in src/cli/workshop.rs).
fn crash_counts(seq: u64, options: usize, room: u32) -> Vec<u32> {
    let mut counts = vec![0_u32; options];
    let room = u64::from(room);
    let first = (seq % room) as u32;
    let o = options.max(1) as u64;
    counts[(seq % o) as usize] += first;
    counts[((seq / 7) % o) as usize] += ((seq / 3) % (room - (seq % room))) as u32;
    counts
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn a_killed_session_resumes_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("workshop crash seed {seed}");
    let mut rng = Rng(seed);
    let (catalog, _) = Catalog::builtin();
    // position → highest reported seq
    let mut reported: BTreeMap<usize, u64> = BTreeMap::new();
    let mut last: Option<u64> = None;
    let mut n = 0_usize;
    for round in 0..15 {
        let start = last.map_or(0, |l| l + 1);
        let mut child = Command::new(env!("CARGO_BIN_EXE_sentinella"))
            .args([
                "workshop",
                "crash-writer",
                "--questionnaire",
                "sportello-polis",
                "--db",
            ])
            .arg(&db)
            .args(["--start", &start.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill after 1..=90 reported saves; one round in four right after
        // the start (kills during creation or the first save).
        let target = if rng.next().is_multiple_of(4) {
            0
        } else {
            1 + rng.next() % 90
        };
        let mut seen = Vec::new();
        while (seen.len() as u64) < target {
            match lines.next() {
                Some(Ok(line)) => seen.push(line),
                _ => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        // Lines already in the pipe were committed too.
        seen.extend(lines.map_while(Result::ok));
        let mut err = String::new();
        stderr.read_to_string(&mut err).unwrap();
        assert_eq!(status.signal(), Some(9), "round {round}: {status} {err}");
        for line in &seen {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts.as_slice() {
                ["created", _] => {}
                ["saved", _, seq] => {
                    let seq: u64 = seq.parse().unwrap();
                    assert!(n > 0 || last.is_none());
                    last = Some(seq);
                    if n == 0 {
                        n = WorkshopDb::open_existing(&db)
                            .unwrap()
                            .load(1)
                            .unwrap()
                            .len();
                    }
                    reported.insert((seq % n as u64) as usize, seq);
                }
                _ => panic!("unexpected line {line:?}"),
            }
        }
        // Resume: open, check, compare with every reported save.
        if !db.exists() {
            continue;
        }
        let wdb = match WorkshopDb::open_existing(&db) {
            Ok(w) => w,
            Err(e) => panic!("round {round}: cannot reopen: {e}"),
        };
        assert!(wdb.integrity_check().unwrap().is_empty());
        let Ok((session, _)) = ws::open(&wdb, &catalog, 1) else {
            // Killed before the session's creation committed.
            assert!(last.is_none(), "round {round}: session lost");
            continue;
        };
        n = session.len();
        assert_eq!(n, 40, "the Polis session has 40 questions");
        let inflight = last.map(|l| l + 1);
        for (&pos, &seq) in &reported {
            let t = &session.tallies[pos];
            let expect = crash_counts(seq, t.counts.len(), session.room_size);
            let ok = t.counts == expect
                || inflight.is_some_and(|f| {
                    (f % n as u64) as usize == pos
                        && t.counts == crash_counts(f, t.counts.len(), session.room_size)
                });
            assert!(
                ok,
                "round {round}: question {pos}: reported save {seq} lost ({:?} != {expect:?})",
                t.counts
            );
        }
        if let Some(l) = last {
            let here = (l % n as u64) as usize;
            let next = ((l + 1) % n as u64) as usize;
            assert!(
                session.current == here || session.current == next,
                "round {round}: on question {}, expected {here} or {next}",
                session.current
            );
        }
    }
    assert!(
        reported.len() >= 40,
        "too few questions saved: {}",
        reported.len()
    );
}
