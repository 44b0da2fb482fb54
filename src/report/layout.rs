//! The composition layer: blocks of content are cut into fragments (a line,
//! a table row, a chart...) and the fragments are paginated.
//!
//! Every fragment is an unbreakable strip of the page with its own drawing
//! items. A fragment may ask to stay on the same page as the next one
//! (headings, the first and last two lines of a paragraph, a table header
//! and its first row), and a table row carries its table's header, which is
//! drawn again at the top of every page the table continues on.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::fonts::{FontSet, ShapeCache, ShapedRun, Style};
use super::text::{break_lines, BreakOptions, Line, Span};
use super::theme::{self, Color};

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
            start: 1,
            size: theme::BODY_SIZE,
            space_before: 4.0,
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

/// A drawing primitive, in points, y growing downwards.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A run of text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        run: ShapedRun,
        color: Color,
    },
    /// A rectangle with its top-left corner at (`x`, `y`).
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Color>,
        stroke: Option<(Color, f32)>,
    },
    /// A straight line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Color,
        width: f32,
        dashed: bool,
    },
}

impl Item {
    fn translate(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Text { x, y, .. } | Item::Rect { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
    }
}

/// A bookmark target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Anchor {
    pub title: String,
    pub level: u8,
}

/// An unbreakable horizontal strip of content.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fragment {
    pub height: f32,
    /// Space above, dropped at the top of a page.
    pub space_before: f32,
    /// Items relative to the fragment's top-left corner.
    pub items: Vec<Item>,
    /// Must stay on the same page as the next fragment.
    pub keep_with_next: bool,
    /// Drawn first when this fragment opens a page (a table's header).
    pub repeat: Option<Arc<Fragment>>,
    /// Outline entry pointing here.
    pub anchor: Option<Anchor>,
    /// Starts a new page.
    pub break_before: bool,
}

impl Fragment {
    fn new(height: f32, items: Vec<Item>) -> Fragment {
        Fragment {
            height,
            space_before: 0.0,
            items,
            keep_with_next: false,
            repeat: None,
            anchor: None,
            break_before: false,
        }
    }
}

/// A bookmark with its place in the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutlineEntry {
    pub title: String,
    pub level: u8,
    /// Zero-based page index.
    pub page: usize,
    /// Distance of the heading from the top of the page, in points.
    pub y: f32,
}

/// The content area of a page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Frame {
    /// The body frame of an A4 page with the report's margins.
    pub(crate) fn a4() -> Frame {
        Frame {
            x: theme::MARGIN_X,
            y: theme::MARGIN_TOP,
            width: theme::PAGE_WIDTH - 2.0 * theme::MARGIN_X,
            height: theme::PAGE_HEIGHT - theme::MARGIN_TOP - theme::MARGIN_BOTTOM,
        }
    }
}

/// Paginated content, before the running header and footer.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Pages {
    pub pages: Vec<Vec<Item>>,
    pub outline: Vec<OutlineEntry>,
}

impl Pages {
    /// The text of each page, one string per line of text, top to bottom
    /// (runs on the same baseline joined with a space).
    #[cfg(test)]
    pub(crate) fn page_lines(&self, page: usize) -> Vec<String> {
        let mut lines: Vec<(f32, String)> = Vec::new();
        if let Some(items) = self.pages.get(page) {
            for item in items {
                if let Item::Text { y, run, .. } = item {
                    let text = run.text();
                    match lines.iter_mut().find(|(ly, _)| (ly - y).abs() < 0.5) {
                        Some((_, l)) => {
                            if !l.ends_with(' ') && !text.starts_with(' ') {
                                l.push(' ');
                            }
                            l.push_str(&text);
                        }
                        None => lines.push((*y, text)),
                    }
                }
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        lines
            .into_iter()
            .map(|(_, l)| l.trim().to_string())
            .collect()
    }
}

/// Turns blocks into fragments.
pub(crate) struct Composer<'f> {
    pub fonts: &'f FontSet,
    /// Characters that had to be replaced because the font lacks them.
    pub lost: BTreeSet<char>,
    /// Height of the page body: cards taller than this are not boxed.
    pub page_height: f32,
    cache: ShapeCache,
}

impl std::fmt::Debug for Composer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("lost", &self.lost)
            .finish()
    }
}

fn line_height(size: f32) -> f32 {
    size * theme::LEADING
}

