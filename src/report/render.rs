//! From paginated items to PDF bytes: printpdf subsets and embeds the fonts
//! (`embed`), the page content streams are written directly (`content`),
//! and lopdf assembles and finishes the file (pages, language, metadata,
//! outline, a document id derived from the content) so that the same input
//! always gives the same bytes.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use super::content::{page_content, r2, GlyphCodes};
use super::embed::{embed_fonts, EmbeddedFonts};
use super::fonts::{fonts, FontSet, ShapedRun, Style};
use super::layout::{compose_blocks, paginate, Block, Frame, Item, Pages};
use super::theme;
use super::ReportError;

/// What the PDF says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentInfo {
    /// Title (metadata and window title).
    pub title: String,
    /// Author: the organization.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Creation date, given by the caller (never read from the clock).
    pub created: NaiveDate,
    /// Left part of the running header.
    pub header: String,
    /// Right part of the running header.
    pub header_right: String,
    /// Left part of the footer (the page number is on the right).
    pub footer: String,
}

/// A document: metadata and content.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Metadata and running texts.
    pub info: DocumentInfo,
    /// The content, in reading order.
    pub blocks: Vec<Block>,
}

/// A finished PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedPdf {
    /// The file.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Characters of the content the font cannot draw, replaced by a
    /// look-alike or `?`. Empty for all the text Sentinella ships.
    pub replaced_chars: Vec<char>,
}

/// The language of every document.
const LANG: &str = "it-IT";
const PRODUCER: &str = "Sentinella (printpdf 0.12.8, lopdf)";

/// Lays the document out: pages with header and footer, and the outline.
pub(crate) fn layout(doc: &Document) -> Result<(Pages, Vec<char>), ReportError> {
    let fonts = fonts()?;
    let frame = Frame::a4();
    let (frags, mut lost) = compose_blocks(fonts, frame, &doc.blocks);
    let mut pages = paginate(frags, frame);
    decorate(fonts, &mut pages, &doc.info, &mut lost);
    Ok((pages, lost.into_iter().collect()))
}

/// Renders a document to PDF bytes. The document and its layout are then
/// freed on another thread: a 40-page plan is some 100,000 small
/// allocations, and freeing them took 1–8 ms the user waited for.
pub fn render(doc: Document) -> Result<RenderedPdf, ReportError> {
    let (pages, replaced_chars) = layout(&doc)?;
    let bytes = write_pdf(&pages, &doc.info);
    let page_count = pages.pages.len();
    free_in_background((doc, pages));
    Ok(RenderedPdf {
        bytes: bytes?,
        pages: page_count,
        replaced_chars,
    })
}

/// Drops `value` on a thread of its own. When no thread can be started,
/// `spawn` drops the closure, and so the value, right here.
fn free_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("free-layout".into())
        .spawn(move || drop(value));
}

/// Cuts `text` with an ellipsis so that it fits in `width`.
fn fit(fonts: &FontSet, text: &str, style: Style, size: f32, width: f32) -> String {
    if fonts.measure(text, style, size) <= width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (1..chars.len()).rev() {
        let candidate: String =
            chars[..n].iter().collect::<String>().trim_end().to_string() + "\u{2026}";
        if fonts.measure(&candidate, style, size) <= width {
            return candidate;
        }
    }
    String::new()
}

