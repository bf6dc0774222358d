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
use tidings::sources::files::{CHUNK, chunk_len, chunk_sizes};
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
    // Every article is read once, prepared, before it is reported.
    let read = std::sync::atomic::AtomicUsize::new(0);
    let count_read = |_: &str, articles: &[Article]| {
        assert!(articles.iter().all(|a| &*a.source == "Prepared"));
        read.fetch_add(articles.len(), std::sync::atomic::Ordering::SeqCst);
    };
    let pipeline = Pipeline {
        fetcher: &fetcher,
        archive: None,
        prepare: &tag,
        read: &count_read,
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
            assert!(total <= read.load(std::sync::atomic::Ordering::SeqCst));
        }
        Event::Done(d) => {
            assert!(d.articles.iter().all(|a| &*a.source == "Prepared"));
            total += d.articles.len();
            done = Some((d.earlier, d.count(), d.files));
        }
        _ => {}
    });
    // Chunks of an eighth of the folder (more than the smallest chunk here), the last eighth in
    // quarters.
    let c = chunk_len(n);
    assert_eq!(c, n / 8);
    let sizes = chunk_sizes(n);
    assert_eq!(sizes, [vec![123; 8], vec![35; 4]].concat());
    let steps: Vec<usize> = (sizes.iter())
        .scan(0, |read, s| {
            *read += s;
            Some(*read)
        })
        .collect();
    let expected: Vec<(usize, usize)> = steps.iter().map(|&d| (d, n)).collect();
    assert_eq!(progress, expected);
    // The last chunk's articles come with the source's end, not as a batch.
    let last = sizes[sizes.len() - 1];
    let mut batches_expected = sizes.clone();
    *batches_expected.last_mut().unwrap() = 0;
    assert_eq!(batches, batches_expected);
    assert_eq!(total, n);
    assert_eq!(read.into_inner(), n);
    assert_eq!(done, Some((n - last, n, Some(n))));
}

/// Batches come less often as the library grows (the reader rebuilds it for each).
#[test]
fn batches_wait_longer_as_more_articles_were_given() {
    use tidings::sources::pipeline::{BATCH_EVERY, BATCH_PER_ARTICLE, batch_wait};
    assert_eq!(batch_wait(BATCH_EVERY, 0), BATCH_EVERY);
    assert_eq!(batch_wait(BATCH_EVERY, 10_000), BATCH_EVERY);
    assert_eq!(
        batch_wait(BATCH_EVERY, 300_000),
        BATCH_PER_ARTICLE * 300_000
    );
    assert!(batch_wait(BATCH_EVERY, 300_000) > batch_wait(BATCH_EVERY, 100_000));
    assert_eq!(batch_wait(Duration::ZERO, 300_000), Duration::ZERO);
    assert_eq!(batch_wait(Duration::MAX, 300_000), Duration::MAX);
}

#[test]
fn chunks_are_an_eighth_of_a_folder_within_bounds() {
    assert_eq!(chunk_len(10), 64);
    assert_eq!(chunk_len(1_000), 125);
    assert_eq!(chunk_len(100_000), CHUNK);
    // The same size, rounded, and the last chunk's worth of files in quarters (a short wait for
    // what is done with the last one's articles).
    assert_eq!(
        chunk_sizes(1_000),
        [vec![125; 7], vec![32, 31, 31, 31]].concat()
    );
    assert_eq!(chunk_sizes(10), [3, 3, 2, 2]);
    assert_eq!(chunk_sizes(2), [1, 1]);
    assert!(chunk_sizes(0).is_empty());
    for files in [1, 63, 64, 65, 511, 4_097, 100_000] {
        let sizes = chunk_sizes(files);
        assert_eq!(sizes.iter().sum::<usize>(), files);
        assert!(sizes.iter().all(|&s| s >= 1 && s <= chunk_len(files)));
    }
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
        read: &|_, _| {},
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
        let sizes = chunk_sizes(CHUNK + 10);
        let mut first = vec![0; sizes.len()];
        if every != Duration::MAX {
            first[0] = sizes[0];
        }
        // The small folder's chunks, then the big folder's one (with its end).
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

/// At start-up the reader shows the local files' headlines first and groups them into stories
/// once they are read (grouping took a core from parsing): every story comes after the files
/// are read and after its versions are shown, and the stories are those of the whole folder.
#[test]
fn stories_are_grouped_once_the_files_are_read_and_told_after_their_articles() {
    use std::collections::HashSet;
    use std::sync::Arc;
    use tidings::shell::worker::Worker;
    let dir = tempfile::tempdir().unwrap();
    // Two versions of each story (one link, two sources), over several chunks.
    let m = 300;
    for i in 0..m {
        for (n, source) in ["Wire", "Paper"].iter().enumerate() {
            let text = format!(
                "Source: {source}\nLink: https://news.example/story-{i}\n\nStory {i} by {source}\n\nThe standfirst.\n"
            );
            std::fs::write(dir.path().join(format!("s{i:04}-{n}.txt")), text).unwrap();
        }
    }
    assert!(chunk_len(2 * m) < 2 * m);
    let cache = tempfile::tempdir().unwrap();
    let fetcher = Fetcher::new(FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..FetchOptions::default()
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let specs = vec![SourceSpec::Path(dir.path().to_path_buf())];
    let config = Arc::new(tidings::config::Config::default());
    Worker::new(fetcher, None, tx, specs, config, None)
        .start()
        .unwrap();
    let (mut stored, mut shown) = (false, HashSet::new());
    let mut groups = std::collections::HashMap::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(60)).unwrap() {
            Msg::Action(Action::StoredLoaded) => stored = true,
            Msg::Action(Action::Loaded { articles, .. }) => {
                shown.extend(articles.into_iter().map(|a| a.id));
            }
            Msg::Action(Action::Stories { changed, removed }) => {
                assert!(stored, "stories before the files were read");
                for g in changed {
                    assert!(g.members.iter().all(|(id, _)| shown.contains(id)));
                    groups.insert(g.id.clone(), g);
                }
                for id in removed {
                    groups.remove(&id);
                }
            }
            Msg::Action(Action::LoadingDone) => break,
            _ => {}
        }
    }
    assert_eq!(shown.len(), 2 * m);
    assert_eq!(groups.len(), m);
    for g in groups.values() {
        let sources: HashSet<&str> = g.members.iter().map(|(_, s)| &**s).collect();
        assert_eq!(sources, HashSet::from(["Wire", "Paper"]));
    }
}
