//! The warm start through the real binary: the snapshot in the cache folder gives the same
//! output as a cold load, notices changed, new and deleted files, survives damage, and bodies
//! are read from disk when shown or searched.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

fn tidings(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(args)
        .arg("--cache-dir")
        .arg(cache)
        .arg("--data-dir")
        .arg(cache.with_extension("data"))
        .env("TZ", "UTC")
        .env("XDG_CONFIG_HOME", cache.with_extension("config"))
        .output()
        .expect("runs tidings")
}

fn out(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Writes a file and dates it an hour back (files changed in the last two seconds are not put
/// in the snapshot: their timestamps could hide a second change).
fn write_old(path: &Path, text: &str, age_secs: u64) {
    std::fs::write(path, text).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(age_secs))
        .unwrap();
}

fn article(title: &str, category: &str, body: &str) -> String {
    format!("Categories: {category}\n\n{title}\n\nA standfirst for {title}.\n\n{body}\n")
}

const FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Feed item one</title><link>https://example.com/1</link><guid>1</guid>
<pubDate>Tue, 24 Nov 2026 08:15:00 +0000</pubDate>
<description>&lt;p&gt;Body of item one mentions zanzibar.&lt;/p&gt;</description></item>
<item><title>Feed item two</title><link>https://example.com/2</link><guid>2</guid>
<pubDate>Mon, 23 Nov 2026 08:15:00 +0000</pubDate>
<description>&lt;p&gt;Body of item two.&lt;/p&gt;</description></item>
</channel></rss>"#;

#[test]
fn the_snapshot_gives_what_a_cold_load_gives_and_follows_changes() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("news");
    std::fs::create_dir_all(src.join("World/Europe")).unwrap();
    write_old(
        &src.join("World/Europe/a.txt"),
        &article("Alpha story", "World / Europe", "Alpha body with quokka."),
        3600,
    );
    write_old(
        &src.join("b.txt"),
        &article("Beta story", "Tech", "Beta body."),
        3600,
    );
    write_old(&src.join("wire.xml"), FEED, 3600);
    write_old(&src.join("empty.txt"), "", 3600);
    let cache = dir.path().join("cache");
    let folder = src.to_str().unwrap();

    let cold = tidings(&cache, &["list", folder]);
    let cold_json = out(&tidings(&cache, &["list", folder, "--json"]));
    let snapshot = cache.join("snapshot.bin");
    assert!(snapshot.exists(), "the first load writes the snapshot");
    let written = std::fs::metadata(&snapshot).unwrap().modified().unwrap();

    // Warm: the same lines, the same JSON, the same warning for the empty file, no rewrite.
    let warm = tidings(&cache, &["list", folder]);
    assert_eq!(out(&warm), out(&cold));
    assert_eq!(warm.stderr, cold.stderr);
    assert!(String::from_utf8_lossy(&warm.stderr).contains("empty.txt"));
    assert_eq!(
        out(&tidings(&cache, &["list", folder, "--json"])),
        cold_json
    );
    assert_eq!(
        std::fs::metadata(&snapshot).unwrap().modified().unwrap(),
        written,
        "an unchanged run leaves the snapshot alone"
    );

    // Bodies come from the files: show, and search in body text.
    let json: serde_json::Value = serde_json::from_str(&cold_json).unwrap();
    let id_of = |title: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let shown = out(&tidings(&cache, &["show", &id_of("Alpha story"), folder]));
    assert!(shown.contains("Alpha body with quokka."), "{shown}");
    let shown = out(&tidings(&cache, &["show", &id_of("Feed item one"), folder]));
    assert!(
        shown.contains("Body of item one mentions zanzibar."),
        "{shown}"
    );
    let found = out(&tidings(&cache, &["list", folder, "--search", "zanzibar"]));
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(found.contains("Feed item one"));
    let found = out(&tidings(&cache, &["list", folder, "--search", "quokka"]));
    assert!(
        found.contains("Alpha story") && found.lines().count() == 1,
        "{found}"
    );

    // A changed file, a new one and a deleted one.
    write_old(
        &src.join("b.txt"),
        &article("Beta story, revised", "Tech", "Beta body, longer now."),
        1800,
    );
    write_old(
        &src.join("c.txt"),
        &article("Gamma story", "Tech", "Gamma."),
        3600,
    );
    std::fs::remove_file(src.join("World/Europe/a.txt")).unwrap();
    let after = out(&tidings(&cache, &["list", folder]));
    assert!(after.contains("Beta story, revised"), "{after}");
    assert!(!after.contains("Beta story\n") && !after.contains("Alpha story"));
    assert!(after.contains("Gamma story"));
    assert_eq!(after.lines().count(), 4, "{after}");

    // A file changed a moment ago is read again next time too (not trusted to its timestamp).
    write_old(
        &src.join("c.txt"),
        &article("Gamma story", "Tech", "Gamma."),
        0,
    );
    let _ = out(&tidings(&cache, &["list", folder]));
    write_old(
        &src.join("c.txt"),
        &article("Gamma story", "Tech", "Gamma!"),
        0,
    );
    let shown = out(&tidings(&cache, &["list", folder, "--search", "gamma!"]));
    assert!(shown.contains("Gamma story"), "{shown}");

    // Damage: a warning, the right output, and a good snapshot again afterwards.
    let after = out(&tidings(&cache, &["list", folder]));
    let mut bytes = std::fs::read(&snapshot).unwrap();
    bytes.truncate(bytes.len() / 3);
    std::fs::write(&snapshot, &bytes).unwrap();
    let damaged = tidings(&cache, &["list", folder]);
    assert_eq!(out(&damaged), after);
    let warning = String::from_utf8_lossy(&damaged.stderr).into_owned();
    assert!(
        warning.contains("snapshot.bin") && warning.contains("rebuilt"),
        "{warning}"
    );
    let again = tidings(&cache, &["list", folder]);
    assert_eq!(out(&again), after);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("snapshot"));
}

