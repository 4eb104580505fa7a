//! What the history's jobs cost, grouped by local day, model or provider: the numbers behind
//! `imgtui history cost` and the app's Spend view. Jobs without a price are counted apart.

use rusqlite::params;
use serde::Serialize;

use super::{Store, StoreError};

/// How costs are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpendBy {
    Day,
    Model,
    Provider,
}

impl SpendBy {
    fn column(self) -> &'static str {
        match self {
            Self::Day => "date(created_at / 1000, 'unixepoch', 'localtime')",
            Self::Model => "model",
            Self::Provider => "provider",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            Self::Day => "DAY",
            Self::Model => "MODEL",
            Self::Provider => "PROVIDER",
        }
    }
}

/// One group's spend: done jobs, how many of them had a price, their cost and tokens.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SpendRow {
    pub key: String,
    pub jobs: u64,
    pub priced: u64,
    pub cost_usd: f64,
    pub tokens: u64,
}

impl SpendRow {
    pub fn unpriced(&self) -> u64 {
        self.jobs - self.priced
    }
}

/// `column` (a cost or an estimate, in dollars) in SQL, unless it is one no job can have (a
/// server's poisoned numbers written by an imgtui before they were refused, text put there by
/// hand): such a figure counts as unknown, never as a fortune.
pub(super) fn believed(column: &str) -> String {
    format!("CASE WHEN {column} BETWEEN 0 AND {} THEN {column} END", crate::cost::compute::JOB_USD_MAX)
}

/// Token counts past this are not believed either.
pub(super) const TOKENS_MAX: i64 = 1_000_000_000_000;

impl Store {
    /// Done jobs of the last `days` local days (today included), grouped `by`; newest day
    /// first, else the dearest first.
    pub fn spend(&self, by: SpendBy, days: u32) -> Result<Vec<SpendRow>, StoreError> {
        // Local calendar days, today and the `days - 1` before it; a job dated in the future
        // (a clock put back) belongs to no window.
        let first_day = format!("-{} days", days.max(1) - 1);
        let order = if by == SpendBy::Day { "key DESC" } else { "cost DESC, key" };
        let sql = format!(
            "SELECT {} AS key, count(*), count({cost}), coalesce(sum({cost}), 0) AS cost,
                    total(CASE WHEN total_tokens BETWEEN 0 AND {TOKENS_MAX} THEN total_tokens END)
             FROM jobs WHERE status = 'done'
               AND date(created_at / 1000, 'unixepoch', 'localtime')
                   BETWEEN date(?2 / 1000, 'unixepoch', 'localtime', ?1) AND date(?2 / 1000, 'unixepoch', 'localtime')
             GROUP BY key ORDER BY {order}",
            by.column(),
            cost = believed("cost_usd"),
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![first_day, crate::clock::now_ms()], |row| {
                Ok(SpendRow {
                    key: row.get(0)?,
                    jobs: row.get::<_, i64>(1)?.max(0) as u64,
                    priced: row.get::<_, i64>(2)?.max(0) as u64,
                    cost_usd: row.get(3)?,
                    tokens: row.get::<_, f64>(4)?.max(0.0) as u64,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }
}

/// Output tokens past any answer's (see `api::response::TOKENS_PER_IMAGE_MAX`): a sample of
/// them would poison every estimate after it.
const OUTPUT_SAMPLE_MAX: i64 = 10 * crate::api::response::TOKENS_PER_IMAGE_MAX as i64;

impl Store {
    /// Output tokens per image of the newest `limit` done jobs that reported them, with the
    /// size and quality they asked (for estimates from history).
    pub fn output_samples(&self, limit: u32) -> Result<Vec<crate::cost::OutputSample>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT model, json_extract(request, '$.size'), json_extract(request, '$.quality'),
                        output_tokens, coalesce(json_extract(request, '$.n'), 1), json_extract(request, '$.complexity')
                 FROM jobs WHERE status = 'done' AND output_tokens BETWEEN 0 AND ?2
                 ORDER BY created_at DESC LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![limit, OUTPUT_SAMPLE_MAX], |row| {
                let (tokens, n) = (row.get::<_, i64>(3)?.max(0) as u64, row.get::<_, i64>(4)?.max(1) as u64);
                Ok(crate::cost::OutputSample {
                    model: row.get(0)?,
                    size: row.get(1)?,
                    quality: row.get(2)?,
                    complexity: row.get(5)?,
                    tokens_per_image: tokens / n,
                })
            })
            .and_then(|rows| {
                // A job that said its images were nearly free teaches the estimates nothing.
                let believable = |sample: &crate::cost::OutputSample| {
                    sample.tokens_per_image >= crate::api::response::OUTPUT_TOKENS_PER_IMAGE_MIN
                };
                rows.filter(|row| row.as_ref().map_or(true, believable)).collect::<Result<Vec<_>, _>>()
            });
        rows.map_err(|e| self.err(e))
    }
}

/// The rows added up.
pub fn total(rows: &[SpendRow]) -> SpendRow {
    rows.iter().fold(SpendRow { key: "total".into(), ..SpendRow::default() }, |mut sum, row| {
        sum.jobs += row.jobs;
        sum.priced += row.priced;
        sum.cost_usd += row.cost_usd;
        sum.tokens = sum.tokens.saturating_add(row.tokens);
        sum
    })
}
