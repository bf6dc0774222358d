//! Sync with a Google Reader API server (issue 16), end to end on the real binary against a
//! fake server on loopback (tests/common/greader.rs): login, paging, labels, the unread and
//! starred sets, edit-tag batches with their exact bodies, a new login on 401, queued marks
//! that survive a failing server, every failure named, and credentials nowhere in sight.

mod common;
#[path = "common/greader.rs"]
mod greader;

use greader::{Fake, MINIFLUX_TOKEN, PASSWORD, USER};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// A config naming the fake server, in `home`.
fn config(home: &Path, fake: &Fake) -> std::path::PathBuf {
    config_url(home, &fake.url())
}

/// A config naming the server at `url`, in `home`.
fn config_url(home: &Path, url: &str) -> std::path::PathBuf {
    let path = home.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[[sources]]\nname = \"home\"\ngreader = \"{url}\"\nuser = \"{USER}\"\n\
             password_command = [\"printf\", \"%s\\n\", \"{PASSWORD}\"]\n"
        ),
    )
    .unwrap();
    path
}

fn tidings(home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    common::isolated(&mut cmd, home)
        .env("XDG_STATE_HOME", home)
        .args(args)
        .arg("--config")
        .arg(home.join("config.toml"))
        .arg("--data-dir")
        .arg(home.join("data"))
        .arg("--cache-dir")
        .arg(home.join("cache"))
        .arg("--timeout")
        .arg("3")
        .arg("--log")
        .arg("trace")
        .output()
        .expect("runs tidings")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `tidings sync --json`'s one object.
fn sync(home: &Path) -> (Value, String, Output) {
    let o = tidings(home, &["sync", "--json"]);
    let (out, err) = text(&o);
    let v: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (v, err, o)
}

fn list(home: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(extra);
    let o = tidings(home, &args);
    let (out, err) = text(&o);
    serde_json::from_str::<Vec<Value>>(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"))
}

fn id_of(articles: &[Value], title: &str) -> String {
    articles
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Everything the user or a log could see: stdout, stderr, the log and the data folder.
fn assert_no_credentials(home: &Path, outputs: &[&Output]) {
    for o in outputs {
        let (out, err) = text(o);
        for s in [&out, &err] {
            assert!(!s.contains(PASSWORD), "the password was shown: {s}");
            assert!(
                !s.contains("tok1") && !s.contains("T-write-token"),
                "a token was shown: {s}"
            );
        }
    }
    let log = std::fs::read_to_string(home.join("tidings").join("log")).unwrap_or_default();
    assert!(!log.is_empty(), "no log written");
    assert!(
        !log.contains(PASSWORD) && !log.contains("tok1"),
        "the log holds a credential"
    );
    for entry in walk(&home.join("data")) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        let s = String::from_utf8_lossy(&bytes);
        assert!(
            !s.contains(PASSWORD),
            "{} holds the password",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn login_paging_labels_and_the_sets_become_articles_and_marks() {
    let fake = greader::start(
        greader::items(5, |i| match i {
            0 => vec!["Tech/AI".into()],
            1 => vec!["World News".into(), "Tech/AI".into()],
            _ => vec![],
        }),
        2,
    );
    {
        let mut w = fake.world();
        w.unread.remove(&1001);
        w.starred.insert(1002);
    }
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    let (v, err, first) = sync(home.path());
    assert_eq!(v["new"], 5, "{v} {err}");
    assert_eq!(v["failures"], Value::Array(vec![]), "{err}");
    assert_eq!(
        (v["read"].as_u64(), v["starred"].as_u64()),
        (Some(1), Some(1))
    );
    // The login: a form POST with the user and the password, once.
    let logins = fake.requests_to("/accounts/ClientLogin");
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].method, "POST");
    assert_eq!(logins[0].body, format!("Email={USER}&Passwd={PASSWORD}"));
    // Every call carries the token and output=json; the reading list came in three pages.
    let pages = fake.requests_to("reading-list");
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].param("c"), None);
    assert_eq!(pages[1].param("c").as_deref(), Some("2"));
    assert_eq!(pages[2].param("c").as_deref(), Some("4"));
    for r in fake
        .world()
        .requests
        .iter()
        .filter(|r| r.path().contains("/reader/api/0/"))
    {
        assert_eq!(
            r.header("Authorization"),
            Some("GoogleLogin auth=alice/tok1"),
            "{r:?}"
        );
        assert_eq!(r.param("output").as_deref(), Some("json"));
    }
    // The token is kept, readable by the user only.
    let token = walk(&home.path().join("cache").join("greader"));
    assert_eq!(token.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let all = list(home.path(), &[]);
    assert_eq!(all.len(), 5);
    let a0 = all.iter().find(|a| a["title"] == "Story 0 & more").unwrap();
    assert_eq!(a0["source"], "Harbour & Wire");
    assert_eq!(a0["link"], "https://news.example/1001");
    let cats: Vec<&str> = a0["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(cats, ["Tech / AI", "Feeds One", "Raw Category"]);
    let a1 = all.iter().find(|a| a["title"] == "Story 1 & more").unwrap();
    assert_eq!(a1["categories"][0], "World News");
    assert_eq!(a1["source"], "Northern Signal");
    // The body is the item's HTML, rendered when shown.
    let o = tidings(home.path(), &["show", a0["id"].as_str().unwrap()]);
    assert!(
        text(&o).0.contains("Body of story 1001 with bold text."),
        "{}",
        text(&o).0
    );
    // The sets are marks.
    let unread = list(home.path(), &["--unread"]);
    assert_eq!(unread.len(), 4);
    assert!(unread.iter().all(|a| a["title"] != "Story 0 & more"));
    let starred = list(home.path(), &["--starred"]);
    assert_eq!(starred.len(), 1);
    assert_eq!(starred[0]["title"], "Story 1 & more");
    // State changed elsewhere is picked up with ids only, items since the last sync only.
    {
        let mut w = fake.world();
        w.unread.insert(1001);
        w.unread.remove(&1005);
        w.starred.clear();
        w.requests.clear();
    }
    let (v, err, second) = sync(home.path());
    assert_eq!(
        (v["new"].as_u64(), v["updated"].as_u64()),
        (Some(0), Some(0)),
        "{err}"
    );
    let pages = fake.requests_to("reading-list");
    assert_eq!(pages.len(), 1);
    assert!(pages[0].param("ot").is_some(), "{:?}", pages[0]);
    assert!(
        fake.requests_to("/accounts/ClientLogin").is_empty(),
        "the kept token is used"
    );
    let unread = list(home.path(), &["--unread"]);
    assert_eq!(unread.len(), 4);
    assert!(unread.iter().any(|a| a["title"] == "Story 0 & more"));
    assert!(list(home.path(), &["--starred"]).is_empty());
    assert_no_credentials(home.path(), &[&first, &second]);
}

#[test]
fn marks_go_out_in_edit_tag_batches_with_exact_bodies() {
    let fake = greader::start(greader::items(4, |_| vec![]), 100);
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    sync(home.path());
    let all = list(home.path(), &[]);
    let ids: Vec<String> = (0..3)
        .map(|i| id_of(&all, &format!("Story {i} & more")))
        .collect();
    fake.world().requests.clear();
    let mut args = vec!["mark"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--read", "--star"]);
    let o = tidings(home.path(), &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert_eq!(
        out.trim(),
        "marked 3 articles read and starred; 3 sent to the server"
    );
    let edits = fake.requests_to("/edit-tag");
    assert_eq!(edits.len(), 2, "one request per state: {edits:?}");
    assert_eq!(
        edits[0].body,
        "i=1001&i=1002&i=1003&a=user%2F-%2Fstate%2Fcom.google%2Fread&T=T-write-token-1"
    );
    assert_eq!(
        edits[1].body,
        "i=1001&i=1002&i=1003&a=user%2F-%2Fstate%2Fcom.google%2Fstarred&T=T-write-token-1"
    );
    assert_eq!(fake.requests_to("/token").len(), 1);
    {
        let w = fake.world();
        assert_eq!(w.unread.iter().copied().collect::<Vec<_>>(), [1004]);
        assert_eq!(w.starred.len(), 3);
    }
    // Unread and unstar: `r=`.
    fake.world().requests.clear();
    let o = tidings(home.path(), &["mark", &ids[0], "--unread", "--unstar"]);
    assert!(o.status.success());
    let edits = fake.requests_to("/edit-tag");
    assert_eq!(
        edits[0].body,
        "i=1001&r=user%2F-%2Fstate%2Fcom.google%2Fread&T=T-write-token-1"
    );
    assert_eq!(
        edits[1].body,
        "i=1001&r=user%2F-%2Fstate%2Fcom.google%2Fstarred&T=T-write-token-1"
    );
    // The local marks agree, and a sync keeps them.
    sync(home.path());
    assert_eq!(list(home.path(), &["--unread"]).len(), 2);
    assert_eq!(list(home.path(), &["--starred"]).len(), 2);
    // A local article can be marked too (no server involved).
    let o = tidings(home.path(), &["mark", "0123456789abcdef", "--star"]);
    assert_eq!(text(&o).0.trim(), "marked 1 article starred");
}

#[test]
fn many_marks_take_few_requests() {
    let fake = greader::start(greader::items(1000, |_| vec![]), 1000);
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    sync(home.path());
    let ids: Vec<String> = list(home.path(), &[])
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 1000);
    fake.world().requests.clear();
    let mut args = vec!["mark"];
    args.extend(ids.iter().map(String::as_str));
    args.push("--read");
    let o = tidings(home.path(), &args);
    assert!(o.status.success(), "{:?}", text(&o));
    let n = fake.world().requests.len();
    assert!(n <= 5, "{n} requests for 1,000 marks");
    assert!(fake.world().unread.is_empty());
}

/// An expired session means one new login; refused again, it is named once. FreshRSS and
/// Miniflux (whose refusal is a plain-text 401, and whose new login gives the same token
/// again); then a wrong password, named as such (Miniflux refuses it with a JSON 401).
#[test]
fn an_expired_token_means_one_new_login() {
    for fake in [
        greader::start(greader::items(2, |_| vec![]), 100),
        greader::start_miniflux(greader::items(2, |_| vec![])),
    ] {
        let home = tempfile::tempdir().unwrap();
        config(home.path(), &fake);
        sync(home.path());
        // The server forgets the session.
        fake.world().tokens.clear();
        let (v, err, _) = sync(home.path());
        assert_eq!(v["failures"], Value::Array(vec![]), "{err}");
        assert_eq!(fake.world().logins, 2);
        // Refused even after a new login: named, once.
        fake.world().faults.refuse_tokens = true;
        let (v, err, o) = sync(home.path());
        assert!(!o.status.success());
        assert_eq!(fake.world().logins, 3);
        assert!(
            err.contains("the session token expired and a new login was refused too"),
            "{err}"
        );
        assert_eq!(v["offline"], true);
        assert_eq!(v["articles"], 2, "the archive's articles are still there");
        fake.world().faults.refuse_tokens = false;
        std::fs::remove_dir_all(home.path().join("cache")).unwrap();
        let cfg = std::fs::read_to_string(home.path().join("config.toml")).unwrap();
        let wrong = cfg.replace(PASSWORD, "wrong-one");
        std::fs::write(home.path().join("config.toml"), wrong).unwrap();
        let (v, err, _) = sync(home.path());
        assert!(
            err.contains("login refused: check the user and the API password"),
            "{err}"
        );
        assert_eq!(v["articles"], 2);
    }
}

#[test]
fn queued_marks_survive_a_failing_server_and_are_sent_later() {
    let fake = greader::start(greader::items(3, |_| vec![]), 100);
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    sync(home.path());
    let id = id_of(&list(home.path(), &[]), "Story 2 & more");
    fake.world().faults.edit_fails = true;
    let o = tidings(home.path(), &["mark", &id, "--read"]);
    let (out, err) = text(&o);
    assert!(out.starts_with("marked 1 article read"), "{out}");
    assert!(
        err.contains("HTTP 500") && err.contains("1 mark(s) kept"),
        "{err}"
    );
    assert!(fake.requests_to("/edit-tag").len() >= 2, "tried again");
    // The local mark holds, even though the server still says unread.
    let (v, _, _) = sync(home.path());
    assert_eq!(v["marks_pending"], 1);
    assert!(
        list(home.path(), &["--unread"])
            .iter()
            .all(|a| a["id"] != id.as_str())
    );
    // The server comes back: the next sync sends it.
    fake.world().faults.edit_fails = false;
    fake.world().requests.clear();
    let (v, err, _) = sync(home.path());
    assert_eq!(
        (v["marks_sent"].as_u64(), v["marks_pending"].as_u64()),
        (Some(1), Some(0)),
        "{err}"
    );
    assert_eq!(
        fake.requests_to("/edit-tag")[0].body,
        "i=1003&a=user%2F-%2Fstate%2Fcom.google%2Fread&T=T-write-token-1"
    );
    assert!(!fake.world().unread.contains(&1003));
}

#[test]
fn every_failure_is_named_and_the_archive_shows_offline() {
    let fake = greader::start(greader::items(3, |_| vec![]), 100);
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    sync(home.path());
    let mut outputs = Vec::new();
    type Fault = Box<dyn Fn(&mut greader::World)>;
    let cases: Vec<(Fault, &str)> = vec![
        (
            Box::new(|w| w.faults.status = Some(500)),
            "HTTP 500 Internal Server Error",
        ),
        (Box::new(|w| w.faults.truncated = true), "malformed answer"),
        (Box::new(|w| w.faults.endless = true), "paging never ends"),
        (
            Box::new(|w| w.faults.slow = Some(std::time::Duration::from_secs(5))),
            "timed out",
        ),
    ];
    for (fault, want) in cases {
        fault(&mut fake.world());
        let (v, err, o) = sync(home.path());
        assert!(!o.status.success());
        assert!(
            err.contains(want) && err.contains(&fake.url()),
            "{want}: {err}"
        );
        assert_eq!(v["offline"], true);
        // The reader's and list's view: the last synced articles, with a warning.
        let l = tidings(home.path(), &["list"]);
        let (out, lerr) = text(&l);
        assert!(l.status.success(), "{lerr}");
        assert_eq!(out.lines().count(), 3, "{out}");
        assert!(lerr.contains("showing the last synced articles"), "{lerr}");
        outputs.push(o);
        outputs.push(l);
        fake.world().faults = greader::Faults::default();
    }
    // A login page where the API should be; a wrong password.
    std::fs::remove_dir_all(home.path().join("cache")).unwrap();
    fake.world().faults.html_login = true;
    let (_, err, o) = sync(home.path());
    assert!(err.contains("not a Google Reader API"), "{err}");
    outputs.push(o);
    fake.world().faults.html_login = false;
    let cfg = std::fs::read_to_string(home.path().join("config.toml")).unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        cfg.replace(PASSWORD, "wrong-one"),
    )
    .unwrap();
    let (_, err, o) = sync(home.path());
    assert!(
        err.contains("login refused: check the user and the API password"),
        "{err}"
    );
    assert!(!err.contains("wrong-one"));
    outputs.push(o);
    // Nothing listens: the connection.
    let port = fake.url();
    drop(fake);
    std::thread::sleep(std::time::Duration::from_millis(50));
    let (_, err, o) = sync(home.path());
    assert!(
        err.contains(&port) && err.contains("could not connect"),
        "{err}"
    );
    outputs.push(o);
    let refs: Vec<&Output> = outputs.iter().collect();
    assert_no_credentials(home.path(), &refs);
}

#[test]
fn no_server_in_the_config_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), "").unwrap();
    let o = tidings(home.path(), &["sync"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("no sync server in the config"));
    let o = tidings(home.path(), &["mark", "nothex", "--read"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The speed targets against a loopback server (run with `--ignored`; figures are for
/// a release build: `scripts/bench-sync.sh`): a first sync of 10,000 items within 5 s, a sync
/// with nothing new within 0.3 s; against the FreshRSS-like server and the Miniflux one (by
/// ids, then 20 POSTs of 500 items).
#[test]
#[ignore]
fn speed_of_a_first_and_an_empty_sync() {
    let items = || greader::items(10_000, |i| vec![format!("L{}", i % 7)]);
    for (flavour, fake) in [
        ("stream/contents", greader::start(items(), 1000)),
        ("miniflux", greader::start_miniflux(items())),
    ] {
        let home = tempfile::tempdir().unwrap();
        config(home.path(), &fake);
        let t = std::time::Instant::now();
        let (v, err, _) = sync(home.path());
        let first = t.elapsed();
        assert_eq!(v["new"], 10_000, "{err}");
        let t = std::time::Instant::now();
        let (v, err, _) = sync(home.path());
        let again = t.elapsed();
        assert_eq!(v["new"], 0, "{err}");
        eprintln!(
            "{flavour}: first sync of 10,000 items: {first:?}; a sync with nothing new: {again:?}"
        );
        let release = !cfg!(debug_assertions);
        if release {
            assert!(first.as_secs_f64() <= 5.0, "{flavour}: {first:?}");
            assert!(again.as_secs_f64() <= 0.3, "{flavour}: {again:?}");
        }
    }
}

#[test]
fn queued_marks_survive_a_sigkill() {
    let fake = greader::start(greader::items(2, |_| vec![]), 100);
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    sync(home.path());
    let id = id_of(&list(home.path(), &[]), "Story 0 & more");
    // The server hangs: `mark` has queued the mark and waits for it; it is killed there.
    fake.world().faults.slow = Some(std::time::Duration::from_secs(10));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    let mut child = common::isolated(&mut cmd, home.path())
        .args(["mark", &id, "--star", "--config"])
        .arg(home.path().join("config.toml"))
        .arg("--data-dir")
        .arg(home.path().join("data"))
        .arg("--cache-dir")
        .arg(home.path().join("cache"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let queue = home.path().join("data").join("sync");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while walk(&queue).iter().all(|p| {
        !std::fs::read_to_string(p)
            .unwrap_or_default()
            .contains("1001")
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "the mark was never queued"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    fake.world().faults = greader::Faults::default();
    let (v, err, _) = sync(home.path());
    assert_eq!(v["marks_sent"], 1, "{err}");
    assert!(fake.world().starred.contains(&1001));
}

/// The reader: it shows the server's articles and state, a mark made with `s` reaches the
/// server, and `S` shows the server synced.
#[test]
fn the_reader_syncs_and_sends_its_marks() {
    if !common::tmux_available() {
        return;
    }
    let fake = greader::start(greader::items(3, |_| vec!["Tech".into()]), 100);
    fake.world().unread.remove(&1003);
    let home = tempfile::tempdir().unwrap();
    let cfg = config(home.path(), &fake);
    let data = home.path().join("data");
    let cache = home.path().join("cache");
    let tmux = common::Tmux::start(
        "sync",
        "reader",
        home.path(),
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[],
        (120, 30),
        &[
            env!("CARGO_BIN_EXE_tidings"),
            "--config",
            cfg.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
        ],
    );
    // The newest story first, read on the server: two unread.
    tmux.wait_until(false, "the synced headlines", |s| {
        s.contains("Story 2 & more") && s.contains("2 unread") && s.contains("synced")
    });
    tmux.send(&["s"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !fake.world().starred.contains(&1003) {
        assert!(
            std::time::Instant::now() < deadline,
            "the star never reached the server"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let edit = fake.requests_to("/edit-tag");
    assert_eq!(
        edit.last().unwrap().body,
        "i=1003&a=user%2F-%2Fstate%2Fcom.google%2Fstarred&T=T-write-token-1"
    );
    // The server now refuses marks: the unstar waits, and the sources view says so at once
    // (not at the next sync).
    fake.world().faults.edit_fails = true;
    let tried = fake.requests_to("/edit-tag").len();
    tmux.send(&["s"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while fake.requests_to("/edit-tag").len() <= tried {
        assert!(
            std::time::Instant::now() < deadline,
            "the unstar was never tried"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tmux.send(&["S"]);
    tmux.wait_until(false, "the sources view", |s| {
        s.contains("home · http://127.0.0.1")
            && s.contains("3 articles, synced at")
            && s.contains("1 mark waiting to be sent")
    });
    tmux.send(&["Escape"]);
    tmux.wait_until(false, "the sources view closed", |s| {
        !s.contains("Sources · S")
    });
    tmux.send(&["q"]);
    tmux.wait_exit();
}

/// The form fields of a request's body.
fn fields(r: &greader::Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(r.body.as_bytes())
        .into_owned()
        .collect()
}

fn long(id: u64) -> String {
    format!("tag:google.com,2005:reader/item/{id:016x}")
}

/// Miniflux (the fake behaves as its handler reads, see `greader::miniflux`): no
/// `stream/contents`, so the reading list comes as ids, then the items in batches of
/// `stream/items/contents`; a later sync asks only for the items it has not got; marks go out
/// with `edit-tag` and `T` in the body, the only place Miniflux reads a POST's token from.
#[test]
fn miniflux_first_and_incremental_syncs_and_marks() {
    let fake = greader::start_miniflux(greader::items(1203, |_| vec![]));
    {
        let mut w = fake.world();
        // A lower cap than Miniflux's 10,000, so the ids come in pages.
        w.page = 500;
        w.unread.remove(&1001);
        w.starred.insert(1002);
    }
    assert!(!fake.url().contains("greader.php"), "served at the root");
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    let (v, err, first) = sync(home.path());
    assert_eq!(v["new"], 1203, "{v} {err}");
    assert_eq!(v["failures"], Value::Array(vec![]), "{err}");
    assert_eq!(
        (v["read"].as_u64(), v["starred"].as_u64()),
        (Some(1), Some(1))
    );
    // `stream/contents` was asked once and answered `[]`: the reading list came as ids, in
    // pages of 500 (`c` an offset), with no `ot`.
    assert_eq!(
        fake.requests_to("/stream/contents/user/-/state/com.google/reading-list")
            .len(),
        1
    );
    let lists: Vec<greader::Request> = fake
        .requests_to("/stream/items/ids")
        .into_iter()
        .filter(|r| {
            r.param("s").as_deref() == Some("user/-/state/com.google/reading-list")
                && r.param("xt").is_none()
        })
        .collect();
    let offsets: Vec<Option<String>> = lists.iter().map(|r| r.param("c")).collect();
    assert_eq!(offsets, [None, Some("500".into()), Some("1000".into())]);
    assert!(lists.iter().all(|r| r.param("ot").is_none()));
    // Then the items: POSTs of 500, 500 and 203 long ids, newest first, with `T` and
    // `output=json`.
    let contents = fake.requests_to("/stream/items/contents");
    let sizes: Vec<usize> = contents
        .iter()
        .map(|r| fields(r).iter().filter(|(k, _)| k == "i").count())
        .collect();
    assert_eq!(sizes, [500, 500, 203]);
    for r in &contents {
        assert_eq!(r.method, "POST");
        assert_eq!(r.param("output").as_deref(), Some("json"));
        assert!(
            fields(r).contains(&("T".into(), MINIFLUX_TOKEN.into())),
            "{r:?}"
        );
    }
    assert_eq!(fields(&contents[0])[0], ("i".into(), long(2203)));
    // The token came from ClientLogin's plain-text answer; GETs carry it in the header.
    assert_eq!(fake.world().logins, 1);
    let ids = fake.requests_to("/stream/items/ids");
    assert_eq!(
        ids[0].header("Authorization"),
        Some(format!("GoogleLogin auth={MINIFLUX_TOKEN}").as_str())
    );
    // The articles: the feed's category is the label; the body is the item's.
    let all = list(home.path(), &[]);
    assert_eq!(all.len(), 1203);
    let a0 = all.iter().find(|a| a["title"] == "Story 0 & more").unwrap();
    assert_eq!(a0["source"], "Harbour & Wire");
    assert_eq!(a0["categories"], serde_json::json!(["Feeds One"]));
    let a1 = all.iter().find(|a| a["title"] == "Story 1 & more").unwrap();
    assert_eq!(a1["categories"], serde_json::json!(["All"]));
    let o = tidings(home.path(), &["show", a0["id"].as_str().unwrap()]);
    assert!(text(&o).0.contains("Body of story 1001 with bold text."));
    assert_eq!(list(home.path(), &["--unread"]).len(), 1202);
    let starred = list(home.path(), &["--starred"]);
    assert_eq!(starred.len(), 1);
    assert_eq!(starred[0]["title"], "Story 1 & more");

    // Two new items on the server and a state changed there: the next sync asks for the two
    // only, and picks the state up from the sets.
    {
        let mut w = fake.world();
        for (id, title) in [(5001u64, "Fresh one"), (5002, "Fresh two")] {
            let mut item = w.items[0].clone();
            item.id = id;
            item.title = title.into();
            item.published = 1_700_000_000; // older than the rest: no `ot` would have found it
            w.items.push(item);
            w.unread.insert(id);
        }
        w.unread.remove(&1003);
        w.requests.clear();
    }
    let (v, err, second) = sync(home.path());
    assert_eq!(
        (v["new"].as_u64(), v["updated"].as_u64()),
        (Some(2), Some(0)),
        "{err}"
    );
    assert_eq!(v["articles"], 1205);
    let contents = fake.requests_to("/stream/items/contents");
    assert_eq!(contents.len(), 1);
    let asked: Vec<String> = fields(&contents[0])
        .into_iter()
        .filter(|(k, _)| k == "i")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(asked, [long(5002), long(5001)]);
    assert!(fake.requests_to("/accounts/ClientLogin").is_empty());
    let unread = list(home.path(), &["--unread"]);
    assert_eq!(unread.len(), 1203);
    assert!(unread.iter().all(|a| a["title"] != "Story 2 & more"));
    assert!(unread.iter().any(|a| a["title"] == "Fresh two"));
    // Nothing new: no contents asked at all.
    fake.world().requests.clear();
    let (v, err, _) = sync(home.path());
    assert_eq!(v["new"], 0, "{err}");
    assert!(fake.requests_to("/stream/items/contents").is_empty());

    // Marks: `edit-tag` with `T` and the states in the body; Miniflux applies them.
    let all = list(home.path(), &[]);
    let picked = [id_of(&all, "Story 3 & more"), id_of(&all, "Fresh one")];
    fake.world().requests.clear();
    let o = tidings(
        home.path(),
        &["mark", &picked[0], &picked[1], "--read", "--star"],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert_eq!(
        out.trim(),
        "marked 2 articles read and starred; 2 sent to the server"
    );
    let edits = fake.requests_to("/edit-tag");
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e.method == "POST"
        && fields(e).contains(&("T".into(), MINIFLUX_TOKEN.into()))));
    {
        let w = fake.world();
        assert!(!w.unread.contains(&1004) && !w.unread.contains(&5001));
        assert!(w.starred.contains(&1004) && w.starred.contains(&5001));
    }
    let o = tidings(home.path(), &["mark", &picked[1], "--unread", "--unstar"]);
    assert!(o.status.success(), "{:?}", text(&o));
    {
        let w = fake.world();
        assert!(w.unread.contains(&5001) && !w.starred.contains(&5001));
    }
    let (v, err, third) = sync(home.path());
    assert_eq!(v["marks_pending"], 0, "{err}");
    let starred: Vec<Value> = list(home.path(), &["--starred"]);
    let mut titles: Vec<&str> = starred
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Story 1 & more", "Story 3 & more"]);
    assert_no_credentials(home.path(), &[&first, &second, &third]);
}

/// An `https` URL to a server that does not speak TLS (plain HTTP, or garbage, or nothing):
/// the failure names TLS and the URL, and no credential.
#[test]
fn a_server_without_tls_is_a_tls_failure() {
    use std::io::{Read, Write};
    let replies: [&[u8]; 3] = [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK",
        b"\x00\x01garbage\xff\xfe\r\n\r\n",
        b"",
    ];
    for reply in replies {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let mut buf = [0u8; 1024];
                let _ = conn.read(&mut buf);
                let _ = conn.write_all(reply);
            }
        });
        let url = format!("https://127.0.0.1:{port}/api/greader.php");
        let home = tempfile::tempdir().unwrap();
        config_url(home.path(), &url);
        let (v, err, o) = sync(home.path());
        assert!(!o.status.success());
        assert!(
            err.contains(&url) && err.contains("TLS"),
            "{reply:?}: {err}"
        );
        assert!(
            v["failures"][0].as_str().unwrap_or("").contains("TLS"),
            "{v}"
        );
        assert_no_credentials(home.path(), &[&o]);
    }
}

/// Inoreader's app credentials (`app_id`, `app_key`) go as the `AppId` and `AppKey` headers
/// on every request, the login included, and the key is never shown or logged.
#[test]
fn app_credentials_go_on_every_request_and_stay_hidden() {
    let fake = greader::start(greader::items(2, |_| vec![]), 100);
    let home = tempfile::tempdir().unwrap();
    let cfg = config(home.path(), &fake);
    let key = "kk18irx-APP-KEY-SECRET";
    let mut text_cfg = std::fs::read_to_string(&cfg).unwrap();
    text_cfg.push_str(&format!("app_id = \"1000001414\"\napp_key = \"{key}\"\n"));
    std::fs::write(&cfg, text_cfg).unwrap();
    let (v, err, o) = sync(home.path());
    assert_eq!(v["new"], 2, "{err}");
    let requests = fake.world().requests.clone();
    assert!(requests.len() >= 5);
    for r in &requests {
        assert_eq!(r.header("AppId"), Some("1000001414"), "{r:?}");
        assert_eq!(r.header("AppKey"), Some(key), "{r:?}");
    }
    // A failure does not show it either.
    fake.world().faults.status = Some(500);
    let (_, err, failed) = sync(home.path());
    assert!(err.contains("HTTP 500"), "{err}");
    let log = std::fs::read_to_string(home.path().join("tidings").join("log")).unwrap();
    for s in [
        text(&o).0,
        text(&o).1,
        text(&failed).0,
        text(&failed).1,
        log,
    ] {
        assert!(!s.contains(key), "the app key was shown: {s}");
    }
    assert_no_credentials(home.path(), &[&o, &failed]);
}

/// FreshRSS's path given for a Miniflux: its web front answers, and the warning says which
/// URL each wants.
#[test]
fn a_wrong_path_on_miniflux_names_the_url_to_use() {
    let fake = greader::start_miniflux(greader::items(1, |_| vec![]));
    let home = tempfile::tempdir().unwrap();
    config_url(home.path(), &format!("{}/api/greader.php", fake.url()));
    let (v, err, o) = sync(home.path());
    assert!(!o.status.success());
    assert!(
        err.contains("not a Google Reader API") && err.contains("https://host for Miniflux"),
        "{err}"
    );
    assert_eq!(v["offline"], true);
    assert_eq!(fake.world().logins, 0);
}

/// A server without `stream/contents` that says so with a 404, 405 or 501 (rather than
/// Miniflux's `[]`) is read by ids too; a 500 there is a failure, not a missing call.
#[test]
fn a_missing_stream_contents_is_read_by_ids() {
    for (status, works) in [(404, true), (405, true), (501, true), (500, false)] {
        let fake = greader::start_miniflux(greader::items(3, |_| vec![]));
        fake.world().faults.contents_status = Some(status);
        let home = tempfile::tempdir().unwrap();
        config(home.path(), &fake);
        let (v, err, _) = sync(home.path());
        match works {
            true => {
                assert_eq!(v["new"], 3, "{status}: {err}");
                assert_eq!(fake.requests_to("/stream/items/contents").len(), 1);
            }
            false => {
                assert!(err.contains("HTTP 500"), "{err}");
                assert!(fake.requests_to("/stream/items/contents").is_empty());
            }
        }
    }
}

/// TheOldReader's item ids are 96-bit ObjectIds (its API's README): wider than the 64 bits
/// of Google Reader's, long in `stream/contents` and bare in `stream/items/ids`. They are
/// one item in both forms, so the sets apply, and a mark goes back in the long form.
#[test]
fn object_ids_wider_than_64_bits_sync_and_mark() {
    let fake = greader::start(greader::items(3, |_| vec![]), 100);
    {
        let mut w = fake.world();
        w.object_ids = true;
        w.unread.remove(&1002);
    }
    let home = tempfile::tempdir().unwrap();
    config(home.path(), &fake);
    let (v, err, _) = sync(home.path());
    assert_eq!(
        (v["new"].as_u64(), v["read"].as_u64()),
        (Some(3), Some(1)),
        "{err}"
    );
    let unread = list(home.path(), &["--unread"]);
    assert_eq!(unread.len(), 2);
    assert!(unread.iter().all(|a| a["title"] != "Story 1 & more"));
    let id = id_of(&unread, "Story 2 & more");
    fake.world().requests.clear();
    let o = tidings(home.path(), &["mark", &id, "--read"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let edits = fake.requests_to("/edit-tag");
    assert_eq!(
        fields(&edits[0])[0],
        (
            "i".into(),
            format!("tag:google.com,2005:reader/item/5f{:022x}", 1003)
        )
    );
    assert!(!fake.world().unread.contains(&1003));
    let (v, err, _) = sync(home.path());
    assert_eq!(
        (v["new"].as_u64(), v["read"].as_u64()),
        (Some(0), Some(2)),
        "{err}"
    );
}
