//! HTTP fetching against tiny servers on 127.0.0.1 started by each test (never the internet).
//!
//! Each server is a thread that accepts a bounded number of connections (one request each,
//! `Connection: close`) until a deadline, so every test ends by itself.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use tidings::sources::fetch::{FetchError, FetchErrorKind, FetchOptions, Fetched, Fetcher, cached};

/// Every URL fetched through one fetcher made for the given options.
fn fetch_all(
    urls: Vec<String>,
    opts: &FetchOptions,
    each: impl FnMut(Result<Fetched, FetchError>) + Send,
) {
    Fetcher::new(opts.clone()).fetch_all(urls, each)
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Request {
    path: String,
    /// Lowercased names.
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    fn seen(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }
}

/// Starts a server that hands each request (on its own thread) to `handler`, for at most
/// `max_requests` connections and at most 20 seconds.
fn serve<H>(max_requests: usize, handler: H) -> Server
where
    H: Fn(&Request, &mut TcpStream) + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler = Arc::new(handler);
    let seen2 = seen.clone();
    thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut served = 0;
        while served < max_requests && Instant::now() < deadline {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    served += 1;
                    let handler = handler.clone();
                    let seen = seen2.clone();
                    thread::spawn(move || {
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                        if let Some(req) = read_request(&mut stream) {
                            seen.lock().unwrap().push(req.clone());
                            handler(&req, &mut stream);
                        }
                    });
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    Server { addr, seen }
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut byte).ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Request { path, headers })
}

/// Writes a whole response with a Content-Length; write errors (the client left) are ignored.
fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn opts() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(1),
        ..FetchOptions::default()
    }
}

fn fetch(url: &str, opts: &FetchOptions) -> Result<Fetched, FetchError> {
    let mut out = Vec::new();
    fetch_all(vec![url.to_string()], opts, |r| out.push(r));
    assert_eq!(out.len(), 1, "one result per URL");
    out.pop().unwrap()
}

fn fetch_err(url: &str, opts: &FetchOptions) -> FetchErrorKind {
    match fetch(url, opts) {
        Ok(f) => panic!("expected an error, got {} articles", f.articles.len()),
        Err(e) => {
            assert_eq!(e.url, url);
            assert!(e.to_string().starts_with(url), "{e}");
            e.kind
        }
    }
}

fn titles(f: &Fetched) -> Vec<String> {
    f.articles.iter().map(|a| a.title.to_string()).collect()
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local News</title><link>http://example.com/</link>
<item><title>First story</title><link>/one</link><guid>1</guid>
<pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate><description>One.</description></item>
<item><title>Second story</title><link>/two</link><guid>2</guid>
<pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate><description>Two.</description></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Site</title><id>urn:x</id>
<updated>2025-06-01T00:00:00Z</updated>
<entry><title>Atom entry</title><id>urn:x:1</id><updated>2025-06-01T00:00:00Z</updated>
<link href="http://example.com/a1"/><summary>Sum.</summary></entry>
</feed>"#;

const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Json Site",
"items": [{"id": "j1", "title": "Json item", "content_text": "Hello."},
          {"id": "j2", "title": "Json item two", "content_text": "Again."}]}"#;

/// A server answering every request with the same 200 body and content type.
fn static_server(content_type: &'static str, body: Vec<u8>) -> Server {
    serve(4, move |_, s| {
        respond(s, "200 OK", &[("Content-Type", content_type)], &body);
    })
}

#[test]
fn rss_atom_and_json_feed() {
    let s = static_server("application/rss+xml", RSS.into());
    let f = fetch(&s.url("/rss"), &opts()).unwrap();
    assert_eq!(titles(&f), ["First story", "Second story"]);
    assert_eq!(f.url, s.url("/rss"));
    assert_eq!(f.final_url, s.url("/rss"));
    assert!(!f.not_modified);
    assert_eq!(&*f.articles[0].source, "Local News");
    // The User-Agent names us.
    let ua = s.seen()[0].header("user-agent").unwrap_or("").to_string();
    assert!(ua.starts_with("tidings/"), "{ua}");

    let s = static_server("application/atom+xml", ATOM.into());
    let f = fetch(&s.url("/atom"), &opts()).unwrap();
    assert_eq!(titles(&f), ["Atom entry"]);

    let s = static_server("application/feed+json", JSON_FEED.into());
    let f = fetch(&s.url("/json"), &opts()).unwrap();
    assert_eq!(titles(&f), ["Json item", "Json item two"]);
}

