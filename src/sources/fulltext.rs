//! Full stories: an article's web page fetched with the feed limits, its story extracted
//! (see [`super::extract`]) and cached, so it reads offline later.
//!
//! [`fetch_full`] is blocking (the worker calls it); [`cached_full`] does no network IO.
//! The cache keeps the extracted story's HTML, not blocks, under
//! `<cache dir>/full/<article id>.json`, and renders it again on load with the same
//! [`crate::core::html::html_to_blocks`] as feeds, so a cached copy reads exactly like a fresh one.

use super::atomic::write_atomic;
use super::decode::{self, Skip};
use super::extract::{self, ExtractError};
use super::fetch::{FetchError, FetchOptions, Fetcher, looks_like_html, media_type};
use crate::core::model::{ArticleId, Block};
use crate::core::sanitize::sanitize_line;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// An article's story, from its web page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullStory {
    /// The article's link, as fetched.
    pub link: String,
    /// Where the page was found after redirects.
    pub final_url: String,
    /// When the page was fetched.
    pub fetched: DateTime<Utc>,
    /// The page's title for the story (sanitized), if it has one.
    pub title: Option<String>,
    /// The story, as the blocks of feed HTML are (the numbered link targets at the end).
    pub blocks: Vec<Block>,
    /// Words in the story (link targets not counted).
    pub words: u32,
    /// True when read from the cache rather than fetched just now.
    pub from_cache: bool,
}

impl FullStory {
    /// The line shown above the story: `Full story from example.com/path, fetched 2026-11-27
    /// 16:20 UTC`.
    pub fn note(&self) -> String {
        sanitize_line(&format!(
            "Full story from {}, fetched {}",
            short_url(&self.final_url),
            self.fetched.format("%Y-%m-%d %H:%M UTC")
        ))
    }
}

/// `example.com/path` from `https://www.example.com/path?x=1`: host (without `www.`) and path,
/// cut to 60 characters.
fn short_url(url: &str) -> String {
    let shown = match url::Url::parse(url) {
        Ok(u) if u.host_str().is_some() => {
            let host = u.host_str().unwrap_or_default();
            let host = host.strip_prefix("www.").unwrap_or(host);
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let path = u.path().trim_end_matches('/');
            format!("{host}{port}{path}")
        }
        _ => url.to_string(),
    };
    let shown = sanitize_line(&shown);
    if shown.chars().count() > 60 {
        let cut: String = shown.chars().take(59).collect();
        format!("{cut}…")
    } else {
        shown
    }
}

/// Why an article's full story could not be had. `Display` is one plain line for a status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FullError {
    /// The article has no link.
    NoLink,
    /// The link is not an `http`/`https` URL (it is refused before any IO); sanitized.
    UnsupportedLink(String),
    /// The fetch failed: status, timeout, size, redirects, connection (worded as for feeds).
    Fetch(FetchError),
    /// The response is not an HTML page; its content type (or what stood for it).
    NotHtml { url: String, content_type: String },
    /// The page has nothing that reads like a story.
    NoStory { url: String },
    /// The page has only a teaser and asks to subscribe, sign in or accept cookies.
    Paywall { url: String },
}

impl fmt::Display for FullError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = |u: &str| sanitize_line(u);
        match self {
            FullError::NoLink => f.write_str("no full story: the article has no link"),
            FullError::UnsupportedLink(l) => write!(
                f,
                "no full story: only http and https links are fetched, not {}",
                short_link(l)
            ),
            FullError::Fetch(e) => write!(f, "full story: {e}"),
            FullError::NotHtml {
                url: u,
                content_type,
            } => write!(
                f,
                "full story: {}: not a web page ({})",
                url(u),
                sanitize_line(content_type)
            ),
            FullError::NoStory { url: u } => {
                write!(f, "full story: {}: no story found on the page", url(u))
            }
            FullError::Paywall { url: u } => write!(
                f,
                "full story: {}: only a teaser; the page asks to subscribe, sign in or accept \
                 cookies",
                url(u)
            ),
        }
    }
}

