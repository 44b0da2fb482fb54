//! Composition: each kind of block cut into fragments (lines of text,
//! table rows, bars, cards), with keep-together rules.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::super::fonts::{FontSet, ShapeCache, Style};
use super::super::text::{break_lines, BreakOptions, Line, Span};
use super::super::theme::{self, Color};
use super::*;

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
        } else if l.boxes {
            l.size + 8.0
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
            if l.boxes {
                // An empty square on the first line, as tall as a capital.
                let side = l.size * 0.8;
                if let Some(first) = items.first_mut() {
                    first.push(Item::Rect {
                        x: 1.0,
                        y: base - side,
                        w: side,
                        h: side,
                        fill: None,
                        stroke: Some((theme::TEXT, 0.8)),
                    });
                }
                let space = if n == 0 { l.space_before } else { 3.0 };
                out.extend(Self::line_fragments(items, lh, space));
                continue;
            }
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
