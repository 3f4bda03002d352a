//! Wrapper inference as a user meets it: `tracklint wrappers`, `via` in every output, `init`
//! writing what was inferred, and inference that terminates on recursive code. The exact
//! findings of each shape are pinned by the `fixtures/inference-*` folders.

mod common;

use common::{Scratch, findings, json, run, run_in};

fn wrappers(dir: &str) -> Vec<serde_json::Value> {
    let out = run(&["wrappers", "--format", "json", dir]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    json(&out)["wrappers"].as_array().cloned().unwrap_or_default()
}

/// The calls `tracklint events` lists for a scratch project, with no config.
fn listed_calls(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let events = json(&run_in(dir, &["events", "--isolated", "--format", "json", "."]));
    events["calls"].as_array().cloned().unwrap_or_else(|| panic!("{events}"))
}

fn find<'a>(list: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    list.iter().find(|w| w["name"] == name).unwrap_or_else(|| panic!("{name} not inferred: {list:?}"))
}

#[test]
fn wrappers_lists_each_function_with_its_roles_chain_and_call_sites() {
    let list = wrappers("fixtures/inference-ruby");
    let track_event = find(&list, "Analytics.track_event");
    assert_eq!(track_event["path"], "fixtures/inference-ruby/app/lib/analytics.rb");
    assert_eq!(track_event["line"], 7);
    // Trackable's track_action, and Engagement::Funnel's record_step (a concern included by a
    // concern).
    assert_eq!(track_event["call_sites"], 2);
    let roles = &track_event["calls"][0]["roles"];
    assert_eq!(roles[0], serde_json::json!(["event", "event"]));
    assert_eq!(roles[1], serde_json::json!(["distinct_id", "user.email"]));
    let action = find(&list, "Trackable.track_action");
    assert_eq!(action["chain"], serde_json::json!(["Analytics.track_event"]));
    // Two enqueues, one of them through `.set(wait: ..)`.
    assert_eq!(find(&list, "SignupJob.perform")["call_sites"], 2);
    // A dispatcher: each branch is made for the value that selects it.
    let dispatch = find(&list, "EventForwarder.dispatch");
    let whens: Vec<&serde_json::Value> =
        dispatch["calls"].as_array().into_iter().flatten().map(|c| &c["when"]).collect();
    assert_eq!(whens, [&serde_json::json!("action is \"alias\""), &serde_json::json!("action is \"track\"")]);
    assert_eq!(dispatch["call_sites"], 1);
    assert_eq!(find(&list, "Funnel.record_step")["call_sites"], 1);
    // The traps are not wrappers.
    assert!(list.iter().all(|w| w["name"] != "Shipment.track_event" && w["name"] != "ParcelTracker.track"));

    let human = String::from_utf8_lossy(&run(&["wrappers", "fixtures/inference-python"]).stdout).to_string();
    assert!(human.contains("log_event  fixtures/inference-python/app/tasks.py:7  (2 call sites)"), "{human}");
    assert!(human.contains("event ← event_name, distinct_id ← distinct_id, properties ← data"), "{human}");
}

#[test]
fn findings_and_events_name_the_path_to_the_sdk() {
    let report = json(&run(&["check", "--format", "json", "fixtures/inference-js"]));
    let diagnostics = report["diagnostics"].as_array().cloned().unwrap_or_default();
    let at = |line: u64| {
        diagnostics
            .iter()
            .find(|d| d["path"] == "fixtures/inference-js/src/components/Signup.tsx" && d["line"] == line)
            .cloned()
            .unwrap_or_else(|| panic!("no finding on line {line}"))
    };
    let hook = at(12);
    assert_eq!(
        hook["via"],
        serde_json::json!([
            {"name": "capture", "path": "fixtures/inference-js/src/lib/hooks.ts", "line": 6},
            {"name": "track", "path": "fixtures/inference-js/src/lib/analytics.ts", "line": 5},
        ])
    );
    assert!(hook["message"].as_str().unwrap_or_default().ends_with(
        "(through `capture`, fixtures/inference-js/src/lib/hooks.ts:6 → `track`, fixtures/inference-js/src/lib/analytics.ts:5)"
    ));
    // A direct SDK call has no `via`.
    let direct = diagnostics
        .iter()
        .find(|d| d["path"] == "fixtures/inference-js/src/lib/analytics.ts")
        .unwrap_or_else(|| panic!("no direct finding"));
    assert_eq!(direct["via"], serde_json::json!([]));

    let sarif = json(&run(&["check", "--format", "sarif", "fixtures/inference-js"]));
    let related: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x.get("relatedLocations")).collect())
        .unwrap_or_default();
    assert!(!related.is_empty());
    assert_eq!(related[0][0]["physicalLocation"]["region"]["startLine"], 5);

    let events = json(&run(&["events", "--format", "json", "fixtures/inference-js"]));
    let signup: Vec<&serde_json::Value> = events["calls"]
        .as_array()
        .map(|c| c.iter().filter(|c| c["event"] == "signup_started").collect())
        .unwrap_or_default();
    assert_eq!(signup.len(), 1);
    assert_eq!(signup[0]["via"][0]["name"], "track");
}

