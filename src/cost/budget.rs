//! Budgets: `budget_daily_usd` and `budget_monthly_usd` in the config, over the local day and
//! month. A request whose estimate would pass one is asked about (app) or refused (headless,
//! unless `--over-budget`).

use serde::{Deserialize, Serialize};

use super::dollars;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Budgets {
    pub daily: Option<f64>,
    pub monthly: Option<f64>,
}

/// What the history says was spent (priced jobs only), today and this month, local time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Spent {
    pub today: f64,
    pub month: f64,
}

/// A budget a request would pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Overrun {
    pub period: &'static str,
    pub spent: f64,
    pub estimate: f64,
    pub budget: f64,
}

impl Overrun {
    /// "today $4.90 spent + ≈ $0.17 would pass the daily budget of $5.00".
    pub fn describe(&self) -> String {
        let (when, which) = if self.period == "day" { ("today", "daily") } else { ("this month", "monthly") };
        format!(
            "{when} {} spent + ≈ {} would pass the {which} budget of {}",
            dollars(self.spent),
            dollars(self.estimate),
            dollars(self.budget)
        )
    }
}

impl Budgets {
    /// Each budget must be a number of dollars, 0 or more.
    pub fn check(&self) -> Result<(), String> {
        for (name, value) in [("budget_daily_usd", self.daily), ("budget_monthly_usd", self.monthly)] {
            if let Some(v) = value
                && !(v.is_finite() && v >= 0.0)
            {
                return Err(format!("{name} = {v}: a budget is a number of dollars, 0 or more"));
            }
        }
        Ok(())
    }

    /// The first budget that `estimate` more would pass, if any.
    pub fn overrun(&self, spent: Spent, estimate: f64) -> Option<Overrun> {
        let day = self.daily.map(|budget| Overrun { period: "day", spent: spent.today, estimate, budget });
        let month = self.monthly.map(|budget| Overrun { period: "month", spent: spent.month, estimate, budget });
        [day, month].into_iter().flatten().find(|o| o.spent + o.estimate > o.budget + 1e-12)
    }

    /// "today $1.84 of $5.00" for the status line, when a daily budget is set.
    pub fn status(&self, spent: Spent) -> Option<String> {
        match (self.daily, self.monthly) {
            (Some(daily), _) => Some(format!("today {} of {}", dollars(spent.today), dollars(daily))),
            (None, Some(monthly)) => Some(format!("month {} of {}", dollars(spent.month), dollars(monthly))),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_that_would_pass_a_budget_says_which_and_by_how_much() {
        let budgets = Budgets { daily: Some(5.0), monthly: Some(20.0) };
        let spent = Spent { today: 4.9, month: 12.0 };
        let hit = budgets.overrun(spent, 0.17).unwrap();
        assert_eq!(hit.describe(), "today $4.90 spent + ≈ $0.17 would pass the daily budget of $5.00");
        assert!(budgets.overrun(spent, 0.1).is_none(), "exactly at the budget is allowed");
        let hit = budgets.overrun(Spent { today: 0.0, month: 19.9 }, 0.5).unwrap();
        assert_eq!(hit.period, "month");
        assert!(Budgets::default().overrun(spent, 1e9).is_none(), "no budget, no limit");
        assert_eq!(budgets.status(spent).unwrap(), "today $4.90 of $5.00");
        assert!(Budgets { daily: Some(-1.0), monthly: None }.check().unwrap_err().contains("budget_daily_usd"));
    }
}
