//! Read and star marks on disk (`state.json` in the data folder), keyed by stable article ids.
//!
//! Saved atomically (see [`super::atomic`]) under an advisory lock,
//! merging with what is on disk: each mark carries the time it was set and the newer one wins,
//! so two tidings running at once keep each other's changes. A file that cannot be read as a
//! state file is moved aside with a timestamp and a warning, never overwritten silently.

use super::atomic::{remove_temps, write_atomic};
use crate::core::model::ArticleId;
use crate::core::state::Mark;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;

const VERSION: u32 = 1;

/// A mark as the file keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Saved {
    read: bool,
    starred: bool,
    /// When it was set, in milliseconds since the Unix epoch.
    at: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    version: u32,
    marks: BTreeMap<String, Saved>,
}

/// Why marks could not be saved (or the state file locked to read it).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: cannot create: {source}", dir.display())]
    CreateDir { dir: PathBuf, source: io::Error },
    #[error("{}: {source}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("{}: cannot lock: {source}", path.display())]
    Lock { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Encode(#[from] serde_json::Error),
    #[error("{}: cannot save: {source}", path.display())]
    Save { path: PathBuf, source: io::Error },
}

/// The state file of one data folder.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// The data folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn lock(&self) -> Result<std::fs::File, StoreError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| StoreError::CreateDir {
            dir: self.dir.clone(),
            source,
        })?;
        let path = self.dir.join("state.lock");
        let f = match std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(source) => return Err(StoreError::Open { path, source }),
        };
        if let Err(source) = f.lock() {
            return Err(StoreError::Lock { path, source });
        }
        Ok(f)
    }

    /// Reads the file. Missing: empty. Unreadable as a state file: moved aside, with a warning.
    fn read(&self) -> (StateFile, Option<String>) {
        let path = self.path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (StateFile::default(), None);
            }
            Err(e) => {
                return (
                    StateFile::default(),
                    Some(format!("{}: {e}", path.display())),
                );
            }
        };
        match serde_json::from_slice::<StateFile>(&bytes) {
            Ok(f) if f.version == VERSION => (f, None),
            Ok(f) => (
                StateFile::default(),
                Some(self.move_aside(&format!("version {} is not {VERSION}", f.version))),
            ),
            Err(e) => (StateFile::default(), Some(self.move_aside(&e.to_string()))),
        }
    }

    fn move_aside(&self, why: &str) -> String {
        let path = self.path();
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f");
        let aside = self.dir.join(format!("state.json.corrupt-{stamp}"));
        match std::fs::rename(&path, &aside) {
            Ok(()) => format!(
                "{}: unreadable ({why}); moved to {} and starting fresh",
                path.display(),
                aside.display()
            ),
            Err(e) => format!(
                "{}: unreadable ({why}) and cannot be moved aside: {e}",
                path.display()
            ),
        }
    }

    /// The saved marks, and a warning when the file had to be moved aside.
    pub fn load(&self) -> (Vec<Mark>, Option<String>) {
        let _lock = match self.lock() {
            Ok(l) => l,
            Err(e) => return (Vec::new(), Some(e.to_string())),
        };
        let (file, warning) = self.read();
        let marks = file
            .marks
            .iter()
            .filter_map(|(id, m)| {
                Some(Mark {
                    id: ArticleId::parse(id)?,
                    read: m.read,
                    starred: m.starred,
                })
            })
            .collect();
        (marks, warning)
    }

    /// Saves changed marks, merged with the file's (the newer of two marks for an id wins); `Ok`
    /// holds a warning when the file had to be moved aside.
    pub fn save(&self, changes: &[Mark]) -> Result<Option<String>, StoreError> {
        let _lock = self.lock()?;
        // Under the lock no other writer is mid-write: any temporary file is a killed writer's
        // (`.state.json.XXXXXX.tmp`, or `.state.json.tmp-PID` from older versions).
        remove_temps(
            &self.dir,
            |name| {
                name.starts_with(".state.json.tmp-")
                    || (name.starts_with(".state.json.") && name.ends_with(".tmp"))
            },
            None,
        );
        let (mut file, warning) = self.read();
        file.version = VERSION;
        let at = now_ms();
        for change in changes {
            let mark = Saved {
                read: change.read,
                starred: change.starred,
                at,
            };
            let slot = file.marks.entry(change.id.to_string()).or_insert(mark);
            if slot.at <= at {
                *slot = mark;
            }
        }
        // Unread and unstarred is the default: no need to keep it.
        file.marks.retain(|_, m| m.read || m.starred);
        let json = serde_json::to_vec(&file)?;
        let path = self.path();
        write_atomic(&path, &json).map_err(|source| StoreError::Save { path, source })?;
        Ok(warning)
    }
}

