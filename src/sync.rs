//! `tidings sync` (one pull and push with every sync server of the config) and `tidings mark`
//! (marks for any article, sent to its server for a server's).

use crate::cli::SourceArgs;
use crate::core::model::ArticleId;
use crate::core::sanitize::sanitize_line;
use crate::core::state::Mark;
use crate::sources::SourceSpec;
use crate::sources::archive::Archive;
use crate::sources::fetch::Fetcher;
use crate::sources::greader::{self, GReaderSpec, ITEM_META, SyncOptions, queue::Queue};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The sync servers among the sources (the config's, or those given).
fn servers(args: &SourceArgs) -> Vec<GReaderSpec> {
    let from_config = args.settings.specs();
    from_config
        .into_iter()
        .filter_map(|s| match s {
            SourceSpec::GReader(g) => Some(*g),
            _ => None,
        })
        .collect()
}

fn data_dir(args: &SourceArgs) -> Option<PathBuf> {
    (args.data_dir.clone()).or_else(crate::sources::store::default_data_dir)
}

fn open_archive(dir: &std::path::Path) -> Option<Archive> {
    let (archive, warning) = Archive::open(dir);
    if let Some(w) = warning {
        eprintln!("tidings: warning: {}", sanitize_line(&w));
    }
    match archive {
        Ok(a) => Some(a),
        Err(e) => {
            eprintln!("tidings: warning: {}", sanitize_line(&e.to_string()));
            None
        }
    }
}

/// `tidings sync [--json]`: exit 0 when every server synced, 1 when one failed.
pub fn sync(args: &SourceArgs, json: bool) -> io::Result<ExitCode> {
    let servers = servers(args);
    if servers.is_empty() {
        eprintln!(
            "tidings: error: no sync server in the config: add a [[sources]] table with \
             `greader`, `user` and `password_command` or `password_env` (see docs/sync.md)"
        );
        return Ok(ExitCode::from(2));
    }
    let dir = data_dir(args);
    let archive = dir.as_deref().and_then(open_archive);
    let fetcher = Fetcher::new(args.fetch_options());
    let opts = SyncOptions {
        fetcher: &fetcher,
        archive: archive.as_ref(),
        data_dir: dir.as_deref(),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for g in &servers {
        let r = greader::pull_and_push(g, &opts);
        for w in &r.warnings {
            eprintln!("tidings: warning: {}", sanitize_line(w));
        }
        for f in &r.failures {
            eprintln!("tidings: warning: {}", sanitize_line(&f.to_string()));
        }
        failed |= !r.failures.is_empty();
        let failures: Vec<String> = r
            .failures
            .iter()
            .map(|f| sanitize_line(&f.to_string()))
            .collect();
        if json {
            let row = serde_json::json!({
                "server": r.label,
                "new": r.new,
                "updated": r.updated,
                "articles": r.articles.len(),
                "marks_sent": r.sent,
                "marks_pending": r.pending,
                "read": r.marks.iter().filter(|m| m.read).count(),
                "starred": r.marks.iter().filter(|m| m.starred).count(),
                "offline": r.offline,
                "requests": r.requests,
                "failures": failures,
            });
            writeln!(out, "{row}")?;
        } else {
            let mut line = format!(
                "{}: {} new, {} updated, {} mark{} sent",
                r.label,
                r.new,
                r.updated,
                r.sent,
                if r.sent == 1 { "" } else { "s" }
            );
            if r.pending > 0 {
                line.push_str(&format!(", {} waiting", r.pending));
            }
            if !failures.is_empty() {
                line.push_str(&format!(", {} failed", failures.len()));
            }
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The states `tidings mark` sets (`None`: left alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkStates {
    pub read: Option<bool>,
    pub starred: Option<bool>,
}

/// `tidings mark ID... --read|--unread|--star|--unstar`: the marks saved in the data folder
/// (any article); those of a sync server's articles queued and sent to it.
pub fn mark(args: &SourceArgs, ids: &[String], states: MarkStates) -> io::Result<ExitCode> {
    let Some(dir) = data_dir(args) else {
        eprintln!("tidings: error: no data folder: give --data-dir");
        return Ok(ExitCode::from(2));
    };
    let archive = Archive::open(&dir).0.ok();
    // Each id: (article id, server URL and item id when a server's).
    let mut chosen: Vec<(ArticleId, Option<(String, String)>)> = Vec::new();
    for text in ids {
        let hex = !text.trim().is_empty() && text.trim().chars().all(|c| c.is_ascii_hexdigit());
        let found = match &archive {
            _ if !hex => Vec::new(),
            Some(a) => a.lookup(text.trim(), 2).unwrap_or_default(),
            None => Vec::new(),
        };
        let server_of = |source: &str, meta: &[(String, String)]| {
            meta.iter()
                .find(|(k, _)| k == ITEM_META)
                .map(|(_, item)| (source.to_string(), item.clone()))
        };
        match (ArticleId::parse(text.trim()), found.as_slice()) {
            (_, [(id, source, meta)]) => chosen.push((id.clone(), server_of(source, meta))),
            (Some(id), _) => chosen.push((id, None)),
            (None, []) => {
                eprintln!(
                    "tidings: error: no article with id '{}' (ids: `tidings list --json`)",
                    sanitize_line(text)
                );
                return Ok(ExitCode::from(2));
            }
            (None, _) => {
                eprintln!(
                    "tidings: error: '{}' names several articles: give more of the id",
                    sanitize_line(text)
                );
                return Ok(ExitCode::from(2));
            }
        }
    }
    let store = crate::sources::store::Store::new(&dir);
    let (saved, warning) = store.load();
    if let Some(w) = warning {
        eprintln!("tidings: warning: {}", sanitize_line(&w));
    }
    let saved: HashMap<ArticleId, (bool, bool)> = saved
        .into_iter()
        .map(|m| (m.id, (m.read, m.starred)))
        .collect();
    let marks: Vec<Mark> = chosen
        .iter()
        .map(|(id, _)| {
            let (read, starred) = saved.get(id).copied().unwrap_or((false, false));
            Mark {
                id: id.clone(),
                read: states.read.unwrap_or(read),
                starred: states.starred.unwrap_or(starred),
            }
        })
        .collect();
    if let Err(e) = store.save(&marks) {
        eprintln!("tidings: error: {}", sanitize_line(&e.to_string()));
        return Ok(ExitCode::FAILURE);
    }
    // Server articles: queued, then sent.
    let mut code = ExitCode::SUCCESS;
    let servers = servers(args);
    let mut by_server: HashMap<String, Vec<greader::queue::QueuedMark>> = HashMap::new();
    for (_, server) in &chosen {
        if let Some((url, item)) = server {
            by_server.entry(url.clone()).or_default().push((
                item.clone(),
                states.read,
                states.starred,
            ));
        }
    }
    let fetcher = Fetcher::new(args.fetch_options());
    let mut sent_total = 0;
    for (url, items) in by_server {
        let Some(g) = servers.iter().find(|g| g.url == url) else {
            eprintln!(
                "tidings: warning: {}: not a sync server of the config: the marks stay here",
                sanitize_line(&url)
            );
            continue;
        };
        if let Err(e) = Queue::new(&dir, g).add(&items) {
            eprintln!("tidings: error: {}: cannot queue the marks: {e}", g.label());
            code = ExitCode::FAILURE;
            continue;
        }
        let opts = SyncOptions {
            fetcher: &fetcher,
            archive: None,
            data_dir: Some(&dir),
        };
        let (sent, pending, err) = greader::push_pending(g, &opts);
        sent_total += sent;
        if let Some(e) = err {
            eprintln!(
                "tidings: warning: {}; {pending} mark(s) kept to send at the next sync",
                sanitize_line(&e.to_string())
            );
        }
    }
    let n = marks.len();
    let what: Vec<&str> = [
        states.read.map(|r| if r { "read" } else { "unread" }),
        states
            .starred
            .map(|s| if s { "starred" } else { "unstarred" }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut line = format!(
        "marked {n} article{} {}",
        if n == 1 { "" } else { "s" },
        what.join(" and ")
    );
    if sent_total > 0 {
        line.push_str(&format!("; {sent_total} sent to the server"));
    }
    println!("{line}");
    Ok(code)
}
