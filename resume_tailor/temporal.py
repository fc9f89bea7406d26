"""Connecting to Temporal: the SDK's environment configuration plus the pydantic data converter."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.envconfig import ClientConfig

from resume_tailor.settings import Settings


def connect_config(settings: Settings) -> dict[str, object]:
    """Address, namespace, TLS and API key from TEMPORAL_* variables or a config profile; local dev by default."""
    config = dict(ClientConfig.load_client_connect_config())
    config.setdefault("target_host", f"localhost:{settings.temporal_port}")
    return config


async def connect(settings: Settings) -> Client:
    from resume_tailor.telemetry import runtime_for, tracing_interceptors

    config = connect_config(settings)
    return await Client.connect(
        data_converter=pydantic_data_converter,
        runtime=runtime_for(settings),
        interceptors=tracing_interceptors(settings),
        **config,  # type: ignore[arg-type]
    )


def namespace(settings: Settings) -> str:
    return str(connect_config(settings).get("namespace") or "default")
