//! What the history holds: jobs, their inputs and their images.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::api::ImageFormat;
use crate::api::response::Usage;

pub type JobId = i64;

pub use crate::api::image_request::{ImageRequest, JobKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
    /// Left queued or running by a process that died; can be re-run.
    Interrupted,
}

impl JobStatus {
    pub const ALL: [Self; 6] =
        [Self::Queued, Self::Running, Self::Done, Self::Failed, Self::Cancelled, Self::Interrupted];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for JobStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|st| st.as_str() == s).ok_or_else(|| {
            let all: Vec<_> = Self::ALL.iter().map(|st| st.as_str()).collect();
            format!("\"{s}\" is not a job status ({})", all.join(", "))
        })
    }
}

/// An input file of an edit, as it was when the job was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRecord {
    pub role: String,
    pub path: PathBuf,
    /// SHA-256 of the file's bytes; `None` when it could not be read.
    pub sha256: Option<String>,
}

/// An image file the job produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRecord {
    /// Position in the API's `data`.
    pub index: usize,
    pub path: PathBuf,
    /// `None`: bytes no known format (kept as `.bin`).
    pub format: Option<ImageFormat>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub bytes: u64,
    pub sha256: String,
}

impl ImageRecord {
    /// The format's API name, or "unknown".
    pub fn format_name(&self) -> &'static str {
        self.format.map_or("unknown", ImageFormat::api_name)
    }

    /// "1024x1024 png", or the format alone when the size is not known.
    pub fn size_and_format(&self) -> String {
        match (self.width, self.height) {
            (Some(w), Some(h)) => format!("{w}x{h} {}", self.format_name()),
            _ => self.format_name().to_string(),
        }
    }
}

/// One row of the history with everything about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub id: JobId,
    /// Unix milliseconds.
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub kind: JobKind,
    pub status: JobStatus,
    pub request: ImageRequest,
    pub provider: String,
    pub base_url: String,
    pub error: Option<String>,
    pub http_status: Option<u16>,
    pub retries: u32,
    pub usage: Option<Usage>,
    pub revised_prompt: Option<String>,
    /// The answer's echoed fields (size, quality, background, output_format).
    pub response_meta: Option<serde_json::Value>,
    pub parent_id: Option<JobId>,
    pub inputs: Vec<InputRecord>,
    pub images: Vec<ImageRecord>,
    /// The API's own images beside results imgtui changed (the original kept outside the mask).
    pub raw_images: Vec<ImageRecord>,
    /// What it cost, and the prices that said so.
    pub cost: Option<crate::cost::JobCost>,
    #[serde(default)]
    pub starred: bool,
    /// The first job of the submit this one came from (variants, a varied setting, a batch).
    #[serde(default)]
    pub group_id: Option<JobId>,
    /// Who sent it when not the person at this terminal: `mcp:CLIENT` for an agent through
    /// `imgtui mcp` (CLIENT: the name the agent's MCP client gave); `None`: the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// A history list row: enough to show and select, cheap to read by the thousand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: JobId,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub kind: JobKind,
    pub status: JobStatus,
    pub model: String,
    pub prompt: String,
    pub image_count: u32,
    pub total_tokens: Option<u64>,
    pub error: Option<String>,
    /// The pid of another live imgtui that is running this job (it cannot be cancelled or
    /// deleted from here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_elsewhere: Option<u32>,
    /// What it cost, when a price was known, and the prices that said so.
    #[serde(default)]
    pub cost: Option<crate::cost::JobCost>,
    #[serde(default)]
    pub starred: bool,
    /// The first job of the submit this one came from (variants, a varied setting, a batch).
    #[serde(default)]
    pub group_id: Option<JobId>,
    /// The job whose image this one edited.
    #[serde(default)]
    pub parent_id: Option<JobId>,
    /// The request's plain settings by API name ("quality" → "high"), without model and
    /// prompt: what tells the jobs of a group apart.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub settings: std::collections::BTreeMap<String, String>,
    /// Who sent it when not the person here: `mcp:CLIENT` for an agent (see `JobRecord`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}
