//! The answers of the Images API: the bare OpenAI body, TTAPI's `{status,message,data}`
//! envelope, and error bodies of either shape (or none: HTML from a proxy, an empty body).

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::error::ApiError;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImagesResponse {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub created: i64,
    #[serde(default)]
    pub data: Vec<ImageDatum>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_usage")]
    pub usage: Option<Usage>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageDatum {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b64_json: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_prompt: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub total_tokens: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens_details: Option<TokenDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_details: Option<TokenDetails>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenDetails {
    #[serde(default)]
    pub image_tokens: u64,
    #[serde(default)]
    pub text_tokens: u64,
}

/// More tokens than any one image can take (the formula's largest is about 24,000 and 2.6
/// spends up to 4x that): a count past this many per image is a server's mistake, and "unknown".
pub const TOKENS_PER_IMAGE_MAX: u64 = 200_000;

/// Fewer output tokens than the cheapest image takes (OpenAI's formula gives 50 or more): a
/// count below this many per image is a server's mistake, and "unknown", so an answer that
/// says an image was free neither prices it at nothing nor teaches the estimates so.
pub const OUTPUT_TOKENS_PER_IMAGE_MIN: u64 = 32;

impl Usage {
    /// `value` read leniently, for `usage` is advisory and the images are what was paid for: a
    /// count that is not a whole number from 0 up (null, negative, a fraction, text, past
    /// 2^53) makes the usage unknown; a breakdown with such a count is dropped alone.
    pub fn lenient(value: &Value) -> Option<Usage> {
        let object = value.as_object()?;
        let count = |name: &str| -> Option<u64> {
            match object.get(name) {
                None => Some(0),
                Some(v) => v.as_u64().filter(|n| *n <= MAX_COUNT),
            }
        };
        let details = |name: &str| -> Option<TokenDetails> {
            let inner = object.get(name)?.as_object()?;
            let count = |name: &str| match inner.get(name) {
                None => Some(0),
                Some(v) => v.as_u64().filter(|n| *n <= MAX_COUNT),
            };
            Some(TokenDetails { image_tokens: count("image_tokens")?, text_tokens: count("text_tokens")? })
        };
        let (input_tokens, output_tokens) = (count("input_tokens")?, count("output_tokens")?);
        // A total left out is the sum of the two.
        let total_tokens = match object.get("total_tokens") {
            None => input_tokens.saturating_add(output_tokens),
            Some(_) => count("total_tokens")?,
        };
        Some(Usage {
            input_tokens,
            output_tokens,
            total_tokens,
            input_tokens_details: details("input_tokens_details"),
            output_tokens_details: details("output_tokens_details"),
        })
    }

    /// Whether these counts can be true of an answer of `images` images.
    pub fn plausible_for(&self, images: usize) -> bool {
        let bound = TOKENS_PER_IMAGE_MAX.saturating_mul(images.max(1) as u64);
        if self.output_tokens < OUTPUT_TOKENS_PER_IMAGE_MIN.saturating_mul(images as u64) {
            return false;
        }
        let details = [&self.input_tokens_details, &self.output_tokens_details];
        [self.input_tokens, self.output_tokens, self.total_tokens].iter().all(|n| *n <= bound)
            && details.iter().flat_map(|d| d.iter()).all(|d| d.image_tokens <= bound && d.text_tokens <= bound)
    }
}

/// The largest count read at all: exact in a float and in SQLite's integers.
const MAX_COUNT: u64 = 1 << 53;

/// `usage` as `Usage::lenient` reads it: whatever it holds, the rest of the body stands.
fn lenient_usage<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Usage>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(Usage::lenient(&value))
}

/// A number read leniently: `created` is a stamp nobody bills by.
fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(value.as_i64().unwrap_or(0))
}

/// How many bytes of an unreadable body an error message quotes.
const QUOTE_CHARS: usize = 200;

