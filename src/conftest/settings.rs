//! `envgate test` / `envgate verify` settings as conftest resolves them: a flag given on
//! the command line, else the `CONFTEST_<FLAG>` environment variable, else the key of
//! the config file (`-c FILE`, or `conftest.toml|yaml|yml|json` in the working
//! directory), else conftest's default. Keys are the flag names; a string where a list
//! is expected is a one-element list (viper's reading).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;

/// The flags as given on the command line: `None`/empty/false when not given.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub policy: Vec<String>,
    pub namespace: Vec<String>,
    pub all_namespaces: bool,
    pub combine: bool,
    pub data: Vec<String>,
    pub parser: Option<String>,
    pub output: Option<String>,
    pub fail_on_warn: bool,
    pub no_fail: bool,
    pub quiet: bool,
    pub no_color: bool,
    pub suppress_exceptions: bool,
    pub ignore: Option<String>,
    pub strict: bool,
    pub rego_version: Option<String>,
    pub capabilities: Option<String>,
    pub show_builtin_errors: bool,
    pub trace: bool,
    pub stdin_filename: Option<String>,
    pub config_file: Option<PathBuf>,
    /// `--update URL…`: envgate never downloads policies; given, it is an error.
    pub update: Vec<String>,
    /// envgate's own: errors exit 3 instead of conftest's 1.
    pub distinct_exit_codes: bool,
    /// `verify --report fails|notes|full`.
    pub report: Option<String>,
    pub junit_hide_message: bool,
}

/// Which Rego the policies are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegoVersion {
    V0,
    V1,
}

/// The resolved settings of one run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub policy: Vec<String>,
    /// Empty for `verify` means every package.
    pub namespace: Vec<String>,
    pub all_namespaces: bool,
    pub combine: bool,
    pub data: Vec<String>,
    pub parser: Option<String>,
    pub output: String,
    pub fail_on_warn: bool,
    pub no_fail: bool,
    pub quiet: bool,
    pub no_color: bool,
    pub suppress_exceptions: bool,
    pub ignore: Option<regex::Regex>,
    pub strict: bool,
    pub rego_version: RegoVersion,
    pub capabilities: Option<String>,
    pub show_builtin_errors: bool,
    pub trace: bool,
    pub stdin_filename: Option<String>,
    pub distinct_exit_codes: bool,
    pub report: Option<String>,
    pub junit_hide_message: bool,
}

/// Which command the settings are for: their defaults differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Test,
    Verify,
}

/// The values of the config file, by key.
struct ConfigFile {
    values: serde_json::Map<String, Value>,
}

impl ConfigFile {
    fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }
}

impl Settings {
    /// Resolves `flags` with the environment (`env` looks a variable up) and the config
    /// file found from `cwd`.
    pub fn resolve(
        command: Command,
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
        cwd: &Path,
    ) -> Result<Settings, Error> {
        if !flags.update.is_empty() || env("CONFTEST_UPDATE").is_some_and(|v| !v.is_empty()) {
            return Err(Error::Usage(
                "--update: envgate does not download policies (no OCI, Git or HTTP fetching); \
                 fetch them with conftest pull or git and pass the directory with -p"
                    .into(),
            ));
        }
        let config = read_config(flags.config_file.as_deref(), cwd)?;
        let list = |given: &[String], key: &str, default: &[&str]| -> Vec<String> {
            if !given.is_empty() {
                // pflag's StringSlice reads `-p a,b` as two values.
                return given
                    .iter()
                    .flat_map(|g| g.split(','))
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            if let Some(value) = env(&env_name(key)).filter(|v| !v.is_empty()) {
                return value.split_whitespace().map(str::to_string).collect();
            }
            match config.as_ref().and_then(|c| c.get(key)) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(items)) => items.iter().map(scalar_text).collect(),
                _ => default.iter().map(|s| s.to_string()).collect(),
            }
        };
        let string = |given: &Option<String>, key: &str| -> Option<String> {
            given
                .clone()
                .or_else(|| env(&env_name(key)).filter(|v| !v.is_empty()))
                .or_else(|| config.as_ref().and_then(|c| c.get(key)).map(scalar_text))
                .filter(|s| !s.is_empty())
        };
        let boolean = |given: bool, key: &str| -> bool {
            if given {
                return true;
            }
            if let Some(value) = env(&env_name(key)) {
                return parse_bool(&value);
            }
            match config.as_ref().and_then(|c| c.get(key)) {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) => parse_bool(s),
                _ => false,
            }
        };
        let namespace_default: &[&str] = match command {
            Command::Test => &["main"],
            Command::Verify => &[],
        };
        let rego_version = match string(&flags.rego_version, "rego-version").as_deref() {
            None | Some("v1") | Some("V1") => RegoVersion::V1,
            Some("v0") | Some("V0") => RegoVersion::V0,
            Some(other) => {
                return Err(Error::Usage(format!(
                    "invalid Rego version: {other} (give v0 or v1)"
                )));
            }
        };
        let ignore = match string(&flags.ignore, "ignore") {
            None => None,
            Some(pattern) => Some(regex::Regex::new(&pattern).map_err(|e| {
                Error::Usage(format!(
                    "--ignore {pattern:?} is not a valid regular expression: {e}"
                ))
            })?),
        };
        let report = string(&flags.report, "report");
        if let Some(report) = &report
            && !matches!(report.as_str(), "fails" | "notes" | "full")
        {
            return Err(Error::Usage(format!(
                "--report {report:?}: give fails, notes or full"
            )));
        }
        Ok(Settings {
            policy: list(&flags.policy, "policy", &["policy"]),
            namespace: list(&flags.namespace, "namespace", namespace_default),
            all_namespaces: boolean(flags.all_namespaces, "all-namespaces"),
            combine: boolean(flags.combine, "combine"),
            data: list(&flags.data, "data", &[]),
            parser: string(&flags.parser, "parser"),
            output: string(&flags.output, "output").unwrap_or_else(|| "stdout".into()),
            fail_on_warn: boolean(flags.fail_on_warn, "fail-on-warn"),
            no_fail: boolean(flags.no_fail, "no-fail"),
            quiet: boolean(flags.quiet, "quiet"),
            no_color: boolean(flags.no_color, "no-color"),
            suppress_exceptions: boolean(flags.suppress_exceptions, "suppress-exceptions"),
            ignore,
            strict: boolean(flags.strict, "strict"),
            rego_version,
            capabilities: string(&flags.capabilities, "capabilities"),
            show_builtin_errors: boolean(flags.show_builtin_errors, "show-builtin-errors"),
            trace: boolean(flags.trace, "trace"),
            stdin_filename: string(&flags.stdin_filename, "stdin-filename"),
            distinct_exit_codes: boolean(flags.distinct_exit_codes, "distinct-exit-codes"),
            report,
            junit_hide_message: boolean(flags.junit_hide_message, "junit-hide-message"),
        })
    }
}

