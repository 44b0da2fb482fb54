//! CSV exports of the current records, for spreadsheets: one row per
//! comune, and one row per comune and question.
//!
//! Safe against formula injection (CSV injection) whatever separator the
//! spreadsheet splits on (`,`, the Italian default `;`, tab or `|`): each
//! piece of a cell between such separators that starts — after any white
//! space, including look-alike and zero-width spaces — with `=`, `+`, `-`,
//! `@`, a tab or a carriage return gets a single quote before that
//! character, so a spreadsheet shows it as text instead of running it.
//! Quoting follows RFC 4180 (the `csv` crate). Text is UTF-8,
//! comma-separated, numbers with a decimal point.

use std::borrow::Cow;
use std::io::Write;

use super::{PopulationBand, Record};
use crate::istat::IstatList;
use crate::scoring::{round1, GateStatus, QuestionState};

/// Characters a spreadsheet may split a line on.
fn is_separator(c: char) -> bool {
    matches!(c, ',' | ';' | '\t' | '|')
}

/// Characters a spreadsheet may skip before a formula: white space of any
/// kind and the zero-width ones.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\t' && c != '\r'
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        )
}

fn starts_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Make a cell safe for spreadsheets (see the module documentation).
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    // At the start of the cell or of a piece after a separator, before any
    // blank: the next non-blank character decides.
    let mut at_start = true;
    let mut out: Option<String> = None;
    for (i, c) in cell.char_indices() {
        if at_start && starts_formula(c) {
            let o = out.get_or_insert_with(|| cell[..i].to_string());
            o.push('\'');
            o.push(c);
            at_start = is_separator(c);
            continue;
        }
        if is_separator(c) {
            at_start = true;
        } else if !is_blank(c) {
            at_start = false;
        }
        if let Some(o) = out.as_mut() {
            o.push(c);
        }
    }
    match out {
        Some(o) => Cow::Owned(o),
        None => Cow::Borrowed(cell),
    }
}

fn write_row<W: Write>(w: &mut csv::Writer<W>, cells: &[String]) -> csv::Result<()> {
    w.write_record(cells.iter().map(|c| safe_cell(c).into_owned()))
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}", round1(v))).unwrap_or_default()
}

/// One row per record: the comune (from the ISTAT list when the code is
/// known, the comune of today for the code of a merged comune, else as
/// declared; `istat_code` is the code in the file, `istat_code_today` the
/// comune's code of today), the assessment, the scores, one column per
/// domain (`domain:<id>`; the union over the questionnaires present).
pub fn write_comuni<W: Write>(out: W, records: &[&Record], list: &IstatList) -> csv::Result<()> {
    let mut domains: Vec<String> = Vec::new();
    for r in records {
        for d in &r.questionnaire.domains {
            if !domains.contains(&d.id) {
                domains.push(d.id.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = [
        "istat_code",
        "comune",
        "province",
        "region",
        "population",
        "population_band",
        "in_istat_list",
        "istat_code_today",
        "organization",
        "questionnaire",
        "version",
        "assessment_id",
        "assessed_on",
        "exported_at",
        "overall",
        "tier",
        "baseline_met",
        "failed_gates",
        "unknown",
        "unanswered",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    header.extend(domains.iter().map(|d| format!("domain:{d}")));
    header.extend(["key_fingerprint".to_string(), "source_file".to_string()]);
    write_row(&mut w, &header)?;
    for r in records {
        let comune = list.resolve(&r.istat_code).map(|res| res.comune);
        let (name, province, region, population) = match comune {
            Some(c) => (
                c.name.clone(),
                c.province.clone(),
                c.region.clone(),
                c.population,
            ),
            None => (
                r.name.clone(),
                r.declared_province.clone(),
                r.declared_region.clone(),
                r.declared_population,
            ),
        };
        let count = |s: QuestionState| r.states.iter().filter(|&&x| x == s).count();
        let mut row = vec![
            r.istat_code.clone(),
            name,
            province,
            region,
            population.to_string(),
            PopulationBand::of(population).id().to_string(),
            comune.is_some().to_string(),
            comune.map_or_else(String::new, |c| c.istat_code.clone()),
            r.name.clone(),
            r.questionnaire.id.clone(),
            r.questionnaire.version.clone(),
            r.assessment_id.clone(),
            r.assessed_on.to_string(),
            r.exported_at.to_rfc3339(),
            format!("{:.1}", round1(r.overall)),
            r.tier.id().to_string(),
            r.baseline_met.to_string(),
            r.failed_gates.to_string(),
            count(QuestionState::Unknown).to_string(),
            count(QuestionState::Unanswered).to_string(),
        ];
        for d in &domains {
            let score = r
                .questionnaire
                .domains
                .iter()
                .position(|x| &x.id == d)
                .and_then(|i| r.domains.get(i).copied().flatten());
            row.push(opt(score));
        }
        row.push(r.fingerprint.clone());
        row.push(r.source.clone());
        write_row(&mut w, &row)?;
    }
    w.flush()?;
    Ok(())
}

/// One row per record and question: state, level, gate and whether the
/// answer is below the question's target.
pub fn write_answers<W: Write>(out: W, records: &[&Record]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    write_row(
        &mut w,
        &[
            "istat_code",
            "organization",
            "questionnaire",
            "version",
            "domain",
            "question",
            "option",
            "state",
            "level",
            "target_level",
            "below_target",
            "gate",
        ]
        .map(String::from),
    )?;
    for r in records {
        let q = &r.questionnaire;
        for (i, (d, question)) in q.questions().enumerate() {
            let state = r
                .states
                .get(i)
                .copied()
                .unwrap_or(QuestionState::Unanswered);
            let (state_id, level) = match state {
                QuestionState::Level(l) => ("level", l.to_string()),
                QuestionState::Unknown => ("unknown", String::new()),
                QuestionState::NotApplicable => ("not_applicable", String::new()),
                QuestionState::Unanswered => ("unanswered", String::new()),
                QuestionState::OutOfScope => ("out_of_scope", String::new()),
            };
            let below = if state.is_applicable() {
                (state.scored_level() < question.target_level).to_string()
            } else {
                String::new()
            };
            let gate = match r.gates.get(i).copied().flatten() {
                Some(GateStatus::Passed) => "passed",
                Some(GateStatus::Failed) => "failed",
                Some(GateStatus::NotApplicable) => "not_applicable",
                None => "",
            };
            write_row(
                &mut w,
                &[
                    r.istat_code.clone(),
                    r.name.clone(),
                    q.id.clone(),
                    q.version.clone(),
                    d.id.clone(),
                    question.id.clone(),
                    r.options
                        .get(i)
                        .and_then(|&o| question.options.get(usize::from(o)))
                        .map(|o| o.id.clone())
                        .unwrap_or_default(),
                    state_id.to_string(),
                    level,
                    question.target_level.to_string(),
                    below,
                    gate.to_string(),
                ],
            )?;
        }
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_cells_are_neutralised() {
        for bad in ["=1+1", "+39 0761", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_cell(bad).starts_with('\''), "{bad:?}");
        }
        for ok in ["Proceno", "056044", "", "'already", "a=b"] {
            assert_eq!(safe_cell(ok), ok);
        }
    }
}
