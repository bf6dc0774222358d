//! RSS 0.90–2.01, RSS 1.0 and Atom 0.3/1.0 read liberally, the way Python's feedparser and
//! browsers read them: over quick-xml's tokenizer with every well-formedness check that real
//! feeds break turned off, and our own tree logic on top.
//!
//! What is tolerated (and how): a bare `&` (kept as text); a bare `<` (escaped before parsing);
//! undeclared entities such as `&eacute;` (the HTML table); entities declared in the DOCTYPE's
//! internal subset (expanded once, with a budget, so no billion laughs); any `version`, or none;
//! end tags that do not match (an end tag closes the nearest open element of its name; one that
//! matches nothing is ignored and reported); HTML void elements (`<br>`) left open; element
//! names in any case; undeclared prefixes (`dc:`, `content:`, `media:` by their usual names).
//! A document that ends early or has a syntax error keeps every entry completed before the
//! damage, and the damage is reported once with its line and column.

use super::raw::{Href, Kind, RawEntry, RawFeed, Text, push_unique};
use crate::core::sanitize::sanitize_line as sanitize;
use quick_xml::events::Event;
use std::borrow::Cow;

/// Namespaces that matter, with every feed dialect's own namespace folded into `Feed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Feed,
    Dc,
    Dcterms,
    Content,
    Media,
    Xhtml,
    Rdf,
    Itunes,
    Other,
}

fn ns_of_uri(uri: &str) -> Ns {
    let u = uri.trim().trim_end_matches(['/', '#']).to_ascii_lowercase();
    let u = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"))
        .unwrap_or(&u);
    match u {
        ""
        | "www.w3.org/2005/atom"
        | "purl.org/atom/ns"
        | "purl.org/rss/1.0"
        | "my.netscape.com/rdf/simple/0.9"
        | "backend.userland.com/rss2"
        | "backend.userland.com/rss"
        | "blogs.law.harvard.edu/tech/rss"
        | "purl.org/net/rss1.1" => Ns::Feed,
        "purl.org/dc/elements/1.1" | "purl.org/dc/elements/1.0" => Ns::Dc,
        "purl.org/dc/terms" => Ns::Dcterms,
        "purl.org/rss/1.0/modules/content" => Ns::Content,
        "search.yahoo.com/mrss" | "video.search.yahoo.com/mrss" => Ns::Media,
        "www.w3.org/1999/xhtml" => Ns::Xhtml,
        "www.w3.org/1999/02/22-rdf-syntax-ns" => Ns::Rdf,
        "www.itunes.com/dtds/podcast-1.0.dtd" | "www.itunes.com/dtds/podcast-1.0" => Ns::Itunes,
        _ => Ns::Other,
    }
}

/// An undeclared prefix, by the name feeds conventionally give it.
fn ns_of_prefix(prefix: &str) -> Ns {
    match prefix.to_ascii_lowercase().as_str() {
        "atom" | "atom03" | "rss" | "rss1" => Ns::Feed,
        "dc" => Ns::Dc,
        "dcterms" => Ns::Dcterms,
        "content" => Ns::Content,
        "media" => Ns::Media,
        "xhtml" | "html" => Ns::Xhtml,
        "rdf" => Ns::Rdf,
        "itunes" => Ns::Itunes,
        _ => Ns::Other,
    }
}

/// Element names that matter (compared without case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Rss,
    Rdf,
    Feed,
    Channel,
    Item,
    Entry,
    Title,
    Link,
    Description,
    Summary,
    Content,
    Encoded,
    Body,
    FullItem,
    Guid,
    Id,
    PubDate,
    Published,
    Issued,
    Updated,
    Modified,
    Created,
    Date,
    Author,
    Creator,
    ManagingEditor,
    Name,
    Email,
    Category,
    Subject,
    Group,
    Abstract,
    Keywords,
    Other,
}

fn tag_of(local: &str) -> Tag {
    let local = local.as_bytes();
    let mut buf = [0u8; 16];
    if local.len() > buf.len() {
        return Tag::Other;
    }
    let lower = &mut buf[..local.len()];
    lower.copy_from_slice(local);
    lower.make_ascii_lowercase();
    match &*lower {
        b"rss" => Tag::Rss,
        b"rdf" => Tag::Rdf,
        b"feed" => Tag::Feed,
        b"channel" => Tag::Channel,
        b"item" => Tag::Item,
        b"entry" => Tag::Entry,
        b"title" => Tag::Title,
        b"link" => Tag::Link,
        b"description" => Tag::Description,
        b"summary" => Tag::Summary,
        b"content" => Tag::Content,
        b"encoded" => Tag::Encoded,
        b"body" => Tag::Body,
        b"fullitem" => Tag::FullItem,
        b"guid" => Tag::Guid,
        b"id" => Tag::Id,
        b"pubdate" => Tag::PubDate,
        b"published" => Tag::Published,
        b"issued" => Tag::Issued,
        b"updated" => Tag::Updated,
        b"modified" => Tag::Modified,
        b"created" => Tag::Created,
        b"date" => Tag::Date,
        b"author" => Tag::Author,
        b"creator" => Tag::Creator,
        b"managingeditor" => Tag::ManagingEditor,
        b"name" => Tag::Name,
        b"email" => Tag::Email,
        b"category" => Tag::Category,
        b"subject" => Tag::Subject,
        b"group" => Tag::Group,
        b"abstract" => Tag::Abstract,
        b"keywords" => Tag::Keywords,
        _ => Tag::Other,
    }
}

/// HTML elements that never have an end tag; left open in unescaped HTML they would swallow the
/// rest of the entry.
fn is_void(local: &str) -> bool {
    const VOID: [&str; 10] = [
        "br", "hr", "img", "wbr", "input", "meta", "area", "col", "embed", "param",
    ];
    VOID.iter().any(|v| v.eq_ignore_ascii_case(local))
}

