//! The head on the first screen, then the library behind it (issue 15).

use super::super::tests::{art, clock, state_of};
use super::*;
use crate::core::model::BodyRef;
use crate::core::state::{Action, Effect, Mark, update};
use std::sync::Arc;

/// More articles than a head holds, over a few categories, their bodies on disk.
fn library(n: usize) -> Vec<Article> {
    let cats = ["World News / Europe", "World News / Asia", "Business", ""];
    (0..n)
        .map(|i| {
            let mut a = art(&format!("k{i:04}"), 1 + (i % 27) as u32, cats[i % 4], 1);
            a.body = Body::Stored(Arc::new(BodyRef::File {
                path: format!("/news/k{i}.txt").into(),
                key: format!("file:/news/k{i}.txt"),
            }));
            a
        })
        .collect()
}

fn read(key: &str) -> Mark {
    Mark {
        id: ArticleId::from_key(key),
        read: true,
        starred: key.ends_with('0'),
    }
}

/// What the screen shows of a state: the tree rows (name, count, unread), then the list's
/// length and unread count, the library's size and the unread total.
type Counts = (Vec<(String, usize, usize)>, usize, usize, usize, usize);

fn counts(s: &State) -> Counts {
    let rows = (s.tree_rows().iter())
        .map(|&r| (s.row_name(r), s.row_count(r), s.row_unread(r)))
        .collect();
    (
        rows,
        s.shown_count(),
        s.shown_unread(),
        s.library_len(),
        s.unread(),
    )
}

fn ids(s: &State) -> Vec<ArticleId> {
    s.lib().articles().iter().map(|a| a.id.clone()).collect()
}

