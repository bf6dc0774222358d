use super::*;
use crate::core::model::BlockKind::*;
use crate::core::sanitize::is_clean;
use chrono::TimeZone;

fn ctx() -> FileContext {
    FileContext {
        id: ArticleId::from_key("t"),
        origin: "dir/file.txt".into(),
        fallback_title: "file".into(),
        default_source: "dir".into(),
        folder_category: None,
        mtime: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
    }
}

fn parse(text: &str) -> Article {
    parse_article(text, &ctx()).expect("parses").article
}

fn kinds(a: &Article) -> Vec<(BlockKind, &str)> {
    a.blocks()
        .iter()
        .map(|b| (b.kind, b.text.as_str()))
        .collect()
}

#[test]
fn the_seed_article() {
    let a = parse(include_str!("../../tests/fixtures/seed.txt"));
    assert_eq!(
        &*a.title,
        "Macron Hosts Ukraine and Allies to Secure Security Guarantees"
    );
    let title_blocks = a.blocks().iter().filter(|b| *b.text == *a.title).count();
    assert_eq!(title_blocks, 0, "the repeated title is dropped");
    assert_eq!(
        a.standfirst.as_deref(),
        Some("France hosts a pivotal gathering on Ukraine security guarantees")
    );
    let headings: Vec<&str> = a
        .blocks()
        .iter()
        .filter(|b| b.kind == Heading)
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(
        headings,
        [
            "Key objectives of the gathering",
            "Geopolitical implications and potential gaps",
            "What diplomats hope to achieve in the short term",
            "Outlook"
        ]
    );
    assert_eq!(a.blocks().iter().filter(|b| b.kind == Paragraph).count(), 9);
    let cats: Vec<String> = a.categories.iter().map(|c| c.to_string()).collect();
    assert_eq!(cats, ["World News / Europe"]);
    assert_eq!(a.categories[0].levels(), ["World News", "Europe"]);
    assert!(!a.dated, "the seed has no date");
    assert_eq!(a.date, ctx().mtime);
    assert!(a.words > 500 && a.words < 700, "{} words", a.words);
}

#[test]
fn header_keys_are_case_insensitive_and_unknown_keys_are_metadata() {
    let a = parse(
        "CATEGORIES: Business\nsource: The Wire\nAUTHOR: Ann Lee\nDate: 2026-11-24\n\
         link: https://example.com/x\nX-Scraper: v2\nMood: calm\n\nTitle line\n\nBody text here.",
    );
    assert_eq!(&*a.title, "Title line");
    assert_eq!(&*a.source, "The Wire");
    assert_eq!(a.author.as_deref(), Some("Ann Lee"));
    assert_eq!(a.link.as_deref(), Some("https://example.com/x"));
    assert_eq!(a.categories[0].to_string(), "Business");
    assert_eq!(
        &*a.meta,
        [
            ("X-Scraper".to_string(), "v2".to_string()),
            ("Mood".to_string(), "calm".to_string())
        ]
    );
    assert_eq!(kinds(&a), [(Paragraph, "Body text here.")]);
    assert!(!a.blocks().iter().any(|b| b.text.contains("v2")));
}

#[test]
fn url_is_an_alias_of_link() {
    let a = parse("URL: https://example.org/a\n\nT\n\nBody.");
    assert_eq!(a.link.as_deref(), Some("https://example.org/a"));
}

#[test]
fn a_title_that_looks_like_a_key_stays_a_title() {
    let a = parse("Update: Ferry strike called off\n\nThe ferry unions agreed late on Sunday.");
    assert_eq!(&*a.title, "Update: Ferry strike called off");
    assert!(a.meta.is_empty());
    assert_eq!(
        kinds(&a),
        [(Paragraph, "The ferry unions agreed late on Sunday.")]
    );
    assert!(a.categories.is_empty());
}

#[test]
fn a_header_ends_at_a_line_that_is_not_a_field() {
    let a = parse("Categories: Science\nA title right under the header\n\nBody.");
    assert_eq!(&*a.title, "A title right under the header");
    assert_eq!(a.categories[0].to_string(), "Science");
}

#[test]
fn title_key_wins_and_its_repeat_is_dropped() {
    let a = parse("Title: The Real Title\n\n  the real   TITLE \n\nBody sentence.");
    assert_eq!(&*a.title, "The Real Title");
    assert_eq!(kinds(&a), [(Paragraph, "Body sentence.")]);
}

