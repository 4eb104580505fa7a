//! A page of the history: newest first, by status, by search words.

use super::jobs::{SUMMARY_COLUMNS, summary_from_row};
use super::model::{JobId, JobStatus, JobSummary};
use super::search_merge::Both;
use super::search_words::{WordKind, word_start_query};
use super::{Store, StoreError};

/// Earlier prompts, newest first, each once, and the newest job they were read from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentPrompts {
    pub prompts: Vec<String>,
    pub newest: Option<JobId>,
}

/// A page of the history, newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobQuery {
    /// Words that must all appear in the prompt, the revised prompt or the model, as
    /// substrings, case folded.
    pub search: Option<String>,
    /// Starred jobs only.
    pub starred: bool,
    pub status: Option<JobStatus>,
    /// Rows strictly older than this `(created_at, id)`: the last row of the previous page.
    pub before: Option<(i64, JobId)>,
    pub limit: usize,
    /// Words no index takes (one or two characters of a script without spaces, punctuation)
    /// alone look through the newest this many jobs only (`None`: all of them, slowly in a
    /// large history).
    pub short_words_within: Option<usize>,
}

/// The most words of each kind an index is asked for (the rest are checked row by row).
const INDEXED_WORDS_MOST: usize = 6;

/// Which index walks the history, newest first, for a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Driver {
    Trigrams,
    WordStarts,
    /// Long words and short ones: both indexes, walked together (store/search_merge.rs).
    Both,
    /// No index: every row in turn (no words, or only words no index takes).
    Rows,
}

/// `words` as the trigram index's query: each a whole substring, nothing in it an operator.
fn trigram_query(words: &[&str]) -> String {
    words.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ")
}

