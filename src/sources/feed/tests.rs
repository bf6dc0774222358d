use super::*;
use crate::core::render::Render;
use chrono::TimeZone;

fn ctx(url: Option<&str>) -> FeedContext {
    FeedContext {
        key: url.unwrap_or("file:/feeds/x.xml").to_string(),
        url: url.map(String::from),
        fallback_date: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        default_source: "x".into(),
    }
}

fn parse(xml: &str) -> Vec<Article> {
    let mut arts = parse_feed(
        xml.as_bytes(),
        &ctx(Some("https://example.com/feeds/main.xml")),
    )
    .expect("parses")
    .articles;
    for a in &mut arts {
        a.render();
    }
    arts
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour &amp; Wire</title><link>https://example.com/</link>
<item>
  <title>Rock &amp;amp; Roll &lt;b&gt;live&lt;/b&gt; &#8217;26</title>
  <link>/2026/11/rock</link>
  <guid isPermaLink="false">item-1</guid>
  <pubDate>Tue, 24 Nov 2026 08:15:00 +0000</pubDate>
  <category>World News/Europe</category>
  <category>Culture</category>
  <dc:creator>Ann Lee</dc:creator>
  <description>A short summary</description>
  <content:encoded><![CDATA[<p>Body with <a href="/a">a link</a>.</p><script>alert(1)</script>]]></content:encoded>
</item>
<item>
  <title>No guid</title>
  <link>https://example.com/no-guid</link>
  <description>&lt;p&gt;Only a &lt;em&gt;summary&lt;/em&gt;.&lt;/p&gt;</description>
</item>
<item>
  <title>Nothing but a title</title>
</item>
</channel></rss>"#;

#[test]
fn rss_mapping() {
    let arts = parse(RSS);
    assert_eq!(arts.len(), 3);
    let a = &arts[0];
    assert_eq!(&*a.title, "Rock & Roll live ’26");
    assert_eq!(&*a.source, "Harbour & Wire");
    assert_eq!(a.link.as_deref(), Some("https://example.com/2026/11/rock"));
    assert_eq!(a.author.as_deref(), Some("Ann Lee"));
    assert_eq!(
        a.date,
        Utc.with_ymd_and_hms(2026, 11, 24, 8, 15, 0).unwrap()
    );
    assert!(a.dated);
    let cats: Vec<String> = a.categories.iter().map(|c| c.to_string()).collect();
    assert_eq!(cats, ["World News / Europe", "Culture"]);
    assert_eq!(a.standfirst.as_deref(), Some("A short summary"));
    let texts: Vec<&str> = a.blocks().iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Body with a link [1].",
            "Links",
            "[1] https://example.com/a"
        ]
    );
    assert!(a.pending().is_none(), "rendered");
    // Summary only: the summary's HTML is the body.
    let b = &arts[1];
    assert_eq!(b.standfirst, None);
    assert_eq!(b.blocks()[0].text, "Only a summary.");
    // No date: the fallback date, marked undated.
    assert!(!b.dated);
    assert_eq!(b.date, ctx(None).fallback_date);
    assert!(arts[2].blocks().is_empty());
}

