//! HTML, read with html5ever's tokenizer (the HTML standard's tokenizer, as browsers run it).
//!
//! [`feed`] is the crate's one way into HTML: the block builder below and feed discovery
//! (`sources::fetch`) read through it with a callback ([`tokenize`]), the full-story parser
//! (`sources::extract::parse_page`) with html5ever's tree builder behind a depth guard. It is
//! linear in the input: html5ever's tokenizer is a streaming state machine, and the one place
//! where it is not linear (each attribute of a tag is checked against the tag's earlier ones)
//! is bounded there.
//!
//! The block builder turns feed HTML into the article's blocks: headings, paragraphs, list
//! items, quotes and preformatted code; images as `[image: alt]`; links numbered inline
//! (`text [1]`) with the absolute URLs listed at the end; inline emphasis, strong, code and link
//! spans; scripts, styles, iframes and the like dropped. It keeps counts of the open elements
//! that matter instead of a tree (html5ever's tree builder is quadratic in the nesting depth),
//! so a hostile body costs time in proportion to its size, and it never panics. Every text it
//! returns has been through the sanitizer.

use crate::core::model::{Block, BlockKind, Inline, Span};
use crate::core::sanitize::{push_collapsed, sanitize, sanitize_line};
use html5ever::tendril::StrTendril;
pub use html5ever::tokenizer::TokenSink;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{self as tk, BufferQueue, TokenSinkResult, Tokenizer, TokenizerOpts};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Decodes HTML character references as HTML does in attribute values: numeric (`&#8217;`,
/// `&#x2019;`, the `;` optional, `&#128;`..`&#159;` read as Windows-1252, `&#0;`, surrogates
/// and values past U+10FFFF as U+FFFD) and all 2,231 named ones of the HTML standard
/// (`&eacute;`, and the legacy few such as `&amp` or `&copy` without their `;`, when no letter,
/// digit or `=` follows: `&copy2026` and `&notit;` stay). An unknown reference is kept as
/// written. (HTML text is decoded by html5ever's tokenizer.)
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        match reference(rest) {
            Some((chars, len)) => {
                out.extend(chars.into_iter().flatten());
                rest = &rest[len..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The longest named reference (`CounterClockwiseContourIntegral;`) is 32 bytes long.
const LONGEST_NAME: usize = 32;

/// The character reference at the start of `s` (just after its `&`): its characters and length.
fn reference(s: &str) -> Option<([Option<char>; 2], usize)> {
    let b = s.as_bytes();
    if let Some(num) = s.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|c| (*c as char).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        // Saturates past the last code point: every digit is read, as HTML does.
        let code = digits[..len].bytes().fold(0u32, |n, c| {
            let d = (c as char).to_digit(radix).unwrap_or(0);
            n.saturating_mul(radix).saturating_add(d).min(0x11_0000)
        });
        let semicolon = usize::from(digits.as_bytes().get(len) == Some(&b';'));
        return Some(([Some(numeric(code)), None], skip + len + semicolon));
    }
    let len = b
        .iter()
        .take(LONGEST_NAME)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if len == 0 {
        return None;
    }
    // `name;`, else a legacy name without `;` that no letter, digit or `=` follows.
    match b.get(len) {
        Some(b';') => named(&b[..=len]).map(|chars| (chars, len + 1)),
        Some(b'=') => None,
        _ => named(&b[..len]).map(|chars| (chars, len)),
    }
}

/// A named reference (`amp;`, or a legacy `amp`) from html5ever's table of the standard's names.
fn named(key: &[u8]) -> Option<[Option<char>; 2]> {
    let key = std::str::from_utf8(key).ok()?;
    match html5ever::data::NAMED_ENTITIES.get(key) {
        // The table also holds every prefix of a name, mapped to (0, 0).
        Some(&(first, second)) if first != 0 => Some([
            char::from_u32(first),
            (second != 0).then(|| char::from_u32(second)).flatten(),
        ]),
        _ => None,
    }
}

/// The character of a numeric reference, as HTML reads it.
fn numeric(code: u32) -> char {
    match code {
        0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{FFFD}',
        // Pages send Windows-1252's characters by their byte: `&#150;` is an en dash.
        0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(code - 0x80) as usize]
            .or_else(|| char::from_u32(code))
            .unwrap_or('\u{FFFD}'),
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    }
}

mod tokenize;
pub use tokenize::*;

// ---------------------------------------------------------------------------------------------
// The block builder
// ---------------------------------------------------------------------------------------------

/// Elements whose content is never shown.
fn is_dropped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "iframe"
            | "noscript"
            | "noembed"
            | "noframes"
            | "title"
            | "template"
            | "svg"
            | "math"
            | "object"
            | "embed"
            | "head"
            | "select"
            | "button"
            | "canvas"
            | "audio"
            | "video"
            | "map"
    )
}

