//! A page of the history: newest first, by status, by search words.

use super::jobs::{SUMMARY_COLUMNS, summary_from_row};
use super::model::{JobId, JobStatus, JobSummary};
use super::{Store, StoreError};

/// A page of the history, newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobQuery {
    /// Words that must all appear in the prompt (or revised prompt), case-insensitively.
    pub search: Option<String>,
    pub status: Option<JobStatus>,
    /// Rows strictly older than this `(created_at, id)`: the last row of the previous page.
    pub before: Option<(i64, JobId)>,
    pub limit: usize,
}

fn like_pattern(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    /// A page of job summaries, newest first, filtered by status and search words.
    pub fn page(&self, query: &JobQuery) -> Result<Vec<JobSummary>, StoreError> {
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM jobs j WHERE 1 = 1");
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(status) = query.status {
            values.push(status.as_str().to_string().into());
            sql.push_str(&format!(" AND j.status = ?{}", values.len()));
        }
        if let Some((created_at, id)) = query.before {
            values.push(created_at.into());
            values.push(id.into());
            let (a, b) = (values.len() - 1, values.len());
            sql.push_str(&format!(" AND (j.created_at < ?{a} OR (j.created_at = ?{a} AND j.id < ?{b}))"));
        }
        for word in query.search.as_deref().unwrap_or_default().split_whitespace() {
            values.push(like_pattern(word).into());
            let n = values.len();
            sql.push_str(&format!(
                " AND (j.prompt LIKE ?{n} ESCAPE '\\' OR coalesce(j.revised_prompt, '') LIKE ?{n} ESCAPE '\\')"
            ));
        }
        values.push((query.limit.clamp(1, 10_000) as i64).into());
        sql.push_str(&format!(" ORDER BY j.created_at DESC, j.id DESC LIMIT ?{}", values.len()));
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), summary_from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }
}
