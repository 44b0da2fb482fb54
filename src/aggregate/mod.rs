//! Aggregation of many comuni's results for coordinators (pure: records and
//! the ISTAT list in, figures out).
//!
//! - [`Record`]: the compact, verified facts of one assessment (scores were
//!   recomputed by [`crate::exchange::verify_bytes`]).
//! - Which results are current (trust on first use, newest per organization,
//!   kind and questionnaire) is decided once, by the coordinator database
//!   ([`crate::coordinator`]); `aggregate <files>` imports into an in-memory
//!   one, so both paths follow the same rules.
//! - [`aggregate`]: by region, province and population band, comuni assessed
//!   against every comune of the area, who is missing, quartiles of the
//!   overall and domain scores, baseline pass rate, weakest questions and
//!   most frequent "Non so". Groups of fewer than `min_group` comuni show no
//!   figure, so no single comune can be singled out.
//! - [`table`]: CSV exports, safe against formula injection.

pub mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::exchange::VerifiedResult;
use crate::istat::{self, Comune, IstatList, Province, Resolution, Succession};
use crate::model::Questionnaire;
use crate::scoring::{round1, GateStatus, QuestionState, Tier};

/// Default smallest group that shows figures.
pub const DEFAULT_MIN_GROUP: usize = 5;
/// Default length of the "weakest questions" and "Non so" lists.
pub const DEFAULT_TOP: usize = 10;

/// [`Record::options`] value of an unanswered question.
pub const NO_OPTION: u8 = u8::MAX;

// Every option index of a valid questionnaire fits below NO_OPTION.
const _: () = assert!(crate::validate::MAX_OPTIONS < NO_OPTION as usize);

/// The verified facts of one assessment, compact enough to hold tens of
/// thousands in memory.
#[derive(Debug, Clone)]
pub struct Record {
    /// ISTAT code declared in the (signed) file.
    pub istat_code: String,
    /// Organization name declared in the file.
    pub name: String,
    /// Province abbreviation declared in the file.
    pub declared_province: String,
    /// Region declared in the file.
    pub declared_region: String,
    /// Population declared in the file.
    pub declared_population: u32,
    /// The questionnaire (from the local catalog).
    pub questionnaire: Arc<Questionnaire>,
    /// The assessment id.
    pub assessment_id: String,
    /// Day of the assessment.
    pub assessed_on: NaiveDate,
    /// When it was exported.
    pub exported_at: DateTime<Utc>,
    /// Signer's public key.
    pub public_key: [u8; 32],
    /// Its fingerprint.
    pub fingerprint: String,
    /// SHA-256 of the signed payload (identifies this exact export).
    pub payload_sha256: String,
    /// Where it came from (file name).
    pub source: String,
    /// Overall score (recomputed).
    pub overall: f64,
    /// Tier (recomputed).
    pub tier: Tier,
    /// Whether every baseline gate passed.
    pub baseline_met: bool,
    /// Number of failed gates.
    pub failed_gates: usize,
    /// Domain scores, aligned with `questionnaire.domains`.
    pub domains: Vec<Option<f64>>,
    /// Question states, aligned with `questionnaire.questions()`.
    pub states: Vec<QuestionState>,
    /// Gate outcomes, aligned with `questionnaire.questions()`.
    pub gates: Vec<Option<GateStatus>>,
    /// Index of the chosen option in the question's `options`, aligned with
    /// `questionnaire.questions()` ([`NO_OPTION`] when unanswered). Indexes,
    /// not ids, keep a record small.
    pub options: Vec<u8>,
}

