//! The territorial PDF summary, from real signed and verified result files
//! of the built-in questionnaires, read back with poppler's `pdftotext` and
//! `pdffonts` and with `qpdf --check`; and `aggregate --pdf` on the command
//! line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};

use sentinella::aggregate::{self, AggregateOptions, Record, Report, Scope};
use sentinella::demo::{self, Profile};
use sentinella::exchange::{self, ExportOptions};
use sentinella::istat::IstatList;
use sentinella::keys::KeyPair;
use sentinella::load::{Catalog, LoadedAnswers};
use sentinella::model::Answer;
use sentinella::report::{self, missing_glyphs, RegionInfo, RenderedPdf};
use sentinella::scoring;

use common::{assert_clean_pdf, run, sentinella, stderr, stdout};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A small deterministic generator (xorshift), so that every run makes
/// the same comuni with the same answers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// One signed and verified result of comune `code` for questionnaire `qid`:
/// the demo answers of `profile`, with a share of the answers re-picked at
/// random (none when `vary` is false).
fn record(catalog: &Catalog, qid: &str, code: &str, profile: Profile, vary: bool) -> Record {
    let version = catalog.latest(qid).unwrap().questionnaire.version.clone();
    record_of(catalog, qid, &version, code, profile, vary)
}

/// [`record`] with a given version of the questionnaire.
fn record_of(
    catalog: &Catalog,
    qid: &str,
    version: &str,
    code: &str,
    profile: Profile,
    vary: bool,
) -> Record {
    let list = IstatList::builtin().unwrap();
    let loaded = catalog.get(qid, version).unwrap().clone();
    let q = &loaded.questionnaire;
    let mut sheet = demo::example(q, profile, today()).sheet;
    let org = &mut sheet.organization;
    org.istat_code = code.to_string();
    match list.resolve(code) {
        Some(r) => {
            let c = r.comune;
            // A file made before a merger carries the old comune's name.
            let name = r.succession.map_or(&c.name, |s| &s.old_name);
            org.name = format!("Comune di {name}");
            org.province = c.province.clone();
            org.region = c.region.clone();
            org.population = c.population.max(1);
        }
        None => {
            org.name = "Comune di Nuovafusione".into();
            org.region = "Lazio".into();
        }
    }
    if vary {
        let mut rng = Rng(code.parse::<u64>().unwrap_or(7) * 2_654_435_761 + 1);
        for (_, question) in q.questions() {
            if rng.next().is_multiple_of(3) && !question.options.is_empty() {
                let i = (rng.next() % question.options.len() as u64) as usize;
                sheet.answers.insert(
                    question.id.clone(),
                    Answer {
                        option: question.options[i].id.clone(),
                        note: None,
                    },
                );
            }
        }
    }
    let loaded = LoadedAnswers {
        sheet,
        questionnaire: loaded,
    };
    let score = scoring::score(&loaded.questionnaire.questionnaire, &loaded.sheet);
    let opts = ExportOptions {
        with_notes: false,
        app_version: "0.1.0".into(),
        exported_at: Utc.with_ymd_and_hms(2026, 11, 24, 18, 0, 0).unwrap(),
        assessment_id: None,
    };
    let payload = exchange::build_payload(&loaded, &score, &opts);
    let key = KeyPair::from_seed([code.as_bytes()[5]; 32]);
    let bytes = exchange::seal(&payload, &key).unwrap();
    let v = exchange::verify_bytes(&bytes, catalog, None).unwrap();
    Record::from_verified(&v, &format!("{qid}-{code}.json"))
}

/// The first `n` comuni of a province (ISTAT order).
fn codes(province: &str, n: usize) -> Vec<String> {
    let list = IstatList::builtin().unwrap();
    list.all()
        .iter()
        .filter(|c| c.province == province)
        .take(n)
        .map(|c| c.istat_code.clone())
        .collect()
}

