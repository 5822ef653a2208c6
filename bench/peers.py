#!/usr/bin/env python3
"""envgate beside the peer linters, on the same manifests.

Usage: bench/peers.py [--seed N] [--docs N] [--per-file N] [--runs N] [--timeout S]
                      [--out FILE] [--no-fixtures] [--no-install] ENVGATE_BINARY

Installs the peers it can (idempotently, into $ENVGATE_PEERS_CACHE, by default
/var/cache/envgate-peers), writes a seeded corpus (bench/gen-manifests.py --varied) to a
temporary directory, runs envgate and every peer on it with JSON output, and prints a
markdown report (also written to --out):

* agreement per mapped check: for each pair (envgate rule, peer check) the share of
  objects on which both fire or both stay quiet, among the objects judged;
* every disagreement, with example documents and the reason, told by a predicate on
  the document (a documented difference of the peer's default, a peer bug, or an
  envgate bug); one that no predicate explains is counted as "unexplained";
* wall time and peak memory of each tool on the same corpus and on one single file.

The unit is the object (one YAML document): checkov reports one result per object and
check (the first failing container only), and kube-score grades per object, so a
container-level comparison is not possible with both. An object is judged for a pair
when the peer evaluated that check on it (checkov: passed or failed; kube-score: graded
and not skipped) or when envgate reported the rule on it. Findings are tied to objects
by file and line (envgate: the finding's line; checkov: the first line of the resource;
kube-score: the object's first row).

Only the standard library is used here; YAML documents are read for the reasons with the
PyYAML that checkov's virtual environment brings (no reasons without it).
"""

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.environ.get("ENVGATE_PEERS_CACHE", "/var/cache/envgate-peers")
GO = shutil.which("go") or "/usr/local/go/bin/go"

# Peer versions: pinned so that a run is reproducible; override with the environment
# (e.g. ENVGATE_PEERS_KUBE_SCORE=latest).
KUBE_SCORE_VERSION = os.environ.get("ENVGATE_PEERS_KUBE_SCORE", "v1.20.0")
CHECKOV_VERSION = os.environ.get("ENVGATE_PEERS_CHECKOV", "3.3.30")
POLARIS_VERSION = os.environ.get("ENVGATE_PEERS_POLARIS", "latest")
KUBE_LINTER_VERSION = os.environ.get("ENVGATE_PEERS_KUBE_LINTER", "latest")
KUBERNETES_VERSION = "1.34"  # the target release envgate and kube-score judge against

# ---------------------------------------------------------------------------------------
# Installing the peers


def run(cmd, timeout, env=None, cwd=None):
    """(returncode, stdout, stderr); returncode None on a time-out."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
        return proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {timeout}s"
    except OSError as err:
        return 127, "", str(err)


def go_env():
    env = dict(os.environ)
    env["GOBIN"] = os.path.join(CACHE, "bin")
    env["GOMODCACHE"] = os.path.join(CACHE, "gomod")
    env["GOCACHE"] = os.path.join(CACHE, "gocache")
    env["GOFLAGS"] = "-modcacherw"
    env["PATH"] = os.path.dirname(GO) + os.pathsep + env.get("PATH", "")
    return env


def first_error_line(text):
    """The line that says what failed, without the registry's address."""
    lines = [re.sub(r"reading https?://\S+", "the module proxy answered", l.strip()) for l in text.strip().splitlines() if l.strip()]
    lines = [re.sub(r"https?://\S+", "<url>", l) for l in lines]
    for line in lines:
        if "403" in line or "not found" in line or "error" in line.lower() or "refused" in line:
            return line[:300]
    return (lines[-1] if lines else "no output")[:300]


def go_binary_version(path):
    code, out, _ = run([GO, "version", "-m", path], 30)
    if code != 0:
        return None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "mod":
            return parts[2]
    return None


def install_go_tool(name, package, version, tries):
    """Go-installs package@version into CACHE/bin unless the binary of that version is
    there. `tries` lists fall-back versions, each tried once if the first is refused."""
    binary = os.path.join(CACHE, "bin", name)
    have = go_binary_version(binary) if os.path.exists(binary) else None
    if have and (version == "latest" or have == version):
        return {"tool": name, "path": binary, "version": have, "status": "installed (cached)"}
    if not os.path.exists(GO):
        return {"tool": name, "status": "skipped", "reason": f"no Go toolchain at {GO}"}
    os.makedirs(os.path.join(CACHE, "bin"), exist_ok=True)
    failures = []
    for v in [version] + [t for t in tries if t != version]:
        code, out, err = run([GO, "install", f"{package}@{v}"], 900, env=go_env())
        if code == 0 and os.path.exists(binary):
            return {"tool": name, "path": binary, "version": go_binary_version(binary) or v,
                    "status": "installed now" if not failures else f"installed now ({'; '.join(failures)})"}
        failures.append(f"`go install {package}@{v}`: {first_error_line(err or out)}")
    return {"tool": name, "status": "skipped", "reason": "; ".join(failures)}


def install_checkov():
    venv = os.path.join(CACHE, "venv")
    binary = os.path.join(venv, "bin", "checkov")
    if os.path.exists(binary):
        code, out, _ = run([binary, "--version"], 120)
        if code == 0 and out.strip() == CHECKOV_VERSION:
            return {"tool": "checkov", "path": binary, "version": out.strip(), "status": "installed (cached)",
                    "python": os.path.join(venv, "bin", "python")}
    if not os.path.exists(os.path.join(venv, "bin", "pip")):
        code, out, err = run([sys.executable, "-m", "venv", venv], 300)
        if code != 0:
            return {"tool": "checkov", "status": "skipped", "reason": f"python3 -m venv failed: {first_error_line(err)}"}
    code, out, err = run([os.path.join(venv, "bin", "pip"), "install", "--quiet", f"checkov=={CHECKOV_VERSION}"], 1800)
    if code != 0:
        return {"tool": "checkov", "status": "skipped", "reason": f"pip install checkov=={CHECKOV_VERSION}: {first_error_line(err)}"}
    code, out, _ = run([binary, "--version"], 120)
    return {"tool": "checkov", "path": binary, "version": out.strip(), "status": "installed now",
            "python": os.path.join(venv, "bin", "python")}


def install_peers(no_install):
    if no_install:
        tools = {}
        ks = os.path.join(CACHE, "bin", "kube-score")
        tools["kube-score"] = ({"tool": "kube-score", "path": ks, "version": go_binary_version(ks), "status": "found"}
                               if os.path.exists(ks) else {"tool": "kube-score", "status": "skipped", "reason": "--no-install"})
        ck = os.path.join(CACHE, "venv", "bin", "checkov")
        tools["checkov"] = ({"tool": "checkov", "path": ck, "version": run([ck, "--version"], 120)[1].strip(),
                             "status": "found", "python": os.path.join(CACHE, "venv", "bin", "python")}
                            if os.path.exists(ck) else {"tool": "checkov", "status": "skipped", "reason": "--no-install"})
        for name in ("polaris", "kube-linter"):
            p = os.path.join(CACHE, "bin", name)
            tools[name] = ({"tool": name, "path": p, "version": go_binary_version(p), "status": "found"}
                           if os.path.exists(p) else {"tool": name, "status": "skipped", "reason": "--no-install"})
        return tools
    return {
        "kube-score": install_go_tool("kube-score", "github.com/zegl/kube-score/cmd/kube-score", KUBE_SCORE_VERSION, ["v1.20.0"]),
        "polaris": install_go_tool("polaris", "github.com/fairwindsops/polaris", POLARIS_VERSION, ["v9.6.1"]),
        "kube-linter": install_go_tool("kube-linter", "golang.stackrox.io/kube-linter/cmd/kube-linter", KUBE_LINTER_VERSION, ["v0.7.1"]),
        "checkov": install_checkov(),
    }


