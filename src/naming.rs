//! Event-name styles: checking a name against a convention and rewriting it into one.

/// Short all-caps words kept as they are when rewriting (`SMS Code Sent`).
const ACRONYMS: &[&str] = &[
    "AI", "API", "APIS", "CSV", "CTA", "FAQ", "ID", "IDS", "IOS", "IP", "JSON", "OTP", "PDF", "QR", "SDK",
    "SMS", "SSO", "UI", "URL", "URLS", "UTM", "UX", "2FA", "MFA", "B2B", "CRM", "GDPR", "HTML", "HTTP",
    "PIN", "VIP", "USB", "TV", "OS", "AB", "SEO", "KYC", "NPS", "ACH", "PR", "CV", "XML",
];

/// Brand and product names whose inner capitals are not camelCase.
const MIXED_CASE_WORDS: &[&str] = &[
    "GitHub",
    "LaTeX",
    "BibTeX",
    "GitLab",
    "LinkedIn",
    "YouTube",
    "PayPal",
    "JavaScript",
    "TypeScript",
    "WordPress",
    "HubSpot",
    "QuickBooks",
    "TikTok",
    "WhatsApp",
    "PostHog",
    "DocuSign",
    "SendGrid",
    "MailChimp",
    "FaceTime",
    "PlayStation",
    "OAuth",
    "PowerPoint",
    "OneDrive",
    "SharePoint",
    "DropBox",
    "BigQuery",
    "ChatGPT",
    "OpenAI",
    "AirPods",
    "MacBook",
    "AppStore",
    "FedEx",
    "SoundCloud",
    "SalesForce",
    "ZenDesk",
    "TurboTax",
    "DoorDash",
    "SoFi",
];

/// What makes a name fail the `readable` style, in words a newcomer understands.
pub fn readable_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("is empty");
    }
    if name.starts_with(char::is_whitespace)
        || name.ends_with(char::is_whitespace)
        || name.contains("  ")
        || name.chars().any(|c| c.is_whitespace() && c != ' ')
    {
        return Some("has stray whitespace");
    }
    let has_lower = name.chars().any(|c| c.is_lowercase());
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    // `signup:pricing_viewed` is a namespaced name first, whatever its parts look like.
    if name.contains(':') {
        return Some("uses a colon namespace");
    }
    if name.contains('_') {
        return Some(if has_lower { "is snake_case" } else { "is SCREAMING_CASE" });
    }
    let has_space = name.contains(' ');
    if has_path_separator(name) && !(has_space && slashes_join_words(name)) {
        return Some("is a dotted or slash path");
    }
    // `Re-subscribed` is a hyphenated word; `signed-up`, `Signup-Done` and `User-Signed-Up`
    // are kebab-case.
    if !has_space && name.contains('-') {
        let parts: Vec<&str> = name.split('-').collect();
        let capitalised = name.chars().next().is_some_and(char::is_uppercase);
        let compound = parts.len() == 2 && parts[1].chars().next().is_some_and(char::is_lowercase);
        if !(capitalised && compound) {
            return Some("is kebab-case");
        }
    }
    if letters >= 2 && !has_lower {
        return Some("is in all caps");
    }
    if name.split(' ').any(is_camel_word) {
        return Some(if has_space { "contains a camelCase word" } else { "is camelCase" });
    }
    if !has_space && name.chars().next().is_some_and(|c| c.is_lowercase()) {
        return Some("is a lone lower-case identifier");
    }
    None
}

/// In a phrase, `Stop/Start` and `Sign In/Sign Up` are alternatives, not a path: every `/`
/// joins words that start with a capital or a digit, and there is no `.` path.
fn slashes_join_words(name: &str) -> bool {
    let starts_word = |s: &str| s.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    !name.split(' ').any(|w| w.contains('.') && w.chars().filter(|c| c.is_alphabetic()).count() > 1)
        && name
            .split(' ')
            .filter(|w| w.contains('/'))
            .all(|w| w.split('/').all(|part| part.is_empty() || starts_word(part)))
        && name.split('/').skip(1).all(starts_word)
}

