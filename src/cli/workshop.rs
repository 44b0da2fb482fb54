//! `sentinella workshop …`: workshop sessions from the command line, a thin
//! face over [`sentinella::usecase::workshop`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::{NaiveDate, Utc};
use clap::Subcommand;

use sentinella::load::Catalog;
use sentinella::store::workshop::WorkshopDb;
use sentinella::usecase::workshop::{self as ws, NewSession, Step};
use sentinella::workshop::{SessionSetup, TallySource};

use super::output::{emit_line, to_json};

#[derive(Debug, Subcommand)]
pub enum WorkshopCommand {
    /// Start a session; prints its id.
    New {
        /// The workshop database (created if missing; never the
        /// assessments database).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Questionnaire id (comune, sportello-polis).
        #[arg(long)]
        questionnaire: String,
        /// Cover only this domain (repeatable; default: all).
        #[arg(long = "domain", value_name = "ID")]
        domains: Vec<String>,
        /// Time plan in minutes.
        #[arg(long, default_value_t = 90)]
        minutes: u32,
        /// People in the room (the cap of every count).
        #[arg(long, default_value_t = 30)]
        room: u32,
    },
    /// List the sessions.
    List {
        /// The workshop database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record a show of hands for one question.
    Count {
        /// The workshop database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Session id.
        #[arg(long)]
        id: i64,
        /// Question id.
        #[arg(long)]
        question: String,
        /// Counts by option, in option order, comma-separated (`3,10,4,0,1`).
        #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
        counts: Vec<i64>,
    },
    /// Clear every count of a session (for a new group).
    Reset {
        /// The workshop database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Session id.
        #[arg(long)]
        id: i64,
    },
    /// Export a session as JSON (`sentinella-workshop/1`).
    Export {
        /// The workshop database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Session id.
        #[arg(long)]
        id: i64,
        /// Output file.
        #[arg(short, long, value_name = "SESSION.json")]
        out: PathBuf,
    },
    /// Import a session file as a new session; prints its id.
    Import {
        /// The workshop database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The session file.
        #[arg(value_name = "SESSION.json")]
        file: PathBuf,
    },
    /// Write the debrief PDF of an exported session.
    Debrief {
        /// The session file.
        #[arg(value_name = "SESSION.json")]
        file: PathBuf,
        /// Output PDF.
        #[arg(short, long, value_name = "DEBRIEF.pdf")]
        out: PathBuf,
        /// Date printed on the debrief (YYYY-MM-DD; default today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Test hook: save counts in a loop, printing each committed save
    /// (tests/workshop_crash.rs kills it).
    #[command(hide = true)]
    CrashWriter {
        /// The workshop database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Questionnaire id.
        #[arg(long)]
        questionnaire: String,
        /// First sequence number.
        #[arg(long, default_value_t = 0)]
        start: u64,
    },
}

/// Run a workshop subcommand.
pub fn run(command: WorkshopCommand, catalog: &Catalog) -> Result<ExitCode> {
    match command {
        WorkshopCommand::New {
            db,
            questionnaire,
            domains,
            minutes,
            room,
        } => {
            let mut db = open(&db)?;
            let new = NewSession {
                questionnaire,
                setup: SessionSetup {
                    domains,
                    minutes,
                    room_size: room,
                },
            };
            let (id, s) = ws::create(&mut db, catalog, &new, Utc::now())?;
            emit_line(&format!(
                "created session {id}: {} {}, {} questions, {} minutes, room of {}",
                s.questionnaire.id,
                s.questionnaire.version,
                s.len(),
                s.minutes,
                s.room_size
            ))?;
        }
        WorkshopCommand::List { db, json } => {
            let db = open_existing(&db)?;
            let list = ws::list(&db)?;
            if json {
                emit_line(&to_json(&list)?)?;
            } else if list.is_empty() {
                emit_line("no sessions")?;
            } else {
                for s in list {
                    emit_line(&format!(
                        "{:>4}  {} {}  question {}/{}  answered {:>3}  room {:>3}  {} min  updated {}",
                        s.id,
                        s.questionnaire.id,
                        s.questionnaire.version,
                        s.current + 1,
                        s.questions,
                        s.answered,
                        s.room_size,
                        s.minutes,
                        s.updated_at.format("%Y-%m-%d %H:%M UTC")
                    ))?;
                }
            }
        }
        WorkshopCommand::Count {
            db,
            id,
            question,
            counts,
        } => {
            let mut db = open_existing(&db)?;
            let step = Step::Counts {
                question: question.clone(),
                counts,
                source: TallySource::Hands,
            };
            let s = ws::apply(&mut db, catalog, id, &step, Utc::now())?;
            let total = s.tally(&question).map_or(0, |t| t.total());
            emit_line(&format!("session {id}: {question}: {total} answers saved"))?;
        }
        WorkshopCommand::Reset { db, id } => {
            let mut db = open_existing(&db)?;
            ws::apply(&mut db, catalog, id, &Step::Reset, Utc::now())?;
            emit_line(&format!("session {id}: every count cleared"))?;
        }
        WorkshopCommand::Export { db, id, out } => {
            let db = open_existing(&db)?;
            if sentinella::store::file::same_file(&out, db.path()) {
                bail!(
                    "{}: this is the workshop database; choose another output file",
                    out.display()
                );
            }
            let json = ws::export_json(&db, catalog, id)?;
            sentinella::store::file::write_atomic(&out, json.as_bytes())
                .with_context(|| format!("cannot write {}", out.display()))?;
            emit_line(&format!("wrote {}", out.display()))?;
        }
        WorkshopCommand::Import { db, file } => {
            // Check the file before the database is created or touched.
            ws::read_session_file(&file, catalog)?;
            let mut db = open(&db)?;
            let id = ws::import(&mut db, catalog, &file)?;
            emit_line(&format!("imported {} as session {id}", file.display()))?;
        }
        WorkshopCommand::Debrief { file, out, date } => {
            let on = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            let pdf = ws::debrief_file(&file, catalog, &out, on)?;
            emit_line(&format!(
                "wrote {} ({} pages, {} bytes)",
                out.display(),
                pdf.pages,
                pdf.bytes.len()
            ))?;
        }
        WorkshopCommand::CrashWriter {
            db,
            questionnaire,
            start,
        } => crash_writer(&db, catalog, &questionnaire, start)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn open(path: &Path) -> Result<WorkshopDb> {
    Ok(WorkshopDb::open(path)?)
}

fn open_existing(path: &Path) -> Result<WorkshopDb> {
    Ok(WorkshopDb::open_existing(path)?)
}

/// The counts the crash writer saves at sequence number `seq` for a
/// question with `options` options in a room of `room` (also computed by
/// the test): everyone in a few options, changing with `seq`.
pub fn crash_counts(seq: u64, options: usize, room: u32) -> Vec<i64> {
    let mut counts = vec![0_i64; options];
    let room = u64::from(room);
    let first = (seq % room) as i64;
    let o = options.max(1) as u64;
    counts[(seq % o) as usize] += first;
    counts[((seq / 7) % o) as usize] += ((seq / 3) % (room - (seq % room))) as i64;
    counts
}

/// Resume the first session of the database (or create one), then save
/// counts for question `seq % n`, move there, and print `saved <id> <seq>`
/// after each commit, forever.
fn crash_writer(db: &Path, catalog: &Catalog, questionnaire: &str, start: u64) -> Result<()> {
    let mut wdb = open(db)?;
    let id = match ws::list(&wdb)?.last() {
        Some(s) => s.id,
        None => {
            let new = NewSession {
                questionnaire: questionnaire.into(),
                setup: SessionSetup {
                    domains: Vec::new(),
                    minutes: 90,
                    room_size: 30,
                },
            };
            let (id, _) = ws::create(&mut wdb, catalog, &new, Utc::now())?;
            emit_line(&format!("created {id}"))?;
            id
        }
    };
    let (mut s, _) = ws::open(&wdb, catalog, id)?;
    let n = s.len() as u64;
    let mut seq = start;
    loop {
        let pos = (seq % n) as usize;
        let t = &s.tallies[pos];
        let counts = crash_counts(seq, t.counts.len(), s.room_size);
        let question = t.question_id.clone();
        ws::apply(
            &mut wdb,
            catalog,
            id,
            &Step::Counts {
                question,
                counts,
                source: TallySource::Hands,
            },
            Utc::now(),
        )?;
        s = ws::apply(
            &mut wdb,
            catalog,
            id,
            &Step::GoTo { index: pos as i64 },
            Utc::now(),
        )?;
        emit_line(&format!("saved {id} {seq}"))?;
        seq += 1;
    }
}
