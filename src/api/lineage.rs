//! What a model's name says of its place among the others: whether it is of the flagship
//! `gpt-image-` line, its version, and its tier (flare and mini are the fast ones, sunburst
//! the precise one). New models arrive every two months under names of this shape, so "the
//! newest model of the family" is computed from names, never written down (`catalog`).

use std::cmp::Ordering;

/// Which kind of model within a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// `-flare`, `-mini`: quicker and cheaper.
    Fast,
    /// `-sunburst`: slower and more exact.
    Precise,
    /// A version's only model (`gpt-image-2`).
    Standard,
}

impl Tier {
    pub fn name(self) -> &'static str {
        match self {
            Self::Fast => "fast (flare)",
            Self::Precise => "precise (sunburst)",
            Self::Standard => "standard",
        }
    }
}

/// A model name read as family, version and tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lineage {
    /// Of the `gpt-image-` line that every new image model has joined.
    pub flagship: bool,
    /// `gpt-image-2.6-flare` is [2, 6]; empty when the name carries none.
    pub version: Vec<u32>,
    pub tier: Tier,
}

const FLAGSHIP_PREFIX: &str = "gpt-image-";

impl Lineage {
    pub fn of(name: &str) -> Self {
        let Some(rest) = name.strip_prefix(FLAGSHIP_PREFIX) else {
            return Self { flagship: false, version: Vec::new(), tier: Tier::Standard };
        };
        let version_text: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let version = version_text.split('.').map_while(|part| part.parse().ok()).collect();
        let words: Vec<&str> = rest.split('-').collect();
        let tier = if words.iter().any(|w| *w == "flare" || *w == "mini") {
            Tier::Fast
        } else if words.contains(&"sunburst") {
            Tier::Precise
        } else {
            Tier::Standard
        };
        Self { flagship: true, version, tier }
    }

    /// Which of two names is the newer model: by version, numerically (2.10 after 2.9).
    pub fn newer(a: &str, b: &str) -> Ordering {
        Self::of(a).version.cmp(&Self::of(b).version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_family_version_and_tier() {
        let l = Lineage::of("gpt-image-2.6-flare");
        assert_eq!((l.flagship, l.version.as_slice(), l.tier), (true, &[2, 6][..], Tier::Fast));
        assert_eq!(Lineage::of("gpt-image-2.5-sunburst-2026-09-08").tier, Tier::Precise);
        assert_eq!(Lineage::of("gpt-image-1-mini").tier, Tier::Fast);
        assert_eq!(Lineage::of("gpt-image-2").version, vec![2]);
        assert_eq!(Lineage::of("gpt-image-2-2026-04-21").version, vec![2], "a snapshot's date is no version");
        assert!(!Lineage::of("dall-e-3").flagship);
        assert_eq!(Lineage::newer("gpt-image-2.10-flare", "gpt-image-2.9-flare"), Ordering::Greater);
        assert_eq!(Lineage::newer("gpt-image-2", "gpt-image-1.5"), Ordering::Greater);
    }
}
