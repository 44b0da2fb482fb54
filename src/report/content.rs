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

/// The `Tj` or `TJ` of a run: glyph codes in hex strings, separated by the
/// kerning adjustments (thousandths of an em; positive moves left).
/// Returns the glyphs that have no code.
fn show(out: &mut Vec<u8>, run: &ShapedRun, codes: &GlyphCodes) -> usize {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
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
            out.push(b'<');
            open = true;
        }
        for shift in [12, 8, 4, 0] {
            out.push(HEX[usize::from((code >> shift) & 0xF)]);
        }
        let adjust = r2(g.adjust);
        if adjust != 0.0 {
            out.extend_from_slice(b"> ");
            num(out, adjust);
            open = false;
        }
    }
    if open {
        out.push(b'>');
    }
    out.extend_from_slice(if adjusted { b"] TJ\n" } else { b" Tj\n" });
    missing
}

fn end_text(out: &mut Vec<u8>, in_text: &mut bool) {
    if *in_text {
        out.extend_from_slice(b"ET\n");
        *in_text = false;
    }
}

/// The content stream of a page. Returns the bytes and the number of
/// glyphs drawn as `.notdef` because they had no code (zero unless the
/// font embedding missed a glyph).
pub(crate) fn page_content(items: &[Item], codes: &GlyphCodes) -> (Vec<u8>, usize) {
    let h = theme::PAGE_HEIGHT;
    let mut out = Vec::with_capacity(items.len() * 48);
    let mut missing = 0;
    let mut in_text = false;
    let mut line_start = (0.0_f32, 0.0_f32);
    let mut font: Option<(Style, u32)> = None;
    let mut fill: Option<Color> = None;
    let mut stroke: Option<Color> = None;
    let mut line_width: Option<u32> = None;
    let mut dashed = false;
    for item in items {
        match item {
            Item::Text {
                x,
                y,
                run,
                color: c,
            } => {
                if run.glyphs.is_empty() {
                    continue;
                }
                if !in_text {
                    out.extend_from_slice(b"BT\n");
                    in_text = true;
                    line_start = (0.0, 0.0);
                }
                let key = (run.style, (run.size * 100.0).round() as u32);
                if font != Some(key) {
                    out.push(b'/');
                    out.extend_from_slice(run.style.resource_id().as_bytes());
                    out.push(b' ');
                    nums(&mut out, &[run.size], "Tf");
                    font = Some(key);
                }
                if fill != Some(*c) {
                    color(&mut out, *c, "rg");
                    fill = Some(*c);
                }
                // `Td` moves relative to the start of the previous line of
                // the text object (the origin after `BT`).
                let at = (r2(*x), r2(h - y));
                nums(
                    &mut out,
                    &[r2(at.0 - line_start.0), r2(at.1 - line_start.1)],
                    "Td",
                );
                line_start = at;
                missing += show(&mut out, run, codes);
            }
            Item::Rect {
                x,
                y,
                w,
                h: rh,
                fill: f,
                stroke: s,
            } => {
                end_text(&mut out, &mut in_text);
                if let Some(c) = f {
                    if fill != Some(*c) {
                        color(&mut out, *c, "rg");
                        fill = Some(*c);
                    }
                }
                if let Some((c, width)) = s {
                    if stroke != Some(*c) {
                        color(&mut out, *c, "RG");
                        stroke = Some(*c);
                    }
                    let key = (width * 100.0).round() as u32;
                    if line_width != Some(key) {
                        nums(&mut out, &[*width], "w");
                        line_width = Some(key);
                    }
                }
                let paint = match (f, s) {
                    (Some(_), Some(_)) => "B",
                    (Some(_), None) => "f",
                    (None, Some(_)) => "S",
                    (None, None) => continue,
                };
                nums(&mut out, &[r2(*x), r2(h - y - rh), r2(*w), r2(*rh)], "re");
                out.extend_from_slice(paint.as_bytes());
                out.push(b'\n');
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                color: c,
                width,
                dashed: d,
            } => {
                end_text(&mut out, &mut in_text);
                if stroke != Some(*c) {
                    color(&mut out, *c, "RG");
                    stroke = Some(*c);
                }
                let key = (width * 100.0).round() as u32;
                if line_width != Some(key) {
                    nums(&mut out, &[*width], "w");
                    line_width = Some(key);
                }
                if dashed != *d {
                    out.extend_from_slice(if *d { b"[3 2] 0 d\n" } else { b"[] 0 d\n" });
                    dashed = *d;
                }
                nums(&mut out, &[r2(*x1), r2(h - y1)], "m");
                nums(&mut out, &[r2(*x2), r2(h - y2)], "l");
                out.extend_from_slice(b"S\n");
            }
        }
    }
    end_text(&mut out, &mut in_text);
    (out, missing)
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
        let first = format!("[<{:04X}> ", run.glyphs[0].gid);
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
        assert!(text.contains(&first), "{text}");
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
        assert!(String::from_utf8_lossy(&bytes).contains("<00000000> Tj"));
        Ok(())
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
