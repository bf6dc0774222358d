//! What a server sync keeps in the data folder (`sync/KEY.json`, one file per server and user):
//! the marks made in tidings not yet sent to the server, and when the last full pull began (the
//! next one asks only for what came since). Written atomically (see
//! [`crate::sources::atomic`]) under a lock, so a killed tidings loses no queued mark and two
//! running at once lose none of each other's.

use super::GReaderSpec;
use crate::sources::atomic::{remove_temps, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;

/// A mark waiting to be sent: the states to set (`None`: unchanged), the article id (as
/// printed) and when it was made (ms since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starred: Option<bool>,
    pub at: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    /// By item id (decimal, or hex for a wider one: see `items::item_id`).
    #[serde(default)]
    pending: BTreeMap<String, Pending>,
    /// When the last complete pull began (seconds since the epoch).
    #[serde(default)]
    last_pull: Option<i64>,
}

/// A mark to queue: the item id (as kept), the read and starred states to set (`None`: left
/// alone).
pub type QueuedMark = (String, Option<bool>, Option<bool>);

/// Which state a sent batch set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Read,
    Starred,
}

/// The queue of one server and user.
#[derive(Debug, Clone)]
pub struct Queue {
    dir: PathBuf,
    key: String,
}

impl Queue {
    pub fn new(data_dir: &Path, spec: &GReaderSpec) -> Queue {
        Queue {
            dir: data_dir.join("sync"),
            key: spec.file_key(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.key))
    }

    /// Runs `f` on the file under the lock, writing it back when `f` says it changed it.
    fn with<T>(&self, f: impl FnOnce(&mut File) -> (T, bool)) -> io::Result<T> {
        std::fs::create_dir_all(&self.dir)?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(format!("{}.lock", self.key)))?;
        lock.lock()?;
        let name = format!(".{}.json.", self.key);
        remove_temps(
            &self.dir,
            |n| n.starts_with(&name) && n.ends_with(".tmp"),
            None,
        );
        let path = self.path();
        let mut file = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<File>(&bytes) {
                Ok(f) if f.version == VERSION => f,
                // Unreadable: kept aside rather than lost.
                _ => {
                    let aside = path.with_extension(format!(
                        "json.corrupt-{}",
                        chrono::Utc::now().format("%Y%m%dT%H%M%S")
                    ));
                    let _ = std::fs::rename(&path, &aside);
                    tracing::warn!(file = %path.display(), "sync queue unreadable: moved aside");
                    File::default()
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => File::default(),
            Err(e) => return Err(e),
        };
        let (out, changed) = f(&mut file);
        if changed {
            file.version = VERSION;
            write_atomic(&path, &serde_json::to_vec(&file).map_err(io::Error::other)?)?;
        }
        Ok(out)
    }

    /// Queues marks: `(item, read, starred)`, `None` for a state left alone; a later mark of an
    /// item replaces the earlier one's states.
    pub fn add(&self, marks: &[QueuedMark]) -> io::Result<()> {
        if marks.is_empty() {
            return Ok(());
        }
        let at = chrono::Utc::now().timestamp_millis();
        self.with(|f| {
            for (item, read, starred) in marks {
                let slot = f.pending.entry(item.clone()).or_insert(Pending {
                    read: None,
                    starred: None,
                    at,
                });
                slot.read = read.or(slot.read);
                slot.starred = starred.or(slot.starred);
                slot.at = at.max(slot.at);
            }
            ((), true)
        })
    }

    /// The marks waiting, by item id.
    pub fn pending(&self) -> io::Result<BTreeMap<String, Pending>> {
        self.with(|f| (f.pending.clone(), false))
    }

    /// Number of marks waiting (0 when the file cannot be read).
    pub fn len(&self) -> usize {
        self.pending().map_or(0, |p| p.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// These items' `attr` was sent as queued at `at`: cleared (unless marked again since).
    pub fn sent(&self, items: &[(String, i64)], attr: Attr) -> io::Result<()> {
        self.with(|f| {
            for (item, at) in items {
                if let Some(p) = f.pending.get_mut(item)
                    && p.at == *at
                {
                    match attr {
                        Attr::Read => p.read = None,
                        Attr::Starred => p.starred = None,
                    }
                    if p.read.is_none() && p.starred.is_none() {
                        f.pending.remove(item);
                    }
                }
            }
            ((), true)
        })
    }

    /// When the last complete pull began.
    pub fn last_pull(&self) -> Option<i64> {
        self.with(|f| (f.last_pull, false)).ok().flatten()
    }

    pub fn set_last_pull(&self, at: i64) -> io::Result<()> {
        self.with(|f| {
            f.last_pull = Some(at);
            ((), true)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::greader::Password;

    fn queue(dir: &Path) -> Queue {
        let spec = GReaderSpec {
            url: "http://127.0.0.1:1/api".into(),
            user: "u".into(),
            password: Password::Env("X".into()),
            allow_http: false,
            app: None,
        };
        Queue::new(dir, &spec)
    }

    #[test]
    fn marks_wait_until_sent_and_a_newer_one_stays() {
        let dir = tempfile::tempdir().unwrap();
        let q = queue(dir.path());
        assert!(q.is_empty());
        q.add(&[
            ("1".into(), Some(true), None),
            ("2".into(), None, Some(true)),
        ])
        .unwrap();
        q.add(&[("1".into(), None, Some(false))]).unwrap();
        let p = q.pending().unwrap();
        assert_eq!((p["1"].read, p["1"].starred), (Some(true), Some(false)));
        let at1 = p["1"].at;
        q.sent(&[("1".into(), at1)], Attr::Read).unwrap();
        let p = q.pending().unwrap();
        assert_eq!((p["1"].read, p["1"].starred), (None, Some(false)));
        q.sent(&[("1".into(), at1), ("2".into(), p["2"].at)], Attr::Starred)
            .unwrap();
        assert!(q.is_empty());
        // Another queue on the same folder (another process) sees the same file.
        q.add(&[("3".into(), Some(false), None)]).unwrap();
        assert_eq!(queue(dir.path()).len(), 1);
        q.set_last_pull(42).unwrap();
        assert_eq!(queue(dir.path()).last_pull(), Some(42));
    }
}
