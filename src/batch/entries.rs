//! A batch file: JSON Lines (one object per line) or YAML (a list of maps), one request per
//! entry: `prompt` plus any request field, and `image`/`mask` (paths relative to the file)
//! for an edit. Every entry is read before anything is sent, and every problem is reported
//! with its line, not just the first.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::api::params::{self, Kind, ParamDef};
use crate::api::{EditRequest, GenerateRequest, ImageOptions};
use crate::store::ImageRequest;

/// The largest batch file read (bytes) and the most entries taken.
pub const FILE_MAX: u64 = 16 * 1024 * 1024;
pub const ENTRIES_MAX: usize = 10_000;

/// The request fields an entry may set besides `prompt`, `model`, `image`, `mask` and
/// `keep_unmasked`: the parameter table's batch keys.
fn option_fields() -> impl Iterator<Item = &'static ParamDef> {
    params::table().iter().filter(|d| d.batch)
}

/// One entry, ready to validate and send.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Where it starts in the file (1-based).
    pub line: usize,
    pub request: ImageRequest,
    /// What `--resume` knows it by: the request as the file gives it (without the default
    /// model it was filled with) and how many identical entries came before.
    pub key: String,
    /// The key earlier builds gave an entry without a model (the default filled in), so a
    /// batch begun on one is still resumed.
    pub legacy_key: Option<String>,
}

/// A problem with an entry (or the file, at line 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}", self.message),
            line => write!(f, "line {line}: {}", self.message),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Yaml,
}

impl Format {
    /// By the extension, else by the first character: `{` is JSON Lines.
    pub fn of(path: &Path, text: &str) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("jsonl" | "ndjson" | "json") => Self::JsonLines,
            Some("yaml" | "yml") => Self::Yaml,
            _ if text.trim_start().starts_with('{') => Self::JsonLines,
            _ => Self::Yaml,
        }
    }
}

/// The entries of `text` (read from `path`, whose folder image paths are relative to) that
/// read well, and the problems of the others; a file that cannot be read as entries at all is
/// only problems. `default_model` fills entries without a `model`.
pub fn parse(path: &Path, text: &str, default_model: &str) -> Result<(Vec<Entry>, Vec<EntryError>), Vec<EntryError>> {
    // `b.yaml` has the parent "": its images are beside it, in the current directory.
    let base = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::env::current_dir().unwrap_or_default(),
    };
    // One spelling per folder (no `..`, no symlink), so the same entry read through
    // `../real/b.yaml` or a linked folder is known as done.
    let base = std::fs::canonicalize(&base).or_else(|_| std::path::absolute(&base)).unwrap_or(base);
    let (raw, mut errors) = match Format::of(path, text) {
        Format::JsonLines => json_lines(text),
        Format::Yaml => (yaml(text)?, Vec::new()),
    };
    if raw.is_empty() && errors.is_empty() {
        return Err(vec![EntryError { line: 0, message: "the file has no entries".into() }]);
    }
    if raw.len() > ENTRIES_MAX {
        let message = format!("{} entries; a batch takes at most {ENTRIES_MAX}", raw.len());
        return Err(vec![EntryError { line: 0, message }]);
    }
    let mut entries = Vec::new();
    let mut seen = Occurrences::default();
    let mut seen_legacy = Occurrences::default();
    for (line, value) in raw {
        let model_given = value.get("model").is_some();
        match request_of(value, &base, default_model) {
            Ok(request) => {
                let mut as_written = request.clone();
                if !model_given {
                    as_written.set_model(String::new());
                }
                let key = seen.key_of(&as_written);
                let legacy_key = (!model_given).then(|| seen_legacy.key_of(&request));
                entries.push(Entry { line, request, key, legacy_key });
            }
            Err(message) => errors.push(EntryError { line, message }),
        }
    }
    errors.sort_by_key(|e| e.line);
    Ok((entries, errors))
}

/// Keys of requests, each counting how many identical ones came before it.
#[derive(Default)]
struct Occurrences(std::collections::HashMap<String, usize>);

