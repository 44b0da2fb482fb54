//! The coordinators' commands: `export`, `verify`, `collect`, `keys` and
//! `aggregate`. Each parses its arguments, calls one operation of
//! [`sentinella::usecase`] and prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use sentinella::aggregate::{AggregateOptions, GroupStats, Report, DEFAULT_TOP};
use sentinella::coordinator::{Acceptance, FileReport, Outcome};
use sentinella::exchange::{RejectionKind, ResultError, VerifiedResult};
use sentinella::ids::Fingerprint;
use sentinella::istat::IstatList;
use sentinella::load::Catalog;
use sentinella::scoring::round1;
use sentinella::store::file::clashing_input;
use sentinella::usecase::aggregate::{self as agg, CsvTable, Gathered, Rejection};
use sentinella::usecase::collect as coll;
use sentinella::usecase::export as exp;
use sentinella::usecase::planning::AnswersSource;
use sentinella::usecase::territory::{self, ScopeRequest};
use sentinella::usecase::verify as ver;

use super::args::AggregateArgs;
use super::output::{emit, to_json, warn};
use super::EXIT_BAD_INPUT;

/// `sentinella export`.
pub fn export(
    catalog: &Catalog,
    source: &AnswersSource,
    out: &Path,
    with_notes: bool,
    keys: &Path,
) -> Result<ExitCode> {
    let inputs = [
        match source {
            AnswersSource::File(p) => p.as_path(),
            AnswersSource::Stored { db, .. } => db.as_path(),
        },
        keys,
    ];
    if let Some(input) = clashing_input(out, inputs) {
        bail!(
            "--out {}: this is {}, an input of this command; choose another file",
            out.display(),
            input.display()
        );
    }
    let e = exp::export_from(source, catalog, keys, with_notes, chrono::Utc::now())?;
    if e.key_created {
        eprintln!(
            "created a new signing key in {} (fingerprint {}): tell your coordinator this fingerprint",
            keys.display(),
            e.fingerprint
        );
    }
    sentinella::exchange::write_atomic(out, &e.bytes)
        .with_context(|| format!("cannot write {}", out.display()))?;
    let notes = match (e.notes_included, e.notes) {
        (_, 0) => "none".to_string(),
        (true, n) => format!("included ({n})"),
        (false, n) => format!("left out ({n}; use --with-notes to include them)"),
    };
    emit(&format!(
        "wrote {} — {} ({}), {} {}, overall {:.1}, notes {notes}; signed by key {}\n",
        out.display(),
        e.payload.organization.name,
        e.payload.organization.istat_code,
        e.payload.questionnaire.id,
        e.payload.questionnaire.version,
        round1(e.score.overall),
        e.fingerprint
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The files named on the command line, with a warning per empty folder.
fn result_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let found = ver::result_files(paths)?;
    for dir in &found.empty_dirs {
        warn(&format!("{}: no *.json files here", dir.display()));
    }
    Ok(found.files)
}

#[derive(Serialize)]
struct VerifyRow {
    file: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_kind: Option<RejectionKind>,
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
    fn new(file: &Path, outcome: Result<VerifiedResult, ResultError>) -> VerifyRow {
        let mut row = VerifyRow {
            file: file.display().to_string(),
            ok: outcome.is_ok(),
            error_kind: None,
            error: None,
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
        };
        match outcome {
            Err(e) => {
                row.error_kind = Some(e.rejection_kind());
                row.error = Some(e.to_string());
            }
            Ok(v) => {
                row.istat_code = Some(v.payload.organization.istat_code);
                row.organization = Some(v.payload.organization.name);
                row.questionnaire = Some(v.payload.questionnaire.id);
                row.version = Some(v.payload.questionnaire.version);
                row.assessed_on = Some(v.payload.assessed_on);
                row.overall = Some(round1(v.score.overall));
                row.tier = Some(v.score.tier.id());
                row.baseline_met = Some(v.score.baseline.met);
                row.fingerprint = Some(v.fingerprint);
                row.warnings = v.warnings;
            }
        }
        row
    }

    fn line(&self) -> String {
        if !self.ok {
            return format!(
                "REJECTED  {}: {}",
                self.file,
                self.error.as_deref().unwrap_or_default()
            );
        }
        format!(
            "ok        {}  {} ({}), {} {}, assessed {}, overall {:.1} (recomputed), key {}",
            self.file,
            self.organization.as_deref().unwrap_or_default(),
            self.istat_code.as_deref().unwrap_or_default(),
            self.questionnaire.as_deref().unwrap_or_default(),
            self.version.as_deref().unwrap_or_default(),
            self.assessed_on.map(|d| d.to_string()).unwrap_or_default(),
            self.overall.unwrap_or_default(),
            self.fingerprint.as_deref().unwrap_or_default(),
        )
    }
}

/// `sentinella verify`.
pub fn verify(
    catalog: &Catalog,
    paths: &[PathBuf],
    key: Option<&Fingerprint>,
    json: bool,
) -> Result<ExitCode> {
    let files = result_files(paths)?;
    let rows = ver::verify_files(&files, catalog, key, VerifyRow::new);
    let rejected = rows.iter().filter(|r| !r.ok).count();
    let text = if json {
        to_json(&rows)?
    } else {
        let mut t = String::new();
        for r in &rows {
            let _ = writeln!(t, "{}", r.line());
            for w in &r.warnings {
                warn(&format!("{}: {w}", r.file));
            }
        }
        let _ = writeln!(
            t,
            "{} file(s): {} verified, {} rejected",
            rows.len(),
            rows.len() - rejected,
            rejected
        );
        t
    };
    emit(&text)?;
    Ok(if rejected > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Serialize)]
struct ArchiveJson<'a> {
    database: String,
    checked: usize,
    verified: usize,
    rejected: Vec<ArchiveRejection<'a>>,
}

#[derive(Serialize)]
struct ArchiveRejection<'a> {
    file: &'a str,
    error_kind: RejectionKind,
    error: &'a str,
}