/// The attributes the mapping reads.
#[derive(Debug, Default)]
struct Attrs {
    kind: Option<String>,
    mode: Option<String>,
    href: Option<String>,
    rel: Option<String>,
    label: Option<String>,
    term: Option<String>,
    text: Option<String>,
    is_permalink: Option<String>,
    about: Option<String>,
    lastmod: Option<String>,
}

impl Attrs {
    fn is_empty(&self) -> bool {
        self.kind.is_none()
            && self.mode.is_none()
            && self.href.is_none()
            && self.rel.is_none()
            && self.label.is_none()
            && self.term.is_none()
            && self.text.is_none()
            && self.is_permalink.is_none()
            && self.about.is_none()
            && self.lastmod.is_none()
    }
}

struct Open<'s> {
    ns: Ns,
    tag: Tag,
    /// The name as written, for matching end tags.
    qname: Cow<'s, str>,
    /// Where its text starts in the shared text buffer.
    text_start: usize,
    /// Where its content starts in the source.
    inner_start: usize,
    /// True once a child element opened: the content is then markup.
    children: bool,
    /// Index into the bases in effect.
    base: usize,
    /// Length of the namespace scope before this element's declarations.
    scope: usize,
    attrs: Option<Box<Attrs>>,
}

/// A place in the document where something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub offset: usize,
    pub message: String,
}

/// What the reader found.
pub struct XmlFeed {
    pub feed: RawFeed,
    pub damage: Option<Damage>,
}

/// Budget for expanding DOCTYPE-declared entities, in bytes.
const ENTITY_BUDGET: usize = 1 << 20;

/// Elements nested deeper than this are read as text of the deepest one: a hostile document of
/// millions of nested tags costs neither memory nor time.
const MAX_DEPTH: usize = 512;

/// FNV-1a of a name without case, to know in O(1) whether an end tag can match anything.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x100_0000_01b3)
    })
}

struct Reader<'s> {
    src: &'s str,
    seen_root: bool,
    atom: bool,
    stack: Vec<Open<'s>>,
    /// How many open elements have each name (by [`name_hash`]).
    open_names: foldhash::HashMap<u64, u32>,
    text: String,
    scopes: Vec<(String, Ns)>,
    bases: Vec<Option<url::Url>>,
    entities: Vec<(String, String)>,
    entity_budget: usize,
    feed: RawFeed,
    entry: Option<(usize, RawEntry)>,
    person: (Option<String>, Option<String>),
    damage: Option<Damage>,
}

/// Repairs what would make the tokenizer lose the rest of the document, outside CDATA sections
/// and comments: a `<` that cannot start markup (`1 < 2`, `<<`) is escaped, and an attribute
/// quote left open (`<a href="x>text`) is closed before the tag's `>`. Returns the text and, when
/// a quote had to be closed (data may be lost there), where.
fn repair(s: &str) -> (Cow<'_, str>, Option<usize>) {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut damage = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt..];
        let skip_to = |end: &[u8], from: usize| {
            memchr::memmem::find(&b[lt + from..], end)
                .map_or(b.len(), |e| lt + from + e + end.len())
        };
        if rest.starts_with(b"<![CDATA[") {
            // A section that never ends would swallow the document: its marker is dropped.
            if memchr::memmem::find(&b[lt + 9..], b"]]>").is_none() {
                let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
                o.push_str(&s[copied..lt]);
                copied = lt + 9;
                damage.get_or_insert(lt);
                i = lt + 9;
                continue;
            }
            i = skip_to(b"]]>", 9);
            continue;
        }
        if rest.starts_with(b"<!--") {
            i = skip_to(b"-->", 4);
            continue;
        }
        let next = rest.get(1).copied().unwrap_or(b' ');
        let starts_tag = next.is_ascii_alphabetic() || next == b'_' || next == b':' || next >= 0x80;
        if !(starts_tag || matches!(next, b'/' | b'!' | b'?')) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
            o.push_str(&s[copied..lt]);
            o.push_str("&lt;");
            copied = lt + 1;
        } else if starts_tag && let Some(gt) = unclosed_quote(b, lt) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
            o.push_str(&s[copied..gt]);
            o.push('"');
            copied = gt;
            damage.get_or_insert(gt);
        }
        i = lt + 1;
    }
    let text = match out {
        Some(mut o) => {
            o.push_str(&s[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(s),
    };
    (text, damage)
}

/// For a start tag at `lt` whose attribute quote is never closed before the next `<` (XML allows
/// no `<` in attribute values), the position of the `>` where the tag must have ended.
fn unclosed_quote(b: &[u8], lt: usize) -> Option<usize> {
    let next_lt = memchr::memchr(b'<', &b[lt + 1..]).map_or(b.len(), |p| lt + 1 + p);
    let tag = &b[lt..next_lt];
    // The common case: no quote at all, or quotes in pairs before the first '>'.
    let first_gt = memchr::memchr(b'>', tag)?;
    memchr::memchr2(b'"', b'\'', &tag[..first_gt])?;
    let mut quote = None;
    for &c in tag {
        match quote {
            None if c == b'>' => return None,
            None if c == b'"' || c == b'\'' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ => {}
        }
    }
    // Still inside a quote at the next '<': close it before the last '>' seen.
    quote?;
    memchr::memrchr(b'>', tag).map(|p| lt + p)
}

/// Character references: `#123`, `#x1F`; the Windows-1252 meaning of 128–159, as browsers.
fn char_ref(num: &str) -> Option<char> {
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse::<u32>().ok()?,
    };
    Some(match code {
        0 => '\u{FFFD}',
        0x80..=0x9F => {
            let byte = [code as u8];
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            s.chars().next().unwrap_or('\u{FFFD}')
        }
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    })
}

/// `<!ENTITY name "value">` declarations of a DOCTYPE's internal subset; parameter and external
/// entities are ignored. Values have their character references decoded.
fn entity_declarations(doctype: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = doctype;
    while let Some(at) = rest.find("<!ENTITY") {
        rest = &rest[at + 8..];
        let decl = rest.trim_start();
        if decl.starts_with('%') {
            continue;
        }
        let name_end = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
        let name = &decl[..name_end];
        let value = decl[name_end..].trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = value[1..].find(quote) else {
            break;
        };
        let raw = &value[1..1 + end];
        if out.len() < 512 && raw.len() <= 4096 && !name.is_empty() {
            out.push((name.to_string(), decode_refs(raw, &[], &mut 0).into_owned()));
        }
    }
    out
}

/// Decodes the references in attribute values and entity declarations (text content gets its
/// references as separate events). An unknown or unterminated reference stays as written.
fn decode_refs<'a>(s: &'a str, entities: &[(String, String)], budget: &mut usize) -> Cow<'a, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let name_len = rest[1..]
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || c == '#' || c == '_' || c == '-' || c == '.')
            })
            .unwrap_or(rest.len() - 1);
        if rest[1 + name_len..].starts_with(';') && name_len > 0 {
            let name = &rest[1..1 + name_len];
            if push_reference(name, entities, budget, &mut out) {
                rest = &rest[name_len + 2..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Appends what `&name;` stands for; false when it is unknown.
fn push_reference(
    name: &str,
    entities: &[(String, String)],
    budget: &mut usize,
    out: &mut String,
) -> bool {
    if let Some(num) = name.strip_prefix('#') {
        return match char_ref(num) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        };
    }
    let predefined = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    };
    if !predefined.is_empty() {
        out.push_str(predefined);
        return true;
    }
    if let Some((_, v)) = entities.iter().find(|(n, _)| n == name) {
        if v.len() <= *budget {
            *budget -= v.len();
            out.push_str(v);
            return true;
        }
        return false;
    }
    // Undeclared: the HTML entities real feeds use without declaring them.
    let written = format!("&{name};");
    let decoded = crate::core::html::decode_entities(&written);
    if decoded != written {
        out.push_str(&decoded);
        return true;
    }
    false
}

/// Unwraps CDATA sections in raw markup so an HTML parser sees their text.
fn unwrap_cdata(raw: &str) -> Cow<'_, str> {
    if !raw.contains("<![CDATA[") {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&rest[..at]);
        let inner = &rest[at + 9..];
        let end = inner.find("]]>").unwrap_or(inner.len());
        out.push_str(&inner[..end]);
        rest = inner.get(end + 3..).unwrap_or("");
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Markup with namespace prefixes on its tags (`<xhtml:p>`, `</xhtml:a>`) without them, so an
/// HTML parser knows the elements.
fn strip_prefixes(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let name_at = if b.get(lt + 1) == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':'))
            .count();
        let name = &raw[name_at..name_at + name_len];
        if let Some(colon) = name.find(':') {
            out.push_str(&raw[copied..name_at]);
            copied = name_at + colon + 1;
        }
        i = lt + 1;
    }
    out.push_str(&raw[copied..]);
    out
}

