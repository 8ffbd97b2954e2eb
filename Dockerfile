# Leg Day Coach: one image for every process (web, dispatcher, migrations).
#
#   docker build -t legdaycoach .
#   docker run --init -e TELEGRAM_BOT_TOKEN=... -e WEBHOOK_URL=https://... \
#       -e DATABASE_URL=postgresql://... -p 8080:8080 legdaycoach
#
# The default command is the web process (the Telegram webhook, /healthz and /readyz on
# $PORT); `python -m bot dispatch` and `python -m bot migrate` run the other two.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Installed from pyproject.toml, then the sources are dropped: the bot runs from the
# installed package, never from a copy of the source tree.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY flows ./flows
RUN pip install . && rm -rf /src

# A user of its own, without a login shell or sudo; the database is the only state, and
# DATA_DIR only holds a SQLite file when no DATABASE_URL is given.
RUN useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin coach \
    && mkdir -p /app/data \
    && chown -R coach:coach /app
USER coach
WORKDIR /app

# The city index for time zones by city name, built once here instead of in every
# container's first minutes (it lands in ~/.cache/legdaycoach).
RUN python -m bot.places_index build

ENV DATA_DIR=/app/data \
    PORT=8080 \
    LOG_FORMAT=json
EXPOSE 8080

# The web process answers /healthz while its event loop runs. urllib, so the image needs
# no curl; any answer but 2xx, or none within the time-out, is a failure.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8080') + '/healthz', timeout=4)"]

CMD ["python", "-m", "bot", "web"]
