//! A search with long words and short ones walks both indexes at once, newest first, and keeps
//! the ids both give. Each walk reads its index a chunk at a time and jumps down to where the
//! other one is, so "fox 4" over a million jobs where every job has a fox and the newest job
//! with a word starting with 4 is half a million jobs back costs two jumps, not half a million
//! rows read one by one.

use std::collections::VecDeque;

use super::model::JobId;
use super::{Store, StoreError};

/// How many ids the first read of an index takes; each read after takes four times more (up to
/// `CHUNK_MOST`), so a long walk through dense matches costs a few reads, not thousands.
const CHUNK: i64 = 64;
const CHUNK_MOST: i64 = 16_384;

/// The ids one FTS5 index matches, newest first, from a bound down.
struct Walk<'s> {
    store: &'s Store,
    sql: &'static str,
    query: String,
    /// Read and not yet passed, newest first.
    read: VecDeque<JobId>,
    /// The last read found the index's end.
    ended: bool,
    /// How many ids the next read takes.
    chunk: i64,
}

impl<'s> Walk<'s> {
    fn new(store: &'s Store, sql: &'static str, query: String) -> Self {
        Self { store, sql, query, read: VecDeque::new(), ended: false, chunk: CHUNK }
    }

    /// The newest matching id at or below `bound` (bounds only ever go down).
    fn at_or_below(&mut self, bound: JobId) -> Result<Option<JobId>, StoreError> {
        while self.read.front().is_some_and(|id| *id > bound) {
            self.read.pop_front();
        }
        if let Some(id) = self.read.front() {
            return Ok(Some(*id));
        }
        if self.ended {
            return Ok(None);
        }
        // Everything read was above `bound`: read on from `bound` itself (a jump when it is far).
        let mut stmt = self.store.conn.prepare_cached(self.sql).map_err(|e| self.store.err(e))?;
        let ids = stmt
            .query_map(rusqlite::params![self.query, bound, self.chunk], |row| row.get::<_, JobId>(0))
            .and_then(|rows| rows.collect::<Result<VecDeque<_>, _>>())
            .map_err(|e| self.store.err(e))?;
        self.ended = (ids.len() as i64) < self.chunk;
        self.chunk = (self.chunk * 4).min(CHUNK_MOST);
        self.read = ids;
        Ok(self.read.front().copied())
    }
}

/// The ids both indexes match, newest first.
pub(super) struct Both<'s> {
    trigrams: Walk<'s>,
    words: Walk<'s>,
    /// The next id looked for is at or below this.
    bound: JobId,
}

impl<'s> Both<'s> {
    /// `trigrams` and `words` are the two indexes' queries; ids at or below `start` are walked.
    pub(super) fn new(store: &'s Store, trigrams: String, words: String, start: JobId) -> Self {
        const TRIGRAMS: &str =
            "SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?1 AND rowid <= ?2 ORDER BY rowid DESC LIMIT ?3";
        const WORDS: &str =
            "SELECT rowid FROM jobs_words WHERE jobs_words MATCH ?1 AND rowid <= ?2 ORDER BY rowid DESC LIMIT ?3";
        Self { trigrams: Walk::new(store, TRIGRAMS, trigrams), words: Walk::new(store, WORDS, words), bound: start }
    }

    /// Up to `want` more ids in both, newest first; none when the walk has ended.
    pub(super) fn next_ids(&mut self, want: usize) -> Result<Vec<JobId>, StoreError> {
        let mut found = Vec::new();
        while found.len() < want && self.bound > 0 {
            let Some(a) = self.trigrams.at_or_below(self.bound)? else { break };
            let Some(b) = self.words.at_or_below(a)? else { break };
            if a == b {
                found.push(a);
                self.bound = a - 1;
            } else {
                self.bound = b;
            }
        }
        if found.len() < want {
            // Ended: no id below is in both.
            self.bound = 0;
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use crate::api::GenerateRequest;
    use crate::store::{ImageRequest, JobQuery, Store};

    /// Long and short words together, over jobs where each is common but both are rare, give
    /// exactly the jobs with both, newest first, page after page.
    #[test]
    fn both_indexes_walked_together_give_every_job_with_both() -> Result<(), Box<dyn std::error::Error>> {
        let mut store = Store::open_in_memory()?;
        for i in 1..=600 {
            let prompt = match i % 150 {
                0 => format!("a fox number {i}"),
                1..=80 => format!("a fox at dusk {i}"),
                _ => format!("number {i} in the rain"),
            };
            let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", prompt));
            store.insert_job(&request, "demo", "u", None, &[], i)?;
        }
        let (mut seen, mut before) = (Vec::new(), None);
        loop {
            let query = JobQuery { search: Some("fox nu".into()), before, limit: 2, ..JobQuery::default() };
            let page = store.page(&query)?;
            let Some(last) = page.last() else { break };
            before = Some((last.created_at, last.id));
            seen.extend(page.iter().map(|j| j.id));
        }
        assert_eq!(seen, vec![600, 450, 300, 150]);
        let dusk = JobQuery { search: Some("DUSK 8".into()), limit: 100, ..JobQuery::default() };
        let ids: Vec<_> = store.page(&dusk)?.iter().map(|j| j.id).collect();
        assert_eq!(ids, vec![80, 8], "word starts: 8 and 80, not 18 or 158");
        Ok(())
    }
}
