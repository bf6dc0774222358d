//! Story grouping speed (issue 17): 110,000 articles grouped on one core, cold (one batch) and
//! incremental (one batch per source), with the time per article at a quarter, half and all of
//! the articles (grouping must be linear), and the stories found.
//!
//! Two corpora:
//! - `synthetic` (default): news-like stories generated here: a 20,000-word Zipf vocabulary,
//!   names and numbers (the Zipf ranks start at 100, as after stop words), titles of 5 to 9
//!   and leads of 15 to 30 such words (a headline keeps 6 or 7 after stop words); each story
//!   has one to six versions from different sources (rewrites that keep about half the words,
//!   agency flashes of a few title words, tracking-link copies), from 300 sources, over 30
//!   days in story order, so that a quarter of the articles is a quarter of the days at the
//!   same density (more articles = a longer history);
//! - `corpus`: the titles and summaries of `/tmp/corpus10k` (made by
//!   `python3 ../shared/bench/gen_corpus.py --out /tmp/corpus10k --items 10000 --seed 1` when
//!   missing), repeated with dates shifted by 400 days and some titles reworded up to 110,000
//!   articles: real-ish feed text with a small vocabulary (4,000 words).
//!
//! `cargo bench --bench stories` or `cargo bench --bench stories -- [synthetic|corpus] [N]`.

use chrono::{DateTime, TimeZone, Utc};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tidings::core::model::{Article, ArticleId};
use tidings::core::story::{StoryIndex, StoryInput};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }
}

/// A Zipf-weighted word list.
struct Vocab {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocab {
    fn new(rng: &mut Rng, n: usize, capitalised: bool) -> Vocab {
        const SYL: [&str; 24] = [
            "ka", "lo", "ven", "tra", "mi", "sor", "del", "pra", "nu", "ger", "fol", "zan", "tic",
            "bor", "ser", "qua", "lin", "dom", "vel", "ar", "est", "on", "ru", "pel",
        ];
        let mut seen = std::collections::HashSet::new();
        let mut words = Vec::with_capacity(n);
        while words.len() < n {
            let k = 2 + rng.below(3);
            let mut w: String = (0..k).map(|_| SYL[rng.below(SYL.len())]).collect();
            if capitalised {
                w = w[..1].to_uppercase() + &w[1..];
            }
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        // Zipf from rank 100 on: the first hundred ranks of real text are stop words, which
        // the grouping drops.
        let mut acc = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                acc += 1.0 / (r as f64 + 100.0);
                acc
            })
            .collect();
        Vocab { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap();
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

struct Item {
    source: usize,
    title: String,
    lead: Option<String>,
    link: String,
    date: DateTime<Utc>,
}

fn sentence(rng: &mut Rng, common: &Vocab, names: &Vocab, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let r = rng.below(100);
            if r < 10 {
                names.pick(rng).to_string()
            } else if r < 14 {
                format!("{}", 1 + rng.below(2000))
            } else {
                common.pick(rng).to_string()
            }
        })
        .collect()
}

/// Keeps about `keep` of the words, replacing the others.
fn reword(rng: &mut Rng, words: &[String], keep: f64, common: &Vocab) -> Vec<String> {
    words
        .iter()
        .map(|w| {
            if rng.chance(keep) {
                w.clone()
            } else {
                common.pick(rng).to_string()
            }
        })
        .collect()
}

fn synthetic(n: usize) -> Vec<Item> {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let common = Vocab::new(&mut rng, 20_000, false);
    let names = Vocab::new(&mut rng, 5_000, true);
    let base = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let mut out = Vec::with_capacity(n);
    let mut story = 0usize;
    while out.len() < n {
        story += 1;
        let (tn, ln) = (5 + rng.below(5), 15 + rng.below(16));
        let title = sentence(&mut rng, &common, &names, tn);
        let lead = sentence(&mut rng, &common, &names, ln);
        // Stories in date order over 30 days (a day's jitter): the first quarter of the
        // articles is the first week, at the same density as the whole.
        let at = base
            + chrono::Duration::seconds(
                (out.len() as f64 / n as f64 * 30.0 * 86_400.0) as i64 + rng.below(86_400) as i64,
            );
        let versions = match rng.below(100) {
            0..55 => 1,
            55..75 => 2,
            75..87 => 3,
            87..95 => 4,
            _ => 5 + rng.below(2),
        };
        let wire = rng.below(300);
        for v in 0..versions {
            if out.len() == n {
                break;
            }
            let source = if v == 0 { wire } else { rng.below(300) };
            let date = at + chrono::Duration::minutes(rng.below(12 * 60) as i64 * v as i64);
            let link = format!("https://s{source}.example/{story}/{v}");
            let item = match (v, rng.below(4)) {
                (0, _) => Item {
                    source,
                    title: title.join(" "),
                    lead: Some(lead.join(" ")),
                    link,
                    date,
                },
                // An agency flash: a few title words.
                (_, 0) => Item {
                    source,
                    title: title[..4].join(" "),
                    lead: None,
                    link,
                    date,
                },
                // A tracking-link copy of the first version.
                (_, 1) if rng.chance(0.3) => Item {
                    source,
                    title: title.join(" "),
                    lead: None,
                    link: format!("https://s{wire}.example/{story}/0?utm_source=x&utm_medium=rss"),
                    date,
                },
                // A rewrite.
                _ => Item {
                    source,
                    title: reword(&mut rng, &title, 0.6, &common).join(" "),
                    lead: Some(reword(&mut rng, &lead, 0.5, &common).join(" ")),
                    link,
                    date,
                },
            };
            out.push(item);
        }
    }
    out
}

/// Titles and summaries of the generated feed corpus.
fn corpus(n: usize) -> Vec<Item> {
    let dir = PathBuf::from("/tmp/corpus10k");
    if !dir.join("feeds").exists() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
        let status = std::process::Command::new("python3")
            .arg(script)
            .args(["--out", "/tmp/corpus10k", "--items", "10000", "--seed", "1"])
            .stdout(std::process::Stdio::null())
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "could not generate the corpus"
        );
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.join("feeds")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut base: Vec<Article> = Vec::new();
    for p in &files {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let ctx = tidings::sources::feed::FeedContext {
            key: p.display().to_string(),
            url: Some(format!("file://{}", p.display())),
            fallback_date: Utc::now(),
            default_source: "bench".into(),
        };
        if let Ok(parsed) = tidings::sources::feed::parse_feed(&bytes, &ctx) {
            base.extend(parsed.articles);
        }
    }
    assert!(!base.is_empty(), "no articles in /tmp/corpus10k");
    let mut rng = Rng(0x0c0f_fee0_1234_5678);
    let mut common_words: Vec<String> = Vec::new();
    for a in base.iter().take(2000) {
        common_words.extend(a.title.split_whitespace().map(str::to_string));
    }
    let mut out = Vec::with_capacity(n);
    let mut round = 0i64;
    while out.len() < n {
        for (i, a) in base.iter().enumerate() {
            if out.len() == n {
                break;
            }
            let lead = StoryInput::from_article(a).lead.map(|l| l.into_owned());
            // Later rounds: shifted by a year per round, some copies reworded a little.
            let mut title = a.title.to_string();
            if round > 0 && rng.chance(0.5) {
                let mut words: Vec<String> = title.split_whitespace().map(str::to_string).collect();
                for w in words.iter_mut() {
                    if rng.chance(0.3) {
                        *w = common_words[rng.below(common_words.len())].clone();
                    }
                }
                title = words.join(" ");
            }
            out.push(Item {
                source: (i * 7 + round as usize) % 300,
                title,
                lead,
                link: format!("{}?round={round}", a.link.clone().unwrap_or_default()),
                date: a.date + chrono::Duration::days(400 * round),
            });
        }
        round += 1;
    }
    out
}

