//! The cost of extracting a full story from a news page: `extract` (boilerplate stripped, the
//! story found by dom_smoothie, turned into blocks by `html_to_blocks`) on a ~300 KB page shaped
//! like a real news site: a mega-menu, a cookie banner, inline scripts and SVG icons, share
//! buttons, adverts, a long related list, two hundred comments and a sitemap footer around a
//! story of about 1,500 words.
//!
//! `cargo bench --bench extract` (50 runs) or `cargo bench --bench extract -- 200`. Five warm-up
//! runs, then the median, p99 and max in milliseconds; the rendering step (`html_to_blocks` on
//! the extracted HTML) and the parse with its depth guard (`parse_page`), both part of the
//! total, are timed on their own too. Then hostile shapes (a 3 MB page, deep nesting, unclosed tags), a few runs
//! each. Last, feed bodies through `html_to_blocks` alone (what opening a feed article costs): a
//! 5,000-word body, then hostile ones (32,000 `<style>` tags, a 32 MiB body of them, a tag with
//! a million attributes, deep nesting). No criterion: a tiny harness.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tidings::core::html::html_to_blocks;
use tidings::sources::extract::{extract, parse_page, render};

const WARMUP: usize = 5;
const DEFAULT_RUNS: usize = 50;
const URL: &str = "https://herald.example/news/2026/11/27/harbour-bridge";

const SENTENCES: [&str; 8] = [
    "The harbour bridge reopened to traffic on Tuesday morning after two years of repairs.",
    "Engineers found corrosion in the steel cables that hold up the main span in the spring.",
    "The council said the final bill came to forty-eight million pounds, three times the plan.",
    "Hundreds of people walked across the deck before the first cars were let through.",
    "\"It feels like the town has been given its heart back,\" said one baker on the north shore.",
    "The new cables are expected to last at least eighty years with routine inspection.",
    "A dedicated bus lane now runs in each direction, with a wider path for cyclists.",
    "Tolls will not return until April, when the council decides whether to scrap them.",
];

