//! The archive: every article tidings has seen in a feed, kept with its body after the feed
//! drops it (a feed forgets; the reader must not), until retention removes it.
//!
//! One SQLite database, `archive.sqlite` in the data folder (it is data, not cache: read and
//! star marks point into it). Each row is one article: its id, the feed it came from (the URL as
//! given), its date, when it was first seen, a hash of what it holds, its header (JSON, small,
//! read at start-up) and its body (JSON: the feed's HTML or the blocks; read when the article is
//! opened or searched).
//!
//! [`Archive::merge`] is called with a feed's current articles each time the feed is loaded: new
//! articles are added and changed ones updated in place in one transaction (unchanged ones cost
//! a hash comparison, no write), and the articles the feed no longer carries come back from the
//! archive, their bodies left there. SQLite's write-ahead log makes every merge atomic: a
//! process killed mid-refresh loses nothing that was committed. A database that cannot be read
//! is moved aside with a warning and a new one started; the feeds' cached copies fill it again.

use crate::core::model::{Article, ArticleId, Block, BodyRef, CategoryPath, fnv1a64};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const FILE_NAME: &str = "archive.sqlite";
/// The schema's version (`PRAGMA user_version`).
const SCHEMA: i64 = 1;

/// Why the archive could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{}: {source}", path.display())]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{}: cannot create the folder: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: written by a newer tidings (schema {found}); left untouched", path.display())]
    Newer { path: PathBuf, found: i64 },
}

/// An article's header as stored (everything but the body).
#[derive(Serialize, Deserialize)]
struct Head {
    title: String,
    source: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    author: Option<String>,
    /// Seconds since the epoch.
    date: i64,
    dated: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    link: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    categories: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    standfirst: Option<String>,
    words: u32,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    meta: Vec<(String, String)>,
    origin: String,
}

/// An article's body as stored.
#[derive(Serialize, Deserialize)]
enum Body {
    Html { html: String, base: Option<String> },
    Blocks(Vec<Block>),
}

/// What a merge did.
#[derive(Debug, Default)]
pub struct Merged {
    /// The archived articles the feed no longer carries (bodies in the archive).
    pub kept: Vec<Article>,
    /// Articles new to the archive, and articles updated in place.
    pub added: usize,
    pub updated: usize,
}

/// An archived article found by [`Archive::lookup`]: its id, source and kept header fields.
pub type Found = (ArticleId, String, Vec<(String, String)>);

/// An archived article's body, read back.
#[derive(Debug)]
pub struct StoredBody {
    pub id: ArticleId,
    pub blocks: Vec<Block>,
    /// Words in the standfirst and body.
    pub words: u32,
}

/// The archive of one data folder.
pub struct Archive {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").field("path", &self.path).finish()
    }
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Sql {
        path: path.to_path_buf(),
        source,
    }
}

