//! Bad usage (issue 14): a mistyped command, the reader without a terminal, and the reader's
//! exit status when no source could be loaded.

mod common;

use common::{Tmux, tmux_available};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

// Standard input is empty and standard output a pipe, as from a script.
use common::tidings;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_mistyped_command_is_a_usage_error_naming_the_closest() {
    for (typed, meant) in [
        ("lsit", "list"),
        ("shwo", "show"),
        ("categorise", "categories"),
        ("exprot", "export"),
    ] {
        let o = tidings(&[typed]);
        assert_eq!(o.status.code(), Some(2), "{typed}: {}", stderr(&o));
        assert_eq!(
            stderr(&o).trim_end(),
            format!("tidings: error: unknown command '{typed}' (did you mean '{meant}'?)")
        );
        assert!(o.stdout.is_empty());
    }
    let o = tidings(&["frobnicate", "zzz"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("unknown command 'frobnicate'") && e.contains("list, show, categories"),
        "{e}"
    );
}

#[test]
fn paths_and_urls_are_never_taken_for_commands() {
    // A missing path with a slash, a file name with a dot and an existing folder named like a
    // word are sources: the reader is asked for, and here there is no terminal for it.
    for args in [&["no/such/folder"][..], &["lsit.txt"], &["sample-feeds"]] {
        let o = tidings(args);
        let e = stderr(&o);
        assert!(!e.contains("unknown command"), "{args:?}: {e}");
        assert!(e.contains("needs a terminal"), "{args:?}: {e}");
    }
}

#[test]
fn the_reader_without_a_terminal_says_so_and_points_to_list() {
    let o = tidings(&["sample-feeds"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with("tidings: error: the reader needs a terminal") && e.contains("tidings list"),
        "{e}"
    );
    assert!(!e.contains("os error"), "{e}");
    assert!(o.stdout.is_empty(), "nothing drawn into a pipe");
}

/// README: "when every source failed, exit 1". The reader shows the failures; after `q` the
/// exit status is 1 and the reason is printed.
#[test]
fn the_reader_exits_1_when_no_source_could_be_loaded() {
    if !tmux_available() {
        return;
    }
    let home = tempfile::tempdir().expect("temp home");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |name: &str, source: &str| {
        let t = Tmux::start(
            name,
            "usage",
            home.path(),
            root,
            &[],
            (80, 24),
            &[env!("CARGO_BIN_EXE_tidings"), source],
        );
        t.wait_until(false, "the sources reported", |s| {
            s.contains("articles") || s.contains("cannot read")
        });
        std::thread::sleep(Duration::from_millis(300));
        t.send(&["q"]);
        let state = t.wait_exit();
        let screen = t.run(&["capture-pane", "-p", "-S", "-10", "-t", "usage"]);
        (state, screen)
    };
    let (state, screen) = run("usage-fail", "/no/such/folder");
    assert_eq!(state, "1 1", "exit 1:\n{screen}");
    assert!(screen.contains("no source could be loaded"), "{screen}");
    let (state, screen) = run("usage-ok", "sample-feeds");
    assert_eq!(state, "1 0", "exit 0:\n{screen}");
}
