#!/usr/bin/env python3
"""Writes a deterministic tree of Kubernetes manifests for bench/files.sh.

Usage: bench/gen-manifests.py [--clean | --legacy | --varied SEED] DIR FILES DOCS_PER_FILE

Each file holds DOCS_PER_FILE documents separated by `---`, cycling through a
Deployment (about 70 lines, an app container and a proxy sidecar), a Service, a
ConfigMap and a CronJob. By default the mix is what a typical repository holds: the
app containers are hardened, the sidecars and jobs are not, one workload in ten is
privileged, a third lack limits (about 4.5 findings per document with the k8s pack).
`--clean` hardens everything and pins images by digest (about 0.1 per document), to
tell the cost of judging from the cost of reporting. `--legacy` is the first run on a
legacy repository: every document a Deployment that breaks about a dozen rules.
"""

import json
import os
import random
import re
import sys

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{n}
  namespace: {namespace}
  labels:
    app: app-{n}
    team: team-{team}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: app-{n}
  template:
    metadata:
      labels:
        app: app-{n}
    spec:
      serviceAccountName: app-{n}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/app-{n}:1.{n}.0
          ports:
            - containerPort: 8080
          env:
            - name: MODE
              value: production
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {{name: app-{n}, key: db-password}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
{limits}
          readinessProbe:
            httpGet: {{path: /ready, port: 8080}}
          livenessProbe:
            httpGet: {{path: /healthz, port: 8080}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: {privileged}
            capabilities:
              drop: [ALL]
        - name: proxy
          image: envoyproxy/envoy:v1.30.1
          args: ["--config-path", "/etc/envoy/envoy.yaml"]
          volumeMounts:
            - name: config
              mountPath: /etc/envoy
      volumes:
        - name: config
          configMap:
            name: app-{n}-envoy
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: app-{n}
  namespace: {namespace}
spec:
  selector:
    app: app-{n}
  ports:
    - port: 80
      targetPort: 8080
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{n}-envoy
  namespace: {namespace}
data:
  envoy.yaml: |
    static_resources:
      listeners: []
  LOG_LEVEL: info
"""

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: job-{n}
  namespace: {namespace}
spec:
  schedule: "*/15 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox:1.36
              command: ["sh", "-c", "echo hello"]
"""

LIMITS = "            limits: {memory: 256Mi}"


HARDENED = """          image: {image}@sha256:{digest}
          resources:
            requests: {{cpu: 50m, memory: 64Mi}}
            limits: {{cpu: 200m, memory: 128Mi}}
          readinessProbe:
            tcpSocket: {{port: 9901}}
          livenessProbe:
            tcpSocket: {{port: 9901}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            seccompProfile: {{type: RuntimeDefault}}
            capabilities:
              drop: [ALL]
"""

CLEAN = False


def harden(text, n):
    """The clean corpus: every container hardened, every image pinned, no token mounted."""
    digest = format(n * 2654435761 % (1 << 64), "064x")
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("image:") and "registry.example.com" in line:
            # The app container is hardened already; only pin its image.
            out.append(line + "@sha256:" + format(n * 2654435761 % (1 << 64), "064x"))
            continue
        if stripped.startswith("image:"):
            indent = len(line) - len(line.lstrip())
            image = stripped.split(":", 1)[1].strip()
            block = HARDENED.format(image=image, digest=digest)
            out.extend(" " * (indent - 10) + b for b in block.rstrip("\n").split("\n"))
            continue
        out.append(line)
    text = "\n".join(out)
    text = text.replace("      restartPolicy: OnFailure", "      restartPolicy: OnFailure\n          automountServiceAccountToken: false")
    return text


def document(n):
    kind = n % 4
    fields = {
        "n": n,
        "namespace": f"ns-{n % 7}",
        "team": n % 5,
        "limits": LIMITS if n % 3 else "",
        "privileged": "true" if n % 10 == 0 else "false",
    }
    if CLEAN:
        fields["limits"] = LIMITS
        fields["privileged"] = "false"
    template = [DEPLOYMENT, SERVICE, CONFIGMAP, CRONJOB][kind]
    text = template.format(**fields).replace("\n\n", "\n")
    return harden(text, n) if CLEAN and kind in (0, 3) else text


# ---- --varied: seeded random documents for comparing linters ----------------------

DEFAULT_CAPS = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
                "SYS_CHROOT"]


def _scalar(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if re.fullmatch(r"[A-Za-z_/][A-Za-z0-9_./-]*", value) and value not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n"):
        return value
    return json.dumps(value)


def to_yaml(value, indent=0):
    """Block-style YAML of dicts, lists and scalars, as people write it."""
    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(to_yaml(item, indent + 2))
            elif isinstance(item, list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(to_yaml(item, indent + 2))
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{_scalar(item) if not isinstance(key, str) else key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                sub = to_yaml(item, indent + 2)
                sub[0] = f"{pad}- " + sub[0][indent + 2:]
                lines.extend(sub)
            else:
                lines.append(f"{pad}- {_scalar(item) if not isinstance(item, (dict, list)) else ('{}' if isinstance(item, dict) else '[]')}")
    return lines


def _pick(rng, weighted):
    """weighted: [(weight, value), ...]"""
    total = sum(w for w, _ in weighted)
    x = rng.random() * total
    for w, v in weighted:
        x -= w
        if x < 0:
            return v
    return weighted[-1][1]


def _digest(rng):
    return "sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64))


def varied_container(rng, name, regular):
    c = {"name": name}
    c["image"] = _pick(rng, [
        (4, "nginx"), (6, "nginx:latest"), (30, "nginx:1.27.3"),
        (12, "registry.example.com:5000/team/app:2.1.0"), (3, "registry.example.com:5000/team/app"),
        (25, "ghcr.io/example/api@" + _digest(rng)), (20, "envoyproxy/envoy:v1.30.1@" + _digest(rng)),
    ])
    if rng.random() < 0.3:
        c["args"] = ["--port", "8080"]
    if regular and rng.random() < 0.7:
        port = {"containerPort": 8080}
        host = _pick(rng, [(86, None), (10, 8080), (4, 0)])
        if host is not None:
            port["hostPort"] = host
        c["ports"] = [port]
    env = []
    for kind in rng.sample(["mode", "secret_ref", "plain_secret", "url"], rng.randint(0, 2)):
        if kind == "mode":
            env.append({"name": "MODE", "value": "production"})
        elif kind == "secret_ref":
            env.append({"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}})
        elif kind == "plain_secret" and rng.random() < 0.3:
            env.append({"name": "API_TOKEN", "value": "t0k3n-" + str(rng.randint(1000, 9999))})
        elif kind == "url":
            env.append({"name": "UPSTREAM_URL", "value": "http://upstream:8080"})
    if env:
        c["env"] = env
    res = _pick(rng, [
        (20, None), (25, "requests"), (30, "both"), (8, "limits_only"), (7, "cpu_request_mem_limit"),
        (5, "zero_cpu_request"), (5, "cpu_only"),
    ])
    if res == "requests":
        c["resources"] = {"requests": {"cpu": "100m", "memory": "128Mi"}}
    elif res == "both":
        c["resources"] = {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}
        if rng.random() < 0.5:
            c["resources"]["limits"]["cpu"] = "500m"
    elif res == "limits_only":
        c["resources"] = {"limits": {"cpu": "500m", "memory": "256Mi"}}
    elif res == "cpu_request_mem_limit":
        c["resources"] = {"requests": {"cpu": "100m"}, "limits": {"memory": "256Mi"}}
    elif res == "zero_cpu_request":
        c["resources"] = {"requests": {"cpu": "0", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}
    elif res == "cpu_only":
        c["resources"] = {"requests": {"cpu": "100m"}, "limits": {"cpu": "500m"}}
    if regular:
        probes = _pick(rng, [(25, "none"), (10, "readiness"), (8, "liveness"), (45, "both"), (12, "identical")])
        ready = {"httpGet": {"path": "/ready", "port": 8080}}
        live = {"httpGet": {"path": "/healthz", "port": 8080}}
        if probes in ("readiness", "both", "identical"):
            c["readinessProbe"] = ready
        if probes in ("liveness", "both"):
            c["livenessProbe"] = live
        if probes == "identical":
            c["livenessProbe"] = {"httpGet": {"path": "/ready", "port": 8080}}
    if rng.random() < 0.8:
        sc = {}
        for field, choices in (
            ("privileged", [(78, None), (12, False), (10, True)]),
            ("allowPrivilegeEscalation", [(30, None), (55, False), (15, True)]),
            ("readOnlyRootFilesystem", [(30, None), (55, True), (15, False)]),
            ("runAsNonRoot", [(60, None), (32, True), (8, False)]),
            ("runAsUser", [(60, None), (25, 10001), (8, 1000), (7, 0)]),
        ):
            v = _pick(rng, choices)
            if v is not None:
                sc[field] = v
        caps = {}
        add = _pick(rng, [(70, None), (10, ["NET_BIND_SERVICE"]), (6, ["SYS_ADMIN"]), (5, ["NET_RAW"]),
                          (3, ["ALL"]), (3, ["NET_ADMIN", "SYS_TIME"]), (3, ["CAP_SYS_ADMIN"])])
        if add:
            caps["add"] = add
        drop = _pick(rng, [(30, None), (50, ["ALL"]), (10, ["NET_RAW"]), (5, list(DEFAULT_CAPS)), (5, ["all"])])
        if drop:
            caps["drop"] = drop
        if caps:
            sc["capabilities"] = caps
        seccomp = _pick(rng, [(80, None), (10, "RuntimeDefault"), (5, "Localhost"), (5, "Unconfined")])
        if seccomp:
            sc["seccompProfile"] = {"type": seccomp}
            if seccomp == "Localhost":
                sc["seccompProfile"]["localhostProfile"] = "profiles/app.json"
        if sc or rng.random() < 0.5:
            c["securityContext"] = sc
    return c


def varied_pod_spec(rng, n, restart=None):
    spec = {}
    sa = _pick(rng, [(40, None), (10, "default"), (50, f"app-{n}")])
    if sa:
        spec["serviceAccountName"] = sa
    auto = _pick(rng, [(50, None), (40, False), (10, True)])
    if auto is not None:
        spec["automountServiceAccountToken"] = auto
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        v = _pick(rng, [(87, None), (5, False), (8, True)])
        if v is not None:
            spec[field] = v
    if restart:
        spec["restartPolicy"] = restart
    if rng.random() < 0.7:
        psc = {}
        for field, choices in (
            ("runAsNonRoot", [(45, None), (45, True), (10, False)]),
            ("runAsUser", [(50, None), (35, 10001), (8, 1000), (7, 0)]),
            ("runAsGroup", [(60, None), (30, 10001), (10, 1000)]),
            ("fsGroup", [(70, None), (30, 10001)]),
        ):
            v = _pick(rng, choices)
            if v is not None:
                psc[field] = v
        seccomp = _pick(rng, [(45, None), (40, "RuntimeDefault"), (7, "Localhost"), (8, "Unconfined")])
        if seccomp:
            psc["seccompProfile"] = {"type": seccomp}
            if seccomp == "Localhost":
                psc["seccompProfile"]["localhostProfile"] = "profiles/app.json"
        spec["securityContext"] = psc
    if rng.random() < 0.2:
        spec["initContainers"] = [varied_container(rng, "init", False)]
    names = ["app", "proxy", "metrics"][: _pick(rng, [(55, 1), (35, 2), (10, 3)])]
    spec["containers"] = [varied_container(rng, name, True) for name in names]
    host = _pick(rng, [(82, None), (4, "/var/run/docker.sock"), (3, "/run/containerd/containerd.sock"),
                       (3, "/etc"), (4, "/var/log/pods"), (4, "/data/app")])
    volumes = [{"name": "config", "configMap": {"name": f"app-{n}"}}] if rng.random() < 0.4 else []
    if host:
        volumes.append({"name": "host", "hostPath": {"path": host}})
        spec["containers"][0]["volumeMounts"] = [{"name": "host", "mountPath": "/host"}]
    if volumes:
        spec["volumes"] = volumes
    return spec


def varied_document(rng, n, recent):
    """recent: (name, namespace) of the last workloads, for Services to select."""
    name = f"app-{n}"
    metadata = {"name": name}
    namespace = _pick(rng, [(80, f"ns-{n % 7}"), (12, None), (8, "default")])
    if namespace:
        metadata["namespace"] = namespace
    metadata["labels"] = {"app": name}
    kind = _pick(rng, [(30, "Deployment"), (8, "StatefulSet"), (7, "DaemonSet"), (7, "Job"),
                       (8, "CronJob"), (8, "Pod"), (14, "Service"), (10, "ConfigMap"), (4, "Secret"),
                       (4, "ServiceAccount")])
    labels = {"app": name}
    if kind in ("Deployment", "StatefulSet", "DaemonSet"):
        api = "apps/v1"
        if kind == "Deployment":
            api = _pick(rng, [(94, "apps/v1"), (3, "extensions/v1beta1"), (3, "apps/v1beta2")])
        template_labels = dict(labels)
        if rng.random() < 0.05:
            template_labels = {"app": name + "-v2"}
        spec = {}
        if kind != "DaemonSet":
            spec["replicas"] = rng.choice([1, 2, 3])
        if kind == "StatefulSet":
            spec["serviceName"] = name
        spec["selector"] = {"matchLabels": labels}
        spec["template"] = {"metadata": {"labels": template_labels}, "spec": varied_pod_spec(rng, n)}
        doc = {"apiVersion": api, "kind": kind, "metadata": metadata, "spec": spec}
    elif kind == "Job":
        doc = {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata,
               "spec": {"backoffLimit": 2, "template": {"spec": varied_pod_spec(rng, n, "Never")}}}
    elif kind == "CronJob":
        api = _pick(rng, [(94, "batch/v1"), (6, "batch/v1beta1")])
        doc = {"apiVersion": api, "kind": "CronJob", "metadata": metadata,
               "spec": {"schedule": "*/15 * * * *", "jobTemplate": {"spec": {"template": {
                   "spec": varied_pod_spec(rng, n, "OnFailure")}}}}}
    elif kind == "Pod":
        doc = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": varied_pod_spec(rng, n)}
    elif kind == "Service":
        target = f"app-{max(0, n - rng.randint(1, 3))}"
        if recent and rng.random() < 0.8:
            target, target_ns = recent[-1]
            metadata = {"name": name, "namespace": target_ns, "labels": {"app": name}}
            if not target_ns:
                del metadata["namespace"]
        doc = {"apiVersion": "v1", "kind": "Service", "metadata": metadata,
               "spec": {"selector": {"app": target}, "ports": [{"port": 80, "targetPort": 8080}]}}
    elif kind == "ConfigMap":
        data = {"LOG_LEVEL": "info", "config.yaml": "listen: 8080\n"}
        if rng.random() < 0.2:
            data["DB_PASSWORD"] = "hunter2-" + str(rng.randint(100, 999))
        doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}
    elif kind == "Secret":
        doc = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque",
               "data": {"password": "aHVudGVyMg=="}}
    else:
        metadata["name"] = "default" if rng.random() < 0.5 else name
        doc = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata}
        if rng.random() < 0.6:
            doc["automountServiceAccountToken"] = False
    if kind in POD_KINDS:
        recent.append((name, namespace))
        del recent[:-3]
    return "\n".join(to_yaml(doc)) + "\n"


POD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod")


def write_varied(out, files, per_file, seed):
    rng = random.Random(seed)
    recent = []
    n = 0
    for f in range(files):
        sub = os.path.join(out, f"svc-{f // 100:02d}")
        os.makedirs(sub, exist_ok=True)
        docs = []
        for _ in range(per_file):
            docs.append(varied_document(rng, n, recent))
            n += 1
        with open(os.path.join(sub, f"manifest-{f:04d}.yaml"), "w") as handle:
            handle.write("---\n".join(docs))
    print(f"{n} documents in {files} files under {out} (varied, seed {seed})")


LEGACY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy-{n}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: legacy-{n}
  template:
    metadata:
      labels:
        app: legacy-{n}
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: nginx:latest
          ports:
            - containerPort: 80
              hostPort: 80
          securityContext:
            privileged: true
"""


def main():
    global CLEAN
    args = sys.argv[1:]
    if args and args[0] == "--clean":
        CLEAN = True
        args = args[1:]
    legacy = False
    if args and args[0] == "--legacy":
        legacy = True
        args = args[1:]
    if args and args[0] == "--varied":
        seed = int(args[1])
        write_varied(args[2], int(args[3]), int(args[4]), seed)
        return
    out, files, per_file = args[0], int(args[1]), int(args[2])
    n = 0
    for f in range(files):
        sub = os.path.join(out, f"svc-{f // 100:02d}")
        os.makedirs(sub, exist_ok=True)
        docs = []
        for _ in range(per_file):
            docs.append(LEGACY.format(n=n) if legacy else document(n))
            n += 1
        with open(os.path.join(sub, f"manifest-{f:04d}.yaml"), "w") as handle:
            handle.write("---\n".join(docs))
    print(f"{n} documents in {files} files under {out}")


if __name__ == "__main__":
    main()
