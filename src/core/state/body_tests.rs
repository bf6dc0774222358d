//! State tests: bodies read from disk, full stories, and reloads under the open article.

use super::*;

/// A 160x48 state holding `articles`.
fn state_from(articles: Vec<Article>) -> State {
    state_of(160, 48, None, articles)
}

/// Leaves the article's body on disk, in `/feeds/<title>.xml`.
fn put_on_disk(a: &mut Article) {
    let path = format!("/feeds/{}.xml", a.title).into();
    a.unload(Arc::new(BodyRef::File {
        path,
        key: "k".into(),
    }));
}

/// The corpus with the bodies of `a` and `long` on disk (see `Article::unload`).
fn state_with_bodies_on_disk() -> (State, Vec<Article>) {
    let full = corpus();
    let mut articles = full.clone();
    for a in &mut articles {
        if &*a.title == "Title a" || &*a.title == "Title long" {
            put_on_disk(a);
        }
    }
    let s = state_from(articles);
    (s, full)
}

fn body_of(full: &[Article], title: &str) -> (Vec<Block>, u32) {
    let a = full.iter().find(|a| &*a.title == title).unwrap();
    (a.blocks().to_vec(), a.words)
}

#[test]
fn opening_an_article_on_disk_asks_for_its_body_once_and_shows_it_when_it_comes() {
    let (mut s, full) = state_with_bodies_on_disk();
    assert_eq!(selected_title(&s), "Title a");
    let effects = update(&mut s, Action::Choose);
    let id = s.lib.articles()[s.selected_article().unwrap()].id.clone();
    let want = Effect::LoadBody {
        id: id.clone(),
        at: BodyRef::File {
            path: "/feeds/Title a.xml".into(),
            key: "k".into(),
        },
    };
    assert!(effects.contains(&want), "{effects:?}");
    assert!(reader_text(&s).iter().any(|l| l == "Loading the story…"));
    // Opening it again while the body is on its way does not ask twice.
    update(&mut s, Action::Back);
    let again = update(&mut s, Action::Choose);
    assert!(
        !again.iter().any(|e| matches!(e, Effect::LoadBody { .. })),
        "{again:?}"
    );
    update(
        &mut s,
        Action::BodyLoaded {
            id,
            body: Ok(body_of(&full, "Title a")),
        },
    );
    let text = reader_text(&s);
    assert!(!text.iter().any(|l| l == "Loading the story…"));
    assert!(
        text.iter().any(|l| l.starts_with("Paragraph 0 of a.")),
        "{text:?}"
    );
    // Loaded once: opening it later asks for nothing.
    update(&mut s, Action::Back);
    assert!(
        !update(&mut s, Action::Choose)
            .iter()
            .any(|e| matches!(e, Effect::LoadBody { .. }))
    );
}

#[test]
fn a_body_that_cannot_be_read_says_why_in_the_reader_and_the_status() {
    let (mut s, _) = state_with_bodies_on_disk();
    update(&mut s, Action::Choose);
    let id = s.lib.articles()[s.selected_article().unwrap()].id.clone();
    update(
        &mut s,
        Action::BodyLoaded {
            id,
            body: Err("/feeds/a.xml: cannot read: gone".into()),
        },
    );
    assert_eq!(
        s.warnings().last().unwrap(),
        "/feeds/a.xml: cannot read: gone"
    );
    // Wrapped to the pane (which may break after the `/`).
    let text = reader_text(&s).concat().replace(' ', "");
    assert!(
        text.contains("couldnotberead:/feeds/a.xml:cannotread:gone"),
        "{text}"
    );
}

#[test]
fn searching_asks_the_index_for_bodies_and_shows_its_hits_for_the_current_query_only() {
    let (mut s, full) = state_with_bodies_on_disk();
    update(&mut s, Action::StartSearch);
    let mut asked = Vec::new();
    for c in "paragraph 3 of long".chars() {
        let effects = update(&mut s, Action::SearchInput(SearchKey::Char(c)));
        asked.extend(effects.into_iter().filter_map(|e| match e {
            Effect::Search { query, expression } => Some((query, expression)),
            _ => None,
        }));
    }
    // Every keystroke asks (the worker skips all but the latest); the last word is a prefix.
    assert_eq!(asked.len(), "paragraph 3 of long".len());
    assert_eq!(
        asked.last().unwrap(),
        &(
            "paragraph 3 of long".to_string(),
            "\"paragraph\" AND \"3\" AND \"of\" AND \"long\"*".to_string()
        )
    );
    assert!(titles(&s).is_empty(), "long's body is on disk: no hit yet");
    let long = full.iter().find(|a| &*a.title == "Title long").unwrap();
    // Hits of an older query are dropped.
    update(
        &mut s,
        Action::SearchHits {
            query: "paragraph 3".into(),
            ids: vec![long.id.clone()],
        },
    );
    assert!(titles(&s).is_empty());
    update(
        &mut s,
        Action::SearchHits {
            query: "paragraph 3 of long".into(),
            ids: vec![long.id.clone()],
        },
    );
    assert_eq!(titles(&s), ["Title long"]);
    // A later load keeps the hits; typing on narrows by them until new hits come.
    update(
        &mut s,
        Action::Loaded {
            articles: vec![art("z", 1, "", 1)],
            warnings: vec![],
        },
    );
    assert_eq!(titles(&s), ["Title long"]);
    let e = update(&mut s, Action::SearchInput(SearchKey::Char('e')));
    assert!(e.iter().any(|e| matches!(e, Effect::Search { .. })));
    assert_eq!(
        titles(&s),
        ["Title long"],
        "the shorter query's hits stand in"
    );
    update(
        &mut s,
        Action::SearchHits {
            query: "paragraph 3 of longe".into(),
            ids: vec![],
        },
    );
    assert!(titles(&s).is_empty());
    // Backspace: not narrowing, the old hits go; titles still match at once.
    update(&mut s, Action::SearchInput(SearchKey::Backspace));
    assert!(titles(&s).is_empty());
}

