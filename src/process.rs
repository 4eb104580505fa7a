//! Which process owns a job: its pid and the time the kernel started it. A pid alone is not
//! enough: pids are reused, and a dead imgtui's pid taken by another process would keep its
//! jobs "running elsewhere" for good.

use std::sync::OnceLock;

/// A process, as far as the kernel can tell one from another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    pub pid: u32,
    /// Clock ticks after boot when it started (`/proc/PID/stat`, field 22); `None` where
    /// there is no /proc, or for rows written before it was recorded.
    pub started: Option<u64>,
}

impl Owner {
    /// This process.
    pub fn this() -> Self {
        static THIS: OnceLock<Owner> = OnceLock::new();
        *THIS.get_or_init(|| {
            let pid = std::process::id();
            Owner { pid, started: start_time(pid) }
        })
    }

    /// Whether this owner still runs: a live process with that pid that started when it did.
    /// A process of another user counts; without a start time to compare, the pid decides.
    pub fn is_alive(&self) -> bool {
        if *self == Self::this() {
            return true;
        }
        if !pid_alive(self.pid) {
            return false;
        }
        match (self.started, start_time(self.pid)) {
            (Some(recorded), Some(now)) => recorded == now,
            _ => true,
        }
    }

    /// Whether this is the running process.
    pub fn is_this(&self) -> bool {
        self.pid == std::process::id() && self.started.is_none_or(|s| Some(s) == Self::this().started)
    }
}

/// Whether some process has `pid` (signal 0 asks the kernel, on every Unix).
pub fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

/// When `pid` started, in clock ticks after boot.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name in parentheses may hold spaces and parentheses: fields follow the last ')'.
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Field 3 (state) is the first after the name; field 22 is the 20th.
    after_name.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_recycled_pid_is_not_its_owner() {
        let this = Owner::this();
        assert!(this.is_alive() && this.is_this());
        if this.started.is_some() {
            let impostor = Owner { pid: 1, started: Some(u64::MAX) };
            assert!(!impostor.is_alive(), "pid 1 runs, but it did not start then");
        }
        assert!(Owner { pid: 1, started: None }.is_alive(), "no start time: the pid decides");
        assert!(!Owner { pid: u32::MAX, started: None }.is_alive());
    }
}
