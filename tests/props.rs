//! Property tests (proptest) over the public library API: the parsers, the sanitizer, the HTML
//! converter, categories, layout and the whole app on `TestBackend`. Each property asserts what
//! the output must be (clean, well-formed, consistent), not only that nothing panics.

use chrono::{TimeZone, Utc};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use tidings::core::html::{html_to_blocks, html_to_line};
use tidings::core::layout::{LineKind, layout};
use tidings::core::model::{
    Article, ArticleId, Block, BlockKind, Body, BodyRef, CategoryPath, Inline, PendingHtml, Span,
};
use tidings::core::render::Render;
use tidings::core::sanitize::{is_clean, sanitize, sanitize_line};
use tidings::sources::feed::{FeedContext, parse_feed};
use tidings::sources::text::{FileContext, parse_article};

/// Case count (`PROPTEST_CASES` overrides it, for a longer hunt), and no regression files
/// (failures are reported with their minimal input).
fn cfg(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        max_global_rejects: cases * 4,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Sequences a terminal would act on, and characters the sanitizer must remove or keep.
const HOSTILE: &[&str] = &[
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[1;31;40m",
    "\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07",
    "\x1b]8;;http://evil/\x1b\\",
    "\x1b]52;c;AAAA\x07",
    "\x1b]0;never ends",
    "\x1bPq#0;2\x1b\\",
    "\x1b_apc\x1b\\",
    "\x1b^pm\x07",
    "\x1bXsos\x1b\\",
    "\x1b(B",
    "\x1b=",
    "\x1bc",
    "\x1b",
    "\x1b[",
    "\u{9b}2J",
    "\u{9b}31m",
    "\u{9d}0;t\u{9c}",
    "\u{90}dcs\u{9c}",
    "\u{85}",
    "\u{9c}",
    "\u{202E}",
    "\u{202A}",
    "\u{2066}",
    "\u{2069}",
    "\u{200B}",
    "\u{200E}",
    "\u{061C}",
    "\u{FEFF}",
    "\u{FFF9}",
    "\u{2028}",
    "\u{2029}",
    "\0",
    "\x07",
    "\x08",
    "\x7f",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u{A0}",
    "\u{3000}",
    "\u{2009}",
    "東京",
    "👩\u{200D}💻",
    "❤\u{FE0F}",
    "🇬🇧",
    "e\u{301}",
    "\u{1100}\u{1161}",
    "Zürich",
    "“quoted”",
    "—",
    "…",
];

const WORDS: &[&str] = &[
    "news",
    "Big",
    "world",
    "Europe",
    "a",
    "the",
    "report",
    "x",
    "http://example.com/a",
    "https://ex.org/b?c=1&d=2",
    "2026-11-27",
    "2026-11-27 08:15",
    "Tue, 24 Nov 2026 08:15:00 +0000",
    "2026-11-27T08:15:00Z",
    "9999-99-99",
    "/",
    " / ",
    "//",
    ",",
    ";",
    ":",
    ".",
    "!",
    "?",
    "#",
    "-",
    "*",
    ">",
    "`",
    "&",
    "&amp;",
    "<",
    "<b>",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(WORDS).prop_map(String::from),
        3 => select(HOSTILE).prop_map(String::from),
        3 => select(&[" ", " ", "  ", "\t"][..]).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        1 => "\\PC{0,6}",
    ]
}

/// Text stitched from words, hostile sequences and arbitrary characters.
fn text(max: usize) -> impl Strategy<Value = String> {
    vec(fragment(), 0..max).prop_map(|v| v.concat())
}

/// Text that is clean by construction (no control or bidi characters), with spaces.
fn clean_text(max: usize) -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            4 => select(WORDS).prop_map(String::from),
            2 => select(&[" ", " ", "  ", "\t", "\n"][..]).prop_map(String::from),
            // U+FE0F is not clean (the sanitizer drops variation selectors: terminals disagree
            // on their width); the layout properties feed it in on purpose.
            1 => select(&["東京", "👩\u{200D}💻", "❤", "🇬🇧", "e\u{301}", "Zürich", "\u{A0}", "\u{3000}", "—"][..])
                .prop_map(String::from),
            1 => "[a-zA-Z0-9 àéü]{0,8}",
        ],
        0..max,
    )
    .prop_map(|v| v.concat())
}

/// Every string of an article that reaches the screen.
fn article_strings(a: &Article) -> Vec<(&'static str, &str)> {
    let mut out = vec![
        ("title", &*a.title),
        ("source", &*a.source),
        ("origin", &*a.origin),
    ];
    if let Some(x) = &a.author {
        out.push(("author", x));
    }
    if let Some(x) = &a.link {
        out.push(("link", x));
    }
    if let Some(x) = &a.standfirst {
        out.push(("standfirst", x));
    }
    for b in a.blocks() {
        out.push(("block", &b.text));
    }
    for c in &a.categories {
        for l in c.levels() {
            out.push(("category level", l));
        }
    }
    for (k, v) in &a.meta {
        out.push(("meta key", k));
        out.push(("meta value", v));
    }
    out
}

fn assert_article_clean(a: &Article) -> Result<(), TestCaseError> {
    for (what, s) in article_strings(a) {
        prop_assert!(is_clean(s), "{what} not clean: {s:?}");
    }
    Ok(())
}

/// A single-line field: no newline or tab, trimmed, no run of spaces.
fn assert_one_line(what: &str, s: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !s.contains(['\n', '\t', '\r']) && s.trim() == s && !s.contains("  "),
        "{what} is not one collapsed line: {s:?}"
    );
    Ok(())
}

fn assert_spans(b: &Block) -> Result<(), TestCaseError> {
    if b.kind == BlockKind::Code {
        prop_assert!(b.spans.is_empty(), "code block with spans: {b:?}");
    }
    let mut last = 0;
    for s in &b.spans {
        prop_assert!(
            s.start < s.end && s.end <= b.text.len(),
            "span out of range: {b:?}"
        );
        prop_assert!(
            b.text.is_char_boundary(s.start) && b.text.is_char_boundary(s.end),
            "span off a char boundary: {b:?}"
        );
        prop_assert!(s.start >= last, "spans out of order: {b:?}");
        last = s.start;
    }
    Ok(())
}

