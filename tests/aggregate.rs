//! Aggregation by territory, from real signed and verified result files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{NaiveDate, TimeZone, Utc};

use sentinella::aggregate::{
    self, quartiles, table, AggregateOptions, PopulationBand, Record, Report, Scope,
};
use sentinella::exchange::{self, ExportOptions};
use sentinella::istat::IstatList;
use sentinella::keys::KeyPair;
use sentinella::model::Answer;
use sentinella::scoring;

struct Spec<'a> {
    code: &'a str,
    name: Option<&'a str>,
    weekly: &'a str,
    offline: &'a str,
    date: &'a str,
    exported_hour: u32,
    /// Province and region the file declares (for a code not in the list).
    declared: Option<(&'a str, &'a str)>,
}

fn spec<'a>(code: &'a str, weekly: &'a str) -> Spec<'a> {
    Spec {
        code,
        name: None,
        weekly,
        offline: "l2",
        date: "2026-11-20",
        exported_hour: 10,
        declared: None,
    }
}

/// Export, sign and verify one result, then make its record.
fn record(s: &Spec) -> Record {
    let bytes = sealed(s);
    let v = exchange::verify_bytes(&bytes, &common::catalog(), None).unwrap();
    Record::from_verified(&v, &format!("{}.json", s.code))
}

/// Export and sign one result.
fn sealed(s: &Spec) -> Vec<u8> {
    let list = IstatList::builtin().unwrap();
    let mut loaded = common::answers("tests/fixtures/answers/example1.answers.json");
    let org = &mut loaded.sheet.organization;
    org.istat_code = s.code.to_string();
    if let Some(c) = list.get(s.code) {
        org.name = format!("Comune di {}", c.name);
        org.province = c.province.clone();
        org.region = c.region.clone();
        org.population = c.population;
    } else if let Some(r) = list.resolve(s.code) {
        // A file made before the comune was merged: its own name and the
        // data it had then (province and region of today are the same for
        // the merges used here).
        let old = r.succession.unwrap();
        org.name = format!("Comune di {}", old.old_name);
        org.province = r.comune.province.clone();
        org.region = r.comune.region.clone();
    } else {
        org.name = "Comune Nuovo".into();
    }
    if let Some(n) = s.name {
        org.name = n.to_string();
    }
    if let Some((province, region)) = s.declared {
        org.province = province.to_string();
        org.region = region.to_string();
    }
    loaded.sheet.assessed_on = NaiveDate::parse_from_str(s.date, "%Y-%m-%d").unwrap();
    for (q, o) in [("backup_weekly", s.weekly), ("backup_offline", s.offline)] {
        loaded.sheet.answers.insert(
            q.into(),
            Answer {
                option: o.into(),
                note: None,
            },
        );
    }
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let opts = ExportOptions {
        with_notes: false,
        app_version: "0.1.0".into(),
        exported_at: Utc
            .with_ymd_and_hms(2026, 11, 24, s.exported_hour, 0, 0)
            .unwrap(),
        assessment_id: None,
    };
    let payload = exchange::build_payload(&loaded, &score, &opts);
    let key = KeyPair::from_seed([s.code.len() as u8; 32]);
    exchange::seal(&payload, &key).unwrap()
}

const WEEKLY: [&str; 4] = ["l0", "l1", "l2", "l3"];

/// 7 comuni of Viterbo, 4 of Rieti, 1 code not in the list.
fn lazio_records() -> Vec<Record> {
    let vt = [
        "056044", "056001", "056002", "056003", "056004", "056005", "056006",
    ];
    let ri = ["057044", "057001", "057002", "057003"];
    let mut out: Vec<Record> = vt
        .iter()
        .chain(ri.iter())
        .enumerate()
        .map(|(i, code)| {
            let mut s = spec(code, WEEKLY[i % 4]);
            if i % 3 == 0 {
                s.offline = "unknown";
            }
            record(&s)
        })
        .collect();
    let mut unmatched = spec("056999", "l3");
    unmatched.name = Some("Comune Nuovo");
    out.push(record(&unmatched));
    out
}

