//! A big first load shows progress by files and articles as batches of files finish (issue
//! 14.6); a refresh says what it did (14.9): the pipeline's events, and the screen.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::time::Duration;
use tidings::core::model::Article;
use tidings::core::state::{Action, Clock, SourceState, State};
use tidings::keymap::Keymap;
use tidings::shell::app::{App, Msg};
use tidings::sources::SourceSpec;
use tidings::sources::fetch::{FetchOptions, Fetcher};
use tidings::sources::files::CHUNK;
use tidings::sources::pipeline::{Event, Pipeline};
use tidings::ui::theme::Theme;

fn write_articles(dir: &Path, n: usize) {
    for i in 0..n {
        let text = format!(
            "Categories: World News / Europe\n\nStory number {i}\n\nThe standfirst of story {i}.\n\nA paragraph.\n"
        );
        std::fs::write(dir.join(format!("story-{i:05}.txt")), text).unwrap();
    }
}

#[test]
fn a_folder_reports_files_read_and_gives_articles_in_batches() {
    let dir = tempfile::tempdir().unwrap();
    let n = CHUNK * 2 + 100;
    write_articles(dir.path(), n);
    let cache = tempfile::tempdir().unwrap();
    let fetcher = Fetcher::new(FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..FetchOptions::default()
    });
    let tag = |_: &str, articles: &mut Vec<Article>| {
        for a in articles.iter_mut() {
            a.source = "Prepared".into();
        }
    };
    let pipeline = Pipeline {
        fetcher: &fetcher,
        archive: None,
        prepare: &tag,
        cached_first: true,
        warm: true,
        // Every chunk gives its articles.
        batch_every: Duration::ZERO,
    };
    let specs = [SourceSpec::Path(dir.path().to_path_buf())];
    let (mut progress, mut batches, mut total) = (Vec::new(), Vec::new(), 0);
    let mut done = None;
    pipeline.run(&specs, |e| match e {
        Event::Reading {
            done,
            total: all,
            articles,
            ..
        } => {
            progress.push((done, all));
            assert!(articles.iter().all(|a| &*a.source == "Prepared"));
            batches.push(articles.len());
            total += articles.len();
        }
        Event::Done(d) => {
            assert!(d.articles.iter().all(|a| &*a.source == "Prepared"));
            total += d.articles.len();
            done = Some((d.earlier, d.count(), d.files));
        }
        _ => {}
    });
    assert_eq!(progress, [(CHUNK, n), (CHUNK * 2, n), (n, n)]);
    // The last chunk's articles come with the source's end, not as a batch.
    assert_eq!(batches, [CHUNK, CHUNK, 0]);
    assert_eq!(total, n);
    assert_eq!(done, Some((CHUNK * 2, n, Some(n))));
}

fn app() -> App<TestBackend> {
    let clock = Clock {
        now: chrono::DateTime::parse_from_rfc3339("2026-12-05T12:00:00Z")
            .unwrap()
            .to_utc(),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
    };
    let terminal = Terminal::new(TestBackend::new(120, 20)).unwrap();
    App::new(
        terminal,
        State::new(clock, None),
        Keymap::default(),
        Theme::default(),
    )
    .unwrap()
}

fn article(id: &str, title: &str, hours_ago: i64) -> Article {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("Categories: World News\n\n{title}\n\nStandfirst.\n\nBody.\n");
    let path = dir.path().join(format!("{id}.txt"));
    std::fs::write(&path, text).unwrap();
    let (mut articles, _, _) = tidings::sources::files::load_path(&path);
    let mut a = articles.remove(0);
    a.date = chrono::DateTime::parse_from_rfc3339("2026-12-05T12:00:00Z")
        .unwrap()
        .to_utc()
        - chrono::Duration::hours(hours_ago);
    a
}

fn status_line(app: &mut App<TestBackend>) -> String {
    app.draw().unwrap();
    let buf = app.terminal.backend().buffer();
    let y = buf.area.height - 1;
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

#[test]
fn the_status_bar_counts_files_and_batches_keep_the_selection() {
    let mut app = app();
    let label = "/news/articles".to_string();
    let source = |state| {
        Msg::Action(Action::Source {
            label: label.clone(),
            state,
        })
    };
    app.handle(source(SourceState::Loading));
    app.handle(source(SourceState::Reading {
        done: 3204,
        total: 11003,
    }));
    let line = status_line(&mut app);
    assert!(line.contains("Reading 3,204/11,003 files"), "{line}");

    // A first batch arrives; the user moves to its second headline.
    app.handle(Msg::Action(Action::Loaded {
        articles: vec![
            article("a", "Older story", 5),
            article("b", "Oldest story", 9),
        ],
        warnings: vec![],
    }));
    let selected = |app: &App<TestBackend>| {
        app.state
            .selected_article()
            .map(|i| app.state.lib().articles()[i].title.clone())
    };
    // Nobody moved the cursor yet: a newer story that comes takes the top row, and the cursor.
    app.handle(Msg::Action(Action::Loaded {
        articles: vec![article("n", "Newer story", 3)],
        warnings: vec![],
    }));
    assert_eq!(selected(&app).as_deref(), Some("Newer story"));
    app.handle(Msg::Action(Action::Down));
    app.handle(Msg::Action(Action::Down));
    assert_eq!(selected(&app).as_deref(), Some("Oldest story"));
    // A later batch with a newer story above it: the selection stays on the same story.
    app.handle(Msg::Action(Action::Loaded {
        articles: vec![article("c", "Newest story", 1)],
        warnings: vec![],
    }));
    assert_eq!(selected(&app).as_deref(), Some("Oldest story"));
    app.handle(source(SourceState::Loaded {
        articles: 4,
        cached: false,
    }));
    app.handle(Msg::Action(Action::LoadingDone));
    let line = status_line(&mut app);
    assert!(!line.contains("Reading"), "{line}");
}

/// A pipeline without a snapshot or an archive (every file parsed), giving batches every
/// `every` (`Duration::MAX`: none, as `list`).
fn cold(fetcher: &Fetcher, every: Duration) -> Pipeline<'_> {
    Pipeline {
        fetcher,
        archive: None,
        prepare: &|_, _| {},
        cached_first: true,
        warm: false,
        batch_every: every,
    }
}

