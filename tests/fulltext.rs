//! Full stories against a small HTTP server on 127.0.0.1 started by each test (never the
//! internet), serving the news-site pages of `tests/fixtures/pages/`: the story's headings and
//! paragraphs come through in order, the navigation, cookie banners, share buttons, adverts,
//! related links and comments do not, and each failure says what happened.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use tidings::core::model::{ArticleId, BlockKind};
use tidings::sources::fetch::{FetchErrorKind, FetchOptions};
use tidings::sources::fulltext::{FullError, FullStory, cached_full};

/// A full story fetched through a fetcher made for the given options.
fn fetch_full(id: &ArticleId, link: &str, opts: &FetchOptions) -> Result<FullStory, FullError> {
    let fetcher = tidings::sources::fetch::Fetcher::new(opts.clone());
    tidings::sources::fulltext::fetch_full(id, link, &fetcher)
}

/// What the server answers on one path.
#[derive(Clone)]
enum Reply {
    /// 200 with this content type and body.
    Page(&'static str, Vec<u8>),
    /// A bare status with a short text body.
    Status(&'static str),
    /// 302 to this location.
    Redirect(String),
    /// Waits this long before answering (the client should have given up).
    Slow(Duration),
    /// 200 HTML streamed in 16 KiB chunks without a length, `n` chunks.
    Endless(usize),
    /// 200 HTML, gzip-compressed (`Content-Encoding: gzip`).
    Gzip(Vec<u8>),
}

/// A server on 127.0.0.1 answering by path, for at most 30 seconds; stopped when dropped.
struct Server {
    addr: SocketAddr,
    hits: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(routes: Vec<(&str, Reply)>) -> Server {
        let routes: Arc<HashMap<String, Reply>> = Arc::new(
            routes
                .into_iter()
                .map(|(p, r)| (p.to_string(), r))
                .collect(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, s) = (hits.clone(), stop.clone());
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            while !s.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        h.fetch_add(1, Ordering::Relaxed);
                        let routes = routes.clone();
                        thread::spawn(move || answer(stream, &routes));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { addr, hits, stop }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // The accept loop sleeps 5 ms between polls: after this the port is closed.
        thread::sleep(Duration::from_millis(50));
    }
}

fn answer(mut stream: TcpStream, routes: &HashMap<String, Reply>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(n) if n > 0 && head.len() < 64 * 1024 => head.extend_from_slice(&buf[..n]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head);
    let path = text.split(' ').nth(1).unwrap_or("/").to_string();
    let respond = |s: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]| {
        let mut h = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (n, v) in headers {
            h.push_str(&format!("{n}: {v}\r\n"));
        }
        h.push_str("\r\n");
        let _ = s.write_all(h.as_bytes());
        let _ = s.write_all(body);
    };
    match routes.get(&path) {
        None => respond(&mut stream, "404 Not Found", &[], b"not here"),
        Some(Reply::Page(ct, body)) => {
            respond(&mut stream, "200 OK", &[("Content-Type", ct)], body)
        }
        Some(Reply::Status(status)) => respond(&mut stream, status, &[], status.as_bytes()),
        Some(Reply::Redirect(to)) => respond(&mut stream, "302 Found", &[("Location", to)], b""),
        Some(Reply::Gzip(body)) => {
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(body).unwrap();
            let headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")];
            respond(&mut stream, "200 OK", &headers, &z.finish().unwrap());
        }
        Some(Reply::Slow(wait)) => {
            thread::sleep(*wait);
            respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", "text/html")],
                b"<p>late</p>",
            );
        }
        Some(Reply::Endless(chunks)) => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>",
            );
            let chunk = "<p>More words, again and again.</p>".repeat(16 * 1024 / 36);
            for _ in 0..*chunks {
                if stream.write_all(chunk.as_bytes()).is_err() {
                    return;
                }
            }
        }
    }
    let _ = stream.flush();
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pages")
            .join(name),
    )
    .unwrap()
}

fn html(name: &str) -> Reply {
    Reply::Page("text/html; charset=utf-8", fixture(name))
}

fn opts(cache: Option<&Path>) -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        cache_dir: cache.map(Path::to_path_buf),
        ..FetchOptions::default()
    }
}

fn id(key: &str) -> ArticleId {
    ArticleId::from_key(key)
}

