"""The service's settings, with their defaults (the `kg serve` options)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths


@dataclass
class Config:
    dist: Path = paths.DIST
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # result rows (or triples) per response
    max_query_length: int = 100_000  # characters
    max_request_bytes: int = 1_000_000  # request body
    workers: int = 2
    memory_limit_mb: int = 2048  # per query worker
    cache_mb: int = 64  # responses to repeated queries; 0 turns the cache off
    cors_origins: tuple[str, ...] = ()
    cors_credentials: bool = False
    allow_service: bool = False
    max_connections: int = 256
    base_url: str | None = None  # the service's public address, if behind a proxy
    backend: str | None = None  # a remote SPARQL endpoint answering /sparql instead of the local workers
    backend_graphs: tuple[str, ...] = ()  # default-graph-uri sent to the backend when a request names none

    def check(self) -> None:
        if "*" in self.cors_origins and self.cors_credentials:
            raise ValueError("--cors-origin '*' cannot be combined with --cors-credentials: "
                             "name the origins allowed to send credentials")
        for name in ("timeout", "max_rows", "max_query_length", "max_request_bytes", "workers", "max_connections"):
            if getattr(self, name) <= 0:
                raise ValueError(f"--{name.replace('_', '-')} must be positive (got {getattr(self, name)})")

    def limits(self) -> dict:
        return {"timeout_seconds": self.timeout, "max_rows": self.max_rows, "max_query_length": self.max_query_length,
                "max_request_bytes": self.max_request_bytes, "allow_service": self.allow_service}