impl<'f> Composer<'f> {
    pub(crate) fn new(fonts: &'f FontSet, page_height: f32) -> Composer<'f> {
        Composer {
            fonts,
            lost: BTreeSet::new(),
            page_height,
            cache: ShapeCache::new(),
        }
    }

    /// Baseline of a line of text in a line box of `height`.
    fn baseline(&self, size: f32, height: f32) -> f32 {
        let face = self.fonts.face(Style::Regular);
        let ascent = face.ascent * size;
        let content = (face.ascent - face.descent) * size;
        (height - content) / 2.0 + ascent
    }

    fn lines(
        &mut self,
        spans: &[Span],
        size: f32,
        width: f32,
        color: Color,
        hyph: bool,
    ) -> Vec<Line> {
        let opts = BreakOptions {
            size,
            max_width: width.max(1.0),
            color,
            hyphenate: hyph,
        };
        break_lines(self.fonts, spans, opts, &mut self.lost, &mut self.cache)
    }

    /// Drawing items of one line, with its baseline at `baseline`.
    fn line_items(line: &Line, x: f32, width: f32, align: Align, baseline: f32) -> Vec<Item> {
        let shift = match align {
            Align::Left => 0.0,
            Align::Center => (width - line.width).max(0.0) / 2.0,
            Align::Right => (width - line.width).max(0.0),
        };
        line.runs
            .iter()
            .map(|r| Item::Text {
                x: x + shift + r.x,
                y: baseline,
                run: r.run.clone(),
                color: r.color,
            })
            .collect()
    }

    /// All the fragments of a document body.
    pub(crate) fn compose(&mut self, blocks: &[Block], width: f32) -> Vec<Fragment> {
        let mut out: Vec<Fragment> = Vec::new();
        let mut break_next = false;
        let mut extra_space = 0.0;
        for block in blocks {
            let mut frags = match block {
                Block::PageBreak => {
                    break_next = true;
                    continue;
                }
                Block::Spacer(h) => {
                    extra_space += h;
                    continue;
                }
                other => self.block(other, width),
            };
            if let Some(first) = frags.first_mut() {
                first.break_before |= break_next;
                first.space_before += extra_space;
                break_next = false;
                extra_space = 0.0;
            }
            out.append(&mut frags);
        }
        out
    }

    fn block(&mut self, block: &Block, width: f32) -> Vec<Fragment> {
        match block {
            Block::Heading(h) => self.heading(h, width),
            Block::Paragraph(p) => self.paragraph(p, width),
            Block::List(l) => self.list(l, width),
            Block::Table(t) => self.table(t, width),
            Block::BarChart(c) => vec![self.bar_chart(c, width)],
            Block::Card(c) => self.card(c, width),
            Block::Figures(f) => vec![self.figures(f, width)],
            Block::Bookmark(title) => {
                let mut f = Fragment::new(0.0, Vec::new());
                f.keep_with_next = true;
                f.anchor = Some(Anchor {
                    title: title.clone(),
                    level: 1,
                });
                vec![f]
            }
            Block::Group(inner) => {
                let mut frags = self.compose(inner, width);
                let height: f32 = frags.iter().map(|f| f.space_before + f.height).sum();
                if height <= self.page_height * 0.5 {
                    let last = frags.len().saturating_sub(1);
                    for f in &mut frags[..last] {
                        f.keep_with_next = true;
                    }
                }
                frags
            }
            Block::Lead(inner) => {
                let mut frags = self.compose(inner, width);
                let height: f32 = frags.iter().map(|f| f.space_before + f.height).sum();
                if height <= self.page_height / 3.0 {
                    for f in &mut frags {
                        f.keep_with_next = true;
                    }
                }
                frags
            }
            Block::Spacer(_) | Block::PageBreak => Vec::new(),
        }
    }

    fn heading(&mut self, h: &Heading, width: f32) -> Vec<Fragment> {
        let (size, color, space_before, rule) = match h.level {
            1 => (17.0, theme::PRIMARY, 0.0, true),
            2 => (13.0, theme::DARK, 16.0, false),
            _ => (11.0, theme::DARK, 11.0, false),
        };
        let lines = self.lines(&[Span::bold(h.text.clone())], size, width, color, false);
        let lh = size * 1.25;
        let count = lines.len();
        let mut frags = Vec::with_capacity(count);
        for (i, line) in lines.iter().enumerate() {
            let mut height = lh;
            let mut items =
                Self::line_items(line, 0.0, width, Align::Left, self.baseline(size, lh));
            if rule && i + 1 == count {
                height += 8.0;
                items.push(Item::Line {
                    x1: 0.0,
                    y1: lh + 3.0,
                    x2: width,
                    y2: lh + 3.0,
                    color: theme::PRIMARY,
                    width: 1.2,
                    dashed: false,
                });
            } else if i + 1 == count {
                height += 2.0;
            }
            let mut f = Fragment::new(height, items);
            f.keep_with_next = true;
            if i == 0 {
                f.space_before = space_before;
                if h.bookmark {
                    f.anchor = Some(Anchor {
                        title: h.text.clone(),
                        level: h.level,
                    });
                }
            }
            frags.push(f);
        }
        frags
    }

    /// Line fragments with orphan and widow control: the first two and the
    /// last two lines stay together.
    fn line_fragments(lines: Vec<Vec<Item>>, lh: f32, space_before: f32) -> Vec<Fragment> {
        let n = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(i, items)| {
                let mut f = Fragment::new(lh, items);
                f.keep_with_next = n >= 2 && (i == 0 || i + 2 == n);
                if i == 0 {
                    f.space_before = space_before;
                }
                f
            })
            .collect()
    }

