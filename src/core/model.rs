//! The article model every source maps into.

use chrono::{DateTime, Utc};
use std::fmt;

/// One level-by-level category path, e.g. `World News / Europe`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategoryPath(std::sync::Arc<[String]>);

impl CategoryPath {
    /// Parses `World News / Europe` or `World News/Europe`: levels split on `/`, whitespace trimmed
    /// and collapsed, empty levels dropped. `None` when no level is left.
    pub fn parse(text: &str) -> Option<CategoryPath> {
        Self::from_levels(text.split('/'))
    }

    /// Builds a path from levels, cleaning each as [`CategoryPath::parse`] does.
    pub fn from_levels<I, S>(levels: I) -> Option<CategoryPath>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let levels: Vec<String> = levels
            .into_iter()
            .map(|l| crate::core::sanitize::sanitize_line(l.as_ref()))
            .filter(|l| !l.is_empty())
            .collect();
        (!levels.is_empty()).then(|| CategoryPath(levels.into()))
    }

    /// Parses a `Categories:` value: several paths separated by `,` or `;`, duplicates dropped.
    pub fn parse_list(text: &str) -> Vec<CategoryPath> {
        let mut out: Vec<CategoryPath> = Vec::new();
        for part in text.split([',', ';']) {
            if let Some(p) = CategoryPath::parse(part)
                && !out.iter().any(|q| q.key() == p.key())
            {
                out.push(p);
            }
        }
        out
    }

    pub fn levels(&self) -> &[String] {
        &self.0
    }

    /// A comparison key: levels lowercased, so `world news / europe` equals `World News / Europe`.
    pub fn key(&self) -> Vec<String> {
        self.0.iter().map(|l| l.to_lowercase()).collect()
    }
}

impl fmt::Display for CategoryPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" / "))
    }
}

/// The kind of one body block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Heading,
    Paragraph,
    Quote,
    ListItem,
    Code,
}

/// An inline style inside a block's text (from HTML: `em`/`i`, `strong`/`b`, `code`, `a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Inline {
    Emphasis,
    Strong,
    Code,
    Link,
}

/// A styled byte range of a block's text (on character boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub style: Inline,
}

/// One block of an article body. `Code` keeps its line breaks; the others are single lines of text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// Inline styles, in order of their start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
    /// The absolute `http`/`https` URL of the first image in the block (its text shows it as
    /// `[image: alt]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl Block {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Block {
        Block {
            kind,
            text: text.into(),
            spans: Vec::new(),
            image: None,
        }
    }
}

/// The URL of the first image in an article's body, if it has one.
pub fn first_image(blocks: &[Block]) -> Option<&str> {
    blocks.iter().find_map(|b| b.image.as_deref())
}

/// A stable article id: 16 hex digits of a 64-bit FNV-1a hash of something that identifies the
/// article across runs (for files, the path).
/// The digits are held inline: no allocation to make or clone one (marks, search hits, story
/// members: 100,000 at a time), and no pointer to follow to hash or compare it (an `Arc<str>`
/// cost 48 bytes of heap per article and a cache miss per use).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId([u8; 16]);

impl ArticleId {
    pub fn from_key(key: &str) -> ArticleId {
        ArticleId::from_hash(fnv1a64(key.as_bytes()))
    }

    /// The id of this hash (what `from_key` makes of a key).
    pub fn from_hash(hash: u64) -> ArticleId {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut digits = [0u8; 16];
        for (i, d) in digits.iter_mut().enumerate() {
            *d = HEX[(hash >> (60 - 4 * i) & 0xf) as usize];
        }
        ArticleId(digits)
    }

    pub fn as_str(&self) -> &str {
        // Always ASCII hex digits (made by `from_hash` or checked by `parse`).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// An id as printed (16 hex digits).
    pub fn parse(s: &str) -> Option<ArticleId> {
        let bytes: [u8; 16] = s.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_hexdigit)
            .then(|| ArticleId(bytes.map(|b| b.to_ascii_lowercase())))
    }
}

