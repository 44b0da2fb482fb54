//! The composition layer: blocks of content are cut into fragments (a line,
//! a table row, a chart...) and the fragments are paginated.
//!
//! Every fragment is an unbreakable strip of the page with its own drawing
//! items. A fragment may ask to stay on the same page as the next one
//! (headings, the first and last two lines of a paragraph, a table header
//! and its first row), and a table row carries its table's header, which is
//! drawn again at the top of every page the table continues on.

mod blocks;
mod compose;
mod fragment;
mod paginate;
mod parallel;

pub use blocks::*;
pub(crate) use compose::Composer;
pub(crate) use fragment::*;
pub(crate) use paginate::paginate;
pub(crate) use parallel::compose_blocks;

#[cfg(test)]
mod tests;
