//! A web page's story, readability-style: the page's main content is found by `dom_smoothie` (a
//! Rust port of Mozilla's Readability.js), then turned into our blocks by the same
//! [`html_to_blocks`] as feed HTML, so links, spans and sanitizing are exactly those of feeds.
//!
//! A page with nothing that reads like a story (too few words, no paragraph, a list of links) is
//! an error, and one whose only text asks the reader to subscribe, sign in or accept cookies is
//! told apart from it.

use crate::core::html::{self, Tag, TokenSink, html_to_blocks};
use crate::core::model::{Article, Block, BlockKind, Inline};
use crate::core::sanitize::sanitize_line;
use html5ever::tokenizer::{self as tk, TokenSinkResult};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use std::cell::RefCell;
use std::fmt;

/// Fewer words than this after extraction is not a story.
pub const MIN_WORDS: u32 = 40;

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
    pub words: u32,
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
    let doc = parse_page(html).doc;
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

/// Deeper than this (as estimated by [`parse_page`]), start tags are dropped.
pub const MAX_DEPTH: usize = 512;

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

/// Start tags that end SVG or MathML content (HTML's "in foreign content" rules; `font` only
/// with `color`, `face` or `size`).
#[rustfmt::skip]
const BREAKOUT: &[&str] = &[
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
    "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing",
    "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike",
    "sub", "sup", "table", "tt", "u", "ul", "var",
];

/// Elements of SVG and MathML whose content is HTML again.
const INTEGRATION_POINTS: &[&str] = &[
    "foreignobject",
    "desc",
    "title",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
];

/// A page parsed for the story, its nesting bounded (see [`parse_page`]).
pub struct ParsedPage {
    pub doc: dom_query::Document,
    /// Start tags left out for being too deep.
    pub dropped: usize,
    /// Tags cut for holding too many attributes (see [`html::feed`]).
    pub cut: usize,
}

/// The page parsed by html5ever's tree builder into a `dom_query` document, as
/// `Document::from` does (scripting off), but fed by [`html::feed`] through a depth guard: a
/// start tag that would open an element deeper than [`MAX_DEPTH`] never reaches the tree
/// builder (its text does), and no tag holds more attributes than html5ever reads in linear
/// time.
///
/// A hostile page of thousands of nested (or never closed) tags would otherwise cost the tree
/// builder and the scorer seconds to minutes: both are quadratic in the depth. The guard sees
/// the tokens the tree builder sees, so raw text (`script`, `style`, ...) is read exactly as the
/// parser reads it, and estimates the depth with a stack of open tag names, closing them as end
/// tags and the common implicit ends (`p`, `li`, `dt`/`dd`, `td`/`th`, `tr`, `option`) do, and
/// following SVG and MathML (where `/>` closes an element and `<p>` and the like leave them).
/// Tags it cannot match stay open in the estimate, and `<div/>` opens a `div`, as in the parser:
/// it errs towards deeper, never shallower. One pass of one tokenizer, linear in the page.
pub fn parse_page(html: &str) -> ParsedPage {
    let opts = TreeBuilderOpts {
        scripting_enabled: false,
        ..TreeBuilderOpts::default()
    };
    let guard = Guard {
        builder: TreeBuilder::new(dom_query::Document::default(), opts),
        depth: RefCell::new(Depth::default()),
    };
    let (guard, cut) = html::feed(html, guard, |_| false);
    let dropped = guard.depth.borrow().dropped;
    ParsedPage {
        doc: guard.builder.sink.finish(),
        dropped,
        cut,
    }
}

/// Hands tokens on to the tree builder, but not the start tags that are too deep.
struct Guard {
    builder: TreeBuilder<dom_query::NodeId, dom_query::Document>,
    depth: RefCell<Depth>,
}

impl TokenSink for Guard {
    type Handle = dom_query::NodeId;

