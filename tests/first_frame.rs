//! The first frame at a warm start (issue 15): drawn from the head alone, before any article of
//! the library has arrived, it shows the headlines and the category tree with the whole
//! library's counts; then the library replaces it with nothing shown twice.

use chrono::{FixedOffset, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use tidings::core::model::{Article, ArticleId, Body, BodyRef, CategoryPath};
use tidings::core::state::{Action, Clock, Effect, Head, Mark, State};
use tidings::keymap::Keymap;
use tidings::shell::app::App;
use tidings::sources::head;
use tidings::ui::theme::Theme;

fn app(width: u16, height: u16) -> App<TestBackend> {
    let clock = Clock {
        now: Utc.with_ymd_and_hms(2026, 11, 27, 18, 0, 0).unwrap(),
        tz: FixedOffset::east_opt(0).unwrap(),
    };
    let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    App::new(
        terminal,
        State::new(clock, None),
        Keymap::default(),
        Theme {
            color: false,
            ..Default::default()
        },
    )
    .unwrap()
}

/// `n` articles a minute apart (the newest last), over three categories, bodies on disk.
fn library(n: usize) -> Vec<Article> {
    let cats = ["World News / Europe", "Business", "Science"];
    (0..n)
        .map(|i| {
            let mut a = Article::new(ArticleId::from_key(&format!("s{i}")));
            a.title = format!("Story {i:03} of the {} desk", cats[i % 3]).into();
            a.source = "Wire".into();
            a.date = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
                + chrono::Duration::minutes(i as i64);
            a.dated = true;
            a.categories = CategoryPath::parse_list(cats[i % 3]);
            a.body = Body::Stored(Arc::new(BodyRef::File {
                path: format!("/news/s{i}.txt").into(),
                key: format!("file:/news/s{i}.txt"),
            }));
            a
        })
        .collect()
}

fn screen(app: &App<TestBackend>) -> Vec<String> {
    let buffer = app.terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let cells: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    cells.chunks(width).map(|row| row.concat()).collect()
}

/// The newest article, read in an earlier run.
fn marks() -> Action {
    Action::Marks(vec![Mark {
        id: ArticleId::from_key("s319"),
        read: true,
        starred: true,
    }])
}

/// The full library on screen (loading done), and the head the reader saves after that first
/// load, through the file and back.
fn loaded() -> (App<TestBackend>, Head) {
    let mut full = app(140, 12);
    full.dispatch(marks());
    full.dispatch(Action::Loaded {
        articles: library(320),
        warnings: vec![],
    });
    let effects = full.dispatch(Action::LoadingDone);
    full.draw().unwrap();
    let head = effects
        .into_iter()
        .find_map(|e| match e {
            Effect::SaveHead(h) => Some(*h),
            _ => None,
        })
        .expect("the first load asks for the head to be saved");
    let bytes = head::encode(7, &head);
    (full, head::decode(&bytes, 7).unwrap().unwrap())
}

#[test]
fn the_first_frame_from_the_head_alone_shows_headlines_and_the_tree() {
    let (full, head) = loaded();
    assert_eq!(head.articles.len(), 300);
    let mut app = app(140, 12);
    app.dispatch(marks());
    app.dispatch(Action::Head(Box::new(head)));
    app.draw().unwrap();
    assert_eq!(
        screen(&app),
        [
            // The whole library's counts; the newest headlines, the one read earlier
            // marked so (no dot) and starred.
            "╭ Categories ────────╮┏ All · 320 articles · 319 unread ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓╭ Reader ──────────────────────────────╮",
            "│All          319/320│┃ ★  14:19 Wire        Story 319 of the Business desk                        ┃│ Press Enter on a headline to read    │",
            "│★ Starred        0/1│┃●   14:18 Wire        Story 318 of the World News / Europe desk             ┃│ it.                                  │",
            "│   Business  106/107│┃●   14:17 Wire        Story 317 of the Science desk                         ┃│                                      │",
            "│   Science   106/106│┃●   14:16 Wire        Story 316 of the Business desk                        ┃│                                      │",
            "│ ▾ World Ne… 107/107│┃●   14:15 Wire        Story 315 of the World News / Europe desk             ┃│                                      │",
            "│     Europe  107/107│┃●   14:14 Wire        Story 314 of the Science desk                         ┃│                                      │",
            "│                    │┃●   14:13 Wire        Story 313 of the Business desk                        ┃│                                      │",
            "│                    │┃●   14:12 Wire        Story 312 of the World News / Europe desk             ┃│                                      │",
            "│                    │┃●   14:11 Wire        Story 311 of the Science desk                         ┃│                                      │",
            "╰────────────────────╯┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛╰──────────────────────────────────────╯",
            " All · 320/320 shown · 319 unread · loading…                     Enter open  / search  Z zoom  J next  Tab pane  S sources  ? help  q quit  ",
        ]
    );
    // The library behind it: the same screen but for the status bar's "loading…", and each
    // article once.
    app.dispatch(Action::Loaded {
        articles: library(320),
        warnings: vec![],
    });
    app.dispatch(Action::StoredLoaded);
    app.draw().unwrap();
    let (now, then) = (screen(&app), screen(&full));
    assert_eq!(now[..11], then[..11]);
    assert_eq!(app.state.lib().len(), 320);
    let mut ids: Vec<_> = (app.state.lib().articles().iter())
        .map(|a| a.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 320);
}
