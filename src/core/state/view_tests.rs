//! Table tests on `update` for what a new user meets (issue 14): the "too small" screen, stars
//! in the reader, undated articles, one spelling of categories, the panes' sizes and zoom,
//! the help and the sources view scrolling, warnings by source.

use super::tests::{apply, art, corpus, reader_text, selected_title, state, state_of};
use super::*;
use crate::core::help::HelpSection;

fn resize(s: &mut State, width: u16, height: u16) {
    update(s, Action::Resize { width, height });
}

#[test]
fn keys_on_the_too_small_screen_do_nothing_but_quit_and_resize_work() {
    let mut s = state();
    resize(&mut s, 30, 8);
    let before = (s.selected(), s.focus, s.tree_selected());
    let keys = [
        Action::Down,
        Action::Bottom,
        Action::PageDown,
        Action::FocusNext,
        Action::Choose,
        Action::ToggleStar,
        Action::ToggleRead,
        Action::ToggleHelp,
        Action::StartSearch,
        Action::Click { column: 1, row: 1 },
        Action::ScrollDown { column: 1, row: 1 },
        Action::WiderList,
        Action::ToggleZoom,
    ];
    for k in keys {
        assert_eq!(update(&mut s, k.clone()), vec![], "{k:?}");
    }
    assert_eq!((s.selected(), s.focus, s.tree_selected()), before);
    assert!(s.reader.open.is_none());
    assert_eq!(s.overlay, Overlay::None);
    assert!(s.search_input().is_none());
    assert_eq!(s.starred_count(), (0, 0));
    assert_eq!(s.unread(), 6);
    // Back to a usable size, keys work again; and quit always works.
    resize(&mut s, 160, 48);
    update(&mut s, Action::Down);
    assert_eq!(selected_title(&s), "Title b");
    resize(&mut s, 30, 8);
    assert_eq!(update(&mut s, Action::Quit), vec![Effect::Quit]);
}

#[test]
fn a_star_shows_in_the_readers_byline_and_goes_with_unstar() {
    let mut s = state();
    apply(&mut s, &[Action::Choose, Action::PageDown]);
    let scroll = s.reader().unwrap().scroll;
    let byline = |s: &State| reader_text(s)[1].clone();
    assert!(!byline(&s).contains('★'), "{}", byline(&s));
    update(&mut s, Action::ToggleStar);
    assert!(byline(&s).starts_with("★ Wire · "), "{}", byline(&s));
    assert_eq!(s.reader().unwrap().scroll, scroll, "the place is kept");
    update(&mut s, Action::ToggleStar);
    assert!(!byline(&s).contains('★'));
    // Stars from an earlier run show when the marks arrive.
    let id = s.reader_article().unwrap().id.clone();
    update(
        &mut s,
        Action::Marks(vec![Mark {
            id,
            read: true,
            starred: true,
        }]),
    );
    assert!(byline(&s).starts_with("★ "));
    assert!(s.is_starred(s.reader().unwrap().article));
}

#[test]
fn undated_articles_come_after_dated_ones_and_say_undated() {
    let mut undated = art("u", 28, "Business", 2);
    undated.dated = false;
    undated.title = "Undated".into();
    let mut articles = corpus();
    articles.push(undated);
    let mut s = state_of(160, 48, None, articles);
    // Its stand-in date is the newest, but it is listed last.
    assert_eq!(selected_title(&s), "Title a");
    update(&mut s, Action::Bottom);
    assert_eq!(selected_title(&s), "Undated");
    update(&mut s, Action::Choose);
    assert!(
        reader_text(&s)[1].contains("undated"),
        "{:?}",
        reader_text(&s)
    );
}

#[test]
fn a_category_is_spelled_as_the_tree_spells_it_in_the_reader() {
    let mut lower = art("low", 28, "world news/europe", 1);
    lower.title = "Lowercase header".into();
    let mut articles = corpus();
    articles.push(lower);
    let mut s = state_of(160, 48, None, articles);
    assert_eq!(selected_title(&s), "Lowercase header");
    update(&mut s, Action::Choose);
    assert!(
        reader_text(&s).contains(&"World News / Europe".to_string()),
        "{:?}",
        reader_text(&s)
    );
    let names: Vec<String> = s.tree_rows().iter().map(|r| s.row_name(*r)).collect();
    assert!(!names.iter().any(|n| n.contains("world news")), "{names:?}");
}

