//! Runs the real binary on `sample-feeds/` and on folders of bad files, and checks what it prints.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::tidings;

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-feeds")
}

fn sample_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![samples()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn extension(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// The plain-text sample articles (one article per file).
fn text_samples() -> Vec<PathBuf> {
    sample_files()
        .into_iter()
        .filter(|p| matches!(extension(p).as_str(), "txt" | "md"))
        .collect()
}

/// Entries in one sample feed, counted from the file itself (not by tidings): RSS `<item>`s,
/// Atom `<entry>`s, JSON Feed `items`.
fn feed_entries(p: &Path) -> usize {
    let text = std::fs::read_to_string(p).unwrap();
    match extension(p).as_str() {
        "rss" => text.matches("<item>").count() + text.matches("<item ").count(),
        "atom" => text.matches("<entry>").count() + text.matches("<entry ").count(),
        "json" => {
            let v: Value = serde_json::from_str(&text).expect("JSON Feed");
            assert!(
                v["version"]
                    .as_str()
                    .unwrap()
                    .contains("jsonfeed.org/version")
            );
            v["items"].as_array().unwrap().len()
        }
        other => panic!("{}: unexpected sample file type {other:?}", p.display()),
    }
}

/// How many articles `sample-feeds/` holds: one per text file plus every feed entry.
fn sample_article_count() -> usize {
    let feeds: usize = sample_files()
        .iter()
        .filter(|p| !matches!(extension(p).as_str(), "txt" | "md"))
        .map(|p| feed_entries(p))
        .sum();
    text_samples().len() + feeds
}

/// Text samples without a `Date:` header (every sample feed entry has a date).
fn undated_text_samples() -> usize {
    text_samples()
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            !text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .any(|l| l.to_ascii_lowercase().starts_with("date:"))
        })
        .count()
}

/// `tidings list sample-feeds --json`: the folder, read from disk.
fn folder_items() -> Vec<Value> {
    let o = tidings(&["list", "sample-feeds", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    json(&o).as_array().unwrap().clone()
}

fn categories_of(a: &Value) -> Vec<String> {
    a["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_lowercase())
        .collect()
}

/// Articles with a category equal to `path` or under it (case-insensitive, `a / b` form).
fn count_in(items: &[Value], path: &str) -> usize {
    let path = path.to_lowercase();
    let under = format!("{path} / ");
    items
        .iter()
        .filter(|a| {
            categories_of(a)
                .iter()
                .any(|c| *c == path || c.starts_with(&under))
        })
        .count()
}

#[test]
fn sample_folder_has_text_articles_and_feeds() {
    let files = sample_files();
    assert!(text_samples().len() >= 15, "{files:?}");
    for ext in ["rss", "atom", "json"] {
        assert!(
            files.iter().any(|p| extension(p) == ext),
            "a .{ext} feed in sample-feeds/"
        );
    }
    let items = folder_items();
    assert_eq!(items.len(), sample_article_count());
    assert!(
        items.len() > files.len(),
        "feeds give several articles each"
    );
}

#[test]
fn list_samples_newest_first_one_line_each() {
    let o = tidings(&["list", "sample-feeds"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "the samples load without warnings");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), sample_article_count());
    assert!(lines.len() >= 15);
    let undated = lines.iter().filter(|l| l.starts_with("undated")).count();
    assert_eq!(undated, undated_text_samples());
    // Undated articles come after every dated one (their stand-in date is a file's time).
    assert!(
        lines[lines.len() - undated..]
            .iter()
            .all(|l| l.starts_with("undated")),
        "{out}"
    );
    // Dated lines are in descending date order.
    let dates: Vec<&str> = lines
        .iter()
        .map(|l| &l[..16])
        .filter(|d| !d.starts_with("undated"))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    // Columns are aligned by display width: the title starts at the same column everywhere.
    let items = json(&tidings(&["list", "sample-feeds", "--json"]));
    let cols: Vec<usize> = lines
        .iter()
        .zip(items.as_array().unwrap())
        .map(|(l, item)| {
            let title = item["title"].as_str().unwrap();
            assert!(l.ends_with(title), "{l} / {title}");
            unicode_width::UnicodeWidthStr::width(&l[..l.len() - title.len()])
        })
        .collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{cols:?}");
}

#[test]
fn bundled_samples_are_the_sample_folder() {
    let bundled = json(&tidings(&["list", "--json"]));
    let folder = json(&tidings(&["list", "sample-feeds", "--json"]));
    let titles = |v: &Value| {
        let mut t: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_string())
            .collect();
        t.sort();
        t
    };
    assert_eq!(titles(&bundled), titles(&folder));
    assert_eq!(bundled.as_array().unwrap().len(), sample_article_count());
    // Not only the titles: the same sources, categories, dates and links (ids differ: the
    // bundled copy is keyed by its relative path, the folder by its absolute one).
    let fields = |v: &Value| {
        let mut t: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                format!(
                    "{} | {} | {} | {} | {} | {}",
                    a["title"], a["source"], a["categories"], a["date"], a["link"], a["standfirst"]
                )
            })
            .collect();
        t.sort();
        t
    };
    assert_eq!(fields(&bundled), fields(&folder));
}

