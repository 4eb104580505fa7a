//! What a search word matches, said once: a word of three characters or more matches anywhere
//! (a substring), a shorter one the start of a word (`ox` finds "ox" and "oxen", not "fox"),
//! except in scripts written without spaces (Chinese, Japanese, Thai…), where a short word is
//! a substring too. Case is folded. The indexes only make this fast: `jobs_fts` (trigrams)
//! finds long words, `jobs_words` (words and their one- and two-letter starts) short ones, and
//! every word an index did not narrow is checked row by row by `imgtui_matches`, this rule as
//! an SQL function.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

/// Words this long have trigrams: the trigram index finds them anywhere.
pub(super) const TRIGRAM: usize = 3;

/// How a search word is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WordKind {
    /// Three characters or more: anywhere, through the trigram index.
    Long,
    /// One or two letters or digits of a spaced script: a word's start, through the word index.
    WordStart,
    /// One or two characters the word index cannot take (an unspaced script, punctuation):
    /// anywhere, by reading rows.
    Scanned,
}

impl WordKind {
    pub(super) fn of(word: &str) -> Self {
        if crate::text::char_count(word) >= TRIGRAM {
            WordKind::Long
        } else if word.chars().all(|c| c.is_alphanumeric() && !unspaced(c)) {
            WordKind::WordStart
        } else {
            WordKind::Scanned
        }
    }
}

/// Scripts written without spaces between words, where a "word start" means nothing.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF          // Thai, Lao
        | 0x1000..=0x109F        // Myanmar
        | 0x1780..=0x17FF        // Khmer
        | 0x3040..=0x30FF        // Hiragana, Katakana
        | 0x3400..=0x4DBF        // CJK extension A
        | 0x4E00..=0x9FFF        // CJK
        | 0xF900..=0xFAFF        // CJK compatibility
        | 0x20000..=0x3FFFF) // CJK extensions
}

/// Whether `text` holds `word` by the rule above (`word` already lower case).
pub(super) fn matches(text: &str, word: &str) -> bool {
    let text = text.to_lowercase();
    match WordKind::of(word) {
        WordKind::Long | WordKind::Scanned => text.contains(word),
        WordKind::WordStart => {
            let mut before_is_word = false;
            for (at, c) in text.char_indices() {
                let is_word = c.is_alphanumeric();
                if is_word && !before_is_word && text[at..].starts_with(word) {
                    return true;
                }
                before_is_word = is_word;
            }
            false
        }
    }
}

/// `word` as the word index's query: its start, quoted so nothing in it is an operator.
pub(super) fn word_start_query(words: &[&str]) -> String {
    words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ")
}

/// Makes `imgtui_matches(prompt, revised_prompt, model, word)` known to `conn`: true when any of
/// the three holds the (lower case) word by the rule above.
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "imgtui_matches",
        4,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let word = ctx.get_raw(3).as_str().unwrap_or_default();
            for column in 0..3 {
                if let Ok(text) = ctx.get_raw(column).as_str()
                    && matches(text, word)
                {
                    return Ok(true);
                }
            }
            Ok(false)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_match_the_start_of_a_word_and_long_ones_anywhere() {
        assert!(matches("An Ox at noon", "ox"));
        assert!(matches("oxen in a field", "ox"));
        assert!(!matches("a fox", "ox"), "inside a word");
        assert!(matches("a fox", "fox"));
        assert!(matches("a silver-fox", "fo"), "after punctuation");
        assert!(matches("a 4k wallpaper", "4k"));
        assert!(!matches("a fox", "box"));
        assert!(matches("狐狸在雪地里", "雪地"), "no spaces: anywhere");
        assert!(matches("ЛИСА в снегу", "ли"), "other scripts, case folded");
        assert_eq!(WordKind::of("--"), WordKind::Scanned);
        assert_eq!(WordKind::of("é"), WordKind::WordStart);
        assert_eq!(word_start_query(&["a\"", "b"]), "\"a\"\"\"* AND \"b\"*");
    }
}
