//! One error type for everything a request can end in, with messages a person can act on.

use std::time::Duration;

use super::validate::FieldError;

#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum ApiError {
    /// The request broke a rule of the model table; nothing was sent.
    #[error("invalid request: {}", join_field_errors(.0))]
    Invalid(Vec<FieldError>),
    /// An input file could not be read.
    #[error("{0}")]
    Input(String),
    /// The server answered with a non-2xx status (or a 200 with an error envelope).
    #[error("{}", http_message(*.status, .message, .code.as_deref(), .param.as_deref(), .hint.as_deref()))]
    Http {
        status: u16,
        message: String,
        code: Option<String>,
        param: Option<String>,
        /// What the user can do about it (e.g. which env var supplied a refused key).
        hint: Option<String>,
        /// The wait the server asked for (`retry-after-ms` / `retry-after`).
        retry_after: Option<Duration>,
    },
    /// A 2xx answer that is not a usable Images response.
    #[error("the server's answer (HTTP {status}) is not a usable Images response: {message}")]
    InvalidResponse { status: u16, message: String },
    /// A 2xx answer to `GET /models` that is not a usable list of models.
    #[error("the server's model list (HTTP {status}) is not usable: {message}")]
    InvalidList { status: u16, message: String },
    /// No connection could be made; nothing was sent.
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    /// The connection broke while the request was under way.
    #[error("the connection broke during the request: {0}")]
    Connection(String),
    /// A 2xx answer broke off before it was whole, and none of its images had arrived. The
    /// server made (and billed) them: never re-sent automatically.
    #[error(
        "the answer (HTTP {status}) broke off after {received} bytes: {message}; the server made (and \
         billed) the images, so it was not re-sent automatically"
    )]
    AnswerBroken { status: u16, received: u64, message: String },
    /// No complete answer in time. The server may have done (and billed) the work.
    #[error(
        "no complete answer within {} s; the server may still have made (and billed) the images, \
         so it was not re-sent automatically (raise the request timeout for slow models)",
        .after.as_secs()
    )]
    Timeout { after: Duration },
    /// Every image of a successful answer was lost (bad base64, failed downloads).
    #[error("the request succeeded but no image could be received: {}", .0.join("; "))]
    NoImages(Vec<String>),
    #[error("cancelled")]
    Cancelled,
}

fn join_field_errors(errors: &[FieldError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

fn http_message(status: u16, message: &str, code: Option<&str>, param: Option<&str>, hint: Option<&str>) -> String {
    let mut text = format!("HTTP {status}");
    if let Some(reason) = http_reason(status) {
        text.push(' ');
        text.push_str(reason);
    }
    text.push_str(": ");
    text.push_str(message);
    let mut extra = Vec::new();
    if let Some(code) = code {
        extra.push(format!("code {code}"));
    }
    if let Some(param) = param {
        extra.push(format!("param {param}"));
    }
    if !extra.is_empty() {
        text.push_str(&format!(" ({})", extra.join(", ")));
    }
    if let Some(hint) = hint {
        text.push_str(". ");
        text.push_str(hint);
    }
    text
}

fn http_reason(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

impl ApiError {
    /// The same error with `f` applied to every text that came from outside (server messages,
    /// transport errors), e.g. to hide a key a server echoed.
    pub fn map_text(self, f: impl Fn(&str) -> String) -> Self {
        match self {
            Self::Http { status, message, code, param, hint, retry_after } => {
                Self::Http { status, message: f(&message), code: code.map(|c| f(&c)), param, hint, retry_after }
            }
            Self::InvalidResponse { status, message } => Self::InvalidResponse { status, message: f(&message) },
            Self::InvalidList { status, message } => Self::InvalidList { status, message: f(&message) },
            Self::Connect { url, message } => Self::Connect { url: f(&url), message: f(&message) },
            Self::Connection(message) => Self::Connection(f(&message)),
            Self::AnswerBroken { status, received, message } => {
                Self::AnswerBroken { status, received, message: f(&message) }
            }
            Self::NoImages(reasons) => Self::NoImages(reasons.iter().map(|r| f(r)).collect()),
            Self::Input(message) => Self::Input(f(&message)),
            other => other,
        }
    }

    /// The retry policy of the official clients: 408, 409, 429, 5xx and connection failures.
    /// Timeouts are not retried: the work may have been done and billed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Http { status, .. } => matches!(status, 408 | 409 | 429) || *status >= 500,
            Self::Connect { .. } | Self::Connection(_) => true,
            _ => false,
        }
    }

    /// Whether the server may have made (and billed) the images though none were kept: it
    /// answered 2xx, or the answer never came whole.
    pub fn may_be_billed(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::AnswerBroken { .. } | Self::NoImages(_) => true,
            Self::InvalidResponse { status, .. } => (200..300).contains(status),
            _ => false,
        }
    }

    /// The HTTP status, where there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http { status, .. } | Self::InvalidResponse { status, .. } | Self::AnswerBroken { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// The wait the server asked for before a retry.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The error and its causes in one line (reqwest's top message alone says little).
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
