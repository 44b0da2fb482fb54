//! The file names offered for what Sentinella writes (Italian, safe on
//! every file system).

use chrono::NaiveDate;

use crate::aggregate::Scope;

/// Make a name safe as part of a file name: letters, digits, spaces and
/// `-'.,`; anything else becomes `_`; at most 80 characters.
pub fn file_name_part(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.' | ',') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    clean.trim().to_string()
}

/// "Piano di sicurezza - Comune di Proceno - 2026-11-24.pdf".
pub fn plan_pdf(organization: &str, day: NaiveDate) -> String {
    format!(
        "Piano di sicurezza - {} - {day}.pdf",
        file_name_part(organization)
    )
}

/// "Questionario da compilare - Autovalutazione … - 2.0.0.pdf".
pub fn blank_form(title: &str, version: &str) -> String {
    format!(
        "Questionario da compilare - {} - {}.pdf",
        file_name_part(title),
        file_name_part(version)
    )
}

/// "resoconto-formazione-2026-11-24.pdf": a workshop's debrief.
pub fn workshop_debrief(day: NaiveDate) -> String {
    format!("resoconto-formazione-{day}.pdf")
}

/// "sessione-formazione-2026-11-24.json": a workshop session file.
pub fn workshop_session(day: NaiveDate) -> String {
    format!("sessione-formazione-{day}.json")
}

/// "Risultati - Comune di Proceno - 2026-11-24.json".
pub fn result_file(organization: &str, day: NaiveDate) -> String {
    format!("Risultati - {} - {day}.json", file_name_part(organization))
}

/// The territory as part of a file name: "Italia", "Lazio",
/// "Provincia di Viterbo".
pub fn scope_part(scope: &Scope) -> String {
    file_name_part(&match scope {
        Scope::Italy => "Italia".to_string(),
        Scope::Region(r) => r.replace('/', "-"),
        Scope::Province(p) => format!("Provincia di {}", p.name),
    })
}

/// "Sintesi territoriale - Lazio.pdf".
pub fn region_pdf(scope: &Scope) -> String {
    format!("Sintesi territoriale - {}.pdf", scope_part(scope))
}

/// "Sentinella - comuni - Lazio.csv" or "Sentinella - risposte - Lazio.csv".
pub fn csv(table: super::aggregate::CsvTable, scope: &Scope) -> String {
    let what = match table {
        super::aggregate::CsvTable::Comuni => "comuni",
        super::aggregate::CsvTable::Answers => "risposte",
    };
    format!("Sentinella - {what} - {}.csv", scope_part(scope))
}

/// "Incidente - Comune di Proceno - 2026-12-01.txt" (the drafts) or
/// ".pdf" (the report); "Esercitazione - …" for an exercise.
pub fn incident_file(
    exercise: bool,
    organization: &str,
    discovered: NaiveDate,
    extension: &str,
) -> String {
    format!(
        "{} - {} - {discovered}.{extension}",
        if exercise {
            "Esercitazione"
        } else {
            "Incidente"
        },
        file_name_part(organization)
    )
}