#[test]
fn repeated_title_dropped_ignoring_case_and_whitespace() {
    let a = parse("Categories: X\n\nBig News Today\n\n  big news   today  \n\nBody.");
    assert_eq!(&*a.title, "Big News Today");
    assert_eq!(kinds(&a), [(Paragraph, "Body.")]);
    // Repeat on the very next line, no blank between.
    let a = parse("Big News Today\nBig News Today\n\nBody.");
    assert_eq!(kinds(&a), [(Paragraph, "Body.")]);
    // A different next line is kept.
    let a = parse("Big News Today\n\nBig News Tomorrow is different.");
    assert_eq!(kinds(&a), [(Paragraph, "Big News Tomorrow is different.")]);
}

#[test]
fn standfirst_rules() {
    let a = parse("T\n\nA short standfirst line\n\nA paragraph.");
    assert_eq!(a.standfirst.as_deref(), Some("A short standfirst line"));
    assert_eq!(kinds(&a), [(Paragraph, "A paragraph.")]);
    // Ends in sentence punctuation: a paragraph, not a standfirst.
    for end in [".", "!", "?", "…", ":", ".”"] {
        let a = parse(&format!("T\n\nThis is a sentence{end}\n\nMore."));
        assert_eq!(a.standfirst, None, "ending {end}");
    }
    // Two lines: a paragraph.
    let a = parse("T\n\nline one\nline two\n\nMore.");
    assert_eq!(a.standfirst, None);
    // Too long: a paragraph.
    let long = "word ".repeat(60);
    let a = parse(&format!("T\n\n{}\n\nMore.", long.trim()));
    assert_eq!(a.standfirst, None);
}

#[test]
fn section_heading_rules() {
    let a = parse(
        "T\n\nThe opening paragraph.\n\nA short heading\n\nIts paragraph.\n\n\
         Ends with a colon:\n\nNext paragraph.\n\nDateline\n\nSecond candidate\n\nText.\n\nLast short line",
    );
    assert_eq!(
        kinds(&a),
        [
            (Paragraph, "The opening paragraph."),
            (Heading, "A short heading"),
            (Paragraph, "Its paragraph."),
            (Paragraph, "Ends with a colon:"),
            (Paragraph, "Next paragraph."),
            (Paragraph, "Dateline"),
            (Heading, "Second candidate"),
            (Paragraph, "Text."),
            (Paragraph, "Last short line"),
        ]
    );
    // Longer than 80 characters: not a heading.
    let long = "word ".repeat(20);
    let a = parse(&format!("T\n\nIntro.\n\n{}\n\nText.", long.trim()));
    assert_eq!(a.blocks()[1].kind, Paragraph);
}

#[test]
fn hard_wrapped_lines_are_joined() {
    let a = parse("T\n\nThis paragraph was\nwrapped by hand at\n   a narrow width.\n\nNext.");
    assert_eq!(
        kinds(&a),
        [
            (
                Paragraph,
                "This paragraph was wrapped by hand at a narrow width."
            ),
            (Paragraph, "Next.")
        ]
    );
}

#[test]
fn lists_quotes_code_and_markdown_headings() {
    let a = parse(
        "# A Markdown Title\n\nKey points:\n- first point\n  continues here\n* second\n1. third\n\n\
         > quoted words\n> more words\n\n    let x = 1;\n        indented();\n\n\
         ```\nfenced\n\n  block\n```\n\n## Sub heading\n\nText.",
    );
    assert_eq!(&*a.title, "A Markdown Title");
    assert_eq!(
        kinds(&a),
        [
            (Paragraph, "Key points:"),
            (ListItem, "first point continues here"),
            (ListItem, "second"),
            (ListItem, "third"),
            (Quote, "quoted words more words"),
            (Code, "let x = 1;\n    indented();"),
            (Code, "fenced\n\n  block"),
            (Heading, "Sub heading"),
            (Paragraph, "Text."),
        ]
    );
}

#[test]
fn dates_in_many_formats() {
    let want = Utc.with_ymd_and_hms(2026, 11, 24, 8, 15, 0).unwrap();
    for d in [
        "2026-11-24T08:15:00Z",
        "2026-11-24T09:15:00+01:00",
        "Tue, 24 Nov 2026 08:15:00 +0000",
        "2026-11-24 08:15",
        "2026-11-24T08:15",
        "24 Nov 2026 08:15 GMT",
        "November 24, 2026 8:15 AM",
        "Tuesday, November 24, 2026 3:15 AM EST",
    ] {
        let p = parse_article(&format!("Date: {d}\n\nT\n\nBody."), &ctx()).unwrap();
        assert_eq!(p.article.date, want, "{d}");
        assert!(p.article.dated, "{d}");
        assert!(p.warnings.is_empty(), "{d}: {:?}", p.warnings);
    }
    let midnight = Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap();
    for d in [
        "2026-11-24",
        "24 Nov 2026",
        "24 November 2026",
        "November 24, 2026",
        "Nov 24, 2026",
        "24.11.2026",
    ] {
        let a = parse(&format!("Date: {d}\n\nT\n\nBody."));
        assert_eq!(a.date, midnight, "{d}");
        assert!(a.dated, "{d}");
    }
}

