//! Security checks: hostile text never reaches the terminal, links never reach a shell, state and
//! cache files survive SIGKILL, the terminal is restored after a signal, and hostile servers are
//! bounded in size and time. See docs/security.md for the threat model.
//!
//! The tmux tests need `tmux` on PATH (skipped without it, unless `CI` is set).

mod common;

use common::{STEP_TIMEOUT, Tmux, tmux_available};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tidings");

// ---------------------------------------------------------------------------------------------
// Running the binary with its own data, config and cache folders.

fn tidings_in(dir: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp home");
    Command::new(BIN)
        .args(args)
        .env("TZ", "UTC")
        .env("XDG_DATA_HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_CACHE_HOME", home.path())
        .env_remove("BROWSER")
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("runs tidings")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every escape or control trick the hostile samples carry: CSI (colour, clear screen), OSC
/// (window title, hyperlink), DCS, the 8-bit C1 CSI and OSC, BEL, bidi overrides and isolates,
/// a zero-width space. Visible letters between them show what survived.
const EVIL: &str = "\x1b[31mRED\x1b[2J\x1b]0;x\x07\x1b]8;;http://x\x1b\\LINK\x1bPdcs\x1b\\\u{9b}C1\u{9d}OSC\x07BEL\u{202e}RLO\u{2066}LRI\u{200b}ZW";

/// `EVIL` as HTML numeric character references (for HTML inside CDATA, where a feed's body is
/// decoded by tidings' own HTML reader), plus a NUL.
fn evil_html_entities() -> String {
    format!("{EVIL}\u{0}NUL")
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c.to_string()
            } else {
                format!("&#{};", c as u32)
            }
        })
        .collect()
}

/// `EVIL` for raw XML text: `&`, `<` escaped, the control bytes left raw (XML 1.0 forbids them,
/// but a hostile server sends them anyway), plus a raw NUL.
fn evil_raw_xml() -> String {
    format!("{EVIL}\u{0}NUL")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
}

/// A folder holding a hostile article file, RSS feed and JSON Feed.
fn hostile_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    // Article files with a NUL are skipped as binary, so none here; everything else is raw.
    let article = format!(
        "Categories: Evil{EVIL} / Sub{EVIL}; Other{EVIL}\n\
         Source: Src{EVIL}\n\
         Author: Auth{EVIL}\n\
         Date: 2025-06-04T10:00:00Z\n\
         Link: https://example.com/article{EVIL}\n\
         \n\
         Title{EVIL}\n\
         \n\
         Body paragraph{EVIL} goes on.\n\
         \n\
         > Quote{EVIL}\n\
         \n\
         - Item{EVIL}\n\
         \n\
         Second paragraph{EVIL} ends here.\n"
    );
    std::fs::write(dir.path().join("article.txt"), article).unwrap();

    let raw = evil_raw_xml();
    let ent = evil_html_entities();
    let html = format!(
        "<p>Html{ent} <a href=\"https://example.com/l{ent}\">anchor{ent}</a> end</p>\
         <h2>Heading{ent}</h2><pre>code{ent}</pre><ul><li>li{ent}</li></ul>\
         <blockquote>bq{ent}</blockquote><img alt=\"img{ent}\" src=\"x.png\">"
    );
    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\"><channel><title>RssFeed{raw}</title>\
         <link>https://example.com/</link>\n\
         <item><title>RssItem{raw}</title><link>https://example.com/rss{raw}</link>\
         <guid>rss-1</guid><author>a@example.com (Author{raw})</author>\
         <category>RssCat{raw}/Sub{raw}</category>\
         <pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate>\
         <description><![CDATA[{html}]]></description></item>\n\
         </channel></rss>\n"
    );
    std::fs::write(dir.path().join("feed.rss"), rss).unwrap();

    let evil_nul = format!("{EVIL}\u{0}NUL");
    let json_feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": format!("JsonFeed{evil_nul}"),
        "items": [{
            "id": "json-1",
            "title": format!("JsonItem{evil_nul}"),
            "url": format!("https://example.com/json{evil_nul}"),
            "date_published": "2025-06-02T10:00:00Z",
            "content_html": format!("<p>JsonHtml{evil_nul}</p><p>more{ent}</p>"),
            "summary": format!("Summary{evil_nul}"),
            "tags": [format!("JsonTag{evil_nul}")],
            "authors": [{"name": format!("JsonAuthor{evil_nul}")}],
        }],
    });
    std::fs::write(
        dir.path().join("feed.json"),
        serde_json::to_vec(&json_feed).unwrap(),
    )
    .unwrap();
    dir
}

