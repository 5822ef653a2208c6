//! `.envgate.yaml`: discovery, every configuration error, and every waiver state
//! (active, expired, stale, redirected) with the exact output a user sees. Runs are
//! pinned to a day with `ENVGATE_TODAY`, so expiry never depends on the clock.

mod support;

use std::path::Path;

use assert_cmd::Command;
use envgate::config::redirects::Redirects;

const K8S: &str = "tests/fixtures/k8s";
const CONFIGS: &str = "tests/fixtures/config";

/// envgate in the repository root, on a fixed day, with no colour forced on.
fn envgate(today: &str) -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(support::repo_root())
        .env("ENVGATE_TODAY", today)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

enum Stream {
    Stdout,
    Stderr,
}

/// Runs envgate and compares its exit code and one stream exactly; the other stream
/// must be empty.
fn expect(args: &[&str], today: &str, code: i32, stream: Stream, expected: &str) {
    let output = envgate(today).args(args).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let (shown, other) = match stream {
        Stream::Stdout => (stdout, stderr),
        Stream::Stderr => (stderr, stdout),
    };
    assert_eq!(shown, expected, "envgate {}", args.join(" "));
    assert_eq!(other, "", "envgate {}", args.join(" "));
    assert_eq!(
        output.status.code(),
        Some(code),
        "envgate {}",
        args.join(" ")
    );
}

fn json(args: &[&str], today: &str) -> (i32, serde_json::Value) {
    let output = envgate(today)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), report)
}

fn k8s(name: &str) -> String {
    format!("{K8S}/{name}")
}

fn config(name: &str) -> String {
    format!("{CONFIGS}/{name}")
}

/// An active waiver: the finding is listed as waived, counted apart, and does not fail
/// the gate; the pinned pack says which baseline ran.
#[test]
fn active_waiver_covers_the_finding_and_the_gate_passes() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/waivers.yaml",
        ],
        "2026-06-01",
        0,
        Stream::Stdout,
        r#"envgate: checked 1 file (2 documents) against k8s 1.1.0 (pinned to 1.0)

[+] Security (1 waived)
    ~ K8S001 Deployment/web init container "sysctl" runs privileged: it has every capability and the node's devices, so escaping to the node is trivial
      waived until 2026-12-31: the sysctl init container tunes the node until the kernel is upgraded (platform-team) at tests/fixtures/k8s/k8s001-trigger.yaml:40 [tests/fixtures/config/waivers.yaml:5]
[+] Hygiene
[+] Reliability
[+] Supply chain

21 rules: 20 passed, 1 failed; 0 errors, 0 warnings, 0 info, 1 waived
1 file checked (2 documents), 0 skipped (not a kind envgate knows), 0 with syntax errors
2 documents judged (2 kubernetes)
+ No issues found.
"#,
    );
}

/// The day after `expires`: the finding fails the gate again and the waiver is listed
/// under "Waivers" with where it is written.
#[test]
fn expired_waiver_stops_waiving_and_is_reported() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/waivers.yaml",
        ],
        "2027-01-01",
        1,
        Stream::Stdout,
        r#"envgate: checked 1 file (2 documents) against k8s 1.1.0 (pinned to 1.0)

[x] Security (1 error)
    x K8S001 Deployment/web init container "sysctl" runs privileged: it has every capability and the node's devices, so escaping to the node is trivial
          ,-[tests/fixtures/k8s/k8s001-trigger.yaml:40:13]
       40 |             privileged: true
          :             ^^^^^^^^|^^^^^^^
          :                     `-- Privileged container
          `----
      fix: In tests/fixtures/k8s/k8s001-trigger.yaml, turn privileged mode off for Deployment/web container "sysctl" (spec.template.spec.initContainers[0]):
             securityContext:
               privileged: false
           If it needs one host feature (a network setting, a device), add only the capability for it under securityContext.capabilities.add.
[+] Hygiene
[+] Reliability
[+] Supply chain
[!] Waivers (1)
    ! tests/fixtures/config/waivers.yaml:5 K8S001 expired on 2026-12-31: the 1 finding it matched is reported again; fix the finding, or renew the waiver with a new date
      reason: the sysctl init container tunes the node until the kernel is upgraded (platform-team)

21 rules: 20 passed, 1 failed; 1 error, 0 warnings, 0 info
1 file checked (2 documents), 0 skipped (not a kind envgate knows), 0 with syntax errors
2 documents judged (2 kubernetes)
x Found issues in 1 category. Run with -v to see the evidence.
"#,
    );
}

