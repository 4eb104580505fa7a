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
        let owned = path.to_path_buf();
        let read =
            tokio::task::spawn_blocking(move || crate::files::read_regular(&owned, crate::files::IMAGE_FILE_MAX));
        let bytes = read
            .await
            .map_err(|e| ApiError::Input(format!("cannot read {}: {e}", path.display())))?
            .map_err(|e| ApiError::Input(format!("cannot read {}: {e}", path.display())))?;
        let format = ImageFormat::sniff(&bytes);
        let name = part_name(path, format);
        files.push(UploadFile {
            name,
            mime: format.map_or("application/octet-stream", ImageFormat::mime),
            bytes: bytes.into(),
        });
    }
    Ok(files)
}

/// The part's filename: a label for the server, not the path. A name with quotes, newlines or
/// other bytes a multipart header cannot carry becomes `image-N.ext`-like plain text.
fn part_name(path: &Path, format: Option<ImageFormat>) -> String {
    let ext = format.map_or("bin", ImageFormat::extension);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let safe = !name.is_empty()
        && name.len() <= 200
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '+' | ','));
    if safe { name.to_string() } else { format!("image.{ext}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_are_labels_a_header_can_carry() {
        let png = Some(ImageFormat::Png);
        assert_eq!(part_name(Path::new("/x/red fox.png"), png), "red fox.png");
        assert_eq!(part_name(Path::new("/x/a\nb.png"), png), "image.png");
        assert_eq!(part_name(Path::new("/x/say \"hi\".png"), png), "image.png");
        assert_eq!(part_name(Path::new("/x/日本.webp"), Some(ImageFormat::Webp)), "image.webp");
    }
}
