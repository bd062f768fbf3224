"""A tiny valid model as YAML text; tests break one thing at a time."""

import pytest

TINY = """\
id: tiny
name: {sv: Litet kontor, en: Tiny office}
office: Test
variant: current
lanes:
  - {id: visitor, label: {sv: Besökaren, en: Visitor}, kind: visitor}
  - {id: desk, label: {sv: Disken, en: Desk}, kind: frontstage}
pools:
  - {id: clerks, label: {sv: Handläggare, en: Clerks}, kind: staff, capacity: 2}
steps:
  - {id: arrive, label: {sv: Kommer, en: Arrives}, lane: visitor, kind: start}
  - id: wait
    label: {sv: Väntar, en: Waits}
    lane: visitor
    kind: queue
  - id: serve
    label: {sv: Betjänas, en: Is served}
    lane: desk
    kind: task
    duration: {kind: exponential, mean: 5}
    requests: [{pool: clerks}]
  - {id: leave, label: {sv: Går, en: Leaves}, lane: visitor, kind: end}
flows:
  - {from: arrive, to: wait}
  - {from: wait, to: serve}
  - {from: serve, to: leave}
errands:
  - {id: question, label: {sv: Fråga, en: Question}, share: 1.0}
segments:
  - {id: everyone, label: {sv: Alla, en: Everyone}, share: 1.0, swedish: high, digital: high}
opening_hours:
  mon: {open: "09:00", close: "17:00"}
demand:
  weekly_visitors: 100
  weekday_profile: {mon: 1.0}
  hourly_profile: {9: 1, 10: 1, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1, 16: 1}
"""


@pytest.fixture
def tiny_text() -> str:
    return TINY