/// The escaped markup inside markup: `&lt;b&gt;` becomes `<b>` (and `&amp;` `&`), once.
fn unescape_markup(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Plain text that holds markup: a closing tag, a common tag that is never closed, or an entity.
/// (feedparser's rule for RSS, whose fields do not say which they are.)
pub fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'<', b'&', &b[i..]) {
        let at = i + off;
        let rest = &b[at + 1..];
        if b[at] == b'<' {
            if rest.first() == Some(&b'/') && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
                let name_len = rest[1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if rest.get(1 + name_len) == Some(&b'>') {
                    return true;
                }
            }
            for open in [&b"br"[..], b"p>", b"img ", b"hr", b"a href"] {
                if rest.len() >= open.len() && rest[..open.len()].eq_ignore_ascii_case(open) {
                    return true;
                }
            }
        } else {
            let name_len = rest
                .iter()
                .take(32)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
                .count();
            if name_len > 0 && rest.get(name_len) == Some(&b';') {
                return true;
            }
        }
        i = at + 1;
    }
    false
}

fn base64_text(s: &str) -> Option<String> {
    use base64::Engine;
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.trim_end_matches('='))
        })
        .ok()?;
    String::from_utf8(bytes).ok()
}

impl<'s> Reader<'s> {
    fn resolve_ns(&self, prefix: Option<&str>) -> Ns {
        let p = prefix.unwrap_or("");
        match self.scopes.iter().rev().find(|(q, _)| q == p) {
            Some((_, ns)) => *ns,
            None if p.is_empty() => Ns::Feed,
            None => ns_of_prefix(p),
        }
    }

    fn base(&self) -> usize {
        self.stack.last().map_or(0, |o| o.base)
    }

    fn push_ref(&mut self, name: &str) {
        let mut out = std::mem::take(&mut self.text);
        if !push_reference(name, &self.entities, &mut self.entity_budget, &mut out) {
            out.push('&');
            out.push_str(name);
            out.push(';');
        }
        self.text = out;
    }

    fn record(&mut self, offset: usize, message: String) {
        if self.damage.is_none() {
            self.damage = Some(Damage { offset, message });
        }
    }