/// A fresh start (size set, marks loaded), as the shell makes it before any article.
fn fresh(category: Option<&str>, marks: &[Mark]) -> State {
    let mut s = State::new(clock(), category.map(String::from));
    update(
        &mut s,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    update(&mut s, Action::Marks(marks.to_vec()));
    s
}

#[test]
fn the_head_shows_the_whole_librarys_counts_then_the_library_replaces_it() {
    let marks = [read("k0000"), read("k0026"), read("k0053"), read("k0400")];
    let mut full = state_of(160, 48, None, library(420));
    update(&mut full, Action::Marks(marks.to_vec()));
    let head = full.head().expect("a head");
    assert_eq!(head.articles.len(), HEAD_ROWS);
    let whole = counts(&full);

    let mut s = fresh(None, &marks);
    update(&mut s, Action::Head(Box::new(head.clone())));
    assert!(s.previewing());
    assert_eq!(s.lib().len(), HEAD_ROWS);
    // The first screen: the newest headlines in the library's order, every count of the whole
    // library, and the marks on the head's rows.
    assert_eq!(counts(&s), whole);
    assert_eq!(ids(&s)[..HEAD_ROWS], ids(&full)[..HEAD_ROWS]);
    let i = (s.lib().articles().iter())
        .position(|a| a.id == ArticleId::from_key("k0026"))
        .unwrap();
    assert!(s.is_read(i) && !s.is_starred(i));

    // The user moves before the library arrives; articles arriving meanwhile wait.
    apply_downs(&mut s, 70);
    let chosen = s.lib().articles()[s.selected_article().unwrap()].id.clone();
    let offset = s.list_offset();
    assert!(offset > 0);
    let mut all = library(420);
    let second = all.split_off(200);
    update(
        &mut s,
        Action::Loaded {
            articles: all,
            warnings: vec![],
        },
    );
    assert_eq!(s.lib().len(), HEAD_ROWS, "held while the head shows");
    update(
        &mut s,
        Action::Loaded {
            articles: second,
            warnings: vec![],
        },
    );
    update(&mut s, Action::StoredLoaded);
    assert!(!s.previewing());
    // The library, once each, in the same order, the selection and scroll kept.
    assert_eq!(ids(&s), ids(&full));
    assert_eq!(s.lib().articles()[s.selected_article().unwrap()].id, chosen);
    assert_eq!(s.list_offset(), offset);
    assert_eq!(counts(&s), whole);
    update(&mut s, Action::LoadingDone);
    assert_eq!(ids(&s), ids(&full), "nothing twice");
}

fn apply_downs(s: &mut State, n: usize) {
    for _ in 0..n {
        update(s, Action::Down);
    }
}

#[test]
fn a_mark_on_the_head_counts_at_once_and_stays_after_the_load() {
    let mut full = state_of(160, 48, None, library(320));
    let head = full.head().unwrap();
    let mut s = fresh(None, &[]);
    update(&mut s, Action::Head(Box::new(head)));
    let before = s.unread();
    let effects = update(&mut s, Action::ToggleRead);
    assert!(matches!(&effects[..], [Effect::SaveMarks(m)] if m.len() == 1 && m[0].read));
    assert_eq!(s.unread(), before - 1);
    assert_eq!(s.shown_unread(), before - 1);
    update(
        &mut s,
        Action::Loaded {
            articles: library(320),
            warnings: vec![],
        },
    );
    update(&mut s, Action::LoadingDone);
    assert_eq!(s.unread(), before - 1);
    assert!(s.is_read(s.selected_article().unwrap()));
    update(&mut full, Action::ToggleRead);
    assert_eq!(counts(&s), counts(&full));
}

#[test]
fn an_article_gone_since_the_head_was_made_goes_with_the_preview() {
    let full = state_of(160, 48, None, library(320));
    let head = full.head().unwrap();
    let mut s = fresh(None, &[]);
    update(&mut s, Action::Head(Box::new(head)));
    let newest = ids(&s)[0].clone();
    // The newest article's file was deleted: the library comes without it.
    let rest: Vec<Article> = library(320)
        .into_iter()
        .filter(|a| a.id != newest)
        .collect();
    update(
        &mut s,
        Action::Loaded {
            articles: rest,
            warnings: vec![],
        },
    );
    update(&mut s, Action::LoadingDone);
    assert_eq!(s.lib().len(), 319);
    assert!(!ids(&s).contains(&newest));
    assert_eq!(s.selected(), 0);
}

#[test]
fn a_head_for_another_start_view_or_too_late_or_unsound_is_ignored() {
    let full = state_of(160, 48, None, library(320));
    let head = full.head().unwrap();
    // Made for `All`, the reader starts on `--category business`.
    let mut s = fresh(Some("business"), &[]);
    update(&mut s, Action::Head(Box::new(head.clone())));
    assert!(!s.previewing() && s.lib().is_empty());
    // Articles came first.
    let mut s = state_of(160, 48, None, library(3));
    update(&mut s, Action::Head(Box::new(head.clone())));
    assert_eq!(s.lib().len(), 3);
    // Parts that do not fit together.
    let mut bad = head.clone();
    bad.members.pop();
    let mut s = fresh(None, &[]);
    update(&mut s, Action::Head(Box::new(bad)));
    assert!(!s.previewing());
    let mut bad = head;
    bad.tree.roots.push(0);
    update(&mut s, Action::Head(Box::new(bad)));
    assert!(!s.previewing());
}

#[test]
fn a_head_for_the_start_category_shows_that_category() {
    let full = state_of(160, 48, Some("business"), library(1300));
    assert_eq!(full.filter_name(), "Business");
    let head = full.head().unwrap();
    assert_eq!(head.start.as_deref(), Some("business"));
    assert!(
        head.articles
            .iter()
            .all(|a| a.categories[0].levels()[0] == "Business")
    );
    let mut s = fresh(Some("business"), &[]);
    update(&mut s, Action::Head(Box::new(head)));
    assert!(s.previewing());
    assert_eq!(s.filter_name(), "Business");
    assert_eq!(counts(&s), counts(&full));
    update(
        &mut s,
        Action::Loaded {
            articles: library(1300),
            warnings: vec![],
        },
    );
    update(&mut s, Action::LoadingDone);
    assert_eq!(s.filter_name(), "Business");
    assert_eq!(counts(&s), counts(&full));
}

#[test]
fn the_first_load_asks_for_the_head_to_be_saved() {
    let mut s = State::new(clock(), None);
    update(
        &mut s,
        Action::Loaded {
            articles: library(10),
            warnings: vec![],
        },
    );
    let effects = update(&mut s, Action::LoadingDone);
    let saved: Vec<&Head> = (effects.iter())
        .filter_map(|e| match e {
            Effect::SaveHead(h) => Some(&**h),
            _ => None,
        })
        .collect();
    assert_eq!(saved, [&s.head().unwrap()]);
    assert_eq!(saved[0].articles.len(), 10);
    assert_eq!(
        saved[0].rest.view,
        (10, 10),
        "the start view's rows and unread rows"
    );
    // A refresh's end saves nothing (the shell saves the head again on quit).
    let effects = update(&mut s, Action::LoadingDone);
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveHead(_))));
}

