"""Settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """How the server runs: where its data lives and where it listens."""

    database_url: str = f"sqlite+aiosqlite:///{PROJECT_DIR / 'bilateral.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    # Create the tables and load the article on start-up when the database is empty.
    seed_on_start: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from DATABASE_URL, HOST and PORT, with the defaults above."""
        defaults = cls()
        port = os.environ.get("PORT", str(defaults.port))
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise SystemExit(f"PORT must be a TCP port number, not {port!r}")
        return cls(
            database_url=os.environ.get("DATABASE_URL") or defaults.database_url,
            host=os.environ.get("HOST") or defaults.host,
            port=int(port),
        )