/// Characters that must never be printed: bidi controls, zero-width tricks, C1 controls, DEL.
fn forbidden_char(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{061c}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// Bytes safe to print: UTF-8, no control byte but `\n`, no forbidden character, and no JSON
/// escape of a control character (`\u001b`): the model must hold none to escape.
fn assert_clean(what: &str, bytes: &[u8]) {
    if let Some(i) = bytes.iter().position(|&b| b < 0x20 && b != b'\n') {
        panic!(
            "{what}: control byte {:#04x} at {i}: {:?}",
            bytes[i],
            text(&bytes[i.saturating_sub(40)..(i + 40).min(bytes.len())])
        );
    }
    let s = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    if let Some(c) = s.chars().find(|&c| forbidden_char(c)) {
        panic!("{what}: forbidden character U+{:04X} in {s:?}", c as u32);
    }
    assert!(
        !s.contains("\\u00"),
        "{what}: a JSON-escaped control character: {s}"
    );
}

// ---------------------------------------------------------------------------------------------
// 1. Hostile sample through the command line, to a pipe.

#[test]
fn hostile_sample_prints_clean_everywhere() {
    let dir = hostile_dir();
    let d = dir.path();
    let list = tidings_in(d, &["list", ".", "--json"]);
    assert_eq!(list.status.code(), Some(0), "{}", text(&list.stderr));
    assert_clean("list --json", &list.stdout);
    assert_clean("list --json stderr", &list.stderr);
    let items: Value = serde_json::from_slice(&list.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 3, "{items:#?}");
    let all = text(&list.stdout);
    // The visible letters survive, so the checks below are not vacuous.
    for marker in [
        "TitleRED",
        "RssItemRED",
        "JsonItemRED",
        "SrcRED",
        "RssFeedRED",
        "JsonFeedRED",
        "AuthRED",
        "JsonAuthorRED",
        "EvilRED",
        "JsonTagRED",
        "RssCat",
    ] {
        assert!(all.contains(marker), "{marker} missing from {all}");
    }

    for args in [
        &["list", "."][..],
        &["categories", "."],
        &["categories", ".", "--json"],
        &["list", ".", "--search", "red"],
    ] {
        let o = tidings_in(d, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        assert_clean(&format!("{args:?}"), &o.stdout);
        assert_clean(&format!("{args:?} stderr"), &o.stderr);
        assert!(text(&o.stdout).contains("RED"), "{args:?}");
    }

    for item in items {
        let id = item["id"].as_str().unwrap();
        for json in [false, true] {
            let mut args = vec!["show", id, ".", "--width", "60"];
            if json {
                args.push("--json");
            }
            let o = tidings_in(d, &args);
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
            assert_clean(&format!("{args:?}"), &o.stdout);
            assert_clean(&format!("{args:?} stderr"), &o.stderr);
            let out = text(&o.stdout);
            assert!(out.contains("RED") && out.contains("LINK"), "{out}");
        }
    }
}

/// A billion-laughs document: quick-xml does not expand custom entities, so the feed is either
/// rejected or read with the references left alone, quickly and without blowing up memory.
#[test]
fn billion_laughs_is_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY l0 \"lol\">\n");
    for i in 1..=9 {
        let p = i - 1;
        doc.push_str(&format!(
            "<!ENTITY l{i} \"&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};\">\n"
        ));
    }
    doc.push_str(
        "]>\n<rss version=\"2.0\"><channel><title>Laughs &l9;</title>\
         <item><title>Item &l9;</title><guid>1</guid><description>&l9;</description></item>\
         </channel></rss>\n",
    );
    std::fs::write(dir.path().join("lol.rss"), doc).unwrap();
    let t = Instant::now();
    let o = tidings_in(dir.path(), &["list", "lol.rss", "--json"]);
    let took = t.elapsed();
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        o.stdout.len() < 100_000,
        "an expansion reached the output: {} bytes",
        o.stdout.len()
    );
    assert!(!text(&o.stdout).contains("lollol"), "{}", text(&o.stdout));
    // Either outcome is safe; record which one for docs/security.md.
    eprintln!(
        "billion laughs: exit {:?} in {took:?}; stdout {:?}; stderr {:?}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// The terminal tests run tidings under the shared tmux harness (tests/common).

/// A tmux server (session `sec`) running `argv` in `cwd`, with XDG folders in `cwd/.home`.
fn start_tmux(
    name: &str,
    cwd: &Path,
    env: &[(&str, &str)],
    size: (u16, u16),
    argv: &[&str],
) -> Tmux {
    let home = cwd.join(".home");
    std::fs::create_dir_all(&home).unwrap();
    Tmux::start(&format!("sec-{name}"), "sec", &home, cwd, env, size, argv)
}

/// Every escape sequence in a `capture-pane -e` capture, or an error naming one that is not SGR.
fn non_sgr_escapes(captured: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let mut rest = captured;
    while let Some(i) = rest.find('\x1b') {
        let seq = &rest[i + 1..];
        let ok_len = seq.strip_prefix('[').and_then(|params| {
            let end = params.find(|c: char| ('@'..='~').contains(&c))?;
            let params_ok = params[..end]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ';' || c == ':');
            (params_ok && params[end..].starts_with('m')).then_some(end + 2)
        });
        match ok_len {
            Some(n) => rest = &seq[n..],
            None => {
                bad.push(seq.chars().take(20).collect());
                rest = seq;
            }
        }
    }
    bad
}

