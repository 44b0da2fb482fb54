//! Composition and pagination, on small frames.

use super::*;
use crate::report::fonts::fonts;
use crate::report::theme;
use crate::report::ReportError;

fn small_frame() -> Frame {
    Frame {
        x: 50.0,
        y: 50.0,
        width: 300.0,
        height: 200.0,
    }
}

fn layout(blocks: &[Block], frame: Frame) -> Result<Pages, ReportError> {
    let f = fonts()?;
    let mut c = Composer::new(f, frame.height);
    let frags = c.compose(blocks, frame.width);
    Ok(paginate(frags, frame))
}

fn rows(n: usize) -> Vec<Vec<Cell>> {
    (1..=n)
        .map(|i| {
            vec![
                Cell::plain(format!("Riga {i}")),
                Cell::plain(format!("{i}")),
            ]
        })
        .collect()
}

#[test]
fn a_long_table_repeats_its_header_on_every_page() -> Result<(), ReportError> {
    let table = Table::new(
        vec![Column::new("Misura", 3.0), Column::right("Valore", 1.0)],
        rows(40),
    );
    let pages = layout(&[Block::Table(table)], small_frame())?;
    assert!(pages.pages.len() >= 3, "{} pages", pages.pages.len());
    let mut seen = Vec::new();
    for p in 0..pages.pages.len() {
        let lines = pages.page_lines(p);
        assert_eq!(
            lines.first().map(String::as_str),
            Some("Misura Valore"),
            "page {p}: {lines:?}"
        );
        seen.extend(lines.into_iter().filter(|l| l.starts_with("Riga")));
    }
    let expected: Vec<String> = (1..=40).map(|i| format!("Riga {i} {i}")).collect();
    assert_eq!(seen, expected, "every row exactly once, in order");
    Ok(())
}

#[test]
fn nothing_is_drawn_outside_the_frame() -> Result<(), ReportError> {
    let frame = small_frame();
    let long = "Parole da ripetere per riempire molte righe di testo. ".repeat(30);
    let table = Table::new(vec![Column::new("A", 1.0), Column::new("B", 2.0)], rows(25));
    let blocks = vec![
        Block::Heading(Heading::new(1, "Sezione")),
        Block::Paragraph(Paragraph::plain(long)),
        Block::Table(table),
    ];
    let pages = layout(&blocks, frame)?;
    for (p, items) in pages.pages.iter().enumerate() {
        for item in items {
            let (top, bottom) = match item {
                // Cap height of Titillium Web is about 0.7 em.
                Item::Text { y, run, .. } => (y - 0.72 * run.size, *y),
                Item::Rect { y, h, .. } => (*y, y + h),
                Item::Line { y1, y2, .. } => (y1.min(*y2), y1.max(*y2)),
            };
            assert!(top >= frame.y - 0.01, "page {p}: {item:?}");
            assert!(
                bottom <= frame.y + frame.height + 0.01,
                "page {p}: {item:?}"
            );
        }
    }
    Ok(())
}