/// A `.` or `/` with word characters on both sides (`order.completed`, `util/Metrics`).
fn has_path_separator(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    chars.windows(3).any(|w| {
        (w[1] == '.' || w[1] == '/')
            && w[0].is_alphanumeric()
            && w[2].is_alphanumeric()
            && !(w[0].is_ascii_digit() && w[2].is_ascii_digit())
    })
}

/// `signedUp`, `PostalCode`: a lower-case letter followed by a capital inside one word.
fn is_camel_word(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    if MIXED_CASE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(core) && *w == core) {
        return false;
    }
    let chars: Vec<char> = core.chars().collect();
    // `iOS`, `iPhone`, `eBay`: one lower-case prefix letter on a capitalised word.
    if chars.len() >= 3 && chars[0].is_lowercase() && chars[1].is_uppercase() {
        return false;
    }
    // `APIs`, `URLs`: a plural acronym.
    if chars.len() >= 3
        && chars[chars.len() - 1] == 's'
        && chars[..chars.len() - 1].iter().all(|c| c.is_uppercase())
    {
        return false;
    }
    chars.windows(2).any(|w| w[0].is_lowercase() && w[1].is_uppercase())
}

/// Splits any machine-style name into words: separators, camel humps, acronym boundaries.
/// Case, separators and whitespace removed: `User Signed-Up` and `user_signed_up` agree.
pub fn normalize(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            // `signedUp` is two words.
            if c.is_uppercase() && previous_lower && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = c.is_lowercase();
            current.extend(c.to_lowercase());
        } else {
            previous_lower = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.join(" ")
}

pub fn split_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in name.split(|c: char| c.is_whitespace() || matches!(c, '_' | '-' | '.' | '/' | ':' | '|')) {
        if chunk.is_empty() {
            continue;
        }
        if MIXED_CASE_WORDS.contains(&chunk) || !is_camel_word(chunk) && !has_inner_hump(chunk) {
            words.push(chunk.to_string());
            continue;
        }
        let chars: Vec<char> = chunk.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if c.is_uppercase() => {
                    p.is_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
                }
                _ => false,
            };
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() {
            words.push(current);
        }
    }
    words
}

fn has_inner_hump(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(2).any(|w| w[0].is_lowercase() && w[1].is_uppercase())
}

fn capitalize(word: &str) -> String {
    let upper = word.to_uppercase();
    if ACRONYMS.contains(&upper.as_str()) && word.len() <= 4 && word.chars().all(|c| !c.is_lowercase()) {
        return word.to_string();
    }
    if MIXED_CASE_WORDS.contains(&word)
        || (word.len() >= 3 && {
            let c: Vec<char> = word.chars().collect();
            c[0].is_lowercase() && c[1].is_uppercase()
        })
    {
        return word.to_string();
    }
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Rewrites a name as a Title Case phrase: `signed_up` → `Signed Up`.
pub fn to_title_phrase(name: &str) -> String {
    split_words(name).iter().map(|w| capitalize(w)).collect::<Vec<_>>().join(" ")
}

/// An event-naming convention (`[rules.event-name-style] style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameStyle {
    /// Title Case or Sentence case phrases: `User Signed Up`, `Contribution confirmed`.
    Readable,
    /// `User Signed Up`.
    Title,
    /// `User signed up`.
    Sentence,
    /// `user_signed_up` (Mixpanel's current docs: `object_action`).
    Snake,
    /// `userSignedUp`.
    Camel,
    /// `user-signed-up`.
    Kebab,
    /// Segment's Object Action: a Title Case object, then a past-tense action, `Order Completed`.
    ObjectActionTitle,
}

