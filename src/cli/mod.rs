//! The command line: a thin face over the library. Each subcommand parses
//! its input, calls the core and prints; errors carry context and end with
//! exit code 2.

mod args;
mod coord;
mod db;
mod output;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use sentinella::load::{self, Catalog, LoadedAnswers};
use sentinella::{demo, plan, scoring};

use args::{Cli, Command};

/// Exit code for bad input (malformed file, unknown version, invalid answer).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Parse the arguments and run the subcommand.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { paths } => validate(&paths),
        Command::Questionnaires { json } => {
            let catalog = catalog(&cli.questionnaire_dirs)?;
            output::print_catalog(&catalog, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Score {
            answers,
            source,
            json,
        } => {
            let catalog = catalog(&cli.questionnaire_dirs)?;
            let loaded = db::answers_from(answers.as_deref(), &source, &catalog)?;
            let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
            output::print_score(&loaded, &score, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan {
            answers,
            source,
            json,
            pdf,
            previous,
        } => {
            if let Some(out) = &pdf {
                let inputs = [
                    answers.as_deref(),
                    previous.as_deref(),
                    source.db.as_deref(),
                ];
                if let Some(input) =
                    sentinella::store::file::clashing_input(out, inputs.into_iter().flatten())
                {
                    bail!(
                        "--pdf {}: this is {}, an input of this command; choose another file",
                        out.display(),
                        input.display()
                    );
                }
            }
            let catalog = catalog(&cli.questionnaire_dirs)?;
            let loaded = db::answers_from(answers.as_deref(), &source, &catalog)?;
            let (score, plan) = score_and_plan(&loaded);
            if let Some(out) = pdf {
                let previous = match previous {
                    Some(path) => Some(load::answers_file(&path, &catalog)?),
                    None => None,
                };
                write_plan_pdf(&loaded, &score, &plan, previous.as_ref(), &out)?;
                return Ok(ExitCode::SUCCESS);
            }
            output::print_plan(&loaded, &score, &plan, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Db { command } => db::run(command, &cli.questionnaire_dirs),
        Command::Demo { out, date } => {
            let catalog = catalog(&cli.questionnaire_dirs)?;
            let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            run_demo(&catalog, &out, date)
        }
        Command::Export {
            answers,
            source,
            out,
            with_notes,
            keys,
        } => {
            let catalog = catalog(&cli.questionnaire_dirs)?;
            coord::export(
                &catalog,
                answers.as_deref(),
                &source,
                &out,
                with_notes,
                &keys,
            )
        }
        Command::Collect {
            paths,
            db,
            accept_key,
            json,
        } => {
            let catalog = catalog(&cli.questionnaire_dirs)?;
            coord::collect(&catalog, &paths, &db, &accept_key, json)
        }
        Command::Keys { db, json } => coord::keys(&db, json),
        Command::Verify { paths, key, json } => {
            let catalog = catalog(&cli.questionnaire_dirs)?;
            coord::verify(&catalog, &paths, key.as_deref(), json)
        }
        Command::Aggregate {
            paths,
            db,
            accept_key,
            region,
            province,
            json,
            csv,
            csv_answers,
            pdf,
            min_group,
        } => {
            let catalog = catalog(&cli.questionnaire_dirs)?;
            let args = coord::AggregateArgs {
                paths,
                db,
                accept: accept_key.into_iter().collect(),
                region,
                province,
                json,
                csv,
                csv_answers,
                pdf,
                min_group: min_group as usize,
            };
            coord::aggregate(&catalog, &args)
        }
    }
}

fn catalog(dirs: &[PathBuf]) -> Result<Catalog> {
    let (mut catalog, errors) = Catalog::builtin();
    // A broken built-in questionnaire is a packaging defect (a test guards
    // against it): say so loudly, and go on with the valid ones.
    for error in errors {
        eprintln!("warning: built-in questionnaire skipped: {error}");
    }
    for dir in dirs {
        catalog
            .add_dir(dir)
            .with_context(|| format!("cannot load questionnaires from {}", dir.display()))?;
    }
    Ok(catalog)
}

fn score_and_plan(loaded: &LoadedAnswers) -> (scoring::Score, plan::Plan) {
    let q = &loaded.questionnaire.questionnaire;
    let score = scoring::score(q, &loaded.sheet);
    let plan = plan::build(q, &loaded.sheet, &score);
    (score, plan)
}

/// Render the plan PDF (with the comparison when an older assessment is
/// given) and write it to `out`.
fn write_plan_pdf(
    loaded: &LoadedAnswers,
    score: &scoring::Score,
    plan: &plan::Plan,
    previous: Option<&LoadedAnswers>,
    out: &Path,
) -> Result<()> {
    let q = &loaded.questionnaire.questionnaire;
    let comparison = match previous {
        Some(old) => {
            if old.sheet.questionnaire.id != loaded.sheet.questionnaire.id {
                bail!(
                    "--previous: the older answers are for questionnaire '{}', not '{}'",
                    old.sheet.questionnaire.id,
                    loaded.sheet.questionnaire.id
                );
            }
            if old.sheet.assessed_on > loaded.sheet.assessed_on {
                bail!(
                    "--previous: the older answers are dated {}, after the current ones ({})",
                    old.sheet.assessed_on,
                    loaded.sheet.assessed_on
                );
            }
            if old.sheet.organization.istat_code != loaded.sheet.organization.istat_code {
                eprintln!(
                    "warning: --previous is about {} ({}), the current answers about {} ({})",
                    old.sheet.organization.name,
                    old.sheet.organization.istat_code,
                    loaded.sheet.organization.name,
                    loaded.sheet.organization.istat_code
                );
            }
            let (old_score, old_plan) = score_and_plan(old);
            let c = plan::compare((&old_score, &old_plan), (score, plan));
            Some((old.sheet.assessed_on, c))
        }
        None => None,
    };
    let report = sentinella::report::PlanReport {
        questionnaire: q,
        sheet: &loaded.sheet,
        score,
        plan,
        previous: comparison
            .as_ref()
            .map(|(date, c)| sentinella::report::PreviousAssessment {
                assessed_on: *date,
                comparison: c,
            }),
    };
    let pdf = sentinella::report::plan_pdf(&report).context("cannot render the plan PDF")?;
    sentinella::store::file::write_atomic(out, &pdf.bytes)
        .with_context(|| format!("cannot write {}", out.display()))?;
    if !pdf.replaced_chars.is_empty() {
        eprintln!(
            "warning: characters the font cannot draw were replaced: {:?}",
            pdf.replaced_chars
        );
    }
    println!(
        "wrote {} ({} pages, {} bytes)",
        out.display(),
        pdf.pages,
        pdf.bytes.len()
    );
    Ok(())
}

fn validate(paths: &[PathBuf]) -> Result<ExitCode> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = load::json_files(path)?;
            if found.is_empty() {
                bail!("{}: no *.json questionnaire files here", path.display());
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    let mut failed = 0;
    for file in &files {
        match load::questionnaire_file(file) {
            Ok(q) => println!(
                "ok    {}  ({} {}, {} domains, {} questions, sha256 {})",
                file.display(),
                q.questionnaire.id,
                q.questionnaire.version,
                q.questionnaire.domains.len(),
                q.questionnaire.question_count(),
                &q.content_hash[..12]
            ),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} file(s) invalid", files.len());
        Ok(ExitCode::from(EXIT_BAD_INPUT))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn run_demo(catalog: &Catalog, out: &Path, date: chrono::NaiveDate) -> Result<ExitCode> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut ids: Vec<&str> = catalog
        .entries()
        .iter()
        .map(|e| e.questionnaire.id.as_str())
        .collect();
    ids.dedup();
    if ids.is_empty() {
        bail!("no questionnaire available");
    }
    for id in ids {
        let Some(entry) = catalog.latest(id) else {
            continue;
        };
        for example in demo::examples(&entry.questionnaire, date) {
            let loaded = LoadedAnswers {
                sheet: example.sheet,
                questionnaire: entry.clone(),
            };
            let (score, plan) = score_and_plan(&loaded);
            let write = |suffix: &str, text: String| -> Result<()> {
                let path = out.join(format!("{}.{suffix}", example.stem));
                sentinella::store::file::write_atomic(&path, text.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))
            };
            write("answers.json", output::to_json(&loaded.sheet)?)?;
            write(
                "score.json",
                output::to_json(&output::ScoreJson::new(&loaded, &score))?,
            )?;
            write("plan.json", output::to_json(&output::PlanJson::new(&plan))?)?;
            write("plan.txt", output::plan_text(&loaded, &score, &plan))?;
            let report = sentinella::report::PlanReport {
                questionnaire: &loaded.questionnaire.questionnaire,
                sheet: &loaded.sheet,
                score: &score,
                plan: &plan,
                previous: None,
            };
            let pdf = sentinella::report::plan_pdf(&report)
                .with_context(|| format!("cannot render the plan of {}", example.stem))?;
            let pdf_path = out.join(format!("{}.plan.pdf", example.stem));
            sentinella::store::file::write_atomic(&pdf_path, &pdf.bytes)
                .with_context(|| format!("cannot write {}", pdf_path.display()))?;
            println!(
                "{:<48} overall {:>5.1}  tier {:<11} baseline {:<7} actions {:>2}",
                format!("{}.answers.json", example.stem),
                scoring::round1(score.overall),
                score.tier.id(),
                if score.baseline.met { "met" } else { "not met" },
                plan.actions.len()
            );
        }
    }
    println!("wrote the examples to {}", out.display());
    Ok(ExitCode::SUCCESS)
}
