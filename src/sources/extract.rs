//! A web page's story, readability-style: the page's main content is found by `dom_smoothie` (a
//! Rust port of Mozilla's Readability.js), then turned into our blocks by the same
//! [`html_to_blocks`] as feed HTML, so links, spans and sanitizing are exactly those of feeds.
//!
//! A page with nothing that reads like a story (too few words, no paragraph, a list of links) is
//! an error, and one whose only text asks the reader to subscribe, sign in or accept cookies is
//! told apart from it.

use crate::core::html::html_to_blocks;
use crate::core::model::{Article, Block, BlockKind, Inline};
use crate::core::sanitize::sanitize_line;
use std::fmt;

/// Fewer words than this after extraction is not a story.
pub const MIN_WORDS: usize = 40;

/// More than this share of the story's text inside links: a list of links, not a story.
const MAX_LINK_DENSITY: f64 = 0.5;

/// A page's story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The story's title (from the page's metadata or `<title>`), sanitized; `None` when empty.
    pub title: Option<String>,
    /// The story's HTML as extracted (what the cache keeps; render it with [`render`]).
    pub html: String,
    pub blocks: Vec<Block>,
    /// Words in the story (the list of link targets at the end not counted).
    pub words: usize,
}

/// Why a page has no story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtractError {
    /// Nothing that reads like a story.
    NoStory,
    /// Little text, and what there is asks to subscribe, sign in or accept cookies.
    Paywall,
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::NoStory => f.write_str("no story found on the page"),
            ExtractError::Paywall => f.write_str(
                "only a teaser: the page asks to subscribe, sign in or accept cookies first",
            ),
        }
    }
}

impl std::error::Error for ExtractError {}

/// Extracts the story of `html` (a whole page, already decoded), found at `url` (relative links
/// resolve against it).
pub fn extract(html: &str, url: &str) -> Result<Extracted, ExtractError> {
    let base = url::Url::parse(url).ok();
    let doc_url = base
        .as_ref()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(url::Url::as_str);
    // The HTML parser and the scorer both slow down with the square of the nesting depth.
    let doc = dom_query::Document::from(limit_depth(html).as_ref());
    let walled = strip_boilerplate(&doc);
    let cfg = dom_smoothie::Config {
        // The byline, dates and the like come from the feed; only the story is wanted.
        disable_json_ld: true,
        ..dom_smoothie::Config::default()
    };
    let no_story = || {
        if walled || is_wall_page(html) {
            ExtractError::Paywall
        } else {
            ExtractError::NoStory
        }
    };
    let article = dom_smoothie::Readability::with_document(doc, doc_url, Some(cfg))
        .and_then(|mut r| r.parse())
        .map_err(|_| no_story())?;
    let content = article.content.to_string();
    let (blocks, words) = render(&content, base.as_ref());
    if !reads_like_a_story(&blocks, words) {
        return Err(no_story());
    }
    let title = Some(sanitize_line(&article.title)).filter(|t| !t.is_empty());
    Ok(Extracted {
        title,
        html: content,
        blocks,
        words,
    })
}

/// Elements that are never the story, whatever their text: site furniture and overlays.
const FURNITURE: &str = "nav, aside, footer, form, button, dialog, noscript, iframe, \
    [role=navigation], [role=dialog], [role=alertdialog], [role=complementary], \
    [role=contentinfo], [role=banner], [aria-modal=true]";

/// Words of a `class` or `id` (split on `-` and `_`) that mark boilerplate, removed whatever
/// their size: comments, related links, consent banners, sharing, recommendation widgets.
#[rustfmt::skip]
const ALWAYS: &[&str] = &[
    "comment", "comments", "disqus", "related", "relatedposts", "recommended", "recommendations",
    "outbrain", "taboola", "cookie", "cookies", "consent", "gdpr", "cmp", "share", "sharing",
    "sharedaddy", "social", "breadcrumb", "breadcrumbs", "paywall", "regwall", "newsletter",
    "mostread", "trending", "popular", "bio", "authorbio", "toc",
];

