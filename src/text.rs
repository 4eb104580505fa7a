//! Text we did not write (prompts, server messages, file and model names) printed safely: control
//! characters escaped, so an answer cannot retitle, clear or recolour the user's terminal.

/// `s` with every control character shown as an escape (`\e`, `\n`, `\u{7}`).
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\x1b' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_controls("a\x1b]0;t\x07b\u{9b}2J ünï"), "a\\e]0;t\\u{7}b\\u{9b}2J ünï");
    }
}