fn lazio(records: &[Record], min_group: usize) -> Report {
    let list = IstatList::builtin().unwrap();
    aggregate::aggregate(
        records,
        "mini",
        list,
        &Scope::Region("Lazio".into()),
        AggregateOptions { min_group, top: 10 },
    )
}

#[test]
fn coverage_missing_and_suppression_by_area() {
    let records = lazio_records();
    let report = lazio(&records, 5);
    assert_eq!(report.scope.name, "Lazio");
    assert_eq!(report.total.comuni, 378);
    assert_eq!(report.total.assessed, 11);
    assert_eq!(report.total.missing, 367);
    assert_eq!(report.missing.len(), 367);
    assert!(report.missing.iter().all(|m| m.istat_code != "056044"));
    assert!(report.total.figures.is_some());
    assert!(report.by_region.is_empty());
    assert_eq!(report.by_province.len(), 5);
    let vt = report.by_province.iter().find(|g| g.key == "VT").unwrap();
    assert_eq!((vt.comuni, vt.assessed), (60, 7));
    assert!(!vt.suppressed && vt.figures.is_some());
    let ri = report.by_province.iter().find(|g| g.key == "RI").unwrap();
    assert_eq!(ri.assessed, 4);
    assert!(ri.suppressed, "4 comuni < 5: no figures");
    assert!(ri.figures.is_none());
    let rm = report.by_province.iter().find(|g| g.key == "RM").unwrap();
    assert!(rm.suppressed && rm.assessed == 0);
    // The unmatched code is listed, and left out of the figures.
    assert_eq!(report.unmatched.len(), 1);
    assert_eq!(report.unmatched[0].istat_code, "056999");
    // A lower threshold shows Rieti.
    let report3 = lazio(&records, 4);
    let ri = report3.by_province.iter().find(|g| g.key == "RI").unwrap();
    assert!(!ri.suppressed && ri.figures.is_some());
    // Suppressed groups serialize without any figure.
    let json = serde_json::to_value(&report).unwrap();
    let ri_json = json["by_province"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "RI")
        .unwrap();
    assert!(ri_json.get("figures").is_none(), "{ri_json}");
}

#[test]
fn figures_use_one_questionnaire_version_and_say_which() {
    // Three Rieti comuni answered an older version, scored under other
    // rules: they count as assessed, never in the medians.
    let mut records = lazio_records();
    let current = records[0].questionnaire.version.clone();
    let mut older = (*records[0].questionnaire).clone();
    older.version = "0.9.0".into();
    let older = std::sync::Arc::new(older);
    for r in records
        .iter_mut()
        .filter(|r| r.istat_code.starts_with("057"))
        .take(3)
    {
        r.questionnaire = older.clone();
        r.overall = 0.0;
    }
    let report = lazio(&records, 5);
    assert_eq!(report.figures_version.as_deref(), Some(current.as_str()));
    assert_eq!(report.other_versions.len(), 1);
    assert_eq!(report.other_versions[0].version, "0.9.0");
    assert_eq!(report.other_versions[0].comuni, 3);
    assert_eq!(report.total.assessed, 11);
    assert_eq!(report.total.other_version, 3);
    let note = report.versions_note.as_deref().unwrap();
    assert!(
        note.contains(&format!("solo chi ha usato la versione {current}"))
            && note.contains("3 enti hanno usato la versione 0.9.0"),
        "{note}"
    );
    // The figures are those of the 8 comuni on the current version alone.
    let same: Vec<Record> = records
        .iter()
        .filter(|r| r.questionnaire.version == current && r.istat_code != "056999")
        .cloned()
        .collect();
    let alone = lazio(&same, 5);
    assert_eq!(alone.total.assessed, 8);
    assert_eq!(alone.versions_note, None, "one version: nothing to say");
    assert_eq!(
        report.total.figures.as_ref().unwrap().overall,
        alone.total.figures.as_ref().unwrap().overall
    );
    // Rieti: 4 assessed, 1 on the current version: below the threshold.
    let ri = report.by_province.iter().find(|g| g.key == "RI").unwrap();
    assert_eq!((ri.assessed, ri.other_version), (4, 3));
    assert!(ri.suppressed && ri.figures.is_none());
    // When most comuni used the older version, the figures follow it.
    for r in records
        .iter_mut()
        .filter(|r| r.istat_code.starts_with("056"))
        .take(6)
    {
        r.questionnaire = older.clone();
    }
    let report = lazio(&records, 5);
    assert_eq!(report.figures_version.as_deref(), Some("0.9.0"));
    assert_eq!(report.other_versions[0].version, current);
}

