//! The PDF remediation plan, generated for every demo example and read back
//! with real tools: poppler's `pdftotext` and `pdffonts`, and `qpdf --check`
//! (installed by `scripts/test.sh`). Also the command line (`plan --pdf`,
//! `--previous`, `demo`) and the character coverage of the embedded font.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use chrono::NaiveDate;
use sentinella::model::{AnswerSheet, Questionnaire};
use sentinella::plan::{self, Plan};
use sentinella::report::{self, missing_glyphs, PlanReport, PreviousAssessment, RenderedPdf};
use sentinella::scoring::{self, Score};
use sentinella::{demo, load};

use common::{assert_clean_pdf, run, sentinella, stderr, stdout};

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

struct Example {
    stem: String,
    questionnaire: Questionnaire,
    sheet: AnswerSheet,
    score: Score,
    plan: Plan,
}

/// Every demo example of every built-in questionnaire.
fn examples() -> Vec<Example> {
    let (catalog, errors) = load::Catalog::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    let mut out = Vec::new();
    for entry in catalog.entries() {
        let q = entry.questionnaire.as_ref().clone();
        for ex in demo::examples(&q, date()) {
            let score = scoring::score(&q, &ex.sheet);
            let plan = plan::build(&q, &ex.sheet, &score);
            out.push(Example {
                stem: ex.stem,
                questionnaire: q.clone(),
                sheet: ex.sheet,
                score,
                plan,
            });
        }
    }
    assert!(out.len() >= 3, "expected the demo examples");
    out
}

fn render(ex: &Example) -> RenderedPdf {
    report::plan_pdf(&PlanReport {
        questionnaire: &ex.questionnaire,
        sheet: &ex.sheet,
        score: &ex.score,
        plan: &ex.plan,
        previous: None,
        contacts: &[],
        alerts: &[],
        territory: &[],
    })
    .unwrap_or_else(|e| panic!("{}: {e}", ex.stem))
}

/// The text of a PDF on one line: lines joined with spaces, runs of
/// whitespace collapsed (titles may wrap; pdftotext already joins words
/// hyphenated at a line end).
fn text_of(pdf: &Path) -> String {
    let raw = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_tmp(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn demo_plans_read_back_with_their_key_content() {
    let dir = tempfile::tempdir().unwrap();
    for ex in examples() {
        let pdf = render(&ex);
        assert!(
            pdf.replaced_chars.is_empty(),
            "{}: {:?}",
            ex.stem,
            pdf.replaced_chars
        );
        let path = write_tmp(dir.path(), &format!("{}.pdf", ex.stem), &pdf.bytes);
        let text = text_of(&path);
        let org = &ex.sheet.organization.name;
        assert!(
            text.contains(org.as_str()),
            "{}: organization name missing",
            ex.stem
        );
        for a in ex.plan.priority_actions() {
            let title = a.title.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(&title),
                "{}: priority measure {title:?} missing",
                ex.stem
            );
        }
        for word in ["è", "perché", "più", "attività", "Perché", "Non so"] {
            assert!(
                text.contains(word),
                "{}: {word:?} not found intact",
                ex.stem
            );
        }
        for needle in [
            "Scheda incidente",
            "Nella prima ora",
            "Polizia Postale e per la Sicurezza Cibernetica",
            "CSIRT Italia",
            "Garante per la protezione dei dati personali",
            "72 ore",
            "Metodo",
        ] {
            assert!(
                text.contains(needle),
                "{}: incident card / method lacks {needle:?}",
                ex.stem
            );
        }
        // The incident card differs by audience (issue 12): a comune calls
        // its own chain and learns whether notifying CSIRT Italia is a duty;
        // a Polis office escalates to Poste and photographs nothing.
        let (must, must_not): (&[&str], &[&str]) = match ex.sheet.organization.kind {
            sentinella::model::Audience::Comune => (
                &[
                    "(COSC)",
                    "Fornitore informatico",
                    "DPO",
                    "Facoltativo ma utile",
                    "Legge 90/2024",
                ],
                &[
                    "Referente per la sicurezza di Poste",
                    "Assistenza informatica di Poste",
                ],
            ),
            sentinella::model::Audience::PolisOffice => (
                &[
                    "Referente per la sicurezza di Poste Italiane",
                    "Assistenza informatica di Poste",
                    "Direttore dell'ufficio postale",
                    "Non fotografate",
                    "Lo sportello non notifica da sé",
                ],
                &[
                    "fotografate lo schermo con il telefono",
                    "Facoltativo ma utile",
                ],
            ),
        };
        for needle in must {
            assert!(text.contains(needle), "{}: card lacks {needle:?}", ex.stem);
        }
        for needle in must_not {
            assert!(!text.contains(needle), "{}: card has {needle:?}", ex.stem);
        }
        // The honest headline: a capped tier says why, beside the average.
        if ex.score.is_capped() {
            assert!(text.contains("Media delle risposte"), "{}", ex.stem);
            assert!(text.contains("limitato:"), "{}", ex.stem);
        }
        // Polis 2.0.0: the items Poste runs are listed to verify with Poste.
        let central = ex.questionnaire.questions().any(|(_, q)| q.central);
        assert_eq!(
            text.contains("Da verificare con Poste Italiane"),
            central,
            "{}",
            ex.stem
        );
        let n = pdf.pages;
        assert!(text.contains("Pagina 1 di"), "{}", ex.stem);
        assert!(
            text.contains(&format!("Pagina {n} di {n}")),
            "{}: last page number",
            ex.stem
        );
        // Every "Non so" became a question for the supplier, worded as sent.
        for q in &ex.plan.supplier_questions {
            let wanted = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(&wanted),
                "{}: supplier question missing: {wanted}",
                ex.stem
            );
        }
    }
}

