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
    if name.contains('_') {
        return Some(if has_lower { "is snake_case" } else { "is SCREAMING_CASE" });
    }
    if name.contains(':') {
        return Some("uses a colon namespace");
    }
    if has_path_separator(name) {
        return Some("is a dotted or slash path");
    }
    let has_space = name.contains(' ');
    if !has_space && name.contains('-') {
        return Some("is kebab-case");
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
}
