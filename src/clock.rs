//! The one clock. Everything that depends on the calendar (model retirements, budgets' days
//! and months, file names, the model list's cache age, "created" stamps) reads the time here,
//! never from `SystemTime` directly. `IMGTUI_TODAY=YYYY-MM-DD` moves the clock by whole days so
//! that today is that date while the time of day runs on: tests pin it (no test may read the
//! real calendar), and a user can try a retirement before it happens.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The variable that pins today.
pub const TODAY_VAR: &str = "IMGTUI_TODAY";

const DAY_SECS: i64 = 86_400;

/// Seconds the clock is moved from the system's: read from `IMGTUI_TODAY` once, or set by
/// `pin_today` (tests in one process).
static OFFSET: OnceLock<AtomicI64> = OnceLock::new();

fn offset() -> &'static AtomicI64 {
    OFFSET.get_or_init(|| {
        let pinned = std::env::var(TODAY_VAR).ok().and_then(|v| v.parse::<Date>().ok());
        AtomicI64::new(pinned.map_or(0, offset_to))
    })
}

/// The offset that makes today `day`.
fn offset_to(day: Date) -> i64 {
    let real_days = system_unix_secs().div_euclid(DAY_SECS);
    (day.days_from_epoch() - real_days) * DAY_SECS
}

/// Moves this process's clock so that today is `day` (as `IMGTUI_TODAY` does for a process
/// started with it): for tests that call the library directly.
#[cfg(any(test, feature = "internals"))]
pub fn pin_today(day: Date) {
    offset().store(offset_to(day), Ordering::Relaxed);
}

fn offset_secs() -> i64 {
    offset().load(Ordering::Relaxed)
}

#[allow(clippy::disallowed_methods)] // The one place that reads the system's calendar.
fn system_unix_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Now, by the one clock.
pub fn now() -> SystemTime {
    let offset = offset_secs();
    #[allow(clippy::disallowed_methods)] // The one place that reads the system's calendar.
    let system = SystemTime::now();
    let moved = if offset >= 0 {
        system.checked_add(Duration::from_secs(offset.unsigned_abs()))
    } else {
        system.checked_sub(Duration::from_secs(offset.unsigned_abs()))
    };
    moved.unwrap_or(system)
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Unix seconds now.
pub fn now_unix() -> i64 {
    now_ms().div_euclid(1000)
}

/// Today in UTC.
pub fn today() -> Date {
    Date::from_unix(now_unix())
}

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

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil).
    pub fn days_from_epoch(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
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

    /// Today, by the one clock.
    pub fn today() -> Self {
        today()
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
        for day in [Date::new(1970, 1, 1), Date::new(2000, 2, 29), Date::new(2026, 12, 7), Date::new(2099, 12, 31)] {
            assert_eq!(Date::from_unix(day.days_from_epoch() * DAY_SECS), day, "{day} round trip");
        }
    }
}
