//! What a feed said, before it becomes articles: the fields of each entry as the document gave
//! them (dates still strings, bodies still HTML). Both the XML reader and the JSON Feed reader
//! produce this; `super::map` turns it into articles.

/// Whether a text is plain text or markup to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Html,
}

/// A text field and how to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub kind: Kind,
}

impl Text {
    pub fn new(value: impl Into<String>, kind: Kind) -> Text {
        Text {
            value: value.into(),
            kind,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.value.trim().is_empty()
    }
}

/// A link as written and the base it is relative to (`None`: the feed's own link, later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Href {
    pub href: String,
    pub base: Option<url::Url>,
}

#[derive(Debug, Default, Clone)]
pub struct RawEntry {
    /// guid, Atom id, JSON Feed id, or RDF `about`.
    pub id: Option<String>,
    pub title: Option<Text>,
    /// The entry's web page: an alternate link of an HTML (or no) type, or RSS `<link>`.
    pub link: Option<Href>,
    /// Used when there is no `link`: another alternate link, a permalink guid, RDF `about`.
    pub weak_link: Option<Href>,
    /// Date strings in order of preference: publication first.
    pub published: Vec<String>,
    pub updated: Vec<String>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    pub content: Option<Text>,
    pub summary: Option<Text>,
    /// The base that relative links inside the body resolve against.
    pub content_base: Option<url::Url>,
}

#[derive(Debug, Default, Clone)]
pub struct RawFeed {
    pub title: Option<Text>,
    pub link: Option<Href>,
    pub authors: Vec<String>,
    pub entries: Vec<RawEntry>,
    /// RSS `<ttl>`: minutes the feed may be cached.
    pub ttl_minutes: Option<u64>,
    /// `sy:updatePeriod` (hourly, daily, weekly, monthly, yearly) and `sy:updateFrequency`
    /// (times per period).
    pub update_period: Option<String>,
    pub update_frequency: Option<u64>,
}

impl RawFeed {
    /// How long the feed says it stays the same: its `<ttl>`, else its syndication period
    /// divided by its frequency (at most a week; nonsense is ignored).
    pub fn refresh_hint(&self) -> Option<std::time::Duration> {
        const WEEK: u64 = 7 * 24 * 3600;
        let secs = match (self.ttl_minutes, &self.update_period) {
            (Some(m), _) => m.checked_mul(60)?,
            (None, Some(period)) => {
                let per = match period.to_ascii_lowercase().as_str() {
                    "hourly" => 3600,
                    "daily" => 86_400,
                    "weekly" => WEEK,
                    "monthly" => 30 * 86_400,
                    "yearly" => 365 * 86_400,
                    _ => return None,
                };
                per / self.update_frequency.unwrap_or(1).max(1)
            }
            (None, None) => return None,
        };
        (secs > 0).then(|| std::time::Duration::from_secs(secs.min(WEEK)))
    }
}

/// Adds `name` to `list` unless it is blank or already there.
pub fn push_unique(list: &mut Vec<String>, name: &str) {
    let name = name.trim();
    if !name.is_empty() && !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}
