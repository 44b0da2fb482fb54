//! PDF reports: the remediation plan a town hall takes away.
//!
//! printpdf writes PDF objects but does no layout, so this module has its
//! own small composition layer:
//!
//! - [`fonts`]: the embedded open-licence typeface (Titillium Web, OFL) and
//!   shaping with rustybuzz (kerning, ligatures), plus
//!   [`missing_glyphs`] to check any text against the font;
//! - `hyphen`: Italian hyphenation (the `hyphenation` crate's patterns);
//! - `text`: rich text and line breaking by measured width;
//! - `layout`: blocks (headings, paragraphs, lists, tables, charts, cards)
//!   cut into fragments (on several threads) and paginated, with headings
//!   kept with what follows and table headers repeated on every page;
//! - `embed`: the subset fonts, written by printpdf;
//! - `content`: the pages' content streams, written directly;
//! - `render`: running header and footer ("Pagina X di Y"), then the PDF:
//!   subset fonts, searchable text, metadata, `/Lang it-IT`, bookmarks, and
//!   byte-identical output for the same input.
//!
//! Every user-visible string of a report is Italian; code and errors are
//! English.

pub mod blank_pdf;
pub mod common;
mod content;
pub mod debrief_pdf;
mod embed;
pub mod fonts;
mod hyphen;
pub mod incident_pdf;
pub mod layout;
pub mod plan_pdf;
pub mod region_pdf;
pub mod render;
pub mod text;
pub mod theme;

pub use blank_pdf::{blank_document, blank_pdf, BlankForm};
pub use debrief_pdf::{debrief_document, debrief_pdf, DebriefReport};
pub use fonts::{missing_glyphs, Style};
pub use incident_pdf::{incident_document, incident_pdf, IncidentReport};
pub use layout::{
    Align, Bar, BarChart, Block, Card, Cell, Column, Figure, Heading, List, Paragraph, Table,
};
pub use plan_pdf::{plan_document, plan_pdf, PlanReport, PreviousAssessment};
pub use region_pdf::{region_document, region_pdf, RegionInfo};
pub use render::{render, Document, DocumentInfo, RenderedPdf};
pub use text::{rich, Span};

/// Loads what the first plan PDF of a process needs and nothing else
/// does: the ISTAT list of comuni (for the incident card's CSIRT duty), the
/// fonts and the Italian hyphenation patterns. Each is loaded once per
/// process, so calling this again costs nothing.
///
/// The faces call it on a background thread when a PDF is likely (the
/// CLI's `plan --pdf`, the app at launch): on a machine with two cores the
/// ISTAT list (some 7,900 rows) is parsed while the questionnaires are
/// loaded and the answers scored, instead of after.
pub fn warm_up() {
    let _ = crate::istat::IstatList::builtin();
    let _ = fonts::fonts();
    let _ = hyphen::italian();
}

/// Errors of the report layer.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// An embedded font could not be parsed (a build problem, not an input one).
    #[error("the embedded font {0} could not be parsed")]
    Font(String),
    /// The PDF could not be written.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// Writing the file failed.
    #[error("could not write the PDF file: {0}")]
    Io(#[from] std::io::Error),
}
