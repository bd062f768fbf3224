"""Every check rejects a purpose-built broken model with its own message, file and line."""

import pytest

from process_models import ModelError, parse_model


def _error(text: str) -> ModelError:
    with pytest.raises(ModelError) as info:
        parse_model(text, file="broken.yaml")
    return info.value


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth - 1]


def test_tiny_model_is_valid(tiny_text):
    model = parse_model(tiny_text)
    assert [s.id for s in model.steps] == ["arrive", "wait", "serve", "leave"]


def test_unknown_key_names_the_key_the_line_and_what_is_allowed(tiny_text):
    text = tiny_text.replace("    kind: queue\n", "    kind: queue\n    colour: red\n")
    err = _error(text)
    (p,) = err.problems
    assert p.check == "unknown_key"
    assert p.path == ("steps", 1, "colour")
    assert p.line == _line_of(text, "colour: red")
    assert "unknown key 'colour'" in p.message and "duration" in p.message and "patience" in p.message
    assert str(p).startswith(f"broken.yaml:{p.line}: steps[1].colour: unknown key 'colour'")


def test_unknown_key_inside_a_distribution(tiny_text):
    text = tiny_text.replace("{kind: exponential, mean: 5}", "{kind: exponential, mean: 5, sd: 2}")
    (p,) = _error(text).problems
    assert p.check == "unknown_key" and p.path == ("steps", 2, "duration", "sd")
    assert p.line == _line_of(text, "sd: 2")


def test_unreachable_step(tiny_text):
    text = tiny_text.replace(
        "  - {id: leave,", "  - {id: island, label: {sv: Ö, en: Island}, lane: desk, kind: decision}\n  - {id: leave,"
    ) + "  - {from: island, to: leave}\n"
    text = text.replace("  - {from: island, to: leave}\n", "")
    text = text.replace("flows:\n", "flows:\n  - {from: island, to: leave}\n")
    err = _error(text)
    assert err.checks() == {"unreachable"}
    (p,) = err.problems
    assert p.message == "step 'island' cannot be reached from any start step"
    assert p.line == _line_of(text, "id: island")


def test_dead_end_step(tiny_text):
    text = tiny_text.replace(
        "  - {from: serve, to: leave}\n",
        "  - {from: serve, to: leave, probability: 0.5}\n  - {from: serve, to: stuck, probability: 0.5}\n",
    ).replace(
        "  - {id: leave,", "  - {id: stuck, label: {sv: Fast, en: Stuck}, lane: visitor, kind: queue}\n  - {id: leave,"
    )
    err = _error(text)
    assert err.checks() == {"dead_end"}
    assert err.problems[0].message == "step 'stuck' cannot reach any end step; visitors would be stuck"


def test_probabilities_must_sum_to_one_per_condition(tiny_text):
    text = tiny_text.replace(
        "  - {from: serve, to: leave}\n",
        "  - {from: serve, to: leave, probability: 0.7}\n"
        "  - {from: serve, to: wait, probability: 0.2, when: {errands: [question]}}\n",
    )
    (p,) = _error(text).problems
    assert p.check == "probabilities"
    assert p.message == (
        "outgoing probabilities of step 'serve' for errand 'question', segment 'everyone' sum to 0.9; expected 1"
    )
    assert p.line == _line_of(text, "to: leave, probability: 0.7")


def test_shares_must_sum_to_one(tiny_text):
    text = tiny_text.replace("label: {sv: Fråga, en: Question}, share: 1.0", "label: {sv: Fråga, en: Question}, share: 0.8")
    (p,) = _error(text).problems
    assert (p.check, p.path, p.message) == ("shares", ("errands",), "shares of errands sum to 0.8; expected 1")
    assert p.line == _line_of(text, "errands:")


def test_weekday_shares_must_sum_to_one(tiny_text):
    text = tiny_text.replace("weekday_profile: {mon: 1.0}", "weekday_profile: {mon: 0.5}")
    (p,) = _error(text).problems
    assert (p.check, p.message) == ("shares", "weekday shares sum to 0.5; expected 1")


