use super::*;
use BlockKind::*;
use std::time::{Duration, Instant};

fn blocks(html: &str) -> Vec<(BlockKind, String)> {
    let base = url::Url::parse("https://example.com/news/item").unwrap();
    html_to_blocks(html, Some(&base))
        .into_iter()
        .map(|b| (b.kind, b.text))
        .collect()
}

fn b(kind: BlockKind, t: &str) -> (BlockKind, String) {
    (kind, t.to_string())
}

fn texts(html: &str) -> Vec<String> {
    html_to_blocks(html, None)
        .into_iter()
        .map(|b| b.text)
        .collect()
}

#[test]
fn entities() {
    assert_eq!(
        decode_entities("a &amp; b &lt;c&gt; &#8217;s &#x2014; &eacute;t&eacute;"),
        "a & b <c> ’s — été"
    );
    assert_eq!(decode_entities("AT&T &unknown; &amp"), "AT&T &unknown; &");
    assert_eq!(
        decode_entities("&#0; &#xD800; &#1114112; &#150; &#99999999999999999999;"),
        "\u{FFFD} \u{FFFD} \u{FFFD} – \u{FFFD}"
    );
    assert_eq!(
        decode_entities("&#27;[31m"),
        "\u{1b}[31m",
        "decoded, then the sanitizer removes it"
    );
    assert_eq!(decode_entities("&&&;&#;&#x;&#xg;"), "&&&;&#;&#x;&#xg;");
    // Windows-1252 for 128..159, the five holes kept (and later removed as C1 controls).
    assert_eq!(
        decode_entities("&#128;&#x92;&#147;&#148;&#153;&#x81;"),
        "€’“”™\u{81}"
    );
    // Without `;`: numbers, and the legacy names when nothing runs on (the attribute rule).
    assert_eq!(
        decode_entities("&#65&#x42 &copy 2026 &copy2026 &notit; &ampx &amp=1 &lt"),
        "AB © 2026 &copy2026 &notit; &ampx &amp=1 <"
    );
    // Rare names, and the ones that stand for two characters.
    assert_eq!(
        decode_entities("&CounterClockwiseContourIntegral; &fjlig; &NotEqualTilde; &Bopf;"),
        "∳ fj ≂̸ 𝔹"
    );
}

#[test]
fn every_named_reference_of_the_standard_is_known() {
    let mut names = 0;
    for (name, &(first, second)) in html5ever::data::NAMED_ENTITIES.entries() {
        if first == 0 {
            continue; // a prefix of a name, not a name
        }
        names += 1;
        let want: String = [first, second]
            .into_iter()
            .filter(|&c| c != 0)
            .filter_map(char::from_u32)
            .collect();
        // Followed by a space: a legacy name without `;` must not run into the next word.
        assert_eq!(decode_entities(&format!("&{name} ")), want + " ", "&{name}");
    }
    assert_eq!(names, 2231);
}

#[test]
fn structure() {
    let got = blocks(
        "<h2>Key points</h2><p>First <em>para</em>graph\n with   space.</p>\
         <ul><li>one</li><li>two <b>bold</b></li></ul>\
         <blockquote><p>Quoted words.</p></blockquote>\
         <pre>fn main() {\n    x();\n}</pre><p>After<br>break</p>",
    );
    assert_eq!(
        got,
        [
            b(Heading, "Key points"),
            b(Paragraph, "First paragraph with space."),
            b(ListItem, "one"),
            b(ListItem, "two bold"),
            b(Quote, "Quoted words."),
            b(Code, "fn main() {\n    x();\n}"),
            b(Paragraph, "After"),
            b(Paragraph, "break"),
        ]
    );
}

#[test]
fn links_are_numbered_and_listed_absolute() {
    let got = blocks(
        "<p>See <a href=\"/a?x=1&amp;y=2\">the report</a> and <a href='https://other.org/b'>this</a>, \
         again <a href=\"/a?x=1&amp;y=2\">here</a>. <a href=\"javascript:alert(1)\">bad</a> \
         <a href=\"#top\">top</a></p>",
    );
    assert_eq!(
        got,
        [
            b(
                Paragraph,
                "See the report [1] and this [2], again here [1]. bad top"
            ),
            b(Heading, "Links"),
            b(ListItem, "[1] https://example.com/a?x=1&y=2"),
            b(ListItem, "[2] https://other.org/b"),
        ]
    );
}