fn assert_screen_clean(what: &str, escaped: &str, plain: &str) {
    let bad = non_sgr_escapes(escaped);
    assert!(
        bad.is_empty(),
        "{what}: escape sequences other than SGR: {bad:?}\n{}",
        escaped.replace('\x1b', "^[")
    );
    if let Some(c) = plain
        .chars()
        .find(|&c| (c < ' ' && c != '\n') || forbidden_char(c))
    {
        panic!("{what}: U+{:04X} on screen:\n{plain}", c as u32);
    }
}

// ---------------------------------------------------------------------------------------------
// 2. The reader shows the hostile articles with nothing but SGR escapes.

#[test]
fn reader_shows_hostile_articles_with_only_sgr() {
    if !tmux_available() {
        return;
    }
    let dir = hostile_dir();
    let list = tidings_in(dir.path(), &["list", ".", "--json"]);
    let items: Value = serde_json::from_slice(&list.stdout).unwrap();
    let titles: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    // Under 80 columns one pane fills the screen: the open article is the only one shown.
    let t = start_tmux("reader", dir.path(), &[], (78, 40), &[BIN, "."]);
    let start = t.wait_until(false, "the headlines", |s| {
        titles.iter().all(|title| s.contains(&title[..8]))
    });
    assert_screen_clean("headlines", &t.capture(true), &start);
    for (k, title) in titles.iter().enumerate() {
        t.send(&[if k == 0 { "Enter" } else { "J" }]);
        let prefix = &title[..title.len().min(12)];
        let others: Vec<&str> = titles
            .iter()
            .filter(|o| *o != title)
            .map(|o| &o[..o.len().min(12)])
            .collect();
        let plain = t.wait_until(false, &format!("the article {title:?}"), |s| {
            s.contains(prefix) && others.iter().all(|o| !s.contains(o))
        });
        assert!(plain.contains("RED"), "{plain}");
        assert_screen_clean(title, &t.capture(true), &plain);
        // Scroll to the end of the article (links, quotes, lists) and check again.
        t.send(&["G"]);
        thread::sleep(Duration::from_millis(200));
        let plain = t.capture(false);
        assert_screen_clean(&format!("{title} (end)"), &t.capture(true), &plain);
    }
    // OSC 0 would have set the pane title to "x".
    let title = t.display("#{pane_title}");
    assert_ne!(title, "x", "the window title was changed");
    assert_eq!(t.display("#{pane_dead}"), "0", "tidings still runs");
    t.send(&["q"]);
}

// ---------------------------------------------------------------------------------------------
// 3. Links: one argument, never a shell; only http, https and mailto.

#[test]
fn browser_command_keeps_hostile_urls_one_argument() {
    use tidings::shell::terminal::browser_command;
    let urls = [
        "https://example.com/a b",
        "https://example.com/\"quoted\" 'single'",
        "https://example.com/a;rm -rf ~",
        "https://example.com/$(touch /tmp/x)",
        "https://example.com/`touch /tmp/x`",
        "https://example.com/a\nb",
        "https://example.com/a|b&c>d<e",
        "https://example.com/%s",
        "-flag-like",
    ];
    for url in urls {
        for browser in ["firefox", "firefox --new-tab", "links -g %s -x", "w3m:lynx"] {
            let (program, args) = browser_command(browser, url).unwrap();
            assert_eq!(
                args.iter().filter(|a| a.as_str() == url).count(),
                1,
                "{browser:?} {url:?}: {args:?}"
            );
            let fixed: Vec<&str> = browser
                .split(':')
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            assert_eq!(program, fixed[0]);
            assert_eq!(
                args.len(),
                fixed.len() - 1 + usize::from(!fixed.contains(&"%s"))
            );
        }
    }
}