    /// Opens an element (and closes it at once when it is empty or void).
    fn open(&mut self, e: &quick_xml::events::BytesStart<'_>, at: usize, end: usize, empty: bool) {
        if self.stack.len() >= MAX_DEPTH {
            if let Some(parent) = self.stack.last_mut() {
                parent.children = true;
            }
            return;
        }
        let name = e.name();
        let written: &str = name.as_ref();
        let local = name.local_name();
        let tag = tag_of(local.as_ref());
        let prefix = written.rsplit_once(':').map(|(p, _)| p);
        // Before this element's own declarations are in scope (closing an unfinished element
        // drops the scopes opened after it), but with them in mind.
        let own = declared_ns(e, prefix.unwrap_or(""));
        self.close_unfinished(own.unwrap_or_else(|| self.resolve_ns(prefix)), tag, at);
        let scope = self.scopes.len();
        let (attrs, base) = self.read_attrs(e, tag);
        let ns = self.resolve_ns(prefix);
        let qname = match self.src.get(at + 1..at + 1 + written.len()) {
            Some(s) if s == written => Cow::Borrowed(s),
            _ => Cow::Owned(written.to_string()),
        };
        if let Some(parent) = self.stack.last_mut() {
            parent.children = true;
        }
        let open = Open {
            ns,
            tag,
            qname,
            text_start: self.text.len(),
            inner_start: end,
            children: false,
            base,
            scope,
            attrs: (!attrs.is_empty()).then(|| Box::new(attrs)),
        };
        *self.open_names.entry(name_hash(&open.qname)).or_default() += 1;
        self.stack.push(open);
        self.on_open();
        if empty || is_void(local.as_ref()) {
            self.close_top(end);
        }
    }

    /// Reads an element's attributes: namespace declarations and `xml:base` go into scope, the
    /// few attributes the mapping reads are kept. Returns those and the base in effect.
    fn read_attrs(&mut self, e: &quick_xml::events::BytesStart<'_>, tag: Tag) -> (Attrs, usize) {
        let mut base = self.base();
        let wants = matches!(
            tag,
            Tag::Title
                | Tag::Link
                | Tag::Content
                | Tag::Summary
                | Tag::Description
                | Tag::Category
                | Tag::Guid
                | Tag::Item
                | Tag::Entry
        );
        let mut attrs = Attrs::default();
        for a in e.html_attributes().with_checks(false).flatten() {
            let key: &str = a.key.as_ref();
            let raw: &str = &a.value;
            if key == "xmlns" || key.starts_with("xmlns:") {
                let prefix = key.get(6..).unwrap_or("");
                let ns = ns_of_uri(raw);
                // An unknown default namespace on the root is still the feed's own.
                let ns = if prefix.is_empty() && ns == Ns::Other && self.stack.is_empty() {
                    Ns::Feed
                } else {
                    ns
                };
                self.scopes.push((prefix.to_string(), ns));
                continue;
            }
            if key.eq_ignore_ascii_case("xml:base") {
                let value = decode_refs(raw, &self.entities, &mut self.entity_budget);
                let resolved = match &self.bases[base] {
                    Some(b) => b.join(value.trim()).ok(),
                    None => url::Url::parse(value.trim()).ok(),
                };
                if resolved.is_some() {
                    self.bases.push(resolved);
                    base = self.bases.len() - 1;
                }
                continue;
            }
            let local_key = key.rsplit(':').next().unwrap_or(key);
            let is_rdf_about = key.eq_ignore_ascii_case("rdf:about") || key == "about";
            if !wants && !is_rdf_about && !key.eq_ignore_ascii_case("text") {
                continue;
            }
            let value = decode_refs(raw, &self.entities, &mut self.entity_budget).into_owned();
            let slot = match () {
                _ if is_rdf_about => &mut attrs.about,
                _ if local_key.eq_ignore_ascii_case("type") => &mut attrs.kind,
                _ if local_key.eq_ignore_ascii_case("mode") => &mut attrs.mode,
                _ if local_key.eq_ignore_ascii_case("href") => &mut attrs.href,
                _ if local_key.eq_ignore_ascii_case("rel") => &mut attrs.rel,
                _ if local_key.eq_ignore_ascii_case("label") => &mut attrs.label,
                _ if local_key.eq_ignore_ascii_case("term") => &mut attrs.term,
                _ if local_key.eq_ignore_ascii_case("text") => &mut attrs.text,
                _ if local_key.eq_ignore_ascii_case("ispermalink") => &mut attrs.is_permalink,
                _ if local_key.eq_ignore_ascii_case("lastmod") => &mut attrs.lastmod,
                _ => continue,
            };
            *slot = Some(value);
        }
        (attrs, base)
    }

    /// A feed element opening where the one before it was never closed: a text field
    /// (`<title>a</titel><link>`) or a whole entry (`<item>…<item>`) ends there, as `<p>` ends a
    /// `<p>` in HTML, and the damage is reported.
    fn close_unfinished(&mut self, ns: Ns, tag: Tag, at: usize) {
        if matches!(ns, Ns::Other | Ns::Xhtml | Ns::Rdf) || tag == Tag::Other {
            return;
        }
        if ns == Ns::Feed && matches!(tag, Tag::Item | Tag::Entry) {
            if let Some((d, _)) = self.entry {
                let name = sanitize(&self.stack[d].qname);
                self.record(at, format!("<{name}> is not closed before the next one"));
                while self.stack.len() > d {
                    self.close_top(at);
                }
            }
            return;
        }
        let is_field = |t: Tag| {
            matches!(
                t,
                Tag::Title
                    | Tag::Link
                    | Tag::Guid
                    | Tag::PubDate
                    | Tag::Published
                    | Tag::Updated
                    | Tag::Id
                    | Tag::Description
                    | Tag::Summary
            )
        };
        let Some(top) = self.stack.last() else {
            return;
        };
        let in_container = self.stack.len() >= 2 && {
            let p = &self.stack[self.stack.len() - 2];
            p.ns == Ns::Feed && matches!(p.tag, Tag::Item | Tag::Entry | Tag::Channel | Tag::Feed)
        };
        // Any feed field (`<link>`, `<dc:creator>`, `<pubDate>`) ends an open text field.
        if top.ns == Ns::Feed && is_field(top.tag) && in_container {
            let name = sanitize(&top.qname);
            self.record(at, format!("<{name}> is not closed"));
            self.close_top(at);
        }
    }

