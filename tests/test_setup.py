"""What `make` sets up: JupyterLab for the README's notebook section, ruff before the tests."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_installs_jupyterlab_for_the_notebook_section():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(d.startswith("jupyterlab") for d in extras["notebook"])
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "notebook]'" in makefile and "jupyter lab notebooks/compare-scenarios.ipynb" in makefile
    done = subprocess.run([str(Path(sys.executable).parent / "jupyter-lab"), "--version"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip().startswith("4.")


def test_make_test_runs_ruff_before_pytest():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest: setup-test\n")[1]
    assert recipe.index("ruff check .") < recipe.index("pytest")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    assert config["line-length"] == 120 and "F" in config["lint"]["select"]