impl std::error::Error for FullError {}

/// A refused link as shown in a message: sanitized, at most 60 characters.
fn short_link(l: &str) -> String {
    let l = sanitize_line(l);
    if l.chars().count() > 60 {
        let cut: String = l.chars().take(59).collect();
        format!("{cut}…")
    } else {
        l
    }
}

/// Content types read as HTML.
const HTML_TYPES: [&str; 2] = ["text/html", "application/xhtml+xml"];

/// Fetches the page at `link` (the article `id`'s), extracts its story and caches it (when
/// the fetcher's options have a cache folder). Obeys the feed limits: timeouts, size cap,
/// redirects, `http`/`https` only (anything else is refused before any IO). Blocking: call it
/// from a worker thread.
pub fn fetch_full(id: &ArticleId, link: &str, fetcher: &Fetcher) -> Result<FullStory, FullError> {
    let started = std::time::Instant::now();
    let result = fetch_story(id, link, fetcher);
    let ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(s) => tracing::info!(
            id = %id,
            url = %sanitize_line(&s.final_url),
            words = s.words,
            ms,
            "full story fetched"
        ),
        Err(e) => tracing::warn!(
            id = %id,
            link = %sanitize_line(link),
            error = %e,
            ms,
            "full story failed"
        ),
    }
    result
}

/// [`fetch_full`], unlogged.
fn fetch_story(id: &ArticleId, link: &str, fetcher: &Fetcher) -> Result<FullStory, FullError> {
    let link = link.trim();
    if link.is_empty() {
        return Err(FullError::NoLink);
    }
    match url::Url::parse(link) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
        _ => return Err(FullError::UnsupportedLink(link.to_string())),
    }
    let wanted = |ct: Option<&str>| ct.is_none_or(|c| HTML_TYPES.contains(&media_type(c).as_str()));
    let page = fetcher
        .fetch_page(link, &wanted)
        .map_err(FullError::Fetch)?;
    let final_url = page.final_url;
    let Some(body) = page.body else {
        return Err(FullError::NotHtml {
            url: final_url,
            content_type: page
                .content_type
                .map_or_else(|| "no content type".to_string(), |c| media_type(&c)),
        });
    };
    if page.content_type.is_none() && !looks_like_html(&body) {
        return Err(FullError::NotHtml {
            url: final_url,
            content_type: "no content type, and not HTML".to_string(),
        });
    }
    let html = decode_page(body, page.content_type.as_deref()).map_err(|e| match e {
        Skip::Binary | Skip::BinaryUtf16(_) => FullError::NotHtml {
            url: final_url.clone(),
            content_type: "binary data".to_string(),
        },
        Skip::Empty | Skip::TooLarge(_) => FullError::NoStory {
            url: final_url.clone(),
        },
    })?;
    let story = extract_guarded(&html, &final_url).map_err(|e| match e {
        ExtractError::NoStory => FullError::NoStory {
            url: final_url.clone(),
        },
        ExtractError::Paywall => FullError::Paywall {
            url: final_url.clone(),
        },
    })?;
    let fetched = Utc::now();
    if let Some(path) = cache_path(id, fetcher.options()) {
        let entry = CachedStory {
            version: CACHE_VERSION,
            link: link.to_string(),
            final_url: final_url.clone(),
            fetched: fetched.to_rfc3339(),
            title: story.title.clone(),
            html: story.html,
        };
        // A cache that cannot be written only costs a fetch next time.
        if let Ok(json) = serde_json::to_vec(&entry)
            && let Some(dir) = path.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            let _ = write_atomic(&path, &json);
            // Once a run: stories fetched long ago go (they are old news, and refetched if read).
            static PRUNED: std::sync::Once = std::sync::Once::new();
            PRUNED.call_once(|| {
                prune(dir, MAX_AGE);
            });
        }
    }
    Ok(FullStory {
        link: link.to_string(),
        final_url,
        fetched,
        title: story.title,
        blocks: story.blocks,
        words: story.words,
        from_cache: false,
    })
}