/// Small words a Title Case phrase may keep lower-case after its first word.
const MINOR_WORDS: &[&str] =
    &["a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "with", "at", "by", "from", "via", "per"];

/// Past participles that do not end in -ed.
const IRREGULAR_PAST: &[&str] = &[
    "Sent",
    "Built",
    "Paid",
    "Made",
    "Won",
    "Lost",
    "Begun",
    "Done",
    "Seen",
    "Shown",
    "Read",
    "Set",
    "Taken",
    "Given",
    "Bought",
    "Sold",
    "Held",
    "Left",
    "Kept",
    "Met",
    "Run",
    "Put",
    "Cut",
    "Written",
    "Chosen",
    "Forgotten",
    "Hidden",
    "Drawn",
    "Spent",
    "Found",
    "Won",
    "Sent",
    "Shared",
    "Reset",
    "Quit",
    "Split",
];

fn is_acronym(word: &str) -> bool {
    word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn is_capitalized(word: &str) -> bool {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => {
            is_acronym(word) || chars.all(|c| !c.is_uppercase()) || MIXED_CASE_WORDS.contains(&word)
        }
        _ => false,
    }
}

fn is_lower_word(word: &str) -> bool {
    word.chars().all(|c| c.is_lowercase() || c.is_ascii_digit())
        || is_acronym(word)
        || MIXED_CASE_WORDS.contains(&word)
}

fn phrase_words(name: &str) -> Option<Vec<&str>> {
    if name.is_empty() || name.starts_with(' ') || name.ends_with(' ') || name.contains("  ") {
        return None;
    }
    let words: Vec<&str> = name.split(' ').collect();
    words
        .iter()
        .all(|w| w.chars().all(|c| c.is_alphanumeric() || matches!(c, '\'' | '&' | '+')))
        .then_some(words)
}

fn matches_shape(name: &str, separator: char) -> bool {
    !name.is_empty()
        && name.split(separator).all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

impl NameStyle {
    /// Every style, in the order the docs list them.
    pub const ALL: [NameStyle; 7] = [
        NameStyle::Readable,
        NameStyle::Title,
        NameStyle::Sentence,
        NameStyle::Snake,
        NameStyle::Camel,
        NameStyle::Kebab,
        NameStyle::ObjectActionTitle,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NameStyle::Readable => "readable",
            NameStyle::Title => "title",
            NameStyle::Sentence => "sentence",
            NameStyle::Snake => "snake",
            NameStyle::Camel => "camel",
            NameStyle::Kebab => "kebab",
            NameStyle::ObjectActionTitle => "object-action-title",
        }
    }

    /// An example name in this style, for messages.
    pub fn example(self) -> &'static str {
        match self {
            NameStyle::Readable | NameStyle::Title | NameStyle::ObjectActionTitle => "User Signed Up",
            NameStyle::Sentence => "User signed up",
            NameStyle::Snake => "user_signed_up",
            NameStyle::Camel => "userSignedUp",
            NameStyle::Kebab => "user-signed-up",
        }
    }

    /// Why `name` breaks this style, or `None` when it follows it.
    pub fn problem(self, name: &str) -> Option<String> {
        let fail = |what: &str| Some(format!("is not {what} (e.g. `{}`)", self.example()));
        match self {
            NameStyle::Readable => readable_problem(name).map(str::to_string),
            NameStyle::Title => {
                let Some(words) = phrase_words(name) else { return fail("a Title Case phrase") };
                let ok = words
                    .iter()
                    .enumerate()
                    .all(|(i, w)| is_capitalized(w) || (i > 0 && MINOR_WORDS.contains(w)));
                if ok { None } else { fail("a Title Case phrase") }
            }
            NameStyle::Sentence => {
                let Some(words) = phrase_words(name) else { return fail("a Sentence case phrase") };
                let ok = words.first().is_some_and(|w| is_capitalized(w))
                    && words.iter().skip(1).all(|w| is_lower_word(w));
                if ok { None } else { fail("a Sentence case phrase") }
            }
            NameStyle::Snake => {
                if matches_shape(name, '_') {
                    None
                } else {
                    fail("snake_case")
                }
            }
            NameStyle::Kebab => {
                if matches_shape(name, '-') {
                    None
                } else {
                    fail("kebab-case")
                }
            }
            NameStyle::Camel => {
                let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric());
                if ok { None } else { fail("camelCase") }
            }
            NameStyle::ObjectActionTitle => {
                if NameStyle::Title.problem(name).is_some() {
                    return fail("an Object Action phrase in Title Case");
                }
                let words: Vec<&str> = name.split(' ').collect();
                let last = words.last().copied().unwrap_or_default();
                let past = last.ends_with("ed") || IRREGULAR_PAST.contains(&last);
                if words.len() >= 2 && past {
                    None
                } else {
                    fail("an Object Action phrase ending in a past-tense action")
                }
            }
        }
    }

    /// The rename a fix proposes: `name` in this style, when that passes the style (a name with
    /// no words to keep, or whose words cannot be put in the style, gets none). Applying it again
    /// changes nothing: `fix ∘ fix = fix`.
    pub fn suggestion(self, name: &str) -> Option<String> {
        let converted = self.convert(name);
        if !converted.is_empty() && self.problem(&converted).is_none() {
            return Some(converted);
        }
        // `a_b` reads as the all-caps `A B` in Title Case; in Sentence case it is `A b`.
        if matches!(self, NameStyle::Readable) {
            let sentence = NameStyle::Sentence.convert(name);
            if !sentence.is_empty() && self.problem(&sentence).is_none() {
                return Some(sentence);
            }
        }
        None
    }

    /// `name` rewritten in this style; empty when there are no words to keep.
    pub fn convert(self, name: &str) -> String {
        let words = split_words(name);
        let lower: Vec<String> =
            words.iter().map(|w| if is_acronym(w) { w.clone() } else { w.to_lowercase() }).collect();
        match self {
            NameStyle::Readable | NameStyle::Title | NameStyle::ObjectActionTitle => to_title_phrase(name),
            NameStyle::Sentence => lower
                .iter()
                .enumerate()
                .map(|(i, w)| if i == 0 { capitalize(w) } else { w.clone() })
                .collect::<Vec<_>>()
                .join(" "),
            NameStyle::Snake => words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("_"),
            NameStyle::Kebab => words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("-"),
            NameStyle::Camel => words
                .iter()
                .enumerate()
                .map(|(i, w)| if i == 0 { w.to_lowercase() } else { capitalize(&w.to_lowercase()) })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_names_pass() {
        for name in [
            "User Signed Up",
            "Contribution confirmed",
            "web hook called",
            "Activation",
            "SMS Code Sent",
            "iOS App Opened",
            "Viewed Home Page",
            "Step 2 Completed",
            "Connected GitHub Account",
            "Exported CSV",
            "Opened APIs Page",
            "404 Page Viewed",
            "Upgraded to v2.1",
            "Opt-In Confirmed",
        ] {
            assert_eq!(readable_problem(name), None, "{name}");
        }
    }

    #[test]
    fn machine_names_fail_with_the_reason() {
        for (name, why) in [
            ("signed_up", "is snake_case"),
            ("SIGNED_UP", "is SCREAMING_CASE"),
            ("signed-up", "is kebab-case"),
            ("billing:plan_changed:click", "uses a colon namespace"),
            ("User-Signed-Up", "is kebab-case"),
            ("Signup-Done", "is kebab-case"),
            ("Sign in/signup", "is a dotted or slash path"),
            ("signedUp", "is camelCase"),
            ("SignedUp", "is camelCase"),
            ("Changed PostalCode", "contains a camelCase word"),
            ("order.completed", "is a dotted or slash path"),
            ("util/MetricsUtil", "is a dotted or slash path"),
            ("Modal: Create", "uses a colon namespace"),
            ("login", "is a lone lower-case identifier"),
            ("REQUEST DEMO", "is in all caps"),
            ("User  Signed Up", "has stray whitespace"),
            (" User Signed Up", "has stray whitespace"),
            ("", "is empty"),
        ] {
            assert_eq!(readable_problem(name), Some(why), "{name}");
        }
    }

    #[test]
    fn rewrites_into_title_phrases() {
        for (from, to) in [
            ("signed_up", "Signed Up"),
            ("SIGNED_UP", "Signed Up"),
            ("signedUp", "Signed Up"),
            ("SignedUp", "Signed Up"),
            ("order.completed", "Order Completed"),
            ("Modal: Create", "Modal Create"),
            ("REQUEST DEMO", "Request Demo"),
            ("sms_code_sent", "Sms Code Sent"),
            ("SMS_CODE_SENT", "SMS Code Sent"),
            ("Changed PostalCode", "Changed Postal Code"),
            ("login", "Login"),
            ("parseHTMLPage", "Parse HTML Page"),
            ("User  Signed Up ", "User Signed Up"),
        ] {
            assert_eq!(to_title_phrase(from), to, "{from}");
        }
    }

    #[test]
    fn each_style_accepts_its_convention_and_rejects_the_others() {
        let samples = [
            (NameStyle::Title, "User Signed Up"),
            (NameStyle::Sentence, "User signed up"),
            (NameStyle::Snake, "user_signed_up"),
            (NameStyle::Camel, "userSignedUp"),
            (NameStyle::Kebab, "user-signed-up"),
        ];
        for (style, good) in samples {
            assert_eq!(style.problem(good), None, "{} rejects {good}", style.name());
            for (other, bad) in samples {
                if other != style {
                    assert!(style.problem(bad).is_some(), "{} accepts {bad}", style.name());
                }
            }
            assert_eq!(style.convert("user_signed_up"), good, "{} conversion", style.name());
        }
        assert_eq!(NameStyle::ObjectActionTitle.problem("Order Completed"), None);
        assert_eq!(NameStyle::ObjectActionTitle.problem("Invite Sent"), None);
        assert!(NameStyle::ObjectActionTitle.problem("Complete Order").is_some());
        assert!(NameStyle::ObjectActionTitle.problem("order_completed").is_some());
        assert_eq!(NameStyle::Title.problem("Time to First Value Reached"), None);
        assert_eq!(NameStyle::Sentence.problem("SMS code sent"), None);
        assert_eq!(NameStyle::Readable.problem("Contribution confirmed"), None);
        // Alternatives and hyphenated words in a readable phrase.
        assert_eq!(NameStyle::Readable.problem("Video Stop/Start"), None);
        assert_eq!(NameStyle::Readable.problem("Sign In/Sign Up Viewed"), None);
        assert_eq!(NameStyle::Readable.problem("Re-subscribed"), None);
        assert_eq!(NameStyle::Readable.problem("Plan Re-Activated"), None);
        assert!(NameStyle::Readable.problem("signed_up").is_some());
    }
}

#[cfg(test)]
mod convergence_tests {
    use super::NameStyle;

    /// Every name of up to four characters over an alphabet of the shapes that matter: cases,
    /// digits, separators, a space.
    fn generated() -> Vec<String> {
        let alphabet = ['a', 'B', 'c', '1', '_', '-', '.', ' ', ':', 'D'];
        let mut names = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..4 {
            let mut next = Vec::new();
            for n in &names {
                for c in alphabet {
                    let mut m = n.clone();
                    m.push(c);
                    all.push(m.clone());
                    next.push(m);
                }
            }
            names = next;
        }
        all.extend(
            ["a_b", "signed_up", "SIGN_UP", "iOS_app_opened", "x_y_z", "order.completed", "A_B_C"]
                .map(String::from),
        );
        all
    }

    #[test]
    fn a_rename_passes_the_rule_so_fixing_twice_is_fixing_once() {
        let mut failures = Vec::new();
        // Object-action names need a past-tense verb a rename cannot invent.
        for style in NameStyle::ALL.into_iter().filter(|s| *s != NameStyle::ObjectActionTitle) {
            for name in generated() {
                if style.problem(&name).is_none() {
                    continue;
                }
                let Some(fixed) = style.suggestion(&name) else { continue };
                // A name that passes gets no finding, so no second fix: fix ∘ fix = fix.
                if let Some(problem) = style.problem(&fixed) {
                    failures.push(format!("{}: {name:?} -> {fixed:?} {problem}", style.name()));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures, e.g. {:?}",
            failures.len(),
            &failures[..failures.len().min(20)]
        );
    }
}
