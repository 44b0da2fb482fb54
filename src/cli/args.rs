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
        /// Write the plan as a PDF to this file instead of printing it.
        #[arg(long, value_name = "OUT.pdf")]
        pdf: Option<PathBuf>,
        /// An older answers file of the same organization: the PDF gets a
        /// "what changed" section.
        #[arg(long, value_name = "OLDER_ANSWERS", requires = "pdf")]
        previous: Option<PathBuf>,
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
}
