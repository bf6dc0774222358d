//! The API's JSON (`stream/contents`, `stream/items/ids`, `subscription/list`, `tag/list`) and
//! its items as [`Article`]s: ids made stable from the server and the item's id, the
//! body kept as HTML until opened (as a feed's), the labels and the feed's own categories as
//! category paths.

use super::{GReaderSpec, ITEM_META};
use crate::core::html::estimate_words;
use crate::core::model::{Article, CategoryPath, PendingHtml};
use crate::core::sanitize::sanitize_line;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// `stream/contents`.
#[derive(Debug, Deserialize)]
pub struct Stream {
    #[serde(default)]
    pub items: Vec<Item>,
    /// More remain (absent, empty or null: none).
    #[serde(default)]
    pub continuation: Option<serde_json::Value>,
}

/// `stream/items/ids`.
#[derive(Debug, Deserialize)]
pub struct ItemIds {
    #[serde(default, rename = "itemRefs")]
    pub item_refs: Option<Vec<ItemRef>>,
    #[serde(default)]
    pub continuation: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct ItemRef {
    pub id: serde_json::Value,
}

/// A continuation as text, if there is one.
pub fn continuation(v: &Option<serde_json::Value>) -> Option<String> {
    match v {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

#[derive(Debug, Deserialize)]
pub struct Item {
    pub id: serde_json::Value,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub published: Option<serde_json::Value>,
    #[serde(default, rename = "crawlTimeMsec")]
    pub crawl_time_msec: Option<serde_json::Value>,
    #[serde(default)]
    pub canonical: Vec<Link>,
    #[serde(default)]
    pub alternate: Vec<Link>,
    #[serde(default)]
    pub summary: Option<Content>,
    #[serde(default)]
    pub content: Option<Content>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub origin: Option<Origin>,
}

#[derive(Debug, Deserialize)]
pub struct Link {
    #[serde(default)]
    pub href: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Content {
    #[serde(default)]
    pub content: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Origin {
    #[serde(default, rename = "streamId")]
    pub stream_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

/// `subscription/list`.
#[derive(Debug, Deserialize)]
pub struct Subscriptions {
    #[serde(default)]
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Deserialize)]
pub struct Subscription {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub categories: Vec<Label>,
}

/// `tag/list`, and a subscription's categories.
#[derive(Debug, Deserialize)]
pub struct Tags {
    #[serde(default)]
    pub tags: Vec<Label>,
}

#[derive(Debug, Deserialize)]
pub struct Label {
    pub id: String,
    #[serde(default)]
    pub label: Option<String>,
}

/// The prefix of an item id's long form.
const LONG: &str = "tag:google.com,2005:reader/item/";

/// An item id as tidings keeps it: decimal when it fits 64 bits (the long form's hex
/// `tag:google.com,2005:reader/item/0006616d42424fe5` read as a number, short hex too, a
/// negative decimal as its unsigned twin, a decimal as it is), else the lowercase hex of a
/// wider id (TheOldReader's 24-digit ObjectIds, long form or bare); `None` for anything else.
pub fn item_id(id: &serde_json::Value) -> Option<String> {
    let text = match id {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let wide = |hex: &str| {
        (hex.len() > 16 && hex.len() <= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| hex.to_ascii_lowercase())
    };
    // Up to 16 hex digits in the long form, up to 20 decimal digits bare: a 64-bit id; more,
    // a wider one (the same id in both forms either way).
    if let Some(hex) = text.strip_prefix(LONG) {
        return match hex.len() <= 16 {
            true => u64::from_str_radix(hex, 16).ok().map(|n| n.to_string()),
            false => wide(hex),
        };
    }
    if text.len() <= 20 {
        if let Ok(n) = text.parse::<u64>() {
            return Some(n.to_string());
        }
        if let Ok(n) = text.parse::<i64>() {
            return Some((n as u64).to_string());
        }
    }
    wide(&text)
}

/// The long form of a kept item id (`tag:google.com,2005:reader/item/` and its hex: 16 digits
/// for a decimal one), the form every server reads.
pub fn long_id(id: &str) -> String {
    match id.parse::<u64>() {
        Ok(n) => format!("{LONG}{n:016x}"),
        Err(_) => format!("{LONG}{id}"),
    }
}

/// A kept item id as sent in `edit-tag`: a decimal one as it is (every server reads it), a
/// wider one in its long form.
pub fn wire_id(id: &str) -> String {
    match id.bytes().all(|b| b.is_ascii_digit()) {
        true => id.to_string(),
        false => long_id(id),
    }
}

/// FreshRSS sends `& < >` in titles (and `/ , ; ? \` in feed and label names) as their fullwidth
/// forms: back to ASCII.
pub fn unfullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '＆' => '&',
            '＜' => '<',
            '＞' => '>',
            '／' => '/',
            '，' => ',',
            '；' => ';',
            '？' => '?',
            '＼' => '\\',
            '＂' => '"',
            '＇' => '\'',
            c => c,
        })
        .collect()
}

/// The name of a label stream id (`user/-/label/World News`, `user/1234/label/X`), if it is one.
pub fn label_name(id: &str) -> Option<&str> {
    let rest = id.strip_prefix("user/")?;
    let (_, name) = rest.split_once("/label/")?;
    (!name.is_empty()).then_some(name)
}

/// A label's category path (a `/` in its name nests).
fn label_path(name: &str) -> Option<CategoryPath> {
    CategoryPath::parse(&unfullwidth(name))
}

/// What the items need from the rest of a sync: each subscription's labels and title.
#[derive(Debug, Default)]
pub struct Context {
    pub feeds: HashMap<String, (Option<String>, Vec<CategoryPath>)>,
}

impl Context {
    pub fn new(subs: &Subscriptions) -> Context {
        let feeds = subs
            .subscriptions
            .iter()
            .map(|s| {
                let cats = s
                    .categories
                    .iter()
                    .filter_map(|c| {
                        let name = c.label.as_deref().or_else(|| label_name(&c.id))?;
                        label_path(name)
                    })
                    .collect();
                (s.id.clone(), (s.title.clone(), cats))
            })
            .collect();
        Context { feeds }
    }
}

/// Seconds (or a string of them) as a time.
fn seconds(v: &Option<serde_json::Value>) -> Option<DateTime<Utc>> {
    let n = match v.as_ref()? {
        serde_json::Value::Number(n) => n.as_i64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    DateTime::from_timestamp(n, 0).filter(|_| n > 0)
}

/// An item as an article (`None` without a usable id).
pub fn to_article(spec: &GReaderSpec, ctx: &Context, item: Item) -> Option<(String, Article)> {
    let item_id = item_id(&item.id)?;
    let mut a = Article::new(spec.article_id(&item_id));
    a.title = sanitize_line(&unfullwidth(item.title.as_deref().unwrap_or(""))).into();
    let feed = item.origin.as_ref().and_then(|o| o.stream_id.as_deref());
    let (feed_title, feed_cats) = feed
        .and_then(|f| ctx.feeds.get(f))
        .map(|(t, c)| (t.clone(), c.clone()))
        .unwrap_or_default();
    let source = item
        .origin
        .as_ref()
        .and_then(|o| o.title.clone())
        .or(feed_title)
        .map(|t| sanitize_line(&unfullwidth(&t)))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            url::Url::parse(&spec.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| spec.label())
        });
    a.source = source.into();
    a.author = item
        .author
        .as_deref()
        .map(|s| sanitize_line(&unfullwidth(s)))
        .filter(|s| !s.is_empty())
        .map(Into::into);
    let published = seconds(&item.published);
    let crawled = match &item.crawl_time_msec {
        Some(serde_json::Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        _ => None,
    }
    .and_then(|ms| DateTime::from_timestamp_millis(ms).filter(|_| ms > 0));
    a.dated = published.is_some();
    a.date = published.or(crawled).unwrap_or_else(Utc::now);
    a.link = item
        .canonical
        .iter()
        .chain(item.alternate.iter())
        .filter_map(|l| l.href.as_deref().map(str::trim))
        .find(|h| url::Url::parse(h).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        .map(|l| sanitize_line(l).into());
    // Labels (the item's and its feed's), then the feed's own categories; states are not.
    let mut cats: Vec<CategoryPath> = Vec::new();
    let mut add = |p: Option<CategoryPath>| {
        if let Some(p) = p
            && !cats.iter().any(|c| c.key() == p.key())
        {
            cats.push(p);
        }
    };
    for c in &item.categories {
        if let Some(name) = label_name(c) {
            add(label_path(name));
        }
    }
    for c in feed_cats {
        add(Some(c));
    }
    for c in &item.categories {
        if !c.starts_with("user/") && !c.starts_with("tag:google.com") {
            add(CategoryPath::parse(&unfullwidth(c)));
        }
    }
    a.categories = cats;
    let html = item
        .content
        .and_then(|c| c.content)
        .filter(|h| !h.trim().is_empty())
        .or_else(|| item.summary.and_then(|s| s.content));
    if let Some(html) = html.filter(|h| !h.trim().is_empty()) {
        a.words = estimate_words(&html);
        a.body = crate::core::model::Body::Html(Box::new(PendingHtml {
            html,
            base: a.link.as_deref().map(str::to_string),
        }));
    }
    a.meta = Box::new([(ITEM_META.to_string(), item_id.clone())]);
    a.origin = spec.label().into();
    Some((item_id, a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::greader::Password;

    fn spec() -> GReaderSpec {
        GReaderSpec {
            url: "https://rss.example/api/greader.php".into(),
            user: "u".into(),
            password: Password::Env("X".into()),
            allow_http: false,
            app: None,
        }
    }

    #[test]
    fn ids_in_long_and_decimal_form_are_one() {
        let long = serde_json::json!("tag:google.com,2005:reader/item/0006616d42424fe5");
        assert_eq!(item_id(&long).as_deref(), Some("1795971751235557"));
        assert_eq!(
            item_id(&serde_json::json!("1795971751235557")).as_deref(),
            Some("1795971751235557")
        );
        assert_eq!(item_id(&serde_json::json!(12)).as_deref(), Some("12"));
        assert_eq!(
            item_id(&serde_json::json!("-1")).as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(item_id(&serde_json::json!("nope")), None);
        assert_eq!(
            item_id(&serde_json::json!("tag:google.com,2005:reader/item/xyz")),
            None
        );
        // Miniflux's short hex form (NetNewsWire's), and back to the long form.
        let short = serde_json::json!("tag:google.com,2005:reader/item/2f2");
        assert_eq!(item_id(&short).as_deref(), Some("754"));
        assert_eq!(
            long_id("754"),
            "tag:google.com,2005:reader/item/00000000000002f2"
        );
        assert_eq!(
            item_id(&serde_json::json!(long_id("1795971751235557"))).as_deref(),
            Some("1795971751235557")
        );
        assert_eq!(wire_id("754"), "754");
        // TheOldReader's ObjectIds (96 bits), long or bare: kept as hex, sent long.
        let oid = "00157a17b192950b65be3791";
        let long_oid = format!("tag:google.com,2005:reader/item/{}", oid.to_uppercase());
        assert_eq!(item_id(&serde_json::json!(long_oid)).as_deref(), Some(oid));
        assert_eq!(item_id(&serde_json::json!(oid)).as_deref(), Some(oid));
        for digits in ["001570171920950065093791", "000000000000000000001000"] {
            assert_eq!(item_id(&serde_json::json!(digits)).as_deref(), Some(digits));
            let long = format!("tag:google.com,2005:reader/item/{digits}");
            assert_eq!(item_id(&serde_json::json!(long)).as_deref(), Some(digits));
        }
        assert_eq!(
            long_id(oid),
            format!("tag:google.com,2005:reader/item/{oid}")
        );
        assert_eq!(wire_id(oid), long_id(oid));
        assert_eq!(
            item_id(&serde_json::json!(long_id(oid))).as_deref(),
            Some(oid)
        );
        assert_eq!(item_id(&serde_json::json!("a".repeat(40))), None);
    }

    #[test]
    fn an_item_becomes_an_article() {
        let item: Item = serde_json::from_value(serde_json::json!({
            "id": "tag:google.com,2005:reader/item/000000000000000a",
            "title": "Cats ＆ Dogs ＜3",
            "published": 1700000000,
            "canonical": [{"href": ""}],
            "alternate": [{"href": "https://news.example/a"}],
            "summary": {"content": "<p>Hello <b>world</b></p>"},
            "author": "Ann",
            "categories": ["user/-/state/com.google/reading-list", "user/-/label/Tech／AI",
                           "user/-/state/com.google/read", "Science"],
            "origin": {"streamId": "feed/3", "title": "Daily ＆ Co"}
        }))
        .unwrap();
        let subs: Subscriptions = serde_json::from_value(serde_json::json!({
            "subscriptions": [{"id": "feed/3", "title": "Daily", "categories": [
                {"id": "user/-/label/World News", "label": "World News"}]}]
        }))
        .unwrap();
        let (id, a) = to_article(&spec(), &Context::new(&subs), item).unwrap();
        assert_eq!(id, "10");
        assert_eq!(a.id, spec().article_id("10"));
        assert_eq!(&*a.title, "Cats & Dogs <3");
        assert_eq!(&*a.source, "Daily & Co");
        assert_eq!(a.link.as_deref(), Some("https://news.example/a"));
        let cats: Vec<String> = a.categories.iter().map(|c| c.to_string()).collect();
        assert_eq!(cats, ["Tech / AI", "World News", "Science"]);
        assert!(a.dated);
        assert_eq!(
            a.pending().as_ref().unwrap().html,
            "<p>Hello <b>world</b></p>"
        );
        assert_eq!(&*a.meta, [(ITEM_META.to_string(), "10".to_string())]);
    }
}
