//! History at scale: the newest page, a search, and a status filter over 100,000 jobs.
//! Targets: the newest page in well under 50 ms (issue 3), a two-word search < 5 ms (issue 20).

const JOBS: i64 = 100_000;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use imgtui::api::GenerateRequest;
use imgtui::store::{DoneOutcome, ImageRequest, JobQuery, JobStatus, Store};

fn filled_store(jobs: i64) -> Store {
    let dir = std::env::temp_dir().join(format!("imgtui-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut store = match Store::open(&dir) {
        Ok(store) => store,
        Err(e) => panic!("bench store: {e}"),
    };
    let words = ["fox", "lighthouse", "harbour", "forest", "city", "portrait", "robot", "garden"];
    for i in 0..jobs {
        let prompt = format!("a {} at dusk, number {i}, {}", words[i as usize % 8], "detailed ".repeat(20));
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", prompt));
        let id = store.insert_job(&request, "demo", "http://127.0.0.1/v1", None, &[], i * 1000).unwrap_or_default();
        let outcome = DoneOutcome::default();
        if i % 7 == 0 {
            let _ = store.finish_failed(id, JobStatus::Failed, "HTTP 500", Some(500), 2, i * 1000 + 10);
        } else {
            let _ = store.finish_done(id, &outcome, i * 1000 + 10);
        }
    }
    store
}

fn history(c: &mut Criterion) {
    let store = filled_store(JOBS);
    c.bench_function("newest page of 100 (100k jobs)", |b| {
        b.iter(|| black_box(store.page(&JobQuery { limit: 100, ..JobQuery::default() })))
    });
    c.bench_function("page 50 via cursor (100k jobs)", |b| {
        let before = Some((5_000_000, 5_000));
        b.iter(|| black_box(store.page(&JobQuery { limit: 100, before, ..JobQuery::default() })))
    });
    c.bench_function("search two words (100k jobs)", |b| {
        let search = Some("lighthouse 99".to_string());
        b.iter(|| black_box(store.page(&JobQuery { limit: 100, search: search.clone(), ..JobQuery::default() })))
    });
    c.bench_function("search a rare word (100k jobs)", |b| {
        let search = Some("harbour 4242".to_string());
        b.iter(|| black_box(store.page(&JobQuery { limit: 100, search: search.clone(), ..JobQuery::default() })))
    });
    c.bench_function("failed jobs (100k jobs)", |b| {
        b.iter(|| {
            black_box(store.page(&JobQuery { limit: 100, status: Some(JobStatus::Failed), ..JobQuery::default() }))
        })
    });
    // A chain of 200 edits, each of the one before, on top of the 100,000 jobs.
    let mut store = store;
    let mut parent = None;
    for i in 0..200 {
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", format!("edit {i}")));
        parent = store.insert_job(&request, "demo", "http://127.0.0.1/v1", parent, &[], JOBS * 1000 + i).ok();
    }
    let leaf = parent.unwrap_or_default();
    c.bench_function("open a tree of 200 edits: query and arrange (100k jobs)", |b| {
        b.iter(|| {
            let rows = store.tree_of(leaf).unwrap_or_default();
            let links: Vec<(i64, Option<i64>)> = rows.iter().map(|r| (r.id, r.parent_id)).collect();
            black_box(imgtui::edit_tree::arrange(&links))
        })
    });
    c.bench_function("tokens per day (100k jobs)", |b| b.iter(|| black_box(store.tokens_per_day(30))));
    c.bench_function("every earlier prompt for Ctrl-P/Ctrl-R (100k jobs)", |b| {
        b.iter(|| black_box(store.recent_prompts(None, 200_000)))
    });
}

criterion_group!(benches, history);
criterion_main!(benches);
