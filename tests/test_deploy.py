"""The deployment files: Dockerfile, .dockerignore, compose.yaml and Procfile.

No container engine is needed: the Dockerfile is parsed into its instructions, compose.yaml
is read with the small reader below (PyYAML is not a dependency), every command the files
start is checked against `python -m bot --help`, and the image's health check is run
against a local HTTP server.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "compose.yaml"
PROCFILE = ROOT / "Procfile"

# ---- Dockerfile --------------------------------------------------------------------------


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; comments dropped, continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        if not whole:
            continue
        keyword, _, arguments = whole.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    assert not pending, "the Dockerfile ends inside a continued instruction"
    return instructions


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an exec-form CMD or HEALTHCHECK CMD; fails on the shell form."""
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(part, str) for part in value), arguments
    return value


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return dockerfile_instructions(DOCKERFILE.read_text(encoding="utf-8"))


def _only(instructions: list[tuple[str, str]], keyword: str) -> str:
    found = [arguments for name, arguments in instructions if name == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {found}"
    return found[0]


def healthcheck_command(instructions: list[tuple[str, str]]) -> list[str]:
    arguments = _only(instructions, "HEALTHCHECK")
    options, separator, command = arguments.partition("CMD ")
    assert separator, "HEALTHCHECK without CMD"
    assert re.search(r"--timeout=\d+s", options), "the health check needs a time-out"
    return exec_form(command)


def test_dockerfile_builds_on_slim_python(dockerfile: list[tuple[str, str]]) -> None:
    assert dockerfile[0] == ("FROM", "python:3.11-slim")
    assert [name for name, _ in dockerfile].count("FROM") == 1


def test_dockerfile_installs_the_project_from_pyproject(
    dockerfile: list[tuple[str, str]],
) -> None:
    copied = " ".join(arguments for name, arguments in dockerfile if name == "COPY")
    for needed in ("pyproject.toml", "README.md", "bot", "flows"):
        assert needed in copied.split(), f"{needed} is not copied into the image"
    runs = [arguments for name, arguments in dockerfile if name == "RUN"]
    assert any(re.search(r"\bpip install \.(\s|$)", run) for run in runs), runs


def test_dockerfile_runs_as_a_user_of_its_own(dockerfile: list[tuple[str, str]]) -> None:
    names = [name for name, _ in dockerfile]
    users = [arguments for name, arguments in dockerfile if name == "USER"]
    assert users, "no USER: the container would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
    last_user = len(names) - 1 - names[::-1].index("USER")
    assert last_user < names.index("CMD")
    runs = " ".join(arguments for name, arguments in dockerfile if name == "RUN")
    assert "useradd" in runs and users[-1] in runs


def test_dockerfile_starts_the_web_process_with_a_health_check(
    dockerfile: list[tuple[str, str]],
) -> None:
    assert exec_form(_only(dockerfile, "CMD")) == ["python", "-m", "bot", "web"]
    command = healthcheck_command(dockerfile)
    assert command[:2] == ["python", "-c"], "the health check uses python, not curl"
    assert "/healthz" in command[2] and "urllib" in command[2]
    assert "EXPOSE" in {name for name, _ in dockerfile}


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200
    paths: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[tuple[int, type[_Health]]]:
    handler = type("Health", (_Health,), {"status": 200, "paths": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler
    finally:
        server.shutdown()
        server.server_close()


def test_health_check_passes_on_200_and_fails_otherwise(
    dockerfile: list[tuple[str, str]], health_server: tuple[int, type[_Health]]
) -> None:
    port, handler = health_server
    command = [sys.executable, *healthcheck_command(dockerfile)[1:]]
    env = {**os.environ, "PORT": str(port)}
    ok = subprocess.run(command, env=env, capture_output=True, timeout=30, check=False)
    assert ok.returncode == 0, ok.stderr
    assert handler.paths == ["/healthz"]
    handler.status = 503
    failing = subprocess.run(command, env=env, capture_output=True, timeout=30, check=False)
    assert failing.returncode != 0


def test_health_check_fails_when_nothing_listens(dockerfile: list[tuple[str, str]]) -> None:
    command = [sys.executable, *healthcheck_command(dockerfile)[1:]]
    env = {**os.environ, "PORT": "1"}  # nothing listens on port 1
    result = subprocess.run(command, env=env, capture_output=True, timeout=30, check=False)
    assert result.returncode != 0


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for kept_out in (
        ".env",
        ".git",
        ".venv",
        "data",
        "__pycache__",
        "*.pyc",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
        "*.db",
        "*.egg-info",
    ):
        assert kept_out in patterns, f"{kept_out} would be sent into the image"
    for needed in ("bot", "flows", "pyproject.toml", "README.md"):
        assert needed not in patterns


# ---- compose.yaml: a reader for the YAML it is written in --------------------------------


class YamlSubset:
    """Block mappings and sequences, plain, quoted and flow-list ([...] as JSON) scalars,
    anchors on mappings (&name), aliases (*name) and merge keys (<<). Anything else raises,
    so a construct it does not know fails the tests instead of being misread."""

    KEY = re.compile(r'^(?P<key>[A-Za-z0-9_.<-]+|"[^"]*"):(?:\s+(?P<rest>.*))?$')

    def __init__(self, text: str) -> None:
        self.lines: list[tuple[int, str, int]] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            content = self._strip_comment(raw).rstrip()
            if not content.strip():
                continue
            assert "\t" not in raw[: len(raw) - len(raw.lstrip())], f"tab on line {number}"
            self.lines.append((len(content) - len(content.lstrip()), content.strip(), number))
        self.anchors: dict[str, Any] = {}

    @staticmethod
    def _strip_comment(line: str) -> str:
        quote = ""
        for index, char in enumerate(line):
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                return line[:index]
        return line

    def parse(self) -> Any:
        value, index = self._block(0, self.lines[0][0])
        assert index == len(self.lines), f"unread YAML from line {self.lines[index][2]}"
        return value

    def _block(self, index: int, indent: int) -> tuple[Any, int]:
        if self.lines[index][1].startswith("- "):
            return self._sequence(index, indent)
        return self._mapping(index, indent)

    def _sequence(self, index: int, indent: int) -> tuple[list[Any], int]:
        items = []
        while index < len(self.lines) and self.lines[index][0] == indent:
            _, content, number = self.lines[index]
            if not content.startswith("- "):
                break
            item = content[2:].strip()
            assert not self.KEY.match(item), f"line {number}: mappings in sequences unread"
            items.append(self._scalar(item, number))
            index += 1
        return items, index

    def _mapping(self, index: int, indent: int) -> tuple[dict[str, Any], int]:
        mapping: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        while index < len(self.lines) and self.lines[index][0] == indent:
            _, content, number = self.lines[index]
            match = self.KEY.match(content)
            assert match, f"line {number}: not a key: {content!r}"
            key = match["key"].strip('"')
            rest = (match["rest"] or "").strip()
            index += 1
            anchor = None
            if rest.startswith("&"):
                anchor, _, rest = rest[1:].partition(" ")
                rest = rest.strip()
            if rest:
                value = self._scalar(rest, number)
            elif index < len(self.lines) and (
                self.lines[index][0] > indent
                or (self.lines[index][0] == indent and self.lines[index][1].startswith("- "))
            ):
                value, index = self._block(index, self.lines[index][0])
            else:
                value = None
            if anchor:
                self.anchors[anchor] = value
            if key == "<<":
                assert isinstance(value, dict), f"line {number}: merge of a non-mapping"
                merged.update(value)
                continue
            assert key not in mapping, f"line {number}: {key} given twice"
            mapping[key] = value
        return {**merged, **mapping}, index

    def _scalar(self, text: str, number: int) -> Any:
        if text.startswith("*"):
            assert text[1:] in self.anchors, f"line {number}: unknown alias {text}"
            return self.anchors[text[1:]]
        if text.startswith("["):
            return json.loads(text)
        if text.startswith('"'):
            return json.loads(text)
        if text.startswith("'"):
            assert text.endswith("'"), f"line {number}: open quote"
            return text[1:-1].replace("''", "'")
        assert not text.startswith(("{", "|", ">", "&", "!")), f"line {number}: {text!r}"
        if text in ("true", "false"):
            return text == "true"
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        return text


def test_yaml_subset_reader() -> None:
    text = """
# a comment
x-base: &base
  image: "a:1"   # trailing comment
  flag: true
top:
  <<: *base
  flag: false
  list:
    - one
    - "two # not a comment"
  flow: ["CMD", "x"]
  quoted: 'it''s'
  empty:
"""
    assert YamlSubset(text).parse() == {
        "x-base": {"image": "a:1", "flag": True},
        "top": {
            "image": "a:1",
            "flag": False,
            "list": ["one", "two # not a comment"],
            "flow": ["CMD", "x"],
            "quoted": "it's",
            "empty": None,
        },
    }
    with pytest.raises(AssertionError):
        YamlSubset("a:\n  - b: c\n").parse()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    value = YamlSubset(COMPOSE.read_text(encoding="utf-8")).parse()
    assert isinstance(value, dict)
    return value


def test_compose_names_the_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"db", "migrate", "web", "dispatcher"}
    assert set(compose["volumes"]) == {"pgdata"}


def test_compose_database_is_postgres_16_on_a_named_volume(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "ports" not in db, "the database should not be published on the host"
    assert "?" in db["environment"]["POSTGRES_PASSWORD"], "the password must be given"


def test_compose_runs_migrations_once_before_the_rest(compose: dict[str, Any]) -> None:
    services = compose["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "-m", "bot", "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "dispatcher"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["db"] == {"condition": "service_healthy"}, name


def test_compose_web_and_dispatcher_can_be_scaled(compose: dict[str, Any]) -> None:
    services = compose["services"]
    # Several web processes, one sender of reminders.
    assert services["web"]["command"] == ["python", "-m", "bot", "web", "--no-dispatcher"]
    assert services["dispatcher"]["command"] == ["python", "-m", "bot", "dispatch"]
    for name, service in services.items():
        # A fixed container name allows one container; --scale needs none.
        assert "container_name" not in service, name
    for published in services["web"]["ports"]:
        address, host_ports, container_port = with_defaults(published).split(":")
        # One host port cannot serve several containers: a range (or none) can.
        assert re.fullmatch(r"\d+-\d+", host_ports), f"one fixed host port: {published}"
        assert address == "127.0.0.1", "published for the TLS terminator on the host only"
        assert container_port == "8080"
    assert services["dispatcher"]["healthcheck"] == {"disable": True}
    assert "ports" not in services["dispatcher"]


def test_compose_passes_the_configuration_from_env(compose: dict[str, Any]) -> None:
    for name in ("migrate", "web", "dispatcher"):
        service = compose["services"][name]
        assert service["build"] == "."
        assert service["init"] is True, f"{name}: signals need an init process"
        environment = service["environment"]
        for variable in (
            "TELEGRAM_BOT_TOKEN",
            "DATABASE_URL",
            "WEBHOOK_URL",
            "WEBHOOK_SECRET",
            "PORT",
            "LOG_FORMAT",
            "DELIVERY_RETENTION_DAYS",
        ):
            assert variable in environment, f"{name} lacks {variable}"
            assert environment[variable].startswith("${" + variable), (name, variable)
        assert "@db:5432/" in environment["DATABASE_URL"]
        for required in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL"):
            assert environment[required].startswith("${" + required + ":?"), required


def with_defaults(text: str) -> str:
    """Compose's interpolation with nothing set: ${NAME:-default} is the default."""
    pattern = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^${}]*))?\}")
    while (replaced := pattern.sub(lambda match: match[1] or "", text)) != text:
        text = replaced
    return text


