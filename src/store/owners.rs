//! Which process a job belongs to: jobs a dead imgtui left unfinished, this process's own when
//! it is stopped, and jobs another live imgtui runs (only it may change them).

use rusqlite::params;

use super::model::{JobId, JobStatus};
use super::{Store, StoreError};
use crate::process::Owner;

/// The owner recorded in a row's `owner_pid` and `owner_started`.
pub(super) fn owner_of(pid: Option<u32>, started: Option<i64>) -> Option<Owner> {
    Some(Owner { pid: pid?, started: started.and_then(|s| u64::try_from(s).ok()) })
}

/// The pid of another live imgtui running a job of `status` owned by `owner`.
pub(super) fn running_elsewhere(status: JobStatus, owner: Option<Owner>) -> Option<u32> {
    let unfinished = matches!(status, JobStatus::Queued | JobStatus::Running);
    owner.filter(|o| unfinished && !o.is_this() && o.is_alive()).map(|o| o.pid)
}

/// An interrupted job whose request was sent may have been made and billed: it keeps counting
/// against the budgets at its estimate (its cost basis says so), as it did while it ran.
const SENT_COUNTS: &str =
    "cost_usd = CASE WHEN started_at IS NOT NULL THEN coalesce(cost_usd, estimate_usd) ELSE cost_usd END,
     cost_basis = CASE WHEN started_at IS NOT NULL AND cost_usd IS NULL AND estimate_usd IS NOT NULL
                       THEN 'estimate' ELSE cost_basis END";

impl Store {
    /// Jobs that a dead process left queued or running become `interrupted`. Jobs of a live
    /// imgtui (another terminal may run one) are left alone. Returns how many changed.
    pub fn mark_interrupted(&mut self, now: i64) -> Result<usize, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, owner_pid, owner_started FROM jobs WHERE status IN ('queued', 'running')")
            .map_err(|e| super::db_error(&self.path, &e))?;
        let orphans: Vec<JobId> = stmt
            .query_map([], |row| Ok((row.get::<_, JobId>(0)?, owner_of(row.get(1)?, row.get(2)?))))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| super::db_error(&self.path, &e))?
            .into_iter()
            .filter(|(_, owner)| !owner.is_some_and(|o| o.is_alive()))
            .map(|(id, _)| id)
            .collect();
        drop(stmt);
        for id in &orphans {
            self.conn
                .execute(
                    &format!(
                        "UPDATE jobs SET status = 'interrupted', finished_at = ?2, {SENT_COUNTS},
                           error = coalesce(error, CASE WHEN started_at IS NULL
                               THEN 'imgtui stopped before the job was sent; re-run it to try again'
                               ELSE 'imgtui stopped after the request was sent (it may be billed: counted at its estimate; \
an answer written but not recorded is in the images folder or imgtui-rescue in the temp folder); \
re-run it to try again' END)
                         WHERE id = ?1"
                    ),
                    params![id, now],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(orphans.len())
    }

    /// This process's own unfinished jobs become `interrupted` (it was stopped by a signal).
    pub fn mark_own_interrupted(&mut self, now: i64) -> Result<usize, StoreError> {
        let owner = Owner::this();
        self.conn
            .execute(
                &format!(
                    "UPDATE jobs SET status = 'interrupted', finished_at = ?2, {SENT_COUNTS},
                       error = coalesce(error, 'imgtui was stopped before the job finished; re-run it to try again')
                     WHERE owner_pid = ?1 AND status IN ('queued', 'running')
                       AND (owner_started IS NULL OR owner_started = ?3)"
                ),
                params![owner.pid, now, owner.started.and_then(|s| i64::try_from(s).ok())],
            )
            .map_err(|e| self.err(e))
    }
}
