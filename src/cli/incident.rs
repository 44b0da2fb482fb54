//! `sentinella incident …`: the incident section from the command line, a
//! thin face over [`sentinella::usecase::incident`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use clap::{Subcommand, ValueEnum};
use serde::Deserialize;

use sentinella::incident::deadlines::{Countdown, Duty};
use sentinella::incident::{ContactRole, LogKind};
use sentinella::model::Organization;
use sentinella::store::{format_italian, Store};
use sentinella::usecase::incident::{self as respond, ContactInput};

/// Largest incident or contacts JSON file read.
const MAX_INPUT_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Open an incident from a JSON description (`sentinella-incident/1`);
    /// prints its id.
    Open {
        /// The description file.
        #[arg(value_name = "INCIDENT.json")]
        file: PathBuf,
        /// The database file (created if missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
    /// Append an entry to the incident's log.
    Log {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
        /// What the entry records.
        #[arg(long, value_enum, default_value_t = Kind::Fact)]
        kind: Kind,
        /// For a call: who was called (incident_lead, it_support, dpo, head,
        /// cosc, poste_security).
        #[arg(long)]
        contact: Option<String>,
        /// The text.
        text: String,
    },
    /// Mark a checklist step or a deadline (`deadline:garante`, …) done.
    Mark {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
        /// Step id or `deadline:<id>`.
        item: String,
        /// Mark it not done instead.
        #[arg(long)]
        undo: bool,
    },
    /// Set the details the notification needs (replaces the previous ones).
    Details {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
        /// What was seen.
        #[arg(long, default_value = "")]
        summary: String,
        /// Which kinds of personal data (anagrafe, tributi, ...).
        #[arg(long, default_value = "")]
        categories: String,
        /// About how many people are concerned.
        #[arg(long)]
        people: Option<u64>,
        /// About how many records are concerned.
        #[arg(long)]
        records: Option<u64>,
    },
    /// Print the deadlines counted from the discovery time.
    Deadlines {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
        /// Count to this instant instead of now (RFC 3339).
        #[arg(long)]
        now: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the incident: triage, checklist with ticks, log.
    Show {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the ready drafts (Garante, CSIRT Italia, Polizia Postale, note).
    Drafts {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
    },
    /// Write the PDF incident report (timeline, decisions, contacts, drafts).
    Report {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
        /// Where to write the PDF.
        #[arg(long, value_name = "OUT.pdf")]
        pdf: PathBuf,
    },
    /// List the incidents (or, with --exercises, the exercises).
    List {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// List exercises instead of real incidents.
        #[arg(long)]
        exercises: bool,
    },
    /// Close an incident.
    Close {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Incident id.
        #[arg(long)]
        id: i64,
    },
    /// Set the emergency contacts of an organisation from a JSON file
    /// (`{"organization": {…}, "contacts": [{"role", "name", "phone",
    /// "email"}]}`); roles not listed are removed.
    Contacts {
        /// The contacts file.
        #[arg(value_name = "CONTACTS.json")]
        file: PathBuf,
        /// The database file (created if missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
    /// Test helper for the crash-safety test: open an incident and append
    /// log entries in a loop, printing one line per committed entry.
    #[command(hide = true)]
    CrashWriter {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Stop after this many entries.
        #[arg(long, default_value_t = 100_000)]
        max_entries: u64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Fact,
    Decision,
    Call,
}

impl From<Kind> for LogKind {
    fn from(k: Kind) -> LogKind {
        match k {
            Kind::Fact => LogKind::Fact,
            Kind::Decision => LogKind::Decision,
            Kind::Call => LogKind::Call,
        }
    }
}

fn read_input(path: &Path) -> Result<String> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > MAX_INPUT_BYTES {
        bail!(
            "{}: the file is larger than {} bytes",
            path.display(),
            MAX_INPUT_BYTES
        );
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Write to stdout; a closed pipe ends the output quietly.
fn out(text: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes()).and_then(|()| o.flush());
}

fn countdown_text(c: Countdown) -> String {
    let hm = |s: i64| format!("{} h {:02} min", s / 3600, (s % 3600) / 60);
    match c {
        Countdown::Done => "done".into(),
        Countdown::Open { seconds_left } => format!("{} left", hm(seconds_left)),
        Countdown::Overdue { seconds_late } => format!("overdue by {}", hm(seconds_late)),
        Countdown::NoDeadline => "no fixed deadline".into(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactsFile {
    organization: Organization,
    contacts: Vec<ContactInput>,
}

/// Run an `incident` subcommand.
pub fn run(command: IncidentCommand) -> Result<ExitCode> {
    let now = Utc::now();
    match command {
        IncidentCommand::Open { file, db } => {
            let text = read_input(&file)?;
            let mut store = Store::open(&db)?;
            let id = respond::open_from_json(&mut store, &text, now)
                .with_context(|| format!("{}", file.display()))?;
            out(&format!("{id}\n"));
        }
        IncidentCommand::Log {
            db,
            id,
            kind,
            contact,
            text,
        } => {
            let contact = match contact.as_deref() {
                None => None,
                Some(c) => Some(
                    ContactRole::from_id(c)
                        .with_context(|| format!("--contact: unknown role {c:?}"))?,
                ),
            };
            let mut store = Store::open_existing(&db)?;
            let e = respond::add_entry(&mut store, id, kind.into(), &text, contact)?;
            out(&format!("saved entry {} at {}\n", e.seq, e.at.to_rfc3339()));
        }
        IncidentCommand::Mark { db, id, item, undo } => {
            let mut store = Store::open_existing(&db)?;
            let at = respond::mark(&mut store, id, &item, !undo)?;
            out(&format!(
                "{item} marked {} at {}\n",
                if undo { "not done" } else { "done" },
                at.to_rfc3339()
            ));
        }
        IncidentCommand::Details {
            db,
            id,
            summary,
            categories,
            people,
            records,
        } => {
            let mut store = Store::open_existing(&db)?;
            respond::update_details(
                &mut store,
                id,
                respond::TriageDetails {
                    summary,
                    data_categories: categories,
                    people_estimate: people,
                    records_estimate: records,
                },
                now,
            )?;
            out("details saved\n");
        }
        IncidentCommand::Deadlines {
            db,
            id,
            now: at,
            json,
        } => {
            let at = match at {
                Some(s) => DateTime::parse_from_rfc3339(&s)
                    .with_context(|| format!("--now: {s:?} is not an RFC 3339 time"))?
                    .with_timezone(&Utc),
                None => now,
            };
            let store = Store::open_existing(&db)?;
            let inc = store.load_incident(id)?;
            let views = respond::deadline_views(&inc, at);
            if json {
                out(&format!("{}\n", serde_json::to_string_pretty(&views)?));
            } else {
                if views.is_empty() {
                    out("No notification deadline for this triage.\n");
                }
                for v in &views {
                    let duty = match v.deadline.duty {
                        Duty::Required => "required",
                        Duty::ToAssess => "to assess",
                        Duty::Voluntary => "voluntary",
                    };
                    let due = v.deadline.due.map_or_else(
                        || "-".to_string(),
                        |d| format!("{} (Italian time {})", d.to_rfc3339(), format_italian(d)),
                    );
                    out(&format!(
                        "{:<12} {duty:<10} due {due}: {}\n             source: {}\n",
                        v.deadline.kind.id(),
                        countdown_text(v.countdown),
                        v.deadline.source
                    ));
                }
            }
        }
        IncidentCommand::Show { db, id, json } => {
            let store = Store::open_existing(&db)?;
            let v = respond::view(&store, id, now)?;
            if json {
                out(&format!("{}\n", serde_json::to_string_pretty(&v)?));
            } else {
                let i = &v.incident;
                out(&format!(
                    "Incident {}{} — {} — {}\nDiscovered {} (Italian time {})\n\nChecklist {}:\n",
                    i.id,
                    if i.exercise { " (EXERCISE)" } else { "" },
                    i.organization.name,
                    i.triage.case.id(),
                    i.triage.discovered_at.to_rfc3339(),
                    format_italian(i.triage.discovered_at),
                    v.checklist.version
                ));
                for s in &v.checklist.steps {
                    let mark = i.done.get(&s.id).map_or_else(
                        || "[ ]".to_string(),
                        |t| format!("[x {}]", format_italian(*t)),
                    );
                    out(&format!("{mark} {}: {}\n", s.id, s.text));
                }
                out("\nLog:\n");
                for e in &i.log {
                    out(&format!(
                        "{} {} {}\n",
                        format_italian(e.at),
                        e.kind.id(),
                        e.text
                    ));
                }
            }
        }
        IncidentCommand::Drafts { db, id } => {
            let store = Store::open_existing(&db)?;
            for d in respond::drafts(&store, id, now)? {
                out(&format!(
                    "===== {} ({})\n{}\n\n{}\n",
                    d.title,
                    d.kind.id(),
                    d.destination,
                    d.text
                ));
            }
        }
        IncidentCommand::Report { db, id, pdf } => {
            let store = Store::open_existing(&db)?;
            let rendered = respond::report_pdf(&store, id, now)?;
            std::fs::write(&pdf, &rendered.bytes)
                .with_context(|| format!("cannot write {}", pdf.display()))?;
            out(&format!("wrote {}\n", pdf.display()));
        }
        IncidentCommand::List { db, exercises } => {
            let store = Store::open_existing(&db)?;
            for s in store.list_incidents(exercises)? {
                out(&format!(
                    "{}\t{}\t{}\t{}\t{} entries{}\n",
                    s.id,
                    s.discovered_at.to_rfc3339(),
                    s.organization,
                    s.case.id(),
                    s.entries,
                    if s.closed_at.is_some() {
                        "\tclosed"
                    } else {
                        ""
                    }
                ));
            }
        }
        IncidentCommand::Close { db, id } => {
            let mut store = Store::open_existing(&db)?;
            respond::close(&mut store, id)?;
            out(&format!("incident {id} closed\n"));
        }
        IncidentCommand::Contacts { file, db } => {
            let text = read_input(&file)?;
            let de = &mut serde_json::Deserializer::from_str(&text);
            let parsed: ContactsFile = serde_path_to_error::deserialize(de)
                .with_context(|| format!("{}", file.display()))?;
            let mut store = Store::open(&db)?;
            let saved = respond::save_contacts(&mut store, &parsed.organization, &parsed.contacts)?;
            out(&format!("{} contacts saved\n", saved.len()));
        }
        IncidentCommand::CrashWriter { db, max_entries } => {
            return crash_writer(&db, max_entries);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn crash_writer(db: &Path, max_entries: u64) -> Result<ExitCode> {
    let mut store = Store::open(db)?;
    let json = format!(
        r#"{{"format":"sentinella-incident/1","organization":{{"name":"Comune di Prova","istat_code":"056044","province":"VT","region":"Lazio","population":605,"kind":"comune"}},"case":"ransomware","personal_data":"unknown","discovered_at":"{}"}}"#,
        Utc::now().to_rfc3339()
    );
    let id = respond::open_from_json(&mut store, &json, Utc::now())?;
    let mut o = std::io::stdout().lock();
    if writeln!(o, "opened {id}").and_then(|()| o.flush()).is_err() {
        return Ok(ExitCode::SUCCESS);
    }
    for n in 0..max_entries {
        let e = respond::add_entry(
            &mut store,
            id,
            LogKind::Fact,
            &format!("entry {n} of incident {id}: typed while the office was under attack"),
            None,
        )?;
        if writeln!(o, "logged {id} {} {n}", e.seq)
            .and_then(|()| o.flush())
            .is_err()
        {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}
