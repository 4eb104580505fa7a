//! The rows of the two image tables: a job's results, and the API's own images kept beside
//! results imgtui changed (the original put back outside the mask).

use rusqlite::params;

use super::{ImageRecord, JobId, Store, StoreError};
use crate::api::ImageFormat;

/// One row per image file of job `id`; a row for the same position is replaced.
pub(super) fn insert_image_rows(
    tx: &rusqlite::Transaction<'_>,
    id: JobId,
    images: &[ImageRecord],
) -> rusqlite::Result<()> {
    insert_rows(tx, ImageTable::Results, id, images)
}

/// The two tables of image files: results, and the API's own images kept beside changed ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ImageTable {
    Results,
    Raw,
}

impl ImageTable {
    fn name(self) -> &'static str {
        match self {
            Self::Results => "images",
            Self::Raw => "raw_images",
        }
    }
}

pub(super) fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    table: ImageTable,
    id: JobId,
    images: &[ImageRecord],
) -> rusqlite::Result<()> {
    for image in images {
        tx.execute(
            &format!(
                "INSERT OR REPLACE INTO {} (job_id, idx, path, format, width, height, bytes, sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                table.name()
            ),
            params![
                id,
                image.index,
                image.path.to_string_lossy(),
                image.format_name(),
                image.width,
                image.height,
                image.bytes as i64,
                image.sha256
            ],
        )?;
    }
    Ok(())
}

impl Store {
    pub fn images_of(&self, id: JobId) -> Result<Vec<ImageRecord>, StoreError> {
        self.rows_of(ImageTable::Results, id)
    }

    pub(super) fn rows_of(&self, table: ImageTable, id: JobId) -> Result<Vec<ImageRecord>, StoreError> {
        let sql = format!(
            "SELECT idx, path, format, width, height, bytes, sha256 FROM {} WHERE job_id = ?1 ORDER BY idx",
            table.name()
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![id], |row| {
                Ok(ImageRecord {
                    index: row.get(0)?,
                    path: row.get::<_, String>(1)?.into(),
                    format: ImageFormat::from_api_name(&row.get::<_, String>(2)?),
                    width: row.get(3)?,
                    height: row.get(4)?,
                    bytes: row.get::<_, i64>(5)?.max(0) as u64,
                    sha256: row.get(6)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }
}