#[test]
fn the_index_growing_asks_again_for_a_search_under_way() {
    let (mut s, _) = state_with_bodies_on_disk();
    let e = update(
        &mut s,
        Action::IndexProgress {
            indexed: 2048,
            total: 10_000,
        },
    );
    assert!(e.is_empty(), "no search: nothing to ask");
    assert!(s.index_progress().building());
    update(&mut s, Action::StartSearch);
    update(&mut s, Action::SearchInput(SearchKey::Char('x')));
    assert_eq!(
        s.index_progress(),
        IndexProgress {
            indexed: 2048,
            total: 10_000
        }
    );
    let e = update(
        &mut s,
        Action::IndexProgress {
            indexed: 10_000,
            total: 10_000,
        },
    );
    assert_eq!(
        e,
        [Effect::Search {
            query: "x".into(),
            expression: "\"x\"".into()
        }]
    );
    assert!(!s.index_progress().building());
}

fn full_text(words: &str) -> FullText {
    FullText {
        note: "Full story from example.com/a, fetched 2026-11-27 16:20 UTC".into(),
        blocks: vec![
            Block::new(BlockKind::Heading, "The whole story"),
            Block::new(BlockKind::Paragraph, words),
        ],
        words: 3,
    }
}

/// The corpus with a link on `a`, `a` open in the reader.
fn reading_a_with_link() -> (State, ArticleId) {
    let mut articles = corpus();
    articles[0].link = Some("https://example.com/a".into());
    let mut s = state_from(articles);
    update(&mut s, Action::Choose);
    let id = s.reader_article().unwrap().id.clone();
    (s, id)
}

#[test]
fn f_fetches_the_full_story_shows_it_with_its_note_and_toggles_back() {
    let (mut s, id) = reading_a_with_link();
    let summary = reader_text(&s);
    let effects = update(&mut s, Action::ToggleFull);
    assert_eq!(
        effects,
        vec![Effect::FetchFull {
            id: id.clone(),
            link: "https://example.com/a".into()
        }]
    );
    assert!(s.full.fetching.contains(&id));
    assert!(
        update(&mut s, Action::ToggleFull).is_empty(),
        "not asked twice"
    );
    update(
        &mut s,
        Action::FullLoaded {
            id: id.clone(),
            story: Ok(full_text("Every word of it.")),
            auto: false,
        },
    );
    let text = reader_text(&s);
    let note = text
        .iter()
        .position(|l| l.starts_with("Full story from example.com/a"));
    let heading = text.iter().position(|l| l == "The whole story");
    assert!(note.is_some() && heading > note, "{text:?}");
    assert!(text.iter().any(|l| l == "Every word of it."));
    assert!(
        !text.iter().any(|l| l.starts_with("Paragraph 0 of a")),
        "{text:?}"
    );
    assert!(s.full.shown.contains(&id));
    // f: the summary again, without fetching; f: the story again.
    assert!(update(&mut s, Action::ToggleFull).is_empty());
    assert_eq!(reader_text(&s), summary);
    assert!(!s.full.shown.contains(&id));
    assert!(update(&mut s, Action::ToggleFull).is_empty());
    assert!(reader_text(&s).iter().any(|l| l == "Every word of it."));
    // A reload of the source keeps the full story on display.
    update(
        &mut s,
        Action::Loaded {
            articles: corpus(),
            warnings: vec![],
        },
    );
    assert!(reader_text(&s).iter().any(|l| l == "Every word of it."));
    update(&mut s, Action::ToggleFull);
    assert!(
        reader_text(&s)
            .iter()
            .any(|l| l.starts_with("Paragraph 0 of a"))
    );
}

