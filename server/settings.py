"""Settings, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from schema.limits import ENVIRONMENT, Limits

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Request headers browsers may send cross-origin: the API's own, and those of the tracing
# (OpenTelemetry, Sentry) and GraphQL clients (Apollo) that browser apps commonly use.
CORS_HEADERS = (
    "Content-Type",
    "Authorization",
    "X-Request-ID",
    "If-None-Match",
    "traceparent",
    "tracestate",
    "baggage",
    "sentry-trace",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    "X-Bilateral-Dry-Run",
    "X-Bilateral-LSN",
)


@dataclass(frozen=True)
class Settings:
    """How the server runs: where its data lives, where it listens, what it allows."""

    database_url: str = f"sqlite+aiosqlite:///{PROJECT_DIR / 'bilateral.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    # Create the tables and load the article on start-up when the database is empty.
    seed_on_start: bool = True
    # With the article, load the world's posts from Wikidata on that first start.
    seed_world: bool = True
    limits: Limits = field(default_factory=Limits)
    max_body_bytes: int = 100 * 1024
    timeout_seconds: float = 10.0
    batching: bool = False
    max_batch: int = 10
    # 0: GET answers say `no-cache`, so clients revalidate with the ETag and never show data
    # older than the client's own write; more: `public, max-age`, for read-only deployments.
    cache_max_age: int = 0
    persisted_queries: int = 1000
    cors_origins: tuple[str, ...] = ("*",)
    cors_headers: tuple[str, ...] = CORS_HEADERS
    # Run each query as one compiled SQL statement where the compiler covers it.
    compiled: bool = True
    # PostgreSQL streaming replicas that serve read-only operations, in turn.
    replica_urls: tuple[str, ...] = ()
    # A replica further behind the primary than this is taken out of rotation until it catches up.
    replica_max_lag_seconds: int = 10
    # A direct connection for LISTEN, when DATABASE_URL goes through a pooler that cannot carry it.
    listen_url: str | None = None
    # "transaction": the database URLs lead to a pooler in transaction mode (PgBouncer), so no
    # statement is prepared under a name for later and nothing is set for a whole session.
    pool_mode: str = "session"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment (see the README's Configuration), with the defaults above."""
        env = os.environ if environ is None else environ
        defaults = cls()

        def number(name: str, default: int, low: int = 0, high: int = 2**31) -> int:
            text = env.get(name, "").strip()
            if not text:
                return default
            if not text.isdigit() or not low <= int(text) <= high:
                raise SystemExit(
                    f"{name} must be a whole number from {low} to {high}, not {text!r}"
                )
            return int(text)

        limits = Limits(
            **{
                name: number(variable, getattr(defaults.limits, name), 1)
                for name, variable in ENVIRONMENT.items()
            }
        )
        pool_mode = env.get("DATABASE_POOL_MODE", "").strip().lower() or defaults.pool_mode
        if pool_mode not in {"session", "transaction"}:
            raise SystemExit(
                f"DATABASE_POOL_MODE must be session or transaction, not {pool_mode!r}"
            )
        replicas = env.get("DATABASE_REPLICA_URLS", "")
        database_url = env.get("DATABASE_URL") or defaults.database_url
        if replicas.strip() and not database_url.startswith("postgresql"):
            raise SystemExit("DATABASE_REPLICA_URLS needs a PostgreSQL primary in DATABASE_URL")
        origins = env.get("BILATERAL_CORS_ORIGINS", "*")
        headers = env.get("BILATERAL_CORS_HEADERS", ",".join(CORS_HEADERS))
        return cls(
            database_url=database_url,
            host=env.get("HOST") or defaults.host,
            port=number("PORT", defaults.port, 1, 65535),
            limits=limits,
            max_body_bytes=number("BILATERAL_MAX_BODY_BYTES", defaults.max_body_bytes, 1),
            timeout_seconds=number("BILATERAL_TIMEOUT_SECONDS", 10, 1),
            batching=env.get("BILATERAL_BATCHING", "off").strip().lower() in {"on", "1", "true"},
            max_batch=number("BILATERAL_MAX_BATCH", defaults.max_batch, 1),
            cache_max_age=number("BILATERAL_CACHE_MAX_AGE", defaults.cache_max_age),
            persisted_queries=number("BILATERAL_PERSISTED_QUERIES", defaults.persisted_queries, 1),
            cors_origins=tuple(origin.strip() for origin in origins.split(",") if origin.strip()),
            cors_headers=tuple(name.strip() for name in headers.split(",") if name.strip()),
            compiled=env.get("BILATERAL_COMPILED", "on").strip().lower()
            not in {"off", "0", "false"},
            seed_world=env.get("BILATERAL_SEED_WORLD", "on").strip().lower()
            not in {"off", "0", "false"},
            replica_urls=tuple(url.strip() for url in replicas.split(",") if url.strip()),
            replica_max_lag_seconds=number(
                "DATABASE_REPLICA_MAX_LAG_SECONDS", defaults.replica_max_lag_seconds, 1
            ),
            listen_url=env.get("DATABASE_LISTEN_URL") or None,
            pool_mode=pool_mode,
        )