/// The story's text, one block a line (the numbered link targets at the end left off).
fn story_text(s: &FullStory) -> String {
    let end = s
        .blocks
        .iter()
        .rposition(|b| b.kind == BlockKind::Heading && b.text == "Links")
        .unwrap_or(s.blocks.len());
    s.blocks[..end]
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts each of `wanted` appears in `text`, in this order, and none of `unwanted` does.
fn assert_story(name: &str, text: &str, wanted: &[&str], unwanted: &[&str]) {
    let mut from = 0;
    for w in wanted {
        match text[from..].find(w) {
            Some(i) => from += i + w.len(),
            None => panic!("{name}: {w:?} missing or out of order in:\n{text}"),
        }
    }
    for u in unwanted {
        assert!(!text.contains(u), "{name}: {u:?} survived in:\n{text}");
    }
}

/// One news-site shape: the fixture, its story in order, the boilerplate around it.
struct Shape {
    file: &'static str,
    content_type: &'static str,
    title: &'static str,
    headings: &'static [&'static str],
    story: &'static [&'static str],
    boilerplate: &'static [&'static str],
}

const SHAPES: &[Shape] = &[
    Shape {
        file: "herald.html",
        content_type: "text/html; charset=utf-8",
        title: "Harbour bridge reopens after two-year repair",
        headings: &["A repair that grew", "What changes for drivers"],
        story: &[
            "The harbour bridge reopened to traffic at six o'clock on Tuesday morning",
            "Hundreds of people walked across the deck",
            "\"It feels like the town has been given its heart back,\" said Elin Varga",
            "A repair that grew",
            "The original plan was to replace twelve cables over nine months.",
            "The final bill came to 48 million pounds",
            "We could have patched it and kept it open",
            "That was the verdict of the council's chief engineer, Tomas Brandt",
            "What changes for drivers",
            "The bridge now carries a dedicated bus lane",
            "Tolls, which were suspended during the closure, will not return until April",
        ],
        boilerplate: &[
            "cookies",
            "Accept all cookies",
            "Manage preferences",
            "Politics",
            "Search the Herald",
            "Advertisement",
            "SleepWell",
            "BrightPower",
            "Share on Facebook",
            "Email this story",
            "Related stories",
            "Ferry timetable cut",
            "Comments (3)",
            "About time!",
            "harbourdweller",
            "Join the discussion",
            "Morning Briefing",
            "Sign up for our newsletter",
            "All rights reserved",
            "Privacy policy",
            "Home",
        ],
    },
    Shape {
        file: "metro.html",
        content_type: "text/html",
        title: "Night buses to run every ten minutes under new city plan",
        headings: &["Paid for by the daytime fare rise", "Routes and timetable"],
        story: &[
            "The city will run night buses every ten minutes on its five busiest routes",
            "At present the night network runs every half hour at best",
            "Paid for by the daytime fare rise",
            "The extra buses will cost about 6 million pounds a year.",
            "Opposition councillors called the plan welcome but late",
            "Routes and timetable",
            "The first routes to change will be the N1",
            "N1 river route: every ten minutes from midnight to five",
            "N9 airport route",
            "The authority will publish the full timetable online in February",
        ],
        boilerplate: &[
            "We value your privacy",
            "847 partners",
            "I agree",
            "More options",
            "Food and drink",
            "Subscribe for",
            "Share via WhatsApp",
            "Copy link",
            "Advertisement",
            "SunAway",
            "Newsletter",
            "Sign up now",
            "More on this story",
            "Bus drivers vote",
            "Join the conversation",
            "nightnurse",
            "Most read",
            "otter pups",
            "Lingo",
            "Cookie settings",
            "City Media Ltd",
        ],
    },
    Shape {
        file: "techwire.html",
        content_type: "text/html; charset=UTF-8",
        title: "Open-source maintainers get a pay rise from a new public fund",
        headings: &["Who gets paid", "How it works"],
        story: &[
            "A public fund set up by three European governments",
            "Who gets paid",
            "Any project that other software depends on heavily can apply.",
            "The stipend starts at twenty thousand euros a year",
            "[image: A chart of the fund's first year]",
            "How it works",
            "Maintainers report twice a year on what they did.",
            "apply --project example-lib --maintainers 3\nstatus: under review",
            "Critics say the fund is still tiny",
        ],
        boilerplate: &[
            "Skip to content",
            "Technology news, every weekday",
            "Podcast",
            "Share this:",
            "LinkedIn",
            "Reddit",
            "Related",
            "Two years on, the logging library bug",
            "Posted in",
            "Tagged",
            "About Lee Park",
            "Send tips by email",
            "Previous: Chip export rules",
            "thoughts on",
            "Twenty thousand euros is nothing",
            "better than the nothing",
            "Leave a Reply",
            "Recent Posts",
            "CloudNine",
            "Proudly powered by WordPress",
        ],
    },
    Shape {
        // An old table layout in ISO-8859-1, said only by a <meta http-equiv>.
        file: "gazette-latin1.html",
        content_type: "text/html",
        title: "Café owner wins fight to keep riverside terrace",
        headings: &["«A weight off my shoulders»"],
        story: &[
            "The owner of the Riverside Café has won her appeal",
            "A planning inspector ruled on Friday",
            "«A weight off my shoulders»",
            "Mrs Llöyd, who opened the café with her late husband in 2015",
            "The council said it would not challenge the ruling",
            "Neighbours had been divided.",
        ],
        boilerplate: &[
            "Front page",
            "Classifieds",
            "Contact the newsroom",
            "Sections",
            "Letters to the editor",
            "Miller's Garage",
            "Latest headlines",
            "Flood defences get go-ahead",
            "Advertise in the Gazette",
            "Reproduction without permission",
        ],
    },
];