def test_with_defaults() -> None:
    assert with_defaults("a${X:-b}c${Y}") == "abc"
    assert with_defaults("${X:-u:${P:-p}@db}") == "u:p@db"


# ---- the commands every file starts --------------------------------------------------------


@pytest.fixture(scope="module")
def bot_help() -> str:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def bot_commands(bot_help: str) -> set[str]:
    """The commands `python -m bot --help` lists."""
    choices = re.search(r"\{([a-z,_-]+)\}", bot_help)
    assert choices, bot_help
    return set(choices[1].split(","))


def procfile() -> dict[str, list[str]]:
    processes = {}
    for line in PROCFILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            processes[name.strip()] = shlex.split(command)
    return processes


def test_procfile_has_release_web_and_worker() -> None:
    assert procfile() == {
        "release": ["python", "-m", "bot", "migrate"],
        "web": ["python", "-m", "bot", "web", "--no-dispatcher"],
        "worker": ["python", "-m", "bot", "dispatch"],
    }


def test_every_started_command_is_one_the_bot_knows(
    bot_commands: set[str],
    bot_help: str,
    dockerfile: list[tuple[str, str]],
    compose: dict[str, Any],
) -> None:
    started = {"procfile " + name: command for name, command in procfile().items()}
    started["Dockerfile CMD"] = exec_form(_only(dockerfile, "CMD"))
    for name, service in compose["services"].items():
        if "command" in service:
            started["compose " + name] = service["command"]
    for where, command in started.items():
        assert command[:3] == ["python", "-m", "bot"], where
        assert command[3] in bot_commands, f"{where}: {command[3]} not in {bot_commands}"
        for option in command[4:]:
            assert re.search(rf"(^|\s){re.escape(option)}\b", bot_help), f"{where}: {option}"
    # The three processes are the same wherever they are started.
    assert {tuple(c) for c in procfile().values()} == {
        tuple(s["command"]) for s in compose["services"].values() if "command" in s
    }


def test_the_run_command_stays_the_default(bot_commands: set[str]) -> None:
    # `make run` is `python -m bot` with no command: polling or the terminal chat.
    assert {"run", "chat", "migrate"} <= bot_commands
    from bot.__main__ import parse_args

    assert parse_args([]).command == "run"


def test_the_entry_module_imports_in_a_fresh_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import bot.__main__"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# ---- SECURITY.md ---------------------------------------------------------------------------


def test_security_policy_lists_every_table(tmp_path: Path) -> None:
    """What is stored about users is told table by table: a table added by a migration
    and missing there fails here."""
    import sqlite3

    from bot.storage.migrate import upgrade

    database = tmp_path / "schema.db"
    upgrade(f"sqlite+aiosqlite:///{database}")
    with sqlite3.connect(database) as connection:
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if name != "alembic_version" and not name.startswith("sqlite_")
        }
    policy = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", policy, flags=re.MULTILINE))
    assert listed == tables
