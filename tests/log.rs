//! The log file: written to `$XDG_STATE_HOME/tidings/log` when `TIDINGS_LOG` or `--log` asks,
//! never otherwise. Runs the binary against a feed served on 127.0.0.1 (never the internet).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const FEED: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Loopback</title>
<item><title>One story</title><guid>one</guid><description>Hello.</description></item>
</channel></rss>"#;

/// Serves `FEED` to at most `n` connections, for at most 20 seconds; the feed's URL.
fn serve_feed(n: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut served = 0;
        while served < n && Instant::now() < deadline {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    served += 1;
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    // The request head; its content does not matter.
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(k) => head.extend_from_slice(&buf[..k]),
                        }
                    }
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{FEED}",
                        FEED.len()
                    );
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    format!("http://{addr}/feed.xml")
}

/// `tidings ARGS` with every XDG folder in `home` and `TIDINGS_LOG` as given (unset: `None`).
fn tidings(home: &Path, log_env: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.args(args)
        .env("TZ", "UTC")
        .env_remove("TIDINGS_LOG")
        .stdin(Stdio::null());
    for var in [
        "XDG_STATE_HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
    ] {
        cmd.env(var, home.join(var.to_lowercase()));
    }
    if let Some(v) = log_env {
        cmd.env("TIDINGS_LOG", v);
    }
    cmd.output().expect("runs tidings")
}

fn log_path(home: &Path) -> std::path::PathBuf {
    home.join("xdg_state_home").join("tidings").join("log")
}

#[test]
fn tidings_log_writes_fetches_and_loads_to_the_state_folder() {
    let home = tempfile::tempdir().unwrap();
    let url = serve_feed(1);
    let out = tidings(home.path(), Some("debug"), &["list", &url]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("One story"));
    let log = std::fs::read_to_string(log_path(home.path())).expect("a log file");
    assert!(log.contains("tidings started"), "{log}");
    let fetched = log
        .lines()
        .find(|l| l.contains("feed fetched"))
        .unwrap_or_else(|| panic!("no fetch in the log:\n{log}"));
    assert!(fetched.contains(&url), "{fetched}");
    assert!(fetched.contains("status=200"), "{fetched}");
    assert!(fetched.contains("from=\"network\""), "{fetched}");
    assert!(
        fetched.contains(&format!("bytes={}", FEED.len())),
        "{fetched}"
    );
    assert!(fetched.contains(" ms="), "{fetched}");
    let loaded = log
        .lines()
        .find(|l| l.contains("source loaded"))
        .unwrap_or_else(|| panic!("no source load in the log:\n{log}"));
    assert!(
        loaded.contains(&url) && loaded.contains("articles=1"),
        "{loaded}"
    );
    // Nothing but the log: no escapes for a terminal.
    assert!(!log.contains('\u{1b}'), "{log}");
}

#[test]
fn the_log_flag_works_too_and_failures_are_logged() {
    let home = tempfile::tempdir().unwrap();
    // Nothing listens on port 9 of 127.0.0.1 (discard): the connection is refused.
    let url = "http://127.0.0.1:9/feed.xml";
    let out = tidings(home.path(), None, &["list", url, "--log", "info"]);
    assert!(!out.status.success());
    let log = std::fs::read_to_string(log_path(home.path())).expect("a log file");
    let failed = log
        .lines()
        .find(|l| l.contains("feed fetch failed"))
        .unwrap_or_else(|| panic!("no failure in the log:\n{log}"));
    assert!(failed.contains(url) && failed.contains("WARN"), "{failed}");
    // `info` leaves out the debug lines.
    assert!(!log.contains("DEBUG"), "{log}");
}

#[test]
fn no_log_file_unless_asked() {
    let home = tempfile::tempdir().unwrap();
    let url = serve_feed(2);
    let out = tidings(home.path(), None, &["list", &url]);
    assert!(out.status.success());
    assert!(!log_path(home.path()).exists());
    assert!(!home.path().join("xdg_state_home").exists());
    // An empty TIDINGS_LOG is not set either.
    let out = tidings(home.path(), Some(""), &["list", &url]);
    assert!(out.status.success());
    assert!(!home.path().join("xdg_state_home").exists());
}

#[test]
fn a_bad_level_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let out = tidings(home.path(), None, &["categories", "--log", "loud"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("'loud' is not a log level"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // From the environment: a warning, and no log.
    let out = tidings(home.path(), Some("loud"), &["categories", "sample-feeds"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TIDINGS_LOG: 'loud' is not a log level"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!home.path().join("xdg_state_home").exists());
}
