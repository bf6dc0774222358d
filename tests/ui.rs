//! Whole screens, headless: the app on `TestBackend` with the bundled samples, a fixed clock, and
//! keys fed as terminal events. Text snapshots with insta; styled cells checked exactly.

use chrono::{FixedOffset, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers,
};
use ratatui::style::{Color, Modifier};
use tidings::core::state::{Action, Clock, State};
use tidings::keymap::Keymap;
use tidings::shell::app::{App, Msg};
use tidings::sources::{SourceSpec, load};
use tidings::ui::theme::Theme;

fn app(width: u16, height: u16, category: Option<&str>, color: bool) -> App<TestBackend> {
    let clock = Clock {
        now: Utc.with_ymd_and_hms(2026, 11, 27, 18, 0, 0).unwrap(),
        tz: FixedOffset::east_opt(0).unwrap(),
    };
    let state = State::new(clock, category.map(String::from));
    let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut app = App::new(
        terminal,
        state,
        Keymap::default(),
        Theme {
            color,
            ..Default::default()
        },
    )
    .unwrap();
    let mut outcome = load(&[SourceSpec::Bundled]);
    // The undated sample's stand-in date is its file's mtime: pin it for stable screens.
    for a in outcome.articles.iter_mut().filter(|a| !a.dated) {
        a.date = Utc.with_ymd_and_hms(2026, 11, 19, 9, 0, 0).unwrap();
    }
    app.dispatch(Action::Loaded {
        articles: outcome.articles,
        warnings: vec![],
    });
    app.dispatch(Action::LoadingDone);
    app.draw().unwrap();
    app
}

/// How many loaded articles are in *World News / Europe*, counted straight from their paths.
fn europe_count(app: &App<TestBackend>) -> usize {
    app.state
        .lib()
        .articles()
        .iter()
        .filter(|a| {
            a.categories.iter().any(|c| {
                let l: Vec<String> = c.levels().iter().map(|x| x.to_lowercase()).collect();
                l == ["world news", "europe"]
            })
        })
        .count()
}

fn key(app: &mut App<TestBackend>, code: KeyCode) {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    let ev = KeyEvent {
        code,
        modifiers,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    };
    app.handle(Msg::Term(Event::Key(ev)));
    app.draw().unwrap();
}

fn keys(app: &mut App<TestBackend>, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The screen as text, one line per row. A wide character's second cell is skipped (a terminal
/// never draws it; the buffer may still hold an older symbol there).
fn screen(app: &App<TestBackend>) -> String {
    let buf = app.terminal.backend().buffer();
    let mut lines = Vec::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// Moves the tree selection to the row whose text starts with `name` and chooses it.
fn choose_category(app: &mut App<TestBackend>, path: &str) {
    keys(app, "c");
    let row = app
        .state
        .tree_rows()
        .iter()
        .position(|r| app.state.row_name(*r) == path)
        .unwrap();
    for _ in 0..row {
        keys(app, "j");
    }
    key(app, KeyCode::Enter);
}

fn open_longest(app: &mut App<TestBackend>) {
    let arts = app.state.lib().articles();
    let longest = (0..arts.len()).max_by_key(|&i| arts[i].words).unwrap();
    let pos = app
        .state
        .visible()
        .iter()
        .position(|&i| i == longest)
        .unwrap();
    keys(app, "g");
    for _ in 0..pos {
        keys(app, "j");
    }
    key(app, KeyCode::Enter);
}

#[test]
fn start_screens() {
    for (w, h) in [(80, 24), (160, 48)] {
        let app = app(w, h, None, true);
        insta::assert_snapshot!(format!("start_{w}x{h}"), screen(&app));
    }
}

#[test]
fn filtered_to_world_news_europe() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app(w, h, None, true);
        choose_category(&mut app, "World News / Europe");
        let s = screen(&app);
        let n = europe_count(&app);
        assert!(n >= 3);
        assert!(
            s.contains(&format!("World News / Europe · {n} articles · {n} unread")),
            "{s}"
        );
        insta::assert_snapshot!(format!("europe_{w}x{h}"), s);
    }
}