/// Elements that start and end a block.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "hr"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "figure"
            | "figcaption"
            | "address"
            | "details"
            | "summary"
            | "center"
            | "form"
            | "fieldset"
            | "br"
    )
}

/// Elements without content (no end tag).
pub const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The blocks and the links found, numbered in order of first appearance.
#[derive(Debug, Default)]
struct Builder<'u> {
    blocks: Vec<Block>,
    text: String,
    /// The links in order, and the number of each.
    links: Vec<String>,
    numbers: HashMap<String, usize>,
    /// Links resolve against this.
    base: Option<&'u url::Url>,
    /// For one line of text: links are not numbered, images are their alt text.
    line: bool,
    /// A piece of text being collapsed (kept to spare an allocation per piece).
    piece: String,
    /// Open elements that matter for the kind of text: counts per kind.
    pre: usize,
    heading: usize,
    list_item: usize,
    quote: usize,
    /// Inside dropped elements.
    dropped: usize,
    /// The `href` of each open `<a>` (None when not a link we number).
    anchors: Vec<Option<String>>,
    /// Inline styles closed in the current text.
    spans: Vec<Span>,
    /// The first image of the current text: its absolute `http`/`https` URL.
    image: Option<String>,
    /// Per style ([`STYLES`]), how many of its elements are open and where the outermost began.
    /// Counts, not a list: a never-closed `<b>` per paragraph would make every flush longer.
    open: [(usize, usize); 4],
}

/// The inline styles, in the order of [`Builder::open`].
const STYLES: [Inline; 4] = [Inline::Emphasis, Inline::Strong, Inline::Code, Inline::Link];

fn slot(style: Inline) -> usize {
    match style {
        Inline::Emphasis => 0,
        Inline::Strong => 1,
        Inline::Code => 2,
        Inline::Link => 3,
    }
}

/// The inline style an element gives, if any.
fn inline_style(tag: &str, in_pre: bool) -> Option<Inline> {
    match tag {
        "em" | "i" | "cite" | "dfn" | "var" => Some(Inline::Emphasis),
        "strong" | "b" => Some(Inline::Strong),
        "code" | "kbd" | "samp" | "tt" if !in_pre => Some(Inline::Code),
        _ => None,
    }
}

