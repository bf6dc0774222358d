//! Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) from raw bytes into articles, with feed-rs.

use crate::core::html::{absolute_url, estimate_words, html_to_line};
use crate::core::model::{Article, ArticleId, Block, BlockKind, CategoryPath, PendingHtml};
use crate::core::sanitize::sanitize_line;
use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, Text};

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

/// True when the bytes look like a feed: XML whose root is `rss`, `feed` or `RDF`, or JSON with a
/// JSON Feed `version`. Looks at the first 2 KiB only.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start();
    if t.starts_with('{') {
        return t.contains("jsonfeed.org/version");
    }
    if !t.starts_with('<') {
        return false;
    }
    // The first element that is not a declaration, comment or processing instruction.
    let mut rest = t;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |x| x.1);
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |x| x.1);
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = r.split_once('>').map_or("", |x| x.1);
        } else {
            break;
        }
    }
    let name: String = rest
        .strip_prefix('<')
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '-' || *c == '_')
        .collect();
    let local = name.rsplit(':').next().unwrap_or("");
    matches!(local, "rss" | "feed" | "RDF")
}

/// Line and column (1-based) of a byte offset.
fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let upto = &bytes[..offset.min(bytes.len())];
    let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// The byte offset of the first XML syntax error, if the bytes are XML and have one.
fn xml_error_at(bytes: &[u8]) -> Option<usize> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if bytes[start] != b'<' && !bytes.starts_with(b"\xEF\xBB\xBF") {
        return None;
    }
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => return None,
            Err(_) => return usize::try_from(reader.error_position()).ok(),
            Ok(_) => buf.clear(),
        }
    }
}

/// Says what is wrong with bytes feed-rs rejected, with a line and column when it has a position.
fn describe_error(e: &feed_rs::parser::ParseFeedError, bytes: &[u8]) -> String {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    let msg = e.to_string();
    // feed-rs reports XML positions as byte offsets ("at position N" or "position N").
    let position = msg
        .split("position ")
        .nth(1)
        .and_then(|p| p.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse::<usize>().ok());
    match (e, position) {
        (ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot), _) => {
            "not a feed (no rss, feed or RDF root element)".to_string()
        }
        (_, Some(pos)) => {
            let (l, c) = line_col(bytes, pos);
            format!("malformed feed at line {l}, column {c}: {msg}")
        }
        // feed-rs gives XML syntax errors no position: find it with a strict quick-xml pass.
        _ => match xml_error_at(bytes) {
            Some(pos) => {
                let (l, c) = line_col(bytes, pos);
                format!("malformed feed at line {l}, column {c}: {msg}")
            }
            None => format!("malformed feed: {msg}"),
        },
    }
}

fn text_of(t: &Text) -> String {
    if t.content_type.subty() == "plain" && !t.content.contains(['<', '&']) {
        sanitize_line(&t.content)
    } else {
        html_to_line(&t.content)
    }
}

/// Categories from an entry: label, else term; each a path (`World News/Europe`); RSS and JSON
/// Feed give several in one string separated by `,` or `;` only rarely, so that is honoured too.
fn categories(entry: &Entry) -> Vec<CategoryPath> {
    let mut out: Vec<CategoryPath> = Vec::new();
    for c in &entry.categories {
        let name = c
            .label
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(&c.term);
        for p in CategoryPath::parse_list(&html_to_line(name)) {
            if !out.iter().any(|q| q.key() == p.key()) {
                out.push(p);
            }
        }
    }
    out
}

/// The entry's link: the `alternate` (or unlabelled) one first, resolved against its base.
fn link(entry: &Entry, base: Option<&url::Url>) -> Option<String> {
    let l = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())?;
    let entry_base = entry.base.as_deref().and_then(|b| url::Url::parse(b).ok());
    absolute_url(&l.href, entry_base.as_ref().or(base))
}

/// What feed-rs does not give: the document's `xml:base` (Atom puts it on the root) and each
/// RSS item's Dublin Core subjects (`dc:subject`), by item order.
#[derive(Debug, Default, PartialEq)]
pub struct XmlHints {
    pub root_base: Option<String>,
    pub subjects: Vec<Vec<String>>,
}

/// One quick pass over XML feed bytes for [`XmlHints`]; stops quietly at the first XML error
/// (feed-rs reports it).
pub fn scan_hints(bytes: &[u8]) -> XmlHints {
    use quick_xml::events::Event;
    let mut hints = XmlHints::default();
    let wants_subjects = memchr::memmem::find(bytes, b"subject").is_some();
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut seen_root = false;
    let mut in_subject = false;
    let mut text = String::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                if !seen_root {
                    seen_root = true;
                    hints.root_base =
                        e.try_get_attribute("xml:base")
                            .ok()
                            .flatten()
                            .and_then(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .ok()
                                    .map(|v| v.into_owned())
                            });
                    if !wants_subjects {
                        break;
                    }
                }
                let name = e.name();
                let qname: &str = name.as_ref();
                let local = name.local_name();
                let local: &str = local.as_ref();
                if local == "item" {
                    hints.subjects.push(Vec::new());
                } else if qname == "dc:subject" && !hints.subjects.is_empty() {
                    in_subject = true;
                    text.clear();
                }
            }
            Ok(Event::Text(t)) if in_subject => {
                text.push_str(&t);
            }
            Ok(Event::CData(t)) if in_subject => {
                text.push_str(&t);
            }
            Ok(Event::GeneralRef(r)) if in_subject => {
                // Entities inside the subject: keep them as written for the HTML decoder.
                text.push('&');
                text.push_str(&r);
                text.push(';');
            }
            Ok(Event::End(e)) if in_subject && AsRef::<str>::as_ref(&e.name()) == "dc:subject" => {
                in_subject = false;
                if let Some(item) = hints.subjects.last_mut() {
                    item.push(std::mem::take(&mut text));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    hints
}

/// Maps one parsed feed to articles.
pub fn feed_to_articles(feed: &Feed, ctx: &FeedContext, hints: &XmlHints) -> Vec<Article> {
    let feed_url = ctx.url.as_deref().and_then(|u| url::Url::parse(u).ok());
    // The base for relative links: the document's xml:base (itself relative to the feed URL),
    // else the feed URL, else the feed's own link (a local file has no URL).
    let base = hints
        .root_base
        .as_deref()
        .and_then(|b| match &feed_url {
            Some(u) => u.join(b).ok(),
            None => url::Url::parse(b).ok(),
        })
        .or(feed_url)
        .or_else(|| {
            feed.links
                .iter()
                .find_map(|l| url::Url::parse(&l.href).ok())
        });
    let source = feed
        .title
        .as_ref()
        .map(text_of)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| sanitize_line(&ctx.default_source));
    let feed_author = feed.authors.iter().find_map(|p| p.name.clone());
    feed.entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut a = entry_to_article(e, ctx, base.as_ref(), &source, feed_author.as_deref());
            for subject in hints.subjects.get(i).into_iter().flatten() {
                for p in CategoryPath::parse_list(&html_to_line(subject)) {
                    if !a.categories.iter().any(|q| q.key() == p.key()) {
                        a.categories.push(p);
                    }
                }
            }
            a
        })
        .collect()
}

