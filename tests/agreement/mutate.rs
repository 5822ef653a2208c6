//! Random mutations of JSON documents (snapshots, manifests), and the paths the
//! minimizer removes.

use serde_json::Value;

use super::rng::Rng;

/// Values a rule is likely to treat specially: Go settings, versions, paths, proxy
/// URLs with and without credentials, booleans spelled as strings, Kubernetes values.
const STRINGS: &[&str] = &[
    "",
    "off",
    "on",
    "auto",
    "direct",
    "local",
    "true",
    "false",
    "0",
    "1",
    "go1.19.8",
    "go1.22.5",
    "go1.27.1",
    "1.23",
    "1.21.0",
    "/usr/local/go",
    "/usr/lib/go-1.19",
    "/usr/local/go/bin",
    "/tmp/tools/bin",
    "/nonexistent",
    "relative/bin",
    "~/go/bin",
    "$HOME/go/bin",
    "https://proxy.golang.org,direct",
    "https://goproxy.corp.example|off",
    "http://alice:pw@proxy:3128",
    "sum.golang.org",
    "*.corp.example",
    "git.corp.example/*",
    "-mod=vendor",
    "-toolexec=/tmp/x",
    "gcc",
    "clang",
    "amd64",
    "arm64",
    "linux",
    "windows",
    "darwin",
    "bash",
    "zsh",
    "fish",
    "root",
    "latest",
    "nginx:latest",
    "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "ALL",
    "SYS_ADMIN",
    "NET_RAW",
    "RuntimeDefault",
    "Unconfined",
    "default",
    "kube-system",
    "/var/run/docker.sock",
    "/etc",
    "apps/v1",
    "extensions/v1beta1",
    "Deployment",
    "Pod",
    "CronJob",
    "hunter2",
];

/// A place in a document: object keys and array indexes from the root.
#[derive(Debug, Clone)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Every path in `value`, outermost first (breadth first), the root excluded.
pub fn paths(value: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    let mut queue: std::collections::VecDeque<(Vec<Step>, &Value)> =
        std::collections::VecDeque::from([(Vec::new(), value)]);
    while let Some((path, node)) = queue.pop_front() {
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    let mut p = path.clone();
                    p.push(Step::Key(k.clone()));
                    out.push(p.clone());
                    queue.push_back((p, v));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Step::Index(i));
                    out.push(p.clone());
                    queue.push_back((p, v));
                }
            }
            _ => {}
        }
    }
    out
}

fn describe(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!(".{k}"),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect()
}

fn parent_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut node = value;
    for step in &path[..path.len().checked_sub(1)?] {
        node = match step {
            Step::Key(k) => node.get_mut(k.as_str())?,
            Step::Index(i) => node.get_mut(*i)?,
        };
    }
    Some(node)
}

fn at_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut node = value;
    for step in path {
        node = match step {
            Step::Key(k) => node.get_mut(k.as_str())?,
            Step::Index(i) => node.get_mut(*i)?,
        };
    }
    Some(node)
}

/// `value` without the member or element at `path`.
pub fn without(value: &Value, path: &[Step]) -> Option<Value> {
    let mut copy = value.clone();
    let parent = parent_mut(&mut copy, path)?;
    match (parent, path.last()?) {
        (Value::Object(map), Step::Key(k)) => {
            map.remove(k)?;
        }
        (Value::Array(items), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => return None,
    }
    Some(copy)
}

/// Applies `count` random mutations to `value`; returns what each did.
pub fn mutate(rng: &mut Rng, value: &mut Value, count: usize) -> Vec<String> {
    let mut done = Vec::new();
    for _ in 0..count {
        let all = paths(value);
        if all.is_empty() {
            break;
        }
        let path = rng.pick(&all).clone();
        let place = describe(&path);
        let choice = rng.below(6);
        let Some(node) = at_mut(value, &path) else {
            continue;
        };
        let step = match (choice, &*node) {
            (0, _) => {
                if let Some(v) = without(value, &path) {
                    *value = v;
                }
                format!("removed {place}")
            }
            (1 | 2, Value::String(_)) => {
                let s = rng.pick(STRINGS).to_string();
                *node = Value::String(s.clone());
                format!("{place} = {s:?}")
            }
            (3, Value::String(old)) => {
                // A realistic variation: an extra element of a list setting.
                let s = format!("{old},{}", rng.pick(STRINGS));
                *node = Value::String(s.clone());
                format!("{place} = {s:?}")
            }
            (_, Value::Bool(b)) => {
                let flipped = !*b;
                *node = Value::Bool(flipped);
                format!("{place} = {flipped}")
            }
            (_, Value::Number(_)) => {
                let n = [0, 1, 2, 3, 22, 80, 1000, 65536][rng.below(8)];
                *node = Value::from(n);
                format!("{place} = {n}")
            }
            (4, Value::Array(items)) if !items.is_empty() => {
                let k = rng.below(items.len());
                let copy = items[k].clone();
                if let Value::Array(items) = node {
                    items.push(copy);
                }
                format!("duplicated {place}[{k}]")
            }
            (5, Value::Array(_) | Value::Object(_)) => {
                *node = match node {
                    Value::Array(_) => Value::Array(Vec::new()),
                    _ => Value::Object(Default::default()),
                };
                format!("emptied {place}")
            }
            (_, Value::Null) => {
                let s = rng.pick(STRINGS).to_string();
                *node = Value::String(s.clone());
                format!("{place} = {s:?}")
            }
            _ => {
                if let Some(v) = without(value, &path) {
                    *value = v;
                }
                format!("removed {place}")
            }
        };
        done.push(step);
    }
    done
}