/// A waiver that matches nothing is a warning notice; notices never change the exit code.
#[test]
fn stale_waiver_is_reported_without_failing_a_clean_gate() {
    expect(
        &[
            "check",
            "--partial",
            "tests/fixtures/k8s/k8s001-clean.yaml",
            "--config",
            "tests/fixtures/config/stale.yaml",
        ],
        "2026-06-01",
        0,
        Stream::Stdout,
        r#"envgate: checked 1 file (2 documents) against k8s 1.1.0 (latest; pin it in stale.yaml), repo 1.1.0 (latest; pin it in stale.yaml)

[+] Security
[+] Hygiene
[+] Reliability
[+] Supply chain
[!] Waivers (1)
    ! tests/fixtures/config/stale.yaml:2 K8S001 matches no finding: remove it, or correct its rule, subject or path
      reason: written for the manifests in deploy/, which no longer run privileged

31 rules (22 more judge no kind of document checked here; 2 more need the whole repository): 31 passed, 0 failed; 0 errors, 0 warnings, 0 info
1 file checked (2 documents), 0 skipped (not a kind envgate knows), 0 with syntax errors
2 documents judged (2 kubernetes)
K8S032, K8S033: not judged, they need the whole repository (--partial: these files are part of it)
+ No issues found.
"#,
    );
}

/// The waiver names REN001; the user pack renamed it REN002 (its redirects.yaml).
#[test]
fn renamed_rule_ids_keep_matching_through_the_redirect_table() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/redirected.yaml",
        ],
        "2026-06-01",
        0,
        Stream::Stdout,
        r#"envgate: checked 1 file (2 documents) against renamed 1.0.0 (latest; pin it in redirected.yaml)

[+] Renamed (1 waived)
    ~ REN002 web is a Deployment
      waived until 2026-12-31: the Deployment is reviewed by hand (alice) at tests/fixtures/k8s/k8s001-trigger.yaml:12 [tests/fixtures/config/redirected.yaml:7, written as REN001]

1 rules: 0 passed, 1 failed; 0 errors, 0 warnings, 0 info, 1 waived
1 file checked (2 documents), 0 skipped (not a kind envgate knows), 0 with syntax errors
2 documents judged (2 kubernetes)
+ No issues found.
"#,
    );
}

/// `K8S001: warning` lowers the finding below the default gate; `K8S010: off` does not run.
#[test]
fn severity_overrides_and_off() {
    expect(
        &[
            "check",
            "--partial",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/severity.yaml",
        ],
        "2026-06-01",
        0,
        Stream::Stdout,
        r#"envgate: checked 1 file (2 documents) against k8s 1.1.0 (latest; pin it in severity.yaml), repo 1.1.0 (latest; pin it in severity.yaml)

[!] Security (1 warning)
    ! K8S001 Deployment/web init container "sysctl" runs privileged: it has every capability and the node's devices, so escaping to the node is trivial
          ,-[tests/fixtures/k8s/k8s001-trigger.yaml:40:13]
       40 |             privileged: true
          :             ^^^^^^^^|^^^^^^^
          :                     `-- Privileged container
          `----
      fix: In tests/fixtures/k8s/k8s001-trigger.yaml, turn privileged mode off for Deployment/web container "sysctl" (spec.template.spec.initContainers[0]):
             securityContext:
               privileged: false
           If it needs one host feature (a network setting, a device), add only the capability for it under securityContext.capabilities.add.
[+] Hygiene
[+] Reliability
[+] Supply chain

30 rules (22 more judge no kind of document checked here; 2 more need the whole repository): 29 passed, 1 failed; 0 errors, 1 warning, 0 info
1 file checked (2 documents), 0 skipped (not a kind envgate knows), 0 with syntax errors
2 documents judged (2 kubernetes)
K8S032, K8S033: not judged, they need the whole repository (--partial: these files are part of it)
! Found issues in 1 category. Run with -v to see the evidence.
"#,
    );
}

/// With `packs:` naming only go, the k8s pack does not judge the manifest.
#[test]
fn packs_not_listed_do_not_run() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/only-go.yaml",
        ],
        "2026-06-01",
        0,
        Stream::Stdout,
        r#"envgate: checked 1 file (2 documents) against no pack