# ---------------------------------------------------------------------------------------
# Running a tool: wall time and peak memory


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def measure(cmd, timeout, cwd=None, env=None, stdout_path=None):
    """Runs cmd once; returns (returncode or None on time-out, wall seconds, peak RSS in KiB,
    stdout text). Peak RSS is the largest of the process and the children it waited for
    (ru_maxrss), i.e. the biggest single process of the tool, not their sum. It is taken
    through GNU time (`%M`): a child forked from this Python process would start from the
    parent's high-water mark, which is hundreds of MB once the peers' reports are read."""
    out = open(stdout_path, "w+") if stdout_path else tempfile.TemporaryFile("w+")
    rss_file = None
    if GNU_TIME:
        handle, rss_file = tempfile.mkstemp(prefix="envgate-peers-rss-")
        os.close(handle)
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd, env=env, start_new_session=True)
    killed = []

    def kill():
        killed.append(True)
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    out.seek(0)
    text = out.read()
    out.close()
    peak = usage.ru_maxrss
    if rss_file:
        with open(rss_file) as handle:
            numbers = re.findall(r"^(\d+)\s*$", handle.read(), re.M)
        os.unlink(rss_file)
        peak = int(numbers[-1]) if numbers else peak
    return (None if killed else proc.returncode), wall, peak, text


class Tool:
    def __init__(self, name, version, command):
        self.name, self.version, self.command = name, version, command


def tool_commands(envgate, peers):
    tools = []
    ver = run([envgate, "--version"], 60)[1].strip().replace("envgate ", "")
    tools.append(Tool("envgate", ver, lambda paths, files: [envgate, "check", "--format", "json", "--fail-on", "never",
                                                            "--no-config", "--kubernetes-version", KUBERNETES_VERSION] + paths))
    ks = peers.get("kube-score", {})
    if ks.get("path"):
        tools.append(Tool("kube-score", ks["version"], lambda paths, files: [
            ks["path"], "score", "-o", "json", "--kubernetes-version", "v" + KUBERNETES_VERSION,
            "--enable-optional-test", "container-seccomp-profile"] + files))
    ck = peers.get("checkov", {})
    if ck.get("path"):
        def checkov_cmd(paths, files, binary=ck["path"]):
            cmd = [binary, "--framework", "kubernetes", "-o", "json", "--compact", "--skip-download"]
            for p in paths:
                cmd += (["-d", p] if os.path.isdir(p) else ["-f", p])
            return cmd
        tools.append(Tool("checkov", ck["version"], checkov_cmd))
    return tools


def tool_env():
    env = dict(os.environ)
    env["BC_SKIP_MAPPING"] = "TRUE"  # checkov: no call home for its guideline links
    env["NO_COLOR"] = "1"
    return env


# ---------------------------------------------------------------------------------------
# Documents: line ranges and parsed objects

SEPARATOR = re.compile(r"^---(\s|$)")


def document_ranges(path):
    """[(first_line, last_line)] of each YAML document of the file, 1-based; a `---`
    line ends the document before it (as checkov counts)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    ranges, start = [], 1
    for number, line in enumerate(lines, 1):
        if SEPARATOR.match(line):
            if number > start or ranges:
                ranges.append((start, number))
            start = number + 1
    if start <= len(lines):
        ranges.append((start, len(lines)))
    return ranges or [(1, max(1, len(lines)))]


YAML_HELPER = r"""
import json, re, sys, yaml
out = {}
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8", errors="replace").read().split("\n")
    if text and text[-1] == "":
        text.pop()
    chunks, start = [], 0
    for i, line in enumerate(text):
        if re.match(r"^---(\s|$)", line):
            if i > start or chunks:
                chunks.append(text[start:i])
            start = i + 1
    if start < len(text):
        chunks.append(text[start:])
    docs = []
    for chunk in chunks:
        try:
            docs.append(yaml.safe_load("\n".join(chunk)))
        except Exception:
            docs.append(None)
    out[path] = docs