    fn process_token(&self, token: tk::Token, line: u64) -> TokenSinkResult<Self::Handle> {
        if let tk::Token::TagToken(tag) = &token
            && !self.depth.borrow_mut().keep(&Tag::new(tag))
        {
            return TokenSinkResult::Continue;
        }
        self.builder.process_token(token, line)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// The depth estimate of [`parse_page`].
#[derive(Default)]
struct Depth {
    /// The open elements, as far as the estimate goes.
    stack: Vec<String>,
    /// Where SVG or MathML content starts (`true`) or turns back to HTML (`false`), by index in
    /// `stack`.
    foreign: Vec<(usize, bool)>,
    /// Start tags dropped.
    dropped: usize,
}

impl Depth {
    fn in_foreign(&self) -> bool {
        self.foreign.last().is_some_and(|&(_, svg)| svg)
    }

    fn truncate(&mut self, k: usize) {
        self.stack.truncate(k);
        while self.foreign.last().is_some_and(|&(at, _)| at >= k) {
            self.foreign.pop();
        }
    }

    /// The nearest open `name` within the top 64 entries, not beyond a `fence`.
    fn near(&self, names: &[&str], fences: &[&str]) -> Option<usize> {
        for (k, n) in self.stack.iter().enumerate().rev().take(64) {
            if names.contains(&n.as_str()) {
                return Some(k);
            }
            if fences.contains(&n.as_str()) {
                return None;
            }
        }
        None
    }

    /// Whether the tree builder gets `tag`: false for a start tag too deep.
    fn keep(&mut self, tag: &Tag<'_>) -> bool {
        let name = tag.name();
        if tag.is_end() {
            if let Some(k) = self.near(&[name], &[]) {
                self.truncate(k);
            }
            return true;
        }
        while self.in_foreign()
            && (BREAKOUT.contains(&name)
                || (name == "font"
                    && ["color", "face", "size"]
                        .iter()
                        .any(|a| tag.attr(a).is_some())))
        {
            let at = self.foreign.last().map_or(0, |&(at, _)| at);
            self.truncate(at);
        }
        let foreign = self.in_foreign();
        if !foreign {
            let implied = match name {
                "li" => self.near(&["li"], &["ul", "ol", "menu"]),
                "dt" | "dd" => self.near(&["dt", "dd"], &["dl"]),
                "td" | "th" => self.near(&["td", "th"], &["tr", "table"]),
                "tr" => self.near(&["tr"], &["table"]),
                "option" => self.near(&["option"], &["select"]),
                _ => None,
            };
            if let Some(k) = implied {
                self.truncate(k);
            }
            if CLOSES_P.contains(&name)
                && let Some(k) = self.near(&["p"], &["button", "table"])
            {
                self.truncate(k);
            }
        }
        // `/>` closes only void elements in HTML, any element in SVG and MathML.
        let own_end = tag.self_closing() && (foreign || name == "svg" || name == "math");
        if html::VOID.contains(&name) || own_end {
            return true;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.dropped += 1;
            return false;
        }
        let at = self.stack.len();
        self.stack.push(name.to_string());
        if name == "svg" || name == "math" {
            self.foreign.push((at, true));
        } else if foreign && INTEGRATION_POINTS.contains(&name) {
            self.foreign.push((at, false));
        }
        true
    }
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
pub fn render(content_html: &str, base: Option<&url::Url>) -> (Vec<Block>, u32) {
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
fn reads_like_a_story(blocks: &[Block], words: u32) -> bool {
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
        let tags = |doc: &dom_query::Document| doc.select("body *").length();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages");
        for e in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            let page = String::from_utf8_lossy(&bytes);
            let parsed = parse_page(&page);
            assert_eq!((parsed.dropped, parsed.cut), (0, 0));
            // The very document `Document::from` builds.
            assert_eq!(
                parsed.doc.html(),
                dom_query::Document::from(page.as_ref()).html()
            );
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
        assert_eq!(parse_page(&flat).dropped, 0);
        // Scripts, styles, comments and titles hold no tags; SVG's `/>` closes.
        let hidden = format!(
            "<script>{}</SCRIPT><style>{}</style><!-- {} --><title>{}</title><svg>{}</svg>",
            "<div>".repeat(2000),
            "<div>".repeat(2000),
            "<div>".repeat(2000),
            "<div>".repeat(2000),
            "<path d=\"M0 0\"/>".repeat(2000)
        );
        assert_eq!(parse_page(&hidden).dropped, 0);
        // Deep nesting is cut at MAX_DEPTH, keeping the text.
        let deep = format!(
            "{}deep text{}",
            "<div class=\"x>y\">".repeat(3000),
            "</div>".repeat(3000)
        );
        let parsed = parse_page(&deep);
        assert_eq!(parsed.dropped, 3000 - MAX_DEPTH);
        assert_eq!(parsed.doc.select("div").length(), MAX_DEPTH);
        assert_eq!(parsed.doc.select("div.x\\>y").length(), MAX_DEPTH);
        assert!(parsed.doc.text().contains("deep text"));
        let unclosed = "<b><i><font color=red>".repeat(5000) + "text";
        let parsed = parse_page(&unclosed);
        assert!(parsed.dropped > 0);
        assert!(tags(&parsed.doc) <= MAX_DEPTH, "{}", tags(&parsed.doc));
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
            "<svg><![CDATA[<div>]]></svg>",
        ] {
            let _ = parse_page(s);
        }
    }

    #[test]
    fn the_depth_estimate_follows_the_parser() {
        let deep = "<div>".repeat(2 * MAX_DEPTH);
        // `<div/>` opens a div; `noscript` is markup (scripting is off); a `style` in SVG is
        // not raw text: none of them hide the nesting after them. (Which element holds raw text
        // is the tree builder's own decision: the guard sees the tokens it sees.)
        for page in [
            "<div/>".repeat(2 * MAX_DEPTH),
            format!("<noscript>{deep}"),
            format!("<svg><style>{deep}"),
            format!("<math><mi><b>x</b></mi><style>{deep}"),
            format!("<svg><g><p><script>{deep}</script>{deep}"),
        ] {
            let parsed = parse_page(&page);
            assert!(parsed.dropped > 0, "{}", &page[..40]);
            let divs = parsed.doc.select("div").length();
            assert!(divs <= MAX_DEPTH, "{}: {divs}", &page[..40]);
        }
        // Raw text in HTML, and self-closing tags in SVG, hold nothing open.
        let fine = format!(
            "<!DOCTYPE html><html><body><svg>{}</svg><script>{deep}</script><textarea>{deep}\
             </textarea><title>{deep}</title><p>text</p></body></html>",
            "<path d=\"M0 0\"/>".repeat(2 * MAX_DEPTH)
        );
        assert_eq!(parse_page(&fine).dropped, 0);
    }

    #[test]
    fn a_tag_with_a_million_attributes_is_cut_before_the_parser() {
        let attrs: String = (0..1_000_000).map(|i| format!(" a{i}")).collect();
        let page = format!("<html><body><p{attrs}>x</p>{}</body></html>", story(100));
        let t = std::time::Instant::now();
        let parsed = parse_page(&page);
        assert!(parsed.cut > 0);
        let most = parsed.doc.select("p").nodes()[0].attrs().len();
        assert!((100..2000).contains(&most), "{most}");
        let _ = extract(&page, "https://x.org/");
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    }

    #[test]
    fn the_depth_guard_is_linear() {
        // Best of three runs.
        let best = |html: &str| {
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    drop(parse_page(html));
                    t.elapsed()
                })
                .min()
                .unwrap_or_default()
                .as_secs_f64()
        };
        let deep = |n: usize| "<div>".repeat(n) + "deep" + &"</div>".repeat(n);
        let styles = |n: usize| "<style>x</style>".repeat(n);
        let unclosed = |n: usize| "<div><p><b><i>".repeat(n / 4);
        for (small, large) in [
            (deep(12_500), deep(50_000)),
            (styles(8_000), styles(32_000)),
            (unclosed(12_500), unclosed(50_000)),
        ] {
            // The best of three tries: the tests run in parallel on a busy machine, and a
            // quadratic cost gives 16 every time.
            let ratio = (0..3)
                .map(|_| best(&large) / best(&small).max(1e-6))
                .fold(f64::INFINITY, f64::min);
            assert!(ratio < 6.0, "4x the input took {ratio:.1}x the time");
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