#[test]
fn stories_keep_their_headings_and_paragraphs_in_order_and_drop_the_rest() {
    let paths: Vec<String> = SHAPES.iter().map(|s| format!("/news/{}", s.file)).collect();
    let server = Server::start(
        SHAPES
            .iter()
            .zip(&paths)
            .map(|(s, p)| (p.as_str(), Reply::Page(s.content_type, fixture(s.file))))
            .collect(),
    );
    for shape in SHAPES {
        let url = server.url(&format!("/news/{}", shape.file));
        let story = fetch_full(&id(shape.file), &url, &opts(None))
            .unwrap_or_else(|e| panic!("{}: {e}", shape.file));
        let text = story_text(&story);
        assert_story(shape.file, &text, shape.story, shape.boilerplate);
        assert_eq!(story.title.as_deref(), Some(shape.title), "{}", shape.file);
        let headings: Vec<&str> = story
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Heading && b.text != "Links")
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(headings, shape.headings, "{}", shape.file);
        assert!(story.words > 150, "{}: {} words", shape.file, story.words);
        assert_eq!(story.final_url, url);
        assert!(!story.from_cache);
        // Links keep working as in feeds: absolute, numbered, listed at the end.
        for b in &story.blocks {
            if let Some(target) = b.text.strip_prefix('[').and_then(|t| t.split_once("] ")) {
                assert!(target.1.starts_with("http"), "{}: {}", shape.file, b.text);
            }
        }
    }
}

#[test]
fn the_note_says_where_and_when() {
    let server = Server::start(vec![("/news/bridge", html("herald.html"))]);
    let before = chrono::Utc::now();
    let story = fetch_full(&id("n"), &server.url("/news/bridge"), &opts(None)).unwrap();
    assert!(story.fetched >= before - chrono::Duration::seconds(1));
    let note = story.note();
    let expected = format!(
        "Full story from {}/news/bridge, fetched {}",
        server.addr,
        story.fetched.format("%Y-%m-%d %H:%M UTC")
    );
    assert_eq!(note, expected);
}

