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

mod fields;

use super::raw::{Href, RawEntry, RawFeed, push_unique};
use super::repair::{decode_refs, entity_declarations, push_reference, repair};
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
    /// The RSS 1.0 syndication module (`sy:updatePeriod`, `sy:updateFrequency`).
    Sy,
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
        "purl.org/rss/1.0/modules/syndication" => Ns::Sy,
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
        "sy" => Ns::Sy,
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
    Ttl,
    UpdatePeriod,
    UpdateFrequency,
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
        b"ttl" => Tag::Ttl,
        b"updateperiod" => Tag::UpdatePeriod,
        b"updatefrequency" => Tag::UpdateFrequency,
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
}

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
    use super::fields::person_name;

    #[test]
    fn authors_are_names() {
        assert_eq!(person_name("jo@example.com (Jo Lee)"), "Jo Lee");
        assert_eq!(person_name("Jo Lee <jo@example.com>"), "Jo Lee");
        assert_eq!(person_name("Jo Lee"), "Jo Lee");
        assert_eq!(person_name("jo@example.com"), "jo@example.com");
    }
}
