//! The app's reading of a config file that does not parse: every key that is good on its own is
//! kept, each bad one is named and dropped. A budget the user set is never dropped silently:
//! spending without it is what the budget is there to stop, so a budget that cannot be read
//! stops the app as it stops a script.

use std::path::Path;

use super::{Config, ConfigError};

/// What was kept of a config that did not parse whole, and what was dropped.
#[derive(Debug, PartialEq)]
pub struct Salvaged {
    pub config: Config,
    /// One line per dropped key (or unreadable line), for the notices.
    pub dropped: Vec<String>,
}

/// Keys whose loss would change what the app spends.
fn guards_spending(key: &str) -> bool {
    key.starts_with("budget_")
}

/// Keys whose loss matters only beside a budget: the prices decide what counts against it.
fn prices_a_budget(key: &str) -> bool {
    key == "prices"
}

/// Keeps what can be kept of `text`, or the error when a budget is among what cannot.
pub fn salvage(text: &str, path: &Path, whole_error: &ConfigError) -> Result<Salvaged, ConfigError> {
    let file = path.display().to_string();
    let mut kept = toml::Table::new();
    let mut dropped = Vec::new();
    let mut budget_lost = None;
    let mut prices_lost = None;
    match text.parse::<toml::Table>() {
        // The TOML reads; some keys do not fit: try each key alone.
        Ok(table) => {
            for (key, value) in table {
                let alone = toml::Table::from_iter([(key.clone(), value.clone())]);
                match Config::deserialize_table(alone) {
                    Ok(_) => {
                        kept.insert(key, value);
                    }
                    Err(message) => {
                        if guards_spending(&key) {
                            budget_lost.get_or_insert_with(|| format!("{key}: {message}"));
                        }
                        if prices_a_budget(&key) {
                            prices_lost.get_or_insert_with(|| format!("{key}: {message}"));
                        }
                        dropped.push(format!("`{key}` ({message})"));
                    }
                }
            }
        }
        // The TOML itself is broken: the top-level `key = value` lines above the first table
        // are tried one at a time; the tables below cannot be trusted and are dropped.
        Err(_) => {
            for (number, line) in text.lines().enumerate() {
                let trimmed = line.trim();
                if trimmed.starts_with('[') {
                    dropped.push(format!("line {} onwards (the tables)", number + 1));
                    let below = text.lines().skip(number).map(str::trim);
                    if let Some(at) = below.clone().position(|l| l.starts_with("[prices")) {
                        prices_lost.get_or_insert_with(|| {
                            format!("the [prices] tables (line {}, below a line that breaks the file)", number + at + 1)
                        });
                    }
                    break;
                }
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let key = trimmed.split('=').next().unwrap_or("").trim().trim_matches('"').to_string();
                let parsed = trimmed.parse::<toml::Table>().map_err(|e| e.message().trim().to_string());
                match parsed.and_then(|one| Config::deserialize_table(one.clone()).map(|_| one)) {
                    // A budget given twice: which one the user meant is not for imgtui to pick.
                    Ok(one) if guards_spending(&key) && kept.contains_key(&key) => {
                        budget_lost.get_or_insert_with(|| format!("line {}: {key} is given twice", number + 1));
                        dropped.push(format!("line {} ({key} given twice)", number + 1));
                        let _ = one;
                    }
                    Ok(one) => kept.extend(one),
                    Err(message) => {
                        if guards_spending(&key) {
                            budget_lost.get_or_insert_with(|| format!("line {}: {message}", number + 1));
                        }
                        dropped.push(format!("line {} ({message})", number + 1));
                    }
                }
            }
        }
    }
    if let Some(why) = budget_lost {
        return Err(ConfigError::Budget { path: file, message: why });
    }
    let budget_kept = kept.keys().any(|k| guards_spending(k));
    if let Some(why) = prices_lost.filter(|_| budget_kept) {
        let message = format!("{why} cannot be read, and the prices decide what counts against it");
        return Err(ConfigError::Budget { path: file, message });
    }
    let config = Config::deserialize_table(kept).map_err(|_| whole_error.clone())?;
    Ok(Salvaged { config, dropped })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salvaged(text: &str) -> Result<Salvaged, ConfigError> {
        let path = Path::new("/c.toml");
        let whole = Config::parse(text, path).unwrap_err();
        salvage(text, path, &whole)
    }

    #[test]
    fn an_unrelated_bad_key_keeps_the_budget() {
        let s = salvaged("budget_daily_usd = 5\ntheme_name = \"dark\"\nconcurrency = \"two\"\n").unwrap();
        assert_eq!(s.config.budget_daily_usd, Some(5.0));
        assert_eq!(s.config.concurrency, None);
        assert_eq!(s.dropped.len(), 2, "{:?}", s.dropped);
        assert!(s.dropped.iter().any(|d| d.contains("`theme_name`")), "{:?}", s.dropped);
    }

    #[test]
    fn broken_toml_keeps_the_good_lines_above_the_tables() {
        let s = salvaged("budget_monthly_usd = 20\ntheme = \"light\nconcurrency = 3\n[models.x]\n").unwrap();
        assert_eq!(s.config.budget_monthly_usd, Some(20.0));
        assert_eq!(s.config.concurrency, Some(3));
        assert_eq!(s.config.theme, None);
        assert!(s.dropped.iter().any(|d| d.starts_with("line 2")), "{:?}", s.dropped);
        assert!(s.dropped.iter().any(|d| d.starts_with("line 4 onwards")), "{:?}", s.dropped);
    }

    #[test]
    fn a_budget_that_cannot_be_read_stops_the_app() {
        let err = salvaged("budget_daily_usd = \"5\"\ntheme = \"dark\"\n").unwrap_err().to_string();
        assert!(err.contains("budget_daily_usd") && err.contains("/c.toml"), "{err}");
        let err = salvaged("budget_daily_usd = 5$\n").unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn beside_a_budget_prices_that_cannot_be_read_or_a_budget_given_twice_stop_the_app() {
        let err = salvaged("budget_daily_usd = 5\ntheme = \"x\nconcurrency = 3\n[prices.ttapi.\"m\"]\nimage_out = 9\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[prices]") && err.contains("counts against it"), "{err}");
        let err = salvaged("budget_daily_usd = 5\nprices = 3\n").unwrap_err().to_string();
        assert!(err.contains("prices"), "{err}");
        let err = salvaged("budget_daily_usd = 5\nbudget_daily_usd = 50\ntheme = \"x\n").unwrap_err().to_string();
        assert!(err.contains("given twice"), "{err}");
        // Without a budget, bad prices are only dropped.
        assert!(salvaged("prices = 3\ntheme = \"dark\"\n").is_ok());
    }
}