#[test]
fn opening_a_head_article_reads_its_body_from_disk_or_waits_for_the_library() {
    let mut arts = library(4);
    arts[0].body = Body::Blocks(vec![Block::new(BlockKind::Paragraph, "In memory.")]);
    let full = state_of(160, 48, None, arts.clone());
    let head = full.head().unwrap();
    let mut s = fresh(None, &[]);
    update(&mut s, Action::Head(Box::new(head)));
    // The first row's body is on disk: read from there, as once loaded.
    let effects = update(&mut s, Action::Choose);
    let first = s.lib().articles()[0].clone();
    assert!(effects.contains(&Effect::LoadBody {
        id: first.id.clone(),
        at: first.stored().unwrap().clone()
    }));
    // The oldest (k0000, the last row) had its body in memory: it shows once loaded.
    let mut s = fresh(None, &[]);
    update(&mut s, Action::Head(Box::new(full.head().unwrap())));
    update(&mut s, Action::Bottom);
    let effects = update(&mut s, Action::Choose);
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadBody { .. })));
    let a = s.reader_article().unwrap();
    assert_eq!(a.id, ArticleId::from_key("k0000"));
    assert_eq!(a.blocks()[0].text, BODY_LATER);
    update(
        &mut s,
        Action::Loaded {
            articles: arts,
            warnings: vec![],
        },
    );
    update(&mut s, Action::StoredLoaded);
    let text: Vec<String> = (s.reader().unwrap().lines.iter())
        .map(|l| l.text.clone())
        .collect();
    assert!(text.iter().any(|l| l == "In memory."), "{text:?}");
    assert!(!text.iter().any(|l| l.contains("library has loaded")));
}

#[test]
fn the_head_folds_its_stories_as_the_library_does() {
    use crate::core::state::StoryGroup;
    use crate::core::story::StoryId;
    let (newest, older) = (ArticleId::from_key("k0296"), ArticleId::from_key("k0269"));
    let story = Action::Stories {
        changed: vec![StoryGroup {
            id: StoryId::of_article(older.clone()),
            members: vec![
                (older.clone(), "Wire".into()),
                (newest.clone(), "Post".into()),
            ],
            representative: newest.clone(),
        }],
        removed: vec![],
    };
    let mut full = state_of(160, 48, None, library(320));
    update(&mut full, story);
    let head = full.head().unwrap();
    assert_eq!(head.stories.len(), 1);
    let mut s = fresh(None, &[]);
    update(&mut s, Action::Head(Box::new(head)));
    // One row for the two versions, "+1" on it, before any story arrives from elsewhere.
    let rows = |s: &State| -> Vec<ArticleId> {
        (s.visible().iter().take(40))
            .map(|&i| s.lib().articles()[i].id.clone())
            .collect()
    };
    assert_eq!(rows(&s), rows(&full));
    let at = s
        .visible()
        .iter()
        .position(|&i| s.lib().articles()[i].id == newest);
    let i = s.visible()[at.expect("the story's row")];
    assert_eq!(s.story_extra(i), 1);
    assert!(!rows(&s).contains(&older));
    assert_eq!(counts(&s), counts(&full));
}
