//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
    /// Score an answers file.
    Score {
        /// The answers file.
        #[arg(value_name = "ANSWERS")]
        answers: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the remediation plan of an answers file.
    Plan {
        /// The answers file.
        #[arg(value_name = "ANSWERS")]
        answers: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write example answers (struggling, average, well-run) for every
    /// questionnaire, with their scores and plans.
    Demo {
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Assessment date of the examples (YYYY-MM-DD); default today.
        #[arg(long, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
    },
    /// Write a signed result file for the coordinator from an answers file
    /// (notes are left out unless --with-notes).
    Export {
        /// The answers file.
        #[arg(long, value_name = "ANSWERS")]
        answers: PathBuf,
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
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        /// Require this signer (public-key fingerprint, e.g. 3F2A-9C01-77DE-B410).
        #[arg(long, value_name = "FINGERPRINT")]
        key: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Aggregate result files by region, province and population band.
    Aggregate {
        /// Result files, or directories of *.json result files.
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        /// Only this region (e.g. "Lazio").
        #[arg(long, value_name = "NAME", conflicts_with = "province")]
        region: Option<String>,
        /// Only this province (abbreviation "VT", ISTAT code "056" or name).
        #[arg(long, value_name = "CODE")]
        province: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Write one CSV row per comune to this file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Write one CSV row per comune and question to this file.
        #[arg(long, value_name = "FILE")]
        csv_answers: Option<PathBuf>,
        /// Show no figure for groups of fewer comuni than this.
        #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
        min_group: u32,
    },
}
