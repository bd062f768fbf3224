"""Shared inputs: the kiosk model, the example workshop session and scenario, and a CLI runner."""

from pathlib import Path

import pytest

from mbk.cli import main
from process_models import load_model

EXAMPLES = Path(__file__).resolve().parents[2] / "exports" / "examples"
SESSION = EXAMPLES / "skarholmen-workshop.json"
SCENARIO = EXAMPLES / "more-computers.yaml"


@pytest.fixture(scope="session")
def kiosk():
    return load_model("skarholmen-kiosk")


@pytest.fixture
def mbk(capsys):
    """Run `mbk ...` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
