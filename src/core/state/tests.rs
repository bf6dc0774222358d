use super::*;
use crate::core::model::{Article, Block, BlockKind, BodyRef, CategoryPath};
use chrono::TimeZone;
use std::sync::Arc;

pub(super) fn art(key: &str, day: u32, cats: &str, paragraphs: usize) -> Article {
    let blocks: Vec<Block> = (0..paragraphs)
        .map(|i| {
            if i % 5 == 4 {
                Block::new(BlockKind::Heading, format!("Heading {i}"))
            } else {
                Block::new(
                    BlockKind::Paragraph,
                    format!("Paragraph {i} of {key}. ").repeat(12),
                )
            }
        })
        .collect();
    Article {
        id: ArticleId::from_key(key),
        title: format!("Title {key}").into(),
        source: "Wire".into(),
        author: None,
        date: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
        dated: true,
        link: None,
        categories: CategoryPath::parse_list(cats),
        standfirst: None,
        words: Article::count_words(None, &blocks),
        meta: Box::default(),
        origin: key.into(),
        body: crate::core::model::Body::Blocks(blocks),
    }
}

/// Articles newest first: a (Europe, day 27), b (Asia, 26), c (Business, 25), d (Europe, 24),
/// e (none, 23), long (Europe; Business, 22) with 60 paragraphs.
pub(super) fn corpus() -> Vec<Article> {
    vec![
        art("a", 27, "World News / Europe", 3),
        art("b", 26, "World News / Asia", 3),
        art("c", 25, "Business", 3),
        art("d", 24, "World News / Europe", 3),
        art("e", 23, "", 2),
        art("long", 22, "World News / Europe; Business", 60),
    ]
}

pub(super) fn clock() -> Clock {
    Clock {
        now: Utc.with_ymd_and_hms(2026, 11, 27, 18, 0, 0).unwrap(),
        tz: FixedOffset::east_opt(0).unwrap(),
    }
}

pub(super) fn state_with(width: u16, height: u16, category: Option<&str>) -> State {
    state_of(width, height, category, corpus())
}

/// A state of that size and initial category holding `articles`, loading done.
pub(super) fn state_of(
    width: u16,
    height: u16,
    category: Option<&str>,
    articles: Vec<Article>,
) -> State {
    let mut s = State::new(clock(), category.map(String::from));
    update(&mut s, Action::Resize { width, height });
    update(
        &mut s,
        Action::Loaded {
            articles,
            warnings: vec![],
        },
    );
    update(&mut s, Action::LoadingDone);
    s
}

pub(super) fn state() -> State {
    state_with(160, 48, None)
}

pub(super) fn titles(s: &State) -> Vec<String> {
    s.list
        .visible
        .iter()
        .map(|&i| s.lib.articles()[i].title.to_string())
        .collect()
}

pub(super) fn selected_title(s: &State) -> String {
    s.lib.articles()[s.selected_article().unwrap()]
        .title
        .to_string()
}

pub(super) fn apply(s: &mut State, actions: &[Action]) {
    for a in actions {
        update(s, a.clone());
    }
}

/// The open article's lines as text.
pub(super) fn reader_text(s: &State) -> Vec<String> {
    s.reader
        .open
        .as_ref()
        .unwrap()
        .lines
        .iter()
        .map(|l| l.text.clone())
        .collect()
}

fn row_of(s: &State, path: &str) -> usize {
    s.tree
        .rows
        .iter()
        .position(|r| s.row_name(*r) == path)
        .unwrap_or_else(|| panic!("no row {path}"))
}

fn choose_category(s: &mut State, path: &str) {
    update(s, Action::JumpToTree);
    s.tree.selected = row_of(s, path);
    update(s, Action::Choose);
}

