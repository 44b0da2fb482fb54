//! Generation time and size of the demo plans (the largest is the target:
//! at most 50 ms in release and 250 KB).
//!
//! Run with `cargo bench --bench plan_pdf`. A plain timing loop rather than
//! criterion, to keep the build light; it prints, for every demo example,
//! pages, bytes, the time of the first rendering (the very first one of
//! the process also parses the fonts and the hyphenation patterns), the
//! minimum and median wall time of the runs, and the CPU time per run
//! (composition and compression use two threads).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sentinella::report::{self, PlanReport};
use sentinella::{demo, load, plan, scoring};

/// CPU time of this process (user + system), from /proc: less sensitive
/// than wall time to other work on a shared machine. `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel's USER_HZ is 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let (catalog, errors) = load::Catalog::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    println!(
        "{:<44} {:>5} {:>8} {:>8} {:>7} {:>9} {:>7}",
        "plan", "pages", "bytes", "first ms", "min ms", "median ms", "cpu ms"
    );
    let mut worst: Option<(String, usize, Duration)> = None;
    for entry in catalog.entries() {
        let q = &entry.questionnaire;
        for ex in demo::examples(q, date) {
            let score = scoring::score(q, &ex.sheet);
            let plan = plan::build(q, &ex.sheet, &score);
            let input = PlanReport {
                questionnaire: q,
                sheet: &ex.sheet,
                score: &score,
                plan: &plan,
                previous: None,
                contacts: &[],
                alerts: &[],
                territory: &[],
            };
            // Warm up: fonts and the hyphenation dictionary are parsed once
            // per process.
            let cold = Instant::now();
            let pdf = report::plan_pdf(&input).unwrap();
            let first = cold.elapsed();
            let mut times = Vec::with_capacity(runs);
            let cpu_start = cpu_time();
            for _ in 0..runs {
                let start = Instant::now();
                let again = report::plan_pdf(&input).unwrap();
                times.push(start.elapsed());
                assert_eq!(again.bytes.len(), pdf.bytes.len());
            }
            let cpu = match (cpu_start, cpu_time()) {
                (Some(a), Some(b)) => (b - a).as_secs_f64() * 1000.0 / runs as f64,
                _ => f64::NAN,
            };
            times.sort();
            let min = times[0];
            let median = times[times.len() / 2];
            println!(
                "{:<44} {:>5} {:>8} {:>8.1} {:>7.1} {:>9.1} {:>7.1}",
                ex.stem,
                pdf.pages,
                pdf.bytes.len(),
                first.as_secs_f64() * 1000.0,
                min.as_secs_f64() * 1000.0,
                median.as_secs_f64() * 1000.0,
                cpu
            );
            if worst.as_ref().is_none_or(|w| pdf.bytes.len() > w.1) {
                worst = Some((ex.stem.clone(), pdf.bytes.len(), median));
            }
        }
    }
    if let Some((stem, bytes, median)) = worst {
        println!(
            "largest plan: {stem}: {bytes} bytes ({:.0} KB), median {:.1} ms (targets: 250 KB, 50 ms)",
            bytes as f64 / 1024.0,
            median.as_secs_f64() * 1000.0
        );
    }
}
