//! The file browser overlay's state: the listing of one directory, a filter typed over it, the
//! highlighted row, a path line with completion, and the facts of the files on screen.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::api::validate::InputFile;
use crate::browse::{Entry, EntryKind};

/// What the picked file becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Replace input image `i`, or add one when `i` is past the end.
    Image(usize),
    Mask,
    Markup,
}

/// What a file is picked for, whatever the slot: folders are remembered per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputKind {
    Image,
    Mask,
    Markup,
}

impl Target {
    pub fn kind(self) -> InputKind {
        match self {
            Self::Image(_) => InputKind::Image,
            Self::Mask => InputKind::Mask,
            Self::Markup => InputKind::Markup,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Browser {
    pub target: Target,
    pub dir: PathBuf,
    /// The whole listing, sorted; `None` while it loads.
    pub entries: Option<Vec<Entry>>,
    pub error: Option<String>,
    pub filter: String,
    pub show_hidden: bool,
    /// Index into `visible()`.
    pub selected: usize,
    /// The path line, while it is open.
    pub path_input: Option<String>,
    /// Bumped per listing request; older listings are dropped.
    pub generation: u64,
    /// Header facts of files already looked at.
    pub facts: HashMap<PathBuf, InputFile>,
    /// Files whose facts were asked for and have not arrived.
    pub pending: Vec<PathBuf>,
    /// The list's window.
    pub scroll: super::Scroll,
}

impl Browser {
    pub fn new(target: Target, dir: PathBuf) -> Self {
        Self {
            target,
            dir,
            entries: None,
            error: None,
            filter: String::new(),
            show_hidden: false,
            selected: 0,
            scroll: super::Scroll::default(),
            path_input: None,
            generation: 0,
            facts: HashMap::new(),
            pending: Vec::new(),
        }
    }

    /// The rows shown: `..` first (unless at the root), then the filtered entries.
    pub fn visible(&self) -> Vec<Row<'_>> {
        let mut rows = Vec::new();
        if self.dir.parent().is_some() && self.filter.is_empty() {
            rows.push(Row::Parent);
        }
        let needle = self.filter.to_lowercase();
        if let Some(entries) = &self.entries {
            rows.extend(
                entries
                    .iter()
                    .filter(|e| self.show_hidden || !e.is_hidden() || needle.starts_with('.'))
                    .filter(|e| needle.is_empty() || e.name.to_lowercase().contains(&needle))
                    .map(Row::Entry),
            );
        }
        rows
    }

    pub fn selected_row(&self) -> Option<Row<'_>> {
        self.visible().into_iter().nth(self.selected)
    }

    /// Starts over in `dir`; returns the generation the listing must carry.
    pub fn go_to(&mut self, dir: PathBuf) -> u64 {
        self.dir = dir;
        self.entries = None;
        self.error = None;
        self.filter.clear();
        self.selected = 0;
        self.generation += 1;
        self.generation
    }

    /// Takes a listing; false when it is for a directory left since.
    pub fn receive(&mut self, generation: u64, listing: Result<Vec<Entry>, String>) -> bool {
        if generation != self.generation {
            return false;
        }
        match listing {
            Ok(entries) => self.entries = Some(entries),
            Err(e) => {
                self.entries = Some(Vec::new());
                self.error = Some(e);
            }
        }
        // Land on the first entry rather than `..`, which is one key away.
        self.selected = usize::from(self.dir.parent().is_some() && self.visible().len() > 1);
        true
    }

    pub fn move_by(&mut self, delta: isize) {
        let count = self.visible().len();
        if count > 0 {
            self.selected = (self.selected as isize + delta).clamp(0, count as isize - 1) as usize;
        }
    }

    /// Image files on rows `from..from+count` whose facts are unknown and not yet asked for.
    pub fn wanted_facts(&mut self, from: usize, count: usize) -> Vec<PathBuf> {
        let wanted: Vec<PathBuf> = self
            .visible()
            .into_iter()
            .skip(from)
            .take(count)
            .filter_map(|row| match row {
                Row::Entry(e) if e.looks_like_image() => Some(e.path.clone()),
                _ => None,
            })
            .filter(|p| !self.facts.contains_key(p) && !self.pending.contains(p))
            .collect();
        self.pending.extend(wanted.iter().cloned());
        wanted
    }

    pub fn parent_dir(&self) -> Option<PathBuf> {
        self.dir.parent().map(Path::to_path_buf)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row<'a> {
    Parent,
    Entry(&'a Entry),
}

impl Row<'_> {
    pub fn is_dir(&self) -> bool {
        matches!(self, Row::Parent) || matches!(self, Row::Entry(e) if e.kind == EntryKind::Dir)
    }
}
