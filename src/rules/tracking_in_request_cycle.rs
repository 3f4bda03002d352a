//! ## What it does
//! Finds direct server-side Mixpanel SDK calls made while a web request is being handled,
//! where each call is an HTTP request to the analytics API before the response can go out.
//! (Segment's, PostHog's and Amplitude's server libraries queue and send from a background
//! worker, so they do not fire.) Request code is recognised by its syntax: a callback passed
//! to `app.get('/path', ..)`, `router.post(..)`, `fastify.put(..)`; a Python function whose
//! first parameter is `request` (Django views) or under a route decorator (`@app.route`,
//! `@app.get`, `@api_view`); a Rust function with a route attribute (`#[get("/")]`) or an
//! extractor parameter (`Json<..>`, `State<..>`, `HttpRequest`); and by where it lives: Rails
//! controllers (`app/controllers/`), `views.py`, `views/`, `routes.py`, `routes/`,
//! `controllers/`, `pages/api/`, `app/**/route.ts`, Rust `handlers/`.
//!
//! Which clients queue is each SDK profile's `[init]` (`queues`, `queues_with_block`,
//! `queues_with`). A client that does not send synchronously does not fire: a `Mixpanel::Tracker.new` with a
//! consumer block (the documented way to hand messages to a job queue), a mixpanel-python
//! client built with a `consumer=` (such as a `BufferedConsumer`), or any call through a team's
//! declared wrapper (it may enqueue a job). Nor does a call that reaches the SDK through a job:
//! an enqueue (`perform_later`, `perform_async`, `.delay`) or a method delayed_job runs as a job
//! at every call (`handle_asynchronously :track` in its class). Browser SDKs never fire.
//!
//! ## Why is this bad?
//! A synchronous call to the analytics API adds its latency to every request, and when the API
//! is slow or down the request fails with it. Tracking belongs in a background job or a
//! buffered consumer.
//!
//! ## Example
//! ```ruby
//! class OrdersController < ApplicationController
//!   def create
//!     TRACKER.track(current_user.id, 'Order Completed')
//!   end
//! end
//! ```
//!
//! Use instead:
//! ```ruby
//! class OrdersController < ApplicationController
//!   def create
//!     TrackEventJob.perform_later(current_user.id, 'Order Completed')
//!   end
//! end
//! ```
//!
//! ## Fix safety
//! No automatic fix: the job or consumer has to exist first.

use super::RuleSettings;
use super::{FixAvailability, ProjectCalls, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, Platform};

pub struct TrackingInRequestCycle;

static META: RuleMeta = RuleMeta {
    id: "tracking-in-request-cycle",
    module: module_path!(),
    practice: 2,
    default_severity: Severity::Info,
    summary: "Server-side tracking runs in a background job or buffered consumer, not in the request",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import, CallKind::Alias],
    scope: Scope::Project,
    options: &super::options::NO_OPTIONS,
};

impl Rule for TrackingInRequestCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(
        &self,
        project: &ProjectCalls,
        _settings: &RuleSettings,
        severity: Severity,
        out: &mut Vec<(usize, Diagnostic)>,
    ) {
        // An SDK whose client is built to queue anywhere in the project (a consumer block, a
        // `consumer=`) sends off the request everywhere: which client a call uses is not known.
        let queued_sdks: std::collections::HashSet<&str> = project
            .files
            .iter()
            .flat_map(|f| f.calls)
            .filter(|c| c.kind == CallKind::Init && c.queued)
            .map(|c| c.sdk.as_str())
            .collect();
        for (f, file) in project.files.iter().enumerate() {
            for call in file.calls.iter().filter(|c| {
                META.kinds.contains(&c.kind) && c.platform == Platform::Server && !c.context.deferred
            }) {
                let Some(context) =
                    call.context.file_request.or(call.context.request_handler.then_some("a request handler"))
                else {
                    continue;
                };
                // SDKs that queue (their profile says so) never make the request wait; a team's
                // wrapper may enqueue a job, so it is not reported either.
                let declared_wrapper = project.profiles.get(&call.sdk).is_none_or(|p| p.wrapper.is_some());
                if call.queued || declared_wrapper || queued_sdks.contains(call.sdk.as_str()) {
                    continue;
                }
                out.push((
                    f,
                    Diagnostic::new(
                        META.id,
                        severity,
                        call.span,
                        format!("`{}` sends to the analytics API from {context}, while the request waits", call.method),
                        "enqueue a background job that tracks, or build the client with a consumer that queues (a `Tracker.new` block, a BufferedConsumer)"
                            .to_string(),
                    )
                    .with_label("a synchronous call in the request"),
                ));
            }
        }
    }
}
