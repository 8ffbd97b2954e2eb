"""Benchmark of the place data's memory and speed: city names and shared locations.

    .venv/bin/python bench/memory.py [--repo PATH] [--rounds 3] [--json FILE]

Each measurement runs in a fresh Python process of its own (this interpreter, PYTHONPATH set
to the checkout measured, `--repo`, by default this one), which reads its own resident size
(VmRSS, with its anonymous and file-backed parts, from /proc/self/status):

* **import**: after `import bot.telegram_app, bot.engine`, as the bot starts;
* **preload**: then `flows.places.preload_city_index()`, which the bot runs at start-up;
* **city**: then one city typed (`zones_for_city("Berlin")`), with its time (cold);
* **location**: then one location shared (`zone_for_location(52.52, 13.405)`), cold;
* warm times: the median of many more lookups in the same process (20 typed places, 20
  points), each timed alone.

The processes "import, preload" and "import, city, location" are separate, so that each
figure is what that path costs by itself. With the index file already in the cache (as on
every start but the first) and, for the first start, with an empty cache folder
(XDG_CACHE_HOME set to a new temporary folder), where the first question or the preload
builds the file. Finally, timezonefinder alone in both of its modes (`in_memory=False`,
which reads its polygons through a memory map, and `in_memory=True`).

Every figure is the median over `--rounds` processes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

CITIES = [
    "London",
    "New York",
    "São Paulo",
    "Kyiv",
    "Springfield",
    "St. Petersburg",
    "Saigon",
    "Auckland",
    "Zurich",
    "London, Canada",
    "Paris",
    "Tokyo",
    "Mumbai",
    "Lagos",
    "Buenos Aires",
    "Atlantisville Prime",
    "Portland",
    "Moscow",
    "Berlin",
    "Cairo",
]
POINTS = [
    (52.52, 13.405),
    (40.7128, -74.006),
    (-36.85, 174.76),
    (1.87, -157.4),
    (-23.55, -46.63),
    (51.5, -0.12),
    (35.68, 139.69),
    (55.75, 37.62),
    (-33.87, 151.21),
    (19.43, -99.13),
    (30.0, -40.0),
    (64.13, -21.9),
    (6.52, 3.37),
    (-1.29, 36.82),
    (37.77, -122.42),
    (48.85, 2.35),
    (25.2, 55.27),
    (13.75, 100.5),
    (-34.6, -58.38),
    (61.22, -149.9),
]

# Runs in the measured process; prints one JSON object.
PROBE = """
import json, statistics, sys, time

def memory():
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields

def timed(call, *args, **kwargs):
    start = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - start, result

mode, cities, points = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
out = {"start": memory()}
if mode.startswith("finder"):
    from timezonefinder import TimezoneFinder
    out["import"] = memory()
    seconds, finder = timed(TimezoneFinder, in_memory=mode == "finder-in-memory")
    seconds_at, zone = timed(finder.timezone_at_land, lng=13.405, lat=52.52)
    assert zone == "Europe/Berlin", zone
    out["location"] = memory()
    out["location_cold_s"] = seconds + seconds_at
    warm = [timed(finder.timezone_at_land, lng=x, lat=y)[0] for y, x in points * 5]
    out["location_warm_s"] = statistics.median(warm)
else:
    import bot.telegram_app, bot.engine
    from flows.places import preload_city_index, zone_for_location, zones_for_city
    out["import"] = memory()
    if mode == "preload":
        out["preload_s"] = timed(preload_city_index)[0]
        out["preload"] = memory()
    else:
        seconds, found = timed(zones_for_city, "Berlin")
        assert found[0].zone == "Europe/Berlin", found
        out["city"], out["city_cold_s"] = memory(), seconds
        seconds, zone = timed(zone_for_location, 52.52, 13.405)
        assert zone == "Europe/Berlin", zone
        out["location"], out["location_cold_s"] = memory(), seconds
        warm = [timed(zones_for_city, city)[0] for city in cities * 5]
        out["city_warm_s"] = statistics.median(warm)
        warm = [timed(zone_for_location, lat, lng)[0] for lat, lng in points * 5]
        out["location_warm_s"] = statistics.median(warm)
        out["end"] = memory()
print(json.dumps(out))
"""


def probe(repo: Path, mode: str, cache_home: Path | None) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(repo), "LOG_LEVEL": "WARNING"}
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = str(cache_home)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, json.dumps(CITIES), json.dumps(POINTS)],
        cwd=tempfile.gettempdir(),
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(f"the {mode} probe failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of every figure over the runs (nested memory figures too)."""
    merged: dict[str, Any] = {}
    for key, value in runs[0].items():
        if isinstance(value, dict):
            merged[key] = {k: statistics.median(run[key][k] for run in runs) for k in value}
        else:
            merged[key] = statistics.median(run[key] for run in runs)
    return merged


def measure(repo: Path, rounds: int) -> dict[str, dict[str, Any]]:
    results: dict[str, list[dict[str, Any]]] = {}

    def add(name: str, mode: str, fresh_cache: bool) -> None:
        for _ in range(rounds):
            with tempfile.TemporaryDirectory(prefix="places-cache-") as cache:
                run = probe(repo, mode, Path(cache) if fresh_cache else None)
            results.setdefault(name, []).append(run)
            print(f"  {name}: {_line(run)}", flush=True)

    # Make sure the cached index exists before the "index built" runs.
    probe(repo, "preload", None)
    add("built: import, city, location", "lookups", fresh_cache=False)
    add("built: import, preload", "preload", fresh_cache=False)
    add("empty cache: import, city, location", "lookups", fresh_cache=True)
    add("empty cache: import, preload", "preload", fresh_cache=True)
    add("timezonefinder in_memory=False", "finder-mapped", fresh_cache=False)
    add("timezonefinder in_memory=True", "finder-in-memory", fresh_cache=False)
    return {name: median_of(runs) for name, runs in results.items()}


def _line(run: dict[str, Any]) -> str:
    parts = []
    for stage in ("import", "preload", "city", "location"):
        if stage in run:
            memory = run[stage]
            parts.append(
                f"{stage} {memory['VmRSS']:.0f} MB "
                f"(anon {memory['RssAnon']:.0f}, file {memory['RssFile']:.0f})"
            )
    for key in ("preload_s", "city_cold_s", "city_warm_s", "location_cold_s", "location_warm_s"):
        if key in run:
            value = run[key]
            parts.append(
                f"{key[:-2]} {value * 1e6:.0f} µs" if value < 0.01 else f"{key[:-2]} {value:.3f} s"
            )
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to measure")
    parser.add_argument("--rounds", type=int, default=3, help="processes per figure")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    print(f"measuring {args.repo.resolve()}, {args.rounds} processes per figure", flush=True)
    summary = measure(args.repo.resolve(), args.rounds)
    print("\nmedians:")
    for name, run in summary.items():
        print(f"  {name}: {_line(run)}")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
