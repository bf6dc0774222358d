//! Golden tests: every file under `sample-feeds/` (plain-text articles and feeds alike) is loaded
//! through the library, its articles rendered, and the result compared with a committed JSON file
//! in `tests/golden/` named after the sample's relative path (`/` replaced by `__`).
//!
//! `UPDATE_GOLDENS=1 cargo test --test golden` writes the goldens instead of comparing (and
//! removes goldens whose sample is gone). Without it, a missing or stale golden fails the test.
//!
//! Ids and origins are left out: for files they hash or name the absolute path, which differs from
//! machine to machine. An undated article's date is written as `null` (it would be the file's
//! modification time).

use serde::Serialize;
use std::path::{Path, PathBuf};
use tidings::core::model::{Article, Block};
use tidings::core::render::Render;
use tidings::sources::{SourceSpec, load};

fn samples_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-feeds")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDENS").is_some_and(|v| v == "1")
}

/// Every file under `dir`, recursively, hidden entries skipped (as the loader does), sorted.
fn sample_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for e in entries {
            let e = e.unwrap();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `world/europe-x.txt` -> `world__europe-x.txt.json`.
fn golden_name(rel: &Path) -> String {
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("{}.json", rel.join("__"))
}

/// What a golden records of one article: everything but the machine-dependent id and origin.
#[derive(Serialize)]
struct GoldenArticle<'a> {
    title: &'a str,
    source: &'a str,
    author: Option<&'a str>,
    /// RFC 3339, or `null` for an undated article.
    date: Option<String>,
    link: Option<&'a str>,
    categories: Vec<String>,
    standfirst: Option<&'a str>,
    words: u32,
    blocks: &'a [Block],
}

impl<'a> GoldenArticle<'a> {
    fn of(a: &'a Article) -> Self {
        GoldenArticle {
            title: &a.title,
            source: &a.source,
            author: a.author.as_deref(),
            date: a.dated.then(|| a.date.to_rfc3339()),
            link: a.link.as_deref(),
            categories: a.categories.iter().map(|c| c.to_string()).collect(),
            standfirst: a.standfirst.as_deref(),
            words: a.words,
            blocks: a.blocks(),
        }
    }
}

/// Loads one sample file and renders it to the golden's text; `Err` says what went wrong.
fn render_sample(path: &Path) -> Result<String, String> {
    let mut outcome = load(&[SourceSpec::Path(path.to_path_buf())]);
    if !outcome.warnings.is_empty() {
        let w: Vec<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
        return Err(format!("warnings: {w:?}"));
    }
    if let Some(failure) = outcome.reports.iter().find_map(|r| r.failure.as_ref()) {
        return Err(format!("the source failed: {failure}"));
    }
    if outcome.articles.is_empty() {
        return Err("no articles".to_string());
    }
    for a in &mut outcome.articles {
        a.render();
        if a.pending().is_some() {
            return Err(format!("{:?}: still pending after render()", a.title));
        }
    }
    let golden: Vec<GoldenArticle> = outcome.articles.iter().map(GoldenArticle::of).collect();
    let mut text = serde_json::to_string_pretty(&golden).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// The first line where `want` and `got` differ, for the failure message.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b {
            return format!(
                "line {}:\n    golden: {}\n    actual: {}",
                i + 1,
                a.copied().unwrap_or("<end of file>"),
                b.copied().unwrap_or("<end of file>")
            );
        }
    }
    "only in line endings".to_string()
}

#[test]
fn sample_feeds_match_goldens() {
    let root = samples_root();
    let dir = golden_dir();
    let files = sample_files(&root);
    assert!(!files.is_empty(), "no files under {}", root.display());
    let update = updating();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut failures: Vec<String> = Vec::new();
    let mut expected_goldens: Vec<String> = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&root).unwrap();
        let name = golden_name(rel);
        expected_goldens.push(name.clone());
        let golden_path = dir.join(&name);
        let got = match render_sample(path) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{}: {e}", rel.display()));
                continue;
            }
        };
        if update {
            if std::fs::read_to_string(&golden_path).ok().as_deref() != Some(got.as_str()) {
                std::fs::write(&golden_path, &got).unwrap();
                eprintln!("updated tests/golden/{name}");
            }
            continue;
        }
        match std::fs::read_to_string(&golden_path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{} differs from tests/golden/{name}, {}",
                rel.display(),
                first_difference(&want, &got)
            )),
            Err(e) => failures.push(format!(
                "{}: no golden tests/golden/{name} ({e})",
                rel.display()
            )),
        }
    }
    // Goldens whose sample is gone.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") && !expected_goldens.contains(&name) {
                if update {
                    std::fs::remove_file(e.path()).unwrap();
                    eprintln!("removed stale tests/golden/{name}");
                } else {
                    failures.push(format!("tests/golden/{name} has no sample file"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) (run `UPDATE_GOLDENS=1 cargo test --test golden` to accept changes, then \
         review the diff):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn golden_names_flatten_the_path() {
    assert_eq!(
        golden_name(Path::new("world/europe-night-train-revival.txt")),
        "world__europe-night-train-revival.txt.json"
    );
    assert_eq!(
        golden_name(Path::new("feeds/harbour-wire.rss")),
        "feeds__harbour-wire.rss.json"
    );
}
