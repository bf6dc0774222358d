//! Archive tests: merging keeps what leaves a feed, updates in place, writes nothing for what
//! did not change, reads bodies back, and survives a damaged file.

use super::*;
use crate::core::model::{BlockKind, PendingHtml};

fn article(key: &str, title: &str, body: &str) -> Article {
    let mut a = Article::new(ArticleId::from_key(key));
    a.title = title.to_string();
    a.source = Arc::from("Harbour Wire");
    a.date = DateTime::from_timestamp(1_764_000_000, 0).unwrap();
    a.dated = true;
    a.link = Some(format!("https://example.com/{key}"));
    a.categories = vec![CategoryPath::parse("World News / Europe").unwrap()];
    a.pending = Some(Box::new(PendingHtml {
        html: format!("<p>{body}</p>"),
        base: Some("https://example.com/".into()),
    }));
    a.words = 2;
    a
}

fn titles(articles: &[Article]) -> Vec<&str> {
    let mut t: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
    t.sort();
    t
}

const FEED: &str = "https://example.com/feed.xml";

#[test]
fn what_leaves_the_feed_is_kept_with_its_body() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, warning) = Archive::open(dir.path());
    let archive = archive.unwrap();
    assert_eq!(warning, None);
    let (a, b) = (
        article("a", "Story A", "Alpha text"),
        article("b", "Story B", "Beta"),
    );
    let m = archive.merge(FEED, &[a.clone(), b.clone()]).unwrap();
    assert_eq!((m.added, m.updated, m.kept.len()), (2, 0, 0));

    // The feed drops A: A comes back from the archive, header whole, body left there.
    let m = archive.merge(FEED, std::slice::from_ref(&b)).unwrap();
    assert_eq!((m.added, m.updated), (0, 0), "B did not change: no write");
    assert_eq!(titles(&m.kept), ["Story A"]);
    let kept = &m.kept[0];
    assert_eq!(kept.id, a.id);
    assert_eq!((kept.date, kept.dated, &kept.link), (a.date, true, &a.link));
    assert_eq!(kept.categories, a.categories);
    assert_eq!(&*kept.source, "Harbour Wire");
    assert!(kept.blocks.is_empty() && kept.pending.is_none());
    assert_eq!(
        kept.stored.as_deref(),
        Some(&BodyRef::Archived {
            db: dir.path().join(FILE_NAME)
        })
    );
    let bodies = archive.bodies(&[&a.id]).unwrap();
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0].blocks[0].kind, BlockKind::Paragraph);
    assert_eq!(bodies[0].blocks[0].text, "Alpha text");
    assert_eq!(bodies[0].words, 2);
    // Through the loader the reader and `show` use.
    let loaded = crate::sources::files::load_body(kept.stored.as_deref().unwrap(), &a.id);
    assert_eq!(loaded.unwrap().blocks[0].text, "Alpha text");

    // Another feed's articles are its own.
    assert!(
        archive
            .articles_of("https://other.example/feed")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        titles(&archive.articles_of(FEED).unwrap()),
        ["Story A", "Story B"]
    );
    assert_eq!(archive.len().unwrap(), 2);
}

#[test]
fn an_article_changed_in_its_feed_is_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).0.unwrap();
    let a = article("a", "Story A", "First version");
    archive.merge(FEED, std::slice::from_ref(&a)).unwrap();
    let mut edited = article("a", "Story A (updated)", "Second version");
    edited.words = 3;
    let m = archive.merge(FEED, std::slice::from_ref(&edited)).unwrap();
    assert_eq!((m.added, m.updated), (0, 1));
    // Gone from the feed later: the updated copy is what is kept.
    let m = archive.merge(FEED, &[]).unwrap();
    assert_eq!(titles(&m.kept), ["Story A (updated)"]);
    assert_eq!(
        archive.bodies(&[&a.id]).unwrap()[0].blocks[0].text,
        "Second version"
    );
    assert_eq!(archive.len().unwrap(), 1);
}

#[test]
fn a_body_left_in_the_cache_does_not_overwrite_the_archived_one() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).0.unwrap();
    let a = article("a", "Story A", "Kept text");
    archive.merge(FEED, std::slice::from_ref(&a)).unwrap();
    // The warm start: the same article with its body in the feed's cached copy.
    let mut warm = a.clone();
    warm.unload(Arc::new(BodyRef::CachedFeed {
        url: FEED.into(),
        cache_dir: dir.path().into(),
    }));
    let m = archive.merge(FEED, &[warm]).unwrap();
    assert_eq!((m.added, m.updated), (0, 0));
    assert_eq!(
        archive.bodies(&[&a.id]).unwrap()[0].blocks[0].text,
        "Kept text"
    );
}

#[test]
fn a_damaged_archive_is_moved_aside_and_started_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(
        &path,
        b"this is not a database, it is a note left in its place\n".repeat(200),
    )
    .unwrap();
    let (archive, warning) = Archive::open(dir.path());
    let archive = archive.unwrap();
    let warning = warning.expect("a warning");
    assert!(
        warning.contains("unreadable") && warning.contains("moved to"),
        "{warning}"
    );
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept aside");
    assert!(archive.is_empty().unwrap());
    archive
        .merge(FEED, &[article("a", "Story A", "x")])
        .unwrap();
    assert_eq!(archive.len().unwrap(), 1);
}

#[test]
fn an_archive_from_a_newer_tidings_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let (archive, _) = Archive::open(dir.path());
    let e = archive.unwrap_err();
    assert!(e.to_string().contains("newer tidings (schema 99)"), "{e}");
}
