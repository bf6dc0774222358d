//! Feeds (RSS 0.90–2.01, RSS 1.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) from raw bytes into
//! articles. `encoding` turns bytes into text, `xml` and `json` read the document liberally into
//! the [`raw`] model, and this module maps that to articles. docs/feeds.md says what is
//! accepted, repaired and refused.

mod encoding;
mod json;
pub mod raw;
mod repair;
mod xml;

use crate::core::html::{absolute_url, estimate_words, html_to_line};
use crate::core::model::{Article, ArticleId, Block, BlockKind, CategoryPath, PendingHtml};
use crate::core::sanitize::sanitize_line;
use chrono::{DateTime, Utc};
use raw::{Href, Kind, RawEntry, RawFeed, Text};

/// What the loader knows about a feed besides its bytes.
#[derive(Debug, Clone)]
pub struct FeedContext {
    /// What makes ids unique to this feed: the canonical path or the URL.
    pub key: String,
    /// The feed's own URL, to resolve relative links (`None` for local files).
    pub url: Option<String>,
    /// Used for undated entries: the file's modification time, or when it was fetched.
    pub fallback_date: DateTime<Utc>,
    /// Used when the feed has no title.
    pub default_source: String,
}

/// How much of a file detection reads: enough for a long comment or DOCTYPE before the root.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// What the start of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// XML whose root is `rss`, `feed`, `RDF` or `channel`, or JSON with a JSON Feed `version`
    /// or `items`.
    Feed,
    /// Other XML or JSON: never an article, so the feed parser says what it is instead.
    Markup,
    /// Anything else (plain text).
    Text,
}

/// Skips the prologue: whitespace, the XML declaration, processing instructions, comments and a
/// DOCTYPE (with an internal subset in brackets).
fn skip_prologue(mut rest: &str) -> &str {
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |x| x.1);
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |x| x.1);
        } else if let Some(r) = rest.strip_prefix("<!") {
            let close = r.find('>').unwrap_or(r.len());
            rest = match r.find('[') {
                Some(open) if open < close => {
                    let after = &r[open..];
                    let end = after.find("]>").or_else(|| after.find(']'));
                    end.map_or("", |e| after[e..].split_once('>').map_or("", |x| x.1))
                }
                _ => r.get(close + 1..).unwrap_or(""),
            };
        } else {
            return rest;
        }
    }
}

/// Looks at the start of a document (the first [`SNIFF_BYTES`] are enough).
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let decoded = encoding::decode(head);
    let t = decoded
        .text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if t.starts_with('{') {
        return if t.contains("jsonfeed.org/version") || t.contains("\"items\"") {
            Sniffed::Feed
        } else {
            Sniffed::Markup
        };
    }
    if t.starts_with('[') && t[1..].trim_start().starts_with('{') {
        return Sniffed::Markup;
    }
    let is_xml = t.starts_with("<?xml")
        || t.starts_with("<!")
        || (t.starts_with('<') && t[1..].starts_with(|c: char| c.is_alphabetic()));
    if !is_xml {
        return Sniffed::Text;
    }
    let rest = skip_prologue(t);
    let name: String = rest
        .strip_prefix('<')
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        .collect();
    let local = name.rsplit(':').next().unwrap_or("").to_ascii_lowercase();
    if matches!(local.as_str(), "rss" | "feed" | "rdf" | "channel") {
        Sniffed::Feed
    } else {
        Sniffed::Markup
    }
}

/// True when the bytes look like a feed (see [`sniff`]).
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    sniff(bytes) == Sniffed::Feed
}
/// Line and column (1-based) of a byte offset in text.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let upto = &text[..offset];
    let line = memchr::memchr_iter(b'\n', upto.as_bytes()).count() + 1;
    let line_start = upto.rfind('\n').map_or(0, |i| i + 1);
    (line, upto[line_start..].chars().count() + 1)
}

/// A one-line field as plain text: markup rendered (never with link numbers), else cleaned.
fn line_of(t: &Text) -> String {
    text_line(&t.value, t.kind)
}

/// [`line_of`] for text of that kind.
fn text_line(text: &str, kind: Kind) -> String {
    match kind {
        Kind::Html => html_to_line(text),
        Kind::Plain => sanitize_line(text),
    }
}

/// A category or author name: plain text unless it holds markup.
fn name_line(s: &str) -> String {
    if repair::looks_like_html(s) {
        html_to_line(s)
    } else {
        sanitize_line(s)
    }
}

