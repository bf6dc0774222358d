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
        assert!(s.contains("╭ Keys · "), "{s}");
        assert!(s.contains("next article"), "{s}");
        insta::assert_snapshot!(format!("help_{w}x{h}"), s);
        key(&mut app, KeyCode::Esc);
        assert!(!screen(&app).contains("╭ Keys · "));
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
        // Nothing moved unseen: back to a usable size, the first headline is still selected
        // and nothing is open.
        app.terminal.backend_mut().resize(120, 40);
        app.handle(Msg::Term(Event::Resize(120, 40)));
        app.draw().unwrap();
        assert_eq!(app.state.selected(), 0, "{w}x{h}");
        assert!(app.state.reader().is_none(), "{w}x{h}");
        let s = screen(&app);
        assert!(s.contains("Press Enter on a headline to"), "{s}");
    }
    insta::assert_snapshot!("tiny_30x8", screen(&app(30, 8, None, true)));
    // Quitting still works there.
    let mut tiny = app(30, 8, None, true);
    keys(&mut tiny, "q");
    assert!(tiny.state.is_quitting());
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
    // Reading (zoomed, to have the first heading on screen): a section heading is cyan and
    // bold; after reading, the mark is gone.
    open_longest(&mut app);
    keys(&mut app, "Z");
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
    keys(&mut app, "Z");
    let buf = app.terminal.backend().buffer().clone();
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
    // Undated (no `Date:`): among the last headlines, after every dated one; its stand-in
    // date is newer than the undated sample's.
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('k'));
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
    article.body = tidings::core::model::Body::Blocks(tidings::core::html::html_to_blocks(
        "<p>Plain <strong>bold</strong> and <em>slanted</em> words.</p>",
        None,
    ));
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
    // The alt text, wrapped to the reading pane.
    assert!(s.contains("[image: A loaded barge"), "{s}");
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

