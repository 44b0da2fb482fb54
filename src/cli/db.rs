//! `sentinella db ...` and the `--db FILE --assessment ID` source of
//! `score` and `plan`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use sentinella::load::{self, Catalog};
use sentinella::model::QuestionnaireRef;
use sentinella::scoring::round1;
use sentinella::store::{self, NewAssessment, Status, Store};
use sentinella::usecase::assessment;

use super::args::DbCommand;
use super::output::{emit, emit_line};
use super::{catalog, output, EXIT_BAD_INPUT};

/// Run a `db` subcommand.
pub fn run(command: DbCommand, dirs: &[PathBuf]) -> Result<ExitCode> {
    match command {
        DbCommand::Check { db } => check(&db),
        DbCommand::Backup { db } => {
            let store = Store::open_existing(&db)?;
            let path = store.backup_now()?;
            emit_line(&format!("backup written to {}", path.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Restore { db, backup } => restore(&db, backup.as_deref()),
        DbCommand::Import {
            answers,
            db,
            completed,
        } => {
            let catalog = catalog(dirs)?;
            let text = read_answers(&answers)?;
            let mut store = Store::open(&db)?;
            let status = if completed {
                Status::Completed
            } else {
                Status::Draft
            };
            let id =
                store.import_answers(&catalog, &answers.display().to_string(), &text, status)?;
            emit_line(&format!(
                "imported {} as assessment {id}",
                answers.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Export {
            assessment,
            db,
            out,
        } => {
            let store = Store::open_existing(&db)?;
            let json = store.export_answers(assessment.get())?;
            match out {
                Some(path) => {
                    std::fs::write(&path, json)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("wrote assessment {assessment} to {}", path.display());
                }
                None => emit(&json)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::List { db, json } => {
            let catalog = catalog(dirs)?;
            let store = Store::open_existing(&db)?;
            let rows = assessment::list(&store, &catalog)?;
            if json {
                emit(&output::to_json(&rows)?)?;
            } else {
                emit(&list_text(&rows))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::CrashWriter {
            db,
            questionnaire,
            backup_every,
            max_saves,
        } => {
            let catalog = catalog(dirs)?;
            crash_writer(
                &db,
                &catalog,
                questionnaire.as_deref(),
                backup_every,
                max_saves,
            )
        }
    }
}

/// Read an answers file with the loader's size cap.
fn read_answers(path: &Path) -> Result<String> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > load::MAX_FILE_BYTES {
        bail!(
            "{}: the file is {} bytes, more than the {} bytes allowed",
            path.display(),
            meta.len(),
            load::MAX_FILE_BYTES
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{}: not valid UTF-8 text", path.display()))
}

fn check(db: &Path) -> Result<ExitCode> {
    let report = store::check(db)?;
    let mut t = format!("{}: Sentinella database\n", db.display());
    let _ = writeln!(
        t,
        "schema version {} (this build writes {}){}",
        report.schema_version,
        report.latest_version,
        if report.schema_version < report.latest_version {
            "; it will be upgraded, after a backup, when opened"
        } else {
            ""
        }
    );
    let _ = writeln!(
        t,
        "{} organizations, {} assessments, {} answers",
        report.organizations, report.assessments, report.answers
    );
    let _ = match report.backups.last() {
        Some(b) => writeln!(
            t,
            "{} backups, newest {} Italian time ({})",
            report.backups.len(),
            store::format_italian(b.taken_at),
            b.path.display()
        ),
        None => writeln!(t, "no backups yet"),
    };
    let code = if report.problems.is_empty() {
        let _ = writeln!(t, "integrity: ok");
        ExitCode::SUCCESS
    } else {
        let _ = writeln!(t, "integrity: {} problem(s)", report.problems.len());
        for p in report.problems.iter().take(20) {
            let _ = writeln!(t, "  {p}");
        }
        ExitCode::from(EXIT_BAD_INPUT)
    };
    emit(&t)?;
    Ok(code)
}

fn restore(db: &Path, backup: Option<&Path>) -> Result<ExitCode> {
    let Some(backup) = backup else {
        let backups = store::list_backups(db)?;
        if backups.is_empty() {
            eprintln!("no backups found in {}", store::backup_dir(db).display());
        } else {
            eprintln!(
                "choose a backup to restore: sentinella db restore --db {} BACKUP",
                db.display()
            );
            for b in &backups {
                eprintln!(
                    "  {}  {:<20} {}",
                    store::format_italian(b.taken_at),
                    b.reason,
                    b.path.display()
                );
            }
        }
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    };
    let report = store::restore(db, backup)?;
    let mut t = String::new();
    if let Some(p) = &report.previous_backup {
        let _ = writeln!(t, "the previous content was backed up to {}", p.display());
    }
    if let Some(p) = &report.damaged_moved_to {
        let _ = writeln!(t, "the damaged database was moved to {}", p.display());
    }
    let _ = writeln!(t, "restored {} from {}", db.display(), backup.display());
    emit(&t)?;
    Ok(ExitCode::SUCCESS)
}

fn list_text(rows: &[store::ListedAssessment]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{:>5}  {:<10} {:<10} {:<16} {:<28} {:<16} {:>8}  {:<11} BASELINE",
        "ID", "DATE", "STATUS", "UPDATED", "ORGANIZATION", "QUESTIONNAIRE", "SCORE", "TIER"
    );
    for r in rows {
        let i = &r.info;
        let (score, tier, baseline) = match &r.score {
            Some(s) => (
                format!("{:.1}", round1(s.overall)),
                s.tier.id().to_string(),
                if s.baseline_met {
                    "met".to_string()
                } else {
                    format!("{} failed", s.gates_failed)
                },
            ),
            None => ("-".into(), "-".into(), "questionnaire not available".into()),
        };
        let name: String = i.organization.name.chars().take(28).collect();
        let _ = writeln!(
            t,
            "{:>5}  {:<10} {:<10} {:<16} {:<28} {:<16} {:>8}  {:<11} {}",
            i.id,
            i.assessed_on,
            i.status.id(),
            store::format_italian(i.updated_at),
            name,
            format!("{} {}", i.questionnaire.id, i.questionnaire.version),
            score,
            tier,
            baseline
        );
    }
    t
}

/// The crash-test child: create an assessment, then save answers forever
/// (up to `max_saves`), printing `saved <assessment> <question> <option> <seq>`
/// after each commit, and taking a backup every `backup_every` saves. Every
/// save carries its sequence number in the note.
fn crash_writer(
    db: &Path,
    catalog: &Catalog,
    questionnaire: Option<&str>,
    backup_every: u64,
    max_saves: u64,
) -> Result<ExitCode> {
    let entry = match questionnaire {
        Some(id) => catalog.latest(id),
        None => catalog.entries().first(),
    };
    let Some(entry) = entry else {
        bail!("no such questionnaire");
    };
    let q = &entry.questionnaire;
    let mut store = Store::open(db)?;
    let id = store.create_assessment(
        catalog,
        &NewAssessment {
            organization: sentinella::model::Organization {
                name: "Comune di Prova".into(),
                istat_code: "056044".into(),
                province: "VT".into(),
                region: "Lazio".into(),
                population: 605,
                kind: q.audience,
            },
            questionnaire: QuestionnaireRef {
                id: q.id.clone(),
                version: q.version.clone(),
            },
            content_hash: entry.content_hash.clone(),
            assessor_role: Some("crash test".into()),
            assessed_on: chrono::Utc::now().date_naive(),
        },
    )?;
    let mut out = std::io::stdout().lock();
    if writeln!(out, "created {id}")
        .and_then(|()| out.flush())
        .is_err()
    {
        return Ok(ExitCode::SUCCESS);
    }
    let questions: Vec<_> = q.questions().map(|(_, q)| q).collect();
    if questions.is_empty() {
        bail!("the questionnaire has no questions");
    }
    for seq in 0..max_saves {
        let question = questions[(seq % questions.len() as u64) as usize];
        let round = (seq / questions.len() as u64) as usize;
        let option = &question.options[round % question.options.len()];
        store.save_answer(
            catalog,
            id,
            &question.id,
            &option.id,
            Some(&format!("seq {seq}")),
        )?;
        if backup_every > 0 && seq % backup_every == backup_every - 1 {
            store.backup_now()?;
        }
        // The parent stopped listening: stop too.
        if writeln!(out, "saved {id} {} {} {seq}", question.id, option.id)
            .and_then(|()| out.flush())
            .is_err()
        {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}