#[test]
fn failures_say_what_happened() {
    let mut big = b"<html><body><article>".to_vec();
    big.extend(
        "<p>Plenty of words in this paragraph.</p>"
            .repeat(5000)
            .as_bytes(),
    );
    let server = Server::start(vec![
        ("/gone", Reply::Status("404 Not Found")),
        ("/broken", Reply::Status("500 Internal Server Error")),
        (
            "/report.pdf",
            Reply::Page("application/pdf", b"%PDF-1.7\n%binary".to_vec()),
        ),
        (
            "/api/story.json",
            Reply::Page("application/json", br#"{"title":"x"}"#.to_vec()),
        ),
        (
            "/text",
            Reply::Page("", b"just some text, no HTML".to_vec()),
        ),
        ("/news/", html("index.html")),
        ("/premium/steel", html("paywall.html")),
        ("/consent", html("consent.html")),
        ("/big", Reply::Page("text/html", big)),
        ("/endless", Reply::Endless(64)),
    ]);
    let o = opts(None);
    let fail = |path: &str, o: &FetchOptions| {
        let url = server.url(path);
        match fetch_full(&id(path), &url, o) {
            Ok(s) => panic!("{path}: expected an error, got {:?}", story_text(&s)),
            Err(e) => (e.clone(), e.to_string()),
        }
    };

    let (e, msg) = fail("/gone", &o);
    assert!(matches!(&e, FullError::Fetch(f) if f.kind == FetchErrorKind::Status(404)));
    assert_eq!(
        msg,
        format!("full story: {}: HTTP 404 Not Found", server.url("/gone"))
    );
    let (_, msg) = fail("/broken", &o);
    assert!(msg.ends_with(": HTTP 500 Internal Server Error"), "{msg}");

    let (e, msg) = fail("/report.pdf", &o);
    assert_eq!(
        e,
        FullError::NotHtml {
            url: server.url("/report.pdf"),
            content_type: "application/pdf".into()
        }
    );
    assert_eq!(
        msg,
        format!(
            "full story: {}: not a web page (application/pdf)",
            server.url("/report.pdf")
        )
    );
    let (_, msg) = fail("/api/story.json", &o);
    assert!(msg.ends_with("not a web page (application/json)"), "{msg}");
    // An empty content type is no HTML type either.
    let (e, _) = fail("/text", &o);
    assert!(matches!(e, FullError::NotHtml { .. }), "{e:?}");

    let (e, msg) = fail("/news/", &o);
    assert_eq!(
        e,
        FullError::NoStory {
            url: server.url("/news/")
        }
    );
    assert!(msg.ends_with(": no story found on the page"), "{msg}");

    let (e, msg) = fail("/premium/steel", &o);
    assert!(matches!(e, FullError::Paywall { .. }), "{e:?}");
    assert_eq!(
        msg,
        format!(
            "full story: {}: only a teaser; the page asks to subscribe, sign in or accept cookies",
            server.url("/premium/steel")
        )
    );
    let (e, _) = fail("/consent", &o);
    assert!(matches!(e, FullError::Paywall { .. }), "{e:?}");

    // Over the size cap: declared (Content-Length) and streamed (no length).
    let small = FetchOptions {
        max_size: 64 * 1024,
        ..opts(None)
    };
    for path in ["/big", "/endless"] {
        let (e, msg) = fail(path, &small);
        assert!(
            matches!(&e, FullError::Fetch(f) if f.kind == FetchErrorKind::TooLarge { limit: 64 * 1024 }),
            "{path}: {e:?}"
        );
        assert!(msg.ends_with(": response over the 64 KiB limit"), "{msg}");
    }
    // Within the cap, the big page is a story.
    assert!(fetch_full(&id("big"), &server.url("/big"), &o).is_ok());
}

#[test]
fn gzip_pages_are_read_and_capped_after_decompression() {
    // 2 MiB of HTML that compresses to a few KiB: a small bomb.
    let mut bomb = b"<html><body><article>".to_vec();
    bomb.extend(
        "<p>Plenty of words in this paragraph.</p>"
            .repeat(52_000)
            .as_bytes(),
    );
    let server = Server::start(vec![
        ("/news/bridge", Reply::Gzip(fixture("herald.html"))),
        ("/bomb", Reply::Gzip(bomb)),
    ]);
    let s = fetch_full(&id("z"), &server.url("/news/bridge"), &opts(None)).unwrap();
    assert!(story_text(&s).contains("A repair that grew"));
    let small = FetchOptions {
        max_size: 1024 * 1024,
        ..opts(None)
    };
    let e = fetch_full(&id("b"), &server.url("/bomb"), &small).unwrap_err();
    assert!(
        matches!(&e, FullError::Fetch(f) if f.kind == FetchErrorKind::TooLarge { limit: 1 << 20 }),
        "{e:?}"
    );
}

#[test]
fn a_slow_server_times_out() {
    let server = Server::start(vec![("/slow", Reply::Slow(Duration::from_secs(8)))]);
    let o = FetchOptions {
        timeout: Duration::from_secs(1),
        ..opts(None)
    };
    let started = Instant::now();
    let e = fetch_full(&id("slow"), &server.url("/slow"), &o).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(&e, FullError::Fetch(f) if matches!(f.kind, FetchErrorKind::Timeout(_))),
        "{e:?}"
    );
    assert!(e.to_string().ends_with("/slow: timed out after 1 s"), "{e}");
}

#[test]
fn redirects_are_followed_up_to_the_limit() {
    // Locations are relative: the server's address is known only once it runs.
    let server = Server::start(vec![
        ("/r1", Reply::Redirect("/r2".into())),
        ("/r2", Reply::Redirect("/r3".into())),
        ("/r3", Reply::Redirect("/news/bridge".into())),
        ("/news/bridge", html("herald.html")),
        ("/loop", Reply::Redirect("/loop".into())),
        ("/to-file", Reply::Redirect("file:///etc/passwd".into())),
    ]);
    let story = fetch_full(&id("r"), &server.url("/r1"), &opts(None)).unwrap();
    assert_eq!(story.link, server.url("/r1"));
    assert_eq!(story.final_url, server.url("/news/bridge"));
    assert!(story.note().contains("/news/bridge,"), "{}", story.note());

    let e = fetch_full(&id("l"), &server.url("/loop"), &opts(None)).unwrap_err();
    assert!(
        matches!(&e, FullError::Fetch(f) if f.kind == FetchErrorKind::TooManyRedirects),
        "{e:?}"
    );
    assert!(e.to_string().ends_with("/loop: too many redirects"), "{e}");
    // One redirect fewer than the chain is long: too many.
    let strict = FetchOptions {
        max_redirects: 2,
        ..opts(None)
    };
    let e = fetch_full(&id("r"), &server.url("/r1"), &strict).unwrap_err();
    assert!(matches!(&e, FullError::Fetch(f) if f.kind == FetchErrorKind::TooManyRedirects));
    // A redirect out of http(s) is not followed.
    assert!(fetch_full(&id("f"), &server.url("/to-file"), &opts(None)).is_err());
}