fn como(records: &[Record]) -> Report {
    let list = IstatList::builtin().unwrap();
    aggregate::aggregate(
        records,
        "mini",
        list,
        &Scope::Province(list.find_province("CO").unwrap()),
        AggregateOptions {
            min_group: 1,
            top: 10,
        },
    )
}

#[test]
fn results_of_merged_comuni_count_under_the_comune_of_today() {
    // Ronago (013199) and Uggiate-Trevano (013228) were merged in 2024 into
    // Uggiate con Ronago (013256); their files carry the old codes.
    let mut ronago = spec("013199", "l3");
    ronago.date = "2026-11-20";
    let mut uggiate = spec("013228", "l0");
    uggiate.date = "2026-11-21";
    let mut unknown = spec("013999", "l3");
    unknown.name = Some("Comune Inventato");
    unknown.declared = Some(("CO", "Lombardia"));
    let records: Vec<Record> = [spec("013003", "l2"), ronago, uggiate, unknown]
        .iter()
        .map(record)
        .collect();
    let report = como(&records);
    // Two comuni are assessed: Albavilla (013003) and Uggiate con Ronago,
    // once, with the more recent of the two old files (Uggiate-Trevano).
    assert_eq!(report.total.assessed, 2);
    assert!(report.missing.iter().all(|m| m.istat_code != "013256"));
    assert!(report.missing.iter().all(|m| m.istat_code != "013199"));
    assert_eq!(report.successions.len(), 2);
    let by_code = |code: &str| {
        report
            .successions
            .iter()
            .find(|s| s.istat_code == code)
            .unwrap()
    };
    let (r, u) = (by_code("013199"), by_code("013228"));
    assert_eq!(
        (r.current_code.as_str(), r.current_name.as_str()),
        ("013256", "Uggiate con Ronago")
    );
    assert_eq!(
        r.name, "Comune di Ronago",
        "the name in the file stays visible"
    );
    assert!(u.counted && !r.counted, "the newer assessment counts");
    let f = report.total.figures.as_ref().unwrap();
    assert_eq!(
        f.tiers.values().sum::<usize>(),
        2,
        "two comuni in the figures"
    );
    // A code neither current nor known as suppressed is still left out.
    assert_eq!(report.unmatched.len(), 1);
    assert_eq!(report.unmatched[0].istat_code, "013999");

    // A result under the comune's own code wins over the old codes.
    let mut own = spec("013256", "l1");
    own.date = "2026-11-01";
    let mut with_own = records.clone();
    with_own.push(record(&own));
    let report = como(&with_own);
    assert_eq!(report.total.assessed, 2);
    assert!(report.successions.iter().all(|s| !s.counted));

    // The CSV table names the comune of today and keeps the code in the file.
    let mut csv = Vec::new();
    let refs: Vec<&Record> = records.iter().collect();
    table::write_comuni(&mut csv, &refs, IstatList::builtin().unwrap()).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("013199,Uggiate con Ronago,CO,Lombardia,6667,")),
        "{csv}"
    );
}