/// Lazio: 40 comuni of Viterbo, 45 of Roma, 30 of Frosinone, 20 of Latina
/// with varied answers; 4 of Rieti with the same untouched "well run"
/// answers (so Rieti's median is a number of its own); one file with a code
/// not in the ISTAT list; 3 Polis offices in Viterbo.
fn lazio_records() -> Vec<Record> {
    let (catalog, errors) = Catalog::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    let mut out = Vec::new();
    for (province, n) in [("VT", 40), ("RM", 45), ("FR", 30), ("LT", 20)] {
        for (i, code) in codes(province, n).iter().enumerate() {
            let profile = Profile::ALL[i % 3];
            out.push(record(&catalog, "comune", code, profile, true));
        }
    }
    for code in codes("RI", 4) {
        out.push(record(&catalog, "comune", &code, Profile::WellRun, false));
    }
    out.push(record(
        &catalog,
        "comune",
        "056999",
        Profile::Average,
        false,
    ));
    for code in codes("VT", 3) {
        out.push(record(
            &catalog,
            "sportello-polis",
            &code,
            Profile::Average,
            true,
        ));
    }
    out
}

fn reports(records: &[Record], scope: &Scope, min_group: usize) -> Vec<Report> {
    let list = IstatList::builtin().unwrap();
    let current = records.to_vec();
    ["comune", "sportello-polis"]
        .iter()
        .filter(|id| current.iter().any(|r| r.questionnaire.id == **id))
        .map(|id| {
            aggregate::aggregate(
                &current,
                id,
                list,
                scope,
                AggregateOptions { min_group, top: 10 },
            )
        })
        .collect()
}

fn render(reports: &[Report], scope: &Scope) -> RenderedPdf {
    report::region_pdf(
        reports,
        &RegionInfo {
            scope: &scope.describe(),
            generated_on: today(),
        },
    )
    .unwrap()
}

/// `pdftotext -layout`: table rows stay on one line.
fn layout_text(dir: &Path, name: &str, pdf: &RenderedPdf) -> String {
    let path = dir.join(name);
    std::fs::write(&path, &pdf.bytes).unwrap();
    run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
    )
}

/// The same text on one line, whitespace collapsed (sentences may wrap).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line of a layout text that starts with `label`.
fn row<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no row {label:?} in:\n{text}"))
}

/// Whether `number` ("84,9") appears in `text` as a number of its own:
/// not inside a longer number and not as a percentage ("84,9%").
fn has_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit() || c == '%')
    })
}

/// Median with one decimal and a decimal comma, computed here from the
/// scores (not by the aggregation).
fn median_it(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let m = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    format!("{:.1}", (m * 10.0).round() / 10.0).replace('.', ",")
}

fn scores_of(records: &[Record], qid: &str, keep: impl Fn(&str) -> bool) -> Vec<f64> {
    let list = IstatList::builtin().unwrap();
    records
        .iter()
        .filter(|r| r.questionnaire.id == qid)
        .filter(|r| list.get(&r.istat_code).is_some_and(|c| keep(&c.province)))
        .map(|r| r.overall)
        .collect()
}