impl Store {
    /// A page of job summaries, newest first, filtered by status and search words (what a word
    /// matches: store/search_words.rs).
    ///
    /// An index drives the query, newest (highest id) first, and stops at the page's end: a
    /// search over a million jobs reads a page's worth of rows, not every match.
    pub fn page(&self, query: &JobQuery) -> Result<Vec<JobSummary>, StoreError> {
        let folded = query.search.as_deref().unwrap_or_default().to_lowercase();
        // Each word once: a word given twice asks nothing more (a thousand of them cost seconds).
        let mut words: Vec<&str> = Vec::new();
        for word in folded.split_whitespace() {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        // The indexes take the most telling words (the longest); any more are checked on the
        // rows they give, so a pasted paragraph costs a page's rows, not an index walk each.
        let of_kind = |kind: WordKind| {
            let mut found: Vec<&str> = words.iter().copied().filter(|w| WordKind::of(w) == kind).collect();
            found.sort_by_key(|w| std::cmp::Reverse(crate::text::char_count(w)));
            found.truncate(INDEXED_WORDS_MOST);
            found
        };
        let (long, starts) = (of_kind(WordKind::Long), of_kind(WordKind::WordStart));
        let driver = match (long.is_empty(), starts.is_empty()) {
            (false, false) => Driver::Both,
            (false, true) => Driver::Trigrams,
            (true, false) => Driver::WordStarts,
            (true, true) => Driver::Rows,
        };
        let limit = query.limit.clamp(1, 10_000);
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        let mut sql = match driver {
            Driver::Trigrams => {
                values.push(trigram_query(&long).into());
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM jobs_fts f JOIN jobs j ON j.id = f.rowid WHERE jobs_fts MATCH ?1"
                )
            }
            Driver::WordStarts => {
                values.push(word_start_query(&starts).into());
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM jobs_words f JOIN jobs j ON j.id = f.rowid WHERE jobs_words MATCH ?1"
                )
            }
            // The ids both indexes give, a batch at a time (see below).
            Driver::Both => {
                values.push(String::new().into());
                format!("SELECT {SUMMARY_COLUMNS} FROM jobs j WHERE j.id IN (SELECT value FROM json_each(?1))")
            }
            Driver::Rows => format!("SELECT {SUMMARY_COLUMNS} FROM jobs j WHERE 1 = 1"),
        };
        let indexed = driver != Driver::Rows;
        if let Some(status) = query.status {
            values.push(status.as_str().to_string().into());
            sql.push_str(&format!(" AND j.status = ?{}", values.len()));
        }
        match query.before {
            // Ids follow the order jobs were sent in; the indexes know no other order.
            Some((_, id)) if indexed => {
                values.push(id.into());
                sql.push_str(&format!(" AND j.id < ?{}", values.len()));
            }
            Some((created_at, id)) => {
                values.push(created_at.into());
                values.push(id.into());
                let (a, b) = (values.len() - 1, values.len());
                sql.push_str(&format!(" AND (j.created_at < ?{a} OR (j.created_at = ?{a} AND j.id < ?{b}))"));
            }
            None => {}
        }
        if query.starred {
            sql.push_str(" AND j.starred = 1");
        }
        if !indexed
            && !words.is_empty()
            && let Some(within) = query.short_words_within
        {
            values.push((within as i64).into());
            sql.push_str(&format!(" AND j.id > (SELECT coalesce(max(id), 0) FROM jobs) - ?{}", values.len()));
        }
        let indexed_by_driver = |w: &&str| match driver {
            Driver::Trigrams => long.contains(w),
            Driver::WordStarts => starts.contains(w),
            Driver::Both => long.contains(w) || starts.contains(w),
            Driver::Rows => false,
        };
        for word in words.iter().filter(|w| !indexed_by_driver(w)) {
            // A word whose letters have no case (punctuation, CJK) or are ASCII is what SQLite's
            // LIKE finds, and it finds it faster than a call per row.
            let like = WordKind::of(word) != WordKind::WordStart
                && word.chars().all(|c| c.is_ascii() || (!c.is_uppercase() && !c.is_lowercase()));
            if like {
                let pattern = format!("%{}%", word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
                values.push(pattern.into());
                let n = values.len();
                sql.push_str(&format!(
                    " AND (j.prompt LIKE ?{n} ESCAPE '\\' OR coalesce(j.revised_prompt, '') LIKE ?{n} ESCAPE '\\' \
                       OR j.model LIKE ?{n} ESCAPE '\\')"
                ));
            } else {
                values.push(word.to_string().into());
                sql.push_str(&format!(" AND imgtui_matches(j.prompt, j.revised_prompt, j.model, ?{})", values.len()));
            }
        }
        let order = match driver {
            Driver::Trigrams | Driver::WordStarts => "f.rowid DESC",
            Driver::Both => "j.id DESC",
            Driver::Rows => "j.created_at DESC, j.id DESC",
        };
        values.push((limit as i64).into());
        sql.push_str(&format!(" ORDER BY {order} LIMIT ?{}", values.len()));
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let mut read = |values: Vec<rusqlite::types::Value>| {
            stmt.query_map(rusqlite::params_from_iter(values), summary_from_row)
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(|e| self.err(e))
        };
        if driver != Driver::Both {
            return read(values);
        }
        // Both indexes walked together give the ids in both, newest first, a batch at a time;
        // each batch is read with the filters until the page is full or the ids run out.
        let start = query.before.map_or(i64::MAX, |(_, id)| id - 1);
        let mut walk = Both::new(self, trigram_query(&long), word_start_query(&starts), start);
        let mut page = Vec::new();
        while page.len() < limit {
            let ids = walk.next_ids((limit - page.len()).max(32))?;
            if ids.is_empty() {
                break;
            }
            values[0] = serde_json::Value::from(ids).to_string().into();
            page.extend(read(values.clone())?);
        }
        page.truncate(limit);
        Ok(page)
    }
}

impl Store {
    /// The summaries of jobs `ids` that exist (in no particular order): a job event patches
    /// its row with this instead of reading a page again.
    pub fn summaries(&self, ids: &[JobId]) -> Result<Vec<JobSummary>, StoreError> {
        let mut found = Vec::with_capacity(ids.len());
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM jobs j WHERE j.id = ?1"))
            .map_err(|e| self.err(e))?;
        for id in ids {
            let mut rows = stmt.query_map([id], summary_from_row).map_err(|e| self.err(e))?;
            if let Some(row) = rows.next() {
                found.push(row.map_err(|e| self.err(e))?);
            }
        }
        Ok(found)
    }

