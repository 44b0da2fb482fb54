//! Rich text and line breaking by measured width.
//!
//! A paragraph is a list of [`Span`]s (text in one style and colour). It is
//! cut into words at spaces, every word is shaped with the real font, and
//! lines are filled greedily. A word that does not fit may be split at an
//! explicit hyphen or slash, after an apostrophe, or at an Italian
//! hyphenation point (a hyphen is then drawn); a word wider than the whole
//! line is split wherever it must.

use std::collections::BTreeSet;

use super::fonts::{ClusterText, FontSet, ShapeCache, ShapedRun, Style};
use super::hyphen;
use super::theme::Color;

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text; `\n` forces a line break.
    pub text: String,
    /// Regular, bold or italic.
    pub style: Style,
    /// Colour; the paragraph's colour when `None`.
    pub color: Option<Color>,
}

impl Span {
    /// Regular text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            style: Style::Regular,
            color: None,
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            style: Style::Bold,
            color: None,
        }
    }

    /// Italic text.
    pub fn italic(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            style: Style::Italic,
            color: None,
        }
    }

    /// The same span in another colour.
    pub fn colored(mut self, color: Color) -> Span {
        self.color = Some(color);
        self
    }
}

/// Parses our own light markup: `**bold**` and `//italic//`. Only for text
/// written in this crate, never for user or questionnaire text.
pub fn rich(markup: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut style = Style::Regular;
    let mut current = String::new();
    let mut rest = markup;
    while !rest.is_empty() {
        let (marker, next_style) = if rest.starts_with("**") {
            ("**", Style::Bold)
        } else if rest.starts_with("//") {
            ("//", Style::Italic)
        } else {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                current.push(c);
            }
            rest = chars.as_str();
            continue;
        };
        if !current.is_empty() {
            spans.push(Span {
                text: std::mem::take(&mut current),
                style,
                color: None,
            });
        }
        style = if style == next_style {
            Style::Regular
        } else {
            next_style
        };
        rest = &rest[marker.len()..];
    }
    if !current.is_empty() {
        spans.push(Span {
            text: current,
            style,
            color: None,
        });
    }
    spans
}

/// A shaped run placed on a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlacedRun {
    /// Offset from the start of the line, in points.
    pub x: f32,
    pub run: ShapedRun,
    pub color: Color,
}

/// One line of a paragraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Line {
    pub runs: Vec<PlacedRun>,
    /// Width of the inked part, in points.
    pub width: f32,
}

impl Line {
    /// The text of the line (for tests and the outline).
    #[cfg(test)]
    pub(crate) fn text(&self) -> String {
        self.runs.iter().map(|r| r.run.text()).collect()
    }
}

/// How to break a paragraph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BreakOptions {
    pub size: f32,
    pub max_width: f32,
    pub color: Color,
    pub hyphenate: bool,
}

/// A run of characters of one style and colour inside a word.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    style: Style,
    color: Color,
}

#[derive(Debug, Clone)]
enum Atom {
    Word(Vec<Piece>),
    Space(Style, Color),
    Newline,
}

/// A word ready to be placed: pieces already shaped.
#[derive(Debug, Clone)]
struct Word {
    pieces: Vec<(ShapedRun, Color)>,
    width: f32,
}

#[derive(Debug, Clone)]
enum Elem {
    Word(Word),
    Space(ShapedRun, Color),
}

impl Elem {
    fn width(&self) -> f32 {
        match self {
            Elem::Word(w) => w.width,
            Elem::Space(r, _) => r.width,
        }
    }
}

/// Breaks `spans` into lines no wider than `opts.max_width`.
///
/// Characters the font lacks are replaced and collected in `lost`.
pub(crate) fn break_lines(
    fonts: &FontSet,
    spans: &[Span],
    opts: BreakOptions,
    lost: &mut BTreeSet<char>,
    cache: &mut ShapeCache,
) -> Vec<Line> {
    let atoms = atoms(fonts, spans, opts.color, lost);
    let mut breaker = Breaker {
        fonts,
        cache,
        opts,
        lines: Vec::new(),
        current: Vec::new(),
        width: 0.0,
        pending_space: None,
    };
    for atom in atoms {
        match atom {
            Atom::Newline => {
                breaker.pending_space = None;
                breaker.flush(true);
            }
            Atom::Space(style, color) => {
                if !breaker.current.is_empty() {
                    let run = fonts.shape_cached(breaker.cache, " ", style, opts.size);
                    breaker.pending_space = Some(Elem::Space(run, color));
                }
            }
            Atom::Word(pieces) => breaker.place_word(pieces),
        }
    }
    breaker.flush(false);
    if breaker.lines.is_empty() {
        breaker.lines.push(Line::default());
    }
    breaker.lines
}

