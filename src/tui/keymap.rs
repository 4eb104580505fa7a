//! Key bindings as data: the embedded default keymap with the user's file merged over it.
//! Keys are parsed from names such as `ctrl-s`, `alt-enter`, `G`, `f5`.

use std::collections::BTreeMap;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

pub const DEFAULT_KEYMAP: &str = include_str!("../../config/keymap.toml");

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Prompt,
    Settings,
    History,
    Preview,
    Viewer,
    Gallery,
    Painter,
    Spend,
    Search,
    Browser,
    Path,
    Help,
    Confirm,
}

impl Context {
    pub const ALL: [Self; 14] = [
        Self::Global,
        Self::Prompt,
        Self::Settings,
        Self::History,
        Self::Preview,
        Self::Viewer,
        Self::Gallery,
        Self::Painter,
        Self::Spend,
        Self::Browser,
        Self::Path,
        Self::Search,
        Self::Help,
        Self::Confirm,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Prompt => "prompt",
            Self::Settings => "settings",
            Self::History => "history",
            Self::Preview => "preview",
            Self::Viewer => "viewer",
            Self::Gallery => "gallery",
            Self::Painter => "painter",
            Self::Spend => "spend",
            Self::Search => "search",
            Self::Browser => "browser",
            Self::Path => "path",
            Self::Help => "help",
            Self::Confirm => "confirm",
        }
    }

    /// Overlays and text inputs do not fall through to the global bindings for plain keys.
    pub fn falls_through(self) -> bool {
        !matches!(self, Self::Help | Self::Confirm | Self::Browser | Self::Path)
    }
}

/// A key as the keymap knows it: code plus modifiers, normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeName,
    pub ctrl: bool,
    pub alt: bool,
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
        // Shift is part of the character (`G`, `?`), so it is not a separate modifier here.
        Some(Self {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let mut key = Self { code: KeyCodeName::Esc, ctrl: false, alt: false };
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

    /// The default keymap with the user's file merged over it. A bad file leaves the defaults
    /// and says what is wrong, with the file, line and key.
    pub fn load(user_file: &Path) -> (Self, Option<String>) {
        let mut keymap = Self::builtin();
        let text = match crate::files::read_text_bounded(user_file, crate::files::SETTINGS_FILE_MAX) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (keymap, None),
            Err(e) => return (keymap, Some(format!("cannot read keymap {}: {e}", user_file.display()))),
        };
        let mut merged = keymap.clone();
        match merged.merge(&text, user_file) {
            Ok(()) => (merged, None),
            Err(message) => {
                keymap = Self::builtin();
                (keymap, Some(format!("{message}; using the default keys")))
            }
        }
    }

    /// Merges a keymap file's text over these bindings.
    pub fn merge(&mut self, text: &str, path: &Path) -> Result<(), String> {
        let at_line = |span: Option<std::ops::Range<usize>>| {
            span.map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1)
        };
        let doc: toml::Spanned<toml::Table> = toml::from_str(text)
            .map_err(|e| format!("keymap {}, line {}: {}", path.display(), at_line(e.span()), e.message().trim()))?;
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
        for (section, value) in doc.get_ref() {
            let context = Context::ALL.into_iter().find(|c| c.name() == section).ok_or_else(|| {
                let names: Vec<_> = Context::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "keymap {}, line {}: [{section}] is not a section ({})",
                    path.display(),
                    at_line(section_at(section)),
                    names.join(", ")
                )
            })?;
            let toml::Value::Table(entries) = value else {
                return Err(format!("keymap {}: {section} must be a table of \"key\" = \"action\"", path.display()));
            };
            for (key_text, action_value) in entries {
                let line = at_line(key_at(section, key_text));
                let where_ = format!("keymap {}, line {line}, [{section}] \"{key_text}\"", path.display());
                let key = Key::parse(key_text).map_err(|e| format!("{where_}: {e}"))?;
                let action_name =
                    action_value.as_str().ok_or_else(|| format!("{where_}: the action must be a string"))?;
                let list = self.bindings.entry(context).or_default();
                list.retain(|(k, _)| *k != key);
                if action_name == "none" {
                    continue;
                }
                let action: Action =
                    serde_json::from_value(serde_json::Value::String(action_name.into())).map_err(|_| {
                        format!("{where_}: \"{action_name}\" is not an action (see the help screen for the names)")
                    })?;
                list.push((key, action));
            }
        }
        Ok(())
    }

    /// The action for `key` in `context`, falling back to the global bindings.
    pub fn action(&self, context: Context, key: &Key) -> Option<Action> {
        let find = |c: Context| self.bindings.get(&c).and_then(|l| l.iter().find(|(k, _)| k == key)).map(|(_, a)| *a);
        find(context).or_else(|| if context.falls_through() { find(Context::Global) } else { None })
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_keymap_parses_completely() {
        let mut keymap = Keymap { bindings: BTreeMap::new() };
        keymap.merge(DEFAULT_KEYMAP, Path::new("default")).unwrap();
        assert_eq!(keymap, Keymap::builtin());
        let ctrl_s = Key::parse("ctrl-s").unwrap();
        assert_eq!(keymap.action(Context::Prompt, &ctrl_s), Some(Action::Submit));
        assert_eq!(keymap.action(Context::History, &Key::parse("G").unwrap()), Some(Action::Last));
        assert_eq!(keymap.action(Context::Prompt, &Key::parse("q").unwrap()), None, "q types in the prompt");
        assert_eq!(keymap.action(Context::Help, &ctrl_s), None, "overlays do not fall through");
    }

    #[test]
    fn user_file_merges_and_unbinds() {
        let mut keymap = Keymap::builtin();
        keymap.merge("[history]\n\"x\" = \"delete_job\"\n\"d\" = \"none\"\n", Path::new("k.toml")).unwrap();
        assert_eq!(keymap.action(Context::History, &Key::parse("x").unwrap()), Some(Action::DeleteJob));
        assert_eq!(keymap.action(Context::History, &Key::parse("d").unwrap()), None);
        assert_eq!(keymap.action(Context::History, &Key::parse("j").unwrap()), Some(Action::Down));
    }

    #[test]
    fn bad_entries_name_file_line_and_key() {
        let mut keymap = Keymap::builtin();
        let err = keymap.merge("[history]\n\"j\" = \"down\"\n\"x\" = \"explode\"\n", Path::new("/k.toml")).unwrap_err();
        assert_eq!(
            err,
            "keymap /k.toml, line 3, [history] \"x\": \"explode\" is not an action (see the help screen for the names)"
        );
        let err = keymap.merge("[histroy]\n\"j\" = \"down\"\n", Path::new("/k.toml")).unwrap_err();
        assert!(err.starts_with("keymap /k.toml, line 1: [histroy] is not a section"), "{err}");
        let err = keymap.merge("[global]\n\"ctrl-\" = \"quit\"\n", Path::new("/k.toml")).unwrap_err();
        assert!(err.starts_with("keymap /k.toml, line 2, [global] \"ctrl-\": \"ctrl-\" is not a key"), "{err}");
        // The same key in two sections: the bad one is named at its own line.
        let text = "[settings]\nq = \"quit\"\n\n[history]\nj = \"down\"\nq = \"explode\"\n";
        let err = keymap.merge(text, Path::new("/k.toml")).unwrap_err();
        assert!(err.starts_with("keymap /k.toml, line 6, [history] \"q\""), "{err}");
    }
}
