//! Images recorded before they are written: a write-ahead note per image (its temp path, size
//! and hash). A job that ends normally drops its notes; at the next start, a whole temp file
//! whose job was left unfinished by a killed imgtui is linked into place and recorded, instead
//! of being swept away with the paid image in it.

use std::path::PathBuf;

use rusqlite::params;

use super::images::{PendingImage, sha256_hex};
use super::model::{ImageRecord, JobId};
use super::{Store, StoreError};
use crate::api::ImageFormat;

impl Store {
    /// Notes `image` of job `id` before its bytes are written.
    pub fn note_pending(&mut self, id: JobId, image: &PendingImage) -> Result<(), StoreError> {
        let r = &image.record;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO pending_images
                   (job_id, idx, temp_path, dir, name, format, width, height, bytes, sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id,
                    r.index,
                    image.temp.to_string_lossy(),
                    image.dir.to_string_lossy(),
                    image.name,
                    r.format_name(),
                    r.width,
                    r.height,
                    r.bytes as i64,
                    r.sha256
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Recovers the whole temp images of interrupted jobs: each whose size and hash match its
    /// note is linked into place and recorded (the job becomes done); the notes are dropped.
    /// Returns how many images were recovered.
    pub fn recover_pending(&mut self) -> Result<usize, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT p.job_id, p.idx, p.temp_path, p.dir, p.name, p.format, p.width, p.height, p.bytes, p.sha256
                 FROM pending_images p JOIN jobs j ON j.id = p.job_id WHERE j.status = 'interrupted'",
            )
            .map_err(|e| self.err(e))?;
        let notes: Vec<(JobId, PendingImage)> = stmt
            .query_map([], |row| {
                let record = ImageRecord {
                    index: row.get(1)?,
                    path: PathBuf::new(),
                    format: ImageFormat::from_api_name(&row.get::<_, String>(5)?),
                    width: row.get(6)?,
                    height: row.get(7)?,
                    bytes: row.get::<_, i64>(8)?.max(0) as u64,
                    sha256: row.get(9)?,
                };
                let temp: String = row.get(2)?;
                let dir: String = row.get(3)?;
                Ok((row.get(0)?, PendingImage { temp: temp.into(), dir: dir.into(), name: row.get(4)?, record }))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        drop(stmt);
        let mut recovered = 0;
        for (id, note) in notes {
            let Some(record) = recover_one(&note) else { continue };
            let tx = self.conn.transaction().map_err(|e| super::db_error(&self.path, &e))?;
            super::image_rows::insert_image_rows(&tx, id, std::slice::from_ref(&record))
                .and_then(|()| {
                    tx.execute(
                        "UPDATE jobs SET status = 'done',
                           error = 'recovered at the next start: imgtui was stopped while writing it'
                         WHERE id = ?1",
                        params![id],
                    )
                })
                .and_then(|_| tx.commit())
                .map_err(|e| super::db_error(&self.path, &e))?;
            tracing::info!(job = id, path = %record.path.display(), "recovered an image a stopped imgtui had written");
            recovered += 1;
        }
        // Driven by the few notes, not the jobs: a million done jobs cost nothing at each start.
        self.conn
            .execute(
                "DELETE FROM pending_images WHERE EXISTS (SELECT 1 FROM jobs j
                   WHERE j.id = pending_images.job_id AND j.status NOT IN ('running', 'queued'))",
                [],
            )
            .map_err(|e| self.err(e))?;
        Ok(recovered)
    }
}

/// Links a whole temp image into place, or finds it in place already (written, but the history
/// could not record it: a full disk); `None` when it is gone, cut short or not the same.
fn recover_one(note: &PendingImage) -> Option<ImageRecord> {
    link_temp(note).or_else(|| {
        let placed = note.dir.join(&note.name);
        let bytes = crate::files::read_regular(&placed, note.record.bytes).ok()?;
        let whole = bytes.len() as u64 == note.record.bytes && sha256_hex(&bytes) == note.record.sha256;
        whole.then(|| ImageRecord { path: std::path::absolute(&placed).unwrap_or(placed), ..note.record.clone() })
    })
}

fn link_temp(note: &PendingImage) -> Option<ImageRecord> {
    let meta = std::fs::symlink_metadata(&note.temp).ok()?;
    if !meta.is_file() || meta.len() != note.record.bytes {
        return None;
    }
    let bytes = crate::files::read_regular(&note.temp, note.record.bytes).ok()?;
    if sha256_hex(&bytes) != note.record.sha256 {
        return None;
    }
    let path = crate::files::link_into_place(&note.temp, &note.dir, &note.name).ok()?;
    let _ = std::fs::remove_file(&note.temp);
    Some(ImageRecord { path: std::path::absolute(&path).unwrap_or(path), ..note.record.clone() })
}
