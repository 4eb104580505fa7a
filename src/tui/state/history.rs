//! The history list: pages of job summaries loaded on demand, selection and search.

use crate::store::{JobId, JobQuery, JobSummary};

/// Rows per page fetched from the store.
pub const PAGE: usize = 200;
/// The most rows a reload asks for at once to keep what was loaded (the store's own bound).
pub const MAX_WINDOW: usize = 10_000;
/// The most rows the list holds (about 15 MB): past them, `/` and `f` reach older jobs.
pub const MOST_LOADED: usize = 50_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryView {
    pub rows: Vec<JobSummary>,
    pub selected: usize,
    pub search: String,
    /// No older rows remain for this search.
    pub exhausted: bool,
    /// A page is on its way; do not ask again.
    pub loading: bool,
    /// Bumped on every new query, so pages for an old query are dropped.
    pub generation: u64,
    /// The list's window.
    pub scroll: super::Scroll,
    /// The next first page is another filter's: its top row is selected.
    to_top: bool,
    /// Starred jobs only (`f`).
    pub starred_only: bool,
    /// Shown as a tree of edits (`t`): `rows` in tree order, each with its glyphs.
    pub tree: bool,
    pub tree_prefixes: Vec<String>,
    /// `p` asked for a parent that is not loaded yet: pages are fetched until it is.
    pub seeking: Option<JobId>,
    /// A job this app just queued: selected when the page that holds it arrives.
    pub follow: Option<JobId>,
    /// The search and starred filter the loaded rows answer, and the rows the query on its way
    /// asked for: a reload of the same filter asks for all the rows loaded, so the window (and
    /// the selection 300 rows down) stays.
    loaded_filter: Option<(String, bool)>,
    asked: usize,
    /// `G` asked for the rest of the list: the last row is selected when it arrives.
    pub seek_last: bool,
}

impl HistoryView {
    pub fn selected_row(&self) -> Option<&JobSummary> {
        self.rows.get(self.selected)
    }

    /// The first page of the current search.
    pub fn first_page(&mut self) -> (JobQuery, u64) {
        self.generation += 1;
        self.loading = true;
        self.seeking = None;
        let filter = (self.search.clone(), self.starred_only);
        let same = self.loaded_filter.as_ref() == Some(&filter);
        // One row more than is loaded: fewer back means none is left to load.
        self.asked = if same { (self.rows.len() + 1).clamp(PAGE, MAX_WINDOW) } else { PAGE };
        // Another search (or filter) starts at its newest match, not at the old row's place.
        self.to_top = !same;
        self.loaded_filter = Some(filter);
        let query = JobQuery { limit: self.asked, ..self.query(None) };
        (query, self.generation)
    }

    /// A page was asked for and could not be read: no longer waiting for it.
    pub fn failed(&mut self, generation: u64) {
        if generation == self.generation {
            self.loading = false;
        }
    }

    /// Puts the rows of jobs that changed in place, and new jobs the list would show in their
    /// place; true when the selected job changed. The selected job stays selected (a job this
    /// app sends is followed: `follow`).
    pub fn patch(&mut self, rows: Vec<JobSummary>) -> bool {
        let before = self.selected_row().map(|r| r.id);
        for row in rows {
            match self.rows.iter().position(|r| r.id == row.id) {
                Some(at) => self.rows[at] = row,
                None if self.would_show(&row) => self.rows.push(row),
                None => {}
            }
        }
        self.arrange();
        if let Some(id) = self.follow
            && self.select(id)
        {
            self.follow = None;
        }
        self.selected_row().map(|r| r.id) != before
    }

    /// Whether a job not loaded belongs in the list: no search, the starred filter met, and
    /// newer than the oldest row loaded unless every row is.
    fn would_show(&self, row: &JobSummary) -> bool {
        let oldest = self.rows.iter().map(|r| (r.created_at, r.id)).min();
        self.search.trim().is_empty()
            && (!self.starred_only || row.starred)
            && (self.exhausted || oldest.is_none_or(|oldest| (row.created_at, row.id) > oldest))
    }

