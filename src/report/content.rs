//! A page's content stream: the PDF operators (ISO 32000-1, 8 and 9) that
//! draw its items, written straight into bytes.
//!
//! Text is drawn with the subset fonts through two-byte glyph codes
//! (`Identity-H`): each glyph's code comes from [`GlyphCodes`], which the
//! font embedding fills. Coordinates are rounded to 1/100 pt.

use std::io::Write as _;

use super::fonts::{ShapedRun, Style};
use super::layout::Item;
use super::theme::{self, Color};

/// The code of every glyph in the embedded subset of each face.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct GlyphCodes {
    /// Per style, indexed by the glyph id in the whole face; `None` for a
    /// glyph that is not embedded.
    codes: [Vec<Option<u16>>; 3],
}

impl GlyphCodes {
    /// Records that glyph `gid` of `style` is drawn with `code`.
    pub(crate) fn insert(&mut self, style: Style, gid: u16, code: u16) {
        let codes = &mut self.codes[style.index()];
        let at = usize::from(gid);
        if codes.len() <= at {
            codes.resize(at + 1, None);
        }
        codes[at] = Some(code);
    }

    /// The code of glyph `gid` of `style`; `None` when it is not embedded.
    pub(crate) fn get(&self, style: Style, gid: u16) -> Option<u16> {
        self.codes[style.index()]
            .get(usize::from(gid))
            .copied()
            .flatten()
    }
}

/// Rounds to 1/100 pt, enough for print and kind to the file size.
pub(crate) fn r2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Writes a number as PDF wants it: no exponent, no `-0`, integers
/// without a decimal point, at most four decimals (coordinates are already
/// rounded to two; a colour component needs four to keep its 8-bit value).
/// Written by hand: a page holds thousands of numbers, and formatting each
/// through `f32`'s `Display` cost a few milliseconds per plan.
fn num(out: &mut Vec<u8>, v: f32) {
    let scaled = (f64::from(v) * 10_000.0).round();
    if !scaled.is_finite() || scaled.abs() >= 1e15 {
        out.push(b'0');
        return;
    }
    let mut n = scaled as i64;
    if n < 0 {
        out.push(b'-');
        n = -n;
    }
    let _ = write!(out, "{}", n / 10_000);
    let mut frac = n % 10_000;
    if frac != 0 {
        let mut digits = 4;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let _ = write!(out, ".{frac:0digits$}");
    }
}

fn nums(out: &mut Vec<u8>, values: &[f32], op: &str) {
    for v in values {
        num(out, *v);
        out.push(b' ');
    }
    out.extend_from_slice(op.as_bytes());
    out.push(b'\n');
}

fn color(out: &mut Vec<u8>, c: Color, op: &str) {
    let part = |v: u8| f32::from(v) / 255.0;
    nums(out, &[part(c.r), part(c.g), part(c.b)], op);
}

/// The `Tj` or `TJ` of a run: glyph codes in literal strings, separated by
/// the kerning adjustments (thousandths of an em; positive moves left).
/// Returns the glyphs that have no code.
///
/// Literal strings, not hex: two bytes a glyph instead of four, so a third
/// less to deflate, and a smaller file (Proceno's plan: 164 → 141 KB).
fn show(out: &mut Vec<u8>, run: &ShapedRun, codes: &GlyphCodes) -> usize {
    let adjusted = run.glyphs.iter().any(|g| r2(g.adjust) != 0.0);
    let mut missing = 0;
    if adjusted {
        out.push(b'[');
    }
    let mut open = false;
    for g in &run.glyphs {
        let code = codes.get(run.style, g.gid).unwrap_or_else(|| {
            missing += 1;
            0
        });
        if !open {
            out.push(b'(');
            open = true;
        }
        literal_code(out, code);
        let adjust = r2(g.adjust);
        if adjust != 0.0 {
            out.extend_from_slice(b") ");
            num(out, adjust);
            open = false;
        }
    }
    if open {
        out.push(b')');
    }
    out.extend_from_slice(if adjusted { b"] TJ\n" } else { b" Tj\n" });
    missing
}

