//! Jobs as a tree of edits: an edit under the job whose image it edited, the branches of a
//! job in the order they were made, roots newest first. Drawn with box-drawing glyphs that a
//! plain xterm shows (`├─`, `└─`, `│`). A job whose parent is not among the rows (deleted, or
//! not loaded yet) is a root.

use std::collections::{HashMap, HashSet};

/// Levels drawn in full; deeper ones are summed up in a count, so a chain of 200 edits does not
/// push its prompts off the screen.
const SHOWN_LEVELS: usize = 6;

/// One row of the arranged tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    /// Index into the rows given.
    pub index: usize,
    pub depth: usize,
    /// What goes before the row's text: `│  ├─ `.
    pub prefix: String,
}

/// Arranges `rows` (each a job id and its parent's) as a tree.
pub fn arrange(rows: &[(i64, Option<i64>)]) -> Vec<TreeRow> {
    let present: HashSet<i64> = rows.iter().map(|(id, _)| *id).collect();
    let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (index, (_, parent)) in rows.iter().enumerate() {
        match parent.filter(|p| present.contains(p)) {
            Some(parent) => children.entry(parent).or_default().push(index),
            None => roots.push(index),
        }
    }
    roots.sort_by_key(|i| std::cmp::Reverse(rows[*i].0));
    for list in children.values_mut() {
        list.sort_by_key(|i| rows[*i].0);
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut seen = HashSet::new();
    for root in roots {
        // Depth first, by hand: a chain of thousands must not overflow the stack.
        let mut stack: Vec<(usize, usize, Vec<bool>)> = vec![(root, 0, Vec::new())];
        while let Some((index, depth, lasts)) = stack.pop() {
            if !seen.insert(index) {
                continue;
            }
            out.push(TreeRow { index, depth, prefix: prefix(&lasts) });
            let kids = children.get(&rows[index].0).map(Vec::as_slice).unwrap_or_default();
            for (n, kid) in kids.iter().enumerate().rev() {
                let mut kid_lasts = lasts.clone();
                kid_lasts.push(n + 1 == kids.len());
                stack.push((*kid, depth + 1, kid_lasts));
            }
        }
    }
    out
}

/// The glyphs for a row whose ancestors' "was the last child" flags are `lasts`.
fn prefix(lasts: &[bool]) -> String {
    let Some((last, above)) = lasts.split_last() else { return String::new() };
    let hidden = above.len().saturating_sub(SHOWN_LEVELS - 1);
    let mut text = if hidden > 0 { format!("{hidden}┆ ") } else { String::new() };
    for ancestor_last in &above[hidden..] {
        text.push_str(if *ancestor_last { "   " } else { "│  " });
    }
    text.push_str(if *last { "└─ " } else { "├─ " });
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(rows: &[(i64, Option<i64>)]) -> Vec<String> {
        arrange(rows).iter().map(|r| format!("{}#{}", r.prefix, rows[r.index].0)).collect()
    }

    #[test]
    fn branches_sit_under_their_parent_in_the_order_they_were_made() {
        // Newest first, as the history gives them: 6 edits 4, 5 and 4 edit 1, 3 edits 2.
        let rows = [(6, Some(4)), (5, Some(1)), (4, Some(1)), (3, Some(2)), (2, None), (1, None)];
        assert_eq!(drawn(&rows), ["#2", "└─ #3", "#1", "├─ #4", "│  └─ #6", "└─ #5"]);
    }

    #[test]
    fn a_job_whose_parent_is_gone_or_not_loaded_is_a_root() {
        let rows = [(9, Some(7)), (8, None), (5, Some(3))];
        assert_eq!(drawn(&rows), ["#9", "#8", "#5"]);
    }

    #[test]
    fn a_long_chain_is_drawn_with_its_deep_levels_counted() {
        let rows: Vec<(i64, Option<i64>)> = (1..=200).rev().map(|id| (id, (id > 1).then(|| id - 1))).collect();
        let tree = arrange(&rows);
        assert_eq!(tree.len(), 200);
        assert_eq!(tree[199].depth, 199);
        assert!(tree[199].prefix.starts_with("193┆ "), "{}", tree[199].prefix);
        assert!(tree.iter().all(|r| r.prefix.chars().count() < 30), "never wider than a few levels");
    }
}
