"""Every flow is declared once and every adapter can rely on the declaration."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from typing import get_args

import flows
from flows import app, registry
from flows.core import Conversation, Event, Profile, ProfilePart
from flows.effects import Effect
from flows.texts import TEXTS, common, render
from tests.flows.driver import Chat


def _modules_declaring_a_flow() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(flows.__path__, "flows."):
        module = importlib.import_module(info.name)
        if isinstance(getattr(module, "FLOW", None), registry.Flow):
            found.add(info.name)
    return found


def test_every_module_declaring_a_flow_is_registered() -> None:
    assert _modules_declaring_a_flow() <= set(registry.MODULES)


def test_every_flow_has_a_title_commands_and_help() -> None:
    for flow in registry.flows():
        assert flow.title.strip(), flow.name
        assert flow.commands, flow.name
        for command in (*flow.commands, *(shot.command for shot in flow.one_shots)):
            assert command.name.isidentifier() and command.name.islower(), command
            assert 3 <= len(command.menu_title) <= 256, command  # Telegram's limits
            assert command.help_text.strip(), command


def test_every_flow_command_is_in_the_menu_and_in_help() -> None:
    menu = [command.name for command in registry.menu_commands()]
    help_text = common.commands_list()
    for command in registry.all_commands():
        assert command.name in menu
        assert f"/{command.name} — {command.help_text}" in help_text
    assert len(menu) == len(set(menu)), "a command is declared twice"
    assert menu[0] == "start" and menu[-1] == "help"


def test_every_flow_declares_texts_and_only_known_effects() -> None:
    union = set(get_args(Effect))
    for flow in registry.flows():
        assert flow.texts, flow.name
        assert set(flow.effects) <= union, flow.name
        assert all(key in TEXTS for key in flow.texts)


def _text_keys_used(module_name: str) -> set[str]:
    """The literal text keys a module passes to Reply(...), and their f-string prefixes."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    keys: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name != "Reply":
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            keys.add(first.value)
        elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            keys.add(f"{first.values[0].value}*")
    return keys


def test_every_text_key_a_flow_replies_with_exists() -> None:
    for flow in registry.flows():
        for key in _text_keys_used(flow.module):
            if key.endswith("*"):
                assert any(known.startswith(key[:-1]) for known in TEXTS), (flow.name, key)
            else:
                assert key in TEXTS, (flow.name, key)


def test_a_flow_title_names_the_conversation_put_on_hold() -> None:
    chat = Chat(Profile(user_id=3, has_data=True))
    chat.command("settings")
    replies = chat.command("delete")
    settings_flow = registry.by_name("settings")
    assert settings_flow is not None
    assert replies[0].key == "paused"
    assert settings_flow.title in render(replies[0])


def test_a_flow_declared_without_a_module_of_its_own_is_refused() -> None:
    module = importlib.import_module("flows.parsing")
    try:
        registry._declaration(module)
    except TypeError as error:
        assert "flows.parsing" in str(error)
    else:
        raise AssertionError("a module without FLOW was accepted")


def test_profile_parts_follow_the_flows_an_event_can_reach() -> None:
    parts = registry.profile_parts
    assert parts(None, Event.command("settings")) == frozenset()
    assert parts(None, Event.command("plan")) == {ProfilePart.ASSESSMENT, ProfilePart.PLAN}
    assert ProfilePart.CHECKINS in parts(None, Event.command("progress"))
    assert parts(None, Event.command("start")) == {ProfilePart.ASSESSMENT}
    # An open /settings that put /plan on hold: /plan comes back when settings ends.
    paused = {"_paused": {"flow": "plan", "state": "show", "data": {}}}
    open_settings = Conversation("settings", "menu", paused, "t")
    assert parts(open_settings, Event.typed("kg")) == {ProfilePart.ASSESSMENT, ProfilePart.PLAN}
    # A flow this version does not know: everything, so whatever handles it has its data.
    gone = Conversation("retired", "somewhere", {}, "t")
    assert parts(gone, Event.typed("hi")) == frozenset(ProfilePart)


def test_the_router_views_match_the_declarations() -> None:
    for flow in registry.flows():
        assert app.FLOWS[flow.name].__name__ == flow.module
        for command in flow.commands:
            assert app.STARTERS[command.name] == flow.name