#[test]
fn links_that_are_not_http_are_refused_without_io() {
    let server = Server::start(vec![]);
    let cache = tempfile::tempdir().unwrap();
    let o = opts(Some(cache.path()));
    let port = server.addr.port();
    for link in [
        "javascript:fetch('http://127.0.0.1:PORT/')".replace("PORT", &port.to_string()),
        "file:///etc/passwd".to_string(),
        format!("ftp://127.0.0.1:{port}/story"),
        "data:text/html,<p>hi</p>".to_string(),
        "127.0.0.1/story".to_string(),
        "http://".to_string(),
        "mailto:news@example.com".to_string(),
    ] {
        let e = fetch_full(&id("x"), &link, &o).unwrap_err();
        assert!(matches!(e, FullError::UnsupportedLink(_)), "{link}: {e:?}");
        assert!(
            e.to_string()
                .starts_with("no full story: only http and https links are fetched, not "),
            "{e}"
        );
    }
    assert_eq!(
        fetch_full(&id("x"), "  ", &o).unwrap_err(),
        FullError::NoLink
    );
    assert_eq!(
        FullError::NoLink.to_string(),
        "no full story: the article has no link"
    );
    thread::sleep(Duration::from_millis(50));
    assert_eq!(server.hits(), 0, "a refused link reached the server");
    assert!(!cache.path().join("full").exists());
}

#[test]
fn the_cached_copy_reads_offline_and_a_corrupt_one_is_ignored() {
    let cache = tempfile::tempdir().unwrap();
    let o = opts(Some(cache.path()));
    let article = id("https://herald.example/news/bridge");
    assert!(cached_full(&article, &o).is_none());
    let server = Server::start(vec![("/news/bridge", html("herald.html"))]);
    let url = server.url("/news/bridge");
    let fresh = fetch_full(&article, &url, &o).unwrap();
    drop(server);
    let file = cache
        .path()
        .join("full")
        .join(format!("{}.json", article.as_str()));
    assert!(file.is_file());
    // The server is gone: fetching fails, the cached copy reads the same.
    assert!(fetch_full(&article, &url, &o).is_err());
    let cached = cached_full(&article, &o).expect("cached");
    assert!(cached.from_cache);
    assert_eq!(cached.blocks, fresh.blocks);
    assert_eq!(cached.title, fresh.title);
    assert_eq!(cached.words, fresh.words);
    assert_eq!(cached.final_url, fresh.final_url);
    assert_eq!(cached.link, url);
    assert_eq!(cached.fetched.timestamp(), fresh.fetched.timestamp());
    assert_eq!(cached.note(), fresh.note());
    // The cache holds HTML, not blocks, and no temporary files are left.
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(stored["html"].as_str().unwrap().contains("<p>"));
    assert!(stored.get("blocks").is_none());
    let names: Vec<String> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // Other articles have no copy; without a cache folder there is none.
    assert!(cached_full(&id("other"), &o).is_none());
    assert!(cached_full(&article, &opts(None)).is_none());
    // A corrupt or foreign file is ignored, never a panic.
    for junk in [
        &b""[..],
        b"{not json",
        b"[]",
        b"{\"version\":1}",
        b"{\"version\":99,\"link\":\"a\",\"final_url\":\"b\",\"fetched\":\"2026-01-01T00:00:00Z\",\"title\":null,\"html\":\"<p>x</p>\"}",
        b"{\"version\":1,\"link\":\"a\",\"final_url\":\"b\",\"fetched\":\"yesterday\",\"title\":null,\"html\":\"<p>x</p>\"}",
        b"\xff\xfe\x00garbage",
    ] {
        std::fs::write(&file, junk).unwrap();
        assert!(cached_full(&article, &o).is_none(), "{junk:?}");
    }
    // Hostile text in a (tampered) cache is sanitized on the way out too.
    std::fs::write(
        &file,
        serde_json::json!({
            "version": 1,
            "link": "http://x.org/\u{1b}[2J",
            "final_url": "http://x.org/a\u{202e}b",
            "fetched": "2026-11-27T16:20:00Z",
            "title": "Evil \u{1b}]0;title\u{7} here",
            "html": "<p>Clean \u{1b}[31mred\u{1b}[0m text</p>"
        })
        .to_string(),
    )
    .unwrap();
    let s = cached_full(&article, &o).unwrap();
    assert_eq!(s.title.as_deref(), Some("Evil here"));
    assert_eq!(s.blocks[0].text, "Clean red text");
    for t in [s.link.as_str(), s.final_url.as_str(), &s.note()] {
        assert!(!t.contains(['\u{1b}', '\u{202e}']), "{t:?}");
    }
}