/// Extraction, with a panic in the HTML parser (hostile pages) turned into "no story".
fn extract_guarded(html: &str, url: &str) -> Result<extract::Extracted, ExtractError> {
    std::panic::catch_unwind(|| extract::extract(html, url)).unwrap_or(Err(ExtractError::NoStory))
}

/// The story cached for article `id`, rendered; `None` without a cache folder or a readable
/// entry (a corrupt one is ignored). No network IO.
pub fn cached_full(id: &ArticleId, opts: &FetchOptions) -> Option<FullStory> {
    let path = cache_path(id, opts)?;
    // A story's HTML is far below this; anything bigger is not ours.
    let meta = std::fs::metadata(&path).ok()?;
    if meta.len() > opts.max_size.max(1 << 20) {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let entry: CachedStory = serde_json::from_slice(&bytes).ok()?;
    if entry.version != CACHE_VERSION {
        return None;
    }
    let fetched = DateTime::parse_from_rfc3339(&entry.fetched)
        .ok()?
        .with_timezone(&Utc);
    let base = url::Url::parse(&entry.final_url).ok();
    let (blocks, words) = extract::render(&entry.html, base.as_ref());
    if blocks.is_empty() {
        return None;
    }
    let title = entry
        .title
        .map(|t| sanitize_line(&t))
        .filter(|t| !t.is_empty());
    tracing::debug!(id = %id, words, "full story from the cache");
    Some(FullStory {
        link: sanitize_line(&entry.link),
        final_url: sanitize_line(&entry.final_url),
        fetched,
        title,
        blocks,
        words,
        from_cache: true,
    })
}

/// `<cache dir>/full/<id>.json` (an id is 16 hex digits, so always a plain file name).
fn cache_path(id: &ArticleId, opts: &FetchOptions) -> Option<PathBuf> {
    let dir = opts.cache_dir.as_ref()?;
    Some(dir.join("full").join(format!("{}.json", id.as_str())))
}

/// Cached stories older than this are removed (see [`prune`]).
pub const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(90 * 24 * 3600);

/// Removes the cached stories in `dir` (a cache's `full/` folder) written more than `max_age`
/// ago, and temporary files left by killed writers; returns how many files went.
pub fn prune(dir: &std::path::Path, max_age: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".json") || (name.starts_with('.') && name.ends_with(".tmp"));
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok());
        let limit = if name.ends_with(".tmp") {
            max_age.min(std::time::Duration::from_secs(600))
        } else {
            max_age
        };
        if ours && age.is_some_and(|a| a > limit) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Bumped when the stored shape or the extraction changes meaning.
const CACHE_VERSION: u32 = 1;

/// One cached story as stored.
#[derive(Serialize, Deserialize)]
struct CachedStory {
    version: u32,
    link: String,
    final_url: String,
    /// RFC 3339.
    fetched: String,
    title: Option<String>,
    /// The extracted story's HTML.
    html: String,
}

/// A page's text: the charset of the `Content-Type`, else of a byte order mark or a `<meta>` in
/// the first KiB; UTF-8 (or no charset) is read as files are, UTF-8 with a Windows-1252 fallback.
fn decode_page(body: Vec<u8>, content_type: Option<&str>) -> Result<String, Skip> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&body)
        && enc != encoding_rs::UTF_8
    {
        let (text, _) = enc.decode_without_bom_handling(&body[bom..]);
        return Ok(text.into_owned());
    }
    let label = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(&body));
    let enc = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()));
    match enc {
        // A page that says UTF-16 in ASCII is not UTF-16 (the HTML standard reads it as UTF-8).
        Some(e)
            if e != encoding_rs::UTF_8
                && e != encoding_rs::UTF_16LE
                && e != encoding_rs::UTF_16BE =>
        {
            if decode::looks_binary(&body) {
                return Err(Skip::Binary);
            }
            let (text, _) = e.decode_without_bom_handling(&body);
            Ok(text.into_owned())
        }
        _ if body.len() as u64 > decode::MAX_FILE_BYTES => {
            // Over the file limit but within the fetch cap: read it all the same.
            Ok(String::from_utf8_lossy(&body).into_owned())
        }
        _ => decode::decode(body).map(|d| d.text),
    }
}

