//! The words for a history failure: what was asked, and what stood in the way, in the terms a
//! person acts on (try again, go to the other imgtui, look at the file).

use crate::store::StoreError;
use crate::tui::event::StoreWork;

pub fn store_failed_text(work: StoreWork, error: &StoreError) -> String {
    let doing = match work {
        StoreWork::Rerun(id) => format!("re-run job {id}"),
        StoreWork::Page => "read the history".to_string(),
        StoreWork::Rows => "update the history's rows".to_string(),
        StoreWork::Details(id) => format!("show job {id}"),
        StoreWork::Delete(id) => format!("delete job {id}"),
        StoreWork::FirstImages => "find the gallery's pictures".to_string(),
        StoreWork::Group(id) => format!("read group {id}"),
        StoreWork::Spent => "add up today's spend".to_string(),
        StoreWork::Spend => "read the spend by day and by model".to_string(),
        StoreWork::OutputHistory => "read earlier jobs' token counts (estimates use the table)".to_string(),
        StoreWork::Prompts => "read earlier prompts for Ctrl-P and Ctrl-R".to_string(),
        StoreWork::Star(id) => format!("change job {id}'s star"),
        StoreWork::AskCancel(id) => format!("ask the imgtui running job {id} to cancel it"),
    };
    match error {
        StoreError::NoSuchJob(id) => {
            format!("cannot {doing}: job {id} is no longer in the history (deleted by another imgtui?)")
        }
        StoreError::RunningElsewhere { id, pid } => {
            format!("cannot {doing}: job {id} is running in another imgtui (pid {pid}); cancel or delete it there")
        }
        StoreError::Busy { .. } => {
            format!("cannot {doing} now: another process holds the history; try again in a moment")
        }
        StoreError::Interrupted => format!("{doing}: stopped for a newer question"),
        StoreError::Db { .. } | StoreError::Dir { .. } => format!("cannot {doing}: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_says_what_was_asked_and_what_to_do() {
        let busy = StoreError::Busy { path: "/h/history.sqlite3".into(), message: "database is locked".into() };
        assert_eq!(
            store_failed_text(StoreWork::Delete(7), &busy),
            "cannot delete job 7 now: another process holds the history; try again in a moment"
        );
        let elsewhere = StoreError::RunningElsewhere { id: 7, pid: 4242 };
        assert!(store_failed_text(StoreWork::Delete(7), &elsewhere).contains("pid 4242"));
        let gone = store_failed_text(StoreWork::Rerun(49), &StoreError::NoSuchJob(49));
        assert!(gone.starts_with("cannot re-run job 49: job 49 is no longer in the history"), "{gone}");
    }
}