    fn paragraph(&mut self, p: &Paragraph, width: f32) -> Vec<Fragment> {
        let w = width - p.indent;
        let lines = self.lines(&p.spans, p.size, w, p.color, p.hyphenate);
        let lh = line_height(p.size);
        let base = self.baseline(p.size, lh);
        let items = lines
            .iter()
            .map(|l| Self::line_items(l, p.indent, w, p.align, base))
            .collect();
        Self::line_fragments(items, lh, p.space_before)
    }

    fn list(&mut self, l: &List, width: f32) -> Vec<Fragment> {
        // Numbers are right-aligned in a gutter as wide as the largest one.
        let indent = if l.numbered {
            let last = format!("{}.", l.start + l.items.len().saturating_sub(1));
            (self.fonts.measure(&last, Style::Bold, l.size) + 7.0).max(16.0)
        } else {
            14.0
        };
        let lh = line_height(l.size);
        let base = self.baseline(l.size, lh);
        let mut out = Vec::new();
        for (n, item) in l.items.iter().enumerate() {
            let lines = self.lines(item, l.size, width - indent, theme::TEXT, true);
            let mut items: Vec<Vec<Item>> = lines
                .iter()
                .map(|line| Self::line_items(line, indent, width - indent, Align::Left, base))
                .collect();
            let marker = if l.numbered {
                format!("{}.", l.start + n)
            } else {
                "\u{2022}".to_string()
            };
            let style = if l.numbered {
                Style::Bold
            } else {
                Style::Regular
            };
            let run = self.fonts.shape(&marker, style, l.size);
            let x = if l.numbered {
                indent - 5.0 - run.width
            } else {
                3.0
            };
            if let Some(first) = items.first_mut() {
                first.push(Item::Text {
                    x,
                    y: base,
                    run,
                    color: theme::PRIMARY,
                });
            }
            let space = if n == 0 { l.space_before } else { 3.0 };
            out.extend(Self::line_fragments(items, lh, space));
        }
        out
    }

    fn table(&mut self, t: &Table, width: f32) -> Vec<Fragment> {
        const PAD_X: f32 = 4.0;
        const PAD_Y: f32 = 3.5;
        let total: f32 = t.columns.iter().map(|c| c.weight.max(0.0)).sum();
        if t.columns.is_empty() || total <= 0.0 {
            return Vec::new();
        }
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| width * c.weight.max(0.0) / total)
            .collect();
        let lh = line_height(t.size);
        let base = self.baseline(t.size, lh);

