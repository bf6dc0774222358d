//! The full-text index (issue 15): every article's title, source, standfirst and body, folded
//! as search folds them (`core::search::index_text`), in an SQLite FTS5 table, so a search
//! finds words in the bodies of the whole archive in milliseconds.
//!
//! One database, `search.sqlite` in the cache folder: it is derived data, rebuilt from the
//! snapshot and the archive when lost, so a damaged one is deleted (with a warning) and built
//! again, never fatal. The FTS5 table is contentless (`content=''`, `contentless_delete=1`):
//! the text is not stored twice, rows are deleted by rowid. An article's rowid is its id (the
//! 64-bit hash behind [`ArticleId`]). `docs` keeps, per article, a hash of its header
//! ([`doc_hash`]); an article whose hash is unchanged is not indexed again. Every batch is one
//! transaction (WAL), so a killed process loses at most the batch it was writing.
//!
//! The choice of FTS5 over tantivy, and the measurements behind it: docs/performance.md.

use crate::core::model::{Article, ArticleId, FNV_START, fnv1a64_more};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const FILE_NAME: &str = "search.sqlite";
/// FTS5's `hashsize`: bytes of pending terms before a segment is written.
const HASH_SIZE: i64 = 32 << 20;
/// The layout's version (`PRAGMA user_version`); another one is dropped and rebuilt.
const LAYOUT: i64 = 2;

/// The index. Cheap to share behind an `Arc`; one writer at a time (a mutex), queries too.
pub struct SearchIndex {
    path: Option<PathBuf>,
    conn: Mutex<Connection>,
    /// A second connection for queries, so a search never waits for a batch being written
    /// (the write-ahead log lets readers run beside the writer). None in memory.
    reader: Option<Mutex<Connection>>,
    /// `docs` in memory: article id → header hash.
    known: Mutex<HashMap<u64, u64>>,
}

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{where_}: {source}")]
pub struct IndexError {
    where_: String,
    source: rusqlite::Error,
}

/// The id behind an [`ArticleId`] (16 hex digits), as the index's rowid.
pub fn rowid(id: &ArticleId) -> Option<i64> {
    u64::from_str_radix(id.as_str(), 16).ok().map(|v| v as i64)
}

/// The [`ArticleId`] of a rowid.
pub fn article_id(rowid: i64) -> ArticleId {
    ArticleId::from_hash(rowid as u64)
}

/// What decides whether an article must be indexed again: its header (title, standfirst, date,
/// link, word count, source). Known without reading the body: a changed body changes the word
/// count in all but freak cases, and a feed that edits an item usually edits more.
pub fn doc_hash(a: &Article) -> u64 {
    // FNV-1a over the fields in turn, each ended by a NUL (no copy: this runs over every
    // article at each load).
    let mut h = FNV_START;
    let mut feed = |bytes: &[u8]| h = fnv1a64_more(fnv1a64_more(h, bytes), b"\0");
    feed(a.title.as_bytes());
    feed(a.standfirst.as_deref().unwrap_or("").as_bytes());
    feed(a.source.as_bytes());
    feed(a.link.as_deref().unwrap_or("").as_bytes());
    feed(&a.date.timestamp().to_le_bytes());
    feed(&(a.words as u64).to_le_bytes());
    h
}

fn connect(path: Option<&Path>) -> rusqlite::Result<Connection> {
    let conn = match path {
        Some(p) => Connection::open(p)?,
        None => Connection::open_in_memory()?,
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // 32 MiB of page cache (the default is 2): merging segments reads back what was written.
    conn.pragma_update(None, "cache_size", -32768)?;
    if path.is_some() {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version == LAYOUT {
        return Ok(conn);
    }
    conn.execute_batch("DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS docs;")?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL);
         CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
             text, content = '', contentless_delete = 1,
             tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    conn.pragma_update(None, "user_version", LAYOUT)?;
    // Terms pending in memory before FTS5 writes a segment (1 MiB by default): fewer, bigger
    // segments to merge in a build. Kept in the table's config.
    conn.execute(
        "INSERT INTO fts (fts, rank) VALUES ('hashsize', ?1)",
        [HASH_SIZE],
    )?;
    Ok(conn)
}

fn load_known(conn: &Connection) -> rusqlite::Result<HashMap<u64, u64>> {
    let mut stmt = conn.prepare("SELECT id, hash FROM docs")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
    })?;
    rows.collect()
}

