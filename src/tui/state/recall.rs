//! Earlier prompts, newest first, as a shell keeps its history: Ctrl-P and Ctrl-N walk them in
//! the prompt (the draft comes back past the newest), Ctrl-R searches them fuzzily.

use crate::store::{JobId, RecentPrompts};

/// Earlier prompts kept for Ctrl-P and Ctrl-R: more than anyone scrolls through, a bound on
/// memory with a million jobs.
pub const KEPT_PROMPTS: usize = 200_000;

/// Prompts side by side in one buffer, newest first: a search reads them in memory order (100,000
/// separate strings cost a cache miss each).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PromptList {
    text: String,
    /// Where each prompt ends in `text`.
    ends: Vec<usize>,
}

impl PromptList {
    pub fn new(prompts: &[String]) -> Self {
        let mut list = Self { text: String::with_capacity(prompts.iter().map(String::len).sum()), ends: Vec::new() };
        for prompt in prompts {
            list.text.push_str(prompt);
            list.ends.push(list.text.len());
        }
        list
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// `prompt` first, once.
    pub fn put_first(&mut self, prompt: &str) {
        let rest: Vec<String> = self.iter().filter(|p| *p != prompt).map(str::to_string).collect();
        *self = Self::new(&std::iter::once(prompt.to_string()).chain(rest).collect::<Vec<_>>());
    }
}

/// The earlier prompts and where a walk through them is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recall {
    /// Distinct prompts, newest first.
    pub prompts: PromptList,
    /// During a walk: the index shown, and the draft it started from.
    walk: Option<(usize, Vec<String>)>,
    /// Another imgtui wrote to the history since the list was read: the prompts of the jobs
    /// after `newest` are read when Ctrl-P or Ctrl-R next needs them, not at every write.
    pub stale: bool,
    /// The newest job the list was read from.
    pub newest: Option<JobId>,
    /// A read of the prompts is under way (at start, or of another imgtui's new ones).
    pub asked: bool,
    /// Ctrl-P, Ctrl-N and Ctrl-R pressed while it was: done when the prompts arrive (a moment
    /// later), so the first press shows the newest prompt, not one from the list before.
    pub waiting: Vec<crate::tui::action::Action>,
}

/// Ctrl-R's search: its query, the matching prompts (indexes into `Recall::prompts`, newest
/// first) and the one selected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecallSearch {
    pub query: String,
    pub matches: Vec<usize>,
    pub selected: usize,
    /// The query `matches` were found for.
    searched: String,
}

/// Where a step of the walk leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Show this earlier prompt.
    Show(String),
    /// Back past the newest: the draft again.
    Draft(Vec<String>),
    /// Nowhere further.
    Stay,
}

impl Recall {
    #[cfg(any(test, feature = "internals"))]
    pub fn new(prompts: Vec<String>) -> Self {
        Self {
            prompts: PromptList::new(&prompts),
            walk: None,
            stale: false,
            newest: None,
            asked: false,
            waiting: Vec::new(),
        }
    }

    /// A prompt just sent goes first (once).
    /// A fresh list from the history; a walk under way keeps the draft it started from (the
    /// prompt it shows may now be another's place).
    pub fn replace_prompts(&mut self, recent: RecentPrompts) {
        self.prompts = PromptList::new(&recent.prompts);
        self.newest = recent.newest;
        if let Some((index, _)) = &mut self.walk {
            *index = (*index).min(self.prompts.len().saturating_sub(1));
        }
        self.stale = false;
    }

    /// The prompts of newer jobs go first (each once); the list keeps its bound.
    pub fn add_newer(&mut self, recent: RecentPrompts) {
        if recent.prompts.is_empty() {
            self.newest = self.newest.max(recent.newest);
            return;
        }
        let newer: std::collections::HashSet<&str> = recent.prompts.iter().map(String::as_str).collect();
        let older = self.prompts.iter().filter(|p| !newer.contains(p)).map(str::to_string);
        let merged: Vec<String> = recent.prompts.iter().cloned().chain(older).take(KEPT_PROMPTS).collect();
        // A walk under way stays on the prompt it shows (now further down the list).
        let shown = self.walk.as_ref().and_then(|(at, _)| self.prompts.get(*at)).map(str::to_string);
        let at = shown.and_then(|shown| merged.iter().position(|p| *p == shown));
        self.replace_prompts(RecentPrompts { prompts: merged, newest: self.newest.max(recent.newest) });
        if let (Some((index, _)), Some(at)) = (&mut self.walk, at) {
            *index = at;
        }
    }

    pub fn remember(&mut self, prompt: &str) {
        if prompt.trim().is_empty() {
            return;
        }
        self.prompts.put_first(prompt);
        self.walk = None;
    }

    /// Ctrl-P: one older. `draft` is the prompt as typed, kept when a walk begins.
    pub fn older(&mut self, draft: &[String]) -> Step {
        let next = match &self.walk {
            None => 0,
            Some((at, _)) => at + 1,
        };
        let Some(prompt) = self.prompts.get(next).map(str::to_string) else { return Step::Stay };
        let kept = self.walk.take().map_or_else(|| draft.to_vec(), |(_, kept)| kept);
        self.walk = Some((next, kept));
        Step::Show(prompt)
    }

    /// Ctrl-N: one newer; past the newest, the draft.
    pub fn newer(&mut self) -> Step {
        match self.walk.take() {
            None => Step::Stay,
            Some((0, draft)) => Step::Draft(draft),
            Some((at, draft)) => {
                self.walk = Some((at - 1, draft));
                self.prompts.get(at - 1).map_or(Step::Stay, |p| Step::Show(p.to_string()))
            }
        }
    }