impl fmt::Debug for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ArticleId").field(&self.as_str()).finish()
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 64-bit FNV-1a: tiny, fast and stable across Rust versions (unlike `DefaultHasher`).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_more(FNV_START, bytes)
}

/// Where an FNV-1a hash starts (see [`fnv1a64_more`]).
pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Goes on hashing `bytes` from hash `h`: `fnv1a64_more(fnv1a64(a), b) == fnv1a64(a ++ b)`,
/// so several fields hash without being copied together.
pub fn fnv1a64_more(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One article, from whatever source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: ArticleId,
    pub title: Box<str>,
    /// Shared by the articles of a feed (and of a configured source).
    pub source: std::sync::Arc<str>,
    pub author: Option<Box<str>>,
    /// The article's date; for an undated article, the time its file was last modified.
    pub date: DateTime<Utc>,
    /// False when `date` is a stand-in (no date in the article).
    pub dated: bool,
    pub link: Option<Box<str>>,
    pub categories: Vec<CategoryPath>,
    pub standfirst: Option<Box<str>>,
    /// The body: rendered blocks, HTML not rendered yet, or where it is when not in memory.
    pub body: Body,
    /// Words in the standfirst and body.
    pub words: u32,
    /// Header fields tidings does not know, kept as they were.
    pub meta: Box<[(String, String)]>,
    /// Where the article came from (a file path), for messages; shared by a file's articles.
    pub origin: std::sync::Arc<str>,
}

/// An article's body, in one of three states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Rendered into blocks (none for an article without a body).
    Blocks(Vec<Block>),
    /// Still in HTML, rendered into blocks when the article is opened or searched (see
    /// [`crate::core::render::Render`]): feeds carry much more markup than anyone reads, and
    /// rendering it all up front would double a load's cost.
    Html(Box<PendingHtml>),
    /// Not in memory: articles from files, the warm-start snapshot, the feed cache and the
    /// archive keep only their headers, and the body is read again when the article is opened
    /// or searched.
    Stored(std::sync::Arc<BodyRef>),
}

impl Default for Body {
    fn default() -> Body {
        Body::Blocks(Vec::new())
    }
}

/// Where an article's body can be read again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BodyRef {
    /// A local file (an article, or a feed holding the article among others), and the key its
    /// ids were made from.
    File {
        path: std::path::PathBuf,
        key: String,
    },
    /// The cached copy of a feed URL in this cache folder.
    CachedFeed {
        url: String,
        cache_dir: std::path::PathBuf,
    },
    /// The archive (an SQLite database) of articles seen in feeds.
    Archived { db: std::path::PathBuf },
}

/// HTML waiting to become blocks, with the URL its relative links resolve against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingHtml {
    pub html: String,
    pub base: Option<String>,
}

impl Article {
    /// An article with this id and nothing else (untitled, undated, from nowhere).
    pub fn new(id: ArticleId) -> Article {
        Article {
            id,
            title: Box::default(),
            source: std::sync::Arc::from(""),
            author: None,
            date: DateTime::default(),
            dated: false,
            link: None,
            categories: Vec::new(),
            standfirst: None,
            body: Body::default(),
            words: 0,
            meta: Box::default(),
            origin: std::sync::Arc::from(""),
        }
    }

    /// The rendered blocks (none while the body is HTML or elsewhere).
    pub fn blocks(&self) -> &[Block] {
        match &self.body {
            Body::Blocks(b) => b,
            _ => &[],
        }
    }

    /// The body's HTML waiting to be rendered, if it is that.
    pub fn pending(&self) -> Option<&PendingHtml> {
        match &self.body {
            Body::Html(p) => Some(p),
            _ => None,
        }
    }

    /// Where the body is when it is not in memory.
    pub fn stored(&self) -> Option<&BodyRef> {
        match &self.body {
            Body::Stored(at) => Some(at),
            _ => None,
        }
    }