fn articles(items: &[Item]) -> Vec<Article> {
    let sources: Vec<Arc<str>> = (0..300).map(|s| Arc::from(format!("Source {s}"))).collect();
    let origin: Arc<str> = Arc::from("bench");
    items
        .iter()
        .enumerate()
        .map(|(i, it)| Article {
            id: ArticleId::from_key(&format!("bench:{i}")),
            title: it.title.as_str().into(),
            source: sources[it.source].clone(),
            author: None,
            date: it.date,
            dated: true,
            link: Some(it.link.as_str().into()),
            categories: Vec::new(),
            standfirst: it.lead.as_deref().map(Into::into),
            body: tidings::core::model::Body::default(),
            words: it
                .lead
                .as_deref()
                .map_or(0, |l| l.split_whitespace().count() as u32)
                + 300,
            meta: Box::default(),
            origin: origin.clone(),
        })
        .collect()
}

/// Seconds for the best of `rounds` cold builds of the first `n` articles.
fn cold(arts: &[Article], rounds: usize) -> (f64, StoryIndex) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..rounds {
        let t = Instant::now();
        let index = StoryIndex::build(arts.iter().map(StoryInput::from_article));
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(black_box(index));
    }
    (best, last.unwrap())
}

/// Resident memory of this process, in MB (Linux; 0 elsewhere).
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let kind = args.first().map_or("synthetic", String::as_str);
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(110_000);
    let items = match kind {
        "corpus" => corpus(n),
        _ => synthetic(n),
    };
    let arts = articles(&items);
    println!("stories bench: {kind}, {} articles, one core", arts.len());
    let mut per_article = Vec::new();
    let before = rss_mb();
    for part in [4, 2, 1] {
        let m = arts.len() / part;
        let (secs, index) = cold(&arts[..m], 3);
        per_article.push(secs / m as f64);
        let grouped: usize = index.groups().iter().map(|(_, v)| v.len()).sum();
        println!(
            "  cold {m:>7} articles: {:>7.1} ms ({:.2} µs/article), {} stories, {} articles in {} multi-version stories",
            secs * 1e3,
            secs * 1e6 / m as f64,
            index.story_count(),
            grouped,
            index.groups().len()
        );
        println!("    {}", index.debug_stats());
        if part == 1 {
            println!(
                "    memory: index {:.0} MB ({:.0} bytes/article); process grew by {:.0} MB",
                index.heap_bytes() as f64 / 1e6,
                index.heap_bytes() as f64 / m as f64,
                rss_mb() - before
            );
        }
    }
    println!(
        "  linearity: µs/article at 1/4, 1/2, all: {:.2} {:.2} {:.2} (all / quarter = {:.2})",
        per_article[0] * 1e6,
        per_article[1] * 1e6,
        per_article[2] * 1e6,
        per_article[2] / per_article[0]
    );
    // Incremental: one batch per source, as sources load.
    let mut by_source: Vec<Vec<&Article>> = vec![Vec::new(); 300];
    for (a, it) in arts.iter().zip(&items) {
        by_source[it.source].push(a);
    }
    let t = Instant::now();
    let mut index = StoryIndex::new();
    for batch in &by_source {
        let inputs: Vec<StoryInput<'_>> =
            batch.iter().map(|a| StoryInput::from_article(a)).collect();
        black_box(index.add(&inputs));
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "  incremental, 300 batches (one per source): {:.1} ms, {} stories",
        secs * 1e3,
        index.story_count()
    );
}
