//! A damaged history moved aside still knows things a new one must not forget: the highest job
//! id given (a new job 1 would name another job to `imgtui show 1`) and what was spent this
//! month (a budget would start again from nothing). Both are read from the damaged file as far
//! as it can be read, and written into the new one.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, params};

/// What could be carried over, in words for the notice.
pub(super) fn carry_over(damaged: &Path, into: &Connection) -> String {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(old) = Connection::open_with_flags(damaged, flags) else {
        return "nothing could be read from it: job ids and the budgets start again".into();
    };
    let high: Option<i64> = old
        .query_row("SELECT max(id) FROM (SELECT id FROM job_id_high UNION ALL SELECT max(id) FROM jobs)", [], |r| {
            r.get(0)
        })
        .or_else(|_| old.query_row("SELECT max(id) FROM jobs", [], |r| r.get(0)))
        .ok()
        .flatten();
    if let Some(high) = high {
        let _ = into.execute("UPDATE job_id_high SET id = max(id, ?1)", [high]);
    }
    // This month's spend (a day early, for any time zone), as the budgets count it.
    let since = crate::clock::now_ms() - 32 * 86_400_000;
    let (cost, estimate) = (super::spend::believed("cost_usd"), super::spend::believed("estimate_usd"));
    let spent: rusqlite::Result<Vec<(i64, f64)>> = old
        .prepare(&format!(
            "SELECT created_at, coalesce({cost}, {estimate})
             FROM jobs WHERE created_at >= ?1 AND status NOT IN ('queued', 'cancelled')
             UNION ALL SELECT created_at, usd FROM deleted_spend WHERE created_at >= ?1"
        ))
        .and_then(|mut stmt| stmt.query_map([since], |r| Ok((r.get(0)?, r.get::<_, Option<f64>>(1)?)))?.collect())
        .map(|rows: Vec<(i64, Option<f64>)>| rows.into_iter().filter_map(|(at, usd)| Some((at, usd?))).collect());
    let spend = match spent {
        Ok(rows) => {
            for (at, usd) in &rows {
                let _ = into.execute("INSERT INTO deleted_spend (created_at, usd) VALUES (?1, ?2)", params![at, usd]);
            }
            "this month's spend was carried over to the budgets"
        }
        Err(_) => "its spend could not be read: the budgets count from now",
    };
    match high {
        Some(high) => format!("new job ids start after {high}; {spend}"),
        None => format!("its job ids could not be read; {spend}"),
    }
}
