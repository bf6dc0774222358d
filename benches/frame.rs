//! Update + render cost of the reader over a large in-memory archive.
//!
//! `cargo bench --bench frame` (100,000 articles) or `cargo bench --bench frame -- 10000`.
//! Each scenario dispatches the action(s) to the app and draws one frame on a 200x60
//! `TestBackend`; the pair is timed with `Instant` (20 warm-up runs, then 300 measured) and
//! p50/p99/max are printed in milliseconds. No criterion: a tiny harness, so the numbers come from
//! the same code path the event loop runs.

use chrono::{DateTime, Duration as Span, FixedOffset, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tidings::core::layout::layout;
use tidings::core::model::{Article, ArticleId, Block, BlockKind, CategoryPath};
use tidings::core::state::{Action, Clock, SearchKey, State, TreeRow};
use tidings::keymap::Keymap;
use tidings::shell::app::App;
use tidings::ui::theme::Theme;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
const WARMUP: usize = 20;
const ITERS: usize = 300;
const DEFAULT_COUNT: usize = 100_000;

const CATEGORIES: [&str; 18] = [
    "World News / Europe",
    "World News / Asia",
    "World News / Americas",
    "World News / Africa",
    "World News / Middle East",
    "Business / Markets",
    "Business / Companies",
    "Business / Economy",
    "Technology / AI",
    "Technology / Security",
    "Technology / Gadgets",
    "Science / Space",
    "Science / Climate",
    "Science / Health",
    "Sport / Football",
    "Sport / Tennis",
    "Culture / Books",
    "Culture / Film",
];

const SOURCES: [&str; 20] = [
    "Wire",
    "The Daily Ledger",
    "Morning Post",
    "Evening Standard",
    "Global Times",
    "Le Quotidien",
    "Süddeutsche Blatt",
    "東京新聞",
    "Harbour Herald",
    "Northern Echo",
    "Pacific Review",
    "Capital Journal",
    "Tech Weekly",
    "Science Today",
    "Market Watch",
    "Sporting Life",
    "Culture Desk",
    "The Observer",
    "Valley Gazette",
    "Metro Express",
];

const AUTHORS: [&str; 8] = [
    "Ann Lee",
    "José Álvarez",
    "Jürgen Müller",
    "山田 太郎",
    "Priya Shah",
    "Tom O'Neill",
    "Zoë Martin",
    "Kwame Mensah",
];

const WORDS: [&str; 64] = [
    "the",
    "government",
    "announced",
    "new",
    "plans",
    "for",
    "markets",
    "after",
    "talks",
    "in",
    "Brussels",
    "with",
    "leaders",
    "from",
    "across",
    "region",
    "report",
    "shows",
    "growth",
    "slowed",
    "while",
    "prices",
    "rose",
    "sharply",
    "during",
    "winter",
    "officials",
    "said",
    "on",
    "Tuesday",
    "that",
    "a",
    "deal",
    "was",
    "close",
    "but",
    "not",
    "yet",
    "signed",
    "researchers",
    "found",
    "evidence",
    "of",
    "change",
    "and",
    "warned",
    "about",
    "risks",
    "café",
    "Zürich",
    "東京",
    "naïve",
    "São Paulo",
    "Kraków",
    "résumé",
    "🚀",
    "über",
    "Ærø",
    "fiancée",
    "coöperation",
    "北京",
    "📈",
    "Montréal",
    "Düsseldorf",
];

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform-ish in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::with_capacity(n * 7);
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(&WORDS));
    }
    s
}