/// Writes a `$BROWSER` script that appends each argument, NUL-terminated, to `out`.
fn browser_script(dir: &Path, out: &Path) -> PathBuf {
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> '{}'; done\n",
            out.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    script
}

fn link_feed(items: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Links</title>\n",
    );
    for (k, (title, link)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{link}</link><guid>g{k}</guid>\
             <pubDate>Mon, 0{} Jun 2025 10:00:00 GMT</pubDate>\
             <description>Body of {title}.</description></item>\n",
            9 - k
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

fn find_pwned(dir: &Path) -> Vec<PathBuf> {
    walkdir(dir)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("PWNED"))
        })
        .collect()
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}

#[test]
fn opening_a_hostile_link_passes_it_as_one_argument() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("browser-args");
    let script = browser_script(d, &out);
    let link = "https://example.com/a b;$(touch PWNED)&amp;x=`touch PWNED2`|touch PWNED3";
    std::fs::write(d.join("links.rss"), link_feed(&[("Hostile link", link)])).unwrap();
    let list = tidings_in(d, &["list", "links.rss", "--json"]);
    let items: Value = serde_json::from_slice(&list.stdout).unwrap();
    let held = items[0]["link"]
        .as_str()
        .expect("the link is kept")
        .to_string();

    let t = start_tmux(
        "link",
        d,
        &[("BROWSER", script.to_str().unwrap())],
        (100, 30),
        &[BIN, "links.rss"],
    );
    t.wait_until(false, "the headline", |s| s.contains("Hostile link"));
    t.send(&["Enter"]);
    t.wait_until(false, "the article", |s| s.contains("Body of Hostile link"));
    t.send(&["o"]);
    let start = Instant::now();
    while !out.exists() && start.elapsed() < STEP_TIMEOUT {
        thread::sleep(Duration::from_millis(50));
    }
    // Let the script finish writing.
    thread::sleep(Duration::from_millis(200));
    let got = std::fs::read(&out).expect("the browser script ran");
    let args: Vec<String> = got
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(text)
        .collect();
    assert_eq!(
        args,
        std::slice::from_ref(&held),
        "the browser got exactly the URL"
    );
    assert!(
        got.ends_with(b"\0") && got.iter().filter(|&&b| b == 0).count() == 1,
        "{got:?}"
    );
    assert!(find_pwned(d).is_empty(), "{:?}", find_pwned(d));
    assert!(find_pwned(Path::new(env!("CARGO_MANIFEST_DIR"))).is_empty());
    // tidings took the terminal back and still runs (the screen is redrawn on the next key:
    // see `screen_is_redrawn_after_the_browser_returns`).
    t.send(&["k"]);
    t.wait_until(false, "the reader again", |s| {
        s.contains("Body of Hostile link")
    });
    assert_eq!(t.display("#{pane_dead}"), "0");
    t.send(&["q"]);
}

/// After `$BROWSER` returns, the reader must come back by itself. Observed: the screen stays
/// blank until the next key, because `open_url` calls `Terminal::clear`, which asks the terminal
/// for the cursor position while the input thread holds crossterm's event reader.
#[test]
fn screen_is_redrawn_after_the_browser_returns() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("browser-args");
    let script = browser_script(d, &out);
    std::fs::write(
        d.join("links.rss"),
        link_feed(&[("Plain link", "https://example.com/plain")]),
    )
    .unwrap();
    let t = start_tmux(
        "redraw",
        d,
        &[("BROWSER", script.to_str().unwrap())],
        (100, 30),
        &[BIN, "links.rss"],
    );
    t.wait_until(false, "the headline", |s| s.contains("Plain link"));
    t.send(&["Enter"]);
    t.wait_until(false, "the article", |s| s.contains("Body of Plain link"));
    t.send(&["o"]);
    t.wait_until(false, "the reader after the browser", |s| {
        out.exists() && s.contains("Body of Plain link")
    });
    t.send(&["q"]);
}

