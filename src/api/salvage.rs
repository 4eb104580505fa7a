//! A paid answer whose advisory parts cannot be read is still read. `usage` may hold what no
//! JSON reader takes (a number past a float's range, NaN, a lone surrogate, nesting a thousand
//! deep) and a gateway may repeat a key; the images were made and billed all the same. So when
//! the body as a whole fails, its members are split apart by a scanner that only counts
//! brackets (no recursion, no numbers read), what is advisory is left out (`usage`, `created`,
//! the echoed settings, an image's revised prompt), a repeated key keeps its last value, and
//! what is left is read again.

/// The members of the object in `body`, as raw key and value text, or `None` when it is not an
/// object whose members can be told apart.
fn members(body: &str) -> Option<Vec<(&str, &str)>> {
    let bytes = body.as_bytes();
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    let mut found = Vec::new();
    if bytes.get(at) == Some(&b'}') {
        return Some(found);
    }
    loop {
        let key_end = string_end(bytes, at)?;
        let key = &body[at + 1..key_end - 1];
        at = skip_space(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        at = skip_space(bytes, at + 1);
        let value_end = value_end(bytes, at)?;
        found.push((key, body[at..value_end].trim_end()));
        at = skip_space(bytes, value_end);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b'}') => return Some(found),
            _ => return None,
        }
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Just past the string that starts at `at` (with its quotes).
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// Just past the value that starts at `at`: a string, a bracketed value (depth counted, not
/// recursed), or a bare word or number up to the next `,` or `}`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let (mut depth, mut i) = (0usize, at);
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while bytes.get(i).is_some_and(|b| !matches!(b, b',' | b'}')) {
                i += 1;
            }
            Some(i)
        }
    }
}

/// `body` without what is advisory (its `usage`, `created` and echoes, also inside TTAPI's
/// `data` envelope; each image's fields but its bytes) and with each repeated key once (its
/// last value), or `None` when nothing would change or it cannot be split.
pub(super) fn without_usage(body: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(body).ok()?;
    let rebuilt = rebuild(text)?;
    (rebuilt.as_bytes() != body).then(|| rebuilt.into_bytes())
}

/// What an answer says beside its images: advisory, left out when the body cannot be read
/// with it (the images are what was paid for).
const ADVISORY: [&str; 6] = ["usage", "created", "size", "quality", "background", "output_format"];

fn rebuild(object: &str) -> Option<String> {
    let found = members(object)?;
    let mut kept: Vec<(&str, String)> = Vec::new();
    for (key, value) in found {
        if ADVISORY.contains(&key) {
            continue;
        }
        let value = match key {
            // TTAPI's envelope holds the OpenAI body.
            "data" if value.starts_with('{') => rebuild(value)?,
            // Each image keeps only its bytes or where to fetch them.
            "data" if value.starts_with('[') => images_only(value)?,
            _ => value.to_string(),
        };
        kept.retain(|(k, _)| *k != key);
        kept.push((key, value));
    }
    let inner: Vec<String> = kept.iter().map(|(key, value)| format!("\"{key}\":{value}")).collect();
    Some(format!("{{{}}}", inner.join(",")))
}

/// The images of a `data` array, each with only its `b64_json` or `url` (a revised prompt or
/// another field no reader takes goes).
fn images_only(array: &str) -> Option<String> {
    let bytes = array.as_bytes();
    let mut at = skip_space(bytes, 1);
    let mut images = Vec::new();
    while bytes.get(at) != Some(&b']') {
        let end = value_end(bytes, at)?;
        let item = members(&array[at..end])?;
        let fields: Vec<String> = item
            .into_iter()
            .filter(|(key, _)| matches!(*key, "b64_json" | "url"))
            .map(|(key, value)| format!("\"{key}\":{value}"))
            .collect();
        images.push(format!("{{{}}}", fields.join(",")));
        at = skip_space(bytes, end);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b']') => {}
            _ => return None,
        }
    }
    Some(format!("[{}]", images.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(body: &str) -> Option<String> {
        without_usage(body.as_bytes()).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    #[test]
    fn what_is_advisory_is_left_out_whatever_it_holds_and_a_repeated_key_keeps_its_last_value() {
        let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        for usage in ["{\"output_tokens\":1e400}", "NaN", "{\"a\":\"\\ud800\"}", deep.as_str(), "-Infinity"] {
            let body = format!("{{\"created\":1,\"data\":[{{\"b64_json\":\"QQ==\"}}],\"usage\":{usage}}}");
            assert_eq!(cleaned(&body).as_deref(), Some("{\"data\":[{\"b64_json\":\"QQ==\"}]}"));
        }
        assert_eq!(
            cleaned("{\"data\":[], \"data\" : [{\"url\":\"u\"}] }").as_deref(),
            Some("{\"data\":[{\"url\":\"u\"}]}"),
            "a repeated key keeps its last value"
        );
        assert_eq!(
            cleaned("{\"status\":\"SUCCESS\",\"data\":{\"data\":[],\"usage\":{\"x\":1e999}}}").as_deref(),
            Some("{\"status\":\"SUCCESS\",\"data\":{\"data\":[]}}"),
            "inside TTAPI's envelope"
        );
        assert_eq!(
            cleaned(
                "{\"created\":NaN,\"data\":[{\"b64_json\":\"QQ==\",\"revised_prompt\":\"\\ud800\"},{\"url\":\"u\"}]}"
            )
            .as_deref(),
            Some("{\"data\":[{\"b64_json\":\"QQ==\"},{\"url\":\"u\"}]}"),
            "advisory fields and what an image has beside its bytes"
        );
        assert_eq!(cleaned("{\"data\":\"a}\\\"b\"}"), None, "braces and quotes in strings; nothing to change");
        assert_eq!(cleaned("[1]"), None);
        assert_eq!(cleaned("{\"data\":[1"), None, "cut short");
    }
}