/// The user's data folder for tidings (`$XDG_DATA_HOME/tidings` or `~/.local/share/tidings`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tidings").map(|d| d.data_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ArticleId {
        ArticleId::from_key(s)
    }

    fn mark(s: &str, read: bool, starred: bool) -> Mark {
        Mark {
            id: id(s),
            read,
            starred,
        }
    }

    #[test]
    fn save_then_load() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        assert_eq!(store.load(), (vec![], None));
        store
            .save(&[
                mark("a", true, false),
                mark("b", false, true),
                mark("c", false, false),
            ])
            .unwrap();
        let (mut marks, warning) = store.load();
        marks.sort();
        let mut want = vec![mark("a", true, false), mark("b", false, true)];
        want.sort();
        assert_eq!(marks, want);
        assert_eq!(warning, None);
        // Unmarking is saved too.
        store.save(&[mark("a", false, false)]).unwrap();
        assert_eq!(store.load().0, vec![mark("b", false, true)]);
    }

    #[test]
    fn two_writers_keep_each_others_changes() {
        let dir = tempfile::tempdir().unwrap();
        let one = Store::new(dir.path());
        let two = Store::new(dir.path());
        one.save(&[mark("x", true, false)]).unwrap();
        two.save(&[mark("y", false, true)]).unwrap();
        one.save(&[mark("z", true, true)]).unwrap();
        let mut marks = two.load().0;
        marks.sort();
        let mut want = vec![
            mark("x", true, false),
            mark("y", false, true),
            mark("z", true, true),
        ];
        want.sort();
        assert_eq!(marks, want);
        // Concurrent savers from threads: nothing lost.
        std::thread::scope(|s| {
            for t in 0..4 {
                let store = Store::new(dir.path());
                s.spawn(move || {
                    for k in 0..25 {
                        store
                            .save(&[mark(&format!("t{t}-{k}"), true, false)])
                            .unwrap();
                    }
                });
            }
        });
        assert_eq!(one.load().0.len(), 3 + 100);
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        std::fs::write(store.path(), b"{ not json").unwrap();
        let (marks, warning) = store.load();
        assert!(marks.is_empty());
        let w = warning.unwrap();
        assert!(w.contains("unreadable") && w.contains("moved to"), "{w}");
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("state.json.corrupt-")
            })
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(std::fs::read(aside[0].path()).unwrap(), b"{ not json");
        // Saving now starts fresh.
        store.save(&[mark("a", true, false)]).unwrap();
        assert_eq!(store.load(), (vec![mark("a", true, false)], None));
    }

    #[test]
    fn errors_say_what_failed_where() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the data folder should be.
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, b"x").unwrap();
        let store = Store::new(blocked.join("data"));
        let e = store.save(&[mark("a", true, false)]).unwrap_err();
        assert!(matches!(e, StoreError::CreateDir { .. }), "{e:?}");
        let text = e.to_string();
        assert!(
            text.starts_with(&format!(
                "{}: cannot create: ",
                blocked.join("data").display()
            )),
            "{text}"
        );
        let again = store
            .save(&[mark("a", true, false)])
            .map_err(|e| e.to_string());
        assert_eq!(again, Err(text.clone()));
        assert_eq!(store.load(), (vec![], Some(text)));
    }
}
