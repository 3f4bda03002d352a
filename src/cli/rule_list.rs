//! `tracklint rules` and `tracklint explain`.

use super::*;

pub(super) fn rules_table(format: Format) -> String {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = crate::rules::RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"id": m.id, "severity": m.default_severity, "practice": m.practice, "scope": m.scope.name(), "summary": m.summary, "fix": m.fix == crate::rules::FixAvailability::Sometimes})
                })
                .collect();
            serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n"
        }
        Format::Human => {
            let mut out = String::new();
            for r in crate::rules::RULES {
                let m = r.meta();
                let practice = if m.practice == 0 { "-".to_string() } else { m.practice.to_string() };
                out.push_str(&format!(
                    "{:<33} {:<8} practice {:<3} {}\n",
                    m.id,
                    m.default_severity.name(),
                    practice,
                    m.summary
                ));
            }
            out
        }
    }
}

/// `tracklint explain RULE`: the rule's documentation and options.
pub(super) fn explain(rule: &str) -> i32 {
    match crate::rules::find(rule) {
        Some(r) => print(&format!("# {}\n\n{}", r.meta().id, r.meta().explanation())),
        None => {
            let ids: Vec<&str> = crate::rules::RULES.iter().map(|r| r.meta().id).collect();
            let hint = crate::text::closest(rule, &ids)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            eprintln!("error: unknown rule `{rule}`{hint}; `tracklint rules` lists them");
            EXIT_ERROR
        }
    }
}
