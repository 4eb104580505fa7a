//! The prompt's undo history, by words: snapshots at word boundaries (the editor's own history
//! is per keystroke). Kept with the prompt; `update::undo` makes and walks it.

/// Snapshots kept; older ones go.
const KEPT: usize = 200;

/// The prompt's undo and redo snapshots, and what the last edit was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UndoLog {
    pub(crate) past: Vec<Vec<String>>,
    pub(crate) future: Vec<Vec<String>>,
    /// What the last edit was, to tell whether the next one continues its group.
    pub(crate) last: Option<Edit>,
}

/// Kinds of edit, for grouping: a word and the spaces after it are one step; a run of
/// deletions is one step; anything else is a step of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edit {
    Word,
    Space,
    Delete,
    Other,
}

impl UndoLog {
    pub(crate) fn push(&mut self, snapshot: Vec<String>) {
        if self.past.len() >= KEPT {
            self.past.remove(0);
        }
        self.past.push(snapshot);
    }
}
