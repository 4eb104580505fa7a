//! Budgets: `budget_daily_usd` and `budget_monthly_usd` in the config, over the local day and
//! month. A request whose estimate would pass one is asked about (app) or refused (headless,
//! unless `--over-budget`).

use serde::{Deserialize, Serialize};

use super::dollars;

/// The largest budget or price taken, in dollars: past it, a number is a typo.
pub const MAX_USD: f64 = 1_000_000.0;

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

/// What the runner checks, with the history's numbers of the moment, before a request goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BudgetCheck {
    pub budgets: Budgets,
    /// `None`: the request's cost cannot be estimated.
    pub estimate: Option<f64>,
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
                && !(v.is_finite() && (0.0..=MAX_USD).contains(&v))
            {
                return Err(format!("{name} = {v}: a budget is a number of dollars from 0 to {MAX_USD}"));
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

    /// Whether any budget is kept.
    pub fn any(&self) -> bool {
        self.daily.is_some() || self.monthly.is_some()
    }

    /// Why a request of `estimate` (`None`: it cannot be estimated) should not go without a
    /// question: it would pass a budget, or it cannot be estimated while a budget is kept (it
    /// could pass the budget by any amount, and its cost stays unknown after).
    pub fn refusal(&self, spent: Spent, estimate: Option<f64>) -> Option<String> {
        match estimate {
            Some(estimate) => self.overrun(spent, estimate).map(|o| o.describe()),
            None => {
                let day = self.daily.map(|b| ("daily", spent.today, b));
                let month = self.monthly.map(|b| ("monthly", spent.month, b));
                day.or(month).map(|(which, spent, budget)| {
                    format!(
                        "this request's cost cannot be estimated (no price or token formula for it), so it cannot \
                         be kept within the {which} budget of {} ({} spent): set its price under [prices] in the config",
                        dollars(budget),
                        dollars(spent)
                    )
                })
            }
        }
    }

    /// "today $1.84 of $5.00" for the status line, when a daily budget is set.
    pub fn status(&self, spent: Spent) -> Option<String> {
        let day = self.daily.map(|daily| format!("today {} of {}", dollars(spent.today), dollars(daily)));
        let month = self.monthly.map(|monthly| format!("month {} of {}", dollars(spent.month), dollars(monthly)));
        match (day, month) {
            (Some(day), Some(month)) => Some(format!("{day} · {month}")),
            (day, month) => day.or(month),
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
        assert_eq!(budgets.status(spent).unwrap(), "today $4.90 of $5.00 · month $12.00 of $20.00");
        // Unestimated: never sent without a question while a budget is kept.
        assert!(budgets.refusal(Spent::default(), None).unwrap().contains("cost cannot be estimated"));
        assert!(Budgets::default().refusal(spent, None).is_none());
        assert!(Budgets { daily: Some(-1.0), monthly: None }.check().unwrap_err().contains("budget_daily_usd"));
    }
}
