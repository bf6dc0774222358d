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
        title: format!("Title {key}").into(),
        source: "Wire".into(),
        author: None,
        date: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
        dated: true,
        link: None,
        categories: vec![],
        standfirst: None,
        words: 4,
        meta: Box::default(),
        origin: key.into(),
        body: crate::core::model::Body::Blocks(blocks),
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
    let cell = available.then_some((10, 20));
    assert!(update(&mut s, Action::ImagesAvailable(cell)).is_empty());
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
    update(&mut s, Action::ImagesAvailable(None));
    assert_eq!(s.reader_picture(), None);
}

#[test]
fn pictures_fit_the_pane_and_are_never_scaled_up() {
    use super::cells_for;
    // 10 × 20 pixel cells. (picture, pane width, max rows) → cells
    let table = [
        (pic(100, 40), 80, 16, (10, 2)),
        // Height-bound: 16 rows of 20 px are 320 px, so 569 px wide, 57 cells.
        (pic(1600, 900), 80, 16, (57, 16)),
        // Width-bound: 400 px wide, 225 px high, 12 rows.
        (pic(1600, 900), 40, 16, (40, 12)),
        (pic(300, 3000), 80, 10, (2, 10)),
        (pic(1, 1), 80, 16, (1, 1)),
    ];
    for (p, width, rows, want) in table {
        assert_eq!(
            cells_for(&p, width, rows, (10, 20)),
            want,
            "{p:?} in {width}"
        );
    }
}

#[test]
fn a_short_article_under_a_picture_can_still_be_read_to_its_end() {
    // 160 × 48: the reading pane's text is 46 rows high; the article is 8 lines.
    let mut s = state(true);
    update(&mut s, Action::Choose);
    let lines = s.reader().unwrap().lines.len();
    let height = s.reader_height();
    assert!(lines < height, "{lines} {height}");
    assert_eq!(s.reader_max_scroll(), 0);
    // A picture 16 rows high (two fifths of the pane at most) and a blank.
    update(
        &mut s,
        Action::ImageLoaded {
            id: ArticleId::from_key("pic"),
            url: "https://example.com/a.png".into(),
            picture: Ok(pic(400, 400)),
        },
    );
    // 400 px square: 40 × 20 cells natural, 32 × 16 to fit 16 rows.
    assert_eq!(s.picture_cells(), Some((32, 16)));
    assert_eq!(s.picture_rows(), 17);
    let fits = lines + 17 <= height;
    assert_eq!(s.reader_max_scroll(), usize::from(!fits));
    // In a pane too short for both, one step scrolls the picture away.
    update(
        &mut s,
        Action::Resize {
            width: 160,
            height: 13,
        },
    );
    let height = s.reader_height();
    let rows = s.picture_rows();
    assert!(rows >= 4, "{rows}");
    let lines = s.reader().unwrap().lines.len();
    assert!(
        lines <= height && lines + rows > height,
        "{lines} {rows} {height}"
    );
    assert_eq!(s.reader_max_scroll(), 1);
    // Pictures off: no rows, nothing to scroll.
    update(&mut s, Action::ImagesAvailable(None));
    assert_eq!(s.picture_rows(), 0);
    assert_eq!(s.reader_max_scroll(), 0);
}
