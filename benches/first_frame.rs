//! The reader's first frame *with headlines* at a warm start (issue 15), in process, for each
//! corpus size: `cargo bench --bench first_frame -- [N...]` with N among the sizes of
//! `scripts/bench.sh` (default 1000 10000 100000 300000; a corpus not generated is skipped),
//! read from `/tmp/tidings-bench/corpus-N/{feeds,articles}`.
//!
//! For each size, after one cold load that writes the snapshot and the head (as the reader
//! does after its first load), it times:
//! - **whole snapshot** (the warm start before the head): open the snapshot, decode every
//!   file's articles, hand them to the state (`Loaded`, `LoadingDone`), draw one 200x60 frame;
//! - **head**: read `head.bin`, hand it to the state (`Head`), draw one 200x60 frame, checked to
//!   show the newest headline;
//! - **library behind the head**: from there, the whole load as the worker does it and the
//!   library replacing the preview (`Loaded`, `StoredLoaded`), and the next frame.
//!
//! Medians of several runs; the machine's other work shows in the spread.

#[path = "common/mod.rs"]
mod common;

use common::{app, load};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tidings::core::state::{Action, Effect};
use tidings::sources::SourceSpec;
use tidings::sources::head;

/// The key the reader's worker files the head under (these sources, no config file).
fn key(specs: &[SourceSpec]) -> u64 {
    let labels: Vec<String> = specs.iter().map(SourceSpec::label).collect();
    head::key(&labels, None)
}

/// The start before the head: everything decoded, then the first frame.
fn whole(specs: &[SourceSpec], cache: &Path) -> std::io::Result<(Duration, usize)> {
    let t = Instant::now();
    let articles = load(specs, cache).articles;
    let mut app = app()?;
    app.dispatch(Action::Loaded {
        articles,
        warnings: Vec::new(),
    });
    let effects = app.dispatch(Action::LoadingDone);
    app.draw()?;
    let took = t.elapsed();
    let n = app.state.lib().len();
    // The head, as the worker saves it after the first load.
    for e in effects {
        if let Effect::SaveHead(h) = e {
            head::save(cache, &head::encode(key(specs), &h))?;
        }
    }
    std::mem::forget(app);
    Ok((took, n))
}

/// The start with the head: its first frame, then the library behind it.
fn with_head(specs: &[SourceSpec], cache: &Path) -> std::io::Result<(Duration, Duration)> {
    let t = Instant::now();
    let (h, warning) = head::read(cache, key(specs));
    let h = h.ok_or_else(|| std::io::Error::other(format!("no head: {warning:?}")))?;
    let mut app = app()?;
    app.dispatch(Action::Marks(Vec::new()));
    app.dispatch(Action::Head(Box::new(h)));
    app.draw()?;
    let first = t.elapsed();
    let shown = app.state.visible().first().map(|&i| {
        let title = &app.state.lib().articles()[i].title;
        title.chars().take(12).collect::<String>()
    });
    let screen: String = (app.terminal.backend().buffer().content.iter())
        .map(|c| c.symbol())
        .collect();
    match shown {
        Some(t) if screen.contains(t.as_str()) => {}
        _ => return Err(std::io::Error::other("the first frame shows no headline")),
    }
    let articles = load(specs, cache).articles;
    app.dispatch(Action::Loaded {
        articles,
        warnings: Vec::new(),
    });
    app.dispatch(Action::StoredLoaded);
    app.dispatch(Action::LoadingDone);
    app.draw()?;
    let all = t.elapsed();
    std::mem::forget(app);
    Ok((first, all))
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

fn main() -> std::io::Result<()> {
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![1_000, 10_000, 100_000, 300_000];
    }
    for n in sizes {
        let base = PathBuf::from(format!("/tmp/tidings-bench/corpus-{n}"));
        let dirs = [base.join("feeds"), base.join("articles")];
        if dirs.iter().any(|d| !d.exists()) {
            println!(
                "{n}: {} not generated (scripts/bench.sh); skipped",
                base.display()
            );
            continue;
        }
        let specs: Vec<SourceSpec> = dirs.into_iter().map(SourceSpec::Path).collect();
        let cache =
            std::env::temp_dir().join(format!("tidings-first-frame-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&cache);
        // Cold: writes the snapshot and the head.
        let (_, articles) = whole(&specs, &cache)?;
        let runs = if n >= 100_000 { 5 } else { 9 };
        let before: Vec<Duration> = (0..runs)
            .map(|_| whole(&specs, &cache).map(|r| r.0))
            .collect::<Result<_, _>>()?;
        let mut first = Vec::new();
        let mut all = Vec::new();
        for _ in 0..runs {
            let (f, a) = with_head(&specs, &cache)?;
            first.push(f);
            all.push(a);
        }
        // The first frame alone, many times (it is short, so noise weighs more).
        for _ in 0..20 {
            let t = Instant::now();
            let (h, _) = head::read(&cache, key(&specs));
            let mut app = app()?;
            app.dispatch(Action::Head(Box::new(h.expect("a head"))));
            app.draw()?;
            first.push(t.elapsed());
        }
        let size = std::fs::metadata(cache.join(head::FILE_NAME)).map_or(0, |m| m.len());
        println!(
            "{n}: {articles} articles; first frame with headlines, warm: whole snapshot {:.1} ms, \
             head {:.2} ms (head.bin {} KB); library behind the head in {:.1} ms (medians)",
            median(before),
            median(first),
            size / 1024,
            median(all),
        );
        let _ = std::fs::remove_dir_all(&cache);
    }
    Ok(())
}