impl Record {
    /// The record of a verified result; `source` names where it came from.
    pub fn from_verified(v: &VerifiedResult, source: &str) -> Record {
        let q = &v.questionnaire.questionnaire;
        let mut states = Vec::with_capacity(q.question_count());
        let mut gates = Vec::with_capacity(q.question_count());
        let mut options = Vec::with_capacity(q.question_count());
        for (i, (_, question)) in q.questions().enumerate() {
            // Scoring lists the questions in questionnaire order.
            let result = v
                .score
                .questions
                .get(i)
                .filter(|r| r.id == question.id)
                .or_else(|| v.score.question(&question.id));
            states.push(result.map_or(QuestionState::Unanswered, |r| r.state));
            gates.push(result.and_then(|r| r.gate));
            options.push(
                v.sheet
                    .answers
                    .get(&question.id)
                    .and_then(|a| question.options.iter().position(|o| o.id == a.option))
                    .and_then(|i| u8::try_from(i).ok())
                    .unwrap_or(NO_OPTION),
            );
        }
        let org = &v.payload.organization;
        Record {
            istat_code: org.istat_code.clone(),
            name: org.name.clone(),
            declared_province: org.province.clone(),
            declared_region: org.region.clone(),
            declared_population: org.population,
            questionnaire: Arc::clone(q),
            assessment_id: v.payload.assessment_id.clone(),
            assessed_on: v.payload.assessed_on,
            exported_at: v.payload.exported_at,
            public_key: v.public_key,
            fingerprint: v.fingerprint.clone(),
            payload_sha256: v.payload_sha256.clone(),
            source: source.to_string(),
            overall: v.score.overall,
            tier: v.score.tier,
            baseline_met: v.score.baseline.met,
            failed_gates: v.score.baseline.failed.len(),
            domains: v.score.domains.iter().map(|d| d.score).collect(),
            states,
            gates,
            options,
        }
    }

    /// The id of the option chosen for the `i`-th question (empty when
    /// unanswered).
    pub fn option_id(&self, i: usize) -> &str {
        let index = self.options.get(i).copied().unwrap_or(NO_OPTION);
        self.questionnaire
            .questions()
            .nth(i)
            .and_then(|(_, q)| q.options.get(usize::from(index)))
            .map_or("", |o| o.id.as_str())
    }
}

/// Population bands of the aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PopulationBand {
    /// Under 1,000 inhabitants.
    Under1000,
    /// 1,000 to 4,999.
    From1000To4999,
    /// 5,000 to 14,999.
    From5000To14999,
    /// 15,000 and over.
    From15000,
}

impl PopulationBand {
    /// All bands, smallest first.
    pub const ALL: [PopulationBand; 4] = [
        PopulationBand::Under1000,
        PopulationBand::From1000To4999,
        PopulationBand::From5000To14999,
        PopulationBand::From15000,
    ];

    /// The band of a population.
    pub fn of(population: u32) -> PopulationBand {
        match population {
            0..=999 => PopulationBand::Under1000,
            1000..=4999 => PopulationBand::From1000To4999,
            5000..=14999 => PopulationBand::From5000To14999,
            _ => PopulationBand::From15000,
        }
    }

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            PopulationBand::Under1000 => "under_1000",
            PopulationBand::From1000To4999 => "1000_4999",
            PopulationBand::From5000To14999 => "5000_14999",
            PopulationBand::From15000 => "15000_plus",
        }
    }

    /// The label shown to users (Italian number format).
    pub fn label(self) -> &'static str {
        match self {
            PopulationBand::Under1000 => "meno di 1.000 abitanti",
            PopulationBand::From1000To4999 => "1.000–4.999 abitanti",
            PopulationBand::From5000To14999 => "5.000–14.999 abitanti",
            PopulationBand::From15000 => "15.000 abitanti e oltre",
        }
    }
}

/// The area an aggregation covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// All of Italy.
    Italy,
    /// One region (canonical ISTAT name).
    Region(String),
    /// One province.
    Province(Province),
}

impl Scope {
    fn contains(&self, c: &Comune) -> bool {
        match self {
            Scope::Italy => true,
            Scope::Region(r) => &c.region == r,
            Scope::Province(p) => c.province == p.abbreviation,
        }
    }

    fn contains_declared(&self, r: &Record) -> bool {
        match self {
            Scope::Italy => true,
            Scope::Region(region) => {
                let d = istat::fold(&r.declared_region);
                istat::fold(region) == d || region.split('/').any(|p| istat::fold(p) == d)
            }
            Scope::Province(p) => r.declared_province == p.abbreviation,
        }
    }

    /// Kind id and name, for reports.
    pub fn describe(&self) -> ScopeInfo {
        match self {
            Scope::Italy => ScopeInfo {
                kind: "italy",
                name: "Italia".into(),
            },
            Scope::Region(r) => ScopeInfo {
                kind: "region",
                name: r.clone(),
            },
            Scope::Province(p) => ScopeInfo {
                kind: "province",
                name: format!("{} ({})", p.name, p.abbreviation),
            },
        }
    }
}