fn assert_category(p: &CategoryPath) -> Result<(), TestCaseError> {
    prop_assert!(!p.levels().is_empty());
    for l in p.levels() {
        prop_assert!(!l.is_empty(), "empty level in {p:?}");
        prop_assert!(!l.contains('/'), "level holds '/': {p:?}");
        prop_assert!(is_clean(l), "level not clean: {p:?}");
        assert_one_line("category level", l)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 1. The plain-text article parser
// ---------------------------------------------------------------------------------------------

const HEADER_KEYS: &[&str] = &[
    "Title",
    "title",
    "TITLE",
    "Source",
    "Author",
    "Date",
    "Link",
    "URL",
    "Categories",
    "Category",
    "X-Custom",
    "Odd key_1",
    "http",
];

const TITLE_MARK: &str = "@@TITLE@@";

fn article_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (
            select(HEADER_KEYS),
            select(&[": ", ":", ":  ", ":\t", " : "][..]),
            text(8)
        )
            .prop_map(|(k, s, v)| format!("{k}{s}{v}")),
        1 => (select(&["Title: ", "# ", "", "  ", "## "][..]))
            .prop_map(|p| format!("{p}{TITLE_MARK}")),
        1 => text(5).prop_map(|t| format!("  {t}")),
        2 => select(&["", " ", "\t", "   ", "\u{3000}"][..]).prop_map(String::from),
        3 => (
            select(&[
                "- ", "* ", "+ ", "• ", "– ", "1. ", "12) ", "1234. ", "> ", ">", "    ", "\t",
                "# ", "###### ", "####### ", "#", "-", "    - ",
            ][..]),
            text(8)
        )
            .prop_map(|(m, t)| format!("{m}{t}")),
        1 => select(&["```", "~~~", "```rust", "  ~~~", "````"][..]).prop_map(String::from),
        4 => text(12),
    ]
}

/// True when a line of the (normalized) text starts with whitespace that holds a non-ASCII
/// space (U+3000, U+00A0, ...) before its text: such lines make the indented-code rule panic
/// (see `text_parser_unicode_indentation`), so the other properties leave them out.
fn unicode_indented(doc: &str) -> bool {
    sanitize(&doc.replace('\r', "\n")).split('\n').any(|l| {
        let lead: String = l.chars().take_while(|c| c.is_whitespace()).collect();
        !lead.is_ascii() && lead.len() < l.len()
    })
}

/// A document from the article grammar, without the lines that hit the known indentation bug.
fn article_doc() -> impl Strategy<Value = String> {
    article_doc_any().prop_filter("unicode-indented line (known bug)", |d| {
        !unicode_indented(d)
    })
}

/// A document from the article grammar, with its title repeated where the grammar says.
fn article_doc_any() -> impl Strategy<Value = String> {
    (
        text(5),
        any::<bool>(),
        vec(
            (article_line(), select(&["\n", "\n", "\r\n", "\r"][..])),
            0..24,
        ),
    )
        .prop_map(|(title, bom, lines)| {
            let mut doc = String::new();
            if bom {
                doc.push('\u{FEFF}');
            }
            for (l, sep) in lines {
                doc.push_str(&l.replace(TITLE_MARK, &title));
                doc.push_str(sep);
            }
            doc
        })
}

fn file_ctx(fallback: &str, origin: &str) -> FileContext {
    FileContext {
        id: ArticleId::from_key("file:/tmp/props.txt"),
        origin: origin.to_string(),
        fallback_title: fallback.to_string(),
        default_source: format!("src{origin}"),
        folder_category: CategoryPath::parse("World News / Europe"),
        mtime: Utc.with_ymd_and_hms(2026, 11, 27, 18, 0, 0).unwrap(),
    }
}

fn check_parsed(doc: &str, ctx: &FileContext) -> Result<(), TestCaseError> {
    check_parsed_with(doc, ctx, parse_article)
}

type FileParser = fn(&str, &FileContext) -> Result<tidings::sources::text::Parsed, String>;

fn check_parsed_with(doc: &str, ctx: &FileContext, parse: FileParser) -> Result<(), TestCaseError> {
    let Ok(parsed) = parse(doc, ctx) else {
        return Ok(());
    };
    let a = &parsed.article;
    assert_article_clean(a)?;
    prop_assert!(!a.title.is_empty(), "empty title from {doc:?}");
    for (what, s) in [("title", &*a.title), ("source", &*a.source)] {
        assert_one_line(what, s)?;
    }
    for (what, s) in [
        ("author", &a.author),
        ("link", &a.link),
        ("standfirst", &a.standfirst),
    ] {
        if let Some(s) = s {
            prop_assert!(!s.is_empty(), "empty {what} from {doc:?}");
            assert_one_line(what, s)?;
        }
    }
    for b in a.blocks() {
        if b.kind != BlockKind::Code {
            prop_assert!(!b.text.is_empty(), "empty {:?} block from {doc:?}", b.kind);
            assert_one_line("block", &b.text)?;
        }
        assert_spans(b)?;
    }
    for c in &a.categories {
        assert_category(c)?;
    }
    prop_assert_eq!(
        a.words,
        Article::count_words(a.standfirst.as_deref(), a.blocks())
    );
    prop_assert!(a.pending().is_none());
    Ok(())
}

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn text_parser_on_arbitrary_strings(
        doc in any::<String>().prop_filter("unicode-indented line (known bug)", |d| !unicode_indented(d)),
        origin in text(3),
    ) {
        check_parsed(&doc, &file_ctx("fallback", &origin))?;
    }

    /// Markdown files: any string, and the article grammar with Markdown (and HTML) sprinkled
    /// in, give clean one-line fields and blocks, never a panic.
    #[test]
    fn markdown_parser_on_arbitrary_and_marked_up_strings(
        doc in any::<String>(),
        article in article_doc(),
        marks in vec((select(&["*", "**", "_", "`", "```\n", "[x](https://e.org/a)",
            "![p](http://e.org/p.png)", "# ", "> ", "- ", "1. ", "    ", "<b>", "</p>",
            "<script>", "\n\n", "---\n", "\u{1b}[2J", "&amp;", "\\", "|a|b|\n"][..]), 0..200usize), 0..24),
    ) {
        let md = tidings::sources::markdown::parse_markdown;
        check_parsed_with(&doc, &file_ctx("fallback", "o.md"), md)?;
        let mut marked = article.clone();
        for (m, at) in marks {
            let mut i = at.min(marked.len());
            while !marked.is_char_boundary(i) {
                i -= 1;
            }
            marked.insert_str(i, m);
        }
        check_parsed_with(&marked, &file_ctx("fallback", "o.md"), md)?;
    }

    #[test]
    fn text_parser_on_the_article_grammar(doc in article_doc(), origin in text(3)) {
        check_parsed(&doc, &file_ctx("fallback name", &origin))?;
    }

    /// Indented code whose indentation mixes ASCII and Unicode spaces (`"    a\n  \u{3000}b"`):
    /// the common indent is cut in bytes, inside the multi-byte space.
    #[test]
    fn text_parser_unicode_indentation(
        doc in article_doc_any(),
        extra in vec((select(&["  \u{3000}", "\u{3000}\u{3000}", "   \u{A0}", "    ", "\u{2009}\u{2009}"][..]), text(4)), 1..4),
    ) {
        let mut doc = doc;
        for (indent, t) in extra {
            doc.push_str(&format!("\n{indent}x{t}"));
        }
        check_parsed(&doc, &file_ctx("fallback", "o"))?;
    }

    /// The fallback title is the file's name without extension; a name that sanitizes to nothing
    /// (` .txt`, `\u{202E}.txt`) must still not give an empty title.
    #[test]
    fn text_parser_title_non_empty_with_any_file_name(doc in article_doc(), fallback in text(3)) {
        check_parsed(&doc, &file_ctx(&fallback, "o"))?;
    }

    #[test]
    fn text_parser_is_deterministic(doc in article_doc()) {
        let ctx = file_ctx("fallback", "o");
        let a = parse_article(&doc, &ctx).map(|p| p.article);
        let b = parse_article(&doc, &ctx).map(|p| p.article);
        prop_assert_eq!(a, b);
    }
}