#[test]
fn reading_and_scrolling_the_long_article() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app(w, h, None, true);
        open_longest(&mut app);
        let s = screen(&app);
        assert!(s.contains("Reader · Top"), "{s}");
        insta::assert_snapshot!(format!("reading_{w}x{h}"), s);
        key(&mut app, KeyCode::PageDown);
        key(&mut app, KeyCode::PageDown);
        let s = screen(&app);
        assert!(s.contains('%'), "a position while scrolled: {s}");
        insta::assert_snapshot!(format!("scrolled_{w}x{h}"), s);
    }
}

#[test]
fn help_overlay() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app(w, h, None, true);
        keys(&mut app, "?");
        let s = screen(&app);
        assert!(s.contains("Keys · Esc to close"), "{s}");
        assert!(s.contains("next article"), "{s}");
        insta::assert_snapshot!(format!("help_{w}x{h}"), s);
        key(&mut app, KeyCode::Esc);
        assert!(!screen(&app).contains("Keys · Esc to close"));
    }
}

#[test]
fn narrow_mode_shows_one_pane() {
    let mut app = app(60, 20, None, true);
    let s = screen(&app);
    assert!(!s.contains("Categories"), "{s}");
    insta::assert_snapshot!("narrow_headlines_60x20", s);
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Reader · "), "{s}");
    insta::assert_snapshot!("narrow_reader_60x20", s);
    keys(&mut app, "c");
    assert!(screen(&app).contains("Categories"));
}

#[test]
fn tiny_terminals() {
    for (w, h) in [(30, 8), (1, 1), (39, 30), (100, 9)] {
        let mut app = app(w, h, None, true);
        keys(&mut app, "jjG");
        key(&mut app, KeyCode::Enter);
        let s = screen(&app);
        if w >= 20 {
            assert!(s.contains("Terminal too small"), "{w}x{h}: {s}");
        }
    }
    insta::assert_snapshot!("tiny_30x8", screen(&app(30, 8, None, true)));
}

#[test]
fn initial_category_flag() {
    let app = app(160, 48, Some("europe"), true);
    let s = screen(&app);
    let n = europe_count(&app);
    assert!(
        s.contains(&format!("World News / Europe · {n} articles")),
        "{s}"
    );
}