#[test]
fn ids_are_stable_and_namespaced() {
    let key = |arts: &[Article]| arts.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    let first = key(&parse(RSS));
    assert_eq!(first, key(&parse(RSS)), "same feed, same ids");
    let mut ids = first.clone();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        3,
        "guid, link and title+date all give distinct ids"
    );
    let other = parse_feed(RSS.as_bytes(), &ctx(Some("https://other.example/feed")))
        .unwrap()
        .articles;
    assert!(
        other.iter().all(|a| !first.contains(&a.id)),
        "namespaced by feed"
    );
    // The guid wins over the link: changing the link keeps the id.
    let moved = RSS.replace("/2026/11/rock", "/moved");
    assert_eq!(parse(&moved)[0].id, first[0]);
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/signal/">
  <title type="html">Northern &lt;i&gt;Signal&lt;/i&gt;</title>
  <id>urn:x</id><updated>2026-11-25T10:00:00Z</updated>
  <author><name>Desk</name></author>
  <entry>
    <title>Updated only</title><id>urn:1</id>
    <updated>2026-11-25T10:00:00Z</updated>
    <link rel="alternate" href="stories/one"/>
    <category term="technology/ai" label="Technology / AI"/>
    <category term="Business/Markets"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><h2>Head</h2><p>See <a href="more">more</a>.</p></div></content>
  </entry>
  <entry>
    <title>Published wins</title><id>urn:2</id>
    <published>2026-11-20T08:00:00+01:00</published><updated>2026-11-26T08:00:00Z</updated>
    <summary>Just a summary.</summary>
  </entry>
</feed>"#;

#[test]
fn atom_mapping() {
    let arts = parse(ATOM);
    assert_eq!(&*arts[0].source, "Northern Signal");
    assert_eq!(
        arts[0].author.as_deref(),
        Some("Desk"),
        "the feed's author as fallback"
    );
    let cats: Vec<String> = arts[0].categories.iter().map(|c| c.to_string()).collect();
    assert_eq!(cats, ["Technology / AI", "Business / Markets"]);
    assert_eq!(
        arts[0].date,
        Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap()
    );
    assert_eq!(arts[0].blocks()[0].kind, BlockKind::Heading);
    assert_eq!(arts[0].blocks()[1].text, "See more [1].");
    assert!(
        arts[0]
            .link
            .as_deref()
            .unwrap()
            .starts_with("https://example.org/signal/stories/one")
    );
    assert_eq!(
        arts[1].date,
        Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).unwrap()
    );
    assert_eq!(arts[1].blocks()[0].text, "Just a summary.");
}

#[test]
fn json_feed_mapping() {
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Circuit Daily",
      "items":[{"id":"1","title":"T","date_published":"2026-11-23T12:00:00Z","tags":["Technology/Security","Business"],
      "content_html":"<ol><li>one</li><li>two</li></ol><pre><code>let x = 1;\n  y();</code></pre>",
      "summary":"Short."},
      {"id":"2","content_text":"Para one.\n\nPara two.","url":"https://example.com/2"}]}"#;
    let arts = parse(json);
    assert_eq!(arts.len(), 2);
    let cats: Vec<String> = arts[0].categories.iter().map(|c| c.to_string()).collect();
    assert_eq!(cats, ["Technology / Security", "Business"]);
    let kinds: Vec<BlockKind> = arts[0].blocks().iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [BlockKind::ListItem, BlockKind::ListItem, BlockKind::Code]
    );
    assert_eq!(arts[0].blocks()[2].text, "let x = 1;\n  y();");
    assert_eq!(arts[0].standfirst.as_deref(), Some("Short."));
    // No title: the start of the text.
    assert_eq!(&*arts[1].title, "Para one.");
    assert_eq!(arts[1].blocks().len(), 2);
}

#[test]
fn words_are_estimated_before_rendering_and_counted_after() {
    let mut arts = parse_feed(RSS.as_bytes(), &ctx(None)).unwrap().articles;
    let a = &mut arts[0];
    assert!(a.pending().is_some());
    let estimate = a.words;
    a.render();
    assert!(a.pending().is_none());
    assert!(estimate.abs_diff(a.words) <= 3, "{estimate} vs {}", a.words);
}

#[test]
fn detection_by_content() {
    assert!(looks_like_feed(RSS.as_bytes()));
    assert!(looks_like_feed(ATOM.as_bytes()));
    assert!(looks_like_feed(
        b"\xEF\xBB\xBF  <!-- c --><?xml-stylesheet x?><rdf:RDF xmlns:rdf=\"x\">"
    ));
    assert!(looks_like_feed(
        br#"{ "version": "https://jsonfeed.org/version/1", "items": [] }"#
    ));
    assert!(!looks_like_feed(b"<!DOCTYPE html><html><head>"));
    assert!(!looks_like_feed(b"{\"a\": 1}"));
    assert!(!looks_like_feed(b"Categories: World\n\nTitle"));
    assert!(!looks_like_feed(b""));
}

