//! The history: every job, its parameters, outcome, usage and image files, in SQLite (WAL,
//! versioned migrations, bound parameters only) beside the image files themselves.

mod admit;
mod batch_claims;
mod carry_over;
mod gallery;
mod image_rows;
mod images;
mod jobs;
pub mod model;
mod owners;
mod pending;
pub mod png_text;
mod schema;
mod search;
mod search_merge;
mod search_words;
mod shared;
pub mod spend;
mod tree;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use admit::{Admitted, NewJob};
pub use batch_claims::BatchKeys;
pub use images::{PendingImage, save_images, sha256_hex as images_sha256, sweep_temp_files};
pub use jobs::DoneOutcome;
pub use model::{ImageRecord, ImageRequest, InputRecord, JobId, JobRecord, JobStatus, JobSummary};
pub use search::{JobQuery, RecentPrompts};
pub use shared::SharedStore;
pub use tree::GroupMember;

pub const DB_FILE: &str = "history.sqlite3";

/// Histories up to this size (a few thousand jobs) are checked whole when opened: the check reads
/// every page, so past this it would slow each start.
const QUICK_CHECK_MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("history database {path}: {message}")]
    Db { path: String, message: String },
    #[error("cannot create the data directory {path}: {message}")]
    Dir { path: String, message: String },
    #[error("job {0} is not in the history")]
    NoSuchJob(JobId),
    /// Another live imgtui runs the job: only it may change it.
    #[error("job {id} is running in another imgtui (pid {pid}); cancel or delete it there")]
    RunningElsewhere { id: JobId, pid: u32 },
    /// Another process holds the database: worth trying again after a while.
    #[error("history database {path} is busy (another process holds it): {message}")]
    Busy { path: String, message: String },
    /// The query was stopped because a newer one replaced it (a search typed further).
    #[error("the history query was stopped: a newer one replaced it")]
    Interrupted,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set when a damaged database was moved aside at open: what happened, for the user.
    pub recovered: Option<String>,
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    crate::clock::now_ms()
}

impl Store {
    /// Opens (or creates) `data_dir/history.sqlite3`. A file that is not a usable database is
    /// never overwritten: it is renamed `history.sqlite3.corrupt-<time>` and a fresh one made.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Dir { path: data_dir.display().to_string(), message: e.to_string() })?;
        let path = data_dir.join(DB_FILE);
        match Self::open_file_while_made(&path) {
            Ok(store) => Ok(store),
            Err(e) if is_damage(&e) => {
                let aside = move_aside(&path)?;
                let mut store = Self::open_file(&path).map_err(|e| db_error(&path, &e))?;
                let carried = carry_over::carry_over(&aside, &store.conn);
                store.recovered = Some(format!(
                    "the history database was damaged ({e}); it was moved to {} and a new one started ({carried})",
                    aside.display()
                ));
                tracing::warn!("{}", store.recovered.as_deref().unwrap_or_default());
                Ok(store)
            }
            Err(e) => Err(db_error(&path, &e)),
        }
    }

    /// Opens `data_dir/history.sqlite3` only to read it, for a data dir this user cannot write
    /// (read-only, full, another user's): nothing is migrated, marked or swept.
    pub fn open_read_only(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join(DB_FILE);
        if !path.is_file() {
            return Err(StoreError::Db { path: path.display().to_string(), message: "there is no history yet".into() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let uri = |mode: &str| format!("file:{}?{mode}", path.display()).replace('#', "%23");
        // `mode=ro` still reads a WAL; where even that needs a write (no -shm file), the file
        // is read as it stands.
        let readable = |conn: &Connection| conn.query_row("SELECT count(*) FROM jobs", [], |row| row.get::<_, i64>(0));
        let conn = Connection::open_with_flags(uri("mode=ro"), flags)
            .and_then(|conn| readable(&conn).map(|_| conn))
            .or_else(|_| Connection::open_with_flags(uri("immutable=1"), flags))
            .map_err(|e| db_error(&path, &e))?;
        readable(&conn).map_err(|e| db_error(&path, &e))?;
        let version: usize =
            conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(|e| db_error(&path, &e))?;
        if version >= schema::VERSION {
            search_words::register(&conn).map_err(|e| db_error(&path, &e))?;
            return Ok(Self { conn, path, recovered: None });
        }
        // A history from an older imgtui cannot be migrated where it lies: it is copied into
        // memory and migrated there, so the queries of this version read it.
        let mut copy = Connection::open_in_memory().map_err(|e| db_error(&path, &e))?;
        rusqlite::backup::Backup::new(&conn, &mut copy)
            .and_then(|backup| backup.run_to_completion(256, std::time::Duration::ZERO, None))
            .map_err(|e| db_error(&path, &e))?;
        Self::prepare(&mut copy, &path)?;
        search_words::register(&copy).map_err(|e| db_error(&path, &e))?;
        Ok(Self { conn: copy, path, recovered: None })
    }

    /// A second connection that only reads, beside this process's writer: in WAL mode its
    /// queries run while the writer writes, and one of them can be stopped (a search typed
    /// past) without touching a write. The history must exist and be of this build's schema.
    pub fn open_reader(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join(DB_FILE);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let uri = format!("file:{}?mode=ro", path.display()).replace('#', "%23");
        let conn = Connection::open_with_flags(uri, flags).map_err(|e| db_error(&path, &e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| db_error(&path, &e))?;
        let version: usize =
            conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(|e| db_error(&path, &e))?;
        if version != schema::VERSION {
            return Err(StoreError::Db { path: path.display().to_string(), message: format!("schema {version}") });
        }
        search_words::register(&conn).map_err(|e| db_error(&path, &e))?;
        Ok(Self { conn, path, recovered: None })
    }

    /// What stops the query this connection runs, from another thread.
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// Why this history cannot be written by this build, when it comes from a newer one.
    pub fn newer_schema(&self) -> Option<String> {
        let version: usize = self.conn.query_row("PRAGMA user_version", [], |row| row.get(0)).ok()?;
        (version > schema::VERSION).then(|| schema::newer_refusal(version))
    }

    /// A private in-memory history, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|e| db_error(&path, &e))?;
        Self::prepare(&mut conn, &path)?;
        search_words::register(&conn).map_err(|e| db_error(&path, &e))?;
        Ok(Self { conn, path, recovered: None })
    }

    /// `open_file`, again for up to a second while another imgtui is making the same new
    /// history: SQLite reports an FTS5 table read in the middle of that as "vtable constructor
    /// failed", not as busy, so its busy wait does not cover it (ten imgtuis started at once on
    /// a fresh history lost one this way).
    fn open_file_while_made(path: &Path) -> Result<Self, rusqlite::Error> {
        let transient = |e: &rusqlite::Error| e.to_string().contains("vtable constructor failed");
        for _ in 0..50 {
            match Self::open_file(path) {
                Err(e) if transient(&e) => std::thread::sleep(std::time::Duration::from_millis(20)),
                done => return done,
            }
        }
        Self::open_file(path)
    }

    fn open_file(path: &Path) -> Result<Self, rusqlite::Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Reading the schema is what fails on a file that is not a database.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A whole-file check costs its size (about 6 ms a MB, 180 ms at 100,000 jobs): done while the history is
        // small; past that, damage shows as an error on the query that meets it.
        let small = std::fs::metadata(path).map_or(true, |m| m.len() <= QUICK_CHECK_MAX_BYTES);
        let check: String =
            if small { conn.query_row("PRAGMA quick_check(1)", [], |row| row.get(0))? } else { "ok".into() };
        if check != "ok" {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(check),
            ));
        }
        search_words::register(&conn)?;
        match schema::migrate(&mut conn)? {
            Ok(()) => Ok(Self { conn, path: path.to_path_buf(), recovered: None }),
            Err(message) => Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
                Some(message),
            )),
        }
    }

    fn prepare(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| db_error(path, &e))?;
        match schema::migrate(conn).map_err(|e| db_error(path, &e))? {
            Ok(()) => Ok(()),
            Err(message) => Err(StoreError::Db { path: path.display().to_string(), message }),
        }
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        db_error(&self.path, &e)
    }
}