#[test]
fn default_widths_give_the_headlines_room_at_160_columns() {
    let s = state();
    let g = s.geometry();
    let list = g.headlines.unwrap();
    // A 70-character headline after the marks (3), the date (7), the source and two spaces.
    assert!(list.inner().width >= 3 + 7 + 14 + 2 + 70, "{g:?}");
    assert!(g.reader.unwrap().width >= 38, "{g:?}");
    for (w, h) in [(120, 40), (200, 60)] {
        let g = crate::core::geometry::Geometry::new(w, h, Focus::Headlines);
        assert!(g.reader.unwrap().width >= 40, "{w}: {g:?}");
        assert!(g.headlines.unwrap().width >= 50, "{w}: {g:?}");
    }
}

#[test]
fn angle_brackets_move_the_border_next_to_the_headlines_and_are_kept() {
    let mut s = state();
    let width = |s: &State| s.geometry().headlines.unwrap().width;
    let w0 = width(&s);
    update(&mut s, Action::WiderList);
    assert_eq!(width(&s), w0 + 4);
    apply(&mut s, &[Action::NarrowerList, Action::NarrowerList]);
    assert_eq!(width(&s), w0 - 4);
    assert_eq!(s.panes().list, Some(w0 - 4));
    // Far past the edge: clamped, the reader keeps a pane.
    for _ in 0..60 {
        update(&mut s, Action::WiderList);
    }
    let g = s.geometry();
    assert!(
        g.reader.unwrap().width >= crate::core::geometry::MIN_PANE,
        "{g:?}"
    );
    assert_eq!(s.panes().list, Some(width(&s)), "what is seen is kept");
    for _ in 0..60 {
        update(&mut s, Action::NarrowerList);
    }
    assert_eq!(width(&s), crate::core::geometry::MIN_PANE);
    // The open article is laid out again for the reader's new width.
    apply(&mut s, &[Action::Choose, Action::Back]);
    let text_w = usize::from(s.geometry().reader_text().unwrap().width);
    assert_eq!(s.reader().unwrap().width, text_w);
    update(&mut s, Action::WiderList);
    let text_w2 = usize::from(s.geometry().reader_text().unwrap().width);
    assert_eq!(s.reader().unwrap().width, text_w2);
    assert!(text_w2 < text_w);
    // The width is kept through a terminal resize and clamped to a smaller one.
    update(&mut s, Action::WiderList);
    let kept = width(&s);
    resize(&mut s, 200, 60);
    assert_eq!(width(&s), kept);
    resize(&mut s, 120, 40);
    let g = s.geometry();
    assert!(
        g.reader.unwrap().x + g.reader.unwrap().width == 120,
        "{g:?}"
    );
    // Stacked (80 columns), the tree gives the headlines room; one pane alone: nothing moves.
    resize(&mut s, 100, 30);
    let tree = s.geometry().tree.unwrap().width;
    update(&mut s, Action::WiderList);
    assert_eq!(s.geometry().tree.unwrap().width, tree - 4);
    resize(&mut s, 60, 20);
    let before = s.geometry();
    update(&mut s, Action::WiderList);
    assert_eq!(s.geometry(), before);
}

