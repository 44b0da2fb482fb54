//! The block model: what a report is made of, before composition.

use super::super::text::Span;
use super::super::theme::{self, Color};

/// Horizontal alignment of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Ragged right.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right (numbers).
    Right,
}

/// A unit of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section or subsection title; kept with what follows.
    Heading(Heading),
    /// Running text.
    Paragraph(Paragraph),
    /// A bulleted or numbered list.
    List(List),
    /// A table that may continue over several pages.
    Table(Table),
    /// A horizontal bar chart.
    BarChart(BarChart),
    /// A boxed group of blocks kept on one page.
    Card(Card),
    /// A row of key figures in tiles.
    Figures(Vec<Figure>),
    /// Extra vertical space before the next block (dropped at a page top).
    Spacer(f32),
    /// The next block starts a new page.
    PageBreak,
    /// An outline entry (bookmark) pointing at the next block.
    Bookmark(String),
    /// Blocks kept on one page when they fit in half a page (an action
    /// with its steps); longer groups flow normally.
    Group(Vec<Block>),
    /// A title and its introduction, kept on the page where the next block
    /// starts (a table's first rows, a chart) when they take at most a
    /// third of a page; longer ones flow normally.
    Lead(Vec<Block>),
}

impl Block {
    /// The number of bytes of text the block holds: an estimate of the
    /// work of composing it, used to share it between two threads.
    pub fn text_len(&self) -> usize {
        let spans = |spans: &[Span]| spans.iter().map(|s| s.text.len()).sum::<usize>();
        match self {
            Block::Heading(h) => h.text.len(),
            Block::Paragraph(p) => spans(&p.spans),
            Block::List(l) => l.items.iter().map(|i| spans(i)).sum(),
            Block::Table(t) => {
                let titles: usize = t.columns.iter().map(|c| c.title.len()).sum();
                let cells: usize = t.rows.iter().flatten().map(|c| spans(&c.spans)).sum();
                titles + cells
            }
            Block::BarChart(c) => c
                .bars
                .iter()
                .map(|b| b.label.len() + b.value_text.len())
                .sum(),
            Block::Card(c) => {
                c.title.as_ref().map_or(0, String::len)
                    + c.blocks.iter().map(Block::text_len).sum::<usize>()
            }
            Block::Figures(f) => f
                .iter()
                .map(|f| f.label.len() + f.value.len() + f.note.len())
                .sum(),
            Block::Spacer(_) | Block::PageBreak => 0,
            Block::Bookmark(title) => title.len(),
            Block::Group(blocks) | Block::Lead(blocks) => blocks.iter().map(Block::text_len).sum(),
        }
    }
}

/// A heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 (section), 2 (subsection) or 3.
    pub level: u8,
    /// The title.
    pub text: String,
    /// Whether it appears in the document outline (bookmarks).
    pub bookmark: bool,
}

impl Heading {
    /// A heading that appears in the outline.
    pub fn new(level: u8, text: impl Into<String>) -> Heading {
        Heading {
            level,
            text: text.into(),
            bookmark: level <= 2,
        }
    }
}

/// A paragraph of rich text.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The text.
    pub spans: Vec<Span>,
    /// Font size in points.
    pub size: f32,
    /// Default colour.
    pub color: Color,
    /// Alignment.
    pub align: Align,
    /// Space above, in points.
    pub space_before: f32,
    /// Left indent, in points.
    pub indent: f32,
    /// Whether words may be hyphenated.
    pub hyphenate: bool,
}

impl Paragraph {
    /// Body text.
    pub fn new(spans: Vec<Span>) -> Paragraph {
        Paragraph {
            spans,
            size: theme::BODY_SIZE,
            color: theme::TEXT,
            align: Align::Left,
            space_before: 6.0,
            indent: 0.0,
            hyphenate: true,
        }
    }

    /// Body text in regular style.
    pub fn plain(text: impl Into<String>) -> Paragraph {
        Paragraph::new(vec![Span::plain(text)])
    }

    /// Sets the size.
    pub fn size(mut self, size: f32) -> Paragraph {
        self.size = size;
        self
    }

    /// Sets the colour.
    pub fn color(mut self, color: Color) -> Paragraph {
        self.color = color;
        self
    }

    /// Sets the alignment.
    pub fn align(mut self, align: Align) -> Paragraph {
        self.align = align;
        self
    }

    /// Sets the space above.
    pub fn space_before(mut self, space: f32) -> Paragraph {
        self.space_before = space;
        self
    }