#[test]
fn the_first_image_of_a_block_keeps_its_absolute_url() {
    let base = url::Url::parse("https://example.com/news/item").unwrap();
    let got = html_to_blocks(
        "<p>No picture.</p><p><img src='data:image/png;base64,AAAA'> <img src='/a.png' alt=A> \
         <img src='b.png'></p><p><img src='javascript:x'><img src='HTTP://Other.org/c.jpg'></p>\
         <pre><img src='/code.png'></pre>",
        Some(&base),
    );
    let images: Vec<Option<&str>> = got.iter().map(|b| b.image.as_deref()).collect();
    assert_eq!(
        images,
        [
            None,
            Some("https://example.com/a.png"),
            Some("http://other.org/c.jpg"),
            None
        ]
    );
    assert_eq!(
        crate::core::model::first_image(&got),
        Some("https://example.com/a.png")
    );
    // Without a base a relative image has no URL; in one-line fields none is kept.
    assert_eq!(
        html_to_blocks("<p><img src='/a.png'></p>", None)[0].image,
        None
    );
}

#[test]
fn images_and_dropped_elements() {
    let got = blocks(
        "<p>Before <img src=x.png alt=\"A &quot;map&quot;\"> after <img src=y></p>\
         <script>document.write('<p>no</p>')</script><style>p{}</style>\
         <iframe src=x>fallback</iframe><noscript><p>no js</p></noscript>\
         <title>no title</title><svg><text>no svg</text></svg><p>End.</p>",
    );
    assert_eq!(
        got,
        [
            b(Paragraph, "Before [image: A \"map\"] after [image]"),
            b(Paragraph, "End.")
        ]
    );
    // A raw text element is raw text whatever its `/>`.
    assert_eq!(
        texts("<script/>secret</script><style/>secret</style><p>shown"),
        ["shown"]
    );
}

#[test]
fn broken_html_never_panics() {
    for html in [
        "",
        "<",
        "<<<<",
        "<p",
        "<p attr='unterminated>text",
        "</",
        "</>",
        "<!--",
        "<![CDATA[",
        "]]>",
        "<a href=",
        "<a href=\"x\">no end",
        "</p></p></li></blockquote></pre>",
        "&",
        "&#",
        "<script>never closed",
        "<plaintext><p>text",
        "<pre>unclosed\n  code",
        "é<b>ü</b>東京",
        "<p>\u{1b}[31mred</p>",
        "<h1><h2>nested</h1></h2>",
        "<a href=\"http://x\"><a href=\"http://y\">z</a></a>",
        "\u{FFFF}><p \u{FFFF}=\u{FFFF}>",
        "<p \0 a=\0>\0</p>",
    ] {
        let out = html_to_blocks(html, None);
        for bl in &out {
            assert!(
                crate::core::sanitize::is_clean(&bl.text),
                "{html:?} -> {bl:?}"
            );
        }
        let _ = html_to_line(html);
    }
    assert_eq!(blocks("a < b and c > d"), [b(Paragraph, "a < b and c > d")]);
    assert_eq!(blocks("<p>\x1b]0;title\x07Hi</p>"), [b(Paragraph, "Hi")]);
    // A reference decoded into an escape sequence is removed whole, comments or not.
    assert_eq!(
        blocks("<p>&#27;[31mred&#x1b;<!-- -->[0m</p>"),
        [b(Paragraph, "red")]
    );
}

#[test]
fn cdata_wrappers_left_in_html_are_removed() {
    assert_eq!(texts("<p><![CDATA[x < y]]></p>"), ["x < y"]);
    assert_eq!(texts("<![CDATA[<p>Body <b>bold</b></p>]]>"), ["Body bold"]);
    assert_eq!(texts("<![CDATA[<script>secret</script>]]>shown"), ["shown"]);
    assert_eq!(
        texts("a ]]> b <![CDATA[ c <![CDATA[ d ]]> e"),
        ["a ]]> b c d e"]
    );
}

#[test]
fn inline_styles_are_kept_as_spans() {
    let base = url::Url::parse("https://example.com/").unwrap();
    let out = html_to_blocks(
        "<p> Plain <em>two words</em>, <b>bold</b> and <code>x()</code> then \
         <a href=\"/l\">a <i>link</i></a> end <strong>open</p><p>across</strong> blocks</p>",
        Some(&base),
    );
    let styled = |b: &Block| -> Vec<(String, Inline)> {
        b.spans
            .iter()
            .map(|s| (b.text[s.start..s.end].to_string(), s.style))
            .collect()
    };
    assert_eq!(
        out[0].text,
        "Plain two words, bold and x() then a link [1] end open"
    );
    assert_eq!(
        styled(&out[0]),
        [
            ("two words".to_string(), Inline::Emphasis),
            ("bold".to_string(), Inline::Strong),
            ("x()".to_string(), Inline::Code),
            ("a link".to_string(), Inline::Link),
            ("link".to_string(), Inline::Emphasis),
            ("open".to_string(), Inline::Strong),
        ]
    );
    assert_eq!(styled(&out[1]), [("across".to_string(), Inline::Strong)]);
    // Code blocks keep no spans; unclosed tags never panic.
    let out = html_to_blocks("<pre><code>let x;</code></pre><p><em>never closed", None);
    assert!(out[0].spans.is_empty());
    assert_eq!(
        styled(&out[1]),
        [("never closed".to_string(), Inline::Emphasis)]
    );
}