#[test]
fn dragging_a_border_with_the_mouse_moves_it() {
    let mut s = state();
    let g = s.geometry();
    let list = g.headlines.unwrap();
    let border = list.x + list.width - 1;
    update(
        &mut s,
        Action::Click {
            column: border,
            row: 10,
        },
    );
    assert_eq!(s.focus, Focus::Headlines, "a border click moves no focus");
    update(
        &mut s,
        Action::Drag {
            column: border - 10,
            row: 12,
        },
    );
    assert_eq!(s.geometry().headlines.unwrap().width, list.width - 10);
    update(
        &mut s,
        Action::Drag {
            column: border + 6,
            row: 12,
        },
    );
    assert_eq!(s.geometry().headlines.unwrap().width, list.width + 6);
    update(&mut s, Action::Release);
    update(
        &mut s,
        Action::Drag {
            column: border,
            row: 12,
        },
    );
    assert_eq!(
        s.geometry().headlines.unwrap().width,
        list.width + 6,
        "after the release a drag moves nothing"
    );
    // The tree's border, from the headlines' side of it.
    let tree = s.geometry().tree.unwrap();
    update(
        &mut s,
        Action::Click {
            column: tree.width,
            row: 3,
        },
    );
    update(
        &mut s,
        Action::Drag {
            column: tree.width + 7,
            row: 3,
        },
    );
    assert_eq!(s.geometry().tree.unwrap().width, tree.width + 7);
    update(&mut s, Action::Release);
    // Stacked: the line above the reader moves up and down.
    resize(&mut s, 100, 30);
    let reader = s.geometry().reader.unwrap();
    update(
        &mut s,
        Action::Click {
            column: 50,
            row: reader.y,
        },
    );
    update(
        &mut s,
        Action::Drag {
            column: 50,
            row: reader.y + 5,
        },
    );
    assert_eq!(s.geometry().reader.unwrap().y, reader.y + 5);
    update(
        &mut s,
        Action::Drag {
            column: 50,
            row: 200,
        },
    );
    let g = s.geometry();
    assert!(g.reader.unwrap().height >= 5, "{g:?}");
    // A click inside a pane is still a click.
    update(&mut s, Action::Release);
    let list = s.geometry().headlines.unwrap().inner();
    update(
        &mut s,
        Action::Click {
            column: list.x + 3,
            row: list.y + 1,
        },
    );
    assert_eq!(s.selected(), 1);
}

#[test]
fn zoom_gives_the_reader_the_whole_screen_while_reading() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let mut s = state_of(w, h, None, corpus());
        update(&mut s, Action::ToggleZoom);
        // Nothing was open: the selected headline opens, zoomed.
        assert_eq!(s.focus, Focus::Reader);
        assert!(s.zoomed());
        let g = s.geometry();
        assert_eq!(
            g.reader,
            Some(crate::core::geometry::Area::new(0, 0, w, h - 1))
        );
        assert_eq!((g.tree, g.headlines), (None, None));
        assert_eq!(s.reader().unwrap().width, usize::from(w - 4));
        // Esc goes back to the panes; the next article read is zoomed again.
        update(&mut s, Action::Back);
        assert!(!s.zoomed());
        assert!(s.geometry().headlines.is_some());
        apply(&mut s, &[Action::Down, Action::Choose]);
        assert!(s.zoomed(), "{w}x{h}");
        assert_eq!(selected_title(&s), "Title b");
        update(&mut s, Action::ToggleZoom);
        assert!(!s.zoomed());
        assert_eq!(s.focus, Focus::Reader);
        assert!(s.geometry().headlines.is_some() || w < 80);
    }
    // With nothing to read, zooming changes nothing on screen.
    let mut s = state_of(160, 48, None, vec![]);
    update(&mut s, Action::ToggleZoom);
    assert_eq!(s.focus, Focus::Headlines);
    assert!(!s.zoomed());
}

fn help_table(rows: usize) -> Vec<HelpSection> {
    vec![HelpSection {
        title: "Everywhere".into(),
        rows: (0..rows)
            .map(|i| (format!("k{i}"), format!("does thing number {i}")))
            .collect(),
    }]
}