0 rules: 0 passed, 0 failed; 0 errors, 0 warnings, 0 info
1 file checked (2 documents), 0 skipped (not a kind envgate knows), 0 with syntax errors
2 documents judged (2 kubernetes)
+ No issues found.
"#,
    );
}

/// `discovered/.envgate.yaml` applies to `discovered/deploy/web.yaml`.
#[test]
fn config_is_found_walking_up_from_the_checked_file() {
    expect(
        &[
            "check",
            "--partial",
            "tests/fixtures/config/discovered/deploy/web.yaml",
        ],
        "2026-06-01",
        0,
        Stream::Stdout,
        r#"envgate: checked 1 file (2 documents) against k8s 1.1.0 (latest; pin it in .envgate.yaml), repo 1.1.0 (latest; pin it in .envgate.yaml)

[-] Security (1 info)
    - K8S001 Deployment/web init container "sysctl" runs privileged: it has every capability and the node's devices, so escaping to the node is trivial
          ,-[tests/fixtures/config/discovered/deploy/web.yaml:40:13]
       40 |             privileged: true
          :             ^^^^^^^^|^^^^^^^
          :                     `-- Privileged container
          `----
      fix: In tests/fixtures/config/discovered/deploy/web.yaml, turn privileged mode off for Deployment/web container "sysctl" (spec.template.spec.initContainers[0]):
             securityContext:
               privileged: false
           If it needs one host feature (a network setting, a device), add only the capability for it under securityContext.capabilities.add.
[+] Hygiene
[+] Reliability
[+] Supply chain

31 rules (22 more judge no kind of document checked here; 2 more need the whole repository): 30 passed, 1 failed; 0 errors, 0 warnings, 1 info
1 file checked (2 documents), 0 skipped (not a kind envgate knows), 0 with syntax errors
2 documents judged (2 kubernetes)
K8S032, K8S033: not judged, they need the whole repository (--partial: these files are part of it)
+ No errors or warnings; 1 info finding above.
"#,
    );
}

#[test]
fn config_error_unknown_keys_point_at_the_key() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-unknown-key.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-unknown-key.yaml:5:5:
  │ waivers[0]: unknown field `reasn`, expected one of `rule`, `subject`,
  │ `path`, `reason`, `expires`, `owner`
   ╭─[tests/fixtures/config/bad-unknown-key.yaml:5:5]
 4 │   - rule: K8S001
 5 │     reasn: the sysctl init container needs it
   ·     ┬
   ·     ╰── here
 6 │     expires: 2026-12-31
   ╰────
  help: remove or correct the key; the keys and their values are described in
        schemas/config.schema.json and the README

"#,
    );
}

#[test]
fn config_error_dates_must_be_iso() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-date.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-date.yaml:4:14:
  │ waivers[0].expires: "31/12/2026" is not an ISO date: write YYYY-MM-DD,
  │ e.g. 2026-12-31
   ╭─[tests/fixtures/config/bad-date.yaml:4:14]
 3 │     reason: the sysctl init container needs it
 4 │     expires: 31/12/2026
   ·              ┬
   ·              ╰── here
   ╰────
  help: fix the marked entry; the keys and their values are described in
        schemas/config.schema.json and the README

"#,
    );
}

#[test]
fn config_error_versions_must_be_quoted() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-unquoted-version.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-unquoted-version.yaml:2:8:
  │ packs.k8s: the version 1.0 is a YAML number, not text: quote it, e.g.
  │ "1.0" (unquoted, 1.10 would read as 1.1)
   ╭─[tests/fixtures/config/bad-unquoted-version.yaml:2:8]
 1 │ packs:
 2 │   k8s: 1.0
   ·        ┬
   ·        ╰── here
   ╰────
  help: fix the marked entry; the keys and their values are described in
        schemas/config.schema.json and the README

"#,
    );
}

#[test]
fn config_error_a_pin_newer_than_the_pack_is_an_error() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-pin-too-new.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-pin-too-new.yaml:2:3: k8s
  │ is pinned to 1.2, newer than the k8s pack of this envgate (1.1.0)
   ╭─[tests/fixtures/config/bad-pin-too-new.yaml:2:3]
 1 │ packs:
 2 │   k8s: "1.2"
   ·   ┬
   ·   ╰── here
   ╰────
  help: pin a version up to 1.1.0, or upgrade envgate

"#,
    );
}