/// Parses a 2xx body: the bare OpenAI shape or TTAPI's envelope.
pub fn parse_success(status: u16, body: &[u8]) -> Result<ImagesResponse, ApiError> {
    let invalid = |message: String| ApiError::InvalidResponse { status, message };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("the body is empty".into()));
    }
    // One pass over the body, straight into the image list: a 30 MB base64 answer is held
    // once as text and once as strings, never as a `Value` tree plus copies of it.
    // A `usage` no reader takes (or a repeated key) does not cost the paid images: read again
    // without it (see salvage.rs), and the tokens are unknown.
    let wire: Wire = serde_json::from_slice(body)
        .or_else(|e| {
            let cleaned = super::salvage::without_usage(body).ok_or(e)?;
            serde_json::from_slice(&cleaned)
        })
        .map_err(|e| invalid(format!("it is not JSON ({e}); it starts with: {}", quote(body))))?;
    let failed =
        |message: String| ApiError::Http { status, message, code: None, param: None, hint: None, retry_after: None };
    let response = match (wire.status.as_deref(), wire.data) {
        // TTAPI's envelope: {"status":"SUCCESS","message":"success","data":{…the OpenAI body…}}.
        (Some(s), Some(WireData::Envelope(inner))) if s.eq_ignore_ascii_case("success") => *inner,
        (Some(s), data) if !s.eq_ignore_ascii_case("success") && !matches!(data, Some(WireData::List(_))) => {
            let message = wire.message.filter(|m| !m.is_empty()).unwrap_or_else(|| format!("status {s}"));
            return Err(failed(message));
        }
        (_, Some(WireData::List(data))) => ImagesResponse {
            created: wire.created,
            data,
            background: wire.background,
            output_format: wire.output_format,
            size: wire.size,
            quality: wire.quality,
            usage: wire.usage,
        },
        (_, _) => match wire.error {
            Some(err) => {
                let (message, code, param) = openai_error_fields(&err);
                return Err(ApiError::Http { status, message, code, param, hint: None, retry_after: None });
            }
            None => return Err(invalid("it has no `data`".into())),
        },
    };
    if response.data.is_empty() {
        return Err(invalid("it holds no images (`data` is empty)".into()));
    }
    Ok(response)
}

/// Both shapes of a 2xx body at once; unknown fields are ignored.
#[derive(Deserialize)]
struct Wire {
    #[serde(default, deserialize_with = "lenient_i64")]
    created: i64,
    data: Option<WireData>,
    background: Option<String>,
    output_format: Option<String>,
    size: Option<String>,
    quality: Option<String>,
    #[serde(default, deserialize_with = "lenient_usage")]
    usage: Option<Usage>,
    status: Option<String>,
    message: Option<String>,
    error: Option<Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum WireData {
    List(Vec<ImageDatum>),
    Envelope(Box<ImagesResponse>),
}

fn openai_error_fields(err: &Value) -> (String, Option<String>, Option<String>) {
    let text = |key: &str| err.get(key).and_then(Value::as_str).map(str::to_string);
    let message = match err {
        Value::String(s) => s.clone(),
        _ => text("message").unwrap_or_else(|| err.to_string()),
    };
    (message, text("code"), text("param"))
}

/// Turns a non-2xx answer into an error carrying its status and a readable message.
pub fn parse_error(status: u16, body: &[u8], retry_after: Option<Duration>) -> ApiError {
    let (message, code, param) = match serde_json::from_slice::<Value>(body) {
        Ok(value) => {
            if let Some(err) = value.get("error") {
                openai_error_fields(err)
            } else if let Some(message) =
                ["message", "detail", "msg"].iter().find_map(|k| value.get(*k).and_then(Value::as_str))
            {
                (message.to_string(), None, None)
            } else {
                (format!("the body says: {}", quote(body)), None, None)
            }
        }
        Err(_) if body.iter().all(u8::is_ascii_whitespace) => ("the body is empty".to_string(), None, None),
        Err(_) => (format!("the body is not JSON; it starts with: {}", quote(body)), None, None),
    };
    ApiError::Http { status, message, code, param, hint: None, retry_after }
}

/// The first characters of a body, with HTML tags dropped and white space folded.
fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut in_tag = false;
    let mut last_space = true;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            _ if in_tag => {}
            c if c.is_whitespace() => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            c => {
                out.push(c);
                last_space = false;
            }
        }
        if out.chars().count() >= QUOTE_CHARS {
            out.push('…');
            break;
        }
    }
    format!("\"{}\"", out.trim())
}

/// The wait a 429/503 asks for: `retry-after-ms` (milliseconds) first, then `retry-after`
/// (whole seconds; the HTTP-date form is ignored and backoff applies).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return seconds(ms / 1000.0);
    }
    seconds(text("retry-after")?.parse::<f64>().ok()?)
}

