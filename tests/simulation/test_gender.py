"""Women and men among the simulated visitors: exact split under a fixed seed, read back from the
gender stream; no other KPI moves; figures over fewer than five visitors a week suppressed by `mbk simulate`."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest
import yaml

from mbk.cli import main
from process_models import load_model
from process_models.errors import ModelError
from process_models.io import validate_data
from simulation.compiled import compile_model
from simulation.engine import stream
from simulation.records import V_OUTCOME, V_SEGMENT, V_VISITOR, Gender, Outcome
from simulation.runner import replication_result

from .conftest import L, kiosk_then_clerk


def kiosk_office(women: list[float | None]) -> dict:
    """One errand, a self-service kiosk (half manage alone, a fifth of the Arabic-speaking), then a clerk."""
    data = kiosk_then_clerk({"default": 0.5, "by_segment": {"ar": 0.2}})
    data["errands"] = [{"id": "walk_in", "label": L, "share": 1.0}]
    for seg, share in zip(data["segments"], women):
        if share is not None:
            seg["gender"] = {"women_share": share, "source": {"assumption": "a test's figure"}}
    return data


def _run(women, seed=7):
    c = compile_model(validate_data(kiosk_office(women)))
    return c, *replication_result(c, seed, 0, 1)


def test_the_split_under_a_fixed_seed_adds_up_to_the_whole():
    _, rec, k = _run([0.6, 0.3])
    assert (k["arrived"], k["self_served"]) == (33, 17)
    assert (k["arrived.women"], k["self_served.women"]) == (17, 9)
    assert (k["arrived.men"], k["self_served.men"]) == (16, 8)
    assert k["arrived.women"] + k["arrived.men"] == k["arrived"]  # every segment gives a share: no one unknown
    assert k["self_served.women"] + k["self_served.men"] == k["self_served"]
    assert k["self_served_share.women"] == 9 / 17 and k["self_served_share.men"] == 8 / 16
    # the whole share is the groups' shares weighted by their visitors
    assert k["self_served_share"] == pytest.approx((17 * 9 / 17 + 16 * 8 / 16) / 33)


def test_each_visitors_gender_is_read_back_from_its_own_stream():
    c, rec, k = _run([0.6, 0.3])
    v = rec["visitors"]
    u = stream(7, 0, 0, "gender").random(len(v))  # one uniform per arriving visitor, by arrival order
    share = np.array([0.6, 0.3])[v[:, V_SEGMENT].astype(int)]
    expected = np.where(u[v[:, V_VISITOR].astype(int)] < share, Gender.WOMAN, Gender.MAN)
    assert rec["gender"].tolist() == expected.tolist()
    alone = v[:, V_OUTCOME] == Outcome.SELF_SERVED
    assert int((expected == Gender.WOMAN).sum()) == k["arrived.women"]
    assert int(((expected == Gender.MAN) & alone).sum()) == k["self_served.men"]


def test_shares_change_no_other_kpi_and_no_shares_give_no_split():
    c0, rec0, plain = _run([None, None])
    _, rec, split = _run([0.6, 0.3])
    assert c0.women_shares is None and "gender" not in rec0
    assert set(split) - set(plain) == {f"{k}.{g}" for k in ("arrived", "self_served", "self_served_share")
                                       for g in ("women", "men")}
    for name, value in plain.items():
        assert value == split[name] or (math.isnan(value) and math.isnan(split[name])), name
    for kind in ("visitors", "visits", "busy"):
        assert np.array_equal(rec0[kind], rec[kind])


def test_a_segment_without_a_share_is_neither():
    _, rec, k = _run([0.6, None])
    swedish = int((rec["visitors"][:, V_SEGMENT] == 0).sum())
    assert k["arrived.women"] + k["arrived.men"] == swedish < k["arrived"]
    assert int((rec["gender"] == Gender.UNKNOWN).sum()) == k["arrived"] - swedish


@pytest.mark.parametrize("gender,message", [
    ({"women_share": 1.5, "source": {"assumption": "x"}}, "women_share"),
    ({"women_share": 0.5}, "source"),
])
def test_a_bad_share_names_its_field(gender, message):
    data = kiosk_office([None, None])
    data["segments"][0]["gender"] = gender
    with pytest.raises(ModelError) as e:
        validate_data(data)
    assert message in str(e.value) and "segments" in str(e.value)


def test_the_skarholmen_models_assume_an_even_split():
    for name in ("skarholmen-current", "skarholmen-kiosk"):
        for seg in load_model(name).segments:
            assert seg.gender.women_share == 0.5 and "assumption" in seg.gender.source.assumption


KISTA = "process_models/library/cities/kista-{}.yaml"
#: every library model with segments, and its share of women in each: all assumptions, Spånga's from a sentence
LIBRARY_SHARES = {"rinkeby-2006": 0.5, "spanga-tensta-floorwalk": 0.55, KISTA.format("current"): 0.5,
                  KISTA.format("kiosk"): 0.5}


@pytest.mark.parametrize("name,share", LIBRARY_SHARES.items())
def test_the_other_library_models_give_every_segment_a_marked_share(name, share):
    model = load_model(name)
    assert model.segments and all(s.gender.women_share == share for s in model.segments)
    assert all(s.gender.source.assumption for s in model.segments)  # no seed counts visitors by gender
    if name == "spanga-tensta-floorwalk":  # the office's own words, without statistics: "fler kvinnor"
        src = model.segments[0].gender.source
        assert (src.doc, src.quote) == ("spanga-tensta-quality-award-2017.txt",
                                        "Utan att ha belägg i statistik så har vi fler kvinnor som besöker oss")


@pytest.mark.parametrize("name", LIBRARY_SHARES)
def test_a_library_models_shares_move_no_other_kpi(name):
    """The gender stream is its own: the same model without its shares meets the same visitors, draw for draw."""
    model = load_model(name)
    plain = model.model_copy(update={"segments": [s.model_copy(update={"gender": None}) for s in model.segments]})
    rec0, k0 = replication_result(compile_model(plain), 11, 0, 1)
    rec, k = replication_result(compile_model(model), 11, 0, 1)
    assert set(k) - set(k0) == {f"{x}.{g}" for x in ("arrived", "self_served", "self_served_share")
                                for g in ("women", "men")}
    for kpi, value in k0.items():
        assert value == k[kpi] or (math.isnan(value) and math.isnan(k[kpi])), kpi
    for kind in ("visitors", "visits", "busy"):
        assert np.array_equal(rec0[kind], rec[kind])


def test_mbk_simulate_suppresses_the_men_under_five_a_week(tmp_path, capsys):
    """97 % women in an office of about 50 visitors a week: about 1.5 men, so every men's figure is a dash."""
    path = tmp_path / "few-men.yaml"
    path.write_text(yaml.safe_dump(kiosk_office([0.97, 0.97]), allow_unicode=True), encoding="utf-8")
    assert main(["simulate", str(path), "-r", "2", "--csv"]) == 0
    rows = {r["kpi"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    for k in ("arrived.men", "self_served.men", "self_served_share.men"):
        assert (rows[k]["mean"], rows[k]["low"], rows[k]["high"], rows[k]["note"]) == ("–", "–", "–", "fewer than 5 visitors")
    assert float(rows["arrived.women"]["mean"]) >= 5 and rows["arrived.women"]["note"] == ""
    assert rows["arrived"]["note"] == ""
    assert main(["simulate", str(path), "-r", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["kpis"]
    assert data["self_served_share.men"] == {"mean": None, "low": None, "high": None, "n": 2,
                                             "suppressed": "fewer than 5 visitors"}
    assert data["self_served_share.women"]["mean"] > 0
    assert main(["simulate", str(path), "-r", "2"]) == 0
    table = capsys.readouterr().out
    line = next(x for x in table.splitlines() if "self_served_share.men" in x)
    assert "–" in line and "fewer than 5 visitors" in line