#[test]
fn starts_on_the_newest_headline() {
    let s = state();
    assert_eq!(s.focus, Focus::Headlines);
    assert_eq!(selected_title(&s), "Title a");
    assert_eq!(s.list.visible.len(), 6);
    assert_eq!((s.marks.unread, s.list.visible_unread), (6, 6));
    assert!(!s.sources.loading);
    let rows: Vec<String> = s.tree.rows.iter().map(|r| s.row_name(*r)).collect();
    assert_eq!(
        rows,
        [
            "All",
            "Starred",
            "Business",
            "World News",
            "World News / Asia",
            "World News / Europe",
            "Uncategorized"
        ]
    );
}

#[test]
fn selection_moves_and_clamps() {
    let mut s = state();
    let table: &[(Action, &str)] = &[
        (Action::Down, "Title b"),
        (Action::Down, "Title c"),
        (Action::Up, "Title b"),
        (Action::Bottom, "Title long"),
        (Action::Down, "Title long"),
        (Action::Top, "Title a"),
        (Action::Up, "Title a"),
        (Action::PageDown, "Title long"),
        (Action::PageUp, "Title a"),
    ];
    for (action, want) in table {
        update(&mut s, action.clone());
        assert_eq!(selected_title(&s), *want, "after {action:?}");
    }
}

#[test]
fn focus_cycles_with_tab_and_shift_tab() {
    let mut s = state();
    let order = [Focus::Reader, Focus::Tree, Focus::Headlines, Focus::Reader];
    for want in order {
        update(&mut s, Action::FocusNext);
        assert_eq!(s.focus, want);
    }
    update(&mut s, Action::FocusPrev);
    assert_eq!(s.focus, Focus::Headlines);
    update(&mut s, Action::JumpToTree);
    assert_eq!(s.focus, Focus::Tree);
    assert_eq!(s.tree.rows[s.tree.selected], TreeRow::All);
}

#[test]
fn choosing_a_category_filters_and_keeps_the_selection() {
    let mut s = state();
    apply(&mut s, &[Action::Down, Action::Down, Action::Down]); // d (Europe)
    assert_eq!(selected_title(&s), "Title d");
    choose_category(&mut s, "World News / Europe");
    assert_eq!(s.focus, Focus::Headlines);
    assert_eq!(titles(&s), ["Title a", "Title d", "Title long"]);
    assert_eq!(selected_title(&s), "Title d", "still shown, still selected");
    assert_eq!(s.filter_name(), "World News / Europe");
    // A parent shows its children's articles.
    choose_category(&mut s, "World News");
    assert_eq!(titles(&s), ["Title a", "Title b", "Title d", "Title long"]);
    assert_eq!(selected_title(&s), "Title d");
    // Not shown any more: the first article is selected.
    choose_category(&mut s, "Business");
    assert_eq!(titles(&s), ["Title c", "Title long"]);
    assert_eq!(selected_title(&s), "Title c");
    choose_category(&mut s, "Uncategorized");
    assert_eq!(titles(&s), ["Title e"]);
    choose_category(&mut s, "All");
    assert_eq!(s.list.visible.len(), 6);
}

#[test]
fn opening_marks_read_and_lays_out_for_the_pane() {
    let mut s = state();
    update(&mut s, Action::Choose);
    assert_eq!(s.focus, Focus::Reader);
    let r = s.reader.open.as_ref().unwrap();
    assert_eq!(r.article, s.selected_article().unwrap());
    assert_eq!(r.lines[0].text, "Title a");
    let text_width = usize::from(s.geometry().reader_text().unwrap().width);
    assert_eq!(r.width, text_width);
    assert!(
        r.lines
            .iter()
            .all(|l| crate::core::text::width(&l.text) <= text_width)
    );
    assert!(s.marks.read[r.article]);
    assert_eq!((s.marks.unread, s.list.visible_unread), (5, 5));
    // Opening it again does not count twice.
    apply(&mut s, &[Action::Back, Action::Choose]);
    assert_eq!(s.marks.unread, 5);
}

