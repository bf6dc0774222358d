//! HTML (from feeds) to the article's blocks: headings, paragraphs, list items, quotes and
//! preformatted code; images as `[image: alt]`; links numbered inline (`text [1]`) with the
//! absolute URLs listed at the end; scripts, styles, iframes and the like dropped; entities
//! decoded. A small tolerant tokenizer, linear in the input and never panicking: feed HTML is
//! hostile and often broken. Every text it returns has been through the sanitizer.

use crate::core::model::{Block, BlockKind, Inline, Span};
use crate::core::sanitize::{push_collapsed, sanitize, sanitize_line};

/// Decodes HTML character references: numeric (`&#8217;`, `&#x2019;`) and the common named ones.
/// An unknown or unterminated reference is kept as written.
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is at most ~32 bytes long and ends in ';' (tolerate a missing ';' for the
        // few legacy names, as browsers do, only when followed by a non-alphanumeric).
        let end = rest[1..]
            .char_indices()
            .take(32)
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|(i, c)| (i + 1, c));
        let (name_end, terminator) = end.unwrap_or((rest.len(), ' '));
        let name = &rest[1..name_end];
        let consumed = if terminator == ';' {
            name_end + 1
        } else {
            name_end
        };
        match resolve(name) {
            Some(c) if terminator == ';' || LEGACY.contains(&name) => {
                out.push_str(&c);
                rest = &rest[consumed..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Names browsers accept without the closing `;`.
const LEGACY: [&str; 6] = ["amp", "lt", "gt", "quot", "nbsp", "copy"];

fn resolve(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        let c = match code {
            0 => '\u{FFFD}',
            // Windows-1252 code points that pages send as numeric references.
            0x80..=0x9F => {
                let b = [code as u8];
                let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&b);
                s.chars().next().unwrap_or('\u{FFFD}')
            }
            _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
        };
        return Some(c.to_string());
    }
    named(name).map(str::to_string)
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" => "\u{A0}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "shy" => "\u{AD}",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "lsaquo" => "‹",
        "rsaquo" => "›",
        "bull" => "•",
        "middot" => "·",
        "prime" => "′",
        "Prime" => "″",
        "dagger" => "†",
        "Dagger" => "‡",
        "permil" => "‰",
        "trade" => "™",
        "copy" => "©",
        "reg" => "®",
        "deg" => "°",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "minus" => "−",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "sup1" => "¹",
        "sup2" => "²",
        "sup3" => "³",
        "micro" => "µ",
        "para" => "¶",
        "sect" => "§",
        "euro" => "€",
        "pound" => "£",
        "yen" => "¥",
        "cent" => "¢",
        "curren" => "¤",
        "iexcl" => "¡",
        "iquest" => "¿",
        "ordf" => "ª",
        "ordm" => "º",
        "not" => "¬",
        "macr" => "¯",
        "acute" => "´",
        "cedil" => "¸",
        "uml" => "¨",
        "brvbar" => "¦",
        "larr" => "←",
        "rarr" => "→",
        "uarr" => "↑",
        "darr" => "↓",
        "harr" => "↔",
        "hearts" => "♥",
        "szlig" => "ß",
        "Agrave" => "À",
        "Aacute" => "Á",
        "Acirc" => "Â",
        "Atilde" => "Ã",
        "Auml" => "Ä",
        "Aring" => "Å",
        "AElig" => "Æ",
        "Ccedil" => "Ç",
        "Egrave" => "È",
        "Eacute" => "É",
        "Ecirc" => "Ê",
        "Euml" => "Ë",
        "Igrave" => "Ì",
        "Iacute" => "Í",
        "Icirc" => "Î",
        "Iuml" => "Ï",
        "ETH" => "Ð",
        "Ntilde" => "Ñ",
        "Ograve" => "Ò",
        "Oacute" => "Ó",
        "Ocirc" => "Ô",
        "Otilde" => "Õ",
        "Ouml" => "Ö",
        "Oslash" => "Ø",
        "Ugrave" => "Ù",
        "Uacute" => "Ú",
        "Ucirc" => "Û",
        "Uuml" => "Ü",
        "Yacute" => "Ý",
        "THORN" => "Þ",
        "agrave" => "à",
        "aacute" => "á",
        "acirc" => "â",
        "atilde" => "ã",
        "auml" => "ä",
        "aring" => "å",
        "aelig" => "æ",
        "ccedil" => "ç",
        "egrave" => "è",
        "eacute" => "é",
        "ecirc" => "ê",
        "euml" => "ë",
        "igrave" => "ì",
        "iacute" => "í",
        "icirc" => "î",
        "iuml" => "ï",
        "eth" => "ð",
        "ntilde" => "ñ",
        "ograve" => "ò",
        "oacute" => "ó",
        "ocirc" => "ô",
        "otilde" => "õ",
        "ouml" => "ö",
        "oslash" => "ø",
        "ugrave" => "ù",
        "uacute" => "ú",
        "ucirc" => "û",
        "uuml" => "ü",
        "yacute" => "ý",
        "thorn" => "þ",
        "yuml" => "ÿ",
        "OElig" => "Œ",
        "oelig" => "œ",
        "Scaron" => "Š",
        "scaron" => "š",
        "Yuml" => "Ÿ",
        "fnof" => "ƒ",
        "circ" => "ˆ",
        "tilde" => "˜",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "pi" => "π",
        "mu" => "μ",
        "sigma" => "σ",
        "omega" => "ω",
        "Delta" => "Δ",
        "Omega" => "Ω",
        _ => return None,
    })
}

