//! Atomic file replacement, the one way tidings writes a file that must never be seen half
//! written (the marks, the HTTP cache, full stories, the snapshot, the config on `import`).
//!
//! A temporary file is created beside the target (so the rename stays on one file system), named
//! `.NAME.XXXXXX.tmp` so each folder's clean-up of killed writers recognises it, written,
//! `fsync`ed and renamed over the target with [`tempfile::NamedTempFile::persist`]. A reader sees
//! the old file or the new one, never a mix; a writer killed mid-write leaves only its temporary
//! file. On failure the temporary file is removed. The target's folder is created if missing; an
//! existing target's permissions are kept, and a symlinked target (a dotfile manager's config)
//! stays a link: its target is what is replaced.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes` atomically and durably: the folder is synced after the rename,
/// where the platform allows it, so the new file survives a power cut too.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, true, |f| f.write_all(bytes))
}

/// Replaces `path` atomically with what `write` streams (through a large buffer). The folder is
/// not synced: for files that can be rebuilt (a cached body, the snapshot), where the old copy
/// after a power cut does no harm.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<&mut fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    replace(path, false, |f| {
        let mut out = io::BufWriter::with_capacity(256 * 1024, f);
        write(&mut out)?;
        out.flush()
    })
}

fn replace(
    path: &Path,
    durable: bool,
    write: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    // A symlink stays a link: its target is replaced.
    let resolved = fs::canonicalize(path);
    let path = resolved.as_deref().unwrap_or(path);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // As `File::create` would: 0666 less the umask, not tempfile's 0600.
    #[cfg(unix)]
    let mode = <fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o666);
    #[cfg(unix)]
    builder.permissions(mode);
    let mut tmp = builder.tempfile_in(&dir)?;
    if let Ok(meta) = fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if durable {
        sync_dir(&dir);
    }
    Ok(())
}

/// Removes leftover temporary files of atomic writes in `dir` (those `is_temp` accepts), when
/// older than `min_age` if one is given.
pub fn remove_temps(
    dir: &Path,
    is_temp: impl Fn(&str) -> bool,
    min_age: Option<std::time::Duration>,
) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        if !is_temp(&name.to_string_lossy()) {
            continue;
        }
        let old_enough = min_age.is_none_or(|age| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|elapsed| elapsed >= age)
        });
        if old_enough {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Makes a rename in `dir` durable where the platform allows it; failures do not matter.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("f.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        write_atomic_with(&p, |out| out.write_all(b"three")).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"three");
        assert_eq!(names(&dir.path().join("sub")), ["f.json"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        write_atomic(&p, b"old").unwrap();
        let e = write_atomic_with(&p, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("stopped"))
        });
        assert_eq!(e.unwrap_err().to_string(), "stopped");
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["f"]);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_a_symlink_stays_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        write_atomic(&p, b"a = 1\n").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&p, b"a = 2\n").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        write_atomic(&link, b"a = 3\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&p).unwrap(), b"a = 3\n");
    }
}
