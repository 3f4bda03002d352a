//! The cache kept on disk between runs (`.tracklint_cache/`): a second run on an unchanged tree
//! parses nothing and reports the same; an edited file, a changed config or another build is
//! never answered from stale facts; a corrupt, truncated, foreign or linked cache is ignored
//! and rebuilt, never trusted and never written through.

mod common;

use common::{Scratch, findings, json, run_in};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const CLIENT: &str = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n";

/// A small project with findings in two files and a file that holds no tracking call.
fn project(name: &str) -> Scratch {
    let t = Scratch::new(name);
    t.write("config/mixpanel.rb", CLIENT);
    t.write("app/a.rb", "def a(u)\n  TRACKER.track(u.id, 'signed_up')\nend\n");
    t.write("app/b.rb", "def b(u)\n  TRACKER.track(u.id, 'User Invited')\nend\n");
    t.write("app/plain.rb", "class Plain\n  def hello = 'hi'\nend\n");
    age(&t.path);
    t
}

/// Sets every file's modification time a minute back: files written a moment ago are checked
/// by content, not trusted by their stamp (a write within the file system's time granularity
/// would not change it).
fn age(dir: &Path) {
    let then = SystemTime::now() - Duration::from_secs(60);
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == ".tracklint_cache") {
            continue;
        }
        if path.is_dir() {
            age(&path);
        } else if let Ok(file) = std::fs::File::options().write(true).open(&path) {
            let _ = file.set_modified(then);
        }
    }
}

struct Run {
    findings: Vec<(String, u64, u64, String)>,
    stderr: String,
}

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "json", "-v"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    Run { findings: findings(&json(&out)), stderr }
}

/// `(unchanged, parsed)` from the `-v` cache line.
fn counts(run: &Run) -> (usize, usize) {
    let line =
        run.stderr.lines().find(|l| l.starts_with("cache: ")).unwrap_or_else(|| panic!("{}", run.stderr));
    let numbers: Vec<usize> =
        line.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    (numbers[0], numbers[1])
}