/// The text of a part of the screen, one line per row.
fn region(app: &App<TestBackend>, a: tidings::core::geometry::Area) -> String {
    screen(app)
        .lines()
        .skip(usize::from(a.y))
        .take(usize::from(a.height))
        .map(|l| {
            l.chars()
                .skip(usize::from(a.x))
                .take(usize::from(a.width))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The status bar: the last row of the screen.
fn status_row(app: &App<TestBackend>) -> String {
    screen(app).lines().last().unwrap().to_string()
}

#[test]
fn key_hints_go_one_at_a_time_and_help_always_stays() {
    let mut rows = Vec::new();
    for (w, h) in [
        (40, 12),
        (60, 20),
        (80, 24),
        (100, 30),
        (120, 40),
        (200, 60),
    ] {
        let app = app(w, h, None, true);
        let row = status_row(&app);
        assert!(row.contains("? help"), "{w}x{h}: {row}");
        rows.push(row);
    }
    assert_eq!(
        rows[2].trim_end(),
        " All · 28/28 shown · 28 unread Enter open  / search  S sources  ? help  q quit",
    );
    assert!(rows[0].ends_with("? help  "), "{}", rows[0]);
    assert!(
        rows[5].contains("Tab pane  S sources  ? help  q quit"),
        "{}",
        rows[5]
    );
    // A long warning is cut, not the hints; with more than one the count and the way to them.
    let mut app = app(80, 24, None, true);
    let long = format!(
        "/news/{}.txt: not UTF-8; skipped",
        "very-long-name-".repeat(8)
    );
    app.dispatch(Action::Warn(long));
    app.draw().unwrap();
    let row = status_row(&app);
    assert!(row.contains(" ⚠ /news/very-long-name-"), "{row}");
    assert!(row.contains("…"), "{row}");
    assert!(row.contains("? help  q quit"), "{row}");
    app.dispatch(Action::Warn("/news/b.bin: binary; skipped".into()));
    app.draw().unwrap();
    let row = status_row(&app);
    assert!(row.contains(" ⚠ 2 warnings — S to see them"), "{row}");
    assert!(row.contains("? help"), "{row}");
    insta::assert_snapshot!("status_warnings_80x24", row);
    // While reading, the reader's hints.
    key(&mut app, KeyCode::Enter);
    assert!(status_row(&app).contains("? help"));
}

/// The help's text lines as the screen shows them, scrolled from top to bottom with `j`: line
/// `i` is read off the screen when it is at the top of the box.
fn help_text_on_screen(app: &mut App<TestBackend>) -> Vec<String> {
    keys(app, "?");
    let hb = app.state.help_box(app.state.help());
    let b = hb.scrolled;
    let mut lines = Vec::new();
    for i in 0..b.total {
        let scroll = app.state.help_box(app.state.help()).scrolled.scroll;
        let row = usize::from(b.text.y) + i - scroll;
        let text: String = screen(app)
            .lines()
            .nth(row)
            .unwrap()
            .chars()
            .skip(usize::from(b.text.x))
            .take(usize::from(b.text.width))
            .collect();
        lines.push(text.trim_end().to_string());
        if i + 1 - scroll >= usize::from(b.text.height) {
            keys(app, "j");
        }
    }
    lines
}

#[test]
fn every_key_is_in_the_help_and_no_description_is_cut() {
    for (w, h) in [(80, 24), (70, 20), (120, 40), (200, 60), (40, 12)] {
        let mut app = app(w, h, None, true);
        let table = Keymap::default().help_table();
        let lines = help_text_on_screen(&mut app);
        // Rows: ` keys  description`, continuation lines under the description.
        let text = lines.join("\n");
        for section in &table {
            assert!(text.contains(&section.title), "{w}x{h}: {}", section.title);
            for (keys, what) in &section.rows {
                if w >= 70 {
                    assert!(text.contains(keys.as_str()), "{w}x{h}: {keys}\n{text}");
                }
                // The description, read back across its wrapped lines, whole.
                let words: Vec<&str> = what.split_whitespace().collect();
                let found = lines.iter().enumerate().any(|(i, _)| {
                    let mut joined = String::new();
                    for l in &lines[i..(i + 6).min(lines.len())] {
                        joined.push(' ');
                        joined.push_str(l.trim());
                    }
                    joined
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .windows(words.len())
                        .any(|x| x == words.as_slice())
                });
                assert!(found, "{w}x{h}: '{what}' not whole\n{text}");
            }
        }
        assert!(!text.contains('…'), "{w}x{h}: something cut\n{text}");
        // However narrow, the box says how to close it.
        assert!(screen(&app).contains("Esc closes"), "{w}x{h}");
        // Esc closes it wherever it was scrolled to.
        key(&mut app, KeyCode::Esc);
        assert!(!screen(&app).contains("╭ Keys"));
    }
}

#[test]
fn help_scrolls_with_keys_and_the_wheel() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let mut app = app(80, 24, None, true);
    keys(&mut app, "?");
    let top = screen(&app);
    assert!(top.contains("Keys · 1–22 of "), "{top}");
    insta::assert_snapshot!("help_scrolled_top_80x24", top);
    key(&mut app, KeyCode::PageDown);
    let s = screen(&app);
    assert!(s.contains("Keys · 21–42 of "), "{s}");
    key(&mut app, KeyCode::End);
    let end = screen(&app);
    assert!(end.contains("In this help and the sources view"), "{end}");
    insta::assert_snapshot!("help_scrolled_end_80x24", end);
    key(&mut app, KeyCode::Home);
    assert_eq!(screen(&app), top);
    let wheel = |kind| {
        Msg::Term(Event::Mouse(MouseEvent {
            kind,
            column: 40,
            row: 10,
            modifiers: KeyModifiers::NONE,
        }))
    };
    app.handle(wheel(MouseEventKind::ScrollDown));
    app.draw().unwrap();
    assert!(screen(&app).contains("Keys · 4–25 of "));
    app.handle(wheel(MouseEventKind::ScrollUp));
    app.draw().unwrap();
    assert_eq!(screen(&app), top);
    assert_eq!(
        app.state.selected(),
        0,
        "the list did not move under the help"
    );
}

#[test]
fn a_star_shows_on_the_headline_in_the_reader_and_in_the_tree() {
    let mut app = app(120, 40, None, true);
    keys(&mut app, "js");
    let list = app.state.geometry().headlines.unwrap().inner();
    let buf = app.terminal.backend().buffer().clone();
    assert_eq!(buf[(list.x + 1, list.y + 1)].symbol(), "★");
    assert_eq!(buf[(list.x + 1, list.y + 1)].fg, Color::Yellow);
    assert_eq!(buf[(list.x + 1, list.y)].symbol(), " ", "not starred");
    key(&mut app, KeyCode::Enter);
    let text = app.state.geometry().reader_text().unwrap();
    let s = screen(&app);
    let byline: String = s
        .lines()
        .nth(usize::from(text.y) + 2)
        .unwrap()
        .chars()
        .skip(usize::from(text.x))
        .collect();
    assert!(byline.starts_with("★ "), "{s}");
    assert!(
        s.contains("★ Starred      1/1") || s.contains("★ Starred"),
        "{s}"
    );
    // Unstarred from the reader: gone from the byline and the headline.
    keys(&mut app, "s");
    let s = screen(&app);
    assert_eq!(s.matches('★').count(), 1, "only the tree's entry: {s}");
}

#[test]
fn an_undated_article_shows_no_time_and_comes_last() {
    let mut app = app(120, 40, None, true);
    let undated: Vec<usize> = (0..app.state.lib().len())
        .filter(|&i| !app.state.lib().articles()[i].dated)
        .collect();
    assert!(!undated.is_empty(), "the samples have an undated article");
    let n = app.state.lib().len();
    assert_eq!(undated, ((n - undated.len())..n).collect::<Vec<_>>());
    keys(&mut app, "G");
    let list = app.state.geometry().headlines.unwrap().inner();
    let row = list.y + (app.state.selected() - app.state.list_offset()) as u16;
    let s = screen(&app);
    let line: String = s
        .lines()
        .nth(usize::from(row))
        .unwrap()
        .chars()
        .skip(usize::from(list.x))
        .take(12)
        .collect();
    assert_eq!(line, "●       — No", "{s}");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("undated · "), "{s}");
}

#[test]
fn the_sources_view_lists_skipped_files_under_their_source() {
    use tidings::core::state::SourceState;
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let mut app = app(w, h, None, true);
        app.dispatch(Action::Source {
            label: "/home/me/news".into(),
            state: SourceState::Loaded {
                articles: 8,
                cached: false,
            },
        });
        let warnings: Vec<String> = [
            "/home/me/news/empty.txt: empty file; skipped",
            "/home/me/news/photo.txt: binary file (not text); skipped",
            "/home/me/news/a-folder-with-a-long-name/and-a-long-file-name-that-goes-on-and-on.txt: not UTF-8; skipped",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain((0..20).map(|i| format!("/home/me/news/more/file-{i}.txt: empty file; skipped")))
        .collect();
        app.dispatch(Action::Loaded {
            articles: vec![],
            warnings,
        });
        app.draw().unwrap();
        assert!(status_row(&app).contains("23 warnings — S to see them"));
        keys(&mut app, "S");
        let s = screen(&app);
        assert!(
            s.contains("✓ /home/me/news — 8 articles · 23 warnings"),
            "{s}"
        );
        assert!(s.contains("⚠ empty.txt: empty file; skipped"), "{s}");
        assert!(
            s.contains("⚠ photo.txt: binary file (not text); skipped"),
            "{s}"
        );
        // The long one is wrapped, not cut.
        let inside = region(&app, app.state.sources_box().0.text);
        assert!(!inside.contains('…'), "{inside}");
        assert!(s.contains("and-a-long-file-name"), "{s}");
        if (w, h) == (80, 24) {
            insta::assert_snapshot!("sources_warnings_80x24", s);
        }
        keys(&mut app, "G");
        let s = screen(&app);
        assert!(s.contains("file-19.txt: empty file; skipped"), "{s}");
        keys(&mut app, "S");
        assert!(!screen(&app).contains("╭ Sources"));
    }
}

#[test]
fn a_lowercase_category_header_is_spelled_as_the_tree_spells_it() {
    let mut app = app(120, 40, None, true);
    let ctx = tidings::sources::text::FileContext {
        id: tidings::core::model::ArticleId::from_key("lower"),
        origin: "lower.txt".into(),
        fallback_title: "lower".into(),
        default_source: "Local".into(),
        folder_category: None,
        mtime: Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap(),
    };
    let lower = tidings::sources::text::parse_article(
        "categories: world news/europe\ndate: 2026-11-27T17:00:00Z\n\nA Lowercase Header\n\nText.\n",
        &ctx,
    )
    .unwrap()
    .article;
    app.dispatch(Action::Loaded {
        articles: vec![lower],
        warnings: vec![],
    });
    keys(&mut app, "g");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("A Lowercase Header"), "{s}");
    assert!(s.contains("┃ World News / Europe"), "{s}");
    assert!(!s.contains("world news"), "{s}");
}

