//! Values written away from the call: what `events` lists and what a fix rewrites. The exact
//! findings of each shape are pinned by `fixtures/values`.

mod common;

use common::{Scratch, findings, json, run, run_in};

fn listed(dir: &str) -> Vec<(String, String, u64)> {
    let out = run(&["events", "--format", "json", dir]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    json(&out)["calls"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap_or_default().to_string(),
                c["event"].as_str().unwrap_or("-").to_string(),
                c["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn events_lists_each_name_a_call_can_send_once() {
    let calls = listed("fixtures/values/web");
    let at = |line: u64| -> Vec<&str> {
        calls.iter().filter(|(_, _, l)| *l == line).map(|(_, e, _)| e.as_str()).collect()
    };
    assert_eq!(at(14), ["cart_opened", "Cart Closed"]);
    assert_eq!(at(15), ["checkout_started"]);
    // Two identities, one call: listed once.
    assert_eq!(at(17), ["-"]);
    assert_eq!(at(22), ["Step Viewed", "step_skipped"]);
    // `Object.freeze({..})` is the object it freezes.
    assert_eq!(at(24), ["cart_saved"]);
    let human = String::from_utf8_lossy(&run(&["events", "fixtures/values/web"]).stdout).to_string();
    assert!(human.ends_with("9 tracking calls in 1 file.\n"), "{human}");
}

#[test]
fn the_rename_fix_rewrites_the_literal_where_it_is_assigned() {
    let scratch = Scratch::new("values-fix");
    scratch.write(
        "app.js",
        "import mixpanel from 'mixpanel-browser';\nexport function go(paid) {\n  const name = paid ? 'plan_paid' : 'Plan Free';\n  mixpanel.track(name);\n}\n",
    );
    let out = run_in(&scratch.path, &["check", "--fix", "--unsafe-fixes", "."]);
    assert!(out.status.code().is_some(), "{}", String::from_utf8_lossy(&out.stderr));
    let fixed = std::fs::read_to_string(scratch.path.join("app.js")).unwrap_or_default();
    assert!(fixed.contains("const name = paid ? 'Plan Paid' : 'Plan Free';"), "{fixed}");
    assert!(fixed.contains("mixpanel.track(name);"), "{fixed}");
}

/// An event constant imported under another name (`import { EVENTS as E }`) is the exported
/// constant; an `Object.freeze` table in another file names its events too.
#[test]
fn constants_imported_under_another_name_name_the_event() {
    let t = Scratch::new("constants-alias");
    t.write(
        "app/lib/constants.ts",
        "export const TELEMETRY_EVENTS = Object.freeze({\n  VIEWED_QUESTION: 'ViewedQuestion',\n  FINISHED_SECTION: 'FinishedSection',\n});\n",
    );
    t.write(
        "app/middleware/telemetry.js",
        "import mixpanel from 'mixpanel-browser';\nimport { TELEMETRY_EVENTS } from '../lib/constants';\nimport { TELEMETRY_EVENTS as EVENTS } from '../lib/constants';\nexport function panel() {\n  mixpanel.track(TELEMETRY_EVENTS.FINISHED_SECTION);\n  mixpanel.track(EVENTS.VIEWED_QUESTION);\n}\n",
    );
    let report = json(&run_in(&t.path, &["events", "--format", "json", "."]));
    let events: Vec<&str> = report["calls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c["event"].as_str())
        .collect();
    assert_eq!(events, ["FinishedSection", "ViewedQuestion"]);
}

/// A local set to `None` first and to an event constant in a branch (the shape of onadata's
/// CSV import: `event_name = None`, then `if added > 0: event_name = INSTANCE_CREATE_EVENT`)
/// sends the constant: the `None` sends nothing, as in `x if c else None`.
#[test]
fn a_local_first_set_to_none_names_the_event_its_branch_sets() {
    let scratch = Scratch::new("values-none-first");
    scratch.write(
        "imports.py",
        "import mixpanel\nINSTANCE_CREATE_EVENT = \"Submission created\"\nmp = mixpanel.Mixpanel(TOKEN)\n\ndef done(user, added):\n    event_name = None\n    if added > 0:\n        event_name = INSTANCE_CREATE_EVENT\n        mp.track(user.id, event_name)\n    other = None\n    mp.track(user.id, other)\n",
    );
    let dir = scratch.path.to_string_lossy().to_string();
    let calls = listed(&dir);
    let at = |line: u64| -> Vec<&str> {
        calls.iter().filter(|(_, _, l)| *l == line).map(|(_, e, _)| e.as_str()).collect()
    };
    assert_eq!(at(9), ["Submission created"], "{calls:?}");
    // Only ever `None`: still not a name.
    assert_eq!(at(11), ["-"], "{calls:?}");
}

/// A local set again in a later branch: each call sends the value its own branch set, not
/// every value the local ever held before it (onadata's CSV import sets `event_name` to the
/// created event, tracks, then to the updated event and tracks again). An assignment that may
/// not run (`name = 'B' if c`, inside an `if`) adds its value to what came before.
#[test]
fn a_local_set_again_names_only_the_value_that_reaches_each_call() {
    let scratch = Scratch::new("values-reassigned");
    scratch.write(
        "csv_import.py",
        "import mixpanel\nmp = mixpanel.Mixpanel(TOKEN)\n\ndef done(user, added, updated, c):\n    event_name = None\n    if added > 0:\n        event_name = \"Submission Created\"\n        mp.track(user.id, event_name)\n    if updated > 0:\n        event_name = \"Submission Updated\"\n        mp.track(user.id, event_name)\n    name = \"First Thing\"\n    if c:\n        name = \"Second Thing\"\n    mp.track(user.id, name)\n",
    );
    scratch.write(
        "app/jobs/report.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\ndef report(u, c)\n  name = 'Report Started'\n  TRACKER.track(u.id, name)\n  name = 'Report Done'\n  TRACKER.track(u.id, name)\n  name = 'Report Failed' if c\n  TRACKER.track(u.id, name)\nend\n",
    );
    scratch.write(
        "web/page.js",
        "import mixpanel from 'mixpanel-browser';\nfunction page(c) {\n  let name = 'Page Opened';\n  mixpanel.track(name);\n  name = 'Page Closed';\n  mixpanel.track(name);\n  c && (name = 'Page Lost');\n  mixpanel.track(name);\n}\n",
    );
    let dir = scratch.path.to_string_lossy().to_string();
    let calls = listed(&dir);
    let at = |file: &str, line: u64| -> Vec<&str> {
        let mut events: Vec<&str> = calls
            .iter()
            .filter(|(f, _, l)| f.ends_with(file) && *l == line)
            .map(|(_, e, _)| e.as_str())
            .collect();
        events.sort();
        events
    };
    assert_eq!(at("csv_import.py", 8), ["Submission Created"], "{calls:?}");
    assert_eq!(at("csv_import.py", 11), ["Submission Updated"], "{calls:?}");
    assert_eq!(at("csv_import.py", 15), ["First Thing", "Second Thing"], "{calls:?}");
    assert_eq!(at("report.rb", 4), ["Report Started"], "{calls:?}");
    assert_eq!(at("report.rb", 6), ["Report Done"], "{calls:?}");
    assert_eq!(at("report.rb", 8), ["Report Done", "Report Failed"], "{calls:?}");
    assert_eq!(at("page.js", 4), ["Page Opened"], "{calls:?}");
    assert_eq!(at("page.js", 6), ["Page Closed"], "{calls:?}");
    assert_eq!(at("page.js", 8), ["Page Closed", "Page Lost"], "{calls:?}");
}

/// An event constant defined in a module that holds no tracking call, reaching the call
/// through a local (`event_name = INSTANCE_CREATE_EVENT` imported from `common_tags.py`):
/// that module is read for its constants too.
#[test]
fn a_constant_reaching_a_call_through_a_local_is_read_from_its_own_module() {
    let scratch = Scratch::new("values-constant-local");
    scratch.write("common_tags.py", "INSTANCE_CREATE_EVENT = \"Submission created\"\nOTHER = 1\n");
    scratch.write(
        "csv_import.py",
        "import mixpanel\nfrom common_tags import INSTANCE_CREATE_EVENT\nmp = mixpanel.Mixpanel(TOKEN)\n\ndef done(user, added):\n    event_name = None\n    if added > 0:\n        event_name = INSTANCE_CREATE_EVENT\n        mp.track(user.id, event_name)\n",
    );
    let dir = scratch.path.to_string_lossy().to_string();
    let calls = listed(&dir);
    assert_eq!(
        calls.iter().map(|(_, e, l)| (e.as_str(), *l)).collect::<Vec<_>>(),
        [("Submission created", 9)],
        "{calls:?}"
    );
}

/// A call's own properties or event held by a local set from a function of the same file that
/// gives its argument back are that argument; a function that sets the parameter again gives
/// back something else.
#[test]
fn a_value_passed_through_a_function_that_returns_its_argument_is_the_argument() {
    let t = Scratch::new("values-passed-back");
    t.write("requirements.txt", "mixpanel\n");
    t.write(
        "app.py",
        "from mixpanel import Mixpanel\nmp = Mixpanel('t')\n\n\
         def stamp(data):\n    data['source'] = 'web'\n    return data\n\n\
         def lower(name):\n    name = name.lower()\n    return name\n\n\
         def invite(user):\n    props = stamp({'email': user.email})\n    mp.track(user.id, 'User Invited', props)\n\n\
         def shout(user):\n    event = lower('Signed_Up')\n    mp.track(user.id, event)\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let found: Vec<(u64, String)> =
        findings(&report).into_iter().map(|(_, line, _, rule)| (line, rule)).collect();
    assert!(found.contains(&(13, "pii-in-event-properties".to_string())), "{report}");
    // The lowered name is not the literal: nothing is said about `Signed_Up`'s style.
    assert!(!found.iter().any(|(line, rule)| *line == 17 && rule == "event-name-style"), "{report}");
}

/// Ruby: a method gives back its last expression; a `return` of something else, also from
/// inside a block (which returns from the method), makes it give back something else.
#[test]
fn a_ruby_method_whose_last_expression_is_its_argument_gives_it_back() {
    let t = Scratch::new("values-passed-back-ruby");
    t.write("Gemfile", "gem 'mixpanel-ruby'\n");
    t.write(
        "app/a.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['MIXPANEL_TOKEN'])\n\n\
         def stamp(props)\n  props[:source] = 'web'\n  props\nend\n\n\
         def early(props)\n  return {} if props.nil?\n  props\nend\n\n\
         def through(items, props)\n  items.each { |i| return i if i }\n  props\nend\n\n\
         def invite(user)\n  data = stamp({ 'email' => user.email })\n  TRACKER.track(user.id, 'User Invited', data)\n  \
         other = early({ 'email' => user.email })\n  TRACKER.track(user.id, 'User Left', other)\n  \
         third = through([], { 'email' => user.email })\n  TRACKER.track(user.id, 'User Joined', third)\nend\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let pii: Vec<u64> = findings(&report)
        .into_iter()
        .filter(|f| f.3 == "pii-in-event-properties")
        .map(|(_, line, _, _)| line)
        .collect();
    assert_eq!(pii, [19], "{report}");
}

/// A call site that can send either of two events is two calls (`events` lists both), but a
/// finding about the site itself (it tracks in the request) is the same finding from each:
/// reported once.
#[test]
fn a_finding_about_a_call_sending_one_of_two_events_is_reported_once() {
    let t = Scratch::new("values-two-events");
    t.write("requirements.txt", "mixpanel\n");
    t.write(
        "views.py",
        "from mixpanel import Mixpanel\nmp = Mixpanel('token')\n\n\
         def resolve(request, comment):\n    mp.track(str(request.user.id), 'Resolved Comment' if comment.done else 'Reopened Comment')\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let found: Vec<(String, u64, u64, String)> = findings(&report);
    assert_eq!(found, [("views.py".to_string(), 5, 5, "tracking-in-request-cycle".to_string())], "{report}");
    let events = json(&run_in(&t.path, &["events", "--isolated", "--format", "json", "."]));
    assert_eq!(events["calls"].as_array().map(Vec::len), Some(2), "{events}");
}

/// A function of the file whose returns a caller can read (`return user.email or user.username`,
/// `return "anonymous"`, a Ruby method's last expression) gives those values at its call, its
/// parameter replaced by the argument: an identity made by `get_user_id(request.user)` is
/// `request.user.email`. A function returning its own local, or something of `self`, gives
/// nothing that can be read there.
#[test]
fn a_value_a_function_returns_is_read_at_its_call_with_the_argument_in_place() {
    let t = Scratch::new("values-given-back");
    t.write("requirements.txt", "analytics-python\n");
    t.write(
        "tracking.py",
        "import analytics\n\n\
         def get_user_id(user):\n    if user:\n        return user.email or user.username\n    return 'anonymous'\n\n\
         def own_local(user):\n    found = user.email\n    return found\n\n\
         def of_self(user):\n    return self.email\n\n\
         def event_for(kind):\n    if kind == 'a':\n        return 'Order Created'\n    return 'order_updated'\n\n\
         def identify(request):\n    analytics.identify(get_user_id(request.user), {})\n    \
         analytics.identify(own_local(request.user), {})\n    analytics.identify(of_self(request.user), {})\n    \
         analytics.track(str(request.user.id), event_for(request.kind), {})\n",
    );
    t.write("Gemfile", "gem 'mixpanel-ruby'\n");
    t.write(
        "app/a.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['MIXPANEL_TOKEN'])\n\n\
         def distinct_id(user)\n  user.email\nend\n\n\
         def sign_in(user)\n  TRACKER.track(distinct_id(user), 'Signed In')\nend\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let found: Vec<(String, u64, u64, String)> = findings(&report)
        .into_iter()
        .filter(|f| f.3 == "email-as-distinct-id" || f.3 == "event-name-style")
        .collect();
    let at = |path: &str, line, column, rule: &str| (path.to_string(), line, column, rule.to_string());
    assert_eq!(
        found,
        [
            at("app/a.rb", 8, 17, "email-as-distinct-id"),
            at("tracking.py", 21, 24, "email-as-distinct-id"),
            at("tracking.py", 21, 24, "email-as-distinct-id"),
            at("tracking.py", 24, 43, "event-name-style"),
        ],
        "{report}"
    );
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == "email-as-distinct-id")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(messages.iter().any(|m| m.starts_with("`request.user.email` (an email)")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("`user.email` (an email)")), "{messages:?}");
}

/// The same through the app's wrapper: `track(user, event)` sending `distinct_id(user)` makes a
/// call site's identity the path the function returns, built from the site's argument.
#[test]
fn a_value_a_function_returns_inside_a_wrapper_is_read_at_the_wrappers_call() {
    let t = Scratch::new("values-given-back-wrapper");
    t.write("requirements.txt", "analytics-python\n");
    t.write(
        "tracking.py",
        "import analytics\n\n\
         def distinct_id(user):\n    return user.email\n\n\
         def track(user, event, properties=None):\n    analytics.track(distinct_id(user), event, properties or {})\n",
    );
    t.write(
        "views.py",
        "from tracking import track\n\ndef signup(request):\n    track(request.user, 'Signed Up')\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let at_site: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == "email-as-distinct-id" && d["path"] == "views.py")
        .collect();
    assert_eq!(at_site.len(), 1, "{report}");
    assert_eq!((&at_site[0]["line"], &at_site[0]["column"]), (&serde_json::json!(4), &serde_json::json!(11)));
    assert!(at_site[0]["message"].as_str().is_some_and(|m| m.starts_with("`request.user.email` (an email)")));
}

/// A Ruby method of the class whose only expression is a hash, also filtered
/// (`{ email: user.email }.reject { |_, v| v.blank? }`), gives that hash to the class's calls
/// that send it (`properties: user_traits`): each key is sent whenever its value is present.
#[test]
fn a_ruby_method_returning_a_filtered_hash_gives_its_keys() {
    let t = Scratch::new("values-filtered-hash");
    t.write("Gemfile", "gem 'analytics-ruby'\n");
    t.write(
        "app/models/analytics.rb",
        "class Analytics\n  BACKEND = Segment::Analytics.new(write_key: 'k')\n\n  def initialize(user)\n    @user = user\n  end\n\n  \
         def track_user_creation\n    BACKEND.track(user_id: @user.id, event: 'Create User', properties: user_traits)\n  end\n\n  \
         def track_sign_in\n    BACKEND.track(user_id: @user.id, event: 'Sign In', properties: plan_traits)\n  end\n\n  \
         private\n\n  def user_traits\n    { email: @user.email }.reject { |_, value| value.blank? }\n  end\n\n  \
         def plan_traits\n    { plan: @user.plan }.map { |k, v| [k, v] }\n  end\nend\n",
    );
    let report = json(&run_in(&t.path, &["check", "--isolated", "--format", "json", "."]));
    let pii: Vec<(String, u64, u64)> = findings(&report)
        .into_iter()
        .filter(|f| f.3 == "pii-in-event-properties")
        .map(|(path, line, column, _)| (path, line, column))
        .collect();
    assert_eq!(pii, [("app/models/analytics.rb".to_string(), 19, 7)], "{report}");
}
