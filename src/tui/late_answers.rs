//! The terminal's answers to the start-up queries that come after the key reader has started
//! (a slow terminal, tmux passing them on late): crossterm reads `ESC _ G i = 3 1 ; O K ESC \`
//! as Alt-_ and letters, which would land in the prompt. For a moment after the start, a
//! string an answer opens (APC `ESC _`, DCS `ESC P`, OSC `ESC ]`) is dropped up to its end.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How long after the start an answer may still come.
const WINDOW: Duration = Duration::from_secs(3);
/// The longest answer dropped whole; past this the keys are the user's.
const LONGEST: usize = 256;

#[derive(Debug)]
pub struct LateAnswers {
    until: Instant,
    /// Keys dropped of the answer under way.
    inside: Option<usize>,
}

impl LateAnswers {
    pub fn new(now: Instant) -> Self {
        Self { until: now + WINDOW, inside: None }
    }

    /// Whether `key`, read at `now`, belongs to a late answer (and is dropped).
    pub fn swallows(&mut self, key: &KeyEvent, now: Instant) -> bool {
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match self.inside {
            Some(count) => {
                let ends = (alt && key.code == KeyCode::Char('\\'))
                    || (key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('g'));
                self.inside = (!ends && count < LONGEST).then_some(count + 1);
                true
            }
            None if now < self.until && alt && matches!(key.code, KeyCode::Char('_' | 'P' | ']')) => {
                self.inside = Some(0);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn a_late_kitty_answer_is_dropped_and_typing_after_it_is_kept() {
        let start = Instant::now();
        let mut late = LateAnswers::new(start);
        let mut kept = String::new();
        let mut keys = vec![key(KeyCode::Char('_'), KeyModifiers::ALT)];
        keys.extend("Gi=31;OK".chars().map(|c| key(KeyCode::Char(c), KeyModifiers::NONE)));
        keys.push(key(KeyCode::Char('\\'), KeyModifiers::ALT));
        keys.extend("fox".chars().map(|c| key(KeyCode::Char(c), KeyModifiers::NONE)));
        for k in &keys {
            if !late.swallows(k, start + Duration::from_millis(500))
                && let KeyCode::Char(c) = k.code
            {
                kept.push(c);
            }
        }
        assert_eq!(kept, "fox");
        // Later, Alt-_ is the user's.
        assert!(!late.swallows(&key(KeyCode::Char('_'), KeyModifiers::ALT), start + WINDOW));
    }
}
