//! The only way tracklint reads a file it did not lint (configs, plans, baselines, ignore files,
//! manifests) and the only way it writes one (`--fix`, `baseline`, `--output-file`, `init`).
//!
//! A repository is untrusted input. Reads take regular files only, never more than a limit, and
//! (for files the repository chooses, such as a config) never through a symbolic link that leads
//! out of the project. Writes go to a temporary file with a random name created exclusively beside
//! the target, are flushed, take the target's permissions only if the target is a regular file,
//! and replace it with one rename; a symbolic link at the target is refused, never written
//! through. A reader (or a crash, or a kill) sees the old file or the new one, never a mix.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Configs (`tracklint.toml`, `pyproject.toml`) and ignore files.
pub const CONFIG_LIMIT: u64 = 1024 * 1024;
/// Tracking plans and baselines.
pub const DATA_LIMIT: u64 = 64 * 1024 * 1024;
/// Dependency manifests and lockfiles.
pub const MANIFEST_LIMIT: u64 = 8 * 1024 * 1024;

/// Why a file was not read; the message never quotes the file's contents or a link's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRefused(pub String);

impl std::fmt::Display for ReadRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a regular file of at most `limit` bytes. With `within`, a path that is (or passes
/// through) a symbolic link must still lead to a file inside that directory.
pub fn read_bounded(path: &Path, limit: u64, within: Option<&Path>) -> Result<Vec<u8>, ReadRefused> {
    read_regular(path, limit, within).map_err(|e| match e {
        ReadError::TooLarge(size) => ReadRefused(format!("{size} bytes is over the {limit} byte limit")),
        ReadError::NotRegular => ReadRefused("not a regular file (a device, FIFO or directory)".into()),
        ReadError::Refused(why) => ReadRefused(why),
    })
}

/// Why [`read_regular`] read nothing: callers that lint a file skip the first two and report
/// the third.
#[derive(Debug)]
pub enum ReadError {
    /// The file's size, over the limit.
    TooLarge(u64),
    /// A FIFO, socket, device or directory.
    NotRegular,
    Refused(String),
}

/// [`read_bounded`], with the reason kept apart. One `stat` of the path (a FIFO must not be
/// opened: the open would block), then the open file itself is checked again, so a file
/// swapped for something else in between is caught, and read in one allocation.
pub fn read_regular(path: &Path, limit: u64, within: Option<&Path>) -> Result<Vec<u8>, ReadError> {
    if let Some(root) = within {
        let link = std::fs::symlink_metadata(path)
            .map_err(|e| ReadError::Refused(e.to_string()))?
            .file_type()
            .is_symlink();
        let inside = match (std::fs::canonicalize(path), std::fs::canonicalize(root)) {
            (Ok(target), Ok(root)) => target.starts_with(&root),
            _ => false,
        };
        if !inside {
            let what = if link { "a symbolic link" } else { "a path through a symbolic link" };
            return Err(ReadError::Refused(format!("{what} that leads outside the project")));
        }
    }
    let regular = |meta: &std::fs::Metadata| -> Result<u64, ReadError> {
        if !meta.is_file() {
            return Err(ReadError::NotRegular);
        }
        if meta.len() > limit {
            return Err(ReadError::TooLarge(meta.len()));
        }
        Ok(meta.len())
    };
    regular(&std::fs::metadata(path).map_err(|e| ReadError::Refused(e.to_string()))?)?;
    let file = std::fs::File::open(path).map_err(|e| ReadError::Refused(e.to_string()))?;
    let size = regular(&file.metadata().map_err(|e| ReadError::Refused(e.to_string()))?)?;
    let mut bytes = Vec::with_capacity(size as usize + 1);
    // Files under /proc report a size of 0: the limit is enforced on what is read, too.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| ReadError::Refused(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text (invalid bytes are an error: configs and plans are text).
pub fn read_text(path: &Path, limit: u64, within: Option<&Path>) -> Result<String, ReadRefused> {
    let bytes = read_bounded(path, limit, within)?;
    String::from_utf8(bytes)
        .map_err(|e| ReadRefused(format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to())))
}

/// The directory a write's temporary file goes in: the target's.
fn dir_of(target: &Path) -> PathBuf {
    target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

pub fn write_atomic(target: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomic_with(target, |out| out.write_all(contents))
}

/// [`write_atomic`] with contents written by `write` as they are made (a report of many
/// findings is never held whole in memory).
pub fn write_atomic_with(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let existing = std::fs::symlink_metadata(target).ok();
    if existing.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other("refusing to write through a symbolic link"));
    }
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(std::io::Error::other("refusing to replace something that is not a regular file"));
    }
    // A random name, created with O_EXCL: a file or link planted under a guessable name can
    // neither receive the contents nor redirect them.
    let mut temp =
        tempfile::Builder::new().prefix(".tracklint-").suffix(".tmp").tempfile_in(dir_of(target))?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    temp.as_file().sync_all()?;
    let permissions = match &existing {
        Some(meta) => Some(meta.permissions()),
        None => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Creates a new file with `contents`, failing if anything (a file, a directory, a dangling
/// link) already has that name.
pub fn create_new(target: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(target)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// A new file is readable by everyone, as `File::create` would make it under a usual umask.
fn new_file_permissions() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Removes `./` prefixes and `a/../` pairs so that paths compare equal however they were given.
pub fn clean(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if matches!(out.components().next_back(), Some(std::path::Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The commit checked out in the git repository holding `dir`, read from `.git` itself (no
/// `git` process runs in a repository that may not be trusted): `HEAD`, the branch file it
/// names, or `packed-refs`. `None` when any of it is missing or not a commit id.
pub fn git_commit(dir: &Path) -> Option<String> {
    let git = dir
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|g| std::fs::symlink_metadata(g).is_ok_and(|m| m.is_dir()))?;
    // `packed-refs` of a large repository runs to megabytes; bounded all the same.
    let read = |path: &Path| read_text(path, 8 * 1024 * 1024, Some(&git)).ok();
    let is_commit = |s: &str| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let head = read(&git.join("HEAD"))?;
    let head = head.trim();
    if is_commit(head) {
        return Some(head.to_string());
    }
    let reference = head.strip_prefix("ref: ")?.trim();
    if reference.split('/').any(|part| part == ".." || part.is_empty()) || !reference.starts_with("refs/") {
        return None;
    }
    if let Some(id) = read(&git.join(reference)).map(|s| s.trim().to_string()).filter(|s| is_commit(s)) {
        return Some(id);
    }
    let packed = read(&git.join("packed-refs"))?;
    packed.lines().find_map(|line| {
        let (id, name) = line.split_once(' ')?;
        (name.trim() == reference && is_commit(id)).then(|| id.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commit_is_read_from_git_files_never_through_a_path_out() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let git = dir.path().join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap_or_else(|e| panic!("{e}"));
        let id = "0123456789abcdef0123456789abcdef01234567";
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(git_commit(dir.path()), None, "no branch file, no packed ref");
        std::fs::write(git.join("packed-refs"), format!("# pack-refs\n{id} refs/heads/main\n"))
            .unwrap_or_default();
        assert_eq!(git_commit(&dir.path().join("sub/dir")).as_deref(), Some(id));
        std::fs::write(git.join("refs/heads/main"), "89abcdef0123456789abcdef0123456789abcdef\n")
            .unwrap_or_default();
        assert_eq!(git_commit(dir.path()).as_deref(), Some("89abcdef0123456789abcdef0123456789abcdef"));
        std::fs::write(git.join("HEAD"), "ref: refs/../../../etc/passwd\n").unwrap_or_default();
        assert_eq!(git_commit(dir.path()), None);
        std::fs::write(git.join("HEAD"), format!("{id}\n")).unwrap_or_default();
        assert_eq!(git_commit(dir.path()).as_deref(), Some(id), "a detached HEAD");
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tracklint-fsutil-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    #[test]
    fn replaces_contents_and_keeps_permissions() {
        let dir = scratch("atomic");
        let target = dir.join("a.rb");
        std::fs::write(&target, "old").unwrap_or_else(|e| panic!("{e}"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o750))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        write_atomic(&target, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&target).unwrap_or_default(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
            assert_eq!(mode, 0o750);
        }
        let leftovers = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn planted_links_are_never_written_through() {
        let dir = scratch("links");
        let outside = scratch("links-outside").join("victim");
        std::fs::write(&outside, "untouched").unwrap_or_else(|e| panic!("{e}"));
        // The old predictable temporary name, and the target itself, as links out of the tree.
        let target = dir.join("a.js");
        std::fs::write(&target, "x").unwrap_or_else(|e| panic!("{e}"));
        let planted = dir.join(format!(".a.js.tracklint-{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&outside, &planted).unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&target, b"fixed").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&outside).unwrap_or_default(), "untouched");
        let link_target = dir.join("out.json");
        std::os::unix::fs::symlink(&outside, &link_target).unwrap_or_else(|e| panic!("{e}"));
        assert!(write_atomic(&link_target, b"report").is_err());
        assert!(create_new(&link_target, b"report").is_err());
        let dangling = dir.join("tracklint.toml");
        std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).unwrap_or_else(|e| panic!("{e}"));
        assert!(create_new(&dangling, b"x").is_err());
        assert!(!dir.join("nowhere").exists());
        assert_eq!(std::fs::read_to_string(&outside).unwrap_or_default(), "untouched");
    }

    #[cfg(unix)]
    #[test]
    fn reads_refuse_devices_links_out_and_oversized_files() {
        let dir = scratch("reads");
        let zero = dir.join(".gitignore");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap_or_else(|e| panic!("{e}"));
        assert!(read_bounded(&zero, CONFIG_LIMIT, None).is_err());
        let environ = dir.join("tracklint.toml");
        std::os::unix::fs::symlink("/proc/self/environ", &environ).unwrap_or_else(|e| panic!("{e}"));
        let refused = read_bounded(&environ, CONFIG_LIMIT, Some(&dir)).err().map(|e| e.0).unwrap_or_default();
        assert!(refused.contains("outside the project"), "{refused}");
        let big = dir.join("big.csv");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap_or_else(|e| panic!("{e}"));
        assert!(read_bounded(&big, 1024, None).is_err());
        assert_eq!(read_bounded(&big, 4096, Some(&dir)).map(|b| b.len()), Ok(2048));
        let inner = dir.join("inner-link.csv");
        std::os::unix::fs::symlink(&big, &inner).unwrap_or_else(|e| panic!("{e}"));
        assert!(read_bounded(&inner, 4096, Some(&dir)).is_ok(), "a link inside the project is fine");
    }
}