#[test]
fn without_a_cache_folder_nothing_is_written() {
    let server = Server::start(vec![("/a", html("techwire.html"))]);
    let s = fetch_full(&id("a"), &server.url("/a"), &opts(None)).unwrap();
    assert!(s.words > 100);
    assert!(cached_full(&id("a"), &opts(None)).is_none());
}

/// True when `s` holds a control character (other than newline in code) or a bidi/zero-width
/// trick.
fn unclean(s: &str) -> bool {
    s.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}')
    })
}

#[test]
fn hostile_pages_leak_no_control_characters() {
    let server = Server::start(vec![("/h", html("hostile.html"))]);
    let s = fetch_full(&id("h"), &server.url("/h"), &opts(None)).unwrap();
    let title = s.title.clone().unwrap_or_default();
    assert!(!unclean(&title), "{title:?}");
    assert!(!unclean(&s.note()));
    for b in &s.blocks {
        assert!(!unclean(&b.text), "{:?}", b.text);
        assert!(!b.text.contains("javascript:"), "{:?}", b.text);
    }
    let text = story_text(&s);
    assert!(text.contains("This paragraph hides an escape sequence"));
    assert!(text.contains("A third paragraph, quite normal"));
    assert!(!text.contains("pwned"), "{text}");
}

// The command line: `tidings show ID --full`, the real binary, isolated folders.