#[test]
fn not_modified_via_etag_uses_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(4, |req, s| {
        if req.header("if-none-match") == Some("\"v1\"") {
            respond(s, "304 Not Modified", &[("ETag", "\"v1\"")], b"");
        } else {
            respond(s, "200 OK", &[("ETag", "\"v1\"")], RSS.as_bytes());
        }
    });
    let o = FetchOptions {
        cache_dir: Some(dir.path().join("cache")),
        ..opts()
    };
    let first = fetch(&s.url("/feed"), &o).unwrap();
    assert!(!first.not_modified);
    let second = fetch(&s.url("/feed"), &o).unwrap();
    assert!(second.not_modified);
    assert_eq!(titles(&second), ["First story", "Second story"]);
    // Every item is dated, so the articles from the cache equal the first ones.
    assert_eq!(second.articles, first.articles);
    let seen = s.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("if-none-match"), None);
    assert_eq!(seen[1].header("if-none-match"), Some("\"v1\""));
}

#[test]
fn not_modified_via_last_modified_uses_the_cache() {
    const LM: &str = "Wed, 04 Jun 2025 08:00:00 GMT";
    let dir = tempfile::tempdir().unwrap();
    let s = serve(4, |req, s| {
        if req.header("if-modified-since") == Some(LM) {
            respond(s, "304 Not Modified", &[], b"");
        } else {
            respond(s, "200 OK", &[("Last-Modified", LM)], ATOM.as_bytes());
        }
    });
    let o = FetchOptions {
        cache_dir: Some(dir.path().to_path_buf()),
        ..opts()
    };
    assert!(!fetch(&s.url("/atom"), &o).unwrap().not_modified);
    let second = fetch(&s.url("/atom"), &o).unwrap();
    assert!(second.not_modified);
    assert_eq!(titles(&second), ["Atom entry"]);
    let seen = s.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("if-modified-since"), None);
    assert_eq!(seen[1].header("if-modified-since"), Some(LM));
    assert_eq!(seen[1].header("if-none-match"), None);
}

#[test]
fn cached_returns_the_last_good_articles() {
    let dir = tempfile::tempdir().unwrap();
    let o = FetchOptions {
        cache_dir: Some(dir.path().join("c")),
        ..opts()
    };
    let s = static_server("application/rss+xml", RSS.into());
    let url = s.url("/feed");
    assert!(cached(&url, &o).is_none(), "nothing cached yet");
    fetch(&url, &o).unwrap();
    let articles = cached(&url, &o).unwrap();
    assert_eq!(articles.len(), 2);
    assert_eq!(&*articles[0].title, "First story");
    assert!(cached(&s.url("/unknown"), &o).is_none());
    assert!(cached(&url, &opts()).is_none(), "no cache dir, no cache");

    // A corrupt entry is ignored: the next fetch works normally and repairs it.
    for entry in std::fs::read_dir(dir.path().join("c")).unwrap() {
        std::fs::write(entry.unwrap().path(), b"garbage").unwrap();
    }
    assert!(cached(&url, &o).is_none());
    let f = fetch(&url, &o).unwrap();
    assert!(!f.not_modified);
    assert_eq!(cached(&url, &o).unwrap().len(), 2);
    // No conditional header was sent from the corrupt entry.
    assert!(s.seen().iter().all(|r| r.header("if-none-match").is_none()));
}

#[test]
fn redirect_is_followed_and_reports_the_final_url() {
    let s = serve(4, |req, s| {
        if req.path == "/old" {
            respond(
                s,
                "301 Moved Permanently",
                &[("Location", "/new/feed.xml")],
                b"",
            );
        } else {
            respond(
                s,
                "200 OK",
                &[("Content-Type", "application/rss+xml")],
                RSS.as_bytes(),
            );
        }
    });
    let f = fetch(&s.url("/old"), &opts()).unwrap();
    assert_eq!(f.url, s.url("/old"));
    assert_eq!(f.final_url, s.url("/new/feed.xml"));
    assert_eq!(titles(&f), ["First story", "Second story"]);
    // Relative links resolve against the final URL.
    let expected = format!("http://{}/one", s.addr);
    assert_eq!(f.articles[0].link.as_deref(), Some(expected.as_str()));
}

