"""One shared `transitions` machine per flow: a user's model is attached for one event only,
so no user's state outlives the event in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from transitions import Machine


class Model:
    """A user's place in a flow's machine for one event, with the conversation's data for the
    conditions that read it."""

    state: str
    trigger: Callable[[str], bool]  # bound by the machine on add_model

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = {} if data is None else data


def new_machine(states: type[StrEnum], initial: str, *, send_event: bool = False) -> Machine:
    """A flow's machine, without models: they are attached one event at a time. Only the
    transitions the flow adds exist (no `to_<state>` ones)."""
    return Machine(
        model=None,
        states=[state.value for state in states],
        initial=initial,
        send_event=send_event,
        auto_transitions=False,
    )


@contextmanager
def attached(machine: Machine, model: object, state: str) -> Iterator[None]:
    """Attaches `model` to the shared `machine` at `state` for the length of the block."""
    machine.add_model(model, initial=state)
    try:
        yield
    finally:
        machine.remove_model(model)


def fire(
    machine: Machine, state: str, trigger: str, data: dict[str, Any] | None = None
) -> str | None:
    """Fires `trigger` at `state` for a model holding `data`, attached for this alone.

    Returns the new state, or None when `trigger` does not apply in `state`."""
    model = Model(data)
    with attached(machine, model, state):
        if trigger not in machine.get_triggers(state):
            return None
        model.trigger(trigger)
        return str(model.state)
