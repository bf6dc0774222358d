//! A search keystroke over a real corpus, complete: what the reader does from a key press in the
//! search box to the frame that shows every match, bodies included.
//!
//! `cargo bench --bench search -- DIR...` (default: the seed-1 110k corpus of `scripts/bench.sh`,
//! `/tmp/tidings-bench/corpus-100000/{feeds,articles}`). The cache folder
//! (`/tmp/tidings-bench/search-cache-<articles>`) is kept between runs: the first run builds the
//! full-text index (timed and reported, with its size), later ones find it up to date.
//!
//! Then queries are typed a character at a time, each from an empty box. Per keystroke:
//! `update` (the headers matched in memory), the full-text query the state asks for (as the
//! worker runs it), the hits handed back (`SearchHits`), and one 200x60 frame. Printed: the
//! first keystroke after loading (it builds the header index), then p50/p99/max over every
//! keystroke, and the query alone.

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tidings::core::state::{Action, Effect, SearchKey};
use tidings::sources::SourceSpec;
use tidings::sources::fetch::{FetchOptions, Fetcher};
use tidings::sources::pipeline::{BATCH_EVERY, Pipeline, collect};
use tidings::sources::search_index::{SearchIndex, index_pending, pending};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentiles(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |p: f64| ms(v[((v.len() as f64 * p) as usize).min(v.len() - 1)]);
    format!(
        "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} keystrokes)",
        at(0.5),
        at(0.99),
        ms(*v.last().expect("some")),
        v.len()
    )
}

/// Two words of 4+ letters from an article's title, as someone would type them.
fn words_of(title: &str) -> Option<String> {
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .take(2)
        .collect();
    (words.len() == 2).then(|| words.join(" ").to_lowercase())
}

fn main() -> std::io::Result<()> {
    let Some(dirs) = common::corpus_dirs(100_000) else {
        return Ok(());
    };
    let specs: Vec<SourceSpec> = dirs.iter().cloned().map(SourceSpec::Path).collect();
    let fetcher = Fetcher::new(FetchOptions::default());
    let probe = collect(
        &specs,
        &Pipeline {
            fetcher: &fetcher,
            archive: None,
            prepare: &|_, _| {},
            read: &|_, _| {},
            cached_first: true,
            warm: false,
            batch_every: BATCH_EVERY,
        },
    );
    let cache = PathBuf::from(format!(
        "/tmp/tidings-bench/search-cache-{}",
        probe.articles.len()
    ));
    drop(probe);
    let outcome = common::load(&specs, &cache);
    let articles = outcome.articles;

    let t = Instant::now();
    let (index, warning) = SearchIndex::open(&cache);
    if let Some(w) = warning {
        eprintln!("{w}");
    }
    let waiting = pending(&index, &articles);
    let built = waiting.len();
    index_pending(&index, waiting, |_| true).map_err(std::io::Error::other)?;
    if std::env::var_os("SEARCH_BENCH_OPTIMIZE").is_some() {
        let t = Instant::now();
        index.optimize().map_err(std::io::Error::other)?;
        println!("optimize + vacuum: {:.1} s", t.elapsed().as_secs_f64());
    }
    let size: u64 = std::fs::read_dir(&cache)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("search.sqlite"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "index: {} articles, {built} indexed now in {:.1} s; {:.0} MiB on disk ({})",
        articles.len(),
        t.elapsed().as_secs_f64(),
        size as f64 / (1 << 20) as f64,
        cache.display()
    );

    let mut queries: Vec<String> = vec!["quebec".into()];
    for at in [100, 5_000, 50_000, 90_000] {
        if let Some(q) = articles
            .get(at % articles.len())
            .and_then(|a| words_of(&a.title))
        {
            queries.push(q);
        }
    }
    queries.push("\"central bank\"".into());

    let mut app = common::app()?;
    app.dispatch(Action::Resize {
        width: 200,
        height: 60,
    });
    // As the worker sends them: the articles, then their headers folded.
    let texts: Vec<_> = articles
        .iter()
        .map(|a| {
            let text: Arc<str> = Arc::from(tidings::core::search::index_text(a));
            (a.id.clone(), text)
        })
        .collect();
    app.dispatch(Action::Loaded {
        articles,
        warnings: Vec::new(),
    });
    app.dispatch(Action::SearchTexts(texts));
    app.dispatch(Action::LoadingDone);
    app.draw()?;

    let mut keys = Vec::new();
    let mut fts = Vec::new();
    let mut first = None;
    for q in &queries {
        app.dispatch(Action::StartSearch);
        app.dispatch(Action::SearchInput(SearchKey::Cancel));
        app.dispatch(Action::StartSearch);
        let mut typed = String::new();
        for c in q.chars() {
            typed.push(c);
            let t = Instant::now();
            let mut query_took = Duration::ZERO;
            let effects = app.dispatch(Action::SearchInput(SearchKey::Char(c)));
            for e in effects {
                if let Effect::Search { query, expression } = e {
                    let f = Instant::now();
                    let ids = index.search(&expression).map_err(std::io::Error::other)?;
                    query_took = f.elapsed();
                    fts.push(query_took);
                    app.dispatch(Action::SearchHits { query, ids });
                }
            }
            app.draw()?;
            let took = t.elapsed();
            if std::env::var_os("SEARCH_BENCH_VERBOSE").is_some() {
                println!(
                    "  {typed:>28}: {:.2} ms (query {:.2} ms), {} shown",
                    ms(took),
                    ms(query_took),
                    app.state.visible().len()
                );
            }
            first.get_or_insert(took);
            keys.push(took);
        }
        println!(
            "{q:>28}: {} shown",
            app.state.visible().len().to_string().as_str()
        );
    }
    println!(
        "first keystroke after loading: {:.2} ms",
        ms(first.unwrap_or_default())
    );
    println!("keystroke, complete: {}", percentiles(keys));
    println!("full-text query alone: {}", percentiles(fts));
    // `A` over the whole library (the search cleared): the state and a frame, then the save
    // the worker does in the background.
    app.dispatch(Action::StartSearch);
    app.dispatch(Action::SearchInput(SearchKey::Cancel));
    app.draw()?;
    let t = Instant::now();
    let effects = app.dispatch(Action::MarkAllRead);
    app.draw()?;
    let mark_all = t.elapsed();
    let marks: Vec<_> = effects
        .into_iter()
        .flat_map(|e| match e {
            Effect::SaveMarks(m) => m,
            _ => Vec::new(),
        })
        .collect();
    let dir = tempfile::tempdir()?;
    let store = tidings::sources::store::Store::new(dir.path());
    let t = Instant::now();
    store.save(&marks).map_err(std::io::Error::other)?;
    println!(
        "A (mark all read), {} marks: {:.2} ms to the frame; saved in the background in {:.0} ms",
        marks.len(),
        ms(mark_all),
        ms(t.elapsed())
    );
    std::mem::forget(app);
    Ok(())
}