#[test]
fn init_writes_the_inferred_wrappers_and_they_work_as_config() {
    let t = Scratch::new("init-wrappers");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inference-python");
    for rel in ["requirements.txt", "app/__init__.py", "app/analytics.py", "app/tasks.py", "app/views.py"] {
        t.write(rel, std::fs::read(src.join(rel)).unwrap_or_default());
    }
    let out = run_in(&t.path, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(t.path.join("tracklint.toml")).unwrap_or_default();
    assert!(written.contains("# receiver = \"Collector\"\n# method = \"capture\"\n# kind = \"track\"\n# event = 2\n# identity = 1\n# properties = 3\n"), "{written}");
    let inferred = findings(&json(&run_in(&t.path, &["check", "--format", "json", "."])));
    // Uncommented, with inference off, the entries find the same event names at the call sites.
    let uncommented: String = written
        .lines()
        .map(|l| {
            if l.starts_with("# [[wrappers]]")
                || l.starts_with("# language")
                || l.starts_with("# receiver")
                || l.starts_with("# method")
                || l.starts_with("# kind")
                || l.starts_with("# event")
                || l.starts_with("# identity")
                || l.starts_with("# properties")
            {
                &l[2..]
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    t.write("tracklint.toml", format!("{uncommented}\n[inference]\nenabled = false\n"));
    let declared = findings(&json(&run_in(&t.path, &["check", "--format", "json", "."])));
    let names = |f: &[(String, u64, u64, String)]| -> Vec<(String, u64, u64)> {
        f.iter().filter(|x| x.3 == "event-name-style").map(|x| (x.0.clone(), x.1, x.2)).collect()
    };
    // Entries find what a config can spell (a function called by name); instance receivers
    // and job enqueues are what inference adds on top.
    assert!(names(&declared).contains(&("app/views.py".to_string(), 7, 25)), "{declared:?}");
    assert!(names(&declared).iter().all(|d| names(&inferred).contains(d)));
    assert!(names(&inferred).len() > names(&declared).len());
}

#[test]
fn recursion_and_long_chains_terminate() {
    let t = Scratch::new("recursion");
    t.write(
        "app/a.rb",
        "module A\n  def self.tracker\n    @t ||= Mixpanel::Tracker.new('x')\n  end\n  def self.ping(id, name)\n    tracker.track(id, name)\n    B.pong(id, name)\n  end\nend\n",
    );
    t.write("app/b.rb", "module B\n  def self.pong(id, name)\n    A.ping(id, name)\n  end\nend\n");
    // A chain longer than the depth bound: l1 → l2 → ... → l7 → SDK.
    let mut chain = String::new();
    for i in 1..7 {
        chain.push_str(&format!("  def self.l{i}(id, e)\n    L.l{}(id, e)\n  end\n", i + 1));
    }
    chain.push_str("  def self.l7(id, e)\n    A.tracker.track(id, e)\n  end\n");
    t.write("app/l.rb", format!("module L\n{chain}end\n"));
    t.write("app/c.rb", "B.pong(1, 'from_b')\nL.l4(1, 'within_bound')\nL.l1(1, 'beyond_bound')\n");
    let out = run_in(&t.path, &["check", "--format", "concise", "."]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("app/c.rb:1:11: warning[event-name-style]"), "{text}");
    assert!(text.contains("app/c.rb:2:9: warning[event-name-style]"), "{text}");
    assert!(!text.contains("app/c.rb:3:"), "a chain deeper than the bound is not followed: {text}");
}

#[test]
fn a_function_that_names_its_event_lists_that_event_where_it_is_called() {
    let t = Scratch::new("inner-event");
    t.write(
        "a.js",
        "import mixpanel from 'mixpanel-browser';\n\
         export function trackSignup(props) {\n  mixpanel.track('signed_up', props);\n}\n",
    );
    t.write(
        "b.js",
        "import { trackSignup } from './a';\n\
         trackSignup({ plan: 'pro' });\n\
         trackSignup({ plan: 'free', coupon: 'X' });\n",
    );
    let listed: Vec<(String, u64, String, Vec<String>)> = listed_calls(&t.path)
        .iter()
        .map(|c| {
            let keys = c["properties"].as_array().map_or(Vec::new(), |p| {
                p.iter().map(|p| p["name"].as_str().unwrap_or_default().to_string()).collect()
            });
            (
                c["path"].as_str().unwrap_or_default().to_string(),
                c["line"].as_u64().unwrap_or_default(),
                c["event"].as_str().unwrap_or("-").to_string(),
                keys,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("a.js".to_string(), 3, "signed_up".to_string(), vec![]),
            ("b.js".to_string(), 2, "signed_up".to_string(), vec!["plan".to_string()]),
            ("b.js".to_string(), 3, "signed_up".to_string(), vec!["plan".to_string(), "coupon".to_string()]),
        ]
    );
    // The plan written from the code has the keys every call site sends.
    let plan = run_in(&t.path, &["events", "--isolated", "--format", "csv", "."]);
    assert_eq!(
        String::from_utf8_lossy(&plan.stdout),
        "event,required_properties,status,calls\nsigned_up,plan,active,3\n"
    );
    // The name is checked once, where it is written, not again at each call site.
    let check = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let style: Vec<(String, u64, u64, String)> =
        findings(&check).into_iter().filter(|f| f.3 == "event-name-style").collect();
    assert_eq!(style, [("a.js".to_string(), 3, 18, "event-name-style".to_string())]);
}

/// A Swift wrapper called with its labels only (`AnalyticsManager.logEvent(named: ..)`) is a
/// call of it, and a name it sends to two SDKs is judged once: Firebase documents snake case,
/// so `sign_up` passes even though the same wrapper also sends it to Mixpanel; a name neither
/// convention allows is one finding, not one per SDK.
#[test]
fn a_labelled_call_of_a_wrapper_that_sends_to_two_sdks() {
    let t = Scratch::new("swift-two-sdks");
    t.write(
        "App/AnalyticsManager.swift",
        "import FirebaseAnalytics\nimport Mixpanel\n\nclass AnalyticsManager {\n    static func logEvent(named: String, description: String) {\n        Analytics.logEvent(named, parameters: [\"description\": description])\n        Mixpanel.mainInstance().track(event: named, properties: [\"description\": description])\n    }\n}\n",
    );
    t.write(
        "App/Settings.swift",
        "final class Settings {\n    func changed() {\n        AnalyticsManager.logEvent(named: \"sign_up\", description: \"sign_up\")\n        AnalyticsManager.logEvent(named: \"useHaptics_enabled\", description: \"on\")\n    }\n}\n",
    );
    let events = json(&run_in(&t.path, &["events", "--format", "json", "."]));
    let at: Vec<(u64, &str, &str)> = events["calls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|c| c["path"].as_str().is_some_and(|p| p.ends_with("Settings.swift")))
        .map(|c| {
            (
                c["line"].as_u64().unwrap_or_default(),
                c["sdk"].as_str().unwrap_or(""),
                c["event"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            (3, "firebase-analytics", "sign_up"),
            (3, "mixpanel-swift", "sign_up"),
            (4, "firebase-analytics", "useHaptics_enabled"),
            (4, "mixpanel-swift", "useHaptics_enabled"),
        ]
    );
    let report = json(&run_in(&t.path, &["check", "--format", "json", "--exit-zero", "."]));
    assert_eq!(
        findings(&report),
        [("App/Settings.swift".to_string(), 4, 42, "event-name-style".to_string())]
    );
}

/// What a hook returns is defined in its body: `const { track } = useAnalytics()` calls that
/// function, not a class method of the same name elsewhere in the hook's file (which sends to
/// another SDK here, so a wrong match shows as a second call).
#[test]
fn a_function_a_hook_returns_is_not_a_same_named_method_of_its_file() {
    let t = Scratch::new("hook-member");
    t.write(
        "analytics.ts",
        "import mixpanel from 'mixpanel-browser';\n\
         import posthog from 'posthog-js';\n\
         class Analytics {\n  track(event: string) {\n    mixpanel.track(event);\n  }\n}\n\
         export default new Analytics();\n\
         export function useAnalytics() {\n  const track = (event: string) => posthog.capture(event);\n  return { track };\n}\n",
    );
    t.write(
        "page.tsx",
        "import analytics, { useAnalytics } from './analytics';\n\
         export function Page() {\n  const { track } = useAnalytics();\n  track('Page Shown');\n  analytics.track('Page Left');\n}\n",
    );
    let listed: Vec<(u64, String, String)> = listed_calls(&t.path)
        .iter()
        .filter(|c| c["path"] == "page.tsx")
        .map(|c| {
            (
                c["line"].as_u64().unwrap_or_default(),
                c["event"].as_str().unwrap_or("-").to_string(),
                c["sdk"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (4, "Page Shown".to_string(), "posthog-js".to_string()),
            (5, "Page Left".to_string(), "mixpanel-browser".to_string()),
        ]
    );
}

/// A factory's file may define a class with a method of the called name: the call reaches that
/// method only when the factory returns an instance of the class (`get_client()` returning
/// something else is no call of `Courier.track`, whose parameters would take the site's
/// arguments in the wrong order).
#[test]
fn a_factory_reaches_a_class_method_of_its_file_only_through_an_instance_of_it() {
    let t = Scratch::new("factory-class");
    t.write("requirements.txt", "mixpanel\n");
    t.write(
        "app.py",
        "from mixpanel import Mixpanel\nfrom django.conf import settings\n\n\
         class Courier:\n    @classmethod\n    def track(cls, event, distinct_id):\n        Mixpanel('t').track(distinct_id, event)\n\n\
         def get_client():\n    return settings.ANALYTICS\n\n\
         def send(user):\n    get_client().track(user.id, 'Parcel Sent')\n\n\
         def courier():\n    return Courier()\n\n\
         def ship(user):\n    courier().track('Parcel Shipped', user.id)\n",
    );
    let sites: Vec<(u64, String)> = listed_calls(&t.path)
        .iter()
        .filter(|c| c["line"] != 7)
        .map(|c| (c["line"].as_u64().unwrap_or_default(), c["event"].as_str().unwrap_or("-").to_string()))
        .collect();
    assert_eq!(sites, [(19, "Parcel Shipped".to_string())]);
}

/// Where `pii-in-event-properties` fires in a scratch project (path, line, column), and the
/// report.
fn personal_data_found(dir: &std::path::Path) -> (Vec<(String, u64, u64)>, serde_json::Value) {
    found_by(dir, "pii-in-event-properties")
}

/// Where `rule` fires in a scratch project, with no config, and the whole report.
fn found_by(dir: &std::path::Path, rule: &str) -> (Vec<(String, u64, u64)>, serde_json::Value) {
    let report = json(&run_in(dir, &["check", "--isolated", "--format", "json", "."]));
    let found = findings(&report)
        .into_iter()
        .filter(|f| f.3 == rule)
        .map(|(path, line, column, _)| (path, line, column))
        .collect();
    (found, report)
}

/// Properties that reach the SDK through a function of the wrapper's file returning its
/// argument (amended: `data["role"] = ..; return data`) are the call site's: personal data in
/// them is found where it is written. A function returning anything else, or one of two names,
/// passes nothing through.
#[test]
fn properties_passed_back_by_a_function_of_the_wrapper_are_the_call_sites() {
    let t = Scratch::new("passed-back");
    t.write("requirements.txt", "posthog\n");
    t.write(
        "tasks.py",
        "from posthog import Posthog\n\n\
         def amend(user_id, data):\n    if user_id:\n        data['role'] = 'owner'\n        return data\n    return data\n\n\
         def copy(user_id, data):\n    return dict(data)\n\n\
         def either(user_id, data):\n    if user_id:\n        return user_id\n    return data\n\n\
         def track_event(user_id, event, props):\n    data = amend(user_id, props)\n    Posthog('k').capture(distinct_id=user_id, event=event, properties=data)\n\n\
         def track_copy(user_id, event, props):\n    data = copy(user_id, props)\n    Posthog('k').capture(distinct_id=user_id, event=event, properties=data)\n\n\
         def track_either(user_id, event, props):\n    data = either(user_id, props)\n    Posthog('k').capture(distinct_id=user_id, event=event, properties=data)\n",
    );
    t.write(
        "views.py",
        "from tasks import track_event, track_copy, track_either\n\n\
         def invite(user, invitation):\n    track_event(user.id, 'user_invited', {'invitee_email': invitation.email})\n    \
         track_copy(user.id, 'user_invited', {'invitee_email': invitation.email})\n    \
         track_either(user.id, 'user_invited', {'invitee_email': invitation.email})\n",
    );
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(pii, [("views.py".to_string(), 4, 43)], "{report}");
}

/// The same in JavaScript; a callback's `return` is the callback's, not the function's.
#[test]
fn properties_passed_back_by_a_javascript_function_are_the_call_sites() {
    let t = Scratch::new("passed-back-js");
    t.write("package.json", "{\"dependencies\": {\"posthog-node\": \"4\"}}\n");
    t.write(
        "tasks.js",
        "import { PostHog } from 'posthog-node';\nconst client = new PostHog('k');\n\n\
         function amend(user, data) {\n  data.tags = user.tags.map(function (tag) { return tag; });\n  return data;\n}\n\n\
         function pick(user, data) {\n  const out = [data].map((d) => { return user; });\n  return out;\n}\n\n\
         export function trackEvent(user, event, props) {\n  const data = amend(user, props);\n  client.capture({ distinctId: user.id, event, properties: data });\n}\n\n\
         export function trackPicked(user, event, props) {\n  const data = pick(user, props);\n  client.capture({ distinctId: user.id, event, properties: data });\n}\n",
    );
    t.write(
        "views.js",
        "import { trackEvent, trackPicked } from './tasks';\n\n\
         export function invite(user, invitation) {\n  trackEvent(user, 'user_invited', { invitee_email: invitation.email });\n  \
         trackPicked(user, 'user_invited', { invitee_email: invitation.email });\n}\n",
    );
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(pii, [("views.js".to_string(), 4, 38)], "{report}");
}

/// delayed_job's `handle_asynchronously :track` makes every call of the method a job: a
/// controller calling it does not track while the request waits. Without the declaration (or
/// with it for another method) the same controller call does.
#[test]
fn a_method_made_asynchronous_by_delayed_job_does_not_track_in_the_request() {
    let t = Scratch::new("handle-asynchronously");
    t.write("Gemfile", "gem 'mixpanel-ruby'\n");
    t.write(
        "app/models/mix_panel.rb",
        "class MixPanel\n  class << self\n    def track(event, properties = {}, user_id = nil)\n      \
         tracker = Mixpanel::Tracker.new('token')\n      tracker.track(user_id, event, properties)\n    end\n    \
         handle_asynchronously :track, :queue => 'mixpanel'\n  end\nend\n",
    );
    t.write(
        "app/models/sync_panel.rb",
        "class SyncPanel\n  def self.track(event, properties = {}, user_id = nil)\n    \
         Mixpanel::Tracker.new('token').track(user_id, event, properties)\n  end\n\n  \
         def track(event)\n  end\n  handle_asynchronously :track\nend\n",
    );
    t.write(
        "app/controllers/orders_controller.rb",
        "class OrdersController < ApplicationController\n  def create\n    \
         MixPanel.track('Order Completed', {}, current_user.id)\n    \
         SyncPanel.track('Order Completed', {}, current_user.id)\n  end\nend\n",
    );
    let (in_request, report) = found_by(&t.path, "tracking-in-request-cycle");
    assert_eq!(in_request, [("app/controllers/orders_controller.rb".to_string(), 4, 5)], "{report}");
}

/// One call of the app's function can reach several SDK calls, each through its own chain
/// (`sign_in` tracks through the SDK client and increments through the app's tracker class): a
/// finding at that call names the functions every chain goes through, not one chain picked
/// for all.
#[test]
fn a_finding_at_a_call_reaching_two_chains_names_what_they_share() {
    let t = Scratch::new("shared-chain");
    t.write("Gemfile", "gem 'mixpanel-ruby'\n");
    t.write(
        "app/lib/app_tracker.rb",
        "class AppTracker\n  def increment(user_id, props = {})\n    \
         Mixpanel::Tracker.new('token').people.increment(user_id, props)\n  end\nend\n",
    );
    t.write(
        "app/helpers/sessions_helper.rb",
        "module SessionsHelper\n  def sign_in(user)\n    \
         Mixpanel::Tracker.new('token').track(user.id, 'Sign in')\n    \
         AppTracker.new.increment(user.id, {'Logins' => 1})\n  end\nend\n",
    );
    t.write(
        "app/controllers/sessions_controller.rb",
        "class SessionsController < ApplicationController\n  include SessionsHelper\n\n  def create\n    \
         user = User.create!(params)\n    sign_in user\n    \
         Mixpanel::Tracker.new('token').alias(user.id, cookies[:mp_id])\n  end\nend\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let before_alias: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == "event-before-alias")
        .collect();
    assert_eq!(before_alias.len(), 2, "{report}");
    for d in before_alias {
        let names: Vec<&serde_json::Value> =
            d["via"].as_array().into_iter().flatten().map(|v| &v["name"]).collect();
        assert_eq!(names, [&serde_json::json!("SessionsHelper.sign_in")], "{d}");
        let message = d["message"].as_str().unwrap_or_default();
        assert!(!message.contains("AppTracker"), "{message}");
    }
}

/// `export const analyticsService = new class AnalyticsService { track(..) { .. } }`: a
/// singleton of a class written in place is an instance of that class, so its calls reach the
/// class's methods like those of `new AnalyticsService()`.
#[test]
fn a_singleton_of_a_class_written_in_place_reaches_its_methods() {
    let t = Scratch::new("new-class-expression");
    t.write("package.json", r#"{"dependencies":{"analytics-node":"6"}}"#);
    t.write(
        "src/services/analytics.ts",
        "import Analytics from 'analytics-node';\n\n\
         export const analyticsService = new class AnalyticsService {\n  private analytics: Analytics;\n  \
         constructor() {\n    this.analytics = new Analytics(process.env.KEY);\n  }\n\n  \
         public track(event: string, request: any, properties: object) {\n    \
         this.analytics.track({ event, properties, anonymousId: request.ip });\n  }\n};\n",
    );
    t.write(
        "src/routes/users.ts",
        "import { analyticsService } from '../services/analytics';\n\n\
         export function signup(req, res) {\n  analyticsService.track('User Signed Up', req, { email: req.body.email });\n}\n",
    );
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(pii, [("src/routes/users.ts".to_string(), 4, 51)], "{report}");
    let calls = listed_calls(&t.path);
    let site =
        calls.iter().find(|c| c["path"] == "src/routes/users.ts").unwrap_or_else(|| panic!("{calls:?}"));
    assert_eq!(site["event"], "User Signed Up");
}

/// A function assigned onto a prototype (`Tracker.prototype.track = function ..`) is a method of
/// the class's instances: a call through `new Tracker()` reaches it. One assigned onto
/// `exports` is not a method of anything.
#[test]
fn a_function_assigned_onto_a_prototype_is_a_method_of_its_instances() {
    let t = Scratch::new("prototype-method");
    t.write("package.json", r#"{"dependencies":{"mixpanel-browser":"2"}}"#);
    t.write(
        "tracker.js",
        "import mixpanel from 'mixpanel-browser';\n\nexport function Tracker() {}\n\n\
         Tracker.prototype.track = function (event, props) {\n  mixpanel.track(event, props);\n};\n",
    );
    t.write(
        "page.js",
        "import { Tracker } from './tracker';\n\nconst tracker = new Tracker();\n\n\
         export function go(user) {\n  tracker.track('Page Viewed', { email: user.email });\n}\n",
    );
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(pii, [("page.js".to_string(), 6, 34)], "{report}");
}

/// A class's static accessor giving back what the class keeps on itself
/// (`AnalyticsService.getInstance()` returning `AnalyticsService.instance`) is its singleton:
/// calls through it, chained or held in a variable, reach the class's methods. A static method
/// giving back anything else is not.
#[test]
fn a_singleton_accessor_of_a_class_reaches_its_methods() {
    let t = Scratch::new("singleton-accessor");
    t.write("package.json", r#"{"dependencies":{"analytics-node":"6"}}"#);
    t.write(
        "src/analytics.ts",
        "import Analytics from 'analytics-node';\n\n\
         export default class AnalyticsService {\n  private static instance: AnalyticsService;\n  private analytics: Analytics;\n\n  \
         private constructor() {\n    this.analytics = new Analytics(process.env.KEY);\n  }\n\n  \
         public static getInstance(): AnalyticsService {\n    if (!AnalyticsService.instance) {\n      \
         AnalyticsService.instance = new AnalyticsService();\n    }\n    return AnalyticsService.instance;\n  }\n\n  \
         public static config(): object {\n    return settings.analytics;\n  }\n\n  \
         public track(userId: string, event: string, properties: object): void {\n    \
         this.analytics.track({ userId, event, properties });\n  }\n}\n",
    );
    t.write(
        "src/route.ts",
        "import AnalyticsService from './analytics';\n\n\
         export function signup(user) {\n  AnalyticsService.getInstance().track(user.id, 'User Signed Up', { email: user.email });\n  \
         const analytics = AnalyticsService.getInstance();\n  analytics.track(user.id, 'User Logged In', { email: user.email });\n  \
         AnalyticsService.config().track(user.id, 'User Left', { email: user.email });\n}\n",
    );
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(pii, [("src/route.ts".to_string(), 4, 69), ("src/route.ts".to_string(), 6, 48)], "{report}");
}

/// A Python client injected through the constructor (`def __init__(self, mxp: Mixpanel):
/// self.mxp = mxp`) is the SDK in every method of the class, and a parameter typed with the
/// service class (`service: MixpanelService`) reaches the service's methods.
#[test]
fn a_python_client_injected_by_type_and_a_service_parameter_typed_with_its_class() {
    let t = Scratch::new("python-injected");
    t.write("requirements.txt", "mixpanel\n");
    t.write(
        "services/mixpanel.py",
        "from mixpanel import Mixpanel\n\n\nclass MixpanelService:\n    def __init__(self, mxp: Mixpanel) -> None:\n        \
         self.mxp = mxp\n\n    def track_event(self, merchant_id: int, event_name: str, properties: dict) -> None:\n        \
         self.mxp.track(merchant_id, event_name, properties)\n",
    );
    t.write(
        "views.py",
        "from services.mixpanel import MixpanelService\n\n\ndef handler(service: MixpanelService, user):\n    \
         service.track_event(user.id, 'Merchant Signed Up', {'email': user.email})\n",
    );
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(pii, [("views.py".to_string(), 5, 57)], "{report}");
}

/// A monorepo's apps each import `src/utils/track` against their own `baseUrl`: the
/// specifier names the importing app's file, not the same-named file of a sibling app.
#[test]
fn a_base_url_import_in_a_monorepo_names_the_file_of_its_own_app() {
    let t = Scratch::new("monorepo-base-url");
    let wrapper = "import mixpanel from 'mixpanel-browser';\n\n\
         const track = (event: string, properties: object) => {\n  mixpanel.track(event, properties);\n};\n\n\
         export default track;\n";
    for app in ["ui-new", "ui-next"] {
        t.write(&format!("{app}/package.json"), r#"{"dependencies":{"mixpanel-browser":"2"}}"#);
        t.write(&format!("{app}/src/utils/track.ts"), wrapper);
        t.write(
            &format!("{app}/src/cart.tsx"),
            "import track from 'src/utils/track';\n\nexport function open(user) {\n  \
             track('Cart Opened', { email: user.email });\n}\n",
        );
    }
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(
        pii,
        [("ui-new/src/cart.tsx".to_string(), 4, 26), ("ui-next/src/cart.tsx".to_string(), 4, 26)],
        "{report}"
    );
}

/// A Celery task called with a dict of keywords built just before (`data = dict(event_name=..,
/// **more(request)); log_to_mixpanel.delay(**data)`): the keywords written in the dict are the
/// task's arguments even though the dict spreads others in, and what it spreads stays unknown.
#[test]
fn a_task_called_with_a_dict_of_keywords_takes_the_keywords_written_in_it() {
    let t = Scratch::new("keyword-dict-task");
    t.write("requirements.txt", "mixpanel\ncelery\n");
    t.write(
        "tasks.py",
        "from celery import shared_task\nfrom mixpanel import Mixpanel\n\nmp = Mixpanel('token')\n\n\n\
         @shared_task\ndef log_to_mixpanel(distinct_id, event_name, **data):\n    \
         kwargs = dict(distinct_id=distinct_id, event_name=event_name, properties=data)\n    \
         mp.track(**kwargs)\n",
    );
    t.write(
        "events.py",
        "from tasks import log_to_mixpanel\n\n\ndef page_viewed(request):\n    \
         data = dict(\n        distinct_id=request.user.id,\n        event_name='page_viewed',\n        \
         user_email=request.user.email,\n        **request_data(request))\n    \
         data.update(view_data(request))\n    log_to_mixpanel.delay(**data)\n",
    );
    let (style, report) = found_by(&t.path, "event-name-style");
    assert_eq!(style, [("events.py".to_string(), 7, 20)], "{report}");
    let (pii, report) = personal_data_found(&t.path);
    assert_eq!(pii, [("events.py".to_string(), 8, 20)], "{report}");
}

/// `function getClient() { if (!key) return null; if (_client) return _client; _client = new
/// PostHog(key); return _client; }`: the client a module builds lazily is what calling the
/// function gives, in its file and where it is imported; a function returning something else
/// gives no client.
#[test]
fn a_client_a_javascript_function_builds_lazily_is_what_calling_it_gives() {
    let t = Scratch::new("lazy-client-js");
    t.write("package.json", r#"{"dependencies":{"posthog-node":"3"}}"#);
    t.write(
        "lib/posthog.ts",
        "import { PostHog } from 'posthog-node';\n\nlet _client: PostHog | null = null;\n\n\
         export function getClient(): PostHog | null {\n  const key = process.env.POSTHOG_KEY;\n  \
         if (!key) return null;\n  if (_client) return _client;\n  _client = new PostHog(key);\n  return _client;\n}\n\n\
         function getOther() {\n  return fetch('/x');\n}\n\n\
         export function capture(user) {\n  const client = getClient();\n  \
         client?.capture({ distinctId: user.email, event: 'Report Exported' });\n  \
         getOther().capture({ distinctId: user.email, event: 'Report Exported' });\n}\n",
    );
    t.write(
        "app/route.ts",
        "import { getClient } from '@/lib/posthog';\n\nexport async function POST(user) {\n  \
         getClient()?.capture({ distinctId: user.email, event: 'Source Created' });\n}\n",
    );
    let (found, report) = found_by(&t.path, "email-as-distinct-id");
    assert_eq!(
        found,
        [("app/route.ts".to_string(), 4, 38), ("lib/posthog.ts".to_string(), 19, 33)],
        "{report}"
    );
    // `getOther().capture(..)` is neither the SDK nor the file's own `capture` function.
    assert_eq!(report["summary"]["calls"], 2, "{report}");
}

/// A global Vue mixin's method is listed as a wrapper called bare (no receiver), so the entry
/// `init` writes for it matches the components' `this.trackEvent(..)` once inference is off.
#[test]
fn a_global_mixins_method_is_a_wrapper_called_bare() {
    let list = wrappers("fixtures/templates");
    let mixin = find(&list, "Vue.mixin.trackEvent");
    assert_eq!(mixin["method"], "trackEvent", "{mixin}");
    assert_eq!(mixin.get("receiver"), Some(&serde_json::Value::Null), "{mixin}");
    assert_eq!(mixin["call_sites"], 2, "{mixin}");
}

/// A Django app whose requirements live in `requirements/` (the root file only says
/// `-r requirements/production.txt`), and whose views reach the wrapper module with
/// `from . import segment`: the SDK is listed, and the wrapper is the package's `segment.py`.
#[test]
fn a_requirements_directory_lists_the_sdk_and_from_dot_import_names_a_sibling_module() {
    let t = Scratch::new("requirements-dir-relative-import");
    t.write("requirements.txt", "-r requirements/production.txt\n");
    t.write("requirements/base.in", "Django\nanalytics-python\n");
    t.write("app/__init__.py", "");
    t.write("app/api/__init__.py", "");
    t.write(
        "app/api/segment.py",
        "import analytics\n\n\ndef track(user_id, event, properties=None):\n    \
         analytics.track(user_id, event, properties)\n",
    );
    t.write(
        "app/api/mixins.py",
        "from . import segment\n\n\nclass TrackViewMixin:\n    def dispatch(self, request):\n        \
         segment.track(request.user.email, 'Program Listed', {})\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    assert_eq!(
        findings(&report),
        [("app/api/mixins.py".to_string(), 6, 23, "email-as-distinct-id".to_string())],
        "{report}"
    );
}

/// PostHog's own Next.js example builds the client in a local and returns it
/// (`const posthogClient = new PostHog(..); return posthogClient`), and apps write the same as an
/// arrow function (`const getClient = () => new PostHog(key)`): calling either gives the
/// server client, whose `capture` takes the `distinctId` (not posthog-js's, by the name
/// `posthog`). Python's `client = Mixpanel(token); return client` likewise.
#[test]
fn a_client_returned_from_a_local_or_an_arrow_function_is_what_calling_it_gives() {
    let t = Scratch::new("returned-local-client");
    t.write("package.json", r#"{"dependencies": {"posthog-node": "^4.0.0"}}"#);
    t.write(
        "app/posthog.js",
        "import { PostHog } from 'posthog-node'\n\nexport default function PostHogClient() {\n  \
         const posthogClient = new PostHog(process.env.POSTHOG_KEY, { flushAt: 1 })\n  return posthogClient\n}\n",
    );
    t.write(
        "app/about/page.js",
        "import PostHogClient from '../posthog'\n\nexport default async function About() {\n  \
         const posthog = PostHogClient()\n  posthog.capture({ distinctId: user.email, event: 'About Viewed' })\n}\n",
    );
    t.write(
        "lib/server.ts",
        "import { PostHog } from 'posthog-node'\nexport const getClient = () => new PostHog(process.env.KEY!)\n\
         export function invited(user: User) {\n  getClient().capture({ distinctId: user.email, event: 'Invite Sent' })\n}\n",
    );
    t.write("requirements.txt", "mixpanel==4.10.0\n");
    t.write(
        "jobs/report.py",
        "from mixpanel import Mixpanel\n\n\ndef get_client():\n    client = Mixpanel(TOKEN)\n    return client\n\n\n\
         def report(user):\n    get_client().track(user.email, 'Report Sent')\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    assert_eq!(
        findings(&report),
        [
            ("app/about/page.js".to_string(), 5, 33, "email-as-distinct-id".to_string()),
            ("jobs/report.py".to_string(), 10, 24, "email-as-distinct-id".to_string()),
            ("lib/server.ts".to_string(), 4, 37, "email-as-distinct-id".to_string()),
        ],
        "{report}"
    );
}
