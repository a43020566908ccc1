//! Files beside a Dockerfile that run things inside the image it builds, through the
//! binary on a small project: a Compose file in the folder above that builds this
//! Dockerfile (and one that builds another), a Kubernetes manifest with an exec probe, and
//! the same projects without them, which are still rewritten.

mod common;

use std::path::Path;

use common::dfslim_in;

const GO_DOCKERFILE: &str = "FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM debian:bookworm-slim
COPY --from=build /out/server /usr/local/bin/server
EXPOSE 8080
ENTRYPOINT [\"/usr/local/bin/server\"]
";

/// A project `root/` with `backend/Dockerfile` and the given files, rewritten from
/// `backend/`: the plan's status and code.
fn rewrite(files: &[(&str, &str)], dockerfile: &str) -> (String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "backend/Dockerfile", dockerfile);
    write(
        root,
        "backend/go.mod",
        "module example.com/server\n\ngo 1.24\n",
    );
    write(root, "backend/main.go", "package main\n\nfunc main() {}\n");
    for (path, text) in files {
        write(root, path, text);
    }
    let output = dfslim_in(
        &root.join("backend"),
        &["rewrite", "--format", "json", "Dockerfile"],
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = &json["files"][0];
    let text = |key: &str| file[key].as_str().unwrap_or_default().to_string();
    (text("status"), text("code"), text("reason"))
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_compose_file_above_whose_service_builds_this_dockerfile_with_a_shell_healthcheck() {
    let compose = "services:
  api:
    build: ./backend
    healthcheck:
      test: [\"CMD-SHELL\", \"curl -fsS http://localhost:8080/healthz || exit 1\"]
  db:
    image: postgres:17
    healthcheck:
      test: [\"CMD\", \"pg_isready\"]
";
    let (status, code, reason) = rewrite(&[("compose.yaml", compose)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs")
    );
    assert!(
        reason.contains("../compose.yaml: the service `api`"),
        "{reason}"
    );

    // The healthcheck runs the application itself: the new image keeps it.
    let own = compose.replace(
        "[\"CMD-SHELL\", \"curl -fsS http://localhost:8080/healthz || exit 1\"]",
        "[\"CMD\", \"/usr/local/bin/server\", \"-healthcheck\"]",
    );
    let (status, _, reason) = rewrite(&[("compose.yaml", &own)], GO_DOCKERFILE);
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn a_compose_service_that_builds_another_folder_or_dockerfile_is_not_this_one() {
    for build in [
        "./frontend",
        "{ context: ./backend, dockerfile: Dockerfile.dev }",
    ] {
        let compose =
            format!("services:\n  web:\n    build: {build}\n    command: sh -c \"npm run dev\"\n");
        let (status, _, reason) = rewrite(
            &[
                ("docker-compose.yml", &compose),
                (
                    "frontend/Dockerfile",
                    "FROM node:22\nCMD [\"npm\", \"run\", \"dev\"]\n",
                ),
                (
                    "backend/Dockerfile.dev",
                    "FROM golang:1.24\nCMD [\"go\", \"run\", \".\"]\n",
                ),
            ],
            GO_DOCKERFILE,
        );
        assert_eq!(status, "rewritten", "{build}: {reason}");
    }
    // The same service building this folder's Dockerfile with a command of its own.
    let compose = "services:\n  web:\n    build:\n      context: backend\n    command: sh -c \"server migrate && server\"\n";
    let (status, code, _) = rewrite(&[("docker-compose.yml", compose)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs")
    );
}

#[test]
fn a_kubernetes_manifest_in_the_context_with_an_exec_probe() {
    let manifest = "apiVersion: apps/v1
kind: Deployment
metadata: {name: server}
spec:
  template:
    spec:
      containers:
        - name: server
          image: server
          readinessProbe:
            exec:
              command: [\"cat\", \"/tmp/ready\"]
";
    let (status, code, reason) =
        rewrite(&[("backend/k8s/deployment.yaml", manifest)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs")
    );
    assert!(reason.contains("readinessProbe runs `cat`"), "{reason}");

    let http = manifest.replace(
        "exec:\n              command: [\"cat\", \"/tmp/ready\"]",
        "httpGet: {path: /healthz, port: 8080}",
    );
    let (status, _, reason) = rewrite(&[("backend/k8s/deployment.yaml", &http)], GO_DOCKERFILE);
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn an_override_file_merged_into_the_service_and_commands_of_the_program_itself() {
    let compose = "services:\n  api:\n    build: ./backend\n";
    // `docker compose up` merges compose.override.yaml: its command is the service's.
    let (status, code, reason) = rewrite(
        &[
            ("compose.yaml", compose),
            (
                "compose.override.yaml",
                "services:\n  api:\n    command: sh -c \"server\"\n",
            ),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs")
    );
    assert!(reason.contains("../compose.override.yaml"), "{reason}");
    // A compiled program keeps its ENTRYPOINT: the same program, or options for it, run
    // as before.
    for command in [
        "[\"/usr/local/bin/server\", \"-v\"]",
        "[\"--port\", \"9090\"]",
    ] {
        let compose = format!("{compose}    command: {command}\n");
        let (status, _, reason) = rewrite(&[("compose.yaml", &compose)], GO_DOCKERFILE);
        assert_eq!(status, "rewritten", "{command}: {reason}");
    }
}

#[test]
fn a_manifest_above_the_context_counts_for_the_container_of_this_image_only() {
    let manifest = |image: &str| {
        format!(
            "apiVersion: apps/v1
kind: Deployment
metadata: {{name: x}}
spec:
  template:
    spec:
      containers:
        - name: x
          image: {image}
          livenessProbe:
            exec:
              command: [\"sh\", \"-c\", \"pgrep server\"]
"
        )
    };
    // `root/k8s/deployment.yaml`, one folder above the context `root/backend`, with an
    // image named after that folder.
    let (status, code, reason) = rewrite(
        &[("k8s/deployment.yaml", &manifest("ghcr.io/acme/backend:1.2"))],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("../k8s/deployment.yaml"), "{reason}");
    // Another service's container in the same place says nothing about this image.
    let (status, _, reason) = rewrite(
        &[("k8s/deployment.yaml", &manifest("postgres:17"))],
        GO_DOCKERFILE,
    );
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn manifests_named_after_their_service_in_a_manifest_folder_and_its_sub_folders() {
    let manifest = |image: &str| {
        format!(
            "apiVersion: apps/v1
kind: Deployment
metadata: {{name: x}}
spec:
  template:
    spec:
      containers:
        - name: x
          image: {image}
          livenessProbe:
            exec:
              command: [\"sh\", \"-c\", \"pgrep server\"]
"
        )
    };
    // Any YAML file of a manifest folder (`kubernetes-manifests/backend.yaml`), and of the
    // folders one level below it (`k8s/backend/deployment.yaml`), above the context too.
    for path in [
        "backend/kubernetes-manifests/api.yaml",
        "backend/k8s/api/deployment.yaml",
        "kubernetes-manifests/backend.yaml",
        "k8s/backend/deploy.yml",
    ] {
        let (status, code, reason) = rewrite(
            &[(path, &manifest("ghcr.io/acme/backend:1.2"))],
            GO_DOCKERFILE,
        );
        assert_eq!(
            (status.as_str(), code.as_str()),
            ("declined", "runs-programs"),
            "{path}: {reason}"
        );
    }
    // In the context's own folder a manifest counts under any name (`api-prod.yaml`); a
    // CI file (no `apiVersion`, `kind` and containers) is not read as one.
    let (status, code, reason) = rewrite(
        &[(
            "backend/api-prod.yaml",
            &manifest("ghcr.io/acme/backend:1.2"),
        )],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    let workflow = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sh -c 'go test ./...'\n";
    let (status, _, reason) = rewrite(&[("backend/ci.yaml", workflow)], GO_DOCKERFILE);
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn a_compose_file_in_a_sibling_folder_that_builds_this_dockerfile() {
    let compose = "services:
  api:
    build:
      context: ../backend
    healthcheck:
      test: [\"CMD-SHELL\", \"wget -qO- http://localhost:8080/healthz\"]
";
    // `root/deploy/compose.yaml`, beside the context `root/backend`.
    let (status, code, reason) = rewrite(&[("deploy/compose.yaml", compose)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("../deploy/compose.yaml"), "{reason}");
    // One that builds another folder says nothing about this image.
    let other = compose.replace("../backend", "../frontend");
    let (status, _, reason) = rewrite(&[("deploy/compose.yaml", &other)], GO_DOCKERFILE);
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn dockerignore_leaves_deployment_files_in_as_evidence() {
    let manifest = "apiVersion: v1
kind: Pod
metadata: {name: server}
spec:
  containers:
    - name: server
      image: server
      livenessProbe:
        exec:
          command: [\"sh\", \"-c\", \"pgrep server\"]
";
    // The build never sees k8s/ or the Compose file, but they still run things in the
    // container the image makes.
    let (status, code, reason) = rewrite(
        &[
            ("backend/.dockerignore", "k8s\ncompose.yaml\nDockerfile\n"),
            ("backend/k8s/pod.yaml", manifest),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    let compose = "services:\n  api:\n    build: .\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -f localhost\"]\n";
    let (status, code, reason) = rewrite(
        &[
            ("backend/.dockerignore", "compose.yaml\nDockerfile\n"),
            ("backend/compose.yaml", compose),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
}

#[test]
fn a_service_that_extends_one_with_a_shell_healthcheck_or_the_build() {
    // `extends` in the same file: the base service builds, the service that runs it adds
    // nothing, and the base's healthcheck applies.
    let same_file = "services:
  base:
    build: ./backend
    healthcheck:
      test: [\"CMD-SHELL\", \"wget -qO- http://localhost:8080/ || exit 1\"]
  api:
    extends: base
    ports: [\"8080:8080\"]
";
    let (status, code, reason) = rewrite(&[("compose.yaml", same_file)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    // `extends` from another file, whose `build` is relative to that file's folder.
    let compose = "services:
  api:
    extends:
      file: deploy/common.yaml
      service: app
";
    let common = "services:
  app:
    build: ../backend
    healthcheck:
      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/\"]
";
    let (status, code, reason) = rewrite(
        &[("compose.yaml", compose), ("deploy/common.yaml", common)],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("deploy/common.yaml"), "{reason}");
    // The base's healthcheck runs the program itself: still rewritten.
    let own = common.replace(
        "\"curl\", \"-f\", \"http://localhost:8080/\"",
        "\"/usr/local/bin/server\", \"health\"",
    );
    let (status, _, reason) = rewrite(
        &[("compose.yaml", compose), ("deploy/common.yaml", &own)],
        GO_DOCKERFILE,
    );
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn a_helm_chart_whose_template_or_values_run_a_shell_in_the_container() {
    let chart = "apiVersion: v2\nname: server\nversion: 0.1.0\n";
    let template = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include \"server.fullname\" . }}
  labels:
    {{- include \"server.labels\" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          livenessProbe:
            exec:
              command: [\"sh\", \"-c\", \"pgrep server\"]
";
    let (status, code, reason) = rewrite(
        &[
            ("backend/chart/Chart.yaml", chart),
            ("backend/chart/templates/deployment.yaml", template),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(
        reason.contains("chart/templates/deployment.yaml"),
        "{reason}"
    );
    // The probe in the values, which the template puts on the container.
    let templated = template.replace(
        "          livenessProbe:\n            exec:\n              command: [\"sh\", \"-c\", \"pgrep server\"]\n",
        "          livenessProbe:\n            {{- toYaml .Values.livenessProbe | nindent 12 }}\n",
    );
    let values = "image:\n  repository: server\nlivenessProbe:\n  exec:\n    command: [\"cat\", \"/tmp/healthy\"]\n";
    let (status, code, reason) = rewrite(
        &[
            ("backend/chart/Chart.yaml", chart),
            ("backend/chart/templates/deployment.yaml", &templated),
            ("backend/chart/values.yaml", values),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("chart/values.yaml"), "{reason}");
    // An HTTP probe: still rewritten.
    let http = values.replace(
        "exec:\n    command: [\"cat\", \"/tmp/healthy\"]",
        "httpGet:\n    path: /healthz\n    port: 8080",
    );
    let (status, _, reason) = rewrite(
        &[
            ("backend/chart/Chart.yaml", chart),
            ("backend/chart/templates/deployment.yaml", &templated),
            ("backend/chart/values.yaml", &http),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn a_compose_variant_file_and_a_mounted_host_socket() {
    // `compose.observability.yaml`, run with `-f`: its services count as the main file's.
    let variant = "services:
  api:
    build: ./backend
    healthcheck:
      test: [\"CMD\", \"wget\", \"--spider\", \"http://localhost:8080/\"]
";
    let (status, code, reason) = rewrite(&[("compose.observability.yaml", variant)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("compose.observability.yaml"), "{reason}");
    // A service that mounts the Docker socket ran as root, which may use it.
    let socket = "services:
  api:
    build: ./backend
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - ./data:/data
";
    let (status, code, reason) = rewrite(&[("docker-compose.yml", socket)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    assert!(reason.contains("docker.sock"), "{reason}");
    // A named volume, made by the engine, is root's.
    let named = socket.replace(
        "/var/run/docker.sock:/var/run/docker.sock:ro",
        "uploads:/app/uploads",
    );
    let (status, code, reason) = rewrite(&[("docker-compose.yml", &named)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    // A host folder mounted writable is root's (the engine made it) or the host user's:
    // the root app's writes there fail as another user.
    let folder = socket.replace("      - /var/run/docker.sock:/var/run/docker.sock:ro\n", "");
    let (status, code, reason) = rewrite(&[("docker-compose.yml", &folder)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    assert!(reason.contains("host path `./data`"), "{reason}");
    // Read-only, or a configuration file: only read. A file named like a variant but
    // another (`compose-notes.md`) is not read.
    for mount in ["./data:/data:ro", "./config.yaml:/etc/server/config.yaml"] {
        let read = folder.replace("./data:/data", mount);
        let (status, _, reason) = rewrite(
            &[("docker-compose.yml", &read), ("compose-notes.md", variant)],
            GO_DOCKERFILE,
        );
        assert_eq!(status, "rewritten", "{mount}: {reason}");
    }
}

#[test]
fn a_service_whose_build_reads_the_lowercase_dockerfile() {
    // `build: ./backend` with no `dockerfile`: without a `Dockerfile` there, the build
    // reads `dockerfile`, and the service's command is this image's.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "backend/dockerfile", GO_DOCKERFILE);
    write(
        root,
        "backend/go.mod",
        "module example.com/server\n\ngo 1.24\n",
    );
    write(root, "backend/main.go", "package main\n\nfunc main() {}\n");
    let compose =
        "services:\n  api:\n    build: ./backend\n    command: [\"sh\", \"-c\", \"server\"]\n";
    write(root, "compose.yaml", compose);
    let plan = |root: &Path| {
        let output = dfslim_in(
            &root.join("backend"),
            &["rewrite", "--format", "json", "dockerfile"],
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let file = &json["files"][0];
        (file["status"].to_string(), file["code"].to_string())
    };
    assert_eq!(
        plan(root),
        ("\"declined\"".to_string(), "\"runs-programs\"".to_string())
    );
    // With a `Dockerfile` beside it, that is the one the service builds.
    write(root, "backend/Dockerfile", "FROM scratch\n");
    assert_eq!(plan(root).0, "\"rewritten\"");
}

#[test]
fn a_build_named_through_the_env_file_beside_the_compose_file() {
    let compose = "services:
  api:
    build:
      context: ${API_CONTEXT:-./backend}
      dockerfile: ${API_DOCKERFILE}
    healthcheck:
      test: [\"CMD-SHELL\", \"curl -f http://localhost:8080/\"]
";
    let env = "# the images\nAPI_DOCKERFILE=Dockerfile\n";
    let (status, code, reason) =
        rewrite(&[("compose.yaml", compose), (".env", env)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    // Without the value the build is not known to be this Dockerfile's.
    let (status, _, reason) = rewrite(&[("compose.yaml", compose)], GO_DOCKERFILE);
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn a_variant_file_merged_into_the_service_that_builds_this_dockerfile() {
    // `docker compose -f compose.yaml -f compose.prod.yaml up`: the variant names no build,
    // its healthcheck is the service's.
    let compose = "services:\n  api:\n    build: ./backend\n";
    let prod = "services:\n  api:\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -f localhost:8080\"]\n";
    let (status, code, reason) = rewrite(
        &[("compose.yaml", compose), ("compose.prod.yaml", prod)],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("compose.prod.yaml"), "{reason}");
    // Another service's healthcheck in the variant is not this one's.
    let other = prod.replace("  api:", "  worker:");
    let (status, _, reason) = rewrite(
        &[("compose.yaml", compose), ("compose.prod.yaml", &other)],
        GO_DOCKERFILE,
    );
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn volume_sources_are_interpolated_from_the_env_file() {
    let compose = "services:
  api:
    build: ./backend
    volumes:
      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock
";
    let (status, code, reason) = rewrite(&[("compose.yaml", compose)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    let named = "services:\n  api:\n    build: ./backend\n    volumes:\n      - ${DATA}:/data\n";
    let (status, code, reason) = rewrite(
        &[("compose.yaml", named), (".env", "DATA=appdata\n")],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    // A host folder from .env, mounted writable, too; a configuration file is only read.
    let (status, code, reason) = rewrite(
        &[("compose.yaml", named), (".env", "DATA=./data\n")],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    let (status, _, reason) = rewrite(
        &[("compose.yaml", named), (".env", "DATA=./settings.toml\n")],
        GO_DOCKERFILE,
    );
    assert_eq!(status, "rewritten", "{reason}");
}

#[test]
fn a_helm_exec_handler_in_a_named_template_or_an_environment_values_file() {
    let chart = "apiVersion: v2\nname: server\nversion: 0.1.0\n";
    let template = "apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: server
          image: \"{{ .Values.image }}\"
          {{- include \"server.probes\" . | nindent 10 }}
";
    let helpers = "{{- define \"server.probes\" -}}
livenessProbe:
  exec:
    command: [\"sh\", \"-c\", \"pgrep server\"]
{{- end }}
";
    let (status, code, reason) = rewrite(
        &[
            ("backend/chart/Chart.yaml", chart),
            ("backend/chart/templates/deployment.yaml", template),
            ("backend/chart/templates/_helpers.tpl", helpers),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("_helpers.tpl"), "{reason}");
    // An exec handler under the chart's own key, in the production values.
    let prod = "probes:\n  liveness:\n    exec:\n      command: [\"cat\", \"/tmp/ok\"]\n";
    let (status, code, reason) = rewrite(
        &[
            ("backend/chart/Chart.yaml", chart),
            ("backend/chart/templates/deployment.yaml", template),
            ("backend/chart/values-prod.yaml", prod),
        ],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("values-prod.yaml"), "{reason}");
}

#[test]
fn a_service_that_runs_the_image_another_builds_and_an_included_file() {
    // `worker` has no build: it runs the image `api` builds, with its own command.
    let reuse = "services:
  api:
    build: ./backend
    image: shop/api:latest
  worker:
    image: shop/api:latest
    command: [\"sh\", \"-c\", \"server -worker\"]
";
    let (status, code, reason) = rewrite(&[("compose.yaml", reuse)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    assert!(reason.contains("`worker`"), "{reason}");
    // Another image's service is not this one's.
    let other = reuse.replace(
        "    image: shop/api:latest\n    command",
        "    image: redis:7\n    command",
    );
    let (status, _, reason) = rewrite(&[("compose.yaml", &other)], GO_DOCKERFILE);
    assert_eq!(status, "rewritten", "{reason}");
    // `include:` brings a file whose paths are its own folder's (`..` is the project).
    let including = "include:\n  - deploy/app.yaml\n";
    let included = "services:\n  api:\n    build: ../backend\n    volumes:\n      - appdata:/data\nvolumes:\n  appdata: {}\n";
    let (status, code, reason) = rewrite(
        &[("compose.yaml", including), ("deploy/app.yaml", included)],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    // A JSON file mounted writable may be the app's database.
    let json =
        "services:\n  api:\n    build: ./backend\n    volumes:\n      - ./db.json:/data/db.json\n";
    let (status, code, reason) = rewrite(&[("compose.yaml", json)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
}

#[test]
fn a_compose_file_under_another_name_and_a_kubernetes_volume_without_fs_group() {
    // cookiecutter-django's `production.yml`: a Compose file by its top-level `services`.
    let production = "services:\n  api:\n    build: ./backend\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -f localhost:8080\"]\n";
    let (status, code, reason) = rewrite(&[("production.yml", production)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "runs-programs"),
        "{reason}"
    );
    // A claim mounted writable into this image's container: root's, with no fsGroup.
    let deployment = "apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          image: api
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: api-data
";
    let (status, code, reason) = rewrite(
        &[("backend/k8s/deployment.yaml", deployment)],
        GO_DOCKERFILE,
    );
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    // With the pod's fsGroup, or an emptyDir, the new user may write.
    let grouped = deployment.replace(
        "    spec:\n      containers:",
        "    spec:\n      securityContext:\n        fsGroup: 65532\n      containers:",
    );
    let empty = deployment.replace(
        "          persistentVolumeClaim:\n            claimName: api-data\n",
        "          emptyDir: {}\n",
    );
    for manifest in [grouped, empty] {
        let (status, _, reason) =
            rewrite(&[("backend/k8s/deployment.yaml", &manifest)], GO_DOCKERFILE);
        assert_eq!(status, "rewritten", "{reason}");
    }
}

#[test]
fn a_manifest_in_the_context_under_the_application_s_name() {
    let manifest = "apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          image: api
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: api-data
";
    let (status, code, reason) = rewrite(&[("backend/githubbkp.yml", manifest)], GO_DOCKERFILE);
    assert_eq!(
        (status.as_str(), code.as_str()),
        ("declined", "needs-root"),
        "{reason}"
    );
    // Another YAML file of the context (no containers) is not a manifest.
    let (status, _, reason) = rewrite(
        &[("backend/settings.yml", "apiVersion: v1\nkind: Config\n")],
        GO_DOCKERFILE,
    );
    assert_eq!(status, "rewritten", "{reason}");
}
