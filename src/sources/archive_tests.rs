//! Archive tests: merging keeps what leaves a feed, updates in place, writes nothing for what
//! did not change, reads bodies back, and survives a damaged file.

use super::*;
use crate::core::model::{BlockKind, PendingHtml};

fn article(key: &str, title: &str, body: &str) -> Article {
    let mut a = Article::new(ArticleId::from_key(key));
    a.title = title.into();
    a.source = Arc::from("Harbour Wire");
    a.date = DateTime::from_timestamp(1_764_000_000, 0).unwrap();
    a.dated = true;
    a.link = Some(format!("https://example.com/{key}").into());
    a.categories = vec![CategoryPath::parse("World News / Europe").unwrap()];
    a.body = crate::core::model::Body::Html(Box::new(PendingHtml {
        html: format!("<p>{body}</p>"),
        base: Some("https://example.com/".into()),
    }));
    a.words = 2;
    a
}

fn titles(articles: &[Article]) -> Vec<&str> {
    let mut t: Vec<&str> = articles.iter().map(|a| &*a.title).collect();
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
    assert!(kept.blocks().is_empty() && kept.pending().is_none());
    assert_eq!(
        kept.stored(),
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
    let loaded = crate::sources::files::load_body(kept.stored().unwrap(), &a.id);
    assert_eq!(loaded.unwrap().blocks()[0].text, "Alpha text");

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

fn dated(key: &str, days_ago: i64, now: DateTime<Utc>) -> Article {
    let mut a = article(key, &format!("Story {key}"), "text");
    a.date = now - chrono::Duration::days(days_ago);
    a
}

fn ids(pruned: &[Pruned]) -> Vec<String> {
    let mut v: Vec<String> = pruned.iter().map(|p| p.title.clone()).collect();
    v.sort();
    v
}

#[test]
fn retention_removes_old_read_articles_and_keeps_starred_unread_and_current_ones() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).0.unwrap();
    let now = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
    let all = [
        dated("old-read", 100, now),
        dated("old-unread", 100, now),
        dated("old-starred", 100, now),
        dated("new-read", 10, now),
        dated("old-current", 100, now),
    ];
    archive.merge(FEED, &all).unwrap();
    // Only "old-current" is still in the feed.
    archive.merge(FEED, &all[4..]).unwrap();
    let mark = |key: &str, read, starred| (ArticleId::from_key(key), (read, starred));
    let marks: HashMap<ArticleId, (bool, bool)> = [
        mark("old-read", true, false),
        mark("old-starred", true, true),
        mark("new-read", true, false),
        mark("old-current", true, false),
    ]
    .into();
    let rules = Retention::default();
    let dry = archive.prune(&rules, &marks, now, true).unwrap();
    assert_eq!(ids(&dry), ["Story old-read"]);
    assert_eq!(dry[0].why, "older than 90 days");
    assert_eq!(archive.len().unwrap(), 5, "a dry run removes nothing");
    let done = archive.prune(&rules, &marks, now, false).unwrap();
    assert_eq!(done, dry, "the dry run lists what the run removes");
    assert_eq!(archive.len().unwrap(), 4);

    // keep_unread off: the old unread one goes too; the starred one never does.
    let rules = Retention {
        keep_unread: false,
        ..Retention::default()
    };
    assert_eq!(
        ids(&archive.prune(&rules, &marks, now, false).unwrap()),
        ["Story old-unread"]
    );
    let rules = Retention {
        keep_days: 1,
        keep_unread: false,
        ..Retention::default()
    };
    assert_eq!(
        ids(&archive.prune(&rules, &marks, now, false).unwrap()),
        ["Story new-read"]
    );
    let left = ids(&archive
        .articles_of(FEED)
        .unwrap()
        .into_iter()
        .map(|a| Pruned {
            id: a.id,
            source: String::new(),
            title: a.title.into(),
            date: a.date,
            why: String::new(),
        })
        .collect::<Vec<_>>());
    assert_eq!(left, ["Story old-current", "Story old-starred"]);
}

#[test]
fn caps_remove_the_oldest_removable_articles_per_feed_and_in_all() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).0.unwrap();
    let now = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
    let other = "https://other.example/feed";
    let feed: Vec<Article> = (1..=5).map(|d| dated(&format!("f{d}"), d, now)).collect();
    // Half a day older than FEED's of the same day number.
    let more: Vec<Article> = (1..=3)
        .map(|d| dated(&format!("o{d}"), d, now - chrono::Duration::hours(12)))
        .collect();
    archive.merge(FEED, &feed).unwrap();
    archive.merge(FEED, &[]).unwrap();
    archive.merge(other, &more).unwrap();
    archive.merge(other, &[]).unwrap();
    let marks: HashMap<ArticleId, (bool, bool)> = feed
        .iter()
        .chain(&more)
        .map(|a| (a.id.clone(), (true, &*a.title == "Story f5")))
        .collect();
    // Per feed: at most 3 of FEED's; its oldest (f5) is starred, so f4 and f3 go.
    let rules = Retention {
        per_source: [(FEED.to_string(), (None, Some(3)))].into(),
        ..Retention::default()
    };
    let dry = archive.prune(&rules, &marks, now, true).unwrap();
    assert_eq!(ids(&dry), ["Story f3", "Story f4"]);
    assert!(
        dry.iter()
            .all(|p| p.why == "over max_articles = 3 for its feed")
    );
    // In all: at most 4 of the 8, the oldest removable first across feeds.
    let rules = Retention {
        max_articles: Some(4),
        ..rules
    };
    let done = archive.prune(&rules, &marks, now, false).unwrap();
    assert_eq!(ids(&done), ["Story f3", "Story f4", "Story o2", "Story o3"]);
    assert_eq!(archive.len().unwrap(), 4);
}
