"""The `bilateral` command: serve, seed, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from server.settings import PROJECT_DIR, Settings

SCHEMA_FILE = PROJECT_DIR / "schema" / "schema.graphql"


def _serve(settings: Settings) -> int:
    import uvicorn

    from server.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)
    return 0


def _seed(settings: Settings, path: Path | None, reset: bool) -> int:
    from db.base import Base
    from db.session import make_engine, make_sessions
    from seed.document import SeedError
    from seed.load import ARTICLE, seed_database

    async def run() -> int:
        engine = make_engine(settings.database_url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
            report = await seed_database(make_sessions(engine), path or ARTICLE, reset=reset)
        except SeedError as error:
            print(f"The seed file has errors; nothing was loaded:\n{error}", file=sys.stderr)
            return 1
        finally:
            await engine.dispose()
        if report is None:
            print("The database already holds facts; nothing loaded (use --reset to reload).")
        else:
            print(f"Loaded {report}.")
        return 0

    return asyncio.run(run())


def _export_schema(output: Path) -> int:
    from schema import schema

    output.write_text(schema.as_str() + "\n", encoding="utf-8")
    print(f"Wrote {output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="bilateral", description="The Bilateral GraphQL API.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "serve", help="serve the API (HOST, PORT, DATABASE_URL from the environment)"
    )
    seed = commands.add_parser(
        "seed", help="load a seed file (default: the article) into the database"
    )
    seed.add_argument("file", nargs="?", type=Path, help="a seed file; see seed/README.md")
    seed.add_argument("--reset", action="store_true", help="delete every fact first, then load")
    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", type=Path, default=SCHEMA_FILE, help=f"default: {SCHEMA_FILE}")
    args = parser.parse_args(argv)

    if args.command == "export-schema":
        return _export_schema(args.output)
    settings = Settings.from_env()
    if args.command == "seed":
        return _seed(settings, args.file, args.reset)
    return _serve(settings)


if __name__ == "__main__":
    sys.exit(main())