#[test]
fn region_summary_reads_back_with_its_figures() {
    let records = lazio_records();
    let scope = Scope::Region("Lazio".into());
    let reps = reports(&records, &scope, 5);
    assert_eq!(reps.len(), 2);
    let pdf = render(&reps, &scope);
    assert!(pdf.replaced_chars.is_empty(), "{:?}", pdf.replaced_chars);
    // To look at it: SENTINELLA_PDF_DIR=/some/dir cargo test --test region_pdf
    if let Some(out) = std::env::var_os("SENTINELLA_PDF_DIR") {
        std::fs::write(Path::new(&out).join("lazio.pdf"), &pdf.bytes).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let text = layout_text(dir.path(), "lazio.pdf", &pdf);
    let one = flat(&text);

    // Scope, questionnaires, date, counts.
    for needle in [
        "Sintesi territoriale",
        "Regione Lazio",
        "Autovalutazione di igiene informatica del Comune",
        "Autovalutazione dello Sportello Polis",
        "24 novembre 2026",
        "139 su 378",
        "meno di 5 comuni valutati",
    ] {
        assert!(one.contains(needle), "{needle:?} missing");
    }
    // Accents intact.
    for word in [
        "è",
        "più",
        "Livelli di maturità",
        "integrità",
        "«Non so»",
        "all'appello",
    ] {
        assert!(one.contains(word), "{word:?} not found intact");
    }

    // The medians, computed here from the recomputed scores.
    let all = median_it(scores_of(&records, "comune", |_| true));
    assert!(
        one.contains(&format!("Il punteggio mediano è {all} su 100")),
        "median {all} of Lazio missing"
    );
    let vt = row(&text, "Viterbo (VT)");
    let vt_median = median_it(scores_of(&records, "comune", |p| p == "VT"));
    assert!(vt.contains(&vt_median), "{vt:?} lacks {vt_median}");
    let cols: Vec<&str> = vt.split_whitespace().collect();
    assert_eq!(&cols[2..5], ["60", "40", "66,7%"], "{vt}");
    let rm = row(&text, "Roma (RM)");
    assert!(rm.contains("121") && rm.contains(" 45 "), "{rm}");

    // Footer on every page.
    let n = pdf.pages;
    assert!(n >= 5, "{n} pages");
    for p in 1..=n {
        assert!(one.contains(&format!("Pagina {p} di {n}")), "page {p}");
    }

    // The missing comuni are named (by province), the assessed ones are not.
    let list = IstatList::builtin().unwrap();
    let assessed: Vec<&str> = records.iter().map(|r| r.istat_code.as_str()).collect();
    let vt_all: Vec<_> = list.all().iter().filter(|c| c.province == "VT").collect();
    let missing_vt = vt_all
        .iter()
        .find(|c| !assessed.contains(&c.istat_code.as_str()))
        .unwrap();
    assert!(
        one.contains(&missing_vt.name),
        "{} missing",
        missing_vt.name
    );
    assert!(one.contains("Viterbo (VT): mancano 20 comuni su 60"));
    // Acquapendente sent its result: its name is nowhere in the PDF.
    assert!(assessed.contains(&"056001"));
    assert!(!one.contains("Acquapendente"));

    // The file with an unknown code.
    assert!(one.contains("Valutazioni con un codice ISTAT sconosciuto"));
    assert!(one.contains("056999") && one.contains("Comune di Nuovafusione"));

    // Polis: three offices only, so no figure at all for that questionnaire.
    assert!(
        one.contains("Sono meno dei 5 necessari"),
        "Polis section should be suppressed"
    );

    // Method and source.
    assert!(one.contains("ricalcola i punteggi dalle risposte"));
    assert!(one.contains("ISTAT, copia del 4 dicembre 2024"));
}

#[test]
fn a_province_under_the_threshold_shows_no_median_anywhere() {
    let records = lazio_records();
    let scope = Scope::Region("Lazio".into());
    // Rieti's four comuni gave identical answers: its median is their score.
    let ri = scores_of(&records, "comune", |p| p == "RI");
    assert_eq!(ri.len(), 4);
    let ri_median = median_it(ri);
    let dir = tempfile::tempdir().unwrap();

    // With a threshold of 4 Rieti shows its figures: the number is there.
    let shown = layout_text(
        dir.path(),
        "shown.pdf",
        &render(&reports(&records, &scope, 4), &scope),
    );
    assert!(
        has_number(row(&shown, "Rieti (RI)"), &ri_median),
        "with min-group 4 Rieti should show {ri_median}"
    );

    // With 5 (the default) it must not appear anywhere in the document.
    let hidden = layout_text(
        dir.path(),
        "hidden.pdf",
        &render(&reports(&records, &scope, 5), &scope),
    );
    let ri_row = row(&hidden, "Rieti (RI)");
    assert!(ri_row.contains('—'), "{ri_row}");
    assert!(
        !has_number(&hidden, &ri_median),
        "Rieti's median {ri_median} leaked:\n{hidden}"
    );
    // (The check itself: the shown version has the number in the text.)
    assert!(has_number(&shown, &ri_median));
    // The row says why, on the line under the name.
    let under = hidden
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("Rieti (RI)"))
        .nth(1)
        .unwrap();
    assert!(under.contains("meno di 5 comuni valutati"), "{under:?}");
}

