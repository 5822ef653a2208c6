//! The command line's arguments (clap derive): every command, its flags and their help.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use envgate::config::{self, RunConfig};
use envgate::error::Error;

#[derive(Parser)]
#[command(
    name = "envgate",
    version,
    about = "Policy-as-code checks for developer environments"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Each command's arguments are defined only when it runs (`defer`): building all of
/// them, with their help, was a fifth of the start of a run.
#[derive(Subcommand)]
#[command(defer = true)]
pub(crate) enum Command {
    /// Check this machine and print a grouped checklist with fixes.
    Doctor(DoctorArgs),
    /// Check this machine, an image root or a saved snapshot: the gate form.
    Check(CheckArgs),
    /// Audit developer machine images that are not running, per user, in one report.
    Audit(AuditArgs),
    /// Print the snapshot the checks judge (secrets redacted).
    Snapshot(SnapshotArgs),
    /// Explain a rule: what it checks, why, and how to fix it.
    Explain(ExplainArgs),
    /// List the rules of every loaded pack; `lint` and `diff` check and compare packs.
    Policies(PoliciesArgs),
    /// Run the Rego unit tests (`test_*` rules) of policy packs, or of a conftest
    /// policy directory (given conftest's flags, or `./policy` without a pack manifest).
    Verify(VerifyArgs),
    /// Show the structured fixes of the findings as diffs; --apply writes them (backed
    /// up, then re-checked), --undo puts a backup set back.
    Fix(FixArgs),
    /// Test configuration files against a conftest policy repository, as `conftest test`.
    Test(TestArgs),
}

#[derive(Args)]
pub(crate) struct FixArgs {
    #[command(flatten)]
    pub(crate) policies: PolicyArgs,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    /// Fix an image root (a directory holding a root filesystem) instead of this
    /// machine; nothing inside it is run.
    #[arg(long, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    /// With --root: the account to fix (default: the first regular user, else root).
    #[arg(long, value_name = "NAME", requires = "root")]
    pub(crate) user: Option<String>,
    /// Write the fixes: each file backed up under ~/.local/state/envgate/backups/,
    /// written atomically, then everything checked again (and put back if a fixed
    /// finding remains or a new one appears).
    #[arg(long, conflicts_with = "undo")]
    pub(crate) apply: bool,
    /// Also apply unsafe fixes (they change which toolchain runs, delete something or
    /// take a setting away).
    #[arg(long = "unsafe", conflicts_with = "undo")]
    pub(crate) allow_unsafe: bool,
    /// Put back the files of backup set ID (default: the newest not yet undone).
    #[arg(long, value_name = "ID", num_args = 0..=1, default_missing_value = "")]
    pub(crate) undo: Option<String>,
    /// Run nothing, not even `go env`.
    #[arg(long)]
    pub(crate) no_exec: bool,
    /// Output format: the diffs and notes, or the same as data
    /// (`schemas/fix.schema.json`; with --undo, what was put back).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Manifests and repository files to fix; without them, this machine (with --root:
    /// one PATH, the project directory inside the image).
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Args)]
pub(crate) struct PolicyArgs {
    /// Add a directory of policy packs (or one pack); repeatable.
    #[arg(long = "policy", value_name = "DIR")]
    pub(crate) policy_dirs: Vec<PathBuf>,
}

#[derive(Args)]
pub(crate) struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub(crate) format: ReportFormat,
    /// Write the report to FILE instead of standard output: a regular file is replaced
    /// whole (through symbolic links), a device, pipe or /dev/stdout is written to.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Plain ASCII output without colours (also when stdout is not a terminal or NO_COLOR is set).
    #[arg(long)]
    pub(crate) no_color: bool,
    /// When the human report is coloured: `auto` (a terminal, NO_COLOR unset), `always`
    /// (also through a pipe: CI logs, hooks that show colours), `never` (as --no-color).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Show the evidence behind each finding.
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

