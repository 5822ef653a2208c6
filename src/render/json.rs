//! The JSON report, written with its findings serialized on every core.
//!
//! A legacy repository's first check reports ~150,000 findings, ~180 MB of JSON:
//! serialized on one core after the batches, that was a tenth of the run. The report
//! is written as `serde_json::to_writer_pretty` writes it, byte for byte (a test holds
//! that): the rest of the report pretty-printed with an empty `findings`, and the
//! findings spliced in where it is, a block at a time, each block serialized on a
//! core of its own at the depth the whole report would have them. The blocks are
//! serialized by sonic-rs, whose pretty formatter writes what serde_json's does and
//! escapes strings many bytes at a time (the JSON of 150,000 findings is ~10 MB of
//! strings in ~800,000 pieces); the test below compares the two on whole reports.

use std::io::Write;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use sonic_rs::format::{Formatter, PrettyFormatter};

use crate::policy::Severity;
use crate::report::{AppliedWaiver, Finding, Location, Report, SharedText};

/// Findings serialized at a time by one core.
const FINDINGS_PER_BLOCK: usize = 512;

/// Blocks in flight per core: enough that no core waits for the next, few enough that
/// what is held before it is written stays a few megabytes.
const BLOCKS_PER_CORE: usize = 2;

/// Below this many findings the report is serialized in one go: threads would cost more.
const PARALLEL_FROM: usize = 4 * FINDINGS_PER_BLOCK;

/// Where the findings go in the pretty-printed report without them: a key of the
/// top-level object (two spaces in), whose value is an empty array. No other text of
/// the report can hold it: a newline inside a string is written as `\n`.
const EMPTY_FINDINGS: &str = "\n  \"findings\": []";

/// The report as pretty JSON, with a final newline.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    // serde_json writes a few bytes at a time: through a buffer of a known type they
    // are copies the compiler can inline, not calls through `dyn Write`.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    if report.findings.len() < PARALLEL_FROM || crate::parallel::cores() < 2 {
        serde_json::to_writer_pretty(&mut buffered, report)?;
    } else {
        let rest = serde_json::to_string_pretty(&without_findings(report))?;
        let at = rest
            .find(EMPTY_FINDINGS)
            .ok_or_else(|| std::io::Error::other("the report has no findings key"))?;
        // Up to and with the `[`, the findings, then from the `]` on.
        let open = at + EMPTY_FINDINGS.len() - 1;
        buffered.write_all(&rest.as_bytes()[..open])?;
        write_findings(&report.findings, &mut buffered)?;
        buffered.write_all(b"\n  ")?;
        buffered.write_all(&rest.as_bytes()[open..])?;
    }
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// The elements of the findings array, as the pretty printer writes them inside the
/// report: each on a new line, indented two levels, separated by commas.
fn write_findings(findings: &[Box<Finding>], out: &mut impl Write) -> std::io::Result<()> {
    let blocks: Vec<&[Box<Finding>]> = findings.chunks(FINDINGS_PER_BLOCK).collect();
    let wave = crate::parallel::cores() * BLOCKS_PER_CORE;
    // The blocks' buffers, used again by the next wave: fresh ones would be new memory
    // each time, which the kernel pages in and zeroes (as much as the report's size).
    let buffers: Vec<Mutex<Vec<u8>>> = (0..wave).map(|_| Mutex::default()).collect();
    for (w, wave_blocks) in blocks.chunks(wave).enumerate() {
        let rendered = crate::parallel::tasks(wave_blocks.len(), |i| {
            let mut text = buffers[i].lock().unwrap_or_else(PoisonError::into_inner);
            text.clear();
            block(wave_blocks[i], w == 0 && i == 0, &mut text)
        });
        for (i, done) in rendered.into_iter().enumerate() {
            done?;
            out.write_all(&buffers[i].lock().unwrap_or_else(PoisonError::into_inner))?;
        }
    }
    Ok(())
}

