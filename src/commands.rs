//! The `list`, `show` and `categories` commands: load, then print to stdout. Everything printed
//! comes from the model, which holds sanitized text only.

use crate::cli::{Cli, Command, SourceArgs};
use crate::core::category::CategoryTree;
use crate::core::layout::layout_marked;
use crate::core::library::{FindError, Library};
use crate::core::model::{Article, Block};
use crate::core::text::{fit, truncate, width};
use crate::sources::fetch::Fetcher;
use crate::sources::pipeline::Pipeline;
use crate::sources::{self, LoadOutcome};
use chrono::Local;
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::rc::Rc;

/// Exit status for bad usage (unknown category or id, bad arguments).
const USAGE: u8 = 2;

pub fn run(mut cli: Cli) -> ExitCode {
    // The config is read and checked whole before anything else happens.
    if let Err(e) = crate::cli::attach(&mut cli) {
        return usage_error(e);
    }
    // Options may come before the command (`tidings --config c.toml list`); `--category` there
    // means what it means after it, for `list`, and nothing for the others: say so.
    let top_category = cli.category.take();
    if top_category.is_some() && !matches!(cli.command, None | Some(Command::List { .. })) {
        return usage_error("--category goes with the reader or `list`");
    }
    let result = match cli.command {
        Some(Command::List {
            sources,
            category,
            json,
            unread,
            starred,
            search,
            all,
            stories,
        }) => list(
            &sources,
            &ListFilter {
                category: category.or(top_category.clone()),
                unread,
                starred,
                search,
                all,
                stories,
            },
            json,
        ),
        Some(Command::Show {
            id,
            sources,
            width,
            json,
            full,
        }) => show(&sources, &id, width.map(usize::from), json, full),
        Some(Command::Categories { sources, json }) => categories(&sources, json),
        Some(Command::Config { example }) => crate::config::command(&cli.sources.settings, example),
        Some(Command::Import { file }) => crate::opml::import(&cli.sources, &file),
        Some(Command::Export) => crate::opml::export(&cli.sources),
        Some(Command::Prune { dry_run, json }) => prune(&cli.sources, dry_run, json),
        Some(Command::Sync { json }) => crate::sync::sync(&cli.sources, json),
        Some(Command::Mark {
            ids,
            read,
            unread,
            star,
            unstar,
        }) => {
            let states = crate::sync::MarkStates {
                read: (read || unread).then_some(read),
                starred: (star || unstar).then_some(star),
            };
            crate::sync::mark(&cli.sources, &ids, states)
        }
        None => {
            if let Some(e) = unknown_command(&cli.sources.sources) {
                return usage_error(e);
            }
            if !crate::shell::has_terminal() {
                return usage_error(
                    "the reader needs a terminal; to print headlines without one, use `tidings \
                     list` (see `tidings --help`)",
                );
            }
            crate::shell::reader(&cli.sources, top_category)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tidings: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `tidings prune`: applies the archive's retention (or, with `--dry-run`, lists what it
/// would remove), one line per article, oldest first, and a count on stderr.
fn prune(args: &SourceArgs, dry_run: bool, json: bool) -> io::Result<ExitCode> {
    use crate::sources::archive::Archive;
    let Some(dir) = (args.data_dir.clone()).or_else(sources::store::default_data_dir) else {
        return Ok(usage_error("no data folder: give --data-dir"));
    };
    let (archive, warning) = Archive::open(&dir);
    if let Some(w) = warning {
        eprintln!("tidings: warning: {w}");
    }
    let archive = match archive {
        Ok(a) => a,
        Err(e) => {
            eprintln!("tidings: error: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let marks = match args.store() {
        Some(store) => {
            let (marks, warning) = store.load();
            if let Some(w) = warning {
                eprintln!("tidings: warning: {w}");
            }
            marks
        }
        None => Vec::new(),
    };
    let marks = marks
        .into_iter()
        .map(|m| (m.id, (m.read, m.starred)))
        .collect();
    let rules = args.settings.retention();
    let pruned = match archive.prune(&rules, &marks, chrono::Utc::now(), dry_run) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("tidings: error: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    for p in &pruned {
        let (source, title) = (
            crate::core::sanitize::sanitize_line(&p.source),
            crate::core::sanitize::sanitize_line(&p.title),
        );
        if json {
            let row = serde_json::json!({
                "id": p.id.as_str(),
                "source": source,
                "title": title,
                "date": p.date.to_rfc3339(),
                "why": p.why,
            });
            writeln!(out, "{row}")?;
        } else {
            let date = p.date.with_timezone(&Local).format("%Y-%m-%d");
            writeln!(out, "{date}  {title}  ({source}; {})", p.why)?;
        }
    }
    out.flush()?;
    let left = archive.len().unwrap_or(0);
    let n = pruned.len();
    let s = if n == 1 { "" } else { "s" };
    match dry_run {
        true => eprintln!("tidings: would remove {n} archived article{s} ({left} archived)"),
        false => eprintln!("tidings: removed {n} archived article{s} ({left} left)"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `tidings lsit`: when every source is a bare word (no `/`, no `.`, no `:`) that names no file
/// or folder, it was most likely a mistyped command: the message says so and names the closest
/// command, if one is close.
fn unknown_command(sources: &[String]) -> Option<String> {
    use clap::CommandFactory;
    let bare = |s: &String| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && !std::path::Path::new(s).exists()
    };
    if sources.is_empty() || !sources.iter().all(bare) {
        return None;
    }
    let word = crate::core::sanitize::sanitize_line(&sources[0]);
    let cli = crate::cli::Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    let closest = names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(&word.to_lowercase(), n), *n))
        .min()
        .filter(|(d, n)| *d <= 2.max(n.len() / 3));
    Some(match closest {
        Some((_, name)) => format!("unknown command '{word}' (did you mean '{name}'?)"),
        None => format!(
            "unknown command '{word}' (commands: {}); sources are files, folders or feed URLs",
            names.join(", ")
        ),
    })
}

/// Loads the sources and prints each warning to stderr; `Err` holds the exit status when every
/// source failed.
///
/// Local files come from the warm-start snapshot in the cache folder when unchanged, and the
/// snapshot is saved again when anything changed; bodies stay on disk until needed.
/// With `hidden`, the articles `[[filters]]` rules hide are kept too.
fn load(args: &SourceArgs, fetcher: &Fetcher, hidden: bool) -> Result<Library, ExitCode> {
    let (archive, warning) = args.archive();
    if let Some(w) = warning {
        eprintln!("tidings: warning: {w}");
    }
    let pipeline = Pipeline {
        fetcher,
        archive: archive.as_ref(),
        prepare: &|label, articles| {
            args.settings.apply(label, articles);
            if !hidden {
                args.settings.filters.drop_hidden(articles);
            }
        },
        read: &|_, _| {},
        cached_first: false,
        warm: true,
        batch_every: std::time::Duration::MAX,
    };
    let LoadOutcome {
        articles,
        warnings,
        reports,
    } = sources::pipeline::collect(&args.specs(), &pipeline);
    let mut err = io::stderr().lock();
    for w in &warnings {
        let _ = writeln!(err, "tidings: warning: {w}");
    }
    if !reports.iter().any(|r| r.failure.is_none()) {
        let _ = writeln!(err, "tidings: error: no source could be loaded");
        return Err(ExitCode::FAILURE);
    }
    Ok(Library::new(articles))
}

/// The process ends right after a command: freeing every article one by one would cost about a
/// twentieth of a `list` run over a big archive, so the library is left to the OS.
fn exit_without_freeing(lib: Library) {
    std::mem::forget(lib);
}

fn usage_error(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("tidings: error: {msg}");
    ExitCode::from(USAGE)
}

/// The JSON shape of an article (`blocks` only for `show`).
#[derive(Serialize)]
struct JsonArticle<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a str,
    author: Option<&'a str>,
    date: Option<String>,
    link: Option<&'a str>,
    categories: Vec<String>,
    standfirst: Option<&'a str>,
    words: u32,
    origin: &'a str,
    /// The marks from the data folder.
    read: bool,
    starred: bool,
    /// The story it belongs to (the same for every version of one story; see docs/stories.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    story: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocks: Option<&'a [Block]>,
}

impl<'a> JsonArticle<'a> {
    /// `marks`: (read, starred).
    fn new(a: &'a Article, with_blocks: bool, (read, starred): (bool, bool)) -> JsonArticle<'a> {
        JsonArticle {
            id: a.id.as_str(),
            title: &a.title,
            source: &a.source,
            author: a.author.as_deref(),
            date: a.dated.then(|| a.date.to_rfc3339()),
            link: a.link.as_deref(),
            categories: a.categories.iter().map(|c| c.to_string()).collect(),
            standfirst: a.standfirst.as_deref(),
            words: a.words,
            origin: &a.origin,
            read,
            starred,
            story: None,
            blocks: with_blocks.then_some(a.blocks()),
        }
    }
}

fn stdout_width() -> Option<usize> {
    let out = io::stdout();
    if !out.is_terminal() {
        return None;
    }
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
        .filter(|&w| w > 0)
}

/// The first category (spelled as the library's tree spells it: see `Library::new`), and how
/// many more there are.
fn category_cell(a: &Article) -> String {
    match a.categories.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} +{}", rest.len()),
    }
}

type Memo<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Remembers a value per distinct key: an archive has few distinct sources and categories.
fn memo<K: std::hash::Hash + Eq, V: Clone>(
    map: &mut Memo<K, V>,
    key: K,
    make: impl FnOnce(&K) -> V,
) -> V {
    if let Some(v) = map.get(&key) {
        return v.clone();
    }
    let v = make(&key);
    map.insert(key, v.clone());
    v
}

/// `2026-11-24 08:15` in the local zone (as `format_date_short`), written into `out`.
///
/// The zone's offset is asked once per quarter hour met (`offsets`): every offset in use is a
/// whole number of quarter hours and changes at a local whole or half hour, so within a UTC
/// quarter hour it cannot change, and asking chrono per line was a tenth of a big `list`.
fn push_date_cell(
    out: &mut String,
    date: chrono::DateTime<chrono::Utc>,
    offsets: &mut Memo<i64, i32>,
) {
    use chrono::{Datelike, Offset, TimeZone, Timelike};
    const QUARTER: i64 = 900;
    let secs = date.timestamp();
    let offset = *offsets.entry(secs.div_euclid(QUARTER)).or_insert_with(|| {
        Local
            .offset_from_utc_datetime(&date.naive_utc())
            .fix()
            .local_minus_utc()
    });
    let d = date.naive_utc() + chrono::TimeDelta::seconds(i64::from(offset));
    // Two decimal digits of `n` (below 100).
    let two = |out: &mut String, n: u32| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    match u32::try_from(d.year()) {
        Ok(year) if year <= 9999 => {
            two(out, year / 100);
            two(out, year % 100);
        }
        // As chrono prints years of more than four digits.
        _ => out.push_str(&d.format("%Y").to_string()),
    }
    out.push('-');
    two(out, d.month());
    out.push('-');
    two(out, d.day());
    out.push(' ');
    two(out, d.hour());
    out.push(':');
    two(out, d.minute());
}

/// Read and star marks by article id, from the data folder (none without one).
type MarkMap = std::collections::HashMap<crate::core::model::ArticleId, (bool, bool)>;

fn load_marks(args: &SourceArgs) -> MarkMap {
    match args.store() {
        Some(store) => {
            let (marks, warning) = store.load();
            if let Some(w) = warning {
                eprintln!("tidings: warning: {w}");
            }
            marks
                .into_iter()
                .map(|m| (m.id, (m.read, m.starred)))
                .collect()
        }
        None => Default::default(),
    }
}

/// The lines `tidings list` prints: date, category, source, title, aligned by display width;
/// when some article is starred (`starred`, one per article), a `★` column first.
/// `max_width` (a terminal's) truncates the title; `None` prints it whole. Each line goes to
/// `each` with its article's index as it is made (one buffer for all: a big archive's lines
/// are never all in memory).
pub fn each_list_line(
    articles: &[&Article],
    starred: &[bool],
    max_width: Option<usize>,
    mut each: impl FnMut(usize, &str) -> io::Result<()>,
) -> io::Result<()> {
    const DATE: usize = 16;
    let star_col = starred.iter().any(|&s| s);
    let star_w = if star_col { 2 } else { 0 };
    // Category cells by the article's first category (shared by a feed's items, and by
    // articles with the same category once the library has spelled it) and their count.
    let cell_key = |a: &Article| {
        (
            a.categories.first().map(|p| p.levels().as_ptr() as usize),
            a.categories.len(),
        )
    };
    // One pass over the categories (a big archive's articles are far apart in memory).
    let mut cell_of: Memo<(Option<usize>, usize), u32> = Default::default();
    let mut cells: Vec<String> = Vec::new();
    let cell_ix: Vec<u32> = articles
        .iter()
        .map(|a| {
            *cell_of.entry(cell_key(a)).or_insert_with(|| {
                cells.push(category_cell(a));
                (cells.len() - 1) as u32
            })
        })
        .collect();
    let cat_w = cells.iter().map(|c| width(c)).max().unwrap_or(0).min(28);
    let mut widths: Memo<*const u8, usize> = Default::default();
    let src_w = articles
        .iter()
        .map(|a| memo(&mut widths, a.source.as_ptr(), |_| width(&a.source)))
        .max()
        .unwrap_or(0)
        .min(20);
    let undated = fit("undated", DATE);
    let mut offsets = Memo::default();
    let mut fitted: Memo<(u32, *const u8), Rc<str>> = Default::default();
    let mut line = String::new();
    for (i, a) in articles.iter().enumerate() {
        line.clear();
        match (star_col, starred.get(i).copied().unwrap_or(false)) {
            (false, _) => {}
            (true, true) => line.push_str("★ "),
            (true, false) => line.push_str("  "),
        }
        if a.dated {
            push_date_cell(&mut line, a.date, &mut offsets);
        } else {
            line.push_str(&undated);
        }
        line.push_str("  ");
        let cat = cell_ix[i];
        let rest = memo(&mut fitted, (cat, a.source.as_ptr()), |_| {
            let cell = &cells[cat as usize];
            format!("{}  {}  ", fit(cell, cat_w), fit(&a.source, src_w)).into()
        });
        line.push_str(&rest);
        match max_width {
            Some(w) => line.push_str(&truncate(
                &a.title,
                w.saturating_sub(star_w + DATE + 2 + width(&rest)).max(10),
            )),
            None => line.push_str(&a.title),
        }
        each(i, &line)?;
    }
    Ok(())
}

/// What `list` narrows to.
struct ListFilter {
    category: Option<String>,
    unread: bool,
    starred: bool,
    search: Option<String>,
    /// Also what `[[filters]]` hide.
    all: bool,
    /// One line per story.
    stories: bool,
}

/// Stories (issue 17) over a library, for `list`: each article's story id, and the shown
/// articles grouped by story. With `stories = false` every article is its own story.
struct Stories {
    index: Option<crate::core::story::StoryIndex>,
}

impl Stories {
    fn of_library(lib: &Library, grouping: bool) -> Stories {
        use crate::core::story::{StoryIndex, StoryInput};
        Stories {
            index: grouping
                .then(|| StoryIndex::build(lib.articles().iter().map(StoryInput::from_article))),
        }
    }

    fn of(&self, a: &Article) -> String {
        self.index
            .as_ref()
            .and_then(|ix| ix.story_of(&a.id))
            .map_or_else(|| a.id.to_string(), |s| s.to_string())
    }

    /// The shown articles by story, in the order of each story's first shown version: the
    /// story's representative when shown (else its first shown version) and every shown version.
    fn group<'a>(&self, shown: &[&'a Article]) -> Vec<(&'a Article, Vec<&'a Article>)> {
        let mut order: Vec<String> = Vec::new();
        let mut by: std::collections::HashMap<String, Vec<&'a Article>> = Default::default();
        for a in shown {
            let key = self.of(a);
            if !by.contains_key(&key) {
                order.push(key.clone());
            }
            by.entry(key).or_default().push(a);
        }
        order
            .into_iter()
            .filter_map(|key| {
                let versions = by.remove(&key)?;
                let rep = self
                    .index
                    .as_ref()
                    .and_then(|ix| ix.representative(ix.story_of(&versions[0].id)?))
                    .and_then(|id| versions.iter().find(|a| &a.id == id))
                    .copied()
                    .unwrap_or(versions[0]);
                Some((rep, versions))
            })
            .collect()
    }

    /// How many sources carry these versions.
    fn sources(&self, versions: &[&Article]) -> usize {
        let names: std::collections::HashSet<&str> = versions.iter().map(|a| &*a.source).collect();
        names.len()
    }
}

/// The articles whose text the full-text index finds for `expression`, after indexing what it
/// lacks of `articles` (the first time: every body, read again from disk). Problems are
/// warnings: the search then finds what the headers hold.
fn search_bodies(
    args: &SourceArgs,
    articles: &[Article],
    expression: &str,
) -> std::collections::HashSet<crate::core::model::ArticleId> {
    use sources::search_index::{SearchIndex, index_pending, pending};
    let (index, warning) = match &args.fetch_options().cache_dir {
        Some(dir) => SearchIndex::open(dir),
        None => (SearchIndex::in_memory(), None),
    };
    if let Some(w) = warning {
        eprintln!("tidings: warning: {w}");
    }
    let waiting = pending(&index, articles);
    if waiting.len() > 10_000 {
        eprintln!(
            "tidings: indexing {} stories for search (once; later searches are instant)…",
            waiting.len()
        );
    }
    match index_pending(&index, waiting, |_| true) {
        Ok(warnings) => {
            for w in warnings {
                eprintln!("tidings: warning: {w}");
            }
        }
        Err(e) => eprintln!("tidings: warning: {e}: searching titles only"),
    }
    match index.search(expression) {
        Ok(ids) => ids.into_iter().collect(),
        Err(e) => {
            eprintln!("tidings: warning: {e}: searching titles only");
            Default::default()
        }
    }
}

fn list(args: &SourceArgs, f: &ListFilter, json: bool) -> io::Result<ExitCode> {
    let fetcher = Fetcher::new(args.fetch_options());
    let lib = match load(args, &fetcher, f.all) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let matcher = f
        .search
        .as_deref()
        .and_then(crate::core::search::Matcher::new);
    // Words in bodies are found by the full-text index (brought up to date first).
    let hits = matcher
        .as_ref()
        .and_then(|m| m.fts())
        .map(|expression| search_bodies(args, lib.articles(), &expression));
    let filter = match f
        .category
        .as_deref()
        .map(|c| lib.category_filter(c))
        .transpose()
    {
        Ok(f) => f,
        Err(e) => return Ok(usage_error(e)),
    };
    // Read and star marks: they narrow the list and show in it.
    let marks = load_marks(args);
    // An article a `mark_read` rule matches is read unless marked otherwise.
    let by_rule = |a: &Article| {
        args.settings.filters.action(a) == Some(crate::config::filters::FilterAction::MarkRead)
    };
    let mark = |a: &Article| marks.get(&a.id).copied().unwrap_or((by_rule(a), false));
    // On every core: a search folds each header it tests.
    let shown: Vec<&Article> = lib
        .articles()
        .par_iter()
        .filter(|a| filter.as_ref().is_none_or(|f| f.matches(a)))
        .filter(|a| !f.unread || !mark(a).0)
        .filter(|a| !f.starred || mark(a).1)
        .filter(|a| {
            matcher.as_ref().is_none_or(|m| {
                // A hit first: it saves folding the header.
                hits.as_ref().is_some_and(|h| h.contains(&a.id))
                    || m.matches(&crate::core::search::index_text(a))
            })
        })
        .collect();
    // Stories over the whole library (the same ids whatever the filter), when asked for.
    let stories = (json || f.stories)
        .then(|| Stories::of_library(&lib, args.settings.stories != Some(false)));
    let story_of = |a: &Article| stories.as_ref().map(|s| s.of(a));
    let mut out = io::BufWriter::new(io::stdout().lock());
    if f.stories {
        let stories = stories.as_ref().expect("built for --stories");
        let groups = stories.group(&shown);
        if json {
            let items: Vec<serde_json::Value> = groups
                .iter()
                .map(|(rep, versions)| {
                    serde_json::json!({
                        "story": stories.of(rep),
                        "sources": stories.sources(versions),
                        "versions": versions.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
                        "article": JsonArticle::new(rep, false, mark(rep)),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        } else {
            let reps: Vec<&Article> = groups.iter().map(|(rep, _)| *rep).collect();
            let starred: Vec<bool> = reps.iter().map(|a| mark(a).1).collect();
            let width = stdout_width().map(|w| w.saturating_sub(12));
            each_list_line(&reps, &starred, width, |i, line| {
                let n = stories.sources(&groups[i].1);
                let s = if n == 1 { "" } else { "s" };
                writeln!(out, "{line}  [{n} source{s}]")
            })?;
        }
    } else if json {
        let items: Vec<JsonArticle> = shown
            .iter()
            .map(|a| JsonArticle {
                story: story_of(a),
                ..JsonArticle::new(a, false, mark(a))
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
    } else {
        let starred: Vec<bool> = shown.iter().map(|a| mark(a).1).collect();
        each_list_line(&shown, &starred, stdout_width(), |_, line| {
            writeln!(out, "{line}")
        })?;
    }
    out.flush()?;
    exit_without_freeing(lib);
    Ok(ExitCode::SUCCESS)
}

fn show(
    args: &SourceArgs,
    id: &str,
    width: Option<usize>,
    json: bool,
    full: bool,
) -> io::Result<ExitCode> {
    let fetcher = Fetcher::new(args.fetch_options());
    let lib = match load(args, &fetcher, true) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let mut article = match lib.find(id) {
        Ok(a) => a.clone(),
        Err(FindError::NotFound) => {
            return Ok(usage_error(format!(
                "no article has an id starting with '{}' (ids are listed by `tidings list --json`)",
                crate::core::sanitize::sanitize_line(id)
            )));
        }
        Err(FindError::Ambiguous(ids)) => {
            return Ok(usage_error(format!(
                "'{}' is ambiguous: it starts {}; give more digits",
                crate::core::sanitize::sanitize_line(id),
                ids.join(", ")
            )));
        }
    };
    if let Err(e) = sources::load_body(&mut article) {
        eprintln!("tidings: warning: {e}");
    }
    // `--full`: the story from the article's page (the cached copy, else fetched and cached)
    // replaces the feed's summary; when that fails, the summary is printed and the exit is 1.
    let mut full_story = None;
    let mut full_error = None;
    if full {
        use sources::fulltext::{cached_full, fetch_full};
        let link = article.link.as_deref().unwrap_or("");
        match cached_full(&article.id, fetcher.options())
            .map_or_else(|| fetch_full(&article.id, link, &fetcher), Ok)
        {
            Ok(story) => {
                article.standfirst = None;
                article.body = crate::core::model::Body::Blocks(story.blocks.clone());
                article.words = story.words;
                full_story = Some(story);
            }
            Err(e) => {
                eprintln!("tidings: error: {e}");
                full_error = Some(e.to_string());
            }
        }
    }
    let article = &article;
    let marks = load_marks(args)
        .get(&article.id)
        .copied()
        .unwrap_or((false, false));
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        #[derive(Serialize)]
        struct WithFull<'a> {
            #[serde(flatten)]
            article: JsonArticle<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            full: Option<serde_json::Value>,
        }
        let full = full.then(|| match &full_story {
            Some(s) => serde_json::json!({
                "link": s.link,
                "final_url": s.final_url,
                "fetched": s.fetched.to_rfc3339(),
                "title": s.title,
                "words": s.words,
                "from_cache": s.from_cache,
                "note": s.note(),
            }),
            None => serde_json::json!({ "error": full_error }),
        });
        let shown = WithFull {
            article: JsonArticle::new(article, true, marks),
            full,
        };
        serde_json::to_writer_pretty(&mut out, &shown)?;
        writeln!(out)?;
    } else {
        use crate::core::layout::LineKind;
        let cols = width.or_else(stdout_width).unwrap_or(80);
        // The note goes right under the header (title, byline, categories, link).
        let mut note: Option<Vec<String>> = full_story.as_ref().map(|s| {
            textwrap::wrap(&s.note(), cols.max(10))
                .into_iter()
                .map(|l| l.into_owned())
                .collect()
        });
        for line in layout_marked(article, cols, &Local, marks.1) {
            let header = matches!(
                line.kind,
                LineKind::Title | LineKind::Byline | LineKind::Categories | LineKind::Link
            );
            if !header && let Some(lines) = note.take() {
                for l in lines {
                    writeln!(out, "{l}")?;
                }
            }
            writeln!(out, "{}", line.text)?;
        }
        for l in note.into_iter().flatten() {
            writeln!(out, "{l}")?;
        }
    }
    out.flush()?;
    exit_without_freeing(lib);
    Ok(if full_error.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Serialize)]
struct JsonNode {
    name: String,
    path: String,
    count: usize,
    children: Vec<JsonNode>,
}

fn json_node(tree: &CategoryTree, n: usize) -> JsonNode {
    JsonNode {
        name: tree.nodes[n].name.clone(),
        path: tree.path_of(n),
        count: tree.nodes[n].count,
        children: tree.nodes[n]
            .children
            .iter()
            .map(|&c| json_node(tree, c))
            .collect(),
    }
}

/// The lines `tidings categories` prints: `All`, the tree indented two spaces a level, then
/// `Uncategorized` when some articles have no category; counts right-aligned.
pub fn category_lines(tree: &CategoryTree) -> Vec<String> {
    let mut rows: Vec<(String, usize)> = vec![("All".to_string(), tree.total)];
    for n in tree.preorder() {
        let node = &tree.nodes[n];
        rows.push((
            format!("{}{}", "  ".repeat(node.depth), node.name),
            node.count,
        ));
    }
    if tree.uncategorized > 0 {
        rows.push(("Uncategorized".to_string(), tree.uncategorized));
    }
    let name_w = rows.iter().map(|(s, _)| width(s)).max().unwrap_or(0);
    let count_w = rows
        .iter()
        .map(|(_, c)| c.to_string().len())
        .max()
        .unwrap_or(1);
    rows.iter()
        .map(|(name, count)| format!("{}  {count:>count_w$}", fit(name, name_w)))
        .collect()
}

fn categories(args: &SourceArgs, json: bool) -> io::Result<ExitCode> {
    let fetcher = Fetcher::new(args.fetch_options());
    let lib = match load(args, &fetcher, false) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let tree = lib.category_tree();
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        let value = serde_json::json!({
            "total": tree.total,
            "uncategorized": tree.uncategorized,
            "categories": tree.roots.iter().map(|&r| json_node(&tree, r)).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        for line in category_lines(&tree) {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    exit_without_freeing(lib);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_cells_match_the_local_format_across_years_and_quarter_hours() {
        let mut offsets = Memo::default();
        let start = 1_600_000_000_i64;
        // Every 7 minutes 13 seconds for two years (both sides of every DST change of the
        // zone the tests run in), then a few far dates.
        let mut times: Vec<i64> = (0..145_000).map(|k| start + k * 433).collect();
        times.extend([0, 86_399, 253_402_300_799]);
        for t in times {
            let date = chrono::DateTime::from_timestamp(t, 0).unwrap();
            let mut cell = String::new();
            push_date_cell(&mut cell, date, &mut offsets);
            assert_eq!(
                cell,
                crate::core::text::format_date_short(date, &Local),
                "{t}"
            );
        }
    }
}
