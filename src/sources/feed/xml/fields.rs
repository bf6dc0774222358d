//! The mapping from elements to fields: which element, in which place, gives an entry's or the
//! feed's title, link, id, dates, authors, categories and body, and how a text construct's
//! `type` and `mode` say whether it is plain text or markup.

use super::{Attrs, Ns, Open, Reader, Tag};
use crate::sources::feed::raw::{Href, Kind, RawEntry, Text, push_unique};
use crate::sources::feed::repair::{
    base64_text, looks_like_html, strip_prefixes, unescape_markup, unwrap_cdata,
};
use std::borrow::Cow;

impl Reader<'_> {
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
        // Borrowed until the end: a body is copied once, into the field.
        let text: Cow<'_, str> = match mode.as_deref() {
            Some("base64") => base64_text(text).map_or(Cow::Borrowed(text), Cow::Owned),
            _ => Cow::Borrowed(text),
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
            Kind::Html => {
                let unwrapped = match unwrap_cdata(&text) {
                    Cow::Owned(o) => Some(o),
                    Cow::Borrowed(_) => None,
                };
                Text::new(unwrapped.unwrap_or_else(|| text.into_owned()), kind)
            }
            Kind::Plain => Text::new(text.into_owned(), kind),
        }
    }

    /// An author: the name (else e-mail) of an Atom person, or an RSS author's text.
    fn person(&self, open: &Open<'_>, text: &str) -> Option<String> {
        if open.children {
            self.person.0.clone().or_else(|| self.person.1.clone())
        } else {
            Some(person_name(text))
        }
    }

    pub(super) fn feed_field(&mut self, open: &Open<'_>, text: &str, inner_end: usize) {
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
            (Ns::Feed, Tag::Ttl) => self.feed.ttl_minutes = text.trim().parse().ok(),
            (Ns::Sy, Tag::UpdatePeriod) => self.feed.update_period = Some(text.trim().to_string()),
            (Ns::Sy, Tag::UpdateFrequency) => {
                self.feed.update_frequency = text.trim().parse().ok();
            }
            _ => {}
        }
    }

    pub(super) fn entry_field(&mut self, open: &Open<'_>, text: &str, inner_end: usize) {
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
pub(super) fn person_name(s: &str) -> String {
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
