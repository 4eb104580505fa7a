//! Colours by role, from `themes/*.toml` (built in: dark, light; users add their own in
//! `~/.config/imgtui/themes/`). `NO_COLOR` turns every colour off and keeps bold/reverse.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub const BUILTIN_THEMES: [(&str, &str); 2] =
    [("dark", include_str!("../../themes/dark.toml")), ("light", include_str!("../../themes/light.toml"))];

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    colors: Colors,
}

/// One colour per role.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    #[serde(deserialize_with = "color")]
    pub fg: Color,
    #[serde(deserialize_with = "color")]
    pub bg: Color,
    #[serde(deserialize_with = "color")]
    pub muted: Color,
    #[serde(deserialize_with = "color")]
    pub accent: Color,
    #[serde(deserialize_with = "color")]
    pub border: Color,
    #[serde(deserialize_with = "color")]
    pub border_focused: Color,
    #[serde(deserialize_with = "color")]
    pub title: Color,
    #[serde(deserialize_with = "color")]
    pub selection_fg: Color,
    #[serde(deserialize_with = "color")]
    pub selection_bg: Color,
    #[serde(deserialize_with = "color")]
    pub error: Color,
    #[serde(deserialize_with = "color")]
    pub warning: Color,
    #[serde(deserialize_with = "color")]
    pub success: Color,
    #[serde(deserialize_with = "color")]
    pub running: Color,
    #[serde(deserialize_with = "color")]
    pub queued: Color,
    #[serde(deserialize_with = "color")]
    pub cancelled: Color,
    #[serde(deserialize_with = "color")]
    pub interrupted: Color,
    #[serde(deserialize_with = "color")]
    pub banner_fg: Color,
    #[serde(deserialize_with = "color")]
    pub banner_bg: Color,
}

fn color<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Index(i64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Index(n) if (0..=255).contains(&n) => Ok(Color::Indexed(n as u8)),
        Raw::Index(n) => Err(serde::de::Error::custom(format!("{n} is not a colour index (0-255)"))),
        Raw::Text(t) if t.eq_ignore_ascii_case("reset") => Ok(Color::Reset),
        Raw::Text(t) => t.parse::<Color>().map_err(|_| {
            serde::de::Error::custom(format!(
                "\"{t}\" is not a colour (0-255, a name like \"red\", \"#rrggbb\", \"reset\")"
            ))
        }),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: String,
    pub colors: Colors,
    /// `NO_COLOR`: styles carry modifiers only.
    pub no_color: bool,
}