/// A server's wait in seconds; one too large for a `Duration` (`1e30`) is `Duration::MAX`, which
/// is over any cap, so the retry falls back to backoff. Negative or not a number: no wait asked.
fn seconds(secs: f64) -> Option<Duration> {
    if secs.is_nan() || secs < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_retry_after_value_parses_without_panicking() {
        let wait = |name: &str, value: &str| {
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert(
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                reqwest::header::HeaderValue::from_str(value).unwrap(),
            );
            retry_after(&headers)
        };
        assert_eq!(wait("retry-after", "1e30"), Some(Duration::MAX));
        assert_eq!(wait("retry-after", "99999999999999999999"), Some(Duration::MAX));
        assert_eq!(wait("retry-after", "inf"), Some(Duration::MAX));
        assert!(wait("retry-after-ms", "1.8e22").unwrap() > Duration::from_secs(60), "over the cap");
        assert_eq!(wait("retry-after-ms", "1e30"), Some(Duration::MAX));
        assert_eq!(wait("retry-after-ms", "1500"), Some(Duration::from_millis(1500)));
        assert_eq!(wait("retry-after", "-3"), None);
        assert_eq!(wait("retry-after", "NaN"), None);
        assert_eq!(wait("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"), None);
        let policy = super::super::retry::RetryPolicy::default();
        assert!(policy.delay(0, Some(Duration::MAX)) <= Duration::from_millis(500), "over the cap: backoff");
    }

    #[test]
    fn bare_body_and_envelope_parse_alike() {
        let bare = br#"{"created":1,"data":[{"b64_json":"aGk="}],"usage":{"input_tokens":5,"output_tokens":7,"total_tokens":12,"input_tokens_details":{"image_tokens":0,"text_tokens":5}},"extra":true}"#;
        let r = parse_success(200, bare).unwrap();
        assert_eq!(r.usage.as_ref().unwrap().total_tokens, 12);
        let wrapped = format!(r#"{{"status":"SUCCESS","message":"success","data":{}}}"#, String::from_utf8_lossy(bare));
        assert_eq!(parse_success(200, wrapped.as_bytes()).unwrap(), r);
    }

    /// A `usage` no JSON reader takes, or a repeated key, does not cost the paid images.
    #[test]
    fn a_usage_past_any_reader_leaves_the_images_and_tokens_unknown() {
        let image = r#""data":[{"b64_json":"aGk="}]"#;
        for usage in [r#"{"output_tokens":1e400}"#, "NaN", r#"{"a":"\ud800"}"#, &"[".repeat(300)] {
            let usage = if usage.starts_with('[') { format!("{usage}{}", "]".repeat(300)) } else { usage.to_string() };
            let body = format!(r#"{{"created":1,{image},"usage":{usage}}}"#);
            let read = parse_success(200, body.as_bytes()).unwrap_or_else(|e| panic!("{usage}: {e}"));
            assert_eq!((read.data.len(), read.usage), (1, None), "{usage}");
        }
        // A key given twice, or a stamp no reader takes: the stamp goes, the image stays.
        for odd in [r#""created":1,"created":2"#, r#""created":NaN"#, r#""created":1e400"#] {
            let body = format!(r#"{{{odd},{image}}}"#);
            assert_eq!(parse_success(200, body.as_bytes()).map(|r| r.data.len()).ok(), Some(1), "{odd}");
        }
        // Counts no image can have: too many, or an image said to be free.
        let usage = |out: u64| Usage { output_tokens: out, total_tokens: out, ..Usage::default() };
        assert!(usage(4_000).plausible_for(1));
        assert!(!usage(0).plausible_for(1) && !usage(31).plausible_for(1));
        assert!(!usage(300_000).plausible_for(1) && usage(300_000).plausible_for(2));
    }

    #[test]
    fn failed_envelope_is_an_error_with_its_message() {
        let err = parse_success(200, br#"{"status":"FAILED","message":"insufficient balance"}"#).unwrap_err();
        assert!(err.to_string().contains("insufficient balance"), "{err}");
    }

    #[test]
    fn empty_and_html_bodies_are_readable() {
        assert!(parse_success(200, b"").unwrap_err().to_string().contains("empty"));
        let html = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
        let err = parse_error(502, html, None).to_string();
        assert!(err.contains("HTTP 502 Bad Gateway") && err.contains("\"502 Bad Gateway 502 Bad Gateway\""), "{err}");
    }

    #[test]
    fn openai_and_ttapi_error_bodies() {
        let e = parse_error(400, br#"{"error":{"message":"Invalid size","type":"invalid_request_error","param":"size","code":"invalid_value"}}"#, None);
        assert_eq!(e.to_string(), "HTTP 400 Bad Request: Invalid size (code invalid_value, param size)");
        let e = parse_error(400, br#"{"status":"FAILED","message":"prompt rejected"}"#, None);
        assert_eq!(e.to_string(), "HTTP 400 Bad Request: prompt rejected");
    }
}
