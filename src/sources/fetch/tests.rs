//! Fetch unit tests: URL checks, feed links in HTML, HTML detection, messages.

use super::*;

#[test]
fn urls_are_checked() {
    assert!(parse_url("https://example.com/feed").is_ok());
    assert!(parse_url("HTTP://Example.com").is_ok());
    assert_eq!(
        parse_url("ftp://example.com/"),
        Err(FetchErrorKind::InvalidUrl)
    );
    assert_eq!(
        parse_url("file:///etc/passwd"),
        Err(FetchErrorKind::InvalidUrl)
    );
    assert_eq!(
        parse_url("example.com/feed"),
        Err(FetchErrorKind::InvalidUrl)
    );
    assert_eq!(parse_url(""), Err(FetchErrorKind::InvalidUrl));
}

#[test]
fn feed_links_in_html() {
    let base = url::Url::parse("https://x.org/blog/post").unwrap();
    let html = br#"<!DOCTYPE html><html><head>
        <link rel="stylesheet" href="/s.css">
        <link rel=alternate type="application/rss+xml; charset=utf-8" title='R' href='../rss.xml?a=1&amp;b=2'>
        <link rel="alternate" type="application/atom+xml" href="/atom.xml">
        </head></html>"#;
    assert_eq!(
        find_feed_link(html, Some(&base)).as_deref(),
        Some("https://x.org/rss.xml?a=1&b=2")
    );
    let none = br#"<html><link rel="alternate" hreflang="fr" href="/fr/"><linkx rel="alternate" type="application/rss+xml" href="/no"></html>"#;
    assert_eq!(find_feed_link(none, Some(&base)), None);
    let js = br#"<link type="application/rss+xml" href="javascript:alert(1)" rel="alternate">"#;
    assert_eq!(find_feed_link(js, Some(&base)), None);
    // Not inside comments or scripts; the first real one, however written.
    let hidden = br#"<html><!-- <link rel="alternate" type="application/rss+xml" href="/c"> -->
        <script>'<link rel=alternate type=application/rss+xml href=/s>'</script>
        <LINK REL="Alternate stylesheet" TYPE=application/atom+xml HREF=/a.xml></html>"#;
    assert_eq!(
        find_feed_link(hidden, Some(&base)).as_deref(),
        Some("https://x.org/a.xml")
    );
    // Odd inputs do not panic.
    for s in [
        &b"<link"[..],
        b"<link ",
        b"<link rel=",
        b"<link rel=\"",
        b"<link =x>",
        b"\xff<link\xfe rel",
    ] {
        let _ = find_feed_link(s, Some(&base));
    }
}

#[test]
fn html_is_recognized() {
    assert!(looks_like_html(b"<!DOCTYPE HTML><title>x</title>"));
    assert!(looks_like_html(b"\xef\xbb\xbf  <!-- c --><HTML lang=en>"));
    assert!(looks_like_html(b"<head></head><html>"));
    assert!(!looks_like_html(
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>"
    ));
    assert!(!looks_like_html(b"<!-- <html> --><feed>"));
    assert!(!looks_like_html(b"<!DOCTYPE rss><rss>"));
    assert!(!looks_like_html(b""));
    assert!(!looks_like_html(b"\xff\xfe<\0h\0t\0m\0l\0>"));
}

#[test]
fn messages() {
    let e = FetchError::new("https://x/feed", FetchErrorKind::Status(404));
    assert_eq!(e.to_string(), "https://x/feed: HTTP 404 Not Found");
    let e = FetchError::new(
        "https://x/feed",
        FetchErrorKind::TooLarge { limit: 32 << 20 },
    );
    assert_eq!(
        e.to_string(),
        "https://x/feed: response over the 32 MiB limit"
    );
    let e = FetchError::new(
        "https://x/",
        FetchErrorKind::NotAFeed {
            feed_link: Some("https://x/rss.xml".into()),
        },
    );
    assert_eq!(
        e.to_string(),
        "https://x/: not a feed (an HTML page); it links a feed at https://x/rss.xml"
    );
    assert_eq!(size_label(64 * 1024), "64 KiB");
    assert_eq!(size_label(1536), "1.5 KiB");
    assert!(describe_start(b"").contains("empty"));
    assert!(describe_start(b"hello").contains("\"hello\""));
}