    /// Starts an entry or a person when one opens where it belongs.
    fn on_open(&mut self) {
        let depth = self.stack.len() - 1;
        let o = &self.stack[depth];
        match (o.ns, o.tag) {
            (Ns::Feed, Tag::Item | Tag::Entry) if self.entry.is_none() => {
                let mut entry = RawEntry::default();
                // CDF puts an item's page in its HREF attribute.
                if let Some(href) = o.attrs.as_ref().and_then(|a| a.href.clone()) {
                    entry.link = Some(Href {
                        href,
                        base: self.bases[o.base].clone(),
                    });
                }
                if let Some(date) = o.attrs.as_ref().and_then(|a| a.lastmod.clone()) {
                    entry.updated.push(date);
                }
                if let Some(about) = o.attrs.as_ref().and_then(|a| a.about.clone()) {
                    entry.weak_link = Some(Href {
                        href: about.clone(),
                        base: self.bases[o.base].clone(),
                    });
                    entry.id = Some(about);
                }
                self.entry = Some((depth, entry));
            }
            (Ns::Feed, Tag::Author) => self.person = (None, None),
            // Nested iTunes categories, outer first: taken as they open.
            (Ns::Itunes, Tag::Category) => {
                let text = o.attrs.as_ref().and_then(|a| a.text.clone());
                let owner = self.stack.iter().rposition(|s| s.ns != Ns::Itunes);
                if let (Some(t), Some((d, entry))) = (text, self.entry.as_mut())
                    && owner == Some(*d)
                {
                    push_unique(&mut entry.categories, &t);
                }
            }
            _ => {}
        }
    }

