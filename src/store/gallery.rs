//! What the gallery needs of many jobs at once: each one's first image file.

use std::path::PathBuf;

use rusqlite::params_from_iter;

use super::model::JobId;
use super::{Store, StoreError};

impl Store {
    /// The first image file of each of `ids` that has one, with its SHA-256 (one query for a
    /// gallery page).
    pub fn first_images(&self, ids: &[JobId]) -> Result<Vec<(JobId, PathBuf, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT job_id, path, sha256 FROM images WHERE job_id IN ({marks}) \
             AND idx = (SELECT min(idx) FROM images i WHERE i.job_id = images.job_id)"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(ids.iter()), |row| {
                Ok((row.get(0)?, PathBuf::from(row.get::<_, String>(1)?), row.get(2)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}