#[test]
fn non_web_links_never_run_the_browser() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("browser-args");
    let script = browser_script(d, &out);
    let feed = link_feed(&[
        ("Script link", "javascript:alert(document.cookie)"),
        ("File link", "file:///etc/passwd"),
        (
            "Data link",
            "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
    ]);
    std::fs::write(d.join("links.rss"), feed).unwrap();
    // The feed adapter drops non-web links; an article file keeps its `Link:` as written, so this
    // one reaches the reader's own check. Undated: it sorts last.
    std::fs::write(
        d.join("js.txt"),
        "Link: javascript:alert(1)\n\nJs link\n\nBody of Js link.\n",
    )
    .unwrap();
    let list = tidings_in(d, &["list", ".", "--json"]);
    eprintln!(
        "non-web links as held: {:?}",
        serde_json::from_slice::<Value>(&list.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["link"].clone())
            .collect::<Vec<_>>()
    );
    let t = start_tmux(
        "nonweb",
        d,
        &[("BROWSER", script.to_str().unwrap())],
        (100, 30),
        &[BIN, "."],
    );
    t.wait_until(false, "the headlines", |s| s.contains("Script link"));
    // In the reader's order, which is `list`'s (newest first).
    let order: Vec<String> = serde_json::from_slice::<Value>(&list.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order.len(), 4);
    for (k, title) in order.iter().enumerate() {
        t.send(&[if k == 0 { "Enter" } else { "J" }]);
        let body = format!("Body of {title}");
        t.wait_until(false, title, |s| s.contains(&body));
        t.send(&["o"]);
        thread::sleep(Duration::from_millis(300));
        // Also through the link list.
        t.send(&["L"]);
        thread::sleep(Duration::from_millis(200));
        t.send(&["Enter"]);
        thread::sleep(Duration::from_millis(200));
        t.send(&["Escape"]);
        thread::sleep(Duration::from_millis(200));
        assert!(!out.exists(), "{title}: the browser ran");
    }
    let held: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert!(
        held.as_array()
            .unwrap()
            .iter()
            .any(|i| i["link"] == "javascript:alert(1)"),
        "the article file's javascript: link reaches the reader"
    );
    assert_eq!(t.display("#{pane_dead}"), "0");
    t.send(&["q"]);
}

// ---------------------------------------------------------------------------------------------
// 4. Crash safety: writers killed with SIGKILL at random moments.

/// A small xorshift generator seeded from the clock: no extra dependency, different each run.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        eprintln!("rng seed {seed}");
        Rng(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The child side: when `TIDINGS_SAVE_LOOP` names a folder, save marks there forever (until
/// killed). `TIDINGS_SAVE_ROUND` keeps each child's ids apart. A no-op in a normal test run.
#[test]
fn save_loop_child() {
    let Some(dir) = std::env::var_os("TIDINGS_SAVE_LOOP") else {
        return;
    };
    let round = std::env::var("TIDINGS_SAVE_ROUND").unwrap();
    let store = tidings::sources::store::Store::new(PathBuf::from(dir));
    for k in 0.. {
        let id = tidings::core::model::ArticleId::from_key(&format!("{round}-{k}"));
        store
            .save(&[tidings::core::state::Mark {
                id,
                read: true,
                starred: k % 2 == 0,
            }])
            .unwrap();
    }
}

/// The child side for the HTTP cache: store ever-changing bodies for one URL until killed.
#[test]
fn cache_loop_child() {
    let Some(dir) = std::env::var_os("TIDINGS_CACHE_LOOP") else {
        return;
    };
    let round = std::env::var("TIDINGS_SAVE_ROUND").unwrap();
    let cache = tidings::sources::cache::Cache::new(PathBuf::from(dir));
    for k in 0u64.. {
        cache
            .store(
                CACHE_URL,
                None,
                &cache_body(&format!("{round}-{k}")),
                Some("\"e\""),
                None,
            )
            .unwrap();
    }
}

const CACHE_URL: &str = "https://example.com/feed.xml";

/// A body that is recognisably whole: the same line many times, ending with "end".
fn cache_body(tag: &str) -> Vec<u8> {
    let mut b = format!("<rss>{tag}</rss>\n").repeat(2000);
    b.push_str("end\n");
    b.into_bytes()
}

fn spawn_child(test: &str, env: &[(&str, &str)]) -> std::process::Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("re-runs this test binary")
}

/// Kills the child after `ms` milliseconds with SIGKILL.
fn kill_after(mut child: std::process::Child, ms: u64) {
    thread::sleep(Duration::from_millis(ms));
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect()
}

const KILLS: usize = 50;

#[test]
fn state_file_survives_sigkill_mid_save() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let store = tidings::sources::store::Store::new(dir.path());
    let mut rng = Rng::new();
    let mut previous: std::collections::BTreeMap<String, Value> = Default::default();
    let mut max_temps = 0;
    for round in 0..KILLS {
        let r = round.to_string();
        let child = spawn_child(
            "save_loop_child",
            &[("TIDINGS_SAVE_LOOP", &d), ("TIDINGS_SAVE_ROUND", &r)],
        );
        kill_after(child, 5 + rng.below(60));
        let path = store.path();
        if !path.exists() {
            assert!(previous.is_empty(), "round {round}: state.json vanished");
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let v: Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("round {round}: torn state.json ({e}): {:?}", text(&bytes)));
        assert_eq!(v["version"], 1);
        let marks = v["marks"].as_object().expect("marks").clone();
        // The old set or a newer one: every earlier mark is still there, unchanged.
        for (id, mark) in &previous {
            assert_eq!(marks.get(id), Some(mark), "round {round}: {id} lost");
        }
        previous = marks.into_iter().collect();
        let (loaded, warning) = store.load();
        assert_eq!(warning, None, "round {round}");
        assert_eq!(loaded.len(), previous.len());
        max_temps = max_temps.max(temp_files(dir.path()).len());
    }
    assert!(!previous.is_empty(), "no save ever completed");
    let temps = temp_files(dir.path());
    eprintln!(
        "{KILLS} kills: {} marks saved; {} temp files left behind (max seen {max_temps}): {temps:?}",
        previous.len(),
        temps.len()
    );
}