#[test]
fn config_error_unknown_packs_are_errors() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-unknown-pack.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-unknown-pack.yaml:2:3:
  │ there is no pack named "k9s"
   ╭─[tests/fixtures/config/bad-unknown-pack.yaml:2:3]
 1 │ packs:
 2 │   k9s: latest
   ·   ┬
   ·   ╰── here
   ╰────
  help: the packs are: go, k8s, repo

"#,
    );
}

#[test]
fn config_error_unknown_rule_ids_are_errors() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-unknown-rule.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-unknown-rule.yaml:2:3:
  │ there is no rule K8S999
   ╭─[tests/fixtures/config/bad-unknown-rule.yaml:2:3]
 1 │ severity:
 2 │   K8S999: off
   ·   ┬
   ·   ╰── here
   ╰────
  help: use a rule id as `envgate policies` lists it, e.g. GO013

"#,
    );
}

#[test]
fn config_error_waivers_need_a_reason() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-missing-reason.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-missing-reason.yaml:2:5:
  │ waivers[0]: missing field `reason`
   ╭─[tests/fixtures/config/bad-missing-reason.yaml:2:5]
 1 │ waivers:
 2 │   - rule: K8S001
   ·     ┬
   ·     ╰── here
 3 │     expires: 2026-12-31
   ╰────
  help: fix the marked entry; the keys and their values are described in
        schemas/config.schema.json and the README

"#,
    );
}

#[test]
fn config_error_globs_are_checked() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-glob.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-glob.yaml:2:5: exclude
  │ "deploy/[a-" is not a glob: unclosed character class; missing ']'
   ╭─[tests/fixtures/config/bad-glob.yaml:2:5]
 1 │ exclude:
 2 │   - "deploy/[a-"
   ·     ┬
   ·     ╰── here
   ╰────
  help: write a glob such as `testdata/**` or `*.json`

"#,
    );
}

#[test]
fn config_error_policy_dirs_must_exist() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-policy-dir.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-policy-dir.yaml:2:5:
  │ policy directory "no-such-dir" does not exist
   ╭─[tests/fixtures/config/bad-policy-dir.yaml:2:5]
 1 │ policies:
 2 │   - no-such-dir
   ·     ┬
   ·     ╰── here
   ╰────
  help: policy directories are relative to the configuration file

"#,
    );
}

#[test]
fn config_error_yaml_syntax_errors_name_the_place() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/bad-yaml.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × invalid configuration tests/fixtures/config/bad-yaml.yaml:3:1: found
  │ unexpected end of stream
   ╭─[tests/fixtures/config/bad-yaml.yaml:3:1]
 2 │   k8s: "1.0
 3 │  
   · ┬
   · ╰── here
   ╰────
  help: fix the marked entry; the keys and their values are described in
        schemas/config.schema.json and the README

"#,
    );
}

/// `--config` names a file that must exist.
#[test]
fn config_error_a_missing_config_file() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/no-such.yaml",
        ],
        "2026-06-01",
        2,
        Stream::Stderr,
        r#"envgate::config

  × cannot read the configuration file tests/fixtures/config/no-such.yaml: No
  │ such file or directory (os error 2)
  help: name an existing file with --config, or leave it out to use
        the .envgate.yaml found from the checked path

"#,
    );
}

#[test]
fn config_error_a_malformed_today() {
    expect(
        &[
            "check",
            "tests/fixtures/k8s/k8s001-trigger.yaml",
            "--config",
            "tests/fixtures/config/waivers.yaml",
        ],
        "31.12.2026",
        2,
        Stream::Stderr,
        r#"envgate::usage

  × ENVGATE_TODAY="31.12.2026" is not a date (YYYY-MM-DD)

"#,
    );
}

