//! Fragments (unbreakable strips with their drawing items), frames and
//! paginated pages: what composition produces and rendering draws.

use std::sync::Arc;

use super::super::fonts::ShapedRun;
use super::super::theme::{self, Color};

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
    pub(super) fn translate(&mut self, dx: f32, dy: f32) {
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
    pub(super) fn new(height: f32, items: Vec<Item>) -> Fragment {
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
