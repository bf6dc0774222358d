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
    let doc = dom_query::Document::from(html);
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
    fn a_relative_url_or_none_still_extracts() {
        let page = format!(
            "<html><body><article>{}</article></body></html>",
            story(100)
        );
        assert!(extract(&page, "not a url").is_ok());
        assert!(extract(&page, "file:///etc/passwd").is_ok());
    }
}
