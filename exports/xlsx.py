"""The supplier's answer sheet (XLSX) and its re-import.

One row per requirement; the requirement columns are locked by sheet protection, the
answer column takes Yes/No from a validated list, the comment column is free. The id in
column A is what the re-import keys on.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from process_models.errors import UserError

from .requirement import RequirementSet
from .texts import LANGS, texts

__all__ = ["ANSWER_COLUMN", "COMMENT_COLUMN", "write_xlsx", "read_answers", "save_answers"]

ANSWER_COLUMN, COMMENT_COLUMN = 8, 9  # H and I
WIDTHS = [22, 16, 12, 32, 70, 45, 15, 14, 40]
HEADER_FILL = PatternFill("solid", fgColor="1F5FA8")
ANSWER_FILL = PatternFill("solid", fgColor="FFF4D6")


def write_xlsx(reqs: RequirementSet, path: str | Path, lang: str = "sv") -> Path:
    """Write the answer sheet; only the answer and comment cells can be edited."""
    t = texts(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t["xlsx"]["sheet"]
    ws.append(t["xlsx"]["columns"])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in reqs.requirements:
        ws.append([
            r.id, t["areas"][r.area], t["kinds"][r.kind], r.title.get(lang), r.statement.get(lang),
            r.evidence.get(lang) if r.evidence else "", t["verifications"][r.verification], None, None,
        ])
    yes, no = t["xlsx"]["answer_yes"], t["xlsx"]["answer_no"]
    dv = DataValidation(type="list", formula1=f'"{yes},{no}"', allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorTitle=t["xlsx"]["prompt_title"], error=t["xlsx"]["error"],
                        promptTitle=t["xlsx"]["prompt_title"], prompt=t["xlsx"]["prompt"])
    ws.add_data_validation(dv)
    last = ws.max_row
    if last >= 2:
        dv.add(f"H2:H{last}")
    for row in ws.iter_rows(min_row=2, max_row=last):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in (row[ANSWER_COLUMN - 1], row[COMMENT_COLUMN - 1]):
            cell.protection = Protection(locked=False)
            cell.fill = ANSWER_FILL
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    ws.freeze_panes = "B2"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # let the supplier resize rows to read long texts
    ws.protection.formatColumns = False
    info = wb.create_sheet(t["xlsx"]["info_sheet"])
    info["A1"] = reqs.title.get(lang)
    info["A1"].font = Font(bold=True, size=14)
    info["A2"] = t["xlsx"]["info"]
    info["A3"] = f"model: {reqs.model or '-'}; lang: {lang}"
    info.column_dimensions["A"].width = 120
    info.protection.sheet = True
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    wb.save(p)
    return p


def _answer_words() -> dict[str, str]:
    words = {}
    for lang in LANGS:
        words[texts(lang)["xlsx"]["answer_yes"].lower()] = "yes"
        words[texts(lang)["xlsx"]["answer_no"].lower()] = "no"
    return words


def read_answers(path: str | Path) -> list[dict]:
    """The supplier's answers: [{id, answer: "yes"|"no"|None, comment}] in sheet order.

    Raises UserError naming the file, sheet, cell and what was expected.
    """
    p = Path(path)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UserError(f"{p}: no such file") from None
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise UserError(f"{p}: not an XLSX answer sheet ({exc})") from None
    headers = {texts(lang)["xlsx"]["columns"][0]: lang for lang in LANGS}
    ws = next((s for s in wb.worksheets if s.cell(1, 1).value in headers), None)
    if ws is None:
        raise UserError(f"{p}: no sheet whose cell A1 is {' or '.join(repr(h) for h in headers)}; "
                        "expected an answer sheet written by `mbk export requirements --format xlsx`")
    words, out, seen = _answer_words(), [], set()
    for i, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        row = list(row) + [None] * (COMMENT_COLUMN - len(row))
        rid, answer, comment = row[0], row[ANSWER_COLUMN - 1], row[COMMENT_COLUMN - 1]
        if rid is None or str(rid).strip() == "":
            continue
        rid = str(rid).strip()
        if rid in seen:
            raise UserError(f"{p}: {ws.title}!A{i}: requirement id {rid} appears twice")
        seen.add(rid)
        value = None
        if answer is not None and str(answer).strip():
            value = words.get(str(answer).strip().lower())
            if value is None:
                raise UserError(f"{p}: {ws.title}!H{i}: answer {answer!r} for {rid}; expected Ja/Nej or Yes/No")
        out.append({"id": rid, "answer": value, "comment": None if comment is None else str(comment)})
    wb.close()
    return out


def save_answers(answers: list[dict], path: str | Path, source: str) -> Path:
    """Write answers as JSON with a schema version and the sheet they came from."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"schema_version": 1, "source": source, "answers": answers},
                            ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return p
