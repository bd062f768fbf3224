"""The difference between two models in the UI language, for the maps tab's list of changes.

`ModelDiff.lines()` speaks to the command line (ids, Python values); a participant reads the
steps' and pools' names, "14 min i snitt" instead of a distribution's dict, and no sources.
"""

from __future__ import annotations

from process_models import ProcessModel
from process_models.diff import ModelDiff
from process_models.numbers import percent, plain

from .texts import text

__all__ = ["diff_sentences"]

#: Step, flow and pool fields a participant knows by name (others are said by their key).
FIELDS = ("label", "lane", "kind", "duration", "patience", "requests", "success", "notes", "outcome", "balk_at",
          "discipline", "probability", "when", "capacity", "roster", "skills", "cost")


def diff_sentences(diff: ModelDiff, old: ProcessModel, new: ProcessModel, lang: str) -> list[str]:
    """One line per change, starting with '+', '-' or '~', named and valued in `lang`."""
    names = {**_names(old, lang), **_names(new, lang)}

    def changed(changes: dict) -> list[tuple[str, str, str]]:
        """(field, old, new) said in words; a change only of a figure's source says nothing here."""
        said = [(k, _value(k, a, names, lang), _value(k, b, names, lang)) for k, (a, b) in changes.items() if k != "source"]
        return [(_field(k, lang), a, b) for k, a, b in said if a != b]

    say = lambda key, **v: text(lang, key, **v)  # noqa: E731
    name = lambda ident: names.get(ident, ident)  # noqa: E731
    out = [f"+ {say('df_step_added', step=name(s))}" for s in diff.steps_added]
    out += [f"- {say('df_step_removed', step=name(s))}" for s in diff.steps_removed]
    for sid, changes in diff.steps_changed.items():
        out += [f"~ {say('df_step_changed', step=name(sid), field=f, old=a, new=b)}" for f, a, b in changed(changes)]
    out += [f"+ {say('df_flow_added', source=name(k[0]), target=name(k[1]))}{_when(k, names, lang)}" for k in diff.flows_added]
    out += [f"- {say('df_flow_removed', source=name(k[0]), target=name(k[1]))}{_when(k, names, lang)}" for k in diff.flows_removed]
    for k, changes in diff.flows_changed.items():
        out += [f"~ {say('df_flow_changed', source=name(k[0]), target=name(k[1]), field=f, old=a, new=b)}"
                for f, a, b in changed(changes)]
    out += [f"+ {say('df_pool_added', pool=name(p))}" for p in diff.pools_added]
    out += [f"- {say('df_pool_removed', pool=name(p))}" for p in diff.pools_removed]
    for pid, changes in diff.pools_changed.items():
        out += [f"~ {say('df_pool_changed', pool=name(pid), field=f, old=a, new=b)}" for f, a, b in changed(changes)]
    return out


def _names(model: ProcessModel, lang: str) -> dict[str, str]:
    """Every id of the model that a participant reads by its label."""
    out = {}
    for group in (model.steps, model.lanes, model.pools, model.errands, model.segments):
        out.update({item.id: item.label.get(lang) for item in group})
    return out


def _field(key: str, lang: str) -> str:
    return text(lang, f"df_field_{key}") if key in FIELDS else key


def _value(key: str, value, names: dict[str, str], lang: str) -> str:
    """A field's value as a participant reads it: names for ids, minutes for durations, no sources."""
    if value is None:
        return "–"
    if isinstance(value, dict) and set(value) >= {"sv"} and set(value) <= {"sv", "en"}:
        return text(lang, "df_quoted", value=value.get(lang) or value.get("sv"))
    if key in ("lane", "pool") and isinstance(value, str):
        return names.get(value, value)
    if key == "kind" and isinstance(value, str):
        return text(lang, f"kind_{value}")
    if isinstance(value, dict) and value.get("kind") in DISTRIBUTION_KINDS:
        return _distribution(value, lang)
    if key == "requests" and isinstance(value, list):
        return ", ".join(f"{names.get(r.get('pool'), r.get('pool'))} × {r.get('count', 1)}" for r in value) or "–"
    if key == "success" and isinstance(value, dict):
        return percent(value.get("default", 0), 0, lang)
    if key == "probability" and isinstance(value, (int, float)):
        return percent(value, 0, lang)
    if key == "cost" and isinstance(value, dict):
        return _cost(value, lang)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(k, v, names, lang)}" for k, v in value.items() if k != "source")
    if isinstance(value, list):
        return ", ".join(_value(key, v, names, lang) for v in value) or "–"
    if isinstance(value, str):
        return names.get(value, value)
    return plain(value, lang)


#: The duration distributions of the schema, by their `kind`.
DISTRIBUTION_KINDS = frozenset({"fixed", "exponential", "lognormal", "triangular", "empirical"})


def _distribution(d: dict, lang: str) -> str:
    """A duration as the model file gives it, in minutes: fixed, a mean (and spread), a range, or observations."""
    if d.get("kind") == "fixed" and "value" in d:
        return text(lang, "df_fixed_minutes", value=plain(d["value"], lang))
    if d.get("kind") == "empirical" and d.get("values"):
        values = d["values"]
        return text(lang, "df_observed_minutes", n=len(values), mean=plain(round(sum(values) / len(values), 1), lang))
    if "mean" in d:
        spread = text(lang, "df_sd", sd=plain(d["sd"], lang)) if d.get("sd") is not None else ""
        return text(lang, "df_mean_minutes", mean=plain(d["mean"], lang)) + spread
    mode = d.get("mode", 0)
    return text(lang, "df_range_minutes", low=plain(d.get("low", 0), lang), mode=plain(mode, lang),
                high=plain(d.get("high", mode), lang))


def _cost(c: dict, lang: str) -> str:
    parts = []
    if c.get("hourly_wage"):
        parts.append(text(lang, "df_cost_hour", sek=plain(c["hourly_wage"], lang), on=percent(c.get("on_costs", 0), 0, lang)))
    if c.get("per_unit_year"):
        parts.append(text(lang, "df_cost_year", sek=plain(c["per_unit_year"], lang)))
    return ", ".join(parts) or "0"


def _when(key: tuple, names: dict[str, str], lang: str) -> str:
    """A flow's condition in words: its errands, visitor groups and outcome."""
    bits = []
    if key[2]:
        bits.append(text(lang, "df_errands", names=", ".join(names.get(e, e) for e in key[2])))
    if key[3]:
        bits.append(text(lang, "df_segments", names=", ".join(names.get(s, s) for s in key[3])))
    if key[4]:
        bits.append(text(lang, f"df_outcome_{key[4]}"))
    return f" ({'; '.join(bits)})" if bits else ""
