//! A tool call's arguments as a request: each field read by the parameter table (a value it
//! cannot read is refused, naming the field), input files only from the allowed folders.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::api::params::{self, Kind};
use crate::api::{EditRequest, FieldError, GenerateRequest, ImageOptions, Param};
use crate::store::ImageRequest;

/// The folders an agent's input files may come from: the working directory, the data dir and
/// `[mcp] allowed_dirs`, each as it really is (links followed).
#[derive(Clone, Debug)]
pub struct AllowedDirs(Vec<PathBuf>);

impl AllowedDirs {
    /// The folders that exist, `~/` read as the home folder; each one that does not is said
    /// on standard error (standard output is the protocol).
    pub fn new(dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let expanded = dirs.into_iter().map(|dir| match (dir.strip_prefix("~"), &home) {
            (Ok(rest), Some(home)) => home.join(rest),
            _ => dir,
        });
        Self(
            expanded
                .filter_map(|dir| match std::fs::canonicalize(&dir) {
                    Ok(real) => Some(real),
                    Err(e) => {
                        let shown = crate::text::escape_controls(&dir.display().to_string());
                        eprintln!("imgtui mcp: [mcp] allowed_dirs: {shown} is left out: {e}");
                        None
                    }
                })
                .collect(),
        )
    }

    /// `path` as it really is, when it is under an allowed folder; else why not (for `field`).
    pub fn check(&self, field: Param, path: &str) -> Result<PathBuf, FieldError> {
        let shown = crate::text::escape_controls(path);
        if path.trim().is_empty() {
            return Err(FieldError::said(field, "an empty path"));
        }
        let real =
            std::fs::canonicalize(Path::new(path)).map_err(|e| FieldError::said(field, format!("{shown}: {e}")))?;
        if self.0.iter().any(|dir| real.starts_with(dir)) {
            return Ok(real);
        }
        let dirs: Vec<String> = self.0.iter().map(|d| d.display().to_string()).collect();
        Err(FieldError::said(
            field,
            format!(
                "{shown} is outside the folders an agent may read ({}); add its folder to [mcp] allowed_dirs in the \
                 config to allow it",
                dirs.join(", ")
            ),
        ))
    }
}

/// A field's JSON value as the parameter table reads it; `None` for null.
fn text_of(param: Param, kind: Kind, value: &Value) -> Result<Option<String>, FieldError> {
    match (kind, value) {
        (_, Value::Null) => Ok(None),
        (Kind::Text, Value::String(s)) => Ok(Some(s.clone())),
        (Kind::Number, Value::Number(n)) => Ok(Some(n.to_string())),
        (Kind::Flag, Value::Bool(b)) => Ok(Some(b.to_string())),
        (Kind::Text, _) => Err(FieldError::said(param, "must be text")),
        (Kind::Number, _) => Err(FieldError::said(param, "must be a whole number")),
        (Kind::Flag, _) => Err(FieldError::said(param, "must be true or false")),
    }
}

fn string_field(args: &Map<String, Value>, name: &str, param: Param) -> Result<Option<String>, FieldError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(FieldError::said(param, "must be text")),
    }
}

/// The request the arguments describe: an edit when `images` are given. Every problem at once.
pub fn request_of(
    args: &Map<String, Value>,
    default_model: &str,
    allowed: &AllowedDirs,
    edit: Option<bool>,
) -> Result<ImageRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let known = ["prompt", "model", "images", "mask", "markup", "keep_unmasked"];
    for name in args.keys() {
        if !known.contains(&name.as_str()) && params::by_api_name(name).is_none() {
            let fields: Vec<&str> =
                known.iter().copied().chain(params::table().iter().map(|d| d.param.api_name())).collect();
            let message =
                format!("{} is not a field of this tool ({})", crate::text::escape_controls(name), fields.join(", "));
            errors.push(FieldError::said(Param::Argument, message));
        }
    }
    let prompt = string_field(args, "prompt", Param::Prompt).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let model = string_field(args, "model", Param::Model)
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        })
        .unwrap_or_else(|| default_model.to_string());
    let mut options = ImageOptions::default();
    for def in params::table() {
        let Some(value) = args.get(def.param.api_name()) else { continue };
        match text_of(def.param, def.kind, value).and_then(|text| options.set(def.param, text.as_deref())) {
            Ok(()) => {}
            Err(e) => errors.push(e),
        }
    }
    // Partial images come streamed.
    options.stream = options.partial_images.map(|_| true).or(options.stream);
    let images: Vec<PathBuf> = match args.get("images") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|v| match v.as_str() {
                Some(path) => allowed.check(Param::Image, path).map_err(|e| errors.push(e)).ok(),
                None => {
                    errors.push(FieldError::said(Param::Image, "each image is a path (text)"));
                    None
                }
            })
            .collect(),
        Some(Value::String(path)) => {
            allowed.check(Param::Image, path).map_err(|e| errors.push(e)).ok().into_iter().collect()
        }
        Some(_) => {
            errors.push(FieldError::said(Param::Image, "a list of paths"));
            Vec::new()
        }
    };
    let mut file = |name: &str, param: Param| match string_field(args, name, param) {
        Ok(Some(path)) => allowed.check(param, &path).map_err(|e| errors.push(e)).ok(),
        Ok(None) => None,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mask = file("mask", Param::Mask);
    let markup = file("markup", Param::Markup);
    let keep_unmasked = match args.get("keep_unmasked") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(FieldError::said(Param::KeepUnmasked, "must be true or false"));
            false
        }
    };
    let prompt = prompt.unwrap_or_default();
    let is_edit = edit.unwrap_or(!images.is_empty());
    if !is_edit && (mask.is_some() || markup.is_some()) {
        errors.push(FieldError::said(Param::Image, "a mask or markup needs input images (an edit)"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(match is_edit {
        true => ImageRequest::Edit(EditRequest { prompt, model, images, mask, markup, keep_unmasked, options }),
        false => ImageRequest::Generate(GenerateRequest { prompt, model, options }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn fields_are_read_by_the_parameter_table_and_paths_only_from_allowed_folders() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("in.png");
        std::fs::write(&inside, b"x").unwrap();
        let allowed = AllowedDirs::new([dir.path().to_path_buf()]);
        let ok =
            request_of(&args(json!({ "prompt": "a fox", "n": 2, "quality": "low" })), "gpt-image-2", &allowed, None)
                .unwrap();
        assert_eq!(ok.options().n, Some(2));
        assert_eq!(ok.model(), "gpt-image-2");
        let edit =
            request_of(&args(json!({ "prompt": "a hat", "images": [inside.to_str().unwrap()] })), "m", &allowed, None)
                .unwrap();
        assert!(matches!(edit, ImageRequest::Edit(_)));

        let bad = request_of(
            &args(json!({ "prompt": "x", "n": "two", "images": ["/etc/passwd"], "colour": "red" })),
            "m",
            &allowed,
            None,
        )
        .unwrap_err();
        let said: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert!(said.iter().any(|e| e == "n: must be a whole number"), "{said:?}");
        assert!(said.iter().any(|e| e.starts_with("image: /etc/passwd is outside the folders")), "{said:?}");
        assert!(said.iter().any(|e| e.starts_with("argument: colour is not a field of this tool")), "{said:?}");
    }
}
