"""One shared `transitions` machine per flow: a user's model is attached for one event only,
so no user's state outlives the event in memory."""

from __future__ import annotations

from typing import Any

from transitions import Machine


def fire(machine: Machine, model: Any, state: str, trigger: str) -> str | None:
    """Attaches `model` at `state`, fires `trigger` and detaches the model again.

    Returns the new state, or None when `trigger` does not apply in `state`."""
    machine.add_model(model, initial=state)
    try:
        if trigger not in machine.get_triggers(state):
            return None
        model.trigger(trigger)
        return str(model.state)
    finally:
        machine.remove_model(model)
