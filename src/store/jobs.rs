//! Reading and writing jobs. Every statement binds its values; none is built from user text.

use rusqlite::{OptionalExtension, Row, params};

use super::image_rows::{ImageTable, insert_image_rows, insert_rows};
use super::model::{ImageRecord, ImageRequest, InputRecord, JobId, JobKind, JobRecord, JobStatus, JobSummary};
use super::{Store, StoreError};
use crate::api::response::Usage;

/// Tokens used on one local calendar day (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TokensPerDay {
    pub day: String,
    pub jobs: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub total_tokens: u64,
}

/// What a finished request leaves in the history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DoneOutcome {
    pub retries: u32,
    pub usage: Option<Usage>,
    pub revised_prompt: Option<String>,
    pub response_meta: Option<serde_json::Value>,
    pub images: Vec<ImageRecord>,
    /// The API's own images beside results imgtui changed (kept outside the mask).
    pub raw_images: Vec<ImageRecord>,
    /// Images of the answer that were lost (bad data, failed downloads), with reasons.
    pub lost: Vec<String>,
    /// What it cost, when a price is known.
    pub cost: Option<crate::cost::JobCost>,
}

fn enum_from_sql<T: serde::de::DeserializeOwned>(text: String) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.clone())).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("{text}: {e}").into())
    })
}

fn json_from_sql<T: serde::de::DeserializeOwned>(text: Option<String>) -> rusqlite::Result<Option<T>> {
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
    })
    .transpose()
}

pub(super) const SUMMARY_COLUMNS: &str = "j.id, j.created_at, j.finished_at, j.kind, j.status, j.model, j.prompt, \
     (SELECT count(*) FROM images i WHERE i.job_id = j.id), j.total_tokens, j.error, j.owner_pid, j.cost_usd, \
     j.cost_basis, j.starred, j.group_id, j.parent_id, j.owner_started, j.request, j.origin";