#[test]
fn a_bad_date_warns_and_leaves_the_article_undated() {
    for d in ["next Tuesday", "2026-13-01", "11/12/2026", "31 Foo 2026"] {
        let p = parse_article(&format!("Date: {d}\n\nT\n\nBody."), &ctx()).unwrap();
        assert!(!p.article.dated, "{d}");
        assert_eq!(p.article.date, ctx().mtime, "{d}");
        assert_eq!(
            p.warnings,
            [format!(
                "unrecognised date '{d}'; the article is undated (sorted by the file's modification time)"
            )]
        );
    }
}

#[test]
fn folder_category_when_no_categories_header() {
    let mut c = ctx();
    c.folder_category = CategoryPath::from_levels(["world-news", "europe"]);
    let a = parse_article("T\n\nBody.", &c).unwrap().article;
    assert_eq!(a.categories[0].to_string(), "world-news / europe");
    let a = parse_article("Categories: Business\n\nT\n\nBody.", &c)
        .unwrap()
        .article;
    assert_eq!(a.categories[0].to_string(), "Business");
}

#[test]
fn several_categories_and_spacing() {
    let a = parse("Categories: World News/Asia;  Technology /  AI , business\n\nT\n\nB.");
    let cats: Vec<String> = a.categories.iter().map(|c| c.to_string()).collect();
    assert_eq!(cats, ["World News / Asia", "Technology / AI", "business"]);
}

#[test]
fn line_endings_bom_and_tabs() {
    let a = parse("\u{FEFF}Categories: A\r\n\r\nTitle\r\rBody\tone.\r\n\r\n\tcode\there\r\n");
    assert_eq!(&*a.title, "Title");
    assert_eq!(a.categories[0].to_string(), "A");
    // Tabs become spaces (8-column stops); paragraphs collapse them, code keeps the layout.
    assert_eq!(
        kinds(&a),
        [(Paragraph, "Body one."), (Code, "code    here")]
    );
    assert_eq!(expand_tabs("a\tb\t\tc"), "a       b               c");
}

#[test]
fn escape_sequences_never_enter_the_model() {
    let a = parse(
        "Source: \x1b]8;;http://x\x07Evil\x1b]8;;\x07 Wire\n\n\x1b[2J\x1b[HTitle \x1b[31mred\x1b[0m\u{202E}\n\n\
         Body \x1b]0;set title\x07with\x00 nul and \u{9B}31m c1.",
    );
    assert_eq!(&*a.title, "Title red");
    assert_eq!(&*a.source, "Evil Wire");
    assert_eq!(kinds(&a), [(Paragraph, "Body with nul and c1.")]);
}

#[test]
fn header_only_and_empty_bodies() {
    assert!(parse_article("\n\n   \n", &ctx()).is_err());
    let p = parse_article("Categories: A\n", &ctx()).unwrap();
    assert_eq!(&*p.article.title, "file");
    assert_eq!(p.warnings, ["no title; using the file name"]);
    let a = parse("Title: Only a title");
    assert_eq!(&*a.title, "Only a title");
    assert!(a.blocks().is_empty());
    assert_eq!(a.words, 0);
}

#[test]
fn hostile_inputs_never_panic_and_stay_clean() {
    let nasty = [
        "",
        "\n",
        ":",
        "::::",
        "Title:",
        "Title: \n\nTitle:",
        "#",
        "######## x",
        "> ",
        "- ",
        "1.",
        "```",
        "```\nunclosed",
        "    ",
        "\t\t\t",
        "\x1b",
        "\x1b[",
        "\x1b]",
        "\u{9B}",
        "\r\r\r",
        "Categories: /// ; , ;\n\nT",
        "Date: 99999-99-99\n\nT",
        "T\n\nT\n\nT\n\nT",
        "é\u{301}\u{301}\u{301}",
    ];
    for input in nasty {
        if let Ok(p) = parse_article(input, &ctx()) {
            let a = &p.article;
            assert!(is_clean(&a.title) && is_clean(&a.source), "{input:?}");
            assert!(a.blocks().iter().all(|b| is_clean(&b.text)), "{input:?}");
        }
    }
    let long_line = "x".repeat(20_000);
    let a = parse(&format!("T\n\n{long_line}"));
    assert_eq!(a.blocks()[0].text.len(), 20_000);
}
