"""Every effect a flow can ask for, as one union the adapters must handle exhaustively.

The effect classes live beside the flow that makes them; this module only gathers them, so
that `bot.effects.apply_effect` can `match` on the union and mypy reports a forgotten one.
"""

from __future__ import annotations

from flows.account import AttachChart, DeleteEverything, ExportData
from flows.assessment import SaveAssessment
from flows.catching_up import AdaptPlan, AttachLagChart
from flows.checkin import SaveCheckin
from flows.leg_plan import SavePlan, SetRemindersPaused
from flows.log_lifts import SaveLiftSets
from flows.measure import SaveMeasurement
from flows.settings import UpdateSettings

Effect = (
    SaveAssessment
    | SavePlan
    | SetRemindersPaused
    | SaveCheckin
    | SaveLiftSets
    | SaveMeasurement
    | UpdateSettings
    | AttachChart
    | ExportData
    | DeleteEverything
    | AdaptPlan
    | AttachLagChart
)

__all__ = [
    "AdaptPlan",
    "AttachChart",
    "AttachLagChart",
    "DeleteEverything",
    "Effect",
    "ExportData",
    "SaveAssessment",
    "SaveCheckin",
    "SaveLiftSets",
    "SaveMeasurement",
    "SavePlan",
    "SetRemindersPaused",
    "UpdateSettings",
]
