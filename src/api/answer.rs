//! Reading a 2xx answer: a plain body decoded as it arrives, or server-sent events whose partial
//! images go to the watcher on the way.

use std::sync::Arc;

use super::body::{BodySplitter, Decoded};
use super::client::{Progress, RequestControl};
use super::events::{EventReader, StreamedAnswer};

/// What one image can take as base64: a 3840x2160 RGBA PNG stored raw is 33 MB, 44 MB encoded.
pub(super) const IMAGE_BYTES_MAX: u64 = 64 * 1024 * 1024;
/// The most text (everything but image data) a 2xx answer may hold.
const TEXT_MAX: usize = 8 * 1024 * 1024;
/// How much of an error answer is read: its message is at the start.
pub(super) const ERROR_BODY_MAX: usize = 64 * 1024;

/// The most an answer of `n` images (and `partials` partial images each) can hold.
pub(super) fn answer_cap(n: u32, partials: u32) -> u64 {
    u64::from(n.max(1)) * u64::from(1 + partials) * IMAGE_BYTES_MAX + 1024 * 1024
}

/// The body, up to `cap` bytes; more is an error naming the cap.
pub(super) async fn read_capped(mut response: reqwest::Response, cap: u64, what: &str) -> Result<Vec<u8>, BodyError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > cap {
            return Err(BodyError::Stream(format!("{what} is over {} MB; it was not read further", cap >> 20)));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The first `ERROR_BODY_MAX` bytes of an error answer (an endless one is cut, not read on).
pub(super) async fn read_error_body(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_MAX {
        let Some(chunk) = response.chunk().await? else { break };
        body.extend_from_slice(&chunk[..chunk.len().min(ERROR_BODY_MAX - body.len())]);
    }
    Ok(body)
}

/// Why a 2xx answer's body could not be read.
pub(super) enum BodyError {
    Transport(reqwest::Error),
    /// An image answer that broke off with none of its images whole: made and billed, so
    /// never sent again.
    Broken {
        received: u64,
        message: String,
    },
    /// A streamed answer that reported an error or ended without an image.
    Stream(String),
    /// A whole answer that is not an Images answer.
    Answer(super::error::ApiError),
}

impl From<reqwest::Error> for BodyError {
    fn from(e: reqwest::Error) -> Self {
        Self::Transport(e)
    }
}

/// Reads a 2xx answer chunk by chunk: a plain one has its images decoded as they arrive; a
/// streamed one (server-sent events) hands its partial images to the watcher on the way.
pub(super) async fn read_answer(
    mut response: reqwest::Response,
    ctl: RequestControl,
    cap: u64,
    partials_max: u32,
) -> Result<Decoded, BodyError> {
    let over = || BodyError::Stream(format!("the answer is over {} MB, more than its images can take", cap >> 20));
    let mut received = 0u64;
    let streamed = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().starts_with("text/event-stream"));
    let status = response.status().as_u16();
    // The server has made the images once the answer starts: a break from here on is not a
    // dropped connection to retry but a paid answer to keep what can be kept of.
    let broken =
        |received: u64, e: reqwest::Error| BodyError::Broken { received, message: super::error::error_chain(&e) };
    if !streamed {
        let mut splitter = BodySplitter::default();
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => {
                    let images = splitter.salvage();
                    if images.is_empty() {
                        return Err(broken(received, e));
                    }
                    let note = format!(
                        "the answer broke off after {received} bytes ({}); the {} image(s) that had arrived whole \
                         were kept, and the request was not sent again (it was billed)",
                        super::error::error_chain(&e),
                        images.len()
                    );
                    return Ok(Decoded::of_images(images, note));
                }
            };
            received += chunk.len() as u64;
            if received > cap {
                return Err(over());
            }
            splitter.feed(&chunk);
            // The JSON around the images is small; a huge one (an endless revised prompt) is not
            // an Images answer, and it is held in memory.
            if splitter.text_len() > TEXT_MAX {
                return Err(BodyError::Stream(format!("the answer's text is over {} MB", TEXT_MAX >> 20)));
            }
        }
        tracing::debug!(bytes = splitter.received(), "answer read");
        return splitter.finish().decode(status).map_err(BodyError::Answer);
    }
    let (mut reader, mut answer) = (EventReader::default(), StreamedAnswer::with_partials(partials_max));
    let mut take = |data: Vec<u8>| -> Result<(), BodyError> {
        if let Some((index, image)) = answer.take(&data).map_err(BodyError::Stream)? {
            tracing::debug!(index, bytes = image.len(), "partial image");
            ctl.report(Progress::Partial { index, image: Arc::new(image) });
        }
        Ok(())
    };
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                let note = format!(
                    "the streamed answer broke off after {received} bytes ({}); what had arrived whole was \
                     kept, and the request was not sent again (it was billed)",
                    super::error::error_chain(&e)
                );
                return match answer.finish() {
                    Ok(mut decoded) => {
                        decoded.notes.push(note);
                        Ok(decoded)
                    }
                    Err(_) => Err(broken(received, e)),
                };
            }
        };
        received += chunk.len() as u64;
        if received > cap {
            return Err(over());
        }
        for data in reader.feed(&chunk) {
            take(data)?;
        }
    }
    if let Some(data) = reader.finish() {
        take(data)?;
    }
    answer.finish().map_err(BodyError::Stream)
}
