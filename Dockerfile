# Bilateral's API server: `docker build -t bilateral .`, then see compose.yaml (or the README's
# "Running at scale") for a primary, a replica, PgBouncer and two API processes.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATABASE_URL=sqlite+aiosqlite:////data/bilateral.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY db db
COPY schema schema
COPY seed seed
COPY server server
COPY explorer explorer
COPY docs docs
# Editable, so that the server finds the explorer and docs beside its code, as in a checkout.
RUN pip install -e . \
 && useradd --system --uid 10001 --home-dir /app bilateral \
 && mkdir /data && chown bilateral /data

# Never root; /data holds the SQLite file when no DATABASE_URL is given.
USER bilateral
VOLUME /data
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=4)"]

CMD ["bilateral", "serve"]