#[test]
fn the_report_records_the_waiver_the_pin_and_the_config() {
    let (code, report) = json(
        &[
            "check",
            &k8s("k8s001-trigger.yaml"),
            "--config",
            &config("waivers.yaml"),
        ],
        "2026-06-01",
    );
    assert_eq!(code, 0);
    assert_eq!(report["config"], "tests/fixtures/config/waivers.yaml");
    assert_eq!(report["packs"][0]["pinned"], "1.0");
    assert_eq!(report["summary"]["waived"], 1);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(
        report["findings"][0]["waiver"],
        serde_json::json!({
            "location": {
                "file": "tests/fixtures/config/waivers.yaml",
                "line": 5,
                "column": null,
                "snippet": null
            },
            "reason": "the sysctl init container tunes the node until the kernel is upgraded",
            "expires": "2026-12-31",
            "owner": "platform-team",
            "redirected_from": null
        })
    );
    assert_eq!(report["waivers"], serde_json::json!([]));

    let (_, renamed) = json(
        &[
            "check",
            &k8s("k8s001-trigger.yaml"),
            "--config",
            &config("redirected.yaml"),
        ],
        "2026-06-01",
    );
    assert_eq!(renamed["findings"][0]["id"], "REN002");
    assert_eq!(
        renamed["findings"][0]["waiver"]["redirected_from"],
        "REN001"
    );

    let (code, expired) = json(
        &[
            "check",
            &k8s("k8s001-trigger.yaml"),
            "--config",
            &config("waivers.yaml"),
        ],
        "2027-01-01",
    );
    assert_eq!(code, 1);
    assert_eq!(expired["summary"]["waived"], 0);
    assert_eq!(expired["waivers"][0]["state"], "expired");
    assert_eq!(expired["waivers"][0]["severity"], "warning");
}

#[test]
fn a_waiver_still_applies_on_its_expiry_day() {
    let args = [
        "check",
        &k8s("k8s001-trigger.yaml"),
        "--config",
        &config("waivers.yaml"),
    ];
    assert_eq!(json(&args, "2026-12-31").0, 0);
    assert_eq!(json(&args, "2027-01-01").0, 1);
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    for format in ["human", "json"] {
        let run = || {
            envgate("2027-01-01")
                .args([
                    "check",
                    K8S,
                    "--config",
                    &config("waivers.yaml"),
                    "--format",
                    format,
                ])
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run(), run(), "{format}");
    }
}

#[test]
fn fail_on_comes_from_the_config_and_the_flag_wins() {
    let trigger = k8s("k8s001-trigger.yaml");
    let fail_on = config("fail-on.yaml");
    envgate("2026-06-01")
        .args(["check", &trigger, "--config", &fail_on])
        .assert()
        .code(0);
    envgate("2026-06-01")
        .args([
            "check",
            &trigger,
            "--config",
            &fail_on,
            "--fail-on",
            "error",
        ])
        .assert()
        .code(1);
    // `.envgate.yml` is found too: it says `fail-on: never`.
    envgate("2026-06-01")
        .args(["check", &config("discovered-yml/web.yaml")])
        .assert()
        .code(0);
}

#[test]
fn excludes_of_the_config_join_the_flag() {
    // The config excludes `*-trigger.yaml`, the flag `*.json`: nothing left fails.
    let (code, report) = json(
        &[
            "check",
            // each fixture on its own: K8S032/K8S033 would compare them
            "--partial",
            K8S,
            "--config",
            &config("exclude.yaml"),
            "--exclude",
            "*.json",
        ],
        "2026-06-01",
    );
    assert_eq!(code, 0, "{:#}", report["findings"]);
    // Only K8S019's notes on the clean fixtures that name no namespace on purpose.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"] == "K8S019"),
        "{:#}",
        report["findings"]
    );
}

#[test]
fn no_config_ignores_the_file_found_walking_up() {
    let web = config("discovered/deploy/web.yaml");
    envgate("2026-06-01").args(["check", &web]).assert().code(0);
    envgate("2026-06-01")
        .args(["check", &web, "--no-config"])
        .assert()
        .code(1);
}