    /// Closes the innermost open element, whose content ends at `inner_end`.
    fn close_top(&mut self, inner_end: usize) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        if let Some(n) = self.open_names.get_mut(&name_hash(&open.qname)) {
            *n = n.saturating_sub(1);
        }
        self.scopes.truncate(open.scope);
        let text_end = self.text.len();
        self.on_close(&open, open.text_start, text_end, inner_end);
        self.text.truncate(open.text_start);
    }

    /// Closes elements down to the nearest open one named `qname`; false when none is.
    fn close_named(&mut self, qname: &str, at: usize) -> bool {
        // Without this check an end tag that matches nothing would scan the whole stack.
        if self
            .open_names
            .get(&name_hash(qname))
            .is_none_or(|n| *n == 0)
        {
            return false;
        }
        let Some(i) = self
            .stack
            .iter()
            .rposition(|o| o.qname.eq_ignore_ascii_case(qname))
        else {
            return false;
        };
        while self.stack.len() > i {
            self.close_top(at);
        }
        true
    }

    /// The value of a text construct: its markup when it has child elements, else its text.
    fn text_value(&self, open: &Open<'_>, text: &str, inner_end: usize) -> Text {
        let attrs = open.attrs.as_deref();
        let kind_attr = attrs
            .and_then(|a| a.kind.as_deref())
            .map(|k| k.trim().to_ascii_lowercase());
        let mode = attrs
            .and_then(|a| a.mode.as_deref())
            .map(|m| m.trim().to_ascii_lowercase());
        if open.children {
            let raw = self.src.get(open.inner_start..inner_end).unwrap_or("");
            let markup = strip_prefixes(&unwrap_cdata(raw));
            // `type="html"` promises escaped markup: elements inside are a mistake, and the
            // text around them is still escaped (`<div>a &lt;b&gt;c&lt;/b&gt;</div>`).
            if matches!(kind_attr.as_deref(), Some("html" | "text/html")) {
                return Text::new(unescape_markup(&markup), Kind::Html);
            }
            return Text::new(markup, Kind::Html);
        }
        let text = match mode.as_deref() {
            Some("base64") => base64_text(text).unwrap_or_else(|| text.to_string()),
            _ => text.to_string(),
        };
        // RSS fields do not say what they hold; Atom's says, else it is plain text unless it
        // plainly holds markup.
        let default = match (open.ns, open.tag) {
            (Ns::Feed, Tag::Description) if !self.atom => Kind::Html,
            (Ns::Content, _) | (Ns::Xhtml, _) | (Ns::Feed, Tag::FullItem | Tag::Body) => Kind::Html,
            _ if looks_like_html(&text) => Kind::Html,
            _ => Kind::Plain,
        };
        let kind = match kind_attr.as_deref() {
            None | Some("") => default,
            Some("text" | "text/plain" | "plain") => Kind::Plain,
            Some("html" | "text/html" | "xhtml" | "application/xhtml+xml") => Kind::Html,
            Some(t) if t.starts_with("text/") || t.ends_with("xml") => default,
            // Atom: any other type is base64 (RFC 4287 4.1.3.3); plain text when it is not.
            Some(_) if mode.is_none() => match base64_text(&text) {
                Some(decoded) => {
                    let kind = if looks_like_html(&decoded) {
                        Kind::Html
                    } else {
                        Kind::Plain
                    };
                    return Text::new(decoded, kind);
                }
                None => default,
            },
            Some(_) => default,
        };
        match kind {
            // CDATA markers left in the text (a CDATA section nested in another) are not shown.
            Kind::Html => Text::new(unwrap_cdata(&text), kind),
            Kind::Plain => Text::new(text, kind),
        }
    }

    fn on_close(&mut self, open: &Open<'_>, text_start: usize, text_end: usize, inner_end: usize) {
        let depth = self.stack.len();
        if self.entry.as_ref().is_some_and(|(d, _)| *d == depth) {
            let (_, mut entry) = self.entry.take().unwrap_or_default();
            if entry.content_base.is_none() {
                entry.content_base = self.bases[open.base].clone();
            }
            self.feed.entries.push(entry);
            return;
        }
        let Some(parent) = self.stack.last() else {
            return;
        };
        // The text buffer is lent out so the fields can borrow self.
        let buf = std::mem::take(&mut self.text);
        let text = &buf[text_start..text_end];
        if open.ns == Ns::Feed && parent.ns == Ns::Feed && parent.tag == Tag::Author {
            let value = Some(text.trim().to_string()).filter(|v| !v.is_empty());
            match open.tag {
                Tag::Name => self.person.0 = value,
                Tag::Email => self.person.1 = value,
                _ => {}
            }
        } else {
            // Media RSS fields may sit inside <media:group> or <media:content>, iTunes
            // categories inside their parent category.
            let owner = if matches!(open.ns, Ns::Media | Ns::Itunes) {
                self.stack.iter().rposition(|o| o.ns != open.ns)
            } else {
                Some(depth - 1)
            };
            match (&self.entry, owner) {
                (Some((d, _)), Some(o)) if *d == o => self.entry_field(open, text, inner_end),
                (None, Some(o))
                    if self.stack[o].ns == Ns::Feed
                        && matches!(self.stack[o].tag, Tag::Channel | Tag::Feed) =>
                {
                    self.feed_field(open, text, inner_end)
                }
                _ => {}
            }
        }
        self.text = buf;
    }

    /// An author: the name (else e-mail) of an Atom person, or an RSS author's text.
    fn person(&self, open: &Open<'_>, text: &str) -> Option<String> {
        if open.children {
            self.person.0.clone().or_else(|| self.person.1.clone())
        } else {
            Some(person_name(text))
        }
    }

    fn feed_field(&mut self, open: &Open<'_>, text: &str, inner_end: usize) {
        let attrs = open.attrs.as_deref();
        match (open.ns, open.tag) {
            (Ns::Feed, Tag::Title) => {
                self.feed.title = Some(self.text_value(open, text, inner_end));
            }
            (Ns::Dc, Tag::Title) if self.feed.title.is_none() => {
                self.feed.title = Some(self.text_value(open, text, inner_end));
            }
            (Ns::Feed, Tag::Link) if self.feed.link.is_none() => {
                let rel = attrs.and_then(|a| a.rel.as_deref()).unwrap_or("alternate");
                let href = attrs
                    .and_then(|a| a.href.clone())
                    .unwrap_or_else(|| text.trim().to_string());
                if rel.eq_ignore_ascii_case("alternate") && !href.is_empty() {
                    let base = self.bases[open.base].clone();
                    self.feed.link = Some(Href { href, base });
                }
            }
            (Ns::Feed, Tag::Author | Tag::ManagingEditor)
            | (Ns::Dc, Tag::Creator | Tag::Author)
            | (Ns::Itunes, Tag::Author) => {
                if let Some(p) = self.person(open, text) {
                    push_unique(&mut self.feed.authors, &p);
                }
            }
            _ => {}
        }
    }

    fn entry_field(&mut self, open: &Open<'_>, text: &str, inner_end: usize) {
        let key = (open.ns, open.tag);
        let value = match key {
            (Ns::Feed | Ns::Dc | Ns::Media, Tag::Title)
            | (
                Ns::Feed,
                Tag::Description | Tag::Summary | Tag::Content | Tag::FullItem | Tag::Body,
            )
            | (Ns::Dc | Ns::Itunes | Ns::Media, Tag::Description | Tag::Summary)
            | (Ns::Feed, Tag::Abstract)
            | (Ns::Content, Tag::Encoded)
            | (Ns::Xhtml, Tag::Body) => Some(self.text_value(open, text, inner_end)),
            _ => None,
        };
        let person = match key {
            (Ns::Feed | Ns::Itunes | Ns::Dc, Tag::Author) | (Ns::Dc, Tag::Creator) => {
                self.person(open, text)
            }
            _ => None,
        };
        let base = self.bases[open.base].clone();
        let Some((_, entry)) = self.entry.as_mut() else {
            return;
        };
        let attrs = open.attrs.as_deref();
        let text = text.trim();
        let value = value.filter(|v| !v.is_blank());
        match key {
            (Ns::Feed, Tag::Title) => entry.title = value,
            (Ns::Dc | Ns::Media, Tag::Title) if entry.title.is_none() => entry.title = value,
            (Ns::Feed, Tag::Link) => entry_link(entry, attrs, text, base),
            (Ns::Feed, Tag::Guid) if !text.is_empty() => entry_guid(entry, attrs, text, base),
            (Ns::Feed, Tag::Id) if !text.is_empty() => entry.id = Some(text.to_string()),
            (Ns::Feed, Tag::PubDate | Tag::Published | Tag::Issued)
            | (Ns::Dc, Tag::Date)
            | (Ns::Dcterms, Tag::Issued | Tag::Date) => entry.published.push(text.to_string()),
            // A creation date counts only when no publication date is given.
            (Ns::Feed | Ns::Dcterms, Tag::Created) => entry.published.insert(0, text.to_string()),
            (Ns::Feed, Tag::Updated | Tag::Modified) | (Ns::Dcterms, Tag::Modified) => {
                entry.updated.push(text.to_string())
            }
            (Ns::Feed | Ns::Itunes | Ns::Dc, Tag::Author) | (Ns::Dc, Tag::Creator) => {
                if let Some(p) = person {
                    push_unique(&mut entry.authors, &p);
                }
            }
            (
                Ns::Feed | Ns::Media | Ns::Itunes | Ns::Dc,
                Tag::Category | Tag::Subject | Tag::Keywords,
            ) => entry_category(entry, open.ns, open.tag, attrs, text),
            (Ns::Content, Tag::Encoded)
            | (Ns::Xhtml, Tag::Body)
            | (Ns::Feed, Tag::Content | Tag::FullItem | Tag::Body)
                if value.is_some() && entry.content.is_none() =>
            {
                entry.content = value;
                entry.content_base = base;
            }
            // RSS has no <summary>: beside a description, feedparser reads it as the content.
            (Ns::Feed, Tag::Summary)
                if !self.atom && entry.summary.is_some() && entry.content.is_none() =>
            {
                entry.content = value;
            }
            (Ns::Feed, Tag::Description)
                if !self.atom && entry.summary.is_some() && entry.content.is_none() =>
            {
                entry.content = std::mem::replace(&mut entry.summary, value);
            }
            (Ns::Feed, Tag::Description | Tag::Summary) if value.is_some() => {
                entry.summary = value;
            }
            (Ns::Dc | Ns::Itunes | Ns::Media, Tag::Description | Tag::Summary)
            | (Ns::Feed, Tag::Abstract)
                if entry.summary.is_none() =>
            {
                entry.summary = value;
            }
            _ => {}
        }
    }
}

