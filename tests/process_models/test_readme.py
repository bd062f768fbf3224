"""The README's model example is a valid model, and its images exist."""

import re
from pathlib import Path

from process_models import parse_model

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_model_example_validates():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"A small complete model:\n\n```yaml\n(.*?)```", text, re.S).group(1)
    model = parse_model(block, file="README.md")
    assert [s.id for s in model.steps] == ["arrive", "wait", "serve", "leave"]
    assert model.pool("clerks").skills[0].languages == ["sv", "ar"]


def test_readme_images_exist():
    text = README.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert "docs/img/skarholmen-current.png" in images
    for image in images:
        data = (README.parent / image).read_bytes()
        assert data.startswith(b"\x89PNG"), image


def test_readme_cli_table_lists_every_mbk_command():
    import typer

    from mbk.cli import app

    names = {info.name for info in typer.main.get_command(app).commands.values()}
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## The command line") : text.index("## The model format")]
    listed = set(re.findall(r"^\| `mbk (\w+)", table, re.M))
    assert names == listed, (names - listed, listed - names)
    assert len(names) == 14
