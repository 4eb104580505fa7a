//! `imgtui serve-demo` in a process of its own, for clients nobody here wrote (the OpenAI and
//! MCP Python SDKs); stopped when dropped.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

pub struct DemoProcess {
    child: Child,
    /// `http://127.0.0.1:PORT/v1`, as its first line says.
    pub base_url: String,
}

impl DemoProcess {
    /// Started on a free port with no latency, its history in `data`.
    pub fn start(data: &Path) -> Self {
        let mut child = super::imgtui_std()
            .args(["--demo-latency-ms", "0", "--data-dir"])
            .arg(data)
            .args(["serve-demo", "--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base_url = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).map(str::to_string);
        let base_url = base_url.unwrap_or_else(|| {
            let _ = child.kill();
            panic!("no URL on serve-demo's first line: {line:?}")
        });
        Self { child, base_url }
    }
}

impl Drop for DemoProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