#[test]
fn an_unwritable_cache_folder_is_a_warning_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("news");
    std::fs::create_dir_all(&src).unwrap();
    write_old(
        &src.join("a.txt"),
        &article("Alpha", "World", "Body."),
        3600,
    );
    // The cache "folder" is a file: nothing can be written under it.
    let cache = dir.path().join("cache-file");
    std::fs::write(&cache, "not a folder").unwrap();
    let o = tidings(&cache, &["list", src.to_str().unwrap()]);
    assert!(out(&o).contains("Alpha"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot save the start-up snapshot"), "{err}");
}

/// A feed URL's cached copy goes through the snapshot as files do, and its bodies are read
/// from the cache when needed.
#[test]
fn cached_feeds_come_from_the_snapshot_and_bodies_from_the_cache() {
    use tidings::core::model::BodyRef;
    use tidings::sources::{cache::Cache, cached_feed, fetch::FetchOptions, snapshot::Snapshot};
    let dir = tempfile::tempdir().unwrap();
    let url = "http://feeds.example.invalid/wire.xml";
    let cache = Cache::new(dir.path());
    cache.store(url, None, FEED.as_bytes(), None, None).unwrap();
    // Old enough to be trusted to its stamp.
    let body = cache.body_path(url);
    let f = std::fs::File::options().write(true).open(&body).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    drop(f);
    let opts = FetchOptions {
        cache_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };

    let mut snap = Snapshot::open(opts.cache_dir.as_deref());
    let first = cached_feed(url, &opts, &mut snap).expect("the cached copy");
    snap.save().unwrap();
    assert_eq!(first.len(), 2);
    let at = first[0].stored().expect("the body stays in the cache");
    assert!(first[0].blocks().is_empty());
    assert_eq!(
        *at,
        BodyRef::CachedFeed {
            url: url.to_string(),
            cache_dir: dir.path().to_path_buf()
        }
    );
    let full = tidings::sources::files::load_body(at, &first[0].id).unwrap();
    assert!(
        full.blocks()
            .iter()
            .any(|b| b.text.contains("Body of item one mentions zanzibar.")),
        "{:?}",
        full.blocks()
    );

    // With the meta file gone the cache has no usable entry, yet the unchanged body's articles
    // come from the snapshot: they were not parsed again.
    let meta = dir
        .path()
        .join(format!("{}.json", tidings::sources::cache::key(url)));
    let saved_meta = std::fs::read(&meta).unwrap();
    std::fs::remove_file(&meta).unwrap();
    assert!(tidings::sources::fetch::cached(url, &opts).is_none());
    let mut snap = Snapshot::open(opts.cache_dir.as_deref());
    let second = cached_feed(url, &opts, &mut snap).expect("from the snapshot");
    assert_eq!(second, first);
    let err = tidings::sources::files::load_body(at, &first[0].id).unwrap_err();
    assert!(err.contains("cached copy is gone"), "{err}");
    std::fs::write(&meta, saved_meta).unwrap();
    assert!(tidings::sources::files::load_body(at, &first[0].id).is_ok());
}

/// The reader in tmux on `src` with `cache` as its cache folder (and the log at info), until
/// every source is in; returns the screen.
fn reader_once(home: &Path, src: &Path, cache: &Path, name: &str) -> String {
    let t = common::Tmux::start(
        name,
        "warm",
        home,
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[("TIDINGS_LOG", "info")],
        (120, 30),
        &[
            env!("CARGO_BIN_EXE_tidings"),
            src.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
        ],
    );
    let screen = t.wait_until(false, "the library", |s| {
        s.contains("Older story") && !s.contains("loading…") && !s.contains("Loading")
    });
    t.send(&["q"]);
    assert_eq!(t.wait_exit(), "1 0");
    screen
}

#[test]
fn the_reader_saves_its_first_screen_and_starts_from_it() {
    if !common::tmux_available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let (src, cache) = (home.path().join("news"), home.path().join("cache"));
    std::fs::create_dir_all(&src).unwrap();
    write_old(
        &src.join("old.txt"),
        &article("Older story", "World", "b"),
        7200,
    );
    write_old(
        &src.join("new.txt"),
        &article("Newest story", "World", "a"),
        3600,
    );
    let log = home.path().join("tidings/log");
    let head = cache.join("head.bin");
    let first = reader_once(home.path(), &src, &cache, "head1");
    assert!(first.contains("Newest story"), "{first}");
    assert!(head.exists(), "the first load saves the head");
    assert!(
        !std::fs::read_to_string(&log)
            .unwrap()
            .contains("first screen from the head")
    );

    // The next start shows the head first; the newest story's file is gone meanwhile, so the
    // library that replaces the head no longer has it.
    std::fs::remove_file(src.join("new.txt")).unwrap();
    let second = reader_once(home.path(), &src, &cache, "head2");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("first screen from the head") && text.contains("articles=2"),
        "{text}"
    );
    assert!(!second.contains("Newest story"), "{second}");
    assert!(second.contains("All · 1 article · 1 unread"), "{second}");

    // A damaged head: the reader starts as without one, says so in the log, and writes a good
    // one again.
    let whole = std::fs::read(&head).unwrap();
    std::fs::write(&head, &whole[..whole.len() - 10]).unwrap();
    let third = reader_once(home.path(), &src, &cache, "head3");
    assert!(third.contains("Older story"), "{third}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("the first-screen file is damaged"), "{text}");
    let bytes = std::fs::read(&head).unwrap();
    assert!(bytes.starts_with(b"tidings-head") && bytes.len() > whole.len() - 10);
}