/// An RSS `guid`: the id, and the link too when it is a permalink (no `isPermaLink`, or `true`)
/// that is a web address.
fn entry_guid(entry: &mut RawEntry, attrs: Option<&Attrs>, text: &str, base: Option<url::Url>) {
    entry.id = Some(text.to_string());
    let permalink = attrs
        .and_then(|a| a.is_permalink.as_deref())
        .is_none_or(|p| p.trim().eq_ignore_ascii_case("true"));
    if permalink && (text.starts_with("http://") || text.starts_with("https://")) {
        let href = text.to_string();
        entry.weak_link = Some(Href { href, base });
    }
}

/// Categories: RSS and Media RSS text, Atom `label` else `term`, `dc:subject`, and keyword lists (comma-separated, as feedparser reads them).
fn entry_category(entry: &mut RawEntry, ns: Ns, tag: Tag, attrs: Option<&Attrs>, text: &str) {
    let attr = |f: fn(&Attrs) -> Option<&str>| attrs.and_then(f).map(str::trim);
    match (ns, tag) {
        (Ns::Feed | Ns::Media, Tag::Category) => {
            let name = attr(|a| a.label.as_deref())
                .filter(|l| !l.is_empty())
                .or_else(|| attr(|a| a.term.as_deref()))
                .filter(|l| !l.is_empty())
                .unwrap_or(text);
            push_unique(&mut entry.categories, name);
        }
        (Ns::Dc, Tag::Subject) => push_unique(&mut entry.categories, text),
        (Ns::Itunes | Ns::Media, Tag::Keywords) => {
            for k in text.split(',') {
                push_unique(&mut entry.categories, k);
            }
        }
        _ => {}
    }
}

/// An entry's `<link>`: RSS text, or an Atom link (`alternate` or no `rel`; one of an HTML type,
/// or none, is the page, another type only a fallback).
fn entry_link(entry: &mut RawEntry, attrs: Option<&Attrs>, text: &str, base: Option<url::Url>) {
    let rel = attrs.and_then(|a| a.rel.as_deref()).unwrap_or("").trim();
    let kind = attrs.and_then(|a| a.kind.as_deref()).unwrap_or("");
    let href = attrs
        .and_then(|a| a.href.clone())
        .unwrap_or_else(|| text.to_string());
    if href.trim().is_empty() || !(rel.is_empty() || rel.eq_ignore_ascii_case("alternate")) {
        return;
    }
    let h = Some(Href { href, base });
    if kind.is_empty() || kind.to_ascii_lowercase().contains("html") {
        if entry.link.is_none() {
            entry.link = h;
        }
    } else if entry.weak_link.is_none() {
        entry.weak_link = h;
    }
}

/// The name in an RSS author field: `jo@example.com (Jo Lee)` and `Jo Lee <jo@example.com>`
/// give `Jo Lee`; anything else is kept.
fn person_name(s: &str) -> String {
    let s = s.trim();
    if let Some(open) = s.find('(')
        && s.ends_with(')')
    {
        let name = s[open + 1..s.len() - 1].trim();
        if !name.is_empty() && s[..open].contains('@') {
            return name.to_string();
        }
    }
    if let Some(open) = s.find('<')
        && s.ends_with('>')
        && s[open..].contains('@')
    {
        let name = s[..open].trim().trim_matches('"');
        if !name.is_empty() {
            return name.to_string();
        }
    }
    s.to_string()
}

/// Reads an XML feed. `Err` when the document is no feed (its root is something else) or is
/// so broken that nothing could be read.
/// The namespace an element declares for its own prefix, if it does.
fn declared_ns(e: &quick_xml::events::BytesStart<'_>, prefix: &str) -> Option<Ns> {
    e.html_attributes()
        .with_checks(false)
        .flatten()
        .find(|a| {
            let key: &str = a.key.as_ref();
            key.strip_prefix("xmlns")
                .is_some_and(|rest| rest.strip_prefix(':').unwrap_or(rest) == prefix)
        })
        .map(|a| ns_of_uri(&a.value))
}

/// A quick-xml reader that lets through everything real feeds break.
fn tokenizer(src: &str) -> quick_xml::Reader<&[u8]> {
    let mut r = quick_xml::Reader::from_str(src);
    let c = r.config_mut();
    c.allow_dangling_amp = true;
    c.allow_unmatched_ends = true;
    c.check_end_names = false;
    c.check_comments = false;
    c.expand_empty_elements = false;
    c.trim_text(false);
    r
}

