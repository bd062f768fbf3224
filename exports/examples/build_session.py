"""Rebuild the example workshop session `skarholmen-workshop.json` (notes, votes, simulated results).

The notes and votes are made up for the example; the scenario results are real runs of the
simulation (10 replications, seed 42). Run: `.venv/bin/python -m exports.examples.build_session`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from process_models.session import (Note, Participant, SavedScenario, ScenarioResult, Vote, WorkshopSession,
                                    save_session)

HEADLINE = ("mean_wait", "p90_wait", "within_20", "self_served_share", "time_in_office", "utilisation.guides",
            "utilisation.public_computers")
SCENARIOS = [
    SavedScenario(name="Idag", model="skarholmen-current", description="Nummerlapp, informationsdisk, sju datorer."),
    SavedScenario(name="Kiosk", model="skarholmen-kiosk", description="Kiosk i entrén, vägledare på golvet, tio datorer."),
    SavedScenario(name="Fler datorer", model="skarholmen-kiosk",
                  overrides={"pools.public_computers.capacity": 14, "pools.kiosk.capacity": 3},
                  description="Som Kiosk, med fjorton publika datorer och tre kiosker."),
]
NOTES = [  # id, model, step, kind, text, author, votes
    ("speak_aloud", "skarholmen-kiosk", "kiosk_language", "idea",
     "Kiosken läser upp texten på det valda språket för den som inte kan läsa.", "p4", 5),
    ("book_new_time", "skarholmen-kiosk", "kiosk_register_arrival", "idea",
     "Kunna boka om en missad tid direkt i kiosken.", "p1", 4),
    ("queue_position", "skarholmen-kiosk", "wait_computer", "idea",
     "Visa på skärmen hur många som väntar på en dator och ungefär hur länge.", "p5", 3),
    ("print_instructions", "skarholmen-kiosk", "kiosk_instructions", "idea",
     "Skriva ut instruktionen eller skicka den som sms till egen telefon.", "p2", 2),
    ("ticket_stress", "skarholmen-current", "take_ticket", "pain_point",
     "Besökare vet inte om de tagit rätt nummerlapp.", "p3", 3),
    ("who_helps", "skarholmen-kiosk", "guide_at_computer", "question",
     "Hur ser besökaren att en vägledare är på väg?", "p6", 1),
]


def build(seed: int = 42, replications: int = 10) -> WorkshopSession:
    from simulation import Scenario, run

    people = [Participant(id=f"p{i}", name=n, role=r) for i, (n, r) in enumerate(
        [("Vägledare A", "staff"), ("Vägledare B", "staff"), ("Vägledare C", "staff"), ("Besökare A", "visitor"),
         ("Besökare B", "visitor"), ("Openlab", "facilitator")], start=1)]
    roles = {p.id: p.role for p in people}
    t0 = datetime(2026, 9, 15, 9, 0, tzinfo=timezone.utc)
    notes, votes = [], []
    for i, (nid, model, step, kind, text, author, n) in enumerate(NOTES):
        notes.append(Note(id=nid, model=model, step=step, kind=kind, text=text, author=author,
                          author_role=roles[author], created=t0 + timedelta(minutes=7 * i)))
        votes += [Vote(participant=people[j % len(people)].id, note=nid) for j in range(n)]
    results = []
    for saved in SCENARIOS:
        res = run(Scenario(name=saved.name, model=saved.model, overrides=saved.overrides),
                  replications=replications, seed=seed, keep_records=False)
        kpis = res.kpis()
        results.append(ScenarioResult(scenario=saved.name, replications=replications, seed=seed,
                                      kpis={k: kpis[k] for k in HEADLINE if k in kpis},
                                      baseline=None if saved.name == "Idag" else "Idag"))
    session = WorkshopSession(title="Workshop 2, Skärholmen", models=["skarholmen-current", "skarholmen-kiosk"],
                              participants=people, notes=notes, votes=votes, scenarios=SCENARIOS, results=results)
    return add_redesign(session)


def add_redesign(session: WorkshopSession) -> WorkshopSession:
    """Group 2's proposal, made with the editor's operations: a quick check at the entrance instead
    of the queue ticket, the desk's simple answers moved to the guides on the floor."""
    from process_models import edit as ops
    from process_models import load_model, variants

    s, v = variants.fork(session, load_model("skarholmen-current"), "skarholmen-current", "Förslag grupp 2",
                         author="Vägledare A")
    steps = [
        ("Vägledare A", lambda d: ops.add_step(d, "task", "visitor", "Snabbkoll vid entrén",
                                               "Quick check at the entrance", after="arrive")),
        ("Vägledare A", lambda d: ops.update_step(d, "snabbkoll_vid_entren", duration={
            "kind": "triangular", "low": 0.5, "mode": 1, "high": 3,
            "source": {"assumption": "Gruppens gissning: en fråga och en hänvisning tar en minut."}})),
        ("Vägledare B", lambda d: ops.add_flow(d, "arrive", "snabbkoll_vid_entren")),
        ("Vägledare B", lambda d: ops.add_flow(d, "snabbkoll_vid_entren", "wait_desk")),
        ("Vägledare B", lambda d: ops.delete_flow(d, ops.flow_key({"from": "arrive", "to": "take_ticket"}))),
        ("Vägledare A", lambda d: ops.delete_step(d, "take_ticket")),
        ("Vägledare C", lambda d: ops.move_step(d, "desk_answer", lane="guide")),
        ("Vägledare C", lambda d: ops.rename_step(d, "desk_answer", "Vägledaren svarar på golvet",
                                                  "The guide answers on the floor")),
    ]
    for author, build_edit in steps:
        s, _ = variants.apply_edit(s, v.id, build_edit, author=author)
    return s


if __name__ == "__main__":
    save_session(build(), Path(__file__).with_name("skarholmen-workshop.json"))
