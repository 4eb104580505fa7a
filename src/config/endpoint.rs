//! Which server to talk to and with what key: command-line flags over the environment over the
//! config file. The key never comes from a flag (it would land in shell history and `ps`).

use std::path::Path;
use std::time::Duration;

use super::Config;
use crate::api::{ApiKey, ClientConfig, Provider};

/// What the command line asked for.
#[derive(Clone, Debug, Default)]
pub struct EndpointFlags {
    pub provider: Option<Provider>,
    pub base_url: Option<String>,
    pub demo: bool,
    pub timeout_secs: Option<u64>,
    pub retries: Option<u32>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EndpointError {
    #[error(
        "no API key found. Set TTAPI_API_KEY (a TTAPI key) or OPENAI_API_KEY (an OpenAI key) in the \
         environment, or api_key in {config}. To try imgtui without a key, add --demo: it runs \
         against the built-in demo server"
    )]
    NoKey { config: String },
    #[error("base_url \"{value}\" {reason} (for example https://api.ttapi.io/v1)")]
    BadBaseUrl { value: String, reason: String },
}

/// Checks a base URL: absolute, http or https, no query.
pub fn check_base_url(value: &str) -> Result<(), EndpointError> {
    let bad = |reason: &str| EndpointError::BadBaseUrl { value: without_userinfo(value), reason: reason.to_string() };
    let url = reqwest::Url::parse(value).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(())
}

/// `value` with any `user:password@` replaced by `****@`, and a query or fragment (where a
/// gateway's key may sit) by `?****`, even when it is no valid URL.
fn without_userinfo(value: &str) -> String {
    let value = match value.find(['?', '#']) {
        Some(at) => format!("{}?****", &value[..at]),
        None => value.to_string(),
    };
    hide_userinfo(&value)
}

fn hide_userinfo(value: &str) -> String {
    let Some(scheme_end) = value.find("://").map(|i| i + 3) else { return value.to_string() };
    let rest = &value[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}****{}", &value[..scheme_end], &rest[at..]),
        None => value.to_string(),
    }
}

/// Resolves the endpoint. `None` means the demo server (asked for with `--demo`).
pub fn resolve(
    flags: &EndpointFlags,
    config: &Config,
    config_path: &Path,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<ClientConfig>, EndpointError> {
    if flags.demo {
        return Ok(None);
    }
    let from_env = |provider: Provider| {
        let var = provider.key_env_var()?;
        let key = ApiKey::new(env(var)?)?;
        Some((provider, key, format!("${var}")))
    };
    let from_config = |provider: Provider| {
        let key = ApiKey::new(config.api_key.clone()?)?;
        Some((provider, key, format!("api_key in {}", config_path.display())))
    };
    let chosen = match flags.provider.or(config.provider) {
        Some(provider) => from_env(provider).or_else(|| from_config(provider)),
        None => {
            from_env(Provider::Ttapi).or_else(|| from_env(Provider::Openai)).or_else(|| from_config(Provider::Ttapi))
        }
    };
    let Some((provider, key, source)) = chosen else {
        return Err(EndpointError::NoKey { config: config_path.display().to_string() });
    };
    let base_url = flags
        .base_url
        .clone()
        .or_else(|| config.base_url.clone())
        .unwrap_or_else(|| provider.default_base_url().to_string());
    check_base_url(&base_url)?;
    let mut client = ClientConfig::new(provider, base_url, Some(key));
    client.key_source = Some(source);
    if let Some(secs) = flags.timeout_secs.or(config.request_timeout_secs) {
        client.request_timeout = Duration::from_secs(secs.max(1));
    }
    if let Some(secs) = config.connect_timeout_secs {
        client.connect_timeout = Duration::from_secs(secs.max(1));
    }
    if let Some(retries) = flags.retries.or(config.max_retries) {
        client.retry.max_retries = retries;
    }
    Ok(Some(client))
}

/// The endpoint a command that sends nothing names, with no key: the provider the flags or the
/// config name (else OpenAI, whose retirements imgtui knows), and its base URL.
pub fn keyless(flags: &EndpointFlags, config: &Config) -> Result<ClientConfig, EndpointError> {
    let provider = flags.provider.or(config.provider).unwrap_or(Provider::Openai);
    let base_url = flags
        .base_url
        .clone()
        .or_else(|| config.base_url.clone())
        .unwrap_or_else(|| provider.default_base_url().to_string());
    check_base_url(&base_url)?;
    Ok(ClientConfig::new(provider, base_url, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn ttapi_key_wins_then_openai_then_config() {
        let p = Path::new("/c.toml");
        let flags = EndpointFlags::default();
        let both = resolve(&flags, &Config::default(), p, env(&[("OPENAI_API_KEY", "o"), ("TTAPI_API_KEY", "t")]));
        let c = both.unwrap().unwrap();
        assert_eq!((c.provider, c.key_source.as_deref()), (Provider::Ttapi, Some("$TTAPI_API_KEY")));
        let c = resolve(&flags, &Config::default(), p, env(&[("OPENAI_API_KEY", "o")])).unwrap().unwrap();
        assert_eq!((c.provider, c.base_url.as_str()), (Provider::Openai, "https://api.openai.com/v1"));
        let config = Config { api_key: Some("k".into()), provider: Some(Provider::Openai), ..Config::default() };
        let c = resolve(&flags, &config, p, env(&[])).unwrap().unwrap();
        assert_eq!(c.key_source.as_deref(), Some("api_key in /c.toml"));
    }

    #[test]
    fn no_key_says_how_to_get_one_and_mentions_demo() {
        let err = resolve(&EndpointFlags::default(), &Config::default(), Path::new("/c.toml"), env(&[])).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("TTAPI_API_KEY") && text.contains("OPENAI_API_KEY") && text.contains("--demo"));
    }

    #[test]
    fn a_refused_base_url_is_shown_without_its_password() {
        for url in ["htp://user:secretpw@127.0.0.1:1/v1", "http://user:secretpw@[::1/v1"] {
            let err = check_base_url(url).unwrap_err().to_string();
            assert!(!err.contains("secretpw") && err.contains("****@"), "{err}");
        }
    }

    #[test]
    fn a_refused_base_url_is_shown_without_its_query() {
        let err = check_base_url("http://127.0.0.1:1/v1?key=sk-secret").unwrap_err().to_string();
        assert!(!err.contains("sk-secret") && err.contains("/v1?****"), "{err}");
    }

    #[test]
    fn bad_base_url_is_refused() {
        let flags = EndpointFlags { base_url: Some("ftp://x".into()), ..EndpointFlags::default() };
        let err = resolve(&flags, &Config::default(), Path::new("c"), env(&[("OPENAI_API_KEY", "o")])).unwrap_err();
        assert!(err.to_string().contains("must start with http:// or https://"));
    }
}
