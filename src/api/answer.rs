//! Reading a 2xx answer: a plain body decoded as it arrives, or server-sent events whose partial
//! images go to the watcher on the way.

use std::sync::Arc;

use super::body::{BodySplitter, SplitBody};
use super::client::{Progress, RequestControl};
use super::events::{EventReader, StreamedAnswer};

/// Why a 2xx answer's body could not be read.
pub(super) enum BodyError {
    Transport(reqwest::Error),
    /// A streamed answer that reported an error or ended without an image.
    Stream(String),
}

impl From<reqwest::Error> for BodyError {
    fn from(e: reqwest::Error) -> Self {
        Self::Transport(e)
    }
}

/// Reads a 2xx answer chunk by chunk: a plain one has its images decoded as they arrive; a
/// streamed one (server-sent events) hands its partial images to the watcher on the way.
pub(super) async fn read_answer(mut response: reqwest::Response, ctl: RequestControl) -> Result<SplitBody, BodyError> {
    let streamed = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().starts_with("text/event-stream"));
    if !streamed {
        let mut splitter = BodySplitter::default();
        while let Some(chunk) = response.chunk().await? {
            splitter.feed(&chunk);
        }
        tracing::debug!(bytes = splitter.received(), "answer read");
        return Ok(splitter.finish());
    }
    let (mut reader, mut answer) = (EventReader::default(), StreamedAnswer::default());
    let mut take = |data: Vec<u8>| -> Result<(), BodyError> {
        if let Some((index, image)) = answer.take(&data).map_err(BodyError::Stream)? {
            tracing::debug!(index, bytes = image.len(), "partial image");
            ctl.report(Progress::Partial { index, image: Arc::new(image) });
        }
        Ok(())
    };
    while let Some(chunk) = response.chunk().await? {
        for data in reader.feed(&chunk) {
            take(data)?;
        }
    }
    if let Some(data) = reader.finish() {
        take(data)?;
    }
    answer.finish().map_err(BodyError::Stream)
}
