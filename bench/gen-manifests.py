#!/usr/bin/env python3
"""Writes a deterministic tree of Kubernetes manifests for bench/files.sh.

Usage: bench/gen-manifests.py [--clean] DIR FILES DOCS_PER_FILE

Each file holds DOCS_PER_FILE documents separated by `---`, cycling through a
Deployment (about 70 lines, an app container and a proxy sidecar), a Service, a
ConfigMap and a CronJob. By default the mix is what a typical repository holds: the
app containers are hardened, the sidecars and jobs are not, one workload in ten is
privileged, a third lack limits (about 4.5 findings per document with the k8s pack).
`--clean` hardens everything and pins images by digest (about 0.1 per document), to
tell the cost of judging from the cost of reporting.
"""

import os
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


def main():
    global CLEAN
    args = sys.argv[1:]
    if args and args[0] == "--clean":
        CLEAN = True
        args = args[1:]
    out, files, per_file = args[0], int(args[1]), int(args[2])
    n = 0
    for f in range(files):
        sub = os.path.join(out, f"svc-{f // 100:02d}")
        os.makedirs(sub, exist_ok=True)
        docs = []
        for _ in range(per_file):
            docs.append(document(n))
            n += 1
        with open(os.path.join(sub, f"manifest-{f:04d}.yaml"), "w") as handle:
            handle.write("---\n".join(docs))
    print(f"{n} documents in {files} files under {out}")


if __name__ == "__main__":
    main()
