"""One shared `transitions` machine per flow: a user's model is attached for one event only,
so no user's state outlives the event in memory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from transitions import Machine


@contextmanager
def attached(machine: Machine, model: object, state: str) -> Iterator[None]:
    """Attaches `model` to the shared `machine` at `state` for the length of the block."""
    machine.add_model(model, initial=state)
    try:
        yield
    finally:
        machine.remove_model(model)


def fire(machine: Machine, model: Any, state: str, trigger: str) -> str | None:
    """Attaches `model` at `state`, fires `trigger` and detaches the model again.

    Returns the new state, or None when `trigger` does not apply in `state`."""
    with attached(machine, model, state):
        if trigger not in machine.get_triggers(state):
            return None
        model.trigger(trigger)
        return str(model.state)