#[test]
fn demo_plans_pass_qpdf_and_embed_subset_fonts() {
    let dir = tempfile::tempdir().unwrap();
    for ex in examples() {
        let pdf = render(&ex);
        let path = write_tmp(dir.path(), &format!("{}.pdf", ex.stem), &pdf.bytes);
        let p = path.to_str().unwrap();
        assert_clean_pdf(p, &ex.stem);
        let info = run("pdfinfo", &["-rawdates", p]);
        assert!(info.contains(&ex.sheet.organization.name), "{info}");
        assert!(
            info.contains("CreationDate:    D:20261124000000Z"),
            "{info}"
        );
        assert!(
            info.contains(&format!("Pages:           {}", pdf.pages)),
            "{info}"
        );
    }
}

#[test]
fn the_catalog_carries_language_and_bookmarks() {
    let ex = examples().into_iter().next().unwrap();
    let pdf = render(&ex);
    let doc = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(
        catalog.get(b"Lang").unwrap(),
        &lopdf::Object::String(b"it-IT".to_vec(), lopdf::StringFormat::Literal)
    );
    // Walk the top level of the outline.
    let outlines = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut id = outlines.get(b"First").unwrap().as_reference().unwrap();
    let mut titles = Vec::new();
    loop {
        let item = doc.get_dictionary(id).unwrap();
        let title = item.get(b"Title").unwrap().as_str().unwrap();
        titles.push(decode_text(title));
        match item.get(b"Next").and_then(lopdf::Object::as_reference) {
            Ok(next) => id = next,
            Err(_) => break,
        }
    }
    for wanted in [
        "Copertina",
        "Sintesi per la Giunta",
        "Risultati",
        "Piano d'azione",
        "Domande per il fornitore informatico",
        "Scheda incidente",
        "Metodo",
    ] {
        assert!(
            titles.iter().any(|t| t == wanted),
            "bookmark {wanted:?} missing: {titles:?}"
        );
    }
}

fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