fn atoms(fonts: &FontSet, spans: &[Span], default: Color, lost: &mut BTreeSet<char>) -> Vec<Atom> {
    let mut atoms = Vec::new();
    let mut word: Vec<Piece> = Vec::new();
    let end_word = |word: &mut Vec<Piece>, atoms: &mut Vec<Atom>| {
        if !word.is_empty() {
            atoms.push(Atom::Word(std::mem::take(word)));
        }
    };
    for span in spans {
        let color = span.color.unwrap_or(default);
        let text = fonts.sanitize(&span.text, lost);
        for c in text.chars() {
            match c {
                ' ' => {
                    end_word(&mut word, &mut atoms);
                    if !matches!(
                        atoms.last(),
                        Some(Atom::Space(..)) | Some(Atom::Newline) | None
                    ) {
                        atoms.push(Atom::Space(span.style, color));
                    }
                }
                '\n' => {
                    end_word(&mut word, &mut atoms);
                    if matches!(atoms.last(), Some(Atom::Space(..))) {
                        atoms.pop();
                    }
                    atoms.push(Atom::Newline);
                }
                '\r' => {}
                _ => match word.last_mut() {
                    Some(p) if p.style == span.style && p.color == color => p.text.push(c),
                    _ => word.push(Piece {
                        text: c.to_string(),
                        style: span.style,
                        color,
                    }),
                },
            }
        }
    }
    end_word(&mut word, &mut atoms);
    atoms
}

struct Breaker<'f> {
    fonts: &'f FontSet,
    cache: &'f mut ShapeCache,
    opts: BreakOptions,
    lines: Vec<Line>,
    current: Vec<Elem>,
    width: f32,
    pending_space: Option<Elem>,
}

const EPSILON: f32 = 0.01;