/// Leftover temporary files after killed writers: each writer killed mid-save leaves one
/// `.state.json.XXXXXX.tmp`, which the next save removes (under the lock, no other writer is
/// mid-write).
#[test]
fn killed_writers_leave_at_most_one_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let mut rng = Rng::new();
    for round in 0..KILLS {
        let r = round.to_string();
        let child = spawn_child(
            "save_loop_child",
            &[("TIDINGS_SAVE_LOOP", &d), ("TIDINGS_SAVE_ROUND", &r)],
        );
        kill_after(child, 5 + rng.below(60));
        // A later save (another tidings starting) should clear what killed ones left.
        let _ = tidings::sources::store::Store::new(dir.path()).load();
        let temps = temp_files(dir.path());
        assert!(temps.len() <= 1, "round {round}: {temps:?}");
    }
}

#[test]
fn cache_entry_survives_sigkill_mid_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let cache = tidings::sources::cache::Cache::new(dir.path());
    let mut rng = Rng::new();
    let (mut hits, mut misses) = (0, 0);
    for round in 0..KILLS {
        let r = round.to_string();
        let child = spawn_child(
            "cache_loop_child",
            &[("TIDINGS_CACHE_LOOP", &d), ("TIDINGS_SAVE_ROUND", &r)],
        );
        kill_after(child, 5 + rng.below(60));
        // Whatever is on disk, a meta file that exists is whole JSON.
        for name in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let n = name.file_name().to_string_lossy().into_owned();
            if n.ends_with(".json") && !n.starts_with('.') {
                let bytes = std::fs::read(name.path()).unwrap();
                assert!(
                    serde_json::from_slice::<Value>(&bytes).is_ok(),
                    "round {round}: torn meta {n}: {:?}",
                    text(&bytes)
                );
            }
        }
        match cache.load(CACHE_URL) {
            Some(entry) => {
                hits += 1;
                // A whole body, as one writer wrote it.
                let body = text(&entry.body);
                let first = body.lines().next().unwrap().to_string();
                assert!(body.ends_with("end\n"), "round {round}: torn body");
                assert_eq!(
                    body.lines().filter(|l| *l == first).count(),
                    2000,
                    "round {round}: mixed body"
                );
                assert_eq!(entry.meta.etag.as_deref(), Some("\"e\""));
            }
            None => misses += 1,
        }
    }
    eprintln!(
        "cache: {hits} whole entries, {misses} misses (never written yet, or body and meta \
         from different writes) after {KILLS} kills; {} temp files left: {:?}",
        temp_files(dir.path()).len(),
        temp_files(dir.path()).iter().take(3).collect::<Vec<_>>()
    );
    assert!(hits > 0, "no store ever completed");
}

// ---------------------------------------------------------------------------------------------
// 5. The terminal is restored after a signal or a panic, in a real pseudo-terminal.

