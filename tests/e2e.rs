//! End to end: runs the real binary in a real pseudo-terminal (a private tmux server), types keys
//! at it and reads the screen back with `tmux capture-pane`.
//!
//! Needs `tmux` on PATH. Without it the test is skipped, unless `CI` is set: then it fails.

mod common;

use common::{Tmux, tmux_available};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthChar;

const SESSION: &str = "tidings";
const WIDTH: usize = 120;
const HEIGHT: usize = 40;

// ---------------------------------------------------------------------------------------------
// The sample articles, as `tidings list sample-feeds --json` reports them (the folder holds
// plain-text articles and feed files, several articles to a feed).

struct Sample {
    title: String,
    /// Each category path, as "a / b", lower case.
    categories: Vec<String>,
}

fn samples() -> Vec<Sample> {
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["list", "sample-feeds", "--json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TZ", "UTC")
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("tidings-e2e-no-config"),
        )
        .stdin(Stdio::null())
        .output()
        .expect("runs tidings list");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "tidings list sample-feeds --json: {} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    items
        .as_array()
        .expect("an array of articles")
        .iter()
        .map(|a| Sample {
            title: a["title"].as_str().expect("a title").to_string(),
            categories: a["categories"]
                .as_array()
                .expect("categories")
                .iter()
                .map(|c| c.as_str().expect("a category").to_lowercase())
                .collect(),
        })
        .collect()
}

/// Files under `sample-feeds/`, to check that the list really covers the feeds too.
fn sample_file_count() -> usize {
    let mut n = 0;
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-feeds")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path: PathBuf = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                n += 1;
            }
        }
    }
    n
}

/// Which of `titles` a headline row shows. Rows end with the title, cut to the column width and
/// ended with "…" when too long, so the row must end with a prefix of the title (at least 12
/// characters of it, or all of it). The longest match wins.
fn title_in_row<'a>(row: &str, titles: &[&'a str]) -> Option<&'a str> {
    let shown = row.trim_end().trim_end_matches('…').trim_end();
    let mut best: Option<(usize, &'a str)> = None;
    for &t in titles {
        let n = t.chars().count();
        for k in (n.min(12)..=n).rev() {
            let prefix: String = t.chars().take(k).collect();
            if shown.ends_with(prefix.trim_end()) {
                if best.is_none_or(|(b, _)| k > b) {
                    best = Some((k, t));
                }
                break;
            }
        }
    }
    best.map(|(_, t)| t)
}

// ---------------------------------------------------------------------------------------------
// The captured screen, cut into the bordered panes of the layout.

struct Screen {
    text: String,
    lines: Vec<String>,
}

/// A bordered pane, found from its top border in the first screen line.
#[derive(Clone, Debug)]
struct Pane {
    title: String,
    /// A thick border marks the focused pane, a rounded one the others.
    focused: bool,
    /// Columns of the left and right border.
    left: usize,
    right: usize,
}

