//! A streamed answer (`stream: true`): server-sent events, read as they arrive. Partial images
//! go to the watcher at once; the completed images and the echoed fields become the same
//! `Decoded` answer a plain body gives, so the rest of the client does not care how it came.

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::body::Decoded;
use super::response::{ImageDatum, Usage};

/// Splits a byte stream into events; yields each event's `data` (its lines joined).
#[derive(Debug, Default)]
pub struct EventReader {
    /// The line being received.
    pending: Vec<u8>,
    /// The current event's data lines, joined.
    data: Vec<u8>,
}

impl EventReader {
    /// Linear in the bytes fed: each chunk is searched once, however long a line runs (a
    /// partial image's `data:` line is megabytes, arriving in many chunks).
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        let mut events = Vec::new();
        let mut rest = chunk;
        while let Some(at) = memchr::memchr(b'\n', rest) {
            self.pending.extend_from_slice(&rest[..at]);
            let line = std::mem::take(&mut self.pending);
            self.end_line(&line, &mut events);
            self.pending = line;
            self.pending.clear();
            rest = &rest[at + 1..];
        }
        self.pending.extend_from_slice(rest);
        events
    }

    fn end_line(&mut self, line: &[u8], events: &mut Vec<Vec<u8>>) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if !self.data.is_empty() {
                events.push(std::mem::take(&mut self.data));
            }
        } else if let Some(value) = line.strip_prefix(b"data:") {
            if !self.data.is_empty() {
                self.data.push(b'\n');
            }
            self.data.extend_from_slice(value.strip_prefix(b" ").unwrap_or(value));
        }
        // `event:`, `id:`, `retry:` and `:` comments: the data's own `type` says what it is.
    }

    /// An event the stream ended without a blank line after.
    pub fn finish(mut self) -> Option<Vec<u8>> {
        let last = self.feed(b"\n\n").pop();
        last.filter(|data| !data.is_empty())
    }
}

#[derive(Deserialize)]
struct StreamEvent {
    #[serde(rename = "type", default)]
    kind: String,
    b64_json: Option<String>,
    // Read leniently: a stamp or an index of the wrong type costs no image.
    #[serde(default)]
    partial_image_index: Value,
    #[serde(default)]
    created_at: Value,
    error: Option<Value>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// What the events have said so far: the answer a plain body would have been.
#[derive(Debug, Default)]
pub struct StreamedAnswer {
    answer: Decoded,
    /// Partial images taken so far, and the most taken (what was asked): a server that sends
    /// thousands is not decoded, written or shown past it.
    partials: u32,
    partials_max: u32,
}

impl StreamedAnswer {
    /// An answer of at most `partials_max` partial images.
    pub fn with_partials(partials_max: u32) -> Self {
        Self { partials_max, ..Self::default() }
    }

    /// Takes one event. A partial image comes back (its index and bytes) for the watcher; an
    /// error event ends the answer with its message.
    pub fn take(&mut self, data: &[u8]) -> Result<Option<(u32, Vec<u8>)>, String> {
        // As with a plain answer, a `usage` no reader takes costs no image (see salvage.rs).
        let event: StreamEvent = serde_json::from_slice(data)
            .or_else(|e| {
                let cleaned = super::salvage::without_usage(data).ok_or(e)?;
                serde_json::from_slice(&cleaned)
            })
            .map_err(|e| {
                let start = String::from_utf8_lossy(&data[..data.len().min(120)]).into_owned();
                format!("an event is not JSON ({e}): {start}")
            })?;
        if let Some(error) = event.error.filter(|e| !e.is_null()) {
            let message =
                error.get("message").and_then(Value::as_str).map_or_else(|| error.to_string(), str::to_string);
            return Err(format!("the stream reported an error: {message}"));
        }
        if event.kind == "error" {
            return Err(format!("the stream reported an error: {}", Value::Object(event.rest)));
        }
        let decode = |b64: Option<String>| {
            let b64 = b64.ok_or_else(|| "has no b64_json".to_string())?;
            base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|e| format!("is not valid base64 ({e})"))
        };
        if event.kind.ends_with(".partial_image") {
            if self.partials >= self.partials_max {
                return Ok(None);
            }
            self.partials += 1;
            // A broken partial is only a preview lost; the answer goes on.
            return Ok(decode(event.b64_json).ok().map(|bytes| {
                (event.partial_image_index.as_u64().and_then(|i| u32::try_from(i).ok()).unwrap_or(0), bytes)
            }));
        }
        if event.kind.ends_with(".completed") {
            let answer = &mut self.answer;
            answer.images.push(Some(decode(event.b64_json)));
            answer.response.data.push(ImageDatum::default());
            let response = &mut answer.response;
            response.created = event.created_at.as_i64().unwrap_or(response.created);
            // The fields the plain answer carries too; the last event's word wins.
            let text = |key: &str| event.rest.get(key).and_then(Value::as_str).map(str::to_string);
            response.size = text("size").or(response.size.take());
            response.quality = text("quality").or(response.quality.take());
            response.background = text("background").or(response.background.take());
            response.output_format = text("output_format").or(response.output_format.take());
            let usage = event.rest.get("usage").and_then(Usage::lenient);
            response.usage = usage.or(response.usage.take());
        }
        Ok(None)
    }

