//! The edit tree a job belongs to: up its parents to the root, then every job below it.

use super::jobs::{SUMMARY_COLUMNS, summary_from_row};
use super::model::{JobId, JobSummary};
use super::{Store, StoreError};

impl Store {
    /// Every job of the tree `id` belongs to (its root and all that descends from it), by id;
    /// empty when `id` is not in the history.
    pub fn tree_of(&self, id: JobId) -> Result<Vec<JobSummary>, StoreError> {
        // UNION, not UNION ALL: a damaged history with a cycle ends instead of looping.
        let sql = format!(
            "WITH RECURSIVE
               up(id, parent_id) AS (
                 SELECT id, parent_id FROM jobs WHERE id = ?1
                 UNION SELECT j.id, j.parent_id FROM jobs j JOIN up ON j.id = up.parent_id),
               root(id) AS (SELECT id FROM up WHERE parent_id IS NULL OR parent_id NOT IN (SELECT id FROM jobs)
                            ORDER BY id LIMIT 1),
               down(id) AS (
                 SELECT id FROM root
                 UNION SELECT j.id FROM jobs j JOIN down ON j.parent_id = down.id)
             SELECT {SUMMARY_COLUMNS} FROM jobs j WHERE j.id IN (SELECT id FROM down) ORDER BY j.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map([id], summary_from_row).and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }
}