#[test]
fn word_estimate() {
    assert_eq!(estimate_words("<p>Three <b>small</b> words</p>"), 3);
    assert_eq!(estimate_words("one  two\tthree\n<br/>four"), 4);
    assert_eq!(estimate_words("<p>a</p><p>b</p>"), 2);
    assert_eq!(estimate_words(""), 0);
    // A long tag, text right after one, a `>` in text (a word), a tag never closed.
    let long = format!(
        "{}<a href=\"{}\">x</a>y > z <b",
        "w ".repeat(30),
        "u".repeat(80)
    );
    assert_eq!(estimate_words(&long), 30 + 1 + 1 + 2);
}

/// The plain definition that [`estimate_words`] computes a run of text at a time: tags from a
/// `<` to the next `>` skipped, a word starting at a byte above the space after a space or a tag.
fn words_one_by_one(html: &str) -> u32 {
    let (mut words, mut in_tag, mut after_space) = (0, false, true);
    for &c in html.as_bytes() {
        if in_tag {
            in_tag = c != b'>';
            after_space = true;
        } else if c == b'<' {
            (in_tag, after_space) = (true, true);
        } else {
            words += u32::from(c > b' ' && after_space);
            after_space = c <= b' ';
        }
    }
    words
}

mod word_estimate_props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3_000))]
        #[test]
        fn counts_as_the_plain_definition(pieces in prop::collection::vec(
            prop::sample::select(vec!["<", ">", " ", "\n", "a", "word", "é", "<p>", "</a>", "\t"]),
            0..300,
        )) {
            let html: String = pieces.concat();
            prop_assert_eq!(estimate_words(&html), words_one_by_one(&html));
        }
    }
}

#[test]
fn lines_lose_markup_and_never_number_links() {
    assert_eq!(
        html_to_line("Rock &amp; Roll <b>live</b>"),
        "Rock & Roll live"
    );
    assert_eq!(html_to_line("Plain title"), "Plain title");
    assert_eq!(html_to_line("Caf&eacute; &amp;amp; co"), "Café &amp; co");
    assert_eq!(html_to_line("<p>Two</p><p>blocks</p>"), "Two blocks");
    assert_eq!(
        html_to_line("Example <a href=\"https://example.com/\">test</a>"),
        "Example test"
    );
    assert_eq!(
        html_to_line("A <a href=/x>b</a> <a href='https://y/'>c</a>!"),
        "A b c!"
    );
    assert_eq!(
        html_to_line("Smile <img src=s.png alt=\"😀\"> <img src=x>"),
        "Smile 😀"
    );
    assert_eq!(html_to_line("<![CDATA[<script>x</script>]]>"), "");
    assert_eq!(html_to_line("Title <![CDATA[<b>bold</b>]]>"), "Title bold");
    assert_eq!(html_to_line("a<script>x</script><style>y</style>b"), "ab");
    assert_eq!(html_to_line("x\u{1b}[2J&#27;]0;t&#7;y"), "xy");
}

#[test]
fn a_stray_quote_in_a_tag_name_does_not_swallow_a_script() {
    // Found by the props test: the quote after `<a` had run to a quote inside the script,
    // so `<script>` was read as part of the `<a>` tag and the script's text was shown.
    let html = "<p><a\"</p><p>x<script>secret\"</scriptx>secret</script>shown</p>";
    let text = texts(html);
    assert!(!text.iter().any(|t| t.contains("secret")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("shown")), "{text:?}");
}

#[test]
fn tokens_and_attributes() {
    let mut seen = Vec::new();
    let cut = tokenize(
        "<!DOCTYPE html><A HREF='/x?a=1&amp;b=2' title=\"q\" title=again>t&lt;</a><br/>",
        |t| {
            seen.push(match t {
                Token::Doctype(d) => format!("doctype {:?}", d.name),
                Token::Tag(tag) => format!(
                    "{}{} {:?} {}",
                    if tag.is_end() { "/" } else { "" },
                    tag.name(),
                    tag.attrs().collect::<Vec<_>>(),
                    tag.self_closing()
                ),
                Token::Text { text, raw } => format!("text {text:?} {raw}"),
            });
            Step::Next
        },
    );
    assert_eq!(cut, 0);
    assert_eq!(
        seen,
        [
            "doctype Some(\"html\")",
            "a [(\"href\", \"/x?a=1&b=2\"), (\"title\", \"q\")] false",
            "text \"t<\" false",
            "/a [] false",
            "br [] true",
        ]
    );
    // Raw text, unless the callback says markup; stopping stops.
    let mut seen = Vec::new();
    tokenize("<style><b></style><noscript><b></noscript><i>", |t| {
        let step = match &t {
            Token::Tag(tag) if tag.name() == "noscript" => Step::Markup,
            Token::Tag(tag) if tag.name() == "i" => Step::Stop,
            _ => Step::Next,
        };
        seen.push(match t {
            Token::Tag(tag) => tag.name().to_string(),
            Token::Text { text, raw } => format!("{text}:{raw}"),
            Token::Doctype(_) => String::new(),
        });
        step
    });
    assert_eq!(
        seen,
        [
            "style", "<b>:true", "style", "noscript", "b", "noscript", "i"
        ]
    );
}