/// The pid of a child of `parent` (Linux: read from /proc).
fn child_of(parent: &str) -> Option<String> {
    for e in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...: the comm may hold spaces, so split after the last ')'.
        let after = &stat[stat.rfind(')')? + 1..];
        if after.split_whitespace().nth(1) == Some(parent) {
            return Some(name);
        }
    }
    None
}

/// What stops tidings: given the tmux server and the pid of tidings.
type Stop<'a> = dyn Fn(&Tmux, &str) + 'a;

/// Runs tidings under `sh` in tmux, waits for its screen, calls `stop` with its pid, and checks
/// the terminal afterwards: raw mode off, normal screen, cursor shown, mouse reporting off.
fn check_restore(name: &str, env: &[(&str, &str)], stop: Option<&Stop>) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let stty = d.join("stty.out");
    let status = d.join("status.out");
    let script = format!(
        "'{BIN}' sample-feeds; echo $? > '{}'; stty -a > '{}'; exec sleep 60",
        status.display(),
        stty.display()
    );
    // Run from the repository so that `sample-feeds` is the folder on disk.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = d.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut env = env.to_vec();
    let h = home.to_str().unwrap();
    env.extend_from_slice(&[
        ("XDG_DATA_HOME", h),
        ("XDG_CACHE_HOME", h),
        ("XDG_CONFIG_HOME", h),
    ]);
    let t = start_tmux(
        name,
        d,
        &env,
        (100, 30),
        &["sh", "-c", &format!("cd '{}' && {script}", root.display())],
    );
    if let Some(stop) = stop {
        t.wait_until(false, "the reader", |s| s.contains("Categories"));
        assert_eq!(
            t.display("#{alternate_on}"),
            "1",
            "tidings uses the alternate screen"
        );
        let sh = t.display("#{pane_pid}");
        let pid = child_of(&sh).expect("tidings runs under sh");
        stop(&t, &pid);
    }
    let start = Instant::now();
    while !stty.exists() || std::fs::metadata(&stty).unwrap().len() == 0 {
        assert!(start.elapsed() < STEP_TIMEOUT, "tidings did not exit");
        thread::sleep(Duration::from_millis(50));
    }
    thread::sleep(Duration::from_millis(100));
    let modes = std::fs::read_to_string(&stty).unwrap();
    let words: Vec<&str> = modes.split_whitespace().collect();
    for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(
            words.contains(&mode),
            "{name}: {mode} is off after exit:\n{modes}"
        );
    }
    assert_eq!(
        t.display("#{alternate_on}"),
        "0",
        "{name}: still on the alternate screen"
    );
    assert_eq!(
        t.display("#{cursor_flag}"),
        "1",
        "{name}: the cursor is hidden"
    );
    assert_eq!(
        t.display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}"),
        "0000",
        "{name}: mouse reporting is still on"
    );
    let status = std::fs::read_to_string(&status).unwrap_or_default();
    (status.trim().to_string(), t.capture(false))
}

#[test]
fn terminal_is_restored_after_signals() {
    if !tmux_available() {
        return;
    }
    for signal in ["TERM", "HUP", "INT"] {
        let kill = move |_: &Tmux, pid: &str| {
            let ok = Command::new("kill")
                .args([&format!("-{signal}"), pid])
                .status()
                .unwrap();
            assert!(ok.success());
        };
        let (status, _) = check_restore(&signal.to_lowercase(), &[], Some(&kill));
        eprintln!("SIG{signal}: tidings exited with {status}");
    }
    // And a plain quit.
    let (status, _) = check_restore("quit", &[], Some(&|t: &Tmux, _: &str| t.send(&["q"])));
    assert_eq!(status, "0");
}

#[test]
fn terminal_is_restored_after_a_panic() {
    if !tmux_available() {
        return;
    }
    // The hook in src/commands.rs panics right after the first frame.
    let (status, screen) =
        check_restore("panic", &[("TIDINGS_PANIC_AFTER_FIRST_FRAME", "1")], None);
    assert_ne!(status, "0", "a panic is a failure");
    // The panic message is printed on the normal screen, after the restore.
    assert!(screen.contains("panicking on purpose"), "{screen}");
}

// ---------------------------------------------------------------------------------------------
// 6. Hostile servers: endless bodies, many failures at once.

fn read_request_path(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = text(&buf);
    Some(head.split(' ').nth(1)?.to_string())
}