/// Adds the running header and the footer with "Pagina X di Y" to every
/// page: the second pass, once the page count is known.
fn decorate(
    fonts: &FontSet,
    pages: &mut Pages,
    info: &DocumentInfo,
    lost: &mut std::collections::BTreeSet<char>,
) {
    let total = pages.pages.len();
    let left = theme::MARGIN_X;
    let right = theme::PAGE_WIDTH - theme::MARGIN_X;
    let width = right - left;
    let size = 8.0;
    let header_y = theme::mm(13.0);
    let footer_y = theme::PAGE_HEIGHT - theme::mm(10.0);
    let header_right = fonts.sanitize(&info.header_right, lost);
    let right_w = fonts.measure(&header_right, Style::Regular, size);
    let header = fonts.sanitize(&info.header, lost);
    let header = fit(fonts, &header, Style::Bold, size, width - right_w - 12.0);
    let footer = fonts.sanitize(&info.footer, lost);
    // Shaped once: only the page number changes from page to page (and the
    // room left for the footer with it).
    let header_run = fonts.shape(&header, Style::Bold, size);
    let header_right_run = fonts.shape(&header_right, Style::Regular, size);
    // The footer as fitted in the room last left by the page number.
    let mut fitted_footer: Option<(f32, ShapedRun)> = None;
    for (i, items) in pages.pages.iter_mut().enumerate() {
        let number = format!("Pagina {} di {}", i + 1, total);
        let number_run = fonts.shape(&number, Style::Regular, size);
        let room = width - number_run.width - 12.0;
        let footer_run = match &fitted_footer {
            Some((fitted_in, run)) if *fitted_in == room => run.clone(),
            _ => {
                let text = fit(fonts, &footer, Style::Regular, size, room);
                let run = fonts.shape(&text, Style::Regular, size);
                fitted_footer = Some((room, run.clone()));
                run
            }
        };
        let mut deco = vec![
            Item::Text {
                x: left,
                y: header_y,
                run: header_run.clone(),
                color: theme::DARK,
            },
            Item::Line {
                x1: left,
                y1: header_y + 4.0,
                x2: right,
                y2: header_y + 4.0,
                color: theme::RULE,
                width: 0.5,
                dashed: false,
            },
            Item::Line {
                x1: left,
                y1: footer_y - 10.0,
                x2: right,
                y2: footer_y - 10.0,
                color: theme::RULE,
                width: 0.5,
                dashed: false,
            },
            Item::Text {
                x: left,
                y: footer_y,
                run: footer_run,
                color: theme::MUTED,
            },
        ];
        if !header_right.is_empty() {
            deco.push(Item::Text {
                x: right - right_w,
                y: header_y,
                run: header_right_run.clone(),
                color: theme::MUTED,
            });
        }
        deco.push(Item::Text {
            x: right - number_run.width,
            y: footer_y,
            run: number_run,
            color: theme::MUTED,
        });
        // Header first, so that text extraction reads it first.
        deco.append(items);
        *items = deco;
    }
}

/// A PDF text string: literal when ASCII, UTF-16BE with a byte-order mark
/// otherwise.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn pdf_date(d: NaiveDate) -> Object {
    Object::String(
        format!("D:{:04}{:02}{:02}000000Z", d.year(), d.month(), d.day()).into_bytes(),
        StringFormat::Literal,
    )
}

/// A 16-byte placeholder for the document id, replaced after saving by a
/// digest of the file.
const ID_PLACEHOLDER: [u8; 16] = [0; 16];

fn write_pdf(pages: &Pages, info: &DocumentInfo) -> Result<Vec<u8>, ReportError> {
    let EmbeddedFonts {
        doc: mut lo,
        fonts,
        page_tree,
        media_box,
        codes,
    } = embed_fonts(pages, &info.title)?;
    let mut resources = Dictionary::new();
    resources.set("Font", fonts);
    let resources = lo.add_object(Object::Dictionary(resources));
    let mut kids = Vec::with_capacity(pages.pages.len());
    for stream in page_streams(pages, &codes)? {
        let contents = lo.add_object(Object::Stream(stream));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(page_tree));
        page.set("MediaBox", media_box.clone());
        page.set("Resources", Object::Reference(resources));
        page.set("Contents", Object::Reference(contents));
        kids.push(Object::Reference(lo.add_object(Object::Dictionary(page))));
    }
    let tree = lo
        .get_object_mut(page_tree)
        .and_then(Object::as_dict_mut)
        .map_err(pdf_err)?;
    tree.set("Count", Object::Integer(kids.len() as i64));
    tree.set("Kids", Object::Array(kids));
    finish(&mut lo, pages, info)?;
    compress(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| ReportError::Pdf(e.to_string()))?;
    stamp_id(&mut bytes)?;
    Ok(bytes)
}