#[test]
fn a_tag_with_too_many_attributes_is_cut_and_long_values_are_kept() {
    // html5ever checks each attribute against the earlier ones: a million would take hours.
    let attrs: String = (0..1_000_000).map(|i| format!(" a{i}")).collect();
    let t = Instant::now();
    let got = texts(&format!("<p{attrs}>text</p><p>after</p>"));
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    assert_eq!(got.last().map(String::as_str), Some("after"));
    // Long values, with spaces, quotes and slashes, are read whole, the rest of the tag too.
    let long = "word / \"q\" ".repeat(20_000);
    let html = format!(
        "<p><a title='{long}' href=\"/page?q=1\">link</a> <img src=\"data:image/png;base64,{}\" \
         alt=\"A {}map\"></p>",
        "QUJD".repeat(100_000),
        "very ".repeat(5_000)
    );
    let mut hrefs = Vec::new();
    let cut = tokenize(&html, |t| {
        if let Token::Tag(tag) = t {
            hrefs.extend(tag.attr("title").map(|v| v == long.replace('\'', "")));
            hrefs.extend(tag.attr("href").map(|v| v == "/page?q=1"));
        }
        Step::Next
    });
    assert!(cut > 0);
    assert_eq!(hrefs, [true, true]);
    let base = url::Url::parse("https://example.com/").unwrap();
    let out = html_to_blocks(&html, Some(&base));
    assert!(
        out[0].text.starts_with("link [1] [image: A very very"),
        "{:?}",
        &out[0].text[..40]
    );
    assert!(out[0].text.ends_with("very map]"));
    assert_eq!(out[2].text, "[1] https://example.com/page?q=1");
}

/// How much longer `f` takes on `large` (four times the tags) than on `small`: the best of
/// three runs of each, and the best of three tries (the tests run in parallel on a busy
/// machine; a quadratic cost gives 16 every time).
fn growth(small: &str, large: &str, f: &dyn Fn(&str)) -> f64 {
    let best = |html: &str| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f(html);
                t.elapsed()
            })
            .min()
            .unwrap_or_default()
            .as_secs_f64()
    };
    (0..3)
        .map(|_| best(large) / best(small).max(1e-6))
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn the_work_is_linear() {
    let to_blocks = |html: &str| drop(html_to_blocks(html, None));
    let to_line = |html: &str| drop(html_to_line(html));
    let styles = |n: usize| "<style>x</style>".repeat(n) + "<p>end</p>";
    let deep = |n: usize| "<div>".repeat(n) + "deep" + &"</div>".repeat(n);
    let unclosed = |n: usize| "<div><p><b><i>".repeat(n / 4) + "text";
    let attrs = |n: usize| {
        let a: String = (0..n).map(|i| format!(" a{i}")).collect();
        format!("<p{a}>x</p>")
    };
    let links = |n: usize| {
        let l: String = (0..n / 2)
            .map(|i| format!("<b>x</b> <a href=\"/{i}\">y </a>"))
            .collect();
        format!("<p>{l}</p>")
    };
    for (name, small, large) in [
        ("styles", styles(8_000), styles(32_000)),
        ("links", links(8_000), links(32_000)),
        ("deep", deep(12_500), deep(50_000)),
        ("unclosed", unclosed(12_500), unclosed(50_000)),
        ("attributes", attrs(25_000), attrs(100_000)),
    ] {
        for (what, f) in [("blocks", &to_blocks as &dyn Fn(&str)), ("line", &to_line)] {
            // Linear work grows 4x, quadratic 16x. Up to 7x was seen for linear work in a
            // release build (the large input leaves the caches), so the bound is 8x.
            let ratio = growth(&small, &large, f);
            assert!(
                ratio < 8.0,
                "{name}, {what}: 4x the input took {ratio:.1}x the time"
            );
        }
    }
    assert_eq!(blocks(&deep(50_000)), [b(Paragraph, "deep")]);
}
