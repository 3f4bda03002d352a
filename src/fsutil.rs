//! The only way tracklint writes files (`--fix`, `baseline`, `--output-file`): atomically.
//! The new contents go to a temporary file beside the target, are flushed to disk, take the
//! target's permissions, and replace it with one rename, so a reader (or a crash, or a kill)
//! sees the old file or the new one, never a mix.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary file's name: hidden, beside the target, unique per process.
fn temp_path(target: &Path) -> PathBuf {
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dir.join(format!(".{name}.tracklint-{}.tmp", std::process::id()))
}

pub fn write_atomic(target: &Path, contents: &[u8]) -> std::io::Result<()> {
    let temp = temp_path(target);
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_contents_and_keeps_permissions() {
        let dir = std::env::temp_dir().join(format!("tracklint-atomic-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
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
        assert!(!temp_path(&target).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