#[test]
fn panes_resize_with_keys_and_the_mouse_and_the_reader_zooms() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app(160, 48, None, true);
    // A typical headline is whole at 160 columns by default.
    let s = screen(&app);
    assert!(
        s.contains("Night Trains Return to Three Cross-Border Routes for Winter Season"),
        "{s}"
    );
    insta::assert_snapshot!("start_160x48_default_widths", s);
    let width = |app: &App<TestBackend>| app.state.geometry().headlines.unwrap().width;
    let w0 = width(&app);
    keys(&mut app, ">>");
    assert_eq!(width(&app), w0 + 8);
    keys(&mut app, "<");
    assert_eq!(width(&app), w0 + 4);
    // Dragging the border between the headlines and the reader.
    let border = app.state.geometry().reader.unwrap().x;
    let mouse = |kind, column| {
        Msg::Term(Event::Mouse(MouseEvent {
            kind,
            column,
            row: 20,
            modifiers: KeyModifiers::NONE,
        }))
    };
    app.handle(mouse(MouseEventKind::Down(MouseButton::Left), border));
    app.handle(mouse(MouseEventKind::Drag(MouseButton::Left), border - 30));
    app.handle(mouse(MouseEventKind::Up(MouseButton::Left), border - 30));
    app.draw().unwrap();
    let g = app.state.geometry();
    assert_eq!(g.reader.unwrap().x, border - 30, "{g:?}");
    // The screen follows: the reader's border is where the mouse left it.
    let s = screen(&app);
    let top: Vec<char> = s.lines().next().unwrap().chars().collect();
    assert_eq!(top[usize::from(border - 30)], '╭', "{s}");
    // Zoom: the reader alone, then back with Z.
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "Z");
    let s = screen(&app);
    assert!(s.starts_with("┏ Reader · "), "{s}");
    assert!(s.contains("zoomed"), "{s}");
    keys(&mut app, "Z");
    assert!(screen(&app).starts_with("╭ Categories"));
    assert_eq!(app.state.geometry().reader.unwrap().x, border - 30, "kept");
    drop(app);
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let mut app = self::app(w, h, None, true);
        key(&mut app, KeyCode::Enter);
        keys(&mut app, "Z");
        let s = screen(&app);
        assert!(s.starts_with("┏ Reader · "), "{w}x{h}: {s}");
        if w == 80 {
            insta::assert_snapshot!("zoomed_80x24", s);
        }
        key(&mut app, KeyCode::Esc);
        assert!(screen(&app).contains("Categories"), "{w}x{h}");
    }
}

#[test]
fn the_status_bar_says_how_far_the_search_index_is_while_a_search_waits_for_it() {
    let mut app = app(140, 30, None, false);
    app.dispatch(Action::IndexProgress {
        indexed: 2048,
        total: 10_000,
    });
    app.draw().unwrap();
    let last = |app: &App<TestBackend>| screen(app).lines().last().unwrap_or("").to_string();
    assert!(!last(&app).contains("indexed"), "no search: not said");
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "harbour");
    let status = last(&app);
    assert!(
        status.starts_with(" Search: harbour▏   (")
            && status.contains("shown · stories indexed 2,048/10,000 · Enter keeps"),
        "{status}"
    );
    key(&mut app, KeyCode::Enter);
    let status = last(&app);
    assert!(
        status.contains("search “harbour” · stories indexed 2,048/10,000"),
        "{status}"
    );
    app.dispatch(Action::IndexProgress {
        indexed: 10_000,
        total: 10_000,
    });
    app.draw().unwrap();
    let status = last(&app);
    assert!(status.contains("search “harbour”"), "{status}");
    assert!(
        !status.contains("indexed"),
        "done: not said any more: {status}"
    );
}