#[derive(Args)]
pub(crate) struct DoctorArgs {
    #[command(flatten)]
    pub(crate) policies: PolicyArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    /// Run nothing, not even `go env`; everything is read from files.
    #[arg(long, conflicts_with = "probe")]
    pub(crate) no_exec: bool,
    /// Also check that things really work. `--probe` (or `--probe build`): build a
    /// hello-world module in a temp dir (cgo off, then on), offline and with
    /// GOTOOLCHAIN=local. `--probe net`: the module download chain, host by host and
    /// layer by layer (settings, DNS, TCP, proxy, TLS, HTTP); the only option that
    /// touches the network, and it names the hosts before contacting them. A project
    /// PATH goes first or after `--`: `doctor . --probe`.
    #[arg(long, value_enum, value_name = "WHAT", num_args = 0..=1, default_missing_value = "build")]
    pub(crate) probe: Option<ProbeKind>,
    /// With `--probe net`: the module path to ask about (repeatable; default: the
    /// checked go.mod's requirements, plus golang.org/x/text).
    #[arg(long = "module", value_name = "PATH")]
    pub(crate) modules: Vec<String>,
    /// With `--probe net`: the time allowed to each step (DNS, connect, handshake, answer).
    #[arg(long, value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub(crate) probe_timeout: u64,
    /// Exit 1 when a finding is at or above this severity (default: `fail-on` of
    /// .envgate.yaml, else never: the doctor exits 0 after a diagnosis).
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOn>,
    /// The project directory whose go.mod/go.work are checked (default: the current directory).
    #[arg(value_name = "PATH")]
    pub(crate) workspace: Option<PathBuf>,
}

/// What `doctor --probe` checks.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProbeKind {
    /// Build a hello-world module, offline.
    Build,
    /// The module download chain (touches the network).
    Net,
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) policies: PolicyArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    /// Check an image root (a directory holding a root filesystem) instead of this machine.
    #[arg(long, value_name = "DIR", conflicts_with = "snapshot")]
    pub(crate) root: Option<PathBuf>,
    /// With --root: the account to check (default: the first regular user, else root).
    #[arg(long, value_name = "NAME", requires = "root")]
    pub(crate) user: Option<String>,
    /// Judge a snapshot saved by `envgate snapshot -o FILE`.
    #[arg(long, value_name = "FILE")]
    pub(crate) snapshot: Option<PathBuf>,
    /// Run nothing, not even `go env`.
    #[arg(long)]
    pub(crate) no_exec: bool,
    /// Exit 1 when a finding is at or above this severity (default: `fail-on` of
    /// .envgate.yaml, else error).
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOn>,
    /// Files and directories to check (`-` reads standard input); only the files are
    /// judged unless --machine is given. With --root: one PATH, the project directory
    /// inside the image whose go.mod/go.work are checked.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// The Kubernetes release manifests are judged against (K8S018: removed and
    /// deprecated API versions), e.g. `1.29`; default: `kubernetes-version` of
    /// .envgate.yaml, else the newest release envgate knows.
    /// Only for file checks: `--root` and `--snapshot` judge no manifests.
    #[arg(long, value_name = "VERSION", value_parser = parse_kubernetes_version,
          conflicts_with_all = ["root", "snapshot"])]
    pub(crate) kubernetes_version: Option<config::KubernetesVersion>,
    /// With file PATHs: check this machine too (its go.mod/go.work from the first
    /// directory given, else the current directory).
    #[arg(long, conflicts_with_all = ["root", "snapshot"])]
    pub(crate) machine: bool,
    /// The PATHs are part of a repository, such as a pre-commit hook's staged files:
    /// rules that compare files (a Deployment against the NetworkPolicies of other
    /// files) are not judged and are listed as needing the whole repository, since
    /// what they would report depends on files not given. Both pre-commit hooks pass it.
    #[arg(long, requires = "paths", conflicts_with_all = ["root", "snapshot", "machine"])]
    pub(crate) partial: bool,
    /// Walk directories without skipping what .gitignore ignores.
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// Skip files whose path or name matches GLOB (repeatable), e.g. `testdata/**`.
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// How standard input (`-`) is parsed (default: JSON when it starts with `{` or `[`, else YAML).
    #[arg(long, value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(envgate::files::detect::Syntax::NAMES))]
    pub(crate) parser: Option<String>,
    /// Exit 2 when any file cannot be parsed (by default such a file is a K8S000
    /// finding, which fails the check at the default --fail-on error).
    #[arg(long)]
    pub(crate) strict: bool,
    /// List files that cannot be parsed without failing the check: K8S000 does not
    /// report them (config: `allow-unparsed: true`).
    #[arg(long, conflicts_with = "strict")]
    pub(crate) allow_unparsed: bool,
    /// Exit 0 with a warning when no document was judged (an empty directory, no file
    /// of a known kind, only templates); by default that exits 2 (config:
    /// `allow-empty: true`).
    #[arg(long)]
    pub(crate) allow_empty: bool,
    /// Machine checks: exit with the findings' code even when an input was not read
    /// whole (an unreadable startup or `go env -w` file, a bound of the shell model
    /// hit); by default that exits 2, since the checks judged without it (config:
    /// `allow-unread: true`). The report lists those inputs either way.
    #[arg(long)]
    pub(crate) allow_unread: bool,
}