#[test]
fn the_same_answers_give_the_same_bytes() {
    for ex in examples() {
        let a = render(&ex);
        let b = render(&ex);
        assert!(a.bytes == b.bytes, "{}: two renderings differ", ex.stem);
    }
}

#[test]
fn the_largest_plan_stays_within_the_size_budget() {
    let largest = examples()
        .into_iter()
        .map(|ex| render(&ex))
        .max_by_key(|p| p.bytes.len())
        .unwrap();
    assert!(
        largest.bytes.len() <= 250 * 1024,
        "largest plan is {} bytes",
        largest.bytes.len()
    );
}

#[test]
fn a_previous_assessment_adds_the_changes_section() {
    let all = examples();
    let weak = &all[0];
    let now = all
        .iter()
        .find(|e| {
            e.questionnaire.id == weak.questionnaire.id && e.score.overall > weak.score.overall
        })
        .unwrap();
    let comparison = plan::compare((&weak.score, &weak.plan), (&now.score, &now.plan));
    let pdf = report::plan_pdf(&PlanReport {
        questionnaire: &now.questionnaire,
        sheet: &now.sheet,
        score: &now.score,
        plan: &now.plan,
        previous: Some(PreviousAssessment {
            assessed_on: NaiveDate::from_ymd_opt(2025, 11, 3).unwrap(),
            comparison: &comparison,
        }),
        contacts: &[],
        alerts: &[],
        territory: &[],
    })
    .unwrap();
    assert!(pdf.replaced_chars.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let text = text_of(&write_tmp(dir.path(), "changes.pdf", &pdf.bytes));
    assert!(
        text.contains("Cosa è cambiato dalla valutazione precedente"),
        "{text}"
    );
    assert!(
        text.contains("Rispetto alla valutazione del 3 novembre 2025"),
        "{text}"
    );
    assert!(text.contains("Azioni concluse"));
    assert!(text.contains("Valutazione precedente"), "chart legend");
    for (_, title) in comparison.closed.iter().take(3) {
        let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&t), "closed action {t:?}");
    }
}

#[test]
fn every_questionnaire_character_is_in_the_font() {
    let dir = common::root().join("questionnaires");
    let mut checked = 0;
    for file in load::json_files(&dir).unwrap() {
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut text = String::new();
        collect_strings(&value, &mut text);
        let missing = missing_glyphs(&text);
        assert!(
            missing.is_empty(),
            "{}: characters missing from the font: {missing:?}",
            file.display()
        );
        checked += 1;
    }
    assert!(checked >= 1);
    // The fixed labels the report prints from the model.
    let mut labels = String::new();
    for role in sentinella::model::Role::ALL {
        labels.push_str(role.label_it());
    }
    for h in sentinella::model::Horizon::ALL {
        labels.push_str(h.label_it());
    }
    for c in [
        sentinella::model::CostBand::Zero,
        sentinella::model::CostBand::Under1k,
        sentinella::model::CostBand::From1kTo5k,
        sentinella::model::CostBand::Over5k,
    ] {
        labels.push_str(c.label_it());
    }
    assert!(
        missing_glyphs(&labels).is_empty(),
        "{:?}",
        missing_glyphs(&labels)
    );
}

fn collect_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

