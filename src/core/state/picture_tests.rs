//! Table tests on `update` for the reader's picture.

use super::super::{Action, Clock, Effect, State, update};
use super::{Picture, PictureState};
use crate::core::model::{Article, ArticleId, Block, BlockKind, BodyRef};
use chrono::{FixedOffset, TimeZone, Utc};
use std::sync::Arc;

fn art(key: &str, day: u32, image: Option<&str>) -> Article {
    let mut with_image = Block::new(BlockKind::Paragraph, "A map [image: the route]");
    with_image.image = image.map(String::from);
    let blocks = vec![Block::new(BlockKind::Paragraph, "First."), with_image];
    Article {
        id: ArticleId::from_key(key),
        title: format!("Title {key}"),
        source: "Wire".into(),
        author: None,
        date: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
        dated: true,
        link: None,
        categories: vec![],
        standfirst: None,
        words: 4,
        blocks,
        meta: vec![],
        origin: key.into(),
        pending: None,
        stored: None,
    }
}

/// Newest first: `pic` (day 27, an image), `plain` (26, none), `other` (25, another image).
fn state(available: bool) -> State {
    let clock = Clock {
        now: Utc.with_ymd_and_hms(2026, 11, 27, 18, 0, 0).unwrap(),
        tz: FixedOffset::east_opt(0).unwrap(),
    };
    let mut s = State::new(clock, None);
    update(
        &mut s,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    let articles = vec![
        art("pic", 27, Some("https://example.com/a.png")),
        art("plain", 26, None),
        art("other", 25, Some("https://example.com/b.jpg")),
    ];
    update(
        &mut s,
        Action::Loaded {
            articles,
            warnings: vec![],
        },
    );
    update(&mut s, Action::LoadingDone);
    assert!(update(&mut s, Action::ImagesAvailable(available)).is_empty());
    s
}

fn fetches(effects: &[Effect]) -> Vec<(ArticleId, &str)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchImage { id, url } => Some((id.clone(), url.as_str())),
            _ => None,
        })
        .collect()
}

fn pic(w: u32, h: u32) -> Arc<Picture> {
    Arc::new(Picture {
        width: w,
        height: h,
        rgba: vec![0u8; (w * h * 4) as usize].into(),
    })
}

#[test]
fn opening_an_article_with_an_image_fetches_it_once_when_available() {
    let id = ArticleId::from_key("pic");
    // (images available, expected fetches on opening the first headline)
    let table: [(bool, Vec<(ArticleId, &str)>); 2] = [
        (true, vec![(id.clone(), "https://example.com/a.png")]),
        (false, vec![]),
    ];
    for (available, want) in table {
        let mut s = state(available);
        let effects = update(&mut s, Action::Choose);
        assert_eq!(fetches(&effects), want, "available {available}");
        // Scrolling, or anything else, asks for nothing more.
        assert!(fetches(&update(&mut s, Action::Down)).is_empty());
        match available {
            true => assert_eq!(
                s.reader_picture().map(|p| &p.state),
                Some(&PictureState::Loading)
            ),
            false => assert_eq!(s.reader_picture(), None),
        }
    }
}

#[test]
fn the_picture_that_arrives_is_kept_only_for_its_article_and_url() {
    let mut s = state(true);
    update(&mut s, Action::Choose);
    let id = ArticleId::from_key("pic");
    // A late answer for another URL, or another article, changes nothing.
    update(
        &mut s,
        Action::ImageLoaded {
            id: id.clone(),
            url: "https://example.com/old.png".into(),
            picture: Ok(pic(2, 2)),
        },
    );
    update(
        &mut s,
        Action::ImageLoaded {
            id: ArticleId::from_key("other"),
            url: "https://example.com/a.png".into(),
            picture: Ok(pic(2, 2)),
        },
    );
    assert_eq!(s.reader_picture().unwrap().state, PictureState::Loading);
    update(
        &mut s,
        Action::ImageLoaded {
            id: id.clone(),
            url: "https://example.com/a.png".into(),
            picture: Ok(pic(3, 2)),
        },
    );
    assert_eq!(
        s.reader_picture().unwrap().state,
        PictureState::Ready(pic(3, 2))
    );
    // The next article has no image: nothing fetched, no picture; the one after has its own.
    let effects = update(&mut s, Action::NextArticle);
    assert!(fetches(&effects).is_empty());
    assert_eq!(s.reader_picture(), None);
    let effects = update(&mut s, Action::NextArticle);
    assert_eq!(
        fetches(&effects),
        [(ArticleId::from_key("other"), "https://example.com/b.jpg")]
    );
    // A failure keeps the reason; the text placeholder is all that shows.
    update(
        &mut s,
        Action::ImageLoaded {
            id: ArticleId::from_key("other"),
            url: "https://example.com/b.jpg".into(),
            picture: Err("not an image (text/html)".into()),
        },
    );
    assert_eq!(
        s.reader_picture().unwrap().state,
        PictureState::Failed("not an image (text/html)".into())
    );
    // Going back to the first article asks for its picture again (the shell's cache answers).
    let effects = update(&mut s, Action::PrevArticle);
    assert!(fetches(&effects).is_empty());
    let effects = update(&mut s, Action::PrevArticle);
    assert_eq!(fetches(&effects), [(id, "https://example.com/a.png")]);
}

#[test]
fn a_body_read_again_from_disk_keeps_the_picture() {
    let mut s = state(true);
    update(&mut s, Action::Choose);
    let id = ArticleId::from_key("pic");
    update(
        &mut s,
        Action::ImageLoaded {
            id: id.clone(),
            url: "https://example.com/a.png".into(),
            picture: Ok(pic(1, 1)),
        },
    );
    // The source loads again: the open article comes back with its body on disk.
    let mut again = art("pic", 27, Some("https://example.com/a.png"));
    again.unload(Arc::new(BodyRef::File {
        path: "/x".into(),
        key: "pic".into(),
    }));
    let effects = update(
        &mut s,
        Action::Loaded {
            articles: vec![again],
            warnings: vec![],
        },
    );
    assert!(fetches(&effects).is_empty());
    assert!(matches!(
        s.reader_picture().map(|p| &p.state),
        Some(PictureState::Ready(_))
    ));
    // Turning pictures off drops it.
    update(&mut s, Action::ImagesAvailable(false));
    assert_eq!(s.reader_picture(), None);
}