/// Words that mark boilerplate when the element is small (an advert's wrapper may carry the
/// word on a container of the story too, so a large element is kept).
#[rustfmt::skip]
const WHEN_SMALL: &[&str] = &[
    "ad", "ads", "adslot", "adunit", "advert", "adverts", "advertisement", "advertising",
    "sponsor", "sponsored", "promo", "promoted", "subscribe", "signup",
];

/// Words of a `class` or `id` that mark a subscription or registration wall.
const WALL: &[&str] = &[
    "paywall",
    "regwall",
    "premium",
    "subscriber",
    "subscribers",
    "metered",
    "piano",
];

/// "Small": fewer words than this.
const SMALL_WORDS: usize = 150;

/// Removes site furniture and boilerplate from the page before the story is looked for; true
/// when the page has a subscription or registration wall.
fn strip_boilerplate(doc: &dom_query::Document) -> bool {
    doc.select(FURNITURE).remove();
    let mut walled = false;
    for node in doc.select("[class], [id]").nodes() {
        let attrs = [node.class(), node.id_attr()];
        let words = || {
            attrs
                .iter()
                .flatten()
                .flat_map(|a| a.split(|c: char| c.is_ascii_whitespace() || c == '-' || c == '_'))
                .map(str::to_ascii_lowercase)
                .filter(|w| !w.is_empty())
        };
        if words().any(|w| WALL.contains(&w.as_str())) {
            walled = true;
        }
        let remove = words().any(|w| ALWAYS.contains(&w.as_str()))
            || (words().any(|w| WHEN_SMALL.contains(&w.as_str()))
                && node.text().split_whitespace().count() < SMALL_WORDS);
        if remove {
            node.remove_from_parent();
        }
    }
    walled
}

/// Deeper than this (as estimated by [`limit_depth`]), start tags are dropped.
pub const MAX_DEPTH: usize = 512;

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Start tags that close an open `p` (HTML's "close a p element in button scope").
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

/// The page with every start tag dropped that would open an element deeper than
/// [`MAX_DEPTH`] (its text is kept); the page itself, not copied, when none is that deep.
///
/// A hostile page of thousands of nested (or never closed) tags would otherwise cost the HTML
/// parser and the scorer seconds to minutes: both are quadratic in the depth. The depth is
/// estimated in one pass with a stack of open tag names, closing them as end tags and the
/// common implicit ends (`p`, `li`, `dt`/`dd`, `td`/`th`, `tr`, `option`) do. Tags it cannot
/// match stay open in the estimate, so it errs towards deeper, never shallower.
pub fn limit_depth(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    // The nearest open `name` within the top 64 entries, not beyond a `fence`.
    let near = |stack: &[String], names: &[&str], fences: &[&str]| {
        for (k, n) in stack.iter().enumerate().rev().take(64) {
            if names.contains(&n.as_str()) {
                return Some(k);
            }
            if fences.contains(&n.as_str()) {
                return None;
            }
        }
        None
    };
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            i = memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |e| lt + 4 + e + 3);
            continue;
        }
        if rest.first().is_some_and(|&c| c == b'!' || c == b'?') {
            i = memchr::memchr(b'>', rest).map_or(b.len(), |e| lt + 1 + e + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_at = lt + 1 + usize::from(closing);
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_len = b[name_at..]
            .iter()
            .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            .unwrap_or(b.len() - name_at);
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        let end = tag_end(b, name_at + name_len);
        i = (end + 1).min(b.len());
        if closing {
            if let Some(k) = near(&stack, &[name.as_str()], &[]) {
                stack.truncate(k);
            }
            continue;
        }
        if VOID.contains(&name.as_str()) || (end > 0 && b[end - 1] == b'/') {
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            i = raw_text_end(b, i, &name);
            continue;
        }
        let implied: Option<usize> = match name.as_str() {
            "li" => near(&stack, &["li"], &["ul", "ol", "menu"]),
            "dt" | "dd" => near(&stack, &["dt", "dd"], &["dl"]),
            "td" | "th" => near(&stack, &["td", "th"], &["tr", "table"]),
            "tr" => near(&stack, &["tr"], &["table"]),
            "option" => near(&stack, &["option"], &["select"]),
            _ => None,
        };
        if let Some(k) = implied {
            stack.truncate(k);
        }
        if CLOSES_P.contains(&name.as_str())
            && let Some(k) = near(&stack, &["p"], &["button", "table"])
        {
            stack.truncate(k);
        }
        if stack.len() >= MAX_DEPTH {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..lt]);
            copied = i;
            continue;
        }
        stack.push(name);
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// The index of the `>` ending a tag whose attributes start at `from` (quotes respected), or
/// the end of the input.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &c) in b.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return k,
            None => {}
        }
    }
    b.len()
}