impl<'u> Builder<'u> {
    fn new(base: Option<&'u url::Url>, line: bool) -> Builder<'u> {
        Builder {
            base,
            line,
            ..Builder::default()
        }
    }

    /// Reads `html` whole.
    fn read(&mut self, html: &str) {
        let html = unwrap_cdata(html);
        tokenize(&html, |token| {
            match token {
                Token::Text { text, .. } => self.push_text(text),
                Token::Tag(tag) if tag.is_end() => self.end(tag.name()),
                Token::Tag(tag) => self.start(&tag),
                Token::Doctype(_) => {}
            }
            Step::Next
        });
        self.flush();
    }

    fn kind(&self) -> BlockKind {
        if self.pre > 0 {
            BlockKind::Code
        } else if self.heading > 0 {
            BlockKind::Heading
        } else if self.list_item > 0 {
            BlockKind::ListItem
        } else if self.quote > 0 {
            BlockKind::Quote
        } else {
            BlockKind::Paragraph
        }
    }

    fn open_span(&mut self, style: Inline) {
        let (count, start) = &mut self.open[slot(style)];
        if *count == 0 {
            *start = self.text.len();
        }
        *count += 1;
    }

    fn close_span(&mut self, style: Inline) {
        let (count, start) = &mut self.open[slot(style)];
        if *count == 0 {
            return;
        }
        *count -= 1;
        let (start, end) = (*start, self.text.len());
        if *count == 0 && end > start {
            self.spans.push(Span { start, end, style });
        }
    }

    fn flush(&mut self) {
        let kind = self.kind();
        let text = std::mem::take(&mut self.text);
        let mut spans = std::mem::take(&mut self.spans);
        let image = self.image.take();
        // Styles still open go on into the next block.
        for (&style, (count, start)) in STYLES.iter().zip(&mut self.open) {
            if *count > 0 && text.len() > *start {
                spans.push(Span {
                    start: *start,
                    end: text.len(),
                    style,
                });
            }
            *start = 0;
        }
        if kind == BlockKind::Code {
            let code = sanitize(text.trim_matches('\n')).into_owned();
            if !code.trim().is_empty() {
                self.blocks.push(Block::new(kind, code));
            }
            return;
        }
        // Pieces were sanitized and collapsed as they came: only the ends need trimming.
        let lead = text.len() - text.trim_start().len();
        let body = text.trim();
        if body.is_empty() {
            return;
        }
        let mut block = Block::new(kind, body);
        block.image = image;
        let t = &block.text;
        for s in spans {
            let mut start = s.start.saturating_sub(lead).min(t.len());
            let mut end = s.end.saturating_sub(lead).min(t.len());
            while start < end && t.as_bytes()[start] == b' ' {
                start += 1;
            }
            while end > start && t.as_bytes()[end - 1] == b' ' {
                end -= 1;
            }
            if start < end && t.is_char_boundary(start) && t.is_char_boundary(end) {
                block.spans.push(Span {
                    start,
                    end,
                    style: s.style,
                });
            }
        }
        block.spans.sort_by_key(|s| (s.start, s.end));
        self.blocks.push(block);
    }

    /// Text as the tokenizer gives it: references already decoded.
    fn push_text(&mut self, text: &str) {
        if self.dropped > 0 {
            return;
        }
        let clean = sanitize(text);
        if self.pre > 0 {
            self.text.push_str(&clean);
            return;
        }
        // Keep one space at the joins between text pieces.
        let spaced_start = clean.starts_with(char::is_whitespace);
        if spaced_start && !self.text.ends_with(' ') && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.piece.clear();
        push_collapsed(&mut self.piece, &clean);
        if !self.piece.is_empty() {
            self.text.push_str(&self.piece);
            if clean.ends_with(char::is_whitespace) {
                self.text.push(' ');
            }
        }
    }

    fn link_number(&mut self, url: String) -> usize {
        if let Some(&n) = self.numbers.get(&url) {
            return n;
        }
        self.links.push(url.clone());
        self.numbers.insert(url, self.links.len());
        self.links.len()
    }

    fn start(&mut self, tag: &Tag<'_>) {
        let name = tag.name();
        let empty = tag.self_closing() || VOID.contains(&name);
        if is_dropped(name) {
            // The tokenizer reads a raw text element's content as text whatever its `/>`.
            if !empty || tag.holds_raw_text() {
                self.dropped += 1;
            }
            return;
        }
        if self.dropped > 0 {
            return;
        }
        if is_block(name) {
            if name == "br" && self.pre > 0 {
                self.text.push('\n');
                return;
            }
            self.flush();
        }
        if name == "img" {
            if self.image.is_none() && !self.line {
                self.image = tag
                    .attr("src")
                    .and_then(|src| absolute_url(src, self.base))
                    .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
            }
            let alt = tag.attr("alt").map(sanitize_line).unwrap_or_default();
            let label = match (self.line, alt.is_empty()) {
                (true, _) => alt,
                (false, true) => "[image]".to_string(),
                (false, false) => format!("[image: {alt}]"),
            };
            self.push_text(&format!(" {label} "));
            return;
        }
        if empty {
            return;
        }
        match name {
            "pre" => self.pre += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading += 1,
            "li" | "dt" | "dd" => self.list_item += 1,
            "blockquote" => self.quote += 1,
            "a" => {
                let href = tag
                    .attr("href")
                    .filter(|_| !self.line)
                    .and_then(|h| absolute_url(h, self.base));
                if href.is_some() {
                    self.open_span(Inline::Link);
                }
                self.anchors.push(href);
            }
            _ => {
                if let Some(style) = inline_style(name, self.pre > 0) {
                    self.open_span(style);
                }
            }
        }
    }

    fn end(&mut self, tag: &str) {
        if is_dropped(tag) {
            self.dropped = self.dropped.saturating_sub(1);
            return;
        }
        if self.dropped > 0 {
            return;
        }
        if tag == "a" {
            if let Some(Some(href)) = self.anchors.pop() {
                let n = self.link_number(href);
                let trimmed = self.text.trim_end().len();
                self.text.truncate(trimmed);
                // Spans end in the order they closed: only the last ones can reach past.
                for s in self.spans.iter_mut().rev() {
                    if s.end <= trimmed {
                        break;
                    }
                    s.end = trimmed;
                }
                self.close_span(Inline::Link);
                self.text.push_str(&format!(" [{n}]"));
            }
            return;
        }
        if let Some(style) = inline_style(tag, self.pre > 0) {
            self.close_span(style);
            return;
        }
        if is_block(tag) {
            self.flush();
        }
        let dec = |n: &mut usize| *n = n.saturating_sub(1);
        match tag {
            "pre" => dec(&mut self.pre),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => dec(&mut self.heading),
            "li" | "dt" | "dd" => dec(&mut self.list_item),
            "blockquote" => dec(&mut self.quote),
            _ => {}
        }
    }
}

/// Feed HTML that was wrapped twice comes with a `<![CDATA[ ... ]]>` left in its text (the
/// XML's own section was read, the copy inside it was not). HTML reads that as a comment ending
/// at the first `>`, which would show the rest and its `]]>`: the wrappers are removed and what
/// they held is read as HTML. A `]]>` that closes nothing stays.
fn unwrap_cdata(html: &str) -> Cow<'_, str> {
    const OPEN: &str = "<![CDATA[";
    const CLOSE: &str = "]]>";
    let Some(first) = memchr::memmem::find(html.as_bytes(), OPEN.as_bytes()) else {
        return Cow::Borrowed(html);
    };
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..first]);
    let mut rest = &html[first..];
    let mut open = 0usize;
    while let Some(i) = memchr::memchr2(b'<', b']', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(r) = rest.strip_prefix(OPEN) {
            open += 1;
            rest = r;
        } else if let (true, Some(r)) = (open > 0, rest.strip_prefix(CLOSE)) {
            open -= 1;
            rest = r;
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// An absolute http, https or mailto URL, resolved against `base` when relative.
pub fn absolute_url(href: &str, base: Option<&url::Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let url = match url::Url::parse(href) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https" | "mailto").then(|| sanitize_line(url.as_str()))
}

/// The article's blocks from HTML, with the numbered links at the end.
pub fn html_to_blocks(html: &str, base: Option<&url::Url>) -> Vec<Block> {
    let mut b = Builder::new(base, false);
    b.read(html);
    if !b.links.is_empty() {
        b.blocks.push(Block::new(BlockKind::Heading, "Links"));
        for (i, l) in b.links.iter().enumerate() {
            b.blocks
                .push(Block::new(BlockKind::ListItem, format!("[{}] {l}", i + 1)));
        }
    }
    b.blocks
}

/// Words in HTML's text, counted without building anything: tags skipped, a word being a run of
/// non-space bytes. Used for the word count of a feed entry whose body is rendered only when it
/// is opened, so it is an estimate that must cost next to nothing: the text of scripts and
/// styles counts, and references count as written.
pub fn estimate_words(html: &str) -> u32 {
    let b = html.as_bytes();
    let mut words = 0;
    let mut i = 0;
    while i < b.len() {
        let text_end = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |o| i + o);
        words += count_word_starts(&b[i..text_end]);
        i = match memchr::memchr(b'>', &b[text_end..]) {
            Some(o) => text_end + o + 1,
            None => b.len(),
        };
    }
    u32::try_from(words).unwrap_or(u32::MAX)
}

/// Word starts in a run of text: a byte above the space at the start or after a byte at or
/// below it (control characters count as spaces: an estimate). Two comparisons per byte pair,
/// summed in 32-bit lanes a block at a time, so the compiler vectorizes it: this runs over every
/// feed body at load (it was 14% of a cold load's CPU with `is_ascii_whitespace` pairs).
fn count_word_starts(t: &[u8]) -> usize {
    let Some(&first) = t.first() else {
        return 0;
    };
    let (before, after) = (&t[..t.len() - 1], &t[1..]);
    let pairs = before.chunks(4096).zip(after.chunks(4096));
    usize::from(first > b' ')
        + pairs
            .map(|(a, b)| {
                a.iter()
                    .zip(b)
                    .map(|(&x, &y)| u32::from((x <= b' ') & (y > b' ')))
                    .sum::<u32>() as usize
            })
            .sum::<usize>()
}

/// One line of text from HTML, for one-line fields (titles, names, standfirsts, categories):
/// tags stripped, references decoded, scripts and styles dropped, links not numbered, an image
/// as its alt text; sanitized, whitespace collapsed.
pub fn html_to_line(html: &str) -> String {
    if !html.contains('<') {
        return sanitize_line(&decode_entities(html));
    }
    let mut b = Builder::new(None, true);
    b.read(html);
    let mut line = String::new();
    for block in &b.blocks {
        push_collapsed(&mut line, &block.text);
    }
    sanitize_line(&line)
}

#[cfg(test)]
mod tests;