    /// The page after the loaded rows, when more may exist.
    pub fn next_page(&mut self) -> Option<(JobQuery, u64)> {
        if self.exhausted || self.loading || self.is_full() {
            return None;
        }
        // The oldest row loaded (in tree order it need not be the last one).
        let oldest = self.rows.iter().min_by_key(|r| (r.created_at, r.id))?;
        let before = Some((oldest.created_at, oldest.id));
        self.loading = true;
        self.asked = PAGE;
        Some((self.query(before), self.generation))
    }

    /// Whether the list holds all it may (`MOST_LOADED`) with older rows not loaded.
    pub fn is_full(&self) -> bool {
        !self.exhausted && self.rows.len() >= MOST_LOADED
    }

    /// Every row not loaded yet (up to `MAX_WINDOW`), for `G`: the oldest job in one press.
    pub fn rest(&mut self) -> Option<(JobQuery, u64)> {
        let (query, generation) = self.next_page()?;
        self.asked = MAX_WINDOW;
        self.seek_last = true;
        Some((JobQuery { limit: MAX_WINDOW, ..query }, generation))
    }

    fn query(&self, before: Option<(i64, JobId)>) -> JobQuery {
        let search = (!self.search.trim().is_empty()).then(|| self.search.clone());
        // A word too short for the index looks through the jobs the list can hold: at a
        // million jobs a rare one would read them all (two seconds) for each key.
        let short_words_within = Some(MOST_LOADED);
        JobQuery { search, status: None, before, limit: PAGE, starred: self.starred_only, short_words_within }
    }

    /// Takes a page. A first page keeps the selected job selected when it is still there, the
    /// top row selected when it was, and the same place when the job is gone (deleted), so a
    /// quick second `d` never lands on the newest job.
    pub fn receive(&mut self, rows: Vec<JobSummary>, append: bool, generation: u64) -> bool {
        if generation != self.generation {
            return false;
        }
        self.loading = false;
        self.exhausted = rows.len() < if self.asked == 0 { PAGE } else { self.asked };
        if append {
            self.rows.extend(rows);
            if std::mem::take(&mut self.seek_last) {
                self.selected = self.rows.len().saturating_sub(1);
            }
        } else {
            // The selected job stays selected, even on the top row while another imgtui adds
            // jobs above it (this app's own are followed: `follow`); when it is gone, the same
            // place is.
            let (at, kept) = (self.selected, self.selected_row().map(|r| r.id));
            self.rows = rows;
            self.selected = match kept {
                _ if std::mem::take(&mut self.to_top) => 0,
                Some(id) => self.rows.iter().position(|r| r.id == id).unwrap_or(at),
                None => at,
            };
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.arrange();
        if let Some(id) = self.follow
            && self.select(id)
        {
            self.follow = None;
        }
        true
    }

    /// Puts the rows in tree order (or back in list order), the selected job still selected.
    pub fn arrange(&mut self) {
        let kept = self.selected_row().map(|r| r.id);
        if self.tree {
            let links: Vec<(JobId, Option<JobId>)> = self.rows.iter().map(|r| (r.id, r.parent_id)).collect();
            let order = crate::edit_tree::arrange(&links);
            let mut rows: Vec<Option<JobSummary>> = std::mem::take(&mut self.rows).into_iter().map(Some).collect();
            self.rows = order.iter().filter_map(|t| rows[t.index].take()).collect();
            self.tree_prefixes = order.into_iter().map(|t| t.prefix).collect();
        } else {
            self.rows.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
            self.tree_prefixes.clear();
        }
        if let Some(id) = kept {
            self.select(id);
        }
    }

    /// Selects job `id` when it is loaded; whether it is.
    pub fn select(&mut self, id: JobId) -> bool {
        match self.rows.iter().position(|r| r.id == id) {
            Some(at) => {
                self.selected = at;
                true
            }
            None => false,
        }
    }

    /// Moves the selection; true when it changed.
    pub fn move_by(&mut self, delta: isize) -> bool {
        if self.rows.is_empty() {
            return false;
        }
        let before = self.selected;
        self.selected = (self.selected as isize + delta).clamp(0, self.rows.len() as isize - 1) as usize;
        before != self.selected
    }

    /// Whether the selection is close enough to the end to fetch the next page.
    pub fn wants_more(&self) -> bool {
        !self.exhausted && !self.loading && self.selected + 50 >= self.rows.len()
    }
}
