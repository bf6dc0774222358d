//! The archive (issue 18), end to end on the real binary against a loopback feed: an article
//! that leaves its feed is still listed, readable, searchable and keeps its marks; killing
//! tidings in the middle of refreshes loses nothing.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Rotating News</title>\
         <link>http://example.com/</link>",
    );
    for (i, (guid, title, body)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>http://example.com/{guid}</link>\
             <pubDate>Mon, 0{} Jun 2025 10:00:00 GMT</pubDate>\
             <description>&lt;p&gt;{body}&lt;/p&gt;</description></item>",
            i + 1
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn tidings(home: &Path, args: &[&str]) -> Output {
    let data = home.join("data");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    common::isolated(&mut cmd, home)
        .args(args)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .expect("runs tidings")
}

fn json(o: &Output) -> Vec<Value> {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice::<Value>(&o.stdout)
        .expect("JSON")
        .as_array()
        .expect("a list")
        .clone()
}

fn titles(items: &[Value]) -> Vec<String> {
    let mut t: Vec<String> = items
        .iter()
        .map(|a| a["title"].as_str().unwrap_or("").to_string())
        .collect();
    t.sort();
    t
}

fn feed_server(feed: Arc<Mutex<String>>) -> common::server::Server {
    common::server::serve(move |_| {
        let body = feed.lock().unwrap().clone();
        match body.is_empty() {
            true => ("503 Service Unavailable", vec![], Vec::new()),
            false => (
                "200 OK",
                vec![("Content-Type", "application/rss+xml".to_string())],
                body.into_bytes(),
            ),
        }
    })
}

#[test]
fn an_article_that_leaves_its_feed_is_listed_readable_searchable_and_keeps_its_marks() {
    let home = tempfile::tempdir().unwrap();
    let feed = Arc::new(Mutex::new(rss(&[
        ("a", "Story A", "Alpha zeppelinword body text"),
        ("b", "Story B", "Beta body"),
    ])));
    let server = feed_server(feed.clone());
    let url = server.url("/feed.xml");
    let first = json(&tidings(home.path(), &["list", "--json", &url]));
    assert_eq!(titles(&first), ["Story A", "Story B"]);
    let id_a = first
        .iter()
        .find(|a| a["title"] == "Story A")
        .and_then(|a| a["id"].as_str())
        .unwrap()
        .to_string();
    // A is starred, as the reader would save it.
    let store = tidings::sources::store::Store::new(home.path().join("data"));
    store
        .save(&[tidings::core::state::Mark {
            id: tidings::core::model::ArticleId::parse(&id_a).unwrap(),
            read: true,
            starred: true,
        }])
        .unwrap();

    // The site drops A from its feed.
    *feed.lock().unwrap() = rss(&[("b", "Story B", "Beta body"), ("c", "Story C", "Gamma")]);
    let now = json(&tidings(home.path(), &["list", "--json", &url]));
    assert_eq!(titles(&now), ["Story A", "Story B", "Story C"]);
    let starred = json(&tidings(
        home.path(),
        &["list", "--json", "--starred", &url],
    ));
    assert_eq!(titles(&starred), ["Story A"], "its star is kept");
    let shown = tidings(home.path(), &["show", &id_a, &url]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(
        text.contains("Story A") && text.contains("Alpha zeppelinword body text"),
        "{text}"
    );
    let found = json(&tidings(
        home.path(),
        &["list", "--json", "--search", "zeppelinword", &url],
    ));
    assert_eq!(titles(&found), ["Story A"], "its body is searched");

    // The site is down and the cached copy holds B and C: A still shows.
    feed.lock().unwrap().clear();
    let offline = tidings(home.path(), &["list", "--json", &url]);
    assert_eq!(titles(&json(&offline)), ["Story A", "Story B", "Story C"]);
    // A's body reads from the archive without the network.
    let shown = tidings(home.path(), &["show", &id_a, &url]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Alpha zeppelinword"));
    drop(server);
}

/// SIGKILL at random moments of 50 refreshes, each with new items: every article a finished
/// run saw is still there afterwards, and the archive is never found damaged.
#[test]
fn killing_tidings_during_refreshes_loses_nothing() {
    let home = tempfile::tempdir().unwrap();
    let feed = Arc::new(Mutex::new(rss(&[
        ("k0", "Kept zero", "Zero"),
        ("k1", "Kept one", "One"),
    ])));
    let server = feed_server(feed.clone());
    let url = server.url("/feed.xml");
    let first = json(&tidings(home.path(), &["list", "--json", &url]));
    assert_eq!(first.len(), 2);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..50 {
        // Each round's feed carries only new items, and many, so a kill lands mid-merge often.
        let items: Vec<(String, String, String)> = (0..200)
            .map(|i| {
                (
                    format!("r{round}-{i}"),
                    format!("Round {round} item {i}"),
                    "x".repeat(400),
                )
            })
            .collect();
        let refs: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        *feed.lock().unwrap() = rss(&refs);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
        let mut child = common::isolated(&mut cmd, home.path())
            .args(["list", &url, "--data-dir"])
            .arg(home.path().join("data"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 60_000));
        let _ = child.kill();
        let _ = child.wait();
    }
    // The site goes down: what the archive holds is what shows.
    feed.lock().unwrap().clear();
    let o = tidings(home.path(), &["list", "--json", &url]);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!stderr.contains("unreadable"), "{stderr}");
    let now = titles(&json(&o));
    for kept in ["Kept one", "Kept zero"] {
        assert!(now.iter().any(|t| t == kept), "{kept} lost: {now:?}");
    }
    drop(server);
}

/// Retention through the command line: with `keep_days = 30`, an old read article that left
/// its feed is removed, an old starred one and an old unread one are kept, and `prune
/// --dry-run` lists exactly what `prune` then removes.
#[test]
fn prune_removes_old_read_articles_and_the_dry_run_lists_the_same() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[archive]\nkeep_days = 30\n").unwrap();
    let cfg = config.to_str().unwrap();
    // Dated June 2025: long past 30 days.
    let feed = Arc::new(Mutex::new(rss(&[
        ("r", "Old read", "r"),
        ("s", "Old starred", "s"),
        ("u", "Old unread", "u"),
    ])));
    let server = feed_server(feed.clone());
    let url = server.url("/feed.xml");
    let first = json(&tidings(
        home.path(),
        &["list", "--json", "--config", cfg, &url],
    ));
    let id = |title: &str| {
        let a = first.iter().find(|a| a["title"] == title).unwrap();
        tidings::core::model::ArticleId::parse(a["id"].as_str().unwrap()).unwrap()
    };
    let mark = |title: &str, starred| tidings::core::state::Mark {
        id: id(title),
        read: true,
        starred,
    };
    tidings::sources::store::Store::new(home.path().join("data"))
        .save(&[mark("Old read", false), mark("Old starred", true)])
        .unwrap();
    // Still in the feed: nothing goes, however old.
    let dry = tidings(home.path(), &["prune", "--dry-run", "--config", cfg]);
    assert_eq!(String::from_utf8_lossy(&dry.stdout), "");
    // They all leave the feed.
    *feed.lock().unwrap() = rss(&[("n", "New", "n")]);
    json(&tidings(
        home.path(),
        &["list", "--json", "--config", cfg, &url],
    ));
    let dry = tidings(home.path(), &["prune", "--dry-run", "--config", cfg]);
    let listed = String::from_utf8_lossy(&dry.stdout).to_string();
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        listed.contains("Old read") && listed.contains("older than 30 days"),
        "{listed}"
    );
    assert!(String::from_utf8_lossy(&dry.stderr).contains("would remove 1 archived article"));
    let done = tidings(home.path(), &["prune", "--config", cfg]);
    assert_eq!(String::from_utf8_lossy(&done.stdout), listed);
    assert!(String::from_utf8_lossy(&done.stderr).contains("removed 1 archived article (3 left)"));
    let now = json(&tidings(
        home.path(),
        &["list", "--json", "--config", cfg, &url],
    ));
    assert_eq!(titles(&now), ["New", "Old starred", "Old unread"]);
    drop(server);
}