/// Where the raw text of a `name` element starting at `from` ends: after its end tag (any case),
/// or the end of the input.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    let mut k = from;
    while let Some(off) = memchr::memmem::find(&b[k..], b"</") {
        let at = k + off + 2;
        let n = name.len();
        if b.len() >= at + n && b[at..at + n].eq_ignore_ascii_case(name.as_bytes()) {
            return memchr::memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1);
        }
        k = at;
    }
    b.len()
}

/// A page that is all wall: little text, which speaks of cookies, consent or subscribing.
fn is_wall_page(html: &str) -> bool {
    const PHRASES: [&str; 9] = [
        "cookies",
        "consent",
        "accept all",
        "reject all",
        "subscribe to",
        "subscribers only",
        "for subscribers",
        "sign in to continue",
        "to continue reading",
    ];
    let text = crate::core::html::html_to_line(html).to_lowercase();
    text.split_whitespace().count() < 200 && PHRASES.iter().any(|p| text.contains(p))
}

/// The blocks of extracted story HTML and its word count (the link list at the end not counted).
pub fn render(content_html: &str, base: Option<&url::Url>) -> (Vec<Block>, usize) {
    let blocks = html_to_blocks(content_html, base);
    let words = Article::count_words(None, story_blocks(&blocks));
    (blocks, words)
}

/// The blocks before the list of link targets `html_to_blocks` appends (a `Links` heading
/// followed only by `[1] url`, `[2] url`, ... items).
fn story_blocks(blocks: &[Block]) -> &[Block] {
    let Some(at) = blocks
        .iter()
        .rposition(|b| b.kind == BlockKind::Heading && b.text == "Links")
    else {
        return blocks;
    };
    let tail = &blocks[at + 1..];
    let numbered = !tail.is_empty()
        && tail.iter().enumerate().all(|(i, b)| {
            b.kind == BlockKind::ListItem && b.text.starts_with(&format!("[{}] ", i + 1))
        });
    if numbered { &blocks[..at] } else { blocks }
}