/// The page: about `target` bytes, most of them boilerplate.
fn page(target: usize) -> String {
    let mut p = String::with_capacity(target + 64 * 1024);
    p.push_str(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Harbour bridge reopens after two-year repair | The Daily Herald</title>\
         <meta property=\"og:title\" content=\"Harbour bridge reopens after two-year repair\">",
    );
    // Inline scripts and styles, as bundlers leave them.
    p.push_str("<script>window.__STATE__=");
    p.push_str(&format!(
        "{{\"items\":[{}]}}",
        "{\"id\":1,\"x\":\"abcdef\"},".repeat(600)
    ));
    p.push_str("</script><style>");
    p.push_str(&".c-a{margin:0;padding:0;color:#333}\n".repeat(400));
    p.push_str("</style></head><body class=\"article-page\">");
    p.push_str(
        "<div id=\"cookie-banner\" class=\"cookie-banner\" role=\"dialog\"><p>We use cookies to \
         personalise content and ads.</p><button>Accept all cookies</button></div>",
    );
    // A mega-menu: sections with dozens of links each.
    p.push_str("<header class=\"site-header\"><nav class=\"mega-menu\"><ul>");
    for s in 0..24 {
        let _ = write!(
            p,
            "<li class=\"menu-section\"><a href=\"/s{s}/\">Section {s}</a><ul>"
        );
        for l in 0..20 {
            let _ = write!(
                p,
                "<li><a href=\"/s{s}/topic-{l}/\"><svg class=\"icon\" viewBox=\"0 0 24 24\">\
                 <path d=\"M12 2L2 7l10 5 10-5-10-5z\"/></svg>Topic {l} of section {s}</a></li>"
            );
        }
        p.push_str("</ul></li>");
    }
    p.push_str("</ul></nav></header>");
    p.push_str(
        "<div class=\"ad-slot ad-leaderboard\"><span>Advertisement</span>Mattress sale</div>\
         <main><article class=\"article\"><h1>Harbour bridge reopens after two-year repair</h1>\
         <p class=\"byline\">By Mara Quint</p><ul class=\"share-buttons\"><li><a href=\"#\">\
         Share on Facebook</a></li><li><a href=\"#\">Share on X</a></li></ul>\
         <div class=\"article-body\">",
    );
    // The story: about 1,500 words, a heading every five paragraphs, an advert now and then.
    for i in 0..20 {
        if i % 5 == 0 && i > 0 {
            let _ = write!(p, "<h2>Part {} of the story</h2>", i / 5 + 1);
        }
        p.push_str("<p>");
        for j in 0..6 {
            p.push_str(SENTENCES[(i + j) % SENTENCES.len()]);
            p.push(' ');
        }
        if i % 4 == 1 {
            let _ = write!(
                p,
                "See <a href=\"/news/related-{i}\">the earlier report</a>."
            );
        }
        p.push_str("</p>");
        if i % 6 == 3 {
            p.push_str(
                "<div class=\"ad-slot ad-inline\"><span>Advertisement</span><p>Switch energy \
                 supplier today and save.</p></div>",
            );
        }
    }
    p.push_str("</div></article>");
    p.push_str("<aside class=\"related-stories\"><h2>Related stories</h2><ul>");
    for r in 0..60 {
        let _ = write!(
            p,
            "<li><a href=\"/news/r{r}\"><img src=\"/img/r{r}.jpg\" alt=\"\">Related headline \
             number {r} about the estuary and its traffic</a></li>"
        );
    }
    p.push_str("</ul></aside><section id=\"comments\" class=\"comments\"><ol>");
    let mut c = 0;
    while p.len() < target.saturating_sub(20 * 1024) {
        let _ = write!(
            p,
            "<li class=\"comment\"><div class=\"comment-author\">reader{c}</div><div \
             class=\"comment-body\"><p>Comment number {c}: about time too, two years of \
             detours was far too long for everyone who lives on the north shore.</p></div><a \
             class=\"reply\" href=\"#c{c}\">Reply</a></li>"
        );
        c += 1;
    }
    p.push_str("</ol></section></main><footer class=\"site-footer\"><ul>");
    while p.len() < target {
        let _ = write!(p, "<li><a href=\"/sitemap/{c}\">Sitemap entry {c}</a></li>");
        c += 1;
    }
    p.push_str("</ul></footer></body></html>");
    p
}

fn stats(name: &str, mut t: Vec<Duration>) {
    t.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = t[((t.len() * 99).div_ceil(100)).saturating_sub(1)];
    println!(
        "{name:<28} median {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   ({} runs)",
        ms(t[t.len() / 2]),
        ms(p99),
        ms(t[t.len() - 1]),
        t.len()
    );
}

