//! Text we did not write (prompts, server messages, file and model names) printed safely: control
//! characters escaped, so an answer cannot retitle, clear or recolour the user's terminal.

/// Columns `text` takes on screen (CJK and emoji take two).
pub fn width_of(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// The longest start of `text` that fits `width` columns.
pub fn take_width(text: &str, width: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            used <= width
        })
        .collect()
}

/// `text` on one line of at most `width` columns (cut with an ellipsis), white space folded and
/// control characters shown escaped: for tables on a terminal and the app's rows alike.
pub fn fit_line(text: &str, width: usize) -> String {
    let flat = escape_controls(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if width_of(&flat) <= width {
        flat
    } else {
        let mut cut = take_width(&flat, width.saturating_sub(1));
        cut.push('…');
        cut
    }
}

/// `text` in at most `width` columns, cut from the left (`…` and its end): for file names and
/// paths, whose end says the most.
pub fn fit_end(text: &str, width: usize) -> String {
    let flat = escape_controls(text);
    if width_of(&flat) <= width {
        return flat;
    }
    let mut used = 0;
    let mut tail: Vec<char> = flat
        .chars()
        .rev()
        .take_while(|c| {
            used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            used < width
        })
        .collect();
    tail.reverse();
    std::iter::once('…').chain(tail).collect()
}

/// How many single-character edits (insert, delete, replace, swap two neighbours) turn `a`
/// into `b`: the optimal string alignment distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// How many characters `s` holds (what the API's length limits count, not screen columns).
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// `s` with every control and invisible character shown as an escape (`\e`, `\n`, `\u{7}`:
/// see `shown_escaped`) and no secret this process knows (see `keep_secret`).
pub fn escape_controls(s: &str) -> String {
    let s = without_secrets(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\x1b' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if shown_escaped(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
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
        assert_eq!(escape_controls("ab\u{202e}cd"), "ab\\u{202e}cd", "a bidi override");
        assert_eq!(escape_controls("gpt-image-2\u{200b}"), "gpt-image-2\\u{200b}", "a zero-width space");
        assert_eq!(escape_controls("👨\u{200d}👩"), "👨\u{200d}👩", "an emoji's joiner stays");
        for c in ['\u{ad}', '\u{61c}', '\u{2028}', '\u{2064}', '\u{3164}', '\u{feff}', '\u{1d173}', '\u{e0041}'] {
            assert!(shown_escaped(c), "{:x}", c as u32);
        }
        for c in ['a', 'é', '狐', ' ', '\u{200c}', '\u{200d}', '\u{2800}'] {
            assert!(!shown_escaped(c), "{:x}", c as u32);
        }
    }

    #[test]
    fn a_known_secret_is_never_printed_whole_or_in_pieces() {
        keep_secret("sk-unit-TESTKEY-0123456789");
        assert_eq!(escape_controls("out: /tmp/o-sk-unit-TESTKEY-0123456789/x"), "out: /tmp/o-****/x");
        assert_eq!(without_secrets("its end: TESTKEY-0123456789."), "its end: ****.");
        assert_eq!(without_secrets("nothing secret here"), "nothing secret here");
    }
}

/// Characters shown as `\u{…}`: controls; the format characters that reorder what follows
/// (bidi overrides and marks); line and paragraph separators; and the invisible ones that make
/// two names print alike (zero-width space, word joiners, byte-order mark, soft hyphen, Hangul
/// fillers, tag characters, interlinear and musical formatting). The joiners that build emoji
/// and scripts (U+200C, U+200D) stay.
pub fn shown_escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{200b}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
                | '\u{034f}'
                | '\u{061c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{180e}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{3164}'
                | '\u{ffa0}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// The keys this process knows (see `keep_secret`), each with its 8-character pieces.
static SECRETS: std::sync::RwLock<Vec<(String, Vec<String>)>> = std::sync::RwLock::new(Vec::new());

/// Makes `secret` (an API key, as soon as one is read) unprintable: `escape_controls`, which
/// every text imgtui did not write goes through, and `without_secrets` show `****` for it or
/// any long piece of it, wherever it turns up (a config error quoting a value, a path, a name).
pub fn keep_secret(secret: &str) {
    let secret = secret.trim();
    if secret.chars().count() < 4 {
        return;
    }
    let mut known = SECRETS.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    if known.iter().any(|(s, _)| s == secret) {
        return;
    }
    let chars: Vec<char> = secret.chars().collect();
    let pieces = chars.windows(8.min(chars.len())).map(|w| w.iter().collect()).collect();
    known.push((secret.to_string(), pieces));
}

/// `text` without the secrets this process knows (see `keep_secret`).
pub fn without_secrets(text: &str) -> String {
    let known = SECRETS.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    known
        .iter()
        .filter(|(_, pieces)| pieces.iter().any(|piece| text.contains(piece.as_str())))
        .fold(text.to_string(), |text, (secret, _)| redact(&text, secret))
}

/// `text` with `secret`, and any piece of it 8 characters or longer (a server echoing part of
/// a key: its start, its middle, its end), replaced by `****`.
pub fn redact(text: &str, secret: &str) -> String {
    const MIN: usize = 8;
    let secret: Vec<char> = secret.chars().collect();
    if secret.len() < MIN {
        // A test key like "k" is no secret worth destroying every word that holds its letter.
        let whole: String = secret.iter().collect();
        return if secret.len() < 4 { text.to_string() } else { text.replace(&whole, "****") };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        // The longest piece of the secret that starts here.
        let longest = (0..secret.len())
            .map(|start| chars[i..].iter().zip(&secret[start..]).take_while(|(a, b)| a == b).count())
            .max()
            .unwrap_or(0);
        if longest >= MIN {
            out.push_str("****");
            i += longest;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A share as a whole percentage, never rounded to a wrong "0%" or "100%": "<1%" for a few
/// pixels, ">99%" for all but a few.
pub fn percent(share: f64) -> String {
    match share * 100.0 {
        p if p > 0.0 && p < 1.0 => "<1%".into(),
        p if p > 99.0 && p < 100.0 => ">99%".into(),
        p => format!("{:.0}%", p.clamp(0.0, 100.0)),
    }
}

#[cfg(test)]
mod redact_tests {
    use super::redact;

    #[test]
    fn the_key_and_its_long_prefixes_are_hidden() {
        let key = "sk-proj-ABCDEFGH12345678";
        assert_eq!(
            redact("Incorrect API key provided: sk-proj-ABCDEFGH12345678.", key),
            "Incorrect API key provided: ****."
        );
        assert_eq!(redact("key sk-proj-ABCD****5678 refused", key), "key ********5678 refused");
        assert_eq!(redact("sk-proj is a prefix", key), "sk-proj is a prefix", "7 characters are not a secret");
        assert_eq!(redact("tail: EFGH12345678, mid: CDEFGH12", key), "tail: ****, mid: ****", "any piece of 8+");
        assert_eq!(redact("user pw: hunter2", "hunter2"), "user pw: ****");
        assert_eq!(redact("moderation_blocked", "k"), "moderation_blocked", "too short to hide");
    }
}