/// A number column as written, or none when it holds anything else (text a hand or another
/// program put there is no cost).
fn real(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<f64>> {
    Ok(row
        .get_ref(index)?
        .as_f64_or_null()
        .ok()
        .flatten()
        .or_else(|| row.get_ref(index).ok()?.as_i64().ok().map(|n| n as f64)))
}

/// A recorded cost: both its columns, or none; none too for a cost no job can have (a
/// server's poisoned numbers an imgtui stored before they were refused).
fn cost_from(usd: Option<f64>, basis: Option<String>) -> Option<crate::cost::JobCost> {
    let usd = usd.filter(|usd| (0.0..=crate::cost::compute::JOB_USD_MAX).contains(usd))?;
    Some(crate::cost::JobCost { usd, basis: basis? })
}

/// The request's settings as text ("quality" → "high"), for telling a group's jobs apart: its
/// plain values, without the kind, the model and the prompt (the row has those).
fn settings_of(request: Option<&str>) -> std::collections::BTreeMap<String, String> {
    let Some(serde_json::Value::Object(fields)) = request.and_then(|r| serde_json::from_str(r).ok()) else {
        return Default::default();
    };
    fields
        .into_iter()
        .filter(|(name, _)| !matches!(name.as_str(), "kind" | "model" | "prompt"))
        .filter_map(|(name, value)| match value {
            serde_json::Value::String(text) => Some((name, text)),
            serde_json::Value::Number(n) => Some((name, n.to_string())),
            serde_json::Value::Bool(b) => Some((name, b.to_string())),
            _ => None,
        })
        .collect()
}

pub(super) fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<JobSummary> {
    Ok(JobSummary {
        id: row.get(0)?,
        created_at: row.get(1)?,
        finished_at: row.get(2)?,
        kind: enum_from_sql(row.get(3)?)?,
        status: enum_from_sql(row.get(4)?)?,
        model: row.get(5)?,
        prompt: row.get(6)?,
        image_count: row.get(7)?,
        total_tokens: row
            .get::<_, Option<i64>>(8)?
            .filter(|t| (0..=super::spend::TOKENS_MAX).contains(t))
            .map(|t| t as u64),
        error: row.get(9)?,
        running_elsewhere: None,
        cost: cost_from(real(row, 11)?, row.get(12).ok().flatten()),
        starred: row.get(13)?,
        group_id: row.get(14)?,
        parent_id: row.get(15)?,
        settings: settings_of(row.get::<_, Option<String>>(17)?.as_deref()),
        origin: row.get(18)?,
    })
    .map(|mut summary| {
        let owner = super::owners::owner_of(row.get(10).ok().flatten(), row.get(16).ok().flatten());
        summary.running_elsewhere = super::owners::running_elsewhere(summary.status, owner);
        summary
    })
}

impl Store {
    pub fn mark_running(&mut self, id: JobId, now: i64) -> Result<(), StoreError> {
        self.update(id, "UPDATE jobs SET status = 'running', started_at = ?2 WHERE id = ?1", params![id, now])
    }

    /// Marks the job done with its images, in one transaction. The image files must already
    /// be on disk: a `done` job always has its files.
    pub fn finish_done(&mut self, id: JobId, outcome: &DoneOutcome, now: i64) -> Result<(), StoreError> {
        let usage_json = outcome.usage.as_ref().and_then(|u| serde_json::to_string(u).ok());
        let meta_json = outcome.response_meta.as_ref().map(|m| m.to_string());
        let error = (!outcome.lost.is_empty()).then(|| format!("lost: {}", outcome.lost.join("; ")));
        let path = self.path.clone();
        let err = |e: rusqlite::Error| super::db_error(&path, &e);
        let tx = self.conn.transaction().map_err(err)?;
        insert_image_rows(&tx, id, &outcome.images).map_err(err)?;
        insert_rows(&tx, ImageTable::Raw, id, &outcome.raw_images).map_err(err)?;
        tx.execute("DELETE FROM pending_images WHERE job_id = ?1", params![id]).map_err(err)?;
        let changed = tx
            .execute(
                "UPDATE jobs SET status = ?11, finished_at = ?2, retries = ?3, usage = ?4,
                   input_tokens = ?5, output_tokens = ?6, total_tokens = ?7,
                   revised_prompt = ?8, response_meta = ?9, error = ?10,
                   cost_basis = CASE WHEN ?12 IS NULL AND estimate_usd IS NOT NULL THEN 'estimate' ELSE ?13 END,
                   cost_usd = coalesce(?12, estimate_usd)
                 WHERE id = ?1",
                params![
                    id,
                    now,
                    outcome.retries,
                    usage_json,
                    // A count past SQLite's integers is unknown, never a wrapped negative.
                    outcome.usage.as_ref().and_then(|u| i64::try_from(u.input_tokens).ok()),
                    outcome.usage.as_ref().and_then(|u| i64::try_from(u.output_tokens).ok()),
                    outcome.usage.as_ref().and_then(|u| i64::try_from(u.total_tokens).ok()),
                    outcome.revised_prompt,
                    meta_json,
                    error,
                    // Received but not one image kept: not done (a later save makes it done).
                    if outcome.images.is_empty() { JobStatus::Failed.as_str() } else { JobStatus::Done.as_str() },
                    outcome.cost.as_ref().map(|c| c.usd),
                    outcome.cost.as_ref().map(|c| c.basis.clone()),
                ],
            )
            .map_err(err)?;
        if changed == 0 {
            return Err(StoreError::NoSuchJob(id));
        }
        tx.commit().map_err(err)
    }

    /// Adds images written after the job was finished (they waited in memory).
    pub fn add_images(&mut self, id: JobId, images: &[ImageRecord]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| super::db_error(&path, &e);
        let tx = self.conn.transaction().map_err(err)?;
        insert_image_rows(&tx, id, images).map_err(err)?;
        if !images.is_empty() {
            tx.execute("UPDATE jobs SET status = 'done' WHERE id = ?1 AND status = 'failed'", params![id])
                .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Marks the job failed (or cancelled), keeping the message and HTTP status.
    pub fn finish_failed(
        &mut self,
        id: JobId,
        status: JobStatus,
        error: &str,
        http_status: Option<u16>,
        retries: u32,
        now: i64,
    ) -> Result<(), StoreError> {
        self.update(
            id,
            "UPDATE jobs SET status = ?2, error = ?3, http_status = ?4, retries = ?5, finished_at = ?6 WHERE id = ?1",
            params![id, status.as_str(), error, http_status, retries, now],
        )
    }

    fn update(&mut self, id: JobId, sql: &str, values: impl rusqlite::Params) -> Result<(), StoreError> {
        match self.conn.execute(sql, values).map_err(|e| self.err(e))? {
            0 => Err(StoreError::NoSuchJob(id)),
            _ => Ok(()),
        }
    }

    /// What an answer whose images were all lost reported: its tokens and their cost.
    pub fn record_answer_cost(
        &mut self,
        id: JobId,
        usage: Option<&crate::api::response::Usage>,
        cost: Option<&crate::cost::JobCost>,
    ) -> Result<(), StoreError> {
        let usage_json = usage.and_then(|u| serde_json::to_string(u).ok());
        self.conn
            .execute(
                "UPDATE jobs SET usage = ?2, input_tokens = ?3, output_tokens = ?4, total_tokens = ?5,
                   cost_usd = ?6, cost_basis = ?7
                 WHERE id = ?1",
                params![
                    id,
                    usage_json,
                    usage.and_then(|u| i64::try_from(u.input_tokens).ok()),
                    usage.and_then(|u| i64::try_from(u.output_tokens).ok()),
                    usage.and_then(|u| i64::try_from(u.total_tokens).ok()),
                    cost.map(|c| c.usd),
                    cost.map(|c| c.basis.clone())
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// A job that ended without a bill anyone saw, though the request was sent (a timeout, an
    /// answer that broke off, a cancel in flight): the server may have made and billed it, so
    /// it counts against the budgets at its estimate, said as such.
    pub fn count_at_estimate(&mut self, id: JobId) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE jobs SET cost_usd = estimate_usd, cost_basis = 'estimate'
                 WHERE id = ?1 AND cost_usd IS NULL AND estimate_usd IS NOT NULL AND started_at IS NOT NULL",
                params![id],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Deletes a job and returns its image paths, for the caller to delete the files.
    pub fn delete_job(&mut self, id: JobId) -> Result<Vec<std::path::PathBuf>, StoreError> {
        let record = self.job(id)?.ok_or(StoreError::NoSuchJob(id))?;
        let owner = self
            .conn
            .query_row("SELECT owner_pid, owner_started FROM jobs WHERE id = ?1", params![id], |row| {
                Ok(super::owners::owner_of(row.get(0)?, row.get(1)?))
            })
            .map_err(|e| self.err(e))?;
        if let Some(pid) = super::owners::running_elsewhere(record.status, owner) {
            return Err(StoreError::RunningElsewhere { id, pid });
        }
        let tx = self.conn.transaction().map_err(|e| super::db_error(&self.path, &e))?;
        // What it cost stays spent: the budgets still count it.
        tx.execute(
            "INSERT INTO deleted_spend (created_at, usd)
             SELECT created_at, cost_usd FROM jobs WHERE id = ?1 AND cost_usd IS NOT NULL",
            params![id],
        )
        .map_err(|e| super::db_error(&self.path, &e))?;
        // Its edits hang from its own parent now: the tree keeps its shape without it.
        tx.execute("UPDATE jobs SET parent_id = ?2 WHERE parent_id = ?1", params![id, record.parent_id])
            .map_err(|e| super::db_error(&self.path, &e))?;
        tx.execute("DELETE FROM jobs WHERE id = ?1", params![id]).map_err(|e| super::db_error(&self.path, &e))?;
        // An image another job sent as its input stays: that job's re-run needs it.
        let mut files = Vec::new();
        for path in record.images.into_iter().chain(record.raw_images).map(|i| i.path) {
            let used: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM job_inputs WHERE path = ?1)",
                    params![path.to_string_lossy()],
                    |row| row.get(0),
                )
                .map_err(|e| super::db_error(&self.path, &e))?;
            if !used {
                files.push(path);
            }
        }
        tx.commit().map_err(|e| super::db_error(&self.path, &e))?;
        Ok(files)
    }

    /// Everything about one job.
    pub fn job(&self, id: JobId) -> Result<Option<JobRecord>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, created_at, started_at, finished_at, kind, status, request, provider, base_url,
                        error, http_status, retries, usage, revised_prompt, response_meta, parent_id,
                        cost_usd, cost_basis, starred, group_id, origin
                 FROM jobs WHERE id = ?1",
                params![id],
                |row| {
                    Ok(JobRecord {
                        id: row.get(0)?,
                        created_at: row.get(1)?,
                        started_at: row.get(2)?,
                        finished_at: row.get(3)?,
                        kind: enum_from_sql::<JobKind>(row.get(4)?)?,
                        status: enum_from_sql::<JobStatus>(row.get(5)?)?,
                        request: json_from_sql::<ImageRequest>(row.get(6)?)?.ok_or(rusqlite::Error::InvalidQuery)?,
                        provider: row.get(7)?,
                        base_url: row.get(8)?,
                        error: row.get(9)?,
                        http_status: row.get(10)?,
                        retries: row.get(11)?,
                        usage: json_from_sql(row.get(12)?)?,
                        revised_prompt: row.get(13)?,
                        response_meta: json_from_sql(row.get(14)?)?,
                        parent_id: row.get(15)?,
                        cost: cost_from(real(row, 16)?, row.get(17).ok().flatten()),
                        starred: row.get(18)?,
                        group_id: row.get(19)?,
                        origin: row.get(20)?,
                        inputs: Vec::new(),
                        images: Vec::new(),
                        raw_images: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(mut record) = row else { return Ok(None) };
        record.inputs = self.inputs_of(id)?;
        record.images = self.images_of(id)?;
        record.raw_images = self.rows_of(ImageTable::Raw, id)?;
        Ok(Some(record))
    }

    fn inputs_of(&self, id: JobId) -> Result<Vec<InputRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT role, path, sha256 FROM job_inputs WHERE job_id = ?1 ORDER BY position")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![id], |row| {
                Ok(InputRecord { role: row.get(0)?, path: row.get::<_, String>(1)?.into(), sha256: row.get(2)? })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }

    /// How many jobs there are, by status.
    #[cfg(any(test, feature = "internals"))]
    pub fn count(&self, status: Option<JobStatus>) -> Result<u64, StoreError> {
        let count: i64 = match status {
            Some(s) => {
                self.conn.query_row("SELECT count(*) FROM jobs WHERE status = ?1", params![s.as_str()], |r| r.get(0))
            }
            None => self.conn.query_row("SELECT count(*) FROM jobs", [], |r| r.get(0)),
        }
        .map_err(|e| self.err(e))?;
        Ok(count.max(0) as u64)
    }

    /// Token totals per local calendar day, newest day first, for the last `days` days that had
    /// jobs (the days `history cost` and the budgets count).
    pub fn tokens_per_day(&self, days: usize) -> Result<Vec<TokensPerDay>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                // total() adds as floats: a sum past 2^63 saturates instead of failing.
                "SELECT date(created_at / 1000, 'unixepoch', 'localtime') AS day, count(*),
                        total(input_tokens), total(output_tokens), total(total_tokens)
                 FROM jobs WHERE total_tokens BETWEEN 0 AND ?2
                 GROUP BY day ORDER BY day DESC LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![days as i64, super::spend::TOKENS_MAX], |row| {
                Ok(TokensPerDay {
                    day: row.get(0)?,
                    jobs: row.get::<_, i64>(1)?.max(0) as u64,
                    input_tokens: row.get::<_, f64>(2)?.max(0.0) as u64,
                    output_tokens: row.get::<_, f64>(3)?.max(0.0) as u64,
                    total_tokens: row.get::<_, f64>(4)?.max(0.0) as u64,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }
}
