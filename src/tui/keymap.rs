//! Key bindings as data: the embedded default keymap with the user's file merged over it.
//! Keys are parsed from names such as `ctrl-s`, `alt-enter`, `G`, `f5`.

use std::collections::BTreeMap;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

pub const DEFAULT_KEYMAP: &str = include_str!("../../config/keymap.toml");

pub use super::context::Context;

/// A key as the keymap knows it: code plus modifiers, normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeName,
    pub ctrl: bool,
    pub alt: bool,
    /// Shift with a key that is not a character (a character carries its case).
    pub shift: bool,
}

/// `KeyCode` is not `Ord`; this is the subset keymaps use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeName {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Option<Self> {
        let code = match event.code {
            KeyCode::Char(' ') => KeyCodeName::Char(' '),
            KeyCode::Char(c) => KeyCodeName::Char(c),
            KeyCode::F(n) => KeyCodeName::F(n),
            KeyCode::Enter => KeyCodeName::Enter,
            KeyCode::Esc => KeyCodeName::Esc,
            KeyCode::Tab => KeyCodeName::Tab,
            KeyCode::BackTab => KeyCodeName::BackTab,
            KeyCode::Backspace => KeyCodeName::Backspace,
            KeyCode::Delete => KeyCodeName::Delete,
            KeyCode::Up => KeyCodeName::Up,
            KeyCode::Down => KeyCodeName::Down,
            KeyCode::Left => KeyCodeName::Left,
            KeyCode::Right => KeyCodeName::Right,
            KeyCode::Home => KeyCodeName::Home,
            KeyCode::End => KeyCodeName::End,
            KeyCode::PageUp => KeyCodeName::PageUp,
            KeyCode::PageDown => KeyCodeName::PageDown,
            _ => return None,
        };
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        // Ctrl-/ reaches a terminal program as 0x1F, which crossterm reads as Ctrl-7 (and some
        // terminals send Ctrl-_): all three are Ctrl-/, readline's undo.
        let code = match code {
            KeyCodeName::Char('7' | '_') if ctrl => KeyCodeName::Char('/'),
            code => code,
        };
        // Shift is part of a character (`G`, `?`), so it is a modifier only for other keys.
        let shift = event.modifiers.contains(KeyModifiers::SHIFT)
            && !matches!(code, KeyCodeName::Char(_) | KeyCodeName::BackTab);
        Some(Self { code, ctrl, alt: event.modifiers.contains(KeyModifiers::ALT), shift })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let mut key = Self { code: KeyCodeName::Esc, ctrl: false, alt: false, shift: false };
        let mut rest = text;
        let mut shift = false;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").map(|_| &rest[5..]) {
                key.ctrl = true;
                rest = r;
            } else if let Some(r) = lower.strip_prefix("alt-").map(|_| &rest[4..]) {
                key.alt = true;
                rest = r;
            } else if let Some(r) = lower.strip_prefix("shift-").map(|_| &rest[6..]) {
                shift = true;
                rest = r;
            } else {
                break;
            }
        }
        key.code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCodeName::Enter,
            "esc" | "escape" => KeyCodeName::Esc,
            "tab" if shift => KeyCodeName::BackTab,
            "tab" => KeyCodeName::Tab,
            "backtab" => KeyCodeName::BackTab,
            "backspace" => KeyCodeName::Backspace,
            "delete" | "del" => KeyCodeName::Delete,
            "up" => KeyCodeName::Up,
            "down" => KeyCodeName::Down,
            "left" => KeyCodeName::Left,
            "right" => KeyCodeName::Right,
            "home" => KeyCodeName::Home,
            "end" => KeyCodeName::End,
            "pageup" => KeyCodeName::PageUp,
            "pagedown" => KeyCodeName::PageDown,
            "space" => KeyCodeName::Char(' '),
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                KeyCodeName::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if shift => KeyCodeName::Char(c.to_ascii_uppercase()),
                    // As with Ctrl, "alt-G" is Alt and g; Alt and G is "alt-shift-g".
                    (Some(c), None) if key.ctrl || key.alt => KeyCodeName::Char(c.to_ascii_lowercase()),
                    (Some(c), None) => KeyCodeName::Char(c),
                    _ => return Err(format!("\"{text}\" is not a key (e.g. \"ctrl-s\", \"G\", \"pagedown\", \"f5\")")),
                }
            }
        };
        key.shift = shift && !matches!(key.code, KeyCodeName::Char(_) | KeyCodeName::BackTab);
        // As `from_event` reads them: Ctrl-7 and Ctrl-_ are Ctrl-/ (one byte on the wire).
        if key.ctrl && matches!(key.code, KeyCodeName::Char('7' | '_')) {
            key.code = KeyCodeName::Char('/');
        }
        Ok(key)
    }

    /// The key's name as help shows it.
    pub fn display(&self) -> String {
        let mut text = String::new();
        if self.ctrl {
            text.push_str("Ctrl-");
        }
        if self.alt {
            text.push_str("Alt-");
        }
        if self.shift {
            text.push_str("Shift-");
        }
        // "Ctrl-S" is Ctrl and s, as users write it; a capital needs its Shift said.
        if (self.ctrl || self.alt) && matches!(self.code, KeyCodeName::Char(c) if c.is_ascii_uppercase()) {
            text.push_str("Shift-");
        }
        let name = match self.code {
            KeyCodeName::Char(' ') => "Space".to_string(),
            KeyCodeName::Char(c) if self.ctrl || self.alt => c.to_ascii_uppercase().to_string(),
            KeyCodeName::Char(c) => c.to_string(),
            KeyCodeName::F(n) => format!("F{n}"),
            KeyCodeName::Enter => "Enter".into(),
            KeyCodeName::Esc => "Esc".into(),
            KeyCodeName::Tab => "Tab".into(),
            KeyCodeName::BackTab => "Shift-Tab".into(),
            KeyCodeName::Backspace => "Backspace".into(),
            KeyCodeName::Delete => "Del".into(),
            KeyCodeName::Up => "↑".into(),
            KeyCodeName::Down => "↓".into(),
            KeyCodeName::Left => "←".into(),
            KeyCodeName::Right => "→".into(),
            KeyCodeName::Home => "Home".into(),
            KeyCodeName::End => "End".into(),
            KeyCodeName::PageUp => "PgUp".into(),
            KeyCodeName::PageDown => "PgDn".into(),
        };
        text.push_str(&name);
        text
    }
}

