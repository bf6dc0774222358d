//! Refresh on a timer and what is new (issue 18): the timer in `update` with a fake clock, the
//! feed's and the server's hints (`<ttl>`, `Cache-Control`, `Retry-After`) over loopback, and
//! what a refresh brought.

mod common;

use chrono::{DateTime, Duration as Days, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tidings::core::model::{Article, ArticleId, CategoryPath};
use tidings::core::state::{Action, Clock, Effect, SourceState, State, update};
use tidings::sources::SourceSpec;
use tidings::sources::fetch::{FetchErrorKind, FetchOptions, Fetcher};
use tidings::sources::pipeline::{Event, Pipeline};

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn state() -> State {
    let clock = Clock {
        now: t0(),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
    };
    let mut s = State::new(clock, None);
    update(
        &mut s,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    s
}

fn article(key: &str, category: &str) -> Article {
    let mut a = Article::new(ArticleId::from_key(key));
    a.title = key.into();
    a.dated = true;
    a.date = t0();
    a.categories = CategoryPath::parse(category).into_iter().collect();
    a
}

fn loaded(s: &mut State, label: &str, articles: Vec<Article>) -> Vec<Effect> {
    let n = articles.len();
    let mut effects = update(
        s,
        Action::Loaded {
            articles,
            warnings: vec![],
        },
    );
    effects.extend(update(
        s,
        Action::Source {
            label: label.to_string(),
            state: SourceState::Loaded {
                articles: n,
                cached: false,
            },
        },
    ));
    effects.extend(update(s, Action::LoadingDone));
    effects
}

const FEED: &str = "https://example.com/feed.xml";

#[test]
fn a_scheduled_refresh_fires_when_due_and_not_before() {
    let mut s = state();
    loaded(&mut s, FEED, vec![article("a", "World News")]);
    assert_eq!(s.next_timer(), None);
    let due = t0() + Days::minutes(30);
    update(
        &mut s,
        Action::Schedule {
            label: FEED.into(),
            at: due,
        },
    );
    assert_eq!(s.next_timer(), Some(due));
    assert!(update(&mut s, Action::Time(due - Days::seconds(1))).is_empty());
    assert_eq!(s.next_timer(), Some(due), "still waiting");
    assert_eq!(
        update(&mut s, Action::Time(due)),
        [Effect::Reload(vec![FEED.into()])]
    );
    assert_eq!(s.next_timer(), None, "the next one comes with the load");
    // While it loads, the time passing asks nothing more.
    assert!(update(&mut s, Action::Time(due + Days::minutes(5))).is_empty());
}

#[test]
fn a_timer_under_an_overlay_or_a_tiny_screen_still_fires() {
    let mut s = state();
    loaded(&mut s, FEED, vec![article("a", "World News")]);
    update(&mut s, Action::ToggleHelp);
    update(
        &mut s,
        Action::Resize {
            width: 20,
            height: 5,
        },
    );
    update(
        &mut s,
        Action::Schedule {
            label: FEED.into(),
            at: t0(),
        },
    );
    assert_eq!(
        update(&mut s, Action::Time(t0())),
        [Effect::Reload(vec![FEED.into()])]
    );
}

#[test]
fn a_refresh_says_how_many_are_new_marks_their_categories_and_tells_on_new() {
    let mut s = state();
    // The first load is not "new".
    let first = loaded(&mut s, FEED, vec![article("a", "World News / Europe")]);
    assert!(
        !first
            .iter()
            .any(|e| matches!(e, Effect::NewArticles { .. }))
    );
    assert_eq!(s.fresh_count(), 0);
    assert_eq!(
        update(&mut s, Action::RefreshAll),
        [Effect::Reload(vec![FEED.into()])]
    );
    let effects = loaded(
        &mut s,
        FEED,
        vec![
            article("a", "World News / Europe"),
            article("b", "Sports / Football"),
            article("c", "World News / Asia"),
        ],
    );
    assert!(
        effects.contains(&Effect::NewArticles {
            count: 2,
            categories: vec!["Sports".into(), "World News".into()],
        }),
        "{effects:?}"
    );
    assert_eq!(s.fresh_count(), 2);
    let tree = s.categories();
    let node = |path: &str| {
        (0..tree.nodes.len())
            .find(|&n| tree.path_of(n) == path)
            .unwrap()
    };
    assert!(s.is_fresh_node(node("Sports")) && s.is_fresh_node(node("World News / Asia")));
    assert!(!s.is_fresh_node(node("World News / Europe")));
    // The next refresh starts afresh.
    update(&mut s, Action::RefreshAll);
    assert_eq!(s.fresh_count(), 0);
}

fn feed(ttl: &str) -> String {
    format!(
        "<rss version=\"2.0\"><channel><title>T</title>{ttl}\
         <item><guid>1</guid><title>One</title></item></channel></rss>"
    )
}

fn hint_of(pipeline: &Pipeline<'_>, url: &str) -> (Option<Duration>, Option<String>, usize) {
    let mut out = (None, None, 0);
    pipeline.run(&[SourceSpec::Url(url.into())], |e| {
        if let Event::Done(d) = e {
            out = (d.refresh_hint, d.failure.clone(), d.count());
        }
    });
    out
}

#[test]
fn the_feed_and_the_server_say_when_to_ask_again() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let server = common::server::serve(move |path| {
        let n = h.fetch_add(1, Ordering::SeqCst);
        match path {
            "/ttl" => ("200 OK", vec![], feed("<ttl>60</ttl>").into_bytes()),
            "/max-age" => (
                "200 OK",
                vec![("Cache-Control", "public, max-age=900".to_string())],
                feed("").into_bytes(),
            ),
            // The first answer is good; then the server is busy and asks for two minutes.
            _ if n == 0 || path != "/busy" => ("200 OK", vec![], feed("").into_bytes()),
            _ => (
                "503 Service Unavailable",
                vec![("Retry-After", "120".to_string())],
                Vec::new(),
            ),
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let fetcher = Fetcher::new(FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..FetchOptions::default()
    });
    let pipeline = Pipeline {
        fetcher: &fetcher,
        archive: None,
        prepare: &|_, _| {},
        read: &|_, _| {},
        cached_first: false,
        warm: false,
        batch_every: Duration::MAX,
    };
    assert_eq!(
        hint_of(&pipeline, &server.url("/ttl")).0,
        Some(Duration::from_secs(3600))
    );
    assert_eq!(
        hint_of(&pipeline, &server.url("/max-age")).0,
        Some(Duration::from_secs(900))
    );

    let busy = server.url("/busy");
    hits.store(0, Ordering::SeqCst);
    assert_eq!(hint_of(&pipeline, &busy).2, 1, "the first fetch is good");
    let (hint, failure, count) = hint_of(&pipeline, &busy);
    assert_eq!(hint, Some(Duration::from_secs(120)));
    assert!(failure.unwrap().contains("asks to wait 2 min"));
    assert_eq!(count, 1, "the cached copy shows meanwhile");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // Within the two minutes tidings does not ask at all.
    let mut kind = None;
    fetcher.fetch_all(vec![busy.clone()], |r| kind = r.err().map(|e| e.kind));
    assert!(
        matches!(kind, Some(FetchErrorKind::Deferred { .. })),
        "{kind:?}"
    );
    let (hint, _, count) = hint_of(&pipeline, &busy);
    assert!(
        hint.is_some_and(|h| h > Duration::from_secs(100)),
        "{hint:?}"
    );
    assert_eq!(count, 1);
    assert_eq!(hits.load(Ordering::SeqCst), 2, "no request while deferred");
}

/// The reader in a real terminal: `R` after the site dropped one story and added two keeps the
/// dropped one (the archive), says `2 new`, marks the new categories and runs `on_new` (argv,
/// no shell) with the count.
#[test]
fn the_reader_says_what_a_refresh_brought_and_runs_on_new() {
    use std::sync::Mutex;
    if !common::tmux_available() {
        return;
    }
    let item = |guid: &str, title: &str, cat: &str, day: u32| {
        format!(
            "<item><guid>{guid}</guid><title>{title}</title><category>{cat}</category>\
             <pubDate>{day:02} Dec 2026 10:00:00 GMT</pubDate><description>x</description></item>"
        )
    };
    let body = Arc::new(Mutex::new(format!(
        "<rss version=\"2.0\"><channel><title>Live Wire</title>{}</channel></rss>",
        item("a", "First story", "World News/Europe", 1)
    )));
    let b = body.clone();
    let server =
        common::server::serve(move |_| ("200 OK", vec![], b.lock().unwrap().clone().into_bytes()));
    let home = tempfile::tempdir().unwrap();
    let marker = home.path().join("on-new");
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "on_new = [\"touch\", \"{}-{{count}}\"]\n[[sources]]\nurl = \"{}\"\n",
            marker.display(),
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    let t = common::Tmux::start(
        "refresh",
        "refresh",
        home.path(),
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &[],
        (120, 30),
        &[
            env!("CARGO_BIN_EXE_tidings"),
            "--config",
            config.to_str().unwrap(),
        ],
    );
    t.wait_until(false, "the first story", |s| s.contains("First story"));
    *body.lock().unwrap() = format!(
        "<rss version=\"2.0\"><channel><title>Live Wire</title>{}{}</channel></rss>",
        item("b", "Second story", "Sports/Football", 2),
        item("c", "Third story", "Sports/Tennis", 3)
    );
    t.send(&["R"]);
    let screen = t.wait_until(false, "the refresh", |s| s.contains("2 new"));
    assert!(
        screen.contains("First story"),
        "kept by the archive:\n{screen}"
    );
    assert!(screen.contains("Third story") && screen.contains("Second story"));
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Sports") && l.contains('✦')),
        "{screen}"
    );
    assert!(
        !screen
            .lines()
            .any(|l| l.contains("Europe") && l.contains('✦')),
        "{screen}"
    );
    let ran = home.path().join("on-new-2");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !ran.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(ran.exists(), "on_new ran with the count");
    t.send(&["q"]);
    assert_eq!(t.wait_exit(), "1 0");
    drop(server);
}
