//! Prompt variants: `a {red|blue} fox in {snow|rain}` is four prompts. Groups nest
//! (`{a {red|blue} fox|a cat}` is three), the first group varies slowest (as a shell's brace
//! expansion does), and `\{`, `\}`, `\|` and `\\` are the characters themselves. The count is
//! known before anything is expanded, so a prompt of a million variants is refused by its
//! count, not by running out of memory.

/// The most jobs one submit may make.
pub const MAX_JOBS: u64 = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Text(String),
    /// Alternatives, each a sequence of its own.
    Group(Vec<Vec<Node>>),
}

/// A prompt with its variant groups parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variants {
    nodes: Vec<Node>,
}

/// Why a prompt's variants cannot be made; says where, in characters from 1.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VariantError {
    #[error("the `{{` at character {at} is never closed (write \\{{ for a brace)")]
    Unclosed { at: usize },
    #[error("the `}}` at character {at} closes no group (write \\}} for a brace)")]
    Unopened { at: usize },
    #[error("makes {count} variants; at most {MAX_JOBS} jobs are sent at once")]
    TooMany { count: u64 },
    #[error("{variants} variant(s) × {values} Vary values make {count} jobs; at most {MAX_JOBS} are sent at once")]
    TooManyVaried { variants: u64, values: u64, count: u64 },
}

impl Variants {
    /// Parses `prompt`. Text without groups is one variant, itself (escapes removed).
    pub fn parse(prompt: &str) -> Result<Self, VariantError> {
        let mut chars = prompt.chars().enumerate().peekable();
        let mut stack: Vec<(usize, Vec<Vec<Node>>, Vec<Node>)> = Vec::new();
        let mut current: Vec<Node> = Vec::new();
        let push_char = |seq: &mut Vec<Node>, c: char| match seq.last_mut() {
            Some(Node::Text(text)) => text.push(c),
            _ => seq.push(Node::Text(c.to_string())),
        };
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if matches!(chars.peek(), Some((_, '{' | '}' | '|' | '\\'))) => {
                    if let Some((_, escaped)) = chars.next() {
                        push_char(&mut current, escaped);
                    }
                }
                '{' => stack.push((i + 1, Vec::new(), std::mem::take(&mut current))),
                '|' if !stack.is_empty() => {
                    if let Some((_, alternatives, _)) = stack.last_mut() {
                        alternatives.push(std::mem::take(&mut current));
                    }
                }
                '}' => {
                    let Some((_, mut alternatives, outer)) = stack.pop() else {
                        return Err(VariantError::Unopened { at: i + 1 });
                    };
                    alternatives.push(std::mem::take(&mut current));
                    current = outer;
                    current.push(Node::Group(alternatives));
                }
                c => push_char(&mut current, c),
            }
        }
        if let Some((at, _, _)) = stack.first() {
            return Err(VariantError::Unclosed { at: *at });
        }
        Ok(Self { nodes: current })
    }

    /// How many prompts this makes (saturating: a count past `MAX_JOBS` only needs to be big).
    pub fn count(&self) -> u64 {
        count_of(&self.nodes)
    }

    /// Every prompt, in order; refused past `MAX_JOBS`.
    pub fn expand(&self) -> Result<Vec<String>, VariantError> {
        let count = self.count();
        if count > MAX_JOBS {
            return Err(VariantError::TooMany { count });
        }
        Ok(expand_seq(&self.nodes))
    }
}

fn count_of(seq: &[Node]) -> u64 {
    seq.iter().fold(1u64, |product, node| match node {
        Node::Text(_) => product,
        Node::Group(alternatives) => {
            let sum = alternatives.iter().fold(0u64, |sum, alt| sum.saturating_add(count_of(alt)));
            product.saturating_mul(sum)
        }
    })
}

fn expand_seq(seq: &[Node]) -> Vec<String> {
    seq.iter().fold(vec![String::new()], |prefixes, node| {
        let endings: Vec<String> = match node {
            Node::Text(text) => vec![text.clone()],
            Node::Group(alternatives) => alternatives.iter().flat_map(|alt| expand_seq(alt)).collect(),
        };
        prefixes.iter().flat_map(|prefix| endings.iter().map(move |ending| format!("{prefix}{ending}"))).collect()
    })
}

/// The prompts `prompt` makes, or why not (for the form and the submit).
pub fn expand(prompt: &str) -> Result<Vec<String>, VariantError> {
    Variants::parse(prompt)?.expand()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(prompt: &str) -> Vec<String> {
        expand(prompt).unwrap()
    }

    #[test]
    fn groups_multiply_and_the_first_varies_slowest() {
        assert_eq!(
            all("a {red|blue} fox in {snow|rain}"),
            ["a red fox in snow", "a red fox in rain", "a blue fox in snow", "a blue fox in rain"]
        );
        assert_eq!(all("a plain prompt"), ["a plain prompt"]);
        assert_eq!(all("{}"), [""]);
        assert_eq!(all("a {|big} fox"), ["a  fox", "a big fox"]);
    }

    #[test]
    fn groups_nest() {
        assert_eq!(all("{a {red|blue} fox|a cat}!"), ["a red fox!", "a blue fox!", "a cat!"]);
        assert_eq!(Variants::parse("{a {b|c} {d|e}|f}").unwrap().count(), 5);
    }

    #[test]
    fn escapes_are_the_characters_themselves() {
        assert_eq!(all(r"json \{\} and a \| pipe, a \\ backslash"), [r"json {} and a | pipe, a \ backslash"]);
        assert_eq!(all(r"C:\path | a pipe outside a group"), [r"C:\path | a pipe outside a group"]);
        assert_eq!(all(r"{a\|b|c}"), ["a|b", "c"]);
    }

    #[test]
    fn broken_braces_say_where() {
        assert_eq!(Variants::parse("a {red|blue fox"), Err(VariantError::Unclosed { at: 3 }));
        assert_eq!(Variants::parse("a red} fox"), Err(VariantError::Unopened { at: 6 }));
        let text = Variants::parse("x {").unwrap_err().to_string();
        assert_eq!(text, "the `{` at character 3 is never closed (write \\{ for a brace)");
    }

    #[test]
    fn too_many_is_refused_with_the_count_before_anything_is_made() {
        let huge = "{a|b|c|d|e|f|g|h|i|j}".repeat(12);
        let parsed = Variants::parse(&huge).unwrap();
        assert_eq!(parsed.count(), 10u64.pow(12));
        assert_eq!(parsed.expand(), Err(VariantError::TooMany { count: 10u64.pow(12) }));
        let text = expand("{a|b}{c|d}{e|f}{g|h}{i|j}{k|l}{m|n}").unwrap_err().to_string();
        assert_eq!(text, "makes 128 variants; at most 64 jobs are sent at once");
        assert_eq!(Variants::parse(&"{a|b}".repeat(80)).unwrap().count(), u64::MAX, "saturates");
    }
}