#[test]
fn errors_say_what_is_wrong() {
    // A stray end tag: the entry is kept, and the damage is named with its place.
    let bad = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<title>x</title>\n<item><title>a</tite></item></channel></rss>";
    let parsed = parse_feed(bad.as_bytes(), &ctx(None)).unwrap();
    assert_eq!(&*parsed.articles[0].title, "a");
    assert_eq!(
        parsed.warnings,
        ["damaged feed at line 4, column 15: end tag </tite> closes no open element; kept 1 entry"]
    );
    // Broken before the first entry: an error with the place.
    let err = parse_feed(
        b"<rss>\n<channel><title>x</title>\n<!-- never closed",
        &ctx(None),
    )
    .unwrap_err();
    assert!(
        err.starts_with("malformed feed at line 3, column "),
        "{err}"
    );
    let html = parse_feed(b"<html><body>hi</body></html>", &ctx(None)).unwrap_err();
    assert!(html.contains("not a feed"), "{html}");
    for junk in [
        &b""[..],
        b"<",
        b"<rss",
        b"{",
        b"{\"version\":\"https://jsonfeed.org/version/1.1\"}",
        b"\xff\xfe<\x00r\x00",
    ] {
        let _ = parse_feed(junk, &ctx(None));
    }
}

#[test]
fn hostile_feed_text_is_sanitized() {
    let rss = "<rss version=\"2.0\"><channel><title>Evil&#27;[31m</title><item><title>A &#27;]0;pwn&#7; b\u{202E}</title>\
               <author>x&#27;[2J</author><category>W&#27;[1m/E</category>\
               <description>&lt;p&gt;t&#27;[5mx&lt;/p&gt;</description></item></channel></rss>";
    let a = &parse(rss)[0];
    let all = format!(
        "{} {} {:?} {:?} {:?}",
        a.title,
        a.source,
        a.author,
        a.categories,
        a.blocks()
    );
    assert!(
        !all.contains('\u{1b}') && !all.contains('\u{7}') && !all.contains('\u{202E}'),
        "{all}"
    );
    assert_eq!(&*a.title, "A b");
}

#[test]
fn dublin_core_subjects_become_categories() {
    let rss = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
      <item><title>a</title><dc:subject>Science / Climate</dc:subject><category>Business</category></item>
      <item><title>b</title></item>
      <item><title>c</title><dc:subject>Rock &amp; Roll</dc:subject><dc:subject>World News/Asia</dc:subject></item>
    </channel></rss>"#;
    let arts = parse(rss);
    let cats = |a: &Article| {
        a.categories
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
    };
    // In document order.
    assert_eq!(cats(&arts[0]), ["Science / Climate", "Business"]);
    assert!(arts[1].categories.is_empty());
    assert_eq!(cats(&arts[2]), ["Rock & Roll", "World News / Asia"]);
}

#[test]
fn relative_links_in_local_feeds_resolve_against_the_document() {
    // A local file has no URL: Atom's root xml:base, else the feed's own link, is the base.
    let local = |xml: &str| {
        let mut arts = parse_feed(xml.as_bytes(), &ctx(None)).unwrap().articles;
        arts.iter_mut().for_each(Article::render);
        arts
    };
    let atom = local(ATOM);
    let texts: Vec<&str> = atom[0].blocks().iter().map(|b| b.text.as_str()).collect();
    assert!(
        texts.contains(&"[1] https://example.org/signal/more"),
        "{texts:?}"
    );
    let rss = local(RSS);
    let texts: Vec<&str> = rss[0].blocks().iter().map(|b| b.text.as_str()).collect();
    assert!(texts.contains(&"[1] https://example.com/a"), "{texts:?}");
    assert_eq!(
        rss[0].link.as_deref(),
        Some("https://example.com/2026/11/rock")
    );
}

