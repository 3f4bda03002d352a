//! What a run shows while it works: a progress bar for long runs, phase timings on demand.

/// A progress bar on stderr, drawn only once a run has taken a second (short runs, pipes and
/// CI logs never see it).
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    pub fn new(enabled: bool, files: usize) -> Self {
        let bar = enabled.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(files as u64),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} linting {pos}/{len} files {wide_bar} {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, start: std::time::Instant::now(), shown: std::sync::atomic::AtomicBool::new(false) }
    }

    pub fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.start.elapsed() > std::time::Duration::from_secs(1)
            && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Phase timings on stderr when `TRACKLINT_TIMINGS` is set: where a slow run spends its time.
pub struct Timings {
    last: Option<std::cell::Cell<std::time::Instant>>,
}

/// The process's resident memory now and at its peak, where the system says (Linux): where the
/// bytes of a run go, phase by phase.
fn memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().trim_end_matches(" kB").trim().to_string())
    };
    let kb = |v: String| v.parse::<u64>().ok().map(|k| format!("{:.1}", k as f64 / 1024.0));
    Some(format!(" (RSS {} MB, peak {} MB)", kb(field("VmRSS:")?)?, kb(field("VmHWM:")?)?))
}

impl Timings {
    pub fn from_env() -> Self {
        let on = std::env::var_os("TRACKLINT_TIMINGS").is_some_and(|v| !v.is_empty());
        Timings { last: on.then(|| std::cell::Cell::new(std::time::Instant::now())) }
    }

    pub fn mark(&self, phase: &str) {
        if let Some(last) = &self.last {
            let now = std::time::Instant::now();
            eprintln!(
                "timing: {phase}: {:.1} ms{}",
                (now - last.get()).as_secs_f64() * 1000.0,
                memory().unwrap_or_default()
            );
            last.set(now);
        }
    }

    pub fn enabled(&self) -> bool {
        self.last.is_some()
    }

    /// A line of its own (counts, decisions), not timed.
    pub fn note(&self, text: &str) {
        if self.last.is_some() {
            eprintln!("timing: {text}");
        }
    }
}
