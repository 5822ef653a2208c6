//! Seeded Go environment cases for tests/real_go.rs: each case is a list of features
//! (a variable in the OS environment or the `go env -w` file, a HOME spelling, a
//! go.mod above the working directory…), so a failing case can be minimized by
//! dropping features one at a time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A tiny deterministic generator (SplitMix64): the cases depend only on the seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Where a setting is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    OsEnv,
    GoEnvFile,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Feature {
    /// `NAME=value`; `{tmp}` stands for the case's temp dir, `{goroot}` for the
    /// toolchain's GOROOT.
    Set(Place, &'static str, &'static str),
    /// `NAME=` in the `go env -w` file (an empty assignment still overrides go.env).
    EmptyInFile(&'static str),
    /// `NAME=` in the OS environment (cmd/go treats it as unset).
    EmptyInEnv(&'static str),
    HomeWithTrailingSlash,
    XdgConfigHome,
    XdgCacheHome,
    /// GOENV names a file of its own; `off` disables the file.
    GoenvCustom,
    GoenvOff,
    /// No C compiler on PATH.
    NoCompilerOnPath,
    /// The telemetry mode file, as `go telemetry` writes it.
    TelemetryMode(&'static str),
    /// A go.mod in the working directory or in its parent.
    GoModHere,
    GoModInParent,
    /// A go.work in the parent that uses the working directory.
    GoWorkInParent,
}

/// Values per variable, chosen to stay clear of toolchain switching (no newer Go is
/// named) and of settings that make every go command fail.
const POOL: &[(&str, &[&str])] = &[
    (
        "GOFLAGS",
        &["-mod=mod", "-trimpath -buildvcs=false", "  -modcacherw  "],
    ),
    (
        "GOPROXY",
        &[
            "off",
            "direct",
            "https://proxy.example.com",
            "https://a.example,https://b.example|direct",
        ],
    ),
    ("GOSUMDB", &["off", "sum.golang.org", "sum.example.com"]),
    (
        "GOPRIVATE",
        &["*.corp.example.com", "github.com/acme/*,gitlab.example"],
    ),
    ("GONOPROXY", &["example.com/x"]),
    ("GONOSUMDB", &["example.com/y"]),
    ("GOINSECURE", &["insecure.example.com"]),
    ("GOVCS", &["public:git,private:all"]),
    ("GO111MODULE", &["on", "off", "auto"]),
    (
        "GOTOOLCHAIN",
        &["local", "auto", "path", "local+auto", "local+path"],
    ),
    ("CGO_ENABLED", &["0", "1"]),
    ("CC", &["gcc", "/usr/bin/gcc", "/nonexistent/cc", "clang"]),
    ("CXX", &["g++", "clang++"]),
    ("AR", &["gcc-ar"]),
    ("GCCGO", &["gccgo-12"]),
    (
        "CGO_CFLAGS",
        &["-O3", "  -I/opt/x   -g ", "'-I/a b' -O1", "-DX=\"1\""],
    ),
    ("CGO_CPPFLAGS", &["-DDEBUG"]),
    ("CGO_LDFLAGS", &["-L/opt/lib  -lm"]),
    ("PKG_CONFIG", &["pkgconf", "pkg-config --static"]),
    ("GOPATH", &["{tmp}/gp", "{tmp}/gp1:{tmp}/gp2", "{tmp}/gp/"]),
    ("GOMODCACHE", &["{tmp}/modcache"]),
    ("GOCACHE", &["{tmp}/cache", "off"]),
    ("GOBIN", &["{tmp}/bin"]),
    ("GOTMPDIR", &["{tmp}/gotmp"]),
    ("GOAMD64", &["v2", "v3"]),
    ("GOARCH", &["amd64", "arm64"]),
    ("GOOS", &["linux", "windows"]),
    ("GODEBUG", &["http2client=0"]),
    ("GOAUTH", &["off"]),
    ("GOFIPS140", &["latest"]),
    ("GOROOT", &["{goroot}", "{goroot}/"]),
    ("GOWORK", &["off"]),
];

/// Variables whose empty assignment is tried in the `go env -w` file.
const EMPTY_IN_FILE: &[&str] = &["GOPROXY", "GOSUMDB", "GOTOOLCHAIN", "GOFLAGS", "CC"];

pub fn generate(rng: &mut Rng) -> Vec<Feature> {
    let mut features = Vec::new();
    let simple = [
        Feature::HomeWithTrailingSlash,
        Feature::XdgConfigHome,
        Feature::XdgCacheHome,
        Feature::NoCompilerOnPath,
    ];
    for feature in simple {
        if rng.chance(20) {
            features.push(feature);
        }
    }
    match rng.below(10) {
        0 => features.push(Feature::GoenvCustom),
        1 => features.push(Feature::GoenvOff),
        _ => {}
    }
    if rng.chance(15) {
        let modes = ["on 2025-01-02", "off", "local"];
        features.push(Feature::TelemetryMode(modes[rng.below(modes.len())]));
    }
    match rng.below(5) {
        0 => features.push(Feature::GoModHere),
        1 => features.push(Feature::GoModInParent),
        2 => features.extend([Feature::GoModHere, Feature::GoWorkInParent]),
        _ => {}
    }
    // A handful of settings, each in the OS environment or the go env -w file;
    // sometimes the same variable in both, to see which wins.
    for _ in 0..rng.below(7) {
        let (name, values) = POOL[rng.below(POOL.len())];
        let value = values[rng.below(values.len())];
        let place = if rng.chance(50) {
            Place::OsEnv
        } else {
            Place::GoEnvFile
        };
        features.push(Feature::Set(place, name, value));
    }
    if rng.chance(15) {
        features.push(Feature::EmptyInFile(
            EMPTY_IN_FILE[rng.below(EMPTY_IN_FILE.len())],
        ));
    }
    if rng.chance(10) {
        let (name, _) = POOL[rng.below(POOL.len())];
        features.push(Feature::EmptyInEnv(name));
    }
    features
}

/// A case laid out in a temp dir: the OS environment and the working directory.
pub struct Materialized {
    pub env: BTreeMap<String, String>,
    pub workdir: PathBuf,
}

pub fn materialize(features: &[Feature], tmp: &Path, goroot: &Path) -> Materialized {
    let tmp_s = tmp.display().to_string();
    let expand = |v: &str| {
        v.replace("{tmp}", &tmp_s)
            .replace("{goroot}", &goroot.display().to_string())
    };
    let home = tmp.join("home");
    let parent = tmp.join("src");
    let workdir = parent.join("app");
    std::fs::create_dir_all(&workdir).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let empty_bin = tmp.join("empty-bin");
    std::fs::create_dir_all(&empty_bin).unwrap();
    // cmd/go refuses to run when GOTMPDIR does not exist.
    std::fs::create_dir_all(tmp.join("gotmp")).unwrap();

    let has = |f: &Feature| features.contains(f);
    let mut env = BTreeMap::new();
    let home_value = if has(&Feature::HomeWithTrailingSlash) {
        format!("{}/", home.display())
    } else {
        home.display().to_string()
    };
    env.insert("HOME".to_string(), home_value);
    let system = if has(&Feature::NoCompilerOnPath) {
        empty_bin.display().to_string()
    } else {
        "/usr/bin:/bin".to_string()
    };
    env.insert(
        "PATH".to_string(),
        format!("{}/bin:{system}", goroot.display()),
    );
    let mut config = home.join(".config");
    if has(&Feature::XdgConfigHome) {
        config = tmp.join("xdg-config");
        env.insert("XDG_CONFIG_HOME".into(), config.display().to_string());
    }
    if has(&Feature::XdgCacheHome) {
        env.insert(
            "XDG_CACHE_HOME".into(),
            tmp.join("xdg-cache").display().to_string(),
        );
    }
    let mut goenv_file = Some(config.join("go/env"));
    if has(&Feature::GoenvCustom) {
        let custom = tmp.join("custom-goenv");
        env.insert("GOENV".into(), custom.display().to_string());
        goenv_file = Some(custom);
    }
    if has(&Feature::GoenvOff) {
        env.insert("GOENV".into(), "off".into());
        goenv_file = None;
    }

    let mut file_lines = String::new();
    for feature in features {
        match feature {
            Feature::Set(Place::OsEnv, name, value) => {
                env.insert(name.to_string(), expand(value));
            }
            Feature::Set(Place::GoEnvFile, name, value) => {
                file_lines.push_str(&format!("{name}={}\n", expand(value)));
            }
            Feature::EmptyInFile(name) => file_lines.push_str(&format!("{name}=\n")),
            Feature::EmptyInEnv(name) => {
                env.insert(name.to_string(), String::new());
            }
            Feature::TelemetryMode(mode) => {
                let dir = config.join("go/telemetry");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("mode"), mode).unwrap();
            }
            _ => {}
        }
    }
    if let Some(file) = goenv_file.filter(|_| !file_lines.is_empty()) {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, file_lines).unwrap();
    }
    let go_mod = "module example.com/app\n\ngo 1.19\n";
    if has(&Feature::GoModHere) {
        std::fs::write(workdir.join("go.mod"), go_mod).unwrap();
    }
    if has(&Feature::GoModInParent) {
        std::fs::write(parent.join("go.mod"), go_mod).unwrap();
    }
    if has(&Feature::GoWorkInParent) {
        std::fs::write(parent.join("go.work"), "go 1.19\n\nuse ./app\n").unwrap();
    }
    Materialized { env, workdir }
}