/// Image mode: the config is the host's (from the current directory), never one inside
/// the image; `go: "0.1"` runs only the rules of baseline 0.1 (GO008 came in 1.0), and
/// the waiver matches GO013 by subject.
#[test]
fn machine_check_of_an_image_uses_the_hosts_config() {
    let scenario = support::load(&support::scenarios_dir().join("go013-trigger.yaml"));
    let image = tempfile::tempdir().unwrap();
    support::materialize(&scenario, image.path());
    // Were these read, the check would stop with a config error.
    for inside in [".envgate.yaml", "home/dev/.envgate.yaml"] {
        std::fs::write(image.path().join(inside), "not-a-key: 1\n").unwrap();
    }
    let host = tempfile::tempdir().unwrap();
    std::fs::write(
        host.path().join(".envgate.yaml"),
        r#"packs:
  go: "0.1"
waivers:
  - rule: GO013
    subject: go.env.GOPATH
    reason: the image's tools are run by absolute path
    expires: 2026-12-31
    owner: image-team
"#,
    )
    .unwrap();
    let output = envgate("2026-06-01")
        .current_dir(host.path())
        .args(["check", "--root"])
        .arg(image.path())
        .output()
        .unwrap();
    let root = image.path().display().to_string();
    let stdout = String::from_utf8(output.stdout)
        .unwrap()
        .replace(&root, "<ROOT>");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{stdout}");
    assert_eq!(stdout, MACHINE_EXPECTED);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn the_builtin_redirect_table_points_at_rules_that_exist() {
    let policies = envgate::load_policies(&[]).unwrap();
    for (old, new) in Redirects::builtin().iter() {
        assert!(
            policies.rule(old).is_none(),
            "{old} is renamed but still a rule"
        );
        assert!(policies.rule(new).is_some(), "{old} → {new}: no rule {new}");
    }
}

#[test]
fn an_injected_redirect_table_renames_waivers_and_overrides() {
    let loaded = envgate::config::load(Path::new(&config("waivers.yaml"))).unwrap();
    let mut edited = loaded.clone();
    edited.config.waivers[0].rule = "K8S901".into();
    edited
        .config
        .severity
        .insert("K8S902".into(), envgate::config::SeverityOverride::Warning);
    let redirects = Redirects::from_pairs([("K8S901", "K8S001"), ("K8S902", "K8S002")]);
    let mut packs = envgate::policy::builtin_packs().unwrap();
    edited.select_packs(&mut packs, &redirects).unwrap();
    let k8s002 = packs
        .iter()
        .flat_map(|p| &p.rules)
        .find(|r| r.id == "K8S002")
        .unwrap();
    assert_eq!(k8s002.severity, envgate::policy::Severity::Warning);

    // The report: the waiver written for K8S901 covers the K8S001 finding.
    packs.retain(|p| p.name == "k8s");
    let policies = envgate::policy::engine::PolicySet::compile(packs).unwrap();
    let files = envgate::files::check(
        &[k8s("k8s001-trigger.yaml").into()],
        &envgate::files::CheckOptions::default(),
    )
    .unwrap();
    let mut report = envgate::files::evaluate::evaluate_files(&policies, files).unwrap();
    let today = envgate::config::IsoDate::parse("2026-06-01").unwrap();
    edited.apply(&mut report, today, &redirects);
    let waiver = report.findings[0].waiver.as_ref().unwrap();
    assert_eq!(report.findings[0].id, "K8S001");
    assert_eq!(waiver.redirected_from.as_deref(), Some("K8S901"));
    assert_eq!(report.summary.waived, 1);
    assert!(report.waivers.is_empty());
    // Without the table the old id is unknown: an error at the waiver's rule.
    let error = edited
        .select_packs(
            &mut envgate::policy::builtin_packs().unwrap(),
            &Redirects::default(),
        )
        .unwrap_err();
    assert!(
        error.to_string().contains("there is no rule K8S90"),
        "{error}"
    );
}

const MACHINE_EXPECTED: &str = r#"envgate: checked image <ROOT> (user dev) against go 1.5.0 (pinned to 0.1)

[+] Toolchain
[+] Shell & PATH (1 waived)
    ~ GO013 /home/dev/go/bin (from GOPATH) is not on PATH, so dlv, gopls installed there cannot be found
      waived until 2026-12-31: the image's tools are run by absolute path (image-team) [.envgate.yaml:4]
[+] Modules & proxy
[+] Toolchain vs go.mod
[+] cgo

13 rules: 12 passed, 1 failed; 0 errors, 0 warnings, 0 info, 1 waived
+ No issues found.
"#;

/// The README's sample `.envgate.yaml` is a valid configuration for the built-in packs.
#[test]
fn the_readme_sample_config_loads() {
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let section = readme
        .split("## Configuration: .envgate.yaml")
        .nth(1)
        .expect("README has the configuration section");
    let sample = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|block| block.split("```").next())
        .expect("the section has a yaml block");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policy")).unwrap();
    let path = dir.path().join(".envgate.yaml");
    std::fs::write(&path, sample).unwrap();
    let loaded = envgate::config::load(&path).unwrap();
    assert_eq!(loaded.config.waivers.len(), 1);
    assert_eq!(loaded.waiver_lines, vec![11]);
    let mut packs = envgate::policy::builtin_packs().unwrap();
    loaded
        .select_packs(&mut packs, &Redirects::builtin())
        .unwrap();
}
