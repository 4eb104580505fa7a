//! Input files of an edit, read once into memory so each retry can rebuild its multipart parts.

use std::path::Path;

use reqwest::multipart::Part;

use super::error::ApiError;
use super::image_facts::ImageFormat;

/// An input file read into memory once, so each retry can rebuild its multipart part.
pub(super) struct UploadFile {
    name: String,
    mime: &'static str,
    bytes: bytes::Bytes,
}

impl UploadFile {
    pub(super) fn part(&self) -> Part {
        let body = reqwest::Body::from(self.bytes.clone());
        let part = Part::stream_with_length(body, self.bytes.len() as u64).file_name(self.name.clone());
        // A static, well-formed MIME type cannot fail to parse; keep the part without it if so.
        match part.mime_str(self.mime) {
            Ok(part) => part,
            Err(_) => Part::bytes(self.bytes.to_vec()).file_name(self.name.clone()),
        }
    }
}

pub(super) async fn read_parts(paths: &[impl AsRef<Path>]) -> Result<Vec<UploadFile>, ApiError> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let path = path.as_ref();
        let bytes =
            tokio::fs::read(path).await.map_err(|e| ApiError::Input(format!("cannot read {}: {e}", path.display())))?;
        let format = ImageFormat::sniff(&bytes);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "image".into());
        files.push(UploadFile {
            name,
            mime: format.map_or("application/octet-stream", ImageFormat::mime),
            bytes: bytes.into(),
        });
    }
    Ok(files)
}
