//! Whether a model is still served: calendar dates, the retirements each provider has
//! announced, and the state of a model on a given day. Providers retire image models every few
//! months; these facts are data, and a provider's own `GET /models` (`shutdown_date`) wins
//! over them (see `catalog.rs`).

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::provider::Provider;

/// A calendar day (UTC), as the API writes it: `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// The day `unix_secs` falls on, in UTC (Howard Hinnant's civil-from-days).
    pub fn from_unix(unix_secs: i64) -> Self {
        let z = unix_secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Today in UTC. `IMGTUI_TODAY=YYYY-MM-DD` pins it, so tests can see a model retire.
    pub fn today() -> Self {
        if let Some(pinned) = std::env::var("IMGTUI_TODAY").ok().and_then(|v| v.parse().ok()) {
            return pinned;
        }
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Self::from_unix(i64::try_from(secs).unwrap_or(i64::MAX))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a date like 2026-12-01")]
pub struct BadDate(String);

impl FromStr for Date {
    type Err = BadDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadDate(text.chars().take(40).collect());
        let mut parts = text.trim().splitn(3, '-');
        let mut next = || parts.next().ok_or_else(bad);
        let (year, month, day) = (next()?, next()?, next()?);
        // Timestamps such as 2026-12-01T00:00:00Z name the same day.
        let day = day.split(['T', ' ']).next().unwrap_or(day);
        let date = Self {
            year: year.parse().map_err(|_| bad())?,
            month: month.parse().map_err(|_| bad())?,
            day: day.parse().map_err(|_| bad())?,
        };
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0);
        let days = match date.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return Err(bad()),
        };
        if (1..=days).contains(&date.day) { Ok(date) } else { Err(bad()) }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

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

/// A retirement a provider announced: the model, its last day plus one, and what to use
/// instead (the provider's own word where it gave one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retirement {
    pub model: &'static str,
    pub shutdown: Date,
    pub replacement: &'static str,
}

const fn retired(model: &'static str, shutdown: Date, replacement: &'static str) -> Retirement {
    Retirement { model, shutdown, replacement }
}

const DALL_E_END: Date = Date::new(2026, 5, 12);
const GPT_IMAGE_1_END: Date = Date::new(2026, 10, 23);
const GPT_IMAGE_1_5_END: Date = Date::new(2026, 12, 1);

/// OpenAI's deprecations page, late 2026 (`../shared/api.md`, "Models come and go").
const OPENAI_RETIREMENTS: &[Retirement] = &[
    retired("dall-e-2", DALL_E_END, "gpt-image-2.5-flare"),
    retired("dall-e-3", DALL_E_END, "gpt-image-2.5-flare"),
    retired("gpt-image-1", GPT_IMAGE_1_END, "gpt-image-2.5-sunburst"),
    retired("gpt-image-1-mini", GPT_IMAGE_1_5_END, "gpt-image-2.5-flare"),
    retired("gpt-image-1.5", GPT_IMAGE_1_5_END, "gpt-image-2.5-sunburst"),
    retired("gpt-image-1.5-2025-12-16", GPT_IMAGE_1_5_END, "gpt-image-2.5-sunburst"),
    retired("chatgpt-image-latest", GPT_IMAGE_1_5_END, "gpt-image-2.5-sunburst"),
];

/// The image models TTAPI's documentation lists (late 2026); it publishes no retirements.
const TTAPI_MODELS: &[&str] = &["gpt-image-2", "gpt-image-1.5", "gpt-image-1", "dall-e-2", "dall-e-3"];

/// The models OpenAI serves that are not retiring (their snapshots included).
const OPENAI_ACTIVE: &[&str] = &[
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
    fn dates_parse_print_and_order() {
        let d: Date = "2026-12-01".parse().unwrap();
        assert_eq!(d.to_string(), "2026-12-01");
        assert_eq!("2026-12-01T00:00:00Z".parse::<Date>().unwrap(), d);
        assert!(Date::new(2026, 11, 30) < d && d < Date::new(2027, 1, 1));
        assert!("2028-02-29".parse::<Date>().is_ok(), "a leap day");
        for bad in
            ["", "2026", "2026-13-01", "2026-12-00", "x-y-z", "2026-12-1x", "2026-02-29", "2026-04-31", "2100-02-29"]
        {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_seconds_become_calendar_days() {
        assert_eq!(Date::from_unix(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix(951_782_400), Date::new(2000, 2, 29));
        assert_eq!(Date::from_unix(1_795_651_199), Date::new(2026, 11, 25));
        assert_eq!(Date::from_unix(1_795_651_200), Date::new(2026, 11, 26));
    }

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
        assert_eq!(retirement(Provider::Openai, "gpt-image-1").map(|r| r.replacement), Some("gpt-image-2.5-sunburst"));
    }
}
