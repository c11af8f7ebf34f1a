//! Table column widths: natural widths, longest words, and the shares of a narrow screen.

use super::model::COLUMN_GAP_WIDTH;
use super::prefix::spans_width;
use super::wrap::{Token, segments};
use crate::content::render::document::Align;

/// A table cell ready for layout.
#[derive(Clone, Debug)]
pub(super) struct TableCell {
    pub(super) tokens: Vec<Token>,
    pub(super) column: usize,
    pub(super) colspan: usize,
    pub(super) align: Align,
}

/// Whether a cell shows anything.
pub(super) fn has_words(tokens: &[Token]) -> bool {
    tokens
        .iter()
        .any(|t| matches!(t, Token::Word(w) if w.width > 0))
}

/// The width of a run of columns with the gaps between them.
pub(super) fn span_width(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + COLUMN_GAP_WIDTH * widths.len().saturating_sub(1)
}

/// Column widths for a table in `avail` columns, as a browser's automatic table layout picks
/// them: each column is at least its longest word (its minimum) and at most its longest
/// unwrapped line (its natural width). When the natural widths fit they are used; otherwise
/// the room beyond the minimums is shared in proportion to how much more each column would
/// like. `None` when even the minimums cannot stand side by side: the caller then stacks
/// the table rather than split words. Cells spanning several columns spread what they need
/// beyond those columns' own widths evenly over them.
pub(super) fn column_widths<'a>(
    rows: impl Iterator<Item = &'a Vec<TableCell>>,
    columns: usize,
    avail: usize,
) -> Option<Vec<usize>> {
    let budget = avail.checked_sub(COLUMN_GAP_WIDTH * (columns - 1))?;
    let mut min = vec![1; columns];
    let mut max = vec![1; columns];
    let mut spanning = Vec::new();
    for row in rows {
        for cell in row {
            let (lo, hi) = (longest_word(&cell.tokens), natural_width(&cell.tokens));
            if cell.colspan == 1 {
                min[cell.column] = min[cell.column].max(lo);
                max[cell.column] = max[cell.column].max(hi);
            } else {
                spanning.push((cell.column, cell.colspan.min(columns - cell.column), lo, hi));
            }
        }
    }
    for (c, n, lo, hi) in spanning {
        for (want, widths) in [(lo, &mut min), (hi, &mut max)] {
            let have = span_width(&widths[c..c + n]);
            let short = want.saturating_sub(have);
            for (k, w) in widths[c..c + n].iter_mut().enumerate() {
                *w += short / n + usize::from(k < short % n);
            }
        }
    }
    for (lo, hi) in min.iter().zip(max.iter_mut()) {
        *hi = (*hi).max(*lo);
    }
    let (sum_min, sum_max) = (min.iter().sum::<usize>(), max.iter().sum::<usize>());
    if sum_min > budget {
        return None;
    }
    if sum_max <= budget {
        return Some(max);
    }
    // Share the extra room in proportion to (natural - minimum), largest remainders first.
    let extra = budget - sum_min;
    let wants: Vec<usize> = max.iter().zip(&min).map(|(hi, lo)| hi - lo).collect();
    let total: usize = wants.iter().sum();
    let mut widths: Vec<usize> = min
        .iter()
        .zip(&wants)
        .map(|(lo, want)| lo + extra * want / total)
        .collect();
    let mut left = budget - widths.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..columns).collect();
    order.sort_by_key(|&c| std::cmp::Reverse((extra * wants[c]) % total));
    for c in order.into_iter().cycle().take(columns * 2) {
        if left == 0 {
            break;
        }
        if widths[c] < max[c] {
            widths[c] += 1;
            left -= 1;
        }
    }
    Some(widths)
}

/// The widest unbreakable piece of a cell: its longest word, or for a URL (which a cell may
/// break after its punctuation) its longest run between such breaks.
pub(super) fn longest_word(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.url => Some(
                segments(&w.pieces)
                    .iter()
                    .map(|seg| spans_width(seg))
                    .max()
                    .unwrap_or(0),
            ),
            Token::Word(w) => Some(w.width),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// The width a cell takes unwrapped (its widest hard line).
pub(super) fn natural_width(tokens: &[Token]) -> usize {
    let (mut widest, mut line, mut space) = (0, 0, false);
    for token in tokens {
        match token {
            Token::Break => {
                (line, space) = (0, false);
            }
            Token::Space(_) => space = line > 0,
            Token::Word(w) => {
                line += w.width + usize::from(space);
                space = false;
            }
        }
        widest = widest.max(line);
    }
    widest
}