#[test]
fn cli_plan_writes_a_pdf_with_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = sentinella(&["demo", "--out", d, "--date", "2026-11-24"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The demo wrote one PDF per example.
    let mut answers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".answers.json"))
        .collect();
    answers.sort();
    assert!(answers.len() >= 3);
    for a in &answers {
        let pdf = a.to_string_lossy().replace(".answers.json", ".plan.pdf");
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{pdf}: {e}"));
        assert!(bytes.starts_with(b"%PDF-1.7"), "{pdf}");
    }

    // An older assessment of the same comune: the weakest answers, moved
    // to the organization of another example and one year back.
    let struggling = answers
        .iter()
        .find(|p| p.to_string_lossy().contains("comune-struggling"))
        .unwrap();
    let average = answers
        .iter()
        .find(|p| p.to_string_lossy().contains("comune-average"))
        .unwrap();
    let mut older: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(struggling).unwrap()).unwrap();
    let current: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(average).unwrap()).unwrap();
    older["organization"] = current["organization"].clone();
    older["assessed_on"] = "2025-11-24".into();
    let older_path = dir.path().join("older.json");
    std::fs::write(&older_path, serde_json::to_string_pretty(&older).unwrap()).unwrap();

    let pdf_path = dir.path().join("plan.pdf");
    let args = [
        "plan",
        average.to_str().unwrap(),
        "--pdf",
        pdf_path.to_str().unwrap(),
        "--previous",
        older_path.to_str().unwrap(),
    ];
    let out = sentinella(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("pages"), "{}", stdout(&out));
    let text = text_of(&pdf_path);
    assert!(text.contains("Cosa è cambiato dalla valutazione precedente"));
    assert!(text.contains("24 novembre 2025"));
    let first = std::fs::read(&pdf_path).unwrap();
    let out = sentinella(&args);
    assert!(out.status.success());
    assert!(
        std::fs::read(&pdf_path).unwrap() == first,
        "the CLI output is not reproducible"
    );

    // The previous assessment must be older.
    let out = sentinella(&[
        "plan",
        older_path.to_str().unwrap(),
        "--pdf",
        pdf_path.to_str().unwrap(),
        "--previous",
        average.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--previous"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn the_blank_questionnaire_has_every_question_and_the_whole_supplier_letter() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, _) = load::Catalog::builtin();
    for id in ["comune", "sportello-polis"] {
        let q = &catalog.latest(id).unwrap().questionnaire;
        let out = dir.path().join(format!("{id}.pdf"));
        let o = sentinella(&[
            "blank",
            "--questionnaire",
            id,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("pages"), "{}", stdout(&o));
        assert_clean_pdf(out.to_str().unwrap(), id);
        let text = text_of(&out);
        // Context questions lettered, scored questions numbered as the
        // supplier letter refers to them.
        for (i, c) in q.context.iter().enumerate() {
            let letter = char::from(b'A' + i as u8);
            assert!(
                text.contains(&format!("{letter}. {}", c.text)),
                "{id}: {}",
                c.text
            );
        }
        let mut n = 0;
        let mut conditional = 0;
        for d in &q.domains {
            assert!(text.contains(&d.title), "{id}: {}", d.title);
            for question in &d.questions {
                n += 1;
                assert!(
                    text.contains(&format!("{n}. {}", question.text)),
                    "{id}: question {n} {}",
                    question.text
                );
                assert!(
                    text.contains(&format!("{n}. {}", question.action.supplier_question)),
                    "{id}: supplier question {n}"
                );
                conditional += usize::from(question.applies_if.is_some());
            }
        }
        assert_eq!(
            text.matches("Rispondete solo se").count(),
            conditional,
            "{id}"
        );
        assert!(
            text.matches("Non so").count() >= n,
            "{id}: a «Non so» box per question"
        );
        assert!(
            text.contains(q.audience.wording().supplier_addressee),
            "{id}"
        );
        // Same input, same bytes; nothing the font cannot draw.
        let pdf = report::blank_pdf(&report::BlankForm {
            questionnaire: q,
            printed_on: date(),
        })
        .unwrap();
        assert!(
            pdf.replaced_chars.is_empty(),
            "{id}: {:?}",
            pdf.replaced_chars
        );
        let again = report::blank_pdf(&report::BlankForm {
            questionnaire: q,
            printed_on: date(),
        })
        .unwrap();
        assert_eq!(pdf.bytes, again.bytes, "{id}: deterministic");
    }
    let o = sentinella(&[
        "blank",
        "--questionnaire",
        "nope",
        "--out",
        "/tmp/never-written.pdf",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no questionnaire 'nope'"),
        "{}",
        stderr(&o)
    );
    assert!(!Path::new("/tmp/never-written.pdf").exists());
}