        // One row: the lines of each cell.
        let row_frags =
            |me: &mut Self, cells: &[Cell], header: bool, fill: Option<Color>| -> Vec<Fragment> {
                let mut cols: Vec<Vec<Vec<Item>>> = Vec::with_capacity(widths.len());
                let mut x = 0.0;
                for (i, w) in widths.iter().enumerate() {
                    let empty = Cell::default();
                    let cell = cells.get(i).unwrap_or(&empty);
                    let align = t.columns.get(i).map_or(Align::Left, |c| c.align);
                    let (color, spans) = if header {
                        let spans = cell
                            .spans
                            .iter()
                            .map(|s| Span {
                                style: Style::Bold,
                                ..s.clone()
                            })
                            .collect::<Vec<_>>();
                        (theme::DARK, spans)
                    } else {
                        (theme::TEXT, cell.spans.clone())
                    };
                    let inner = w - 2.0 * PAD_X;
                    let lines = me.lines(&spans, t.size, inner, color, true);
                    cols.push(
                        lines
                            .iter()
                            .map(|l| Self::line_items(l, x + PAD_X, inner, align, base))
                            .collect(),
                    );
                    x += w;
                }
                let n_lines = cols.iter().map(Vec::len).max().unwrap_or(1).max(1);
                // Rows taller than most of a page are cut into chunks of lines.
                let max_lines = (((me.page_height * 0.8) - 2.0 * PAD_Y) / lh)
                    .floor()
                    .max(1.0) as usize;
                let chunks = n_lines.div_ceil(max_lines);
                let mut frags = Vec::with_capacity(chunks);
                for c in 0..chunks {
                    let from = c * max_lines;
                    let to = ((c + 1) * max_lines).min(n_lines);
                    let mut height = (to - from) as f32 * lh + 2.0 * PAD_Y;
                    if !header && chunks == 1 {
                        height = height.max(t.min_row_height);
                    }
                    let mut items = Vec::new();
                    // Backgrounds first.
                    let mut cx = 0.0;
                    for (i, w) in widths.iter().enumerate() {
                        let cell_fill = cells.get(i).and_then(|c| c.fill).or(fill);
                        if let Some(f) = cell_fill {
                            items.push(Item::Rect {
                                x: cx,
                                y: 0.0,
                                w: *w,
                                h: height,
                                fill: Some(f),
                                stroke: None,
                            });
                        }
                        cx += w;
                    }
                    let mut cx = 0.0;
                    for (i, w) in widths.iter().enumerate() {
                        if !header && cells.get(i).is_some_and(|c| c.write_line) {
                            items.push(Item::Line {
                                x1: cx + PAD_X,
                                y1: height - PAD_Y - 2.0,
                                x2: cx + w - PAD_X,
                                y2: height - PAD_Y - 2.0,
                                color: theme::MUTED,
                                width: 0.6,
                                dashed: true,
                            });
                        }
                        cx += w;
                    }
                    for col in &cols {
                        for (li, line) in col.iter().enumerate().take(to).skip(from) {
                            let dy = PAD_Y + (li - from) as f32 * lh;
                            items.extend(line.iter().cloned().map(|mut it| {
                                it.translate(0.0, dy);
                                it
                            }));
                        }
                    }
                    items.push(Item::Line {
                        x1: 0.0,
                        y1: height,
                        x2: width,
                        y2: height,
                        color: if header { theme::PRIMARY } else { theme::RULE },
                        width: if header { 1.0 } else { 0.5 },
                        dashed: false,
                    });
                    let mut f = Fragment::new(height, items);
                    f.keep_with_next = c + 1 < chunks && header;
                    frags.push(f);
                }
                frags
            };

