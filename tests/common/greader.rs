//! A fake Google Reader API server on 127.0.0.1 for the sync tests, written from the published
//! API descriptions (and what FreshRSS answers): ClientLogin, `user-info`, `tag/list`,
//! `subscription/list`, `stream/contents` with continuation paging and `ot`, `stream/items/ids`
//! (`xt` for unread), `token` and `edit-tag` (form bodies, one state per request). Every request
//! is recorded (method, path and query, headers, body); faults are switched on per test.

use std::collections::{BTreeSet, HashSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const USER: &str = "alice";
pub const PASSWORD: &str = "pa55-Secret-XYZZY";
pub const ROOT: &str = "/api/greader.php";

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    pub fn query(&self) -> Vec<(String, String)> {
        let q = self.target.split_once('?').map_or("", |(_, q)| q);
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    }
    pub fn param(&self, name: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// Faults the server can be told to have.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Every answer is this status with an HTML body.
    pub status: Option<u16>,
    /// `edit-tag` answers 500.
    pub edit_fails: bool,
    /// Login answers an HTML login page (200).
    pub html_login: bool,
    /// `stream/contents` answers cut-off JSON.
    pub truncated: bool,
    /// `stream/contents` always gives a continuation (the same one).
    pub endless: bool,
    /// Every token is refused (401), even fresh ones.
    pub refuse_tokens: bool,
    /// Answers wait this long.
    pub slow: Option<Duration>,
    /// Miniflux mode: `stream/contents` answers this status (as a server without it but
    /// with a 404 for unknown calls would) rather than `[]`.
    pub contents_status: Option<u16>,
}

/// One item of the reading list.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: u64,
    pub title: String,
    pub published: i64,
    /// Crawl time (what `ot` bounds).
    pub crawled: i64,
    pub labels: Vec<String>,
    pub feed: u32,
}

#[derive(Default)]
pub struct World {
    pub items: Vec<Item>,
    pub unread: BTreeSet<u64>,
    pub starred: BTreeSet<u64>,
    pub tokens: HashSet<String>,
    pub logins: usize,
    pub requests: Vec<Request>,
    pub faults: Faults,
    /// Items per page of `stream/contents` at most.
    pub page: usize,
    /// Behave as Miniflux does (see [`miniflux`]), served at the root.
    pub miniflux: bool,
    /// Item ids as TheOldReader gives them: 24-hex-digit ObjectIds (`5f` and the id), long in
    /// `stream/contents`, bare in `stream/items/ids`, long in `edit-tag`.
    pub object_ids: bool,
}

impl World {
    /// Item `id` in its long form.
    fn long(&self, id: u64) -> String {
        match self.object_ids {
            true => format!("tag:google.com,2005:reader/item/5f{id:022x}"),
            false => format!("tag:google.com,2005:reader/item/{id:016x}"),
        }
    }

    /// Item `id` as `stream/items/ids` gives it.
    fn bare(&self, id: u64) -> String {
        match self.object_ids {
            true => format!("5f{id:022x}"),
            false => id.to_string(),
        }
    }

    /// The item an `edit-tag` `i` names (decimal; long ObjectIds with `object_ids`).
    fn item_named(&self, v: &str) -> Option<u64> {
        match self.object_ids {
            true => v
                .strip_prefix("tag:google.com,2005:reader/item/5f")
                .and_then(|h| u64::from_str_radix(h, 16).ok()),
            false => v.parse().ok(),
        }
    }
}

pub struct Fake {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    pub world: Arc<Mutex<World>>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl Fake {
    pub fn url(&self) -> String {
        match self.world().miniflux {
            true => format!("http://{}", self.addr),
            false => format!("http://{}{ROOT}", self.addr),
        }
    }
    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap()
    }
    /// The requests whose path ends with `suffix`.
    pub fn requests_to(&self, suffix: &str) -> Vec<Request> {
        self.world()
            .requests
            .iter()
            .filter(|r| r.path().ends_with(suffix))
            .cloned()
            .collect()
    }
}

