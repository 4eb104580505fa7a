//! What the user can do about an error the provider answered: a model it no longer serves, an
//! organization it wants verified, a moderation refusal. The message itself is the provider's;
//! the hint is ours.

use super::error::ApiError;
use super::lifecycle;
use super::provider::Provider;

/// Whether the provider refused to stream because the organization is not verified (the same
/// request without streaming works).
pub fn is_stream_verification(err: &ApiError) -> bool {
    let ApiError::Http { status: 400, message, .. } = err else { return false };
    let message = message.to_ascii_lowercase();
    message.contains("verified") && message.contains("stream")
}

/// `err` with a hint for the cases the provider's message alone does not resolve.
pub fn explain(err: ApiError, provider: Provider, model: &str) -> ApiError {
    let ApiError::Http { status, message, code, param, hint: None, retry_after } = err else { return err };
    let lower = message.to_ascii_lowercase();
    let hint = if code.as_deref() == Some("model_not_found")
        || lower.contains("has been deprecated")
        || lower.contains("does not exist")
    {
        Some(match lifecycle::retirement(provider, model) {
            // Which model replaces it is the catalog's to say, on the day (`imgtui models`).
            Some(r) => format!(
                "{model} was shut down at {provider} on {}; `imgtui models` lists what {provider} serves and \
                 names the {} model to use instead",
                r.shutdown,
                r.successor.name()
            ),
            None if lower.contains("deprecated") => {
                format!("{provider} has retired {model}; imgtui models --refresh lists what it serves and their dates")
            }
            None => format!("{provider} does not serve {model}; imgtui models --refresh lists the models it does"),
        })
    } else if status == 403 && lower.contains("must be verified") {
        Some(format!(
            "{provider} serves {model} only to verified organizations: verify yours in the provider's \
             organization settings (it can take a few minutes to apply), or pick another model"
        ))
    } else if code.as_deref() == Some("moderation_blocked") {
        Some("the provider's moderation refused this request; rephrase the prompt (it is not retried)".to_string())
    } else {
        None
    };
    ApiError::Http { status, message, code, param, hint, retry_after }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, message: &str, code: Option<&str>) -> ApiError {
        ApiError::Http {
            status,
            message: message.into(),
            code: code.map(str::to_string),
            param: None,
            hint: None,
            retry_after: None,
        }
    }

    #[test]
    fn a_retired_model_names_its_date_and_replacement() {
        let err =
            explain(http(404, "The model `gpt-image-1` has been deprecated", None), Provider::Openai, "gpt-image-1");
        let text = err.to_string();
        assert!(text.contains("2026-10-23") && text.contains("precise (sunburst) model"), "{text}");
        let err = explain(http(404, "nope", Some("model_not_found")), Provider::Ttapi, "gpt-image-9");
        assert!(err.to_string().contains("TTAPI does not serve gpt-image-9"), "{err}");
    }

    #[test]
    fn verification_and_moderation_say_what_to_do() {
        let err =
            explain(http(403, "Your organization must be verified to use the model", None), Provider::Openai, "m");
        assert!(err.to_string().contains("verify yours"), "{err}");
        let err = explain(http(400, "blocked", Some("moderation_blocked")), Provider::Openai, "m");
        assert!(err.to_string().contains("rephrase"), "{err}");
        assert!(!err.is_retryable());
        assert!(is_stream_verification(&http(400, "Your organization must be verified to stream this model", None)));
        assert!(!is_stream_verification(&http(400, "bad size", None)));
    }
}