/// True for the errors that mean the file is not a readable database.
fn damaged(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

fn connect(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // The write-ahead log: a commit is atomic, and readers never wait for a writer.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

/// Creates the tables of an empty database, or checks the version of an existing one.
fn prepare(conn: &Connection, path: &Path) -> Result<(), ArchiveError> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(sql(path))?;
    if version > SCHEMA {
        return Err(ArchiveError::Newer {
            path: path.to_path_buf(),
            found: version,
        });
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS articles (
             id TEXT PRIMARY KEY,
             source TEXT NOT NULL,
             date INTEGER NOT NULL,
             first_seen INTEGER NOT NULL,
             hash INTEGER NOT NULL,
             head BLOB NOT NULL,
             body BLOB
         );
         CREATE INDEX IF NOT EXISTS articles_by_source ON articles(source, id, hash);
         CREATE TABLE IF NOT EXISTS feeds (
             source TEXT PRIMARY KEY,
             ids BLOB NOT NULL
         );
         PRAGMA user_version = 1;",
    )
    .map_err(sql(path))
}

/// Moves a damaged database (and its log) aside; the message says where.
fn move_aside(path: &Path, why: &str) -> String {
    let stamp = Utc::now().format("%Y%m%dT%H%M%S");
    let aside = path.with_extension(format!("sqlite.damaged-{stamp}"));
    for ext in ["-wal", "-shm"] {
        let mut log = path.as_os_str().to_owned();
        log.push(ext);
        let _ = std::fs::remove_file(PathBuf::from(log));
    }
    match std::fs::rename(path, &aside) {
        Ok(()) => format!(
            "{}: unreadable ({why}); moved to {} and starting a new archive, which the feeds' \
             cached copies fill again",
            path.display(),
            aside.display()
        ),
        Err(e) => format!(
            "{}: unreadable ({why}) and cannot be moved aside: {e}",
            path.display()
        ),
    }
}

impl Archive {
    /// Opens (or creates) the archive in `data_dir`. A database that cannot be read is moved
    /// aside and a new one started, with a warning; `Err` when no archive can be had at all.
    pub fn open(data_dir: &Path) -> (Result<Archive, ArchiveError>, Option<String>) {
        let path = data_dir.join(FILE_NAME);
        if let Err(source) = std::fs::create_dir_all(data_dir) {
            let path = data_dir.to_path_buf();
            return (Err(ArchiveError::CreateDir { path, source }), None);
        }
        let first = connect(&path)
            .map_err(sql(&path))
            .and_then(|c| prepare(&c, &path).map(|()| c));
        let (conn, warning) = match first {
            Ok(c) => (Ok(c), None),
            Err(ArchiveError::Sql { source, .. }) if damaged(&source) => {
                let warning = move_aside(&path, &source.to_string());
                let again = connect(&path)
                    .map_err(sql(&path))
                    .and_then(|c| prepare(&c, &path).map(|()| c));
                (again, Some(warning))
            }
            Err(e) => (Err(e), None),
        };
        let archive = conn.map(|c| Archive {
            path,
            conn: Mutex::new(c),
        });
        (archive, warning)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection as it was: still usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records the current articles of feed `source` (new ones added, changed ones updated in
    /// place; an article with its body elsewhere and already archived is left as it is) and
    /// returns the archived articles of that feed it no longer carries.
    pub fn merge(&self, source: &str, current: &[Article]) -> Result<Merged, ArchiveError> {
        let now = Utc::now().timestamp();
        let err = sql(&self.path);
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut merged = Merged::default();
        {
            let known = known_hashes(&tx, source).map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO articles (id, source, date, first_seen, hash, head, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT(id) DO UPDATE SET source = excluded.source,
                         date = excluded.date, hash = excluded.hash, head = excluded.head,
                         body = excluded.body",
                )
                .map_err(&err)?;
            for a in current {
                let old = known.get(a.id.as_str());
                // A body left in the cache (the warm start) is the one archived before.
                if old.is_some() && a.stored().is_some() {
                    continue;
                }
                let (head, body) = encode(a, source);
                let hash = row_hash(&head, body.as_deref());
                if old == Some(&hash) {
                    continue;
                }
                let date = a.date.timestamp();
                let id = a.id.as_str();
                insert
                    .execute(params![id, source, date, now, hash, head, body])
                    .map_err(&err)?;
                match old {
                    Some(_) => merged.updated += 1,
                    None => merged.added += 1,
                }
            }
            let current: HashSet<&str> = current.iter().map(|a| a.id.as_str()).collect();
            record_current(&tx, source, &current).map_err(&err)?;
            let gone: Vec<&String> = known
                .keys()
                .filter(|id| !current.contains(id.as_str()))
                .collect();
            merged.kept = self.heads(&tx, source, &gone).map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(merged)
    }

    /// Every archived article of feed `source` (when the feed cannot be fetched and has no
    /// cached copy).
    pub fn articles_of(&self, source: &str) -> Result<Vec<Article>, ArchiveError> {
        let err = sql(&self.path);
        let conn = self.conn();
        let known = known_hashes(&conn, source).map_err(&err)?;
        let ids: Vec<&String> = known.keys().collect();
        self.heads(&conn, source, &ids).map_err(&err)
    }

    /// The ids of the archived articles of feed `source`, nothing else read (a sync server
    /// without `stream/contents` asks only for the items not archived yet).
    pub fn ids_of(&self, source: &str) -> Result<HashSet<String>, ArchiveError> {
        let err = sql(&self.path);
        let conn = self.conn();
        let known = known_hashes(&conn, source).map_err(&err)?;
        Ok(known.into_keys().collect())
    }

    /// The headers of these archived articles of `source`, their bodies left in the archive.
    fn heads(
        &self,
        conn: &Connection,
        source: &str,
        ids: &[&String],
    ) -> Result<Vec<Article>, rusqlite::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: HashSet<&str> = ids.iter().map(|s| s.as_str()).collect();
        let at = Arc::new(BodyRef::Archived {
            db: self.path.clone(),
        });
        let mut shared: HashMap<String, Arc<str>> = HashMap::new();
        let mut intern = |s: String| -> Arc<str> {
            shared
                .entry(s)
                .or_insert_with_key(|k| Arc::from(k.as_str()))
                .clone()
        };
        let mut stmt = conn.prepare_cached("SELECT id, head FROM articles WHERE source = ?1")?;
        let mut rows = stmt.query(params![source])?;
        let mut out = Vec::with_capacity(ids.len());
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            if !wanted.contains(id.as_str()) {
                continue;
            }
            let head: Vec<u8> = row.get(1)?;
            let (Some(id), Ok(head)) =
                (ArticleId::parse(&id), serde_json::from_slice::<Head>(&head))
            else {
                continue;
            };
            out.push(Article {
                id,
                title: head.title.into(),
                source: intern(head.source),
                author: head.author.map(Into::into),
                date: DateTime::from_timestamp(head.date, 0).unwrap_or_default(),
                dated: head.dated,
                link: head.link.map(Into::into),
                categories: head
                    .categories
                    .into_iter()
                    .filter_map(CategoryPath::from_levels)
                    .collect(),
                standfirst: head.standfirst.map(Into::into),
                body: crate::core::model::Body::Stored(at.clone()),
                words: head.words,
                meta: head.meta.into(),
                origin: intern(head.origin),
            });
        }
        Ok(out)
    }

    /// The archived articles whose id starts with `prefix` (at most `limit`): id, the source
    /// they came from (a feed's or a sync server's URL) and their kept header fields (`meta`:
    /// a server's item id). For `tidings mark`.
    pub fn lookup(&self, prefix: &str, limit: usize) -> Result<Vec<Found>, ArchiveError> {
        let err = sql(&self.path);
        let conn = self.conn();
        let prefix: String = prefix
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_ascii_lowercase();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, source, head FROM articles WHERE id >= ?1 ORDER BY id LIMIT ?2",
            )
            .map_err(&err)?;
        let mut rows = stmt.query(params![prefix, limit as i64]).map_err(&err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            let id: String = row.get(0).map_err(&err)?;
            if !id.starts_with(&prefix) {
                break;
            }
            let source: String = row.get(1).map_err(&err)?;
            let head: Vec<u8> = row.get(2).map_err(&err)?;
            if let (Some(id), Ok(head)) =
                (ArticleId::parse(&id), serde_json::from_slice::<Head>(&head))
            {
                out.push((id, source, head.meta));
            }
        }
        Ok(out)
    }

    /// The bodies of these archived articles, rendered, with the articles' word counts (those
    /// found).
    pub fn bodies(&self, ids: &[&ArticleId]) -> Result<Vec<StoredBody>, ArchiveError> {
        let err = sql(&self.path);
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT head, body FROM articles WHERE id = ?1")
            .map_err(&err)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row: Option<(Vec<u8>, Option<Vec<u8>>)> = stmt
                .query_row(params![id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(&err)?;
            let Some((head, body)) = row else {
                continue;
            };
            let words = serde_json::from_slice::<Head>(&head).map_or(0, |h| h.words);
            let blocks = match body.and_then(|b| serde_json::from_slice(&b).ok()) {
                Some(Body::Blocks(blocks)) => blocks,
                Some(Body::Html { html, base }) => {
                    let base = base.as_deref().and_then(|b| url::Url::parse(b).ok());
                    crate::core::html::html_to_blocks(&html, base.as_ref())
                }
                None => continue,
            };
            let id = (*id).clone();
            out.push(StoredBody { id, blocks, words });
        }
        Ok(out)
    }

    /// Articles in the archive.
    pub fn len(&self) -> Result<usize, ArchiveError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .map_err(sql(&self.path))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    pub fn is_empty(&self) -> Result<bool, ArchiveError> {
        self.len().map(|n| n == 0)
    }
}

/// How long archived articles are kept. Starred articles and those their feed still carries
/// are never removed; unread ones are kept unless `keep_unread` is off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    /// Articles dated longer ago than this are removed.
    pub keep_days: u32,
    /// At most this many articles in the whole archive (the oldest removable ones go first).
    pub max_articles: Option<usize>,
    pub keep_unread: bool,
    /// Per feed (its URL): its own `keep_days` and `max_articles`.
    pub per_source: HashMap<String, (Option<u32>, Option<usize>)>,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            keep_days: 90,
            max_articles: None,
            keep_unread: true,
            per_source: HashMap::new(),
        }
    }
}

