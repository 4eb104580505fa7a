//! A batch's entries while it runs: which are done, which another live imgtui runs or has
//! claimed, and this batch's own claim on the rest from its start to its end, so an entry
//! waiting its turn (or out a 429) is not paid for by a second run of the same file.

use std::collections::HashSet;

use rusqlite::{Connection, TransactionBehavior, params};

use super::admit::in_flight;
use super::model::JobId;
use super::owners::owner_of;
use super::{Store, StoreError};
use crate::process::Owner;

/// What the history knows of a batch's entries, by their keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchKeys {
    /// Keys with a job that is done.
    pub done: HashSet<String>,
    /// Keys another live imgtui has: (key, its job if one is queued or running, pid).
    pub elsewhere: Vec<(String, Option<JobId>, u32)>,
}

fn read_keys(conn: &Connection, keys: &[String]) -> rusqlite::Result<BatchKeys> {
    let mut done_stmt = conn.prepare_cached("SELECT 1 FROM jobs WHERE batch_key = ?1 AND status = 'done' LIMIT 1")?;
    let mut claim_stmt =
        conn.prepare_cached("SELECT owner_pid, owner_started FROM batch_claims WHERE batch_key = ?1")?;
    let mut found = BatchKeys::default();
    for key in keys {
        if done_stmt.exists(params![key])? {
            found.done.insert(key.clone());
            continue;
        }
        let others = in_flight(conn, "batch_key = ?1", Some(key))?;
        if let Some((job, pid)) = others.into_iter().find(|(_, pid)| *pid != std::process::id()) {
            found.elsewhere.push((key.clone(), Some(job), pid));
            continue;
        }
        let claims = claim_stmt
            .query_map(params![key], |row| Ok(owner_of(row.get(0)?, row.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(owner) = claims.into_iter().flatten().find(|o| !o.is_this() && o.is_alive()) {
            found.elsewhere.push((key.clone(), None, owner.pid));
        }
    }
    Ok(found)
}

impl Store {
    /// Which of `keys` (batch entries) have a job that is done, or are another live imgtui's.
    pub fn batch_keys(&self, keys: &[String]) -> Result<BatchKeys, StoreError> {
        read_keys(&self.conn, keys).map_err(|e| self.err(e))
    }

    /// As `batch_keys`, and in the same write transaction, when no key is another's: claims
    /// the keys this batch will run (`resume`: those not done; else all of them).
    pub fn claim_batch(&mut self, keys: &[String], resume: bool) -> Result<BatchKeys, StoreError> {
        let path = self.path.clone();
        let db = |e: rusqlite::Error| super::db_error(&path, &e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        let found = read_keys(&tx, keys).map_err(db)?;
        if found.elsewhere.is_empty() {
            forget_the_dead(&tx).map_err(db)?;
            let this = Owner::this();
            let started = this.started.and_then(|s| i64::try_from(s).ok());
            let mut insert = tx
                .prepare_cached("INSERT INTO batch_claims (batch_key, owner_pid, owner_started) VALUES (?1, ?2, ?3)")
                .map_err(db)?;
            for key in keys.iter().filter(|k| !resume || !found.done.contains(*k)) {
                insert.execute(params![key, this.pid, started]).map_err(db)?;
            }
            drop(insert);
            tx.commit().map_err(db)?;
        }
        Ok(found)
    }

    /// This process's batch has ended: its claims go.
    pub fn release_batch(&mut self) -> Result<(), StoreError> {
        let this = Owner::this();
        self.conn
            .execute("DELETE FROM batch_claims WHERE owner_pid = ?1", params![this.pid])
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

/// Claims whose imgtui is gone (killed, crashed) are dropped.
fn forget_the_dead(conn: &Connection) -> rusqlite::Result<()> {
    let owners: Vec<(u32, Option<i64>)> = conn
        .prepare_cached("SELECT DISTINCT owner_pid, owner_started FROM batch_claims")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (pid, started) in owners {
        if !owner_of(Some(pid), started).is_some_and(|o| o.is_alive()) {
            conn.execute("DELETE FROM batch_claims WHERE owner_pid = ?1", params![pid])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim by another live imgtui makes its keys "elsewhere" until it is released; a dead
    /// imgtui's claim counts for nothing.
    #[test]
    fn a_live_claim_is_elsewhere_and_a_dead_ones_is_not() -> Result<(), Box<dyn std::error::Error>> {
        let mut store = Store::open_in_memory()?;
        let keys = vec!["a".to_string(), "b".to_string()];
        let mine = store.claim_batch(&keys, false)?;
        assert!(mine.elsewhere.is_empty(), "this process's own claims are not another's");
        // Another live process (pid 1, no start time known) holds key "c"; a dead one key "d".
        store.conn.execute("INSERT INTO batch_claims VALUES ('c', 1, NULL), ('d', ?1, NULL)", [u32::MAX])?;
        let seen = store.batch_keys(&["c".to_string(), "d".to_string()])?;
        assert_eq!(seen.elsewhere, vec![("c".to_string(), None, 1)]);
        let refused = store.claim_batch(&["c".to_string(), "e".to_string()], false)?;
        assert_eq!(refused.elsewhere.len(), 1);
        let count = |store: &Store, key: &str| -> rusqlite::Result<i64> {
            store.conn.query_row("SELECT count(*) FROM batch_claims WHERE batch_key = ?1", [key], |r| r.get(0))
        };
        assert_eq!(count(&store, "e")?, 0, "nothing claimed when a key is another's");
        store.claim_batch(&["d".to_string()], false)?;
        assert_eq!(count(&store, "d")?, 1, "the dead one's claim was dropped, this one's made");
        store.release_batch()?;
        assert_eq!(count(&store, "a")? + count(&store, "d")?, 0);
        Ok(())
    }
}
