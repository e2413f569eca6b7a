"""One line in the log for every GraphQL request, for an operator to read or a machine to parse.

Each line says the request's ID, its client (a token's name or an address, never a
token itself), the operation's name, what it cost, the path that answered it, how long
it took and how it ended (`OK` or the first error's code). As text by default; as one
JSON object a line with BILATERAL_LOG_FORMAT=json. `bilateral serve --no-access-log`
leaves these lines out, as it leaves out uvicorn's (BILATERAL_REQUEST_LOG=off).
"""

from __future__ import annotations

import json
import logging

from schema.execution import Answer

log = logging.getLogger("bilateral.requests")


class RequestLog:
    """Writes a line for each answered request to the `bilateral.requests` logger."""

    def __init__(self, *, json_lines: bool = False) -> None:
        self.json_lines = json_lines
        if log.level == logging.NOTSET:
            log.setLevel(logging.INFO)
        if not log.handlers and not logging.getLogger().handlers:
            # Served by uvicorn, which configures its own loggers only: the lines go to
            # stderr as its do, each as it is (the JSON ones unadorned).
            handler = logging.StreamHandler()
            handler.setFormatter(
                logging.Formatter("%(message)s" if json_lines else "%(levelname)s:     %(message)s")
            )
            log.addHandler(handler)

    def begun(self) -> None:
        pass

    def ended(self) -> None:
        pass

    def observe(
        self, operation_name: str | None, request_id: str, answer: Answer, seconds: float
    ) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        errors = answer.errors
        code = (errors[0].extensions or {}).get("code", "") if errors else "OK"
        cost = (answer.extensions or {}).get("cost") or {}
        fields = {
            "requestId": request_id,
            "client": answer.client,
            "operation": operation_name,
            "estimatedNodes": cost.get("estimatedNodes"),
            "charged": answer.rate.charged if answer.rate is not None else None,
            "path": "refused"
            if answer.refused
            else ("compiled" if answer.compiled else "resolvers"),
            "ms": round(seconds * 1000, 2),
            "code": code,
        }
        if self.json_lines:
            log.info(json.dumps(fields, ensure_ascii=False, separators=(",", ":")))
        else:
            log.info(" ".join(f"{name}={value}" for name, value in fields.items()))