fn db_error(path: &Path, e: &rusqlite::Error) -> StoreError {
    let (path, message) = (path.display().to_string(), e.to_string());
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path, message },
        Some(ErrorCode::OperationInterrupted) => StoreError::Interrupted,
        _ => StoreError::Db { path, message },
    }
}

fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt))
}

/// Renames the damaged file (and its WAL and shared-memory files) out of the way.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = crate::files::utc_stamp(crate::clock::now());
    let cannot = |e: std::io::Error| StoreError::Db {
        path: path.display().to_string(),
        message: format!("is damaged and cannot be moved aside: {e}"),
    };
    // A link never replaces an existing file: two damaged files in one second get two names.
    let mut aside = path.with_file_name(format!("{DB_FILE}.corrupt-{stamp}"));
    for n in 2.. {
        match std::fs::hard_link(path, &aside) {
            Ok(()) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {
                aside = path.with_file_name(format!("{DB_FILE}.corrupt-{stamp}-{n}"));
            }
            Err(e) => return Err(cannot(e)),
        }
    }
    std::fs::remove_file(path).map_err(cannot)?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            let _ = std::fs::rename(&side, PathBuf::from(format!("{}{suffix}", aside.display())));
        }
    }
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query on the reader, stopped from another thread, ends as `Interrupted` (the runner
    /// drops such a page: a newer one replaced it), and the reader is usable afterwards.
    #[test]
    fn a_reader_query_stopped_from_another_thread_is_interrupted() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        drop(Store::open(dir.path())?);
        let reader = Store::open_reader(dir.path())?;
        let stop = reader.interrupt_handle();
        // A query that never ends by itself: only the interrupt stops it.
        let running = std::thread::spawn(move || {
            let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
            let result = reader.conn.query_row(endless, [], |row| row.get::<_, i64>(0));
            (result.map_err(|e| db_error(&reader.path, &e)).err(), reader)
        });
        // Interrupting before it starts does nothing, so it is asked until the query ends.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !running.is_finished() && std::time::Instant::now() < deadline {
            stop.interrupt();
            std::thread::yield_now();
        }
        let (error, reader) = running.join().map_err(|_| "the query thread panicked")?;
        assert!(matches!(error, Some(StoreError::Interrupted)), "{error:?}");
        assert_eq!(reader.conn.query_row("SELECT count(*) FROM jobs", [], |row| row.get::<_, i64>(0))?, 0);
        Ok(())
    }

    #[test]
    fn a_reader_writes_nothing() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        drop(Store::open(dir.path())?);
        let reader = Store::open_reader(dir.path())?;
        assert!(reader.conn.execute("DELETE FROM jobs", []).is_err(), "read-only");
        assert!(Store::open_reader(&dir.path().join("none")).is_err(), "no history, no reader");
        Ok(())
    }
}
