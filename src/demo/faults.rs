//! Fault injection: tests queue faults that the next matching requests suffer, in-process
//! through `DemoServer::faults()` or over HTTP with `POST /_demo/faults`.

use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer with this status, headers and body instead of doing the work.
    Status {
        status: u16,
        #[serde(default)]
        body: String,
        #[serde(default)]
        headers: Vec<(String, String)>,
    },
    /// Wait this long, then answer normally.
    Delay { ms: u64 },
    /// Close the connection without answering.
    Drop,
    /// Answer normally, but close the connection halfway through the body.
    Truncate,
    /// Answer normally, sending the body in `chunk` bytes every `every_ms`.
    SlowBody { chunk: usize, every_ms: u64 },
    /// An edit behaves as the GPT image models do with a mask: it repaints `px` pixels beyond
    /// the mask's hole and shifts the colours outside it slightly.
    Spill { px: u32 },
}

/// The `Spill` an edit request was given, handed from the fault layer to the edit handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spill(pub u32);

/// A fault for the next `times` requests whose path contains `path` (all paths when empty).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(flatten)]
    pub fault: Fault,
    #[serde(default)]
    pub path: String,
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

#[cfg(any(test, feature = "internals"))]
impl FaultRule {
    pub fn once(fault: Fault) -> Self {
        Self { fault, path: String::new(), times: 1 }
    }

    pub fn times(fault: Fault, times: u32) -> Self {
        Self { fault, path: String::new(), times }
    }

    /// Only for requests whose path contains `path` (e.g. `generations`, `files`).
    pub fn on(mut self, path: &str) -> Self {
        self.path = path.to_string();
        self
    }
}

/// A status fault with an OpenAI-shaped error body.
#[cfg(any(test, feature = "internals"))]
pub fn openai_error(status: u16, message: &str) -> Fault {
    let body = serde_json::json!({
        "error": { "message": message, "type": "server_error", "param": null, "code": null }
    });
    Fault::Status { status, body: body.to_string(), headers: Vec::new() }
}

#[derive(Clone, Debug, Default)]
pub struct FaultQueue(Arc<Mutex<Vec<FaultRule>>>);

impl FaultQueue {
    pub fn push(&self, rule: FaultRule) {
        self.lock().push(rule);
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn pending(&self) -> usize {
        self.lock().iter().map(|r| r.times as usize).sum()
    }

    /// Takes the fault for a request to `path`, if one is queued for it.
    pub fn take(&self, path: &str) -> Option<Fault> {
        let mut rules = self.lock();
        // The model list is asked in the background at start-up: only a rule that names it
        // applies there, so a test's fault still meets the request it was meant for.
        let list = path.ends_with("/models");
        let at = rules.iter().position(|r| path.contains(&r.path) && (!list || !r.path.is_empty()))?;
        let rule = &mut rules[at];
        let fault = rule.fault.clone();
        rule.times = rule.times.saturating_sub(1);
        if rule.times == 0 {
            rules.remove(at);
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        // A panic elsewhere cannot leave the list half-changed: every change is one call.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
