//! Recording a new job: one write transaction that checks the budgets by what the history says
//! was spent at that moment (every imgtui's jobs, the running ones by their estimate) and
//! inserts the job with its estimate.

use rusqlite::params;

use super::model::{ImageRequest, InputRecord, JobId};
use super::{Store, StoreError};

impl Store {
    /// Records a new job as `queued`, with its inputs' content hashes. Returns its id.
    #[cfg(any(test, feature = "internals"))]
    pub fn insert_job(
        &mut self,
        request: &ImageRequest,
        provider: &str,
        base_url: &str,
        parent_id: Option<JobId>,
        inputs: &[InputRecord],
        now: i64,
    ) -> Result<JobId, StoreError> {
        let new = NewJob {
            request,
            provider,
            base_url,
            parent_id,
            inputs,
            now,
            estimate_usd: None,
            group_id: None,
            batch_key: None,
            origin: None,
        };
        match self.admit_jobs(&[new], None, None)? {
            Admitted::Queued(ids) if !ids.is_empty() => Ok(ids[0]),
            // Without budgets nothing is held back.
            _ => Err(StoreError::Db {
                path: self.path.display().to_string(),
                message: "the job was not recorded".into(),
            }),
        }
    }

    /// Records `jobs` as `queued` (several: one group, its first job's id), unless, by what the
    /// history says was spent at this moment (every imgtui's jobs, the running ones by their
    /// estimate), together they would pass `budgets`. The check and the inserts are one write
    /// transaction: two processes that submit at the same instant are checked one after the
    /// other, the second seeing the first's estimate.
    /// An agent's jobs (`agent`: the budgets of every agent's jobs together) are held back by
    /// those too, checked by what agents spent.
    pub fn admit_jobs(
        &mut self,
        jobs: &[NewJob<'_>],
        budgets: Option<&crate::cost::Budgets>,
        agent: Option<&crate::cost::Budgets>,
    ) -> Result<Admitted, StoreError> {
        let path = self.path.clone();
        let encoded: Result<Vec<String>, _> = jobs.iter().map(|new| serde_json::to_string(new.request)).collect();
        let encoded = encoded.map_err(|e| StoreError::Db {
            path: path.display().to_string(),
            message: format!("cannot encode the request: {e}"),
        })?;
        let db = |e: rusqlite::Error| super::db_error(&path, &e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(db)?;
        if let Some(agent) = agent.filter(|b| b.any()) {
            let spent = spent_by(&tx, Whose::Agents).map_err(db)?;
            let estimate = jobs.iter().map(|new| new.estimate_usd).sum::<Option<f64>>();
            if let Some(why) = agent.refusal(spent, estimate) {
                return Ok(Admitted::OverBudget(format!("the agents' budget ([mcp] in the config): {why}")));
            }
        }
        if let Some(budgets) = budgets.filter(|b| b.any()) {
            let spent = spent_by(&tx, Whose::Everyone).map_err(db)?;
            let estimate = jobs.iter().map(|new| new.estimate_usd).sum::<Option<f64>>();
            if let Some(why) = budgets.refusal(spent, estimate) {
                return Ok(Admitted::OverBudget(why));
            }
        }
        for key in jobs.iter().filter_map(|new| new.batch_key.as_deref()) {
            let others = in_flight(&tx, "batch_key = ?1", Some(key)).map_err(db)?;
            if let Some((job, pid)) = others.into_iter().find(|(_, pid)| *pid != std::process::id()) {
                return Ok(Admitted::RunningElsewhere { job, pid });
            }
        }
        let mut ids = Vec::with_capacity(jobs.len());
        let owner = crate::process::Owner::this();
        for (new, request_json) in jobs.iter().zip(&encoded) {
            let request = new.request;
            let group = new.group_id.or_else(|| ids.first().copied());
            tx.execute(
                "INSERT INTO jobs (id, created_at, kind, status, model, prompt, request, provider, base_url, parent_id,
                                   owner_pid, estimate_usd, group_id, batch_key, owner_started, origin)
                 VALUES ((SELECT id + 1 FROM job_id_high), ?1, ?2, 'queued', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                         ?12, ?13, ?14)",
                params![
                    new.now,
                    request.kind().as_str(),
                    request.model(),
                    request.prompt(),
                    request_json,
                    new.provider,
                    new.base_url,
                    new.parent_id,
                    owner.pid,
                    new.estimate_usd,
                    group,
                    new.batch_key,
                    owner.started.and_then(|s| i64::try_from(s).ok()),
                    new.origin
                ],
            )
            .map_err(db)?;
            let id = tx.last_insert_rowid();
            for (position, input) in new.inputs.iter().enumerate() {
                tx.execute(
                    "INSERT INTO job_inputs (job_id, position, role, path, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, position, input.role, input.path.to_string_lossy(), input.sha256],
                )
                .map_err(db)?;
            }
            ids.push(id);
        }
        // The group's first job is in its group too.
        if ids.len() > 1 && jobs[0].group_id.is_none() {
            tx.execute("UPDATE jobs SET group_id = ?1 WHERE id = ?1", params![ids[0]]).map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(Admitted::Queued(ids))
    }

    /// What priced jobs cost today and this month, by the local clock; jobs still queued or
    /// running count by their estimate.
    pub fn spent(&self) -> Result<crate::cost::Spent, StoreError> {
        spent_by(&self.conn, Whose::Everyone).map_err(|e| self.err(e))
    }

    /// Asks the imgtui running job `id` to cancel it (it looks every second); false when the
    /// job is no longer queued or running.
    pub fn ask_cancel(&self, id: JobId) -> Result<bool, StoreError> {
        let changed = self
            .conn
            .execute("UPDATE jobs SET cancel_asked = 1 WHERE id = ?1 AND status IN ('queued', 'running')", params![id])
            .map_err(|e| self.err(e))?;
        Ok(changed > 0)
    }

    /// Whether someone asked to cancel job `id` (see `ask_cancel`).
    pub fn cancel_asked(&self, id: JobId) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT cancel_asked FROM jobs WHERE id = ?1", params![id], |row| row.get::<_, i64>(0))
            .map(|asked| asked != 0)
            .map_err(|e| self.err(e))
    }

    /// What agents' jobs (`imgtui mcp`) cost today and this month, as `spent` counts.
    pub fn agents_spent(&self) -> Result<crate::cost::Spent, StoreError> {
        spent_by(&self.conn, Whose::Agents).map_err(|e| self.err(e))
    }
}

/// A job about to be recorded.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    pub request: &'a ImageRequest,
    pub provider: &'a str,
    pub base_url: &'a str,
    pub parent_id: Option<JobId>,
    pub inputs: &'a [InputRecord],
    pub now: i64,
    /// What it is expected to cost, counted against the budgets while it runs.
    pub estimate_usd: Option<f64>,
    /// The group it joins; `None`: its own, or (several admitted at once) the first's.
    pub group_id: Option<JobId>,
    /// The batch entry it runs (`batch --resume` skips entries whose job is done).
    pub batch_key: Option<String>,
    /// Who sends it when not the person here (`mcp:CLIENT`).
    pub origin: Option<String>,
}