impl Breaker<'_> {
    fn shape_pieces(&mut self, pieces: &[Piece]) -> Word {
        let mut shaped = Vec::with_capacity(pieces.len());
        let mut width = 0.0;
        for p in pieces {
            // A no-break space is drawn as a space; it only stops the breaker.
            let text = p.text.replace('\u{00A0}', " ");
            let run = self
                .fonts
                .shape_cached(self.cache, &text, p.style, self.opts.size);
            width += run.width;
            shaped.push((run, p.color));
        }
        Word {
            pieces: shaped,
            width,
        }
    }

    fn place_word(&mut self, pieces: Vec<Piece>) {
        let mut pieces = pieces;
        let mut word = self.shape_pieces(&pieces);
        loop {
            let space = self.pending_space.as_ref().map_or(0.0, Elem::width);
            if self.width + space + word.width <= self.opts.max_width + EPSILON {
                self.push(Elem::Word(word));
                return;
            }
            let line_empty = self.current.is_empty();
            let avail = self.opts.max_width - self.width - space;
            if line_empty || avail >= self.opts.max_width * 0.12 {
                if let Some((head, tail)) = self.split_to_fit(&pieces, &word, avail) {
                    self.push(Elem::Word(head));
                    self.flush(false);
                    word = self.shape_pieces(&tail);
                    pieces = tail;
                    continue;
                }
            }
            if line_empty {
                // Too wide for a whole line and no break point fits: cut.
                let (head, tail) = self.force_split(&pieces);
                self.push(Elem::Word(head));
                self.flush(false);
                if tail.is_empty() {
                    return;
                }
                word = self.shape_pieces(&tail);
                pieces = tail;
                continue;
            }
            self.pending_space = None;
            self.flush(false);
        }
    }

    fn push(&mut self, elem: Elem) {
        if let Some(space) = self.pending_space.take() {
            self.width += space.width();
            self.current.push(space);
        }
        self.width += elem.width();
        self.current.push(elem);
    }

    /// Ends the current line. An empty line is kept only for an explicit
    /// line break.
    fn flush(&mut self, explicit: bool) {
        self.pending_space = None;
        while matches!(self.current.last(), Some(Elem::Space(..))) {
            self.current.pop();
        }
        if self.current.is_empty() && !explicit {
            self.width = 0.0;
            return;
        }
        let mut line = Line::default();
        let mut x = 0.0;
        for elem in self.current.drain(..) {
            let parts = match elem {
                Elem::Word(w) => w.pieces,
                Elem::Space(run, color) => vec![(run, color)],
            };
            for (run, color) in parts {
                let w = run.width;
                match line.runs.last_mut() {
                    Some(last)
                        if last.color == color
                            && last.run.style == run.style
                            && last.run.size == run.size =>
                    {
                        last.run.extend(run);
                    }
                    _ => line.runs.push(PlacedRun { x, run, color }),
                }
                x += w;
            }
        }
        line.width = x;
        self.lines.push(line);
        self.width = 0.0;
    }

    /// Splits the word at the last break point whose head (with a hyphen
    /// when needed) fits in `avail`.
    fn split_to_fit(
        &mut self,
        pieces: &[Piece],
        word: &Word,
        avail: f32,
    ) -> Option<(Word, Vec<Piece>)> {
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        let mut candidates: Vec<(usize, bool)> = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (i, &(at, c)) in chars.iter().enumerate() {
            let next = chars.get(i + 1).map(|&(_, n)| n);
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).map(|&(_, p)| p);
            let explicit = matches!(c, '-' | '/' | '\'' | '\u{2019}')
                && prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric);
            if explicit {
                candidates.push((at + c.len_utf8(), false));
            }
        }
        if self.opts.hyphenate {
            candidates.extend(hyphen::break_points(&text).into_iter().map(|b| (b, true)));
        }
        candidates.sort_unstable();
        candidates.dedup_by_key(|c| c.0);
        // Estimate each head's width from the glyphs already shaped, and
        // shape only the candidates that may fit.
        let starts = glyph_starts(pieces, word);
        let hyphen_w = self
            .fonts
            .shape_cached(
                self.cache,
                "-",
                pieces.last().map_or(Style::Regular, |p| p.style),
                self.opts.size,
            )
            .width;
        for &(at, hyphen) in candidates.iter().rev() {
            let estimate: f32 = starts
                .iter()
                .take_while(|(start, _)| *start < at)
                .map(|(_, w)| w)
                .sum::<f32>()
                + if hyphen { hyphen_w } else { 0.0 };
            if estimate > avail + 1.0 {
                continue;
            }
            let (mut head, tail) = split_pieces(pieces, at);
            if hyphen {
                if let Some(last) = head.last_mut() {
                    last.text.push('-');
                }
            }
            let shaped = self.shape_pieces(&head);
            if shaped.width <= avail + EPSILON {
                return Some((shaped, tail));
            }
        }
        None
    }

    /// Cuts a word that cannot fit on a line by itself: as many characters
    /// as fit, and always at least one.
    fn force_split(&mut self, pieces: &[Piece]) -> (Word, Vec<Piece>) {
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
        let mut best = offsets.first().copied().unwrap_or(text.len());
        for &at in &offsets {
            let (head, _) = split_pieces(pieces, at);
            if self.shape_pieces(&head).width <= self.opts.max_width + EPSILON {
                best = at;
            } else {
                break;
            }
        }
        let (head, tail) = split_pieces(pieces, best);
        (self.shape_pieces(&head), tail)
    }
}

/// For every glyph of a shaped word, the byte offset (in the pieces' text)
/// where its cluster starts, and its advance.
fn glyph_starts(pieces: &[Piece], word: &Word) -> Vec<(usize, f32)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (piece, (run, _)) in pieces.iter().zip(&word.pieces) {
        let mut chars = piece.text.chars();
        let mut at = offset;
        for g in &run.glyphs {
            out.push((at, g.advance));
            let consumed = match &g.text {
                ClusterText::None => 0,
                ClusterText::Char(_) => 1,
                ClusterText::Str(s) => s.chars().count(),
            };
            for _ in 0..consumed {
                at += chars.next().map_or(0, char::len_utf8);
            }
        }
        offset += piece.text.len();
    }
    out
}