/// `charset` of a `Content-Type` value.
fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The charset a `<meta charset=…>` or `<meta http-equiv … content="…; charset=…">` in the first
/// KiB names.
fn meta_charset(body: &[u8]) -> Option<String> {
    let head = body[..body.len().min(1024)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&head[from..], b"<meta") {
        let start = from + i;
        let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(at) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[at + "charset".len()..];
            let rest = rest.strip_prefix(b"=").or_else(|| {
                let t = rest.trim_ascii_start();
                t.strip_prefix(b"=")
            })?;
            let rest = rest.trim_ascii_start();
            let rest = rest
                .strip_prefix(b"\"")
                .or(rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let label: Vec<u8> = rest
                .iter()
                .copied()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .collect();
            if !label.is_empty() {
                return String::from_utf8(label).ok();
            }
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        assert_eq!(
            charset_param("text/html; charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(
            meta_charset(b"<html><head><META charset='windows-1251'>").as_deref(),
            Some("windows-1251")
        );
        assert_eq!(
            meta_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
            )
            .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(meta_charset(b"<meta name=x><p>charset=koi8-r"), None);
        // Latin-1 by header, by meta; UTF-8 without a charset; a stray UTF-16 meta is UTF-8.
        let latin = b"<p>Caf\xe9</p>".to_vec();
        assert_eq!(
            decode_page(latin.clone(), Some("text/html; charset=iso-8859-1")).unwrap(),
            "<p>Café</p>"
        );
        let meta = b"<meta charset=iso-8859-1><p>Caf\xe9</p>".to_vec();
        assert!(decode_page(meta, None).unwrap().ends_with("Café</p>"));
        assert_eq!(
            decode_page("<p>Café</p>".as_bytes().to_vec(), None).unwrap(),
            "<p>Café</p>"
        );
        let utf16 = "<meta charset=utf-16><p>Café</p>".as_bytes().to_vec();
        assert!(decode_page(utf16, None).unwrap().ends_with("Café</p>"));
        // Invalid UTF-8 without a charset falls back to Windows-1252, as files do.
        assert_eq!(decode_page(latin, None).unwrap(), "<p>Café</p>");
        assert_eq!(decode_page(b"  ".to_vec(), None), Err(Skip::Empty));
    }

    #[test]
    fn notes_and_messages() {
        let s = FullStory {
            link: "https://www.example.com/news/a?x=1".into(),
            final_url: "https://www.example.com/news/a/?x=1".into(),
            fetched: DateTime::parse_from_rfc3339("2026-11-27T16:20:59Z")
                .unwrap()
                .with_timezone(&Utc),
            title: None,
            blocks: Vec::new(),
            words: 0,
            from_cache: false,
        };
        assert_eq!(
            s.note(),
            "Full story from example.com/news/a, fetched 2026-11-27 16:20 UTC"
        );
        assert_eq!(short_url("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert!(short_url(&format!("https://x.org/{}", "a".repeat(100))).ends_with('…'));
        let e = FullError::UnsupportedLink("javascript:alert(1)\u{1b}[2J".into());
        assert_eq!(
            e.to_string(),
            "no full story: only http and https links are fetched, not javascript:alert(1)"
        );
        let e = FullError::NotHtml {
            url: "https://x.org/a.pdf".into(),
            content_type: "application/pdf".into(),
        };
        assert_eq!(
            e.to_string(),
            "full story: https://x.org/a.pdf: not a web page (application/pdf)"
        );
    }
}