impl Key {
    /// The key's name as a keymap file writes it (`ctrl-s`, `shift-left`, `G`, `space`).
    pub fn file_name(&self) -> String {
        let mut text = String::new();
        for (on, prefix) in [(self.ctrl, "ctrl-"), (self.alt, "alt-"), (self.shift, "shift-")] {
            if on {
                text.push_str(prefix);
            }
        }
        let name = match self.code {
            KeyCodeName::Char(' ') => "space".to_string(),
            KeyCodeName::Char(c) => c.to_string(),
            KeyCodeName::F(n) => format!("f{n}"),
            KeyCodeName::Enter => "enter".into(),
            KeyCodeName::Esc => "esc".into(),
            KeyCodeName::Tab => "tab".into(),
            KeyCodeName::BackTab => "backtab".into(),
            KeyCodeName::Backspace => "backspace".into(),
            KeyCodeName::Delete => "delete".into(),
            KeyCodeName::Up => "up".into(),
            KeyCodeName::Down => "down".into(),
            KeyCodeName::Left => "left".into(),
            KeyCodeName::Right => "right".into(),
            KeyCodeName::Home => "home".into(),
            KeyCodeName::End => "end".into(),
            KeyCodeName::PageUp => "pageup".into(),
            KeyCodeName::PageDown => "pagedown".into(),
        };
        text.push_str(&name);
        text
    }
}

/// Bindings per context, in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Key, Action)>>,
}

impl Keymap {
    /// The embedded default keymap.
    pub fn builtin() -> Self {
        let mut keymap = Self { bindings: BTreeMap::new() };
        // The embedded file is checked by a test; a mistake there cannot reach a user.
        let _ = keymap.merge(DEFAULT_KEYMAP, Path::new("(built-in keymap)"));
        keymap
    }