@pytest.mark.parametrize(
    "old,new,path,message",
    [
        ("lane: desk", "lane: backoffice", ("steps", 2, "lane"),
         "unknown lane 'backoffice'; expected one of: desk, visitor"),
        ("requests: [{pool: clerks}]", "requests: [{pool: robots}]", ("steps", 2, "requests", 0, "pool"),
         "unknown pool 'robots'; expected one of: clerks"),
        ("{from: wait, to: serve}", "{from: wait, to: serv}", ("flows", 1, "to"),
         "unknown step 'serv'; expected one of: arrive, leave, serve, wait"),
        ("{from: serve, to: leave}", "{from: serve, to: leave, when: {errands: [housing]}}",
         ("flows", 2, "when", "errands", 0), "unknown errand 'housing'; expected one of: question"),
        ("{from: serve, to: leave}", "{from: serve, to: leave, when: {segments: [elderly]}}",
         ("flows", 2, "when", "segments", 0), "unknown segment 'elderly'; expected one of: everyone"),
    ],
)
def test_references_must_exist(tiny_text, old, new, path, message):
    text = tiny_text.replace(old, new)
    problems = [p for p in _error(text).problems if p.check == "unknown_reference"]
    assert [(p.path, p.message) for p in problems] == [(path, message)]
    assert problems[0].line == _line_of(text, new)


def test_annotation_on_unknown_step(tiny_text):
    text = tiny_text + (
        "annotations:\n  - {id: n1, step: nowhere, kind: idea, text: Bättre skyltar, author_role: visitor}\n"
    )
    (p,) = _error(text).problems
    assert p.path == ("annotations", 0, "step") and "unknown step 'nowhere'" in p.message
    assert p.line == _line_of(text, "step: nowhere")


def test_negative_capacity(tiny_text):
    text = tiny_text.replace("kind: staff, capacity: 2", "kind: staff, capacity: -1")
    err = _error(text)
    assert "capacity" in err.checks()
    p = next(p for p in err.problems if p.check == "capacity")
    assert p.message == "capacity -1 is negative; expected >= 0"


def test_reachable_step_never_needs_an_empty_pool(tiny_text):
    text = tiny_text.replace("kind: staff, capacity: 2", "kind: staff, capacity: 0")
    (p,) = _error(text).problems
    assert p.check == "empty_pool"
    assert p.message == "step 'serve' needs pool 'clerks', which has no capacity; visitors would wait forever"


def test_a_roster_gives_an_empty_pool_capacity(tiny_text):
    text = tiny_text.replace(
        "kind: staff, capacity: 2}",
        "kind: staff, capacity: 0, roster: {mon: [{start: '10:00', end: '12:00', capacity: 1}]}}",
    )
    assert parse_model(text).pool("clerks").roster["mon"][0].capacity == 1


def test_durations_must_be_positive(tiny_text):
    text = tiny_text.replace("{kind: exponential, mean: 5}", "{kind: exponential, mean: -5}")
    (p,) = _error(text).problems
    assert p.check == "duration"
    assert p.path == ("steps", 2, "duration", "mean")
    assert p.message == "durations are positive minutes; got -5"
    assert p.line == _line_of(text, "mean: -5")


def test_task_needs_a_duration(tiny_text):
    text = tiny_text.replace("    duration: {kind: exponential, mean: 5}\n", "")
    (p,) = _error(text).problems
    assert (p.check, p.message) == ("duration", "a task step needs a duration in minutes")


def test_triangular_must_be_ordered(tiny_text):
    text = tiny_text.replace("{kind: exponential, mean: 5}", "{kind: triangular, low: 5, mode: 2, high: 9}")
    (p,) = _error(text).problems
    assert "expected low <= mode <= high, got 5.0, 2.0, 9.0" in p.message