#[test]
fn bands_follow_the_istat_population() {
    assert_eq!(PopulationBand::of(0), PopulationBand::Under1000);
    assert_eq!(PopulationBand::of(999), PopulationBand::Under1000);
    assert_eq!(PopulationBand::of(1000), PopulationBand::From1000To4999);
    assert_eq!(PopulationBand::of(4999), PopulationBand::From1000To4999);
    assert_eq!(PopulationBand::of(5000), PopulationBand::From5000To14999);
    assert_eq!(PopulationBand::of(14999), PopulationBand::From5000To14999);
    assert_eq!(PopulationBand::of(15000), PopulationBand::From15000);
    let records = lazio_records();
    let report = lazio(&records, 1);
    let list = IstatList::builtin().unwrap();
    let lazio_count = list.in_region("Lazio").count();
    assert_eq!(
        report.by_band.iter().map(|g| g.comuni).sum::<usize>(),
        lazio_count
    );
    assert_eq!(report.by_band.iter().map(|g| g.assessed).sum::<usize>(), 11);
    let small = report
        .by_band
        .iter()
        .find(|g| g.key == "under_1000")
        .unwrap();
    let expected_small = records
        .iter()
        .filter_map(|r| list.get(&r.istat_code))
        .filter(|c| c.population < 1000)
        .count();
    assert_eq!(small.assessed, expected_small);
}