    /// The default keymap with the user's file merged over it. Each line that cannot be used
    /// is dropped alone and said, with the file, line and key; the rest of the file applies.
    pub fn load(user_file: &Path) -> (Self, Vec<String>) {
        let mut keymap = Self::builtin();
        let text = match crate::files::read_text_bounded(user_file, crate::files::SETTINGS_FILE_MAX) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (keymap, Vec::new()),
            Err(e) => {
                return (
                    keymap,
                    vec![format!("cannot read keymap {}: {e}; using the default keys", user_file.display())],
                );
            }
        };
        let problems = keymap.merge(&text, user_file);
        (keymap, problems)
    }

    /// Merges a keymap file's text over these bindings; returns what was dropped and why (a
    /// file that is not TOML at all changes nothing).
    pub fn merge(&mut self, text: &str, path: &Path) -> Vec<String> {
        let at_line = |span: Option<std::ops::Range<usize>>| {
            span.map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1)
        };
        let doc: toml::Spanned<toml::Table> = match toml::from_str(text) {
            Ok(doc) => doc,
            Err(e) => {
                return vec![format!(
                    "keymap {}, line {}: {}; using the default keys",
                    path.display(),
                    at_line(e.span()),
                    e.message().trim()
                )];
            }
        };
        // Where each section and key was written, from the parser's spans (a key may appear in
        // several sections: `q` in [settings] and in [history] are two places).
        type Spans = std::collections::BTreeMap<toml::Spanned<String>, toml::Value>;
        let spans: std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<Spans>> =
            toml::from_str(text).unwrap_or_default();
        let section_at = |section: &str| spans.keys().find(|k| k.get_ref() == section).map(toml::Spanned::span);
        let key_at = |section: &str, key: &str| {
            let (_, entries) = spans.iter().find(|(k, _)| k.get_ref() == section)?;
            entries.get_ref().keys().find(|k| k.get_ref() == key).map(toml::Spanned::span)
        };
        let mut problems = Vec::new();
        for (section, value) in doc.get_ref() {
            let Some(context) = Context::ALL.into_iter().find(|c| c.name() == section) else {
                let names: Vec<_> = Context::ALL.iter().map(|c| c.name()).collect();
                problems.push(format!(
                    "keymap {}, line {}: [{section}] is not a section ({}); its lines are dropped",
                    path.display(),
                    at_line(section_at(section)),
                    names.join(", ")
                ));
                continue;
            };
            let toml::Value::Table(entries) = value else {
                problems.push(format!("keymap {}: {section} must be a table of \"key\" = \"command\"", path.display()));
                continue;
            };
            for (key_text, command) in entries {
                let line = at_line(key_at(section, key_text));
                let where_ = format!("keymap {}, line {line}, [{section}] \"{key_text}\"", path.display());
                match self.bind(context, key_text, command) {
                    Ok(()) => {}
                    Err(why) => problems.push(format!("{where_}: {why}; the line is dropped")),
                }
            }
        }
        problems
    }

    /// One line of a keymap file: `key_text` = `command` in `context`'s section.
    fn bind(&mut self, context: Context, key_text: &str, command: &toml::Value) -> Result<(), String> {
        let key = Key::parse(key_text)?;
        let name = command.as_str().ok_or("the command must be a string")?;
        if name == "none" {
            self.bindings.entry(context).or_default().retain(|(k, _)| *k != key);
            return Ok(());
        }
        let action: Action = serde_json::from_value(serde_json::Value::String(name.into())).map_err(|_| {
            format!("\"{name}\" is not a command ({} takes: {})", context.name(), command_names(context))
        })?;
        if super::commands::describe(context, action).is_none() {
            return Err(format!("{name} is not a {} command (it takes: {})", context.name(), command_names(context)));
        }
        let list = self.bindings.entry(context).or_default();
        list.retain(|(k, _)| *k != key);
        list.push((key, action));
        Ok(())
    }

    /// The action for `key` in `context`: the layer's own binding, else [global]'s (in full on
    /// the panes; on other screens only what must always work: quit, suspend, help).
    pub fn action(&self, context: Context, key: &Key) -> Option<Action> {
        let find = |c: Context| self.bindings.get(&c).and_then(|l| l.iter().find(|(k, _)| k == key)).map(|(_, a)| *a);
        find(context).or_else(|| {
            find(Context::Global)
                .filter(|a| context == Context::Global || context.is_pane() || super::commands::EVERYWHERE.contains(a))
        })
    }

    pub fn bindings(&self, context: Context) -> &[(Key, Action)] {
        self.bindings.get(&context).map_or(&[], Vec::as_slice)
    }

    /// The first key bound to `action` in `context` (or globally), for the footer.
    pub fn key_for(&self, context: Context, action: Action) -> Option<Key> {
        let find = |c: Context| self.bindings(c).iter().find(|(_, a)| *a == action).map(|(k, _)| *k);
        find(context).or_else(|| find(Context::Global))
    }

    /// The key a hint should name for `action` in `context` (what the user's keymap binds), or
    /// the action's description when nothing is bound to it.
    pub fn hint(&self, context: Context, action: Action) -> String {
        self.key_for(context, action).map_or_else(|| format!("({})", action.description()), |k| k.display())
    }

    /// The keymap as a keymap file: every section, each binding with what it does there.
    pub fn to_toml(&self) -> String {
        let mut text = String::from(
            "# imgtui key bindings (`imgtui keys`). Keep the lines you change in ~/.config/imgtui/keymap.toml:\n\
             # that file is merged over the defaults; bind a key to \"none\" to unbind it.\n",
        );
        for context in Context::ALL {
            let bindings = self.bindings(context);
            if bindings.is_empty() {
                continue;
            }
            text.push_str(&format!("\n# {}\n[{}]\n", context.title(), context.name()));
            for (key, action) in bindings {
                let does = super::commands::describe(context, *action).unwrap_or_default();
                let line = format!("{:?} = \"{}\"", key.file_name(), super::commands::name(*action));
                text.push_str(&format!("{line:<34} # {does}\n"));
            }
        }
        text
    }
}

