//! What the start-up benchmarks share: the reader's loading pipeline and its app on a 200x60
//! `TestBackend`.
// Each bench uses part of this module.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use tidings::core::state::{Clock, State};
use tidings::keymap::Keymap;
use tidings::shell::app::App;
use tidings::sources::fetch::{FetchOptions, Fetcher};
use tidings::sources::pipeline::{BATCH_EVERY, Pipeline, collect};
use tidings::sources::{LoadOutcome, SourceSpec};
use tidings::ui::theme::Theme;

/// Every source through the reader's pipeline: it opens the snapshot in `cache` (warm) and
/// saves it after the local sources.
pub fn load(specs: &[SourceSpec], cache: &Path) -> LoadOutcome {
    let fetcher = Fetcher::new(FetchOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..Default::default()
    });
    let pipeline = Pipeline {
        fetcher: &fetcher,
        archive: None,
        prepare: &|_, _| {},
        read: &|_, _| {},
        cached_first: true,
        warm: true,
        batch_every: BATCH_EVERY,
    };
    collect(specs, &pipeline)
}

/// The reader's app on a 200x60 screen, as it starts (the size told, no article yet).
pub fn app() -> std::io::Result<App<TestBackend>> {
    let state = State::new(
        Clock {
            now: chrono::Utc::now(),
            tz: chrono::FixedOffset::east_opt(0).expect("offset"),
        },
        None,
    );
    let Ok(terminal) = Terminal::new(TestBackend::new(200, 60));
    App::new(terminal, state, Keymap::default(), Theme::default())
}

/// The folders given on the command line (options skipped), else `feeds` and `articles` of
/// the seed-1 corpus of `scripts/bench.sh` with `items` items. `None`, having said why, when
/// one does not exist.
pub fn corpus_dirs(items: usize) -> Option<Vec<std::path::PathBuf>> {
    let mut dirs: Vec<std::path::PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(std::path::PathBuf::from)
        .collect();
    if dirs.is_empty() {
        let base = std::path::PathBuf::from(format!("/tmp/tidings-bench/corpus-{items}"));
        dirs = vec![base.join("feeds"), base.join("articles")];
    }
    if let Some(missing) = dirs.iter().find(|d| !d.exists()) {
        eprintln!(
            "{} does not exist: run scripts/bench.sh first (it generates the corpora), or pass folders",
            missing.display()
        );
        return None;
    }
    Some(dirs)
}