/// The scope, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeInfo {
    /// `italy`, `region` or `province`.
    pub kind: &'static str,
    /// Display name.
    pub name: String,
}

/// Options of [`aggregate`].
#[derive(Debug, Clone, Copy)]
pub struct AggregateOptions {
    /// Groups (and question figures) over fewer comuni show no figure.
    pub min_group: usize,
    /// Length of the question lists.
    pub top: usize,
}

impl Default for AggregateOptions {
    fn default() -> Self {
        AggregateOptions {
            min_group: DEFAULT_MIN_GROUP,
            top: DEFAULT_TOP,
        }
    }
}

/// First quartile, median and third quartile (linear interpolation between
/// order statistics, as spreadsheets' QUARTILE.INC), one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quartiles {
    /// 25th percentile.
    pub q1: f64,
    /// 50th percentile.
    pub median: f64,
    /// 75th percentile.
    pub q3: f64,
}

/// Quartiles of a set of values (`None` when empty).
pub fn quartiles(values: &[f64]) -> Option<Quartiles> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| {
        let pos = p * (v.len() - 1) as f64;
        let lo = pos.floor() as usize;
        let hi = pos.ceil() as usize;
        let (a, b) = (
            v.get(lo).copied().unwrap_or(0.0),
            v.get(hi).copied().unwrap_or(0.0),
        );
        a + (b - a) * (pos - lo as f64)
    };
    Some(Quartiles {
        q1: round1(at(0.25)),
        median: round1(at(0.5)),
        q3: round1(at(0.75)),
    })
}

/// A domain's distribution in a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainFigures {
    /// Domain id.
    pub id: String,
    /// Domain title.
    pub title: String,
    /// Comuni for which the domain applies.
    pub comuni: usize,
    /// Quartiles (absent when fewer than `min_group` comuni).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<Quartiles>,
}

/// One question's figures in a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionFigures {
    /// Question id.
    pub id: String,
    /// Its domain.
    pub domain: String,
    /// The question (Italian).
    pub text: String,
    /// Comuni for which it applies.
    pub comuni: usize,
    /// Mean level, 0–3 ("Non so" and unanswered count 0), two decimals.
    pub mean_level: f64,
    /// Comuni below the target level (the count behind the percentage, so
    /// no face has to reconstruct it).
    pub below_target: usize,
    /// Percentage of those comuni below the target level.
    pub below_target_pct: f64,
    /// Comuni that answered "Non so".
    pub unknown: usize,
    /// Percentage answering "Non so".
    pub unknown_pct: f64,
}

/// The figures of a group large enough to show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Overall score quartiles.
    pub overall: Quartiles,
    /// Domains, in questionnaire order.
    pub domains: Vec<DomainFigures>,
    /// Comuni meeting every baseline gate.
    pub baseline_met: usize,
    /// Percentage of comuni meeting every baseline gate.
    pub baseline_pass_pct: f64,
    /// Comuni per tier (tier id → count).
    pub tiers: BTreeMap<&'static str, usize>,
    /// Lowest mean level first.
    pub weakest_questions: Vec<QuestionFigures>,
    /// Most "Non so" first.
    pub most_unknown: Vec<QuestionFigures>,
}

/// One group (the scope, a region, a province or a population band).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    /// Stable key (region name, province abbreviation, band id, scope kind).
    pub key: String,
    /// Display label.
    pub label: String,
    /// Comuni of the group in the ISTAT list.
    pub comuni: usize,
    /// Comuni with a current assessment.
    pub assessed: usize,
    /// Of those, comuni assessed with another version of the questionnaire
    /// than [`Report::figures_version`]: counted as assessed, left out of
    /// the figures (scores of different versions are not comparable).
    pub other_version: usize,
    /// Comuni without one.
    pub missing: usize,
    /// Percentage assessed.
    pub coverage_pct: f64,
    /// True when fewer than `min_group` comuni are in the figures.
    pub suppressed: bool,
    /// The figures, when not suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<Figures>,
}