/// Comuni of one province on comune 2.0.0 and on 2.1.0 (real signed files
/// of both versions): the figures use 2.1.0 alone, the three comuni on
/// 2.0.0 count as assessed, and the PDF says so.
#[test]
fn comune_2_0_0_and_2_1_0_results_are_not_mixed_in_the_figures() {
    let (catalog, errors) = Catalog::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    let records: Vec<Record> = codes("VT", 9)
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let version = if i < 3 { "2.0.0" } else { "2.1.0" };
            record_of(&catalog, "comune", version, code, Profile::ALL[i % 3], true)
        })
        .collect();
    let list = IstatList::builtin().unwrap();
    let scope = Scope::Province(list.find_province("VT").unwrap());
    let both = reports(&records, &scope, 5);
    let report = &both[0];
    assert_eq!(report.figures_version.as_deref(), Some("2.1.0"));
    assert_eq!(report.other_versions.len(), 1);
    assert_eq!(report.other_versions[0].version, "2.0.0");
    assert_eq!(report.other_versions[0].comuni, 3);
    assert_eq!((report.total.assessed, report.total.other_version), (9, 3));
    // The figures are exactly those of the six comuni on 2.1.0.
    let newer: Vec<Record> = records
        .iter()
        .filter(|r| r.questionnaire.version == "2.1.0")
        .cloned()
        .collect();
    let alone = &reports(&newer, &scope, 5)[0];
    assert_eq!(alone.versions_note, None);
    assert_eq!(
        serde_json::to_value(&report.total.figures).unwrap(),
        serde_json::to_value(&alone.total.figures).unwrap()
    );
    let figures = report.total.figures.as_ref().unwrap();
    assert!(figures
        .weakest_questions
        .iter()
        .chain(&figures.most_unknown)
        .all(|q| q.id != "acc_admin_passwords"));
    // The PDF states it, and shows the median of 2.1.0 alone.
    let median = median_it(newer.iter().map(|r| r.overall).collect());
    let dir = tempfile::tempdir().unwrap();
    let text = layout_text(dir.path(), "versions.pdf", &render(&both, &scope));
    let flat_text = flat(&text);
    assert!(
        flat_text.contains(
            "Le cifre riguardano solo chi ha usato la versione 2.1.0 del questionario. \
             3 enti hanno usato la versione 2.0.0"
        ),
        "{flat_text}"
    );
    assert!(
        has_number(&text, &median),
        "median {median} of 2.1.0 in:\n{text}"
    );
}

#[test]
fn italy_lists_regions_and_counts_not_names() {
    let records = lazio_records();
    let scope = Scope::Italy;
    let reps = reports(&records, &scope, 5);
    let pdf = render(&reps, &scope);
    let dir = tempfile::tempdir().unwrap();
    let text = layout_text(dir.path(), "italia.pdf", &pdf);
    let one = flat(&text);
    assert!(one.contains("Per regione") && one.contains("Per provincia"));
    assert!(row(&text, "Lazio").contains("378"));
    // Provinces with no assessment are summed up, not listed.
    assert!(one.contains("Non sono elencate 102 province senza alcun comune valutato"));
    // Missing comuni: counts per region, no names (Agliè, Piemonte, is missing).
    assert!(one.contains("L'elenco dei nomi è nella sintesi di ciascuna regione"));
    assert!(!one.contains("Agliè"));
    assert!(row(&text, "Piemonte").contains("1.180"));
}

#[test]
fn results_under_old_codes_are_listed_with_the_comune_of_today() {
    let (catalog, _) = Catalog::builtin();
    let mut records: Vec<Record> = codes("CO", 6)
        .iter()
        .enumerate()
        .map(|(i, code)| record(&catalog, "comune", code, Profile::ALL[i % 3], true))
        .collect();
    // Ronago and Uggiate-Trevano, merged in 2024 into Uggiate con Ronago.
    records.push(record(&catalog, "comune", "013199", Profile::ALL[0], false));
    records.push(record(&catalog, "comune", "013228", Profile::ALL[1], false));
    let list = IstatList::builtin().unwrap();
    let scope = Scope::Province(list.find_province("CO").unwrap());
    let reps = reports(&records, &scope, 5);
    assert_eq!(reps[0].total.assessed, 7);
    let pdf = render(&reps, &scope);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("como.pdf"), &pdf.bytes).unwrap();
    let text = layout_text(dir.path(), "como.pdf", &pdf);
    let one = flat(&text);
    assert!(
        one.contains("Valutazioni con il codice di un comune che non esiste più"),
        "{one}"
    );
    for code in ["013199", "013228"] {
        let line = row(&text, code);
        assert!(line.contains("Comune di Uggiate con Ronago"), "{line}");
    }
    assert!(row(&text, "013199").contains("Comune di Ronago"));
    assert!(one.contains("(013256)"));
    // Both files are dated alike: one counts, the other is marked "no".
    assert!(one.contains("conta solo quella"));
    assert_eq!(
        [row(&text, "013199"), row(&text, "013228")]
            .iter()
            .filter(|l| l.trim_end().ends_with("no"))
            .count(),
        1
    );
    assert_eq!(missing_glyphs(&one), Vec::<char>::new());
    let path = dir.path().join("como.pdf");
    assert_clean_pdf(path.to_str().unwrap(), "como.pdf");
    if let Ok(out) = std::env::var("SENTINELLA_KEEP_PDF") {
        std::fs::copy(&path, Path::new(&out).join("region-como-successions.pdf")).unwrap();
    }
}