#[test]
fn reader_scrolls_and_clamps() {
    let mut s = state();
    apply(&mut s, &[Action::Bottom, Action::Choose]);
    let max = s.reader_max_scroll();
    assert!(max > 50, "the long article overflows the pane: {max}");
    let page = s.reader_height() - 2;
    let scroll = |s: &State| s.reader.open.as_ref().unwrap().scroll;
    let table: &[(Action, usize)] = &[
        (Action::Down, 1),
        (Action::Down, 2),
        (Action::Up, 1),
        (Action::PageDown, 1 + page),
        (Action::PageUp, 1),
        (Action::Up, 0),
        (Action::Up, 0),
        (Action::Bottom, max),
        (Action::Down, max),
        (Action::Top, 0),
    ];
    for (action, want) in table {
        update(&mut s, action.clone());
        assert_eq!(scroll(&s), *want, "after {action:?}");
    }
}

#[test]
fn resize_keeps_the_reading_position() {
    let mut s = state();
    apply(&mut s, &[Action::Bottom, Action::Choose]);
    let top = |s: &State| {
        let r = s.reader.open.as_ref().unwrap();
        r.lines[r.scroll].clone()
    };
    // Go to the first line of a heading, then resize narrower and wider.
    let r = s.reader.open.as_ref().unwrap();
    let heading = r
        .lines
        .iter()
        .position(|l| l.kind == crate::core::layout::LineKind::Heading && l.text == "Heading 24")
        .unwrap();
    s.reader.open.as_mut().unwrap().scroll = heading;
    for (w, h) in [(100, 40), (200, 60), (160, 48)] {
        update(
            &mut s,
            Action::Resize {
                width: w,
                height: h,
            },
        );
        assert_eq!(top(&s).text, "Heading 24", "at {w}x{h}");
    }
    // Mid-paragraph: the same element stays on top.
    s.reader.open.as_mut().unwrap().scroll = heading + 3;
    let element = top(&s).element;
    update(
        &mut s,
        Action::Resize {
            width: 90,
            height: 30,
        },
    );
    assert_eq!(top(&s).element, element);
}

#[test]
fn resize_keeps_the_selection_in_view() {
    let mut s = state_with(160, 48, None);
    update(&mut s, Action::Bottom);
    update(
        &mut s,
        Action::Resize {
            width: 100,
            height: 12,
        },
    );
    let h = s.list_height();
    assert!(h > 0 && h < 6, "list height {h}");
    assert!(s.list.selected >= s.list.offset && s.list.selected < s.list.offset + h);
    update(&mut s, Action::Top);
    assert_eq!(s.list.offset, 0);
}

#[test]
fn tiny_and_zero_sizes_do_not_panic() {
    let mut s = state();
    apply(&mut s, &[Action::Choose]);
    for (w, h) in [(1, 1), (0, 0), (39, 9), (40, 10), (79, 24), (2, 200)] {
        update(
            &mut s,
            Action::Resize {
                width: w,
                height: h,
            },
        );
        apply(
            &mut s,
            &[
                Action::Down,
                Action::PageDown,
                Action::Bottom,
                Action::Up,
                Action::FocusNext,
            ],
        );
        update(&mut s, Action::Click { column: 0, row: 0 });
    }
}

#[test]
fn next_and_previous_article_while_reading() {
    let mut s = state();
    update(&mut s, Action::Choose);
    update(&mut s, Action::NextArticle);
    assert_eq!(selected_title(&s), "Title b");
    assert_eq!(s.reader.open.as_ref().unwrap().lines[0].text, "Title b");
    assert_eq!(s.marks.unread, 4);
    update(&mut s, Action::PrevArticle);
    assert_eq!(s.reader.open.as_ref().unwrap().lines[0].text, "Title a");
    update(&mut s, Action::PrevArticle);
    assert_eq!(selected_title(&s), "Title a", "clamped at the top");
    assert_eq!(s.marks.unread, 4);
}