/// An article retention removes (or would).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    pub id: ArticleId,
    /// The feed's URL.
    pub source: String,
    pub title: String,
    pub date: DateTime<Utc>,
    /// Why: "older than 90 days", "over max_articles = 500 for its feed", ….
    pub why: String,
}

/// One archived article as retention sees it.
struct Row {
    id: String,
    source: String,
    date: i64,
    removable: bool,
    gone: bool,
}

impl Archive {
    /// Applies `rules` (with the read and star marks by id: `(read, starred)`) at `now`: what
    /// it removes, oldest first within each reason. With `dry_run` nothing is removed; the same
    /// articles are listed.
    pub fn prune(
        &self,
        rules: &Retention,
        marks: &HashMap<ArticleId, (bool, bool)>,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Vec<Pruned>, ArchiveError> {
        let err = sql(&self.path);
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut rows = retention_rows(&tx, rules, marks).map_err(&err)?;
        // Oldest first, so caps remove the oldest.
        rows.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        let mut why: HashMap<usize, String> = HashMap::new();
        let limits = |source: &str| {
            let own = rules.per_source.get(source).copied().unwrap_or_default();
            (own.0.unwrap_or(rules.keep_days), own.1)
        };
        for (i, r) in rows.iter_mut().enumerate() {
            let days = limits(&r.source).0;
            if r.removable && r.date < now.timestamp() - i64::from(days) * 86_400 {
                why.insert(i, format!("older than {days} days"));
                r.gone = true;
            }
        }
        // Per feed, then overall: the oldest removable articles over the cap.
        let mut by_source: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            by_source.entry(r.source.as_str()).or_default().push(i);
        }
        let mut over: Vec<(usize, String)> = Vec::new();
        for (source, members) in &by_source {
            if let (_, Some(max)) = limits(source) {
                let text = format!("over max_articles = {max} for its feed");
                over.extend(
                    cap(&rows, members, max)
                        .into_iter()
                        .map(|i| (i, text.clone())),
                );
            }
        }
        for (i, text) in over {
            rows[i].gone = true;
            why.entry(i).or_insert(text);
        }
        if let Some(max) = rules.max_articles {
            let all: Vec<usize> = (0..rows.len()).collect();
            for i in cap(&rows, &all, max) {
                rows[i].gone = true;
                why.entry(i)
                    .or_insert_with(|| format!("over max_articles = {max} in all"));
            }
        }
        let mut out = Vec::new();
        {
            let mut head = tx
                .prepare_cached("SELECT head FROM articles WHERE id = ?1")
                .map_err(&err)?;
            let mut delete = tx
                .prepare_cached("DELETE FROM articles WHERE id = ?1")
                .map_err(&err)?;
            for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.gone) {
                let h: Vec<u8> = head.query_row(params![r.id], |x| x.get(0)).map_err(&err)?;
                let title =
                    serde_json::from_slice::<Head>(&h).map_or_else(|_| String::new(), |h| h.title);
                if !dry_run {
                    delete.execute(params![r.id]).map_err(&err)?;
                }
                let Some(id) = ArticleId::parse(&r.id) else {
                    continue;
                };
                out.push(Pruned {
                    id,
                    source: r.source.clone(),
                    title,
                    date: DateTime::from_timestamp(r.date, 0).unwrap_or_default(),
                    why: why.remove(&i).unwrap_or_default(),
                });
            }
        }
        tx.commit().map_err(&err)?;
        Ok(out)
    }
}