#[test]
fn styled_cells() {
    let mut app = app(160, 48, None, true);
    let buf = app.terminal.backend().buffer().clone();
    let list = app.state.geometry().headlines.unwrap().inner();
    // The selected headline (first row) is reversed across the row; the next is not.
    for x in list.x..list.x + list.width {
        assert!(
            buf[(x, list.y)].modifier.contains(Modifier::REVERSED),
            "cell {x}"
        );
    }
    assert!(
        !buf[(list.x + 20, list.y + 1)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    // Unread marks are yellow and bold; titles of unread articles are bold.
    let mark = &buf[(list.x, list.y + 1)];
    assert_eq!(mark.symbol(), "●");
    assert_eq!(mark.fg, Color::Yellow);
    assert!(mark.modifier.contains(Modifier::BOLD));
    // The focused pane has a thick cyan border, the others a rounded grey one.
    let lb = app.state.geometry().headlines.unwrap();
    assert_eq!(buf[(lb.x, lb.y)].symbol(), "┏");
    assert_eq!(buf[(lb.x, lb.y)].fg, Color::Cyan);
    let tb = app.state.geometry().tree.unwrap();
    assert_eq!(buf[(tb.x, tb.y)].symbol(), "╭");
    assert_eq!(buf[(tb.x, tb.y)].fg, Color::DarkGray);
    // Reading: a section heading is cyan and bold; after reading, the mark is gone.
    open_longest(&mut app);
    let buf = app.terminal.backend().buffer().clone();
    let text = app.state.geometry().reader_text().unwrap();
    let r = app.state.reader().unwrap();
    let hrow = r
        .lines
        .iter()
        .position(|l| l.kind == tidings::core::layout::LineKind::Heading)
        .unwrap();
    assert!(hrow < usize::from(text.height));
    let cell = &buf[(text.x, text.y + hrow as u16)];
    assert_eq!(cell.fg, Color::Cyan);
    assert!(cell.modifier.contains(Modifier::BOLD));
    let title_cell = &buf[(text.x, text.y)];
    assert!(title_cell.modifier.contains(Modifier::BOLD));
    let sel_row = list.y + (app.state.selected() - app.state.list_offset()) as u16;
    assert_eq!(buf[(list.x, sel_row)].symbol(), " ", "read: no mark");
}

#[test]
fn no_color_uses_modifiers_only() {
    let app = app(160, 48, None, false);
    let buf = app.terminal.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    let list = app.state.geometry().headlines.unwrap().inner();
    assert!(
        buf[(list.x + 5, list.y)]
            .modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn frame_shows_no_control_characters() {
    let mut app = app(160, 48, None, true);
    let hostile = tidings::sources::text::parse_article(
        "Title \x1b[31mred\x1b]0;x\x07 \u{202E}rtl\n\nBody \x1b[2J text.",
        &tidings::sources::text::FileContext {
            id: tidings::core::model::ArticleId::from_key("hostile"),
            origin: "h.txt".into(),
            fallback_title: "h".into(),
            default_source: "src\x1b[1m".into(),
            folder_category: None,
            mtime: Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap(),
        },
    )
    .unwrap()
    .article;
    app.dispatch(Action::Loaded {
        articles: vec![hostile],
        warnings: vec![],
    });
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Title red rtl"), "{s}");
    assert!(
        s.contains("src ·") || s.contains("src · "),
        "the folder-name source is cleaned: {s}"
    );
    assert!(
        !s.chars()
            .any(|c| c.is_control() && c != '\n' || c == '\u{202E}'),
        "{s}"
    );
}

#[test]
fn sources_view_and_progress() {
    use tidings::core::state::SourceState;
    let mut app = app(120, 30, None, true);
    // A source named in the config shows its name before where it is.
    app.dispatch(Action::SourceNames(
        [("https://slow.example/feed".into(), "Slow Times".into())].into(),
    ));
    app.dispatch(Action::Source {
        label: "sample-feeds".into(),
        state: SourceState::Loaded {
            articles: 28,
            cached: false,
        },
    });
    app.dispatch(Action::Source {
        label: "https://slow.example/feed".into(),
        state: SourceState::Loading,
    });
    app.dispatch(Action::Source {
        label: "https://bad.example/feed".into(),
        state: SourceState::Failed("HTTP 404 Not Found".into()),
    });
    app.draw().unwrap();
    let s = screen(&app);
    assert!(
        s.contains("Loading 2/3"),
        "progress while one source is slow: {s}"
    );
    // The loaded articles can be browsed meanwhile.
    let before = app.state.selected();
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.state.selected(), before + 1);
    key(&mut app, KeyCode::Char('S'));
    let s = screen(&app);
    assert!(s.contains("Sources · S or Esc to close"), "{s}");
    assert!(s.contains("✓ sample-feeds"), "{s}");
    assert!(s.contains("28 articles"), "{s}");
    assert!(
        s.contains("⟳ Slow Times · https://slow.example/feed"),
        "{s}"
    );
    assert!(s.contains("failed: HTTP 404 Not Found"), "{s}");
    insta::assert_snapshot!("sources_120x30", s);
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.state.selected(), before + 1, "keys go to the overlay");
    key(&mut app, KeyCode::Esc);
    assert!(!screen(&app).contains("Sources · S"));
}

#[test]
fn inline_styles_reach_the_reader() {
    let mut app = app(160, 48, None, true);
    let mut article = app.state.lib().articles()[0].clone();
    article.id = tidings::core::model::ArticleId::from_key("styled");
    article.title = "Styled article".into();
    article.standfirst = None;
    article.date = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
    article.blocks = tidings::core::html::html_to_blocks(
        "<p>Plain <strong>bold</strong> and <em>slanted</em> words.</p>",
        None,
    );
    app.dispatch(Action::Loaded {
        articles: vec![article],
        warnings: vec![],
    });
    keys(&mut app, "g");
    key(&mut app, KeyCode::Enter);
    let buf = app.terminal.backend().buffer().clone();
    let text = app.state.geometry().reader_text().unwrap();
    let row = (text.y..text.y + text.height)
        .find(|&y| {
            (text.x..text.x + 6)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                == "Plain "
        })
        .expect("the paragraph is on screen");
    let cell = |col: u16| &buf[(text.x + col, row)];
    assert!(!cell(0).modifier.contains(Modifier::BOLD), "plain");
    assert_eq!(cell(6).symbol(), "b");
    assert!(cell(6).modifier.contains(Modifier::BOLD), "bold");
    assert!(!cell(11).modifier.contains(Modifier::BOLD), "after bold");
    assert_eq!(cell(15).symbol(), "s");
    assert!(cell(15).modifier.contains(Modifier::ITALIC), "slanted");
}

#[test]
fn unread_only_starred_and_search_views() {
    let mut app = app(120, 30, None, true);
    // Read the first two, star the third.
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "J");
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "js");
    keys(&mut app, "u");
    let s = screen(&app);
    assert!(s.contains("unread only"), "{s}");
    insta::assert_snapshot!("unread_only_120x30", s);
    keys(&mut app, "u");
    keys(&mut app, "c");
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Starred · 1 article"), "{s}");
    insta::assert_snapshot!("starred_120x30", s);
    keys(&mut app, "c");
    keys(&mut app, "k");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "/");
    for c in "NIGHT".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let s = screen(&app);
    assert!(s.contains("Search: NIGHT▏"), "{s}");
    insta::assert_snapshot!("search_typing_120x30", s);
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("search “NIGHT”"), "{s}");
    // The match is highlighted in the headline.
    let buf = app.terminal.backend().buffer().clone();
    let hit = buf
        .content()
        .iter()
        .filter(|c| c.bg == Color::Yellow)
        .count();
    // Every shown headline whose title holds the word has it highlighted (the others matched in
    // their text).
    let in_titles = app
        .state
        .visible()
        .iter()
        .filter(|&&i| {
            app.state.lib().articles()[i]
                .title
                .to_lowercase()
                .contains("night")
        })
        .count();
    assert!(in_titles >= 2, "{s}");
    assert_eq!(hit, in_titles * "night".len());
}