/// A block of findings as array elements two levels deep, into `text`; `first`: the
/// array's first.
fn block(findings: &[Box<Finding>], first: bool, text: &mut Vec<u8>) -> std::io::Result<()> {
    // What the formatter writes while it is set two levels in, thrown away: one buffer
    // for the block, not an allocation per finding.
    let mut nowhere: Vec<u8> = Vec::new();
    let mut evidence = String::new();
    for (i, finding) in findings.iter().enumerate() {
        evidence.clear();
        indent(finding.evidence.json(), EVIDENCE_DEPTH, &mut evidence);
        let finding = Written::new(finding, &evidence);
        text.extend_from_slice(if first && i == 0 { b"\n" } else { b",\n" });
        text.extend_from_slice(b"    ");
        let mut formatter = PrettyFormatter::new();
        // Two levels in (the report's object, its findings array), as the whole
        // report's serializer would be when it reached this element.
        nowhere.clear();
        formatter.begin_object(&mut nowhere)?;
        formatter.begin_array(&mut nowhere)?;
        let mut serializer = sonic_rs::Serializer::with_formatter(&mut *text, formatter);
        finding
            .serialize(&mut serializer)
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// How deep a finding's evidence is in the report: in the report's object, the
/// findings array, the finding's object.
const EVIDENCE_DEPTH: usize = 3;

/// A finding as the report writes it, with its evidence as the text the pretty printer
/// would write of it where it stands, given to sonic-rs as raw JSON: the evidence is
/// kept as compact JSON text, and transcoding it (parsing it and writing it again)
/// was two fifths of writing a finding. Neither the pattern nor the literal has `..`:
/// a field added to `Finding` stops the build here until it is copied.
#[derive(Serialize)]
struct Written<'a> {
    id: &'a SharedText,
    name: &'a SharedText,
    pack: &'a SharedText,
    severity: Severity,
    category: &'a SharedText,
    title: &'a SharedText,
    message: &'a str,
    location: Option<&'a Location>,
    subject: Option<&'a str>,
    remediation: &'a str,
    evidence: RawJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a AppliedWaiver>,
}

impl<'a> Written<'a> {
    fn new(finding: &'a Finding, evidence: &'a str) -> Self {
        let Finding {
            id,
            name,
            pack,
            severity,
            category,
            title,
            message,
            location,
            subject,
            remediation,
            evidence: _,
            waiver,
            fix: _,
        } = finding;
        Written {
            id,
            name,
            pack,
            severity: *severity,
            category,
            title,
            message,
            location: location.as_ref(),
            subject: subject.as_deref(),
            remediation,
            evidence: RawJson(evidence),
            waiver: waiver.as_deref(),
        }
    }
}

/// The name sonic-rs's serializer knows raw JSON text by (its `LazyValue` serializes
/// as a struct of this name with one field of this name). sonic-rs has no public way
/// to hand it text that is known to be JSON without parsing it again, which cost as
/// much as transcoding; a sonic-rs that renamed it would write an object with this
/// key instead, which `raw_json_is_written_as_it_is` catches.
const SONIC_RAW_JSON: &str = "$sonic_rs::LazyValue";

/// JSON text that sonic-rs writes as it is.
struct RawJson<'a>(&'a str);

impl Serialize for RawJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut raw = serializer.serialize_struct(SONIC_RAW_JSON, 1)?;
        raw.serialize_field(SONIC_RAW_JSON, self.0)?;
        raw.end()
    }
}

/// `compact` JSON (no space outside strings, as [`crate::report::Evidence`] keeps it)
/// as serde_json's pretty printer writes it `depth` levels in: two spaces a level, a
/// member or element a line, `": "` after a key, `{}` and `[]` when empty.
fn indent(compact: &str, depth: usize, out: &mut String) {
    let bytes = compact.as_bytes();
    let mut level = depth;
    const SPACES: &str = "                                ";
    let newline = |out: &mut String, level: usize| {
        out.push('\n');
        let mut left = 2 * level;
        while left > 0 {
            let step = left.min(SPACES.len());
            out.push_str(&SPACES[..step]);
            left -= step;
        }
    };
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'"' {
            // To the closing quote: one not escaped by a backslash.
            i += 1;
            while let Some(at) = memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
                i += at;
                if bytes[i] == b'"' {
                    break;
                }
                i += 2;
            }
            i += 1;
            continue;
        }
        if !matches!(byte, b'{' | b'[' | b'}' | b']' | b',' | b':') {
            i += 1;
            continue;
        }
        out.push_str(&compact[copied..i]);
        match byte {
            b'{' | b'[' if matches!(bytes.get(i + 1), Some(b'}' | b']')) => {
                out.push_str(&compact[i..i + 2]);
                i += 1;
            }
            b'{' | b'[' => {
                out.push(char::from(byte));
                level += 1;
                newline(out, level);
            }
            b'}' | b']' => {
                level = level.saturating_sub(1);
                newline(out, level);
                out.push(char::from(byte));
            }
            b',' => {
                out.push(',');
                newline(out, level);
            }
            _ => out.push_str(": "),
        }
        i += 1;
        copied = i;
    }
    out.push_str(&compact[copied.min(compact.len())..]);
}