#[test]
fn same_input_same_bytes_in_any_order() {
    let records = lazio_records();
    let scope = Scope::Region("Lazio".into());
    let a = render(&reports(&records, &scope, 5), &scope);
    let b = render(&reports(&records, &scope, 5), &scope);
    assert_eq!(a.bytes, b.bytes);
    let mut shuffled = records.clone();
    shuffled.reverse();
    let c = render(&reports(&shuffled, &scope, 5), &scope);
    assert_eq!(a.bytes, c.bytes, "the order of the files changed the PDF");
}

#[test]
fn summaries_pass_qpdf_and_embed_subset_fonts() {
    let records = lazio_records();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("lazio", Scope::Region("Lazio".into())),
        ("italia", Scope::Italy),
        (
            "viterbo",
            Scope::Province(IstatList::builtin().unwrap().find_province("VT").unwrap()),
        ),
    ];
    for (name, scope) in cases {
        let pdf = render(&reports(&records, &scope, 5), &scope);
        let path = dir.path().join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap();
        let p = path.to_str().unwrap();
        assert_clean_pdf(p, name);
        let info = run("pdfinfo", &["-rawdates", p]);
        assert!(
            info.contains("CreationDate:    D:20261124000000Z"),
            "{info}"
        );
        assert!(
            info.contains("Sintesi") || info.contains("sintesi"),
            "{info}"
        );
    }
}

#[test]
fn every_name_of_the_istat_list_has_glyphs() {
    // Missing comuni, provinces and regions are printed by name: the font
    // must draw every one of them (Südtirol, Vallée, Ñ...).
    let list = IstatList::builtin().unwrap();
    let mut text = String::new();
    for c in list.all() {
        text.push_str(&c.name);
        text.push_str(&c.province_name);
        text.push_str(&c.region);
    }
    assert_eq!(missing_glyphs(&text), Vec::<char>::new());
}

#[test]
fn nothing_assessed_gives_a_short_valid_pdf() {
    let scope = Scope::Region("Molise".into());
    let pdf = render(&[], &scope);
    assert_eq!(pdf.pages, 1);
    let dir = tempfile::tempdir().unwrap();
    let text = flat(&layout_text(dir.path(), "empty.pdf", &pdf));
    assert!(text.contains("Regione Molise"));
    assert!(text.contains("Nessuna valutazione da riassumere"));
    assert!(text.contains("Pagina 1 di 1"));
    run(
        "qpdf",
        &["--check", dir.path().join("empty.pdf").to_str().unwrap()],
    );
}

const Q: &str = "tests/fixtures/questionnaires";

#[test]
fn cli_aggregate_writes_the_pdf_and_reports_a_bad_path() {
    let dir = tempfile::tempdir().unwrap();
    let result = dir.path().join("result.json");
    let o = sentinella(&[
        "export",
        "--questionnaires",
        Q,
        "--answers",
        "tests/fixtures/answers/example1.answers.json",
        "--out",
        result.to_str().unwrap(),
        "--keys",
        dir.path().join("keys").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    let pdf = dir.path().join("sintesi.pdf");
    let o = sentinella(&[
        "aggregate",
        "--questionnaires",
        Q,
        "--region",
        "Lazio",
        "--pdf",
        pdf.to_str().unwrap(),
        result.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("wrote the PDF summary to"),
        "{}",
        stdout(&o)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(flat(&text).contains("Regione Lazio"), "{text}");
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".pdf")).count(),
        1,
        "{names:?}"
    );
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");

    // A folder that does not exist, and a path that is a folder.
    for bad in [
        dir.path().join("no-such-dir").join("sintesi.pdf"),
        dir.path().to_path_buf(),
    ] {
        let o = sentinella(&[
            "aggregate",
            "--questionnaires",
            Q,
            "--pdf",
            bad.to_str().unwrap(),
            result.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("cannot write"), "{err}");
        assert!(err.contains(bad.to_str().unwrap()), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
