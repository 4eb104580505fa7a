//! The text keys of every one-line input (the history's search, the browser's filter and path
//! line, a model name, a custom size, Ctrl-R's query, the help's filter), as readline has them:
//! characters type, Backspace deletes one, Ctrl-U clears, Ctrl-W deletes the word before.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Applies `event` to `text` (at most `max` characters). `None` when it is no text key (the
/// keymap's), else whether the text changed.
pub fn edit(text: &mut String, event: &KeyEvent, max: usize) -> Option<bool> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    match event.code {
        KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => {
            let room = crate::text::char_count(text) < max;
            if room {
                text.push(c);
            }
            Some(room)
        }
        KeyCode::Backspace if !ctrl && !alt => Some(text.pop().is_some()),
        KeyCode::Char('u') if ctrl => Some(!std::mem::take(text).is_empty()),
        KeyCode::Char('w') if ctrl => {
            let kept = text.trim_end().rfind(char::is_whitespace).map_or(0, |at| at + 1);
            let changed = kept < text.len();
            text.truncate(kept);
            Some(changed)
        }
        _ => None,
    }
}

/// Whether `event` is a character typed without Ctrl or Alt.
pub fn is_typed_char(event: &KeyEvent) -> bool {
    matches!(event.code, KeyCode::Char(c) if !c.is_control())
        && !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn readline_keys_on_one_line() {
        let mut text = String::from("red fox ");
        assert_eq!(edit(&mut text, &key(KeyCode::Char('w'), KeyModifiers::CONTROL), 100), Some(true));
        assert_eq!(text, "red ");
        assert_eq!(edit(&mut text, &key(KeyCode::Char('a'), KeyModifiers::NONE), 4), Some(false), "full");
        assert_eq!(edit(&mut text, &key(KeyCode::Backspace, KeyModifiers::NONE), 100), Some(true));
        assert_eq!(edit(&mut text, &key(KeyCode::Char('u'), KeyModifiers::CONTROL), 100), Some(true));
        assert_eq!(text, "");
        assert_eq!(edit(&mut text, &key(KeyCode::Enter, KeyModifiers::NONE), 100), None, "the keymap's");
        assert_eq!(edit(&mut text, &key(KeyCode::Char('r'), KeyModifiers::CONTROL), 100), None);
    }
}
