//! Any bytes as a feed: parsing never panics, and every string in the articles is clean.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::core::sanitize::sanitize;
use tidings::sources::feed::{FeedContext, parse_feed};

fuzz_target!(|data: &[u8]| {
    let ctx = FeedContext {
        key: "fuzz".to_string(),
        url: Some("https://example.com/feed".to_string()),
        fallback_date: chrono::DateTime::UNIX_EPOCH,
        default_source: "fuzz".to_string(),
    };
    if let Ok(parsed) = parse_feed(data, &ctx) {
        for a in &parsed.articles {
            for s in [&a.title, &a.source] {
                assert_eq!(sanitize(s), s.as_str(), "unsanitized text in the model");
            }
        }
    }
});