/// A title of 40 to 120 characters, capitalised.
fn title(rng: &mut Rng) -> String {
    let target = rng.range(40, 120);
    let mut s = String::new();
    let mut chars = 0;
    while chars < target {
        if !s.is_empty() {
            s.push(' ');
            chars += 1;
        }
        let w = rng.pick(&WORDS);
        s.push_str(w);
        chars += w.chars().count();
    }
    if chars > 120 {
        s = s
            .chars()
            .take(120)
            .collect::<String>()
            .trim_end()
            .to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

struct Archive {
    articles: Vec<Article>,
    /// The 5,000-word article (also in `articles`, the newest, so it is row 0 of All).
    long: Article,
    text_bytes: usize,
}

fn article(
    i: usize,
    rng: &mut Rng,
    now: DateTime<Utc>,
    paragraphs: usize,
    words_per: (usize, usize),
) -> Article {
    let mut categories = vec![CategoryPath::parse(rng.pick(&CATEGORIES)).expect("path")];
    if rng.range(0, 3) == 0 {
        let second = CategoryPath::parse(rng.pick(&CATEGORIES)).expect("path");
        if second != categories[0] {
            categories.push(second);
        }
    }
    let blocks: Vec<Block> = (0..paragraphs)
        .map(|_| {
            let n = rng.range(words_per.0, words_per.1);
            Block::new(BlockKind::Paragraph, words(rng, n))
        })
        .collect();
    let standfirst = (rng.range(0, 1) == 0).then(|| words(rng, 12));
    let author = (rng.range(0, 2) > 0).then(|| rng.pick(&AUTHORS).to_string());
    let link = (rng.range(0, 1) == 0).then(|| format!("https://example.com/news/{i}"));
    let secs = rng.range(60, 365 * 86_400) as i64;
    Article {
        id: ArticleId::from_key(&format!("bench/{i:07}.txt")),
        title: title(rng).into(),
        source: (*rng.pick(&SOURCES)).into(),
        author: author.map(Into::into),
        date: now - Span::seconds(secs),
        dated: true,
        link: link.map(Into::into),
        categories,
        words: Article::count_words(standfirst.as_deref(), &blocks),
        standfirst: standfirst.map(Into::into),
        meta: Box::default(),
        origin: format!("bench/{i:07}.txt").into(),
        body: tidings::core::model::Body::Blocks(blocks),
    }
}

fn archive(count: usize, now: DateTime<Utc>) -> Archive {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut articles: Vec<Article> = Vec::with_capacity(count);
    // Ten paragraphs of 500 words, dated now: the newest article.
    let mut long = article(0, &mut rng, now, 10, (500, 500));
    long.title = "A 5,000-word long read: how the Zürich–東京 cable was laid 🚀".into();
    long.date = now;
    long.categories = vec![CategoryPath::parse("World News / Europe").expect("path")];
    long.words = Article::count_words(long.standfirst.as_deref(), long.blocks());
    articles.push(long.clone());
    for i in 1..count {
        articles.push(article(i, &mut rng, now, 5, (8, 20)));
    }
    let text_bytes = articles
        .iter()
        .map(|a| {
            a.title.len()
                + a.source.len()
                + a.standfirst.as_deref().map_or(0, str::len)
                + a.blocks().iter().map(|b| b.text.len()).sum::<usize>()
        })
        .sum();
    Archive {
        articles,
        long,
        text_bytes,
    }
}

struct Stats {
    p50: f64,
    p99: f64,
    max: f64,
}

/// Runs `f` (which times its own critical part) `WARMUP + ITERS` times.
fn measure(mut f: impl FnMut(usize) -> Duration) -> Stats {
    for i in 0..WARMUP {
        f(i);
    }
    let mut ms: Vec<f64> = (0..ITERS)
        .map(|i| f(WARMUP + i).as_secs_f64() * 1e3)
        .collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    Stats {
        p50: at(0.50),
        p99: at(0.99),
        max: ms[ms.len() - 1],
    }
}

/// `what (context): p50 … p99 … max …`; a frame scenario's context is the screen and archive size.
fn report(what: &str, context: &str, s: &Stats) {
    println!(
        "{what} ({context}): p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        s.p50, s.p99, s.max
    );
}

fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

type BenchApp = App<TestBackend>;

fn act(app: &mut BenchApp, a: Action) {
    app.dispatch(a);
}

fn step_and_draw(app: &mut BenchApp, a: Action) -> Duration {
    timed(|| {
        app.dispatch(a);
        app.draw().expect("draw");
    })
}

/// Puts the tree selection on `row` (focus on the tree), outside any timing.
fn select_tree_row(app: &mut BenchApp, row: TreeRow) {
    act(app, Action::JumpToTree);
    let target = app
        .state
        .tree_rows()
        .iter()
        .position(|r| *r == row)
        .expect("row in tree");
    while app.state.tree_selected() < target {
        act(app, Action::Down);
    }
    while app.state.tree_selected() > target {
        act(app, Action::Up);
    }
}

fn main() -> std::io::Result<()> {
    let count = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or(DEFAULT_COUNT, |a| a.parse().expect("article count"));
    assert!(count >= 1, "at least one article");
    let now = Utc
        .with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
        .single()
        .expect("date");
    let tz = FixedOffset::east_opt(3600).expect("offset");

    let t = Instant::now();
    let Archive {
        articles,
        long,
        text_bytes,
    } = archive(count, now);
    let built = t.elapsed();
    println!(
        "archive: {count} articles, {:.1} MiB of text, generated in {:.0} ms",
        text_bytes as f64 / (1024.0 * 1024.0),
        built.as_secs_f64() * 1e3
    );

    let state = State::new(Clock { now, tz }, None);
    let Ok(terminal) = Terminal::new(TestBackend::new(WIDTH, HEIGHT));
    let mut app = App::new(
        terminal,
        state,
        Keymap::default(),
        Theme {
            color: true,
            ..Default::default()
        },
    )?;
    app.draw()?;

    // 5. The one-off: library + tree + filter build for the whole archive, and the first frame.
    let load = timed(|| {
        act(
            &mut app,
            Action::Loaded {
                articles,
                warnings: vec![],
            },
        );
        act(&mut app, Action::LoadingDone);
    });
    let first = timed(|| app.draw().expect("draw"));
    let n = app.state.lib().len();
    let ctx = format!("{WIDTH}x{HEIGHT}, {n} articles");
    println!(
        "load (Loaded + LoadingDone: library + tree, {n} articles): {:.1} ms; first frame {:.2} ms",
        load.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3
    );

    // 1. Selection move in the headline list: 100 steps down, 100 up, so it never sticks.
    let s = measure(|i| {
        let a = if (i / 100) % 2 == 0 {
            Action::Down
        } else {
            Action::Up
        };
        step_and_draw(&mut app, a)
    });
    report("selection move + frame", &ctx, &s);

    // 2. Filter change: Choose in the tree, alternating All and World News.
    let world = (0..app.state.categories().nodes.len())
        .find(|&k| app.state.categories().path_of(k) == "World News")
        .map(TreeRow::Node)
        .expect("World News node");
    let mut shown = [0usize; 2];
    let s = measure(|i| {
        let (slot, row) = if i % 2 == 0 {
            (0, world)
        } else {
            (1, TreeRow::All)
        };
        select_tree_row(&mut app, row);
        let d = step_and_draw(&mut app, Action::Choose);
        shown[slot] = app.state.visible().len();
        d
    });
    report("filter change (Choose) + frame", &ctx, &s);
    println!(
        "  filter shows: World News {} articles, All {} articles",
        shown[0], shown[1]
    );

    // 3. Reader paging: open the long article (row 0 of All, the newest) once; the reader then
    // has the focus. 4 pages down, 4 up.
    select_tree_row(&mut app, TreeRow::All);
    act(&mut app, Action::Choose);
    act(&mut app, Action::Top);
    assert_eq!(
        app.state.lib().articles()[app.state.selected_article().expect("a row")].id,
        long.id,
        "the long article is the newest"
    );
    act(&mut app, Action::Choose);
    app.draw()?;
    let reader_lines = app.state.reader().map_or(0, |r| r.lines.len());
    let s = measure(|i| {
        let a = if i % 8 < 4 {
            Action::PageDown
        } else {
            Action::PageUp
        };
        step_and_draw(&mut app, a)
    });
    report(
        &format!("reader page + frame ({reader_lines}-line article)"),
        &ctx,
        &s,
    );

    // 4. Wrap the 5,000-word article at 80 columns (the reader's text width at 200 columns)...
    let lines = layout(&long, 80, &tz).len();
    let s = measure(|_| timed(|| drop(black_box(layout(black_box(&long), 80, &tz)))));
    report(
        "layout 5,000-word article",
        &format!("80 columns, {lines} lines, no frame"),
        &s,
    );

    // ...and open it in the app: Back to the headlines (untimed), Choose on it + frame.
    let s = measure(|_| {
        act(&mut app, Action::Back);
        step_and_draw(&mut app, Action::Choose)
    });
    report("open 5,000-word article (Choose) + frame", &ctx, &s);

    // 6. Unread-only on and off (from the headlines, All).
    act(&mut app, Action::Back);
    let s = measure(|_| step_and_draw(&mut app, Action::ToggleUnreadOnly));
    report("unread-only toggle + frame", &ctx, &s);
    if app.state.unread_only() {
        act(&mut app, Action::ToggleUnreadOnly);
    }

    // 7. Search keystrokes: the first builds the folded index (once, reported apart); then typing
    // "market" and erasing it again, a keystroke + frame at a time (erasing searches everything).
    act(&mut app, Action::StartSearch);
    let index = timed(|| {
        act(&mut app, Action::SearchInput(SearchKey::Char('m')));
        act(&mut app, Action::SearchInput(SearchKey::Backspace));
    });
    println!(
        "search index (first keystroke, {n} articles folded): {:.0} ms",
        index.as_secs_f64() * 1e3
    );
    let word: Vec<char> = "market".chars().collect();
    let s = measure(|i| {
        let k = i % (2 * word.len());
        let key = if k < word.len() {
            SearchKey::Char(word[k])
        } else {
            SearchKey::Backspace
        };
        step_and_draw(&mut app, Action::SearchInput(key))
    });
    report("search keystroke + frame", &ctx, &s);
    Ok(())
}