/// Every archived article with whether retention may remove it.
fn retention_rows(
    conn: &Connection,
    rules: &Retention,
    marks: &HashMap<ArticleId, (bool, bool)>,
) -> Result<Vec<Row>, rusqlite::Error> {
    let mut carried: HashSet<String> = HashSet::new();
    let mut feeds = conn.prepare("SELECT ids FROM feeds")?;
    for ids in feeds.query_map([], |r| r.get::<_, String>(0))? {
        carried.extend(ids?.split('\n').map(str::to_string));
    }
    let mut stmt = conn.prepare("SELECT id, source, date FROM articles")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, source, date) = row?;
        let (read, starred) = ArticleId::parse(&id)
            .and_then(|i| marks.get(&i).copied())
            .unwrap_or((false, false));
        let removable = !starred && !carried.contains(&id) && (read || !rules.keep_unread);
        out.push(Row {
            id,
            source,
            date,
            removable,
            gone: false,
        });
    }
    Ok(out)
}

/// Of `members` (indices into `rows`, oldest first), the removable ones to remove so that at
/// most `max` remain (those already gone count as removed).
fn cap(rows: &[Row], members: &[usize], max: usize) -> Vec<usize> {
    let left = members.iter().filter(|&&i| !rows[i].gone).count();
    let mut excess = left.saturating_sub(max);
    let mut out = Vec::new();
    for &i in members {
        if excess == 0 {
            break;
        }
        if !rows[i].gone && rows[i].removable {
            out.push(i);
            excess -= 1;
        }
    }
    out
}

