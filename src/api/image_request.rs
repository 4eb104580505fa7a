//! A request as the history keeps it and the jobs send it: a generation or an edit, with
//! everything needed to run it again (never the key).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{EditRequest, GenerateRequest};

/// A request as the history keeps it: everything needed to run it again, never the key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImageRequest {
    Generate(GenerateRequest),
    Edit(EditRequest),
}

impl ImageRequest {
    pub fn kind(&self) -> JobKind {
        match self {
            Self::Generate(_) => JobKind::Generate,
            Self::Edit(_) => JobKind::Edit,
        }
    }

    pub fn prompt(&self) -> &str {
        match self {
            Self::Generate(r) => &r.prompt,
            Self::Edit(r) => &r.prompt,
        }
    }

    pub fn model(&self) -> &str {
        match self {
            Self::Generate(r) => &r.model,
            Self::Edit(r) => &r.model,
        }
    }

    pub fn set_model(&mut self, model: String) {
        match self {
            Self::Generate(r) => r.model = model,
            Self::Edit(r) => r.model = model,
        }
    }

    pub fn set_prompt(&mut self, prompt: String) {
        match self {
            Self::Generate(r) => r.prompt = prompt,
            Self::Edit(r) => r.prompt = prompt,
        }
    }

    pub fn options(&self) -> &crate::api::ImageOptions {
        match self {
            Self::Generate(r) => &r.options,
            Self::Edit(r) => &r.options,
        }
    }

    /// Fills what the model requires but a person need not say (`ImageOptions::complete`); an
    /// edit asks for nothing that needs it.
    pub fn complete(&mut self, models: &crate::api::ModelTable) {
        if let Self::Generate(r) = self {
            r.options.complete(models.resolve(&r.model).spec);
        }
    }

    /// The `imgtui generate …` (or `imgtui edit …`) command that sends this request again,
    /// quoted for a POSIX shell: the flags are the parameter table's.
    pub fn shell_command(&self) -> String {
        let mut words = vec!["imgtui".to_string()];
        let (prompt, model, options) = match self {
            Self::Generate(r) => {
                words.push("generate".into());
                (&r.prompt, &r.model, &r.options)
            }
            Self::Edit(r) => {
                words.push("edit".into());
                (&r.prompt, &r.model, &r.options)
            }
        };
        words.push(shell_quote(prompt));
        words.extend(["-m".to_string(), shell_quote(model)]);
        for def in crate::api::params::table() {
            let (Some(flag), Some(value)) = (def.flag, options.text(def.param)) else { continue };
            words.push(format!("--{flag}"));
            words.push(shell_quote(&value));
        }
        if let Self::Edit(r) = self {
            for image in &r.images {
                words.extend(["--image".to_string(), shell_quote(&image.display().to_string())]);
            }
            let files = [("--mask", &r.mask), ("--markup", &r.markup)];
            for (flag, path) in files {
                if let Some(path) = path {
                    words.extend([flag.to_string(), shell_quote(&path.display().to_string())]);
                }
            }
            if r.keep_unmasked {
                words.push("--keep-unmasked".into());
            }
        }
        words.join(" ")
    }

    /// Input files with their role (`image`, `mask` or `markup`), in order.
    pub fn inputs(&self) -> Vec<(&'static str, PathBuf)> {
        match self {
            Self::Generate(_) => Vec::new(),
            Self::Edit(r) => {
                let images = r.images.iter().map(|p| ("image", p.clone()));
                let mask = r.mask.iter().map(|p| ("mask", p.clone()));
                images.chain(mask).chain(r.markup.iter().map(|p| ("markup", p.clone()))).collect()
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Generate,
    Edit,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Generate => "generate",
            Self::Edit => "edit",
        }
    }
}

/// `text` as one word of a POSIX shell: bare when it is plain, else in single quotes.
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        return text.to_string();
    }
    // Control characters (a newline, an escape) go as `$'…'` escapes: pasted without bracketed
    // paste, a raw one would act on the shell instead of being part of the word.
    if text.chars().any(char::is_control) {
        let mut quoted = String::from("$'");
        for c in text.chars() {
            match c {
                '\\' => quoted.push_str("\\\\"),
                '\'' => quoted.push_str("\\'"),
                '\n' => quoted.push_str("\\n"),
                '\t' => quoted.push_str("\\t"),
                c if c.is_control() => quoted.push_str(&format!("\\x{:02x}", u32::from(c) & 0xff)),
                c => quoted.push(c),
            }
        }
        quoted.push('\'');
        return quoted;
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_quoted_for_the_shell_and_control_characters_never_go_raw() {
        assert_eq!(shell_quote("a-fox_1.png"), "a-fox_1.png");
        assert_eq!(shell_quote("a fox's day"), "'a fox'\\''s day'");
        assert_eq!(shell_quote("two\nlines \x1b[31m'x'"), "$'two\\nlines \\x1b[31m\\'x\\''");
        assert_eq!(shell_quote(""), "''");
    }
}