fn entry_to_article(
    e: &Entry,
    ctx: &FeedContext,
    base: Option<&url::Url>,
    source: &str,
    feed_author: Option<&str>,
) -> Article {
    let link = link(e, base);
    let date = e.published.or(e.updated);
    let mut title = e.title.as_ref().map(text_of).unwrap_or_default();
    let content = e
        .content
        .as_ref()
        .and_then(|c| {
            c.body
                .as_deref()
                .map(|b| (b, c.content_type.subty() == "plain"))
        })
        .filter(|(b, _)| !b.trim().is_empty());
    let summary = e
        .summary
        .as_ref()
        .filter(|s| !s.content.trim().is_empty())
        .map(|s| (s.content.as_str(), s.content_type.subty() == "plain"));
    // Relative links in the body: the content's own xml:base, else the document's base, else
    // the entry's link.
    let entry_base = e
        .base
        .clone()
        .or_else(|| base.map(|b| b.to_string()))
        .or_else(|| link.clone());
    // Full content wins over the summary; the summary then becomes the standfirst when it is
    // short and not just the start of the content. HTML is rendered only when the article is
    // opened (`Article::render`).
    let (body, standfirst) = match (content, summary) {
        (Some(c), s) => {
            let start = html_to_line(prefix(c.0, 1024));
            let stand = s.map(|(t, _)| html_to_line(t)).filter(|t| {
                let t = t.trim_end_matches(['…', '.']).trim_end();
                !t.is_empty() && t.chars().count() <= 300 && !start.starts_with(t)
            });
            (Some(c), stand)
        }
        (None, s) => (s, None),
    };
    let (blocks, pending) = match body {
        Some((text, true)) => (plain_blocks(text), None),
        Some((html, false)) => (
            Vec::new(),
            Some(Box::new(PendingHtml {
                html: html.to_string(),
                base: entry_base,
            })),
        ),
        None => (Vec::new(), None),
    };
    if title.is_empty() {
        // No title: the start of the text, as readers do.
        let first = standfirst
            .clone()
            .or_else(|| blocks.first().map(|b| b.text.clone()))
            .or_else(|| {
                pending
                    .as_ref()
                    .map(|p| html_to_line(prefix(&p.html, 1024)))
            })
            .unwrap_or_default();
        title = crate::core::text::truncate(&first, 80);
        if title.is_empty() {
            title = "(untitled)".to_string();
        }
    }
    // Stable ids: the guid, else the link, else the title and date; namespaced by the feed.
    let guid = e.id.trim();
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
    let author = e
        .authors
        .iter()
        .find_map(|p| p.name.as_deref())
        .or(feed_author)
        .map(sanitize_line)
        .filter(|a| !a.is_empty());
    let words = Article::count_words(standfirst.as_deref(), &blocks)
        + pending.as_ref().map_or(0, |p| estimate_words(&p.html));
    Article {
        id: ArticleId::from_key(&format!("feed:{}#{local}", ctx.key)),
        title,
        source: source.into(),
        author,
        date: date.unwrap_or(ctx.fallback_date),
        dated: date.is_some(),
        link,
        categories: categories(e),
        standfirst,
        blocks,
        words,
        meta: Vec::new(),
        origin: sanitize_line(&ctx.key).into(),
        pending,
        stored: None,
    }
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

/// Parses feed bytes (any encoding the feed declares) into articles.
pub fn parse_feed(bytes: &[u8], ctx: &FeedContext) -> Result<Vec<Article>, String> {
    // Our own ids: an empty id marks "the feed gave none" (feed-rs would invent a random one).
    // feed-rs fails on a base it cannot parse: give it only a valid absolute URL.
    let base = ctx.url.as_deref().filter(|u| url::Url::parse(u).is_ok());
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base)
        .id_generator(|_, _, _| String::new())
        .build();
    match parser.parse(bytes) {
        Ok(feed) => {
            let is_xml = !matches!(feed.feed_type, feed_rs::model::FeedType::JSON);
            let hints = if is_xml {
                scan_hints(bytes)
            } else {
                XmlHints::default()
            };
            Ok(feed_to_articles(&feed, ctx, &hints))
        }
        Err(e) => Err(describe_error(&e, bytes)),
    }
}

#[cfg(test)]
#[path = "feed_tests.rs"]
mod tests;