#[test]
fn redirect_loop_is_too_many_redirects() {
    let s = serve(20, |_, s| {
        respond(s, "302 Found", &[("Location", "/loop")], b"");
    });
    assert_eq!(
        fetch_err(&s.url("/loop"), &opts()),
        FetchErrorKind::TooManyRedirects
    );
    assert_eq!(s.seen().len(), 6, "the first request and 5 redirects");
}

#[test]
fn http_errors_are_status() {
    let s = serve(4, |req, s| {
        if req.path == "/missing" {
            respond(s, "404 Not Found", &[], b"nope");
        } else {
            respond(s, "500 Internal Server Error", &[], b"oops");
        }
    });
    let url = s.url("/missing");
    let e = fetch(&url, &opts()).unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Status(404));
    assert_eq!(e.to_string(), format!("{url}: HTTP 404 Not Found"));
    assert_eq!(
        fetch_err(&s.url("/broken"), &opts()),
        FetchErrorKind::Status(500)
    );
}

#[test]
fn slow_response_times_out() {
    let s = serve(2, |_, s| {
        thread::sleep(Duration::from_secs(4));
        respond(s, "200 OK", &[], RSS.as_bytes());
    });
    let o = FetchOptions {
        timeout: Duration::from_secs(1),
        ..opts()
    };
    let t = Instant::now();
    assert_eq!(
        fetch_err(&s.url("/slow"), &o),
        FetchErrorKind::Timeout(Duration::from_secs(1))
    );
    assert_eq!(
        FetchErrorKind::Timeout(Duration::from_secs(1)).to_string(),
        "timed out after 1 s"
    );
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

#[test]
fn trickling_body_hits_the_total_timeout() {
    let s = serve(2, |_, s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n");
        for _ in 0..100 {
            if s.write_all(b"<").is_err() {
                return;
            }
            thread::sleep(Duration::from_secs(1));
        }
    });
    let o = FetchOptions {
        timeout: Duration::from_millis(1500),
        ..opts()
    };
    let t = Instant::now();
    assert_eq!(
        fetch_err(&s.url("/trickle"), &o),
        FetchErrorKind::Timeout(Duration::from_millis(1500))
    );
    assert_eq!(
        FetchErrorKind::Timeout(Duration::from_millis(1500)).to_string(),
        "timed out after 1.5 s"
    );
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn gzip_encoded_feed_is_decoded() {
    let body = gzip(RSS.as_bytes());
    let s = serve(2, move |req, s| {
        assert!(req.header("accept-encoding").unwrap_or("").contains("gzip"));
        respond(
            s,
            "200 OK",
            &[
                ("Content-Type", "application/rss+xml"),
                ("Content-Encoding", "gzip"),
            ],
            &body,
        );
    });
    let f = fetch(&s.url("/gz"), &opts()).unwrap();
    assert_eq!(titles(&f), ["First story", "Second story"]);
    let ae = s.seen()[0]
        .header("accept-encoding")
        .unwrap_or("")
        .to_string();
    assert!(
        ae.contains("gzip") && ae.contains("deflate") && ae.contains("br"),
        "{ae}"
    );
}

fn small_cap() -> FetchOptions {
    FetchOptions {
        max_size: 64 * 1024,
        ..opts()
    }
}

/// An RSS document of about `n` bytes.
fn big_feed(n: usize) -> Vec<u8> {
    let mut s =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>");
    while s.len() < n {
        s.push_str("<item><title>Filler</title><description>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</description></item>");
    }
    s.push_str("</channel></rss>");
    s.into_bytes()
}

#[test]
fn body_over_the_cap_with_content_length() {
    let body = big_feed(100 * 1024);
    let s = serve(2, move |_, s| respond(s, "200 OK", &[], &body));
    let url = s.url("/big");
    let e = fetch(&url, &small_cap()).unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::TooLarge { limit: 64 * 1024 });
    assert_eq!(
        e.to_string(),
        format!("{url}: response over the 64 KiB limit")
    );
    // Just under the cap is fine.
    let body = big_feed(60 * 1024);
    let s = serve(2, move |_, s| respond(s, "200 OK", &[], &body));
    assert!(fetch(&s.url("/fits"), &small_cap()).is_ok());
}