impl Theme {
    pub fn parse(name: &str, text: &str, path: &Path) -> Result<Self, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            format!("theme {}, line {line}: {}", path.display(), e.message().trim())
        })?;
        Ok(Self { name: name.to_string(), colors: file.colors, no_color: false })
    }

    pub fn builtin(name: &str) -> Option<Self> {
        let (name, text) = BUILTIN_THEMES.iter().find(|(n, _)| *n == name)?;
        Self::parse(name, text, Path::new("(built-in)")).ok()
    }

    pub fn dark() -> Self {
        // The built-in files are checked by a test; the fallback only guards a broken build.
        Self::builtin("dark").unwrap_or_else(|| Self { name: "dark".into(), colors: plain_colors(), no_color: true })
    }

    /// Resolves `choice` (a built-in name, a name in `themes_dir`, or a path). A bad choice or
    /// file leaves the dark theme and says why.
    pub fn load(choice: Option<&str>, themes_dir: &Path, no_color: bool) -> (Self, Option<String>) {
        let (mut theme, problem) = match choice {
            None => (Self::dark(), None),
            Some(name) => match Self::builtin(name) {
                Some(theme) => (theme, None),
                None => {
                    let path = if name.contains('/') || name.ends_with(".toml") {
                        PathBuf::from(name)
                    } else {
                        themes_dir.join(format!("{name}.toml"))
                    };
                    match crate::files::read_text_bounded(&path, crate::files::SETTINGS_FILE_MAX) {
                        Ok(text) => match Self::parse(name, &text, &path) {
                            Ok(theme) => (theme, None),
                            Err(e) => (Self::dark(), Some(format!("{e}; using the dark theme"))),
                        },
                        Err(e) => (
                            Self::dark(),
                            Some(format!(
                                "theme \"{name}\": cannot read {} ({e}); built in: dark, light; using the dark theme",
                                path.display()
                            )),
                        ),
                    }
                }
            },
        };
        theme.no_color = no_color;
        (theme, problem)
    }

    fn fg(&self, color: Color) -> Style {
        if self.no_color { Style::new() } else { Style::new().fg(color) }
    }

    pub fn base(&self) -> Style {
        if self.no_color { Style::new() } else { Style::new().fg(self.colors.fg).bg(self.colors.bg) }
    }
    pub fn muted(&self) -> Style {
        self.fg(self.colors.muted)
    }
    pub fn accent(&self) -> Style {
        self.fg(self.colors.accent)
    }
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.colors.border_focused).add_modifier(Modifier::BOLD)
        } else {
            self.fg(self.colors.border)
        }
    }
    pub fn title(&self, focused: bool) -> Style {
        let style = self.fg(if focused { self.colors.border_focused } else { self.colors.title });
        if focused { style.add_modifier(Modifier::BOLD) } else { style }
    }
    pub fn selection(&self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(self.colors.selection_fg).bg(self.colors.selection_bg)
        }
    }
    pub fn error(&self) -> Style {
        self.fg(self.colors.error)
    }
    pub fn warning(&self) -> Style {
        self.fg(self.colors.warning)
    }
    pub fn success(&self) -> Style {
        self.fg(self.colors.success)
    }
    pub fn banner(&self) -> Style {
        if self.no_color {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(self.colors.banner_fg).bg(self.colors.banner_bg)
        }
    }
    pub fn status(&self, status: crate::store::JobStatus) -> Style {
        use crate::store::JobStatus::*;
        self.fg(match status {
            Queued => self.colors.queued,
            Running => self.colors.running,
            Done => self.colors.success,
            Failed => self.colors.error,
            Cancelled => self.colors.cancelled,
            Interrupted => self.colors.interrupted,
        })
    }
}

fn plain_colors() -> Colors {
    let r = Color::Reset;
    Colors {
        fg: r,
        bg: r,
        muted: r,
        accent: r,
        border: r,
        border_focused: r,
        title: r,
        selection_fg: r,
        selection_bg: r,
        error: r,
        warning: r,
        success: r,
        running: r,
        queued: r,
        cancelled: r,
        interrupted: r,
        banner_fg: r,
        banner_bg: r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_parse() {
        for (name, _) in BUILTIN_THEMES {
            let theme = Theme::builtin(name).unwrap();
            assert!(!theme.no_color);
        }
    }

    #[test]
    fn bad_theme_names_file_line_and_key() {
        let text = "[colors]\nfg = \"reset\"\nbg = \"chartreuse-ish\"\n";
        let err = Theme::parse("x", text, Path::new("/t/x.toml")).unwrap_err();
        assert!(err.starts_with("theme /t/x.toml, line 3: \"chartreuse-ish\" is not a colour"), "{err}");
        let err = Theme::parse("x", "[colors]\nfgg = 1\n", Path::new("/t/x.toml")).unwrap_err();
        assert!(err.starts_with("theme /t/x.toml, line 2: unknown field `fgg`"), "{err}");
    }

    #[test]
    fn no_color_drops_colours_but_keeps_selection_visible() {
        let (theme, problem) = Theme::load(Some("light"), Path::new("/nonexistent"), true);
        assert!(problem.is_none());
        assert_eq!(theme.error(), Style::new());
        assert_eq!(theme.selection(), Style::new().add_modifier(Modifier::REVERSED));
        let (theme, problem) = Theme::load(Some("solarized"), Path::new("/nonexistent"), false);
        assert_eq!(theme.name, "dark");
        assert!(problem.unwrap().contains("theme \"solarized\": cannot read /nonexistent/solarized.toml"));
    }
}
