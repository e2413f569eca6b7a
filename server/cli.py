"""The `bilateral` command: serve, migrate, seed, token, import, export, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.settings import PROJECT_DIR, Settings

SCHEMA_FILE = PROJECT_DIR / "schema" / "schema.graphql"

Work = Callable[[async_sessionmaker[AsyncSession]], Awaitable[int]]


def _on_database(settings: Settings, work: Work) -> int:
    """Run some work against the configured database: a new one is set up, an old one must be current."""
    from db.migrate import SchemaBehind, ensure_schema

    async def run() -> int:
        database = settings.database(compiled=False, command=True)
        try:
            await ensure_schema(database)
            return await work(database.sessions)
        except SchemaBehind as behind:
            print(behind, file=sys.stderr)
            return 2
        finally:
            await database.close()

    return asyncio.run(run())


def _migrate(settings: Settings, _: argparse.Namespace) -> int:
    from db.migrate import head_revision, upgrade

    upgrade(settings.database_url, pooled=settings.pooled)
    print(f"The database is at revision {head_revision()}.")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    async def ready(_: async_sessionmaker[AsyncSession]) -> int:
        return 0  # reached only when the schema is current (or was just created)

    status = _on_database(settings, ready)
    if status == 0 and not args.access_log:
        # No line per request: neither uvicorn's nor the app's (server.request_log).
        os.environ.setdefault("BILATERAL_REQUEST_LOG", "off")
    if status == 0 and args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker writes its metrics here, and a scrape of any of them adds them up.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bilateral-metrics-")
    if status == 0:
        # An import string and a factory, so that every worker process builds its own app.
        uvicorn.run(
            "server.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            access_log=args.access_log,
        )
    return status


def _seed(settings: Settings, args: argparse.Namespace) -> int:
    from seed.document import SeedError
    from seed.load import ARTICLE, WORLD, seed_database
    from seed.wikidata.release import ReleaseError

    async def work(sessions: async_sessionmaker[AsyncSession]) -> int:
        if args.synthetic:
            from seed.synthetic import seed_synthetic

            sizes = await seed_synthetic(sessions, args.scale, reset=args.reset)
            if sizes is None:
                print(
                    "The database already holds facts; nothing loaded (use --reset to replace them)."
                )
            else:
                print(f"Loaded a synthetic network at scale {args.scale:g}: {sizes}.")
            return 0
        try:
            report = await seed_database(
                sessions,
                args.file or ARTICLE,
                reset=args.reset,
                world=WORLD if args.world else None,
                history=args.world,
            )
        except (SeedError, ReleaseError) as error:
            print(f"The seed file has errors; nothing was loaded:\n{error}", file=sys.stderr)
            return 1
        if report is None:
            print("The database already holds facts; nothing loaded (use --reset to reload).")
        else:
            print(f"Loaded the seed file: {report}.")
        return 0

    return _on_database(settings, work)


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from db.models import Role
    from db.tokens import TokenError, create_token, list_tokens, revoke_token

    async def work(sessions: async_sessionmaker[AsyncSession]) -> int:
        try:
            async with sessions() as session, session.begin():
                if args.action == "create":
                    token = await create_token(session, args.name, Role(args.role))
                    print(token)
                    print(
                        f"Token {args.name!r} ({args.role}) created. It is shown only this once.",
                        file=sys.stderr,
                    )
                elif args.action == "revoke":
                    await revoke_token(session, args.name)
                    print(f"Token {args.name!r} revoked.")
                else:
                    print(f"{'NAME':<24} {'ROLE':<8} {'CREATED':<26} LAST USED")
                    for row in await list_tokens(session):
                        used = (
                            row.last_used_at.isoformat(timespec="seconds")
                            if row.last_used_at
                            else "never"
                        )
                        created = row.created_at.isoformat(timespec="seconds")
                        print(f"{row.name:<24} {row.role.value:<8} {created:<26} {used}")
        except TokenError as error:
            print(f"bilateral token {args.action}: {error}", file=sys.stderr)
            return 1
        return 0

    return _on_database(settings, work)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from db.quality import KINDS, find_issues
    from seed.document import SeedError
    from seed.history.archive import is_archive
    from seed.history.imports import import_archive
    from seed.load import import_file
    from seed.wikidata.importer import import_release
    from seed.wikidata.release import ReleaseError, is_release, open_text

    if is_archive(args.file):  # the Office of the Historian's: seed/history/imports.py
        return _on_database(
            settings, lambda sessions: import_archive(sessions, args.file, args.report)
        )
    try:
        first_line = open_text(args.file).partition("\n")[0]
    except (OSError, UnicodeDecodeError, EOFError) as error:
        print(f"bilateral import: cannot read {args.file}: {error}", file=sys.stderr)
        return 1
    kind = args.format or ("wikidata-missions" if is_release(first_line) else "seed")

    async def work(sessions: async_sessionmaker[AsyncSession]) -> int:
        if kind == "seed":
            try:
                merged = await import_file(sessions, args.file)
            except SeedError as error:
                print(f"{args.file} has errors; nothing was imported:\n{error}", file=sys.stderr)
                return 1
            print(f"Imported {args.file}: {merged}.")
            return 0
        try:
            report = await import_release(sessions, args.file, args.release_date)
        except ReleaseError as error:
            print(f"{args.file} has errors; nothing was imported:\n{error}", file=sys.stderr)
            return 1
        skipped = args.report or Path(args.file.name.split(".")[0] + ".skipped.tsv")
        report.write_skipped(skipped)
        print(f"Imported {args.file}: {report}.")
        for reason, count in report.reasons().most_common():
            print(f"  skipped {count:>4}: {reason}")
        print(f"Every skipped row, with its line and reason: {skipped}")
        async with sessions() as session:
            issues = Counter(issue.kind for issue in await find_issues(session))
        print("Data-quality issues for editors, by kind (GraphQL: qualityIssues(kind: …)):")
        for issue_kind in KINDS:
            print(f"  {issues[issue_kind]:>5} {issue_kind.name}")
        return 0

    return _on_database(settings, work)


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from seed.export import export_text

    async def work(sessions: async_sessionmaker[AsyncSession]) -> int:
        async with sessions() as session, session.begin():
            text = await export_text(session)
        if args.file is None:
            sys.stdout.write(text)
        else:
            args.file.write_text(text, encoding="utf-8")
            print(f"Wrote {args.file}", file=sys.stderr)
        return 0

    return _on_database(settings, work)


def _export_schema(_: Settings, args: argparse.Namespace) -> int:
    from schema import schema

    args.output.write_text(schema.as_str() + "\n", encoding="utf-8")
    print(f"Wrote {args.output}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date such as 2022-11-16: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bilateral", description="The Bilateral GraphQL API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="serve the API (HOST, PORT, DATABASE_URL from the environment)"
    )
    serve.add_argument("--workers", type=int, default=1, help="server processes to run (default 1)")
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="do not log a line per request (errors and warnings are still logged)",
    )
    commands.add_parser("migrate", help="bring the database's schema up to this code's")

    seed = commands.add_parser(
        "seed", help="load a seed file (default: the article) into the database"
    )
    seed.add_argument("file", nargs="?", type=Path, help="a seed file; see seed/README.md")
    seed.add_argument("--reset", action="store_true", help="delete every fact first, then load")
    seed.add_argument(
        "--world",
        action="store_true",
        help="also load the world's posts from Wikidata and the Office of the Historian's events, as the server does on its first start",
    )
    seed.add_argument(
        "--synthetic", action="store_true", help="load a generated network for load tests instead"
    )
    seed.add_argument(
        "--scale", type=float, default=1.0, help="size of the synthetic network (1: 100,000 events)"
    )

    token = commands.add_parser("token", help="manage the bearer tokens that may write")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="make a token and print it, once")
    create.add_argument(
        "--name", required=True, help="a name for the token, shown in the change log"
    )
    create.add_argument("--role", required=True, choices=["editor", "reader"])
    actions.add_parser("list", help="list tokens: names, roles, when made and last used")
    revoke = actions.add_parser("revoke", help="delete a token; it stops working at once")
    revoke.add_argument("name")

    importing = commands.add_parser(
        "import",
        help="merge a seed file, a Wikidata release of missions or an Office of the Historian"
        " archive into the database",
    )
    importing.add_argument(
        "file",
        type=Path,
        help="a seed file (seed/README.md), a database-of-embassies release (.gz or not), or an"
        " Office of the Historian archive (pocom's .tar.gz as shipped, or its unpacked folder)",
    )
    importing.add_argument(
        "--format",
        choices=["seed", "wikidata-missions"],
        help="a file's format (default: told by its first line; an archive or a folder is the"
        " Office of the Historian's, which dataset told by its files)",
    )
    importing.add_argument(
        "--release-date",
        type=_date,
        help="a Wikidata release's date, YYYY-MM-DD (default: the date in its file name)",
    )
    importing.add_argument(
        "--report",
        type=Path,
        help="where to list a release's skipped rows (default: NAME.skipped.tsv here)",
    )
    exporting = commands.add_parser(
        "export",
        help="write every fact of the database, table by table with their ids (all but the"
        " tokens, the change log and the rate-limit counters), for `bilateral import` to restore into a database"
        " without facts; seed/README.md describes the file",
    )
    exporting.add_argument(
        "file", nargs="?", type=Path, help="where to write (default: standard output)"
    )

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", type=Path, default=SCHEMA_FILE, help=f"default: {SCHEMA_FILE}")
    return parser


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "serve": _serve,
    "migrate": _migrate,
    "seed": _seed,
    "token": _token,
    "import": _import,
    "export": _export,
    "export-schema": _export_schema,
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](Settings.from_env(), args)


if __name__ == "__main__":
    sys.exit(main())