    /// Sets the left indent.
    pub fn indent(mut self, indent: f32) -> Paragraph {
        self.indent = indent;
        self
    }
}

/// A list.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// One rich paragraph per item.
    pub items: Vec<Vec<Span>>,
    /// Numbers instead of bullets.
    pub numbered: bool,
    /// Empty boxes to tick instead of bullets (a form to fill by hand).
    pub boxes: bool,
    /// Number of the first item of a numbered list.
    pub start: usize,
    /// Font size.
    pub size: f32,
    /// Space above the list.
    pub space_before: f32,
}

impl List {
    /// A bulleted list.
    pub fn bullets(items: Vec<Vec<Span>>) -> List {
        List {
            items,
            numbered: false,
            boxes: false,
            start: 1,
            size: theme::BODY_SIZE,
            space_before: 4.0,
        }
    }

    /// Choices with an empty box each, to tick on paper.
    pub fn boxes(items: Vec<Vec<Span>>) -> List {
        List {
            boxes: true,
            ..List::bullets(items)
        }
    }

    /// A numbered list.
    pub fn numbered(items: Vec<Vec<Span>>) -> List {
        List {
            numbered: true,
            ..List::bullets(items)
        }
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text (the header row is drawn when any column has one).
    pub title: String,
    /// Relative width.
    pub weight: f32,
    /// Alignment of the cells.
    pub align: Align,
}

impl Column {
    /// A left-aligned column.
    pub fn new(title: impl Into<String>, weight: f32) -> Column {
        Column {
            title: title.into(),
            weight,
            align: Align::Left,
        }
    }

    /// A right-aligned column (numbers).
    pub fn right(title: impl Into<String>, weight: f32) -> Column {
        Column {
            align: Align::Right,
            ..Column::new(title, weight)
        }
    }

    /// A centred column.
    pub fn center(title: impl Into<String>, weight: f32) -> Column {
        Column {
            align: Align::Center,
            ..Column::new(title, weight)
        }
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The text.
    pub spans: Vec<Span>,
    /// Background.
    pub fill: Option<Color>,
    /// Draw a line to write on at the bottom of the cell.
    pub write_line: bool,
}

impl Cell {
    /// A cell of rich text.
    pub fn new(spans: Vec<Span>) -> Cell {
        Cell {
            spans,
            fill: None,
            write_line: false,
        }
    }

    /// An empty cell with a line to write on.
    pub fn write_in() -> Cell {
        Cell {
            write_line: true,
            ..Cell::default()
        }
    }

    /// A cell of plain text.
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell::new(vec![Span::plain(text)])
    }

    /// Sets the background.
    pub fn fill(mut self, color: Color) -> Cell {
        self.fill = Some(color);
        self
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows; each has one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Font size.
    pub size: f32,
    /// Space above.
    pub space_before: f32,
    /// Minimum height of a body row (room to write by hand).
    pub min_row_height: f32,
    /// Alternate row shading.
    pub zebra: bool,
}

impl Table {
    /// A table with the default look.
    pub fn new(columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Table {
        Table {
            columns,
            rows,
            size: theme::TABLE_SIZE,
            space_before: 8.0,
            min_row_height: 0.0,
            zebra: false,
        }
    }
}

/// A bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What the bar measures.
    pub label: String,
    /// The value, between 0 and the chart's maximum.
    pub value: f32,
    /// How the value is written at the end of the bar (the value rounded
    /// to a whole number when empty).
    pub value_text: String,
    /// An earlier value, drawn as a thin grey bar under the main one.
    pub previous: Option<f32>,
    /// Bar colour.
    pub color: Color,
}

/// A horizontal bar chart with an optional target line.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// The scale maximum (100 for scores).
    pub max: f32,
    /// A target drawn as a dashed vertical line.
    pub target: Option<f32>,
    /// Legend text of the target line.
    pub target_label: String,
    /// Legend of the bar colours.
    pub legend: Vec<(Color, String)>,
    /// Legend text of the previous values (when any bar has one).
    pub previous_label: String,
    /// Space above.
    pub space_before: f32,
}

/// A boxed group of blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Title drawn in bold at the top of the box.
    pub title: Option<String>,
    /// The content.
    pub blocks: Vec<Block>,
    /// Background.
    pub fill: Color,
    /// Border and accent colour.
    pub accent: Color,
    /// Space above.
    pub space_before: f32,
}

/// A key figure tile.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Caption above the value.
    pub label: String,
    /// The value, in large type.
    pub value: String,
    /// A short note under the value.
    pub note: String,
    /// Colour of the value and the tile's accent.
    pub color: Color,
}