        let has_header = t.columns.iter().any(|c| !c.title.is_empty());
        let mut out = Vec::new();
        let header = if has_header {
            let cells: Vec<Cell> = t
                .columns
                .iter()
                .map(|c| Cell::plain(c.title.clone()))
                .collect();
            let mut frags = row_frags(self, &cells, true, Some(theme::TINT));
            for f in &mut frags {
                f.keep_with_next = true;
            }
            let rc = frags.first().cloned().map(Arc::new);
            out.extend(frags);
            rc
        } else {
            None
        };
        for (r, row) in t.rows.iter().enumerate() {
            let fill = (t.zebra && r % 2 == 1).then_some(theme::SHADE);
            let mut frags = row_frags(self, row, false, fill);
            for f in &mut frags {
                f.repeat = header.clone();
            }
            out.extend(frags);
        }
        if let Some(first) = out.first_mut() {
            first.space_before = t.space_before;
        }
        // A short table is never split; a long one never leaves its last
        // row alone on a page.
        let height: f32 = out.iter().map(|f| f.height).sum();
        let n = out.len();
        if height <= self.page_height * 0.45 {
            for f in out.iter_mut().take(n.saturating_sub(1)) {
                f.keep_with_next = true;
            }
        } else if n >= 3 {
            out[n - 2].keep_with_next = true;
        }
        out
    }

    fn bar_chart(&mut self, c: &BarChart, width: f32) -> Fragment {
        let label_w = (width * 0.36).min(190.0);
        let plot_x = label_w + 8.0;
        let plot_w = width - plot_x - 26.0;
        let max = if c.max > 0.0 { c.max } else { 100.0 };
        let scale = |v: f32| plot_x + plot_w * (v.clamp(0.0, max) / max);
        let size = 9.0;
        let lh = line_height(size);
        let base = self.baseline(size, lh);
        let has_previous = c.bars.iter().any(|b| b.previous.is_some());
        let bar_h = 11.0;
        let prev_h = 4.0;
        let mut items = Vec::new();

        // Top: the target label.
        let top = 16.0;
        let mut y = top;
        let mut rows = Vec::new();
        for bar in &c.bars {
            let lines = self.lines(
                &[Span::plain(bar.label.clone())],
                size,
                label_w,
                theme::TEXT,
                true,
            );
            let text_h = lines.len() as f32 * lh;
            let bars_h = bar_h + if has_previous { prev_h + 2.0 } else { 0.0 };
            let row_h = text_h.max(bars_h) + 8.0;
            rows.push((y, row_h, lines, bar));
            y += row_h;
        }
        let plot_bottom = y;

        // Grid and scale.
        let mut tick = 0.0;
        while tick <= max + 0.01 {
            let x = scale(tick);
            items.push(Item::Line {
                x1: x,
                y1: top,
                x2: x,
                y2: plot_bottom,
                color: theme::RULE,
                width: 0.5,
                dashed: false,
            });
            let run = self.fonts.shape(&format!("{tick:.0}"), Style::Regular, 8.0);
            items.push(Item::Text {
                x: x - run.width / 2.0,
                y: plot_bottom + 10.0,
                run,
                color: theme::MUTED,
            });
            tick += max / 4.0;
        }

        for (row_y, row_h, lines, bar) in &rows {
            let text_h = lines.len() as f32 * lh;
            let ty = row_y + (row_h - text_h) / 2.0;
            for (i, l) in lines.iter().enumerate() {
                items.extend(Self::line_items(
                    l,
                    0.0,
                    label_w,
                    Align::Right,
                    ty + base + i as f32 * lh,
                ));
            }
            let bars_h = bar_h + if has_previous { prev_h + 2.0 } else { 0.0 };
            let by = row_y + (row_h - bars_h) / 2.0;
            let bw = scale(bar.value) - plot_x;
            items.push(Item::Rect {
                x: plot_x,
                y: by,
                w: bw.max(0.8),
                h: bar_h,
                fill: Some(bar.color),
                stroke: None,
            });
            let text = if bar.value_text.is_empty() {
                format!("{:.0}", bar.value)
            } else {
                bar.value_text.clone()
            };
            let value = self.fonts.shape(&text, Style::Bold, 9.0);
            items.push(Item::Text {
                x: plot_x + bw + 3.0,
                y: by + bar_h - 2.5,
                run: value,
                color: theme::TEXT,
            });
            if let Some(prev) = bar.previous {
                let pw = scale(prev) - plot_x;
                items.push(Item::Rect {
                    x: plot_x,
                    y: by + bar_h + 2.0,
                    w: pw.max(0.8),
                    h: prev_h,
                    fill: Some(theme::MUTED),
                    stroke: None,
                });
            }
        }
        // Axis.
        items.push(Item::Line {
            x1: plot_x,
            y1: top,
            x2: plot_x,
            y2: plot_bottom,
            color: theme::MUTED,
            width: 0.8,
            dashed: false,
        });
        if let Some(target) = c.target {
            let x = scale(target);
            items.push(Item::Line {
                x1: x,
                y1: top - 4.0,
                x2: x,
                y2: plot_bottom,
                color: theme::DARK,
                width: 1.3,
                dashed: true,
            });
            let run = self.fonts.shape(&c.target_label, Style::Bold, 8.0);
            let lx = (x - run.width / 2.0).clamp(0.0, width - run.width);
            items.push(Item::Text {
                x: lx,
                y: top - 7.0,
                run,
                color: theme::DARK,
            });
        }

        // Legend: a sample of each mark, then its text, wrapping when the
        // line is full.
        enum Sample {
            Bar(Color),
            Previous,
            Target,
        }
        let mut entries: Vec<(Sample, &str)> = c
            .legend
            .iter()
            .map(|(color, text)| (Sample::Bar(*color), text.as_str()))
            .collect();
        if has_previous {
            entries.push((Sample::Previous, &c.previous_label));
        }
        if c.target.is_some() {
            entries.push((Sample::Target, &c.target_label));
        }
        let mut legend_y = plot_bottom + 24.0;
        let mut lx = 0.0;
        for (sample, text) in entries {
            let run = self.fonts.shape(text, Style::Regular, 8.0);
            let w = run.width;
            if lx > 0.0 && lx + 16.0 + w > width {
                lx = 0.0;
                legend_y += 13.0;
            }
            items.push(match sample {
                Sample::Bar(color) => Item::Rect {
                    x: lx,
                    y: legend_y - 7.0,
                    w: 11.0,
                    h: 7.0,
                    fill: Some(color),
                    stroke: None,
                },
                Sample::Previous => Item::Rect {
                    x: lx,
                    y: legend_y - 5.0,
                    w: 11.0,
                    h: 4.0,
                    fill: Some(theme::MUTED),
                    stroke: None,
                },
                Sample::Target => Item::Line {
                    x1: lx + 5.0,
                    y1: legend_y - 9.0,
                    x2: lx + 5.0,
                    y2: legend_y + 1.0,
                    color: theme::DARK,
                    width: 1.3,
                    dashed: true,
                },
            });
            items.push(Item::Text {
                x: lx + 16.0,
                y: legend_y,
                run,
                color: theme::MUTED,
            });
            lx += 16.0 + w + 14.0;
        }
        let mut f = Fragment::new(legend_y + 6.0, items);
        f.space_before = c.space_before;
        f
    }

    fn card(&mut self, c: &Card, width: f32) -> Vec<Fragment> {
        const PAD: f32 = 10.0;
        const ACCENT: f32 = 4.0;
        let inner_w = width - 2.0 * PAD - ACCENT;
        let mut blocks = Vec::new();
        if let Some(title) = &c.title {
            blocks.push(Block::Paragraph(
                Paragraph::new(vec![Span::bold(title.clone())])
                    .size(11.5)
                    .color(theme::DARK)
                    .space_before(0.0),
            ));
        }
        blocks.extend(c.blocks.iter().cloned());
        let inner = self.compose(&blocks, inner_w);
        let mut y = PAD;
        let mut items = Vec::new();
        for (i, f) in inner.iter().enumerate() {
            if i > 0 {
                y += f.space_before;
            }
            if let Some(repeat) = &f.repeat {
                // Inside a card a table never breaks: its header is not repeated.
                let _ = repeat;
            }
            items.extend(f.items.iter().cloned().map(|mut it| {
                it.translate(PAD + ACCENT, y);
                it
            }));
            y += f.height;
        }
        let height = y + PAD;
        if height > self.page_height {
            // Too tall to keep on one page: let the content flow unboxed.
            let mut frags = inner;
            if let Some(first) = frags.first_mut() {
                first.space_before = c.space_before;
            }
            return frags;
        }
        let mut all = vec![
            Item::Rect {
                x: 0.0,
                y: 0.0,
                w: width,
                h: height,
                fill: Some(c.fill),
                stroke: None,
            },
            Item::Rect {
                x: 0.0,
                y: 0.0,
                w: ACCENT,
                h: height,
                fill: Some(c.accent),
                stroke: None,
            },
        ];
        all.extend(items);
        let mut f = Fragment::new(height, all);
        f.space_before = c.space_before;
        vec![f]
    }

    fn figures(&mut self, figures: &[Figure], width: f32) -> Fragment {
        const GAP: f32 = 8.0;
        const PAD: f32 = 8.0;
        let n = figures.len().max(1) as f32;
        let tile_w = (width - GAP * (n - 1.0)) / n;
        let inner = tile_w - 2.0 * PAD;
        let mut tiles = Vec::new();
        let mut height: f32 = 0.0;
        for fig in figures {
            let label = self.lines(
                &[Span::plain(fig.label.clone())],
                8.5,
                inner,
                theme::MUTED,
                true,
            );
            let value = self.lines(
                &[Span::bold(fig.value.clone())],
                20.0,
                inner,
                fig.color,
                false,
            );
            let note = if fig.note.is_empty() {
                Vec::new()
            } else {
                self.lines(
                    &[Span::plain(fig.note.clone())],
                    8.5,
                    inner,
                    theme::TEXT,
                    true,
                )
            };
            let h = PAD
                + label.len() as f32 * line_height(8.5)
                + value.len() as f32 * 24.0
                + note.len() as f32 * line_height(8.5)
                + PAD;
            height = height.max(h);
            tiles.push((label, value, note, fig.color));
        }
        let mut items = Vec::new();
        for (i, (label, value, note, color)) in tiles.iter().enumerate() {
            let x = i as f32 * (tile_w + GAP);
            items.push(Item::Rect {
                x,
                y: 0.0,
                w: tile_w,
                h: height,
                fill: Some(theme::SHADE),
                stroke: None,
            });
            items.push(Item::Rect {
                x,
                y: 0.0,
                w: tile_w,
                h: 3.0,
                fill: Some(*color),
                stroke: None,
            });
            let mut y = PAD;
            let small = line_height(8.5);
            for l in label {
                items.extend(Self::line_items(
                    l,
                    x + PAD,
                    inner,
                    Align::Left,
                    y + self.baseline(8.5, small),
                ));
                y += small;
            }
            for l in value {
                items.extend(Self::line_items(
                    l,
                    x + PAD,
                    inner,
                    Align::Left,
                    y + self.baseline(20.0, 24.0),
                ));
                y += 24.0;
            }
            for l in note {
                items.extend(Self::line_items(
                    l,
                    x + PAD,
                    inner,
                    Align::Left,
                    y + self.baseline(8.5, small),
                ));
                y += small;
            }
        }
        let mut f = Fragment::new(height, items);
        f.space_before = 10.0;
        f
    }
}