/// Deflates every stream not compressed yet, on two threads, with flate2's
/// zlib-rs backend (see the workspace manifest). Level 3: on the largest
/// plan, level 6 made the file 12 % smaller (149 KB instead of 169 KB with
/// the glyph codes then in hex, both well under the 250 KB goal) for about
/// 45 % more compression time;
/// lopdf's own `compress` uses the slowest level.
fn compress(lo: &mut lopdf::Document) -> Result<(), ReportError> {
    let mut streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => Some(s),
            _ => None,
        })
        .collect();
    // Two halves of about the same size: one deflated here, one on a second
    // thread.
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    let (mut a, mut b) = (0usize, 0usize);
    for s in streams {
        if a <= b {
            a += s.content.len();
            mine.push(s);
        } else {
            b += s.content.len();
            theirs.push(s);
        }
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(move || deflate_all(theirs));
        let here = deflate_all(mine);
        let there = other
            .join()
            .map_err(|_| ReportError::Pdf("the compression thread failed".into()))?;
        here.and(there)
    })
}

fn deflate_all(streams: Vec<&mut lopdf::Stream>) -> Result<(), ReportError> {
    let mut deflater = Deflater::new();
    streams.into_iter().try_for_each(|s| deflater.deflate(s))
}

/// A zlib compressor used for stream after stream: setting one up costs
/// about as much as deflating a page (zlib-rs allocates and clears some
/// 300 KB of tables), so each thread sets up one.
struct Deflater(flate2::Compress);

impl Deflater {
    fn new() -> Deflater {
        Deflater(flate2::Compress::new(flate2::Compression::new(3), true))
    }

    /// Deflates a stream, unless that would not make it smaller.
    fn deflate(&mut self, stream: &mut lopdf::Stream) -> Result<(), ReportError> {
        let z = &mut self.0;
        z.reset();
        let input = &stream.content;
        let mut out = Vec::with_capacity(input.len() / 3 + 64);
        loop {
            let done = usize::try_from(z.total_in()).unwrap_or(input.len());
            let status = z
                .compress_vec(
                    input.get(done..).unwrap_or_default(),
                    &mut out,
                    flate2::FlushCompress::Finish,
                )
                .map_err(|e| ReportError::Pdf(format!("compression failed: {e}")))?;
            match status {
                flate2::Status::StreamEnd => break,
                flate2::Status::Ok | flate2::Status::BufError => {
                    out.reserve(out.capacity().max(4096));
                }
            }
        }
        if out.len() + 19 < input.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(out);
        }
        Ok(())
    }
}

/// The content stream of every page, written and deflated on as many
/// threads as the machine has (at most four): the pages are independent.
fn page_streams(pages: &Pages, codes: &GlyphCodes) -> Result<Vec<Stream>, ReportError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let per_thread = pages.pages.len().div_ceil(threads).max(1);
    let page_stream = |items: &Vec<Item>, deflater: &mut Deflater| -> Result<Stream, ReportError> {
        let (content, missing) = page_content(items, codes);
        if missing > 0 {
            return Err(ReportError::Pdf(format!(
                "{missing} glyphs are missing from the embedded fonts"
            )));
        }
        let mut stream = Stream::new(Dictionary::new(), content);
        deflater.deflate(&mut stream)?;
        Ok(stream)
    };
    std::thread::scope(|scope| {
        let parts: Vec<_> = pages
            .pages
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    let mut deflater = Deflater::new();
                    part.iter()
                        .map(|items| page_stream(items, &mut deflater))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut streams = Vec::with_capacity(pages.pages.len());
        for part in parts {
            let part = part
                .join()
                .map_err(|_| ReportError::Pdf("a page thread failed".into()))?;
            for stream in part {
                streams.push(stream?);
            }
        }
        Ok(streams)
    })
}