#[derive(Args)]
pub(crate) struct AuditArgs {
    #[command(flatten)]
    pub(crate) policies: PolicyArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    /// An image root (a directory holding a root filesystem); repeatable.
    #[arg(
        long = "root",
        value_name = "DIR",
        required_unless_present = "roots_from"
    )]
    pub(crate) roots: Vec<PathBuf>,
    /// A file listing image roots, one per line (`#` comments).
    #[arg(long, value_name = "FILE")]
    pub(crate) roots_from: Option<PathBuf>,
    /// Audit exactly these accounts (repeatable); default: every regular user with a
    /// home directory and a login shell.
    #[arg(long = "user", value_name = "NAME")]
    pub(crate) users: Vec<String>,
    /// Also audit root.
    #[arg(long)]
    pub(crate) with_root: bool,
    /// Exit 1 when a finding is at or above this severity (default: `fail-on` of
    /// .envgate.yaml, else error).
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOn>,
    /// Exit with the findings' code even when an image's input was not read whole (an
    /// unreadable startup or `go env -w` file, a bound of the shell model hit); by
    /// default that exits 2, as `check` does (config: `allow-unread: true`).
    #[arg(long)]
    pub(crate) allow_unread: bool,
}

// The configuration file of doctor, check, fix and audit.
// (A `///` comment here would become the help's first line of every command that
// flattens it: the commands' arguments are deferred, so it is applied after theirs.)
#[derive(Args)]
pub(crate) struct ConfigArgs {
    /// Use this configuration file instead of the .envgate.yaml (or .envgate.yml) found
    /// walking up from the checked path (for --root, --snapshot and audit: from the
    /// current directory).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long, conflicts_with = "config")]
    pub(crate) no_config: bool,
}

impl ConfigArgs {
    /// `--config FILE`, else the file found from `start` (a path being checked).
    /// `policy_dirs` (`--policy`) may hold user packs with their own renames.
    pub(crate) fn load(
        &self,
        start: &Path,
        policy_dirs: &[PathBuf],
    ) -> Result<Option<RunConfig>, Error> {
        RunConfig::load(&self.choice(), start, policy_dirs)
    }

    /// Which configuration file the flags choose.
    pub(crate) fn choice(&self) -> config::ConfigChoice {
        config::ConfigChoice {
            file: self.config.clone(),
            none: self.no_config,
        }
    }
}

