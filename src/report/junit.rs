//! JUnit XML for CI dashboards: one test case per finding, failed.

use crate::Report;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all (controls, surrogates' stand-ins, U+FFFE/F).
            c if ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}') =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

pub fn check(report: &Report) -> String {
    let findings = super::findings(report);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"tracklint\" tests=\"{n}\" failures=\"{n}\">\n  <testsuite name=\"tracklint\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">\n",
        n = findings.len()
    ));
    for f in &findings {
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}:{}:{}: {}\nfix: {}</failure>\n    </testcase>\n",
            escape(&format!("{} at {}:{}:{}", f.rule(), f.path, f.line, f.column)),
            escape(&f.path),
            escape(&f.path),
            f.line,
            escape(&f.diagnostic.message),
            escape(f.rule()),
            escape(&f.path),
            f.line,
            f.column,
            escape(&f.diagnostic.message),
            escape(&f.diagnostic.help),
        ));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