impl Occurrences {
    fn key_of(&mut self, request: &ImageRequest) -> String {
        let json = serde_json::to_string(request).unwrap_or_default();
        let occurrence = self.0.entry(json.clone()).or_default();
        *occurrence += 1;
        hex(&Sha256::digest(format!("{json}#{occurrence}").as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One JSON object per line (blank lines skipped), and the lines that are not JSON.
fn json_lines(text: &str) -> (Vec<(usize, Value)>, Vec<EntryError>) {
    let mut values = Vec::new();
    let mut errors = Vec::new();
    // A byte order mark some editors write is not part of the first entry.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            // JSON keeps the last of two equal keys without a word: a typo'd copy would win.
            Ok(Value::Object(_)) if let Err(e) = serde_json::from_str::<DistinctKeys>(line) => {
                let message = e.to_string().split(" at line ").next().unwrap_or("").to_string();
                errors.push(EntryError { line: i + 1, message });
            }
            Ok(value) => values.push((i + 1, value)),
            Err(e) => {
                let message = format!(
                    "not JSON: {} (column {})",
                    e.to_string().split(" at line ").next().unwrap_or(""),
                    e.column()
                );
                errors.push(EntryError { line: i + 1, message });
            }
        }
    }
    (values, errors)
}

/// An object read only to refuse a key given twice.
struct DistinctKeys;

impl<'de> serde::Deserialize<'de> for DistinctKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = DistinctKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<DistinctKeys, A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!("{key}: given twice; keep one")));
                    }
                }
                Ok(DistinctKeys)
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

/// A YAML list of maps, each with the line it starts on.
fn yaml(text: &str) -> Result<Vec<(usize, Value)>, Vec<EntryError>> {
    let parsed: Result<Option<Vec<serde_saphyr::Spanned<Value>>>, _> = serde_saphyr::from_str(text);
    match parsed {
        Ok(list) => Ok(list.unwrap_or_default().into_iter().map(|s| (s.referenced.line() as usize, s.value)).collect()),
        Err(e) => {
            // The parser's message carries its own location; the first line of it is enough.
            let message = e.to_string();
            let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
            Err(vec![EntryError { line: 0, message: format!("not a YAML list of entries: {first}") }])
        }
    }
}

/// An entry's request, or what is wrong with it (field by field, as the API names them).
fn request_of(value: Value, base: &Path, default_model: &str) -> Result<ImageRequest, String> {
    let Value::Object(mut fields) = value else { return Err("an entry is an object with a prompt".into()) };
    let prompt = match fields.remove("prompt") {
        Some(Value::String(p)) if !p.trim().is_empty() => p,
        Some(Value::String(_)) | None => return Err("prompt: missing or empty".into()),
        Some(_) => return Err("prompt: must be text".into()),
    };
    let model = match fields.remove("model") {
        Some(Value::String(m)) => m,
        None => default_model.to_string(),
        Some(_) => return Err("model: must be text".into()),
    };
    let images = match fields.remove("image") {
        None => Vec::new(),
        Some(Value::String(p)) => vec![resolve(base, &p)],
        Some(Value::Array(list)) if list.is_empty() => {
            return Err("image: an empty list (leave image out for a generation)".into());
        }
        Some(Value::Array(list)) => list
            .into_iter()
            .map(|v| v.as_str().map(|p| resolve(base, p)).ok_or("image: a path or a list of paths"))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("image: a path or a list of paths".into()),
    };
    let mask = match fields.remove("mask") {
        None => None,
        Some(Value::String(p)) => Some(resolve(base, &p)),
        Some(_) => return Err("mask: a path".into()),
    };
    let markup = match fields.remove("markup") {
        None => None,
        Some(Value::String(p)) => Some(resolve(base, &p)),
        Some(_) => return Err("markup: a path".into()),
    };
    let keep_unmasked = match fields.remove("keep_unmasked") {
        None => false,
        Some(Value::Bool(b)) => b,
        Some(_) => return Err("keep_unmasked: true or false".into()),
    };
    let options = options_of(fields)?;
    if images.is_empty() {
        if mask.is_some() || keep_unmasked {
            return Err("mask: an edit needs an image too".into());
        }
        if markup.is_some() {
            return Err("markup: an edit needs an image too".into());
        }
        return Ok(ImageRequest::Generate(GenerateRequest { prompt, model, options }));
    }
    Ok(ImageRequest::Edit(EditRequest { prompt, model, images, mask, markup, keep_unmasked, options }))
}

/// An entry's image path, absolute and in one spelling (`..` and symlinks resolved where the
/// file exists), so `--resume` and `history rerun` find it from anywhere.
fn resolve(base: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    let joined = if path.is_absolute() { path.to_path_buf() } else { base.join(path) };
    std::fs::canonicalize(&joined).unwrap_or(joined)
}