/// Removes a database file and its logs.
fn remove_db(path: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

impl SearchIndex {
    /// Opens (or creates) the index in `cache_dir`. One that cannot be read is deleted and
    /// started again, with a warning; when even that fails, an index in memory is used (built
    /// again each run) and the warning says so.
    pub fn open(cache_dir: &Path) -> (SearchIndex, Option<String>) {
        let path = cache_dir.join(FILE_NAME);
        let _ = std::fs::create_dir_all(cache_dir);
        let opened = connect(Some(&path)).and_then(|c| load_known(&c).map(|k| (c, k)));
        let (result, warning) = match opened {
            Ok(ok) => (Ok(ok), None),
            Err(e) => {
                remove_db(&path);
                let again = connect(Some(&path)).and_then(|c| load_known(&c).map(|k| (c, k)));
                let warning = format!(
                    "{}: the search index could not be read ({e}); building it again",
                    path.display()
                );
                (again, Some(warning))
            }
        };
        match result {
            Ok((conn, known)) => (
                SearchIndex {
                    reader: Connection::open(&path).ok().map(|r| {
                        let _ = r.busy_timeout(std::time::Duration::from_secs(5));
                        Mutex::new(r)
                    }),
                    path: Some(path),
                    conn: Mutex::new(conn),
                    known: Mutex::new(known),
                },
                warning,
            ),
            Err(e) => {
                let warning = format!(
                    "{}: the search index cannot be written ({e}); searching bodies needs it \
                     built again at each start",
                    path.display()
                );
                (SearchIndex::in_memory(), Some(warning))
            }
        }
    }

    /// An index in memory (no cache folder).
    pub fn in_memory() -> SearchIndex {
        let conn = connect(None).expect("an in-memory database with FTS5");
        SearchIndex {
            path: None,
            conn: Mutex::new(conn),
            reader: None,
            known: Mutex::new(HashMap::new()),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<u64, u64>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn error(&self, source: rusqlite::Error) -> IndexError {
        let where_ = match &self.path {
            Some(p) => p.display().to_string(),
            None => "the search index".to_string(),
        };
        IndexError { where_, source }
    }

    /// Articles in the index.
    pub fn len(&self) -> usize {
        self.known().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Which of these articles must be (re)indexed: unknown ones, and those whose header hash
    /// changed. Returns their positions in `articles` with their hashes.
    pub fn stale(&self, articles: &[Article]) -> Vec<(usize, u64)> {
        use rayon::prelude::*;
        let known = self.known();
        let known: &HashMap<u64, u64> = &known;
        // On every core: hashing every header is most of a `list --search`'s own work.
        articles
            .par_iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let id = rowid(&a.id)? as u64;
                let h = doc_hash(a);
                (known.get(&id) != Some(&h)).then_some((i, h))
            })
            .collect()
    }

    /// Indexes these articles' texts (folded, see `core::search::index_text`) with their
    /// header hashes, replacing what the index had for them; one transaction.
    pub fn add(&self, docs: &[(ArticleId, u64, &str)]) -> Result<(), IndexError> {
        if docs.is_empty() {
            return Ok(());
        }
        // FTS5 writes its pending terms out whenever a rowid is lower than the last one
        // inserted: in random order that is almost every row, and the segments written are
        // merged over and over (perf: 80% of a build in fts5IndexFlush and merges). In order.
        let mut docs: Vec<(i64, u64, &str)> = docs
            .iter()
            .filter_map(|(id, hash, text)| Some((rowid(id)?, *hash, *text)))
            .collect();
        docs.sort_unstable_by_key(|d| d.0);
        let mut conn = self.conn();
        let write = |conn: &mut Connection| -> rusqlite::Result<()> {
            // Immediate: the write lock first, so what `docs` says holds while we write (another
            // tidings may be indexing the same articles).
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            {
                let mut exists = tx.prepare_cached("SELECT 1 FROM docs WHERE id = ?1")?;
                let mut delete = tx.prepare_cached("DELETE FROM fts WHERE rowid = ?1")?;
                let mut insert =
                    tx.prepare_cached("INSERT INTO fts (rowid, text) VALUES (?1, ?2)")?;
                let mut doc =
                    tx.prepare_cached("INSERT OR REPLACE INTO docs (id, hash) VALUES (?1, ?2)")?;
                for &(row, hash, text) in &docs {
                    if exists.exists([row])? {
                        delete.execute([row])?;
                    }
                    insert.execute(params![row, text])?;
                    doc.execute(params![row, hash as i64])?;
                }
            }
            tx.commit()
        };
        write(&mut conn).map_err(|e| self.error(e))?;
        let mut known = self.known();
        for (row, hash, _) in docs {
            known.insert(row as u64, hash);
        }
        Ok(())
    }

    /// Removes every article not in `keep` (those that left every source); returns how many.
    pub fn retain(&self, keep: &std::collections::HashSet<ArticleId>) -> Result<usize, IndexError> {
        let keep: std::collections::HashSet<u64> = keep
            .iter()
            .filter_map(|id| rowid(id).map(|r| r as u64))
            .collect();
        // The connection first, then the map, as `add` takes them (never the other way round).
        let mut conn = self.conn();
        let gone: Vec<u64> = (self.known().keys())
            .filter(|k| !keep.contains(k))
            .copied()
            .collect();
        if gone.is_empty() {
            return Ok(0);
        }
        let write = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            {
                let mut delete = tx.prepare_cached("DELETE FROM fts WHERE rowid = ?1")?;
                let mut doc = tx.prepare_cached("DELETE FROM docs WHERE id = ?1")?;
                for &g in &gone {
                    delete.execute([g as i64])?;
                    doc.execute([g as i64])?;
                }
            }
            tx.commit()
        };
        write(&mut conn).map_err(|e| self.error(e))?;
        let mut known = self.known();
        for g in &gone {
            known.remove(g);
        }
        Ok(gone.len())
    }

    /// Merges the index's segments into one and gives the space freed back to the file system
    /// (after a big build: fewer segments to read per query, a smaller file).
    pub fn optimize(&self) -> Result<(), IndexError> {
        let conn = self.conn();
        conn.execute_batch("INSERT INTO fts (fts) VALUES ('optimize'); VACUUM;")
            .map_err(|e| self.error(e))
    }

    /// The articles matching an FTS5 `MATCH` expression (see `core::search::fts_expression`).
    pub fn search(&self, expression: &str) -> Result<Vec<ArticleId>, IndexError> {
        let conn = match &self.reader {
            Some(r) => r.lock().unwrap_or_else(|p| p.into_inner()),
            None => self.conn(),
        };
        let run = || -> rusqlite::Result<Vec<ArticleId>> {
            let mut stmt = conn.prepare_cached("SELECT rowid FROM fts WHERE fts MATCH ?1")?;
            let rows = stmt.query_map([expression], |r| r.get::<_, i64>(0))?;
            rows.map(|r| r.map(article_id)).collect()
        };
        run().map_err(|e| self.error(e))
    }
}

#[cfg(test)]
#[path = "search_index_tests.rs"]
mod tests;

/// An article waiting to be indexed: what its text is made of, without holding the article.
pub struct Pending {
    pub id: ArticleId,
    pub hash: u64,
    /// The article without its body (title, source, standfirst are what is indexed of it).
    head: Article,
    /// Where the body is, when not in memory.
    at: Option<std::sync::Arc<crate::core::model::BodyRef>>,
}

/// The articles of `articles` the index lacks or has an older version of, ready to be indexed
/// later (bodies in memory are kept; those on disk are read again then).
pub fn pending(index: &SearchIndex, articles: &[Article]) -> Vec<Pending> {
    index
        .stale(articles)
        .into_iter()
        .map(|(i, hash)| {
            let a = &articles[i];
            let at = match &a.body {
                crate::core::model::Body::Stored(at) => Some(at.clone()),
                _ => None,
            };
            let head = Article {
                id: a.id.clone(),
                title: a.title.clone(),
                source: a.source.clone(),
                standfirst: a.standfirst.clone(),
                body: if at.is_some() {
                    Default::default()
                } else {
                    a.body.clone()
                },
                ..Article::new(a.id.clone())
            };
            Pending {
                id: a.id.clone(),
                hash,
                head,
                at,
            }
        })
        .collect()
}

/// Articles whose bodies are read back at a time.
pub const BATCH: usize = 2048;
/// Text indexed per transaction (and per progress report).
const COMMIT_BYTES: usize = 48 << 20;

/// Indexes what is ready in one transaction; how many that was.
fn commit(
    index: &SearchIndex,
    ready: &mut Vec<(ArticleId, u64, String)>,
) -> Result<usize, IndexError> {
    let docs: Vec<(ArticleId, u64, &str)> = ready
        .iter()
        .map(|(id, h, t)| (id.clone(), *h, t.as_str()))
        .collect();
    index.add(&docs)?;
    let n = ready.len();
    ready.clear();
    Ok(n)
}

/// Indexes `pending`: bodies on disk are read again [`BATCH`] articles at a time (one read per
/// file, files in parallel, not rendered) and folded; about [`COMMIT_BYTES`] of text go in
/// each transaction. After each, `progress(indexed so far)`; it returns false to stop. A body that cannot be read is indexed by its header, and the
/// warnings name the files.
pub fn index_pending(
    index: &SearchIndex,
    mut pending: Vec<Pending>,
    mut progress: impl FnMut(usize) -> bool,
) -> Result<Vec<String>, IndexError> {
    use crate::core::search::index_text_of;
    use rayon::prelude::*;
    // A file's articles together, so each file is read once.
    pending.sort_by(|a, b| a.at.cmp(&b.at));
    let mut warnings = Vec::new();
    let (mut done, mut bytes) = (0, 0);
    let mut ready: Vec<(ArticleId, u64, String)> = Vec::new();
    for batch in pending.chunks(BATCH) {
        let wanted: Vec<(usize, (ArticleId, crate::core::model::BodyRef))> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, (p.id.clone(), (**p.at.as_ref()?).clone()))))
            .collect();
        let (slots, wanted): (Vec<usize>, Vec<_>) = wanted.into_iter().unzip();
        let (found, failed) = super::files::load_bodies(&wanted, false);
        warnings.extend(failed.iter().map(ToString::to_string));
        let mut bodies: Vec<Option<Article>> = vec![None; batch.len()];
        for (j, a) in found {
            bodies[slots[j]] = Some(a);
        }
        let texts: Vec<String> = batch
            .par_iter()
            .zip(bodies.par_iter())
            .map(|(p, body)| index_text_of(&p.head, body.as_ref().unwrap_or(&p.head)))
            .collect();
        bytes += texts.iter().map(String::len).sum::<usize>();
        ready.extend(
            batch
                .iter()
                .zip(texts)
                .map(|(p, t)| (p.id.clone(), p.hash, t)),
        );
        // Big transactions: each one writes segments that FTS5 merges later, so few big ones
        // cost less than many small ones (see docs/performance.md).
        if bytes >= COMMIT_BYTES {
            done += commit(index, &mut ready)?;
            bytes = 0;
            if !progress(done) {
                return Ok(warnings);
            }
        }
    }
    done += commit(index, &mut ready)?;
    if done > 0 {
        progress(done);
    }
    Ok(warnings)
}
