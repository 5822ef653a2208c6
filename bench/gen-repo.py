#!/usr/bin/env python3
"""Writes a deterministic mixed repository for bench/files.sh: what the repo pack and
the k8s pack judge together.

Usage: bench/gen-repo.py DIR SERVICES

A top-level go.mod, go.work, CI workflow, GitLab CI, devcontainer, .tool-versions and
mise.toml, then SERVICES service directories, each a Go module with a Dockerfile
(multi-stage, one in four on an older golang image than its go.mod), a compose file
(one in five privileged, one in seven with a literal password), a .env file, VS Code
settings in one in ten, and a deploy/ directory of Kubernetes manifests is left to
gen-manifests.py. Every cross-file place is compared with its module's go line.
"""

import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    root, services = sys.argv[1], int(sys.argv[2])
    write(f"{root}/go.mod", "module example.com/mono\n\ngo 1.26.0\n\ntoolchain go1.27.1\n")
    uses = "".join(f"\t./svc/s{n:04d}\n" for n in range(services))
    write(f"{root}/go.work", f"go 1.26.0\n\nuse (\n\t.\n{uses})\n")
    write(f"{root}/.tool-versions", "golang 1.26.2\nnodejs 22.1.0\n")
    write(f"{root}/mise.toml", '[tools]\ngo = "1.27"\n')
    write(f"{root}/.gitlab-ci.yml", "image: golang:1.27.1\ntest:\n  script: go test ./...\n")
    write(
        f"{root}/.devcontainer/devcontainer.json",
        '{\n  "image": "mcr.microsoft.com/devcontainers/base:bookworm",\n'
        '  "features": {"ghcr.io/devcontainers/features/go:1": {"version": "1.25"}}\n}\n',
    )
    write(
        f"{root}/.github/workflows/ci.yml",
        "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    strategy:\n      matrix:\n        go: ['1.26', '1.27']\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - uses: actions/setup-go@v5\n"
        "        with:\n          go-version: ${{ matrix.go }}\n      - run: go test ./...\n",
    )
    for n in range(services):
        d = f"{root}/svc/s{n:04d}"
        go = "1.26.0" if n % 3 else "1.27.0"
        write(f"{d}/go.mod", f"module example.com/mono/s{n:04d}\n\ngo {go}\n\nrequire golang.org/x/text v0.21.0\n")
        image = "golang:1.25" if n % 4 == 0 else "golang:1.27.1"
        user = "USER root\n" if n % 6 == 0 else "USER 65532\n"
        write(
            f"{d}/Dockerfile",
            f"FROM {image} AS build\nWORKDIR /src\nCOPY . .\nENV CGO_ENABLED=0 GOFLAGS=-mod=readonly\n"
            "RUN go build -o /app ./cmd/app\n\nFROM gcr.io/distroless/static-debian12\n"
            f"COPY --from=build /app /app\n{user}ENTRYPOINT [\"/app\"]\n",
        )
        privileged = "    privileged: true\n" if n % 5 == 0 else ""
        password = "hunter2" if n % 7 == 0 else "${DB_PASSWORD}"
        write(
            f"{d}/compose.yaml",
            f"services:\n  app:\n    build: .\n{privileged}    ports: ['8{n % 1000:03d}:8080']\n"
            f"    environment:\n      DB_PASSWORD: {password}\n      LOG_LEVEL: info\n"
            "  db:\n    image: postgres:16.4\n",
        )
        write(f"{d}/.env", f"PORT=8{n % 1000:03d}\nLOG_LEVEL=debug\nDB_HOST=db\n")
        if n % 10 == 0:
            write(f"{d}/.vscode/settings.json", '{\n  "go.useLanguageServer": true,\n  "editor.formatOnSave": true\n}\n')


if __name__ == "__main__":
    main()
