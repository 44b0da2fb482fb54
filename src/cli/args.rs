//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use sentinella::coordinator::Acceptance;

use sentinella::ids::{AssessmentId, Fingerprint};

/// Cyber-hygiene self-assessment for Italian comuni and Polis post-office counters.
#[derive(Debug, Parser)]
#[command(name = "sentinella", version, about, long_about = None)]
pub struct Cli {
    /// Also load the questionnaires in this directory (repeatable); they
    /// replace built-in ones with the same id and version.
    #[arg(long = "questionnaires", value_name = "DIR", global = true)]
    pub questionnaire_dirs: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the available questionnaires.
    Questionnaires {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Validate questionnaire files (or every *.json file of a directory).
    Validate {
        /// Files or directories.
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
    },
    /// Score an answers file, or an assessment of a database.
    Score {
        /// The answers file.
        #[arg(
            value_name = "ANSWERS",
            required_unless_present = "db",
            conflicts_with = "db"
        )]
        answers: Option<PathBuf>,
        #[command(flatten)]
        source: DbAssessment,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the remediation plan of an answers file, or of an assessment of
    /// a database.
    Plan {
        /// The answers file.
        #[arg(
            value_name = "ANSWERS",
            required_unless_present = "db",
            conflicts_with = "db"
        )]
        answers: Option<PathBuf>,
        #[command(flatten)]
        source: DbAssessment,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Write the plan as a PDF to this file instead of printing it.
        #[arg(long, value_name = "OUT.pdf")]
        pdf: Option<PathBuf>,
        /// An older answers file of the same organization: the PDF gets a
        /// "what changed" section.
        #[arg(long, value_name = "OLDER_ANSWERS", requires = "pdf")]
        previous: Option<PathBuf>,
    },
    /// Write the questionnaire on paper (every question with boxes to tick)
    /// and the letter with every question for the IT supplier, as a PDF.
    Blank {
        /// Questionnaire id (see `questionnaires`); its newest version.
        #[arg(long, value_name = "ID", default_value = "comune")]
        questionnaire: String,
        /// The PDF to write.
        #[arg(long, value_name = "OUT.pdf")]
        out: PathBuf,
    },
    /// "Incidente in corso": open an incident, keep its log, print the
    /// deadlines and the ready drafts; set the emergency contacts.
    Incident {
        #[command(subcommand)]
        command: super::incident::IncidentCommand,
    },
    /// Workshop mode for trainers: sessions, the group's counts, session
    /// files and the debrief PDF.
    Workshop {
        #[command(subcommand)]
        command: super::workshop::WorkshopCommand,
    },
    /// Work with a Sentinella database: check, back up, restore, import,
    /// export, list.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Write example answers (struggling, average, well-run) for every
    /// questionnaire, with their scores and plans (text, JSON and PDF).
    Demo {
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Assessment date of the examples (YYYY-MM-DD); default today.
        #[arg(long, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
    },
    /// Write a signed result file for the coordinator from an answers file
    /// or an assessment of a database (notes are left out unless
    /// --with-notes).
    Export {
        /// The answers file.
        #[arg(
            long,
            value_name = "ANSWERS",
            required_unless_present = "db",
            conflicts_with = "db"
        )]
        answers: Option<PathBuf>,
        #[command(flatten)]
        source: DbAssessment,
        /// The result file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Include the free-text notes (they may describe weaknesses in detail).
        #[arg(long)]
        with_notes: bool,
        /// Directory of this installation's signing key (created on first use).
        #[arg(long, value_name = "DIR")]
        keys: PathBuf,
    },
    /// Verify result files: signature, format, questionnaire, answers; the
    /// scores are recomputed.
    Verify {
        /// Result files, or directories of *.json result files.
        #[arg(
            value_name = "FILE_OR_DIR",
            required_unless_present = "db",
            conflicts_with = "db"
        )]
        paths: Vec<PathBuf>,
        /// Verify again every current result stored in this coordinator
        /// database (the results its figures are made of).
        #[arg(long, value_name = "FILE", conflicts_with = "key")]
        db: Option<PathBuf>,
        /// Require this signer (public-key fingerprint, e.g. 3F2A-9C01-77DE-B410).
        #[arg(long, value_name = "FINGERPRINT")]
        key: Option<Fingerprint>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Verify result files and import them into a coordinator database:
    /// each file atomically; a report of accepted, replaced, held-back and
    /// rejected files.
    Collect {
        /// Result files, or directories of *.json result files.
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        /// The coordinator database (created if missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Accept this key for this comune or Polis office even where
        /// another key is on record, after confirming its fingerprint with
        /// them (repeatable), e.g. 056044:comune:3F2A-9C01-77DE-B410.
        #[arg(long, value_name = "CODE:KIND:FINGERPRINT")]
        accept_key: Vec<Acceptance>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the signing keys on record in a coordinator database: one per
    /// comune or Polis office, with its fingerprint and when it was first
    /// seen (or last accepted).
    Keys {
        /// The coordinator database.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Aggregate result files, or the current results of a coordinator
    /// database, by region, province and population band.
    Aggregate(AggregateArgs),
    /// The coordinator's signed packs: alerts, territory contacts and
    /// questionnaire versions sent back to the comuni (new, sign, show,
    /// history; import and alerts on the comune's side).
    Pack {
        #[command(subcommand)]
        command: super::pack::PackCommand,
    },
}

/// The arguments of `aggregate`.
#[derive(Debug, clap::Args)]
pub struct AggregateArgs {
    /// Result files, or directories of *.json result files.
    #[arg(
        value_name = "FILE_OR_DIR",
        required_unless_present = "db",
        conflicts_with = "db"
    )]
    pub paths: Vec<PathBuf>,
    /// A coordinator database (see `collect`) instead of files.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// With files: accept this key for this comune or Polis office, as
    /// `collect --accept-key` does (repeatable).
    #[arg(long, value_name = "CODE:KIND:FINGERPRINT", conflicts_with = "db")]
    pub accept_key: Vec<Acceptance>,
    /// Only this region (e.g. "Lazio").
    #[arg(long, value_name = "NAME", conflicts_with = "province")]
    pub region: Option<String>,
    /// Only this province (abbreviation "VT", ISTAT code "056" or name).
    #[arg(long, value_name = "CODE")]
    pub province: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write one CSV row per comune to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write one CSV row per comune and question to this file.
    #[arg(long, value_name = "FILE")]
    pub csv_answers: Option<PathBuf>,
    /// Write the territorial summary (PDF, in Italian) to this file.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Show no figure for groups of fewer comuni than this.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub min_group: u32,
}

