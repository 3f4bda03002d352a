//! File discovery: the `ignore` crate's walker (.gitignore, .ignore, hidden files), plus the
//! directories no one wants linted (dependencies, build output, minified bundles).

use crate::fsutil::clean;
use crate::model::Language;
use std::path::{Path, PathBuf};

/// Directories skipped by default: dependencies and build output, never the team's own code.
pub const DEFAULT_EXCLUDED_DIRS: &[&str] = &["node_modules", "vendor", "dist", "build", "bower_components"];

/// Test directories, skipped by default: a test's tracking calls send nothing anyone analyses
/// (`mixpanel.track("event", "event_name")` against a mock), and its made-up names would be
/// reported as the app's, or counted as its places.
pub const TEST_DIRS: &[&str] = &["spec", "test", "tests", "__tests__", "__mocks__"];

/// A test file by its name, in any directory: `order_spec.rb`, `order_test.rb`,
/// `test_orders.py`, `orders_test.py`, `tests.py`, `conftest.py`, `Order.test.tsx`,
/// `order.spec.js`, `order_test.go`, `OrderTest.java`, `OrderTests.swift`.
pub fn is_test_file(name: &str) -> bool {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    match ext {
        "rb" => stem.ends_with("_spec") || stem.ends_with("_test"),
        "py" => stem.starts_with("test_") || stem.ends_with("_test") || matches!(stem, "tests" | "conftest"),
        "go" => stem.ends_with("_test"),
        "java" | "kt" | "swift" => stem.ends_with("Test") || stem.ends_with("Tests"),
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" => {
            stem.ends_with(".test") || stem.ends_with(".spec")
        }
        _ => false,
    }
}

#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<(PathBuf, Language)>,
    pub manifests: Vec<PathBuf>,
    pub errors: Vec<(PathBuf, String)>,
    /// Entries not linted on purpose, with the reason (`--verbose` lists them).
    pub skipped: Vec<(PathBuf, String)>,
    /// Config files below the roots (`tracklint.toml`, `.tracklint.toml`, `pyproject.toml`):
    /// each governs the files under its directory.
    pub configs: Vec<PathBuf>,
}

pub struct WalkOptions {
    pub default_excludes: bool,
    /// Directory-walking threads (the `ignore` crate's parallel walker).
    pub threads: usize,
}

pub fn language_of(path: &Path) -> Option<Language> {
    crate::language::of_path(path)
}

pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Walked {
    let mut walked = Walked::default();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                walked.errors.push((root.clone(), format!("cannot read: {e}")));
                continue;
            }
        };
        if meta.is_file() {
            // Explicit files are linted even when ignored, as long as we know the language.
            match language_of(root) {
                Some(lang) => walked.files.push((clean(root), lang)),
                None => walked.errors.push((
                    root.clone(),
                    "not a file tracklint reads (Ruby, JavaScript, TypeScript, Python, Rust or an HTML template); skipped"
                        .into(),
                )),
            }
            continue;
        }
        if !meta.is_dir() {
            // Reading a FIFO would block for ever; sockets and devices are not source either.
            walked.errors.push((
                root.clone(),
                "not a regular file or directory (a FIFO, socket or device); skipped".into(),
            ));
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(root);
        // Ignore files and hidden entries are handled here, not by the walker: a repository's
        // `.gitignore` may be a link to `/dev/zero`, and skips are listed under `--verbose`.
        builder
            .require_git(false)
            .follow_links(false)
            .hidden(false)
            .parents(false)
            .ignore(false)
            .git_ignore(false)
            .git_exclude(false);
        let excluded: std::sync::Arc<std::sync::Mutex<Vec<(PathBuf, String)>>> = Default::default();
        let ignores = std::sync::Arc::new(SafeIgnores::new(root));
        {
            let excluded = excluded.clone();
            let ignores = ignores.clone();
            let default_excludes = options.default_excludes;
            // A walk of the tests themselves (`tracklint check spec/models`) reads them. Of an
            // absolute root only its own name counts: the checkout may live under `/test/`.
            let is_tests =
                |c: std::path::Component| c.as_os_str().to_str().is_some_and(|c| TEST_DIRS.contains(&c));
            let tests_asked = if root.is_absolute() {
                root.components().next_back().is_some_and(is_tests)
            } else {
                root.components().any(is_tests)
            };
            builder.filter_entry(move |entry| {
                if entry.depth() == 0 {
                    return true;
                }
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let name = entry.file_name();
                // tracklint's own cache is not part of the project, and not worth a mention.
                if is_dir && name == crate::cache::disk::DIR_NAME {
                    return false;
                }
                let skip = match name.to_str() {
                    None => Some("file name is not valid UTF-8; not linted".to_string()),
                    Some(n) if n.starts_with('.') && (is_dir || n != ".tracklint.toml") => {
                        Some("hidden (its name starts with a dot); not linted".to_string())
                    }
                    Some(n) if default_excludes && is_dir && DEFAULT_EXCLUDED_DIRS.contains(&n) => Some(
                        "default exclude (dependencies or build output; --no-default-excludes reads it)"
                            .to_string(),
                    ),
                    Some(n) if default_excludes && !tests_asked && is_dir && TEST_DIRS.contains(&n) => {
                        Some("default exclude (tests; --no-default-excludes reads them)".to_string())
                    }
                    Some(n) if default_excludes && !tests_asked && !is_dir && is_test_file(n) => {
                        Some("default exclude (a test; --no-default-excludes reads it)".to_string())
                    }
                    _ => None,
                };
                if let Some(why) = skip {
                    // Hidden files are noise unless they could hold code.
                    let worth_saying =
                        is_dir || language_of(entry.path()).is_some() || name.to_str().is_none();
                    if worth_saying && let Ok(mut e) = excluded.lock() {
                        e.push((clean(entry.path()), why));
                    }
                    return false;
                }
                !ignores.is_ignored(entry.path(), is_dir)
            });
        }
        builder.threads(options.threads.max(1));
        // The parallel walker's visitors run on its own threads; each one collects locally and
        // hands its batch over when it is dropped, so no lock is taken per entry.
        let batches: std::sync::Mutex<Vec<Walked>> = std::sync::Mutex::new(Vec::new());
        builder.build_parallel().visit(&mut CollectorBuilder { root, batches: &batches });
        let batches = batches.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        for batch in batches {
            walked.files.extend(batch.files);
            walked.manifests.extend(batch.manifests);
            walked.errors.extend(batch.errors);
            walked.skipped.extend(batch.skipped);
            walked.configs.extend(batch.configs);
        }
        let excluded = std::mem::take(&mut *excluded.lock().unwrap_or_else(|p| p.into_inner()));
        walked.skipped.extend(excluded);
        walked.errors.extend(ignores.take_notices());
        // Manifests above the root still say what the project depends on.
        if let Ok(abs) = std::fs::canonicalize(root) {
            for dir in abs.ancestors().skip(1) {
                for m in crate::language::LANGUAGES.iter().flat_map(|l| l.manifests) {
                    let p = dir.join(m);
                    if p.is_file() {
                        walked.manifests.push(p);
                    }
                }
                if dir.join(".git").exists() {
                    break;
                }
            }
        }
    }
    walked.files.sort();
    walked.files.dedup();
    walked.manifests.sort();
    walked.manifests.dedup();
    walked.configs.sort();
    walked.configs.dedup();
    walked.errors.sort();
    walked.skipped.sort();
    walked
}

