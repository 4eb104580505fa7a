//! Who serves the API and how to authenticate: TTAPI, OpenAI, or imgtui's demo server.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Ttapi,
    Openai,
    Demo,
}

impl Provider {
    pub fn default_base_url(self) -> &'static str {
        match self {
            Self::Ttapi => "https://api.ttapi.io/v1",
            Self::Openai => "https://api.openai.com/v1",
            Self::Demo => "http://127.0.0.1:0/v1",
        }
    }

    /// The environment variable that holds this provider's key.
    pub fn key_env_var(self) -> Option<&'static str> {
        match self {
            Self::Ttapi => Some("TTAPI_API_KEY"),
            Self::Openai => Some("OPENAI_API_KEY"),
            Self::Demo => None,
        }
    }

    /// The header that carries the key, and its value.
    pub fn auth_header(self, key: &ApiKey) -> Option<(&'static str, String)> {
        match self {
            Self::Ttapi => Some(("TT-API-KEY", key.expose().to_string())),
            Self::Openai => Some(("Authorization", format!("Bearer {}", key.expose()))),
            Self::Demo => None,
        }
    }

    /// The provider's cap on one uploaded file, below the model's own limit.
    pub fn upload_limit(self) -> Option<u64> {
        match self {
            Self::Ttapi => Some(25 * 1024 * 1024),
            Self::Openai | Self::Demo => None,
        }
    }

    /// Models this provider can edit with, when it serves fewer than the model table allows.
    pub fn edit_models(self) -> Option<&'static [&'static str]> {
        match self {
            // TTAPI's documentation, late 2026 (../shared/api.md).
            Self::Ttapi => Some(&["gpt-image-2", "gpt-image-1.5", "gpt-image-1", "dall-e-2"]),
            Self::Openai | Self::Demo => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Ttapi => "TTAPI",
            Self::Openai => "OpenAI",
            Self::Demo => "demo",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An API key. It prints as `****` everywhere, so it cannot reach logs, errors or panics by
/// accident; `expose()` is the one way to read it, for the auth header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Option<Self> {
        let key = key.into().trim().to_string();
        // Known from now on to everything that prints text it did not write.
        crate::text::keep_secret(&key);
        (!key.is_empty()).then_some(Self(key))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(****)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_never_prints() {
        let key = ApiKey::new("sk-secret-123").unwrap();
        assert!(!format!("{key:?} {key} {:?}", Some(&key)).contains("secret"));
        assert_eq!(Provider::Openai.auth_header(&key).unwrap().1, "Bearer sk-secret-123");
        assert_eq!(Provider::Ttapi.auth_header(&key).unwrap(), ("TT-API-KEY", "sk-secret-123".into()));
        assert!(ApiKey::new("  ").is_none());
    }
}