/// `CONFTEST_<FLAG>`, `-` as `_`.
fn env_name(key: &str) -> String {
    format!("CONFTEST_{}", key.replace('-', "_").to_uppercase())
}

/// Go's strconv.ParseBool, as viper's cast reads it; anything else is false.
fn parse_bool(text: &str) -> bool {
    matches!(text, "1" | "t" | "T" | "TRUE" | "true" | "True")
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The config file: `explicit` (`-c`), else the first `conftest.<ext>` in `cwd`.
fn read_config(explicit: Option<&Path>, cwd: &Path) -> Result<Option<ConfigFile>, Error> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let found = ["toml", "yaml", "yml", "json"]
                .iter()
                .map(|ext| cwd.join(format!("conftest.{ext}")))
                .find(|p| p.is_file());
            match found {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let bad = |why: String| Error::Usage(format!("config file {}: {why}", path.display()));
    let value: Value = match ext.as_str() {
        "toml" => {
            let parsed = crate::files::toml::parse(&text);
            if let Some(error) = parsed.error {
                return Err(bad(format!("line {}: {}", error.line, error.message)));
            }
            parsed.content.unwrap_or(Value::Null)
        }
        "json" => serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?,
        "yaml" | "yml" => yaml_serde::from_str(&text).map_err(|e| bad(e.to_string()))?,
        other => return Err(bad(format!("unsupported config type {other:?}"))),
    };
    match value {
        Value::Object(values) => Ok(Some(ConfigFile { values })),
        Value::Null => Ok(Some(ConfigFile {
            values: serde_json::Map::new(),
        })),
        _ => Err(bad("not a table of flag names".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_with(flags: Flags, env: &[(&str, &str)], config: Option<&str>) -> Settings {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = config {
            std::fs::write(dir.path().join("conftest.toml"), text).unwrap();
        }
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        Settings::resolve(Command::Test, &flags, &lookup, dir.path()).unwrap()
    }

    #[test]
    fn flag_beats_env_beats_config_beats_default() {
        let config = "policy = \"from-config\"\nnamespace = [\"a\", \"b\"]\nno-color = true\n";
        let s = resolve_with(Flags::default(), &[], Some(config));
        assert_eq!(s.policy, ["from-config"]);
        assert_eq!(s.namespace, ["a", "b"]);
        assert!(s.no_color);
        let s = resolve_with(
            Flags::default(),
            &[("CONFTEST_POLICY", "env1 env2")],
            Some(config),
        );
        assert_eq!(s.policy, ["env1", "env2"]);
        let flags = Flags {
            policy: vec!["flag,flag2".into()],
            ..Flags::default()
        };
        let s = resolve_with(flags, &[("CONFTEST_POLICY", "env")], Some(config));
        assert_eq!(s.policy, ["flag", "flag2"]);
        let s = resolve_with(Flags::default(), &[], None);
        assert_eq!(s.policy, ["policy"]);
        assert_eq!(s.namespace, ["main"]);
        assert!(!s.no_color);
        assert_eq!(s.output, "stdout");
    }

    #[test]
    fn bad_rego_version_and_update_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let none = |_: &str| None;
        let flags = Flags {
            rego_version: Some("v2".into()),
            ..Flags::default()
        };
        let err = Settings::resolve(Command::Test, &flags, &none, dir.path()).unwrap_err();
        assert!(err.to_string().contains("invalid Rego version: v2"));
        let flags = Flags {
            update: vec!["https://example.com/p".into()],
            ..Flags::default()
        };
        let err = Settings::resolve(Command::Test, &flags, &none, dir.path()).unwrap_err();
        assert!(err.to_string().contains("does not download policies"));
    }
}
