//! Sentinella: cyber-hygiene self-assessment for Italian comuni and Polis
//! post-office counters.
//!
//! The domain ([`model`], [`scoring`], [`plan`]) is pure: no files, no
//! database, no clock. Loading ([`load`]), storage, reports and exchange files
//! are layers around it; the command line and the desktop app are thin faces.
//!
//! Module index:
//! - [`model`]: the questionnaire and answers formats (serde + JSON Schema).
//! - [`controls`]: reference tables of ABSC, CIS, CSF 2.0 and ACN ids.
//! - [`validate`]: rules beyond the JSON shape, with JSON paths.
//! - [`load`]: files, size caps, format dispatch, content hash, catalog.
//! - [`scoring`]: the scoring model of docs/scoring.md.
//! - [`plan`]: the remediation plan and the comparison of two assessments.
//! - [`incident_card`]: the incident card per audience (who notifies whom).
//! - [`store`]: the SQLite database of assessments, backups, migrations.
//! - [`demo`]: deterministic example answers.
//! - [`report`]: the PDF remediation plan (printpdf + our own layout).
//! - [`schema`]: the JSON Schemas generated from the model.
//! - [`istat`]: the ISTAT list of comuni (compiled in).
//! - [`keys`]: the installation's Ed25519 signing key.
//! - [`exchange`]: signed result files (export, hardened verification).
//! - [`aggregate`]: coordinators' figures by territory, CSV exports.
//! - [`coordinator`]: the coordinator's database of collected result files.
//! - [`incident`]: "Incidente in corso" (contacts, triage, checklists,
//!   deadlines, drafts), pure; its use cases are [`usecase::incident`].
//! - [`pack`]: the coordinator's signed packs (alerts, territory
//!   contacts, questionnaire versions) for the comuni.
//! - [`ids`]: typed ids (assessment, ISTAT code, key fingerprint).
//! - [`usecase`]: every operation of the two faces, with typed inputs,
//!   results and errors: the CLI and the app are adapters over it.
//! - [`workshop`]: workshop mode for trainers (sessions, the group's
//!   answers), pure; its use cases are [`usecase::workshop`].

pub mod aggregate;
pub mod controls;
pub mod coordinator;
pub mod demo;
pub mod exchange;
pub mod ids;
pub mod incident;
pub mod incident_card;
pub mod istat;
pub mod keys;
pub mod load;
pub mod model;
pub mod pack;
pub mod plan;
pub mod report;
pub mod schema;
pub mod scoring;
pub mod store;
pub mod usecase;
pub mod validate;
pub mod workshop;
