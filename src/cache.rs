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

    /// Whether nothing is kept yet (the process's first lint).
    pub fn is_empty(&self) -> bool {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    }

    /// How many files were served from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}

/// The per-file cache kept on disk between runs (`.tracklint_cache/`): what reading and
/// parsing each file gave, keyed by the file's content hash, the build of tracklint and
/// everything extraction depends on (profiles, declared wrappers, limits). A file whose size,
/// modification and change times and inode are those recorded is not even read; one whose
/// stamp changed is read and hashed, and its entry still serves when the bytes are the same.
///
/// Nothing in it is trusted: a file that is truncated, corrupt, of another build or written
/// half-way by a concurrent run is ignored and rebuilt. It is written atomically (a temporary
/// file renamed over the old one), only inside its own directory, never through a link.
pub mod disk {
    use rayon::prelude::*;
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use std::collections::HashMap;
    use std::io::{Read, Seek, Write};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, SystemTime};

    /// The cache directory's name, at the project root.
    pub const DIR_NAME: &str = ".tracklint_cache";
    /// Marks the directory as a cache for backup tools (https://bford.info/cachedir/) and as
    /// ours for `tracklint clean`.
    const TAG_NAME: &str = "CACHEDIR.TAG";
    const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is tracklint's cache (`tracklint clean` removes it).\n";
    const MAGIC: &[u8; 8] = b"TLCACHE2";
    /// A cache file larger than this is not read (it is rebuilt).
    const MAX_FILE: u64 = 1 << 30;
    /// Entries are encoded in chunks (at most this many) so that they decode in parallel.
    const MAX_CHUNKS: u64 = 256;
    /// A row of the chunk table: the chunk's length (u64) and hash (u128).
    const CHUNK_ROW: usize = 8 + 16;
    /// A file modified this recently may change again within the file system's time
    /// granularity without its stamp changing: its entry is checked by content next time.
    const RACY: Duration = Duration::from_secs(2);

    /// This build of tracklint: the version and a hash of its sources and profiles.
    pub fn build_id() -> String {
        format!("{}-{}", env!("CARGO_PKG_VERSION"), env!("TRACKLINT_BUILD_ID"))
    }

    /// What a file looked like when it was read; equal stamps mean the file was not written
    /// since.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Stamp {
        len: u64,
        modified: (i64, u32),
        changed: (i64, u32),
        inode: u64,
    }

    impl Stamp {
        /// The stamp of a regular file, or `None` when it cannot vouch for the contents (not a
        /// regular file, or modified too recently to tell a later write apart).
        pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
            if !meta.is_file() {
                return None;
            }
            let modified = meta.modified().ok()?;
            if SystemTime::now().duration_since(modified).is_ok_and(|age| age < RACY)
                || modified > SystemTime::now()
            {
                return None;
            }
            let since = modified.duration_since(SystemTime::UNIX_EPOCH).ok()?;
            #[cfg(unix)]
            let (changed, inode) = {
                use std::os::unix::fs::MetadataExt;
                ((meta.ctime(), meta.ctime_nsec() as u32), meta.ino())
            };
            #[cfg(not(unix))]
            let (changed, inode) = ((0, 0), 0);
            Some(Stamp {
                len: meta.len(),
                modified: (since.as_secs() as i64, since.subsec_nanos()),
                changed,
                inode,
            })
        }
    }

    /// The content hash entries are keyed by.
    pub fn content_hash(bytes: &[u8]) -> u128 {
        xxhash_rust::xxh3::xxh3_128(bytes)
    }

    /// One file's entry: its stamp and content hash when it was read, and what it gave.
    #[derive(serde::Serialize, serde::Deserialize)]
    pub struct Entry<R> {
        pub stamp: Option<Stamp>,
        pub hash: u128,
        pub record: R,
    }

    /// Where a cache file lives and what it must have been written for.
    pub struct Location {
        dir: PathBuf,
        file: PathBuf,
        header: Vec<u8>,
    }

    impl Location {
        /// The cache file of this build and this extraction `fingerprint` in `dir`.
        pub fn new(dir: &Path, fingerprint: u64) -> Location {
            let id = build_id();
            let mut header = MAGIC.to_vec();
            header.extend_from_slice(id.as_bytes());
            header.push(0);
            header.extend_from_slice(&fingerprint.to_le_bytes());
            Location {
                dir: dir.to_path_buf(),
                file: dir.join(format!("{id}-{fingerprint:016x}.bin")),
                header,
            }
        }

        /// Another file of the same cache, for the same build and fingerprint.
        pub fn sibling(&self, suffix: &str) -> Location {
            let mut file = self.file.clone().into_os_string();
            file.push(format!(".{suffix}"));
            Location { dir: self.dir.clone(), file: PathBuf::from(file), header: self.header.clone() }
        }

        pub fn dir(&self) -> &Path {
            &self.dir
        }

        /// The cache file itself.
        pub fn file(&self) -> &Path {
            &self.file
        }

        /// The entries of the cache file, by path; empty when there is none or it cannot be
        /// trusted (with the reason, when there was a file).
        pub fn load<R: DeserializeOwned + Send>(&self) -> (HashMap<String, Entry<R>>, Option<String>) {
            match self.read() {
                Ok(Some((entries, _))) => (entries, None),
                Ok(None) => (HashMap::new(), None),
                Err(why) => (HashMap::new(), Some(why)),
            }
        }

        /// [`Self::load`], with the changes since the file was written last applied: a run
        /// that changed a few entries writes only those ([`Self::store_changes`]), beside
        /// the file, naming the file they apply to. Changes that do not apply to this file, or
        /// cannot be trusted, are ignored: every entry says what it was made from (a content
        /// hash, a stamp), so an entry of the file alone is at worst out of date, never wrong.
        pub fn load_layered<R: DeserializeOwned + Send>(
            &self,
        ) -> (HashMap<String, Entry<R>>, Option<String>, Option<Layers>) {
            let (mut entries, base) = match self.read() {
                Ok(Some(read)) => read,
                Ok(None) => return (HashMap::new(), None, None),
                Err(why) => return (HashMap::new(), Some(why), None),
            };
            let mut changed = std::collections::HashSet::new();
            if let Ok(Some((delta, _))) = self.changes().read::<Option<R>>()
                && delta.get(BASE_NAME).is_some_and(|marker| marker.hash == base)
            {
                for (name, entry) in delta {
                    if name == BASE_NAME {
                        continue;
                    }
                    match entry.record {
                        Some(record) => {
                            entries
                                .insert(name.clone(), Entry { stamp: entry.stamp, hash: entry.hash, record });
                        }
                        None => {
                            entries.remove(&name);
                        }
                    }
                    changed.insert(name);
                }
            }
            let names = entries.keys().cloned().collect();
            (entries, None, Some(Layers { base, changed, names }))
        }

        /// Writes `entries` (each one serialising as a `(path, Entry<Option<R>>)`, `None` for an
        /// entry removed) as the changes to the file `layers` was loaded from: every entry
        /// changed since that file was written, not only this run's.
        fn store_changes<T: Serialize + Sync>(&self, layers: &Layers, entries: &[T]) -> Result<(), String> {
            #[derive(Serialize)]
            struct Marker<'a>(&'a str, Entry<Option<()>>);
            #[derive(Serialize)]
            #[serde(untagged)]
            enum Row<'a, T> {
                Marker(Marker<'a>),
                Entry(&'a T),
            }
            let marker = Marker(BASE_NAME, Entry { stamp: None, hash: layers.base, record: None });
            let rows: Vec<Row<T>> =
                std::iter::once(Row::Marker(marker)).chain(entries.iter().map(Row::Entry)).collect();
            self.changes().store(&rows)
        }

        /// Writes `entries` (each with whether it changed since the file was loaded) over the
        /// file `layers` was loaded with: as the changes since that file (every entry changed
        /// by this run or an earlier one, and those removed) when they are few, or else whole.
        /// Without `layers`, whole.
        pub fn store_over<R: Serialize + Sync>(
            &self,
            layers: Option<&Layers>,
            entries: Vec<(String, Entry<R>, bool)>,
        ) -> Result<(), String> {
            let changed = |(name, _, fresh): &(String, Entry<R>, bool)| {
                *fresh || layers.is_some_and(|l| l.changed.contains(name))
            };
            let removed: Vec<String> = match layers {
                Some(layers) => {
                    let present: std::collections::HashSet<&str> =
                        entries.iter().map(|(name, _, _)| name.as_str()).collect();
                    layers
                        .names
                        .union(&layers.changed)
                        .filter(|n| !present.contains(n.as_str()))
                        .cloned()
                        .collect()
                }
                None => Vec::new(),
            };
            let changes = entries.iter().filter(|e| changed(e)).count() + removed.len();
            match layers {
                Some(layers) if Layers::few(changes, entries.len()) => {
                    let rows: Vec<(String, Entry<Option<R>>)> = entries
                        .into_iter()
                        .filter(changed)
                        .map(|(name, e, _)| {
                            (name, Entry { stamp: e.stamp, hash: e.hash, record: Some(e.record) })
                        })
                        .chain(
                            removed
                                .into_iter()
                                .map(|name| (name, Entry { stamp: None, hash: 0, record: None })),
                        )
                        .collect();
                    self.store_changes(layers, &rows)
                }
                _ => {
                    let whole: Vec<(String, Entry<R>)> =
                        entries.into_iter().map(|(name, entry, _)| (name, entry)).collect();
                    self.store_whole(&whole)
                }
            }
        }

        /// Writes the whole file (see [`Self::store`]) and drops the changes kept beside it.
        fn store_whole<T: Serialize + Sync>(&self, entries: &[T]) -> Result<(), String> {
            self.store(entries)?;
            match std::fs::remove_file(self.changes().file()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(format!("cannot remove {}: {e}", self.changes().file().display()))
                }
                _ => Ok(()),
            }
        }

        /// The file of changes beside this one.
        fn changes(&self) -> Location {
            self.sibling("changes")
        }

        fn read<R: DeserializeOwned + Send>(&self) -> Result<Option<(Entries<R>, u128)>, String> {
            // A directory that is a link, or not a directory, is not ours to read or write.
            if !usable_dir(&self.dir)? {
                return Ok(None);
            }
            let meta = match std::fs::symlink_metadata(&self.file) {
                Ok(meta) => meta,
                Err(_) => return Ok(None),
            };
            if !meta.is_file() {
                return Err("the cache file is not a regular file".into());
            }
            if meta.len() > MAX_FILE {
                return Err("the cache file is too large".into());
            }
            // The fixed-size head first: a cache of another build or directory, or a file that
            // does not say its own layout, is refused before the chunks are read.
            let file =
                std::fs::File::open(&self.file).map_err(|e| format!("cannot read the cache file: {e}"))?;
            let mut file = std::io::BufReader::new(file);
            let head_len = self.header.len() + 16 + 8 + 16;
            let head = read_exactly(&mut file, head_len)?;
            let rest = head.strip_prefix(self.header.as_slice()).ok_or("written by another build")?;
            // Made in this very directory: a cache committed to a repository, or copied from
            // another checkout, is not (its entries could say anything about the files).
            let (made_in, rest) = split_u128(rest).ok_or("truncated")?;
            if made_in != dir_identity(&self.dir).unwrap_or(0) || made_in == 0 {
                return Err("made in another directory (a copied or committed cache)".into());
            }
            let (count, rest) = split_u64(rest).ok_or("truncated")?;
            let (table_hash, _) = split_u128(rest).ok_or("truncated")?;
            if count > MAX_CHUNKS {
                return Err("corrupt (its chunk count is out of bounds)".into());
            }
            // The chunk table: each chunk's length and hash, itself hashed.
            let table = read_exactly(&mut file, count as usize * CHUNK_ROW)?;
            if content_hash(&table) != table_hash {
                return Err("corrupt (its checksum does not match)".into());
            }
            let mut chunks = Vec::with_capacity(count as usize);
            let mut rest = table.as_slice();
            let mut total = (head_len + table.len()) as u64;
            for _ in 0..count {
                let (len, after) = split_u64(rest).ok_or("truncated")?;
                let (hash, after) = split_u128(after).ok_or("truncated")?;
                total = total.saturating_add(len);
                chunks.push((len, hash));
                rest = after;
            }
            if total != meta.len() {
                return Err(if total > meta.len() { "truncated" } else { "corrupt (bad chunk table)" }.into());
            }
            // Read and decoded a few chunks at a time, in parallel: the file's bytes are never
            // all in memory at once besides what they decode to.
            let mut entries = HashMap::new();
            for batch in chunks.chunks(batch_size()) {
                let mut raw = Vec::with_capacity(batch.len());
                for &(len, hash) in batch {
                    let bytes = read_exactly(&mut file, len as usize)?;
                    if content_hash(&bytes) != hash {
                        return Err("corrupt (its checksum does not match)".into());
                    }
                    raw.push(bytes);
                }
                let decoded: Result<Vec<Chunk<R>>, String> = raw
                    .into_par_iter()
                    .map(|chunk| postcard::from_bytes(&chunk).map_err(|e| format!("corrupt ({e})")))
                    .collect();
                entries.extend(decoded?.into_iter().flatten());
            }
            // The chunk table's hash stands for the whole file: the base of changes.
            Ok(Some((entries, table_hash)))
        }

        /// Writes the entries (each one serialising as a `(path, Entry)`), atomically,
        /// creating the directory with its tag and `.gitignore` if needed.
        pub fn store<T: Serialize + Sync>(&self, entries: &[T]) -> Result<(), String> {
            // At most MAX_CHUNKS / 4 chunks of at least 512 entries.
            let size = entries.len().div_ceil(MAX_CHUNKS as usize / 4).max(512);
            let chunks: Vec<&[T]> = entries.chunks(size).collect();
            self.create_dir()?;
            let fail = |e: std::io::Error| format!("cannot write {}: {e}", self.file.display());
            let mut temp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(&self.dir).map_err(fail)?;
            let head_len = self.header.len() + 16 + 8 + 16;
            let table_len = chunks.len() * CHUNK_ROW;
            // The chunks are encoded a few at a time, in parallel, and written after room left
            // for the head and the table, which are written last (they hold the chunks' hashes):
            // a large tree's cache is never all in memory as bytes.
            let mut table = Vec::with_capacity(table_len);
            {
                let mut out = std::io::BufWriter::new(temp.as_file_mut());
                out.write_all(&vec![0; head_len + table_len]).map_err(fail)?;
                for batch in chunks.chunks(batch_size()) {
                    let encoded: Result<Vec<Vec<u8>>, String> = batch
                        .par_iter()
                        .map(|chunk| {
                            postcard::to_allocvec(chunk).map_err(|e| format!("cannot encode the cache: {e}"))
                        })
                        .collect();
                    for bytes in encoded? {
                        table.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
                        table.extend_from_slice(&content_hash(&bytes).to_le_bytes());
                        out.write_all(&bytes).map_err(fail)?;
                    }
                }
                out.flush().map_err(fail)?;
            }
            let mut head = self.header.clone();
            head.extend_from_slice(&dir_identity(&self.dir).unwrap_or(0).to_le_bytes());
            head.extend_from_slice(&(chunks.len() as u64).to_le_bytes());
            head.extend_from_slice(&content_hash(&table).to_le_bytes());
            let file = temp.as_file_mut();
            file.seek(std::io::SeekFrom::Start(0)).map_err(fail)?;
            file.write_all(&head).map_err(fail)?;
            file.write_all(&table).map_err(fail)?;
            file.flush().map_err(fail)?;
            temp.persist(&self.file).map_err(|e| fail(e.error))?;
            self.remove_other_builds();
            Ok(())
        }

        /// Cache files of other builds can never be read by this one: they are removed, so
        /// that upgrades do not pile them up. Files of this build for other configurations
        /// stay (nested configs, or `--config` runs, each have theirs).
        fn remove_other_builds(&self) {
            let ours = format!("{}-", build_id());
            let version = format!("{}-", env!("CARGO_PKG_VERSION"));
            let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some(name) = name.to_str() else { continue };
                let ours_by_shape = name.contains(".bin") && name.split('-').count() >= 3;
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                if ours_by_shape && is_file && !name.starts_with(&ours) && name.starts_with(&version) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }

        fn create_dir(&self) -> Result<(), String> {
            if usable_dir(&self.dir)? {
                return Ok(());
            }
            // With its parents: a `--cache-dir` given may not exist yet (the default one's
            // parent is the project's directory). The directory itself is checked below.
            if let Some(parent) = self.dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            match std::fs::create_dir(&self.dir) {
                Ok(()) => {}
                // Another run made it meanwhile.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(format!("cannot create {}: {e}", self.dir.display())),
            }
            if !usable_dir(&self.dir)? {
                return Err(format!("{} is not a directory", self.dir.display()));
            }
            // Git never sees the cache, whatever the repository's own ignore files say.
            for (name, text) in
                [(".gitignore", "# Automatically created by tracklint.\n*\n"), (TAG_NAME, TAG)]
            {
                let path = self.dir.join(name);
                if std::fs::symlink_metadata(&path).is_err() {
                    write_replacing(&self.dir, &path, &[text.as_bytes()])?;
                }
            }
            Ok(())
        }
    }

    /// The entries of one chunk of a cache file.
    type Chunk<R> = Vec<(String, Entry<R>)>;

    /// A cache file's entries by name.
    type Entries<R> = HashMap<String, Entry<R>>;

    /// The name under which a file of changes records the file it applies to (no path starts
    /// with a NUL byte).
    const BASE_NAME: &str = "\0base";

    /// A file loaded with its changes ([`Location::load_layered`]).
    pub struct Layers {
        /// The file the changes apply to (its chunk table's hash).
        base: u128,
        /// The names the changes hold: changed since the file was written.
        changed: std::collections::HashSet<String>,
        /// Every name loaded.
        names: std::collections::HashSet<String>,
    }

    impl Layers {
        /// Whether `changes` entries are few enough, of `total`, to be written as changes
        /// rather than the whole file again (which then reads faster and drops the changes).
        fn few(changes: usize, total: usize) -> bool {
            changes <= (total / 8).max(256)
        }
    }

    fn split_u128(bytes: &[u8]) -> Option<(u128, &[u8])> {
        let (head, rest) = bytes.split_first_chunk::<16>()?;
        Some((u128::from_le_bytes(*head), rest))
    }

    /// Which directory this is on this machine (device and inode): a directory created by a
    /// checkout or a copy is another one, whatever it holds.
    fn dir_identity(dir: &Path) -> Option<u128> {
        let meta = std::fs::symlink_metadata(dir).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(u128::from(meta.dev()) << 64 | u128::from(meta.ino()))
        }
        #[cfg(not(unix))]
        {
            // No inode to tell a copy apart: the content hashes alone key the entries.
            let _ = meta;
            Some(1)
        }
    }

    /// How many chunks are read or written at once: enough to keep every thread busy.
    fn batch_size() -> usize {
        rayon::current_num_threads().max(1) * 2
    }

    /// `len` bytes of `file`, or why not (the file ends first).
    fn read_exactly(file: &mut impl Read, len: usize) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::with_capacity(len);
        file.take(len as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the cache file: {e}"))?;
        if bytes.len() != len {
            return Err("truncated".into());
        }
        Ok(bytes)
    }

    fn split_u64(bytes: &[u8]) -> Option<(u64, &[u8])> {
        let (head, rest) = bytes.split_first_chunk::<8>()?;
        Some((u64::from_le_bytes(*head), rest))
    }

    /// Whether `dir` exists as a real directory (not a link); an error when something else
    /// holds its name.
    fn usable_dir(dir: &Path) -> Result<bool, String> {
        match std::fs::symlink_metadata(dir) {
            Ok(meta) if meta.file_type().is_symlink() => {
                Err(format!("{} is a symbolic link; the cache is not used", dir.display()))
            }
            Ok(meta) if meta.is_dir() => Ok(true),
            Ok(_) => Err(format!("{} is not a directory; the cache is not used", dir.display())),
            Err(_) => Ok(false),
        }
    }

    /// Writes `target` in `dir` through a temporary file created there with a random name
    /// (O_EXCL) and renamed over it: readers see the old or the new file, never half of one;
    /// a link planted at `target` is replaced, not followed.
    fn write_replacing(dir: &Path, target: &Path, pieces: &[&[u8]]) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", target.display());
        let mut temp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir).map_err(fail)?;
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        for piece in pieces {
            out.write_all(piece).map_err(fail)?;
        }
        out.flush().map_err(fail)?;
        drop(out);
        temp.persist(target).map_err(|e| fail(e.error))?;
        Ok(())
    }

    /// Removes the cache directory `dir` (`tracklint clean`): only a real directory that holds
    /// tracklint's tag. Whether there was one.
    pub fn remove(dir: &Path) -> Result<bool, String> {
        if !usable_dir(dir)? {
            return Ok(false);
        }
        let tagged = std::fs::read_to_string(dir.join(TAG_NAME)).is_ok_and(|t| t.contains("tracklint"));
        if !tagged {
            return Err(format!(
                "{} does not look like tracklint's cache (no {TAG_NAME}); not removed",
                dir.display()
            ));
        }
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::disk::{Entry, Location};

    #[test]
    fn many_entries_round_trip_through_several_chunks() {
        let dir = std::env::temp_dir().join(format!("tracklint-cache-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let location = Location::new(&dir, 7);
        let entries: Vec<(String, Entry<Vec<u32>>)> = (0..5000u32)
            .map(|i| {
                (
                    format!("file{i}"),
                    Entry { stamp: None, hash: u128::from(i), record: vec![i; (i % 7) as usize] },
                )
            })
            .collect();
        location.store(&entries).unwrap_or_else(|e| panic!("{e}"));
        let (loaded, warning) = location.load::<Vec<u32>>();
        assert_eq!(warning, None);
        assert_eq!(loaded.len(), 5000);
        assert!(
            loaded.iter().all(
                |(name, e)| *name == format!("file{}", e.hash) && e.record.len() == (e.hash % 7) as usize
            )
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
