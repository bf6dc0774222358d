//! The config file as serde reads it, and the check of each value: toml puts the place of a
//! value that fails its check in the error. What spans several keys is checked in
//! [`super::load::parse`] with the spans kept here.

use crate::core::model::CategoryPath;
use crate::core::sanitize::sanitize_line;
use crate::keymap;
use crate::ui::theme;
use serde::{Deserialize, Deserializer, de};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    /// `images = false`: never show pictures in the reader.
    pub(super) images: Option<bool>,
    #[serde(default)]
    pub(super) sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    pub(super) fetch: RawFetch,
    #[serde(default)]
    pub(super) categories: RawCategories,
    #[serde(default)]
    pub(super) theme: RawTheme,
    #[serde(default)]
    pub(super) archive: RawArchive,
    #[serde(default)]
    pub(super) filters: Vec<Spanned<RawFilter>>,
    pub(super) refresh_every: Option<Every>,
    pub(super) on_new: Option<Spanned<Vec<String>>>,
    pub(super) stories: Option<bool>,
    pub(super) story_marks: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) keys: Option<Spanned<BTreeMap<ActionName, Vec<Spanned<String>>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub(super) path: Option<Spanned<String>>,
    pub(super) url: Option<Spanned<FeedUrl>>,
    /// A Google Reader API server's root (`https://host/api/greader.php`).
    pub(super) greader: Option<Spanned<String>>,
    pub(super) user: Option<Spanned<String>>,
    pub(super) password_command: Option<Spanned<Vec<String>>>,
    pub(super) password_env: Option<Spanned<String>>,
    pub(super) allow_http: Option<Spanned<bool>>,
    /// Inoreader's app credentials (`AppId`, `AppKey` headers on every request).
    pub(super) app_id: Option<Spanned<String>>,
    pub(super) app_key: Option<Spanned<String>>,
    pub(super) name: Option<Spanned<String>>,
    pub(super) category: Option<Category>,
    pub(super) full_text: Option<bool>,
    pub(super) keep_days: Option<Bounded<1, 36500>>,
    pub(super) max_articles: Option<Bounded<1, 100_000_000>>,
    pub(super) refresh_every: Option<Every>,
}

/// A refresh interval: `"90s"`, `"30m"`, `"2h"`, `"1d"` (at least a minute, at most a week).
#[derive(Deserialize)]
#[serde(try_from = "String")]
pub(super) struct Every(pub(super) std::time::Duration);

impl TryFrom<String> for Every {
    type Error = String;
    fn try_from(s: String) -> Result<Every, String> {
        let t = s.trim();
        let bad = || {
            format!(
                "'{}' is not an interval (a number and s, m, h or d, such as \"30m\")",
                sanitize_line(t)
            )
        };
        let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let n: u64 = t[..split].parse().map_err(|_| bad())?;
        let unit = match t[split..].trim() {
            "s" => 1,
            "m" | "min" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(bad()),
        };
        let secs = n.saturating_mul(unit);
        if !(60..=7 * 86_400).contains(&secs) {
            return Err(format!(
                "'{}' is out of range: from 1 minute to 7 days",
                sanitize_line(t)
            ));
        }
        Ok(Every(std::time::Duration::from_secs(secs)))
    }
}

/// One `[[filters]]` rule as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFilter {
    pub(super) title: Option<Spanned<String>>,
    pub(super) source: Option<Spanned<String>>,
    pub(super) category: Option<Spanned<String>>,
    pub(super) author: Option<Spanned<String>>,
    pub(super) link: Option<Spanned<String>>,
    pub(super) regex: Option<bool>,
    pub(super) action: Option<Spanned<String>>,
}

