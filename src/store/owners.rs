//! Which process a job belongs to: jobs a dead imgtui left unfinished, this process's own when
//! it is stopped, and jobs another live imgtui runs (only it may change them).

use rusqlite::params;

use super::model::{JobId, JobStatus};
use super::{Store, StoreError};

/// The pid of another live imgtui running a job of `status` owned by `owner`.
pub(super) fn running_elsewhere(status: JobStatus, owner: Option<u32>) -> Option<u32> {
    let unfinished = matches!(status, JobStatus::Queued | JobStatus::Running);
    owner.filter(|pid| unfinished && *pid != std::process::id() && super::images::process_alive(*pid))
}

impl Store {
    /// Jobs that a dead process left queued or running become `interrupted`. Jobs of a live
    /// imgtui (another terminal may run one) are left alone. Returns how many changed.
    pub fn mark_interrupted(&mut self, now: i64) -> Result<usize, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, owner_pid FROM jobs WHERE status IN ('queued', 'running')")
            .map_err(|e| super::db_error(&self.path, &e))?;
        let orphans: Vec<JobId> = stmt
            .query_map([], |row| Ok((row.get::<_, JobId>(0)?, row.get::<_, Option<u32>>(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| super::db_error(&self.path, &e))?
            .into_iter()
            .filter(|(_, pid)| !pid.is_some_and(super::images::process_alive))
            .map(|(id, _)| id)
            .collect();
        drop(stmt);
        for id in &orphans {
            self.conn
                .execute(
                    "UPDATE jobs SET status = 'interrupted', finished_at = ?2,
                       error = coalesce(error, 'imgtui stopped before the job finished; re-run it to try again')
                     WHERE id = ?1",
                    params![id, now],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(orphans.len())
    }

    /// This process's own unfinished jobs become `interrupted` (it was stopped by a signal).
    pub fn mark_own_interrupted(&mut self, pid: u32, now: i64) -> Result<usize, StoreError> {
        self.conn
            .execute(
                "UPDATE jobs SET status = 'interrupted', finished_at = ?2,
                   error = coalesce(error, 'imgtui was stopped before the job finished; re-run it to try again')
                 WHERE owner_pid = ?1 AND status IN ('queued', 'running')",
                params![pid, now],
            )
            .map_err(|e| self.err(e))
    }
}
