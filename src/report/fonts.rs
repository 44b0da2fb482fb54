//! The embedded typeface (Titillium Web, SIL Open Font License 1.1) and the
//! shaping of text with it.
//!
//! Every face is compiled into the binary with `include_bytes!`, parsed once
//! and shared. Shaping (kerning, ligatures) is done by rustybuzz; the result
//! keeps, for every glyph, the text it stands for, so that the PDF's
//! `/ToUnicode` map makes the text searchable and copyable.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rustybuzz::{script, Direction, Face, Language, ShapePlan, UnicodeBuffer};

use super::ReportError;

/// Titillium Web Regular.
pub(crate) const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/TitilliumWeb-Regular.ttf");
/// Titillium Web Bold.
pub(crate) const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/TitilliumWeb-Bold.ttf");
/// Titillium Web Italic.
pub(crate) const ITALIC_TTF: &[u8] = include_bytes!("../../assets/fonts/TitilliumWeb-Italic.ttf");

/// The text styles the report uses; each is one embedded face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// Body text.
    Regular,
    /// Headings, labels, emphasis.
    Bold,
    /// Notes and hints.
    Italic,
}

impl Style {
    /// Every style, in a fixed order.
    pub const ALL: [Style; 3] = [Style::Regular, Style::Bold, Style::Italic];

    pub(crate) fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
        }
    }

    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => REGULAR_TTF,
            Style::Bold => BOLD_TTF,
            Style::Italic => ITALIC_TTF,
        }
    }

    /// The PDF resource name of the face. Its first six letters become the
    /// subset tag printpdf writes (`TWREGU+TitilliumWeb-Regular`), so it must
    /// be fixed (for byte-identical output) and six capital letters.
    pub(crate) fn resource_id(self) -> &'static str {
        match self {
            Style::Regular => "TWREGU",
            Style::Bold => "TWBOLD",
            Style::Italic => "TWITAL",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Style::Regular => "Titillium Web Regular",
            Style::Bold => "Titillium Web Bold",
            Style::Italic => "Titillium Web Italic",
        }
    }
}

/// One parsed face with its shaping plan and metrics.
pub(crate) struct LoadedFace {
    face: Face<'static>,
    plan: ShapePlan,
    units_per_em: f32,
    lang: Option<Language>,
    /// Ascender as a fraction of the em.
    pub ascent: f32,
    /// Descender as a fraction of the em (negative).
    pub descent: f32,
}

impl std::fmt::Debug for LoadedFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedFace")
            .field("units_per_em", &self.units_per_em)
            .field("ascent", &self.ascent)
            .field("descent", &self.descent)
            .finish()
    }
}

/// The three faces, parsed once per process.
#[derive(Debug)]
pub(crate) struct FontSet {
    faces: [LoadedFace; 3],
    /// `covered[c]`: every face draws `c`, for the characters below
    /// [`COVERAGE_TABLE`] (a cmap lookup per character is slow).
    covered: Vec<bool>,
}

/// Size of the precomputed coverage table (Latin, punctuation, currency).
const COVERAGE_TABLE: u32 = 0x2200;

/// A cache of shaped words, owned by one composer. Keyed by style, then by
/// text (looked up without allocating); the runs are shaped at size 1 and
/// scaled, since shaping does not depend on the size: a word of the body
/// text and the same word in a table are shaped once.
pub(crate) type ShapeCache =
    std::collections::HashMap<Style, std::collections::HashMap<String, ShapedRun>>;

static FONTS: OnceLock<Result<FontSet, String>> = OnceLock::new();

/// The embedded faces, parsed on first use.
pub(crate) fn fonts() -> Result<&'static FontSet, ReportError> {
    FONTS
        .get_or_init(FontSet::load)
        .as_ref()
        .map_err(|name| ReportError::Font(name.clone()))
}

fn italian() -> Option<Language> {
    "it".parse::<Language>().ok()
}

impl FontSet {
    fn load() -> Result<FontSet, String> {
        let load = |style: Style| -> Result<LoadedFace, String> {
            let face =
                Face::from_slice(style.bytes(), 0).ok_or_else(|| style.name().to_string())?;
            let lang = italian();
            let plan = ShapePlan::new(
                &face,
                Direction::LeftToRight,
                Some(script::LATIN),
                lang.as_ref(),
                // No ligatures: one glyph per character keeps the text
                // extraction exact.
                &[
                    rustybuzz::Feature::new(rustybuzz::ttf_parser::Tag::from_bytes(b"liga"), 0, ..),
                    rustybuzz::Feature::new(rustybuzz::ttf_parser::Tag::from_bytes(b"clig"), 0, ..),
                ],
            );
            let units_per_em = face.units_per_em() as f32;
            let ascent = f32::from(face.ascender()) / units_per_em;
            let descent = f32::from(face.descender()) / units_per_em;
            Ok(LoadedFace {
                face,
                plan,
                units_per_em,
                lang,
                ascent,
                descent,
            })
        };
        let faces = [
            load(Style::Regular)?,
            load(Style::Bold)?,
            load(Style::Italic)?,
        ];
        let covered = (0..COVERAGE_TABLE)
            .map(|u| {
                char::from_u32(u)
                    .is_some_and(|c| faces.iter().all(|f| f.face.glyph_index(c).is_some()))
            })
            .collect();
        Ok(FontSet { faces, covered })
    }