#[test]
fn quartiles_interpolate_like_spreadsheets() {
    let q = quartiles(&[40.0, 0.0, 20.0, 10.0, 30.0]).unwrap();
    assert_eq!((q.q1, q.median, q.q3), (10.0, 20.0, 30.0));
    let q = quartiles(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    assert_eq!((q.q1, q.median, q.q3), (1.8, 2.5, 3.3));
    let q = quartiles(&[7.0]).unwrap();
    assert_eq!((q.q1, q.median, q.q3), (7.0, 7.0, 7.0));
    assert!(quartiles(&[]).is_none());
    assert!(quartiles(&[f64::NAN]).is_none());
}

#[test]
fn figures_rank_weakest_questions_and_non_so() {
    let records = lazio_records();
    let report = lazio(&records, 5);
    let f = report.total.figures.as_ref().unwrap();
    // restore_test is l1 for everyone (level 1): weakest.
    assert_eq!(f.weakest_questions[0].id, "restore_test");
    assert_eq!(f.weakest_questions[0].mean_level, 1.0);
    assert_eq!(f.weakest_questions[0].below_target_pct, 100.0);
    // backup_offline: "Non so" for comuni 0, 3, 6, 9 of 11.
    let unknown = &f.most_unknown[0];
    assert_eq!(unknown.id, "backup_offline");
    assert_eq!(unknown.unknown, 4);
    assert_eq!(unknown.unknown_pct, 36.4);
    // server_admin does not apply to any of them (no own servers): no figure.
    assert!(f.weakest_questions.iter().all(|q| q.id != "server_admin"));
    // Baseline: backup_weekly needs level 2, "Non so" on backup_offline fails.
    let expected_pass = records
        .iter()
        .filter(|r| r.istat_code != "056999" && r.baseline_met)
        .count();
    assert_eq!(
        f.baseline_pass_pct,
        scoring::round1(100.0 * expected_pass as f64 / 11.0)
    );
    let overall: Vec<f64> = records
        .iter()
        .filter(|r| r.istat_code != "056999")
        .map(|r| r.overall)
        .collect();
    assert_eq!(f.overall, quartiles(&overall).unwrap());
    assert_eq!(f.domains.len(), 2);
    assert!(f.domains.iter().all(|d| d.scores.is_some()));
    assert_eq!(f.tiers.values().sum::<usize>(), 11);
}

#[test]
fn newest_assessment_is_current_and_resends_are_not_duplicated() {
    use sentinella::coordinator::{CoordinatorDb, Outcome};
    // Which result is current is decided by the coordinator database (an
    // in-memory one for files), the same rules as `collect`.
    let mut old = spec("056044", "l0");
    old.date = "2025-11-20";
    let new = spec("056044", "l3");
    let mut resend = spec("056044", "l3");
    resend.exported_hour = 15;
    let other = spec("056001", "l1");
    let mut db = CoordinatorDb::in_memory().unwrap();
    let catalog = common::catalog();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    let outcomes: Vec<Outcome> = [&new, &old, &resend, &other]
        .iter()
        .map(|s| {
            db.import(s.code, &sealed(s), &catalog, &Default::default(), now)
                .unwrap()
                .outcome
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            Outcome::New,
            Outcome::History,
            Outcome::Updated,
            Outcome::New
        ]
    );
    let (current, bad) = db.current_records(&catalog, 1).unwrap();
    assert!(bad.is_empty());
    assert_eq!(current.len(), 2);
    let current = current.iter().find(|r| r.istat_code == "056044").unwrap();
    assert_eq!(current.assessed_on.to_string(), "2026-11-20");
    assert_eq!(
        current.exported_at.to_rfc3339(),
        "2026-11-24T15:00:00+00:00"
    );
    assert_eq!(db.counts().unwrap().results, 3, "the 2025 one in history");
}

#[test]
fn aggregation_is_deterministic_and_order_free() {
    let records = lazio_records();
    let a = lazio(&records.clone(), 5);
    let mut reversed = records;
    reversed.reverse();
    let b = lazio(&reversed, 5);
    assert_eq!(a, b);
    let list = IstatList::builtin().unwrap();
    let italy = aggregate::aggregate(
        &lazio_records(),
        "mini",
        list,
        &Scope::Italy,
        AggregateOptions::default(),
    );
    assert_eq!(italy.total.comuni, 7895);
    assert_eq!(italy.outside_scope, 0);
    let viterbo = aggregate::aggregate(
        &lazio_records(),
        "mini",
        list,
        &Scope::Province(list.find_province("VT").unwrap()),
        AggregateOptions::default(),
    );
    assert_eq!(viterbo.total.assessed, 7);
    assert_eq!(viterbo.outside_scope, 4, "the 4 comuni of Rieti");
    assert!(viterbo.by_province.is_empty() && viterbo.by_region.is_empty());
    assert_eq!(viterbo.unmatched.len(), 1, "declared in VT");
    assert_eq!(italy.by_region.len(), 20);
    assert_eq!(italy.by_province.len(), 107);
    let lazio_group = italy.by_region.iter().find(|g| g.key == "Lazio").unwrap();
    assert_eq!(lazio_group.assessed, 11);
    assert!(italy
        .by_region
        .iter()
        .filter(|g| g.key != "Lazio")
        .all(|g| g.assessed == 0 && g.figures.is_none()));
    // Another questionnaire id aggregates nothing.
    let none = aggregate::aggregate(
        &lazio_records(),
        "comune",
        list,
        &Scope::Italy,
        AggregateOptions::default(),
    );
    assert_eq!(none.total.assessed, 0);
    assert!(none.total.figures.is_none());
}

#[test]
fn csv_exports_are_safe_against_formula_injection() {
    let mut evil = spec("056044", "l2");
    evil.name = Some("=HYPERLINK(\"http://x.invalid\",\"clic\")");
    let mut comma = spec("056001", "l1");
    comma.name = Some("Comune di \"Prova\", sede; @casa");
    let owned = [record(&evil), record(&comma)];
    let records: Vec<&Record> = owned.iter().collect();
    let list = IstatList::builtin().unwrap();

    let mut buf = Vec::new();
    table::write_comuni(&mut buf, &records, list).unwrap();
    let mut reader = csv::Reader::from_reader(buf.as_slice());
    let headers = reader.headers().unwrap().clone();
    let org = headers.iter().position(|h| h == "organization").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][org], "'=HYPERLINK(\"http://x.invalid\",\"clic\")");
    // Safe for a spreadsheet that splits on `;` too (issue 13, class 7).
    assert_eq!(&rows[1][org], "Comune di \"Prova\", sede; '@casa");
    assert_eq!(&rows[0][0], "056044");
    assert_eq!(&rows[0][1], "Proceno");
    assert!(headers.iter().any(|h| h == "domain:backup"));
    // No cell of either file starts with a formula character.
    let mut answers = Vec::new();
    table::write_answers(&mut answers, &records).unwrap();
    for bytes in [&buf, &answers] {
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        for row in r.records() {
            for cell in row.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?}"
                );
            }
        }
    }
    let mut r = csv::Reader::from_reader(answers.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2 * 5, "one row per comune and question");
    assert_eq!(&rows[0][5], "backup_weekly");
    assert_eq!(&rows[0][7], "level");
}