/// The remaining fields as request options; an unknown name is refused (a typo would otherwise
/// be sent as nothing at all).
fn options_of(fields: Map<String, Value>) -> Result<ImageOptions, String> {
    let mut options = ImageOptions::default();
    for (name, value) in fields {
        let Some(def) = option_fields().find(|d| d.param.api_name() == name) else {
            let names: Vec<&str> = option_fields().map(|d| d.param.api_name()).collect();
            return Err(format!(
                "{name}: not a request field (prompt, model, image, mask, markup, keep_unmasked, {})",
                names.join(", ")
            ));
        };
        let text = match value {
            // "2" for n would be read as a number here and as text by the API's own clients.
            Value::String(s) if def.kind == Kind::Number => {
                return Err(format!("{name}: a number, not text (\"{s}\")"));
            }
            Value::String(s) => s,
            // A model's name of 42 is a mistake, not a name.
            Value::Number(_) | Value::Bool(_) if def.kind == Kind::Text => {
                return Err(format!("{name}: must be text"));
            }
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => continue,
            _ => return Err(format!("{name}: must be text or a number")),
        };
        options.set(def.param, Some(&text)).map_err(|e| e.to_string())?;
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries, or every problem.
    fn parsed(name: &str, text: &str) -> Result<Vec<Entry>, Vec<EntryError>> {
        match parse(&Path::new("/work/batches").join(name), text, "gpt-image-2")? {
            (entries, errors) if errors.is_empty() => Ok(entries),
            (_, errors) => Err(errors),
        }
    }

    #[test]
    fn a_text_field_given_a_number_or_a_flag_is_refused_not_sent_as_text() {
        let errors =
            parsed("b.jsonl", "{\"prompt\": \"a fox\", \"svg_model\": 42}\n{\"prompt\": \"b\", \"quality\": true}\n")
                .unwrap_err();
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(said, ["line 1: svg_model: must be text", "line 2: quality: must be text"]);
    }

    #[test]
    fn json_lines_and_yaml_make_the_same_requests() {
        let jsonl = "{\"prompt\": \"a fox\", \"n\": 2, \"quality\": \"low\"}\n\n{\"prompt\": \"a hat\", \"image\": \"in/fox.png\", \"mask\": \"/m.png\", \"model\": \"gpt-image-1\"}\n";
        let yaml = "# two jobs\n- prompt: a fox\n  n: 2\n  quality: low\n- prompt: a hat\n  image: [in/fox.png]\n  mask: /m.png\n  model: gpt-image-1\n";
        let a = parsed("b.jsonl", jsonl).unwrap();
        let b = parsed("b.yaml", yaml).unwrap();
        assert_eq!(a.iter().map(|e| &e.request).collect::<Vec<_>>(), b.iter().map(|e| &e.request).collect::<Vec<_>>());
        assert_eq!((a[0].line, a[1].line), (1, 3));
        assert_eq!((b[0].line, b[1].line), (2, 5));
        let ImageRequest::Edit(edit) = &a[1].request else { panic!("{a:?}") };
        assert_eq!(edit.images, [PathBuf::from("/work/batches/in/fox.png")], "relative to the file");
        assert_eq!(edit.mask.as_deref(), Some(Path::new("/m.png")));
        assert_eq!(a[0].request.model(), "gpt-image-2", "the default model");
        assert_eq!(a[0].request.options().n, Some(2));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = "{\"prompt\": \"ok\"}\n{\"prompt\": \"\"}\n{\"prompt\": \"x\", \"qualty\": \"low\"}\nnot json\n";
        let errors = parsed("b.jsonl", text).unwrap_err();
        assert_eq!(errors.len(), 3, "a line that is not JSON hides nothing: {errors:?}");
        assert!(errors[2].to_string().starts_with("line 4: not JSON: expected ident (column 2)"), "{errors:?}");
        let errors =
            parsed("b.jsonl", &text.replace("not json\n", "{\"prompt\": \"y\", \"n\": \"two\"}\n")).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("line 2: prompt: missing or empty"), "{shown:?}");
        assert!(shown[1].starts_with("line 3: qualty: not a request field"), "{shown:?}");
        assert!(shown[2].starts_with("line 4: n:"), "{shown:?}");
    }

    #[test]
    fn a_key_twice_an_empty_image_list_and_a_number_as_text_are_refused() {
        let text = "{\"prompt\": \"a\", \"n\": 1, \"n\": 4}\n{\"prompt\": \"b\", \"image\": []}\n{\"prompt\": \"c\", \"n\": \"2\"}\n";
        let shown: Vec<String> = parsed("b.jsonl", text).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("line 1: n: given twice"), "{shown:?}");
        assert!(shown[1].starts_with("line 2: image: an empty list"), "{shown:?}");
        assert!(shown[2].starts_with("line 3: n: a number, not text (\"2\")"), "{shown:?}");
        let yaml = parsed("b.yaml", "- prompt: a\n  n: \"2\"\n").unwrap_err();
        assert!(yaml[0].message.starts_with("n: a number"), "{yaml:?}");
        let yaml = parsed("b.yaml", "- prompt: a\n  n: 1\n  n: 2\n");
        assert!(yaml.is_err(), "YAML refuses a key twice too: {yaml:?}");
    }

    #[test]
    fn identical_entries_have_keys_of_their_own_and_keys_are_stable() {
        let text = "{\"prompt\": \"a fox\"}\n{\"prompt\": \"a fox\"}\n";
        let a = parsed("b.jsonl", text).unwrap();
        assert_ne!(a[0].key, a[1].key);
        let again = parsed("b.jsonl", &format!("\n{text}")).unwrap();
        assert_eq!((a[0].key.clone(), a[1].key.clone()), (again[0].key.clone(), again[1].key.clone()), "lines moved");
    }

    #[test]
    fn an_entry_without_a_model_keeps_its_key_when_the_default_changes() {
        let text = "{\"prompt\": \"a fox\"}\n{\"prompt\": \"a fox\", \"model\": \"gpt-image-2\"}\n";
        let path = Path::new("/work/batches/b.jsonl");
        let (one, _) = parse(path, text, "gpt-image-2").unwrap();
        let (other, _) = parse(path, text, "gpt-image-2.6-flare").unwrap();
        assert_eq!(one[0].key, other[0].key, "what the file says, not the default filled in");
        assert_ne!(one[0].legacy_key, other[0].legacy_key, "the old key followed the default");
        assert_eq!(other[1].request.model(), "gpt-image-2");
        assert_ne!(one[0].key, one[1].key, "a model written down is part of the key");
        assert_eq!(one[1].legacy_key, None);
    }

    #[test]
    fn a_bare_file_name_takes_its_images_from_the_current_directory() {
        let (entries, _) =
            parse(Path::new("b.jsonl"), "{\"prompt\": \"a hat\", \"image\": \"in.png\"}\n", "m").unwrap();
        let ImageRequest::Edit(edit) = &entries[0].request else { panic!("{entries:?}") };
        assert_eq!(edit.images, [std::env::current_dir().unwrap().join("in.png")]);
        assert!(edit.images[0].is_absolute());
    }

    /// The same file read through `..` or a linked folder gives the same images and keys.
    #[test]
    fn a_file_reached_by_dots_or_a_link_is_the_same_entries() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("sub"))?;
        std::fs::write(real.join("in.png"), b"x")?;
        std::os::unix::fs::symlink(&real, dir.path().join("link"))?;
        let text =
            "{\"prompt\": \"a hat\", \"image\": \"in.png\"}\n{\"prompt\": \"b\", \"image\": \"sub/../in.png\"}\n";
        let read = |path: PathBuf| parse(&path, text, "m").map(|(entries, _)| entries);
        let plain = read(real.join("b.jsonl")).map_err(|e| format!("{e:?}"))?;
        for other in [real.join("sub/../b.jsonl"), dir.path().join("link/b.jsonl")] {
            let entries = read(other.clone()).map_err(|e| format!("{e:?}"))?;
            assert_eq!(entries[0].key, plain[0].key, "{}", other.display());
        }
        let ImageRequest::Edit(second) = &plain[1].request else { panic!("{plain:?}") };
        assert_eq!(second.images, [std::fs::canonicalize(real.join("in.png"))?]);
        Ok(())
    }

    #[test]
    fn an_empty_or_broken_yaml_file_is_refused() {
        assert_eq!(parsed("b.yaml", "").unwrap_err()[0].message, "the file has no entries");
        let broken = parsed("b.yaml", "- prompt: [unclosed\n").unwrap_err();
        assert!(broken[0].message.starts_with("not a YAML list of entries"), "{broken:?}");
        let not_list = parsed("b.yaml", "prompt: a fox\n").unwrap_err();
        assert!(not_list[0].message.starts_with("not a YAML list"), "{not_list:?}");
    }
}