impl<'s> Reader<'s> {
    fn new(src: &'s str, doc_base: Option<url::Url>, damage: Option<Damage>) -> Reader<'s> {
        Reader {
            src,
            seen_root: false,
            atom: false,
            stack: Vec::with_capacity(16),
            open_names: foldhash::HashMap::default(),
            text: String::with_capacity(4096),
            scopes: Vec::new(),
            bases: vec![doc_base],
            entities: Vec::new(),
            entity_budget: ENTITY_BUDGET,
            feed: RawFeed::default(),
            entry: None,
            person: (None, None),
            damage,
        }
    }

    /// Handles one event; `Err` when the root shows the document is no feed.
    fn event(&mut self, event: Event<'_>, before: usize, end: usize) -> Result<(), String> {
        let open = !self.stack.is_empty();
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if !self.seen_root {
                    self.root(e)?;
                }
                self.open(e, before, end, empty);
            }
            Event::End(e) => {
                let name = e.name();
                if !self.close_named(name.as_ref(), before) && open {
                    let shown: &str = name.as_ref();
                    self.record(before, format!("end tag </{shown}> closes no open element"));
                }
            }
            Event::Text(t) if open => self.text.push_str(&t),
            Event::CData(t) if open => self.text.push_str(&t),
            Event::GeneralRef(g) if open => self.push_ref(&g),
            Event::DocType(d) => self.entities = entity_declarations(&d),
            _ => {}
        }
        Ok(())
    }

    /// The root element: a feed's, or the document is refused.
    fn root(&mut self, e: &quick_xml::events::BytesStart<'_>) -> Result<(), String> {
        self.seen_root = true;
        let tag = tag_of(e.local_name().as_ref());
        if !matches!(tag, Tag::Rss | Tag::Rdf | Tag::Feed | Tag::Channel) {
            let qname = e.name();
            let name: &str = qname.as_ref();
            return Err(format!(
                "not a feed (the root element is <{}>, not rss, feed or RDF)",
                sanitize(name)
            ));
        }
        self.atom = tag == Tag::Feed;
        Ok(())
    }
}

/// Reads an XML feed. `Err` when the document is no feed (its root is something else) or is
/// so broken that nothing could be read.
pub fn read(src: &str, doc_base: Option<url::Url>) -> Result<XmlFeed, String> {
    let (repaired, quote_damage) = repair(src);
    let src: &str = &repaired;
    let damage = quote_damage.map(|offset| Damage {
        offset,
        message: "an attribute's quote or a CDATA section is never closed".to_string(),
    });
    let mut x = Reader::new(src, doc_base, damage);
    let mut r = tokenizer(src);
    let mut last_error_at = usize::MAX;
    let mut errors = 0;
    loop {
        let before = r.buffer_position() as usize;
        match r.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => x.event(event, before, r.buffer_position() as usize)?,
            // Go on after a syntax error, unless the reader is stuck or at the end.
            Err(e) => {
                x.record((r.error_position() as usize).min(src.len()), e.to_string());
                let now = r.buffer_position() as usize;
                errors += 1;
                if now == last_error_at || now >= src.len() || errors > 100 {
                    break;
                }
                last_error_at = now;
            }
        }
    }
    if !x.seen_root {
        return Err("not a feed (no root element)".to_string());
    }
    if let Some(open) = x.stack.last() {
        let name = sanitize(&open.qname);
        x.record(
            src.len(),
            format!("the document ends before </{name}> (a truncated download?)"),
        );
    }
    Ok(XmlFeed {
        feed: x.feed,
        damage: x.damage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_less_than_is_escaped_outside_markup() {
        let fixed = |s| repair(s).0.into_owned();
        assert_eq!(fixed("<t>1 < 2</t>"), "<t>1 &lt; 2</t>");
        assert_eq!(fixed("<t><<>></t>"), "<t>&lt;&lt;>></t>");
        assert_eq!(
            fixed("<![CDATA[a < b]]><!-- < -->"),
            "<![CDATA[a < b]]><!-- < -->"
        );
        assert!(matches!(repair("<rss><a/></rss>").0, Cow::Borrowed(_)));
        assert_eq!(repair("<t>1 < 2</t>").1, None, "nothing lost: no damage");
    }

    #[test]
    fn an_unclosed_attribute_quote_ends_at_the_tag() {
        let (text, damage) = repair("<a x=\"1>t</a><b y=\"2\">u</b><c z='a > b'>v</c>");
        assert_eq!(text, "<a x=\"1\">t</a><b y=\"2\">u</b><c z='a > b'>v</c>");
        assert_eq!(damage, Some(7));
    }

    #[test]
    fn prefixed_xhtml_tags_lose_their_prefix() {
        assert_eq!(
            strip_prefixes("<x:p>a <x:a href=\"u\">b</x:a></x:p><br/>"),
            "<p>a <a href=\"u\">b</a></p><br/>"
        );
    }

    #[test]
    fn html_is_recognised_as_feedparser_does() {
        assert!(looks_like_html("a <b>bold</b> move"));
        assert!(looks_like_html("Tom &amp; Jerry"));
        assert!(looks_like_html("line<br>break"));
        assert!(!looks_like_html("History of the <blink> tag"));
        assert!(!looks_like_html("Q&A"));
        assert!(!looks_like_html("1 < 2 > 0"));
    }

    #[test]
    fn authors_are_names() {
        assert_eq!(person_name("jo@example.com (Jo Lee)"), "Jo Lee");
        assert_eq!(person_name("Jo Lee <jo@example.com>"), "Jo Lee");
        assert_eq!(person_name("Jo Lee"), "Jo Lee");
        assert_eq!(person_name("jo@example.com"), "jo@example.com");
    }

    #[test]
    fn declared_entities_expand_within_a_budget() {
        let d = entity_declarations(
            r#"rss [<!ENTITY nbsp "&#160;"> <!ENTITY % p "x"> <!ENTITY me 'Me &amp; you'>]"#,
        );
        assert_eq!(
            d,
            [
                ("nbsp".to_string(), "\u{a0}".to_string()),
                ("me".to_string(), "Me & you".to_string())
            ]
        );
        let mut budget = 10;
        let mut out = String::new();
        assert!(push_reference("me", &d, &mut budget, &mut out));
        assert!(
            !push_reference("me", &d, &mut budget, &mut out),
            "budget spent"
        );
    }
}