/// Opens the sample with a picture (Harbour Wire's Rhine barges) from the top of the list.
fn open_barges(app: &mut App<TestBackend>) {
    let pos = app
        .state
        .visible()
        .iter()
        .position(|&i| app.state.lib().articles()[i].title.contains("Rhine"))
        .expect("the barge story is listed");
    keys(app, "g");
    for _ in 0..pos {
        keys(app, "j");
    }
    key(app, KeyCode::Enter);
}

const BARGE_PICTURE: &str = "https://example.com/img/rhine-barge-kaub.jpg";

#[test]
fn without_picture_support_the_image_stays_text() {
    // No `ImagesAvailable` (a pipe, `images = false`, a terminal that cannot): nothing is
    // fetched and the body shows the placeholder.
    let mut app = app(120, 40, None, true);
    tidings::ui::picture::install(None);
    open_barges(&mut app);
    assert!(
        !app.effects
            .iter()
            .any(|e| matches!(e, tidings::core::state::Effect::FetchImage { .. })),
        "{:?}",
        app.effects
    );
    for _ in 0..12 {
        if screen(&app).contains("[image: A loaded barge") {
            break;
        }
        keys(&mut app, "j");
    }
    let s = screen(&app);
    assert!(
        s.contains("[image: A loaded barge passes the castle at"),
        "{s}"
    );
    assert!(!s.contains('▀') && !s.contains('▄'), "{s}");
}

/// ratatui-image's pickers run `tmux set -p allow-passthrough on` when the environment says
/// tmux: a test must not change the pane it runs in.
fn in_tmux() -> bool {
    std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
        || std::env::var("TERM_PROGRAM").is_ok_and(|t| t == "tmux")
}

