//! What the demo server saw of each request, so tests can check the wire format server-side.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub path: String,
    pub auth: Option<AuthSeen>,
    pub content_type: Option<String>,
    /// The JSON body of a generation.
    pub json: Option<serde_json::Value>,
    /// Text parts of a multipart edit, in order.
    pub fields: Vec<(String, String)>,
    /// File parts of a multipart edit, in order.
    pub files: Vec<RecordedFile>,
}

/// The auth header seen. The key itself is kept only as a SHA-256, so even the demo server
/// holds no copy of a real key that a user pointed at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSeen {
    /// `authorization` or `tt-api-key`.
    pub header: String,
    /// `Bearer` for the Authorization header.
    pub scheme: Option<String>,
    pub key_sha256: String,
}

impl AuthSeen {
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<Self> {
        if let Some(value) = headers.get("tt-api-key").and_then(|v| v.to_str().ok()) {
            return Some(Self { header: "tt-api-key".into(), scheme: None, key_sha256: sha256_hex(value) });
        }
        let value = headers.get("authorization")?.to_str().ok()?;
        let (scheme, key) = value.split_once(' ').unwrap_or(("", value));
        Some(Self {
            header: "authorization".into(),
            scheme: (!scheme.is_empty()).then(|| scheme.to_string()),
            key_sha256: sha256_hex(key),
        })
    }

    /// Whether this header carried `key` in a form the API accepts.
    pub fn carries(&self, key: &str) -> bool {
        let scheme_ok = match self.header.as_str() {
            "authorization" => self.scheme.as_deref() == Some("Bearer"),
            _ => true,
        };
        scheme_ok && self.key_sha256 == sha256_hex(key)
    }
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedFile {
    pub field: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: usize,
}