/// Articles from what the document said: its entries, their bodies moved out of `feed`, not
/// copied.
fn to_articles(feed: &mut RawFeed, ctx: &FeedContext) -> Vec<Article> {
    let feed_url = ctx.url.as_deref().and_then(|u| url::Url::parse(u).ok());
    // Links with no base of their own resolve against the feed's URL, else its own link (a
    // local file has no URL).
    let fallback = feed_url.clone().or_else(|| {
        let l = feed.link.as_ref()?;
        let base = l.base.as_ref();
        url::Url::parse(&absolute_url(&l.href, base)?).ok()
    });
    let source = feed
        .title
        .as_ref()
        .map(line_of)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| sanitize_line(&ctx.default_source));
    let feed_authors = join_names(&feed.authors);
    let source: std::sync::Arc<str> = source.into();
    let mut articles: Vec<Article> = feed
        .entries
        .iter_mut()
        .map(|e| entry_to_article(e, ctx, fallback.as_ref(), &source, feed_authors.as_deref()))
        .collect();
    // Two entries without a guid and with the same link or title are still two articles: the
    // later ones get the id of their key and their rank among equals.
    let mut seen: foldhash::HashMap<ArticleId, usize> = foldhash::HashMap::default();
    for a in &mut articles {
        let n = seen.entry(a.id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            a.id = ArticleId::from_key(&format!("{}#{}", a.id.as_str(), n));
        }
    }
    articles
}

fn join_names(names: &[String]) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let n = name_line(n);
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

fn resolve(h: &Href, fallback: Option<&url::Url>) -> Option<String> {
    absolute_url(&h.href, h.base.as_ref().or(fallback))
}

fn entry_to_article(
    e: &mut RawEntry,
    ctx: &FeedContext,
    fallback: Option<&url::Url>,
    source: &std::sync::Arc<str>,
    feed_author: Option<&str>,
) -> Article {
    let link = e
        .link
        .as_ref()
        .and_then(|h| resolve(h, fallback))
        .or_else(|| e.weak_link.as_ref().and_then(|h| resolve(h, fallback)));
    // The last of several values wins, as in feedparser (Atom 0.3's `issued` and a later
    // `published`, two `updated`); a publication date before an update.
    let last = |dates: &[String]| {
        dates
            .iter()
            .rev()
            .find_map(|d| crate::core::date::parse_date(d))
    };
    let date = last(&e.published).or_else(|| last(&e.updated));
    // Relative links in the body: the content's own base, else the document's, else the
    // entry's link.
    let entry_base = e
        .content_base
        .as_ref()
        .or(fallback)
        .map(|b| b.to_string())
        .or_else(|| link.clone());
    let body = body_of(e, entry_base);
    let title = e
        .title
        .as_ref()
        .map(line_of)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| body.first_line());
    let Body {
        blocks,
        pending,
        standfirst,
    } = body;
    // Stable ids: the guid, else the link, else the title and date; namespaced by the feed.
    let guid = e.id.as_deref().map(str::trim).unwrap_or("");
    let local = if !guid.is_empty() {
        format!("guid:{guid}")
    } else if let Some(l) = &link {
        format!("link:{l}")
    } else {
        format!(
            "title:{title}|{}",
            date.map(|d| d.to_rfc3339()).unwrap_or_default()
        )
    };
    let author = join_names(&e.authors).or_else(|| feed_author.map(str::to_string));
    let mut categories: Vec<CategoryPath> = Vec::new();
    for name in &e.categories {
        for p in CategoryPath::parse_list(&name_line(name)) {
            if !categories.iter().any(|q| q.key() == p.key()) {
                categories.push(p);
            }
        }
    }
    let words = Article::count_words(standfirst.as_deref(), &blocks)
        + pending.as_ref().map_or(0, |p| estimate_words(&p.html));
    Article {
        id: ArticleId::from_key(&format!("feed:{}#{local}", ctx.key)),
        title: title.into(),
        source: source.clone(),
        author: author.map(Into::into),
        date: date.unwrap_or(ctx.fallback_date),
        dated: date.is_some(),
        link: link.map(Into::into),
        categories,
        standfirst: standfirst.map(Into::into),
        words,
        meta: Box::default(),
        origin: sanitize_line(&ctx.key).into(),
        body: match pending {
            Some(p) => crate::core::model::Body::Html(p),
            None => crate::core::model::Body::Blocks(blocks),
        },
    }
}

/// An entry's body: blocks of plain text or HTML to render when opened, and a standfirst.
struct Body {
    blocks: Vec<Block>,
    pending: Option<Box<PendingHtml>>,
    standfirst: Option<String>,
}

impl Body {
    /// A title for an entry without one: the start of its text, as readers do.
    fn first_line(&self) -> String {
        let first = self
            .standfirst
            .clone()
            .or_else(|| self.blocks.first().map(|b| b.text.clone()))
            .or_else(|| {
                self.pending
                    .as_ref()
                    .map(|p| html_to_line(prefix(&p.html, 1024)))
            })
            .unwrap_or_default();
        let title = crate::core::text::truncate(&first, 80);
        if title.is_empty() {
            "(untitled)".to_string()
        } else {
            title
        }
    }
}