/// Splits pieces at a byte offset of their concatenated text.
fn split_pieces(pieces: &[Piece], at: usize) -> (Vec<Piece>, Vec<Piece>) {
    let mut head = Vec::new();
    let mut tail = Vec::new();
    let mut offset = 0;
    for p in pieces {
        let len = p.text.len();
        if offset + len <= at {
            head.push(p.clone());
        } else if offset >= at {
            tail.push(p.clone());
        } else {
            let cut = at - offset;
            head.push(Piece {
                text: p.text[..cut].to_string(),
                ..p.clone()
            });
            tail.push(Piece {
                text: p.text[cut..].to_string(),
                ..p.clone()
            });
        }
        offset += len;
    }
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fonts::fonts;
    use crate::report::theme::TEXT;
    use crate::report::ReportError;

    fn opts(max_width: f32, hyphenate: bool) -> BreakOptions {
        BreakOptions {
            size: 10.0,
            max_width,
            color: TEXT,
            hyphenate,
        }
    }

    fn lines(text: &str, max_width: f32, hyphenate: bool) -> Result<Vec<String>, ReportError> {
        let f = fonts()?;
        let mut lost = BTreeSet::new();
        let lines = break_lines(
            f,
            &[Span::plain(text)],
            opts(max_width, hyphenate),
            &mut lost,
            &mut ShapeCache::new(),
        );
        Ok(lines.iter().map(Line::text).collect())
    }

    const TEXT_IT: &str = "Il backup è la copia dei dati che permette di ripartire \
        dopo un attacco informatico, un guasto o un errore: perché funzioni deve \
        essere fatto spesso, conservato fuori dalla rete e provato più volte \
        all'anno con un ripristino vero delle attività del Comune.";

    #[test]
    fn no_line_is_wider_than_the_measure() -> Result<(), ReportError> {
        let f = fonts()?;
        let mut lost = BTreeSet::new();
        for width in [60.0, 120.0, 200.0, 450.0] {
            let lines = break_lines(
                f,
                &[Span::plain(TEXT_IT)],
                opts(width, true),
                &mut lost,
                &mut ShapeCache::new(),
            );
            assert!(lines.len() > 1);
            for l in &lines {
                assert!(
                    l.width <= width + EPSILON,
                    "{} > {width}: {}",
                    l.width,
                    l.text()
                );
                let measured = f.measure(&l.text(), Style::Regular, 10.0);
                assert!(
                    (measured - l.width).abs() < 0.5,
                    "{measured} vs {}",
                    l.width
                );
            }
        }
        Ok(())
    }

    #[test]
    fn wrapping_loses_no_word() -> Result<(), ReportError> {
        for width in [70.0, 150.0, 300.0] {
            let joined = lines(TEXT_IT, width, false)?.join(" ");
            assert_eq!(joined, TEXT_IT, "width {width}");
        }
        Ok(())
    }

    #[test]
    fn hyphenation_splits_at_italian_syllables() -> Result<(), ReportError> {
        let lines = lines(TEXT_IT, 150.0, true)?;
        let hyphenated: Vec<&String> = lines.iter().filter(|l| l.ends_with('-')).collect();
        assert!(!hyphenated.is_empty(), "{lines:#?}");
        // Rejoining the hyphenated lines gives the text back.
        let mut joined = String::new();
        for l in &lines {
            if let Some(stem) = l.strip_suffix('-') {
                joined.push_str(stem);
            } else {
                joined.push_str(l);
                joined.push(' ');
            }
        }
        assert_eq!(joined.trim_end(), TEXT_IT);
        Ok(())
    }

    #[test]
    fn explicit_breaks_and_no_break_spaces_are_honoured() -> Result<(), ReportError> {
        let lines = lines("uno\ndue tre\n\nquattro", 400.0, true)?;
        assert_eq!(lines, vec!["uno", "due tre", "", "quattro"]);
        let f = fonts()?;
        let nbsp = "entro\u{00A0}30\u{00A0}giorni";
        let narrow = f.measure("entro 30", Style::Regular, 10.0);
        let l = lines_of(nbsp, narrow)?;
        // The no-break spaces hold the group together, so it is cut by force
        // rather than at the spaces.
        assert!(
            l.iter().all(|line| line != "entro" && line != "30"),
            "{l:?}"
        );
        Ok(())
    }

    fn lines_of(text: &str, width: f32) -> Result<Vec<String>, ReportError> {
        lines(text, width, false)
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() -> Result<(), ReportError> {
        let lines = lines("https://www.csirt.gov.it/segnalazione", 40.0, false)?;
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), "https://www.csirt.gov.it/segnalazione");
        Ok(())
    }

    #[test]
    fn mixed_styles_keep_their_runs() -> Result<(), ReportError> {
        let f = fonts()?;
        let mut lost = BTreeSet::new();
        let spans = rich("Punteggio **62 su 100**, livello //base//.");
        assert_eq!(spans.len(), 5);
        let lines = break_lines(
            f,
            &spans,
            opts(500.0, true),
            &mut lost,
            &mut ShapeCache::new(),
        );
        assert_eq!(lines.len(), 1);
        let styles: Vec<Style> = lines[0].runs.iter().map(|r| r.run.style).collect();
        assert_eq!(
            styles,
            vec![
                Style::Regular,
                Style::Bold,
                Style::Regular,
                Style::Italic,
                Style::Regular
            ]
        );
        assert_eq!(lines[0].text(), "Punteggio 62 su 100, livello base.");
        Ok(())
    }
}
