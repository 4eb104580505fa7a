//! The release binary in a pty, measured as a user on SSH would feel it: start to first frame
//! with 10,000, 100,000 and 1,000,000 jobs in the history, CPU and bytes while idle with an image on screen, bytes per
//! typed character, memory, keystroke latency while a large answer decodes, and a finished
//! response to the preview on screen beside `viu`. One line per measure with its target and
//! PASS/FAIL. Run: `cargo bench --bench tui`.

mod gallery;
mod large_answer;
mod session;
mod startup;
mod versus_viu;

pub fn report(measure: &str, value: String, target: &str, pass: bool) {
    println!("{measure}: {value} (target {target}) {}", if pass { "PASS" } else { "FAIL" });
}

fn main() {
    // `cargo bench` passes `--bench`; a name filter selects measures.
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    if wanted("startup") {
        startup::run();
    }
    if wanted("gallery") {
        gallery::run();
    }
    if wanted("large_answer") {
        large_answer::run();
    }
    if wanted("viu") {
        versus_viu::run();
    }
}
