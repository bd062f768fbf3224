"""The analyst's notebook runs top to bottom in a real kernel (nbclient) without an error."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "compare-scenarios.ipynb"


@pytest.mark.timeout(240)
def test_the_compare_scenarios_notebook_executes(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # python3's kernelspec says "python", which jupyter_client runs as this interpreter (the venv's)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert sys.prefix in printed  # the kernel ran in this venv
    assert "differences" in printed
    rich = [o for o in outputs if o.output_type in ("display_data", "execute_result")]
    bundles = [o["data"] for o in rich]
    # the panes and the whole app render inline as Panel/Bokeh widgets
    assert sum("application/vnd.holoviews_load.v0+json" in b or "application/vnd.holoviews_exec.v0+json" in b
               for b in bundles) >= 4
    tables = [b["text/html"] for b in bundles if "text/html" in b and "<table" in b["text/html"]]
    assert any("mean_wait" in t and "kiosk verdict" in t for t in tables)
    assert any("pools.guides.capacity" in t for t in tables)
