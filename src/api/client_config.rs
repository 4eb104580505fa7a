//! Where a client sends its requests, with which key, and how patiently.

use std::time::Duration;

use super::error::ApiError;
use super::provider::{ApiKey, Provider};
use super::retry::RetryPolicy;

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub provider: Provider,
    /// E.g. `https://api.ttapi.io/v1`; the paths `/images/...` are appended.
    pub base_url: String,
    pub key: Option<ApiKey>,
    /// Where the key came from (`$TTAPI_API_KEY`, a config file), named when it is refused.
    pub key_source: Option<String>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
}

/// The base URL as it may be written down: no credentials in it (a user:password, or a query
/// where a gateway's key may sit).
pub fn public_url(base_url: &str) -> String {
    match reqwest::Url::parse(base_url) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            // A gateway that takes its key in the path: a segment that looks like one is hidden.
            let path: Vec<String> = url
                .path_segments()
                .into_iter()
                .flatten()
                .map(|s| if looks_secret(s) { "****".into() } else { s.into() })
                .collect();
            url.set_path(&path.join("/"));
            if url.query().is_some() || url.fragment().is_some() {
                url.set_query(None);
                url.set_fragment(None);
                return format!("{}?****", url.to_string().trim_end_matches('/'));
            }
            url.to_string().trim_end_matches('/').to_string()
        }
        Err(_) => base_url.split(['?', '#']).next().unwrap_or_default().to_string(),
    }
}

/// Whether a URL path segment looks like a key or token: `sk-…`, or a long run of letters and
/// digits (both) such as a gateway's hex or base64 token. `v1`, `openai`, `images` do not.
fn looks_secret(segment: &str) -> bool {
    let token = segment.len() >= 20
        && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && segment.bytes().any(|b| b.is_ascii_digit())
        && segment.bytes().any(|b| b.is_ascii_alphabetic());
    segment.starts_with("sk-") || token
}

impl ClientConfig {
    /// The base URL as it may be shown, logged and stored: no credentials (see `public_url`),
    /// and not the key itself, wherever in the URL a gateway wants it.
    pub fn public_base_url(&self) -> String {
        let shown = public_url(&self.base_url);
        self.secrets().iter().fold(shown, |shown, secret| crate::text::redact(&shown, secret))
    }

    /// What must never be shown, logged or stored: the key, and any user:password in the URL.
    pub fn secrets(&self) -> Vec<String> {
        let url = reqwest::Url::parse(&self.base_url).ok();
        let user = url.as_ref().map(|u| u.username().to_string()).filter(|u| !u.is_empty());
        let password = url.as_ref().and_then(|u| u.password().map(str::to_string));
        let key = self.key.as_ref().map(|k| k.expose().to_string());
        let in_path = url.iter().flat_map(|u| u.path_segments().into_iter().flatten()).filter(|s| looks_secret(s));
        [key, password, user].into_iter().flatten().chain(in_path.map(str::to_string)).collect()
    }

    pub fn new(provider: Provider, base_url: impl Into<String>, key: Option<ApiKey>) -> Self {
        Self {
            provider,
            base_url: base_url.into(),
            key,
            key_source: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(300),
            retry: RetryPolicy::default(),
        }
    }

    /// Every error leaves without the secrets of this client: the key (or a long piece of it a
    /// server echoed) and any user:password of the base URL.
    pub fn scrub(&self, err: ApiError) -> ApiError {
        let secrets = self.secrets();
        if secrets.is_empty() {
            return err;
        }
        err.map_text(|text| secrets.iter().fold(text.to_string(), |text, secret| crate::text::redact(&text, secret)))
    }

    /// Text from a successful answer as it may be shown and stored: without the client's
    /// secrets, and at most 64 KB (a revised prompt is a few lines).
    pub fn scrub_text(&self, text: &str) -> String {
        const MAX: usize = 64 * 1024;
        let mut end = text.len().min(MAX);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let cut = &text[..end];
        self.secrets().iter().fold(cut.to_string(), |text, secret| crate::text::redact(&text, secret))
    }
}

#[cfg(test)]
mod url_tests {
    use super::public_url;

    #[test]
    fn what_a_url_may_show() {
        assert_eq!(public_url("https://u:pw@gw.example/v1"), "https://gw.example/v1");
        assert_eq!(public_url("https://gw.example/v1?key=abc"), "https://gw.example/v1?****");
        assert_eq!(public_url("http://127.0.0.1:1/sk-proj-OTHERSECRET1234567890/v1"), "http://127.0.0.1:1/****/v1");
        assert_eq!(public_url("https://gw.example/0123456789abcdef0123456789abcdef/v1"), "https://gw.example/****/v1");
        assert_eq!(public_url("https://api.openai.com/v1"), "https://api.openai.com/v1");
        assert_eq!(
            public_url("https://gw.example/openai/images-proxy/v1"),
            "https://gw.example/openai/images-proxy/v1"
        );
    }
}