#[derive(Args)]
pub(crate) struct SnapshotArgs {
    /// Snapshot an image root instead of this machine.
    #[arg(long, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    /// With --root: the account to snapshot.
    #[arg(long, value_name = "NAME", requires = "root")]
    pub(crate) user: Option<String>,
    /// Run nothing, not even `go env`.
    #[arg(long, conflicts_with = "probe")]
    pub(crate) no_exec: bool,
    /// Record the outcome of building a hello-world module (as `doctor --probe`).
    #[arg(long, conflicts_with = "root")]
    pub(crate) probe: bool,
    /// Write to FILE instead of standard output: a regular file is replaced whole
    /// (through symbolic links), a device, pipe or /dev/stdout is written to.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// The project directory whose go.mod/go.work are recorded.
    #[arg(value_name = "PATH")]
    pub(crate) workspace: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub(crate) policies: PolicyArgs,
    /// A rule id such as GO013 (case does not matter).
    pub(crate) id: String,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct PoliciesArgs {
    #[command(subcommand)]
    pub(crate) command: Option<PoliciesCommand>,
    #[command(flatten)]
    pub(crate) policies: PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Only the rules of this pack.
    #[arg(long, value_name = "NAME")]
    pub(crate) pack: Option<String>,
    /// Only the rules baseline VERSION contains: those whose `since` is not newer
    /// (`1.0` means `1.0.0`).
    #[arg(long, value_name = "VERSION")]
    pub(crate) since: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum PoliciesCommand {
    /// Check policy packs: complete METADATA, unique ids, a valid manifest, rules their
    /// tests make fire, remediations that render, no unknown functions.
    Lint(LintArgs),
    /// What changed from one baseline version to another: the rules each pack added.
    Diff(DiffArgs),
}

#[derive(Args)]
pub(crate) struct LintArgs {
    /// Pack directories to lint (default: the built-in packs).
    pub(crate) dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

#[derive(Args)]
pub(crate) struct DiffArgs {
    #[command(flatten)]
    pub(crate) policies: PolicyArgs,
    /// The baseline version to compare from, e.g. 1.0.
    pub(crate) old: String,
    /// The baseline version to compare to, e.g. 1.1.
    pub(crate) new: String,
    /// Only this pack.
    #[arg(long, value_name = "NAME")]
    pub(crate) pack: Option<String>,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// Pack directories to test (default: the built-in packs). Ignored in conftest mode,
    /// as conftest ignores them.
    pub(crate) dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) conftest: ConftestVerifyArgs,
    /// Also report the lines of rule and library files that no test evaluated.
    #[arg(long)]
    pub(crate) coverage: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

/// The formats of a check's report. Apart from `Format` because only reports have
/// machine formats: `policies --format sarif` would mean nothing.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// The grouped checklist, with the offending lines and the fixes.
    Human,
    /// The report as `schemas/report.schema.json` describes it.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning (`upload-sarif`) and other SARIF viewers.
    Sarif,
    /// JUnit XML for GitLab, Jenkins and Azure DevOps test reports.
    Junit,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl From<FailOn> for config::FailOn {
    fn from(flag: FailOn) -> Self {
        match flag {
            FailOn::Error => config::FailOn::Error,
            FailOn::Warning => config::FailOn::Warning,
            FailOn::Info => config::FailOn::Info,
            FailOn::Never => config::FailOn::Never,
        }
    }
}

fn parse_kubernetes_version(text: &str) -> Result<config::KubernetesVersion, String> {
    config::KubernetesVersion::parse(text)
}

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

// `envgate test`: conftest's `test` flags, with conftest's meaning. A flag not given
// is read from `CONFTEST_<FLAG>`, then from `conftest.toml` (or `-c FILE`). Not a doc
// comment: it would replace the command's own help line (see `ConfigArgs`).
#[derive(Args)]
pub(crate) struct TestArgs {
    /// Rego files or directories of policies (repeatable, comma lists; default `policy`).
    #[arg(short = 'p', long = "policy", value_name = "PATH")]
    pub(crate) policy: Vec<String>,
    /// Packages to test (repeatable; globs with `*?[`; default `main`).
    #[arg(short = 'n', long = "namespace", value_name = "NAME")]
    pub(crate) namespace: Vec<String>,
    /// Test every package of every loaded policy.
    #[arg(long)]
    pub(crate) all_namespaces: bool,
    /// Check all inputs as one input (a list of `{path, contents}`), as file `Combined`.
    #[arg(long)]
    pub(crate) combine: bool,
    /// JSON or YAML data files or directories, loaded as `data` (repeatable).
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub(crate) data: Vec<String>,
    /// Parse every input with this parser (yaml, json, jsonc, toml, dockerfile, dotenv, properties).
    #[arg(long, value_name = "NAME")]
    pub(crate) parser: Option<String>,
    /// Output format: stdout, json, tap, table, junit, github, azuredevops, sarif.
    #[arg(short = 'o', long = "output", value_name = "FORMAT")]
    pub(crate) output: Option<String>,
    /// Exit 2 on failures and 1 on warnings.
    #[arg(long)]
    pub(crate) fail_on_warn: bool,
    /// Exit 0 whatever the results (errors still fail).
    #[arg(long)]
    pub(crate) no_fail: bool,
    /// Print nothing when the exit code is 0.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// No colours (conftest colours its output otherwise, also through a pipe).
    #[arg(long)]
    pub(crate) no_color: bool,
    /// Leave exceptions out of the output (the summary still counts them).
    #[arg(long)]
    pub(crate) suppress_exceptions: bool,
    /// Skip walked files whose path matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub(crate) ignore: Option<String>,
    /// OPA's strict compile checks (not available in envgate: an error says so).
    #[arg(long)]
    pub(crate) strict: bool,
    /// Rego version of the policies: v0 or v1 (default v1).
    #[arg(long, value_name = "VERSION")]
    pub(crate) rego_version: Option<String>,
    /// OPA capabilities file: policies using a builtin or operator it does not list are refused.
    #[arg(long, value_name = "FILE")]
    pub(crate) capabilities: Option<String>,
    /// A builtin error fails the run instead of making the expression undefined.
    #[arg(long)]
    pub(crate) show_builtin_errors: bool,
    /// Per document and query, the rule bodies entered and each line evaluated or not
    /// reached (from line coverage), on standard error; it replaces the results in the
    /// `stdout` format.
    #[arg(long)]
    pub(crate) trace: bool,
    /// The name standard input (`-`) is shown and judged as.
    #[arg(long, value_name = "NAME")]
    pub(crate) stdin_filename: Option<String>,
    /// conftest's config file (default: `conftest.toml` in the working directory).
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub(crate) config_file: Option<PathBuf>,
    /// Policies to download first: envgate does not download; an error says so.
    #[arg(short = 'u', long = "update", value_name = "URL")]
    pub(crate) update: Vec<String>,
    /// Accepted for compatibility (registry TLS, for --update).
    #[arg(long, hide = true)]
    pub(crate) tls: bool,
    /// Accepted for compatibility (textproto inputs, which envgate does not read).
    #[arg(long, hide = true, value_name = "DIR")]
    pub(crate) proto_file_dirs: Vec<String>,
    /// Accepted for compatibility.
    #[arg(long, hide = true)]
    pub(crate) junit_hide_message: bool,
    /// Accepted for compatibility.
    #[arg(long, hide = true)]
    pub(crate) github_hide_passed: bool,
    /// Errors (unreadable or unparsable files, bad policies) exit 3 instead of conftest's 1.
    #[arg(long)]
    pub(crate) distinct_exit_codes: bool,
    /// Files and directories to test; `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<String>,
}

impl TestArgs {
    pub(crate) fn flags(&self) -> envgate::conftest::settings::Flags {
        envgate::conftest::settings::Flags {
            policy: self.policy.clone(),
            namespace: self.namespace.clone(),
            all_namespaces: self.all_namespaces,
            combine: self.combine,
            data: self.data.clone(),
            parser: self.parser.clone(),
            output: self.output.clone(),
            fail_on_warn: self.fail_on_warn,
            no_fail: self.no_fail,
            quiet: self.quiet,
            no_color: self.no_color,
            suppress_exceptions: self.suppress_exceptions,
            ignore: self.ignore.clone(),
            strict: self.strict,
            rego_version: self.rego_version.clone(),
            capabilities: self.capabilities.clone(),
            show_builtin_errors: self.show_builtin_errors,
            trace: self.trace,
            stdin_filename: self.stdin_filename.clone(),
            config_file: self.config_file.clone(),
            update: self.update.clone(),
            distinct_exit_codes: self.distinct_exit_codes,
            report: None,
            junit_hide_message: self.junit_hide_message,
        }
    }
}

// `envgate verify`'s conftest flags; any of them selects conftest mode. Not a doc
// comment: it would replace the command's own help line (see `ConfigArgs`).
#[derive(Args)]
pub(crate) struct ConftestVerifyArgs {
    /// conftest mode: Rego files or directories (default `policy`).
    #[arg(short = 'p', long = "policy", value_name = "PATH")]
    pub(crate) policy: Vec<String>,
    /// conftest mode: JSON or YAML data files or directories.
    #[arg(short = 'd', long = "data", value_name = "PATH")]
    pub(crate) data: Vec<String>,
    /// conftest mode: packages whose tests are reported (globs; default all).
    #[arg(short = 'n', long = "namespace", value_name = "NAME")]
    pub(crate) namespace: Vec<String>,
    /// conftest mode: output format (stdout, json, tap, table, github).
    #[arg(short = 'o', long = "output", value_name = "FORMAT")]
    pub(crate) output: Option<String>,
    /// conftest mode: a per-test report: fails, notes or full (stdout only).
    #[arg(long, value_name = "LEVEL")]
    pub(crate) report: Option<String>,
    /// conftest mode: no colours.
    #[arg(long)]
    pub(crate) no_color: bool,
    /// conftest mode: print nothing when every test passes.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// conftest mode: Rego version of the policies (v0 or v1).
    #[arg(long, value_name = "VERSION")]
    pub(crate) rego_version: Option<String>,
    /// conftest mode: a builtin error fails the run.
    #[arg(long)]
    pub(crate) show_builtin_errors: bool,
    /// conftest mode: accepted for compatibility (verify prints no trace).
    #[arg(long)]
    pub(crate) trace: bool,
    /// conftest mode: OPA capabilities file.
    #[arg(long, value_name = "FILE")]
    pub(crate) capabilities: Option<String>,
    /// conftest mode: conftest's config file.
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub(crate) config_file: Option<PathBuf>,
    /// conftest mode: errors exit 3 instead of 1.
    #[arg(long)]
    pub(crate) distinct_exit_codes: bool,
}

impl ConftestVerifyArgs {
    /// Whether a conftest flag was given.
    pub(crate) fn any(&self) -> bool {
        !self.policy.is_empty()
            || !self.data.is_empty()
            || !self.namespace.is_empty()
            || self.output.is_some()
            || self.report.is_some()
            || self.no_color
            || self.quiet
            || self.rego_version.is_some()
            || self.show_builtin_errors
            || self.trace
            || self.capabilities.is_some()
            || self.config_file.is_some()
            || self.distinct_exit_codes
    }

    pub(crate) fn flags(&self) -> envgate::conftest::settings::Flags {
        envgate::conftest::settings::Flags {
            policy: self.policy.clone(),
            namespace: self.namespace.clone(),
            data: self.data.clone(),
            output: self.output.clone(),
            report: self.report.clone(),
            no_color: self.no_color,
            quiet: self.quiet,
            rego_version: self.rego_version.clone(),
            show_builtin_errors: self.show_builtin_errors,
            trace: self.trace,
            capabilities: self.capabilities.clone(),
            config_file: self.config_file.clone(),
            distinct_exit_codes: self.distinct_exit_codes,
            ..Default::default()
        }
    }
}

/// `doctor --probe DIR`: `--probe` takes an optional value, so clap would read DIR as
/// the probe kind and refuse it. A bare `--probe` followed by a word that is not a
/// probe kind (nor a flag) is the build probe, and the word is the project PATH, as
/// `doctor DIR --probe` already means. Only `doctor`'s arguments before `--` are looked
/// at; nothing else changes.
pub(crate) fn bare_probe_before_path(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let is_doctor = args
        .iter()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .is_some_and(|a| a == "doctor");
    if !is_doctor {
        return args;
    }
    for i in 1..args.len() {
        if args[i] == "--" {
            break;
        }
        if args[i] == "--probe"
            && let Some(next) = args.get(i + 1).map(|n| n.to_string_lossy().into_owned())
            && !next.starts_with('-')
            && !matches!(next.as_str(), "build" | "net")
        {
            args[i] = "--probe=build".into();
        }
    }
    args
}

#[cfg(test)]
mod bare_probe_tests {
    use super::bare_probe_before_path;

    fn run(args: &[&str]) -> Vec<String> {
        bare_probe_before_path(args.iter().map(|a| a.into()))
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_path_after_a_bare_probe_is_the_path() {
        assert_eq!(
            run(&["envgate", "doctor", "--probe", "proj"]),
            ["envgate", "doctor", "--probe=build", "proj"]
        );
        for kept in [
            &["envgate", "doctor", "--probe", "net", "proj"][..],
            &["envgate", "doctor", "--probe", "--format", "json"],
            &["envgate", "doctor", "proj", "--probe"],
            &["envgate", "doctor", "--", "--probe", "x"],
            &["envgate", "check", "--probe", "x"],
        ] {
            assert_eq!(run(kept), kept);
        }
    }
}
