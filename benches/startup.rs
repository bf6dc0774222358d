//! Start-up of the reader, in process: from nothing to the first frame that shows the articles,
//! cold (empty cache folder) and warm (the snapshot of the previous run in place).
//!
//! `cargo bench --bench startup -- DIR...` where each DIR is a folder of articles or feeds (by
//! default the seed-1 corpus of `scripts/bench.sh`: `/tmp/tidings-bench/corpus-10000/feeds` and
//! `.../articles`). Each run does what `tidings` does before its first full frame: open the
//! snapshot, load every folder through it (files unchanged since the snapshot are not parsed),
//! save the snapshot, hand the articles to the state (`Loaded`, `LoadingDone`) and draw one
//! 200x60 frame on a `TestBackend`. Then the first search keystroke (the header index is
//! folded then) and, apart, what the background worker does for that search: read every body
//! on disk back and fold it. Five cold and five warm runs; medians are printed.

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};
use tidings::core::state::{Action, Effect, SearchKey};
use tidings::sources::SourceSpec;

const RUNS: usize = 5;

struct Times {
    load: Duration,
    frame: Duration,
    /// The first search keystroke and its frame (the header index is built then).
    first_key: Duration,
    /// Reading every body on disk back for search (the background worker's job).
    bodies: Duration,
    articles: usize,
}

fn start(specs: &[SourceSpec], cache: &std::path::Path) -> std::io::Result<Times> {
    let t = Instant::now();
    let outcome = common::load(specs, cache);
    let load = t.elapsed();
    let articles = outcome.articles.len();
    let mut app = common::app()?;
    app.dispatch(Action::Loaded {
        articles: outcome.articles,
        warnings: Vec::new(),
    });
    app.dispatch(Action::LoadingDone);
    app.draw()?;
    let frame = t.elapsed() - load;
    let t = Instant::now();
    app.dispatch(Action::StartSearch);
    let work = app.dispatch(Action::SearchInput(SearchKey::Char('m')));
    app.draw()?;
    let first_key = t.elapsed();
    let t = Instant::now();
    // What the worker does for that search: bring the full-text index up to date (from
    // scratch when cold: every body read again) and ask it.
    let (index, _) = tidings::sources::search_index::SearchIndex::open(cache);
    let waiting = tidings::sources::search_index::pending(&index, app.state.lib().articles());
    tidings::sources::search_index::index_pending(&index, waiting, |_| true)
        .map_err(std::io::Error::other)?;
    for effect in work {
        if let Effect::Search { expression, .. } = effect {
            std::hint::black_box(index.search(&expression).map_err(std::io::Error::other)?);
        }
    }
    let bodies = t.elapsed();
    // Like the binary, leave the archive to the OS rather than free it piece by piece.
    std::mem::forget(app);
    Ok(Times {
        load,
        frame,
        first_key,
        bodies,
        articles,
    })
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

fn report(name: &str, runs: &[Times]) {
    let load = median(runs.iter().map(|t| t.load).collect());
    let frame = median(runs.iter().map(|t| t.frame).collect());
    let key = median(runs.iter().map(|t| t.first_key).collect());
    let bodies = median(runs.iter().map(|t| t.bodies).collect());
    println!(
        "{name}: {} articles; load {load:.0} ms + state and first frame {frame:.0} ms = {:.0} ms; \
         first search keystroke {key:.0} ms; full-text index brought up to date and asked (background) {bodies:.0} ms \
         (medians of {})",
        runs[0].articles,
        load + frame,
        runs.len()
    );
}

fn main() -> std::io::Result<()> {
    let Some(dirs) = common::corpus_dirs(10_000) else {
        return Ok(());
    };
    let specs: Vec<SourceSpec> = dirs.into_iter().map(SourceSpec::Path).collect();
    let work = std::env::temp_dir().join(format!("tidings-startup-{}", std::process::id()));
    let mut cold = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(&work);
        cold.push(start(&specs, &work)?);
    }
    let mut warm = Vec::new();
    for _ in 0..RUNS {
        warm.push(start(&specs, &work)?);
    }
    let _ = std::fs::remove_dir_all(&work);
    report("cold", &cold);
    report("warm", &warm);
    Ok(())
}