    /// Distinct prompts, newest first (most recently sent), at most `limit`, of the jobs after
    /// `after` (all jobs when `None`), and the newest job read. The jobs are read newest first
    /// and the reading stops at `limit` distinct prompts: a million jobs cost the rows needed,
    /// not a sort of them all.
    pub fn recent_prompts(&self, after: Option<JobId>, limit: usize) -> Result<RecentPrompts, StoreError> {
        use std::hash::{BuildHasher, RandomState};
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, prompt FROM jobs WHERE id > ?1 ORDER BY id DESC")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([after.unwrap_or(0)]).map_err(|e| self.err(e))?;
        // Hashes, not copies, of the prompts seen (a collision drops one prompt from recall).
        let hasher = RandomState::new();
        let mut seen = std::collections::HashSet::new();
        let mut recent = RecentPrompts { prompts: Vec::new(), newest: None };
        while recent.prompts.len() < limit {
            let Some(row) = rows.next().map_err(|e| self.err(e))? else { break };
            let id: JobId = row.get(0).map_err(|e| self.err(e))?;
            recent.newest = recent.newest.max(Some(id));
            let prompt = row.get_ref(1).map_err(|e| self.err(e))?.as_str().unwrap_or_default();
            if seen.insert(hasher.hash_one(prompt)) {
                recent.prompts.push(prompt.to_string());
            }
        }
        Ok(recent)
    }