#[test]
fn body_over_the_cap_without_content_length() {
    let body = big_feed(200 * 1024);
    let s = serve(2, move |_, s| {
        // No length: the body ends when the connection closes.
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
        for chunk in body.chunks(4096) {
            if s.write_all(chunk).is_err() {
                return;
            }
        }
    });
    assert_eq!(
        fetch_err(&s.url("/stream"), &small_cap()),
        FetchErrorKind::TooLarge { limit: 64 * 1024 }
    );
}

#[test]
fn gzip_bomb_stops_at_the_cap() {
    let bomb = gzip(&vec![b' '; 20 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    let s = serve(2, move |_, s| {
        respond(s, "200 OK", &[("Content-Encoding", "gzip")], &bomb);
    });
    let t = Instant::now();
    assert_eq!(
        fetch_err(&s.url("/bomb"), &small_cap()),
        FetchErrorKind::TooLarge { limit: 64 * 1024 }
    );
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn html_page_is_not_a_feed() {
    let s = serve(4, |req, s| {
        let body: &[u8] = if req.path == "/with-link" {
            br#"<!DOCTYPE html><html><head><title>Blog</title>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
            </head><body>Hi</body></html>"#
        } else {
            b"<HTML><head><title>Blog</title></head><body>No feed here</body></HTML>"
        };
        respond(s, "200 OK", &[("Content-Type", "text/html")], body);
    });
    let url = s.url("/with-link");
    let e = fetch(&url, &opts()).unwrap_err();
    let link = s.url("/rss.xml");
    assert_eq!(
        e.kind,
        FetchErrorKind::NotAFeed {
            feed_link: Some(link.clone())
        }
    );
    assert_eq!(
        e.to_string(),
        format!("{url}: not a feed (an HTML page); it links a feed at {link}")
    );
    assert_eq!(
        fetch_err(&s.url("/plain"), &opts()),
        FetchErrorKind::NotAFeed { feed_link: None }
    );
}

#[test]
fn malformed_and_unknown_bodies() {
    let s = serve(4, |req, s| {
        let body: &[u8] = match req.path.as_str() {
            "/bad-xml" => b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>x</title>\n<!-- never closed",
            "/damaged" => b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>x</title>\n<item><title>a</tite></item></channel></rss>",
            _ => b"just some text",
        };
        respond(s, "200 OK", &[("Content-Type", "application/xml")], body);
    });
    // Broken before the first entry: nothing to keep, an error with the place.
    match fetch_err(&s.url("/bad-xml"), &opts()) {
        FetchErrorKind::Malformed(m) => {
            assert!(m.starts_with("malformed feed at line 4, column 1: "), "{m}");
        }
        other => panic!("{other:?}"),
    }
    // Damaged after an entry: the entry, and one warning naming the URL and the place.
    let url = s.url("/damaged");
    let f = fetch(&url, &opts()).unwrap();
    assert_eq!(titles(&f), ["a"]);
    assert_eq!(
        f.warnings,
        [format!(
            "{url}: damaged feed at line 4, column 15: end tag </tite> closes no open element; kept 1 entry"
        )]
    );
    match fetch_err(&s.url("/text"), &opts()) {
        FetchErrorKind::Malformed(m) => assert!(m.starts_with("not a feed"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn feed_with_a_wrong_content_type_is_still_parsed() {
    for ct in [
        "text/html; charset=utf-8",
        "text/plain",
        "application/octet-stream",
    ] {
        let s = static_server(ct, RSS.into());
        let f = fetch(&s.url("/feed"), &opts()).unwrap();
        assert_eq!(titles(&f), ["First story", "Second story"], "{ct}");
    }
}

#[test]
fn declared_latin1_encoding_is_honoured() {
    let mut body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>Nachrichten</title><item><title>Gr".to_vec();
    body.extend_from_slice(
        b"\xFC\xDFe aus M\xFCnchen</title><guid>1</guid></item></channel></rss>",
    );
    // The server claims UTF-8; the document's own declaration wins.
    let s = static_server("text/xml; charset=utf-8", body);
    let f = fetch(&s.url("/latin1"), &opts()).unwrap();
    assert_eq!(titles(&f), ["Grüße aus München"]);
    assert!(f.articles[0].title.contains('ü'));
}

#[test]
fn connection_refused_is_connect() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/feed");
    assert_eq!(fetch_err(&url, &opts()), FetchErrorKind::Connect);
}

#[test]
fn https_to_a_plain_http_server_is_tls() {
    // A plain HTTP server answers the TLS ClientHello with HTTP, as a misconfigured port would.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        }
    });
    let url = format!("https://{addr}/feed");
    assert_eq!(fetch_err(&url, &opts()), FetchErrorKind::Tls);
}

#[test]
fn broken_bodies_are_errors_not_panics() {
    let s = serve(4, |req, s| {
        if req.path == "/bad-gzip" {
            respond(
                s,
                "200 OK",
                &[("Content-Encoding", "gzip")],
                b"\x1f\x8b\x08\x00garbage that is not deflate",
            );
        } else {
            // Promises 10000 bytes, sends a few, hangs up.
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 10000\r\nConnection: close\r\n\r\n<rss",
            );
        }
    });
    match fetch_err(&s.url("/bad-gzip"), &opts()) {
        FetchErrorKind::Malformed(m) => assert!(m.contains("decompress"), "{m}"),
        other => panic!("{other:?}"),
    }
    match fetch_err(&s.url("/short"), &opts()) {
        FetchErrorKind::Io(m) => assert!(m.contains("broke off"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn works_when_called_inside_a_tokio_runtime() {
    let s = static_server("application/rss+xml", RSS.into());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let f = rt
        .block_on(async { fetch(&s.url("/feed"), &opts()) })
        .unwrap();
    assert_eq!(f.articles.len(), 2);
}

#[test]
fn invalid_urls_are_rejected_without_a_request() {
    for url in [
        "ftp://example.com/feed",
        "not a url",
        "file:///etc/passwd",
        "http://",
    ] {
        assert_eq!(fetch_err(url, &opts()), FetchErrorKind::InvalidUrl, "{url}");
    }
}

#[test]
fn per_host_limit_is_respected() {
    let active = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (a, p) = (active.clone(), peak.clone());
    let s = serve(6, move |_, s| {
        let now = a.fetch_add(1, Ordering::SeqCst) + 1;
        p.fetch_max(now, Ordering::SeqCst);
        thread::sleep(Duration::from_millis(300));
        // Leave before answering, so the next request cannot overlap this count.
        a.fetch_sub(1, Ordering::SeqCst);
        respond(s, "200 OK", &[], RSS.as_bytes());
    });
    let o = FetchOptions {
        per_host: 2,
        concurrency: 8,
        timeout: Duration::from_secs(5),
        ..opts()
    };
    let urls: Vec<String> = (0..6).map(|i| s.url(&format!("/f{i}"))).collect();
    let mut ok = 0;
    let t = Instant::now();
    fetch_all(urls, &o, |r| {
        assert_eq!(r.unwrap().articles.len(), 2);
        ok += 1;
    });
    assert_eq!(ok, 6);
    assert_eq!(s.seen().len(), 6);
    assert_eq!(
        peak.load(Ordering::SeqCst),
        2,
        "at most 2 at once, and 2 were used"
    );
    // Three rounds of two, not six in a row.
    assert!(
        t.elapsed() < Duration::from_millis(1700),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn results_are_reported_as_they_complete() {
    let s = serve(4, |req, s| {
        if req.path == "/slow" {
            thread::sleep(Duration::from_millis(800));
        }
        respond(s, "200 OK", &[], RSS.as_bytes());
    });
    let urls = vec![s.url("/slow"), s.url("/fast"), "gopher://x/".to_string()];
    let t = Instant::now();
    let mut order = Vec::new();
    fetch_all(urls, &opts(), |r| {
        let url = match &r {
            Ok(f) => f.url.clone(),
            Err(e) => e.url.clone(),
        };
        order.push((url, t.elapsed()));
    });
    let names: Vec<&str> = order
        .iter()
        .map(|(u, _)| u.rsplit('/').next().unwrap_or(""))
        .collect();
    assert_eq!(names, ["", "fast", "slow"], "{order:?}");
    assert!(order[1].1 < Duration::from_millis(600), "{order:?}");
}

/// One fetcher (one runtime, one client) serves many fetches: from the calling thread, again,
/// and from the jobs it runs on its own blocking pool (as the reader's worker does).
#[test]
fn one_fetcher_serves_every_fetch_including_its_own_jobs() {
    let s = serve(8, |req, s| match req.path.as_str() {
        "/page" => respond(s, "200 OK", &[("Content-Type", "text/html")], b"<p>hi</p>"),
        _ => respond(s, "200 OK", &[], RSS.as_bytes()),
    });
    let fetcher = Arc::new(Fetcher::new(opts()));
    for _ in 0..2 {
        let mut n = Vec::new();
        fetcher.fetch_all(vec![s.url("/feed")], |r| n.push(r.unwrap().articles.len()));
        assert_eq!(n, [2]);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let (f, feed, page) = (fetcher.clone(), s.url("/feed"), s.url("/page"));
    fetcher
        .spawn_blocking(move || {
            let mut n = 0;
            f.fetch_all(vec![feed], |r| n = r.map_or(0, |f| f.articles.len()));
            let body = f.fetch_page(&page, &|_| true).ok().and_then(|p| p.body);
            tx.send((n, body)).unwrap();
        })
        .unwrap();
    let (n, body) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(n, 2);
    assert_eq!(body.as_deref(), Some(&b"<p>hi</p>"[..]));
}

/// Quitting never waits for a fetch in flight: dropping the fetcher leaves its jobs behind.
#[test]
fn dropping_a_fetcher_does_not_wait_for_its_jobs() {
    let s = serve(2, |_, s| {
        thread::sleep(Duration::from_secs(8));
        respond(s, "200 OK", &[], RSS.as_bytes());
    });
    let fetcher = Arc::new(Fetcher::new(FetchOptions {
        timeout: Duration::from_secs(15),
        ..opts()
    }));
    let (tx, rx) = std::sync::mpsc::channel();
    let (f, url) = (fetcher.clone(), s.url("/slow"));
    fetcher
        .spawn_blocking(move || {
            tx.send(()).unwrap();
            f.fetch_all(vec![url], |_| {});
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(5)).unwrap();
    let t = Instant::now();
    drop(fetcher);
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
}

/// The loading pipeline (shared by the reader and the commands): a feed that cannot be fetched
/// falls back to its last good copy with a warning; at the reader's start-up the cached copy
/// comes first and a failed fetch then only reports the failure.
#[test]
fn the_pipeline_falls_back_to_the_cached_copy() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tidings::sources::SourceSpec;
    use tidings::sources::pipeline::{Event, Pipeline, collect};
    let down = Arc::new(AtomicBool::new(false));
    let d = down.clone();
    let s = serve(8, move |_, s| match d.load(Ordering::SeqCst) {
        true => respond(s, "503 Service Unavailable", &[], b""),
        false => respond(s, "200 OK", &[], RSS.as_bytes()),
    });
    let cache = tempfile::tempdir().unwrap();
    let fetcher = Fetcher::new(FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..opts()
    });
    let named = |_: &str, articles: &mut Vec<tidings::core::model::Article>| {
        for a in articles.iter_mut() {
            a.source = "Named".into();
        }
    };
    let pipeline = |cached_first| Pipeline {
        fetcher: &fetcher,
        archive: None,
        prepare: &named,
        read: &|_, _| {},
        cached_first,
        warm: true,
        batch_every: tidings::sources::pipeline::BATCH_EVERY,
    };
    let specs = [SourceSpec::Url(s.url("/feed"))];
    let fresh = collect(&specs, &pipeline(false));
    assert_eq!(fresh.articles.len(), 2);
    assert!(fresh.warnings.is_empty(), "{:?}", fresh.warnings);
    assert_eq!(&*fresh.articles[0].source, "Named");

    down.store(true, Ordering::SeqCst);
    let offline = collect(&specs, &pipeline(false));
    assert_eq!(offline.articles.len(), 2);
    assert!(offline.any_loaded());
    assert_eq!(
        &*offline.articles[0].source, "Named",
        "the copy is prepared too"
    );
    let w = offline
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    assert!(
        w.len() == 1 && w[0].contains("503") && w[0].ends_with("showing the cached copy"),
        "{w:?}"
    );

    let mut seen = Vec::new();
    pipeline(true).run(&specs, |e| {
        seen.push(match e {
            Event::Queued(_) => "queued".to_string(),
            Event::Loading(_) => "loading".to_string(),
            Event::Warning(w) => format!("warning {w}"),
            Event::Reading { .. } => "reading".to_string(),
            Event::StoredDone => "stored".to_string(),
            Event::Done(d) => format!(
                "done {} cached={} failure={}",
                d.articles.len(),
                d.cached,
                d.failure.unwrap_or_default()
            ),
        })
    });
    assert_eq!(
        seen,
        [
            "queued",
            "done 2 cached=true failure=",
            "stored",
            "loading",
            "done 0 cached=false failure=HTTP 503 Service Unavailable"
        ]
    );
}
