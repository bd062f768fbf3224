"""The scenario builder tab: sliders over a library model, the load check, save and name."""

from __future__ import annotations

import html

import panel as pn
import param

from process_models.numbers import number, percent

from ..builder import POOL_ROLES, ScenarioBuilder, change_count
from ..engine import LoadRow, load_rows
from ..texts import UiError, text
from .headings import section
from .messages import clear_later

__all__ = ["BuilderView", "load_check_html"]


def _capacity(x: float, lang: str) -> str:
    """Members of a pool; a pool staffed part of the week (the duty lawyer) has a fractional average."""
    return number(x, 0, lang) if float(x).is_integer() else number(x, 2, lang)


def load_check_html(rows: list[LoadRow] | None, lang: str) -> str:
    """The instant analytic estimate per pool, warnings first."""
    t = lambda k, **v: html.escape(text(lang, k, **v))  # noqa: E731
    if rows is None:
        return f"<p class='mbk-warn'>{t('sim_unavailable')}</p>"
    head = "".join(f"<th>{t(k)}</th>" for k in ("lc_pool", "lc_capacity", "lc_load", "lc_util", "lc_wait", "lc_warning"))
    body = ""
    for r in sorted(rows, key=lambda r: (r.warning is None, r.label)):
        util = "—" if r.utilisation is None else percent(r.utilisation, 0, lang)
        wait = "—" if r.wait is None else ("∞" if r.wait == float("inf") else f"{number(r.wait, 1, lang)} min")
        warn = html.escape(r.warning or "")
        cls = " class='mbk-row-warn'" if r.warning else ""
        body += (f"<tr{cls}><td>{html.escape(r.label)}</td><td>{_capacity(r.capacity, lang)}</td><td>{number(r.offered, 2, lang)}</td>"
                 f"<td>{util}</td><td>{wait}</td><td>{warn}</td></tr>")
    warnings = [r for r in rows if r.warning]
    summary = t("lc_warnings", n=len(warnings)) if warnings else t("lc_ok")
    return (f"<p class='{'mbk-warn' if warnings else 'mbk-ok'}'>{summary}</p>"
            f"<table class='mbk-table mbk-load'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


class BuilderView(pn.viewable.Viewer):
    """Thin view over ScenarioBuilder; saved scenarios come from the shared session."""

    tick = param.Integer(default=0)

    def __init__(self, state: ScenarioBuilder, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self.message = pn.pane.Markdown("", css_classes=["mbk-message"])
        self._doc = pn.state.curdoc  # the page this view is in: timed clean-ups run there
        self._save_button = pn.widgets.Button(label=text(lang, "b_save"), color="primary")
        self._save_button.on_click(self._save)
        # a confirmation is about the scenario just saved: it goes once anything is changed again
        state.param.watch(lambda *_e: setattr(self.message, "object", ""), [p.split(".")[1] for p in self._SETTINGS])

    def _errand_controls(self):
        lang, m = self.lang, self.state.model
        labels = {e.label.get(lang): e.id for e in m.errands}
        pick = pn.widgets.Select(label=text(lang, "b_errand"), options=labels, value=m.errands[0].id)
        share = pn.widgets.FloatSlider(label=text(lang, "b_errand_share"), start=0, end=0.6, step=0.01,
                                       value=self.state.errand_shares.get(pick.value, 0.0), format="0 %")
        pick.param.watch(lambda e: setattr(share, "value", self.state.errand_shares.get(e.new, 0.0)), "value")

        def set_share(event):
            if abs(self.state.errand_shares.get(pick.value, 0) - event.new) > 1e-9:
                self.state.set_errand_share(pick.value, event.new)
        share.param.watch(set_share, "value_throttled")
        return pn.Column(pick, share, self._mix)

    @param.depends("state.errand_shares")
    def _mix(self):
        m, lang = self.state.model, self.lang
        rows = "".join(
            f"<tr><td>{html.escape(e.label.get(lang))}</td><td>{percent(self.state.errand_shares.get(e.id, 0), 0, lang)}</td></tr>"
            for e in m.errands
        )
        return pn.pane.HTML(f"<table class='mbk-table mbk-mix'>{rows}</table>")

    _SETTINGS = ("state.weekly_visitors", "state.public_computers", "state.kiosks", "state.guides", "state.desk_staff",
                 "state.open_shift", "state.close_shift", "state.errand_shares", "state.self_service_success",
                 "state.policy", "state.base")

    @param.depends(*_SETTINGS)
    def _load_check(self):
        problem = self.state.problem()
        self._save_button.disabled = problem is not None  # an invalid model is never offered for saving
        if problem is not None:
            return pn.pane.Alert(html.escape(text(self.lang, problem)), alert_type="warning", css_classes=["mbk-invalid"])
        rows = load_rows(self.state.base, self.state.overrides(), self.lang)
        return pn.pane.HTML(load_check_html(rows, self.lang), sizing_mode="stretch_width")

    @param.depends(*_SETTINGS)
    def _overrides(self):
        lines = self.state.changes(self.lang)
        if not lines:
            return pn.pane.Markdown(text(self.lang, "b_no_changes"))
        return pn.pane.HTML("<ul class='mbk-changes'>" + "".join(f"<li>{html.escape(l)}</li>" for l in lines) + "</ul>")

    @param.depends("state.open_shift", "state.close_shift", "state.base")
    def _hours(self):
        """The resulting opening hours in words, so '-1' reads as '08:00–16:00'."""
        m, ov, lang = self.state.model, self.state.overrides(), self.lang
        days = []
        for day, hours in m.opening_hours.items():
            start = ov.get(f"opening_hours.{day}.open", hours.open)
            end = ov.get(f"opening_hours.{day}.close", hours.close)
            days.append(f"{text(lang, 'day_' + day)} {start}–{end}")
        return pn.pane.Markdown(text(lang, "b_hours", hours=", ".join(days)), css_classes=["mbk-hours"])

    def _save(self, _=None):
        try:
            saved = self.state.save()
        except UiError as exc:
            self.message.object = f"⚠ {exc.in_lang(self.lang)}"
            return
        self.message.object = said = "✓ " + text(self.lang, "b_saved", name=saved.name)
        clear_later(self.message, said, self._doc)
        self.tick += 1  # show it in the saved list now, not at the next poll

    def _base_options(self) -> dict[str, str]:
        lang = self.lang
        return {self.state.model_for(ref).name.get(lang): ref for ref in self.state.param.base.objects}

    def _refresh_bases(self) -> None:
        """Variants made or edited in any browser become bases here too."""
        self.state.refresh_bases()
        if hasattr(self, "base_pick"):
            options = self._base_options()
            if options != self.base_pick.options:
                self.base_pick.options = options

    @param.depends("tick")
    def _saved_list(self):
        scenarios = self.state.shared.data.scenarios
        if not scenarios:
            return pn.pane.Markdown(text(self.lang, "b_none_saved"))
        rows = []
        for s in scenarios:
            load = pn.widgets.Button(label=text(self.lang, "b_load"), color="primary", width=90)
            load.on_click(lambda _e, s=s: self.state.load(s))
            n = change_count(s.overrides)
            changes = text(self.lang, "b_changes_one" if n == 1 else "b_changes", n=n)
            model = self.state.model_for(s.model).name.get(self.lang) if s.model in self.state.param.base.objects else s.model
            rows.append(pn.Row(pn.pane.Markdown(f"**{html.escape(s.name)}** · {html.escape(model)} · {changes}"), load))
        return pn.Column(*rows)

    def __panel__(self):
        lang, st = self.lang, self.state
        available = st.available()
        pools = []
        for control in POOL_ROLES:
            w = pn.widgets.IntSlider.from_param(st.param[control], label=text(lang, f"b_{control}"))
            w.disabled = not available[control]
            pools.append(w)
        success = pn.widgets.FloatSlider.from_param(st.param.self_service_success, label=text(lang, "b_success"),
                                                    step=0.05, format="0 %")  # a share, as the errand mix says it
        success.disabled = not st.self_service_steps()

        def refresh_enabled(_e):
            for control, w in zip(POOL_ROLES, pools):
                w.disabled = not st.available()[control]
                w.start = st.param[control].bounds[0]  # values below make no valid model: not offered
            success.disabled = not st.self_service_steps()
        st.param.watch(refresh_enabled, "base")
        policy = pn.widgets.RadioButtonGroup.from_param(
            st.param.policy, options={text(lang, "policy_ticket"): "ticket", text(lang, "policy_floorwalk"): "floorwalk"},
            label=text(lang, "b_policy"))
        save = self._save_button
        self.base_pick = pn.widgets.Select.from_param(st.param.base, label=text(lang, "b_base"),
                                                      options=self._base_options())
        self.param.watch(lambda *_e: self._refresh_bases(), "tick")
        left = pn.Column(
            self.base_pick,
            pn.widgets.IntSlider.from_param(st.param.weekly_visitors, label=text(lang, "b_weekly_visitors"), step=10),
            *pools,
            pn.widgets.IntSlider.from_param(st.param.open_shift, label=text(lang, "b_open_shift")),
            pn.widgets.IntSlider.from_param(st.param.close_shift, label=text(lang, "b_close_shift")),
            self._hours,
            success,
            pn.pane.Markdown(f"**{text(lang, 'b_policy')}**"), policy,
            width=380,
        )
        middle = pn.Column(
            section(text(lang, 'b_errand_mix')), self._errand_controls(),
            width=340,
        )
        right = pn.Column(
            section(text(lang, 'b_load_check')), self._load_check,
            section(text(lang, 'b_changes_title')), self._overrides,
            pn.Row(pn.widgets.TextInput.from_param(st.param.scenario_name, label=text(lang, "b_name"),
                                                   placeholder=text(lang, "b_name_placeholder")),
                   pn.Column(pn.Spacer(height=18), save)),
            self.message,
            section(text(lang, 'b_saved_title')), self._saved_list,
            sizing_mode="stretch_width",
        )
        return pn.Column(pn.pane.Markdown(text(lang, "b_intro")), pn.Row(left, middle, right, sizing_mode="stretch_width"),
                         sizing_mode="stretch_width")