    /// Any edit ends a walk: the text shown is the new draft.
    pub fn end_walk(&mut self) {
        self.walk = None;
    }

    /// The prompts matching `query` (fuzzy: each word's letters in order, the words in any
    /// order; a word with a capital matches case), newest first; every prompt when it is empty.
    pub fn search(&self, query: &str) -> Vec<usize> {
        self.search_within(query, 0..self.prompts.len())
    }

    /// As `search`, over the prompts `among` only (a query typed further matches fewer).
    pub fn search_within(&self, query: &str, among: impl IntoIterator<Item = usize>) -> Vec<usize> {
        let words: Vec<&str> = query.split_whitespace().collect();
        among
            .into_iter()
            .filter(|i| self.prompts.get(*i).is_some_and(|p| words.iter().all(|w| fuzzy_contains(p, w))))
            .collect()
    }
}

/// Whether `word`'s characters appear in `text` in order; without a capital in `word`, case
/// is ignored. An ASCII word is looked for byte by byte (a UTF-8 text's other characters are
/// bytes no ASCII byte equals), each next character found by `memchr`: 200,000 prompts in a
/// few milliseconds.
fn fuzzy_contains(text: &str, word: &str) -> bool {
    let exact = word.chars().any(char::is_uppercase);
    if word.is_ascii() {
        let mut rest = text.as_bytes();
        for wanted in word.bytes() {
            let found = match exact || !wanted.is_ascii_alphabetic() {
                true => memchr::memchr(wanted, rest),
                false => memchr::memchr2(wanted.to_ascii_lowercase(), wanted.to_ascii_uppercase(), rest),
            };
            match found {
                Some(at) => rest = &rest[at + 1..],
                None => return false,
            }
        }
        return true;
    }
    let fold = |c: char| if exact { c } else { c.to_lowercase().next().unwrap_or(c) };
    let mut wanted = word.chars().map(fold).peekable();
    for c in text.chars() {
        if wanted.peek() == Some(&fold(c)) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

impl RecallSearch {
    pub fn new(recall: &Recall) -> Self {
        Self { query: String::new(), matches: recall.search(""), selected: 0, searched: String::new() }
    }

    /// The matches for the query now: when it only grew, among the last matches alone, by its
    /// last word alone (the words before it matched already).
    pub fn refresh(&mut self, recall: &Recall) {
        let narrower = self.query.starts_with(&self.searched) && !self.query.chars().any(char::is_uppercase);
        let same_words = self.query.split_whitespace().eq(self.searched.split_whitespace());
        self.matches = if narrower && same_words {
            std::mem::take(&mut self.matches)
        } else if narrower {
            let last = self.query.split_whitespace().last().unwrap_or("");
            recall.search_within(last, std::mem::take(&mut self.matches))
        } else {
            recall.search(&self.query)
        };
        self.searched = self.query.clone();
        self.selected = 0;
    }

    /// The matches found again from scratch (the prompts changed under the search).
    pub fn search_again(&mut self, recall: &Recall) {
        self.matches = recall.search(&self.query);
        self.searched = self.query.clone();
        self.selected = self.selected.min(self.matches.len().saturating_sub(1));
    }

    pub fn chosen<'a>(&self, recall: &'a Recall) -> Option<&'a str> {
        self.matches.get(self.selected).and_then(|i| recall.prompts.get(*i))
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.matches.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recall() -> Recall {
        Recall::new(vec!["a red fox".into(), "a lighthouse at dusk".into(), "a blue bird".into()])
    }

    #[test]
    fn ctrl_p_and_ctrl_n_walk_like_a_shell_and_give_the_draft_back() {
        let mut r = recall();
        let draft = vec!["half typed".to_string()];
        assert_eq!(r.older(&draft), Step::Show("a red fox".into()));
        assert_eq!(r.older(&draft), Step::Show("a lighthouse at dusk".into()));
        assert_eq!(r.older(&draft), Step::Show("a blue bird".into()));
        assert_eq!(r.older(&draft), Step::Stay, "the oldest");
        assert_eq!(r.newer(), Step::Show("a lighthouse at dusk".into()));
        assert_eq!(r.newer(), Step::Show("a red fox".into()));
        assert_eq!(r.newer(), Step::Draft(draft));
        assert_eq!(r.newer(), Step::Stay);
        r.remember("a lighthouse at dusk");
        assert_eq!(r.prompts.get(0), Some("a lighthouse at dusk"), "sent again: newest, once");
        assert_eq!(r.prompts.len(), 3);
    }

    #[test]
    fn the_search_is_fuzzy_and_newest_first() {
        let r = recall();
        assert_eq!(r.search("lhd"), vec![1], "letters in order");
        assert_eq!(r.search("a"), vec![0, 1, 2], "newest first");
        assert_eq!(r.search("bird blue"), vec![2], "words in any order");
        assert!(r.search("zebra").is_empty());
        assert_eq!(r.search("RED"), Vec::<usize>::new(), "a capital matches case");
        let mut search = RecallSearch::new(&r);
        for c in "li".chars() {
            search.query.push(c);
            search.refresh(&r);
        }
        assert_eq!(search.matches, vec![1, 2], "narrowed as typed: lighthouse, bird");
        search.query.pop();
        search.query.pop();
        search.query.push('r');
        search.refresh(&r);
        assert_eq!(search.matches, vec![0, 2], "a new query searches everything again");
        let cyrillic = Recall::new(vec!["Лиса в снегу".into()]);
        assert_eq!(cyrillic.search("лиса"), vec![0]);
    }
}
