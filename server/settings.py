"""Settings, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import ArgumentError

from db.database import Database, dialect_of
from db.statements import STATEMENT_TIMEOUT
from schema.budget import RateLimits
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
    # Each client's budget of cost points per window, and its requests in flight.
    rate: RateLimits = field(default_factory=RateLimits)
    # GET /metrics in Prometheus' text format; with a token, only for scrapes that send it.
    metrics: bool = True
    metrics_token: str | None = None
    # One line per GraphQL request in the log (server.request_log), as text or as JSON.
    request_log: bool = True
    log_format: str = "text"
    # A manifest of the only documents the deployment runs (server.trusted); None runs any.
    trusted_documents: Path | None = None

    @property
    def pooled(self) -> bool:
        """Whether the database URLs lead to a pooler in transaction mode."""
        return self.pool_mode == "transaction"

    def database(self, *, compiled: bool = True, command: bool = False) -> Database:
        """The primary database, as the app and every command reach it. `compiled`: with a
        runner for compiled statements, when the settings ask for them; `command`: for a
        command (seed, import, export), whose statements run without the app's time limit."""
        return Database.open(
            self.database_url,
            pooled=self.pooled,
            compiled=compiled and self.compiled,
            listen_url=self.listen_url,
            statement_timeout=None if command else STATEMENT_TIMEOUT,
        )

    def replicas(self) -> list[Database]:
        """The streaming replicas, each reached as the primary is."""
        return [
            Database.open(url, name=f"replica {number}", pooled=self.pooled, compiled=self.compiled)
            for number, url in enumerate(self.replica_urls, 1)
        ]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment (see the README's Configuration), with the defaults above."""
        read = _Environment(os.environ if environ is None else environ)
        defaults = cls()
        limits = Limits(
            **{
                name: read.number(variable, getattr(defaults.limits, name), 1)
                for name, variable in ENVIRONMENT.items()
            }
        )
        database_url = read.text("DATABASE_URL") or defaults.database_url
        replica_urls = read.items("DATABASE_REPLICA_URLS", ())
        if replica_urls and _dialect(database_url) != "postgresql":
            raise SystemExit("DATABASE_REPLICA_URLS needs a PostgreSQL primary in DATABASE_URL")
        rate = defaults.rate
        rate = RateLimits(
            enabled=read.switch("BILATERAL_RATE_LIMIT", rate.enabled),
            points=read.number("BILATERAL_RATE_POINTS", rate.points, 1),
            window=read.number("BILATERAL_RATE_WINDOW", rate.window, 1, 86_400),
            in_flight=read.number("BILATERAL_RATE_IN_FLIGHT", rate.in_flight, 1),
            wait_seconds=read.seconds("BILATERAL_RATE_WAIT_SECONDS", rate.wait_seconds),
            reader_points=read.number("BILATERAL_RATE_POINTS_READER", rate.reader_points, 1),
            editor_points=read.number("BILATERAL_RATE_POINTS_EDITOR", rate.editor_points, 1),
            clients=read.number("BILATERAL_RATE_CLIENTS", rate.clients, 1),
        )
        return cls(
            database_url=database_url,
            host=read.text("HOST") or defaults.host,
            port=read.number("PORT", defaults.port, 1, 65535),
            limits=limits,
            max_body_bytes=read.number("BILATERAL_MAX_BODY_BYTES", defaults.max_body_bytes, 1),
            timeout_seconds=read.seconds("BILATERAL_TIMEOUT_SECONDS", defaults.timeout_seconds),
            batching=read.switch("BILATERAL_BATCHING", defaults.batching),
            max_batch=read.number("BILATERAL_MAX_BATCH", defaults.max_batch, 1),
            cache_max_age=read.number("BILATERAL_CACHE_MAX_AGE", defaults.cache_max_age),
            persisted_queries=read.number(
                "BILATERAL_PERSISTED_QUERIES", defaults.persisted_queries, 1
            ),
            cors_origins=read.items("BILATERAL_CORS_ORIGINS", defaults.cors_origins),
            cors_headers=read.items("BILATERAL_CORS_HEADERS", defaults.cors_headers),
            compiled=read.switch("BILATERAL_COMPILED", defaults.compiled),
            seed_world=read.switch("BILATERAL_SEED_WORLD", defaults.seed_world),
            replica_urls=replica_urls,
            replica_max_lag_seconds=read.number(
                "DATABASE_REPLICA_MAX_LAG_SECONDS", defaults.replica_max_lag_seconds, 1
            ),
            listen_url=read.text("DATABASE_LISTEN_URL") or None,
            pool_mode=read.choice("DATABASE_POOL_MODE", defaults.pool_mode, POOL_MODES),
            rate=rate,
            metrics=read.switch("BILATERAL_METRICS", defaults.metrics),
            metrics_token=read.text("BILATERAL_METRICS_TOKEN") or None,
            request_log=read.switch("BILATERAL_REQUEST_LOG", defaults.request_log),
            log_format=read.choice("BILATERAL_LOG_FORMAT", defaults.log_format, LOG_FORMATS),
            trusted_documents=Path(trusted)
            if (trusted := read.text("BILATERAL_TRUSTED_DOCUMENTS"))
            else None,
        )


POOL_MODES = ("session", "transaction")
LOG_FORMATS = ("text", "json")
# How a switch is written: on/off, and the usual synonyms, in any case.
_ON = {"on", "1", "true", "yes"}
_OFF = {"off", "0", "false", "no"}


def _dialect(url: str) -> str:
    try:
        return dialect_of(url)
    except (ValueError, ArgumentError) as error:  # unreadable, or not a database the app runs on
        raise SystemExit(f"DATABASE_URL is not a SQLite or PostgreSQL URL: {error}") from None


@dataclass(frozen=True)
class _Environment:
    """The environment's variables read one way: an empty or unset one gives the default, a
    malformed one stops the server with a message that names it and says what it takes."""

    env: Mapping[str, str]

    def text(self, name: str) -> str:
        return self.env.get(name, "").strip()

    def number(self, name: str, default: int, low: int = 0, high: int = 2**31) -> int:
        text = self.text(name)
        if not text:
            return default
        if not text.isdigit() or not low <= int(text) <= high:
            raise SystemExit(f"{name} must be a whole number from {low} to {high}, not {text!r}")
        return int(text)

    def seconds(self, name: str, default: float) -> float:
        text = self.text(name)
        if not text:
            return default
        try:
            value = float(text)
        except ValueError:
            value = 0.0
        if not 0 < value < 2**31:
            raise SystemExit(f"{name} must be a number of seconds above 0, not {text!r}")
        return value

    def switch(self, name: str, default: bool) -> bool:
        text = self.text(name).lower()
        if not text:
            return default
        if text not in _ON | _OFF:
            raise SystemExit(f"{name} must be on or off, not {text!r}")
        return text in _ON

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        text = self.text(name).lower()
        if not text:
            return default
        if text not in choices:
            raise SystemExit(f"{name} must be {' or '.join(choices)}, not {text!r}")
        return text

    def items(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A comma-separated list; unset gives the default, set (even to nothing) replaces it."""
        if name not in self.env:
            return default
        return tuple(item.strip() for item in self.env[name].split(",") if item.strip())