/// The reader shows articles as they come: its cheapest local source loads first, and the
/// first chunk's articles come at once rather than after `batch_every`. `list` (which shows
/// nothing until the end) keeps the order given.
#[test]
fn the_reader_loads_its_cheapest_source_first_and_shows_the_first_chunk_at_once() {
    let big = tempfile::tempdir().unwrap();
    let mut text = "Categories: World News\n\nOne long story\n\nStandfirst.\n\n".to_string();
    text.push_str(&"A long paragraph of the big file. ".repeat(20_000));
    std::fs::write(big.path().join("long.txt"), text).unwrap();
    let small = tempfile::tempdir().unwrap();
    write_articles(small.path(), CHUNK + 10);
    let fetcher = Fetcher::new(FetchOptions::default());
    let specs = [
        SourceSpec::Path(big.path().to_path_buf()),
        SourceSpec::Path(small.path().to_path_buf()),
    ];
    let name = |label: &str| match label == big.path().to_string_lossy() {
        true => "big",
        false => "small",
    };
    for (every, order) in [
        (Duration::from_secs(3600), ["small", "big"]),
        (Duration::MAX, ["big", "small"]),
    ] {
        let pipeline = cold(&fetcher, every);
        let (mut loading, mut batches) = (Vec::new(), Vec::new());
        pipeline.run(&specs, |e| match e {
            Event::Loading(label) => loading.push(name(&label)),
            Event::Reading { articles, .. } => batches.push(articles.len()),
            _ => {}
        });
        assert_eq!(loading, order, "batch_every {every:?}");
        let first = match every {
            Duration::MAX => vec![0, 0],
            _ => vec![CHUNK, 0],
        };
        // The small folder's two chunks, then the big folder's one (with its end).
        assert_eq!(batches, [first, vec![0]].concat(), "batch_every {every:?}");
    }
}

#[test]
fn a_refresh_says_what_it_did_until_the_next() {
    let mut app = app();
    let label = "/news/articles".to_string();
    app.handle(Msg::Action(Action::Source {
        label: label.clone(),
        state: SourceState::Loaded {
            articles: 1,
            cached: false,
        },
    }));
    app.handle(Msg::Action(Action::Loaded {
        articles: vec![article("a", "A story", 5)],
        warnings: vec![],
    }));
    app.handle(Msg::Action(Action::LoadingDone));
    app.handle(Msg::Action(Action::Notice(
        "/news/articles: re-read 8 files (25 articles)".into(),
    )));
    let line = status_line(&mut app);
    assert!(line.contains("re-read 8 files (25 articles)"), "{line}");
    // `R` starts another refresh: the old notice goes.
    app.handle(Msg::Action(Action::RefreshAll));
    let line = status_line(&mut app);
    assert!(!line.contains("re-read"), "{line}");
}

/// `collect` (what `list` uses) keeps the sources' articles in their order, whichever source is
/// the biggest (the biggest one's vector is kept and the others moved into it).
#[test]
fn collect_keeps_the_order_of_the_sources_whichever_is_biggest() {
    let small = tempfile::tempdir().unwrap();
    write_articles(small.path(), 2);
    let big = tempfile::tempdir().unwrap();
    write_articles(big.path(), 5);
    let fetcher = Fetcher::new(FetchOptions::default());
    let pipeline = cold(&fetcher, Duration::MAX);
    let origin_dir = |a: &Article| {
        let origin = std::path::Path::new(&*a.origin);
        origin.parent().unwrap().to_path_buf()
    };
    for (first, second) in [(&small, &big), (&big, &small)] {
        let specs = [
            SourceSpec::Path(first.path().to_path_buf()),
            SourceSpec::Path(second.path().to_path_buf()),
        ];
        let out = tidings::sources::pipeline::collect(&specs, &pipeline);
        let dirs: Vec<_> = out.articles.iter().map(origin_dir).collect();
        let n = |d: &tempfile::TempDir| std::fs::read_dir(d.path()).unwrap().count();
        let expected: Vec<_> = std::iter::repeat_n(first.path().to_path_buf(), n(first))
            .chain(std::iter::repeat_n(second.path().to_path_buf(), n(second)))
            .collect();
        assert_eq!(dirs, expected);
    }
}