/// `[archive]`: how long articles that left their feeds are kept.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArchive {
    pub(super) keep_days: Option<Bounded<1, 36500>>,
    pub(super) max_articles: Option<Bounded<1, 100_000_000>>,
    pub(super) keep_unread: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFetch {
    pub(super) timeout: Option<Bounded<1, 3600>>,
    pub(super) connect_timeout: Option<Bounded<1, 3600>>,
    pub(super) concurrency: Option<Bounded<1, 64>>,
    pub(super) per_host: Option<Bounded<1, 64>>,
    pub(super) max_size: Option<Size>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCategories {
    #[serde(default)]
    pub(super) aliases: BTreeMap<Category, Category>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTheme {
    pub(super) accent: Option<Colour>,
    pub(super) unread: Option<Colour>,
    pub(super) heading: Option<Colour>,
    pub(super) link: Option<Colour>,
    pub(super) quote: Option<Colour>,
    pub(super) code: Option<Colour>,
    pub(super) source: Option<Colour>,
    pub(super) warning: Option<Colour>,
}

/// An absolute `http`/`https` URL with a host, as written.
#[derive(Deserialize)]
#[serde(try_from = "String")]
pub(super) struct FeedUrl(pub(super) String);

impl TryFrom<String> for FeedUrl {
    type Error = FeedUrlError;
    fn try_from(s: String) -> Result<FeedUrl, FeedUrlError> {
        let t = s.trim();
        check_feed_url(t)?;
        Ok(FeedUrl(t.to_string()))
    }
}

/// A URL that is not a feed URL: the URL as shown (sanitized) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{shown}' is not a feed URL: {why}")]
pub struct FeedUrlError {
    pub shown: String,
    pub why: String,
}

/// Ok for an absolute `http`/`https` URL with a host.
pub fn check_feed_url(t: &str) -> Result<url::Url, FeedUrlError> {
    let err = |why: String| FeedUrlError {
        shown: sanitize_line(t),
        why,
    };
    match url::Url::parse(t) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(u)
        }
        Ok(u) if matches!(u.scheme(), "http" | "https") => Err(err("it has no host".to_string())),
        Ok(u) => Err(err(format!(
            "only http and https are read, not {}",
            u.scheme()
        ))),
        Err(e) => Err(err(e.to_string())),
    }
}

/// A category path (`World News / Europe`).
#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(try_from = "String")]
pub(super) struct Category(pub(super) CategoryPath);

impl TryFrom<String> for Category {
    type Error = String;
    fn try_from(s: String) -> Result<Category, String> {
        CategoryPath::parse(&s)
            .map(Category)
            .ok_or_else(|| format!("'{}' is not a category path", sanitize_line(&s)))
    }
}

/// An integer from `MIN` to `MAX`.
#[derive(Deserialize)]
#[serde(try_from = "i64")]
pub(super) struct Bounded<const MIN: i64, const MAX: i64>(pub(super) u64);

impl<const MIN: i64, const MAX: i64> TryFrom<i64> for Bounded<MIN, MAX> {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, String> {
        if (MIN..=MAX).contains(&v) {
            Ok(Bounded(v as u64))
        } else {
            Err(format!("{v} is out of range: from {MIN} to {MAX}"))
        }
    }
}

/// Text that is not a size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a size (e.g. 32M, 512K, 1048576)")]
pub struct SizeError(pub String);

/// `32M`, `512K`, `1G`, `1048576`: bytes, with an optional K, M or G suffix (powers of 1024),
/// above 0. For `--max-size` and `[fetch] max_size`.
pub fn parse_size(s: &str) -> Result<u64, SizeError> {
    let t = s.trim();
    let (num, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|&n| n > 0)
        .ok_or_else(|| SizeError(s.to_string()))
}

/// A size: bytes, or a string with a K, M or G suffix (`"32M"`).
pub(super) struct Size(pub(super) u64);

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Size, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Size;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a size such as \"32M\", \"512K\" or a number of bytes")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Size, E> {
                parse_size(s).map(Size).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Size, E> {
                u64::try_from(v)
                    .ok()
                    .filter(|&v| v > 0)
                    .map(Size)
                    .ok_or_else(|| E::custom(format!("{v} is not a size: it must be above 0")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Size, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        d.deserialize_any(V)
    }
}

/// A colour: a name, `#rrggbb`, or a 256-colour index (a string or a number).
pub(super) struct Colour(pub(super) ratatui::style::Color);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Colour, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Colour;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour such as \"cyan\", \"light red\", \"#ff8800\" or \"208\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Colour, E> {
                theme::parse_color(s).map(Colour).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Colour, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Colour, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

/// The name of an action `[keys]` can rebind.
#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(try_from = "String")]
pub(super) struct ActionName(pub(super) String);

impl TryFrom<String> for ActionName {
    type Error = String;
    fn try_from(s: String) -> Result<ActionName, String> {
        if keymap::action_named(&s).is_some() {
            Ok(ActionName(s))
        } else {
            Err(format!(
                "unknown action '{}' (actions: {})",
                sanitize_line(&s),
                keymap::action_list()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("32M"), Ok(32 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert!(parse_size("0").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("-1K").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(
            parse_size("lots").unwrap_err().to_string(),
            "'lots' is not a size (e.g. 32M, 512K, 1048576)"
        );
    }

    #[test]
    fn feed_urls() {
        assert!(check_feed_url("https://example.com/feed").is_ok());
        let e = check_feed_url("ftp://x.org/f").unwrap_err();
        assert_eq!(
            e.to_string(),
            "'ftp://x.org/f' is not a feed URL: only http and https are read, not ftp"
        );
        assert_eq!(e.why, "only http and https are read, not ftp");
    }
}
