//! `y` on a job: a small menu of what to copy to the clipboard (through OSC 52, so it reaches
//! the computer in front of the person, over SSH and tmux), the last choice remembered.

use crate::store::{JobId, JobRecord};

/// What can be copied of a job.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CopyWhat {
    /// The shown image's file.
    #[default]
    Path,
    Prompt,
    /// The `imgtui generate …` (or `edit …`) command that repeats the request.
    Command,
    JobId,
}

impl CopyWhat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Prompt => "prompt",
            Self::Command => "command",
            Self::JobId => "job id",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CopyMenu {
    pub id: JobId,
    /// What each choice copies.
    pub choices: Vec<(CopyWhat, String)>,
    pub selected: usize,
}

impl CopyMenu {
    /// The choices for `job` (the path of `image`, the one shown), `last` selected.
    pub fn of(job: &JobRecord, image: Option<&std::path::Path>, last: CopyWhat) -> Self {
        let mut choices = Vec::new();
        if let Some(path) = image {
            choices.push((CopyWhat::Path, path.display().to_string()));
        }
        choices.push((CopyWhat::Prompt, job.request.prompt().to_string()));
        choices.push((CopyWhat::Command, job.request.shell_command()));
        choices.push((CopyWhat::JobId, job.id.to_string()));
        let selected = choices.iter().position(|(what, _)| *what == last).unwrap_or(0);
        Self { id: job.id, choices, selected }
    }

    pub fn chosen(&self) -> Option<&(CopyWhat, String)> {
        self.choices.get(self.selected)
    }
}
