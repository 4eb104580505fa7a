//! The output tokens earlier jobs really reported, per model, size and quality as asked: the
//! basis of an estimate where no per-image price or formula applies (`auto` quality, say).

use std::collections::HashMap;

/// One done job: what it asked (size and quality as given, `None` for the default) and its
/// output tokens per image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSample {
    pub model: String,
    pub size: Option<String>,
    pub quality: Option<String>,
    /// `complexity` as asked (2.6): a low one spends a fraction of a high one's tokens.
    pub complexity: Option<String>,
    pub tokens_per_image: u64,
}

/// Jobs looked at for estimates from history (the newest done ones).
pub const ESTIMATE_SAMPLES: u32 = 2000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutputHistory {
    tokens: HashMap<(String, String, String), Vec<u64>>,
}

fn key(model: &str, size: Option<&str>, quality: Option<&str>, complexity: Option<&str>) -> (String, String, String) {
    // `auto` spelled out asks what leaving it out asks: one history for both.
    let (size, quality) = (size.filter(|s| *s != "auto"), quality.filter(|q| *q != "auto"));
    let quality = match complexity {
        Some(complexity) => format!("{}/{complexity}", quality.unwrap_or("default")),
        None => quality.unwrap_or("default").to_string(),
    };
    (model.to_string(), size.unwrap_or("default").to_string(), quality)
}

impl OutputHistory {
    pub fn from_samples(samples: impl IntoIterator<Item = OutputSample>) -> Self {
        let mut tokens: HashMap<_, Vec<u64>> = HashMap::new();
        for s in samples {
            let at = key(&s.model, s.size.as_deref(), s.quality.as_deref(), s.complexity.as_deref());
            tokens.entry(at).or_default().push(s.tokens_per_image);
        }
        tokens.values_mut().for_each(|t| t.sort_unstable());
        Self { tokens }
    }

    /// The median output tokens per image of earlier jobs that asked the same, and how many
    /// jobs that is.
    pub fn median(
        &self,
        model: &str,
        size: Option<&str>,
        quality: Option<&str>,
        complexity: Option<&str>,
    ) -> Option<(u64, usize)> {
        let tokens = self.tokens.get(&key(model, size, quality, complexity)).filter(|t| !t.is_empty())?;
        let middle = tokens.len() / 2;
        let median = if tokens.len() % 2 == 1 { tokens[middle] } else { tokens[middle - 1].midpoint(tokens[middle]) };
        Some((median, tokens.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_spelled_out_is_the_same_history_as_auto_left_out() {
        let sample = |size: Option<&str>, quality: Option<&str>| OutputSample {
            model: "gpt-image-2".into(),
            size: size.map(str::to_string),
            quality: quality.map(str::to_string),
            complexity: None,
            tokens_per_image: 1000,
        };
        let history = OutputHistory::from_samples([sample(None, None), sample(Some("auto"), Some("auto"))]);
        assert_eq!(history.median("gpt-image-2", Some("auto"), None, None), Some((1000, 2)));
        assert_eq!(history.median("gpt-image-2", None, Some("auto"), None), Some((1000, 2)));
    }

    #[test]
    fn the_median_of_jobs_that_asked_the_same() {
        let sample = |quality: Option<&str>, tokens| OutputSample {
            model: "gpt-image-2".into(),
            size: None,
            quality: quality.map(str::to_string),
            complexity: None,
            tokens_per_image: tokens,
        };
        let history = OutputHistory::from_samples([
            sample(None, 1000),
            sample(None, 4000),
            sample(None, 1200),
            sample(Some("high"), 9000),
        ]);
        assert_eq!(history.median("gpt-image-2", None, None, None), Some((1200, 3)));
        assert_eq!(history.median("gpt-image-2", None, Some("high"), None), Some((9000, 1)));
        assert_eq!(history.median("gpt-image-2", Some("1024x1024"), None, None), None);
        let low = OutputSample { complexity: Some("low".into()), ..sample(Some("high"), 500) };
        let history = OutputHistory::from_samples([sample(Some("high"), 20_000), low]);
        assert_eq!(history.median("gpt-image-2", None, Some("high"), Some("low")), Some((500, 1)), "by complexity too");
        assert_eq!(history.median("gpt-image-2", None, Some("high"), None), Some((20_000, 1)));
    }
}