fn pdf_err(e: lopdf::Error) -> ReportError {
    ReportError::Pdf(e.to_string())
}

/// Catalog, metadata and outline, on top of what printpdf wrote with the fonts.
fn finish(lo: &mut lopdf::Document, pages: &Pages, info: &DocumentInfo) -> Result<(), ReportError> {
    lo.version = "1.7".to_string();
    let page_ids: BTreeMap<u32, ObjectId> = lo.get_pages();
    let page_refs: Vec<ObjectId> = page_ids.values().copied().collect();

    let outline = build_outline(lo, pages, &page_refs);

    let catalog = lo.catalog_mut().map_err(pdf_err)?;
    catalog.set("Lang", text_string(LANG));
    catalog.set("PageLayout", Object::Name(b"OneColumn".to_vec()));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    match outline {
        Some(id) => {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
        }
    }

    let mut meta = Dictionary::new();
    meta.set("Title", text_string(&info.title));
    meta.set("Author", text_string(&info.author));
    meta.set("Subject", text_string(&info.subject));
    meta.set("Keywords", text_string(&info.keywords.join(", ")));
    meta.set("Creator", text_string("Sentinella"));
    meta.set("Producer", text_string(PRODUCER));
    meta.set("CreationDate", pdf_date(info.created));
    meta.set("ModDate", pdf_date(info.created));
    let info_id = lo.add_object(Object::Dictionary(meta));
    lo.trailer.set("Info", Object::Reference(info_id));
    let id = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    // printpdf's own info dictionary is no longer referenced.
    lo.prune_objects();
    Ok(())
}

/// Writes the outline (bookmarks): level-1 headings at the top, level-2
/// headings under the preceding level-1 one. Each points at the heading's
/// position on its page.
fn build_outline(
    lo: &mut lopdf::Document,
    pages: &Pages,
    page_refs: &[ObjectId],
) -> Option<ObjectId> {
    if pages.outline.is_empty() {
        return None;
    }
    let root = lo.new_object_id();
    // (entry index, children indexes)
    let mut tree: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, e) in pages.outline.iter().enumerate() {
        match tree.last_mut() {
            Some(last) if e.level > 1 => last.1.push(i),
            _ => tree.push((i, Vec::new())),
        }
    }
    let ids: Vec<ObjectId> = pages.outline.iter().map(|_| lo.new_object_id()).collect();
    let dest = |i: usize| -> Object {
        let e = &pages.outline[i];
        let page = page_refs.get(e.page).copied().unwrap_or((0, 0));
        Object::Array(vec![
            Object::Reference(page),
            Object::Name(b"XYZ".to_vec()),
            Object::Real(0.0),
            Object::Real(r2(theme::PAGE_HEIGHT - e.y + 8.0)),
            Object::Null,
        ])
    };
    let mut visible = 0i64;
    let tops: Vec<usize> = tree.iter().map(|t| t.0).collect();
    for (t, (top, children)) in tree.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&pages.outline[*top].title));
        d.set("Parent", Object::Reference(root));
        d.set("Dest", dest(*top));
        if t > 0 {
            d.set("Prev", Object::Reference(ids[tops[t - 1]]));
        }
        if let Some(next) = tops.get(t + 1) {
            d.set("Next", Object::Reference(ids[*next]));
        }
        if let (Some(first), Some(last)) = (children.first(), children.last()) {
            d.set("First", Object::Reference(ids[*first]));
            d.set("Last", Object::Reference(ids[*last]));
            d.set("Count", Object::Integer(children.len() as i64));
            visible += children.len() as i64;
        }
        visible += 1;
        lo.objects.insert(ids[*top], Object::Dictionary(d));
        for (c, child) in children.iter().enumerate() {
            let mut cd = Dictionary::new();
            cd.set("Title", text_string(&pages.outline[*child].title));
            cd.set("Parent", Object::Reference(ids[*top]));
            cd.set("Dest", dest(*child));
            if c > 0 {
                cd.set("Prev", Object::Reference(ids[children[c - 1]]));
            }
            if let Some(next) = children.get(c + 1) {
                cd.set("Next", Object::Reference(ids[*next]));
            }
            lo.objects.insert(ids[*child], Object::Dictionary(cd));
        }
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (tops.first(), tops.last()) {
        outlines.set("First", Object::Reference(ids[*first]));
        outlines.set("Last", Object::Reference(ids[*last]));
    }
    outlines.set("Count", Object::Integer(visible));
    lo.objects.insert(root, Object::Dictionary(outlines));
    Some(root)
}