/// A comune of the area with no assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingComune {
    /// ISTAT code.
    pub istat_code: String,
    /// Name.
    pub name: String,
    /// Province abbreviation.
    pub province: String,
    /// Population.
    pub population: u32,
}

/// A result whose ISTAT code is not in the list (a comune created or
/// merged after the list's date, or a wrong code): left out of the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    /// The code in the file.
    pub istat_code: String,
    /// The name in the file.
    pub name: String,
    /// The file.
    pub source: String,
}

/// A result filed under the code of a comune that no longer exists (merged
/// into another, or renumbered): counted with the comune of today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Succeeded {
    /// The code in the file.
    pub istat_code: String,
    /// The name in the file.
    pub name: String,
    /// The comune of today: its code…
    pub current_code: String,
    /// …and its name.
    pub current_name: String,
    /// When the change took effect, if the source says.
    pub since: Option<NaiveDate>,
    /// The file.
    pub source: String,
    /// Whether this result is the one counted for the comune of today (false
    /// when the comune of today has a result under its own code, or a more
    /// recent one under another old code).
    pub counted: bool,
}

/// The aggregation of one questionnaire over one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Questionnaire id.
    pub questionnaire: String,
    /// Questionnaire title (latest version seen).
    pub questionnaire_title: String,
    /// Versions among the results.
    pub versions: Vec<String>,
    /// The one version the figures are computed on: the version most
    /// comuni of the area used (the newer one on a tie). None with no result.
    pub figures_version: Option<String>,
    /// The other versions used in the area, with how many comuni used each:
    /// counted in the coverage, not in the figures.
    pub other_versions: Vec<VersionCount>,
    /// When several versions were used: which one the figures are on and
    /// who is left out of them (Italian, shown as is by the app and the PDF).
    pub versions_note: Option<String>,
    /// The area.
    pub scope: ScopeInfo,
    /// The suppression threshold used.
    pub min_group: usize,
    /// The whole area.
    pub total: GroupStats,
    /// By region (only for Italy).
    pub by_region: Vec<GroupStats>,
    /// By province (Italy or a region).
    pub by_province: Vec<GroupStats>,
    /// By population band.
    pub by_band: Vec<GroupStats>,
    /// Comuni of the area with no assessment, by code.
    pub missing: Vec<MissingComune>,
    /// Results whose code is not in the ISTAT list.
    pub unmatched: Vec<Unmatched>,
    /// Results filed under the code of a comune merged into another (or
    /// renumbered) since: counted with the comune of today.
    pub successions: Vec<Succeeded>,
    /// Current results of comuni outside the area (left out).
    pub outside_scope: usize,
    /// Credit for the ISTAT list.
    pub istat_source: &'static str,
}

/// How many comuni of an area used one version of a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionCount {
    /// The questionnaire version.
    pub version: String,
    /// Comuni whose current result uses it.
    pub comuni: usize,
}

/// "Le cifre riguardano solo la versione 2.0.0 del questionario: 3 enti
/// hanno usato la versione 1.0.0 …", or None with a single version.
fn versions_note(shown: Option<&str>, others: &[VersionCount]) -> Option<String> {
    let shown = shown?;
    if others.is_empty() {
        return None;
    }
    let others: Vec<String> = others
        .iter()
        .map(|o| match o.comuni {
            1 => format!("1 ente ha usato la versione {}", o.version),
            n => format!("{n} enti hanno usato la versione {}", o.version),
        })
        .collect();
    Some(format!(
        "Le cifre riguardano solo chi ha usato la versione {shown} del questionario. {}: \
         contano tra chi ha risposto, ma non nelle cifre, perché versioni diverse hanno \
         domande e regole di calcolo diverse.",
        others.join("; ")
    ))
}