/// A server on `ip` (any 127.x.y.z) that answers each connection on its own thread with
/// `handler`, until `deadline`.
fn serve_on<H>(ip: &str, deadline: Duration, handler: H) -> String
where
    H: Fn(&str, &mut TcpStream) + Send + Sync + 'static,
{
    let listener = TcpListener::bind((ip, 0)).unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let handler = std::sync::Arc::new(handler);
    thread::spawn(move || {
        let end = Instant::now() + deadline;
        while Instant::now() < end {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    let handler = handler.clone();
                    thread::spawn(move || {
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                        if let Some(path) = read_request_path(&mut stream) {
                            handler(&path, &mut stream);
                        }
                    });
                }
                Err(_) => thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    format!("http://{addr}")
}

fn respond(stream: &mut TcpStream, status: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

#[test]
fn endless_body_stops_at_the_size_cap() {
    let base = serve_on("127.0.0.1", Duration::from_secs(20), |_, s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n\
              <rss version=\"2.0\"><channel><title>Endless</title>",
        );
        let chunk = "<item><title>again</title></item>".repeat(100);
        let start = Instant::now();
        // Forever, as far as the client can tell (bounded here so the thread ends).
        while start.elapsed() < Duration::from_secs(15) {
            if s.write_all(chunk.as_bytes()).is_err() {
                return;
            }
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{base}/endless");
    let t = Instant::now();
    let o = tidings_in(
        cache.path(),
        &[
            "list",
            &url,
            "--max-size",
            "64K",
            "--timeout",
            "10",
            "--cache-dir",
            cache.path().to_str().unwrap(),
        ],
    );
    let took = t.elapsed();
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("over the") && err.contains("limit"), "{err}");
    assert!(err.contains(&url), "{err}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_clean("endless stderr", &o.stderr);
}

#[test]
fn many_urls_with_a_third_failing_finish_in_bounded_time() {
    const N: usize = 200;
    let feed = |n: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {n}</title>\
             <item><title>Story {n}</title><guid>s{n}</guid>\
             <pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate></item></channel></rss>"
        )
    };
    let handler = move |path: &str, s: &mut TcpStream| {
        let mut parts = path.trim_start_matches('/').split('/');
        let (kind, n) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        match kind {
            "ok" => respond(s, "200 OK", feed(n).as_bytes()),
            "404" => respond(s, "404 Not Found", b"no"),
            "500" => respond(s, "500 Internal Server Error", b"oops"),
            "garbage" => respond(s, "200 OK", b"\x00\x01\x02 not a feed \xff\xfe<<<"),
            "slow" => {
                thread::sleep(Duration::from_secs(4));
                respond(s, "200 OK", feed(n).as_bytes());
            }
            _ => {} // "closed": drop the connection without a word
        }
    };
    // Eight loopback addresses, so the per-host limit (2) does not serialise everything.
    let bases: Vec<String> = (1..=8)
        .map(|i| serve_on(&format!("127.0.0.{i}"), Duration::from_secs(30), handler))
        .collect();
    let mut urls = Vec::new();
    let mut failing = Vec::new();
    for i in 0..N {
        // Two of every three are good; the third cycles through the five failures.
        let kind = if i % 3 != 2 {
            "ok"
        } else {
            ["404", "500", "garbage", "slow", "closed"][(i / 3) % 5]
        };
        let url = format!("{}/{kind}/{i}", bases[i % bases.len()]);
        if kind != "ok" {
            failing.push(url.clone());
        }
        urls.push(url);
    }
    let ok = N - failing.len();
    let cache = tempfile::tempdir().unwrap();
    let mut args: Vec<&str> = vec!["list", "--json"];
    args.extend(urls.iter().map(String::as_str));
    let cache_dir = cache.path().to_str().unwrap().to_string();
    args.extend_from_slice(&[
        "--timeout",
        "2",
        "--concurrency",
        "8",
        "--cache-dir",
        &cache_dir,
    ]);
    let t = Instant::now();
    let o = tidings_in(cache.path(), &args);
    let took = t.elapsed();
    let err = text(&o.stderr);
    eprintln!("{N} URLs ({} failing) in {took:?}", failing.len());
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let items: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), ok);
    let lines: Vec<&str> = err.lines().collect();
    for url in &failing {
        let n = lines
            .iter()
            .filter(|l| l.contains(&format!("{url}:")) || l.ends_with(url.as_str()))
            .count();
        assert_eq!(n, 1, "{url}: {n} stderr lines\n{err}");
    }
    assert_eq!(
        lines.len(),
        failing.len(),
        "one line per failed URL:\n{err}"
    );
    assert_clean("many URLs stderr", &o.stderr);
}
