//! The runner's history work: queries and deletes, answered as events.

use std::path::PathBuf;

use super::super::event::{AppEvent, StoreAsk};
use super::{Runner, remove_files};
use crate::jobs;
use crate::store::StoreError;
use crate::tui::state::recall::KEPT_PROMPTS;

/// How often the history is asked whether another process wrote to it.
const OTHERS_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

impl Runner {
    /// Watches the history for what other processes write (another imgtui, a batch, a
    /// script): SQLite's data version changes only with their commits, so this costs one tiny
    /// query every two seconds and tells the app only when there is something new.
    /// The version is read before this returns: what others write after it is news.
    pub async fn watch_others(&self) {
        let this = self.clone();
        let mut seen = this.store.run(|s| s.data_version()).await.ok();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(OTHERS_EVERY).await;
                let now = this.store.run(|s| s.data_version()).await.ok();
                if now.is_some() && now != seen {
                    seen = now;
                    if this.events.send(AppEvent::HistoryChanged).is_err() {
                        return;
                    }
                }
            }
        });
    }
}

impl Runner {
    /// History work: a query or a change, answered as an event (a failure as what was asked
    /// and the store's error, for `update` to word).
    pub(super) async fn ask_store(&self, ask: StoreAsk) {
        let work = ask.work();
        let failed = |error: StoreError| AppEvent::StoreFailed { work, error };
        let answer = match ask {
            StoreAsk::Rerun(id) => match self.store.run(move |s| s.job(id)).await {
                Ok(Some(record)) => AppEvent::Rerun(Box::new(record)),
                Ok(None) => failed(StoreError::NoSuchJob(id)),
                Err(e) => failed(e),
            },
            StoreAsk::LoadHistory { query, append, generation } => {
                let store = self.pages.as_ref().map_or(&self.store, |pages| &pages.store);
                if let Some(pages) = &self.pages {
                    // A newer page (a search typed further, a reload) replaces one still
                    // running: that one stops rather than keep this one waiting.
                    let before = pages.newest.fetch_max(generation, std::sync::atomic::Ordering::SeqCst);
                    if before < generation {
                        pages.stop.interrupt();
                    }
                }
                match store.run(move |s| s.page(&query)).await {
                    Ok(rows) => AppEvent::HistoryPage { rows, append, generation },
                    // Its answer would have been dropped: the newer one comes.
                    Err(StoreError::Interrupted) => return,
                    Err(error) => AppEvent::HistoryPageFailed { generation, error },
                }
            }
            StoreAsk::LoadRows(ids) => match self.store.run(move |s| s.summaries(&ids)).await {
                Ok(rows) => AppEvent::HistoryRows(rows),
                Err(e) => failed(e),
            },
            StoreAsk::LoadDetails(id) => match self.store.run(move |s| s.job(id)).await {
                Ok(Some(record)) => {
                    let paths: Vec<PathBuf> = record.images.iter().map(|i| i.path.clone()).collect();
                    let missing =
                        tokio::task::spawn_blocking(move || paths.into_iter().filter(|p| !p.exists()).collect());
                    let missing_files = missing.await.unwrap_or_default();
                    tracing::debug!(job = id, "details loaded");
                    AppEvent::Details { record: Box::new(record), missing_files }
                }
                // Deleted by another imgtui: the list is out of date.
                Ok(None) => AppEvent::JobGone(id),
                Err(e) => failed(e),
            },
            StoreAsk::DeleteJob(id) => match self.store.run(move |s| s.delete_job(id)).await {
                Ok(mut paths) => {
                    let out_dir = self.folders.out.clone();
                    let removed = tokio::task::spawn_blocking(move || {
                        paths.extend(jobs::partials_of_job(&paths, &out_dir, id));
                        remove_files(&paths)
                    });
                    let problems = removed.await.unwrap_or_else(|e| vec![e.to_string()]);
                    AppEvent::Deleted { id, problems }
                }
                Err(e) => failed(e),
            },
            StoreAsk::LoadFirstImages(ids) => match self.store.run(move |s| s.first_images(&ids)).await {
                Ok(found) => AppEvent::FirstImages(found),
                Err(e) => failed(e),
            },
            StoreAsk::LoadGroup(id) => match self.store.run(move |s| s.group_members(id)).await {
                Ok(members) => AppEvent::Group { id, members },
                Err(e) => failed(e),
            },
            StoreAsk::LoadSpent => match self.store.run(|s| s.spent()).await {
                Ok(spent) => AppEvent::Spent(spent),
                Err(e) => failed(e),
            },
            StoreAsk::LoadSpend => {
                use crate::store::spend::SpendBy;
                use crate::tui::state::spend::{MODEL_DAYS, SPEND_DAYS};
                let asked = self
                    .store
                    .run(|s| Ok((s.spend(SpendBy::Day, SPEND_DAYS)?, s.spend(SpendBy::Model, MODEL_DAYS)?)))
                    .await;
                match asked {
                    Ok((days, models)) => AppEvent::SpendLoaded { days, models },
                    Err(e) => failed(e),
                }
            }
            StoreAsk::LoadOutputHistory => {
                match self.store.run(|s| s.output_samples(crate::cost::ESTIMATE_SAMPLES)).await {
                    Ok(samples) => AppEvent::OutputHistory(crate::cost::OutputHistory::from_samples(samples)),
                    Err(e) => failed(e),
                }
            }
            StoreAsk::LoadPrompts { after } => {
                match self.store.run(move |s| s.recent_prompts(after, KEPT_PROMPTS)).await {
                    Ok(recent) => AppEvent::Prompts { after, recent },
                    Err(e) => failed(e),
                }
            }
            StoreAsk::Star { id, starred } => match self.store.run(move |s| s.set_starred(id, starred)).await {
                Ok(()) => return,
                Err(e) => failed(e),
            },
            // Its row follows when the other process records the end.
            StoreAsk::AskCancel(id) => match self.store.run(move |s| s.ask_cancel(id)).await {
                Ok(_) => return,
                Err(e) => failed(e),
            },
        };
        self.send(answer);
    }
}
