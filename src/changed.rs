//! Which files changed, from git: `--changed-since REV` (committed, staged and unstaged changes
//! since REV, plus untracked files) and `--staged` (the index, for pre-commit hooks).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}

pub enum Since<'a> {
    Revision(&'a str),
    Staged,
}

/// The changed files, canonicalized, for the repository holding `dir`.
pub fn changed_files(dir: &Path, since: Since) -> Result<HashSet<PathBuf>, String> {
    let dir = if dir.is_dir() { dir } else { dir.parent().unwrap_or(Path::new(".")) };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let top = PathBuf::from(String::from_utf8_lossy(&git(dir, &["rev-parse", "--show-toplevel"])?).trim());
    // `-z`: names are NUL-separated and never quoted, whatever characters they hold.
    let names = match since {
        Since::Revision(rev) => {
            if rev.starts_with('-') {
                return Err(format!("`{rev}` is not a revision"));
            }
            let mut names = git(&top, &["diff", "-z", "--name-only", "--diff-filter=d", rev, "--"])?;
            names.extend(git(&top, &["ls-files", "-z", "--others", "--exclude-standard"])?);
            names
        }
        Since::Staged => git(&top, &["diff", "-z", "--name-only", "--cached", "--diff-filter=d"])?,
    };
    Ok(names
        .split(|&b| b == 0)
        .filter(|l| !l.is_empty())
        .map(|l| top.join(path_from_bytes(l)))
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect())
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}