/// Records which articles feed `source` carries now (retention never removes them); written
/// only when that changed.
fn record_current(
    conn: &Connection,
    source: &str,
    current: &HashSet<&str>,
) -> Result<(), rusqlite::Error> {
    let mut ids: Vec<&str> = current.iter().copied().collect();
    ids.sort_unstable();
    let ids = ids.join("\n");
    let old: Option<String> = conn
        .query_row(
            "SELECT ids FROM feeds WHERE source = ?1",
            params![source],
            |r| r.get(0),
        )
        .optional()?;
    if old.as_deref() != Some(ids.as_str()) {
        conn.execute(
            "INSERT INTO feeds (source, ids) VALUES (?1, ?2)
             ON CONFLICT(source) DO UPDATE SET ids = excluded.ids",
            params![source, ids],
        )?;
    }
    Ok(())
}

/// `id → hash` of the archived articles of `source`.
fn known_hashes(conn: &Connection, source: &str) -> Result<HashMap<String, i64>, rusqlite::Error> {
    let mut stmt = conn.prepare_cached("SELECT id, hash FROM articles WHERE source = ?1")?;
    let rows = stmt.query_map(params![source], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// An article's header and body as stored (no body when it is elsewhere).
fn encode(a: &Article, source: &str) -> (Vec<u8>, Option<Vec<u8>>) {
    let head = Head {
        title: a.title.to_string(),
        source: a.source.to_string(),
        author: a.author.as_deref().map(str::to_string),
        date: a.date.timestamp(),
        dated: a.dated,
        link: a.link.as_deref().map(str::to_string),
        categories: a.categories.iter().map(|c| c.levels().to_vec()).collect(),
        standfirst: a.standfirst.as_deref().map(str::to_string),
        words: a.words,
        meta: a.meta.to_vec(),
        origin: if a.origin.is_empty() {
            source.to_string()
        } else {
            a.origin.to_string()
        },
    };
    let body = match (&a.pending(), &a.stored()) {
        (Some(p), _) => Some(Body::Html {
            html: p.html.clone(),
            base: p.base.clone(),
        }),
        (None, None) => Some(Body::Blocks(a.blocks().to_vec())),
        (None, Some(_)) => None,
    };
    // Strings and numbers only: encoding cannot fail.
    let head = serde_json::to_vec(&head).unwrap_or_default();
    (
        head,
        body.map(|b| serde_json::to_vec(&b).unwrap_or_default()),
    )
}

/// The hash a row is compared by.
fn row_hash(head: &[u8], body: Option<&[u8]>) -> i64 {
    let mut bytes = Vec::with_capacity(head.len() + body.map_or(0, <[u8]>::len) + 1);
    bytes.extend_from_slice(head);
    bytes.push(0);
    bytes.extend_from_slice(body.unwrap_or_default());
    fnv1a64(&bytes) as i64
}

#[cfg(test)]
#[path = "archive_tests.rs"]
mod tests;