fn tidings(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(args)
        .env("HOME", home.join("home"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs tidings")
}

/// A folder holding one RSS feed whose items link to `links`; returns the folder.
fn feed_folder(home: &Path, links: &[(&str, String)]) -> PathBuf {
    let dir = home.join("feeds");
    std::fs::create_dir_all(&dir).unwrap();
    let items: String = links
        .iter()
        .map(|(title, link)| {
            format!(
                "<item><title>{title}</title><link>{link}</link><guid>{title}</guid>\
                 <pubDate>Tue, 24 Nov 2026 08:15:00 +0000</pubDate>\
                 <description>The feed's one-sentence summary of {title}.</description></item>"
            )
        })
        .collect();
    std::fs::write(
        dir.join("herald.xml"),
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Daily Herald</title>\
             <link>http://herald.example/</link>{items}</channel></rss>"
        ),
    )
    .unwrap();
    dir
}

/// The id of the article titled `title` in `folder`, from `list --json`.
fn id_of(home: &Path, folder: &str, title: &str) -> String {
    let o = tidings(home, &["list", folder, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title} in {items}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn show_full_on_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let server = Server::start(vec![
        ("/news/bridge", html("herald.html")),
        ("/news/hostile", html("hostile.html")),
    ]);
    let folder = feed_folder(
        home,
        &[
            ("Bridge", server.url("/news/bridge")),
            ("Missing", server.url("/news/missing")),
            ("Hostile", server.url("/news/hostile")),
            ("Scripted", "javascript:alert(1)".to_string()),
        ],
    );
    let folder = folder.to_str().unwrap();
    let cache = home.join("c");
    let cache = cache.to_str().unwrap();
    let data = home.join("d");
    let data = data.to_str().unwrap();
    let common = ["--cache-dir", cache, "--data-dir", data, "--width", "80"];
    let bridge = id_of(home, folder, "Bridge");

    // Without --full: the feed's summary.
    let o = tidings(home, &[&["show", &bridge, folder][..], &common].concat());
    assert!(o.status.success());
    let plain = String::from_utf8(o.stdout).unwrap();
    assert!(plain.contains("one-sentence summary of Bridge"), "{plain}");
    assert!(!plain.contains("Full story from"));

    // With --full: the header, the note under it, then the story instead of the summary.
    let o = tidings(
        home,
        &[&["show", &bridge, folder, "--full"][..], &common].concat(),
    );
    let out = String::from_utf8(o.stdout).unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(o.status.success(), "{err}");
    assert_eq!(err, "");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Bridge");
    let note_at = lines
        .iter()
        .position(|l| l.starts_with("Full story from "))
        .unwrap_or_else(|| panic!("no note in:\n{out}"));
    let link_at = lines
        .iter()
        .position(|l| *l == server.url("/news/bridge"))
        .unwrap();
    assert_eq!(note_at, link_at + 1, "{out}");
    assert!(
        lines[note_at].contains(&format!("{}/news/bridge, fetched ", server.addr)),
        "{out}"
    );
    assert_eq!(lines[note_at + 1], "");
    assert!(!out.contains("one-sentence summary"), "{out}");
    assert_story(
        "show --full",
        &out.split_whitespace().collect::<Vec<_>>().join(" "),
        &[
            "The harbour bridge reopened to traffic",
            "A repair that grew",
            "We could have patched it",
            "What changes for drivers",
            "will decide whether to scrap them for good.",
        ],
        &[
            "Accept all cookies",
            "Related stories",
            "About time!",
            "Advertisement",
        ],
    );
    assert!(lines.iter().all(|l| unicode_width(l) <= 80), "{out}");

    // --json: the full blocks, and where they came from.
    let o = tidings(
        home,
        &[&["show", &bridge, folder, "--full", "--json"][..], &common].concat(),
    );
    assert!(o.status.success());
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let blocks = j["blocks"].as_array().unwrap();
    assert!(blocks.len() > 8, "{j}");
    assert_eq!(blocks[0]["kind"], "paragraph");
    assert!(
        blocks
            .iter()
            .any(|b| b["kind"] == "heading" && b["text"] == "A repair that grew")
    );
    assert_eq!(j["full"]["final_url"], server.url("/news/bridge"));
    assert_eq!(j["full"]["from_cache"], true, "the first --full cached it");
    assert!(
        j["full"]["note"]
            .as_str()
            .unwrap()
            .starts_with("Full story from ")
    );
    assert!(j["standfirst"].is_null());

    // The server is gone: the cached copy still shows.
    let hostile = id_of(home, folder, "Hostile");
    let o = tidings(
        home,
        &[&["show", &hostile, folder, "--full"][..], &common].concat(),
    );
    assert!(o.status.success());
    let hostile_out = o.stdout;
    drop(server);
    let o = tidings(
        home,
        &[&["show", &bridge, folder, "--full"][..], &common].concat(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains("A repair that grew")
    );

    // Hostile pages: nothing but newlines below space reaches stdout.
    assert!(
        !hostile_out.iter().any(|&b| b < 0x20 && b != b'\n'),
        "{}",
        String::from_utf8_lossy(&hostile_out)
    );
    let text = String::from_utf8(hostile_out).unwrap();
    assert!(
        text.contains("This paragraph hides an escape sequence"),
        "{text}"
    );
    assert!(!text.contains('\u{202e}'));

    // Failures: the message on stderr, the summary on stdout, exit 1.
    // (The server is gone, so "Missing" cannot connect; a 404 is `show_full_reports_http_errors`.)
    for (title, expected) in [
        ("Missing", "could not connect to the server"),
        // The feed parser drops links that are not http(s); `fetch_full` would refuse them.
        ("Scripted", "no full story: the article has no link"),
    ] {
        let article = id_of(home, folder, title);
        let o = tidings(
            home,
            &[&["show", &article, folder, "--full"][..], &common].concat(),
        );
        assert_eq!(o.status.code(), Some(1), "{title}");
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.starts_with("tidings: error: "), "{err}");
        assert!(err.trim_end().ends_with(expected), "{title}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            out.contains(&format!("one-sentence summary of {title}")),
            "{out}"
        );
        assert!(!out.contains("Full story from"));
    }
}

#[test]
fn show_full_reports_http_errors() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let server = Server::start(vec![]);
    let folder = feed_folder(home, &[("Missing", server.url("/news/missing"))]);
    let folder = folder.to_str().unwrap();
    let cache = home.join("c");
    let article = id_of(home, folder, "Missing");
    let o = tidings(
        home,
        &[
            "show",
            &article,
            folder,
            "--full",
            "--json",
            "--cache-dir",
            cache.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        err,
        format!(
            "tidings: error: full story: {}: HTTP 404 Not Found\n",
            server.url("/news/missing")
        )
    );
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        j["blocks"][0]["text"],
        "The feed's one-sentence summary of Missing."
    );
    assert!(
        j["full"]["error"]
            .as_str()
            .unwrap()
            .ends_with("HTTP 404 Not Found")
    );
}

fn unicode_width(s: &str) -> usize {
    tidings::core::text::width(s)
}

// The reader: `f` in a real terminal (tmux, a server of its own), against the loopback server.

/// Runs tmux on socket `sock` with no user configuration; panics if it fails.
fn tmux(sock: &str, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(["-u", "-f", "/dev/null", "-L", sock])
        .args(args)
        .env_remove("TMUX")
        .output()
        .expect("runs tmux");
    assert!(
        out.status.success(),
        "tmux {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Captures the pane until `ready` holds (10 s at most, then panics with the screen).
fn wait_screen(sock: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let screen = tmux(sock, &["capture-pane", "-p", "-t", "full"]);
        if ready(&screen) {
            return screen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}; screen:\n{screen}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn f_in_the_reader_fetches_the_full_story_and_toggles_back() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must install tmux");
        eprintln!("tmux is not installed: skipped");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let server = Server::start(vec![
        ("/news/bridge", html("herald.html")),
        ("/news/gone", Reply::Status("404 Not Found")),
    ]);
    let folder = feed_folder(
        home,
        &[
            ("Bridge reopens", server.url("/news/bridge")),
            ("Gone story", server.url("/news/gone")),
        ],
    );
    let sock = format!("tidings-full-{}", std::process::id());
    let env = |k: &str, v: &Path| format!("{k}={}", v.display());
    let cmd = [
        "env".to_string(),
        env("HOME", &home.join("home")),
        env("XDG_CONFIG_HOME", &home.join("config")),
        env("XDG_CACHE_HOME", &home.join("cache")),
        env("XDG_DATA_HOME", &home.join("data")),
        "TZ=UTC".into(),
        "NO_COLOR=1".into(),
        env!("CARGO_BIN_EXE_tidings").into(),
        folder.display().to_string(),
    ];
    // 200 columns: a reading pane wide enough for the summary on one line (at 160 the
    // headlines take the room by default and the reader wraps at 36).
    let mut args = vec!["new-session", "-d", "-s", "full", "-x", "200", "-y", "40"];
    args.extend(cmd.iter().map(String::as_str));
    tmux(&sock, &args);
    struct Kill(String);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .args(["-L", &self.0, "kill-server"])
                .output();
        }
    }
    let _kill = Kill(sock.clone());
    let summary = "one-sentence summary of Bridge";
    wait_screen(&sock, "the headlines", |s| s.contains("Bridge reopens"));
    // Both items share a date; the list is sorted by title then: "Bridge" first.
    tmux(&sock, &["send-keys", "-t", "full", "Enter"]);
    wait_screen(&sock, "the summary", |s| s.contains(summary));
    tmux(&sock, &["send-keys", "-t", "full", "f"]);
    let full = wait_screen(&sock, "the full story", |s| {
        s.contains("The harbour bridge reopened") && s.contains("Full story from")
    });
    assert!(!full.contains(summary), "{full}");
    assert!(full.contains("A repair that grew"), "{full}");
    assert!(full.contains("full story (f: summary)"), "{full}");
    for boilerplate in ["Accept all cookies", "Share on", "Related stories"] {
        assert!(!full.contains(boilerplate), "{boilerplate} in {full}");
    }
    tmux(&sock, &["send-keys", "-t", "full", "f"]);
    wait_screen(&sock, "the summary again", |s| {
        s.contains(summary) && !s.contains("The harbour bridge reopened")
    });
    // A story that fails: the status bar says why and the summary stays.
    tmux(&sock, &["send-keys", "-t", "full", "J", "f"]);
    let failed = wait_screen(&sock, "the 404", |s| s.contains("404"));
    assert!(
        failed.contains("one-sentence summary of Gone story"),
        "{failed}"
    );
    // Cached with the article: later starts read it without the server.
    let hits = server.hits();
    drop(server);
    tmux(&sock, &["send-keys", "-t", "full", "q"]);
    assert!(hits >= 2);
    let cached = std::fs::read_dir(home.join("cache/tidings/full"))
        .unwrap()
        .count();
    assert_eq!(cached, 1, "the fetched story is cached");
}

#[test]
fn old_cached_stories_are_pruned() {
    use std::time::SystemTime;
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path();
    let age = |name: &str, secs: u64| {
        let p = full.join(name);
        std::fs::write(&p, "{}").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(secs))
            .unwrap();
    };
    let day = 24 * 3600;
    age("0000000000000001.json", 100 * day);
    age("0000000000000002.json", 10 * day);
    age(".0000000000000003.json.1.0.tmp", 3600);
    age("notes.txt", 100 * day);
    let removed = tidings::sources::fulltext::prune(full, tidings::sources::fulltext::MAX_AGE);
    assert_eq!(removed, 2);
    let mut left: Vec<String> = std::fs::read_dir(full)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["0000000000000002.json", "notes.txt"]);
}