#[test]
fn a_heading_is_never_last_on_a_page() -> Result<(), ReportError> {
    // Fill most of the page, then a heading: it must move to the next
    // page together with the start of its paragraph.
    for filler_lines in 1..12 {
        let filler = vec!["Riempitivo"; filler_lines].join("\n");
        let blocks = vec![
            Block::Paragraph(Paragraph::plain(filler)),
            Block::Heading(Heading::new(2, "Titolo della sezione")),
            Block::Paragraph(Paragraph::plain(
                "Prima riga\nseconda riga\nterza riga\nquarta riga",
            )),
        ];
        let pages = layout(&blocks, small_frame())?;
        for p in 0..pages.pages.len() {
            let lines = pages.page_lines(p);
            if let Some(pos) = lines.iter().position(|l| l == "Titolo della sezione") {
                assert!(
                    lines.get(pos + 2).is_some(),
                    "{filler_lines}: heading without two lines after it on page {p}: {lines:?}"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn a_lead_stays_with_the_start_of_its_table() -> Result<(), ReportError> {
    // Whatever fills the page, the introduction is never last on a page:
    // the table's first row follows it.
    let table = Table::new(vec![Column::new("A", 1.0), Column::new("B", 2.0)], rows(25));
    for filler_lines in 1..12 {
        let filler = vec!["Riempitivo"; filler_lines].join("\n");
        let blocks = vec![
            Block::Paragraph(Paragraph::plain(filler)),
            Block::Lead(vec![
                Block::Heading(Heading::new(2, "Titolo")),
                Block::Paragraph(Paragraph::plain("Introduzione della tabella")),
            ]),
            Block::Table(table.clone()),
        ];
        let pages = layout(&blocks, small_frame())?;
        for p in 0..pages.pages.len() {
            let lines = pages.page_lines(p);
            if let Some(pos) = lines.iter().position(|l| l == "Introduzione della tabella") {
                assert!(
                    lines.get(pos + 2).is_some(),
                    "{filler_lines}: the introduction ends page {p}: {lines:?}"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn paragraphs_leave_no_orphan_or_widow() -> Result<(), ReportError> {
    let text = (1..=9)
        .map(|i| format!("riga {i}"))
        .collect::<Vec<_>>()
        .join("\n");
    for filler_lines in 1..14 {
        let filler = vec!["x"; filler_lines].join("\n");
        let blocks = vec![
            Block::Paragraph(Paragraph::plain(filler)),
            Block::Paragraph(Paragraph::plain(text.clone())),
        ];
        let pages = layout(&blocks, small_frame())?;
        for p in 0..pages.pages.len() {
            let n = pages
                .page_lines(p)
                .iter()
                .filter(|l| l.starts_with("riga"))
                .count();
            assert!(n == 0 || n >= 2, "{filler_lines}: {n} line(s) on page {p}");
        }
    }
    Ok(())
}

#[test]
fn page_breaks_and_outline_entries() -> Result<(), ReportError> {
    let blocks = vec![
        Block::Heading(Heading::new(1, "Uno")),
        Block::Paragraph(Paragraph::plain("testo")),
        Block::PageBreak,
        Block::Heading(Heading::new(1, "Due")),
        Block::Heading(Heading::new(2, "Due punto uno")),
        Block::Paragraph(Paragraph::plain("testo")),
    ];
    let pages = layout(&blocks, small_frame())?;
    assert_eq!(pages.pages.len(), 2);
    let outline: Vec<(&str, u8, usize)> = pages
        .outline
        .iter()
        .map(|o| (o.title.as_str(), o.level, o.page))
        .collect();
    assert_eq!(
        outline,
        vec![("Uno", 1, 0), ("Due", 1, 1), ("Due punto uno", 2, 1)]
    );
    Ok(())
}

#[test]
fn a_short_table_moves_whole_and_a_long_one_keeps_its_last_rows() -> Result<(), ReportError> {
    let filler = ["x"; 8].join("\n");
    let short = Table::new(
        vec![Column::new("Misura", 3.0), Column::right("Valore", 1.0)],
        rows(3),
    );
    let pages = layout(
        &[
            Block::Paragraph(Paragraph::plain(filler.clone())),
            Block::Table(short),
        ],
        small_frame(),
    )?;
    let rows_on = |p: usize| {
        pages
            .page_lines(p)
            .iter()
            .filter(|l| l.starts_with("Riga"))
            .count()
    };
    assert_eq!(
        (rows_on(0), rows_on(1)),
        (0, 3),
        "the short table moved whole"
    );

    for extra in 0..8 {
        let filler = vec!["x"; extra + 1].join("\n");
        let long = Table::new(
            vec![Column::new("Misura", 3.0), Column::right("Valore", 1.0)],
            rows(12),
        );
        let pages = layout(
            &[
                Block::Paragraph(Paragraph::plain(filler)),
                Block::Table(long),
            ],
            small_frame(),
        )?;
        let last = pages.pages.len() - 1;
        let n = pages
            .page_lines(last)
            .iter()
            .filter(|l| l.starts_with("Riga"))
            .count();
        assert!(
            n == 0 || n >= 2,
            "{extra}: {n} row(s) alone on the last page"
        );
    }
    Ok(())
}

#[test]
fn a_card_stays_in_one_piece() -> Result<(), ReportError> {
    let card = Card {
        title: Some("In caso di incidente".into()),
        blocks: vec![Block::Paragraph(Paragraph::plain("uno\ndue\ntre\nquattro"))],
        fill: theme::SHADE,
        accent: theme::BAD,
        space_before: 8.0,
    };
    let filler = ["x"; 8].join("\n");
    let blocks = vec![
        Block::Paragraph(Paragraph::plain(filler)),
        Block::Card(card),
    ];
    let pages = layout(&blocks, small_frame())?;
    assert_eq!(pages.pages.len(), 2);
    let second = pages.page_lines(1);
    assert_eq!(
        second,
        vec!["In caso di incidente", "uno", "due", "tre", "quattro"]
    );
    Ok(())
}

#[test]
fn chart_draws_one_bar_per_value_and_the_target() -> Result<(), ReportError> {
    let chart = BarChart {
        bars: (0..5)
            .map(|i| Bar {
                label: format!("Dominio {i}"),
                value: 20.0 * i as f32,
                value_text: String::new(),
                previous: None,
                color: theme::PRIMARY,
            })
            .collect(),
        max: 100.0,
        target: Some(75.0),
        target_label: "Obiettivo 75".into(),
        legend: vec![(theme::PRIMARY, "Punteggio".into())],
        previous_label: String::new(),
        space_before: 0.0,
    };
    let frame = Frame::a4();
    let pages = layout(&[Block::BarChart(chart)], frame)?;
    let items = &pages.pages[0];
    let bars = items
        .iter()
        .filter(|i| matches!(i, Item::Rect { h, .. } if (*h - 11.0).abs() < 0.01))
        .count();
    assert_eq!(bars, 5);
    assert!(items
        .iter()
        .any(|i| matches!(i, Item::Line { dashed: true, .. })));
    let text = pages.page_lines(0).join("\n");
    assert!(text.contains("Obiettivo 75"), "{text}");
    Ok(())
}
