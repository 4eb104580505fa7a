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

/// A job of a group, for the viewer's side-by-side view.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupMember {
    pub id: JobId,
    /// Its first image, when it has one.
    pub image: Option<std::path::PathBuf>,
    pub request: super::ImageRequest,
}

impl GroupMember {
    /// "#12 gpt-image-1 low 1024x1024 · a red fox": what tells the members apart.
    pub fn caption(&self) -> String {
        let o = self.request.options();
        let settings: Vec<&str> = [o.quality.as_deref(), o.size.as_deref()].into_iter().flatten().collect();
        format!("#{} {} {} · {}", self.id, self.request.model(), settings.join(" "), self.request.prompt())
    }
}

impl Store {
    /// The jobs of group `id`, by id, each with its first image.
    pub fn group_members(&self, id: JobId) -> Result<Vec<GroupMember>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT j.id, j.request,
                        (SELECT path FROM images i WHERE i.job_id = j.id ORDER BY idx LIMIT 1)
                 FROM jobs j WHERE j.group_id = ?1 ORDER BY j.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([id], |row| {
                let request: String = row.get(1)?;
                let request = serde_json::from_str(&request).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
                })?;
                let image: Option<String> = row.get(2)?;
                Ok(GroupMember { id: row.get(0)?, image: image.map(Into::into), request })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }
}