#[test]
fn back_goes_a_pane_back_then_folds_the_tree() {
    let mut s = state();
    update(&mut s, Action::Choose);
    update(&mut s, Action::Back);
    assert_eq!(s.focus, Focus::Headlines);
    assert!(s.reader.open.is_some(), "the article stays in the pane");
    update(&mut s, Action::Back);
    assert_eq!(s.focus, Focus::Tree);
    s.tree.selected = row_of(&s, "World News / Europe");
    update(&mut s, Action::Back); // a leaf: go to the parent
    assert_eq!(s.row_name(s.tree.rows[s.tree.selected]), "World News");
    update(&mut s, Action::Back); // fold
    let rows: Vec<String> = s.tree.rows.iter().map(|r| s.row_name(*r)).collect();
    assert_eq!(
        rows,
        ["All", "Starred", "Business", "World News", "Uncategorized"]
    );
    update(&mut s, Action::ToggleCollapse); // unfold
    assert_eq!(s.tree.rows.len(), 7);
    assert_eq!(s.row_name(s.tree.rows[s.tree.selected]), "World News");
}

#[test]
fn clicks_select_categories_and_headlines() {
    let mut s = state();
    let g = s.geometry();
    let tree = g.tree.unwrap().inner();
    let europe = row_of(&s, "World News / Europe") as u16;
    update(
        &mut s,
        Action::Click {
            column: tree.x + 2,
            row: tree.y + europe,
        },
    );
    assert_eq!(s.filter_name(), "World News / Europe");
    assert_eq!(s.focus, Focus::Tree);
    let list = s.geometry().headlines.unwrap().inner();
    update(
        &mut s,
        Action::Click {
            column: list.x + 3,
            row: list.y + 1,
        },
    );
    assert_eq!(s.focus, Focus::Headlines);
    assert_eq!(selected_title(&s), "Title d");
    assert!(s.reader.open.is_none());
    // A click on the selected headline opens it.
    update(
        &mut s,
        Action::Click {
            column: list.x + 3,
            row: list.y + 1,
        },
    );
    assert_eq!(s.reader.open.as_ref().unwrap().lines[0].text, "Title d");
    // Clicks on borders or below the rows do nothing harmful.
    update(
        &mut s,
        Action::Click {
            column: list.x + 3,
            row: list.y + 30,
        },
    );
    assert_eq!(selected_title(&s), "Title d");
}

#[test]
fn wheel_scrolls_the_pane_under_the_pointer() {
    let mut s = state();
    apply(&mut s, &[Action::Bottom, Action::Choose, Action::Back]);
    assert_eq!(s.focus, Focus::Headlines);
    let reader = s.geometry().reader.unwrap();
    update(
        &mut s,
        Action::ScrollDown {
            column: reader.x + 5,
            row: reader.y + 5,
        },
    );
    assert_eq!(s.reader.open.as_ref().unwrap().scroll, 3);
    assert_eq!(
        s.focus,
        Focus::Headlines,
        "the wheel does not move the focus"
    );
    let list = s.geometry().headlines.unwrap();
    update(
        &mut s,
        Action::ScrollUp {
            column: list.x + 5,
            row: list.y + 2,
        },
    );
    assert_eq!(
        selected_title(&s),
        "Title c",
        "three up from the last headline"
    );
}