/// True when the blocks read like a story: enough words, a paragraph, not mostly links.
fn reads_like_a_story(blocks: &[Block], words: usize) -> bool {
    let story = story_blocks(blocks);
    if words < MIN_WORDS || !story.iter().any(|b| b.kind == BlockKind::Paragraph) {
        return false;
    }
    let (mut linked, mut total) = (0usize, 0usize);
    for b in story {
        total += b.text.len();
        linked += b
            .spans
            .iter()
            .filter(|s| s.style == Inline::Link)
            .map(|s| s.end.saturating_sub(s.start))
            .sum::<usize>();
    }
    total > 0 && linked as f64 <= total as f64 * MAX_LINK_DENSITY
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(words: usize) -> String {
        let sentence = "The river rose again overnight and the town watched it climb. ";
        let mut out = String::new();
        let mut n = 0;
        while n < words {
            out.push_str("<p>");
            for _ in 0..4 {
                out.push_str(sentence);
                n += sentence.split_whitespace().count();
            }
            out.push_str("</p>\n");
        }
        out
    }

    #[test]
    fn the_link_list_is_not_counted() {
        let (blocks, words) = render(
            r#"<p>one <a href="/a">two</a> three</p><h2>Links</h2><p>four</p>"#,
            url::Url::parse("https://x.org/").ok().as_ref(),
        );
        // "one two [1] three", the story's own "Links" heading and "four": the targets appended
        // after them are not counted.
        assert_eq!(words, 6, "{blocks:?}");
        assert_eq!(blocks.last().unwrap().text, "[1] https://x.org/a");
    }

    #[test]
    fn a_large_container_with_an_advert_word_is_kept() {
        let page = format!(
            "<html><body><div class=\"article-body has-ads\"><h1>Flood</h1>{}\
             <div class=\"ad-slot\">Advertisement: buy boots</div></div></body></html>",
            story(300)
        );
        let x = extract(&page, "https://x.org/flood").unwrap();
        assert!(x.words >= 300, "{}", x.words);
        assert!(x.blocks.iter().all(|b| !b.text.contains("buy boots")));
    }

    #[test]
    fn pages_without_a_story() {
        for page in [
            "",
            "<html><body></body></html>",
            "<p>Too short to be a story.</p>",
            "\0\0<<<>>>&&&;<p",
        ] {
            assert_eq!(
                extract(page, "https://x.org/"),
                Err(ExtractError::NoStory),
                "{page:?}"
            );
        }
        // A list of links is not a story, however long.
        let links: String = (0..60)
            .map(|i| format!("<p><a href=\"/n/{i}\">Headline number {i} about the town</a></p>"))
            .collect();
        let page = format!("<html><body><div class=\"content\">{links}</div></body></html>");
        assert_eq!(extract(&page, "https://x.org/"), Err(ExtractError::NoStory));
        // A short page of cookie talk is a wall.
        let wall = "<html><body><h1>Before you continue</h1><p>We use cookies. Accept all \
                    or reject all.</p></body></html>";
        assert_eq!(extract(wall, "https://x.org/"), Err(ExtractError::Paywall));
    }

    #[test]
    fn depth_is_limited_and_ordinary_pages_are_untouched() {
        use std::borrow::Cow;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages");
        for e in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            let page = String::from_utf8_lossy(&bytes);
            assert!(matches!(limit_depth(&page), Cow::Borrowed(_)));
        }
        // Unclosed paragraphs, list items and cells do not add up.
        let flat = format!(
            "<table>{}</table><ul>{}</ul><div>{}</div><dl>{}</dl><select>{}</select>",
            "<tr><td>a<td>b".repeat(2000),
            "<li>x".repeat(2000),
            "<p>para".repeat(2000),
            "<dt>t<dd>d".repeat(2000),
            "<option>o".repeat(2000)
        );
        assert!(matches!(limit_depth(&flat), Cow::Borrowed(_)));
        // Scripts, styles and comments hold no tags.
        let hidden = format!(
            "<script>{}</SCRIPT><style>{}</style><!-- {} -->",
            "<div>".repeat(2000),
            "<div>".repeat(2000),
            "<div>".repeat(2000)
        );
        assert!(matches!(limit_depth(&hidden), Cow::Borrowed(_)));
        // Deep nesting is cut at MAX_DEPTH, keeping the text and the end tags.
        let deep = format!(
            "{}deep text{}",
            "<div class=\"x>y\">".repeat(3000),
            "</div>".repeat(3000)
        );
        let cut = limit_depth(&deep);
        assert_eq!(cut.matches("<div").count(), MAX_DEPTH);
        assert!(cut.contains("deep text"));
        assert_eq!(cut.matches("</div>").count(), 3000);
        let unclosed = "<b><i><font color=red>".repeat(5000) + "text";
        let cut = limit_depth(&unclosed);
        assert_eq!(cut.matches('<').count(), MAX_DEPTH);
        // Odd input does not panic.
        for s in [
            "<",
            "</",
            "<a",
            "<a href='",
            "<!--",
            "<!",
            "<script",
            "<script>",
            "<1>",
            "<é>",
        ] {
            let _ = limit_depth(s);
        }
    }

    #[test]
    fn hostile_nesting_stays_fast() {
        // Unbounded, these took 50 s and 21 s in a release build; bounded, tens of milliseconds.
        let deep = format!(
            "<html><body>{}{}{}</body></html>",
            "<div><span>".repeat(20_000),
            story(200),
            "</span></div>".repeat(20_000)
        );
        let unclosed = "<div><p><b><i>".repeat(20_000) + &story(200);
        for page in [deep, unclosed] {
            let t = std::time::Instant::now();
            let _ = extract(&page, "https://x.org/");
            assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
        }
    }

    #[test]
    fn a_relative_url_or_none_still_extracts() {
        let page = format!(
            "<html><body><article>{}</article></body></html>",
            story(100)
        );
        assert!(extract(&page, "not a url").is_ok());
        assert!(extract(&page, "file:///etc/passwd").is_ok());
    }
}
