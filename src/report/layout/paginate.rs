//! Pagination: fragments placed on pages, keeping together what asks to
//! stay together and repeating table headers.

use super::{Fragment, Frame, Item, OutlineEntry, Pages};

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
