//! Imports go down: every `crate::` and `super::` path in `src/` is held to the order of layers
//! written in docs/architecture.md (a room imports its own layer or lower), and no two rooms
//! import each other, however far round. A new upward import fails here, named with its file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The layers, bottom first, as docs/architecture.md lists them.
fn layers() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(format!("{ROOT}/docs/architecture.md")).unwrap();
    let section = text.split("## Layers").nth(1).expect("a Layers section");
    let mut level = BTreeMap::new();
    for line in section.lines() {
        let Some((number, rest)) = line.split_once(". ") else { continue };
        let Ok(number) = number.trim().parse::<usize>() else { continue };
        let names = rest.split(':').next().unwrap_or_default();
        for room in names.split('`').skip(1).step_by(2) {
            assert!(level.insert(room.to_string(), number).is_none(), "{room} is listed twice");
        }
    }
    level
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/api/client.rs` → ["api", "client"]; `src/tui/state/mod.rs` → ["tui", "state"].
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The room of a module path: its first part, inside `tui` its second.
fn room_of(path: &[String]) -> Option<String> {
    let first = path.first()?;
    match (first.as_str(), path.get(1)) {
        ("tui", Some(sub)) => Some(format!("tui/{sub}")),
        _ => Some(first.clone()),
    }
}

/// The code without comments, string and char literals, and without its tests.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let chars: Vec<char> = text.chars().collect();
    let (mut out, mut i) = (String::with_capacity(text.len()), 0);
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            ('"', _) => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            // A char literal ('"', '\'', 'x'), not a lifetime.
            ('\'', Some('\\')) => {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            ('\'', Some(_)) if chars.get(i + 2) == Some(&'\'') => i += 3,
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The module paths `code` names: `crate::a::b` as ["a", "b"], `super::super::x` from `here`.
fn paths_named(code: &str, here: &[String]) -> Vec<(Vec<String>, String)> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !word(bytes[i - 1]);
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        if starts_word && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let mut j = i;
            while j < bytes.len() && (word(bytes[j]) || bytes[j] == ':') {
                j += 1;
            }
            let text: String = bytes[i..j].iter().collect();
            let segments: Vec<String> = text.split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
            let path = match segments.first().map(String::as_str) {
                Some("crate") => segments[1..].to_vec(),
                _ => {
                    let ups = segments.iter().take_while(|s| *s == "super").count();
                    let mut base = here[..here.len().saturating_sub(ups)].to_vec();
                    base.extend(segments[ups..].iter().cloned());
                    base
                }
            };
            found.push((path, text));
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// Every room's imports of other rooms, each with the first place that shows it.
fn arrows() -> BTreeMap<(String, String), String> {
    let src = PathBuf::from(ROOT).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rooms: BTreeSet<String> =
        files.iter().filter_map(|f| room_of(&module_path(f.strip_prefix(&src).unwrap()))).collect();
    let mut arrows = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap().to_path_buf();
        let here = module_path(&relative);
        // A file `x.rs` is module `x`; `super` in it is x's parent, as in `x/mod.rs`.
        let Some(room) = room_of(&here) else { continue };
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for (path, text) in paths_named(&code, &here) {
            let Some(target) = room_of(&path) else { continue };
            let target = if rooms.contains(&target) { target } else { path[0].clone() };
            if target != room && rooms.contains(&target) {
                arrows.entry((room.clone(), target)).or_insert_with(|| format!("{}: {text}", relative.display()));
            }
        }
    }
    arrows
}

#[test]
fn every_import_points_down_the_written_layers_and_no_two_rooms_import_each_other() {
    let level = layers();
    let arrows = arrows();
    let mut wrong = Vec::new();
    let rooms: BTreeSet<&String> = arrows.keys().flat_map(|(a, b)| [a, b]).collect();
    for room in rooms {
        if !level.contains_key(room.as_str()) {
            wrong.push(format!("{room} is on no layer of docs/architecture.md"));
        }
    }
    for ((from, to), at) in &arrows {
        if let (Some(a), Some(b)) = (level.get(from), level.get(to))
            && b > a
        {
            wrong.push(format!("{from} (layer {a}) imports {to} (layer {b}): {at}"));
        }
    }
    // Same-layer imports are allowed; a circle through them is not.
    let next: BTreeMap<&String, Vec<&String>> = arrows.keys().fold(BTreeMap::new(), |mut map, (a, b)| {
        map.entry(a).or_default().push(b);
        map
    });
    for start in next.keys() {
        let mut stack = vec![(*start, vec![*start])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for to in next.get(at).into_iter().flatten() {
                if to == start {
                    let names: Vec<&str> = trail.iter().map(|s| s.as_str()).collect();
                    wrong.push(format!("a circle: {} -> {start}", names.join(" -> ")));
                } else if seen.insert(*to) {
                    let mut longer = trail.clone();
                    longer.push(to);
                    stack.push((to, longer));
                }
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "imports against docs/architecture.md:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_an_upward_import_and_a_circle() {
    let code = code_of("use crate::tui::ui::overlay; // crate::cli in a comment\nlet s = \"crate::api\";");
    let here = vec!["store".to_string(), "jobs".to_string()];
    let named: Vec<Vec<String>> = paths_named(&code, &here).into_iter().map(|(p, _)| p).collect();
    assert_eq!(named, [vec!["tui".to_string(), "ui".to_string(), "overlay".to_string()]]);
    assert_eq!(room_of(&named[0]).as_deref(), Some("tui/ui"));
    let up = paths_named("super::super::event::Command", &["tui".into(), "update".into(), "lists".into()]);
    assert_eq!(room_of(&up[0].0).as_deref(), Some("tui/event"));
    assert!(layers()["api"] < layers()["store"], "the written order is read");
}