/// A two-byte code inside a literal string. The bytes a literal string
/// gives a meaning to are escaped (ISO 32000-1, 7.3.4.2): the parentheses,
/// the backslash, and the line ends, since a reader turns a bare CR (or CR
/// LF) into LF.
fn literal_code(out: &mut Vec<u8>, code: u16) {
    for b in code.to_be_bytes() {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
}

/// A content stream being written, with the graphics state it has set, so
/// that each colour, font, line width and dash is set only when it changes.
#[derive(Default)]
struct Writer {
    out: Vec<u8>,
    in_text: bool,
    /// Where the current line of the text object starts (`Td` is relative).
    line_start: (f32, f32),
    font: Option<(Style, u32)>,
    fill: Option<Color>,
    stroke: Option<Color>,
    line_width: Option<u32>,
    dashed: bool,
}

impl Writer {
    fn begin_text(&mut self) {
        if !self.in_text {
            self.out.extend_from_slice(b"BT\n");
            self.in_text = true;
            self.line_start = (0.0, 0.0);
        }
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.out.extend_from_slice(b"ET\n");
            self.in_text = false;
        }
    }

    fn font(&mut self, style: Style, size: f32) {
        let key = (style, (size * 100.0).round() as u32);
        if self.font != Some(key) {
            self.out.push(b'/');
            self.out.extend_from_slice(style.resource_id().as_bytes());
            self.out.push(b' ');
            nums(&mut self.out, &[size], "Tf");
            self.font = Some(key);
        }
    }

    fn fill(&mut self, c: Color) {
        if self.fill != Some(c) {
            color(&mut self.out, c, "rg");
            self.fill = Some(c);
        }
    }

    fn stroke(&mut self, c: Color, width: f32) {
        if self.stroke != Some(c) {
            color(&mut self.out, c, "RG");
            self.stroke = Some(c);
        }
        let key = (width * 100.0).round() as u32;
        if self.line_width != Some(key) {
            nums(&mut self.out, &[width], "w");
            self.line_width = Some(key);
        }
    }

    fn dashed(&mut self, dashed: bool) {
        if self.dashed != dashed {
            self.out
                .extend_from_slice(if dashed { b"[3 2] 0 d\n" } else { b"[] 0 d\n" });
            self.dashed = dashed;
        }
    }
}