/// Elements whose content is never shown.
fn is_dropped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "iframe"
            | "noscript"
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

/// The blocks and the links found, numbered in order of first appearance.
#[derive(Debug, Default)]
struct Builder {
    blocks: Vec<Block>,
    text: String,
    links: Vec<String>,
    /// Open elements that matter for the kind of text: counts per kind.
    pre: usize,
    heading: usize,
    list_item: usize,
    quote: usize,
    /// Inside dropped elements.
    dropped: usize,
    /// The `href` of each open `<a>` (None when not a link we number).
    anchors: Vec<Option<String>>,
    /// Inline styles closed in the current text, and those still open (with their start).
    spans: Vec<Span>,
    open: Vec<(Inline, usize)>,
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

impl Builder {
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

    fn close_span(&mut self, style: Inline) {
        if let Some(i) = self.open.iter().rposition(|(s, _)| *s == style) {
            let (_, start) = self.open.remove(i);
            let end = self.text.len();
            if end > start {
                self.spans.push(Span { start, end, style });
            }
        }
    }

    fn flush(&mut self) {
        let kind = self.kind();
        let text = std::mem::take(&mut self.text);
        let mut spans = std::mem::take(&mut self.spans);
        // Styles still open go on into the next block.
        for (style, start) in &mut self.open {
            if text.len() > *start {
                spans.push(Span {
                    start: *start,
                    end: text.len(),
                    style: *style,
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

    fn push_text(&mut self, raw: &str) {
        if self.dropped > 0 {
            return;
        }
        let decoded = decode_entities(raw);
        let decoded = sanitize(&decoded);
        if self.pre > 0 {
            self.text.push_str(&decoded);
        } else {
            // Keep one space at the joins between text pieces.
            if decoded.starts_with(char::is_whitespace)
                && !self.text.ends_with(' ')
                && !self.text.is_empty()
            {
                self.text.push(' ');
            }
            let before = self.text.len();
            let mut piece = String::new();
            push_collapsed(&mut piece, &decoded);
            if !piece.is_empty() {
                if before > 0
                    && !self.text.ends_with(' ')
                    && decoded.starts_with(char::is_whitespace)
                {
                    self.text.push(' ');
                }
                self.text.push_str(&piece);
                if decoded.ends_with(char::is_whitespace) {
                    self.text.push(' ');
                }
            }
        }
    }

    fn link_number(&mut self, url: String) -> usize {
        match self.links.iter().position(|l| *l == url) {
            Some(i) => i + 1,
            None => {
                self.links.push(url);
                self.links.len()
            }
        }
    }

    fn start(&mut self, tag: &str, attrs: &str, self_closing: bool, base: Option<&url::Url>) {
        if is_dropped(tag) {
            if !self_closing {
                self.dropped += 1;
            }
            return;
        }
        if self.dropped > 0 {
            return;
        }
        if is_block(tag) {
            if tag == "br" && self.pre > 0 {
                self.text.push('\n');
                return;
            }
            self.flush();
        }
        if self_closing {
            if tag == "img" {
                let alt = attr(attrs, "alt")
                    .map(|a| sanitize_line(&decode_entities(&a)))
                    .unwrap_or_default();
                let label = if alt.is_empty() {
                    "[image]".to_string()
                } else {
                    format!("[image: {alt}]")
                };
                self.push_text(&format!(" {label} "));
            }
            return;
        }
        match tag {
            "pre" => self.pre += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading += 1,
            "li" | "dt" | "dd" => self.list_item += 1,
            "blockquote" => self.quote += 1,
            "a" => {
                let href =
                    attr(attrs, "href").and_then(|h| absolute_url(&decode_entities(&h), base));
                if href.is_some() {
                    self.open.push((Inline::Link, self.text.len()));
                }
                self.anchors.push(href);
            }
            "img" => {
                // `<img ...>` without `/>` is still empty.
                self.start(tag, attrs, true, base);
            }
            _ => {
                if let Some(style) = inline_style(tag, self.pre > 0) {
                    self.open.push((style, self.text.len()));
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
                for s in &mut self.spans {
                    s.end = s.end.min(trimmed);
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

/// The value of attribute `name` in a tag's attribute text.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && bytes[i] != b'='
            && bytes[i] != b'/'
        {
            i += 1;
        }
        let key = &attrs[start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let vstart = i + 1;
                let vend = attrs[vstart..]
                    .find(q as char)
                    .map_or(attrs.len(), |e| vstart + e);
                value = attrs[vstart..vend].to_string();
                i = (vend + 1).min(attrs.len());
            } else {
                let vstart = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = attrs[vstart..i].to_string();
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        if i == start {
            i += 1;
        }
    }
    None
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

/// Walks the HTML, calling the builder for text, start tags and end tags.
fn tokenize(html: &str, b: &mut Builder, base: Option<&url::Url>) {
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let rest = &html[lt..];
        // What follows the '<' decides; anything else is literal text.
        let (consumed, token): (usize, Option<Token>) = if let Some(r) = rest.strip_prefix("<!--") {
            (
                4 + r.find("-->").map_or(r.len(), |e| e + 3),
                Some(Token::Skip),
            )
        } else if let Some(r) = rest.strip_prefix("<![CDATA[") {
            let end = r.find("]]>").unwrap_or(r.len());
            (9 + (end + 3).min(r.len()), Some(Token::Text(&r[..end])))
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            (
                rest.find('>').map_or(rest.len(), |e| e + 1),
                Some(Token::Skip),
            )
        } else if let Some(r) = rest.strip_prefix("</") {
            match tag_name(r) {
                Some(name) => (
                    2 + r.find('>').map_or(r.len(), |e| e + 1),
                    Some(Token::End(name)),
                ),
                None => (0, None),
            }
        } else if let Some(name) = tag_name(&rest[1..]) {
            match find_tag_end(&rest[1..]) {
                Some(end) => {
                    let inner = &rest[1..1 + end];
                    let self_closing = inner.ends_with('/') || VOID.contains(&name.as_str());
                    let attrs = &inner[name.len()..];
                    (end + 2, Some(Token::Start(name, attrs, self_closing)))
                }
                // A '<' that never closes: the rest is text.
                None => (0, None),
            }
        } else {
            (0, None)
        };
        let Some(token) = token else {
            i = lt + 1;
            continue;
        };
        b.push_text(&html[text_start..lt]);
        let next = (lt + consumed).min(html.len());
        match token {
            Token::Skip => {}
            Token::Text(t) => b.push_text(t),
            Token::End(name) => b.end(&name),
            Token::Start(name, attrs, self_closing) => {
                b.start(&name, attrs, self_closing, base);
                // Raw text elements: their content is not markup.
                if (name == "script" || name == "style") && !self_closing {
                    // Only `</script` followed by whitespace, `/` or `>` ends it, as in browsers.
                    let close = format!("</{name}");
                    let lower_tail = html[next..].to_ascii_lowercase();
                    let mut from = 0;
                    let end = loop {
                        match lower_tail[from..].find(&close) {
                            Some(e) => {
                                let at = from + e;
                                let after = lower_tail.as_bytes().get(at + close.len());
                                if after.is_none_or(|c| {
                                    c.is_ascii_whitespace() || *c == b'/' || *c == b'>'
                                }) {
                                    break next + at;
                                }
                                from = at + close.len();
                            }
                            None => break html.len(),
                        }
                    };
                    let after = html[end..].find('>').map_or(html.len(), |e| end + e + 1);
                    b.end(&name);
                    i = after;
                    text_start = after;
                    continue;
                }
            }
        }
        i = next;
        text_start = next;
    }
    b.push_text(&html[text_start..]);
}

enum Token<'a> {
    Skip,
    Text(&'a str),
    Start(String, &'a str, bool),
    End(String),
}

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The lowercase tag name at the start of `s`, if `s` starts with a letter.
fn tag_name(s: &str) -> Option<String> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(s.len());
    (end > 0 && s.as_bytes()[0].is_ascii_alphabetic()).then(|| s[..end].to_ascii_lowercase())
}

/// The index of the `>` that ends a tag, skipping quoted attribute values. As in browsers, a
/// quote opens a value only right after `=` (spaces allowed between): `<a"` is a tag name with
/// a stray quote, and whatever follows up to the next `>` is still the tag.
fn find_tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let mut after_eq = false;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if after_eq && (c == b'"' || c == b'\'') => {
                quote = Some(c);
                after_eq = false;
            }
            None if c == b'>' => return Some(i),
            None if c == b'=' => after_eq = true,
            None if c.is_ascii_whitespace() => {}
            None => after_eq = false,
        }
    }
    None
}

/// The article's blocks from HTML, with the numbered links at the end.
pub fn html_to_blocks(html: &str, base: Option<&url::Url>) -> Vec<Block> {
    let mut b = Builder::default();
    tokenize(html, &mut b, base);
    b.flush();
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
/// is opened.
pub fn estimate_words(html: &str) -> usize {
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
    words
}

/// Word starts in a run of text: a non-space byte at the start or after a space. Branch-free so
/// the compiler can vectorize it (tags split words, which the estimate accepts).
fn count_word_starts(t: &[u8]) -> usize {
    let Some(&first) = t.first() else {
        return 0;
    };
    usize::from(!first.is_ascii_whitespace())
        + t.windows(2)
            .map(|w| usize::from(w[0].is_ascii_whitespace() & !w[1].is_ascii_whitespace()))
            .sum::<usize>()
}

/// One line of text from HTML (for titles): tags stripped, entities decoded, sanitized.
pub fn html_to_line(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return sanitize_line(html);
    }
    let mut b = Builder::default();
    tokenize(html, &mut b, None);
    let mut text = b
        .blocks
        .iter()
        .map(|x| x.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if !b.text.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&b.text);
    }
    sanitize_line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use BlockKind::*;

    fn blocks(html: &str) -> Vec<(BlockKind, String)> {
        let base = url::Url::parse("https://example.com/news/item").unwrap();
        html_to_blocks(html, Some(&base))
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    fn b(kind: BlockKind, t: &str) -> (BlockKind, String) {
        (kind, t.to_string())
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#8217;s &#x2014; &eacute;t&eacute;"),
            "a & b <c> ’s — été"
        );
        assert_eq!(decode_entities("AT&T &unknown; &amp"), "AT&T &unknown; &");
        assert_eq!(
            decode_entities("&#0; &#xD800; &#1114112; &#150;"),
            "\u{FFFD} \u{FFFD} \u{FFFD} –"
        );
        assert_eq!(
            decode_entities("&#27;[31m"),
            "\u{1b}[31m",
            "decoded, then the sanitizer removes it"
        );
        assert_eq!(decode_entities("&&&;&#;&#x;"), "&&&;&#;&#x;");
    }

    #[test]
    fn structure() {
        let got = blocks(
            "<h2>Key points</h2><p>First <em>para</em>graph\n with   space.</p>\
             <ul><li>one</li><li>two <b>bold</b></li></ul>\
             <blockquote><p>Quoted words.</p></blockquote>\
             <pre>fn main() {\n    x();\n}</pre><p>After<br>break</p>",
        );
        assert_eq!(
            got,
            [
                b(Heading, "Key points"),
                b(Paragraph, "First paragraph with space."),
                b(ListItem, "one"),
                b(ListItem, "two bold"),
                b(Quote, "Quoted words."),
                b(Code, "fn main() {\n    x();\n}"),
                b(Paragraph, "After"),
                b(Paragraph, "break"),
            ]
        );
    }

    #[test]
    fn links_are_numbered_and_listed_absolute() {
        let got = blocks(
            "<p>See <a href=\"/a?x=1&amp;y=2\">the report</a> and <a href='https://other.org/b'>this</a>, \
             again <a href=\"/a?x=1&amp;y=2\">here</a>. <a href=\"javascript:alert(1)\">bad</a> \
             <a href=\"#top\">top</a></p>",
        );
        assert_eq!(
            got,
            [
                b(
                    Paragraph,
                    "See the report [1] and this [2], again here [1]. bad top"
                ),
                b(Heading, "Links"),
                b(ListItem, "[1] https://example.com/a?x=1&y=2"),
                b(ListItem, "[2] https://other.org/b"),
            ]
        );
    }

    #[test]
    fn images_and_dropped_elements() {
        let got = blocks(
            "<p>Before <img src=x.png alt=\"A &quot;map&quot;\"> after <img src=y></p>\
             <script>document.write('<p>no</p>')</script><style>p{}</style>\
             <iframe src=x>fallback</iframe><noscript><p>no js</p></noscript><p>End.</p>",
        );
        assert_eq!(
            got,
            [
                b(Paragraph, "Before [image: A \"map\"] after [image]"),
                b(Paragraph, "End.")
            ]
        );
    }

    #[test]
    fn broken_html_never_panics() {
        for html in [
            "",
            "<",
            "<<<<",
            "<p",
            "<p attr='unterminated>text",
            "</",
            "</>",
            "<!--",
            "<![CDATA[",
            "<a href=",
            "<a href=\"x\">no end",
            "</p></p></li></blockquote></pre>",
            "&",
            "&#",
            "<script>never closed",
            "<pre>unclosed\n  code",
            "é<b>ü</b>東京",
            "<p>\u{1b}[31mred</p>",
            "<h1><h2>nested</h1></h2>",
            "<a href=\"http://x\"><a href=\"http://y\">z</a></a>",
        ] {
            let out = html_to_blocks(html, None);
            for bl in &out {
                assert!(
                    crate::core::sanitize::is_clean(&bl.text),
                    "{html:?} -> {bl:?}"
                );
            }
        }
        assert_eq!(blocks("a < b and c > d"), [b(Paragraph, "a < b and c > d")]);
        assert_eq!(blocks("<p>\x1b]0;title\x07Hi</p>"), [b(Paragraph, "Hi")]);
    }

    #[test]
    fn deep_nesting_is_linear() {
        let html = "<div>".repeat(50_000) + "deep" + &"</div>".repeat(50_000);
        let t = std::time::Instant::now();
        assert_eq!(blocks(&html), [b(Paragraph, "deep")]);
        assert!(t.elapsed().as_secs() < 2);
    }

    #[test]
    fn inline_styles_are_kept_as_spans() {
        let base = url::Url::parse("https://example.com/").unwrap();
        let out = html_to_blocks(
            "<p> Plain <em>two words</em>, <b>bold</b> and <code>x()</code> then \
             <a href=\"/l\">a <i>link</i></a> end <strong>open</p><p>across</strong> blocks</p>",
            Some(&base),
        );
        let styled = |b: &Block| -> Vec<(String, Inline)> {
            b.spans
                .iter()
                .map(|s| (b.text[s.start..s.end].to_string(), s.style))
                .collect()
        };
        assert_eq!(
            out[0].text,
            "Plain two words, bold and x() then a link [1] end open"
        );
        assert_eq!(
            styled(&out[0]),
            [
                ("two words".to_string(), Inline::Emphasis),
                ("bold".to_string(), Inline::Strong),
                ("x()".to_string(), Inline::Code),
                ("a link".to_string(), Inline::Link),
                ("link".to_string(), Inline::Emphasis),
                ("open".to_string(), Inline::Strong),
            ]
        );
        assert_eq!(styled(&out[1]), [("across".to_string(), Inline::Strong)]);
        // Code blocks keep no spans; unclosed tags never panic.
        let out = html_to_blocks("<pre><code>let x;</code></pre><p><em>never closed", None);
        assert!(out[0].spans.is_empty());
        assert_eq!(
            styled(&out[1]),
            [("never closed".to_string(), Inline::Emphasis)]
        );
    }

    #[test]
    fn word_estimate() {
        assert_eq!(estimate_words("<p>Three <b>small</b> words</p>"), 3);
        assert_eq!(estimate_words("one  two\tthree\n<br/>four"), 4);
        assert_eq!(estimate_words("<p>a</p><p>b</p>"), 2);
        assert_eq!(estimate_words(""), 0);
    }

    #[test]
    fn titles_lose_markup() {
        assert_eq!(
            html_to_line("Rock &amp; Roll <b>live</b>"),
            "Rock & Roll live"
        );
        assert_eq!(html_to_line("Plain title"), "Plain title");
        assert_eq!(html_to_line("<p>Two</p><p>blocks</p>"), "Two blocks");
    }

    #[test]
    fn a_stray_quote_in_a_tag_name_does_not_swallow_a_script() {
        // Found by the props test: the quote after `<a` had run to a quote inside the script,
        // so `<script>` was read as part of the `<a>` tag and the script's text was shown.
        let html = "<p><a\"</p><p>x<script>secret\"</scriptx>secret</script>shown</p>";
        let text: Vec<String> = html_to_blocks(html, None)
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert!(!text.iter().any(|t| t.contains("secret")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("shown")), "{text:?}");
        assert_eq!(find_tag_end("a href = \"x>y\">z"), Some(14));
        assert_eq!(find_tag_end("a title='>'>"), Some(11));
        assert_eq!(find_tag_end("a\"b>c\">"), Some(3));
    }
}