/// The characters of `line` that start in columns `from..to` (by display width).
fn columns(line: &str, from: usize, to: usize) -> String {
    let mut col = 0;
    let mut out = String::new();
    for ch in line.chars() {
        if col >= to {
            break;
        }
        if col >= from {
            out.push(ch);
        }
        col += ch.width().unwrap_or(0);
    }
    out
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Screen {
    fn new(text: String) -> Self {
        let lines = text.lines().map(str::to_string).collect();
        Screen { text, lines }
    }

    fn panes(&self) -> Vec<Pane> {
        let mut panes = Vec::new();
        let Some(top) = self.lines.first() else {
            return panes;
        };
        let mut col = 0;
        let mut open: Option<(usize, bool, String)> = None;
        for ch in top.chars() {
            match (ch, &mut open) {
                ('╭' | '┏', _) => open = Some((col, ch == '┏', String::new())),
                ('╮' | '┓', Some((left, focused, title))) => {
                    panes.push(Pane {
                        title: title.trim_matches(['─', '━', ' ']).to_string(),
                        focused: *focused,
                        left: *left,
                        right: col,
                    });
                    open = None;
                }
                (_, Some((_, _, title))) => title.push(ch),
                _ => {}
            }
            col += ch.width().unwrap_or(0);
        }
        panes
    }

    fn pane(&self, what: &str, is: impl Fn(&str) -> bool) -> Option<Pane> {
        let mut found = self.panes().into_iter().filter(|p| is(&p.title));
        let pane = found.next();
        assert!(found.next().is_none(), "two {what} panes:\n{}", self.text);
        pane
    }

    fn tree(&self) -> Option<Pane> {
        self.pane("category", |t| t == "Categories")
    }

    fn headlines(&self) -> Option<Pane> {
        self.pane("headline", |t| {
            t.contains(" article") && t.contains(" unread")
        })
    }

    fn reader(&self) -> Option<Pane> {
        self.pane("reader", |t| t == "Reader" || t.starts_with("Reader · "))
    }

    fn headline_title(&self) -> String {
        self.headlines().map(|p| p.title).unwrap_or_default()
    }

    fn reader_title(&self) -> String {
        self.reader().map(|p| p.title).unwrap_or_default()
    }

    /// Inside of a pane, one string per row (trailing blanks removed), down to its bottom border.
    fn rows(&self, pane: &Pane) -> Vec<String> {
        let mut rows = Vec::new();
        for line in self.lines.iter().skip(1) {
            let border = columns(line, pane.left, pane.left + 1);
            if border == "╰" || border == "┗" {
                break;
            }
            rows.push(
                columns(line, pane.left + 1, pane.right)
                    .trim_end()
                    .to_string(),
            );
        }
        rows
    }

    fn non_empty_rows(&self, pane: &Pane) -> Vec<String> {
        self.rows(pane)
            .into_iter()
            .filter(|r| !r.trim().is_empty())
            .collect()
    }

    /// The reader's text as one line, so that wrapped lines can be searched.
    fn reader_text(&self) -> String {
        self.reader()
            .map(|p| collapse_spaces(&self.rows(&p).join(" ")))
            .unwrap_or_default()
    }

    /// Whether the reading pane holds `text`, however it is wrapped (a line may end after a
    /// hyphen, as in `Cross-` / `Border`).
    fn reader_has(&self, text: &str) -> bool {
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        squeeze(&self.reader_text()).contains(&squeeze(text))
    }

    /// The bottom line of the terminal.
    fn status(&self) -> &str {
        self.lines
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map_or("", |l| l.as_str())
    }
}

/// Whether the text at the first `needle` on screen line `line` of a `capture-pane -e` capture is
/// drawn in reverse video (SGR 7), following the SGR state from the top of the screen.
fn reversed_at(escaped: &str, line: usize, needle: &str) -> Option<bool> {
    let mut reverse = false;
    let mut row = 0;
    let mut rest = escaped;
    while let Some(ch) = rest.chars().next() {
        if let Some(seq) = rest.strip_prefix("\x1b[") {
            let end = seq.find(|c: char| ('@'..='~').contains(&c))?;
            if seq[end..].starts_with('m') {
                let params: Vec<&str> = seq[..end].split(';').collect();
                let mut i = 0;
                while i < params.len() {
                    match params[i] {
                        "" | "0" => reverse = false,
                        "7" => reverse = true,
                        "27" => reverse = false,
                        "38" | "48" | "58" => {
                            i += match params.get(i + 1) {
                                Some(&"5") => 2,
                                Some(&"2") => 4,
                                _ => 0,
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            rest = &seq[end + 1..];
            continue;
        }
        if ch == '\n' {
            row += 1;
            if row > line {
                return None;
            }
        } else if row == line && rest.starts_with(needle) {
            return Some(reverse);
        }
        rest = &rest[ch.len_utf8()..];
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The tmux harness (tests/common) reading screens as panes.

trait WaitFor {
    /// [`Tmux::wait_until`] on the plain screen, cut into panes.
    fn wait_for(&self, what: &str, ready: impl Fn(&Screen) -> bool) -> Screen;
}

impl WaitFor for Tmux {
    fn wait_for(&self, what: &str, ready: impl Fn(&Screen) -> bool) -> Screen {
        Screen::new(self.wait_until(false, what, |t| ready(&Screen::new(t.to_string()))))
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn reader_end_to_end_in_tmux() {
    if !tmux_available() {
        return;
    }
    let t0 = Instant::now();
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let mut lap = {
        let mut last = Instant::now();
        move |step: &'static str, timings: &mut Vec<(&str, Duration)>| {
            timings.push((step, last.elapsed()));
            last = Instant::now();
        }
    };

    let samples = samples();
    let total = samples.len();
    let all_titles: Vec<&str> = samples.iter().map(|s| &*s.title).collect();
    let europe: Vec<&str> = samples
        .iter()
        .filter(|s| s.categories.iter().any(|c| c == "world news / europe"))
        .map(|s| &*s.title)
        .collect();
    assert!(
        total > sample_file_count(),
        "the feeds in sample-feeds/ give several articles each: {total} articles"
    );
    let n_europe = europe.len();
    assert!(
        n_europe >= 2,
        "the test opens two World News / Europe articles: {europe:?}"
    );
    let world = samples
        .iter()
        .filter(|s| {
            s.categories
                .iter()
                .any(|c| c == "world news" || c.starts_with("world news / "))
        })
        .count();
    assert!(n_europe < world && world < total);

    let root = env!("CARGO_MANIFEST_DIR");
    // Fresh data, config and cache folders: a user's read marks or config never change the run.
    // The program and its argument are passed as separate arguments: tmux runs them without a
    // shell.
    let home = tempfile::tempdir().expect("temp home");
    let tmux = Tmux::start(
        "e2e",
        SESSION,
        home.path(),
        Path::new(root),
        &[],
        (WIDTH as u16, HEIGHT as u16),
        &[env!("CARGO_BIN_EXE_tidings"), "sample-feeds"],
    );
    let size = tmux.display("#{pane_width}x#{pane_height}");
    assert_eq!(size, format!("{WIDTH}x{HEIGHT}"), "pane size");

    // (a) The start screen: three panes, everything unread, the headline list focused and
    // showing only sample titles, the newest first.
    let all_title = format!("All · {total} articles · {total} unread");
    let s = tmux.wait_for("the start screen", |s| {
        s.tree().is_some()
            && s.reader().is_some()
            && s.headline_title() == all_title
            && s.status().contains(&format!("{total}/{total} shown"))
    });
    let list = s.headlines().unwrap();
    assert!(
        list.focused,
        "the headline list has focus at start:\n{}",
        s.text
    );
    assert!(!s.tree().unwrap().focused && !s.reader().unwrap().focused);
    assert_eq!(s.reader_title(), "Reader");
    // One row per article, as many as fit in the pane (the rest are below, reached by scrolling).
    let visible = total.min(s.rows(&list).len());
    let rows = s.non_empty_rows(&list);
    assert_eq!(rows.len(), visible, "one row per article:\n{}", s.text);
    let mut shown: Vec<&str> = rows
        .iter()
        .map(|r| {
            assert!(r.starts_with('●'), "unread mark on {r:?}");
            title_in_row(r, &all_titles)
                .unwrap_or_else(|| panic!("row {r:?} shows no sample title:\n{}", s.text))
        })
        .collect();
    shown.sort();
    shown.dedup();
    assert_eq!(
        shown.len(),
        visible,
        "every sample shown is listed once:\n{}",
        s.text
    );
    lap("start screen", &mut timings);

    // (b) To the category tree, down to World News / Europe, Enter.
    tmux.send(&["c"]);
    let s = tmux.wait_for("the category tree to take focus", |s| {
        s.tree().is_some_and(|p| p.focused)
    });
    let tree = s.tree().unwrap();
    let tree_rows: Vec<String> = s.rows(&tree).iter().map(|r| r.trim().to_string()).collect();
    let row_of = |name: &str| {
        tree_rows
            .iter()
            .position(|r| {
                r.trim_start_matches(['▾', '▸', ' '])
                    .split_whitespace()
                    .next()
                    == Some(name)
            })
            .unwrap_or_else(|| panic!("no {name} row in the tree: {tree_rows:?}"))
    };
    let (all_row, world_row, europe_row) = (row_of("All"), row_of("World"), row_of("Europe"));
    assert!(
        tree_rows[world_row].starts_with("▾ World News")
            && tree_rows[all_row].ends_with(&format!("{total}/{total}")),
        "{tree_rows:?}"
    );
    assert!(
        tree_rows[world_row].ends_with(&format!(" {world}/{world}")),
        "World News counts {world}: {tree_rows:?}"
    );
    assert!(
        europe_row > world_row
            && tree_rows[europe_row].ends_with(&format!(" {n_europe}/{n_europe}")),
        "Europe ({n_europe}) is under World News: {tree_rows:?}"
    );
    // Screen line = tree row + 1 (the top border).
    tmux.wait_until(true, "All to be highlighted in the tree", |e| {
        reversed_at(e, all_row + 1, "All") == Some(true)
    });
    let downs = vec!["j"; europe_row - all_row];
    tmux.send(&downs);
    let e = tmux.wait_until(true, "Europe to be highlighted in the tree", |e| {
        reversed_at(e, europe_row + 1, "Europe") == Some(true)
    });
    assert_eq!(
        reversed_at(&e, all_row + 1, "All"),
        Some(false),
        "only one row is highlighted"
    );
    tmux.send(&["Enter"]);
    let europe_title =
        |unread: usize| format!("World News / Europe · {n_europe} articles · {unread} unread");
    let s = tmux.wait_for("the list to be filtered to World News / Europe", |s| {
        s.headline_title() == europe_title(n_europe)
    });
    let list = s.headlines().unwrap();
    assert!(
        list.focused,
        "Enter in the tree focuses the list:\n{}",
        s.text
    );
    assert!(
        s.status().contains("World News / Europe")
            && s.status().contains(&format!("{n_europe}/{total} shown"))
            && s.status().contains(&format!("{total} unread")),
        "status bar: {:?}",
        s.status()
    );
    let rows = s.non_empty_rows(&list);
    assert_eq!(
        rows.len(),
        n_europe,
        "one row per Europe article:\n{}",
        s.text
    );
    let europe_rows: Vec<&str> = rows
        .iter()
        .map(|r| {
            assert!(r.starts_with('●'), "still unread: {r:?}");
            title_in_row(r, &europe)
                .unwrap_or_else(|| panic!("row {r:?} is not a Europe article:\n{}", s.text))
        })
        .collect();
    let mut distinct = europe_rows.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        n_europe,
        "each Europe article once: {rows:?}"
    );
    lap("filter to Europe", &mut timings);

    // (c) Enter opens the selected (top) article in the reader and marks it read.
    tmux.send(&["Enter"]);
    let opened = europe_rows[0];
    let s = tmux.wait_for("the first Europe article in the reader", |s| {
        s.reader().is_some_and(|p| p.focused) && s.reader_has(opened)
    });
    assert_eq!(
        s.reader_title(),
        "Reader · Top",
        "the article is longer than one page:\n{}",
        s.text
    );
    assert_eq!(s.headline_title(), europe_title(n_europe - 1));
    assert!(
        s.status().contains(&format!("{} unread", total - 1)),
        "{:?}",
        s.status()
    );
    for other in &europe_rows[1..] {
        assert!(!s.reader_has(other), "only one article is shown");
    }
    let rows = s.non_empty_rows(&s.headlines().unwrap());
    let marks: Vec<bool> = rows.iter().map(|r| r.starts_with('●')).collect();
    let mut want_marks = vec![true; n_europe];
    want_marks[0] = false;
    assert_eq!(marks, want_marks, "the opened article is read: {rows:?}");
    let first_page = s.non_empty_rows(&s.reader().unwrap());
    lap("open article", &mut timings);

    // (d) Space pages down.
    tmux.send(&["Space"]);
    let s = tmux.wait_for("the reader to scroll", |s| {
        s.reader_title() != "Reader · Top"
    });
    let position = s.reader_title();
    let pct = position.strip_prefix("Reader · ").unwrap_or("");
    assert!(
        pct == "End"
            || pct
                .strip_suffix('%')
                .is_some_and(|n| n.parse::<u8>().is_ok_and(|n| n <= 100)),
        "reader title after paging: {position:?}"
    );
    let second_page = s.non_empty_rows(&s.reader().unwrap());
    assert_ne!(
        first_page.iter().take(5).collect::<Vec<_>>(),
        second_page.iter().take(5).collect::<Vec<_>>(),
        "the text moved"
    );
    assert!(s.reader().unwrap().focused);
    lap("page down", &mut timings);

    // (e) Esc returns to the list; the reader keeps the article where it was.
    tmux.send(&["Escape"]);
    let s = tmux.wait_for("the list to take focus again", |s| {
        s.headlines().is_some_and(|p| p.focused)
    });
    assert!(!s.reader().unwrap().focused && !s.tree().unwrap().focused);
    assert_eq!(s.reader_title(), position, "reader position kept");
    assert_eq!(s.non_empty_rows(&s.reader().unwrap()), second_page);
    assert_eq!(s.headline_title(), europe_title(n_europe - 1));
    // With the list focused, `j` moves the selection: Enter then opens the next article.
    tmux.send(&["j", "Enter"]);
    let next = europe_rows[1];
    let s = tmux.wait_for("the second Europe article in the reader", |s| {
        s.reader().is_some_and(|p| p.focused) && s.reader_has(next)
    });
    assert_eq!(s.reader_title(), "Reader · Top", "{}", s.text);
    assert_eq!(s.headline_title(), europe_title(n_europe - 2));
    assert!(
        s.status().contains(&format!("{} unread", total - 2)),
        "{:?}",
        s.status()
    );
    lap("back, next article", &mut timings);

    // (f) q quits with status 0.
    tmux.send(&["q"]);
    let state = tmux.wait_exit();
    assert_eq!(state, "1 0", "pane dead, exit status 0");
    lap("quit", &mut timings);

    for (step, d) in &timings {
        println!("e2e {step:<20} {:>6} ms", d.as_millis());
    }
    println!(
        "e2e total                {:>6} ms",
        t0.elapsed().as_millis()
    );
}