/// Aggregate the current records of one questionnaire over an area.
///
/// Records of other questionnaires are ignored; pass the current records
/// ([`crate::coordinator::CoordinatorDb::current_records`]) so each comune
/// counts once. The ISTAT list decides a
/// comune's region, province and population, not the file.
pub fn aggregate(
    records: &[Record],
    questionnaire_id: &str,
    list: &IstatList,
    scope: &Scope,
    opts: AggregateOptions,
) -> Report {
    let records: Vec<&Record> = records
        .iter()
        .filter(|r| r.questionnaire.id == questionnaire_id)
        .collect();
    let versions: BTreeSet<String> = records
        .iter()
        .map(|r| r.questionnaire.version.clone())
        .collect();

    let universe: Vec<&Comune> = list.all().iter().filter(|c| scope.contains(c)).collect();
    let mut matched: Vec<(&Comune, &Record)> = Vec::new();
    let mut unmatched = Vec::new();
    let mut assessed_codes = BTreeSet::new();
    let mut outside_scope = 0;
    // Results under an old code wait until every result under a current
    // code is in: a comune's own code wins, then the most recent assessment.
    let mut old_codes: Vec<(&Comune, &Record, &Succession)> = Vec::new();
    for r in &records {
        match list.resolve(&r.istat_code) {
            Some(res) if !scope.contains(res.comune) => outside_scope += 1,
            Some(Resolution {
                comune: c,
                succession: Some(s),
            }) => old_codes.push((c, r, s)),
            Some(Resolution { comune: c, .. }) => {
                if assessed_codes.insert(c.istat_code.as_str()) {
                    matched.push((c, r));
                }
            }
            None if scope.contains_declared(r) => unmatched.push(Unmatched {
                istat_code: r.istat_code.clone(),
                name: r.name.clone(),
                source: r.source.clone(),
            }),
            None => outside_scope += 1,
        }
    }
    old_codes.sort_by(|a, b| {
        (b.1.assessed_on, b.1.exported_at, &a.1.istat_code).cmp(&(
            a.1.assessed_on,
            a.1.exported_at,
            &b.1.istat_code,
        ))
    });
    let mut successions: Vec<Succeeded> = old_codes
        .into_iter()
        .map(|(c, r, s)| {
            let counted = assessed_codes.insert(c.istat_code.as_str());
            if counted {
                matched.push((c, r));
            }
            Succeeded {
                istat_code: r.istat_code.clone(),
                name: r.name.clone(),
                current_code: c.istat_code.clone(),
                current_name: c.name.clone(),
                since: s.since,
                source: r.source.clone(),
                counted,
            }
        })
        .collect();
    successions
        .sort_by(|a, b| (&a.current_code, &a.istat_code).cmp(&(&b.current_code, &b.istat_code)));

    // Scores of two versions follow different rules (questions, gates):
    // the figures use one version, the one most comuni of the area used.
    let mut per_version: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, r) in &matched {
        *per_version
            .entry(r.questionnaire.version.as_str())
            .or_default() += 1;
    }
    let figures_version = per_version
        .iter()
        .max_by_key(|(v, n)| (**n, semver::Version::parse(v).ok()))
        .map(|(v, _)| v.to_string());
    let other_versions: Vec<VersionCount> = per_version
        .iter()
        .filter(|(v, _)| Some(**v) != figures_version.as_deref())
        .map(|(v, n)| VersionCount {
            version: v.to_string(),
            comuni: *n,
        })
        .collect();
    // Titles and question order: the figures' version, or the newest seen.
    let latest = matched
        .iter()
        .map(|(_, r)| &r.questionnaire)
        .find(|q| Some(q.version.as_str()) == figures_version.as_deref())
        .or_else(|| {
            records
                .iter()
                .map(|r| &r.questionnaire)
                .max_by_key(|q| semver::Version::parse(&q.version).ok())
        })
        .cloned();
    let ctx = Ctx {
        latest: latest.as_deref(),
        version: figures_version.as_deref(),
        opts,
    };
    let group = |key: String, label: String, members: &dyn Fn(&Comune) -> bool| {
        let comuni = universe.iter().filter(|c| members(c)).count();
        let rs: Vec<&Record> = matched
            .iter()
            .filter(|(c, _)| members(c))
            .map(|(_, r)| *r)
            .collect();
        ctx.group(key, label, comuni, &rs)
    };

    let scope_info = scope.describe();
    let total = group(
        scope_info.kind.to_string(),
        scope_info.name.clone(),
        &|_| true,
    );
    let by_region = if matches!(scope, Scope::Italy) {
        list.regions()
            .into_iter()
            .map(|region| {
                group(region.to_string(), region.to_string(), &|c: &Comune| {
                    c.region == region
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let by_province = if matches!(scope, Scope::Province(_)) {
        Vec::new()
    } else {
        list.provinces()
            .into_iter()
            .filter(|p| match scope {
                Scope::Region(r) => &p.region == r,
                _ => true,
            })
            .map(|p| {
                let abbr = p.abbreviation.clone();
                group(
                    p.abbreviation.clone(),
                    format!("{} ({})", p.name, p.abbreviation),
                    &|c: &Comune| c.province == abbr,
                )
            })
            .collect()
    };
    let by_band = PopulationBand::ALL
        .iter()
        .map(|&band| {
            group(band.id().to_string(), band.label().to_string(), &|c| {
                PopulationBand::of(c.population) == band
            })
        })
        .collect();
    let missing = universe
        .iter()
        .filter(|c| !assessed_codes.contains(c.istat_code.as_str()))
        .map(|c| MissingComune {
            istat_code: c.istat_code.clone(),
            name: c.name.clone(),
            province: c.province.clone(),
            population: c.population,
        })
        .collect();

    Report {
        questionnaire: questionnaire_id.to_string(),
        questionnaire_title: latest.as_ref().map(|q| q.title.clone()).unwrap_or_default(),
        versions: versions.into_iter().collect(),
        versions_note: versions_note(figures_version.as_deref(), &other_versions),
        figures_version,
        other_versions,
        scope: scope_info,
        min_group: opts.min_group,
        total,
        by_region,
        by_province,
        by_band,
        missing,
        unmatched,
        successions,
        outside_scope,
        istat_source: istat::ATTRIBUTION,
    }
}

/// One [`Report`] per questionnaire found in `records` (comune and Polis
/// offices are never mixed), by questionnaire id.
pub fn reports(
    records: &[Record],
    list: &IstatList,
    scope: &Scope,
    opts: AggregateOptions,
) -> Vec<Report> {
    let ids: BTreeSet<&str> = records
        .iter()
        .map(|r| r.questionnaire.id.as_str())
        .collect();
    ids.into_iter()
        .map(|id| aggregate(records, id, list, scope, opts))
        .collect()
}

/// The records of `scope`: by the ISTAT list (the comune of today for the
/// code of a merged comune), or for a code unknown to the list by the region
/// and province the file declares (as [`aggregate`] counts them among the
/// unmatched).
pub fn in_scope<'a>(records: &'a [Record], list: &IstatList, scope: &Scope) -> Vec<&'a Record> {
    records
        .iter()
        .filter(|r| match list.resolve(&r.istat_code) {
            Some(res) => scope.contains(res.comune),
            None => scope.contains_declared(r),
        })
        .collect()
}

struct Ctx<'a> {
    latest: Option<&'a Questionnaire>,
    /// Only results of this version enter the figures.
    version: Option<&'a str>,
    opts: AggregateOptions,
}

#[derive(Default)]
struct QuestionAcc {
    applicable: usize,
    level_sum: u64,
    below_target: usize,
    unknown: usize,
}

impl Ctx<'_> {
    fn group(&self, key: String, label: String, comuni: usize, rs: &[&Record]) -> GroupStats {
        let assessed = rs.len();
        let in_figures: Vec<&Record> = rs
            .iter()
            .copied()
            .filter(|r| Some(r.questionnaire.version.as_str()) == self.version)
            .collect();
        let suppressed = in_figures.len() < self.opts.min_group.max(1);
        let figures = if suppressed {
            None
        } else {
            self.figures(&in_figures)
        };
        GroupStats {
            key,
            label,
            comuni,
            assessed,
            other_version: assessed - in_figures.len(),
            missing: comuni.saturating_sub(assessed),
            coverage_pct: if comuni == 0 {
                0.0
            } else {
                round1(100.0 * assessed as f64 / comuni as f64)
            },
            suppressed,
            figures,
        }
    }

    fn figures(&self, rs: &[&Record]) -> Option<Figures> {
        let min = self.opts.min_group.max(1);
        let overall: Vec<f64> = rs.iter().map(|r| r.overall).collect();
        let overall = quartiles(&overall)?;

        // Domains and questions by id, in the order of the latest version,
        // then any ids only older versions have.
        let mut domain_order: Vec<(String, String)> = Vec::new();
        let mut question_order: Vec<(String, String, String, u8)> = Vec::new();
        let mut push_q = |q: &Questionnaire| {
            for d in &q.domains {
                if !domain_order.iter().any(|(id, _)| id == &d.id) {
                    domain_order.push((d.id.clone(), d.title.clone()));
                }
            }
            for (d, question) in q.questions() {
                if !question_order.iter().any(|(id, ..)| id == &question.id) {
                    question_order.push((
                        question.id.clone(),
                        d.id.clone(),
                        question.text.clone(),
                        question.target_level,
                    ));
                }
            }
        };
        let mut versions_seen: BTreeSet<&str> = BTreeSet::new();
        if let Some(q) = self.latest {
            versions_seen.insert(q.version.as_str());
            push_q(q);
        }
        for r in rs {
            if versions_seen.insert(r.questionnaire.version.as_str()) {
                push_q(&r.questionnaire);
            }
        }

        let mut domain_values: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut acc: BTreeMap<&str, QuestionAcc> = BTreeMap::new();
        let mut tiers: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut baseline_met = 0usize;
        for r in rs {
            if r.baseline_met {
                baseline_met += 1;
            }
            *tiers.entry(r.tier.id()).or_default() += 1;
            for (d, score) in r.questionnaire.domains.iter().zip(&r.domains) {
                if let Some(s) = score {
                    domain_values.entry(d.id.as_str()).or_default().push(*s);
                }
            }
            for ((_, question), state) in r.questionnaire.questions().zip(&r.states) {
                if !state.is_applicable() {
                    continue;
                }
                let a = acc.entry(question.id.as_str()).or_default();
                a.applicable += 1;
                let level = state.scored_level();
                a.level_sum += u64::from(level);
                if level < question.target_level {
                    a.below_target += 1;
                }
                if *state == QuestionState::Unknown {
                    a.unknown += 1;
                }
            }
        }

        let domains = domain_order
            .iter()
            .map(|(id, title)| {
                let values = domain_values.get(id.as_str());
                let n = values.map_or(0, Vec::len);
                DomainFigures {
                    id: id.clone(),
                    title: title.clone(),
                    comuni: n,
                    scores: if n >= min {
                        values.and_then(|v| quartiles(v))
                    } else {
                        None
                    },
                }
            })
            .collect();

        let questions: Vec<QuestionFigures> = question_order
            .iter()
            .filter_map(|(id, domain, text, _)| {
                let a = acc.get(id.as_str())?;
                if a.applicable < min {
                    return None;
                }
                let n = a.applicable as f64;
                Some(QuestionFigures {
                    id: id.clone(),
                    domain: domain.clone(),
                    text: text.clone(),
                    comuni: a.applicable,
                    mean_level: (a.level_sum as f64 / n * 100.0).round() / 100.0,
                    below_target: a.below_target,
                    below_target_pct: round1(100.0 * a.below_target as f64 / n),
                    unknown: a.unknown,
                    unknown_pct: round1(100.0 * a.unknown as f64 / n),
                })
            })
            .collect();
        let mut weakest = questions.clone();
        weakest.sort_by(|a, b| {
            a.mean_level
                .total_cmp(&b.mean_level)
                .then(b.below_target_pct.total_cmp(&a.below_target_pct))
                .then_with(|| a.id.cmp(&b.id))
        });
        weakest.truncate(self.opts.top);
        let mut most_unknown: Vec<QuestionFigures> =
            questions.into_iter().filter(|q| q.unknown > 0).collect();
        most_unknown.sort_by(|a, b| {
            b.unknown_pct
                .total_cmp(&a.unknown_pct)
                .then(b.unknown.cmp(&a.unknown))
                .then_with(|| a.id.cmp(&b.id))
        });
        most_unknown.truncate(self.opts.top);

        Some(Figures {
            overall,
            domains,
            baseline_met,
            baseline_pass_pct: round1(100.0 * baseline_met as f64 / rs.len().max(1) as f64),
            tiers,
            weakest_questions: weakest,
            most_unknown,
        })
    }
}