/// The content stream of a page. Returns the bytes and the number of
/// glyphs drawn as `.notdef` because they had no code (zero unless the
/// font embedding missed a glyph).
pub(crate) fn page_content(items: &[Item], codes: &GlyphCodes) -> (Vec<u8>, usize) {
    let h = theme::PAGE_HEIGHT;
    let mut w = Writer {
        out: Vec::with_capacity(items.len() * 48),
        ..Writer::default()
    };
    let mut missing = 0;
    for item in items {
        match item {
            Item::Text { x, y, run, color } => {
                if run.glyphs.is_empty() {
                    continue;
                }
                w.begin_text();
                w.font(run.style, run.size);
                w.fill(*color);
                let at = (r2(*x), r2(h - y));
                let (from_x, from_y) = w.line_start;
                nums(&mut w.out, &[r2(at.0 - from_x), r2(at.1 - from_y)], "Td");
                w.line_start = at;
                missing += show(&mut w.out, run, codes);
            }
            Item::Rect {
                x,
                y,
                w: width,
                h: height,
                fill,
                stroke,
            } => {
                w.end_text();
                if let Some(c) = fill {
                    w.fill(*c);
                }
                if let Some((c, line)) = stroke {
                    w.stroke(*c, *line);
                }
                let paint = match (fill, stroke) {
                    (Some(_), Some(_)) => "B",
                    (Some(_), None) => "f",
                    (None, Some(_)) => "S",
                    (None, None) => continue,
                };
                let corner = [r2(*x), r2(h - y - height), r2(*width), r2(*height)];
                nums(&mut w.out, &corner, "re");
                w.out.extend_from_slice(paint.as_bytes());
                w.out.push(b'\n');
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
                dashed,
            } => {
                w.end_text();
                w.stroke(*color, *width);
                w.dashed(*dashed);
                nums(&mut w.out, &[r2(*x1), r2(h - y1)], "m");
                nums(&mut w.out, &[r2(*x2), r2(h - y2)], "l");
                w.out.extend_from_slice(b"S\n");
            }
        }
    }
    w.end_text();
    (w.out, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fonts::{fonts, ShapedRun};
    use crate::report::ReportError;

    fn codes_for(run: &ShapedRun) -> GlyphCodes {
        let mut codes = GlyphCodes::default();
        for g in &run.glyphs {
            codes.insert(run.style, g.gid, g.gid);
        }
        codes
    }

    #[test]
    fn numbers_are_plain_pdf_numbers() {
        let mut out = Vec::new();
        for v in [
            0.0,
            -0.0,
            12.0,
            -3.5,
            0.1,
            595.28,
            -0.05,
            1e-7,
            f32::NAN,
            23.0 / 255.0,
        ] {
            num(&mut out, v);
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            "0 0 12 -3.5 0.1 595.28 -0.05 0 0 0.0902 "
        );
    }

    #[test]
    fn text_is_drawn_with_codes_and_kerning() -> Result<(), ReportError> {
        let f = fonts()?;
        let run = f.shape("AVA", Style::Regular, 10.0);
        let codes = codes_for(&run);
        let mut first = b"[(".to_vec();
        literal_code(&mut first, run.glyphs[0].gid);
        first.extend_from_slice(b") ");
        let items = [Item::Text {
            x: 10.0,
            y: theme::PAGE_HEIGHT - 20.0,
            run,
            color: theme::TEXT,
        }];
        let (bytes, missing) = page_content(&items, &codes);
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(missing, 0);
        assert!(text.starts_with("BT\n/TWREGU 10 Tf\n"), "{text}");
        assert!(text.contains("10 20 Td\n"), "{text}");
        // "AV" is a kerned pair: an adjustment stands between the codes.
        assert!(bytes.windows(first.len()).any(|w| w == first), "{text}");
        assert!(text.ends_with("] TJ\nET\n"), "{text}");
        Ok(())
    }

    #[test]
    fn a_glyph_without_code_is_counted() -> Result<(), ReportError> {
        let f = fonts()?;
        let run = f.shape("ab", Style::Bold, 9.0);
        let items = [Item::Text {
            x: 0.0,
            y: 0.0,
            run,
            color: theme::TEXT,
        }];
        let (bytes, missing) = page_content(&items, &GlyphCodes::default());
        assert_eq!(missing, 2);
        let shown = b"(\0\0\0\0) Tj";
        assert!(bytes.windows(shown.len()).any(|w| w == shown));
        Ok(())
    }

    #[test]
    fn codes_escape_what_a_literal_string_reads_as_syntax() {
        let mut out = Vec::new();
        for code in [0x0041, 0x2829, 0x5C0D, 0x0A00] {
            literal_code(&mut out, code);
        }
        assert_eq!(out, b"\0A\\(\\)\\\\\\r\\n\0");
    }

    #[test]
    fn shapes_set_their_state_once() {
        let rect = |fill| Item::Rect {
            x: 10.0,
            y: 10.0,
            w: 100.0,
            h: 20.0,
            fill: Some(fill),
            stroke: None,
        };
        let line = |dashed| Item::Line {
            x1: 0.0,
            y1: 0.0,
            x2: 50.0,
            y2: 0.0,
            color: theme::RULE,
            width: 0.5,
            dashed,
        };
        let items = [
            rect(theme::RULE),
            rect(theme::RULE),
            line(true),
            line(false),
        ];
        let (bytes, _) = page_content(&items, &GlyphCodes::default());
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches(" rg\n").count(), 1, "{text}");
        assert_eq!(text.matches(" re\nf\n").count(), 2, "{text}");
        assert_eq!(text.matches(" w\n").count(), 1, "{text}");
        assert!(
            text.contains("[3 2] 0 d\n0 841.89 m\n50 841.89 l\nS\n[] 0 d\n"),
            "{text}"
        );
    }
}