/// `.gitignore` and `.ignore` files, read through the bounded reader (regular files inside the
/// repository only) and matched innermost first, up to the repository's root.
struct SafeIgnores {
    /// The walk root as given, and absolute.
    root: PathBuf,
    absolute_root: PathBuf,
    /// Where ignore files stop applying: the repository holding the root, or the root.
    top: PathBuf,
    matchers: std::sync::RwLock<
        std::collections::HashMap<PathBuf, Option<std::sync::Arc<ignore::gitignore::Gitignore>>>,
    >,
    chains: std::sync::RwLock<std::collections::HashMap<PathBuf, Matchers>>,
    notices: std::sync::Mutex<Vec<(PathBuf, String)>>,
}

impl SafeIgnores {
    fn new(root: &Path) -> Self {
        let absolute_root =
            std::path::absolute(root).map(|p| clean(&p)).unwrap_or_else(|_| root.to_path_buf());
        let top = absolute_root
            .ancestors()
            .find(|d| d.join(".git").exists())
            .unwrap_or(&absolute_root)
            .to_path_buf();
        SafeIgnores {
            root: root.to_path_buf(),
            absolute_root,
            top,
            matchers: Default::default(),
            chains: Default::default(),
            notices: Default::default(),
        }
    }

    fn take_notices(&self) -> Vec<(PathBuf, String)> {
        std::mem::take(&mut *self.notices.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The matcher of one directory's ignore files, built once.
    fn matcher(&self, dir: &Path) -> Option<std::sync::Arc<ignore::gitignore::Gitignore>> {
        if let Ok(known) = self.matchers.read()
            && let Some(m) = known.get(dir)
        {
            return m.clone();
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
        let mut any = false;
        let mut files = vec![dir.join(".gitignore"), dir.join(".ignore")];
        if dir == self.top {
            files.push(dir.join(".git/info/exclude"));
        }
        for file in files {
            if std::fs::symlink_metadata(&file).is_err() {
                continue;
            }
            match crate::fsutil::read_bounded(&file, crate::fsutil::CONFIG_LIMIT, Some(&self.top)) {
                Ok(bytes) => {
                    for line in String::from_utf8_lossy(&bytes).lines() {
                        any |= builder.add_line(Some(file.clone()), line).is_ok();
                    }
                }
                Err(e) => {
                    let shown =
                        file.strip_prefix(&self.absolute_root).map(|r| self.root.join(r)).unwrap_or(file);
                    if let Ok(mut n) = self.notices.lock() {
                        n.push((
                            clean(&shown),
                            format!("ignore file not read ({e}); its patterns are not applied"),
                        ));
                    }
                }
            }
        }
        let built = if any { builder.build().ok().map(std::sync::Arc::new) } else { None };
        if let Ok(mut known) = self.matchers.write() {
            known.insert(dir.to_path_buf(), built.clone());
        }
        built
    }

    /// The matchers that apply in `dir`, innermost first: its own, then its parents' up to
    /// the repository's root. Built once per directory from its parent's.
    fn chain(&self, dir: &Path) -> Matchers {
        if let Ok(known) = self.chains.read()
            && let Some(chain) = known.get(dir)
        {
            return chain.clone();
        }
        let parent = match dir.parent() {
            Some(p) if dir != self.top && dir.starts_with(&self.top) => self.chain(p),
            _ => Matchers::default(),
        };
        let chain = match self.matcher(dir) {
            Some(own) => std::sync::Arc::new(std::iter::once(own).chain(parent.iter().cloned()).collect()),
            None => parent,
        };
        if let Ok(mut known) = self.chains.write() {
            known.insert(dir.to_path_buf(), chain.clone());
        }
        chain
    }

    fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else { return false };
        let absolute = self.absolute_root.join(relative);
        let Some(dir) = absolute.parent() else { return false };
        for m in self.chain(dir).iter() {
            match m.matched(&absolute, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        false
    }
}

/// The ignore files in force in one directory, innermost first.
type Matchers = std::sync::Arc<Vec<std::sync::Arc<ignore::gitignore::Gitignore>>>;

struct CollectorBuilder<'a> {
    root: &'a Path,
    batches: &'a std::sync::Mutex<Vec<Walked>>,
}

impl<'a> ignore::ParallelVisitorBuilder<'a> for CollectorBuilder<'a> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 'a> {
        Box::new(Collector { root: self.root, local: Walked::default(), batches: self.batches })
    }
}

struct Collector<'a> {
    root: &'a Path,
    local: Walked,
    batches: &'a std::sync::Mutex<Vec<Walked>>,
}

impl ignore::ParallelVisitor for Collector<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        match entry {
            Ok(entry) => {
                let Some(file_type) = entry.file_type() else { return ignore::WalkState::Continue };
                if file_type.is_dir() {
                    return ignore::WalkState::Continue;
                }
                let path = clean(entry.path());
                if file_type.is_symlink() {
                    // Not followed: loops, links out of the project, dangling links.
                    self.local.skipped.push((
                        path,
                        "symbolic link, not followed (name its target on the command line to lint it)".into(),
                    ));
                    return ignore::WalkState::Continue;
                }
                if !file_type.is_file() {
                    if language_of(&path).is_some() {
                        self.local
                            .skipped
                            .push((path, "not a regular file (a FIFO, socket or device)".into()));
                    }
                    return ignore::WalkState::Continue;
                }
                if let Some(lang) = language_of(&path) {
                    self.local.files.push((path.clone(), lang));
                }
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                if crate::config::CONFIG_FILES.contains(&name) {
                    self.local.configs.push(path.clone());
                }
                if crate::language::manifest_ecosystem(&path).is_some() {
                    self.local.manifests.push(path);
                }
            }
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| self.root.to_path_buf());
                self.local.errors.push((path, e.to_string()));
            }
        }
        ignore::WalkState::Continue
    }
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let local = std::mem::take(&mut self.local);
        match self.batches.lock() {
            Ok(mut b) => b.push(local),
            Err(poisoned) => poisoned.into_inner().push(local),
        }
    }
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_by_name() {
        for name in [
            "order_spec.rb",
            "order_test.rb",
            "test_orders.py",
            "orders_test.py",
            "tests.py",
            "conftest.py",
            "Order.test.tsx",
            "order.spec.js",
            "order_test.go",
            "OrderTest.java",
            "OrderTests.swift",
        ] {
            assert!(is_test_file(name), "{name}");
        }
        for name in
            ["spec_helper.rb", "testing.py", "contest.py", "latest.js", "attest.ts", "Test.md", "test"]
        {
            assert!(!is_test_file(name), "{name}");
        }
    }

    #[test]
    fn languages_by_name() {
        assert_eq!(language_of(Path::new("a/b.rb")), Some(Language::Ruby));
        assert_eq!(language_of(Path::new("lib/tasks/x.rake")), Some(Language::Ruby));
        assert_eq!(language_of(Path::new("Rakefile")), Some(Language::Ruby));
        assert_eq!(language_of(Path::new("x.mjs")), Some(Language::JavaScript));
        assert_eq!(language_of(Path::new("x.tsx")), Some(Language::Tsx));
        assert_eq!(language_of(Path::new("x.cts")), Some(Language::TypeScript));
        assert_eq!(language_of(Path::new("a/b.pyi")), Some(Language::Python));
        assert_eq!(language_of(Path::new("src/main.rs")), Some(Language::Rust));
        assert_eq!(language_of(Path::new("app/views/a/show.html.erb")), Some(Language::Template));
        assert_eq!(language_of(Path::new("app/views/a/show.js.erb")), None);
        assert_eq!(language_of(Path::new("App.vue")), Some(Language::Template));
        assert_eq!(language_of(Path::new("app.min.js")), None);
        assert_eq!(language_of(Path::new("README.md")), None);
    }

    #[test]
    fn cleans_paths() {
        assert_eq!(clean(Path::new("./a/./b/../c.rb")), PathBuf::from("a/c.rb"));
        assert_eq!(clean(Path::new(".")), PathBuf::from("."));
        assert_eq!(clean(Path::new("a/../../b")), PathBuf::from("../b"));
    }
}
