//! Helpers shared by the documents: Italian formats and the building
//! blocks every report uses (headings, paragraphs, notes).

use chrono::{Datelike, NaiveDate};

use super::layout::{Block, Heading, Paragraph};
use super::text::{rich, Span};
use super::theme::{self, Color};

/// The score of the "Consolidato" tier: the target line of the charts.
pub const TARGET_SCORE: f64 = 65.0;

const MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// "24 novembre 2026".
pub fn italian_date(d: NaiveDate) -> String {
    let month = MONTHS.get(d.month0() as usize).copied().unwrap_or("");
    format!("{} {} {}", d.day(), month, d.year())
}

/// A score with one decimal and a decimal comma: "40,3".
pub fn italian_score(v: f64) -> String {
    format!("{:.1}", (v * 10.0).round() / 10.0).replace('.', ",")
}

/// "1 azione", "3 azioni", "1.005 comuni".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(u32::try_from(n).unwrap_or(u32::MAX)))
    }
}

/// "1.234.567".
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Green from the target up, amber from 40, red below.
pub fn band_color(score: f64) -> Color {
    if score >= TARGET_SCORE {
        theme::GOOD
    } else if score >= 40.0 {
        theme::WARN
    } else {
        theme::BAD
    }
}

/// A section title (in the outline).
pub fn h1(text: &str) -> Block {
    Block::Heading(Heading::new(1, text))
}

/// A subsection title (in the outline).
pub fn h2(text: &str) -> Block {
    Block::Heading(Heading::new(2, text))
}

/// A minor title (not in the outline).
pub fn h3(text: String) -> Block {
    Block::Heading(Heading {
        level: 3,
        text,
        bookmark: false,
    })
}

/// A paragraph of light markup (`**bold**`, `//italic//`).
pub fn para(markup: &str) -> Block {
    Block::Paragraph(Paragraph::new(rich(markup)))
}

/// A paragraph of plain text.
pub fn plain(text: impl Into<String>) -> Block {
    Block::Paragraph(Paragraph::plain(text))
}

/// A small italic grey note.
pub fn note(text: impl Into<String>) -> Block {
    Block::Paragraph(
        Paragraph::new(vec![Span::italic(text)])
            .size(9.0)
            .color(theme::MUTED),
    )
}
