//! Store benchmarks (a plain bench binary: `cargo bench --bench store`).
//!
//! 1. Save-answer latency with synchronous=FULL on a real file: p50, p90,
//!    p99, max over 2,000 saves (target: p99 ≤ 10 ms).
//! 2. Opening a database with 1,000 assessments of the Comune questionnaire
//!    (every question answered) and listing them with their scores
//!    (target: < 50 ms).
//!
//! The databases live in Cargo's target tmp directory (a real disk, so the
//! fsyncs are real).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::{Duration, Instant};

use sentinella::load::{self, Catalog};
use sentinella::model::{
    Answer, AnswerSheet, Audience, Organization, QuestionnaireRef, ANSWERS_FORMAT,
};
use sentinella::store::{NewAssessment, Status, Store};

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

/// The built-in Comune questionnaire (the real content), or the test one
/// grown to about 60 questions when the build has none.
fn big_catalog() -> Catalog {
    let (builtin, _) = Catalog::builtin();
    if let Some(entry) = builtin.latest("comune") {
        let mut c = Catalog::default();
        c.insert(entry.clone());
        return c;
    }
    let text = std::fs::read_to_string(fixtures().join("questionnaires/mini.json")).unwrap();
    let mut q: serde_json::Value = serde_json::from_str(&text).unwrap();
    let domains = q["domains"].as_array().unwrap().clone();
    let per_round: usize = domains
        .iter()
        .map(|d| d["questions"].as_array().unwrap().len())
        .sum();
    let rounds = 60_usize.div_ceil(per_round);
    let mut out = Vec::new();
    for r in 0..rounds {
        for d in &domains {
            let mut d = d.clone();
            d["id"] = format!("{}_{r}", d["id"].as_str().unwrap()).into();
            for question in d["questions"].as_array_mut().unwrap() {
                question["id"] = format!("{}_{r}", question["id"].as_str().unwrap()).into();
            }
            out.push(d);
        }
    }
    q["domains"] = out.into();
    q["id"] = "bench".into();
    let loaded = load::questionnaire_from_str("bench", &q.to_string()).unwrap();
    let mut c = Catalog::default();
    c.insert(loaded);
    c
}

fn org(i: usize) -> Organization {
    Organization {
        name: format!("Comune di Prova {i}"),
        istat_code: format!("{:06}", 1000 + i),
        province: "VT".into(),
        region: "Lazio".into(),
        population: 600 + i as u32,
        kind: Audience::Comune,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "{name:<40} n={:<5} p50 {:>7.3} ms  p90 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms  mean {:>7.3} ms",
        samples.len(),
        ms(percentile(&samples, 0.50)),
        ms(percentile(&samples, 0.90)),
        ms(percentile(&samples, 0.99)),
        ms(*samples.last().unwrap()),
        ms(mean)
    );
}

/// The floor under any durable save: one 4 KiB write + fsync on this disk.
fn bench_fsync(dir: &Path) {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = [0_u8; 4096];
    let mut samples = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        f.write_all(&block).unwrap();
        f.sync_data().unwrap();
        samples.push(t.elapsed());
    }
    report("  reference: raw 4 KiB write + fdatasync", samples);
    let _ = std::fs::remove_file(path);
}

fn bench_save(dir: &Path, catalog: &Catalog) {
    let path = dir.join("save.db");
    let mut store = Store::open(&path).unwrap();
    let entry = catalog.entries().first().unwrap();
    let q = &entry.questionnaire;
    let id = store
        .create_assessment(
            catalog,
            &NewAssessment {
                organization: org(0),
                questionnaire: QuestionnaireRef {
                    id: q.id.clone(),
                    version: q.version.clone(),
                },
                content_hash: entry.content_hash.clone(),
                assessor_role: None,
                assessed_on: chrono::Utc::now().date_naive(),
            },
        )
        .unwrap();
    let sync: i64 = store
        .connection()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let questions: Vec<_> = q.questions().map(|(_, q)| q).collect();
    let mut samples = Vec::new();
    // No idle checkpoints here: the automatic ones stay on the save path.
    for i in 0..2200 {
        let question = questions[i % questions.len()];
        let option = &question.options[i % question.options.len()];
        let note = (i % 3 == 0).then(|| format!("nota {i}: il fornitore conferma"));
        let t = Instant::now();
        store
            .save_answer(catalog, id, &question.id, &option.id, note.as_deref())
            .unwrap();
        let e = t.elapsed();
        if i >= 200 {
            samples.push(e); // after a warm-up
        }
    }
    report("save_answer (WAL, synchronous=FULL)", samples);
    // For reference only: the same saves without an fsync per commit, to
    // separate the CPU cost from the disk flush. The store never runs so.
    store
        .connection()
        .execute_batch("PRAGMA synchronous = NORMAL")
        .unwrap();
    let mut samples = Vec::new();
    for i in 0..1000 {
        let question = questions[i % questions.len()];
        let option = &question.options[(i + 1) % question.options.len()];
        let t = Instant::now();
        store
            .save_answer(catalog, id, &question.id, &option.id, None)
            .unwrap();
        samples.push(t.elapsed());
    }
    report("  reference: synchronous=NORMAL", samples);
    store
        .connection()
        .execute_batch("PRAGMA synchronous = FULL")
        .unwrap();
    let mut samples = Vec::new();
    for i in 0..500 {
        let c = &q.context[i % q.context.len()];
        let o = &c.options[i % c.options.len()];
        let t = Instant::now();
        store
            .save_context_answer(catalog, id, &c.id, &o.id)
            .unwrap();
        samples.push(t.elapsed());
    }
    report("save_context_answer", samples);
}