/// `verify --db`: every current result of a coordinator database verified
/// again from its stored bytes (the explicit check the dashboard skips).
pub fn verify_db(catalog: &Catalog, db: &Path, json: bool) -> Result<ExitCode> {
    let gathered = agg::gather_db(&coll::open_existing(db)?, catalog)?;
    let checked = gathered.accepted + gathered.rejected.len();
    let text = if json {
        to_json(&ArchiveJson {
            database: db.display().to_string(),
            checked,
            verified: gathered.accepted,
            rejected: gathered
                .rejected
                .iter()
                .map(|r| ArchiveRejection {
                    file: &r.file,
                    error_kind: r.kind,
                    error: &r.reason,
                })
                .collect(),
        })?
    } else {
        let mut t = String::new();
        for r in &gathered.rejected {
            let _ = writeln!(t, "REJECTED {}: {}", r.file, r.reason);
        }
        let _ = writeln!(
            t,
            "{checked} stored current result(s): {} verified, {} no longer verify",
            gathered.accepted,
            gathered.rejected.len()
        );
        t
    };
    emit(&text)?;
    Ok(if gathered.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

#[derive(Serialize)]
struct CollectJson<'a> {
    database: String,
    files: usize,
    counts: BTreeMap<&'static str, usize>,
    reports: &'a [FileReport],
    stored: sentinella::coordinator::Counts,
}

fn collect_line(r: &FileReport) -> String {
    let who = match (&r.organization, &r.istat_code) {
        (Some(o), Some(c)) => format!("  {o} ({c})"),
        _ => String::new(),
    };
    // A contested organization's message already names the acceptance.
    let hint = match r.acceptance() {
        Some(a) if r.expected_signer.is_some() => {
            format!("; to accept it, run collect again with --accept-key {a}")
        }
        _ => String::new(),
    };
    let message = r
        .message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    format!(
        "{:<10} {}{who}{message}{hint}",
        r.outcome.id().to_uppercase(),
        r.source
    )
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
    let files = result_files(paths)?;
    let mut database = sentinella::coordinator::CoordinatorDb::open(db)?;
    let show_progress = !json && std::io::stderr().is_terminal() && files.len() >= 200;
    let accept = accept_key.iter().cloned().collect();
    let collected = coll::collect(&mut database, &files, catalog, &accept, None, |p| {
        if show_progress {
            eprint!("\rimported {} of {} files", p.done, p.total);
        }
    })?;
    if show_progress {
        eprintln!();
    }
    // By id, as always printed.
    let counts: BTreeMap<&'static str, usize> =
        collected.counts.iter().map(|(o, n)| (o.id(), *n)).collect();
    let stored = collected.stored;
    let text = if json {
        to_json(&CollectJson {
            database: db.display().to_string(),
            files: files.len(),
            counts: counts.clone(),
            reports: &collected.reports,
            stored,
        })?
    } else {
        let mut t = String::new();
        for r in &collected.reports {
            let _ = writeln!(t, "{}", collect_line(r));
        }
        let summary: Vec<String> = counts
            .iter()
            .map(|(k, v)| format!("{v} {}", k.replace('_', " ")))
            .collect();
        let _ = writeln!(t, "{} file(s): {}", files.len(), summary.join(", "));
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
    let held = collected.count(Outcome::HeldBack);
    let rejected = collected.count(Outcome::Rejected);
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
    let keys = coll::keys(db)?;
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

#[derive(Serialize)]
struct ImportSummary {
    files: usize,
    accepted: usize,
    superseded: usize,
    duplicates: usize,
    held_back: usize,
    rejected: usize,
}

impl ImportSummary {
    fn of(g: &Gathered) -> ImportSummary {
        ImportSummary {
            files: g.files,
            accepted: g.accepted(),
            superseded: g.superseded,
            duplicates: g.duplicates,
            held_back: g.held_back.len(),
            rejected: g.rejected.len(),
        }
    }
}

#[derive(Serialize)]
struct AggregateJson<'a> {
    import: ImportSummary,
    rejected: &'a [Rejection],
    held_back: &'a [Rejection],
    reports: &'a [Report],
}

fn scope_request(args: &AggregateArgs) -> ScopeRequest {
    match (&args.region, &args.province) {
        (Some(r), _) => ScopeRequest::Region(r.clone()),
        (None, Some(p)) => ScopeRequest::Province(p.clone()),
        (None, None) => ScopeRequest::Italy,
    }
}

/// `sentinella aggregate`.
pub fn aggregate(catalog: &Catalog, args: &AggregateArgs) -> Result<ExitCode> {
    let list = IstatList::builtin()?;
    let flag = if args.region.is_some() {
        "--region"
    } else {
        "--province"
    };
    let scope = territory::resolve(&scope_request(args), list)
        .map_err(|e| anyhow::anyhow!("{flag} {e}"))?;
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
    // Verify every file (or every stored current result: scores are never
    // taken from storage either); one bad file never stops the others.
    // Files go by the rules of `collect` on a fresh database.
    let gathered = match &args.db {
        Some(db) => agg::gather_db(&coll::open_existing(db)?, catalog)?,
        None => {
            let accept = args.accept_key.iter().cloned().collect();
            agg::gather_files(&files, catalog, &accept)?
        }
    };
    for (file, w) in &gathered.warnings {
        warn(&format!("{file}: {w}"));
    }
    let opts = AggregateOptions {
        min_group: args.min_group as usize,
        top: DEFAULT_TOP,
    };
    let reports = agg::reports(&gathered, list, &scope, opts);
    let mut written = String::new();
    for (table, path, what) in [
        (CsvTable::Comuni, &args.csv, "per comune"),
        (CsvTable::Answers, &args.csv_answers, "per question"),
    ] {
        if let Some(p) = path {
            let rows = agg::save_csv(p, &gathered, list, &scope, table)
                .with_context(|| format!("cannot write {}", p.display()))?;
            let _ = writeln!(
                written,
                "\nwrote the CSV {what} to {} ({rows} comuni)",
                p.display()
            );
        }
    }
    if let Some(path) = &args.pdf {
        let pdf = agg::region_pdf(&reports, &scope, chrono::Local::now().date_naive())
            .context("cannot render the PDF summary")?;
        sentinella::exchange::write_atomic(path, &pdf.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let s = if pdf.pages == 1 { "" } else { "s" };
        let _ = writeln!(
            written,
            "\nwrote the PDF summary to {} ({} page{s})",
            path.display(),
            pdf.pages
        );
    }
    let summary_problems = gathered.held_back.len() + gathered.rejected.len();
    let text = if args.json {
        to_json(&AggregateJson {
            import: ImportSummary::of(&gathered),
            rejected: &gathered.rejected,
            held_back: &gathered.held_back,
            reports: &reports,
        })?
    } else {
        let mut t = import_text(&ImportSummary::of(&gathered), &gathered);
        for report in &reports {
            t.push_str(&report_text(report));
        }
        if reports.is_empty() {
            t.push_str("\nNo verified result to aggregate.\n");
        }
        t.push_str(&written);
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

fn import_text(s: &ImportSummary, g: &Gathered) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Files: {} read, {} accepted ({} superseded by a newer assessment, {} duplicates), {} held back, {} rejected",
        s.files, s.accepted, s.superseded, s.duplicates, s.held_back, s.rejected
    );
    for r in &g.held_back {
        let _ = writeln!(t, "  HELD BACK {}: {}", r.file, r.reason);
    }
    for r in &g.rejected {
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
    if let (Some(v), false) = (&r.figures_version, r.other_versions.is_empty()) {
        let others: Vec<String> = r
            .other_versions
            .iter()
            .map(|o| format!("{} on version {}", o.comuni, o.version))
            .collect();
        let _ = writeln!(
            t,
            "Figures: version {v} only ({} left out of the figures, counted as assessed)",
            others.join(", ")
        );
    }
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
            "\nNot in the ISTAT list (copy of {}) nor known as suppressed (left out of the figures):",
            sentinella::istat::LIST_DATE
        );
        for u in &r.unmatched {
            let _ = writeln!(t, "  {} {} ({})", u.istat_code, u.name, u.source);
        }
    }
    if !r.successions.is_empty() {
        let _ = writeln!(
            t,
            "\nCodes of comuni that no longer exist (counted with the comune of today):"
        );
        for s in &r.successions {
            let _ = writeln!(
                t,
                "  {} {} -> today {} {}{}{} ({})",
                s.istat_code,
                s.name,
                s.current_code,
                s.current_name,
                s.since.map_or_else(String::new, |d| format!(", since {d}")),
                if s.counted {
                    ""
                } else {
                    ", not counted: a newer or own-code result wins"
                },
                s.source
            );
        }
    }
    let _ = writeln!(t, "\n{}", r.istat_source);
    t
}
