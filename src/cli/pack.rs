//! `sentinella pack …`: the coordinator's packs from the command line, a
//! thin face over [`sentinella::usecase::pack`]. Every refused pack ends
//! with an English message and exit code 2, and changes nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::{NaiveDate, Utc};
use clap::{Subcommand, ValueEnum};

use sentinella::coordinator::CoordinatorDb;
use sentinella::ids::Fingerprint;
use sentinella::load::Catalog;
use sentinella::model::Audience;
use sentinella::pack::{self, Issuer, PackDraft};
use sentinella::store::file::clashing_input;
use sentinella::store::Store;
use sentinella::usecase::pack::{self as packs, ImportOutcome, PackSummary};

use super::output::{emit, to_json};
use super::EXIT_BAD_INPUT;

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Coordinator: write an empty draft (issuer and territory filled in)
    /// to edit, then sign with `pack sign`.
    New {
        /// The draft file to write (refused if it exists).
        #[arg(long, value_name = "DRAFT.json")]
        out: PathBuf,
        /// Who issues the packs ("ANCI Lazio").
        #[arg(long)]
        issuer: String,
        /// The territory ("Lazio").
        #[arg(long)]
        territory: String,
    },
    /// Coordinator: sign a draft with the next sequence number and write
    /// the pack file; it is recorded in the coordinator database's history.
    Sign {
        /// The draft (`sentinella-pack-draft/1`).
        #[arg(long, value_name = "DRAFT.json")]
        draft: PathBuf,
        /// Also distribute this questionnaire file (repeatable).
        #[arg(long, value_name = "FILE")]
        questionnaire: Vec<PathBuf>,
        /// Directory of this installation's signing key (created on first use).
        #[arg(long, value_name = "DIR")]
        keys: PathBuf,
        /// The coordinator database (sequence numbers and history).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The pack file to write.
        #[arg(long, value_name = "PACK.json")]
        out: PathBuf,
    },
    /// Verify a pack file and print what it holds (nothing is written).
    Show {
        /// The pack file.
        #[arg(value_name = "PACK.json")]
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Coordinator: the packs issued, newest first.
    History {
        /// The coordinator database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Comune or Polis office: import a pack into the database. The first
    /// pack of a coordinator needs --confirm with the fingerprint the
    /// coordinator reads out to you.
    Import {
        /// The pack file.
        #[arg(value_name = "PACK.json")]
        file: PathBuf,
        /// The database file (created if missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The coordinator's fingerprint, confirmed with them by phone.
        #[arg(long, value_name = "FINGERPRINT")]
        confirm: Option<Fingerprint>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The active alerts of the database (not expired).
    Alerts {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Only the alerts for this kind of organization.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// The day to judge expiry on (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// A comune.
    Comune,
    /// A Polis office.
    PolisOffice,
}

/// Run a `pack` subcommand.
pub fn run(command: PackCommand, catalog: impl FnOnce() -> Result<Catalog>) -> Result<ExitCode> {
    match command {
        PackCommand::New {
            out,
            issuer,
            territory,
        } => new(&out, issuer, territory),
        PackCommand::Sign {
            draft,
            questionnaire,
            keys,
            db,
            out,
        } => sign(&draft, &questionnaire, &keys, &db, &out),
        PackCommand::Show { file, json } => {
            let bytes = pack::read_pack_file(&file).map_err(|e| refused(&file, &e))?;
            match packs::show(&bytes, Utc::now()) {
                Ok(s) => {
                    print_summary(&s, "pack", json)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Err(refused(&file, &e)),
            }
        }
        PackCommand::History { db, json } => {
            let db = CoordinatorDb::open(&db)?;
            let list = packs::history(&db)?;
            if json {
                emit(&to_json(&list)?)?;
            } else if list.is_empty() {
                emit("no pack issued yet\n")?;
            } else {
                let mut t = String::new();
                for p in &list {
                    let _ = writeln!(
                        t,
                        "#{:<4} {}  {} alert(s), {} contact(s), {} questionnaire(s)  key {}  {}",
                        p.sequence,
                        p.issued_on,
                        p.alerts,
                        p.contacts,
                        p.questionnaires,
                        p.fingerprint,
                        p.written_to
                    );
                }
                emit(&t)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        PackCommand::Import {
            file,
            db,
            confirm,
            json,
        } => import(&file, &db, confirm.as_ref(), json, &catalog()?),
        PackCommand::Alerts {
            db,
            kind,
            date,
            json,
        } => {
            let store = Store::open_existing(&db)?;
            let today = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            let kind = kind.map(|k| match k {
                Kind::Comune => Audience::Comune,
                Kind::PolisOffice => Audience::PolisOffice,
            });
            let alerts = packs::active_alerts(&store, kind, today)?;
            if json {
                emit(&to_json(&alerts)?)?;
            } else if alerts.is_empty() {
                emit("no active alert\n")?;
            } else {
                let mut t = String::new();
                for a in &alerts {
                    let _ = writeln!(
                        t,
                        "[{}] {} ({}, until {}, for {})\n    {}",
                        a.severity.id(),
                        a.title,
                        a.date,
                        a.expires_on,
                        a.audience.id(),
                        a.text.replace('\n', "\n    ")
                    );
                }
                emit(&t)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The message of a refused pack: file name, then the reason.
fn refused(file: &Path, e: &dyn std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{}: pack refused: {e}", file.display())
}

fn new(out: &Path, issuer: String, territory: String) -> Result<ExitCode> {
    if out.exists() {
        bail!(
            "{}: the file exists; choose another name (a draft is never overwritten)",
            out.display()
        );
    }
    let draft = PackDraft::new(Issuer {
        name: issuer.trim().to_string(),
        territory: territory.trim().to_string(),
    });
    let text = serde_json::to_string_pretty(&draft)? + "\n";
    sentinella::store::file::write_atomic(out, text.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    emit(&format!(
        "wrote the draft {}: add alerts and contacts (see docs/packs.md), then `sentinella pack sign`\n",
        out.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn sign(
    draft_path: &Path,
    questionnaires: &[PathBuf],
    keys: &Path,
    db: &Path,
    out: &Path,
) -> Result<ExitCode> {
    let mut inputs = vec![draft_path, keys, db];
    inputs.extend(questionnaires.iter().map(PathBuf::as_path));
    if let Some(input) = clashing_input(out, inputs) {
        bail!(
            "--out {}: this is {}, an input of this command; choose another file",
            out.display(),
            input.display()
        );
    }
    let bytes = pack::read_pack_file(draft_path).map_err(|e| refused(draft_path, &e))?;
    let mut draft = pack::read_draft(&bytes).map_err(|e| refused(draft_path, &e))?;
    for q in questionnaires {
        let loaded = sentinella::load::questionnaire_file(q)?;
        draft.questionnaires.push((*loaded.questionnaire).clone());
    }
    let mut db = CoordinatorDb::open(db)?;
    let issued = packs::issue(draft, keys, &mut db, out, Utc::now())
        .map_err(|e| anyhow::anyhow!("{}: {e}", draft_path.display()))?;
    if issued.key_created {
        eprintln!(
            "created a new signing key in {}: read its fingerprint to the comuni when they confirm your first pack",
            keys.display()
        );
    }
    emit(&format!(
        "wrote pack #{} to {} ({} bytes), signed by key {}: {} alert(s), {} contact(s), {} questionnaire(s)\n",
        issued.summary.sequence,
        out.display(),
        issued.bytes,
        issued.summary.fingerprint,
        issued.summary.alerts.len(),
        issued.summary.contacts.len(),
        issued.summary.questionnaires.len()
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn import(
    file: &Path,
    db: &Path,
    confirm: Option<&Fingerprint>,
    json: bool,
    catalog: &Catalog,
) -> Result<ExitCode> {
    let bytes = pack::read_pack_file(file).map_err(|e| refused(file, &e))?;
    // A refused pack creates no database either.
    packs::show(&bytes, Utc::now()).map_err(|e| refused(file, &e))?;
    let mut store = Store::open(db)?;
    match packs::import(&mut store, catalog, &bytes, confirm, Utc::now()) {
        Ok(outcome) => {
            if json {
                emit(&to_json(&outcome)?)?;
            }
            match outcome {
                ImportOutcome::Applied(s) => {
                    if !json {
                        print_summary(&s, "applied pack", false)?;
                    }
                    Ok(ExitCode::SUCCESS)
                }
                ImportOutcome::NeedsConfirmation(s) => {
                    if !json {
                        print_summary(&s, "pack (not applied)", false)?;
                    }
                    eprintln!(
                        "error: {}: the first pack of a coordinator is applied only after you confirm its key: call {} and check that their fingerprint is {}, then run again with --confirm {}; nothing was changed",
                        file.display(),
                        s.issuer.name,
                        s.fingerprint,
                        s.fingerprint
                    );
                    Ok(ExitCode::from(EXIT_BAD_INPUT))
                }
            }
        }
        Err(e) => Err(refused(file, &e)),
    }
}

fn print_summary(s: &PackSummary, what: &str, json: bool) -> Result<()> {
    if json {
        return emit(&to_json(s)?);
    }
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{what} #{} of {} ({}), issued on {}, signed by key {}",
        s.sequence, s.issuer.name, s.issuer.territory, s.issued_on, s.fingerprint
    );
    if let Some(old) = &s.replaces_key {
        let _ = writeln!(t, "  the coordinator's key changed: was {old}");
    }
    let _ = writeln!(t, "  {} alert(s)", s.alerts.len());
    for a in &s.alerts {
        let _ = writeln!(
            t,
            "    [{}] {} (until {}, for {})",
            a.severity.id(),
            a.title,
            a.expires_on,
            a.audience.id()
        );
    }
    let _ = writeln!(t, "  {} territory contact(s)", s.contacts.len());
    for c in &s.contacts {
        let _ = writeln!(
            t,
            "    {}: {}{}{}",
            c.role.id(),
            c.name,
            c.phone
                .as_deref()
                .map(|p| format!(", phone {p}"))
                .unwrap_or_default(),
            c.email
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default()
        );
    }
    if !s.questionnaires.is_empty() {
        let _ = writeln!(t, "  questionnaires: {}", s.questionnaires.join(", "));
    }
    emit(&t)
}