/// Replaces the placeholder document id in the trailer by the first 16
/// bytes of the SHA-256 of the file: unique per content, identical for
/// identical content.
fn stamp_id(bytes: &mut [u8]) -> Result<(), ReportError> {
    let placeholder: String = ID_PLACEHOLDER.iter().map(|b| format!("{b:02X}")).collect();
    let trailer = bytes
        .windows(7)
        .rposition(|w| w == b"trailer")
        .ok_or_else(|| ReportError::Pdf("no trailer written".into()))?;
    let digest = Sha256::digest(&*bytes);
    let id: String = digest.iter().take(16).map(|b| format!("{b:02X}")).collect();
    let mut from = trailer;
    let mut stamped = 0;
    while let Some(pos) = find(&bytes[from..], placeholder.as_bytes()) {
        let at = from + pos;
        bytes[at..at + id.len()].copy_from_slice(id.as_bytes());
        from = at + id.len();
        stamped += 1;
    }
    if stamped == 2 {
        Ok(())
    } else {
        Err(ReportError::Pdf(format!(
            "document id written {stamped} times"
        )))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::layout::{
        Bar, BarChart, Card, Cell, Column, Composer, Figure, Heading, List, Paragraph, Table,
    };
    use crate::report::text::{rich, Span};

    /// A document with every kind of block, several pages long.
    pub(crate) fn sample() -> Document {
        let mut blocks = vec![
            Block::Paragraph(
                Paragraph::new(vec![Span::bold("Piano di miglioramento")])
                    .size(24.0)
                    .color(theme::DARK),
            ),
            Block::Figures(vec![
                Figure {
                    label: "Punteggio complessivo".into(),
                    value: "62/100".into(),
                    note: "Livello: in crescita".into(),
                    color: theme::WARN,
                },
                Figure {
                    label: "Misure minime AgID".into(),
                    value: "3 su 5".into(),
                    note: "controlli di base superati".into(),
                    color: theme::BAD,
                },
            ]),
            Block::PageBreak,
            Block::Heading(Heading::new(1, "Risultati")),
            Block::Paragraph(Paragraph::new(rich(
                "Il Comune ha risposto a **40 domande**. La sicurezza è un'attività \
                 continua: perché funzioni servono più persone.",
            ))),
            Block::BarChart(BarChart {
                bars: [
                    "Governo",
                    "Backup e ripristino",
                    "Accessi e identità digitale",
                    "Formazione",
                ]
                .iter()
                .enumerate()
                .map(|(i, l)| Bar {
                    label: (*l).to_string(),
                    value: 25.0 * i as f32 + 10.0,
                    value_text: String::new(),
                    previous: Some(20.0 * i as f32),
                    color: theme::PRIMARY,
                })
                .collect(),
                max: 100.0,
                target: Some(75.0),
                target_label: "Obiettivo 75".into(),
                legend: vec![(theme::PRIMARY, "Punteggio attuale".into())],
                previous_label: "Valutazione precedente".into(),
                space_before: 10.0,
            }),
            Block::Heading(Heading::new(2, "Azioni")),
        ];
        let rows = (1..=45)
            .map(|i| {
                vec![
                    Cell::plain(format!(
                        "Azione numero {i}: attivare il backup offline delle attività"
                    )),
                    Cell::plain("Fornitore informatico"),
                    Cell::plain("< 1.000 €"),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table::new(
            vec![
                Column::new("Azione", 4.0),
                Column::new("Chi", 2.0),
                Column::right("Costo", 1.2),
            ],
            rows,
        )));
        blocks.push(Block::Card(Card {
            title: Some("Nella prima ora".into()),
            blocks: vec![Block::List(List::numbered(vec![
                vec![Span::plain("Staccare il PC dalla rete, senza spegnerlo.")],
                vec![Span::plain("Chiamare il fornitore IT.")],
            ]))],
            fill: theme::BAD_TINT,
            accent: theme::BAD,
            space_before: 12.0,
        }));
        Document {
            info: DocumentInfo {
                title: "Piano di miglioramento — Comune di Prova".into(),
                author: "Comune di Prova".into(),
                subject: "Autovalutazione della sicurezza informatica".into(),
                keywords: vec!["sicurezza".into(), "misure minime".into()],
                created: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
                header: "Comune di Prova · Piano di miglioramento".into(),
                header_right: "24 novembre 2026".into(),
                footer: "Sentinella · autovalutazione".into(),
            },
            blocks,
        }
    }

    #[test]
    fn composing_on_several_threads_changes_nothing() -> Result<(), ReportError> {
        let mut doc = sample();
        let blocks = doc.blocks.clone();
        for _ in 0..4 {
            doc.blocks.extend(blocks.iter().cloned());
        }
        let (several, _) = layout(&doc)?;
        let fonts = fonts()?;
        let frame = Frame::a4();
        let mut c = Composer::new(fonts, frame.height);
        let frags = c.compose(&doc.blocks, frame.width);
        let mut one = paginate(frags, frame);
        decorate(fonts, &mut one, &doc.info, &mut c.lost);
        assert_eq!(one, several);
        Ok(())
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() -> Result<(), ReportError> {
        let doc = sample();
        let a = render(doc.clone())?;
        let b = render(doc.clone())?;
        assert!(a.pages >= 3, "{} pages", a.pages);
        assert!(a.bytes == b.bytes, "two renderings differ");
        let mut other = doc.clone();
        other.info.created = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        assert!(render(other)?.bytes != a.bytes, "the date must matter");
        Ok(())
    }

    #[test]
    fn the_file_carries_language_metadata_and_outline() -> Result<(), ReportError> {
        let pdf = render(sample())?;
        assert!(pdf.replaced_chars.is_empty(), "{:?}", pdf.replaced_chars);
        let lo = lopdf::Document::load_mem(&pdf.bytes).map_err(pdf_err)?;
        let catalog = lo.catalog().map_err(pdf_err)?;
        assert_eq!(catalog.get(b"Lang").ok(), Some(&text_string("it-IT")));
        assert_eq!(
            catalog.get(b"PageMode").ok(),
            Some(&Object::Name(b"UseOutlines".to_vec()))
        );
        let info = lo
            .trailer
            .get(b"Info")
            .and_then(Object::as_reference)
            .and_then(|id| lo.get_dictionary(id))
            .map_err(pdf_err)?;
        assert_eq!(
            info.get(b"CreationDate").ok(),
            Some(&pdf_date(
                NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
            ))
        );
        assert_eq!(
            info.get(b"Author").ok(),
            Some(&text_string("Comune di Prova"))
        );
        assert_eq!(lo.get_pages().len(), pdf.pages);
        if std::env::var_os("SENTINELLA_KEEP_PDF").is_some() {
            std::fs::write(
                std::env::temp_dir().join("sentinella-sample.pdf"),
                &pdf.bytes,
            )?;
        }
        Ok(())
    }
}