def test_duplicate_ids(tiny_text):
    text = tiny_text.replace("{id: leave, label: {sv: Går", "{id: wait, label: {sv: Går")
    problems = _error(text).problems
    assert problems[0].check == "duplicate_id"
    assert problems[0].message.startswith("id 'wait' is used twice in steps (first at steps[1])")


def test_self_service_needs_success_and_outcomes(tiny_text):
    text = tiny_text.replace("    kind: task\n", "    kind: self_service\n")
    err = _error(text)
    assert {"outcome"} <= err.checks()
    assert any("needs `success`" in p.message for p in err.problems)


def test_source_needs_a_section_or_an_assumption(tiny_text):
    text = tiny_text.replace(
        "kind: staff, capacity: 2}", "kind: staff, capacity: 2, source: {doc: rinkeby-quality-award-2007.txt}}"
    )
    (p,) = _error(text).problems
    assert p.path == ("pools", 0, "source")
    assert "must also name its `section`" in p.message


def test_unknown_seed_document(tiny_text):
    text = tiny_text.replace(
        "kind: staff, capacity: 2}", "kind: staff, capacity: 2, source: {doc: wikipedia.txt, section: x}}"
    )
    (p,) = _error(text).problems
    assert p.path == ("pools", 0, "source", "doc")
    assert "skarholmen-prestudy-application.txt" in p.message


@pytest.mark.parametrize(
    "text,check,line,fragment",
    [
        ("", "empty", None, "the file is empty; expected a process model mapping"),
        ("# only a comment\n", "empty", None, "the file is empty"),
        ("- a\n- b\n", "not_mapping", None, "expected a mapping of model fields, got a list"),
        ("id: x\nname: [unclosed\n", "yaml", 3, "broken YAML"),
        ("id: x\nid: y\n", "yaml", 2, "duplicate key 'id' (first given on line 1)"),
        ("just a string", "not_mapping", None, "got a str"),
    ],
)
def test_broken_files(text, check, line, fragment):
    (p,) = _error(text).problems
    assert p.check == check
    assert fragment in p.message
    if line is not None:
        assert p.line == line
    assert str(p).startswith("broken.yaml")


def test_missing_required_field(tiny_text):
    text = tiny_text.replace("office: Test\n", "")
    (p,) = _error(text).problems
    assert (p.check, p.path, p.message) == ("missing_field", ("office",), "missing required field 'office'")


def test_arrival_hours_when_no_visitors_come_are_an_error(tiny_text):
    ok = tiny_text.replace(
        "  - {id: question, label: {sv: Fråga, en: Question}, share: 1.0}\n",
        "  - {id: question, label: {sv: Fråga, en: Question}, share: 0.9}\n"
        "  - id: lawyer\n    label: {sv: Advokat, en: Lawyer}\n    share: 0.1\n"
        "    arrival_hours:\n      mon: {open: \"13:00\", close: \"15:00\"}\n",
    )
    model = parse_model(ok)
    assert model.errands[1].arrival_hours["mon"].open == "13:00"
    text = ok.replace('      mon: {open: "13:00", close: "15:00"}', '      tue: {open: "13:00", close: "15:00"}')
    (p,) = _error(text).problems
    assert p.check == "demand" and p.path == ("errands", 1, "arrival_hours", "tue")
    assert p.line == _line_of(text, "tue: {open")
    assert "'lawyer' arrives tue 13:00-15:00, but no visitors are expected then" in p.message
    evening = ok.replace('mon: {open: "13:00", close: "15:00"}', 'mon: {open: "17:00", close: "19:00"}')
    (p,) = _error(evening).problems  # open, but after closing time
    assert p.path == ("errands", 1, "arrival_hours", "mon")
    backwards = ok.replace('mon: {open: "13:00", close: "15:00"}', 'mon: {open: "15:00", close: "13:00"}')
    assert "expected open before close" in str(_error(backwards))