/// Full content wins over the summary; the summary then becomes the standfirst when it is short
/// and not just the start of the content. HTML is rendered only when the article is opened
/// (`Article::render`).
fn body_of(e: &mut RawEntry, base: Option<String>) -> Body {
    let content = e.content.as_ref().filter(|c| !c.is_blank());
    let summary = e.summary.as_ref().filter(|s| !s.is_blank());
    let standfirst = match (content, summary) {
        (Some(c), Some(s)) => Some(line_of(s)).filter(|t| {
            let t = t.trim_end_matches(['…', '.']).trim_end();
            !t.is_empty() && t.chars().count() <= 300 && !content_starts_with(c, t)
        }),
        _ => None,
    };
    // The body is moved out of the entry: a feed's bodies are most of its bytes.
    let body = match content {
        Some(_) => e.content.take(),
        None => e.summary.take().filter(|s| !s.is_blank()),
    };
    let (blocks, pending) = match body {
        Some(t) if t.kind == Kind::Plain => (plain_blocks(&t.value), None),
        Some(t) => (
            Vec::new(),
            Some(Box::new(PendingHtml {
                html: t.value,
                base,
            })),
        ),
        None => (Vec::new(), None),
    };
    Body {
        blocks,
        pending,
        standfirst,
    }
}

/// Whether the content's text starts with `t` (a summary that only repeats it is no
/// standfirst). Only the start of the content is rendered, and HTML costs a parse per byte: a
/// piece about twice `t`'s length first, the first KiB when that piece's text came out too short
/// to tell. A cut piece's text may differ from the whole's in its last characters only (half
/// a reference, half a tag), so a decision is taken from it only when its text reaches well
/// past `t`. At load this ran on the first KiB of every entry with both a summary and content:
/// 15% of a cold start's parse time.
fn content_starts_with(c: &Text, t: &str) -> bool {
    /// Past `t`'s end, more text than a cut can damage (the longest reference is 32 bytes).
    const MARGIN: usize = 40;
    const WHOLE: usize = 1024;
    let start = |bytes: usize| text_line(prefix(&c.value, bytes), c.kind);
    let first = (2 * t.len() + 2 * MARGIN).min(WHOLE);
    if first < WHOLE && c.value.len() > first {
        let text = start(first);
        let same = common_prefix_len(&text, t);
        match same == t.len() {
            true if text.len() >= t.len() + MARGIN => return true,
            false if same + MARGIN <= text.len() => return false,
            _ => {}
        }
    }
    start(WHOLE).starts_with(t)
}

/// Bytes at the start of `a` and `b` that are the same.
fn common_prefix_len(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// Plain-text content: paragraphs at blank lines.
fn plain_blocks(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(|p| Block::new(BlockKind::Paragraph, sanitize_line(p)))
        .filter(|b| !b.text.is_empty())
        .collect()
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Articles read from a feed, and what was wrong with it when it could still be read.
#[derive(Debug, Default)]
pub struct ParsedFeed {
    pub articles: Vec<Article>,
    pub warnings: Vec<String>,
    /// How long the feed says it stays the same (`<ttl>`, `sy:updatePeriod`).
    pub refresh_hint: Option<std::time::Duration>,
}

/// Parses feed bytes (in any encoding the feed declares) into articles. `Err` says why nothing
/// could be read: not a feed, or broken before its first entry, with a line and column.
pub fn parse_feed(bytes: &[u8], ctx: &FeedContext) -> Result<ParsedFeed, String> {
    let decoded = encoding::decode(bytes);
    let text: &str = &decoded.text;
    let mut warnings: Vec<String> = decoded.warning.clone().into_iter().collect();
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if start.is_empty() {
        return Err("not a feed (the file is empty)".to_string());
    }
    let mut raw = if start.starts_with('{') || start.starts_with('[') {
        json::read(start.as_bytes())?
    } else if start.starts_with('<') {
        let doc_base = ctx.url.as_deref().and_then(|u| url::Url::parse(u).ok());
        let read = xml::read(text, doc_base)?;
        if let Some(d) = &read.damage {
            let (l, c) = line_col(text, d.offset);
            let what = crate::core::sanitize::sanitize_line(&d.message);
            if read.feed.entries.is_empty() {
                return Err(format!("malformed feed at line {l}, column {c}: {what}"));
            }
            let n = read.feed.entries.len();
            warnings.push(format!(
                "damaged feed at line {l}, column {c}: {what}; kept {n} {}",
                if n == 1 { "entry" } else { "entries" }
            ));
        }
        read.feed
    } else {
        return Err("not a feed (neither XML nor JSON)".to_string());
    };
    Ok(ParsedFeed {
        refresh_hint: raw.refresh_hint(),
        articles: to_articles(&mut raw, ctx),
        warnings,
    })
}

#[cfg(test)]
mod tests;