fn main() {
    let runs = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or(DEFAULT_RUNS, |a| a.parse().expect("run count"));
    let html = page(300 * 1024);
    let story = extract(&html, URL).expect("the bench page has a story");
    println!(
        "page: {} KB; story: {} words, {} blocks, {} KB of HTML",
        html.len() / 1024,
        story.words,
        story.blocks.len(),
        story.html.len() / 1024
    );
    assert!(
        story.words > 1000,
        "the story was lost: {} words",
        story.words
    );
    assert!(
        !story
            .blocks
            .iter()
            .any(|b| b.text.contains("Comment number") || b.text.contains("Advertisement")),
        "boilerplate survived"
    );

    let base = url::Url::parse(URL).ok();
    let mut total = Vec::with_capacity(runs);
    let mut rendering = Vec::with_capacity(runs);
    let mut parsing = Vec::with_capacity(runs);
    for i in 0..WARMUP + runs {
        let t = Instant::now();
        let x = black_box(extract(black_box(&html), URL)).expect("story");
        let whole = t.elapsed();
        let t = Instant::now();
        black_box(render(black_box(&x.html), base.as_ref()));
        let r = t.elapsed();
        let t = Instant::now();
        black_box(parse_page(black_box(&html)));
        let d = t.elapsed();
        if i >= WARMUP {
            total.push(whole);
            rendering.push(r);
            parsing.push(d);
        }
    }
    stats("extract (all, 300 KB page)", total);
    stats("  of which html_to_blocks", rendering);
    stats("  of which parse_page", parsing);

    // Hostile shapes, a few runs each: extraction must stay bounded, story or not.
    let story: String = (0..20)
        .map(|i| format!("<p>{}</p>", SENTENCES[i % SENTENCES.len()].repeat(6)))
        .collect();
    let deep = |levels: usize| {
        format!(
            "<html><body>{}{story}{}</body></html>",
            "<div><span>".repeat(levels),
            "</span></div>".repeat(levels)
        )
    };
    let cases = [
        ("3 MB page (10x the above)", page(3 * 1024 * 1024)),
        ("nested 2,000 levels", deep(2000)),
        ("nested 20,000 levels", deep(20000)),
        (
            "50,000 sibling paragraphs",
            format!(
                "<html><body>{}</body></html>",
                "<p>a b c</p>".repeat(50_000)
            ),
        ),
        ("unclosed tags", "<div><p><b><i>".repeat(20_000) + &story),
    ];
    for (name, html) in cases {
        let runs = 3;
        let mut t = Vec::with_capacity(runs);
        for _ in 0..runs {
            let s = Instant::now();
            let _ = black_box(extract(black_box(&html), URL));
            t.push(s.elapsed());
        }
        stats(&format!("{name} ({} KB)", html.len() / 1024), t);
    }

    // Feed bodies: `html_to_blocks` alone, as when a feed article is opened.
    let base = url::Url::parse("https://news.example/item").ok();
    let body = feed_body(5000);
    let mut t = Vec::with_capacity(runs);
    for i in 0..WARMUP + runs {
        let s = Instant::now();
        black_box(html_to_blocks(black_box(&body), base.as_ref()));
        if i >= WARMUP {
            t.push(s.elapsed());
        }
    }
    stats(
        &format!("feed body, 5,000 words ({} KB)", body.len() / 1024),
        t,
    );
    let attrs: String = (0..1_000_000).map(|i| format!(" a{i}")).collect();
    let hostile = [
        ("32,000 <style> tags", "<style>x</style>".repeat(32_000)),
        ("32 MiB of <style> tags", "<style>x</style>".repeat(2 << 20)),
        ("a tag with 10^6 attributes", format!("<p{attrs}>text</p>")),
        (
            "nested 50,000 levels",
            "<div>".repeat(50_000) + "deep" + &"</div>".repeat(50_000),
        ),
    ];
    for (name, html) in hostile {
        let runs = 3;
        let mut t = Vec::with_capacity(runs);
        for _ in 0..runs {
            let s = Instant::now();
            black_box(html_to_blocks(black_box(&html), base.as_ref()));
            t.push(s.elapsed());
        }
        stats(&format!("{name} ({} KB)", html.len() / 1024), t);
    }
}

/// A feed article's HTML body of about `words` words: paragraphs with links, emphasis and code,
/// a heading every six paragraphs, a list and a quote now and then, an image.
fn feed_body(words: usize) -> String {
    let mut b = String::new();
    let (mut n, mut i) = (0, 0);
    while n < words {
        if i % 6 == 5 {
            let _ = write!(b, "<h2>Part {} &amp; more</h2>", i / 6 + 2);
        }
        b.push_str("<p>");
        for j in 0..5 {
            let s = SENTENCES[(i + j) % SENTENCES.len()];
            n += s.split_whitespace().count();
            match j {
                1 => {
                    let _ = write!(b, "<a href=\"/news/{i}?a=1&amp;b=2\">{s}</a> ");
                }
                2 => {
                    let _ = write!(b, "<em>{s}</em> &ldquo;<code>x</code>&rdquo; ");
                }
                _ => {
                    b.push_str(s);
                    b.push(' ');
                }
            }
        }
        b.push_str("</p>\n");
        if i % 9 == 4 {
            b.push_str("<ul><li>First point</li><li>Second <b>point</b></li></ul>");
            b.push_str("<blockquote><p>A quoted line.</p></blockquote>");
            b.push_str("<img src=\"/i.jpg\" alt=\"The bridge at dawn\">");
        }
        i += 1;
    }
    b
}