#[test]
fn a_failed_full_story_says_why_and_the_summary_stays() {
    let (mut s, id) = reading_a_with_link();
    let summary = reader_text(&s);
    update(&mut s, Action::ToggleFull);
    update(
        &mut s,
        Action::FullLoaded {
            id: id.clone(),
            story: Err("full story: https://example.com/a: HTTP 404 Not Found".into()),
            auto: false,
        },
    );
    assert_eq!(
        s.warnings().last().unwrap(),
        "full story: https://example.com/a: HTTP 404 Not Found"
    );
    assert_eq!(reader_text(&s), summary);
    assert!(!s.full.fetching.contains(&id));
    // It can be asked for again.
    assert_eq!(update(&mut s, Action::ToggleFull).len(), 1);
}

#[test]
fn f_without_a_web_link_says_so_and_fetches_nothing() {
    let mut s = state();
    update(&mut s, Action::Choose);
    assert!(update(&mut s, Action::ToggleFull).is_empty());
    assert!(s.warnings().last().unwrap().contains("no web page link"));
    let mut articles = corpus();
    articles[0].link = Some("javascript:alert(1)".into());
    update(
        &mut s,
        Action::Loaded {
            articles,
            warnings: vec![],
        },
    );
    assert!(update(&mut s, Action::ToggleFull).is_empty());
}

#[test]
fn background_full_stories_show_by_default_but_not_under_the_reader() {
    let (mut s, id) = reading_a_with_link();
    let summary = reader_text(&s);
    // Fetched for a full_text source while `a` is being read: the summary stays on screen.
    update(
        &mut s,
        Action::FullLoaded {
            id: id.clone(),
            story: Ok(full_text("Quietly arrived.")),
            auto: true,
        },
    );
    assert_eq!(reader_text(&s), summary);
    assert!(
        update(&mut s, Action::ToggleFull).is_empty(),
        "already here"
    );
    assert!(reader_text(&s).iter().any(|l| l == "Quietly arrived."));
    // A background failure is not shouted about.
    let warnings = s.warnings().len();
    let other = s.lib.articles()[1].id.clone();
    update(
        &mut s,
        Action::FullLoaded {
            id: other.clone(),
            story: Err("HTTP 500".into()),
            auto: true,
        },
    );
    assert_eq!(s.warnings().len(), warnings);
    // One that is not being read shows its full story when opened.
    update(
        &mut s,
        Action::FullLoaded {
            id: other.clone(),
            story: Ok(full_text("Ready when opened.")),
            auto: true,
        },
    );
    assert!(s.full.shown.contains(&other));
}

#[test]
fn a_reload_under_the_open_article_reads_its_body_again_and_keeps_the_screen() {
    let (mut s, full) = state_with_bodies_on_disk();
    update(&mut s, Action::Choose);
    let id = s.reader_article().unwrap().id.clone();
    update(
        &mut s,
        Action::BodyLoaded {
            id: id.clone(),
            body: Ok(body_of(&full, "Title a")),
        },
    );
    let shown = reader_text(&s);
    // The source is loaded again (`r`): the article comes back with its body on disk.
    let mut again = corpus();
    for a in &mut again {
        if &*a.title == "Title a" {
            put_on_disk(a);
        }
    }
    let effects = update(
        &mut s,
        Action::Loaded {
            articles: again,
            warnings: vec![],
        },
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadBody { id: i, .. } if *i == id)),
        "{effects:?}"
    );
    assert_eq!(
        reader_text(&s),
        shown,
        "the screen stays until the body is back"
    );
    update(
        &mut s,
        Action::BodyLoaded {
            id,
            body: Ok(body_of(&full, "Title a")),
        },
    );
    assert_eq!(reader_text(&s), shown);
}

#[test]
fn overlays_are_one_at_a_time_and_warnings_reach_the_status_under_them() {
    let mut s = state();
    // (action, overlay after it): an open overlay takes the keys until it is closed.
    let table: &[(Action, Overlay)] = &[
        (Action::ToggleHelp, Overlay::Help),
        (Action::ToggleSources, Overlay::Help),
        (Action::Back, Overlay::None),
        (Action::ToggleSources, Overlay::Sources),
        (Action::ToggleHelp, Overlay::Sources),
        (Action::Down, Overlay::Sources),
        (Action::CloseHelp, Overlay::None),
        (Action::CloseHelp, Overlay::None),
        (Action::ToggleSources, Overlay::Sources),
        (Action::ToggleSources, Overlay::None),
    ];
    for (action, want) in table {
        update(&mut s, action.clone());
        assert_eq!(&s.overlay, want, "after {action:?}");
    }
    assert_eq!(selected_title(&s), "Title a", "keys went to the overlays");
    // The shell's warnings go through `update` too, overlay or not.
    update(&mut s, Action::ToggleHelp);
    update(&mut s, Action::Warn("cannot save the marks".into()));
    assert_eq!(s.warnings().last().unwrap(), "cannot save the marks");
    assert_eq!(s.overlay, Overlay::Help);
    update(
        &mut s,
        Action::SourceNames([("a".to_string(), "Agency".to_string())].into()),
    );
    assert_eq!(s.source_name("a"), Some("Agency"));
}
