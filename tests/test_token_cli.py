"""`bilateral token`: a token is shown once, stored only as a hash, listed without it, revoked."""

import asyncio

import pytest
from databases import dump

from db.models import Role
from db.session import make_engine, make_sessions
from db.tokens import Holder, check_token
from server.cli import main


def _check(database_url: str, token: str) -> Holder | None:
    async def run() -> Holder | None:
        engine = make_engine(database_url)
        try:
            async with make_sessions(engine)() as session, session.begin():
                return await check_token(session, token)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_token_create_list_and_revoke(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["token", "create", "--name", "newsroom", "--role", "editor"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("blt_") and len(token) > 40

    stored = " ".join(str(value) for row in dump(database_url)["token"] for value in row)
    secret = token.split("_", 2)[2]  # blt_<key>_<secret>; the secret may hold "_" itself
    assert token not in stored and secret not in stored

    assert _check(database_url, token) == Holder("newsroom", Role.EDITOR)
    assert main(["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "newsroom" in listing and "editor" in listing and token not in listing
    assert "never" not in listing  # it was used above

    assert main(["token", "create", "--name", "newsroom", "--role", "reader"]) == 1
    assert "exists already" in capsys.readouterr().err
    assert main(["token", "revoke", "newsroom"]) == 0
    assert _check(database_url, token) is None
    assert main(["token", "revoke", "newsroom"]) == 1