#[test]
fn with_picture_support_the_first_image_tops_the_reader() {
    use tidings::core::state::{Effect, Picture};
    if in_tmux() {
        eprintln!("skipped: TERM says tmux (see in_tmux)");
        return;
    }
    let mut app = app(120, 40, None, true);
    // Cells of 10 × 20 pixels, as Picker::halfblocks() has them.
    app.dispatch(Action::ImagesAvailable(Some((10, 20))));
    // Half blocks: a protocol TestBackend can hold (the real terminal gets kitty, iTerm2 or
    // sixel, see graphics::choose).
    tidings::ui::picture::install(Some(ratatui_image::picker::Picker::halfblocks()));
    open_barges(&mut app);
    let asked: Vec<&Effect> = app
        .effects
        .iter()
        .filter(|e| matches!(e, Effect::FetchImage { .. }))
        .collect();
    assert_eq!(asked.len(), 1, "{:?}", app.effects);
    let Effect::FetchImage { id, url } = asked[0].clone() else {
        unreachable!()
    };
    assert_eq!(url, BARGE_PICTURE);
    let text = app.state.geometry().reader_text().unwrap();
    let title_row = |app: &App<TestBackend>| {
        let buf = app.terminal.backend().buffer();
        (text.y..text.y + text.height)
            .find(|&y| buf[(text.x, y)].symbol() == "R" && buf[(text.x + 1, y)].symbol() == "h")
            .expect("the title is on screen")
    };
    // Until the picture is here, the title is at the top.
    assert_eq!(title_row(&app), text.y);
    // 200 × 100 px in 10 × 20 px cells: 20 × 5 cells.
    let (w, h) = (200u32, 100u32);
    let rgba: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % 251) as u8, 40, 200, 255])
        .collect();
    app.handle(Msg::Action(Action::ImageLoaded {
        id,
        url,
        picture: Ok(std::sync::Arc::new(Picture {
            width: w,
            height: h,
            rgba: rgba.into(),
        })),
    }));
    app.draw().unwrap();
    assert_eq!(
        title_row(&app),
        text.y + 6,
        "five rows of picture and a blank"
    );
    let buf = app.terminal.backend().buffer().clone();
    assert!(
        (text.x..text.x + 20)
            .all(|x| buf[(x, text.y)].bg != Color::Reset || buf[(x, text.y)].fg != Color::Reset),
        "the picture's top row is painted"
    );
    insta::assert_snapshot!("picture_120x40", screen(&app));
    // Scrolled down, the text takes the whole pane again.
    keys(&mut app, "j");
    let s = screen(&app);
    assert!(!s.contains('▀'), "{s}");
    tidings::ui::picture::install(None);
}

#[test]
fn the_picture_fits_small_and_large_screens() {
    use tidings::core::state::{Effect, Picture};
    if in_tmux() {
        eprintln!("skipped: TERM says tmux (see in_tmux)");
        return;
    }
    tidings::ui::picture::install(Some(ratatui_image::picker::Picker::halfblocks()));
    // (size, the picture's cells: 200 × 100 px is 20 × 5 cells, less where the pane is short)
    for ((width, height), cells) in [((80, 24), (16, 4)), ((200, 60), (20, 5))] {
        let mut app = app(width, height, None, true);
        app.dispatch(Action::ImagesAvailable(Some((10, 20))));
        open_barges(&mut app);
        let Some(Effect::FetchImage { id, url }) = app
            .effects
            .iter()
            .find(|e| matches!(e, Effect::FetchImage { .. }))
            .cloned()
        else {
            panic!("no picture asked for at {width}x{height}")
        };
        let rgba: Vec<u8> = (0..200 * 100).flat_map(|_| [30u8, 60, 90, 255]).collect();
        app.handle(Msg::Action(Action::ImageLoaded {
            id,
            url,
            picture: Ok(std::sync::Arc::new(Picture {
                width: 200,
                height: 100,
                rgba: rgba.into(),
            })),
        }));
        app.draw().unwrap();
        assert_eq!(app.state.picture_cells(), Some(cells), "{width}x{height}");
        let text = app.state.geometry().reader_text().unwrap();
        let buf = app.terminal.backend().buffer();
        let title = (text.y..text.y + text.height)
            .find(|&y| buf[(text.x, y)].symbol() == "R" && buf[(text.x + 1, y)].symbol() == "h");
        assert_eq!(title, Some(text.y + cells.1 + 1), "{width}x{height}");
        assert_ne!(buf[(text.x, text.y)].bg, Color::Reset, "{width}x{height}");
    }
    tidings::ui::picture::install(None);
}
