//! Reading directories for the file browser, off the UI task: every entry classified (dir,
//! file, link to either, broken link), names kept as paths (non-UTF-8 names still work) and
//! shown lossily, directories first in natural order ("img2" before "img10").

use std::cmp::Ordering;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    File,
    /// A symlink whose target is missing, or a loop.
    BrokenLink,
    /// Sockets, devices, fifos: listed, not pickable.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name as shown (lossy for non-UTF-8 names).
    pub name: String,
    pub path: PathBuf,
    pub kind: EntryKind,
    pub is_link: bool,
    pub bytes: u64,
}

impl Entry {
    pub fn is_hidden(&self) -> bool {
        self.name.starts_with('.')
    }

    /// By extension only: the header is read later, for the rows on screen.
    pub fn looks_like_image(&self) -> bool {
        let ext = self.path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
        self.kind == EntryKind::File && matches!(ext.as_deref(), Some("png" | "jpg" | "jpeg" | "webp" | "gif" | "svg"))
    }
}

/// Lists `dir`, sorted: directories first, then natural order, case-insensitively.
pub fn list_dir(dir: &Path) -> Result<Vec<Entry>, String> {
    let read = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut entries: Vec<Entry> = read
        .filter_map(Result::ok)
        .map(|item| {
            let path = item.path();
            let name = item.file_name().to_string_lossy().into_owned();
            let is_link = item.file_type().is_ok_and(|t| t.is_symlink());
            // metadata() follows links: a missing target or a loop fails here.
            let (kind, bytes) = match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => (EntryKind::Dir, 0),
                Ok(meta) if meta.is_file() => (EntryKind::File, meta.len()),
                Ok(_) => (EntryKind::Other, 0),
                Err(_) if is_link => (EntryKind::BrokenLink, 0),
                Err(_) => (EntryKind::Other, 0),
            };
            Entry { name, path, kind, is_link, bytes }
        })
        .collect();
    entries.sort_by(|a, b| {
        let dir_first = (b.kind == EntryKind::Dir).cmp(&(a.kind == EntryKind::Dir));
        dir_first.then_with(|| natural_cmp(&a.name, &b.name))
    });
    Ok(entries)
}

/// Natural, case-insensitive order: digit runs compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut digits = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(c);
                        it.next();
                    }
                    digits
                };
                let (da, db) = (take(&mut a), take(&mut b));
                let (ta, tb) = (da.trim_start_matches('0'), db.trim_start_matches('0'));
                let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb)).then_with(|| da.len().cmp(&db.len()));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(x), Some(y)) => {
                let order = x.to_lowercase().cmp(y.to_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                a.next();
                b.next();
            }
        }
    }
}

/// Completes a typed path: the longest common extension of the names in its directory that
/// start with what was typed, with `/` after a lone directory. `~` means the home directory.
pub fn complete(typed: &str, home: Option<&Path>) -> String {
    let expanded = expand_home(typed, home);
    let (parent, partial) = match expanded.rfind('/') {
        Some(at) => (&expanded[..=at], &expanded[at + 1..]),
        None => ("./", expanded.as_str()),
    };
    let Ok(read) = fs::read_dir(parent) else { return typed.to_string() };
    let matches: Vec<(String, bool)> = read
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().is_dir()))
        .filter(|(name, _)| name.starts_with(partial) && (!name.starts_with('.') || partial.starts_with('.')))
        .collect();
    let Some((first, _)) = matches.first() else { return typed.to_string() };
    let mut common = first.clone();
    for (name, _) in &matches[1..] {
        let shared = common.chars().zip(name.chars()).take_while(|(a, b)| a == b).count();
        common = common.chars().take(shared).collect();
    }
    let prefix = if parent == "./" && !expanded.starts_with("./") { "" } else { parent };
    let mut completed = format!("{prefix}{common}");
    if matches.len() == 1 && matches[0].1 {
        completed.push('/');
    }
    completed
}

pub fn expand_home(typed: &str, home: Option<&Path>) -> String {
    match (typed.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => format!("{}{rest}", home.display()),
        _ => typed.to_string(),
    }
}

pub fn home_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["img10.png", "Img2.png", "img1.png", "a", "img02.png"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a", "img1.png", "Img2.png", "img02.png", "img10.png"]);
    }
}