    /// The rendered blocks, for changing them (a body in HTML or elsewhere becomes none).
    pub fn blocks_mut(&mut self) -> &mut Vec<Block> {
        if !matches!(self.body, Body::Blocks(_)) {
            self.body = Body::Blocks(Vec::new());
        }
        match &mut self.body {
            Body::Blocks(b) => b,
            _ => unreachable!("just made blocks"),
        }
    }

    /// True when the body is elsewhere (see [`Body::Stored`]) and must be loaded to be shown.
    pub fn body_unloaded(&self) -> bool {
        matches!(self.body, Body::Stored(_))
    }

    /// True when there is a body in memory (blocks or HTML).
    pub fn has_body(&self) -> bool {
        match &self.body {
            Body::Blocks(b) => !b.is_empty(),
            Body::Html(_) => true,
            Body::Stored(_) => false,
        }
    }

    /// Drops the body from memory, remembering where it can be read again.
    /// (The articles of one file share one `BodyRef`.)
    pub fn unload(&mut self, at: std::sync::Arc<BodyRef>) {
        self.body = Body::Stored(at);
    }

    /// Puts a body read again (see [`Article::unload`]) back in place (bodies are stored
    /// rendered).
    pub fn restore(&mut self, blocks: Vec<Block>) {
        self.body = Body::Blocks(blocks);
    }

    /// Minutes to read at 230 words a minute, at least one.
    pub fn reading_minutes(&self) -> usize {
        (self.words as usize).div_ceil(230).max(1)
    }

    /// Counts the words of the standfirst and body blocks.
    pub fn count_words(standfirst: Option<&str>, blocks: &[Block]) -> u32 {
        let words = standfirst.map_or(0, count_words_in)
            + blocks
                .iter()
                .map(|b| match b.kind {
                    // Whitespace in other blocks is already collapsed to single spaces.
                    BlockKind::Code => count_words_in(&b.text),
                    _ if b.text.is_empty() => 0,
                    _ => b.text.bytes().filter(|&c| c == b' ').count() + 1,
                })
                .sum::<usize>();
        u32::try_from(words).unwrap_or(u32::MAX)
    }
}

/// Words in `text`: a byte scan for ASCII whitespace boundaries (fast on long bodies), falling
/// back to Unicode whitespace only when the text holds a non-ASCII space.
fn count_words_in(text: &str) -> usize {
    let bytes = text.as_bytes();
    if bytes.iter().any(|&b| b >= 0x80) && text.chars().any(|c| !c.is_ascii() && c.is_whitespace())
    {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in bytes {
        let space = b.is_ascii_whitespace();
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_path_parsing() {
        let p = CategoryPath::parse("  World   News/ Europe ").unwrap();
        assert_eq!(p.levels(), ["World News", "Europe"]);
        assert_eq!(p.to_string(), "World News / Europe");
        assert_eq!(CategoryPath::parse("World News // Europe").unwrap(), p);
        assert_eq!(CategoryPath::parse(" / "), None);
    }

    #[test]
    fn category_list_splits_on_comma_and_semicolon_and_dedupes() {
        let l = CategoryPath::parse_list("Technology / AI; Business, world news/europe,,Business");
        let shown: Vec<String> = l.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            ["Technology / AI", "Business", "world news / europe"]
        );
    }

    #[test]
    fn ids_are_stable_hex() {
        let a = ArticleId::from_key("file:/tmp/a.txt");
        assert_eq!(a, ArticleId::from_key("file:/tmp/a.txt"));
        assert_ne!(a, ArticleId::from_key("file:/tmp/b.txt"));
        assert_eq!(a.as_str().len(), 16);
        // Known FNV-1a vectors.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn reading_time() {
        let blocks = vec![Block::new(
            BlockKind::Paragraph,
            "word ".repeat(461).trim_end(),
        )];
        assert_eq!(Article::count_words(Some("two words"), &blocks), 463);
        assert_eq!(463usize.div_ceil(230), 3);
        assert_eq!(count_words_in("  a  b\tc\n d "), 4);
        assert_eq!(count_words_in("a\u{3000}b é"), 3);
        assert_eq!(count_words_in(""), 0);
    }
}
