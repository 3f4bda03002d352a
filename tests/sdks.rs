//! SDK coverage seen through `tracklint events`: every built-in profile is recognised in its
//! fixture, the SDK is decided by the import or constructor (never by the method name), and
//! profile updates of SDKs without `$ignore_time` never fire the backfill rule.

mod common;

use common::{Scratch, findings, json, run, run_in};
use std::collections::BTreeSet;

/// (path, line, sdk, method) of every call `events` lists for these paths.
fn calls(paths: &[&str]) -> Vec<(String, u64, String, String)> {
    let mut args = vec!["events", "--format", "json"];
    args.extend_from_slice(paths);
    let report = json(&run(&args));
    let Some(calls) = report["calls"].as_array() else { panic!("no calls array: {report}") };
    calls
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap_or_default().to_string(),
                c["line"].as_u64().unwrap_or_default(),
                c["sdk"].as_str().unwrap_or_default().to_string(),
                c["method"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn events_lists_every_language_and_sdk() {
    let all = calls(&[
        "fixtures/segment",
        "fixtures/rudderstack",
        "fixtures/browser-vendors",
        "fixtures/snowplow",
        "fixtures/go",
        "fixtures/posthog",
        "fixtures/amplitude",
        "fixtures/mixpanel-gem",
        "fixtures/templates",
        "fixtures/event-name-style",
        "fixtures/example-app",
    ]);
    let sdks: BTreeSet<&str> = all.iter().map(|c| c.2.as_str()).collect();
    let expected = [
        "amplitude-browser",
        "amplitude-js",
        "amplitude-node",
        "amplitude-python",
        "mixpanel-browser",
        "mixpanel-gem",
        "mixpanel-node",
        "mixpanel-python",
        "mixpanel-ruby",
        "mixpanel-rs",
        "posthog-js",
        "posthog-node",
        "posthog-python",
        "posthog-rs",
        "posthog-ruby",
        "segment-browser",
        "segment-node",
        "segment-python",
        "segment-ruby",
        "segment-rs",
        "rudderstack-browser",
        "rudderstack-node",
        "rudderstack-python",
        "rudderstack-ruby",
        "datadog-rum",
        "pendo",
        "mparticle",
        "google-analytics",
        "google-tag-manager",
        "heap",
        "snowplow-browser",
        "snowplow-node",
        "snowplow-python",
        "snowplow-ruby",
        "snowplow-go",
    ];
    for sdk in expected {
        assert!(sdks.contains(sdk), "no call attributed to {sdk}; got {sdks:?}");
    }
    let extensions: BTreeSet<&str> =
        all.iter().filter_map(|c| c.0.rsplit_once('.').map(|(_, ext)| ext)).collect();
    for ext in ["rb", "py", "rs", "js", "ts", "erb", "vue", "svelte", "html", "astro"] {
        assert!(extensions.contains(ext), "no call listed from a .{ext} file; got {extensions:?}");
    }
}

#[test]
fn shared_method_names_go_to_the_imported_sdk() {
    // posthog-js has Mixpanel's `people.set` and `register`; the import decides.
    let posthog = calls(&["fixtures/posthog/web/track.ts"]);
    let methods: Vec<(&str, &str)> = posthog.iter().map(|c| (c.2.as_str(), c.3.as_str())).collect();
    assert_eq!(
        methods,
        [
            ("posthog-js", "identify"),
            ("posthog-js", "people.set"),
            ("posthog-js", "register"),
            ("posthog-js", "capture"),
            ("posthog-js", "capture"),
            ("posthog-js", "capture"),
            ("posthog-js", "capture"),
        ]
    );
    // The `Mixpanel::Tracker` constructor is the old `mixpanel` gem's when the Gemfile says so.
    let gem = calls(&["fixtures/mixpanel-gem"]);
    assert!(gem.iter().all(|c| c.2 == "mixpanel-gem"), "{gem:?}");
    let official = calls(&["fixtures/backfill-missing-ignore-time/bad.rb"]);
    assert!(official.iter().all(|c| c.2 == "mixpanel-ruby"), "{official:?}");
}

#[test]
fn posthog_python_capture_is_read_in_both_argument_orders() {
    let report = json(&run(&["events", "--format", "json", "fixtures/posthog/app/views.py"]));
    let Some(calls) = report["calls"].as_array() else { panic!("{report}") };
    let events: Vec<&str> =
        calls.iter().filter(|c| c["kind"] == "track").filter_map(|c| c["event"].as_str()).collect();
    // 6.0: capture(event, distinct_id=..); before: capture(distinct_id, event, properties);
    // and the old order with the event by keyword, capture(distinct_id, event=..).
    assert_eq!(events, ["userSignedUp", "Signed Up", "Signed Up", "planUpgraded"]);
}

#[test]
fn a_template_finding_is_reported_at_its_line_in_the_file() {
    let report =
        json(&run(&["check", "--format", "json", "fixtures/templates/app/views/users/show.html.erb"]));
    let found = common::findings(&report);
    assert!(
        found.contains(&(
            "fixtures/templates/app/views/users/show.html.erb".to_string(),
            10,
            21,
            "email-as-distinct-id".to_string()
        )),
        "{found:?}"
    );
}

#[test]
fn help_names_the_vendor_of_the_call() {
    let scratch = common::Scratch::new("vendor-help");
    scratch.write(
        "app.js",
        "import posthog from 'posthog-js';\nimport mixpanel from 'mixpanel-browser';\nexport function go(user) {\n  posthog.identify(user.email);\n  mixpanel.identify(user.email);\n  posthog.capture('Order Completed', { email: user.email });\n}\n",
    );
    let out = common::run_in(&scratch.path, &["check", "--format", "json", "."]);
    let report = common::json(&out);
    let diags = report["diagnostics"].as_array().cloned().unwrap_or_default();
    let help = |line: u64, rule: &str| {
        diags
            .iter()
            .find(|d| d["line"] == line && d["rule"] == rule)
            .and_then(|d| d["help"].as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("no {rule} on line {line}: {diags:?}"))
    };
    let posthog = help(4, "email-as-distinct-id");
    assert!(posthog.contains("the person (`email`") && !posthog.contains("$email"), "{posthog}");
    assert!(help(5, "email-as-distinct-id").contains("`$email`"));
    let pii = help(6, "pii-in-event-properties");
    assert!(pii.contains("the person") && !pii.contains("profile"), "{pii}");
}

/// The names of the properties `events` lists for one call.
fn property_names(call: &serde_json::Value) -> Vec<&str> {
    call["properties"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect()
}

/// A snippet global (`heap`, `analytics`) is the vendor's only when the project shows it loads
/// the vendor's snippet (`heap.load('id')`, `analytics.load('key')`) or lists the package: the
/// name alone is not evidence.
/// The SDK of every call `events` lists in `dir`, sorted.
fn sdks_in(dir: &std::path::Path) -> Vec<String> {
    let report = json(&common::run_in(dir, &["events", "--format", "json", "."]));
    let mut out: Vec<String> = report["calls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c["sdk"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

#[test]
fn snippet_globals_need_the_snippet() {
    let t = common::Scratch::new("snippets");
    // Not evidence: a computed event name, a method that is not the vendor's track.
    t.write(
        "web/app.js",
        "export function go(u, name) {\n  heap.track(name);\n  analytics.identify(u.id);\n  amplitude.track(u.event);\n}\n",
    );
    assert_eq!(sdks_in(&t.path), Vec::<String>::new(), "no snippet, no package: unknown globals");
    t.write(
        "index.html",
        "<script>\n  window.heap = window.heap || [];\n  heap.load('123');\n  analytics.load('abc');\n  amplitude.init('def');\n</script>\n",
    );
    assert_eq!(sdks_in(&t.path), ["amplitude-browser", "heap", "segment-browser"]);
}

/// The vendor's own track call with a literal event on its global, which no file of the project
/// defines, is evidence too: the global can only come from a script the page loads. A project
/// that binds the name anywhere (its own `analytics` module, a `heap` data structure) keeps it.
#[test]
fn a_literal_track_on_an_undefined_vendor_global_is_the_vendor() {
    let t = common::Scratch::new("snippet-shapes");
    t.write(
        "web/app.js",
        "export function go(u) {\n  heap.track('Report Saved', { pages: 2 });\n  analytics.track('Report Saved');\n  amplitude.track('Report Saved');\n}\n",
    );
    assert_eq!(sdks_in(&t.path), ["amplitude-browser", "heap", "segment-browser"]);
    t.write(
        "web/queue.js",
        "export function sorted(items) {\n  const heap = new MinHeap(items);\n  heap.track(items[0]);\n}\n",
    );
    t.write("web/report.js", "import { analytics } from './analytics';\nanalytics.track('Report Saved');\n");
    assert_eq!(sdks_in(&t.path), ["amplitude-browser"]);
}

/// Snowplow names its events by category and action, in every language; Go writes the optional
/// fields through pointer helpers (`sp.NewString("..")`), which are their argument.
#[test]
fn snowplow_events_are_named_by_their_action() {
    let report = json(&run(&[
        "events",
        "--format",
        "json",
        "fixtures/snowplow",
        "fixtures/go/internal/track/snowplow.go",
    ]));
    let mut events: Vec<(String, String)> = report["calls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|c| c["kind"] == "track")
        .map(|c| {
            (
                c["sdk"].as_str().unwrap_or_default().to_string(),
                c["event"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    events.sort();
    assert_eq!(
        events,
        [
            ("snowplow-go".to_string(), "add-to-basket".to_string()),
            ("snowplow-node".to_string(), "iglu:com.acme/stop/jsonschema/1-0-0".to_string()),
            ("snowplow-node".to_string(), "stop".to_string()),
            ("snowplow-python".to_string(), "add-to-basket".to_string()),
            ("snowplow-python".to_string(), "remove-from-basket".to_string()),
            ("snowplow-ruby".to_string(), "add-to-basket".to_string()),
            ("snowplow-ruby".to_string(), "remove-from-basket".to_string()),
        ]
    );
}

/// `declare const heap: ..` types a global a script provides: it binds nothing, so the vendor's
/// global is still the vendor's. A GTM message built in a local first (at the top of the module
/// or in a function) is pushed with its `event`.
#[test]
fn ambient_declarations_and_messages_built_in_a_local() {
    let t = common::Scratch::new("ambient");
    t.write(
        "web/app.ts",
        "declare const heap: { track(name: string, props?: object): void };\ndeclare const dataLayer: any[];\n\nconst registered = { event: 'userRegistration', plan: 'pro' };\ndataLayer.push(registered);\n\nexport function bought(total: number) {\n  const purchase = { event: 'purchase', value: total };\n  dataLayer.push(purchase);\n  const notAnEvent = { page: '/home' };\n  dataLayer.push(notAnEvent);\n  heap.track('Checkout Done', { total });\n}\n",
    );
    let report = json(&common::run_in(&t.path, &["events", "--format", "json", "."]));
    let calls: Vec<(u64, String, String)> = report["calls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                c["line"].as_u64().unwrap_or_default(),
                c["sdk"].as_str().unwrap_or_default().to_string(),
                c["event"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            (5, "google-tag-manager".to_string(), "userRegistration".to_string()),
            (9, "google-tag-manager".to_string(), "purchase".to_string()),
            (12, "heap".to_string(), "Checkout Done".to_string()),
        ]
    );
}

/// The iOS SDKs of the vendors with a browser profile, each by the module the file imports; and
/// types the project declares with an SDK's name and methods that do nothing (a target that
/// builds without the SDK, a fixture) stand in for the SDK, so the calls through them are read.
#[test]
fn swift_vendors_and_their_stand_ins() {
    let found: Vec<(String, u64, String, String)> = calls(&["fixtures/swift-vendors"])
        .into_iter()
        .map(|(p, l, s, m)| (p.rsplit('/').next().unwrap_or_default().to_string(), l, s, m))
        .collect();
    let expected = [
        ("Browse.swift", 9, "segment-swift", "track"),
        ("Browse.swift", 10, "segment-swift", "identify"),
        ("Browse.swift", 11, "amplitude-swift", "track"),
        ("Browse.swift", 12, "mixpanel-swift", "track"),
        ("Browse.swift", 13, "posthog-ios", "capture"),
        ("Browse.swift", 14, "google-tag-manager", "append"),
        ("Browse.swift", 25, "segment-swift", "track"),
        ("Checkout.swift", 14, "firebase-analytics", "setUserID"),
        ("Checkout.swift", 15, "firebase-analytics", "logEvent"),
        ("Checkout.swift", 16, "firebase-analytics", "logEvent"),
        ("Checkout.swift", 17, "rudderstack-ios", "track"),
        ("Checkout.swift", 18, "rudderstack-ios", "identify"),
        ("Checkout.swift", 24, "mparticle-apple", "logEvent"),
        ("Checkout.swift", 27, "pendo-ios", "track"),
        ("Checkout.swift", 28, "heap-ios", "identify"),
        ("Checkout.swift", 29, "heap-ios", "track"),
        ("Checkout.swift", 34, "firebase-analytics", "logEvent"),
        ("Checkout.swift", 41, "firebase-analytics", "logEvent"),
    ];
    let expected: Vec<(String, u64, String, String)> =
        expected.iter().map(|(p, l, s, m)| (p.to_string(), *l, s.to_string(), m.to_string())).collect();
    assert_eq!(found, expected);
    // The event and properties as the inventory lists them: the mParticle event's name is the one
    // it was built with, its attributes the ones set on it; Pendo's properties come from a local.
    let report =
        json(&run(&["events", "--format", "json", "fixtures/swift-vendors/Sources/Shop/Checkout.swift"]));
    let listed: Vec<(u64, String, Vec<String>)> = report["calls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|c| c["kind"] == "track")
        .map(|c| {
            let keys = property_names(c).into_iter().map(str::to_string).collect();
            (c["line"].as_u64().unwrap_or_default(), c["event"].as_str().unwrap_or("-").to_string(), keys)
        })
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        listed,
        [
            (15, "begin_checkout".to_string(), strings(&["value", "currency"])),
            (16, "Checkout Started".to_string(), vec![]),
            (17, "Checkout Started".to_string(), strings(&["total"])),
            (24, "Order Completed".to_string(), strings(&["total", "email"])),
            (27, "Order Completed".to_string(), strings(&["total", "coupon"])),
            (29, "Order Completed".to_string(), strings(&["total"])),
            // The SDK's own constants: `AnalyticsEventSignUp`, `AnalyticsParameterMethod`.
            (34, "sign_up".to_string(), strings(&["method"])),
            // Keys set one by one on a local dictionary (`params["user_email"] = ..`).
            (41, "view_item".to_string(), strings(&["item_id", "user_email"])),
        ]
    );
    // Google Analytics has no place for personal data: the help says to drop it.
    let check = json(&run(&["check", "--format", "json", "--exit-zero", "fixtures/swift-vendors"]));
    let help = check["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .find(|d| d["line"] == 40 && d["rule"] == "pii-in-event-properties")
        .and_then(|d| d["help"].as_str())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        help,
        "drop it: Google Analytics for Firebase forbids personal data in events and user properties"
    );
}

/// Only a type that does nothing, has an SDK's name (or its vendor's) and declares one of that
/// SDK's methods stands in for it: the app's own `Heap` with a body, a do-nothing `Tracker`, a
/// vendor-named type without the vendor's methods, or one that only contains a vendor's name
/// (`MinHeap`) are the app's.
#[test]
fn a_swift_type_stands_in_for_an_sdk_only_on_evidence() {
    let t = common::Scratch::new("swift-stand-ins");
    t.write(
        "Sources/App/Types.swift",
        "final class Heap {\n    static let shared = Heap()\n    private var items: [String] = []\n    func track(_ event: String, properties: [String: Any]? = nil) { items.append(event) }\n}\n\
         final class Tracker {\n    static let shared = Tracker()\n    func track(_ event: String, properties: [String: Any]? = nil) {}\n}\n\
         final class SegmentQueue {\n    func flush() {}\n}\n\
         final class MinHeap {\n    func track(_ event: String, properties: [String: Any]? = nil) {}\n}\n",
    );
    t.write(
        "Sources/App/Use.swift",
        "func go(queue: SegmentQueue, heap: MinHeap) {\n    Heap.shared.track(\"Report Saved\", properties: nil)\n    Tracker.shared.track(\"Report Saved\")\n    queue.flush()\n    heap.track(\"Report Saved\")\n}\n",
    );
    assert_eq!(sdks_in(&t.path), Vec::<String>::new());
    // The same `Heap` doing nothing is the SDK's stand-in.
    t.write(
        "Sources/App/Types.swift",
        "final class Heap {\n    static let shared = Heap()\n    func track(_ event: String, properties: [String: Any]? = nil) {}\n}\n",
    );
    assert_eq!(sdks_in(&t.path), ["heap-ios"]);
}

/// Properties built in a local before the call are the call's: checked where they are written,
/// and listed by the inventory. The object may gain keys later, so nothing is reported missing.
#[test]
fn properties_held_in_a_local_are_read() {
    let t = common::Scratch::new("local-properties");
    t.write(
        "web/checkout.js",
        "import mixpanel from 'mixpanel-browser';\nexport function done(user) {\n  const props = { email: user.email, total: 3 };\n  mixpanel.track('Order Completed', props);\n  mixpanel.track('Order Shared', { ...props, channel: 'mail' });\n}\n",
    );
    let report = json(&common::run_in(&t.path, &["check", "--format", "json", "--exit-zero", "."]));
    assert_eq!(
        common::findings(&report),
        [("web/checkout.js".to_string(), 3, 19, "pii-in-event-properties".to_string())]
    );
    let events = json(&common::run_in(&t.path, &["events", "--format", "json", "."]));
    assert_eq!(property_names(&events["calls"][0]), ["email", "total"]);
    // Spread into a literal: its keys are the literal's too.
    assert_eq!(property_names(&events["calls"][1]), ["channel", "email", "total"]);
}

/// A key held in a project constant (`[PROPS.EMAIL]: ..` in JavaScript, `Keys.email: ..` in a
/// Swift dictionary) is the constant's value; a computed key that names no known constant leaves
/// the object open.
#[test]
fn keys_held_in_constants_are_read() {
    let t = common::Scratch::new("constant-keys");
    t.write(
        "web/plan.js",
        "import mixpanel from 'mixpanel-browser';\nconst PROPS = { PLAN: 'plan', EMAIL: 'email' };\nexport function go(user, key) {\n  mixpanel.track('Plan Chosen', { [PROPS.PLAN]: user.plan, [PROPS.EMAIL]: user.email, [key]: 1 });\n}\n",
    );
    let report = json(&common::run_in(&t.path, &["check", "--format", "json", "--exit-zero", "."]));
    assert_eq!(
        common::findings(&report),
        [("web/plan.js".to_string(), 4, 60, "pii-in-event-properties".to_string())]
    );
    let events = json(&common::run_in(&t.path, &["events", "--format", "json", "."]));
    assert_eq!(property_names(&events["calls"][0]), ["plan", "email"]);
}

/// Google Analytics for Firebase on Android, Kotlin and Java: the client by its import
/// (`FirebaseAnalytics.getInstance(context)`, a field of that type, `Firebase.analytics`), the SDK's own event names
/// (`FirebaseAnalytics.Event.SELECT_CONTENT`) read as GA4's (`select_content`).
#[test]
fn firebase_on_android_names_its_events() {
    let report = json(&run(&["events", "--format", "json", "fixtures/android-firebase"]));
    let listed: Vec<(String, u64, String, String, Vec<&str>)> = report["calls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string(),
                c["line"].as_u64().unwrap_or_default(),
                c["method"].as_str().unwrap_or_default().to_string(),
                c["event"].as_str().unwrap_or("-").to_string(),
                property_names(c),
            )
        })
        .collect();
    let expected: [(&str, u64, &str, &str, &[&str]); 8] = [
        ("ArticleTracking.kt", 12, "setUserId", "-", &[]),
        // A `Bundle` held in a local, filled by `putString` (a key held in an SDK constant too).
        ("ArticleTracking.kt", 16, "logEvent", "select_content", &["item_id", "email"]),
        ("ArticleTracking.kt", 17, "logEvent", "Article Shared", &[]),
        // `bundleOf("k" to v)`.
        ("ArticleTracking.kt", 21, "logEvent", "article_saved", &["item_id", "reader_phone"]),
        // The Kotlin extension `Firebase.analytics`, held in a property and used in place; the
        // KTX `{ param(..) }` block is the event's parameters.
        ("LoginTracking.kt", 11, "logEvent", "login", &["method", "user_email"]),
        ("LoginTracking.kt", 18, "logEvent", "loginFailed", &[]),
        ("ReadingTracker.java", 17, "logEvent", "article_finished", &["item_id", "email"]),
        ("ReadingTracker.java", 18, "logEvent", "share", &[]),
    ];
    let expected: Vec<(String, u64, String, String, Vec<&str>)> = expected
        .iter()
        .map(|(p, l, m, e, props)| (p.to_string(), *l, m.to_string(), e.to_string(), props.to_vec()))
        .collect();
    assert_eq!(listed, expected);
    assert!(report["calls"].as_array().into_iter().flatten().all(|c| c["sdk"] == "firebase-analytics"));
}

/// analytics-ruby before 2.0: the gem's module is the client (`Analytics.init(secret: ..)`, then
/// `Analytics.track(user_id: .., event: ..)`), in a project whose Gemfile lists the gem. An app
/// that defines its own `class Analytics` (a wrapper) is not the gem, whatever the name.
#[test]
fn the_old_segment_gems_module_is_its_client_unless_the_app_defines_its_own() {
    let t = Scratch::new("segment-ruby-legacy");
    t.write("Gemfile", "source 'https://rubygems.org'\ngem 'analytics-ruby'\n");
    t.write("config/initializers/analytics.rb", "Analytics.init(secret: ENV['SEGMENT_SECRET'])\n");
    t.write(
        "app/jobs/server_started_job.rb",
        "class ServerStartedJob\n  def perform(user)\n    \
         Analytics.track(user_id: user.email, event: 'Started server', properties: { plan: user.plan })\n  end\nend\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    assert_eq!(
        findings(&report),
        [("app/jobs/server_started_job.rb".to_string(), 3, 30, "email-as-distinct-id".to_string())],
        "{report}"
    );

    let own = Scratch::new("segment-ruby-own-class");
    own.write("Gemfile", "source 'https://rubygems.org'\ngem 'analytics-ruby'\n");
    own.write(
        "app/wrappers/analytics.rb",
        "class Analytics\n  def self.track(user, event, properties = {})\n    \
         client.track(user_id: user.id, event: event, properties: properties)\n  end\n\n  \
         def self.client\n    Segment::Analytics.new(write_key: ENV['SEGMENT_KEY'])\n  end\nend\n",
    );
    own.write(
        "app/jobs/signup_job.rb",
        "class SignupJob\n  def perform(user)\n    Analytics.track(user, 'signed_up', email: user.email)\n  end\nend\n",
    );
    let report = json(&run_in(&own.path, &["check", "--isolated", "--format", "json", "."]));
    let rules: Vec<(u64, String)> = findings(&report).into_iter().map(|f| (f.1, f.3)).collect();
    assert_eq!(
        rules,
        [(3, "event-name-style".to_string()), (3, "pii-in-event-properties".to_string())],
        "{report}"
    );
}

/// The `simple_segment` gem takes analytics-ruby's calls on its own client
/// (`SimpleSegment::Client.new(write_key: ..)`), here behind an app's service class.
#[test]
fn the_simple_segment_gems_client_is_segments() {
    let t = Scratch::new("simple-segment");
    t.write("Gemfile", "source 'https://rubygems.org'\ngem 'simple_segment'\n");
    t.write(
        "app/services/analytics_service.rb",
        "class AnalyticsService\n  def initialize\n    @api = SimpleSegment::Client.new(write_key: ENV['SEGMENT_WRITE_KEY'])\n  end\n\n  \
         def track(user_id:, event_action:, properties:)\n    \
         @api.track(user_id: user_id, event: event_action, properties: properties)\n  end\nend\n",
    );
    t.write(
        "app/controllers/links_controller.rb",
        "class LinksController < ApplicationController\n  def show\n    \
         AnalyticsService.new.track(user_id: current_user.email, event_action: 'link_clicked', properties: {})\n  end\nend\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let rules: Vec<(String, u64, String)> = findings(&report).into_iter().map(|f| (f.0, f.1, f.3)).collect();
    let controller = "app/controllers/links_controller.rb".to_string();
    assert_eq!(
        rules,
        [
            (controller.clone(), 3, "email-as-distinct-id".to_string()),
            (controller, 3, "event-name-style".to_string())
        ],
        "{report}"
    );
}

/// Amplitude's maintenance Node SDK (`@amplitude/node`): `init(KEY)` returns the client, whether
/// called on the namespace or imported by name, and its `logEvent` takes the event object.
#[test]
fn the_amplitude_node_maintenance_sdks_init_returns_its_client() {
    let t = Scratch::new("amplitude-node-legacy");
    t.write("package.json", r#"{"dependencies": {"@amplitude/node": "^1.10.2"}}"#);
    t.write(
        "src/named.js",
        "import { init as start } from '@amplitude/node';\nconst client = start(process.env.KEY);\n\
         client.logEvent({ event_type: 'signed_up', user_id: user.email });\n",
    );
    t.write(
        "src/namespace.js",
        "import * as Amplitude from '@amplitude/node';\nconst client = Amplitude.init(process.env.KEY);\n\
         export function track(name, userId) {\n  return client.logEvent({ event_type: name, user_id: userId });\n}\n",
    );
    t.write("src/checkout.js", "import { track } from './namespace';\ntrack('order_placed', account.id);\n");
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    assert_eq!(
        findings(&report),
        [
            ("src/checkout.js".to_string(), 2, 7, "event-name-style".to_string()),
            ("src/named.js".to_string(), 3, 31, "event-name-style".to_string()),
            ("src/named.js".to_string(), 3, 53, "email-as-distinct-id".to_string()),
        ],
        "{report}"
    );
    // A function of the same name from elsewhere makes no client.
    t.write("src/named.js", "import { init } from './setup';\nconst client = init(process.env.KEY);\nclient.logEvent({ event_type: 'signed_up' });\n");
    let report = json(&run_in(&t.path, &["events", "--format", "json", "src/named.js"]));
    assert_eq!(report["calls"].as_array().map(Vec::len), Some(0), "{report}");
}

/// A TypeScript service handed its client (`constructor(private mp: OverridedMixpanel)`): the
/// SDK's own types make the parameter a client.
#[test]
fn a_parameter_typed_with_the_sdks_type_is_its_client() {
    let t = Scratch::new("typed-sdk-parameters");
    t.write(
        "src/analytics.service.ts",
        "import Mixpanel from 'mixpanel';\nimport type { PostHog } from 'posthog-js';\n\
         import { OverridedMixpanel } from 'mixpanel-browser';\n\
         export class AnalyticsService {\n  \
         constructor(private readonly web: OverridedMixpanel, private ph: PostHog, private server: Mixpanel.Mixpanel) {}\n  \
         a() { this.web.track('signed_up'); }\n  b() { this.ph.capture('Plan Chosen', { email: user.email }); }\n  \
         c() { this.server.track('Invoice Paid', { distinct_id: user.email }); }\n}\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let rules: Vec<(u64, String)> = findings(&report).into_iter().map(|f| (f.1, f.3)).collect();
    assert_eq!(
        rules,
        [
            (6, "event-name-style".to_string()),
            (7, "pii-in-event-properties".to_string()),
            (8, "email-as-distinct-id".to_string()),
        ],
        "{report}"
    );
}

/// React hooks that return the SDK's instance: posthog-js's `usePostHog()` and
/// react-mixpanel-browser's `useMixpanel()`, under any local name. A project's own hook of the
/// same name is not the SDK's.
#[test]
fn react_hooks_of_the_sdks_return_their_clients() {
    let t = Scratch::new("sdk-react-hooks");
    t.write(
        "package.json",
        r#"{"dependencies": {"posthog-js": "^1.0.0", "react-mixpanel-browser": "^4.0.0"}}"#,
    );
    t.write(
        "src/Button.tsx",
        "import { usePostHog } from 'posthog-js/react'\nimport { useMixpanel } from 'react-mixpanel-browser'\n\
         export function Button() {\n  const ph = usePostHog()\n  const mp = useMixpanel()\n  \
         return <button onClick={() => { ph?.capture('Plan Chosen', { email: user.email }); mp.track('plan_chosen') }} />\n}\n",
    );
    t.write(
        "src/Own.tsx",
        "import { usePostHog } from './hooks'\nexport function Own() {\n  const ph = usePostHog()\n  ph.capture('own_event')\n}\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let rules: Vec<(String, u64, String)> = findings(&report).into_iter().map(|f| (f.0, f.1, f.3)).collect();
    let button = "src/Button.tsx".to_string();
    assert_eq!(
        rules,
        [
            (button.clone(), 6, "pii-in-event-properties".to_string()),
            (button, 6, "event-name-style".to_string())
        ],
        "{report}"
    );
}
