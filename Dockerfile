# The same server as `make run`, as a non-root user.

# The pinned run-time dependencies, read from pyproject.toml into requirements.txt.
# Only that file is copied on, so a change elsewhere in pyproject.toml (tool settings,
# dev extras) or in the code keeps the dependency layer below cached.
FROM python:3.11-slim AS requirements
WORKDIR /src
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > requirements.txt

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin safeplaces

# Dependencies first: rebuilt only when requirements.txt changes.
COPY --from=requirements /src/requirements.txt ./
RUN pip install -r requirements.txt

# Then the code, without its dependencies (installed above); pip check fails the
# build if the two ever disagree.
COPY pyproject.toml README.md LICENSE ./
COPY app ./app
RUN pip install --no-deps . && pip check

COPY data ./data
RUN mkdir -p var && chown safeplaces:safeplaces var

USER safeplaces
EXPOSE 8000
# At start the server migrates the database, loads data/ and, the first time, builds
# the postcode table under var/: about 4 s on a developer's machine, more on a small
# host. In the start period it is checked every 2 s and a failed check does not count.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --start-interval=2s --retries=3 \
    CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
CMD ["safe-places", "serve"]