print(json.dumps(out, default=str))
"""


def load_objects(files, python):
    """{path: [object or None per document]} through PyYAML in `python`, or {}."""
    if not python:
        return {}
    objects = {}
    for i in range(0, len(files), 200):
        code, out, err = run([python, "-c", YAML_HELPER] + files[i:i + 200], 300)
        if code != 0:
            print(f"note: documents not read for the reasons ({first_error_line(err)})", file=sys.stderr)
            return {}
        objects.update(json.loads(out))
    return objects


class Corpus:
    def __init__(self, name, root, files):
        self.name, self.root, self.files = name, root, files
        self.ranges = {f: document_ranges(f) for f in files}
        self.objects = {}

    def doc_at(self, path, line):
        path = self.resolve(path)
        if path is None:
            return None
        for index, (first, last) in enumerate(self.ranges[path]):
            if first <= line <= last:
                return (path, index)
        return None

    def resolve(self, path):
        if path in self.ranges:
            return path
        for candidate in (os.path.join(self.root, path.lstrip("/")), os.path.abspath(path)):
            candidate = os.path.normpath(candidate)
            if candidate in self.ranges:
                return candidate
        return None

    def obj(self, key):
        docs = self.objects.get(key[0])
        if docs and key[1] < len(docs) and isinstance(docs[key[1]], dict):
            return docs[key[1]]
        return None

    def count_documents(self):
        return sum(len(r) for r in self.ranges.values())


# ---------------------------------------------------------------------------------------
# Results of each tool, per object


class Results:
    """fired[check] = set of object keys; judged[check] = set of object keys (peers only)."""

    def __init__(self):
        self.fired = collections.defaultdict(set)
        self.judged = collections.defaultdict(set)
        self.unplaced = 0
        self.not_judged = {}  # envgate only: object key -> envgate's reason for not judging it


def parse_envgate(text, corpus):
    res = Results()
    report = json.loads(text)
    for item in (report.get("files") or {}).get("not_judged") or []:
        path = corpus.resolve(item.get("path", ""))
        if path is None:
            continue
        docs = range(len(corpus.ranges[path])) if item.get("document") is None else [item["document"]]
        for index in docs:
            res.not_judged[(path, index)] = item.get("reason", "")
    for finding in report.get("findings", []):
        loc = finding.get("location") or {}
        key = corpus.doc_at(loc.get("file", ""), loc.get("line") or 1)
        if key is None:
            res.unplaced += 1
            continue
        ev = finding.get("evidence") or {}
        res.fired[finding["id"]].add(key)
        for variant in envgate_variants(finding["id"], finding.get("severity"), ev):
            res.fired[variant].add(key)
    return res


def envgate_variants(rule, severity, ev):
    """The sub-cases of a rule that match a narrower peer check."""
    out = [f"{rule}[{severity}]"]
    if rule == "K8S006" and ev.get("field"):
        out.append(f"K8S006[{ev['field']}]")
    if rule in ("K8S010", "K8S011"):
        for r in ev.get("missing") or []:
            out.append(f"{rule}[{r}]")
    if rule == "K8S008" and ev.get("capability"):
        out.append(f"K8S008[{ev['capability']}]")
    if rule == "K8S013":
        if ev.get("identical"):
            out.append("K8S013[identical]")
        for m in ev.get("missing") or []:
            out.append(f"K8S013[{m}]")
    if rule == "K8S015" and str(ev.get("host_path", "")).endswith(".sock"):
        out.append("K8S015[socket]")
    return out


def parse_checkov(text, corpus):
    res = Results()
    reports = json.loads(text) if text.strip() else []
    if isinstance(reports, dict):
        reports = [reports]
    for report in reports:
        if report.get("check_type") not in (None, "kubernetes"):
            continue
        results = report.get("results", {})
        for kind, fired in (("failed_checks", True), ("passed_checks", False)):
            for item in results.get(kind, []):
                cid = item["check_id"]
                if not cid.startswith("CKV_K8S_"):
                    continue
                key = corpus.doc_at(item.get("file_abs_path") or item["file_path"], (item.get("file_line_range") or [1])[0])
                if key is None:
                    res.unplaced += 1
                    continue
                res.judged[cid].add(key)
                if fired:
                    res.fired[cid].add(key)
    return res


# kube-score's container-resources check says what is missing in its comments.
KUBE_SCORE_COMMENTS = {
    "CPU request is not set": "container-resources[cpu-request]",
    "Memory request is not set": "container-resources[memory-request]",
    "Memory limit is not set": "container-resources[memory-limit]",
    "CPU limit is not set": "container-resources[cpu-limit]",
}


def parse_kube_score(text, corpus):
    res = Results()
    for obj in (json.loads(text) if text.strip() else None) or []:
        key = corpus.doc_at(obj.get("file_name", ""), obj.get("file_row") or 1)
        if key is None:
            res.unplaced += 1
            continue
        for check in obj.get("checks") or []:
            cid = check["check"]["id"]
            if check.get("skipped"):
                continue
            names = [cid]
            if cid == "container-resources":
                names += list(KUBE_SCORE_COMMENTS.values())
            if cid.endswith("-pod-selector-labels-match-template-metadata-labels"):
                names.append("selector-labels-match-template-labels")
            for n in names:
                res.judged[n].add(key)
            if check.get("grade", 10) >= 10:
                continue
            res.fired[cid].add(key)
            if cid.endswith("-pod-selector-labels-match-template-metadata-labels"):
                res.fired["selector-labels-match-template-labels"].add(key)
            for comment in check.get("comments") or []:
                variant = KUBE_SCORE_COMMENTS.get(comment.get("summary"))
                if cid == "container-resources" and variant:
                    res.fired[variant].add(key)
    return res


PARSERS = {"envgate": parse_envgate, "checkov": parse_checkov, "kube-score": parse_kube_score}

# ---------------------------------------------------------------------------------------
# Looking into an object, for the reasons

POD_SPEC_PATHS = {
    "Pod": ["spec"], "PodTemplate": ["template", "spec"], "Deployment": ["spec", "template", "spec"],
    "StatefulSet": ["spec", "template", "spec"], "DaemonSet": ["spec", "template", "spec"],
    "ReplicaSet": ["spec", "template", "spec"], "ReplicationController": ["spec", "template", "spec"],
    "Job": ["spec", "template", "spec"], "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}


def dig(value, *path):
    for p in path:
        if isinstance(value, dict):
            value = value.get(p)
        elif isinstance(value, list) and isinstance(p, int) and p < len(value):
            value = value[p]
        else:
            return None
    return value


def pod_spec(obj):
    path = POD_SPEC_PATHS.get(obj.get("kind"))
    spec = dig(obj, *path) if path else None
    return spec if isinstance(spec, dict) else {}


def containers(obj, init=True):
    spec = pod_spec(obj)
    out = [c for c in (spec.get("containers") or []) if isinstance(c, dict)]
    if init:
        out += [c for c in (spec.get("initContainers") or []) if isinstance(c, dict)]
    return out


def sc(c):
    return c.get("securityContext") if isinstance(c.get("securityContext"), dict) else {}


def caps(c, field):
    return [str(x) for x in (dig(sc(c), "capabilities", field) or []) if x is not None]


def norm_cap(name):
    name = name.upper()
    return name[4:] if name.startswith("CAP_") else name


def res_value(c, group, resource):
    return dig(c, "resources", group, resource)


def is_zero(value):
    if value is None:
        return True
    return bool(re.fullmatch(r"\s*0+(\.0*)?[a-zA-Z]*\s*", str(value)))


def image_tag(image):
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else ""


# ---------------------------------------------------------------------------------------
# The mapping: envgate rule (or sub-case) -> peer check, and the reasons for a disagreement
#
# A reason is (predicate, category, text): predicate(obj, side) is true when the document
# shows the documented difference; side is "envgate" when only envgate fired, "peer" when
# only the peer did. Categories: "peer default differs" (the peer decided otherwise, on
# purpose), "peer bug" (the peer misreads what Kubernetes does), "envgate bug".

PEER_DIFFERS, PEER_BUG, ENVGATE_BUG, NOT_JUDGED = "peer default differs", "peer bug", "envgate bug", "peer does not judge it"


def any_container(obj, pred, init=True):
    return any(pred(c) for c in containers(obj, init))


def all_flagged_explained(obj, flagged, explained, init=True):
    """For a disagreement where only the peer fired: every container the peer flags shows
    the documented difference (so envgate's silence is not hiding a miss of its own), and
    there is at least one."""
    hits = [c for c in containers(obj, init) if flagged(c)]
    return bool(hits) and all(explained(c) for c in hits)


def host_ports(c):
    return [p for p in (c.get("ports") or []) if isinstance(p, dict) and "hostPort" in p]


def r_hostport_zero(obj, side, where=None):
    return side == "peer" and all_flagged_explained(obj, lambda c: host_ports(c), lambda c: all(not p.get("hostPort") for p in host_ports(c)))


def r_limit_copied(resource):
    def pred(obj, side, where=None):
        return side == "peer" and all_flagged_explained(obj, lambda c: is_zero(res_value(c, "requests", resource)),
                                                        lambda c: not is_zero(res_value(c, "limits", resource)))
    return pred


def r_zero_request(resource):
    def pred(obj, side, where=None):
        return side == "envgate" and any_container(obj, lambda c: res_value(c, "requests", resource) is not None
                                                   and is_zero(res_value(c, "requests", resource)))
    return pred


def r_drop_defaults(obj, side, where=None):
    defaults = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
                "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
    return side == "peer" and all_flagged_explained(obj, lambda c: "ALL" not in {x.upper() for x in caps(c, "drop")},
                                                    lambda c: defaults <= {norm_cap(x) for x in caps(c, "drop")})


def r_drop_net_raw_only(obj, side, where=None):
    return side == "envgate" and any_container(obj, lambda c: "NET_RAW" in {norm_cap(x) for x in caps(c, "drop")}
                                               and "ALL" not in {norm_cap(x) for x in caps(c, "drop")})


def r_cap_prefix(obj, side, where=None):
    return side == "envgate" and any_container(obj, lambda c: any(x.upper().startswith("CAP_") for x in caps(c, "add")))


def r_add_harmless(obj, side, where=None):
    dangerous = {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_RAW", "SYS_RAWIO", "SYS_TIME",
                 "DAC_READ_SEARCH", "BPF", "MAC_ADMIN", "MAC_OVERRIDE"}
    return side == "peer" and all_flagged_explained(obj, lambda c: caps(c, "add"),
                                                    lambda c: not ({norm_cap(x) for x in caps(c, "add")} & dangerous))


def r_registry_port(obj, side, where=None):
    return any_container(obj, lambda c: isinstance(c.get("image"), str) and "@" not in c["image"]
                         and re.match(r"^[^/]+:\d+/", c["image"]) and image_tag(c["image"]) == "")


def r_digest_with_colon(obj, side, where=None):
    return side == "envgate" and r_registry_port(obj, side)


def r_dedicated_sa(obj, side, where=None):
    spec = pod_spec(obj)
    return side == "peer" and spec.get("serviceAccountName") not in (None, "", "default") and spec.get("automountServiceAccountToken") is not False


def r_default_sa_in_file():
    def pred(obj, side, where=None):
        corpus, key = where
        if side != "peer":
            return False
        spec = pod_spec(obj)
        if spec.get("serviceAccountName") not in (None, "", "default") or "automountServiceAccountToken" in spec:
            return False
        ns = dig(obj, "metadata", "namespace") or "default"
        for other in corpus.objects.get(key[0]) or []:
            if isinstance(other, dict) and other.get("kind") == "ServiceAccount" and dig(other, "metadata", "name") == "default" \
                    and (dig(other, "metadata", "namespace") or "default") == ns and other.get("automountServiceAccountToken") is False:
                return True
        return False
    return pred


def r_kind_not_judged(kinds):
    def pred(obj, side, where=None):
        return side == "envgate" and obj.get("kind") not in kinds
    return pred


def r_default_sa_object(obj, side, where=None):
    return side == "envgate" and obj.get("kind") == "ServiceAccount" and dig(obj, "metadata", "name") == "default"


SECCOMP_OK = ("RuntimeDefault", "Localhost")


def r_seccomp_container_overrides(obj, side, where=None):
    """A container's own seccompProfile overrides the pod's; checkov and kube-score take
    the pod's when it is set and look no further."""
    pod_type = dig(pod_spec(obj), "securityContext", "seccompProfile", "type")
    if pod_type is None:
        return False
    own = [dig(sc(c), "seccompProfile", "type") for c in containers(obj)]
    own = [t for t in own if t is not None]
    if side == "envgate":
        return pod_type in SECCOMP_OK and any(t not in SECCOMP_OK for t in own)
    return pod_type not in SECCOMP_OK and all(dig(sc(c), "seccompProfile", "type") in SECCOMP_OK for c in containers(obj))


def r_seccomp_localhost(obj, side, where=None):
    pod_type = dig(pod_spec(obj), "securityContext", "seccompProfile", "type")
    effective = [dig(sc(c), "seccompProfile", "type") or pod_type for c in containers(obj)]
    return side == "peer" and all(t in SECCOMP_OK for t in effective) and "Localhost" in effective


def r_seccomp_cronjob_container(obj, side, where=None):
    """checkov reads a CronJob's pod-level profile only (RuntimeDefault), never its containers'."""
    pod_type = dig(pod_spec(obj), "securityContext", "seccompProfile", "type")
    return side == "peer" and obj.get("kind") == "CronJob" and pod_type != "RuntimeDefault" and all(
        (dig(sc(c), "seccompProfile", "type") or pod_type) in SECCOMP_OK for c in containers(obj))


def r_seccomp_any_type(obj, side, where=None):
    spec = pod_spec(obj)
    types = [dig(spec, "securityContext", "seccompProfile", "type")] + [dig(sc(c), "seccompProfile", "type") for c in containers(obj, False)]
    return side == "envgate" and "Unconfined" in types


def r_seccomp_init_only(obj, side, where=None):
    """Every regular container has a profile (its own or the pod's), an init container not."""
    pod_type = dig(pod_spec(obj), "securityContext", "seccompProfile", "type")

    def ok(c):
        return (dig(sc(c), "seccompProfile", "type") or pod_type) in SECCOMP_OK
    init = [c for c in (pod_spec(obj).get("initContainers") or []) if isinstance(c, dict)]
    return side == "envgate" and all(ok(c) for c in containers(obj, False)) and any(not ok(c) for c in init)


def r_probes_any_container(obj, side, where=None):
    if side != "envgate":
        return False
    regular = containers(obj, False)
    return any(c.get("readinessProbe") for c in regular) and any(c.get("livenessProbe") for c in regular)


def r_probe_untargeted(obj, side, where=None):
    return False


def r_uid_high(obj, side, where=None):
    """kube-score wants runAsUser and runAsGroup >= 10000, each the container's or the pod's."""
    psc = dig(pod_spec(obj), "securityContext") or {}

    def low(c, field):
        v = dig(sc(c), field)
        v = psc.get(field) if v is None else v
        return not isinstance(v, int) or v < 10000

    def non_root(c):
        user, non_root_flag = effective_user(obj, c)
        return user != 0 and (non_root_flag is True or (isinstance(user, int) and user > 0))
    return side == "peer" and all_flagged_explained(obj, lambda c: low(c, "runAsUser") or low(c, "runAsGroup"), non_root)


def effective_user(obj, c):
    psc = dig(pod_spec(obj), "securityContext") or {}
    user = dig(sc(c), "runAsUser")
    non_root = dig(sc(c), "runAsNonRoot")
    return (psc.get("runAsUser") if user is None else user), (psc.get("runAsNonRoot") if non_root is None else non_root)


def r_root_uid_refused(obj, side, where=None):
    """runAsUser 0 with runAsNonRoot true in effect: the kubelet refuses to start the container
    (CreateContainerConfigError); checkov passes it on runAsNonRoot, envgate reports the UID."""
    return side == "envgate" and any(effective_user(obj, c) == (0, True) for c in containers(obj))


def r_run_as_user_inherited(obj, side, where=None):
    """checkov: a container with runAsNonRoot: false and no runAsUser of its own fails even
    when it inherits a non-zero runAsUser from the pod."""
    if side != "peer":
        return False
    pod_user = dig(pod_spec(obj), "securityContext", "runAsUser")

    def non_root(c):
        user, non_root_flag = effective_user(obj, c)
        return user != 0 and (non_root_flag is True or (isinstance(user, int) and user > 0))
    return isinstance(pod_user, int) and pod_user > 0 and all(non_root(c) for c in containers(obj)) and any(
        dig(sc(c), "runAsNonRoot") is False and dig(sc(c), "runAsUser") is None for c in containers(obj, False))


def r_checkov_root_init(obj, side, where=None):
    """checkov's CKV_K8S_23 looks at `containers` only, not initContainers."""
    psc = dig(pod_spec(obj), "securityContext") or {}

    def may_be_root(c):
        user = dig(sc(c), "runAsUser")
        user = psc.get("runAsUser") if user is None else user
        non_root = dig(sc(c), "runAsNonRoot")
        non_root = psc.get("runAsNonRoot") if non_root is None else non_root
        return user == 0 or (non_root is not True and not (isinstance(user, int) and user > 0))
    init = [c for c in (pod_spec(obj).get("initContainers") or []) if isinstance(c, dict)]
    return side == "envgate" and any(may_be_root(c) for c in init)


def r_secret_ref(obj, side, where=None):
    return side == "peer" and any_container(obj, lambda c: any(dig(e, "valueFrom", "secretKeyRef") for e in (c.get("env") or []) if isinstance(e, dict)))


def r_plain_secret(obj, side, where=None):
    return side == "envgate" and any_container(obj, lambda c: any(
        isinstance(e, dict) and e.get("value") not in (None, "") for e in (c.get("env") or [])))


def r_socket_other_runtime(obj, side, where=None):
    return side == "envgate" and any(str(dig(v, "hostPath", "path")).endswith(".sock") and dig(v, "hostPath", "path") != "/var/run/docker.sock"
                                     for v in (pod_spec(obj).get("volumes") or []) if isinstance(v, dict))


def r_kube_score_pod_probes(obj, side, where=None):
    return side == "envgate"


def r_kube_score_probes_init(obj, side, where=None):
    return side == "peer" and any(c.get("readinessProbe") and c.get("livenessProbe") for c in (pod_spec(obj).get("initContainers") or []))


KUBE_SCORE_STABLE = {("extensions/v1beta1", "Deployment"), ("extensions/v1beta1", "DaemonSet"), ("extensions/v1beta1", "Ingress"),
                     ("extensions/v1beta1", "IngressClass"), ("apps/v1beta1", "Deployment"), ("apps/v1beta1", "StatefulSet"),
                     ("apps/v1beta2", "Deployment"), ("apps/v1beta2", "StatefulSet"), ("apps/v1beta2", "DaemonSet"),
                     ("batch/v1beta1", "CronJob"), ("policy/v1beta1", "PodDisruptionBudget"),
                     ("networking.k8s.io/v1beta1", "Ingress"), ("networking.k8s.io/v1beta1", "IngressClass")}


def r_removed_api_unknown_to_peer(obj, side, where=None):
    return side == "envgate" and (obj.get("apiVersion"), obj.get("kind")) not in KUBE_SCORE_STABLE


def r_selector_job(obj, side, where=None):
    return side == "envgate" and obj.get("kind") not in ("Deployment", "StatefulSet")


def r_run_to_completion_pod(obj, side, where=None):
    return side == "peer" and obj.get("kind") == "Pod" and pod_spec(obj).get("restartPolicy") in ("Never", "OnFailure")


def r_no_containers(obj, side, where=None):
    return side == "peer" and obj.get("kind") in POD_SPEC_PATHS and not containers(obj)


def r_no_image(obj, side, where=None):
    return side == "peer" and any_container(obj, lambda c: not c.get("image")) and all(
        not c.get("image") or "@" in str(c["image"]) or image_tag(str(c["image"])) not in ("", "latest") for c in containers(obj))


def r_env_from_secret(obj, side, where=None):
    return side == "peer" and any_container(obj, lambda c: any(
        isinstance(e, dict) and e.get("secretRef") for e in (c.get("envFrom") or [])))


PROBE_HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")


def r_probes_differ_in_timing(obj, side, where=None):
    """Same handler, other thresholds or periods: kube-score compares the handler only."""
    def differs(c):
        r, l = c.get("readinessProbe"), c.get("livenessProbe")
        if not isinstance(r, dict) or not isinstance(l, dict) or r == l:
            return False
        return all(r.get(h) == l.get(h) for h in PROBE_HANDLERS)
    def same_handler(c):
        r, l = c.get("readinessProbe"), c.get("livenessProbe")
        return isinstance(r, dict) and isinstance(l, dict) and all(r.get(h) == l.get(h) for h in PROBE_HANDLERS)
    return side == "peer" and all_flagged_explained(obj, same_handler, differs)


def r_seccomp_annotation(obj, side, where=None):
    annotations = dig(obj, "spec", "template", "metadata", "annotations") or dig(obj, "metadata", "annotations") or {}
    return side == "envgate" and any(k.startswith("seccomp.security.alpha.kubernetes.io/") for k in annotations)


def r_no_selector(obj, side, where=None):
    return side == "peer" and not dig(obj, "spec", "selector")


GENERIC_REASONS = [
    (r_no_containers, PEER_DIFFERS, "a workload without containers (incomplete; the API server rejects it): the peer judges it, envgate has no container to judge"),
]

WORKLOADS = set(POD_SPEC_PATHS)
CHECKOV_NAMESPACED = {"Pod", "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ReplicationController", "Job",
                      "CronJob", "Service", "Secret", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Ingress"}


def pairs(corpus_for_file_context):
    """The mapped checks. `same`: True when both mean the same thing, False when the peer's
    check is related but asks for something else (shown, not counted in the overall)."""
    P = []

    def pair(envgate, peer, check, same, note, reasons=()):
        P.append({"envgate": envgate, "peer": peer, "check": check, "same": same, "note": note, "reasons": list(reasons)})

    # checkov
    pair("K8S001", "checkov", "CKV_K8S_16", True, "privileged container")
    pair("K8S002", "checkov", "CKV_K8S_20", True, "allowPrivilegeEscalation not false")
    pair("K8S003", "checkov", "CKV_K8S_23", True, "may run as root (runAsNonRoot / runAsUser)", [
        (r_checkov_root_init, PEER_DIFFERS, "checkov's CKV_K8S_23 reads `containers` only; envgate also judges initContainers"),
        (r_root_uid_refused, PEER_DIFFERS, "`runAsUser: 0` with `runAsNonRoot: true` in effect: the kubelet refuses to start the container; checkov passes it on runAsNonRoot, envgate reports the explicit root UID (and says it runs as root, see the report)"),
        (r_run_as_user_inherited, PEER_BUG, "a container with `runAsNonRoot: false` inherits the pod's non-zero runAsUser, so it does not run as root; checkov does not carry runAsUser over from the pod"),
    ])
    pair("K8S004", "checkov", "CKV_K8S_22", True, "writable root filesystem")
    pair("K8S005", "checkov", "CKV_K8S_19", True, "hostNetwork")
    pair("K8S006[hostPID]", "checkov", "CKV_K8S_17", True, "hostPID")
    pair("K8S006[hostIPC]", "checkov", "CKV_K8S_18", True, "hostIPC")
    pair("K8S007", "checkov", "CKV_K8S_26", True, "hostPort", [
        (r_hostport_zero, PEER_DIFFERS, "`hostPort: 0` is the API's \"unset\": envgate ignores it, checkov fires on the key being present"),
    ])
    pair("K8S008[SYS_ADMIN]", "checkov", "CKV_K8S_39", True, "SYS_ADMIN added", [
        (r_cap_prefix, PEER_DIFFERS, "`CAP_SYS_ADMIN` written with its prefix: envgate strips `CAP_` and reports it (CRI-O grants it so), checkov compares the exact string"),
    ])
    pair("K8S008", "checkov", "CKV_K8S_25", False, "checkov fires on any added capability, envgate on dangerous ones", [
        (r_add_harmless, PEER_DIFFERS, "only harmless capabilities added (e.g. NET_BIND_SERVICE): checkov fires on any `add`"),
    ])
    pair("K8S009", "checkov", "CKV_K8S_37", True, "capabilities not dropped (drop ALL)", [
        (r_drop_defaults, PEER_DIFFERS, "drops every default capability by name instead of ALL: envgate accepts it, checkov wants ALL"),
    ])
    pair("K8S009", "checkov", "CKV_K8S_28", False, "checkov asks for NET_RAW dropped only", [
        (r_drop_net_raw_only, PEER_DIFFERS, "drops NET_RAW but keeps the other defaults: enough for checkov's CKV_K8S_28"),
    ])
    pair("K8S010[cpu]", "checkov", "CKV_K8S_10", True, "CPU request missing", [
        (r_limit_copied("cpu"), PEER_DIFFERS, "CPU limit without request: Kubernetes copies the limit into the request; checkov wants it written"),
        (r_zero_request("cpu"), PEER_DIFFERS, "`cpu: \"0\"` reserves nothing: envgate counts it missing, checkov takes any non-empty value as set"),
    ])
    pair("K8S010[memory]", "checkov", "CKV_K8S_12", True, "memory request missing", [
        (r_limit_copied("memory"), PEER_DIFFERS, "memory limit without request: Kubernetes copies the limit into the request; checkov wants it written"),
        (r_zero_request("memory"), PEER_DIFFERS, "a zero memory request reserves nothing: envgate counts it missing, checkov takes any non-empty value as set"),
    ])
    pair("K8S011", "checkov", "CKV_K8S_13", True, "memory limit missing")
    pair("K8S012[error]", "checkov", "CKV_K8S_14", True, "image tag latest or missing", [
        (r_no_image, PEER_DIFFERS, "a container without `image` (the API server rejects it): checkov reports a missing tag, envgate's K8S012 judges image references only"),
    ])
    pair("K8S012", "checkov", "CKV_K8S_43", True, "image not pinned by digest", [
        (r_no_image, PEER_DIFFERS, "a container without `image` (the API server rejects it): checkov reports it, envgate's K8S012 judges image references only"),
    ])
    pair("K8S013[livenessProbe]", "checkov", "CKV_K8S_8", True, "livenessProbe missing", [
        (r_run_to_completion_pod, PEER_DIFFERS, "a Pod with restartPolicy Never/OnFailure runs to completion: envgate skips it, checkov only skips Jobs"),
    ])
    pair("K8S013[readinessProbe]", "checkov", "CKV_K8S_9", True, "readinessProbe missing", [
        (r_run_to_completion_pod, PEER_DIFFERS, "a Pod with restartPolicy Never/OnFailure runs to completion: envgate skips it, checkov only skips Jobs"),
    ])
    pair("K8S014", "checkov", "CKV_K8S_35", False, "opposite intent: checkov flags env taken from a Secret (prefers files), envgate flags secrets written in clear", [
        (r_secret_ref, PEER_DIFFERS, "env from `secretKeyRef`: checkov prefers secrets as files; envgate finds it correct"),
        (r_env_from_secret, PEER_DIFFERS, "`envFrom` a Secret: checkov prefers secrets as files; envgate finds it correct"),
        (r_plain_secret, PEER_DIFFERS, "a literal secret value: checkov does not look at values"),
    ])
    pair("K8S015[socket]", "checkov", "CKV_K8S_27", True, "container runtime socket mounted", [
        (r_socket_other_runtime, PEER_DIFFERS, "another runtime's socket (containerd, CRI-O): checkov knows /var/run/docker.sock only"),
    ])
    pair("K8S016", "checkov", "CKV_K8S_31", True, "no seccomp profile", [
        (r_seccomp_localhost, PEER_DIFFERS, "a `Localhost` profile: envgate accepts it, checkov wants RuntimeDefault"),
        (r_seccomp_container_overrides, PEER_BUG, "a container's own seccompProfile overrides the pod's; checkov takes the pod-level one when it is set and ignores the container's"),
        (r_seccomp_init_only, PEER_DIFFERS, "checkov does not look at initContainers"),
        (r_seccomp_cronjob_container, PEER_BUG, "CronJob: checkov reads only the pod-level profile of a CronJob and wants RuntimeDefault there; the containers' own profiles are not read"),
    ])
    pair("K8S017", "checkov", "CKV_K8S_38", True, "service-account token mounted", [
        (r_dedicated_sa, PEER_DIFFERS, "dedicated service account: envgate takes it to need its token; checkov fires unless automount is false"),
        (r_default_sa_in_file(), PEER_DIFFERS, "the `default` ServiceAccount in the same file sets automountServiceAccountToken: false; checkov does not look"),
    ])
    pair("K8S019", "checkov", "CKV_K8S_21", True, "default namespace", [
        (r_default_sa_object, PEER_DIFFERS, "the `default` ServiceAccount itself: checkov exempts it"),
        (r_kind_not_judged(CHECKOV_NAMESPACED), NOT_JUDGED, "a kind checkov's CKV_K8S_21 does not list"),
    ])

    # kube-score
    pair("K8S001", "kube-score", "container-security-context-privileged", True, "privileged container")
    pair("K8S004", "kube-score", "container-security-context-readonlyrootfilesystem", True, "writable root filesystem")
    pair("K8S003", "kube-score", "container-security-context-user-group-id", False, "kube-score wants UID and GID >= 10000 (like checkov's CKV_K8S_40, which envgate leaves out on purpose)", [
        (r_uid_high, PEER_DIFFERS, "a non-root UID or group below 10000, or runAsNonRoot without a UID: kube-score wants both IDs >= 10000"),
    ])
    pair("K8S010[cpu]", "kube-score", "container-resources[cpu-request]", True, "CPU request missing", [
        (r_limit_copied("cpu"), PEER_DIFFERS, "CPU limit without request: Kubernetes copies the limit into the request; kube-score wants it written"),
    ])
    pair("K8S010[memory]", "kube-score", "container-resources[memory-request]", True, "memory request missing", [
        (r_limit_copied("memory"), PEER_DIFFERS, "memory limit without request: Kubernetes copies the limit into the request; kube-score wants it written"),
    ])
    pair("K8S011", "kube-score", "container-resources[memory-limit]", True, "memory limit missing")
    pair("K8S012[error]", "kube-score", "container-image-tag", True, "image tag latest or missing", [
        (r_registry_port, PEER_BUG, "registry with a port and no tag (`host:5000/app`): kube-score splits on the last ':' and takes `5000/app` for the tag"),
        (r_no_image, PEER_DIFFERS, "a container without `image` (the API server rejects it): kube-score reports a missing tag, envgate's K8S012 judges image references only"),
    ])
    pair("K8S013[warning]", "kube-score", "pod-probes", False, "kube-score: one readiness and one liveness probe anywhere in the pod, and only for pods a Service selects", [
        (r_probes_any_container, PEER_DIFFERS, "another container of the pod has both probes: enough for kube-score, envgate wants them on every container"),
    ])
    pair("K8S013[identical]", "kube-score", "pod-probes-identical", True, "identical liveness and readiness probes", [
        (r_kube_score_probes_init, PEER_DIFFERS, "kube-score also compares initContainers' probes"),
        (r_probes_differ_in_timing, PEER_DIFFERS, "same endpoint, other thresholds or periods: kube-score compares the handler only, envgate the whole probe (a more tolerant livenessProbe is the advice)"),
    ])
    pair("K8S016", "kube-score", "container-seccomp-profile", True, "no seccomp profile (kube-score optional check, enabled)", [
        (r_seccomp_container_overrides, PEER_BUG, "a container's own seccompProfile overrides the pod's; kube-score takes the pod-level one when it is set and ignores the container's"),
        (r_seccomp_any_type, PEER_DIFFERS, "`Unconfined` named explicitly: kube-score accepts any profile that is set"),
        (r_seccomp_annotation, PEER_DIFFERS, "the seccomp annotation (removed in Kubernetes 1.27, ignored since): kube-score honours it, envgate does not"),
        (r_seccomp_init_only, PEER_DIFFERS, "kube-score does not look at initContainers"),
    ])
    pair("K8S018", "kube-score", "stable-version", True, "removed or deprecated apiVersion", [
        (r_removed_api_unknown_to_peer, NOT_JUDGED, "an API version kube-score's short list does not have"),
    ])
    pair("K8S020", "kube-score", "selector-labels-match-template-labels", True, "selector does not match template labels (Deployment and StatefulSet checks)", [
        (r_selector_job, NOT_JUDGED, "kube-score checks Deployments and StatefulSets only"),
        (r_no_selector, PEER_DIFFERS, "no `spec.selector` (required by apps/v1; the API server rejects the object): kube-score reports a mismatch, envgate's K8S020 compares a selector that exists"),
    ])

    # Peers that could not be installed here keep their mapping, from the rules' METADATA.
    for rule, check in (("K8S001", "runAsPrivileged"), ("K8S002", "privilegeEscalationAllowed"), ("K8S003", "runAsRootAllowed"),
                        ("K8S004", "notReadOnlyRootFilesystem"), ("K8S005", "hostNetworkSet"), ("K8S006[hostPID]", "hostPIDSet"),
                        ("K8S006[hostIPC]", "hostIPCSet"), ("K8S007", "hostPortSet"), ("K8S008", "dangerousCapabilities"),
                        ("K8S009", "insecureCapabilities"), ("K8S010[cpu]", "cpuRequestsMissing"), ("K8S010[memory]", "memoryRequestsMissing"),
                        ("K8S011", "memoryLimitsMissing"), ("K8S012[error]", "tagNotSpecified"),
                        ("K8S013[readinessProbe]", "readinessProbeMissing"), ("K8S013[livenessProbe]", "livenessProbeMissing")):
        pair(rule, "polaris", check, True, "")
    for rule, check in (("K8S001", "privileged-container"), ("K8S002", "privilege-escalation-container"), ("K8S003", "run-as-non-root"),
                        ("K8S004", "no-read-only-root-fs"), ("K8S005", "host-network"), ("K8S006[hostPID]", "host-pid"),
                        ("K8S006[hostIPC]", "host-ipc"), ("K8S009", "drop-net-raw-capability"), ("K8S012[error]", "latest-tag"),
                        ("K8S014", "env-var-secret"), ("K8S015", "sensitive-host-mounts"), ("K8S015[socket]", "docker-sock"),
                        ("K8S017", "default-service-account"), ("K8S018", "no-extensions-v1beta"), ("K8S020", "mismatching-selector")):
        pair(rule, "kube-linter", check, True, "")
    return P


# ---------------------------------------------------------------------------------------
# Comparing


def compare(corpus, results, peers_ok):
    rows = []
    for p in pairs(corpus):
        if p["peer"] not in peers_ok:
            continue
        env_res, peer_res = results["envgate"], results[p["peer"]]
        skip = set(env_res.not_judged)
        env_fired = env_res.fired.get(p["envgate"], set()) - skip
        peer_fired = peer_res.fired.get(p["check"], set()) - skip
        judged = (peer_res.judged.get(p["check"], set()) | env_fired | peer_fired) - skip
        both = env_fired & peer_fired
        only_env = (env_fired - peer_fired)
        only_peer = (peer_fired - env_fired)
        disagreements = []
        for key, side in sorted([(k, "envgate") for k in only_env] + [(k, "peer") for k in only_peer]):
            obj = corpus.obj(key)
            category, reason = "unexplained", "no documented difference explains it: to examine"
            if side == "envgate" and key not in peer_res.judged.get(p["check"], set()):
                category, reason = NOT_JUDGED, "the peer did not evaluate this check on the object"
                if obj is not None:
                    for pred, cat, text in p["reasons"]:
                        if cat == NOT_JUDGED and pred(obj, side, (corpus, key)):
                            reason = text
            elif obj is not None:
                for pred, cat, text in p["reasons"] + GENERIC_REASONS:
                    if pred(obj, side, (corpus, key)):
                        category, reason = cat, text
                        break
            if obj is None and corpus.objects:
                reason = "the document could not be read for a reason"
            disagreements.append({"key": key, "side": side, "category": category, "reason": reason})
        n = len(judged)
        rows.append({**p, "judged": n, "env_fired": len(env_fired), "peer_fired": len(peer_fired), "both": len(both),
                     "agree": n - len(only_env) - len(only_peer), "disagreements": disagreements})
    return rows


# ---------------------------------------------------------------------------------------
# The report


def pct(a, b):
    return "n/a" if not b else f"{100.0 * a / b:.1f}%"


def human_time(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def report(args, corpora, rows_by_corpus, speed, peers, tools, envgate_version, skipped_by_corpus):
    out = []
    w = out.append
    w("# envgate beside the peer linters")
    w("")
    w(f"Written by `bench/peers.sh` (bench/peers.py): seed {args.seed}, {args.docs} generated documents "
      f"({args.per_file} per file, `bench/gen-manifests.py --varied {args.seed}`), Kubernetes target {KUBERNETES_VERSION}. "
      "Re-run it to refresh this file; the agreement part is deterministic, the times are not.")
    w("")
    w("## Tools")
    w("")
    w("| tool | version | status |")
    w("| --- | --- | --- |")
    commit = run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"], 30)[1].strip() or "unknown"
    dirty = run(["git", "-C", HERE, "status", "--porcelain", "--", ":(top)", ":(top,exclude)bench/results"], 30)[1].strip()
    w(f"| envgate | {envgate_version} (commit {commit}{', with local changes' if dirty else ''}) | built from this tree "
      f"(`--format json --no-config --kubernetes-version {KUBERNETES_VERSION}`) |")
    for name in ("kube-score", "checkov", "polaris", "kube-linter"):
        info = peers.get(name, {})
        if info.get("path"):
            extra = {"kube-score": f"`score -o json --kubernetes-version v{KUBERNETES_VERSION} --enable-optional-test container-seccomp-profile`",
                     "checkov": "`--framework kubernetes -o json --compact --skip-download`, all its default checks"}.get(name, "")
            w(f"| {name} | {info.get('version')} | {info.get('status')}; {extra} |")
        else:
            w(f"| {name} | - | not run: {info.get('reason', 'not installed')} |")
    w("")
    go_version = run([GO, "version"], 30)[1].strip().replace("go version go", "") or "none"
    w(f"Run with Python {sys.version.split()[0]} and Go {go_version}.")
    w("")
    w("Unit: the object (one YAML document). checkov reports one result per object and check, kube-score grades "
      "each object, so envgate's findings are counted per object too: a pair agrees on an object when both tools "
      "report the check on it or neither does. Judged: the objects the peer evaluated that check on, plus any "
      "object envgate reported it on. *Same check* pairs ask for the same thing and make the overall figure; "
      "*related* pairs are the peer checks named in the rules' `related_resources` that ask for something else, "
      "shown for what they are and left out of the overall figure. A reason is a test on the document, not a label "
      "put by hand; where only the peer fired, every container the peer flags must show the difference, so that "
      "envgate's silence cannot hide a miss of its own. The figures depend on how often the generator sets each "
      "edge case (a few percent of containers each); kube-score's own test manifests give a second, independent mix.")
    for corpus in corpora:
        rows = rows_by_corpus[corpus.name]
        if not rows:
            continue
        w("")
        w(f"## Agreement: {corpus.name} ({corpus.count_documents()} documents in {len(corpus.files)} files)")
        w("")
        skipped = skipped_by_corpus.get(corpus.name) or {}
        if skipped:
            w("Left out of every pair, as envgate does not judge them: " + "; ".join(
                f"{n} document{'s' if n != 1 else ''} ({reason})" for reason, n in sorted(skipped.items())) + ".")
            w("")
        w("| envgate | peer | peer check | kind | judged | envgate fires | peer fires | agreement | disagreements | of which unexplained |")
        w("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            unexplained = sum(1 for d in r["disagreements"] if d["category"] == "unexplained")
            w(f"| {r['envgate']} | {r['peer']} | {r['check']} | {'same check' if r['same'] else 'related'} | {r['judged']} | "
              f"{r['env_fired']} | {r['peer_fired']} | {pct(r['agree'], r['judged'])} | {len(r['disagreements'])} | {unexplained} |")
        same = [r for r in rows if r["same"]]
        judged = sum(r["judged"] for r in same)
        agree = sum(r["agree"] for r in same)
        cats = collections.Counter(d["category"] for r in same for d in r["disagreements"])
        w("")
        w(f"**Overall, same-check pairs: {pct(agree, judged)}** ({agree} of {judged} object judgements agree; "
          f"{judged - agree} disagreements: " + (", ".join(f"{n} {c}" for c, n in cats.most_common()) or "none") + ").")
        related = [r for r in rows if not r["same"]]
        if related:
            rj = sum(r["judged"] for r in related)
            ra = sum(r["agree"] for r in related)
            w(f"Related pairs (not counted): {pct(ra, rj)} ({ra} of {rj}).")
        w("")
        w("### Disagreements and their reasons")
        w("")
        w("| envgate | peer check | fired only in | reason | category | objects | examples |")
        w("| --- | --- | --- | --- | --- | ---: | --- |")
        for r in rows:
            groups = collections.OrderedDict()
            for d in r["disagreements"]:
                groups.setdefault((d["side"], d["reason"], d["category"]), []).append(d["key"])
            for (side, reason, cat), keys in groups.items():
                examples = ", ".join(f"`{os.path.relpath(k[0], corpus.root)}#{k[1] + 1}`" for k in keys[:3])
                w(f"| {r['envgate']} | {r['peer']} {r['check']} | {'envgate' if side == 'envgate' else r['peer']} | {reason} | {cat} | {len(keys)} | {examples} |")
        w("")
        w("`file#N` is the N-th YAML document of the file.")
    missing = [name for name in ("polaris", "kube-linter", "kube-score", "checkov") if not (peers.get(name) or {}).get("path")]
    if missing:
        w("")
        w("## Mapped but not run")
        w("")
        w("These peers could not be installed on this machine (see Tools); their checks stay mapped for a machine that has them:")
        w("")
        for name in missing:
            mapped = [f"{p['envgate']} ~ {p['check']}" for p in pairs(None) if p["peer"] == name]
            w(f"- {name}: " + ", ".join(mapped) + ".")
    w("")
    w("## Speed and memory, same inputs")
    w("")
    w(f"Cold process each run, median wall time of {args.runs} runs after one untimed run, the tools taking turns; "
      "peak resident memory of the largest process "
      f"(ru_maxrss through GNU time). checkov runs its checks in worker processes (2 here); the figure is its largest process, not the sum. The machine: {os.cpu_count()} cores, possibly shared with other work (load average {LOAD[0]:.1f} when the timed runs began, {LOAD[1]:.1f} when they ended), so compare the tools within one run of this script rather than across runs. Each run is bounded by {args.timeout} s.")
    w("")
    w("| input | tool | wall (median) | min | peak RSS | exit |")
    w("| --- | --- | ---: | ---: | ---: | --- |")
    for label, tool, times, rss, codes in speed:
        if not times:
            w(f"| {label} | {tool} | timed out | | | |")
            continue
        w(f"| {label} | {tool} | {human_time(statistics.median(times))} | {human_time(min(times))} | {max(rss) / 1024:.0f} MB | "
          f"{'/'.join(sorted(set(str(c) for c in codes)))} |")
    w("")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------


LOAD = [0.0, 0.0]  # the 1-minute load average before the first and after the last timed run


def timed_runs(label, tools, paths, files, args, env, work, warm=False):
    """args.runs cold-process runs of every tool, the tools taking turns so that a change in
    the machine's load falls on all of them alike."""
    if not any(LOAD):
        LOAD[0] = os.getloadavg()[0]
    got = {tool.name: ([], [], []) for tool in tools}
    if warm:
        for tool in tools:
            measure(tool.command(paths, files), args.timeout, env=env, cwd=work)
    for _ in range(args.runs):
        for tool in tools:
            times, rss, codes = got[tool.name]
            if len(times) < _:
                continue  # timed out before
            code, wall, peak, _text = measure(tool.command(paths, files), args.timeout, env=env, cwd=work)
            if code is None:
                print(f"  {tool.name}: timed out on {label}", file=sys.stderr)
                continue
            times.append(wall)
            rss.append(peak)
            codes.append(code)
    for tool in tools:
        times = got[tool.name][0]
        print(f"  {tool.name} on {label}: " + (f"median {statistics.median(times):.2f} s" if times else "no result"), file=sys.stderr)
    LOAD[1] = os.getloadavg()[0]
    return [(label, tool.name) + got[tool.name] for tool in tools]


def list_yaml(root):
    found = []
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith((".yaml", ".yml")):
                found.append(os.path.join(dirpath, name))
    return sorted(found)


def kube_score_testdata(version):
    """The peer's own test manifests from the Go module cache (read in place, never copied)."""
    code, out, err = run([GO, "mod", "download", "-json", f"github.com/zegl/kube-score@{version}"], 600, env=go_env())
    if code != 0:
        return None, first_error_line(err or out)
    info = json.loads(out)
    if info.get("Error"):
        return None, info["Error"][:200]
    root = os.path.join(info["Dir"], "score", "testdata")
    return (root, None) if os.path.isdir(root) else (None, f"no testdata in {info['Dir']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("envgate")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--per-file", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each tool per input (default 5)")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "peers.md"))
    parser.add_argument("--no-fixtures", action="store_true", help="skip kube-score's own test manifests")
    parser.add_argument("--no-install", action="store_true", help="use the peers found in the cache, install none")
    parser.add_argument("--details", help="also write every disagreement as JSON to this file")
    args = parser.parse_args()

    print("peers: installing or finding the peers in", CACHE, file=sys.stderr)
    peers = install_peers(args.no_install)
    for name, info in peers.items():
        print(f"  {name}: {info.get('version') or '-'} {info.get('status')} {info.get('reason', '')}".rstrip(), file=sys.stderr)
    tools = tool_commands(os.path.abspath(args.envgate), peers)
    envgate_version = tools[0].version
    python = (peers.get("checkov") or {}).get("python")

    work = tempfile.mkdtemp(prefix="envgate-peers-")
    try:
        corpus_dir = os.path.join(work, "corpus")
        files = args.docs // args.per_file
        subprocess.run([sys.executable, os.path.join(HERE, "gen-manifests.py"), "--varied", str(args.seed), corpus_dir,
                        str(files), str(args.per_file)], check=True, stdout=subprocess.DEVNULL)
        single_dir = os.path.join(work, "single")
        subprocess.run([sys.executable, os.path.join(HERE, "gen-manifests.py"), single_dir, "1", "1"], check=True,
                       stdout=subprocess.DEVNULL)
        corpora = [Corpus(f"generated corpus (seed {args.seed})", corpus_dir, list_yaml(corpus_dir))]
        if not args.no_fixtures and peers.get("kube-score", {}).get("path"):
            root, err = kube_score_testdata(peers["kube-score"]["version"])
            if root:
                corpora.append(Corpus(f"kube-score's testdata ({peers['kube-score']['version']}, read from the Go module cache)",
                                      root, list_yaml(root)))
            else:
                print(f"note: kube-score's testdata not used: {err}", file=sys.stderr)
        for corpus in corpora:
            corpus.objects = load_objects(corpus.files, python)

        env = tool_env()
        speed = []
        rows_by_corpus = {}
        skipped_by_corpus = {}
        for corpus in corpora:
            results = {}
            timed = corpus is corpora[0]
            for tool in tools:
                if tool.name == "kube-score" and not timed:
                    # kube-score keys objects by kind, namespace and name across all the files
                    # of a run, and test fixtures reuse names: one run per file.
                    merged = []
                    for f in corpus.files:
                        code, _, _, text_f = measure(tool.command([f], [f]), args.timeout, env=env, cwd=work)
                        try:
                            merged += (json.loads(text_f) if text_f.strip() else None) or []
                        except ValueError:
                            print(f"  kube-score: no JSON for {f}", file=sys.stderr)
                    results[tool.name] = parse_kube_score(json.dumps(merged), corpus)
                    continue
                # One run for the comparison, which also warms the page cache and
                # checkov's bytecode; the timed runs come after, tools taking turns.
                code, _, _, text = measure(tool.command([corpus.root], corpus.files), args.timeout, env=env, cwd=work)
                if code is None:
                    print(f"  {tool.name}: timed out on {corpus.name}", file=sys.stderr)
                    continue
                try:
                    results[tool.name] = PARSERS[tool.name](text, corpus)
                except (ValueError, KeyError) as err:
                    print(f"  {tool.name}: output not understood on {corpus.name}: {err}", file=sys.stderr)
            if timed:
                label = f"{corpus.count_documents()} documents, {len(corpus.files)} files"
                speed += timed_runs(label, tools, [corpus.root], corpus.files, args, env, work)
            ok = {name for name in results if name != "envgate"}
            rows_by_corpus[corpus.name] = compare(corpus, results, ok) if "envgate" in results else []
            if "envgate" in results:
                skipped_by_corpus[corpus.name] = collections.Counter(results["envgate"].not_judged.values())
        single = list_yaml(single_dir)
        speed += timed_runs("1 file, 1 Deployment", tools, single, single, args, env, work, warm=True)

        text = report(args, corpora, rows_by_corpus, speed, peers, tools, envgate_version, skipped_by_corpus)
        sys.stdout.write(text)
        if args.out:
            os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
            with open(args.out, "w") as handle:
                handle.write(text)
            print(f"peers: written to {args.out}", file=sys.stderr)
        if args.details:
            with open(args.details, "w") as handle:
                json.dump({c.name: [{"envgate": r["envgate"], "peer": r["peer"], "check": r["check"],
                                     "disagreements": [{**d, "key": [os.path.relpath(d["key"][0], c.root), d["key"][1]],
                                                        "object": c.obj(d["key"])} for d in r["disagreements"]]}
                                    for r in rows_by_corpus[c.name]] for c in corpora}, handle, indent=1, default=str)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
