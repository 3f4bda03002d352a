//! Linear time on inputs a repository controls: each path that was once quadratic is timed at
//! size N and 4N, and fails above 8x growth (4x is linear; a quadratic path grows 16x). Ratios,
//! not absolute times, so the test holds on any machine; each size takes the best of three runs.

mod common;

use common::{Scratch, bin};
use std::time::{Duration, Instant};

/// The best wall time of three runs of `tracklint args` in `dir`.
fn best_time(dir: &std::path::Path, args: &[&str]) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            // Every run reads and parses: the cache would time its own lookups instead.
            let out = bin()
                .current_dir(dir)
                .env("TRACKLINT_NO_CACHE", "1")
                .args(args)
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// One measurement at a time: tests of this file run in parallel, and two timings sharing the
/// cores would measure each other.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Builds the input at `n` and `4n` with `make` and checks the growth of `args`' run time.
fn assert_linear(name: &str, n: usize, args: &[&str], make: impl Fn(&Scratch, usize)) {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let small = Scratch::new(&format!("{name}-small"));
    make(&small, n);
    let large = Scratch::new(&format!("{name}-large"));
    make(&large, 4 * n);
    // A run that does nothing costs the process start; it is not part of the growth.
    let empty = Scratch::new(&format!("{name}-empty"));
    let base = best_time(&empty.path, &["check", "--isolated", "."]);
    let t1 = best_time(&small.path, args).saturating_sub(base).max(Duration::from_millis(5));
    let t4 = best_time(&large.path, args).saturating_sub(base);
    let growth = t4.as_secs_f64() / t1.as_secs_f64();
    assert!(growth < 8.0, "{name}: {t1:?} at {n}, {t4:?} at {}: {growth:.1}x", 4 * n);
}

#[test]
fn erb_tags_in_script_blocks() {
    assert_linear("erb", 3000, &["check", "--isolated", "."], |t, n| {
        let body: String =
            (0..n).map(|i| format!("mixpanel.track('<%= x{i} %>', {{a: '{{{{ y }}}}'}});\n")).collect();
        t.write("a.html.erb", format!("<script>\n{body}</script>\n"));
    });
}

#[test]
fn human_output_with_many_findings_on_long_lines() {
    assert_linear("human", 1500, &["check", "--isolated", "."], |t, n| {
        t.write("a.js", "mixpanel.track('signed_up');".repeat(n) + "\n");
        t.write("b.js", "mixpanel.track('signed_up');\n".repeat(n));
    });
}

#[test]
fn many_suppression_markers_on_one_line() {
    assert_linear("markers", 5000, &["check", "--isolated", "."], |t, n| {
        let markers = " // tracklint: ignore[event-name-style]".repeat(n);
        t.write("a.js", format!("mixpanel.track('signed_up');{markers}\n"));
        t.write("b.js", "mixpanel.track('signed_up'); // tracklint: ignore[event-name-style]\n".repeat(n));
    });
}

#[test]
fn plans_and_project_rules_with_many_events() {
    assert_linear("plan", 3000, &["check", "--isolated", "--plan", "plan.json", "."], |t, n| {
        let calls: String = (0..n).map(|i| format!("mixpanel.track('Event {i}', {{a: 1}});\n")).collect();
        t.write("a.js", calls);
        let entries: Vec<String> = (0..n)
            .map(|i| format!("{{\"name\": \"Event {}\", \"required_properties\": [\"a\"]}}", i + n / 2))
            .collect();
        t.write("plan.json", format!("[\n{}\n]\n", entries.join(",\n")));
    });
}

#[test]
fn ruby_constants_across_files() {
    assert_linear("constants", 3000, &["check", "--isolated", "."], |t, n| {
        let defs: String = (0..n).map(|i| format!("EVENT_{i} = 'event_{i}'\n")).collect();
        t.write("events.rb", defs);
        let uses: String = (0..n).map(|i| format!("tracker.track(user.id, EVENT_{i})\n")).collect();
        t.write("use.rb", format!("tracker = Mixpanel::Tracker.new(ENV['T'])\n{uses}"));
    });
}

#[test]
fn fingerprints_and_columns_of_many_findings_on_one_line() {
    for format in ["sarif", "json"] {
        assert_linear(
            &format!("one-line-{format}"),
            1500,
            &["check", "--isolated", "--format", format, "."],
            |t, n| {
                t.write("a.js", "mixpanel.track('signed_up'); /* é */".repeat(n) + "\n");
            },
        );
    }
}

#[test]
fn events_tracked_in_both_places_name_each_place_cheaply() {
    assert_linear("both-places", 2000, &["check", "--isolated", "--format", "json", "."], |t, n| {
        let server: String =
            (0..n).map(|i| format!("mp.track('Event {i}', {{ distinct_id: id }});\n")).collect();
        t.write(
            "server.js",
            format!(
                "const Mixpanel = require('mixpanel');\nconst mp = Mixpanel.init(process.env.T);\n{server}"
            ),
        );
        let browser: String = (0..n).map(|i| format!("mixpanel.track('Event {i}');\n")).collect();
        t.write("web/app.js", format!("import mixpanel from 'mixpanel-browser';\n{browser}"));
    });
}

#[test]
fn deeply_nested_functions_with_calls_at_every_level() {
    assert_linear("nested-scopes", 150, &["check", "--isolated", "."], |t, n| {
        // n nested functions, each with a tracking call: scope chains of every length up to n.
        let mut src = String::from("import mixpanel from 'mixpanel-browser';\n");
        for i in 0..n {
            src.push_str(&format!(
                "function f{i}(user) {{ mixpanel.track('signed_up_{i}', {{ id: user.id }});\n"
            ));
        }
        src.push_str(&"}\n".repeat(n));
        t.write("a.js", src);
    });
}