/// The minimal input behind `text_parser_unicode_indentation`.
#[test]
fn text_parser_unicode_indentation_regression() {
    let doc = "Title: t\n\n    news\n  \u{3000}news\n";
    let a = parse_article(doc, &file_ctx("f", "o")).unwrap().article;
    assert_eq!(a.blocks().len(), 1, "{a:?}");
}

/// The minimal inputs behind the ignored property above.
#[test]
fn text_parser_empty_title_regressions() {
    for (doc, name) in [
        ("#\n\nbody", " "),
        ("```\ncode\n```\n", " "),
        ("#\n\nbody", "\u{202E}"),
    ] {
        let a = parse_article(doc, &file_ctx(name, "o")).unwrap().article;
        assert!(
            !a.title.is_empty(),
            "{doc:?} in a file named {name:?}.txt: {a:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. The sanitizer
// ---------------------------------------------------------------------------------------------

/// True when `c` starts an escape sequence (whose following characters the sanitizer also drops).
fn introducer(c: char) -> bool {
    matches!(
        c,
        '\u{1B}' | '\u{9B}' | '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}'
    )
}

/// Is `small` a subsequence of `big`?
fn subsequence(small: &str, big: &str) -> bool {
    let mut it = big.chars();
    small.chars().all(|c| it.any(|b| b == c))
}

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn sanitize_is_clean_idempotent_and_only_removes(s in prop_oneof![any::<String>(), text(16)]) {
        let once = sanitize(&s).into_owned();
        prop_assert!(is_clean(&once), "{s:?} -> {once:?}");
        let twice = sanitize(&once).into_owned();
        prop_assert_eq!(twice, once.clone());
        let lines_mapped: String = s
            .chars()
            .map(|c| if c == '\u{2028}' || c == '\u{2029}' { '\n' } else { c })
            .collect();
        prop_assert!(subsequence(&once, &lines_mapped), "{s:?} -> {once:?} added text");
        // Without escape sequences, the sanitizer is a per-character filter.
        if !s.chars().any(introducer) {
            let model: String = lines_mapped
                .chars()
                .filter(|c| is_clean(&c.to_string()))
                .collect();
            prop_assert_eq!(&once, &model);
        }
    }

    #[test]
    fn clean_text_comes_back_unchanged(s in prop_oneof![clean_text(16), any::<String>().prop_filter("clean", |s| is_clean(s))]) {
        prop_assert!(is_clean(&s));
        let out = sanitize(&s);
        prop_assert!(matches!(out, std::borrow::Cow::Borrowed(_)));
        prop_assert_eq!(out.as_ref(), s.as_str());
    }

    #[test]
    fn sanitize_line_is_one_clean_collapsed_line(s in prop_oneof![any::<String>(), text(16)]) {
        let line = sanitize_line(&s);
        prop_assert!(is_clean(&line), "{s:?} -> {line:?}");
        assert_one_line("sanitize_line", &line)?;
        prop_assert_eq!(sanitize_line(&line), line.clone());
        let clean = sanitize(&s).into_owned();
        let words: Vec<&str> = clean.split_whitespace().collect();
        prop_assert_eq!(line, words.join(" "));
    }
}

// ---------------------------------------------------------------------------------------------
// 4. The HTML converter (before feeds, which carry HTML)
// ---------------------------------------------------------------------------------------------

/// A word that must never be shown: it only ever appears inside `<script>` or `<style>`.
const SECRET: &str = "zqxsecretmarker";

const TAGS: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "pre",
    "code",
    "blockquote",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "h1",
    "h2",
    "h3",
    "span",
    "table",
    "td",
    "noscript",
    "iframe",
];

const ATTRS: &[&str] = &[
    "",
    " class=\"x\"",
    " class='y z'",
    " href=\"https://example.com/a?b=1&amp;c=2\"",
    " href='/relative/path'",
    " href=\"javascript:alert(1)\"",
    " href=\"#top\"",
    " href=\"http://evil/\x1b[31m\"",
    " href=\"mailto:a@b.c\"",
    " href=unquoted",
    " title=\"a > b\"",
    " title='it\"s'",
    " data-x=\"\u{202E}\"",
    " /",
];

/// Attribute values whose quote never closes: the tag then swallows markup up to the next quote
/// (as in a browser), so script text may legitimately turn into shown text.
const ATTRS_UNTERMINATED: &[&str] = &[" title=\"unterminated", " alt='open", " href=\"/x"];

/// End tags of raw-text elements. `CLOSERS_BAD` are not end tags for a browser (`</script`
/// must be followed by whitespace, `/` or `>`), so the script goes on after them: they are put
/// inside a script, before more of its text.
const CLOSERS: &[&str] = &["</script>", "</SCRIPT >", "</script\t>", "</script/>", ""];
const CLOSERS_BAD: &[&str] = &["</script", "</scriptx>", "</script<"];

fn leaf(bad_closers: bool) -> impl Strategy<Value = String> {
    let fake_ends = if bad_closers { CLOSERS_BAD } else { &[""][..] };
    prop_oneof![
        4 => text(6),
        1 => select(&[
            "&amp;", "&lt;p&gt;", "&#27;[31m", "&#x1b;]0;t&#7;", "&#x9b;2J", "&#155;", "&#8238;",
            "&#x202E;", "&#0;", "&#xD800;", "&nbsp;", "&eacute;", "&unknown;", "&amp", "&#",
            "<br>", "<br/>", "<hr>", "<img src=x.png alt=\"A &quot;map&quot;\">", "<img src=y>",
            "<img alt='\u{1b}[31mred'>", "<", "<<", "</", "</>", "< p>", "<!-- c -->", "<!--",
            "<![CDATA[x < y]]>", "<!DOCTYPE html>", "<?xml?>", ">",
        ][..])
            .prop_map(String::from),
        1 => (
            select(&["<script>", "<SCRIPT type='text/js'>", "<script >", "<style>", "<style media=\"x\">"][..]),
            text(4),
            select(&["", "<p>", "</p>", "<b>", "\"", "'"][..]),
            select(fake_ends),
            select(CLOSERS),
        )
            .prop_map(|(open, t, inner, fake, close)| {
                let (fake, close) = if open.starts_with("<style") {
                    let to_style = |s: &str| s.replace("script", "style").replace("SCRIPT", "STYLE");
                    (to_style(fake), to_style(close))
                } else {
                    (fake.to_string(), close.to_string())
                };
                // The `>` ends whatever a stray `<` in the text before may have opened (`<news`,
                // `<!`), so the script really starts here, as a browser sees it.
                format!(">{open}{t}{SECRET}{inner}{fake}{SECRET}{close}")
            }),
    ]
}

/// Tag soup: random nesting, attributes, missing and mismatched end tags.
fn html() -> impl Strategy<Value = String> {
    soup(false, false)
}

fn soup(bad_closers: bool, bad_attrs: bool) -> impl Strategy<Value = String> {
    let attrs: Vec<&'static str> = if bad_attrs {
        ATTRS.iter().chain(ATTRS_UNTERMINATED).copied().collect()
    } else {
        ATTRS.to_vec()
    };
    let node = leaf(bad_closers).prop_recursive(4, 48, 6, move |inner| {
        (
            select(TAGS),
            select(attrs.clone()),
            vec(inner, 0..6),
            prop_oneof![4 => Just(0u8), 1 => Just(1), 1 => Just(2)],
            select(TAGS),
        )
            .prop_map(|(tag, attrs, kids, close, other)| {
                let body = kids.concat();
                match close {
                    0 => format!("<{tag}{attrs}>{body}</{tag}>"),
                    1 => format!("<{tag}{attrs}>{body}"),
                    _ => format!("<{tag}{attrs}>{body}</{other}>"),
                }
            })
    });
    vec(node, 0..5).prop_map(|v| v.concat())
}

