//! Full-text search through the real binary (issue 15): `list --search` finds words that occur
//! only in bodies, through the index in the cache folder, which is built once, kept up to date
//! when a file changes, and rebuilt with a warning when damaged.

mod common;

use std::path::Path;

fn article(dir: &Path, name: &str, title: &str, body: &str) {
    std::fs::write(
        dir.join(name),
        format!("Categories: World News / Europe\n\n{title}\n\nA standfirst.\n\n{body}\n"),
    )
    .unwrap();
}

/// The titles `list --search QUERY --json` prints, sorted, and its stderr.
fn search(home: &Path, dir: &Path, query: &str) -> (Vec<String>, String) {
    let dir = dir.to_str().unwrap();
    let out = common::tidings_in(home, &["list", dir, "--search", query, "--json"]);
    assert!(out.status.success(), "{out:?}");
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut titles: Vec<String> = items
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    (titles, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The article whose body alone says "Görlitz".
fn sleeper_trains(dir: &Path) {
    article(
        dir,
        "a.txt",
        "Sleeper trains return",
        "Carriages built in Görlitz.",
    );
}

#[test]
fn list_search_finds_words_in_bodies_through_the_index_and_follows_changes() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    sleeper_trains(dir.path());
    article(
        dir.path(),
        "b.txt",
        "Harbour news",
        "The night train to Zürich runs again.",
    );
    article(
        dir.path(),
        "c.txt",
        "Budget vote",
        "Nothing about railways here.",
    );
    let (titles, _) = search(home.path(), dir.path(), "gorlitz");
    assert_eq!(
        titles,
        ["Sleeper trains return"],
        "a word only in a body, accents folded"
    );
    let index = home.path().join("tidings").join("search.sqlite");
    assert!(index.exists(), "the index is kept in the cache folder");
    // Words ANDed, anywhere; a phrase keeps its order; the last word is a prefix.
    assert_eq!(
        search(home.path(), dir.path(), "zurich night").0,
        ["Harbour news"]
    );
    assert_eq!(
        search(home.path(), dir.path(), "\"night train\"").0,
        ["Harbour news"]
    );
    assert!(
        search(home.path(), dir.path(), "\"train night\"")
            .0
            .is_empty()
    );
    assert_eq!(search(home.path(), dir.path(), "railw").0, ["Budget vote"]);
    // Titles still match by substring (mid-word too).
    assert_eq!(
        search(home.path(), dir.path(), "leeper").0,
        ["Sleeper trains return"]
    );
    // A changed file is indexed again: its old words are gone, its new ones found.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    article(
        dir.path(),
        "c.txt",
        "Budget vote",
        "The tram to Basel is cancelled.",
    );
    assert!(search(home.path(), dir.path(), "railways").0.is_empty());
    assert_eq!(search(home.path(), dir.path(), "basel").0, ["Budget vote"]);
}

#[test]
fn a_damaged_index_is_rebuilt_with_a_warning() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    sleeper_trains(dir.path());
    assert_eq!(search(home.path(), dir.path(), "gorlitz").0.len(), 1);
    let cache = home.path().join("tidings");
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(cache.join(format!("search.sqlite{ext}")));
    }
    std::fs::write(
        cache.join("search.sqlite"),
        b"garbage, not a database ".repeat(300),
    )
    .unwrap();
    let (titles, stderr) = search(home.path(), dir.path(), "gorlitz");
    assert_eq!(titles, ["Sleeper trains return"], "found after the rebuild");
    assert!(stderr.contains("search.sqlite"), "{stderr}");
    assert!(stderr.contains("building it again"), "{stderr}");
    // Rebuilt: the next search has nothing to say.
    let (titles, stderr) = search(home.path(), dir.path(), "gorlitz");
    assert_eq!(titles.len(), 1);
    assert!(!stderr.contains("search.sqlite"), "{stderr}");
}

/// The reader's start-up: the index is not built while local files are read (it would take a
/// core from parsing them); it starts once they are, and then indexes them all.
#[test]
fn the_reader_indexes_after_the_local_files_are_read_not_while() {
    use std::sync::Arc;
    use tidings::core::state::Action;
    use tidings::shell::app::Msg;
    use tidings::shell::worker::Worker;
    use tidings::sources::SourceSpec;
    use tidings::sources::fetch::{FetchOptions, Fetcher};
    let dir = tempfile::tempdir().unwrap();
    let n = tidings::sources::files::CHUNK * 2 + 10;
    for i in 0..n {
        article(
            dir.path(),
            &format!("s{i:04}.txt"),
            &format!("Story {i}"),
            "A body with words.",
        );
    }
    let cache = tempfile::tempdir().unwrap();
    let fetcher = Fetcher::new(FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..FetchOptions::default()
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = Worker::new(
        fetcher,
        None,
        tx,
        vec![SourceSpec::Path(dir.path().to_path_buf())],
        Arc::new(tidings::config::Config::default()),
        None,
    );
    worker.start().unwrap();
    let (mut stored, mut indexed_before, mut last) = (false, 0, (0, 0));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while last.0 < n || last.1 < n {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(Msg::Action(Action::StoredLoaded)) => stored = true,
            Ok(Msg::Action(Action::IndexProgress { indexed, total })) => {
                if !stored {
                    indexed_before = indexed_before.max(indexed);
                }
                last = (indexed, total);
            }
            Ok(_) => {}
            Err(e) => panic!("{e}: indexed {last:?} of {n}"),
        }
    }
    assert!(stored);
    assert_eq!(
        indexed_before, 0,
        "nothing indexed while the files were read"
    );
    assert_eq!(last, (n, n));
}
