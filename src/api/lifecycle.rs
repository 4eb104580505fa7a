//! Whether a model is still served: calendar dates, the retirements each provider has
//! announced, and the state of a model on a given day. Providers retire image models every few
//! months; these facts are data, and a provider's own `GET /models` (`shutdown_date`) wins
//! over them (see `catalog.rs`).

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::clock::Date;

use super::lineage::Tier;
use super::provider::Provider;

/// Where a model stands at one provider on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Lifecycle {
    Active,
    /// Still served; requests fail from `shutdown` on.
    Deprecated {
        shutdown: Date,
    },
    /// No longer served since `on`.
    ShutDown {
        on: Date,
    },
    /// The provider does not say (TTAPI publishes no retirements).
    Unknown,
}

impl Lifecycle {
    /// The state on `today` of a model that shuts down on `shutdown` (or never).
    pub fn on(today: Date, shutdown: Option<Date>) -> Self {
        match shutdown {
            Some(date) if date <= today => Self::ShutDown { on: date },
            Some(date) => Self::Deprecated { shutdown: date },
            None => Self::Active,
        }
    }

    pub fn is_shut_down(self) -> bool {
        matches!(self, Self::ShutDown { .. })
    }

    /// One word for tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deprecated { .. } => "deprecated",
            Self::ShutDown { .. } => "shut down",
            Self::Unknown => "unknown",
        }
    }

    pub fn date(self) -> Option<Date> {
        match self {
            Self::Deprecated { shutdown: date } | Self::ShutDown { on: date } => Some(date),
            Self::Active | Self::Unknown => None,
        }
    }
}

impl fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Deprecated { shutdown } => write!(f, "shuts down {shutdown}"),
            Self::ShutDown { on } => write!(f, "shut down {on}"),
            other => f.write_str(other.name()),
        }
    }
}

/// A retirement a provider announced: the model, its last day plus one, and the tier of model
/// to move to. Which model that is, is decided on the day (the catalog's newest of that tier):
/// providers name the newest release, and that changes every two months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retirement {
    pub model: &'static str,
    pub shutdown: Date,
    pub successor: Tier,
}

const fn retired(model: &'static str, shutdown: Date, successor: Tier) -> Retirement {
    Retirement { model, shutdown, successor }
}

const DALL_E_END: Date = Date::new(2026, 5, 12);
const GPT_IMAGE_1_END: Date = Date::new(2026, 10, 23);
const GPT_IMAGE_1_5_END: Date = Date::new(2026, 12, 1);

/// OpenAI's deprecations page, late 2026 (`../shared/api.md`, "Models come and go").
/// Its page names "gpt-image-2.6-sunburst or gpt-image-2.6-flare" for the models retired on
/// 2026-12-01: the precise tier for the full models, the fast one for the small.
const OPENAI_RETIREMENTS: &[Retirement] = &[
    retired("dall-e-2", DALL_E_END, Tier::Fast),
    retired("dall-e-3", DALL_E_END, Tier::Fast),
    retired("gpt-image-1", GPT_IMAGE_1_END, Tier::Precise),
    retired("gpt-image-1-mini", GPT_IMAGE_1_5_END, Tier::Fast),
    retired("gpt-image-1.5", GPT_IMAGE_1_5_END, Tier::Precise),
    retired("gpt-image-1.5-2025-12-16", GPT_IMAGE_1_5_END, Tier::Precise),
    retired("chatgpt-image-latest", GPT_IMAGE_1_5_END, Tier::Precise),
];

/// The image models TTAPI's documentation lists (late 2026); it publishes no retirements.
const TTAPI_MODELS: &[&str] = &["gpt-image-2", "gpt-image-1.5", "gpt-image-1", "dall-e-2", "dall-e-3"];

/// The models OpenAI serves that are not retiring (their snapshots included).
const OPENAI_ACTIVE: &[&str] = &[
    "gpt-image-2.6-flare",
    "gpt-image-2.6-sunburst",
    "gpt-image-2.5-flare",
    "gpt-image-2.5-flare-2026-09-08",
    "gpt-image-2.5-sunburst",
    "gpt-image-2.5-sunburst-2026-09-08",
    "gpt-image-2",
    "gpt-image-2-2026-04-21",
];

/// The retirement `provider` announced for `model`, if any.
pub fn retirement(provider: Provider, model: &str) -> Option<Retirement> {
    match provider {
        Provider::Openai => OPENAI_RETIREMENTS.iter().find(|r| r.model == model).copied(),
        Provider::Ttapi | Provider::Demo => None,
    }
}

/// What imgtui knows of `model` at `provider` without asking it: `None` when the provider's
/// documentation does not list the model at all.
pub fn builtin_state(provider: Provider, model: &str, today: Date) -> Option<Lifecycle> {
    match provider {
        Provider::Openai => match retirement(provider, model) {
            Some(r) => Some(Lifecycle::on(today, Some(r.shutdown))),
            None => OPENAI_ACTIVE.contains(&model).then_some(Lifecycle::Active),
        },
        Provider::Ttapi => TTAPI_MODELS.contains(&model).then_some(Lifecycle::Unknown),
        // The demo server says what it serves through its own catalog.
        Provider::Demo => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_dates_decide_the_state() {
        let today = Date::new(2026, 11, 26);
        let state = |m| builtin_state(Provider::Openai, m, today);
        assert_eq!(state("gpt-image-1"), Some(Lifecycle::ShutDown { on: GPT_IMAGE_1_END }));
        assert_eq!(state("dall-e-3"), Some(Lifecycle::ShutDown { on: DALL_E_END }));
        assert_eq!(state("gpt-image-1.5"), Some(Lifecycle::Deprecated { shutdown: GPT_IMAGE_1_5_END }));
        assert_eq!(state("gpt-image-2.5-flare"), Some(Lifecycle::Active));
        assert_eq!(state("gpt-image-9"), None);
        let later = builtin_state(Provider::Openai, "gpt-image-1.5", Date::new(2026, 12, 1));
        assert_eq!(later, Some(Lifecycle::ShutDown { on: GPT_IMAGE_1_5_END }), "gone on its shutdown day");
        assert_eq!(builtin_state(Provider::Ttapi, "gpt-image-1", today), Some(Lifecycle::Unknown));
        assert_eq!(retirement(Provider::Openai, "gpt-image-1").map(|r| r.successor), Some(Tier::Precise));
    }
}