#[test]
fn help_scrolls_with_the_list_keys_and_the_wheel_within_its_text() {
    let mut s = state_with_size(80, 24);
    update(&mut s, Action::KeyHelp(help_table(60)));
    update(&mut s, Action::ToggleHelp);
    let hb = s.help_box(s.help());
    let b = hb.scrolled;
    assert_eq!(hb.columns.len(), 1, "one section: one column");
    assert_eq!(hb.columns[0].len(), 61);
    assert_eq!(b.outer.height, 24);
    let max = 61 - 22;
    assert_eq!(b.max_scroll(), max);
    let table: &[(Action, usize)] = &[
        (Action::Down, 1),
        (Action::Down, 2),
        (Action::Up, 1),
        (Action::ScrollDown { column: 0, row: 0 }, 4),
        (Action::ScrollUp { column: 0, row: 0 }, 1),
        (Action::PageDown, 21),
        (Action::Bottom, max),
        (Action::Down, max),
        (Action::PageDown, max),
        (Action::Up, max - 1),
        (Action::Top, 0),
        (Action::Up, 0),
        (Action::PageUp, 0),
    ];
    for (a, want) in table {
        update(&mut s, a.clone());
        assert_eq!(s.overlay_scroll(), *want, "after {a:?}");
        assert_eq!(s.overlay, Overlay::Help);
    }
    assert_eq!(selected_title(&s), "Title a", "the list did not move");
    // Closed and opened again: from the top.
    apply(
        &mut s,
        &[Action::Bottom, Action::CloseHelp, Action::ToggleHelp],
    );
    assert_eq!(s.overlay_scroll(), 0);
    // A terminal tall enough for it all: nothing to scroll.
    resize(&mut s, 200, 70);
    update(&mut s, Action::Bottom);
    assert_eq!(s.overlay_scroll(), 0);
}

fn state_with_size(w: u16, h: u16) -> State {
    state_of(w, h, None, corpus())
}

#[test]
fn warnings_are_listed_under_their_source_and_the_view_scrolls() {
    let mut s = state_with_size(80, 24);
    let loaded = SourceState::Loaded {
        articles: 8,
        cached: false,
    };
    update(
        &mut s,
        Action::Source {
            label: "/home/me/news/articles".into(),
            state: loaded.clone(),
        },
    );
    update(
        &mut s,
        Action::Source {
            label: "https://x.example/feed".into(),
            state: loaded,
        },
    );
    let mut warnings: Vec<String> = (0..30)
        .map(|i| format!("/home/me/news/articles/sub/file-{i}.txt: empty file; skipped"))
        .collect();
    warnings.push("https://x.example/feed: line 3, column 9: the feed stops here".into());
    warnings.push("this article has no links".into());
    update(
        &mut s,
        Action::Loaded {
            articles: vec![],
            warnings,
        },
    );
    let lines = s.source_lines(60);
    let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        text[0],
        "✓ /home/me/news/articles — 8 articles · 30 warnings"
    );
    assert_eq!(text[1], "  ⚠ sub/file-0.txt: empty file; skipped");
    assert_eq!(
        text[31],
        "✓ https://x.example/feed — 8 articles · 1 warning"
    );
    assert_eq!(text[32], "  ⚠ line 3, column 9: the feed stops here");
    assert_eq!(
        &text[33..],
        ["", "Other warnings", "⚠ this article has no links"]
    );
    for l in &lines {
        assert!(crate::core::text::width(&l.text) <= 60, "{l:?}");
    }
    // Narrow: wrapped, nothing lost.
    let narrow = s.source_lines(20);
    let joined: String = narrow
        .iter()
        .map(|l| l.text.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains("the feed stops here"), "{joined}");
    assert!(
        narrow
            .iter()
            .all(|l| crate::core::text::width(&l.text) <= 20)
    );
    // The view scrolls within its text.
    update(&mut s, Action::ToggleSources);
    let max = s.sources_box().0.max_scroll();
    assert!(max > 0);
    apply(&mut s, &[Action::Down, Action::Down]);
    assert_eq!(s.overlay_scroll(), 2);
    update(&mut s, Action::Bottom);
    assert_eq!(s.overlay_scroll(), max);
    update(&mut s, Action::Down);
    assert_eq!(s.overlay_scroll(), max);
    update(&mut s, Action::ToggleSources);
    assert_eq!(s.overlay, Overlay::None);
}

#[test]
fn a_warning_repeated_by_a_reload_is_counted_once() {
    let mut s = state_with_size(80, 24);
    for _ in 0..3 {
        update(
            &mut s,
            Action::Loaded {
                articles: vec![],
                warnings: vec!["a.txt: empty file".into(), "b.bin: binary".into()],
            },
        );
    }
    assert_eq!(s.warnings(), ["a.txt: empty file", "b.bin: binary"]);
    update(&mut s, Action::Warn("a.txt: empty file".into()));
    assert_eq!(s.warnings().last().unwrap(), "a.txt: empty file");
}
