//! Versioned migrations, applied in order inside a transaction each; `PRAGMA user_version`
//! records how far a database has come.

use rusqlite::{Connection, TransactionBehavior};

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: jobs, their inputs and images.
    "CREATE TABLE jobs (
        id             INTEGER PRIMARY KEY,
        created_at     INTEGER NOT NULL,
        started_at     INTEGER,
        finished_at    INTEGER,
        kind           TEXT NOT NULL CHECK (kind IN ('generate', 'edit')),
        status         TEXT NOT NULL CHECK (status IN
                         ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
        model          TEXT NOT NULL,
        prompt         TEXT NOT NULL,
        request        TEXT NOT NULL,
        provider       TEXT NOT NULL,
        base_url       TEXT NOT NULL,
        error          TEXT,
        http_status    INTEGER,
        retries        INTEGER NOT NULL DEFAULT 0,
        input_tokens   INTEGER,
        output_tokens  INTEGER,
        total_tokens   INTEGER,
        usage          TEXT,
        revised_prompt TEXT,
        response_meta  TEXT,
        parent_id      INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
        owner_pid      INTEGER
    );
    CREATE INDEX jobs_newest ON jobs(created_at DESC, id DESC);
    CREATE INDEX jobs_by_status ON jobs(status, created_at DESC, id DESC);
    CREATE TABLE job_inputs (
        job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role     TEXT NOT NULL CHECK (role IN ('image', 'mask')),
        path     TEXT NOT NULL,
        sha256   TEXT,
        PRIMARY KEY (job_id, position)
    );
    CREATE TABLE images (
        job_id  INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        idx     INTEGER NOT NULL,
        path    TEXT NOT NULL,
        format  TEXT NOT NULL,
        width   INTEGER,
        height  INTEGER,
        bytes   INTEGER NOT NULL,
        sha256  TEXT NOT NULL,
        PRIMARY KEY (job_id, idx)
    );",
    // 2: images about to be written, recorded first, so a whole temp file left by a killed
    // imgtui can be recognised (size and hash) and recovered into its job at the next start.
    "CREATE TABLE pending_images (
        job_id    INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        idx       INTEGER NOT NULL,
        temp_path TEXT NOT NULL,
        dir       TEXT NOT NULL,
        name      TEXT NOT NULL,
        format    TEXT NOT NULL,
        width     INTEGER,
        height    INTEGER,
        bytes     INTEGER NOT NULL,
        sha256    TEXT NOT NULL,
        PRIMARY KEY (job_id, idx)
    );",
    // 3: the API's own images, kept beside results imgtui changed (the original put back
    // outside the mask); same columns as `images`.
    "CREATE TABLE raw_images (
        job_id  INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        idx     INTEGER NOT NULL,
        path    TEXT NOT NULL,
        format  TEXT NOT NULL,
        width   INTEGER,
        height  INTEGER,
        bytes   INTEGER NOT NULL,
        sha256  TEXT NOT NULL,
        PRIMARY KEY (job_id, idx)
    );",
    // 4: what a job cost, and the price list it was priced from (a later price change does not
    // rewrite it). NULL: no price known (TTAPI without configured prices, an unknown model).
    "ALTER TABLE jobs ADD COLUMN cost_usd REAL;
     ALTER TABLE jobs ADD COLUMN cost_basis TEXT;",
    // 5: what a job was estimated to cost when it was sent: a job still running counts
    // against the budgets by it (this imgtui's jobs and another's alike).
    "ALTER TABLE jobs ADD COLUMN estimate_usd REAL;",
    // 6: iteration. Stars; the jobs of one submit (variants, a setting varied) share a group
    // (its first job's id); a batch entry's hash, so `batch --resume` skips what is done; edit
    // trees walked by parent. Search through FTS5 with the trigram tokenizer (substrings, any
    // script, case folded), kept in step by triggers and filled here from the rows there are.
    "ALTER TABLE jobs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE jobs ADD COLUMN group_id INTEGER;
     ALTER TABLE jobs ADD COLUMN batch_key TEXT;
     CREATE INDEX jobs_by_parent ON jobs(parent_id) WHERE parent_id IS NOT NULL;
     CREATE INDEX jobs_by_group ON jobs(group_id) WHERE group_id IS NOT NULL;
     CREATE INDEX jobs_by_batch_key ON jobs(batch_key) WHERE batch_key IS NOT NULL;
     CREATE INDEX jobs_starred ON jobs(created_at DESC, id DESC) WHERE starred = 1;
     CREATE VIRTUAL TABLE jobs_fts USING fts5(
         prompt, revised_prompt, model, content = 'jobs', content_rowid = 'id', tokenize = 'trigram'
     );
     INSERT INTO jobs_fts (rowid, prompt, revised_prompt, model) SELECT id, prompt, revised_prompt, model FROM jobs;
     CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN
         INSERT INTO jobs_fts (rowid, prompt, revised_prompt, model)
         VALUES (new.id, new.prompt, new.revised_prompt, new.model);
     END;
     CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
         INSERT INTO jobs_fts (jobs_fts, rowid, prompt, revised_prompt, model)
         VALUES ('delete', old.id, old.prompt, old.revised_prompt, old.model);
     END;
     CREATE TRIGGER jobs_fts_update AFTER UPDATE OF prompt, revised_prompt, model ON jobs BEGIN
         INSERT INTO jobs_fts (jobs_fts, rowid, prompt, revised_prompt, model)
         VALUES ('delete', old.id, old.prompt, old.revised_prompt, old.model);
         INSERT INTO jobs_fts (rowid, prompt, revised_prompt, model)
         VALUES (new.id, new.prompt, new.revised_prompt, new.model);
     END;",
    // 7: an id is never given twice (a deleted newest job's id named another job after it: the
    // highest id ever given is kept apart); the owner's start time beside its pid (a reused
    // pid is not the owner); token counts and costs a server poisoned become unknown.
    "CREATE TABLE job_id_high (id INTEGER NOT NULL);
     INSERT INTO job_id_high SELECT coalesce(max(id), 0) FROM jobs;
     CREATE TRIGGER job_id_high_up AFTER INSERT ON jobs BEGIN
         UPDATE job_id_high SET id = max(id, new.id);
     END;
     ALTER TABLE jobs ADD COLUMN owner_started INTEGER;
     UPDATE jobs SET input_tokens = NULL, output_tokens = NULL, total_tokens = NULL, usage = NULL,
                     cost_usd = NULL, cost_basis = NULL
     WHERE input_tokens < 0 OR output_tokens < 0 OR total_tokens < 0 OR total_tokens > 1000000000000
        OR cost_usd < 0 OR cost_usd > 1000;",
    // 8: what deleted jobs had cost: deleting a job from the list does not give its money back
    // to the budgets.
    "CREATE TABLE deleted_spend (created_at INTEGER NOT NULL, usd REAL NOT NULL);",
    // 9: an edit's markup (gpt-image-2.6) is an input of its own; SQLite changes a CHECK only
    // by building the table again.
    "CREATE TABLE job_inputs_9 (
        job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role     TEXT NOT NULL CHECK (role IN ('image', 'mask', 'markup')),
        path     TEXT NOT NULL,
        sha256   TEXT,
        PRIMARY KEY (job_id, position)
    );
    INSERT INTO job_inputs_9 SELECT job_id, position, role, path, sha256 FROM job_inputs;
    DROP TABLE job_inputs;
    ALTER TABLE job_inputs_9 RENAME TO job_inputs;",
    // 10: who sent a job when not the person at this terminal (`mcp:CLIENT` for an agent through
    // `imgtui mcp`); NULL: the person, from the app or the shell.
    "ALTER TABLE jobs ADD COLUMN origin TEXT;
     CREATE INDEX jobs_by_origin ON jobs(origin, created_at) WHERE origin IS NOT NULL;",
    // 11: the person asked, from another imgtui, to stop a job this one runs (an agent's,
    // a batch's): the process running it looks and cancels it.
    "ALTER TABLE jobs ADD COLUMN cancel_asked INTEGER NOT NULL DEFAULT 0;",
    // 12: words and their one- and two-letter starts, so a short search word (which has no
    // trigram) is found through an index at any history size (see store/search_words.rs).
    "CREATE VIRTUAL TABLE jobs_words USING fts5(
         prompt, revised_prompt, model, content = 'jobs', content_rowid = 'id',
         tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2'
     );
     INSERT INTO jobs_words (rowid, prompt, revised_prompt, model) SELECT id, prompt, revised_prompt, model FROM jobs;
     CREATE TRIGGER jobs_words_insert AFTER INSERT ON jobs BEGIN
         INSERT INTO jobs_words (rowid, prompt, revised_prompt, model)
         VALUES (new.id, new.prompt, new.revised_prompt, new.model);
     END;
     CREATE TRIGGER jobs_words_delete AFTER DELETE ON jobs BEGIN
         INSERT INTO jobs_words (jobs_words, rowid, prompt, revised_prompt, model)
         VALUES ('delete', old.id, old.prompt, old.revised_prompt, old.model);
     END;
     CREATE TRIGGER jobs_words_update AFTER UPDATE OF prompt, revised_prompt, model ON jobs BEGIN
         INSERT INTO jobs_words (jobs_words, rowid, prompt, revised_prompt, model)
         VALUES ('delete', old.id, old.prompt, old.revised_prompt, old.model);
         INSERT INTO jobs_words (rowid, prompt, revised_prompt, model)
         VALUES (new.id, new.prompt, new.revised_prompt, new.model);
     END;",
    // 13: a running batch's claim on its entries, from its start to its end: an entry not yet
    // sent (waiting out a 429, or its turn) is the batch's, and a second run of the same file
    // is refused instead of paying for it too. A dead owner's claim counts for nothing.
    "CREATE TABLE batch_claims (
        batch_key     TEXT NOT NULL,
        owner_pid     INTEGER NOT NULL,
        owner_started INTEGER
    );
    CREATE INDEX batch_claims_by_key ON batch_claims(batch_key);",
];

/// The schema version this build writes.
pub const VERSION: usize = MIGRATIONS.len();

/// Why a history of schema `current` (newer than this build's) is not written to.
pub fn newer_refusal(current: usize) -> String {
    format!(
        "the history database has schema version {current}, newer than this imgtui knows ({VERSION}); update \
         imgtui or use another --data-dir"
    )
}

/// Brings the database up to `VERSION`. A database from a newer imgtui is refused, not changed.
/// Each step takes the write lock first (`BEGIN IMMEDIATE`) and reads the version inside it,
/// so two imgtui processes starting on a fresh file do not both migrate it.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<(), String>> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: usize = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if current > VERSION {
            return Ok(Err(newer_refusal(current)));
        }
        let Some(sql) = MIGRATIONS.get(current) else { return Ok(Ok(())) };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}