#[test]
fn sample_corpus_meets_its_brief() {
    let items = json(&tidings(&["list", "--json"]));
    let items = items.as_array().unwrap();
    assert!(items.len() >= 15);
    let mut cats: Vec<String> = items
        .iter()
        .flat_map(|a| a["categories"].as_array().unwrap().clone())
        .map(|c| c.as_str().unwrap().to_lowercase())
        .collect();
    cats.sort();
    cats.dedup();
    assert!(cats.len() >= 6, "{cats:?}");
    for want in ["world news / europe", "business", "technology / ai"] {
        assert!(cats.iter().any(|c| c == want), "{want} in {cats:?}");
    }
    let world_children = cats
        .iter()
        .filter(|c| c.starts_with("world news / "))
        .count();
    assert!(world_children >= 3);
    assert!(items.iter().any(|a| a["words"].as_u64().unwrap() >= 2000));
    assert!(items.iter().filter(|a| a["standfirst"].is_string()).count() >= 10);
    let mut days: Vec<String> = items
        .iter()
        .filter_map(|a| a["date"].as_str())
        .map(|d| d[..10].to_string())
        .collect();
    days.sort();
    days.dedup();
    assert!(days.len() >= 6, "dates spread over a week: {days:?}");
}

#[test]
fn list_json_has_the_documented_fields() {
    let items = json(&tidings(&["list", "--json"]));
    for a in items.as_array().unwrap() {
        for key in [
            "id",
            "title",
            "source",
            "author",
            "date",
            "link",
            "categories",
            "standfirst",
            "words",
        ] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
        assert_eq!(a["id"].as_str().unwrap().len(), 16);
        if let Some(d) = a["date"].as_str() {
            chrono::DateTime::parse_from_rfc3339(d).expect("RFC 3339 date");
        }
    }
    let undated = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["date"].is_null())
        .count();
    assert_eq!(
        undated,
        undated_text_samples(),
        "the text samples without a Date: header, and no feed entry"
    );
    assert!(undated >= 1, "the samples include an undated article");
}

#[test]
fn ids_are_stable_across_runs() {
    let ids = |o: Output| -> Vec<String> {
        json(&o)
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(tidings(&["list", "sample-feeds", "--json"])),
        ids(tidings(&["list", "sample-feeds", "--json"]))
    );
    assert_eq!(
        ids(tidings(&["list", "--json"])),
        ids(tidings(&["list", "--json"]))
    );
}

#[test]
fn category_filter_forms() {
    let europe = |q: &str| -> Vec<String> {
        let o = tidings(&["list", "--json", "--category", q]);
        assert_eq!(o.status.code(), Some(0), "{q}: {}", stderr(&o));
        json(&o)
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = json(&tidings(&["list", "--json"]));
    let want: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["categories"].as_array().unwrap().iter().any(|c| {
                c.as_str()
                    .unwrap()
                    .eq_ignore_ascii_case("world news / europe")
            })
        })
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let folder = folder_items();
    assert_eq!(want.len(), count_in(&folder, "World News / Europe"));
    assert!(want.len() >= 3, "{want:?}");
    for q in [
        "world/europe",
        "World News/Europe",
        "world news / europe",
        "europe",
        "wor/eu",
    ] {
        assert_eq!(europe(q), want, "query {q}");
    }
    let world = europe("world");
    assert_eq!(world.len(), count_in(&folder, "World News"));
    assert!(world.len() > want.len());
    assert!(want.iter().all(|id| world.contains(id)));
}

