//! What reading and parsing each file gave, kept between runs of one process: the language
//! server lints the whole workspace on every edit, and a file whose size and modification time
//! have not changed is neither read nor parsed again. Only the buffer being edited (and files
//! that changed on disk) are. Entries are dropped when what extraction depends on changes
//! (profiles, declared wrappers, limits).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

/// A file's size and modification time when it was read.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        // Not followed: the walk never follows links either.
        let meta = std::fs::symlink_metadata(path).ok()?;
        meta.is_file().then(|| Stamp { len: meta.len(), modified: meta.modified().ok() })
    }
}

/// The cache of one process.
#[derive(Default)]
pub struct FileCache<T> {
    entries: Mutex<HashMap<PathBuf, (Stamp, T)>>,
    /// What extraction depended on when the entries were made.
    fingerprint: Mutex<u64>,
    hits: AtomicUsize,
}

impl<T: Clone> FileCache<T> {
    pub fn new() -> FileCache<T> {
        FileCache { entries: Mutex::default(), fingerprint: Mutex::default(), hits: AtomicUsize::new(0) }
    }

    /// Starts a run whose extraction depends on `fingerprint`: entries made under another one
    /// are dropped.
    pub fn begin(&self, fingerprint: u64) {
        let mut current = self.fingerprint.lock().unwrap_or_else(|e| e.into_inner());
        if *current != fingerprint {
            self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
            *current = fingerprint;
        }
    }

    /// The outcome for `path`: the kept one when the file is unchanged, else `compute()`'s,
    /// kept when `keep` says it may be.
    pub fn get_or(&self, path: &Path, compute: impl FnOnce() -> T, keep: impl Fn(&T) -> bool) -> T {
        let Some(stamp) = Stamp::of(path) else { return compute() };
        let cached = self.entries.lock().unwrap_or_else(|e| e.into_inner()).get(path).cloned();
        if let Some((kept, outcome)) = cached
            && kept == stamp
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return outcome;
        }
        let outcome = compute();
        // A file that changed while it was read is read again next time.
        if keep(&outcome) && Stamp::of(path) == Some(stamp) {
            self.entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_path_buf(), (stamp, outcome.clone()));
        }
        outcome
    }

    /// How many files were served from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}