/// `n` items (ids 1001…), every one unread, labels by `label_of`.
pub fn items(n: u64, label_of: impl Fn(u64) -> Vec<String>) -> Vec<Item> {
    (0..n)
        .map(|i| Item {
            id: 1001 + i,
            title: format!("Story {i} ＆ more"),
            published: 1_750_000_000 + i as i64 * 60,
            crawled: 1_750_000_000 + i as i64 * 60,
            labels: label_of(i),
            feed: (i % 2) as u32 + 1,
        })
        .collect()
}

pub fn start(items: Vec<Item>, page: usize) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let world = Arc::new(Mutex::new(World {
        unread: items.iter().map(|i| i.id).collect(),
        items,
        page,
        ..World::default()
    }));
    let (w, s) = (world.clone(), stop.clone());
    std::thread::spawn(move || {
        while !s.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((stream, _)) => {
                    let w = w.clone();
                    std::thread::spawn(move || serve(stream, &w));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    Fake { addr, stop, world }
}

/// A fake Miniflux (its Google Reader API at the root) with these items.
pub fn start_miniflux(items: Vec<Item>) -> Fake {
    let fake = start(items, usize::MAX);
    fake.world().miniflux = true;
    fake
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let first = lines.next()?;
    let mut parts = first.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Request {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
    })
}

fn serve(mut stream: TcpStream, world: &Mutex<World>) {
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    let slow = world.lock().unwrap().faults.slow;
    if let Some(d) = slow {
        std::thread::sleep(d);
    }
    let (status, ctype, body) = answer(&req, &mut world.lock().unwrap());
    let out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

const HTML: &str =
    "<!DOCTYPE html><html><head><title>Login</title></head><body><form>Log in</form></body></html>";

fn form(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn answer(req: &Request, w: &mut World) -> (String, &'static str, String) {
    w.requests.push(req.clone());
    let json = |s: String| ("200 OK".to_string(), "application/json", s);
    let text = |s: &str| ("200 OK".to_string(), "text/plain", s.to_string());
    let unauthorized = || {
        (
            "401 Unauthorized".to_string(),
            "text/plain",
            "Unauthorized!".to_string(),
        )
    };
    if let Some(s) = w.faults.status {
        return (format!("{s} Oops"), "text/html", HTML.to_string());
    }
    if w.miniflux {
        return miniflux(req, w);
    }
    let path = req.path().strip_prefix(ROOT).unwrap_or("").to_string();
    if path == "/accounts/ClientLogin" {
        if w.faults.html_login {
            return ("200 OK".to_string(), "text/html", HTML.to_string());
        }
        let f = form(&req.body);
        let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if get("Email").as_deref() != Some(USER) || get("Passwd").as_deref() != Some(PASSWORD) {
            return (
                "401 Unauthorized".to_string(),
                "text/plain",
                "Error=BadAuthentication\n".to_string(),
            );
        }
        w.logins += 1;
        let token = format!("{USER}/tok{}", w.logins);
        w.tokens.insert(token.clone());
        return text(&format!("SID={token}\nLSID=null\nAuth={token}\n"));
    }
    let Some(call) = path.strip_prefix("/reader/api/0/") else {
        return (
            "404 Not Found".to_string(),
            "text/plain",
            "not found".to_string(),
        );
    };
    let token = req
        .header("Authorization")
        .and_then(|a| a.strip_prefix("GoogleLogin auth="))
        .unwrap_or("");
    if w.faults.refuse_tokens || !w.tokens.contains(token) {
        return unauthorized();
    }
    if req.param("output").as_deref() != Some("json") && call != "token" && call != "edit-tag" {
        return text("Not Implemented!");
    }
    match call {
        "user-info" => json(format!(r#"{{"userId":"1","userName":"{USER}"}}"#)),
        "token" => text("T-write-token-1\n"),
        "tag/list" => {
            let mut labels: BTreeSet<&str> = BTreeSet::new();
            for i in &w.items {
                labels.extend(i.labels.iter().map(String::as_str));
            }
            let tags: Vec<serde_json::Value> = std::iter::once(serde_json::json!({"id": "user/-/state/com.google/starred"}))
                .chain(labels.iter().map(|l| serde_json::json!({"id": format!("user/-/label/{l}"), "type": "folder"})))
                .collect();
            json(serde_json::json!({ "tags": tags }).to_string())
        }
        "subscription/list" => json(
            serde_json::json!({"subscriptions": [
                {"id": "feed/1", "title": "Harbour ＆ Wire", "categories": [{"id": "user/-/label/Feeds One", "label": "Feeds One"}]},
                {"id": "feed/2", "title": "Northern Signal", "categories": []}
            ]})
            .to_string(),
        ),
        "edit-tag" => {
            if req.method != "POST" {
                return ("405 Method Not Allowed".to_string(), "text/plain", String::new());
            }
            if w.faults.edit_fails {
                return ("500 Internal Server Error".to_string(), "text/plain", "boom".to_string());
            }
            let f = form(&req.body);
            if !f.iter().any(|(k, v)| k == "T" && v == "T-write-token-1") {
                return unauthorized();
            }
            let ids: Vec<u64> = f.iter().filter(|(k, _)| k == "i").filter_map(|(_, v)| w.item_named(v)).collect();
            // One state per request, as FreshRSS applies it: the last `a` or `r`.
            let last = f.iter().rev().find(|(k, _)| k == "a" || k == "r").cloned();
            if let Some((op, state)) = last {
                for id in ids {
                    let read = state.ends_with("/read");
                    let set = if read { &mut w.unread } else { &mut w.starred };
                    // `a=read` removes from unread; `a=starred` adds to starred.
                    let insert = (op == "a") != read;
                    if insert { set.insert(id); } else { set.remove(&id); }
                }
            }
            text("OK")
        }
        "stream/items/ids" => {
            let s = req.param("s").unwrap_or_default();
            let xt = req.param("xt").unwrap_or_default();
            let ids: Vec<u64> = if s.ends_with("/starred") {
                w.starred.iter().copied().collect()
            } else if xt.ends_with("/read") {
                w.unread.iter().copied().collect()
            } else {
                w.items.iter().map(|i| i.id).collect()
            };
            let refs: Vec<serde_json::Value> = ids.iter().map(|i| serde_json::json!({"id": w.bare(*i)})).collect();
            json(serde_json::json!({ "itemRefs": refs }).to_string())
        }
        c if c.starts_with("stream/contents/") => {
            if w.faults.truncated {
                return json(r#"{"items":[{"id":"tag:google.com,2005:reader/item/00000000000003e9","title":"cut"#.to_string());
            }
            let ot: i64 = req.param("ot").and_then(|v| v.parse().ok()).unwrap_or(0);
            let n: usize = req.param("n").and_then(|v| v.parse().ok()).unwrap_or(20).min(w.page);
            let start: usize = req.param("c").and_then(|v| v.parse().ok()).unwrap_or(0);
            let mut list: Vec<&Item> = w.items.iter().filter(|i| i.crawled > ot).collect();
            list.sort_by_key(|i| std::cmp::Reverse(i.id));
            let page: Vec<serde_json::Value> = list.iter().skip(start).take(n).map(|i| {
                let mut cats = vec!["user/-/state/com.google/reading-list".to_string(), "Raw Category".to_string()];
                cats.extend(i.labels.iter().map(|l| format!("user/-/label/{l}")));
                if !w.unread.contains(&i.id) { cats.push("user/-/state/com.google/read".into()); }
                item_json(i, w.long(i.id), cats)
            }).collect();
            let mut out = serde_json::json!({"id": "user/-/state/com.google/reading-list", "items": page});
            if w.faults.endless {
                out["continuation"] = "again".into();
            } else if start + n < list.len() {
                out["continuation"] = (start + n).to_string().into();
            }
            json(out.to_string())
        }
        _ => ("404 Not Found".to_string(), "text/plain", "unknown call".to_string()),
    }
}

/// An item as `stream/contents` (and Miniflux's `stream/items/contents`) gives it, with this
/// id and these categories.
fn item_json(i: &Item, id: String, categories: Vec<String>) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "crawlTimeMsec": (i.crawled * 1000).to_string(),
        "timestampUsec": (i.crawled * 1_000_000).to_string(),
        "published": i.published,
        "title": i.title,
        "canonical": [{"href": format!("https://news.example/{}", i.id)}],
        "alternate": [{"href": format!("https://news.example/{}", i.id), "type": "text/html"}],
        "categories": categories,
        "origin": {"streamId": format!("feed/{}", i.feed), "title": if i.feed == 1 {"Harbour ＆ Wire"} else {"Northern Signal"}},
        "summary": {"content": format!("<p>Body of story {} with <b>bold</b> text.</p>", i.id)},
    })
}

/// Miniflux's session token: `user/` and a digest that stays the same at every login (it is
/// derived from the user and the stored password hash).
pub const MINIFLUX_TOKEN: &str = "alice/5e0f3a9c0d1b2e7f4a6c8b9d0e1f2a3b";

/// The category Miniflux gives feed `feed` (every feed has exactly one; `All` by default).
fn miniflux_category(feed: u32) -> &'static str {
    if feed == 1 { "Feeds One" } else { "All" }
}

/// An item id as Miniflux reads one: long form (`tag:google.com,2005:reader/item/` + hex, any
/// width), 16 bare hex digits, or decimal.
fn miniflux_item_id(v: &str) -> Option<u64> {
    if let Some(hex) = v.strip_prefix("tag:google.com,2005:reader/item/") {
        return u64::from_str_radix(hex, 16).ok().filter(|n| *n != 0);
    }
    if v.len() == 16
        && let Ok(n) = u64::from_str_radix(v, 16)
    {
        return Some(n);
    }
    v.parse().ok()
}

/// The state a Miniflux stream id names (`user/-/state/com.google/X` or `user/1/state/…`).
fn miniflux_state(stream: &str) -> Option<&str> {
    stream
        .strip_prefix("user/-/state/com.google/")
        .or_else(|| stream.strip_prefix("user/1/state/com.google/"))
}

/// Miniflux's Google Reader API as its handler reads (miniflux/v2,
/// internal/googlereader/{handler,middleware,item,stream}.go at 106cdd09), written here from
/// that reading: at the root (`/accounts/ClientLogin`, `/reader/api/0/…`); a refused login is a
/// JSON 401; GET calls are authenticated by the `Authorization` header only and POST calls by
/// `T` only (query or body; the same token, which `token` returns); `output=json` is required
/// by `tag/list`, `subscription/list`, `stream/items/ids` and `stream/items/contents`;
/// `stream/contents` does not exist: every call it does not know answers `[]` with a 200;
/// `stream/items/ids` gives decimal ids, `c` an offset, `n` up to 10,000, `ot` bounds the
/// published time; `stream/items/contents` (POST) gives long ids; `edit-tag` reads `a`/`r` from
/// the body only and takes several at once; labels are the feed's category.
fn miniflux(req: &Request, w: &mut World) -> (String, &'static str, String) {
    let json = |v: serde_json::Value| ("200 OK".to_string(), "application/json", v.to_string());
    let error = |status: &str, m: &str| {
        (
            status.to_string(),
            "application/json",
            serde_json::json!({"error_message": m}).to_string(),
        )
    };
    let unauthorized = || {
        (
            "401 Unauthorized".to_string(),
            "text/plain; charset=utf-8",
            "Unauthorized".to_string(),
        )
    };
    let body = form(&req.body);
    // Go's `r.Form`: the query and the body merged.
    let merged: Vec<(String, String)> = req
        .query()
        .into_iter()
        .chain(body.iter().cloned())
        .collect();
    let all = |k: &str| -> Vec<String> {
        merged
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let one = |k: &str| all(k).into_iter().next().unwrap_or_default();
    let path = req.path().to_string();
    if path == "/accounts/ClientLogin" && req.method == "POST" {
        if one("Email") != USER || one("Passwd") != PASSWORD {
            return error("401 Unauthorized", "access unauthorized");
        }
        w.logins += 1;
        w.tokens.insert(MINIFLUX_TOKEN.to_string());
        if one("output") == "json" {
            return json(
                serde_json::json!({"SID": MINIFLUX_TOKEN, "LSID": MINIFLUX_TOKEN, "Auth": MINIFLUX_TOKEN}),
            );
        }
        let t = MINIFLUX_TOKEN;
        return (
            "200 OK".to_string(),
            "text/plain",
            format!("SID={t}\nLSID={t}\nAuth={t}\n"),
        );
    }
    let Some(call) = path.strip_prefix("/reader/api/0/") else {
        // The web UI.
        return ("404 Not Found".to_string(), "text/html", HTML.to_string());
    };
    let token = if req.method == "POST" {
        one("T")
    } else {
        let h = req.header("Authorization").unwrap_or("");
        let fields: Vec<&str> = h.split_whitespace().collect();
        match fields.as_slice() {
            ["GoogleLogin", kv] => match kv.split('=').collect::<Vec<_>>().as_slice() {
                ["auth", t] => t.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    };
    if w.faults.refuse_tokens || !w.tokens.contains(&token) {
        return unauthorized();
    }
    let output_json = match req.method.as_str() {
        "POST" => one("output") == "json",
        _ => req.param("output").as_deref() == Some("json"),
    };
    let only_json = || {
        error(
            "400 Bad Request",
            "googlereader: only json output is supported",
        )
    };
    let feed_cat = |i: &Item| format!("user/1/label/{}", miniflux_category(i.feed));
    match (req.method.as_str(), call) {
        ("GET", "token") => ("200 OK".to_string(), "text/plain", token),
        ("GET", "user-info") => json(
            serde_json::json!({"userId": "1", "userName": USER, "userProfileId": "1", "userEmail": USER}),
        ),
        ("GET", "tag/list") if !output_json => only_json(),
        ("GET", "tag/list") => {
            let mut tags = vec![serde_json::json!({"id": "user/1/state/com.google/starred"})];
            for c in ["All", "Feeds One"] {
                tags.push(serde_json::json!({"id": format!("user/1/label/{c}"), "label": c, "type": "folder"}));
            }
            json(serde_json::json!({"tags": tags}))
        }
        ("GET", "subscription/list") if !output_json => only_json(),
        ("GET", "subscription/list") => {
            let subs: Vec<serde_json::Value> = [1u32, 2].iter().map(|f| {
                let c = miniflux_category(*f);
                serde_json::json!({
                    "id": format!("feed/{f}"),
                    "title": if *f == 1 {"Harbour ＆ Wire"} else {"Northern Signal"},
                    "categories": [{"id": format!("user/1/label/{c}"), "label": c, "type": "folder"}],
                    "url": format!("https://news.example/feed{f}.xml"),
                    "htmlUrl": "https://news.example/",
                    "iconUrl": "",
                })
            }).collect();
            json(serde_json::json!({"subscriptions": subs}))
        }
        ("POST", "edit-tag") => {
            // `a` and `r` from the body only; `i` from the merged form.
            let tags = |k: &str| -> Vec<String> {
                body.iter()
                    .filter(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
                    .collect()
            };
            let (add, remove) = (tags("a"), tags("r"));
            if add.is_empty() && remove.is_empty() {
                return error(
                    "500 Internal Server Error",
                    "googlreader: add or/and remove tags should be supplied",
                );
            }
            let (mut read, mut starred): (Option<bool>, Option<bool>) = (None, None);
            for (list, adding) in [(&add, true), (&remove, false)] {
                for t in list {
                    match miniflux_state(t) {
                        // Miniflux checks the read family only while reading `r`.
                        Some("read" | "kept-unread") if !adding && read.is_some() => {
                            return error(
                                "500 Internal Server Error",
                                "kept-unread and read should not be supplied simultaneously",
                            );
                        }
                        Some("read") => read = Some(adding),
                        Some("kept-unread") => read = Some(!adding),
                        Some("starred") if !adding && starred.is_some() => {
                            return error(
                                "500 Internal Server Error",
                                "starred should not be supplied for add and remove simultaneously",
                            );
                        }
                        Some("starred") => starred = Some(adding),
                        Some("broadcast" | "like") => {}
                        _ => {
                            return error(
                                "500 Internal Server Error",
                                "googlereader: unsupported tag type",
                            );
                        }
                    }
                }
            }
            let ids: Option<Vec<u64>> = all("i").iter().map(|v| miniflux_item_id(v)).collect();
            let Some(ids) = ids.filter(|i| !i.is_empty()) else {
                return error("400 Bad Request", "googlereader: failed to parse item ID");
            };
            for id in ids
                .into_iter()
                .filter(|id| w.items.iter().any(|i| i.id == *id))
            {
                match read {
                    Some(true) => {
                        w.unread.remove(&id);
                    }
                    Some(false) => {
                        w.unread.insert(id);
                    }
                    None => {}
                }
                match starred {
                    Some(true) => {
                        w.starred.insert(id);
                    }
                    Some(false) => {
                        w.starred.remove(&id);
                    }
                    None => {}
                }
            }
            ("200 OK".to_string(), "text/plain", "OK".to_string())
        }
        ("GET", "stream/items/ids") if !output_json => only_json(),
        ("GET", "stream/items/ids") => {
            let q = req.query();
            let streams: Vec<&str> = q
                .iter()
                .filter(|(k, v)| k == "s" && !v.trim().is_empty())
                .map(|(_, v)| v.as_str())
                .collect();
            let [s] = streams.as_slice() else {
                return error(
                    "500 Internal Server Error",
                    "googlereader: only one stream type expected",
                );
            };
            let unread_only = q
                .iter()
                .any(|(k, v)| k == "xt" && miniflux_state(v) == Some("read"));
            let ot: i64 = req.param("ot").and_then(|v| v.parse().ok()).unwrap_or(0);
            let n: usize = req
                .param("n")
                .and_then(|v| v.parse().ok())
                .filter(|n| (1..=10_000).contains(n))
                .unwrap_or(10_000)
                .min(w.page);
            let offset: usize = req.param("c").and_then(|v| v.parse().ok()).unwrap_or(0);
            let mut list: Vec<&Item> = w.items.iter().filter(|i| i.published > ot).collect();
            match miniflux_state(s) {
                Some("reading-list") if unread_only => list.retain(|i| w.unread.contains(&i.id)),
                Some("reading-list") => {}
                Some("starred") => list.retain(|i| w.starred.contains(&i.id)),
                Some("read") => list.retain(|i| !w.unread.contains(&i.id)),
                _ => {
                    return error(
                        "500 Internal Server Error",
                        "googlereader: unknown stream type",
                    );
                }
            }
            list.sort_by_key(|i| std::cmp::Reverse((i.published, i.id)));
            let refs: Vec<serde_json::Value> = list
                .iter()
                .skip(offset)
                .take(n)
                .map(|i| serde_json::json!({"id": i.id.to_string()}))
                .collect();
            let mut out = serde_json::json!({"itemRefs": refs});
            if offset + refs.len() < list.len() {
                out["continuation"] = (offset + refs.len()).to_string().into();
            }
            json(out)
        }
        ("POST", "stream/items/contents") if !output_json => only_json(),
        ("POST", "stream/items/contents") => {
            let ids: Option<Vec<u64>> = all("i").iter().map(|v| miniflux_item_id(v)).collect();
            let Some(ids) = ids.filter(|i| !i.is_empty()) else {
                return error("400 Bad Request", "googlereader: no items requested");
            };
            let mut list: Vec<&Item> = w.items.iter().filter(|i| ids.contains(&i.id)).collect();
            list.sort_by_key(|i| std::cmp::Reverse((i.published, i.id)));
            let items: Vec<serde_json::Value> = list
                .iter()
                .map(|i| {
                    let mut cats = vec![
                        "user/1/state/com.google/reading-list".to_string(),
                        feed_cat(i),
                    ];
                    if !w.unread.contains(&i.id) {
                        cats.push("user/1/state/com.google/read".into());
                    }
                    if w.starred.contains(&i.id) {
                        cats.push("user/1/state/com.google/starred".into());
                    }
                    let mut v = item_json(i, w.long(i.id), cats);
                    v["content"] = v["summary"].clone();
                    v
                })
                .collect();
            json(
                serde_json::json!({"direction": "ltr", "id": "user/-/state/com.google/reading-list", "title": "Reading List", "author": USER, "items": items}),
            )
        }
        (_, c) if c.starts_with("stream/contents") && w.faults.contents_status.is_some() => {
            let status = w.faults.contents_status.unwrap_or(404);
            (
                format!("{status} No"),
                "text/plain",
                "no such call".to_string(),
            )
        }
        // Every other call, `stream/contents` among them, and a GET of a POST call.
        _ => json(serde_json::json!([])),
    }
}