/// The commands a section takes, for the message when a line names another.
fn command_names(context: Context) -> String {
    let names: Vec<String> = super::commands::of(context).into_iter().map(|(a, _)| super::commands::name(a)).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_keymap_parses_completely() {
        let mut keymap = Keymap { bindings: BTreeMap::new() };
        assert_eq!(keymap.merge(DEFAULT_KEYMAP, Path::new("default")), Vec::<String>::new());
        assert_eq!(keymap, Keymap::builtin());
        let ctrl_s = Key::parse("ctrl-s").unwrap();
        assert_eq!(keymap.action(Context::Prompt, &ctrl_s), Some(Action::Submit));
        assert_eq!(keymap.action(Context::History, &Key::parse("G").unwrap()), Some(Action::Last));
        assert_eq!(keymap.action(Context::Prompt, &Key::parse("q").unwrap()), None, "q types in the prompt");
        assert_eq!(keymap.action(Context::Help, &ctrl_s), None, "no submit from the help");
        let ctrl_c = Key::parse("ctrl-c").unwrap();
        for context in Context::ALL {
            assert_eq!(keymap.action(context, &ctrl_c), Some(Action::Quit), "Ctrl-C quits from {context:?}");
        }
    }

    #[test]
    fn user_file_merges_and_unbinds() {
        let mut keymap = Keymap::builtin();
        let problems = keymap.merge("[history]\n\"x\" = \"delete_job\"\n\"d\" = \"none\"\n", Path::new("k.toml"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(keymap.action(Context::History, &Key::parse("x").unwrap()), Some(Action::DeleteJob));
        assert_eq!(keymap.action(Context::History, &Key::parse("d").unwrap()), None);
        assert_eq!(keymap.action(Context::History, &Key::parse("j").unwrap()), Some(Action::Down));
    }

    #[test]
    fn a_bad_line_is_dropped_alone_and_named_by_file_line_and_key() {
        let mut keymap = Keymap::builtin();
        let text = "[history]\n\"x\" = \"delete_job\"\n\"y\" = \"explode\"\n[painter]\n\"z\" = \"rerun_job\"\n";
        let problems = keymap.merge(text, Path::new("/k.toml"));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0]
                .starts_with("keymap /k.toml, line 3, [history] \"y\": \"explode\" is not a command (history takes: "),
            "{problems:?}"
        );
        assert!(problems[0].ends_with("; the line is dropped"));
        assert!(problems[1].contains("line 5, [painter] \"z\": rerun_job is not a painter command"), "{problems:?}");
        assert_eq!(keymap.action(Context::History, &Key::parse("x").unwrap()), Some(Action::DeleteJob), "kept");
        let problems = keymap.merge("[histroy]\n\"j\" = \"down\"\n", Path::new("/k.toml"));
        assert!(problems[0].starts_with("keymap /k.toml, line 1: [histroy] is not a section"), "{problems:?}");
        let problems = keymap.merge("[global]\n\"ctrl-\" = \"quit\"\n", Path::new("/k.toml"));
        assert!(
            problems[0].starts_with("keymap /k.toml, line 2, [global] \"ctrl-\": \"ctrl-\" is not a key"),
            "{problems:?}"
        );
        // The same key in two sections: the bad one is named at its own line.
        let text = "[settings]\nq = \"quit\"\n\n[history]\nj = \"down\"\nq = \"explode\"\n";
        let problems = keymap.merge(text, Path::new("/k.toml"));
        assert!(problems[0].starts_with("keymap /k.toml, line 6, [history] \"q\""), "{problems:?}");
    }

    #[test]
    fn ctrl_slash_arrives_as_ctrl_7_or_ctrl_underscore_and_shift_arrows_are_keys() {
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let undo = Key::parse("ctrl-/").unwrap();
        for c in ['/', '7', '_'] {
            assert_eq!(Key::from_event(&ctrl(c)), Some(undo), "{c}");
        }
        let shifted = Key::from_event(&KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT)).unwrap();
        assert_eq!(shifted, Key::parse("shift-left").unwrap());
        assert_eq!(shifted.display(), "Shift-←");
        let big_g = Key::from_event(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)).unwrap();
        assert_eq!(big_g, Key::parse("G").unwrap(), "a capital carries its Shift");
        for text in ["ctrl-s", "shift-left", "G", "space", "alt-/", "f5", "backtab"] {
            assert_eq!(Key::parse(text).unwrap().file_name(), text);
        }
    }

    #[test]
    fn the_printed_keymap_reads_back_as_the_same_keymap() {
        let keymap = Keymap::builtin();
        let mut again = Keymap { bindings: BTreeMap::new() };
        assert!(again.merge(&keymap.to_toml(), Path::new("printed")).is_empty());
        assert_eq!(again, keymap);
    }
}