fn bench_list(dir: &Path, catalog: &Catalog) {
    let path = dir.join("list.db");
    let entry = catalog.entries().first().unwrap();
    let q = &entry.questionnaire;
    let build = Instant::now();
    {
        let mut store = Store::open(&path).unwrap();
        for i in 0..1000 {
            let mut sheet = AnswerSheet {
                format: ANSWERS_FORMAT.into(),
                questionnaire: QuestionnaireRef {
                    id: q.id.clone(),
                    version: q.version.clone(),
                },
                organization: org(i % 400),
                assessed_on: chrono::NaiveDate::from_ymd_opt(
                    2024 + (i % 3) as i32,
                    1 + (i % 12) as u32,
                    1,
                )
                .unwrap(),
                assessor_role: Some("RTD".into()),
                context: Default::default(),
                answers: Default::default(),
            };
            for c in &q.context {
                sheet
                    .context
                    .insert(c.id.clone(), c.options[i % c.options.len()].id.clone());
            }
            for (j, (_, question)) in q.questions().enumerate() {
                let option = &question.options[(i + j) % question.options.len()];
                sheet.answers.insert(
                    question.id.clone(),
                    Answer {
                        option: option.id.clone(),
                        note: (j % 5 == 0).then(|| "verificato con il fornitore".into()),
                    },
                );
            }
            let text = serde_json::to_string(&sheet).unwrap();
            let status = if i % 2 == 0 {
                Status::Completed
            } else {
                Status::Draft
            };
            store
                .import_answers(catalog, "bench", &text, status)
                .unwrap();
        }
    }
    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "built 1,000 assessments ({} questions per assessment, {:.1} MB) in {:.1} s",
        q.question_count(),
        size as f64 / 1e6,
        build.elapsed().as_secs_f64()
    );
    // The first open of the day takes the daily backup: do it outside the
    // measurements, and report it.
    let t = Instant::now();
    let (_, r) = Store::open_with_report(&path, false).unwrap();
    println!(
        "first open of the day (with daily backup: {}): {:.1} ms",
        r.backup.is_some(),
        ms(t.elapsed())
    );
    let (mut open, mut list, mut both) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..30 {
        let t0 = Instant::now();
        let store = Store::open_existing(&path).unwrap();
        let t1 = Instant::now();
        let rows = store.list_assessments(catalog).unwrap();
        let t2 = Instant::now();
        assert_eq!(rows.len(), 1000);
        assert!(rows.iter().all(|r| r.score.is_some()));
        drop(store);
        open.push(t1 - t0);
        list.push(t2 - t1);
        both.push(t2 - t0);
    }
    report("open (checks included)", open);
    let mut qc = Vec::new();
    for _ in 0..10 {
        let c = rusqlite::Connection::open(&path).unwrap();
        let t = Instant::now();
        let _: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
        qc.push(t.elapsed());
    }
    report("  of which PRAGMA quick_check", qc);
    report("list_assessments with scores", list);
    report("open + list, 1,000 assessments", both);
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing
    // useful: only run when benchmarking.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let catalog = big_catalog();
    println!(
        "SQLite {} — database in {}",
        rusqlite::version(),
        dir.path().display()
    );
    bench_fsync(dir.path());
    bench_save(dir.path(), &catalog);
    bench_list(dir.path(), &catalog);
}
