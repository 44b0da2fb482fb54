//! The command line: a thin face over the library. Each subcommand parses
//! its input, calls the core and prints; errors carry context and end with
//! exit code 2.

mod args;
mod coord;
mod db;
mod incident;
mod output;
mod pack;
mod vote;
mod workshop;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use sentinella::demo;
use sentinella::load::{self, Catalog, LoadError, LoadedAnswers};
use sentinella::scoring;
use sentinella::usecase::planning::{self, AnswersSource, PlanWarning, Planned};

use args::{Cli, Command, DbAssessment};
use output::emit_line;

/// Exit code for bad input (malformed file, unknown version, invalid answer).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Parse the arguments and run the subcommand.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let dirs = &cli.questionnaire_dirs;
    match cli.command {
        Command::Validate { paths } => validate(&paths),
        Command::Questionnaires { json } => {
            output::print_catalog(&catalog(dirs)?, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Score {
            answers,
            source,
            json,
        } => {
            let planned = plan(dirs, answers, &source, None)?;
            output::print_score(&planned.loaded, &planned.score, json)?;
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
            if pdf.is_some() {
                std::thread::spawn(sentinella::report::warm_up);
            }
            let planned = plan(dirs, answers, &source, previous.as_deref())?;
            match pdf {
                Some(out) => write_plan_pdf(&planned, &out)?,
                None => output::print_plan(&planned.loaded, &planned.score, &planned.plan, json)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Blank { questionnaire, out } => {
            let today = chrono::Local::now().date_naive();
            let blank = planning::blank_form(&catalog(dirs)?, &questionnaire, today)?;
            sentinella::store::file::write_atomic(&out, &blank.pdf.bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            emit_line(&format!(
                "wrote {} ({} pages, {} bytes)",
                out.display(),
                blank.pdf.pages,
                blank.pdf.bytes.len()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Db { command } => db::run(command, dirs),
        Command::Incident { command } => incident::run(command),
        Command::Workshop { command } => workshop::run(command, &catalog(dirs)?),
        Command::Demo { out, date } => {
            let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            run_demo(&catalog(dirs)?, &out, date)
        }
        Command::Export {
            answers,
            source,
            out,
            with_notes,
            keys,
        } => {
            let source = answers_source(answers, &source)?;
            coord::export(&catalog(dirs)?, &source, &out, with_notes, &keys)
        }
        Command::Collect {
            paths,
            db,
            accept_key,
            json,
        } => coord::collect(&catalog(dirs)?, &paths, &db, &accept_key, json),
        Command::Keys { db, json } => coord::keys(&db, json),
        Command::Verify {
            db: Some(db), json, ..
        } => coord::verify_db(&catalog(dirs)?, &db, json),
        Command::Verify {
            paths, key, json, ..
        } => coord::verify(&catalog(dirs)?, &paths, key.as_ref(), json),
        Command::Aggregate(args) => coord::aggregate(&catalog(dirs)?, &args),
        Command::Pack { command } => pack::run(command, || catalog(dirs)),
    }
}

fn catalog(dirs: &[PathBuf]) -> Result<Catalog> {
    with_dirs(Catalog::builtin(), dirs)
}

/// The built-in questionnaires plus those of `--questionnaires` directories.
fn with_dirs(
    (mut catalog, errors): (Catalog, Vec<LoadError>),
    dirs: &[PathBuf],
) -> Result<Catalog> {
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

/// The answers of `score`, `plan` and `export`: a file, or `--db FILE
/// --assessment ID`.
fn answers_source(file: Option<PathBuf>, db: &DbAssessment) -> Result<AnswersSource> {
    match (file, &db.db, db.assessment) {
        (Some(file), None, None) => Ok(AnswersSource::File(file)),
        (None, Some(db), Some(id)) => Ok(AnswersSource::Stored { db: db.clone(), id }),
        _ => bail!("give either an answers file or --db FILE --assessment ID"),
    }
}

/// Score and plan the answers (with the previous assessment), printing
/// the warnings.
fn plan(
    dirs: &[PathBuf],
    file: Option<PathBuf>,
    db: &DbAssessment,
    previous: Option<&Path>,
) -> Result<Planned> {
    let source = answers_source(file, db)?;
    let catalog = with_dirs(source.builtin_catalog(previous), dirs)?;
    let planned = planning::plan(&source, previous, &catalog).map_err(|e| match e {
        planning::PlanError::OtherQuestionnaire { .. }
        | planning::PlanError::PreviousIsLater { .. } => anyhow::anyhow!("--previous: {e}"),
        other => other.into(),
    })?;
    for w in &planned.warnings {
        eprintln!("warning: {}", warning_text(w));
    }
    Ok(planned)
}

fn warning_text(w: &PlanWarning) -> String {
    match w {
        PlanWarning::ContentChanged {
            id,
            questionnaire,
            version,
        } => format!(
            "questionnaire {questionnaire} {version} has changed since assessment {id} was created; scoring with the available content"
        ),
        PlanWarning::PreviousOtherOrganization {
            previous,
            previous_code,
            current,
            current_code,
        } => format!(
            "--previous is about {previous} ({previous_code}), the current answers about {current} ({current_code})"
        ),
    }
}

/// Render the plan PDF (with the comparison when there is a previous
/// assessment) and write it to `out`.
fn write_plan_pdf(planned: &Planned, out: &Path) -> Result<()> {
    let pdf = planning::plan_pdf(planned)?.pdf;
    sentinella::store::file::write_atomic(out, &pdf.bytes)
        .with_context(|| format!("cannot write {}", out.display()))?;
    if !pdf.replaced_chars.is_empty() {
        eprintln!(
            "warning: characters the font cannot draw were replaced: {:?}",
            pdf.replaced_chars
        );
    }
    emit_line(&format!(
        "wrote {} ({} pages, {} bytes)",
        out.display(),
        pdf.pages,
        pdf.bytes.len()
    ))
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
            Ok(q) => emit_line(&format!(
                "ok    {}  ({} {}, {} domains, {} questions, sha256 {})",
                file.display(),
                q.questionnaire.id,
                q.questionnaire.version,
                q.questionnaire.domains.len(),
                q.questionnaire.question_count(),
                q.content_hash.get(..12).unwrap_or_default()
            ))?,
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
            let planned = planning::plan_answers(loaded, None)?;
            let (loaded, score, plan) = (&planned.loaded, &planned.score, &planned.plan);
            let write = |suffix: &str, text: String| -> Result<()> {
                let path = out.join(format!("{}.{suffix}", example.stem));
                sentinella::store::file::write_atomic(&path, text.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))
            };
            write("answers.json", output::to_json(&loaded.sheet)?)?;
            write(
                "score.json",
                output::to_json(&output::ScoreJson::new(loaded, score))?,
            )?;
            write("plan.json", output::to_json(&output::PlanJson::new(plan))?)?;
            write("plan.txt", output::plan_text(loaded, score, plan))?;
            let pdf = planning::plan_pdf(&planned)
                .with_context(|| format!("cannot render the plan of {}", example.stem))?
                .pdf;
            let pdf_path = out.join(format!("{}.plan.pdf", example.stem));
            sentinella::store::file::write_atomic(&pdf_path, &pdf.bytes)
                .with_context(|| format!("cannot write {}", pdf_path.display()))?;
            emit_line(&format!(
                "{:<48} overall {:>5.1}  tier {:<11} baseline {:<7} actions {:>2}",
                format!("{}.answers.json", example.stem),
                scoring::round1(score.overall),
                score.tier.id(),
                if score.baseline.met { "met" } else { "not met" },
                plan.actions.len()
            ))?;
        }
    }
    emit_line(&format!("wrote the examples to {}", out.display()))?;
    Ok(ExitCode::SUCCESS)
}