#[test]
fn a_feed_url_that_is_not_a_url_does_not_break_parsing() {
    let mut c = ctx(None);
    c.url = Some("not a url at all".into());
    let arts = parse_feed(RSS.as_bytes(), &c).expect("parses without a base");
    assert_eq!(arts.articles.len(), 3);
}

#[test]
fn a_namespace_declared_on_the_element_that_closes_an_unfinished_one_still_applies() {
    let rss = r#"<rss><channel><title>T</title><item><title>a</titel>
      <x:creator xmlns:x="http://purl.org/dc/elements/1.1/">Bea</x:creator></item></channel></rss>"#;
    let parsed = parse_feed(rss.as_bytes(), &ctx(None)).unwrap();
    assert_eq!(&*parsed.articles[0].title, "a");
    assert_eq!(parsed.articles[0].author.as_deref(), Some("Bea"));
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
}

#[test]
fn an_item_left_open_ends_where_the_next_begins() {
    let rss = "<rss><channel><title>T</title><item><title>one</title><item><title>two</title></item></channel></rss>";
    let parsed = parse_feed(rss.as_bytes(), &ctx(None)).unwrap();
    let titles: Vec<&str> = parsed.articles.iter().map(|a| &*a.title).collect();
    assert_eq!(titles, ["one", "two"]);
    assert!(
        parsed.warnings[0].contains("line 1, column 55"),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn entries_without_ids_that_look_alike_stay_apart() {
    let rss = "<rss><channel><title>T</title><item><title>Same</title></item><item><title>Same</title></item></channel></rss>";
    let a = parse(rss);
    assert_eq!(a.len(), 2);
    assert_ne!(a[0].id, a[1].id);
    assert_eq!(parse(rss)[1].id, a[1].id, "stable");
}

#[test]
fn the_last_of_several_dates_wins_and_cdf_lastmod_counts() {
    let atom = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>x</title>
      <issued>Thu, 01 Jan 2004 19:48:21 GMT</issued><published>Sat, 01 Jan 2010 19:48:21 GMT</published></entry></feed>"#;
    assert_eq!(
        parse(atom)[0].date,
        Utc.with_ymd_and_hms(2010, 1, 1, 19, 48, 21).unwrap()
    );
    let cdf = r#"<CHANNEL><ITEM HREF="http://example.com/a" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>c</TITLE></ITEM></CHANNEL>"#;
    let a = &parse(cdf)[0];
    assert_eq!(a.link.as_deref(), Some("http://example.com/a"));
    assert_eq!(a.date, Utc.with_ymd_and_hms(2004, 4, 7, 4, 5, 43).unwrap());
}

#[test]
fn escaped_markup_inside_an_element_of_html_type_is_markup() {
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title>
      <content type="html"><div>Example &lt;b&gt;Atom&lt;/b&gt;</div></content></entry></feed>"#;
    let texts: Vec<String> = parse(atom)[0]
        .blocks()
        .iter()
        .map(|b| b.text.clone())
        .collect();
    assert_eq!(texts, ["Example Atom"]);
}

#[test]
fn a_cdata_section_that_never_ends_does_not_swallow_the_feed() {
    let rss = "<rss><channel><title>T</title><item><title>one</title><description><![CDATA[cut</description></item>\
               <item><title>two</title></item></channel></rss>";
    let parsed = parse_feed(rss.as_bytes(), &ctx(None)).unwrap();
    let titles: Vec<&str> = parsed.articles.iter().map(|a| &*a.title).collect();
    assert_eq!(titles, ["one", "two"]);
    assert_eq!(parsed.warnings.len(), 1);
}

#[test]
fn feeds_say_how_long_they_stay_the_same() {
    let hint = |xml: &str| {
        parse_feed(xml.as_bytes(), &ctx(None))
            .expect("parses")
            .refresh_hint
            .map(|d| d.as_secs())
    };
    let item = "<item><title>t</title><guid>g</guid></item>";
    assert_eq!(
        hint(&format!(
            "<rss version=\"2.0\"><channel><title>x</title><ttl>60</ttl>{item}</channel></rss>"
        )),
        Some(3600)
    );
    let sy = "xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\"";
    assert_eq!(
        hint(&format!(
            "<rss version=\"2.0\" {sy}><channel><title>x</title><sy:updatePeriod>hourly</sy:updatePeriod>\
             <sy:updateFrequency>2</sy:updateFrequency>{item}</channel></rss>"
        )),
        Some(1800)
    );
    // The prefix alone, undeclared, as feeds write it too; daily by default once.
    assert_eq!(
        hint(&format!(
            "<rss version=\"2.0\"><channel><title>x</title><sy:updatePeriod> Daily </sy:updatePeriod>{item}</channel></rss>"
        )),
        Some(86_400)
    );
    // A ttl in an item is not the feed's; nonsense is ignored; a year is cut to a week.
    assert_eq!(
        hint(
            "<rss version=\"2.0\"><channel><title>x</title><item><title>t</title><ttl>5</ttl></item></channel></rss>"
        ),
        None
    );
    assert_eq!(
        hint(&format!(
            "<rss version=\"2.0\"><channel><title>x</title><ttl>soon</ttl>{item}</channel></rss>"
        )),
        None
    );
    assert_eq!(
        hint(&format!(
            "<rss version=\"2.0\"><channel><title>x</title><ttl>9999999</ttl>{item}</channel></rss>"
        )),
        Some(7 * 24 * 3600)
    );
}

/// The summary-is-the-content's-start check renders a short piece of the content first: it must
/// decide as rendering the first KiB does, wherever the piece's cut falls (inside a reference,
/// a tag, an attribute, a comment) and wherever the summary departs from the content.
#[test]
fn a_summary_is_compared_with_the_contents_start_as_the_first_kib_would() {
    let whole =
        |c: &Text, t: &str| line_of(&Text::new(prefix(&c.value, 1024), c.kind)).starts_with(t);
    let pieces = [
        "Caf&eacute; owners &amp; growers met ",
        "<a href=\"https://example.com/x?a=1&amp;b=2\" title=\"a > b\">on Monday</a> ",
        "in <em>Lyon</em>&#8217;s old <!-- a comment > with --> market, ",
        "&CounterClockwiseContourIntegral; and <b>more</b> &#x1F30D; news. ",
        "<script>var s = '</p>';</script>Then<br>the <span>vote</span> came. ",
    ];
    let mut checked = 0;
    for rotate in 0..pieces.len() {
        let mut html = String::from("<p>");
        for i in 0..12 {
            html.push_str(pieces[(i + rotate) % pieces.len()]);
        }
        html.push_str("</p>");
        let c = Text::new(html.clone(), Kind::Html);
        let text = line_of(&Text::new(prefix(&html, 1024), Kind::Html));
        let mut ends: Vec<usize> = (1..=300.min(text.len())).collect();
        ends.retain(|&e| text.is_char_boundary(e));
        for end in ends {
            // The start itself, and the start with its last character changed.
            let same = &text[..end];
            let mut changed = text[..end].to_string();
            changed.pop();
            changed.push('#');
            for t in [same, changed.as_str()] {
                assert_eq!(content_starts_with(&c, t), whole(&c, t), "summary {t:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked} cases");
    // Plain content is compared as text.
    let plain = Text::new("Short text. More after it.", Kind::Plain);
    assert!(content_starts_with(&plain, "Short text"));
    assert!(!content_starts_with(&plain, "Short test"));
}