#[test]
fn unknown_category_is_an_error_with_suggestions() {
    let o = tidings(&["list", "--category", "buisness"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.contains("no category matches 'buisness'"), "{err}");
    assert!(err.contains("closest: Business"), "{err}");
}

#[test]
fn categories_tree_counts() {
    let o = tidings(&["categories"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let count = |name: &str| -> usize {
        let l = lines
            .iter()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {out}"));
        l.split_whitespace().last().unwrap().parse().unwrap()
    };
    let folder = folder_items();
    assert_eq!(count("All"), sample_article_count());
    assert_eq!(count("World News"), count_in(&folder, "World News"));
    assert_eq!(count("Europe"), count_in(&folder, "World News / Europe"));
    assert_eq!(count("Space"), count_in(&folder, "Science / Space"));
    assert!(count("Europe") >= 3 && count("World News") > count("Europe"));
    assert!(
        lines.iter().any(|l| l.starts_with("  Europe")),
        "children are indented"
    );
    // JSON: a parent counts its children's articles (each once).
    let v = json(&tidings(&["categories", "--json"]));
    assert_eq!(
        v["total"].as_u64().unwrap() as usize,
        sample_article_count()
    );
    let world = v["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "World News")
        .unwrap();
    let kids: u64 = world["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(world["count"].as_u64().unwrap(), kids);
    assert_eq!(world["children"][0]["path"], "World News / Americas");
}

#[test]
fn show_by_prefix_wraps_to_width() {
    let items = json(&tidings(&[
        "list",
        "--json",
        "--category",
        "science/climate",
    ]));
    let long = items
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|a| a["words"].as_u64().unwrap())
        .unwrap();
    let id = long["id"].as_str().unwrap();
    let o = tidings(&["show", &id[..6], "--width", "50"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(long["title"].as_str().unwrap().starts_with(lines[0]));
    assert!(
        lines[0].len() > 30,
        "the title is wrapped at a word, not cut short"
    );
    assert!(
        lines
            .iter()
            .all(|l| unicode_width::UnicodeWidthStr::width(*l) <= 50)
    );
    assert!(lines.len() > 200, "a 2,000-word article at 50 columns");
    let json_o = json(&tidings(&["show", id, "--json"]));
    let blocks = json_o["blocks"].as_array().unwrap();
    let headings: Vec<&str> = blocks
        .iter()
        .filter(|b| b["kind"] == "heading")
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert!(headings.len() >= 6);
    // Every heading is printed on its own line, preceded by a blank line.
    for h in headings {
        let i = lines
            .iter()
            .position(|l| *l == h)
            .unwrap_or_else(|| panic!("{h}"));
        assert_eq!(lines[i - 1], "");
    }
}

#[test]
fn show_unknown_or_ambiguous_id() {
    let o = tidings(&["show", "zzzz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no article has an id starting with 'zzzz'"));
    let o = tidings(&["show", ""]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(tidings(&["list", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(
        tidings(&["show", "abc", "--width", "x"]).status.code(),
        Some(2)
    );
}

/// A folder with every kind of bad file, plus two good ones.
fn bad_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("empty.txt"), b"").unwrap();
    std::fs::write(
        p.join("binary.txt"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00garbage",
    )
    .unwrap();
    std::fs::write(
        p.join("cp1252.txt"),
        b"Categories: Europe\n\nZ\xFCrich votes on \x93housing\x94\n\nA paragraph.\n",
    )
    .unwrap();
    std::fs::write(
        p.join("crlf.txt"),
        b"\xEF\xBB\xBFCategories: Business\r\nDate: 2026-11-20\r\n\r\nCRLF Title\r\n\r\nCRLF Title\r\n\r\nBody line one\r\nline two.\r\n",
    )
    .unwrap();
    std::fs::write(
        p.join("escapes.txt"),
        "Title \x1b[31mRED\x1b[0m \x1b]0;pwned\x07ok\u{202E}\n\nBody \x1b[2J\x1b]52;c;AAAA\x07text \u{9B}1m here.\n",
    )
    .unwrap();
    std::fs::write(
        p.join("long.txt"),
        format!("Long line\n\n{}\n", "y".repeat(20_000)),
    )
    .unwrap();
    std::fs::create_dir_all(p.join("world-news/europe")).unwrap();
    std::fs::write(
        p.join("world-news/europe/nested.txt"),
        "Nested Title\n\nIn a folder.\n",
    )
    .unwrap();
    std::fs::create_dir_all(p.join(".hidden")).unwrap();
    std::fs::write(p.join(".hidden/secret.txt"), "Hidden\n\nNo.\n").unwrap();
    std::fs::write(p.join(".dotfile.txt"), "Dot\n\nNo.\n").unwrap();
    std::fs::write(p.join("notes.pdf"), "Not an article\n").unwrap();
    let big = std::fs::File::create(p.join("huge.txt")).unwrap();
    big.set_len(17 * 1024 * 1024).unwrap();
    dir
}

#[test]
fn bad_files_warn_and_the_rest_loads() {
    let dir = bad_folder();
    let d = dir.path().to_str().unwrap();
    let o = tidings(&["list", d, "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    let warning = |file: &str, text: &str| {
        assert!(
            err.lines().any(|l| l.starts_with("tidings: warning: ")
                && l.contains(file)
                && l.contains(text)),
            "no warning about {file} saying {text}:\n{err}"
        );
    };
    warning("empty.txt", "empty file; skipped");
    warning("binary.txt", "binary file");
    warning("huge.txt", "over the 16 MiB limit; skipped");
    warning("cp1252.txt", "read as Windows-1252");
    assert_eq!(err.lines().count(), 4, "{err}");
    let items = json(&o);
    let titles: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "CRLF Title",
            "Long line",
            "Nested Title",
            "Title RED ok",
            "Zürich votes on “housing”"
        ]
    );
    let crlf = items
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "CRLF Title")
        .unwrap();
    assert_eq!(crlf["categories"][0], "Business");
    assert_eq!(crlf["date"], "2026-11-20T00:00:00+00:00");
    let nested = items
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Nested Title")
        .unwrap();
    assert_eq!(nested["categories"][0], "world-news / europe");
    assert_eq!(
        nested["source"],
        dir.path().file_name().unwrap().to_str().unwrap()
    );
}

#[test]
fn nothing_hostile_reaches_stdout() {
    let dir = bad_folder();
    let d = dir.path().to_str().unwrap();
    let evil = dir.path().join("ev\x1b[31mil\u{202E}");
    std::fs::create_dir_all(&evil).unwrap();
    std::fs::write(evil.join("x\x1b]0;t\x07.txt"), "Evil folder\n\nText.\n").unwrap();
    let list = tidings(&["list", d]);
    let list_json = tidings(&["list", d, "--json"]);
    assert!(
        stdout(&list_json).contains("\"evil\""),
        "{}",
        stdout(&list_json)
    );
    let id = json(&tidings(&["list", d, "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Title RED ok")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let show = tidings(&["show", &id, d]);
    assert!(
        stdout(&show).contains("Body text here.\n"),
        "{}",
        stdout(&show)
    );
    for o in [&list, &show, &list_json] {
        let bad = o
            .stdout
            .iter()
            .any(|&b| b == 0x1b || b == 0x07 || (b < 0x20 && b != b'\n'));
        assert!(!bad, "control bytes in {:?}", stdout(o));
        assert!(!stdout(o).contains('\u{202E}'));
        assert!(!stdout(o).contains('\u{9B}'));
    }
    // The 20,000-character line is wrapped, not printed as one line.
    let long_id = json(&tidings(&["list", d, "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Long line")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let o = tidings(&["show", &long_id, d, "--width", "80"]);
    let out = stdout(&o);
    assert!(out.lines().all(|l| l.chars().count() <= 80));
    // All 20,000 characters are there, on full lines of 80 but the last. (Counting every 'y' in
    // the output would also count those in the source line: the temporary folder's random name.)
    let body: Vec<&str> = out
        .lines()
        .filter(|l| !l.is_empty() && l.chars().all(|c| c == 'y'))
        .collect();
    assert_eq!(body.iter().map(|l| l.len()).sum::<usize>(), 20_000);
    assert!(body[..body.len() - 1].iter().all(|l| l.len() == 80));
}

#[test]
fn exit_status_reflects_sources() {
    let dir = bad_folder();
    let d = dir.path().to_str().unwrap();
    // One bad source, one good: still 0, and the bad one is named.
    let o = tidings(&["list", "/no/such/folder", d]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("/no/such/folder: cannot read"),
        "{}",
        stderr(&o)
    );
    // Every source failed: 1.
    let o = tidings(&["list", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no source could be loaded"));
    let o = tidings(&["list", &format!("{d}/empty.txt")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("empty.txt: empty file; skipped"));
    let empty = tempfile::tempdir().unwrap();
    let o = tidings(&["list", empty.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no articles or feeds found"));
}

#[test]
fn a_single_file_is_a_source() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.txt");
    let o = tidings(&["list", seed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("undated"));
    assert!(out.contains("World News / Europe  fixtures  Macron Hosts Ukraine and Allies to Secure Security Guarantees"), "{out}");
    assert_eq!(out.lines().count(), 1);
}

/// Serves `responses` (status line, body) to the next connections on 127.0.0.1, one each.
fn serve(responses: Vec<(&'static str, String)>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for (status, body) in responses {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn feed_urls_list_fail_clearly_and_fall_back_to_the_cache() {
    let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loopback News</title>\
                <item><title>Served locally</title><guid>1</guid><pubDate>Tue, 24 Nov 2026 08:15:00 +0000</pubDate>\
                <category>World News/Europe</category></item></channel></rss>"
        .to_string();
    let base = serve(vec![("200 OK", feed), ("404 Not Found", "gone".into())]);
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let url = format!("{base}/feed.xml");
    let o = tidings(&["list", &url, "--cache-dir", c, "--timeout", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    assert!(
        stdout(&o).contains("World News / Europe  Loopback News  Served locally"),
        "{}",
        stdout(&o)
    );
    // The server now answers 404: one stderr line naming the URL, and the cached copy.
    let o = tidings(&["list", &url, "--cache-dir", c, "--timeout", "5"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "{url}: HTTP 404 Not Found; showing the cached copy"
        )),
        "{err}"
    );
    assert!(stdout(&o).contains("Served locally"));
    // Without a cache: the only source failed, exit 1, one line for it.
    let empty = tempfile::tempdir().unwrap();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/feed", l.local_addr().unwrap())
    };
    let o = tidings(&[
        "list",
        &closed,
        "--cache-dir",
        empty.path().to_str().unwrap(),
        "--timeout",
        "3",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{closed}: could not connect to the server")),
        "{err}"
    );
    assert!(err.contains("no source could be loaded"));
    assert_eq!(stdout(&o), "");
}

#[test]
fn fetch_options_are_validated() {
    assert_eq!(tidings(&["list", "--timeout", "0"]).status.code(), Some(2));
    assert_eq!(
        tidings(&["list", "--max-size", "lots"]).status.code(),
        Some(2)
    );
    assert_eq!(
        tidings(&["categories", "--max-size", "1M", "--timeout", "9"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn list_unread_starred_and_search() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let all = json(&tidings(&["list", "--json", "--data-dir", d]));
    let all = all.as_array().unwrap();
    let id = |i: usize| all[i]["id"].as_str().unwrap().to_string();
    // Marks as the reader saves them.
    let store = tidings::sources::store::Store::new(data.path());
    let mark = |i: usize, read, starred| tidings::core::state::Mark {
        id: tidings::core::model::ArticleId::parse(&id(i)).unwrap(),
        read,
        starred,
    };
    store
        .save(&[
            mark(0, true, false),
            mark(1, true, true),
            mark(2, false, true),
        ])
        .unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["list", "--json", "--data-dir", d];
        a.extend_from_slice(args);
        let o = tidings(&a);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        json(&o)
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    let unread = ids(&["--unread"]);
    assert_eq!(unread.len(), all.len() - 2);
    assert!(!unread.contains(&id(0)) && !unread.contains(&id(1)));
    assert_eq!(ids(&["--starred"]), [id(1), id(2)]);
    assert_eq!(ids(&["--starred", "--unread"]), [id(2)]);
    // The marks show: `read` and `starred` in JSON, a ★ column in the text.
    let marked = json(&tidings(&["list", "--json", "--data-dir", d]));
    let marked = marked.as_array().unwrap();
    let flags: Vec<(bool, bool)> = marked[..4]
        .iter()
        .map(|a| {
            (
                a["read"].as_bool().unwrap(),
                a["starred"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [(true, false), (true, true), (false, true), (false, false)]
    );
    let text = stdout(&tidings(&["list", "--data-dir", d]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("  2026-"), "{text}");
    assert!(lines[1].starts_with("★ 2026-"), "{text}");
    assert!(lines[2].starts_with("★ 2026-"), "{text}");
    assert_eq!(text.matches('★').count(), 2, "{text}");
    // `show` has them too: in JSON and before the byline.
    let shown = json(&tidings(&["show", &id(1), "--json", "--data-dir", d]));
    assert_eq!(
        (shown["read"].as_bool(), shown["starred"].as_bool()),
        (Some(true), Some(true))
    );
    let shown = stdout(&tidings(&[
        "show",
        &id(1),
        "--data-dir",
        d,
        "--width",
        "200",
    ]));
    assert!(shown.lines().any(|l| l.starts_with("★ ")), "{shown}");
    // Search: case- and accent-insensitive, over title and text, within the category.
    let zurich = ids(&["--search", "ZURICH"]);
    let zurich_accent = ids(&["--search", "zürich"]);
    assert!(!zurich.is_empty());
    assert_eq!(zurich, zurich_accent);
    let title_word = all[3]["title"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_uppercase();
    assert!(
        ids(&["--search", &title_word]).contains(&id(3)),
        "{title_word}"
    );
    assert!(ids(&["--search", "no such words anywhere"]).is_empty());
    let europe = ids(&["--category", "europe"]);
    let both = ids(&["--category", "europe", "--search", "the"]);
    assert!(both.iter().all(|x| europe.contains(x)));
}

#[test]
fn list_shows_each_category_in_its_most_common_spelling() {
    let dir = tempfile::tempdir().unwrap();
    for (name, cat) in [
        ("a", "World News / Europe"),
        ("b", "World News/Europe"),
        ("c", "world news / europe"),
    ] {
        std::fs::write(
            dir.path().join(format!("{name}.txt")),
            format!("Categories: {cat}\n\nTitle {name}\n\nText.\n"),
        )
        .unwrap();
    }
    let o = tidings(&["list", dir.path().to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(out.matches("World News / Europe").count(), 3, "{out}");
    // One spelling everywhere, the tree's: in JSON and in `show` too.
    let j = json(&tidings(&["list", dir.path().to_str().unwrap(), "--json"]));
    for a in j.as_array().unwrap() {
        assert_eq!(
            a["categories"],
            serde_json::json!(["World News / Europe"]),
            "{a}"
        );
        let id = a["id"].as_str().unwrap();
        let shown = stdout(&tidings(&["show", id, dir.path().to_str().unwrap()]));
        assert!(shown.contains("World News / Europe"), "{shown}");
        assert!(
            !shown.to_lowercase().contains("world news/europe"),
            "{shown}"
        );
        assert!(!shown.contains("world news / europe"), "{shown}");
        let shown = json(&tidings(&[
            "show",
            id,
            dir.path().to_str().unwrap(),
            "--json",
        ]));
        assert_eq!(
            shown["categories"],
            serde_json::json!(["World News / Europe"])
        );
    }
}

#[test]
fn options_may_come_before_the_command() {
    let after = stdout(&tidings(&[
        "list",
        "--category",
        "europe",
        "--timeout",
        "5",
    ]));
    let before = stdout(&tidings(&[
        "--timeout",
        "5",
        "--category",
        "europe",
        "list",
    ]));
    assert_eq!(before, after);
    assert!(after.lines().count() >= 3);
    let o = tidings(&["--category", "europe", "categories"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--category goes with the reader or `list`"));
}
