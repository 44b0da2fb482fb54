//! The fonts of a PDF: the glyphs its pages draw, subset and embedded by
//! printpdf (font program, widths, `/ToUnicode` map for text extraction).
//!
//! printpdf writes pages too, but through a general operator model that
//! made writing a 40-page plan take about 30 ms: a character-by-character
//! cmap lookup and a string per glyph. Sentinella's pages hold only text
//! runs, rectangles and lines, so their content streams are written
//! directly ([`super::content`]); printpdf gets a single page that shows
//! every glyph the document uses, once, and writes the fonts from it. The
//! code printpdf gives each glyph is read back from that page, so the
//! content streams use exactly the codes of the embedded fonts.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Object, ObjectId};
use printpdf::{
    Codepoint, FontId, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Pt, TextItem,
};

use super::content::GlyphCodes;
use super::fonts::{ClusterText, Style};
use super::layout::{Item, Pages};
use super::theme;
use super::ReportError;

/// A PDF document holding the embedded fonts and an empty page tree.
pub(crate) struct EmbeddedFonts {
    /// The document: fonts, catalog, page tree (its kids are still
    /// printpdf's glyph page, to be replaced) and printpdf's metadata.
    pub doc: lopdf::Document,
    /// The `/Font` resource dictionary (a reference) for every page.
    pub fonts: Object,
    /// The page tree node the pages go under.
    pub page_tree: ObjectId,
    /// The page size, as printpdf writes it.
    pub media_box: Object,
    /// The code of every glyph used.
    pub codes: GlyphCodes,
}

/// Every glyph the pages draw, per style and in glyph id order, with the
/// text it stands for (for `/ToUnicode`; `None` for the later glyphs of a
/// cluster).
fn used_glyphs(pages: &Pages) -> [BTreeMap<u16, Option<String>>; 3] {
    // Indexed by glyph id: a plan draws some 60,000 glyphs of a few
    // hundred kinds, so the texts are only turned into strings at the end.
    let mut seen: [Vec<Option<&ClusterText>>; 3] = Default::default();
    for item in pages.pages.iter().flatten() {
        let Item::Text { run, .. } = item else {
            continue;
        };
        let glyphs = &mut seen[run.style.index()];
        for g in &run.glyphs {
            let at = usize::from(g.gid);
            if glyphs.len() <= at {
                glyphs.resize(at + 1, None);
            }
            // The last text wins, as in printpdf's own collection.
            if glyphs[at].is_none() || !matches!(g.text, ClusterText::None) {
                glyphs[at] = Some(&g.text);
            }
        }
    }
    seen.map(|glyphs| {
        glyphs
            .into_iter()
            .enumerate()
            .filter_map(|(gid, text)| Some((u16::try_from(gid).ok()?, text?.to_text())))
            .collect()
    })
}

/// Subsets and embeds the fonts the pages use.
pub(crate) fn embed_fonts(pages: &Pages, title: &str) -> Result<EmbeddedFonts, ReportError> {
    let used = used_glyphs(pages);
    let mut doc = PdfDocument::new(title);
    let mut warnings = Vec::new();
    let mut ops = vec![Op::StartTextSection];
    for style in Style::ALL {
        let glyphs = &used[style.index()];
        if glyphs.is_empty() {
            continue;
        }
        let parsed = ParsedFont::from_bytes(style.bytes(), 0, &mut warnings)
            .ok_or_else(|| ReportError::Font(style.name().to_string()))?;
        let id = FontId(style.resource_id().to_string());
        doc.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(parsed));
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(id),
            size: Pt(1.0),
        });
        let codepoints = glyphs
            .iter()
            .map(|(gid, text)| Codepoint {
                gid: *gid,
                offset: 0.0,
                cid: text.clone(),
            })
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(codepoints)],
        });
    }
    ops.push(Op::EndTextSection);
    doc.pages = vec![PdfPage::new(
        printpdf::Mm(theme::PAGE_WIDTH * 25.4 / 72.0),
        printpdf::Mm(theme::PAGE_HEIGHT * 25.4 / 72.0),
        ops,
    )];
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut save_warnings = Vec::new();
    let lo = doc.to_lopdf_document(&opts, &mut save_warnings);
    read_back(lo, &used)
}

fn missing(what: &str) -> ReportError {
    ReportError::Pdf(format!("printpdf's glyph page has no {what}"))
}

/// Finds, in printpdf's document, the fonts, the page tree and the code of
/// every glyph (from the glyph page's content, where the glyphs are shown
/// in the order of `used`).
fn read_back(
    doc: lopdf::Document,
    used: &[BTreeMap<u16, Option<String>>; 3],
) -> Result<EmbeddedFonts, ReportError> {
    let page_id = doc
        .get_pages()
        .into_values()
        .next()
        .ok_or_else(|| missing("page"))?;
    let page = doc.get_dictionary(page_id).map_err(|_| missing("page"))?;
    let page_tree = page
        .get(b"Parent")
        .and_then(Object::as_reference)
        .map_err(|_| missing("parent"))?;
    let media_box = page
        .get(b"MediaBox")
        .map_err(|_| missing("media box"))?
        .clone();
    let resources = page
        .get(b"Resources")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .map_err(|_| missing("resources"))?;
    let fonts = resources
        .get(b"Font")
        .map_err(|_| missing("font resources"))?
        .clone();
    let content = page
        .get(b"Contents")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_object(id))
        .and_then(Object::as_stream)
        .and_then(|s| s.get_plain_content())
        .and_then(|bytes| Content::decode(&bytes))
        .map_err(|_| missing("readable content"))?;

    let mut codes = GlyphCodes::default();
    let mut style = None;
    let mut shown: [Vec<u16>; 3] = Default::default();
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok());
                style = Style::ALL
                    .into_iter()
                    .find(|s| name == Some(s.resource_id().as_bytes()));
            }
            "Tj" | "TJ" => {
                let style = style.ok_or_else(|| missing("font for its text"))?;
                let strings = op.operands.iter().flat_map(|o| match o {
                    Object::Array(items) => items.iter().collect::<Vec<_>>(),
                    other => vec![other],
                });
                for s in strings {
                    if let Object::String(bytes, _) = s {
                        // Two bytes per code; a stray byte would leave a
                        // glyph without code, which the count below reports.
                        shown[style.index()].extend(
                            bytes
                                .chunks_exact(2)
                                .map(|p| u16::from_be_bytes([p[0], p[1]])),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    for style in Style::ALL {
        let gids = &used[style.index()];
        let got = &shown[style.index()];
        if got.len() != gids.len() {
            return Err(ReportError::Pdf(format!(
                "printpdf coded {} of the {} glyphs of {}",
                got.len(),
                gids.len(),
                style.name()
            )));
        }
        for (gid, code) in gids.keys().zip(got) {
            codes.insert(style, *gid, *code);
        }
    }
    Ok(EmbeddedFonts {
        doc,
        fonts,
        page_tree,
        media_box,
        codes,
    })
}