/// Whether a job was recorded, or held back by a budget (and why).
#[derive(Clone, Debug, PartialEq)]
pub enum Admitted {
    /// The ids, in the order given.
    Queued(Vec<JobId>),
    OverBudget(String),
    /// The same batch entry is queued or running in another live imgtui: sending it again
    /// would pay for it twice.
    RunningElsewhere {
        job: JobId,
        pid: u32,
    },
}

/// Jobs queued or running in a live imgtui (this one included) that match `condition`, as
/// (job, pid).
pub(super) fn in_flight(
    conn: &rusqlite::Connection,
    condition: &str,
    value: Option<&str>,
) -> rusqlite::Result<Vec<(JobId, u32)>> {
    let sql =
        format!("SELECT id, owner_pid, owner_started FROM jobs WHERE status IN ('queued', 'running') AND {condition}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let read =
        |row: &rusqlite::Row<'_>| Ok((row.get::<_, JobId>(0)?, super::owners::owner_of(row.get(1)?, row.get(2)?)));
    let rows = match value {
        Some(value) => stmt.query_map(params![value], read)?.collect::<Result<Vec<_>, _>>()?,
        None => stmt.query_map([], read)?.collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows.into_iter().filter_map(|(id, owner)| owner.filter(|o| o.is_alive()).map(|o| (id, o.pid))).collect())
}

/// The first instant of `now_ms`'s month in UTC (the local month starts within a day of it).
fn month_start_ms(now_ms: i64) -> i64 {
    let day = crate::clock::Date::from_unix(now_ms.div_euclid(1000));
    crate::clock::Date::new(day.year, day.month, 1).days_from_epoch() * 86_400_000
}

/// Whose spending a sum counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Whose {
    /// Every job, and what deleted jobs had cost (see `Store::spent`).
    Everyone,
    /// Agents' jobs, an origin of `mcp:…` (see `Store::agents_spent`).
    Agents,
}

/// What priced jobs cost today and this month by the local clock; jobs still queued or
/// running count by their estimate.
fn spent_by(conn: &rusqlite::Connection, whose: Whose) -> rusqlite::Result<crate::cost::Spent> {
    // A cost no job can have (written before such numbers were refused) counts at the estimate;
    // neither counts when it is no figure a job can have (see `spend::believed`).
    let (cost, estimate) = (super::spend::believed("cost_usd"), super::spend::believed("estimate_usd"));
    let spend = format!(
        "CASE WHEN status IN ('queued', 'running') OR (cost_usd IS NOT NULL AND {cost} IS NULL) THEN {estimate}
         ELSE cost_usd END AS spend"
    );
    let rows = match whose {
        Whose::Everyone => format!(
            "SELECT created_at, {spend} FROM jobs WHERE created_at >= ?2
             UNION ALL SELECT created_at, usd FROM deleted_spend WHERE created_at >= ?2"
        ),
        Whose::Agents => format!("SELECT created_at, {spend} FROM jobs WHERE origin LIKE 'mcp:%' AND created_at >= ?2"),
    };
    let sql = format!(
        "SELECT
           coalesce(sum(CASE WHEN date(created_at / 1000, 'unixepoch', 'localtime') = date(?1 / 1000, 'unixepoch', 'localtime')
                        THEN spend END), 0),
           coalesce(sum(CASE WHEN strftime('%Y-%m', created_at / 1000, 'unixepoch', 'localtime')
                             = strftime('%Y-%m', ?1 / 1000, 'unixepoch', 'localtime') THEN spend END), 0)
         FROM ({rows}) WHERE spend IS NOT NULL"
    );
    conn.prepare_cached(&sql)?.query_row(
        // Only this month's rows are read (a day early, for any time zone): the index on
        // created_at keeps this quick however long the history is.
        params![crate::clock::now_ms(), month_start_ms(crate::clock::now_ms()) - 86_400_000],
        |row| Ok(crate::cost::Spent { today: row.get(0)?, month: row.get(1)? }),
    )
}