/// Everything of the report but its findings. Neither the pattern nor the literal
/// has `..`: a field added to the report stops the build here until it is copied.
fn without_findings(report: &Report) -> Report {
    let Report {
        schema_version,
        envgate_version,
        mode,
        target,
        packs,
        summary,
        rules,
        findings: _,
        scope,
        files,
        file_errors,
        waivers,
        inputs_not_read,
        config,
        net_probe,
    } = report;
    Report {
        schema_version: *schema_version,
        envgate_version: envgate_version.clone(),
        mode: *mode,
        target: target.clone(),
        packs: packs.clone(),
        summary: summary.clone(),
        rules: rules.clone(),
        findings: Vec::new(),
        scope: *scope,
        files: files.clone(),
        file_errors: file_errors.clone(),
        waivers: waivers.clone(),
        inputs_not_read: inputs_not_read.clone(),
        config: config.clone(),
        net_probe: net_probe.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of `n` findings, varied: waived or not, with and without a location,
    /// with quotes, control characters and non-ASCII text in what is escaped; every
    /// list of the report beside them holds an entry, so a field left out of the copy
    /// shows.
    fn report(n: usize) -> Report {
        let findings: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                let location = (i % 5 != 0).then(|| {
                    serde_json::json!({"file": format!("deploy/app-{}.yaml", i / 7), "line": i % 40 + 1,
                        "column": 3, "snippet": format!("  image: \"nginx:{i}\"\t\u{1b}[31m é"),
                        "snippet_offset": (i % 3 == 0).then_some(i)})
                });
                let waiver = (i % 11 == 0).then(|| {
                    serde_json::json!({"location": {"file": ".envgate.yaml", "line": 4, "column": null, "snippet": null},
                        "reason": "tuning", "expires": "2030-01-01", "owner": null, "redirected_from": null})
                });
                let severity = ["error", "warning", "info"][i % 3];
                let mut finding = serde_json::json!({"id": format!("K8S{:03}", i % 34), "name": "privileged-container",
                    "pack": "k8s", "severity": severity, "category": "Security",
                    "title": "Privileged container", "message": format!("Deployment/web-{i} \"app\" runs privileged\n"),
                    "location": location, "subject": (i % 2 == 0).then(|| format!("files[{i}]")),
                    "remediation": "securityContext:\n  privileged: false", "evidence": {"container": "app",
                    "ports": [80, i], "nested": {"empty": {}, "list": [], "n": null}}});
                if let Some(waiver) = waiver {
                    finding["waiver"] = waiver;
                }
                finding
            })
            .collect();
        serde_json::from_value(serde_json::json!({"schema_version": 1, "envgate_version": "0.1.0",
            "mode": "live", "target": {"hostname": null, "user": null, "root": null},
            "packs": [{"name": "k8s", "version": "1.1.0", "origin": "builtin", "pinned": null}],
            "summary": {"rules_run": 1, "rules_passed": 0, "rules_failed": 1, "rules_not_applicable": 0,
                "rules_need_whole_repository": 0, "errors": n, "warnings": 0, "infos": 0, "waived": 0},
            "rules": [{"id": "K8S001", "pack": "k8s", "category": "Security", "severity": "error", "status": "failed"}],
            "findings": findings, "scope": "files", "files": null,
            "file_errors": [{"location": {"file": "bad.yaml", "line": 1, "column": 2, "snippet": "findings: []"},
                "document": 0, "message": "expected a mapping"}],
            "waivers": [{"location": {"file": ".envgate.yaml", "line": 9, "column": 3, "snippet": "- rule: K8S002"},
                "rule": "K8S002", "state": "stale", "reason": "legacy", "expires": "2030-01-01", "owner": null,
                "severity": "warning", "message": "matches no finding"}],
            "inputs_not_read": [{"file": "/home/u/.bashrc", "line": null, "message": "a FIFO"}],
            "config": ".envgate.yaml"}))
        .expect("the test report deserializes")
    }

    fn written(report: &Report) -> String {
        let mut out = Vec::new();
        write(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_large_report_is_written_as_the_pretty_printer_writes_it() {
        // Below the threshold, at it, and over it by a partial block and several waves.
        for n in [
            0,
            3,
            PARALLEL_FROM - 1,
            PARALLEL_FROM,
            PARALLEL_FROM + 1,
            9 * FINDINGS_PER_BLOCK + 17,
        ] {
            let report = report(n);
            let mut expected = serde_json::to_string_pretty(&report).unwrap();
            expected.push('\n');
            assert_eq!(written(&report), expected, "{n} findings");
        }
    }

    /// sonic-rs escapes what serde_json escapes, and nothing else: every ASCII
    /// character, and non-ASCII ones JavaScript treats specially, alone and amid text
    /// long enough for the escaper's block-at-a-time path.
    #[test]
    fn findings_escape_every_character_as_serde_json_does() {
        let mut report = report(1);
        let chars = (0u32..0x80)
            .chain([0x80, 0xa0, 0xff, 0x2028, 0x2029, 0xfeff, 0xfffd, 0x1f600])
            .filter_map(char::from_u32);
        let message_line = |text: &str| {
            let line = text
                .lines()
                .find(|l| l.contains("\"message\""))
                .map(str::trim);
            line.expect("a message line").to_string()
        };
        for c in chars {
            let long = format!(
                "{}{c}{}{c}{}",
                "a".repeat(40),
                "é".repeat(20),
                "b".repeat(33)
            );
            for text in [c.to_string(), long] {
                report.findings[0].message = text;
                let mut ours = Vec::new();
                block(&report.findings, false, &mut ours).unwrap();
                let theirs = serde_json::to_string_pretty(&report.findings[0]).unwrap();
                let ours = String::from_utf8(ours).unwrap();
                assert_eq!(message_line(&ours), message_line(&theirs), "{c:?}");
            }
        }
    }

    /// sonic-rs writes [`RawJson`] as it is (see [`SONIC_RAW_JSON`]).
    #[test]
    fn raw_json_is_written_as_it_is() {
        let text = "{\n        \"a\": [\n          1\n        ]\n      }";
        assert_eq!(sonic_rs::to_string(&RawJson(text)).unwrap(), text);
        let mut pretty = Vec::new();
        let mut serializer =
            sonic_rs::Serializer::with_formatter(&mut pretty, PrettyFormatter::new());
        RawJson(text).serialize(&mut serializer).unwrap();
        assert_eq!(String::from_utf8(pretty).unwrap(), text);
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        // Strings full of what the indenter looks for, and escapes before quotes.
        let text = proptest::string::string_regex(r#"([a-z{}\[\]:,"\\ é\n\u{1}]){0,12}"#)
            .unwrap()
            .boxed();
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            text.clone().prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 5, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(text.clone(), inner, 0..5)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 512,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x1d3e7),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Compact JSON indented at a depth is what the pretty printer writes there (a
        /// nested value's lines are its own pretty lines, moved in).
        #[test]
        fn compact_json_is_indented_as_the_pretty_printer_writes_it(
            value in json_value(),
            depth in 0usize..5,
        ) {
            let mut ours = String::new();
            indent(&serde_json::to_string(&value).unwrap(), depth, &mut ours);
            let theirs = serde_json::to_string_pretty(&value)
                .unwrap()
                .replace('\n', &format!("\n{}", "  ".repeat(depth)));
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn the_report_without_findings_keeps_everything_else() {
        let report = report(5);
        let mut expected = serde_json::to_value(&report).unwrap();
        expected["findings"] = serde_json::json!([]);
        assert_eq!(
            serde_json::to_value(without_findings(&report)).unwrap(),
            expected
        );
    }
}