    pub(crate) fn face(&self, style: Style) -> &LoadedFace {
        &self.faces[style.index()]
    }

    /// Whether every face can draw `c`.
    pub(crate) fn has_char(&self, c: char) -> bool {
        match self.covered.get(c as usize) {
            Some(known) => *known,
            None => self.faces.iter().all(|f| f.face.glyph_index(c).is_some()),
        }
    }

    /// [`FontSet::shape`] through a cache.
    pub(crate) fn shape_cached(
        &self,
        cache: &mut ShapeCache,
        text: &str,
        style: Style,
        size: f32,
    ) -> ShapedRun {
        let words = cache.entry(style).or_default();
        if let Some(unit) = words.get(text) {
            return unit.scaled(size);
        }
        let unit = self.shape(text, style, 1.0);
        let run = unit.scaled(size);
        words.insert(text.to_string(), unit);
        run
    }

    /// Shapes `text` (one style, one size) into positioned glyphs.
    ///
    /// The caller is expected to have replaced characters the font lacks
    /// (see [`FontSet::sanitize`]).
    pub(crate) fn shape(&self, text: &str, style: Style, size: f32) -> ShapedRun {
        let lf = self.face(style);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(script::LATIN);
        if let Some(lang) = &lf.lang {
            buffer.set_language(lang.clone());
        }
        let out = rustybuzz::shape_with_plan(&lf.face, &lf.plan, buffer);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let scale = size / lf.units_per_em;
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // The text of a cluster goes with its first glyph only.
            let first_of_cluster = i == 0 || infos[i - 1].cluster != info.cluster;
            let end = infos[i..]
                .iter()
                .map(|g| g.cluster as usize)
                .find(|&c| c != start)
                .unwrap_or(text.len());
            let cluster_text = if first_of_cluster {
                ClusterText::new(text.get(start..end))
            } else {
                ClusterText::None
            };
            let gid = u16::try_from(info.glyph_id).unwrap_or(0);
            let advance_units = pos.x_advance;
            let natural = lf
                .face
                .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
                .map(i32::from)
                .unwrap_or(advance_units);
            glyphs.push(Glyph {
                gid,
                advance: advance_units as f32 * scale,
                // TJ adjustment in thousandths of an em: the viewer advances
                // by the natural width, we want the shaped one.
                adjust: (natural as f32 * 1000.0 / lf.units_per_em).trunc()
                    - advance_units as f32 * 1000.0 / lf.units_per_em,
                text: cluster_text,
            });
            width += advance_units as f32 * scale;
        }
        ShapedRun {
            style,
            size,
            glyphs,
            width,
        }
    }

    /// Width of `text` in points.
    pub(crate) fn measure(&self, text: &str, style: Style, size: f32) -> f32 {
        self.shape(text, style, size).width
    }

    /// Replaces characters the faces cannot draw: typographic look-alikes
    /// first, then `?`. Returns the cleaned text and the characters that had
    /// to be replaced.
    pub(crate) fn sanitize(&self, text: &str, lost: &mut BTreeSet<char>) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c == '\u{00AD}' {
                // Soft hyphens are our business: the line breaker hyphenates.
                continue;
            }
            if c == '\t' {
                out.push(' ');
                continue;
            }
            if c == '\n' || c == '\u{00A0}' || self.has_char(c) {
                out.push(c);
                continue;
            }
            match fallback(c) {
                Some(s) if s.chars().all(|f| self.has_char(f)) => out.push_str(s),
                _ => {
                    lost.insert(c);
                    out.push('?');
                }
            }
        }
        out
    }
}

/// Look-alikes for characters a text face commonly lacks.
fn fallback(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2265}' => ">=",
        '\u{2264}' => "<=",
        '\u{2192}' => "->",
        '\u{2190}' => "<-",
        '\u{2026}' => "...",
        '\u{2018}' | '\u{2019}' | '\u{201B}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' => "\"",
        '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        '\u{2022}' => "-",
        '\u{00D7}' => "x",
        '\u{2009}' | '\u{202F}' | '\u{2007}' => " ",
        _ => return None,
    })
}