/// Strips everything that sat inside a script or style element from the expected words.
fn check_html_blocks(html: &str, blocks: &[Block]) -> Result<(), TestCaseError> {
    for b in blocks {
        prop_assert!(is_clean(&b.text), "{html:?} -> {b:?}");
        if b.kind != BlockKind::Code {
            assert_one_line("html block", &b.text)?;
        }
        prop_assert!(
            !b.text.contains(SECRET),
            "script text shown: {html:?} -> {b:?}"
        );
        assert_spans(b)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn html_on_arbitrary_strings(s in any::<String>()) {
        let blocks = html_to_blocks(&s, None);
        for b in &blocks {
            prop_assert!(is_clean(&b.text), "{s:?} -> {b:?}");
            assert_spans(b)?;
        }
        let line = html_to_line(&s);
        prop_assert!(is_clean(&line));
        assert_one_line("html_to_line", &line)?;
    }

    #[test]
    fn html_tag_soup(h in html()) {
        let base = url::Url::parse("https://example.com/news/item").unwrap();
        check_html_blocks(&h, &html_to_blocks(&h, None))?;
        let blocks = html_to_blocks(&h, Some(&base));
        check_html_blocks(&h, &blocks)?;
        // Numbered links point at absolute, openable URLs.
        if let Some(at) = blocks.iter().rposition(|b| b.kind == BlockKind::Heading && b.text == "Links") {
            for (n, b) in blocks[at + 1..].iter().enumerate() {
                let prefix = format!("[{}] ", n + 1);
                prop_assert!(b.text.starts_with(&prefix), "{b:?}");
                let url = &b.text[prefix.len()..];
                prop_assert!(
                    ["http://", "https://", "mailto:"].iter().any(|p| url.starts_with(p)),
                    "link not absolute http(s)/mailto: {url:?} from {h:?}"
                );
            }
        }
        let line = html_to_line(&h);
        prop_assert!(is_clean(&line), "{h:?} -> {line:?}");
        assert_one_line("html_to_line", &line)?;
        prop_assert!(!line.contains(SECRET), "script text in line: {h:?} -> {line:?}");
    }

    #[test]
    fn html_tag_soup_with_unterminated_attributes(h in soup(false, true)) {
        for b in html_to_blocks(&h, None) {
            prop_assert!(is_clean(&b.text), "{h:?} -> {b:?}");
            if b.kind != BlockKind::Code {
                assert_one_line("html block", &b.text)?;
            }
            assert_spans(&b)?;
        }
        let line = html_to_line(&h);
        prop_assert!(is_clean(&line), "{h:?} -> {line:?}");
        assert_one_line("html_to_line", &line)?;
    }

    /// `</script` followed by anything but whitespace, `/` or `>` does not end a script (HTML
    /// tokenizer, "script data end tag name state"); the converter ends it there and shows what
    /// follows.
    #[test]
    fn html_script_text_hidden_after_fake_end_tags(h in soup(true, false)) {
        check_html_blocks(&h, &html_to_blocks(&h, None))?;
        prop_assert!(!html_to_line(&h).contains(SECRET), "script text in line: {h:?}");
    }
}

/// The minimal inputs behind the ignored property above.
#[test]
fn html_script_fake_end_tag_regressions() {
    for h in [
        "<script></scriptx>SECRET</script>",
        "<script>a</script<b>SECRET</b></script>",
        "<style></stylesheet>SECRET</style>",
    ] {
        let shown: Vec<String> = html_to_blocks(h, None)
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert!(shown.is_empty(), "{h:?} -> {shown:?}");
        assert_eq!(html_to_line(h), "", "{h:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Categories
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn category_paths_are_clean_and_round_trip(s in prop_oneof![any::<String>(), text(12)]) {
        if let Some(p) = CategoryPath::parse(&s) {
            assert_category(&p)?;
            let shown = p.to_string();
            prop_assert_eq!(CategoryPath::parse(&shown), Some(p.clone()), "{:?}", shown);
        }
        let list = CategoryPath::parse_list(&s);
        for (i, p) in list.iter().enumerate() {
            assert_category(p)?;
            for l in p.levels() {
                prop_assert!(!l.contains([',', ';']), "{list:?}");
            }
            prop_assert!(list[..i].iter().all(|q| q.key() != p.key()), "duplicate in {list:?}");
            prop_assert_eq!(CategoryPath::parse(&p.to_string()), Some(p.clone()));
        }
        let shown: Vec<String> = list.iter().map(ToString::to_string).collect();
        prop_assert_eq!(CategoryPath::parse_list(&shown.join(", ")), list.clone());
        prop_assert_eq!(CategoryPath::parse_list(&shown.join(";")), list);
    }
}

// ---------------------------------------------------------------------------------------------
// 3. The feed adapter
// ---------------------------------------------------------------------------------------------

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// XML 1.0 forbids most C0 controls even escaped; a feed that carries one is malformed. Those
/// are written as `\u{FFFD}`-free numeric references inside the (escaped) HTML instead, where
/// the HTML decoder meets them.
fn xml_chars(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            {
                format!("&#{};", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Text for an XML text node or attribute: escaped, controls as HTML references (so the text is
/// still well-formed XML and the control reaches the HTML decoder).
fn xml_text(s: &str) -> String {
    xml_escape(&xml_chars(s))
}

const LINKS: &[&str] = &[
    "https://example.com/a",
    "http://example.com/b?c=1&d=2",
    "/relative/path",
    "relative",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@example.com",
    "",
    "  https://example.com/spaced  ",
    "https://example.com/\u{1b}[31mred",
    "https://example.com/\u{202E}gpj.exe",
    "#fragment",
    "ftp://example.com/file",
];

#[derive(Debug, Clone)]
struct Item {
    title: String,
    title_html: bool,
    link: String,
    guid: Option<String>,
    categories: Vec<String>,
    summary: Option<String>,
    content: Option<String>,
    author: Option<String>,
    date: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct FeedDoc {
    title: String,
    link: &'static str,
    items: Vec<Item>,
}

fn item() -> impl Strategy<Value = Item> {
    (
        (text(6), any::<bool>(), select(LINKS), any::<bool>()),
        vec(text(4), 0..4),
        proptest::option::of(prop_oneof![text(8), html()]),
        proptest::option::of(html()),
        proptest::option::of(text(3)),
        proptest::option::of(select(
            &[
                "2026-11-27T08:15:00Z",
                "Tue, 24 Nov 2026 08:15:00 +0000",
                "not a date",
                "",
            ][..],
        )),
    )
        .prop_map(
            |((title, title_html, link, has_guid), categories, summary, content, author, date)| {
                Item {
                    title,
                    title_html,
                    link: link.to_string(),
                    guid: has_guid.then_some(String::new()),
                    categories,
                    summary,
                    content,
                    author,
                    date,
                }
            },
        )
}

fn feed_doc() -> impl Strategy<Value = FeedDoc> {
    (text(5), select(LINKS), vec(item(), 0..5)).prop_map(|(title, link, mut items)| {
        // Unique guids where there are any, so ids must be unique too.
        for (i, it) in items.iter_mut().enumerate() {
            if it.guid.is_some() {
                it.guid = Some(format!("urn:props:{i}"));
            }
        }
        FeedDoc { title, link, items }
    })
}

fn cdata(s: &str) -> String {
    format!(
        "<![CDATA[{}]]>",
        xml_chars(s).replace("]]>", "]]]]><![CDATA[>")
    )
}

fn rss(f: &FeedDoc) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n",
    );
    x += &format!(
        "<title>{}</title>\n<link>{}</link>\n",
        xml_text(&f.title),
        xml_text(f.link)
    );
    for it in &f.items {
        x += "<item>";
        x += &format!("<title>{}</title>", xml_text(&it.title));
        x += &format!("<link>{}</link>", xml_text(&it.link));
        if let Some(g) = &it.guid {
            x += &format!("<guid isPermaLink=\"false\">{}</guid>", xml_text(g));
        }
        for (i, c) in it.categories.iter().enumerate() {
            if i % 2 == 0 {
                x += &format!("<category>{}</category>", xml_text(c));
            } else {
                x += &format!("<dc:subject>{}</dc:subject>", xml_text(c));
            }
        }
        if let Some(a) = &it.author {
            x += &format!("<dc:creator>{}</dc:creator>", xml_text(a));
        }
        if let Some(d) = it.date {
            x += &format!("<pubDate>{d}</pubDate>");
        }
        if let Some(s) = &it.summary {
            x += &format!("<description>{}</description>", xml_text(s));
        }
        if let Some(c) = &it.content {
            x += &format!("<content:encoded>{}</content:encoded>", cdata(c));
        }
        x += "</item>\n";
    }
    x += "</channel>\n</rss>\n";
    x
}

fn atom(f: &FeedDoc) -> String {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" \
         xml:base=\"{}\">\n<title type=\"html\">{}</title>\n<id>urn:props:feed</id>\n",
        xml_text(f.link),
        xml_text(&f.title)
    );
    for it in &f.items {
        x += "<entry>";
        let ty = if it.title_html { "html" } else { "text" };
        x += &format!("<title type=\"{ty}\">{}</title>", xml_text(&it.title));
        x += &format!("<link rel=\"alternate\" href=\"{}\"/>", xml_text(&it.link));
        if let Some(g) = &it.guid {
            x += &format!("<id>{}</id>", xml_text(g));
        }
        for c in &it.categories {
            x += &format!(
                "<category term=\"{}\" label=\"{}\"/>",
                xml_text(c),
                xml_text(c)
            );
        }
        if let Some(a) = &it.author {
            x += &format!("<author><name>{}</name></author>", xml_text(a));
        }
        if it.date.is_some() {
            x += "<updated>2026-11-27T08:15:00Z</updated>";
        }
        if let Some(s) = &it.summary {
            x += &format!("<summary type=\"html\">{}</summary>", xml_text(s));
        }
        if let Some(c) = &it.content {
            x += &format!("<content type=\"html\">{}</content>", xml_text(c));
        }
        x += "</entry>\n";
    }
    x += "</feed>\n";
    x
}

fn json_feed(f: &FeedDoc) -> String {
    let items: Vec<serde_json::Value> = f
        .items
        .iter()
        .map(|it| {
            let mut v = serde_json::json!({
                "title": it.title,
                "url": it.link,
                "tags": it.categories,
            });
            v["id"] = serde_json::Value::String(it.guid.clone().unwrap_or_default());
            if let Some(s) = &it.summary {
                v["summary"] = s.clone().into();
            }
            if let Some(c) = &it.content {
                if it.title_html {
                    v["content_html"] = c.clone().into();
                } else {
                    v["content_text"] = c.clone().into();
                }
            }
            if let Some(a) = &it.author {
                v["authors"] = serde_json::json!([{ "name": a }]);
            }
            if it.date.is_some() {
                v["date_published"] = "2026-11-27T08:15:00Z".into();
            }
            v
        })
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": f.title,
        "home_page_url": f.link,
        "items": items,
    })
    .to_string()
}

fn feed_ctx(url: Option<&str>) -> FeedContext {
    FeedContext {
        key: "https://example.com/feed.xml".to_string(),
        url: url.map(String::from),
        fallback_date: Utc.with_ymd_and_hms(2026, 11, 27, 18, 0, 0).unwrap(),
        default_source: "example.com".to_string(),
    }
}

/// Parses, checks the articles, and returns them (rendered).
fn check_feed(bytes: &[u8], ctx: &FeedContext) -> Result<Option<Vec<Article>>, TestCaseError> {
    let first = parse_feed(bytes, ctx).map(|p| (p.articles, p.warnings));
    let again = parse_feed(bytes, ctx).map(|p| (p.articles, p.warnings));
    prop_assert_eq!(&first, &again, "parsing the same bytes twice differs");
    let Ok((mut articles, warnings)) = first else {
        return Ok(None);
    };
    for w in &warnings {
        assert_one_line("warning", w)?;
    }
    for a in &mut articles {
        let id = a.id.as_str();
        prop_assert!(
            id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "id not 16 hex digits: {id:?}"
        );
        prop_assert!(!a.title.is_empty(), "empty title: {a:?}");
        assert_one_line("title", &a.title)?;
        assert_one_line("source", &a.source)?;
        if let Some(l) = &a.link {
            prop_assert!(
                ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| l.starts_with(p)),
                "link not http(s)/mailto: {l:?}"
            );
        }
        for c in &a.categories {
            assert_category(c)?;
        }
        a.render();
        prop_assert!(a.pending().is_none());
        assert_article_clean(a)?;
        for b in a.blocks() {
            if b.kind != BlockKind::Code {
                assert_one_line("block", &b.text)?;
            }
            assert_spans(b)?;
        }
        prop_assert_eq!(
            a.words,
            Article::count_words(a.standfirst.as_deref(), a.blocks())
        );
    }
    Ok(Some(articles))
}

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn feed_on_arbitrary_bytes(bytes in vec(any::<u8>(), 0..512)) {
        check_feed(&bytes, &feed_ctx(None))?;
    }

    #[test]
    fn generated_feeds_parse_into_clean_articles(
        f in feed_doc(),
        kind in 0u8..3,
        url in proptest::option::of(select(&["https://example.com/feed.xml", "http://example.org/dir/"][..])),
    ) {
        let doc = match kind {
            0 => rss(&f),
            1 => atom(&f),
            _ => json_feed(&f),
        };
        let ctx = feed_ctx(url);
        let parsed = check_feed(doc.as_bytes(), &ctx)?;
        let Some(articles) = parsed else {
            return Err(TestCaseError::fail(format!("a well-formed feed failed to parse: {doc}")));
        };
        prop_assert_eq!(articles.len(), f.items.len(), "{}", doc);
        // Items with guids have distinct ids.
        let mut ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        if f.items.iter().all(|i| i.guid.is_some()) {
            prop_assert_eq!(ids.len(), n, "ids collide: {}", doc);
        }
        // JSON Feed's `summary` and `content_text` are plain text, shown as written.
        for a in articles.iter().filter(|_| kind != 2) {
            prop_assert!(!a.title.contains(SECRET) && a.blocks().iter().all(|b| !b.text.contains(SECRET)),
                "script text shown: {a:?}");
        }
    }

    #[test]
    fn truncated_and_corrupted_feeds(
        f in feed_doc(),
        kind in 0u8..3,
        cut in any::<prop::sample::Index>(),
        flips in vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let doc = match kind {
            0 => rss(&f),
            1 => atom(&f),
            _ => json_feed(&f),
        };
        let mut bytes = doc.into_bytes();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        check_feed(&bytes, &feed_ctx(Some("https://example.com/feed.xml")))?;
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Layout
// ---------------------------------------------------------------------------------------------

const KINDS: &[BlockKind] = &[
    BlockKind::Heading,
    BlockKind::Paragraph,
    BlockKind::Quote,
    BlockKind::ListItem,
    BlockKind::Code,
];

const STYLES: &[Inline] = &[Inline::Emphasis, Inline::Strong, Inline::Code, Inline::Link];

/// A block as a source makes one: clean text, one line unless code, spans on char boundaries.
fn block() -> impl Strategy<Value = Block> {
    (
        select(KINDS),
        prop_oneof![text(16), clean_text(24)],
        vec(
            (
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                select(STYLES),
            ),
            0..4,
        ),
    )
        .prop_map(|(kind, t, spans)| {
            let text = if kind == BlockKind::Code {
                sanitize(&t).into_owned()
            } else {
                sanitize_line(&t)
            };
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect();
            let mut spans: Vec<Span> = if kind == BlockKind::Code {
                Vec::new()
            } else {
                spans
                    .into_iter()
                    .filter_map(|(a, b, style)| {
                        let (a, b) = (a.get(&bounds), b.get(&bounds));
                        (a < b).then_some(Span {
                            start: *a,
                            end: *b,
                            style,
                        })
                    })
                    .collect()
            };
            spans.sort_by_key(|s| s.start);
            Block {
                kind,
                text,
                spans,
                image: None,
            }
        })
}

/// U+FE0F VARIATION SELECTOR-16: turns a text character such as `❤` into a two-column emoji,
/// which the wrapper counts as one column (see `layout_with_emoji_presentation_fits_the_width`).
const VS16: char = '\u{FE0F}';

/// Drops every VS16 from an article, moving the spans with the text.
fn without_vs16(mut a: Article) -> Article {
    let strip = |s: &mut String| *s = s.replace(VS16, "");
    let strip_boxed = |s: &mut Box<str>| *s = s.replace(VS16, "").into();
    strip_boxed(&mut a.title);
    a.source = a.source.replace(VS16, "").into();
    a.author.iter_mut().for_each(strip_boxed);
    a.link.iter_mut().for_each(strip_boxed);
    a.standfirst.iter_mut().for_each(strip_boxed);
    for b in a.blocks_mut() {
        let moved = |o: usize| o - b.text[..o].matches(VS16).count() * VS16.len_utf8();
        b.spans = b
            .spans
            .iter()
            .map(|s| Span {
                start: moved(s.start),
                end: moved(s.end),
                style: s.style,
            })
            .filter(|s| s.start < s.end)
            .collect();
        strip(&mut b.text);
    }
    a.categories = a
        .categories
        .iter()
        .filter_map(|c| CategoryPath::from_levels(c.levels().iter().map(|l| l.replace(VS16, ""))))
        .collect();
    if let Body::Html(p) = &mut a.body {
        strip(&mut p.html);
    }
    a.words = Article::count_words(a.standfirst.as_deref(), a.blocks());
    a
}

fn article(id: impl Strategy<Value = String>) -> impl Strategy<Value = Article> {
    (
        (id, text(8), text(3), proptest::option::of(text(3)), proptest::option::of(select(LINKS))),
        (vec(text(4), 0..3), proptest::option::of(text(8)), any::<bool>(), 0i64..4_000_000_000),
        (
            prop_oneof![3 => vec(block(), 0..8), 1 => html().prop_map(|h| html_to_blocks(&h, None))],
            proptest::option::of(html()),
            select(&["feeds", "files", "https://example.com/feed.xml", "elsewhere"][..]),
        ),
    )
        .prop_map(
            |((id, title, source, author, link), (cats, standfirst, dated, secs), (blocks, pending, origin))| {
                let title = match sanitize_line(&title) {
                    t if t.is_empty() => "untitled".to_string(),
                    t => t,
                };
                let standfirst = standfirst.map(|s| sanitize_line(&s)).filter(|s| !s.is_empty());
                let words = Article::count_words(standfirst.as_deref(), &blocks);
                Article {
                    id: ArticleId::from_key(&id),
                    title: title.into(),
                    source: sanitize_line(&source).into(),
                    author: author.map(|a| sanitize_line(&a)).filter(|a| !a.is_empty()).map(Into::into),
                    date: Utc.timestamp_opt(secs, 0).unwrap(),
                    dated,
                    link: link.map(sanitize_line).filter(|l| !l.is_empty()).map(Into::into),
                    categories: cats.iter().flat_map(|c| CategoryPath::parse_list(c)).collect(),
                    standfirst: standfirst.clone().map(Into::into),
                    // Some bodies are HTML waiting to be rendered, the others blocks.
                    body: match pending {
                        Some(html) => Body::Html(Box::new(PendingHtml {
                            html,
                            base: Some("https://example.com/news/".to_string()),
                        })),
                        None => Body::Blocks(blocks),
                    },
                    words,
                    meta: Box::default(),
                    origin: origin.into(),
                }
            },
        )
}

/// The elements (and their kinds) a layout is made of, whatever the width.
fn elements(lines: &[tidings::core::layout::Line]) -> Vec<(u32, LineKind)> {
    let mut out: Vec<(u32, LineKind)> = lines.iter().map(|l| (l.element, l.kind)).collect();
    out.dedup();
    out
}

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn layout_fits_the_width(a in article(Just("layout".to_string())), width in 0usize..300, render in any::<bool>()) {
        check_layout(without_vs16(a), width, render)?;
    }

    #[test]
    fn layout_with_emoji_presentation_fits_the_width(
        mut a in article(Just("layout".to_string())),
        words in vec(select(&["❤\u{FE0F}", "☀\u{FE0F}", "a", " ", "東京"][..]), 0..40),
        width in 0usize..300,
        render in any::<bool>(),
    ) {
        a.blocks_mut().push(Block::new(BlockKind::Paragraph, sanitize_line(&words.concat())));
        check_layout(a, width, render)?;
    }
}

fn check_layout(mut a: Article, width: usize, render: bool) -> Result<(), TestCaseError> {
    {
        if render {
            a.render();
        }
        let lines = layout(&a, width, &Utc);
        prop_assert!(!lines.is_empty());
        prop_assert_eq!(lines[0].kind, LineKind::Title);
        let max = width.max(10);
        let mut element = 0;
        for l in &lines {
            if l.kind != LineKind::Code {
                let w = tidings::core::text::width(&l.text);
                prop_assert!(w <= max, "line {:?} is {} columns, over {}", l.text, w, max);
            }
            prop_assert!(l.element >= element, "elements out of order: {lines:?}");
            element = l.element;
            prop_assert!(is_clean(&l.text), "{:?}", l.text);
            for &(s, e, _) in &l.spans {
                prop_assert!(
                    s < e
                        && e <= l.text.len()
                        && l.text.is_char_boundary(s)
                        && l.text.is_char_boundary(e),
                    "span ({s}, {e}) outside {:?}",
                    l.text
                );
            }
        }
        // Elements are numbered the same at every width (a reading position survives a resize).
        prop_assert_eq!(elements(&lines), elements(&layout(&a, 80, &Utc)));
    }
    Ok(())
}

/// The minimal input behind the ignored layout property: ten hearts in ten columns are twenty.
#[test]
fn layout_emoji_presentation_regression() {
    let a = without_vs16(Article {
        id: ArticleId::from_key("p"),
        title: "t".into(),
        source: "".into(),
        author: None,
        date: Utc.timestamp_opt(0, 0).unwrap(),
        dated: false,
        link: None,
        categories: vec![],
        standfirst: None,
        body: Body::Blocks(vec![Block::new(
            BlockKind::Paragraph,
            "❤\u{FE0F}".repeat(12),
        )]),
        words: 0,
        meta: Box::default(),
        origin: "".into(),
    });
    for l in layout(&a, 10, &Utc) {
        let w = tidings::core::text::width(&l.text);
        assert!(w <= 10, "{:?} is {w} columns", l.text);
    }
}

// ---------------------------------------------------------------------------------------------
// 7. The whole app on a test terminal
// ---------------------------------------------------------------------------------------------

mod app_props {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use tidings::core::state::{Action, Clock, FullText, SearchKey, SourceState, State};
    use tidings::keymap::Keymap;
    use tidings::shell::app::{App, Msg};
    use tidings::ui::theme::Theme;

    const LABELS: &[&str] = &[
        "feeds",
        "files",
        "https://example.com/feed.xml",
        "elsewhere",
    ];

    /// Every key intent (each action of the key table, once, so a new binding is covered
    /// without being listed here) and the background actions without data.
    fn plain_actions() -> Vec<Action> {
        let mut actions: Vec<Action> = Vec::new();
        for b in Keymap::default().bindings {
            if !actions.contains(&b.action) {
                actions.push(b.action);
            }
        }
        actions.extend([Action::LoadingDone, Action::Tick]);
        actions
    }

    /// Results of background work (bodies read back, search text, full stories), for articles
    /// of the pool whether they are loaded or not.
    fn background_result() -> impl Strategy<Value = Action> {
        let id = (0u8..16).prop_map(|i| ArticleId::from_key(&format!("a{i}")));
        prop_oneof![
            (
                id.clone(),
                vec(block(), 0..4),
                proptest::option::of(text(4))
            )
                .prop_map(|(id, blocks, err)| Action::BodyLoaded {
                    id,
                    body: match err {
                        Some(e) => Err(e),
                        None => Ok((blocks, 7)),
                    },
                }),
            vec((id.clone(), text(6)), 0..4).prop_map(|texts| {
                Action::SearchTexts(
                    texts
                        .into_iter()
                        .map(|(id, t)| (id, std::sync::Arc::from(t.to_lowercase())))
                        .collect(),
                )
            }),
            (text(4), vec(id.clone(), 0..4))
                .prop_map(|(query, ids)| Action::SearchHits { query, ids }),
            (0usize..5, 0usize..5)
                .prop_map(|(indexed, total)| Action::IndexProgress { indexed, total }),
            (
                id,
                vec(block(), 0..4),
                proptest::option::of(text(4)),
                any::<bool>()
            )
                .prop_map(|(id, blocks, err, auto)| Action::FullLoaded {
                    id,
                    story: match err {
                        Some(e) => Err(e),
                        None => Ok(FullText {
                            note: "Full story from example.com/x, fetched today".into(),
                            blocks,
                            words: 3,
                        }),
                    },
                    auto,
                }),
        ]
    }

    /// Ids from a small pool, so loads repeat articles and marks find them.
    fn pooled_id() -> impl Strategy<Value = String> {
        (0u8..16).prop_map(|i| format!("a{i}"))
    }

    fn source_state() -> impl Strategy<Value = SourceState> {
        prop_oneof![
            Just(SourceState::Queued),
            Just(SourceState::Loading),
            (0usize..100, any::<bool>())
                .prop_map(|(articles, cached)| SourceState::Loaded { articles, cached }),
            text(6).prop_map(SourceState::Failed),
        ]
    }

    fn search_key() -> impl Strategy<Value = SearchKey> {
        prop_oneof![
            4 => any::<char>().prop_map(SearchKey::Char),
            4 => select(&['e', 'w', 'o', 'r', 'l', 'd', ' ', 'é', '東'][..]).prop_map(SearchKey::Char),
            1 => Just(SearchKey::Backspace),
            1 => Just(SearchKey::Delete),
            1 => Just(SearchKey::Left),
            1 => Just(SearchKey::Right),
            1 => Just(SearchKey::Home),
            1 => Just(SearchKey::End),
            1 => Just(SearchKey::Accept),
            1 => Just(SearchKey::Cancel),
        ]
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            12 => select(plain_actions()),
            1 => Just(Action::StartSearch),
            2 => select(&[Action::PageDown, Action::Down, Action::Choose, Action::FocusNext][..]),
            2 => prop_oneof![
                4 => (1u16..=300, 1u16..=100),
                4 => (20u16..=120, 4u16..=30),
                1 => Just((0u16, 0u16)),
                1 => (0u16..=3, 0u16..=3),
            ]
            .prop_map(|(width, height)| Action::Resize { width, height }),
            3 => (0u16..320, 0u16..110, 0u8..3).prop_map(|(column, row, k)| match k {
                0 => Action::Click { column, row },
                1 => Action::ScrollUp { column, row },
                _ => Action::ScrollDown { column, row },
            }),
            4 => search_key().prop_map(Action::SearchInput),
            1 => (select(LABELS), source_state()).prop_map(|(label, state)| Action::Source {
                label: label.to_string(),
                state,
            }),
            1 => vec((0u8..16, any::<bool>(), any::<bool>()), 0..5).prop_map(|m| {
                Action::Marks(
                    m.into_iter()
                        .map(|(i, read, starred)| tidings::core::state::Mark { id: ArticleId::from_key(&format!("a{i}")), read, starred })
                        .collect(),
                )
            }),
            1 => (vec(article(pooled_id()), 0..3), vec(text(4), 0..2)).prop_map(
                |(mut articles, warnings)| {
                    // About half come with their bodies on disk, as files and snapshots give them.
                    for a in &mut articles {
                        if a.id.as_str().ends_with(['0', '2', '4', '6', '8', 'a', 'c', 'e']) {
                            a.unload(std::sync::Arc::new(BodyRef::File {
                                path: "/nonexistent/feed.xml".into(),
                                key: "k".into(),
                            }));
                        }
                    }
                    Action::Loaded { articles, warnings }
                }
            ),
            2 => background_result(),
        ]
    }

    fn app(width: u16, height: u16) -> App<TestBackend> {
        let clock = Clock {
            now: Utc.with_ymd_and_hms(2026, 11, 27, 18, 0, 0).unwrap(),
            tz: chrono::FixedOffset::east_opt(3600).unwrap(),
        };
        App::new(
            Terminal::new(TestBackend::new(width, height)).unwrap(),
            State::new(clock, None),
            Keymap::default(),
            Theme {
                color: true,
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn check(app: &App<TestBackend>, step: usize, action: &str) -> Result<(), TestCaseError> {
        let s = &app.state;
        let at = format!("after step {step} ({action})");
        let n = s.lib().len();
        prop_assert_eq!(s.read_marks().len(), n, "{}", at);
        prop_assert!(
            s.visible().iter().all(|&i| i < n),
            "visible out of range {}",
            at
        );
        prop_assert!(
            s.visible().windows(2).all(|w| w[0] < w[1]),
            "visible not in library order {}",
            at
        );
        if !s.visible().is_empty() {
            prop_assert!(
                s.selected() < s.visible().len(),
                "selected {} of {} {}",
                s.selected(),
                s.visible().len(),
                at
            );
        }
        prop_assert!(
            s.list_offset() <= s.selected(),
            "list_offset {} > selected {} {}",
            s.list_offset(),
            s.selected(),
            at
        );
        if let Some(r) = s.reader() {
            prop_assert!(r.article < n, "reader article out of range {}", at);
            prop_assert!(
                r.scroll <= s.reader_max_scroll(),
                "scroll {} > max {} {}",
                r.scroll,
                s.reader_max_scroll(),
                at
            );
        }
        prop_assert!(
            s.tree_selected() < s.tree_rows().len(),
            "tree_selected {} of {} {}",
            s.tree_selected(),
            s.tree_rows().len(),
            at
        );
        let unread = s.read_marks().iter().filter(|r| !**r).count();
        prop_assert_eq!(s.unread(), unread, "unread {}", at);
        let visible_unread = s.visible().iter().filter(|&&i| !s.is_read(i)).count();
        prop_assert_eq!(s.visible_unread(), visible_unread, "visible_unread {}", at);
        let buf = app.terminal.backend().buffer();
        for (i, cell) in buf.content().iter().enumerate() {
            prop_assert!(
                !cell.symbol().chars().any(char::is_control),
                "control character {:?} at cell {} {}",
                cell.symbol(),
                i,
                at
            );
        }
        Ok(())
    }

    fn apply(app: &mut App<TestBackend>, action: Action) {
        if let Action::Resize { width, height } = action {
            // The terminal changes size first; the event says so.
            app.terminal.backend_mut().resize(width, height);
        }
        app.handle(Msg::Action(action));
        app.draw().unwrap();
    }

    proptest! {
        #![proptest_config(cfg(128))]

        #[test]
        fn app_survives_any_actions(
            size in prop_oneof![(1u16..=300, 1u16..=100), (20u16..=120, 4u16..=30)],
            articles in vec(article(pooled_id()), 0..8),
            done in any::<bool>(),
            actions in vec(action(), 0..60),
        ) {
            let mut app = app(size.0, size.1);
            app.draw().unwrap();
            check(&app, 0, "start")?;
            apply(&mut app, Action::Loaded { articles, warnings: vec!["a \u{1b}[31mwarning".into()] });
            if done {
                apply(&mut app, Action::LoadingDone);
            }
            check(&app, 0, "load")?;
            for (i, a) in actions.into_iter().enumerate() {
                let shown = format!("{a:?}");
                let shown: String = shown.chars().take(120).collect();
                apply(&mut app, a);
                check(&app, i + 1, &shown)?;
            }
        }
    }
}
