//! Generate signed result files for benchmarks and demos of the coordinator
//! side: one per comune of the ISTAT list (cycling over the list, 35 days
//! earlier per round, when more are asked for), with varied answers.
//!
//! ```sh
//! cargo run --release --example gen_results -- <out-dir> <count>
//! ```
//!
//! Writes `<out-dir>/questionnaires/` (the questionnaire the results answer)
//! and `<out-dir>/results/*.json`. The questionnaire is the built-in `comune`
//! one when this build has it; otherwise a 60-question questionnaire built
//! from the test fixture `mini.json` (six domains of ten questions), so the
//! cost per file resembles the real content. Deterministic: the same
//! arguments give the same files.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use sentinella::demo::{self, Profile};
use sentinella::exchange::{self, ExportOptions};
use sentinella::istat::IstatList;
use sentinella::keys::KeyPair;
use sentinella::load::{self, Catalog, LoadedAnswers, LoadedQuestionnaire};
use sentinella::model::{Answer, Questionnaire};
use sentinella::scoring;

const MINI: &str = include_str!("../tests/fixtures/questionnaires/mini.json");

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(count)) = (args.first(), args.get(1)) else {
        bail!("usage: gen_results <out-dir> <count>");
    };
    let out = PathBuf::from(out);
    let count: usize = count.parse().context("count must be a number")?;
    let started = Instant::now();
    let q = questionnaire(&out)?;
    let results = out.join("results");
    std::fs::create_dir_all(&results)?;
    let list = IstatList::builtin()?;
    let comuni = list.all();
    let mut bytes_total = 0usize;
    let mut keys: Vec<Option<KeyPair>> = (0..comuni.len()).map(|_| None).collect();
    for i in 0..count {
        let index = i % comuni.len();
        let round = i / comuni.len();
        let comune = &comuni[index];
        let key = keys[index].get_or_insert_with(|| {
            let seed: [u8; 32] = Sha256::digest(comune.istat_code.as_bytes()).into();
            KeyPair::from_seed(seed)
        });
        let bytes = result_for(&q, comune, round, key)?;
        bytes_total += bytes.len();
        let path = results.join(format!("{}-{round}.json", comune.istat_code));
        std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "generated {count} result files ({:.1} MB, {} questions each) in {:.2} s",
        bytes_total as f64 / 1e6,
        q.questionnaire.question_count(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The built-in `comune` questionnaire, or a 60-question one built from the
/// fixture; written to `<out>/questionnaires/`.
fn questionnaire(out: &Path) -> Result<LoadedQuestionnaire> {
    let dir = out.join("questionnaires");
    std::fs::create_dir_all(&dir)?;
    let (catalog, _) = Catalog::builtin();
    if let Some(q) = catalog.latest("comune") {
        std::fs::write(
            dir.join("comune.json"),
            serde_json::to_string_pretty(&*q.questionnaire)?,
        )?;
        return Ok(q.clone());
    }
    let mini: Questionnaire = serde_json::from_str(MINI)?;
    let mut q = mini.clone();
    q.id = "bench".into();
    q.title = "Questionario di prova per i benchmark".into();
    q.domains.clear();
    for d in 0..6 {
        let mut domain = mini.domains[d % mini.domains.len()].clone();
        domain.id = format!("d{d}");
        domain.title = format!("{} {}", domain.title, d + 1);
        let templates = domain.questions.clone();
        domain.questions = (0..10)
            .map(|i| {
                let mut question = templates[i % templates.len()].clone();
                question.id = format!("d{d}_q{i}");
                question
            })
            .collect();
        q.domains.push(domain);
    }
    let text = serde_json::to_string_pretty(&q)?;
    let path = dir.join("bench.json");
    std::fs::write(&path, &text)?;
    Ok(load::questionnaire_file(&path)?)
}

/// A deterministic fraction in [0, 1) from a key.
fn fraction(key: &str) -> f64 {
    let d = Sha256::digest(key.as_bytes());
    let x = u64::from_le_bytes(d[..8].try_into().expect("8 bytes"));
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn result_for(
    q: &LoadedQuestionnaire,
    comune: &sentinella::istat::Comune,
    round: usize,
    key: &KeyPair,
) -> Result<Vec<u8>> {
    let code = &comune.istat_code;
    // Larger comuni tend to do better; every comune gets its own mix.
    let r = fraction(&format!("{code}/{round}/profile"));
    let bias = match comune.population {
        0..=999 => 0.0,
        1000..=4999 => 0.15,
        5000..=14999 => 0.3,
        _ => 0.45,
    };
    let profile = if r + bias < 0.45 {
        Profile::Struggling
    } else if r + bias < 1.0 {
        Profile::Average
    } else {
        Profile::WellRun
    };
    // Older rounds 35 days apart, all after 2025-01-01 (the earliest date a
    // result file may carry) and exported a week after the assessment.
    let day = (fraction(&format!("{code}/{round}/day")) * 300.0) as u64;
    let assessed_on = NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(day)))
        .and_then(|d| d.checked_sub_days(chrono::Days::new(35 * round as u64)))
        .context("date")?;
    let mut sheet = demo::example(&q.questionnaire, profile, assessed_on).sheet;
    sheet.organization.name = format!("Comune di {}", comune.name);
    sheet.organization.istat_code = code.clone();
    sheet.organization.province = comune.province.clone();
    sheet.organization.region = comune.region.clone();
    sheet.organization.population = comune.population.max(1);
    // Re-pick about a third of the answers at random, per comune.
    for (_, question) in q.questionnaire.questions() {
        let key = format!("{code}/{round}/{}", question.id);
        if fraction(&format!("{key}/change")) < 0.35 && !question.options.is_empty() {
            let i = (fraction(&format!("{key}/pick")) * question.options.len() as f64) as usize;
            let option = &question.options[i.min(question.options.len() - 1)];
            sheet.answers.insert(
                question.id.clone(),
                Answer {
                    option: option.id.clone(),
                    note: None,
                },
            );
        }
    }
    let loaded = LoadedAnswers {
        sheet,
        questionnaire: q.clone(),
    };
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let opts = ExportOptions {
        with_notes: false,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at: (assessed_on + chrono::Duration::days(7))
            .and_hms_opt(9, 0, 0)
            .context("time")?
            .and_utc(),
        assessment_id: None,
    };
    let payload = exchange::build_payload(&loaded, &score, &opts);
    Ok(exchange::seal(&payload, key)?)
}