/// Lays fragments out on pages of the given frame.
pub(crate) fn paginate(mut frags: Vec<Fragment>, frame: Frame) -> Pages {
    let mut p = Paginator {
        frame,
        pages: vec![Vec::new()],
        outline: Vec::new(),
        y: 0.0,
        empty: true,
    };
    let mut i = 0;
    while i < frags.len() {
        // The chain of fragments that must share a page.
        let mut j = i;
        while j + 1 < frags.len() && frags[j].keep_with_next {
            j += 1;
        }
        let group = &mut frags[i..=j];
        if group[0].break_before && !p.empty {
            p.new_page();
        }
        let first_space = if p.empty { 0.0 } else { group[0].space_before };
        let height: f32 = first_space
            + group[0].height
            + group[1..]
                .iter()
                .map(|f| f.space_before + f.height)
                .sum::<f32>();
        if !p.empty && p.y + height > frame.height {
            p.new_page();
            if let Some(header) = &group[0].repeat {
                p.place(header, header.items.clone());
            }
        }
        for f in group {
            let items = std::mem::take(&mut f.items);
            p.place_checked(f, items);
        }
        i = j + 1;
    }
    if p.pages.len() > 1 && p.pages.last().is_some_and(Vec::is_empty) {
        p.pages.pop();
    }
    Pages {
        pages: p.pages,
        outline: p.outline,
    }
}

