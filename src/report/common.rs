//! Helpers shared by the documents: Italian formats and the building
//! blocks every report uses (headings, paragraphs, notes).

use chrono::{Datelike, NaiveDate};

pub use crate::model::format::thousands;
use crate::scoring::Tier;

use super::layout::{Bar, BarChart, Block, Card, Heading, Paragraph};
use super::text::{rich, Span};
use super::theme::{self, Color};

/// The score of the "Consolidato" tier: the target line of the charts.
pub const TARGET_SCORE: f64 = Tier::Established.threshold();

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

/// Red for "Iniziale", amber for "In sviluppo", green above.
pub fn tier_color(tier: Tier) -> Color {
    match tier {
        Tier::Initial => theme::BAD,
        Tier::Developing => theme::WARN,
        Tier::Established | Tier::Advanced => theme::GOOD,
    }
}

/// The dark band at the top of a cover, with its bookmark: a small line
/// above, the document's title, the name it is about and a line of detail.
pub fn cover_band(kicker: &str, title: &str, name: &str, detail: String) -> [Block; 2] {
    let band = vec![
        Block::Paragraph(
            Paragraph::plain(kicker)
                .size(11.0)
                .color(theme::TINT)
                .space_before(0.0),
        ),
        Block::Paragraph(
            Paragraph::new(vec![Span::bold(title)])
                .size(26.0)
                .color(theme::WHITE)
                .space_before(4.0),
        ),
        Block::Paragraph(
            Paragraph::new(vec![Span::bold(name)])
                .size(18.0)
                .color(theme::WHITE)
                .space_before(2.0),
        ),
        Block::Paragraph(
            Paragraph::plain(detail)
                .size(10.0)
                .color(theme::TINT)
                .space_before(6.0),
        ),
    ];
    [
        Block::Bookmark("Copertina".into()),
        Block::Card(Card {
            title: None,
            blocks: band,
            fill: theme::DARK,
            accent: theme::PRIMARY,
            space_before: 0.0,
        }),
    ]
}

/// A chart of scores from 0 to 100 with the "Consolidato" target line and
/// the colour legend (`previous_label` names the grey bars, when any).
pub fn score_chart(bars: Vec<Bar>, previous_label: &str, space_before: f32) -> Block {
    Block::BarChart(BarChart {
        bars,
        max: 100.0,
        target: Some(TARGET_SCORE as f32),
        target_label: format!("Obiettivo {}", TARGET_SCORE.round()),
        legend: vec![
            (theme::BAD, "Sotto 40".into()),
            (theme::WARN, "Da 40 a 65".into()),
            (theme::GOOD, "65 e oltre".into()),
        ],
        previous_label: previous_label.into(),
        space_before,
    })
}