/// `--db FILE --assessment ID`: an assessment stored in a database.
#[derive(Debug, clap::Args)]
pub struct DbAssessment {
    /// The database file.
    #[arg(long, value_name = "FILE", requires = "assessment")]
    pub db: Option<PathBuf>,
    /// The assessment id (see `sentinella db list`).
    #[arg(long, value_name = "ID", requires = "db")]
    pub assessment: Option<AssessmentId>,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Check a database without changing it: format, schema version,
    /// integrity, counts and backups.
    Check {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
    /// Take a backup now (kept beside the database, newest seven).
    Backup {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
    /// Restore the database from a backup; without BACKUP, list the backups.
    Restore {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The backup file to restore.
        #[arg(value_name = "BACKUP")]
        backup: Option<PathBuf>,
    },
    /// Import an answers file as a new assessment (the database is created
    /// if missing).
    Import {
        /// The answers file.
        #[arg(value_name = "ANSWERS")]
        answers: PathBuf,
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Store the assessment as completed rather than draft.
        #[arg(long)]
        completed: bool,
    },
    /// Export an assessment as an answers file.
    Export {
        /// The assessment id (see `sentinella db list`).
        #[arg(value_name = "ASSESSMENT")]
        assessment: AssessmentId,
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List the assessments with their scores.
    List {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Test helper for the crash-safety tests: save answers in a loop and
    /// print one line per committed save.
    #[command(hide = true)]
    CrashWriter {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Questionnaire id (default: the first available).
        #[arg(long, value_name = "ID")]
        questionnaire: Option<String>,
        /// Also take a backup every N saves (0: never).
        #[arg(long, default_value_t = 0)]
        backup_every: u64,
        /// Stop after this many saves.
        #[arg(long, default_value_t = 100_000)]
        max_saves: u64,
    },
}
