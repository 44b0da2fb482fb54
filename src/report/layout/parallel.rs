//! Composition on several threads: a long document is cut into chunks of
//! about the same amount of text, which the threads take in turn. The
//! fragments are the same as those of one pass: composing a block does not
//! depend on the blocks before it, except for a page break or a spacer,
//! which act on the block that follows them (a chunk never starts right
//! after one).

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::super::fonts::FontSet;
use super::{Block, Composer, Fragment, Frame};

/// At most this many threads: beyond it, starting them costs more than it
/// saves on a plan of 40 pages.
const MAX_THREADS: usize = 4;
/// Chunks per thread: enough for a thread that finishes early to take
/// another one, few enough that each thread's cache of shaped words
/// (one per composer) stays useful.
const CHUNKS_PER_THREAD: usize = 4;
/// Documents with fewer blocks are composed in one pass.
const MIN_BLOCKS: usize = 16;

/// Composes `blocks` into fragments, on as many threads as the machine has
/// (at most [`MAX_THREADS`]). Returns the fragments in document order and
/// the characters the fonts lack.
pub(crate) fn compose_blocks(
    fonts: &FontSet,
    frame: Frame,
    blocks: &[Block],
) -> (Vec<Fragment>, BTreeSet<char>) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS);
    compose_on(fonts, frame, blocks, threads)
}

pub(crate) fn compose_on(
    fonts: &FontSet,
    frame: Frame,
    blocks: &[Block],
    threads: usize,
) -> (Vec<Fragment>, BTreeSet<char>) {
    let chunks = chunks(blocks, threads * CHUNKS_PER_THREAD);
    if threads < 2 || chunks.len() < 2 {
        let mut c = Composer::new(fonts, frame.height);
        let frags = c.compose(blocks, frame.width);
        return (frags, c.lost);
    }
    let next = AtomicUsize::new(0);
    // Takes chunks until none is left; returns each with its index.
    let work = |c: &mut Composer| {
        let mut done = Vec::new();
        while let Some(range) = chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((range.start, c.compose(&blocks[range.clone()], frame.width)));
        }
        done
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut c = Composer::new(fonts, frame.height);
                    let done = work(&mut c);
                    (done, c.lost)
                })
            })
            .collect();
        let mut c = Composer::new(fonts, frame.height);
        let mut done = work(&mut c);
        for helper in helpers {
            // A helper that panicked (a bug) lost its chunks: they are
            // composed again below.
            if let Ok((more, lost)) = helper.join() {
                done.extend(more);
                c.lost.extend(lost);
            }
        }
        for range in &chunks {
            if !done.iter().any(|(start, _)| *start == range.start) {
                let frags = c.compose(&blocks[range.clone()], frame.width);
                done.push((range.start, frags));
            }
        }
        done.sort_by_key(|(start, _)| *start);
        let frags = done.into_iter().flat_map(|(_, f)| f).collect();
        (frags, c.lost)
    })
}

/// Cuts `blocks` into at most `wanted` chunks holding about the same
/// amount of text ([`Block::text_len`]), none starting right after a page
/// break or a spacer. One chunk for short documents.
fn chunks(blocks: &[Block], wanted: usize) -> Vec<Range<usize>> {
    if blocks.len() < MIN_BLOCKS || wanted < 2 {
        return std::iter::once(0..blocks.len()).collect();
    }
    let total: usize = blocks.iter().map(Block::text_len).sum();
    let carries = |b: &Block| matches!(b, Block::PageBreak | Block::Spacer(_));
    let mut cuts = vec![0];
    let mut sum = 0;
    for (i, block) in blocks.iter().enumerate() {
        let share = cuts.len() * total / wanted;
        let last = cuts.last().copied().unwrap_or(0);
        if i > last && sum >= share && !carries(&blocks[i - 1]) && cuts.len() < wanted {
            cuts.push(i);
        }
        sum += block.text_len();
    }
    cuts.push(blocks.len());
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fonts::fonts;
    use crate::report::layout::{Heading, Paragraph};
    use crate::report::ReportError;

    fn sample() -> Vec<Block> {
        let mut blocks = Vec::new();
        for i in 0..40 {
            blocks.push(Block::Heading(Heading::new(2, format!("Sezione {i}"))));
            if i % 3 == 0 {
                blocks.push(Block::PageBreak);
            }
            if i % 5 == 0 {
                blocks.push(Block::Spacer(12.0));
            }
            let words = "la copia di sicurezza settimanale va provata ogni mese ".repeat(1 + i % 7);
            blocks.push(Block::Paragraph(Paragraph::plain(words)));
        }
        blocks
    }

    #[test]
    fn chunks_cover_every_block_once_and_never_follow_a_break() {
        let blocks = sample();
        for wanted in [2, 3, 8, 16, 1000] {
            let chunks = chunks(&blocks, wanted);
            assert!(chunks.len() > 1 && chunks.len() <= wanted, "{chunks:?}");
            assert_eq!(chunks.first().map(|r| r.start), Some(0));
            assert_eq!(chunks.last().map(|r| r.end), Some(blocks.len()));
            for pair in chunks.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert!(!pair[0].is_empty());
                let before = &blocks[pair[1].start - 1];
                assert!(
                    !matches!(before, Block::PageBreak | Block::Spacer(_)),
                    "a chunk starts after {before:?}"
                );
            }
        }
    }

    #[test]
    fn chunks_hold_about_the_same_text() {
        let blocks = sample();
        let total: usize = blocks.iter().map(Block::text_len).sum();
        let chunks = chunks(&blocks, 4);
        assert_eq!(chunks.len(), 4);
        for range in chunks {
            let text: usize = blocks[range].iter().map(Block::text_len).sum();
            // A quarter, give or take the largest paragraph.
            assert!(text.abs_diff(total / 4) < 400, "{text} of {total}");
        }
    }

    #[test]
    fn any_number_of_threads_gives_the_fragments_of_one_pass() -> Result<(), ReportError> {
        let fonts = fonts()?;
        let frame = Frame::a4();
        let blocks = sample();
        let one = compose_on(fonts, frame, &blocks, 1);
        for threads in [2, 3, 4] {
            assert!(compose_on(fonts, frame, &blocks, threads) == one);
        }
        Ok(())
    }
}