/// One glyph of a shaped run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    /// Glyph id in the (unsubset) face.
    pub gid: u16,
    /// Advance in points, after kerning.
    pub advance: f32,
    /// TJ adjustment after this glyph, in thousandths of an em.
    pub adjust: f32,
    /// The text this glyph stands for (for `/ToUnicode`); `None` for the
    /// second and later glyphs of a cluster.
    pub text: ClusterText,
}

/// The text a glyph stands for; almost always one character, stored
/// without an allocation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ClusterText {
    /// A later glyph of a cluster: no text of its own.
    None,
    /// One character.
    Char(char),
    /// Several characters (a ligature).
    Str(Box<str>),
}

impl ClusterText {
    fn new(text: Option<&str>) -> ClusterText {
        let Some(t) = text else {
            return ClusterText::None;
        };
        let mut chars = t.chars();
        match (chars.next(), chars.next()) {
            (None, _) => ClusterText::None,
            (Some(c), None) => ClusterText::Char(c),
            _ => ClusterText::Str(t.into()),
        }
    }

    /// As a string, for `/ToUnicode`.
    pub(crate) fn to_text(&self) -> Option<String> {
        match self {
            ClusterText::None => None,
            ClusterText::Char(c) => Some(c.to_string()),
            ClusterText::Str(s) => Some(s.to_string()),
        }
    }
}

/// A run of glyphs in one style and size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapedRun {
    pub style: Style,
    pub size: f32,
    pub glyphs: Vec<Glyph>,
    /// Total advance in points.
    pub width: f32,
}

impl ShapedRun {
    /// The text the run stands for.
    #[cfg(test)]
    pub(crate) fn text(&self) -> String {
        self.glyphs
            .iter()
            .filter_map(|g| g.text.to_text())
            .collect()
    }

    /// A copy of a run shaped at size 1, at `size`.
    fn scaled(&self, size: f32) -> ShapedRun {
        ShapedRun {
            style: self.style,
            size,
            glyphs: self
                .glyphs
                .iter()
                .map(|g| Glyph {
                    advance: g.advance * size,
                    ..g.clone()
                })
                .collect(),
            width: self.width * size,
        }
    }

    /// Appends another run of the same style and size.
    pub(crate) fn extend(&mut self, other: ShapedRun) {
        self.width += other.width;
        self.glyphs.extend(other.glyphs);
    }
}

/// The characters of `text` that one of the embedded faces cannot draw,
/// sorted and without duplicates. Line breaks, tabs and soft hyphens are
/// handled by the layout and never reported.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let Ok(set) = fonts() else {
        // No font at all: every drawable character is missing.
        let all: BTreeSet<char> = text.chars().filter(|c| !c.is_control()).collect();
        return all.into_iter().collect();
    };
    let missing: BTreeSet<char> = text
        .chars()
        .filter(|&c| !matches!(c, '\n' | '\r' | '\t' | '\u{00AD}' | '\u{00A0}'))
        .filter(|&c| !set.has_char(c))
        .collect();
    missing.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_letters_and_report_symbols_are_covered() {
        let text = "àèéìíòóùú ÀÈÉÌÒÙ perché più attività €  – — « » “ ” ‘ ’ • · … ° % § ✓";
        let missing = missing_glyphs(text);
        assert!(
            missing.iter().all(|c| *c == '✓'),
            "unexpected missing glyphs: {missing:?}"
        );
    }

    #[test]
    fn missing_glyphs_reports_each_character_once() {
        assert_eq!(missing_glyphs("a\u{1F600}b\u{1F600}"), vec!['\u{1F600}']);
        assert!(missing_glyphs("Comune di Proceno\n").is_empty());
    }

    #[test]
    fn kerning_changes_the_width_of_a_kerned_pair() -> Result<(), ReportError> {
        let f = fonts()?;
        let pair = f.measure("AV", Style::Regular, 10.0);
        let apart = f.measure("A", Style::Regular, 10.0) + f.measure("V", Style::Regular, 10.0);
        assert!(pair < apart, "no kerning: {pair} vs {apart}");
        Ok(())
    }

    #[test]
    fn shaped_runs_keep_their_text() -> Result<(), ReportError> {
        let f = fonts()?;
        let run = f.shape("perché più attività", Style::Bold, 11.0);
        assert_eq!(run.text(), "perché più attività");
        Ok(())
    }

    #[test]
    fn sanitize_replaces_what_the_font_lacks() -> Result<(), ReportError> {
        let f = fonts()?;
        let mut lost = BTreeSet::new();
        let out = f.sanitize("a \u{1F600} b\u{00AD}c", &mut lost);
        assert_eq!(out, "a ? bc");
        assert_eq!(lost.into_iter().collect::<Vec<_>>(), vec!['\u{1F600}']);
        Ok(())
    }
}