struct Paginator {
    frame: Frame,
    pages: Vec<Vec<Item>>,
    outline: Vec<OutlineEntry>,
    /// Used height of the current page's body.
    y: f32,
    /// Nothing placed on the current page yet.
    empty: bool,
}

impl Paginator {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = 0.0;
        self.empty = true;
    }

    /// Places a fragment, opening a new page first if it does not fit.
    fn place_checked(&mut self, f: &Fragment, items: Vec<Item>) {
        let space = if self.empty { 0.0 } else { f.space_before };
        if !self.empty && self.y + space + f.height > self.frame.height {
            self.new_page();
            if let Some(header) = &f.repeat {
                self.place(header, header.items.clone());
            }
        }
        self.place(f, items);
    }

    /// Places a fragment whose drawing items are `items`.
    fn place(&mut self, f: &Fragment, items: Vec<Item>) {
        if !self.empty {
            self.y += f.space_before;
        }
        let top = self.frame.y + self.y;
        let page = self.pages.len() - 1;
        if let Some(a) = &f.anchor {
            self.outline.push(OutlineEntry {
                title: a.title.clone(),
                level: a.level,
                page,
                y: top,
            });
        }
        if let Some(page) = self.pages.last_mut() {
            page.extend(items.into_iter().map(|mut it| {
                it.translate(self.frame.x, top);
                it
            }));
        }
        self.y += f.height;
        self.empty = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fonts::fonts;
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
}