#[test]
fn help_swallows_keys_until_closed() {
    let mut s = state();
    update(&mut s, Action::ToggleHelp);
    assert_eq!(s.overlay, Overlay::Help);
    update(&mut s, Action::Down);
    assert_eq!(selected_title(&s), "Title a");
    update(&mut s, Action::Back);
    assert_eq!(s.overlay, Overlay::None);
    update(&mut s, Action::ToggleHelp);
    update(&mut s, Action::CloseHelp);
    assert_eq!(s.overlay, Overlay::None);
    assert_eq!(update(&mut s, Action::Quit), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn initial_category_uses_list_matching() {
    let s = state_with(160, 48, Some("world news/europe"));
    assert_eq!(s.filter_name(), "World News / Europe");
    assert_eq!(
        s.row_name(s.tree.rows[s.tree.selected]),
        "World News / Europe"
    );
    assert_eq!(titles(&s), ["Title a", "Title d", "Title long"]);
    let s = state_with(160, 48, Some("world"));
    assert_eq!(s.filter_name(), "World News");
    // Several subtrees match: a query filter over all of them.
    let mut arts = corpus();
    arts.push(art("sci", 20, "Science / Europe", 1));
    let mut s = State::new(clock(), Some("europe".into()));
    update(
        &mut s,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    update(
        &mut s,
        Action::Loaded {
            articles: arts,
            warnings: vec![],
        },
    );
    update(&mut s, Action::LoadingDone);
    assert_eq!(s.filter_name(), "europe");
    assert_eq!(
        titles(&s),
        ["Title a", "Title d", "Title long", "Title sci"]
    );
    let s = state_with(160, 48, Some("nowhere"));
    assert_eq!(s.filter_name(), "All");
    assert!(
        s.warnings()
            .last()
            .unwrap()
            .contains("no category matches 'nowhere'")
    );
}

#[test]
fn later_loads_keep_selection_read_marks_and_filter() {
    let mut s = state();
    choose_category(&mut s, "World News / Europe");
    apply(&mut s, &[Action::Down, Action::Choose]); // open d
    assert_eq!(s.marks.unread, 5);
    let newer = vec![
        art("z", 28, "World News / Europe", 2),
        art("y", 21, "Science", 1),
    ];
    update(
        &mut s,
        Action::Loaded {
            articles: newer,
            warnings: vec!["x.txt: empty file; skipped".into()],
        },
    );
    assert_eq!(s.lib.len(), 8);
    assert_eq!(s.filter_name(), "World News / Europe");
    assert_eq!(titles(&s), ["Title z", "Title a", "Title d", "Title long"]);
    assert_eq!(selected_title(&s), "Title d");
    assert_eq!(
        &*s.lib.articles()[s.reader.open.as_ref().unwrap().article].title,
        "Title d"
    );
    assert_eq!(s.marks.unread, 7);
    assert_eq!(s.list.visible_unread, 3);
    assert_eq!(s.warnings(), ["x.txt: empty file; skipped"]);
    assert!(s.tree.rows.iter().any(|r| s.row_name(*r) == "Science"));
}

#[test]
fn links_open_only_safe_schemes() {
    let mut s = state();
    update(&mut s, Action::Choose);
    // No link on the article: a warning, no effect.
    assert_eq!(update(&mut s, Action::OpenLink), vec![]);
    assert_eq!(
        s.warnings().last().unwrap(),
        "this article has no link to open"
    );
    let i = s.reader.open.as_ref().unwrap().article;
    let a = &mut s.lib.articles().to_vec()[i];
    a.link = Some("https://example.com/story".into());
    a.blocks_mut().push(Block::new(BlockKind::Heading, "Links"));
    a.blocks_mut().push(Block::new(
        BlockKind::ListItem,
        "[1] https://example.com/one",
    ));
    a.blocks_mut()
        .push(Block::new(BlockKind::ListItem, "[2] javascript:alert(1)"));
    a.blocks_mut().push(Block::new(
        BlockKind::ListItem,
        "[3] mailto:desk@example.com",
    ));
    let mut arts = s.lib.articles().to_vec();
    arts[i] = a.clone();
    s.lib = crate::core::library::Library::new(arts);
    assert_eq!(
        update(&mut s, Action::OpenLink),
        vec![Effect::OpenUrl("https://example.com/story".into())]
    );
    update(&mut s, Action::ShowLinks);
    let Overlay::Links {
        links,
        selected: sel,
    } = s.overlay.clone()
    else {
        panic!("no links overlay: {:?}", s.overlay);
    };
    let labels: Vec<&str> = links.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        labels,
        ["page", "[1]", "[3]"],
        "javascript: is never offered"
    );
    assert_eq!(sel, 0);
    // The overlay takes the keys: moving does not touch the headlines.
    let selected = s.list.selected;
    apply(&mut s, &[Action::Down, Action::Down, Action::Down]);
    assert!(matches!(s.overlay, Overlay::Links { selected: 2, .. }));
    assert_eq!(s.list.selected, selected);
    assert_eq!(
        update(&mut s, Action::Choose),
        vec![Effect::OpenUrl("mailto:desk@example.com".into())]
    );
    assert_eq!(s.overlay, Overlay::None);
    update(&mut s, Action::ShowLinks);
    update(&mut s, Action::Back);
    assert_eq!(s.overlay, Overlay::None);
    assert!(!openable("file:///etc/passwd"));
    assert!(!openable("javascript:x"));
    assert!(openable("HTTPS://EXAMPLE.COM"));
}

#[test]
fn sources_progress_and_refresh() {
    let mut s = state();
    let st = |label: &str, state: SourceState| Action::Source {
        label: label.into(),
        state,
    };
    update(
        &mut s,
        st(
            "/news",
            SourceState::Loaded {
                articles: 6,
                cached: false,
            },
        ),
    );
    update(&mut s, st("https://x.example/feed", SourceState::Loading));
    update(&mut s, st("https://y.example/feed", SourceState::Queued));
    assert_eq!(s.progress(), Some((1, 3)));
    update(
        &mut s,
        st(
            "https://y.example/feed",
            SourceState::Failed("HTTP 500".into()),
        ),
    );
    update(
        &mut s,
        st(
            "https://x.example/feed",
            SourceState::Loaded {
                articles: 2,
                cached: true,
            },
        ),
    );
    assert_eq!(s.progress(), None);
    assert_eq!(
        s.sources.statuses.len(),
        3,
        "updated by label, not added twice"
    );
    // A sync server's waiting marks change between its syncs; another source has none.
    let synced = |pending| SourceState::Synced {
        articles: 4,
        at: "10:00".into(),
        pending,
    };
    update(&mut s, st("https://rss.example/api", synced(0)));
    let waiting = |label: &str, pending| Action::MarksWaiting {
        label: label.into(),
        pending,
    };
    update(&mut s, waiting("https://rss.example/api", 3));
    update(&mut s, waiting("/news", 3));
    let state_of = |s: &State, label: &str| {
        (s.sources.statuses.iter())
            .find(|x| x.label == label)
            .map(|x| x.state.clone())
    };
    assert_eq!(state_of(&s, "https://rss.example/api"), Some(synced(3)));
    assert_eq!(
        state_of(&s, "/news"),
        Some(SourceState::Loaded {
            articles: 6,
            cached: false
        })
    );
    update(&mut s, waiting("https://rss.example/api", 0));
    assert_eq!(state_of(&s, "https://rss.example/api"), Some(synced(0)));
    s.sources
        .statuses
        .retain(|x| x.label != "https://rss.example/api");
    // R reloads everything that is not already loading.
    let fx = update(&mut s, Action::RefreshAll);
    assert_eq!(
        fx,
        vec![Effect::Reload(vec![
            "/news".into(),
            "https://x.example/feed".into(),
            "https://y.example/feed".into()
        ])]
    );
    assert_eq!(s.progress(), Some((0, 3)));
    assert_eq!(
        update(&mut s, Action::RefreshAll),
        vec![],
        "already loading"
    );
    // r reloads the source of the selected article (its origin lies under the folder).
    update(
        &mut s,
        st(
            "/news",
            SourceState::Loaded {
                articles: 6,
                cached: false,
            },
        ),
    );
    let i = s.selected_article().unwrap();
    let mut arts = s.lib.articles().to_vec();
    arts[i].origin = "/news/world/a.txt".into();
    s.lib = crate::core::library::Library::new(arts);
    assert_eq!(s.source_of(i), Some("/news"));
    assert_eq!(
        update(&mut s, Action::Refresh),
        vec![Effect::Reload(vec!["/news".into()])]
    );
}

#[test]
fn read_and_star_marks_count_everywhere() {
    let mut s = state();
    let saves = |fx: Vec<Effect>| -> Vec<Mark> {
        fx.into_iter()
            .flat_map(|e| match e {
                Effect::SaveMarks(m) => m,
                _ => vec![],
            })
            .collect()
    };
    let europe = row_of(&s, "World News / Europe");
    let world = row_of(&s, "World News");
    let count = |s: &State, row: usize| {
        (
            s.row_unread(s.tree.rows[row]),
            s.row_count(s.tree.rows[row]),
        )
    };
    assert_eq!(count(&s, europe), (3, 3));
    // m on the selected article (a, Europe): read, counted down everywhere, saved.
    let fx = update(&mut s, Action::ToggleRead);
    let a_id = s.lib.articles()[s.selected_article().unwrap()].id.clone();
    let mark = |read, starred| Mark {
        id: a_id.clone(),
        read,
        starred,
    };
    assert_eq!(saves(fx), vec![mark(true, false)]);
    assert_eq!((s.marks.unread, s.list.visible_unread), (5, 5));
    assert_eq!(count(&s, europe), (2, 3));
    assert_eq!(count(&s, world), (3, 4));
    update(&mut s, Action::ToggleRead);
    assert_eq!(count(&s, europe), (3, 3));
    // s stars; the Starred row lists it.
    let fx = update(&mut s, Action::ToggleStar);
    assert_eq!(saves(fx), vec![mark(false, true)]);
    choose_category(&mut s, "Starred");
    assert_eq!(titles(&s), ["Title a"]);
    assert_eq!(s.marks.starred_count, (1, 1));
    // A marks everything shown read; U undoes it.
    choose_category(&mut s, "World News / Europe");
    let fx = update(&mut s, Action::MarkAllRead);
    assert_eq!(saves(fx).len(), 3);
    assert_eq!(count(&s, europe), (0, 3));
    assert_eq!(s.marks.unread, 3);
    update(&mut s, Action::UndoMarkAll);
    assert_eq!(count(&s, europe), (3, 3));
    assert_eq!(s.marks.unread, 6);
    // Marks from the store apply to articles that arrive later too.
    let mut fresh = State::new(clock(), None);
    update(
        &mut fresh,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    update(&mut fresh, Action::Marks(vec![mark(true, true)]));
    update(
        &mut fresh,
        Action::Loaded {
            articles: corpus(),
            warnings: vec![],
        },
    );
    assert_eq!(fresh.marks.unread, 5);
    assert_eq!(fresh.marks.starred_count, (1, 0));
    // A server's state after a sync leaves alone what was marked here since the last one.
    let b_id = fresh
        .lib
        .articles()
        .iter()
        .find(|x| x.id != a_id)
        .unwrap()
        .id
        .clone();
    let server = |id: &ArticleId, read| Mark {
        id: id.clone(),
        read,
        starred: false,
    };
    let i = fresh
        .lib
        .articles()
        .iter()
        .position(|x| x.id == a_id)
        .unwrap();
    fresh.set_read(i, false);
    let fx = update(
        &mut fresh,
        Action::ServerMarks(vec![server(&a_id, true), server(&b_id, true)]),
    );
    assert_eq!(
        saves(fx),
        vec![mark(false, true)],
        "the mark made here, to save"
    );
    assert_eq!(fresh.marks.by_id[&a_id], (false, true), "marked here: kept");
    assert_eq!(
        fresh.marks.by_id[&b_id],
        (true, false),
        "the server's state"
    );
    assert_eq!(fresh.marks.unread, 5);
    // The next sync's state applies to it again.
    update(&mut fresh, Action::ServerMarks(vec![server(&a_id, true)]));
    assert_eq!(fresh.marks.by_id[&a_id], (true, false));
}

/// Marks made here are remembered for the next server state with repeats, and the repeats
/// are dropped before they grow past the marks themselves.
#[test]
fn marking_again_and_again_keeps_what_it_remembers_bounded() {
    let mut s = state();
    for _ in 0..3_001 {
        update(&mut s, Action::ToggleRead);
    }
    assert!(
        s.marks.touched.len() <= 2 * s.marks.by_id.len() + 1025,
        "{} remembered for {} marks",
        s.marks.touched.len(),
        s.marks.by_id.len()
    );
    let i = s.selected_article().unwrap();
    let id = s.lib.articles()[i].id.clone();
    let read = s.marks.read[i];
    let server = Mark {
        id: id.clone(),
        read: !read,
        starred: false,
    };
    update(&mut s, Action::ServerMarks(vec![server]));
    assert_eq!(
        s.marks.by_id[&id].0, read,
        "marked here: the server's state waits"
    );
    assert!(s.marks.touched.is_empty());
}

#[test]
fn unread_only_keeps_the_current_article() {
    let mut s = state();
    update(&mut s, Action::Choose); // opens a: read
    update(&mut s, Action::Back);
    update(&mut s, Action::ToggleUnreadOnly);
    assert!(s.list.unread_only);
    assert_eq!(titles(&s).len(), 6, "a is read but selected: it stays");
    update(&mut s, Action::Down);
    choose_category(&mut s, "All");
    assert!(
        !titles(&s).contains(&"Title a".to_string()),
        "once you move on, read ones go"
    );
    assert_eq!(titles(&s).len(), 5);
    update(&mut s, Action::ToggleUnreadOnly);
    assert_eq!(titles(&s).len(), 6);
}

#[test]
fn search_filters_as_you_type_within_the_category() {
    let mut s = state();
    let key = |s: &mut State, k: SearchKey| update(s, Action::SearchInput(k));
    update(&mut s, Action::StartSearch);
    // An opening quote: the words as one phrase (unclosed: to the end).
    for c in "\"PARAGRAPH 1 OF".chars() {
        key(&mut s, SearchKey::Char(c));
    }
    assert_eq!(s.search.query, "\"PARAGRAPH 1 OF");
    assert_eq!(titles(&s).len(), 6, "every body has 'Paragraph 1 of'");
    for c in " D".chars() {
        key(&mut s, SearchKey::Char(c));
    }
    assert_eq!(titles(&s), ["Title d"]);
    key(&mut s, SearchKey::Backspace);
    key(&mut s, SearchKey::Char('l'));
    assert_eq!(
        titles(&s),
        ["Title long"],
        "a shorter query searches everything again"
    );
    key(&mut s, SearchKey::Accept);
    assert!(s.search.input.is_none());
    assert_eq!(s.search.query, "\"PARAGRAPH 1 OF l");
    // Within the current category, and accents don't matter.
    update(&mut s, Action::StartSearch);
    key(&mut s, SearchKey::Cancel);
    assert_eq!(s.search.query, "");
    choose_category(&mut s, "World News / Europe");
    update(&mut s, Action::StartSearch);
    for c in "tïtlé".chars() {
        key(&mut s, SearchKey::Char(c));
    }
    assert_eq!(titles(&s), ["Title a", "Title d", "Title long"]);
    // Editing keys.
    key(&mut s, SearchKey::Home);
    key(&mut s, SearchKey::Delete);
    key(&mut s, SearchKey::End);
    key(&mut s, SearchKey::Left);
    key(&mut s, SearchKey::Char('x'));
    assert_eq!(s.search.input.as_ref().unwrap().text, "ïtlxé");
}

#[test]
fn n_and_shift_n_jump_between_matches() {
    let mut s = state();
    apply(&mut s, &[Action::Bottom, Action::Choose]);
    update(&mut s, Action::StartSearch);
    for c in "heading".chars() {
        update(&mut s, Action::SearchInput(SearchKey::Char(c)));
    }
    update(&mut s, Action::SearchInput(SearchKey::Accept));
    let line = |s: &State| {
        let r = s.reader.open.as_ref().unwrap();
        r.lines[r.scroll].text.clone()
    };
    update(&mut s, Action::NextMatch);
    assert_eq!(line(&s), "Heading 4");
    update(&mut s, Action::NextMatch);
    assert_eq!(line(&s), "Heading 9");
    update(&mut s, Action::PrevMatch);
    assert_eq!(line(&s), "Heading 4");
}

/// Bodies on disk, full stories and reloads under the open article.
#[path = "body_tests.rs"]
mod body_tests;