    /// The answer, as a plain one would have been.
    pub fn finish(self) -> Result<Decoded, String> {
        if self.answer.images.is_empty() {
            return Err("the stream ended before any image was completed".into());
        }
        Ok(self.answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A completed event whose usage no reader takes still gives its image, tokens unknown.
    #[test]
    fn a_completed_event_with_a_usage_past_any_reader_keeps_its_image() {
        for usage in ["{\"input_tokens\":NaN}", "{\"output_tokens\":1e400}", "\"\\ud800\""] {
            let mut answer = StreamedAnswer::with_partials(1);
            let event = format!("{{\"type\":\"image_generation.completed\",\"b64_json\":\"aGk=\",\"usage\":{usage}}}");
            assert_eq!(answer.take(event.as_bytes()), Ok(None), "{usage}");
            let done = answer.finish().unwrap_or_else(|e| panic!("{usage}: {e}"));
            assert_eq!((done.images.len(), done.response.usage.is_none()), (1, true), "{usage}");
        }
    }

    #[test]
    fn events_split_across_chunks_and_line_endings() {
        let stream = b"event: x\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n: comment\n\ndata: {\"b\":2}\n\ndata: {\"c\":3}";
        for size in [1, 2, 5, 100] {
            let mut reader = EventReader::default();
            let mut events: Vec<Vec<u8>> = stream.chunks(size).flat_map(|c| reader.feed(c)).collect();
            events.extend(reader.finish());
            let texts: Vec<String> = events.iter().map(|e| String::from_utf8_lossy(e).into_owned()).collect();
            assert_eq!(texts, ["{\"a\":\n1}", "{\"b\":2}", "{\"c\":3}"], "chunks of {size}");
        }
    }

    #[test]
    fn partials_go_out_and_completed_images_make_the_answer() {
        let mut answer = StreamedAnswer::with_partials(3);
        let partial = br#"{"type":"image_generation.partial_image","b64_json":"aGk=","partial_image_index":1}"#;
        assert_eq!(answer.take(partial).unwrap(), Some((1, b"hi".to_vec())));
        let done = br#"{"type":"image_generation.completed","b64_json":"aGk=","created_at":5,"size":"1024x1024","usage":{"total_tokens":9}}"#;
        assert_eq!(answer.take(done).unwrap(), None);
        let Decoded { response, images, .. } = answer.finish().unwrap();
        assert_eq!((response.created, response.size.as_deref()), (5, Some("1024x1024")));
        assert_eq!(response.usage.map(|u| u.total_tokens), Some(9));
        assert_eq!(images[0].as_ref().and_then(|i| i.as_deref().ok()), Some(&b"hi"[..]));
    }

    #[test]
    fn partials_past_what_was_asked_are_dropped_undecoded() {
        let mut answer = StreamedAnswer::with_partials(2);
        let partial = br#"{"type":"image_generation.partial_image","b64_json":"aGk=","partial_image_index":1}"#;
        let taken: Vec<_> = (0..100_000).filter_map(|_| answer.take(partial).unwrap()).collect();
        assert_eq!(taken.len(), 2, "two asked, two shown and written");
    }

    #[test]
    fn error_events_and_empty_streams_say_so() {
        let mut answer = StreamedAnswer::default();
        let err = answer.take(br#"{"type":"error","error":{"message":"moderation_blocked"}}"#).unwrap_err();
        assert!(err.contains("moderation_blocked"), "{err}");
        assert!(StreamedAnswer::default().finish().unwrap_err().contains("before any image"));
    }
}
