//! JSON Feed 1.0 and 1.1 (jsonfeed.org), read liberally: an id may be a number, `author` (1.0)
//! and `authors` (1.1) are both read, `tags` may be one string, unknown fields are ignored.

use super::raw::{Href, Kind, RawEntry, RawFeed, Text, push_unique};
use serde_json::Value;

fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn authors(obj: &Value, out: &mut Vec<String>) {
    let one = obj.get("author").into_iter();
    let many = obj
        .get("authors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for a in one.chain(many) {
        let name = match a {
            Value::String(s) => Some(s.clone()),
            _ => string(a.get("name")).or_else(|| string(a.get("url"))),
        };
        if let Some(n) = name {
            push_unique(out, &n);
        }
    }
}

fn entry(item: &Value) -> Option<RawEntry> {
    if !item.is_object() {
        return None;
    }
    let mut e = RawEntry {
        id: string(item.get("id")),
        title: string(item.get("title")).map(|t| Text::new(t, Kind::Plain)),
        link: string(item.get("url")).map(|href| Href { href, base: None }),
        weak_link: string(item.get("external_url")).map(|href| Href { href, base: None }),
        ..RawEntry::default()
    };
    e.published.extend(string(item.get("date_published")));
    e.updated.extend(string(item.get("date_modified")));
    authors(item, &mut e.authors);
    match item.get("tags") {
        Some(Value::Array(tags)) => {
            for t in tags {
                if let Some(t) = string(Some(t)) {
                    push_unique(&mut e.categories, &t);
                }
            }
        }
        Some(Value::String(t)) => push_unique(&mut e.categories, t),
        _ => {}
    }
    e.content = string(item.get("content_html"))
        .map(|h| Text::new(h, Kind::Html))
        .or_else(|| string(item.get("content_text")).map(|t| Text::new(t, Kind::Plain)));
    e.summary = string(item.get("summary")).map(|s| Text::new(s, Kind::Plain));
    Some(e)
}

/// Reads a JSON Feed; `Err` says why the JSON is not one (with a line and column when it is not
/// JSON at all).
pub fn read(bytes: &[u8]) -> Result<RawFeed, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "malformed feed at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    // The version says it is a JSON Feed; without one, items and a title say it as well.
    let version = doc.get("version").and_then(Value::as_str).unwrap_or("");
    let shaped = doc.get("items").is_some_and(Value::is_array) && doc.get("title").is_some();
    if !version.contains("jsonfeed.org/version") && !shaped {
        return Err("not a feed (JSON without a JSON Feed \"version\")".to_string());
    }
    let mut feed = RawFeed {
        title: string(doc.get("title")).map(|t| Text::new(t, Kind::Plain)),
        link: string(doc.get("home_page_url")).map(|href| Href { href, base: None }),
        ..RawFeed::default()
    };
    authors(&doc, &mut feed.authors);
    if let Some(items) = doc.get("items").and_then(Value::as_array) {
        feed.entries = items.iter().filter_map(entry).collect();
    }
    Ok(feed)
}