    /// SQLite's count of commits by other connections: it changes when another process writes.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn.query_row("PRAGMA data_version", [], |row| row.get(0)).map_err(|e| self.err(e))
    }

    /// Stars job `id`, or takes its star away.
    pub fn set_starred(&mut self, id: JobId, starred: bool) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE jobs SET starred = ?2 WHERE id = ?1", rusqlite::params![id, starred])
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::GenerateRequest;
    use crate::store::ImageRequest;

    fn request_json(model: &str, prompt: &str) -> Result<String, serde_json::Error> {
        serde_json::to_string(&ImageRequest::Generate(GenerateRequest::new(model, prompt)))
    }

    fn ids(store: &Store, words: &str) -> Vec<JobId> {
        let query = JobQuery { search: Some(words.into()), limit: 100, ..JobQuery::default() };
        store.page(&query).unwrap_or_default().iter().map(|j| j.id).collect()
    }

    /// Read-only (a folder this user cannot write), an older history is migrated in a copy in
    /// memory: it is listed and searched, and the file is left as it was.
    /// A short word is a word's start, found through the word index in every job; alone,
    /// with long words, or with words no index takes (read through the newest jobs only).
    #[test]
    fn short_words_are_word_starts_found_through_their_index() -> Result<(), Box<dyn std::error::Error>> {
        let mut store = Store::open_in_memory()?;
        for prompt in ["an Ox at noon", "a fox at noon", "oxen, 狐狸", "a dog", "a bird"] {
            let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", prompt));
            store.insert_job(&request, "demo", "u", None, &[], 1)?;
        }
        let found = |words: &str, within: Option<usize>| -> Result<Vec<JobId>, StoreError> {
            let query =
                JobQuery { search: Some(words.into()), limit: 10, short_words_within: within, ..JobQuery::default() };
            Ok(store.page(&query)?.iter().map(|j| j.id).collect())
        };
        assert_eq!(found("ox", Some(2))?, vec![3, 1], "word starts, every job, not the fox");
        assert_eq!(found("OX noon", None)?, vec![1], "with a long word");
        assert_eq!(found("no ox", None)?, vec![1], "two short words");
        assert_eq!(found("ox 狐狸", None)?, vec![3], "with a word no index takes");
        assert_eq!(found("狐狸", Some(2))?, Vec::<JobId>::new(), "alone, only the newest 2 are read");
        assert_eq!(found("狐狸", None)?, vec![3]);
        assert_eq!(found("g", None)?, vec![5, 4, 3, 2, 1], "the model, gpt-image-1, starts with g");
        assert_eq!(found("og", None)?, Vec::<JobId>::new(), "dog's og is inside a word");
        Ok(())
    }

    #[test]
    fn an_older_history_opened_read_only_is_listed_and_left_unchanged() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(crate::store::DB_FILE);
        let conn = rusqlite::Connection::open(&path)?;
        for sql in &super::super::schema::MIGRATIONS[..5] {
            conn.execute_batch(sql)?;
        }
        conn.pragma_update(None, "user_version", 5)?;
        conn.execute(
            "INSERT INTO jobs (created_at, kind, status, model, prompt, request, provider, base_url)
             VALUES (1, 'generate', 'done', 'gpt-image-1', 'a lighthouse', ?1, 'demo', 'u')",
            [request_json("gpt-image-1", "a lighthouse")?],
        )?;
        drop(conn);
        let before = std::fs::read(&path)?;
        let store = Store::open_read_only(dir.path())?;
        let all = store.page(&JobQuery { limit: 10, ..JobQuery::default() })?;
        assert_eq!(all.iter().map(|j| j.prompt.as_str()).collect::<Vec<_>>(), ["a lighthouse"]);
        assert_eq!(ids(&store, "lighthouse"), vec![1], "searched through the index built in memory");
        assert!(store.job(1)?.is_some());
        drop(store);
        assert_eq!(std::fs::read(&path)?, before, "the file itself is not migrated");
        Ok(())
    }

    /// A history written by the previous version (schema 5) is indexed when it is opened: old
    /// rows are found by prompt, revised prompt and model, and the index keeps in step after.
    #[test]
    fn a_history_of_the_previous_version_is_searchable_once_opened() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let conn = rusqlite::Connection::open(dir.path().join(crate::store::DB_FILE))?;
        for sql in &super::super::schema::MIGRATIONS[..5] {
            conn.execute_batch(sql)?;
        }
        conn.pragma_update(None, "user_version", 5)?;
        let rows = [
            ("a lighthouse at dusk", None, "gpt-image-1"),
            ("a harbour", Some("a quiet HARBOUR with a lighthouse"), "gpt-image-2"),
            ("лиса в снегу", None, "dall-e-3"),
            ("狐狸在雪地里", None, "gpt-image-1"),
        ];
        for (i, (prompt, revised, model)) in rows.iter().enumerate() {
            conn.execute(
                "INSERT INTO jobs (created_at, kind, status, model, prompt, request, provider, base_url, revised_prompt)
                 VALUES (?1, 'generate', 'done', ?2, ?3, ?4, 'demo', 'u', ?5)",
                rusqlite::params![i as i64, model, prompt, request_json(model, prompt)?, revised],
            )?;
        }
        drop(conn);
        let mut store = Store::open(dir.path())?;
        assert_eq!(ids(&store, "lighthouse"), vec![2, 1], "prompt and revised prompt");
        assert_eq!(ids(&store, "ghthou"), vec![2, 1], "a substring");
        assert_eq!(ids(&store, "Lighthouse quiet"), vec![2], "every word");
        assert_eq!(ids(&store, "image-2"), vec![2], "the model");
        assert_eq!(ids(&store, "ЛИСА"), vec![3], "other scripts, case folded");
        assert_eq!(ids(&store, "狐狸"), vec![4], "two characters: no trigram, still found");
        assert_eq!(ids(&store, "a \"x"), Vec::<JobId>::new(), "quotes are text, not syntax");
        // Kept in step: a new job, a deleted one.
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "a lighthouse in rain"));
        let new = store.insert_job(&request, "demo", "u", None, &[], 10)?;
        store.delete_job(1)?;
        assert_eq!(ids(&store, "lighthouse"), vec![new, 2]);
        // Paged a row at a time, the cursor walks every match once.
        let (mut seen, mut before) = (Vec::new(), None);
        while let Some(row) =
            store.page(&JobQuery { search: Some("ighthous".into()), before, limit: 1, ..JobQuery::default() })?.first()
        {
            seen.push(row.id);
            before = Some((row.created_at, row.id));
        }
        assert_eq!(seen, vec![new, 2]);
        Ok(())
    }
}
