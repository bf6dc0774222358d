//! The log file. A terminal app cannot print while it draws, so what happened (each feed fetched,
//! from the network or the cache, how long each source took, what failed) goes to a file:
//! `$XDG_STATE_HOME/tidings/log` (`~/.local/state/tidings/log`; the data folder where the
//! platform has no state folder), appended to, through a non-blocking writer.
//!
//! Off unless asked for: `--log LEVEL`, else the `TIDINGS_LOG` environment variable (`error`,
//! `warn`, `info`, `debug`, `trace` or `off`). Only tidings' own events are written. Without a
//! level nothing is set up and no file is created.

use std::path::PathBuf;
use tracing::level_filters::LevelFilter;

/// The environment variable read when `--log` is not given.
pub const ENV: &str = "TIDINGS_LOG";

/// Keeps the writer thread; dropping it flushes what is queued. Hold it until the program ends.
#[must_use = "the log is flushed when the guard is dropped"]
pub struct LogGuard {
    _worker: tracing_appender::non_blocking::WorkerGuard,
}

/// Text that is not a log level (as written, sanitized).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a log level (off, error, warn, info, debug, trace)")]
pub struct LevelError(pub String);

/// A log level: `off`, `error`, `warn`, `info`, `debug` or `trace` (any case).
pub fn parse_level(s: &str) -> Result<LevelFilter, LevelError> {
    let t = s.trim();
    // `LevelFilter` reads "" as `error` and digits as levels too: only the names here.
    let named = ["off", "error", "warn", "info", "debug", "trace"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(t));
    t.parse()
        .ok()
        .filter(|_| named)
        .ok_or_else(|| LevelError(crate::core::sanitize::sanitize_line(s)))
}

/// The folder of the log file.
pub fn default_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "tidings")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_dir())
            .to_path_buf(),
    )
}

/// The level asked for: `flag` (`--log`), else `TIDINGS_LOG` (unset or empty: none; a value that
/// is not a level: none, with a warning on stderr).
pub fn level(flag: Option<LevelFilter>) -> Option<LevelFilter> {
    if flag.is_some() {
        return flag;
    }
    let value = std::env::var(ENV).ok()?;
    if value.trim().is_empty() {
        return None;
    }
    match parse_level(&value) {
        Ok(level) => Some(level),
        Err(e) => {
            eprintln!("tidings: warning: {ENV}: {e}; not logging");
            None
        }
    }
}

/// Starts logging at `level` (see [`level`]) to the file in [`default_dir`]. `None` (and
/// `off`) does nothing; a file that cannot be opened is a warning on stderr, and the program
/// goes on without a log.
pub fn init(level: Option<LevelFilter>) -> Option<LogGuard> {
    let level = level.filter(|l| *l != LevelFilter::OFF)?;
    let dir = default_dir()?;
    let path = dir.join("log");
    let file = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
    });
    let file = match file {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "tidings: warning: cannot write the log {}: {e}",
                crate::core::sanitize::sanitize_line(&path.to_string_lossy())
            );
            return None;
        }
    };
    let (writer, worker) = tracing_appender::non_blocking(file);
    use tracing_subscriber::layer::SubscriberExt;
    let subscriber = tracing_subscriber::registry().with(tracing_subscriber::Layer::with_filter(
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(writer),
        tracing_subscriber::filter::Targets::new().with_target("tidings", level),
    ));
    // Already set (a second call): keep the first.
    let _ = tracing::subscriber::set_global_default(subscriber);
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        pid = std::process::id(),
        "tidings started"
    );
    Some(LogGuard { _worker: worker })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_name_only() {
        assert_eq!(parse_level("debug"), Ok(LevelFilter::DEBUG));
        assert_eq!(parse_level(" WARN "), Ok(LevelFilter::WARN));
        assert_eq!(parse_level("off"), Ok(LevelFilter::OFF));
        for bad in ["", "4", "loud", "debug,info"] {
            assert!(parse_level(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_level("loud").unwrap_err().to_string(),
            "'loud' is not a log level (off, error, warn, info, debug, trace)"
        );
    }
}