fn cache_file(dir: &Path) -> PathBuf {
    let cache = dir.join(".tracklint_cache");
    let mut bins: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap_or_else(|e| panic!("{}: {e}", cache.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(bins.len(), 1, "{bins:?}");
    bins.remove(0)
}

fn rules(run: &Run) -> Vec<(String, String)> {
    run.findings.iter().map(|(p, _, _, r)| (p.clone(), r.clone())).collect()
}

#[test]
fn a_second_run_parses_nothing_and_reports_the_same() {
    let t = project("disk-warm");
    let cold = check(&t.path, &[]);
    assert_eq!(counts(&cold), (0, 4), "{}", cold.stderr);
    assert!(rules(&cold).contains(&("app/a.rb".into(), "event-name-style".into())), "{:?}", cold.findings);
    let warm = check(&t.path, &[]);
    assert_eq!(counts(&warm), (4, 0), "{}", warm.stderr);
    assert_eq!(warm.findings, cold.findings);
    // The cache tells git and backup tools to leave it alone.
    let ignore = std::fs::read_to_string(t.path.join(".tracklint_cache/.gitignore")).unwrap_or_default();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    assert!(t.path.join(".tracklint_cache/CACHEDIR.TAG").is_file());
}

#[test]
fn an_edited_file_is_parsed_again_and_only_it() {
    let t = project("disk-edit");
    check(&t.path, &[]);
    // A new finding in b.rb, the old one in a.rb fixed.
    t.write("app/a.rb", "def a(u)\n  TRACKER.track(u.id, 'User Signed Up')\nend\n");
    t.write("app/b.rb", "def b(u)\n  TRACKER.track(u.id, 'invited')\nend\n");
    let after = check(&t.path, &[]);
    assert_eq!(counts(&after), (2, 2), "{}", after.stderr);
    let found = rules(&after);
    assert!(found.contains(&("app/b.rb".into(), "event-name-style".into())), "{found:?}");
    assert!(!found.iter().any(|(p, _)| p == "app/a.rb"), "{found:?}");
    // The same edit seen by a run without the cache.
    let fresh = check(&t.path, &["--no-cache"]);
    assert_eq!(after.findings, fresh.findings);
}

/// The file of changes beside a cache file.
fn changes_of(file: &Path) -> PathBuf {
    let mut changes = file.as_os_str().to_owned();
    changes.push(".changes");
    PathBuf::from(changes)
}

#[test]
fn an_edit_writes_only_the_changes_and_the_next_run_reads_them() {
    let t = project("disk-changes");
    check(&t.path, &[]);
    let base = cache_file(&t.path);
    let written = std::fs::read(&base).unwrap_or_else(|e| panic!("{e}"));
    t.write("app/a.rb", "def a(u)\n  TRACKER.track(u.id, 'User Signed Up')\nend\n");
    let after = check(&t.path, &[]);
    assert_eq!(counts(&after), (3, 1), "{}", after.stderr);
    // The cache file itself is as it was; the edited file's entry is in the changes.
    assert_eq!(std::fs::read(&base).unwrap_or_default(), written);
    let changes = changes_of(&base);
    assert!(changes.is_file(), "{}", changes.display());
    // The next run takes the edited file from the changes: nothing is parsed.
    let again = check(&t.path, &[]);
    assert_eq!(counts(&again), (4, 0), "{}", again.stderr);
    assert_eq!(again.findings, check(&t.path, &["--no-cache"]).findings);

    // Damaged changes are ignored: the file they held is read again, and the report is right.
    let mut bytes = std::fs::read(&changes).unwrap_or_default();
    if let Some(last) = bytes.last_mut() {
        *last ^= 0xff;
    }
    std::fs::write(&changes, bytes).unwrap_or_else(|e| panic!("{e}"));
    let damaged = check(&t.path, &[]);
    assert_eq!(counts(&damaged), (3, 1), "{}", damaged.stderr);
    assert_eq!(damaged.findings, again.findings);

    // Many files changed: the whole file is written again and the changes dropped.
    for i in 0..300 {
        t.write(
            &format!("app/gen/f{i}.rb"),
            format!("def f{i}(u)\n  TRACKER.track(u.id, 'Item {i} Added')\nend\n"),
        );
    }
    let many = check(&t.path, &[]);
    assert_eq!(counts(&many), (4, 300), "{}", many.stderr);
    assert!(!changes.exists());
    assert_ne!(std::fs::read(&base).unwrap_or_default(), written);
    assert_eq!(counts(&check(&t.path, &[])), (304, 0));
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_still_seen() {
    let t = project("disk-same-size");
    check(&t.path, &[]);
    let a = t.path.join("app/a.rb");
    let modified = std::fs::metadata(&a).and_then(|m| m.modified()).unwrap_or_else(|e| panic!("{e}"));
    // Same length, same modification time: only the content (and the change time) differ.
    std::fs::write(&a, "def a(u)\n  TRACKER.track(u.id, 'signed_in')\nend\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::File::options().write(true).open(&a).unwrap_or_else(|e| panic!("{e}"));
    file.set_modified(modified).unwrap_or_else(|e| panic!("{e}"));
    let out = run_in(&t.path, &["check", "--format", "json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("signed_in") && !text.contains("signed_up"), "{text}");
}

#[test]
fn a_config_that_changes_what_is_extracted_makes_a_new_cache_and_a_severity_does_not() {
    let t = project("disk-config");
    check(&t.path, &[]);
    // A declared wrapper changes which calls are kept: nothing old is reused for it.
    t.write("app/c.rb", "def c(u)\n  record_event('bad_name', u.id)\nend\n");
    t.write(
        "tracklint.toml",
        "[[wrappers]]\nlanguage = \"ruby\"\nmethod = \"record_event\"\nkind = \"track\"\nevent = 1\nidentity = 2\n",
    );
    let wrapped = check(&t.path, &[]);
    assert_eq!(counts(&wrapped), (0, 5), "{}", wrapped.stderr);
    assert!(
        rules(&wrapped).contains(&("app/c.rb".into(), "event-name-style".into())),
        "{:?}",
        wrapped.findings
    );
    // A severity changes no file's facts: they are reused, and the new severity applies.
    t.write(
        "tracklint.toml",
        "[rules.event-name-style]\nseverity = \"off\"\n\n[[wrappers]]\nlanguage = \"ruby\"\nmethod = \"record_event\"\nkind = \"track\"\nevent = 1\nidentity = 2\n",
    );
    let quiet = check(&t.path, &[]);
    assert_eq!(counts(&quiet).1, 0, "{}", quiet.stderr);
    assert!(!rules(&quiet).iter().any(|(_, r)| r == "event-name-style"), "{:?}", quiet.findings);
}

#[test]
fn a_cache_of_another_build_is_ignored_and_rebuilt() {
    let t = project("disk-build");
    let cold = check(&t.path, &[]);
    let file = cache_file(&t.path);
    // The header names the build (version and a hash of its sources): alter it in place.
    let mut bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    bytes[9] ^= 0x5a;
    std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let run = check(&t.path, &[]);
    assert_eq!(counts(&run), (0, 4), "{}", run.stderr);
    assert!(run.stderr.contains("written by another build"), "{}", run.stderr);
    assert_eq!(run.findings, cold.findings);
    let again = check(&t.path, &[]);
    assert_eq!(counts(&again), (4, 0), "{}", again.stderr);
}

#[test]
fn a_corrupt_or_truncated_cache_is_never_trusted() {
    let t = project("disk-corrupt");
    let cold = check(&t.path, &[]);
    let file = cache_file(&t.path);
    let good = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("one byte changed", flipped),
        ("empty", Vec::new()),
        ("garbage", b"TLCACHE1 not a cache at all".to_vec()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let run = check(&t.path, &[]);
        assert_eq!(counts(&run), (0, 4), "{what}: {}", run.stderr);
        assert_eq!(run.findings, cold.findings, "{what}");
        assert!(run.stderr.contains("warning: cache:"), "{what}: {}", run.stderr);
        // Rebuilt: the next run is answered from it.
        assert_eq!(counts(&check(&t.path, &[])), (4, 0), "{what}");
    }
}

#[test]
fn payload_corruption_that_keeps_the_checksum_valid_is_refused_by_the_decoder() {
    // Entries that decode to nonsense are impossible to tell from good ones only if the
    // attacker recomputes the checksum; what the decoder refuses must still not crash.
    let t = project("disk-decoder");
    check(&t.path, &[]);
    let file = cache_file(&t.path);
    let good = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    // Magic and build id up to a NUL, the fingerprint, the directory's identity.
    let header_end = good.iter().position(|&b| b == 0).unwrap_or(0) + 1 + 8 + 16;
    // One chunk of nonsense, with its length and hash in the table and the table's hash in
    // the head, all correct.
    let chunk = vec![0xffu8; 64];
    let bytes = one_chunk_cache(&good[..header_end], &chunk, chunk.len() as u64);
    std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let run = check(&t.path, &[]);
    assert_eq!(counts(&run), (0, 4), "{}", run.stderr);
    assert!(run.stderr.contains("corrupt"), "{}", run.stderr);
    // A head claiming an enormous chunk table is refused before anything more is read.
    let good = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    let mut bytes = good[..header_end].to_vec();
    bytes.extend_from_slice(&u64::MAX.to_le_bytes());
    bytes.extend_from_slice(&[0; 16]);
    std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let run = check(&t.path, &[]);
    assert_eq!(counts(&run), (0, 4), "{}", run.stderr);
    assert!(run.stderr.contains("out of bounds"), "{}", run.stderr);
    // A table whose chunks add up to more than the file holds: truncated, nothing decoded.
    let good = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    let bytes = one_chunk_cache(&good[..header_end], &chunk, 1 << 20);
    std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let run = check(&t.path, &[]);
    assert_eq!(counts(&run), (0, 4), "{}", run.stderr);
    assert!(run.stderr.contains("truncated"), "{}", run.stderr);
}

/// A cache file of one chunk after `head`: the chunk table says the chunk is `claimed` bytes
/// long, with the chunk's hash, and the head carries the table's hash.
fn one_chunk_cache(head: &[u8], chunk: &[u8], claimed: u64) -> Vec<u8> {
    let mut table = claimed.to_le_bytes().to_vec();
    table.extend_from_slice(&xxh3_128(chunk).to_le_bytes());
    let mut bytes = head.to_vec();
    bytes.extend_from_slice(&1u64.to_le_bytes());
    bytes.extend_from_slice(&xxh3_128(&table).to_le_bytes());
    bytes.extend_from_slice(&table);
    bytes.extend_from_slice(chunk);
    bytes
}

/// The cache's checksum (xxh3, 128 bits), computed the same way as tracklint does.
fn xxh3_128(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

#[cfg(unix)]
#[test]
fn a_cache_directory_linked_out_of_the_tree_is_not_written_through() {
    let t = project("disk-link");
    let outside = Scratch::new("disk-link-outside");
    std::os::unix::fs::symlink(&outside.path, t.path.join(".tracklint_cache"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = check(&t.path, &[]);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!run.findings.is_empty());
    let written: Vec<_> = std::fs::read_dir(&outside.path).into_iter().flatten().flatten().collect();
    assert!(written.is_empty(), "wrote through the link: {written:?}");
    // `clean` does not follow it either: it refuses, and says why.
    let out = run_in(&t.path, &["clean"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert!(outside.path.is_dir());
}

#[cfg(unix)]
#[test]
fn a_cache_file_replaced_by_a_link_is_replaced_not_followed() {
    let t = project("disk-file-link");
    check(&t.path, &[]);
    let file = cache_file(&t.path);
    let outside = Scratch::new("disk-file-link-outside");
    let target = outside.write("victim", "precious\n");
    std::fs::remove_file(&file).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&target, &file).unwrap_or_else(|e| panic!("{e}"));
    let run = check(&t.path, &[]);
    assert_eq!(counts(&run).0, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap_or_default(), "precious\n");
    assert!(std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()), "the link was not replaced");
}

#[test]
fn no_cache_reads_and_writes_nothing_and_clean_removes_it() {
    let t = project("disk-off");
    let run = check(&t.path, &["--no-cache"]);
    assert!(!run.stderr.contains("cache:"), "{}", run.stderr);
    assert!(!t.path.join(".tracklint_cache").exists());
    check(&t.path, &[]);
    assert!(t.path.join(".tracklint_cache").is_dir());
    let out = run_in(&t.path, &["clean"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!t.path.join(".tracklint_cache").exists());
    // A directory of that name that is not tracklint's is not removed.
    t.write(".tracklint_cache/notes.txt", "mine\n");
    let out = run_in(&t.path, &["clean"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(t.path.join(".tracklint_cache/notes.txt").is_file());
}

#[test]
fn the_cache_dir_can_be_chosen_and_the_cache_is_not_linted() {
    let t = project("disk-dir");
    let elsewhere = Scratch::new("disk-dir-elsewhere");
    // Its parents are made too.
    let dir = elsewhere.path.join("not/yet/c");
    let dir_text = dir.to_string_lossy().into_owned();
    let run = check(&t.path, &["--cache-dir", &dir_text]);
    assert!(dir.join("CACHEDIR.TAG").is_file(), "{}", run.stderr);
    assert!(!t.path.join(".tracklint_cache").exists());
    let again = check(&t.path, &["--cache-dir", &dir_text]);
    assert_eq!(counts(&again), (4, 0), "{}", again.stderr);
    assert!(run.stderr.contains(&dir_text), "{}", run.stderr);
    // The default cache directory is neither linted nor listed as skipped.
    check(&t.path, &[]);
    let again = check(&t.path, &[]);
    assert!(!again.stderr.contains("skipped: .tracklint_cache"), "{}", again.stderr);
}

#[test]
fn concurrent_runs_leave_a_valid_cache() {
    let t = project("disk-concurrent");
    for i in 0..20 {
        t.write(&format!("app/m{i}.rb"), format!("def m{i}(u)\n  TRACKER.track(u.id, 'event_{i}')\nend\n"));
    }
    age(&t.path);
    let children: Vec<_> = (0..4)
        .map(|_| {
            common::bin()
                .current_dir(&t.path)
                .args(["check", "--format", "json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let outputs: Vec<_> =
        children.into_iter().map(|c| c.wait_with_output().unwrap_or_else(|e| panic!("{e}"))).collect();
    let first = findings(&json(&outputs[0]));
    assert_eq!(first.len(), 21, "{first:?}");
    for out in &outputs {
        assert_eq!(findings(&json(out)), first);
    }
    let after = check(&t.path, &[]);
    assert_eq!(counts(&after), (24, 0), "{}", after.stderr);
    assert_eq!(after.findings, first);
}

#[test]
fn an_editor_buffer_is_linted_without_parsing_the_rest_of_the_project_again() {
    let t = project("disk-stdin");
    check(&t.path, &[]);
    let mut child = common::bin()
        .current_dir(&t.path)
        .args(["check", "--format", "json", "-v", "--stdin-filename", "app/b.rb"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(b"def b(u)\n  TRACKER.track(u.email, 'invited')\nend\n")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let run =
        Run { findings: findings(&json(&out)), stderr: String::from_utf8_lossy(&out.stderr).into_owned() };
    // The client is defined in another file: the buffer's call is still resolved, from the
    // cached facts, and no other file was parsed.
    assert_eq!(counts(&run), (3, 0), "{}", run.stderr);
    let found = rules(&run);
    assert!(found.contains(&("app/b.rb".into(), "event-name-style".into())), "{found:?}");
    assert!(found.contains(&("app/b.rb".into(), "email-as-distinct-id".into())), "{found:?}");
    assert!(found.iter().all(|(p, _)| p == "app/b.rb"), "{found:?}");
}

#[test]
fn inference_is_answered_from_the_cache_only_while_every_file_is_unchanged() {
    let t = project("disk-inference");
    t.write(
        "app/analytics.rb",
        "module Analytics\n  def self.track_event(user, name)\n    TRACKER.track(user.id, name)\n  end\nend\n",
    );
    t.write("app/c.rb", "def c(u)\n  Analytics.track_event(u, 'bad_name')\nend\n");
    age(&t.path);
    let through = |run: &Run| {
        run.findings.iter().any(|(p, l, _, r)| p == "app/c.rb" && *l == 2 && r == "event-name-style")
    };
    let cold = check(&t.path, &[]);
    assert!(through(&cold), "{:?}", cold.findings);
    let warm = check(&t.path, &[]);
    assert_eq!(counts(&warm), (6, 0), "{}", warm.stderr);
    assert!(warm.stderr.contains("wrapper inference reused"), "{}", warm.stderr);
    assert_eq!(warm.findings, cold.findings);
    // The wrapper stops tracking: the cached inference must not keep it alive.
    t.write(
        "app/analytics.rb",
        "module Analytics\n  def self.track_event(user, name)\n    Rails.logger.info(name)\n  end\nend\n",
    );
    let edited = check(&t.path, &[]);
    assert_eq!(counts(&edited).1, 1, "{}", edited.stderr);
    assert!(!edited.stderr.contains("wrapper inference reused"), "{}", edited.stderr);
    assert!(!through(&edited), "{:?}", edited.findings);
    assert_eq!(edited.findings, check(&t.path, &["--no-cache"]).findings);
}

/// The diagnostics of a run in full (messages included) and its `-v` output.
fn full_report(dir: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    let mut args = vec!["check", "--format", "json", "-v"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    (json(&out)["diagnostics"].clone(), stderr)
}

/// `(files resolved again, files)` when wrapper inference started from the last run's.
fn redone(stderr: &str) -> Option<(usize, usize)> {
    let (_, rest) = stderr.split_once("wrapper inference redone for ")?;
    let (again, rest) = rest.split_once(" of ")?;
    let (of, _) = rest.split_once(' ')?;
    Some((again.parse().ok()?, of.parse().ok()?))
}

#[test]
fn an_edit_redoes_inference_only_where_it_reaches_and_reports_as_a_full_run_would() {
    let t = project("disk-incremental");
    t.write(
        "app/analytics.rb",
        "module Analytics\n  def self.track_event(user, name)\n    TRACKER.track(user.id, name)\n  end\nend\n",
    );
    t.write("app/c.rb", "def c(u)\n  Analytics.track_event(u, 'bad_name')\nend\n");
    t.write("app/d.rb", "def d(u)\n  Analytics.track_event(u, 'Order Placed', email: u.email)\nend\n");
    t.write("app/events.rb", "module Events\n  SIGNUP = 'signed_up_now'\nend\n");
    t.write("app/f.rb", "def f(u)\n  TRACKER.track(u.id, Events::SIGNUP)\nend\n");
    age(&t.path);
    let files = 9;
    let same_as_no_cache = |step: &str| {
        let (cached, stderr) = full_report(&t.path, &[]);
        let (fresh, _) = full_report(&t.path, &["--no-cache"]);
        assert_eq!(cached, fresh, "{step}: {stderr}");
        (cached, stderr)
    };
    let (cold, _) = same_as_no_cache("cold");
    let text = cold.to_string();
    assert!(text.contains("bad_name") && text.contains("signed_up_now"), "{text}");

    // A comment in a call site: only that file is resolved again, and its finding moves.
    t.write("app/c.rb", "# a comment\ndef c(u)\n  Analytics.track_event(u, 'bad_name')\nend\n");
    let (after, stderr) = same_as_no_cache("comment in a call site");
    assert_eq!(redone(&stderr), Some((1, files)), "{stderr}");
    assert!(after.to_string().contains("bad_name"), "{after}");

    // The wrapper moves down a line: its summary names another line, so its call sites are
    // resolved again (findings there name the wrapper's new place), and nothing else is.
    t.write(
        "app/analytics.rb",
        "# moved\nmodule Analytics\n  def self.track_event(user, name)\n    TRACKER.track(user.id, name)\n  end\nend\n",
    );
    let (moved, stderr) = same_as_no_cache("wrapper moved");
    assert_eq!(redone(&stderr), Some((3, files)), "{stderr}");
    assert!(moved.to_string().contains("app/analytics.rb:3"), "{moved}");

    // A constant's value changes: what the file tells others changed, so every file is
    // resolved again, and the new value is checked where it is used.
    t.write("app/events.rb", "module Events\n  SIGNUP = 'User Signed Up'\nend\n");
    let (renamed, stderr) = same_as_no_cache("constant changed");
    assert_eq!(redone(&stderr), None, "{stderr}");
    assert!(!renamed.to_string().contains("signed_up_now"), "{renamed}");

    // The wrapper sends an event of its own: its call sites' names are sent no more.
    t.write(
        "app/analytics.rb",
        "# moved\nmodule Analytics\n  def self.track_event(user, name)\n    Rails.logger.info(name)\n    TRACKER.track(user.id, 'Event Tracked')\n  end\nend\n",
    );
    let (fixed, stderr) = same_as_no_cache("wrapper sends its own event");
    assert_eq!(redone(&stderr), Some((3, files)), "{stderr}");
    assert!(!fixed.to_string().contains("bad_name"), "{fixed}");

    // The method now returns something else (what a call of it gives other files): every
    // file is resolved again.
    t.write(
        "app/analytics.rb",
        "# moved\nmodule Analytics\n  def self.track_event(user, name)\n    TRACKER.track(user.id, 'Event Tracked')\n    Rails.logger.info(name)\n  end\nend\n",
    );
    let (_, stderr) = same_as_no_cache("wrapper returns another value");
    assert_eq!(redone(&stderr), None, "{stderr}");

    // The kept calls damaged (a byte flipped, then cut short): never started from.
    let mut inference = cache_file(&t.path).into_os_string();
    inference.push(".inference");
    let inference = PathBuf::from(inference);
    for damage in
        [|b: &mut Vec<u8>| *b.last_mut().unwrap_or(&mut 0) ^= 0xff, |b: &mut Vec<u8>| b.truncate(b.len() / 2)]
    {
        let mut bytes = std::fs::read(&inference).unwrap_or_else(|e| panic!("{e}"));
        damage(&mut bytes);
        std::fs::write(&inference, bytes).unwrap_or_else(|e| panic!("{e}"));
        let before = std::fs::read_to_string(t.path.join("app/c.rb")).unwrap_or_default();
        t.write("app/c.rb", format!("# again\n{before}"));
        let (_, stderr) = same_as_no_cache("damaged inference file");
        assert_eq!(redone(&stderr), None, "{stderr}");
    }
}

#[test]
fn a_cache_copied_from_another_checkout_or_committed_is_not_trusted() {
    let a = project("disk-copied-from");
    check(&a.path, &[]);
    // The same tree elsewhere, cache included (a `cp -r`, or a cache committed to the
    // repository): its entries say what another directory's files held.
    let b = project("disk-copied-to");
    let (from, to) = (a.path.join(".tracklint_cache"), b.path.join(".tracklint_cache"));
    std::fs::create_dir(&to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(&from).into_iter().flatten().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap_or_else(|e| panic!("{e}"));
    }
    // Its files even hash the same as the entries: still nothing is taken from it.
    let run = check(&b.path, &[]);
    assert_eq!(counts(&run), (0, 4), "{}", run.stderr);
    assert!(run.stderr.contains("another directory"), "{}", run.stderr);
}

/// The `-v` line says the run was answered from the last run's results.
fn results_reused(run: &Run) -> bool {
    run.stderr.contains("results reused")
}

#[test]
fn an_unchanged_run_is_answered_from_its_results_and_any_change_of_input_is_not() {
    let t = project("disk-results");
    t.write(
        "app/analytics.rb",
        "module Analytics\n  def self.track_event(user, name)\n    TRACKER.track(user.id, name)\n  end\nend\n",
    );
    t.write("app/c.rb", "def c(u)\n  Analytics.track_event(u, 'bad_name', email: u.email)\nend\n");
    t.write(
        "tracklint.toml",
        "[[custom-rules]]\nid = \"order-events-carry-revenue\"\nmessage = \"order events need revenue\"\nevents = \"^User \"\nrequired-properties = [\"revenue\"]\n",
    );
    age(&t.path);
    let cold = check(&t.path, &[]);
    assert!(!results_reused(&cold), "{}", cold.stderr);
    let warm = check(&t.path, &[]);
    assert!(results_reused(&warm), "{}", warm.stderr);
    assert_eq!(warm.findings, cold.findings);
    // A custom rule's findings come back under its id; a finding through a wrapper names it.
    assert!(
        rules(&warm).contains(&("app/b.rb".into(), "order-events-carry-revenue".into())),
        "{:?}",
        warm.findings
    );
    let report = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let mut value = json(&run_in(&t.path, &args));
        value.as_object_mut().map(|o| o.remove("cache"));
        value
    };
    let events = |extra: &[&str]| {
        let mut args = vec!["events", "--format", "json"];
        args.extend_from_slice(extra);
        json(&run_in(&t.path, &args))
    };
    // Whole reports, the inventory and the wrappers included, are those of a run without it.
    assert_eq!(report(&[]), report(&["--no-cache"]));
    assert_eq!(events(&[]), events(&["--no-cache"]));
    let fresh = report(&["--no-cache"]);
    assert!(fresh.to_string().contains("through `Analytics.track_event`"), "{fresh}");

    // A severity in the config: the same files, other results.
    t.write(
        "tracklint.toml",
        "[rules.event-name-style]\nseverity = \"error\"\n\n[[custom-rules]]\nid = \"order-events-carry-revenue\"\nmessage = \"order events need revenue\"\nevents = \"^User \"\nrequired-properties = [\"revenue\"]\n",
    );
    let severity = check(&t.path, &[]);
    assert!(!results_reused(&severity), "{}", severity.stderr);
    assert!(severity.stderr.contains("wrapper inference reused"), "{}", severity.stderr);
    assert_eq!(report(&[]), report(&["--no-cache"]));
    assert!(report(&[]).to_string().contains("\"severity\":\"error\""), "{}", report(&[]));
    assert!(results_reused(&check(&t.path, &[])));

    // A tracking plan given on the command line, then changed.
    t.write("plan.json", r#"{"events": [{"name": "User Invited"}]}"#);
    let planned = check(&t.path, &["--plan", "plan.json"]);
    assert!(!results_reused(&planned), "{}", planned.stderr);
    assert!(results_reused(&check(&t.path, &["--plan", "plan.json"])));
    t.write("plan.json", r#"{"events": [{"name": "User Signed Up"}]}"#);
    let replanned = check(&t.path, &["--plan", "plan.json"]);
    assert!(!results_reused(&replanned), "{}", replanned.stderr);
    assert_eq!(replanned.findings, check(&t.path, &["--plan", "plan.json", "--no-cache"]).findings);

    // One file edited: resolved and checked again, the edit seen.
    t.write("app/b.rb", "def b(u)\n  TRACKER.track(u.email, 'User Invited')\nend\n");
    let edited = check(&t.path, &[]);
    assert!(!results_reused(&edited), "{}", edited.stderr);
    assert!(
        rules(&edited).contains(&("app/b.rb".into(), "email-as-distinct-id".into())),
        "{:?}",
        edited.findings
    );
    assert_eq!(edited.findings, check(&t.path, &["--no-cache"]).findings);
}

#[test]
fn a_damaged_results_file_is_not_trusted() {
    let t = project("disk-results-corrupt");
    let cold = check(&t.path, &[]);
    let mut results = cache_file(&t.path).into_os_string();
    results.push(".results");
    let results = PathBuf::from(results);
    let good = std::fs::read(&results).unwrap_or_else(|e| panic!("{}: {e}", results.display()));
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    for (what, bytes) in [("truncated", good[..good.len() / 2].to_vec()), ("one byte changed", flipped)] {
        std::fs::write(&results, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let run = check(&t.path, &[]);
        assert!(!results_reused(&run), "{what}: {}", run.stderr);
        assert_eq!(run.findings, cold.findings, "{what}");
        // Written again: the next run is answered from it.
        assert!(results_reused(&check(&t.path, &[])), "{what}");
    }
}

#[test]
fn a_changed_manifest_is_a_changed_input() {
    // `mp` is Mixpanel's conventional name: a client only in a project that lists the package.
    let t = Scratch::new("disk-manifest");
    t.write("app/signup.py", "def signup(user):\n    mp.track(user.id, 'signed_up')\n");
    t.write("requirements.txt", "flask\n");
    age(&t.path);
    let before = check(&t.path, &[]);
    assert!(before.findings.is_empty(), "{:?}", before.findings);
    assert!(results_reused(&check(&t.path, &[])));
    t.write("requirements.txt", "flask\nmixpanel\n");
    age(&t.path);
    let after = check(&t.path, &[]);
    assert!(!results_reused(&after), "{}", after.stderr);
    assert!(
        rules(&after).contains(&("app/signup.py".into(), "event-name-style".into())),
        "{:?}",
        after.findings
    );
    assert_eq!(after.findings, check(&t.path, &["--no-cache"]).findings);
}
