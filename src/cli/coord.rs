//! The coordinators' commands: `export`, `verify` and `aggregate`, working
//! directly on result files (the `--db` forms come with the store).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use sentinella::aggregate::{
    self, table, AggregateOptions, GroupStats, Report, Scope, DEFAULT_TOP,
};
use sentinella::coordinator::{self, Acceptance, CoordinatorDb, FileReport, Outcome};
use sentinella::exchange::{self, ExportOptions, ResultError, VerifiedResult};
use sentinella::istat::IstatList;
use sentinella::keys::KeyPair;
use sentinella::load::{self, Catalog};
use sentinella::scoring::{self, round1};
use sentinella::store::file::clashing_input;
use sentinella::store::{Status, Store};

use super::args::DbAssessment;

use super::output::to_json;
use super::EXIT_BAD_INPUT;

/// Print to standard output, control and bidi characters escaped (names
/// and file names come from outside); a closed pipe (`| head`) is not an
/// error.
fn emit(text: &str) -> Result<()> {
    use std::io::Write as _;
    let text = sentinella::validate::printable(text);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// `sentinella export`.
pub fn export(
    catalog: &Catalog,
    answers: Option<&Path>,
    source: &DbAssessment,
    out: &Path,
    with_notes: bool,
    keys: &Path,
) -> Result<ExitCode> {
    let inputs = [answers, source.db.as_deref(), Some(keys)];
    if let Some(input) = clashing_input(out, inputs.into_iter().flatten()) {
        bail!(
            "--out {}: this is {}, an input of this command; choose another file",
            out.display(),
            input.display()
        );
    }
    let loaded = super::db::answers_from(answers, source, catalog)?;
    // An assessment of the database gets an id unique to this installation
    // and stable across re-exports: its creation time and row id.
    let assessment_id = match (&source.db, source.assessment) {
        (Some(db), Some(id)) => {
            let info = Store::open_existing(db)?.assessment_info(id)?;
            if info.status != Status::Completed {
                eprintln!(
                    "warning: assessment {id} is still a draft; the coordinator will receive it as it is now"
                );
            }
            Some(exchange::store_assessment_id(
                &info.organization.istat_code,
                &info.created_at,
                id,
            ))
        }
        _ => None,
    };
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let key = KeyPair::load_or_create(keys)?;
    if key.created {
        eprintln!(
            "created a new signing key in {} (fingerprint {}): tell your coordinator this fingerprint",
            keys.display(),
            key.fingerprint()
        );
    }
    let opts = ExportOptions {
        with_notes,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at: chrono::Utc::now(),
        assessment_id,
    };
    let (payload, bytes) = exchange::export_result(&loaded, &key, &opts)?;
    exchange::write_atomic(out, &bytes)
        .with_context(|| format!("cannot write {}", out.display()))?;
    let notes = loaded
        .sheet
        .answers
        .values()
        .filter(|a| a.note.is_some())
        .count();
    println!(
        "wrote {} — {} ({}), {} {}, overall {:.1}, notes {}; signed by key {}",
        out.display(),
        loaded.sheet.organization.name,
        loaded.sheet.organization.istat_code,
        payload.questionnaire.id,
        payload.questionnaire.version,
        round1(score.overall),
        match (with_notes, notes) {
            (_, 0) => "none".to_string(),
            (true, n) => format!("included ({n})"),
            (false, n) => format!("left out ({n}; use --with-notes to include them)"),
        },
        key.fingerprint()
    );
    Ok(ExitCode::SUCCESS)
}

/// The files named on the command line: files as given, directories
/// expanded to their `*.json` files (not recursive), sorted.
fn result_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = load::json_files(path)?;
            if found.is_empty() {
                eprintln!(
                    "warning: {}: no *.json files here",
                    sentinella::validate::printable(&path.display().to_string())
                );
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

#[derive(Serialize)]
struct VerifyRow {
    file: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    istat_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    questionnaire: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assessed_on: Option<chrono::NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overall: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_met: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

impl VerifyRow {
    fn rejected(file: &Path, e: &ResultError) -> VerifyRow {
        VerifyRow {
            file: file.display().to_string(),
            ok: false,
            error_kind: Some(e.kind()),
            error: Some(e.to_string()),
            istat_code: None,
            organization: None,
            questionnaire: None,
            version: None,
            assessed_on: None,
            overall: None,
            tier: None,
            baseline_met: None,
            fingerprint: None,
            warnings: Vec::new(),
        }
    }

    fn accepted(file: &Path, v: &VerifiedResult) -> VerifyRow {
        VerifyRow {
            file: file.display().to_string(),
            ok: true,
            error_kind: None,
            error: None,
            istat_code: Some(v.payload.organization.istat_code.clone()),
            organization: Some(v.payload.organization.name.clone()),
            questionnaire: Some(v.payload.questionnaire.id.clone()),
            version: Some(v.payload.questionnaire.version.clone()),
            assessed_on: Some(v.payload.assessed_on),
            overall: Some(round1(v.score.overall)),
            tier: Some(v.score.tier.id()),
            baseline_met: Some(v.score.baseline.met),
            fingerprint: Some(v.fingerprint.clone()),
            warnings: v.warnings.clone(),
        }
    }
}

/// `sentinella verify`.
pub fn verify(
    catalog: &Catalog,
    paths: &[PathBuf],
    key: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    let files = result_files(paths)?;
    let wanted = key.map(coordinator::normalize);
    if wanted.as_ref().is_some_and(|k| k.len() != 16) {
        bail!("--key: a fingerprint has 16 hex digits, like 3F2A-9C01-77DE-B410");
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rows = exchange::verify_each(&files, catalog, threads, |file, outcome| {
        let outcome = outcome.and_then(|v| match &wanted {
            Some(k) if &coordinator::normalize(&v.fingerprint) != k => Err(ResultError::OtherKey {
                found: v.fingerprint.clone(),
                expected: key.unwrap_or_default().to_string(),
            }),
            _ => Ok(v),
        });
        match &outcome {
            Ok(v) => VerifyRow::accepted(file, v),
            Err(e) => VerifyRow::rejected(file, e),
        }
    });
    let rejected = rows.iter().filter(|r| !r.ok).count();
    let mut t = String::new();
    if json {
        t = to_json(&rows)?;
    } else {
        for r in &rows {
            if r.ok {
                let _ = writeln!(
                    t,
                    "ok        {}  {} ({}), {} {}, assessed {}, overall {:.1} (recomputed), key {}",
                    r.file,
                    r.organization.as_deref().unwrap_or_default(),
                    r.istat_code.as_deref().unwrap_or_default(),
                    r.questionnaire.as_deref().unwrap_or_default(),
                    r.version.as_deref().unwrap_or_default(),
                    r.assessed_on.map(|d| d.to_string()).unwrap_or_default(),
                    r.overall.unwrap_or_default(),
                    r.fingerprint.as_deref().unwrap_or_default(),
                );
                for w in &r.warnings {
                    eprintln!(
                        "warning: {}",
                        sentinella::validate::printable(&format!("{}: {w}", r.file))
                    );
                }
            } else {
                let _ = writeln!(
                    t,
                    "REJECTED  {}: {}",
                    r.file,
                    r.error.as_deref().unwrap_or_default()
                );
            }
        }
        let _ = writeln!(
            t,
            "{} file(s): {} verified, {} rejected",
            rows.len(),
            rows.len() - rejected,
            rejected
        );
    }
    emit(&t)?;
    Ok(if rejected > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Serialize)]
struct CollectJson<'a> {
    database: String,
    files: usize,
    counts: std::collections::BTreeMap<&'static str, usize>,
    reports: &'a [FileReport],
    stored: coordinator::Counts,
}

/// `sentinella collect`.
pub fn collect(
    catalog: &Catalog,
    paths: &[PathBuf],
    db: &Path,
    accept_key: &[Acceptance],
    json: bool,
) -> Result<ExitCode> {
    use std::io::IsTerminal as _;
    let accept: std::collections::BTreeSet<Acceptance> = accept_key.iter().cloned().collect();
    let files = result_files(paths)?;
    let mut database = CoordinatorDb::open(db)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let show_progress = !json && std::io::stderr().is_terminal() && files.len() >= 200;
    let reports =
        coordinator::collect_files(&mut database, &files, catalog, &accept, threads, |p| {
            if show_progress {
                eprint!("\rimported {} of {} files", p.done, p.total);
            }
        })?;
    if show_progress {
        eprintln!();
    }
    let mut counts = std::collections::BTreeMap::new();
    for r in &reports {
        *counts.entry(r.outcome.id()).or_insert(0) += 1;
    }
    let stored = database.counts()?;
    let text = if json {
        to_json(&CollectJson {
            database: db.display().to_string(),
            files: files.len(),
            counts: counts.clone(),
            reports: &reports,
            stored,
        })?
    } else {
        let mut t = String::new();
        for r in &reports {
            let who = match (&r.organization, &r.istat_code) {
                (Some(o), Some(c)) => format!("  {o} ({c})"),
                _ => String::new(),
            };
            let hint = match r.acceptance() {
                Some(a) if r.expected_signer.is_some() => {
                    format!("; to accept it, run collect again with --accept-key {a}")
                }
                _ => String::new(),
            };
            let _ = writeln!(
                t,
                "{:<10} {}{who}{}{hint}",
                r.outcome.id().to_uppercase(),
                r.source,
                r.message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(
            t,
            "{} file(s): {}",
            files.len(),
            counts
                .iter()
                .map(|(k, v)| format!("{v} {}", k.replace('_', " ")))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            t,
            "{}: {} comuni/offices with a key on record, {} results stored, {} current",
            db.display(),
            stored.keys,
            stored.results,
            stored.current
        );
        t
    };
    emit(&text)?;
    let held = counts.get("held_back").copied().unwrap_or(0);
    let rejected = counts.get("rejected").copied().unwrap_or(0);
    if held > 0 && !json {
        eprintln!(
            "WARNING: {held} file(s) held back: signed by a key other than the one on record for that comune. Confirm the new fingerprint with the comune before accepting it (--accept-key)."
        );
    }
    Ok(if held + rejected > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

/// `sentinella keys`.
pub fn keys(db: &Path, json: bool) -> Result<ExitCode> {
    if !db.exists() {
        bail!("{}: no such coordinator database", db.display());
    }
    let keys = CoordinatorDb::open(db)?.keys()?;
    let text = if json {
        to_json(&keys)?
    } else {
        let mut t = String::new();
        for k in &keys {
            let _ = writeln!(
                t,
                "{}  {:<12} {}  {}  (since {})",
                k.istat_code, k.kind, k.fingerprint, k.organization, k.recorded_at
            );
        }
        let _ = writeln!(t, "{} key(s) on record", keys.len());
        t
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// A file left out of the aggregation, and why.
#[derive(Debug, Serialize)]
struct Rejection {
    file: String,
    kind: &'static str,
    reason: String,
}

#[derive(Serialize)]
struct ImportSummary {
    files: usize,
    accepted: usize,
    superseded: usize,
    duplicates: usize,
    held_back: usize,
    rejected: usize,
}

#[derive(Serialize)]
struct AggregateJson<'a> {
    import: ImportSummary,
    rejected: &'a [Rejection],
    held_back: &'a [Rejection],
    reports: &'a [Report],
}

/// What `aggregate` reads from its arguments.
#[derive(Debug)]
pub struct AggregateArgs {
    pub paths: Vec<PathBuf>,
    pub db: Option<PathBuf>,
    pub accept: std::collections::BTreeSet<Acceptance>,
    pub region: Option<String>,
    pub province: Option<String>,
    pub json: bool,
    pub csv: Option<PathBuf>,
    pub csv_answers: Option<PathBuf>,
    pub pdf: Option<PathBuf>,
    pub min_group: usize,
}

/// `sentinella aggregate`.
pub fn aggregate(catalog: &Catalog, args: &AggregateArgs) -> Result<ExitCode> {
    let list = IstatList::builtin()?;
    let scope = match (&args.region, &args.province) {
        (Some(r), _) => match list.find_region(r) {
            Some(name) => Scope::Region(name.to_string()),
            None => bail!(
                "--region {r:?}: not a region of the ISTAT list; the regions are: {}",
                list.regions().join(", ")
            ),
        },
        (None, Some(p)) => match list.find_province(p) {
            Some(province) => Scope::Province(province),
            None => bail!(
                "--province {p:?}: not a province of the ISTAT list; give its abbreviation (VT), ISTAT code (056) or name"
            ),
        },
        (None, None) => Scope::Italy,
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let files = match &args.db {
        Some(_) => Vec::new(),
        None => result_files(&args.paths)?,
    };
    // No output may overwrite an input (nor another output).
    let outputs: Vec<(&str, &PathBuf)> = [
        ("--csv", &args.csv),
        ("--csv-answers", &args.csv_answers),
        ("--pdf", &args.pdf),
    ]
    .into_iter()
    .filter_map(|(flag, p)| p.as_ref().map(|p| (flag, p)))
    .collect();
    for (i, (flag, out)) in outputs.iter().enumerate() {
        let inputs = args.db.iter().chain(&files).map(PathBuf::as_path);
        if let Some(input) = clashing_input(out, inputs) {
            bail!(
                "{flag} {}: this is {}, an input of this command; choose another file",
                out.display(),
                input.display()
            );
        }
        if outputs[..i].iter().any(|(_, o)| o == out) {
            bail!("{flag} {}: already another output", out.display());
        }
    }
    // The same rules either way: files are imported into an in-memory
    // coordinator database, exactly as `collect` would into a fresh one;
    // the current results are then verified again (scores are never taken
    // from storage either).
    let (database, reports) = match &args.db {
        Some(db) => {
            if !db.exists() {
                bail!("{}: no such coordinator database", db.display());
            }
            (CoordinatorDb::open(db)?, Vec::new())
        }
        None => {
            let mut database = CoordinatorDb::in_memory()?;
            let reports = coordinator::collect_files(
                &mut database,
                &files,
                catalog,
                &args.accept,
                threads,
                |_| {},
            )?;
            (database, reports)
        }
    };
    let (records, unverifiable) = database.current_records(catalog, threads)?;
    let mut rejected: Vec<Rejection> = unverifiable
        .into_iter()
        .map(|u| Rejection {
            file: u.source,
            kind: u.kind,
            reason: u.reason,
        })
        .collect();
    let mut held_back = Vec::new();
    let count = |f: &dyn Fn(Outcome) -> bool| reports.iter().filter(|r| f(r.outcome)).count();
    for r in &reports {
        let row = || Rejection {
            file: r.source.clone(),
            kind: r.kind.unwrap_or_default(),
            reason: r.message.clone().unwrap_or_default(),
        };
        match r.outcome {
            Outcome::HeldBack => held_back.push(row()),
            Outcome::Rejected => rejected.push(row()),
            _ => {
                if let Some(w) = &r.message {
                    eprintln!(
                        "warning: {}: {w}",
                        sentinella::validate::printable(&r.source)
                    );
                }
            }
        }
    }
    let file_count = if args.db.is_some() {
        records.len() + rejected.len()
    } else {
        files.len()
    };
    let summary = ImportSummary {
        files: file_count,
        accepted: if args.db.is_some() {
            records.len()
        } else {
            count(&|o| o.accepted())
        },
        superseded: count(&|o| matches!(o, Outcome::History | Outcome::Replaced)),
        duplicates: count(&|o| matches!(o, Outcome::Updated | Outcome::Unchanged)),
        held_back: held_back.len(),
        rejected: rejected.len(),
    };
    let current = records;

    let opts = AggregateOptions {
        min_group: args.min_group,
        top: DEFAULT_TOP,
    };
    let reports = aggregate::reports(&current, list, &scope, opts);
    let in_scope = aggregate::in_scope(&current, list, &scope);
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    if let Some(path) = &args.csv {
        exchange::write_atomic_with(path, |w| {
            table::write_comuni(w, &in_scope, list).map_err(csv_error)
        })
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.csv_answers {
        exchange::write_atomic_with(path, |w| {
            table::write_answers(w, &in_scope).map_err(csv_error)
        })
        .with_context(|| format!("cannot write {}", path.display()))?;
    }

    let pdf = match &args.pdf {
        Some(path) => {
            let info = sentinella::report::RegionInfo {
                scope: &scope.describe(),
                generated_on: chrono::Local::now().date_naive(),
            };
            let pdf = sentinella::report::region_pdf(&reports, &info)
                .context("cannot render the PDF summary")?;
            exchange::write_atomic(path, &pdf.bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Some((path, pdf.pages))
        }
        None => None,
    };

    let summary_problems = summary.held_back + summary.rejected;
    let text = if args.json {
        to_json(&AggregateJson {
            import: summary,
            rejected: &rejected,
            held_back: &held_back,
            reports: &reports,
        })?
    } else {
        let mut t = import_text(&summary, &rejected, &held_back);
        for report in &reports {
            t.push_str(&report_text(report));
        }
        if reports.is_empty() {
            t.push_str("\nNo verified result to aggregate.\n");
        }
        for (flag, path) in [
            ("per comune", &args.csv),
            ("per question", &args.csv_answers),
        ] {
            if let Some(p) = path {
                let _ = writeln!(
                    t,
                    "\nwrote the CSV {flag} to {} ({} comuni)",
                    p.display(),
                    in_scope.len()
                );
            }
        }
        if let Some((p, pages)) = pdf {
            let s = if pages == 1 { "" } else { "s" };
            let _ = writeln!(
                t,
                "\nwrote the PDF summary to {} ({pages} page{s})",
                p.display()
            );
        }
        t
    };
    emit(&text)?;
    // As `collect` and `verify`: a file held back or refused means the
    // figures are not the whole picture (they are still printed).
    Ok(if summary_problems > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

fn import_text(s: &ImportSummary, rejected: &[Rejection], held_back: &[Rejection]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Files: {} read, {} accepted ({} superseded by a newer assessment, {} duplicates), {} held back, {} rejected",
        s.files, s.accepted, s.superseded, s.duplicates, s.held_back, s.rejected
    );
    for r in held_back {
        let _ = writeln!(t, "  HELD BACK {}: {}", r.file, r.reason);
    }
    for r in rejected {
        let _ = writeln!(t, "  REJECTED  {}: {}", r.file, r.reason);
    }
    t
}

fn group_line(t: &mut String, g: &GroupStats) {
    let figures = match &g.figures {
        Some(f) => format!(
            "{:>6.1} {:>6.1} {:>6.1} {:>8.1}%",
            f.overall.q1, f.overall.median, f.overall.q3, f.baseline_pass_pct
        ),
        None if g.assessed == 0 => format!("{:>30}", "—"),
        None => format!("{:>30}", "(fewer than min-group)"),
    };
    let _ = writeln!(
        t,
        "  {:<42} {:>6} {:>8} {:>6.1}%  {}",
        truncate(&g.label, 42),
        g.comuni,
        g.assessed,
        g.coverage_pct,
        figures
    );
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

fn report_text(r: &Report) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\n== {} ({}; versions {}) — {} ==",
        r.questionnaire_title,
        r.questionnaire,
        r.versions.join(", "),
        r.scope.name
    );
    let total = &r.total;
    let _ = writeln!(
        t,
        "Comuni assessed: {} of {} ({:.1}%); missing {}",
        total.assessed, total.comuni, total.coverage_pct, total.missing
    );
    if r.outside_scope > 0 {
        let _ = writeln!(
            t,
            "({} result(s) of comuni outside {} left out)",
            r.outside_scope, r.scope.name
        );
    }
    match &total.figures {
        None => {
            let _ = writeln!(
                t,
                "Figures suppressed: fewer than {} comuni assessed.",
                r.min_group
            );
        }
        Some(f) => {
            let _ = writeln!(
                t,
                "Overall score: median {:.1} (quartiles {:.1}–{:.1}); baseline met by {:.1}%",
                f.overall.median, f.overall.q1, f.overall.q3, f.baseline_pass_pct
            );
            let _ = writeln!(t, "\nDomains (median, quartiles):");
            for d in &f.domains {
                match &d.scores {
                    Some(q) => {
                        let _ = writeln!(
                            t,
                            "  {:>5.1}  ({:.1}–{:.1})  {}",
                            q.median, q.q1, q.q3, d.title
                        );
                    }
                    None => {
                        let _ = writeln!(
                            t,
                            "    n/a  (fewer than {} comuni)  {}",
                            r.min_group, d.title
                        );
                    }
                }
            }
            let _ = writeln!(t, "\nWeakest questions (mean level 0–3, % below target):");
            for q in &f.weakest_questions {
                let _ = writeln!(
                    t,
                    "  {:.2}  {:>5.1}%  {} — {}",
                    q.mean_level, q.below_target_pct, q.id, q.text
                );
            }
            if !f.most_unknown.is_empty() {
                let _ = writeln!(t, "\nMost frequent \"Non so\":");
                for q in &f.most_unknown {
                    let _ = writeln!(
                        t,
                        "  {:>5.1}%  ({} comuni)  {} — {}",
                        q.unknown_pct, q.unknown, q.id, q.text
                    );
                }
            }
        }
    }
    let header = |t: &mut String, title: &str| {
        let _ = writeln!(
            t,
            "\n{title}:\n  {:<42} {:>6} {:>8} {:>7}  {:>6} {:>6} {:>6} {:>9}",
            "", "comuni", "assessed", "cover", "Q1", "median", "Q3", "baseline"
        );
    };
    for (title, groups) in [
        ("By region", &r.by_region),
        ("By province", &r.by_province),
        ("By population", &r.by_band),
    ] {
        let shown: Vec<&GroupStats> = groups
            .iter()
            .filter(|g| g.assessed > 0 || groups.len() <= 10)
            .collect();
        if shown.is_empty() {
            continue;
        }
        header(&mut t, title);
        for g in &shown {
            group_line(&mut t, g);
        }
        let hidden = groups.len() - shown.len();
        if hidden > 0 {
            let _ = writeln!(t, "  ({hidden} more with no assessment)");
        }
    }
    const SHOW_MISSING: usize = 40;
    if !r.missing.is_empty() {
        let _ = writeln!(t, "\nMissing ({}):", r.missing.len());
        for m in r.missing.iter().take(SHOW_MISSING) {
            let _ = writeln!(t, "  {} {} ({})", m.istat_code, m.name, m.province);
        }
        if r.missing.len() > SHOW_MISSING {
            let _ = writeln!(
                t,
                "  ... and {} more (the full list is in --json)",
                r.missing.len() - SHOW_MISSING
            );
        }
    }
    if !r.unmatched.is_empty() {
        let _ = writeln!(
            t,
            "\nNot in the ISTAT list of {} (left out of the figures):",
            sentinella::istat::LIST_DATE
        );
        for u in &r.unmatched {
            let _ = writeln!(t, "  {} {} ({})", u.istat_code, u.name, u.source);
        }
    }
    let _ = writeln!(t, "\n{}", r.istat_source);
    t
}
