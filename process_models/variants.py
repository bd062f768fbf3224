"""Variants of a workshop session: fork a model, edit it, undo, redo and restore, as pure functions.

Each function takes a `WorkshopSession` and returns a new one (sessions are immutable), so
the workshop app can run them under its lock and the example builder and tests without it.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Callable

from pydantic import ValidationError

from .edit import Edit, EditRefused, Put, apply_puts, document_model, invert, is_current, new_document
from .io import model_to_data
from .schema import ProcessModel
from .session import Variant, VariantEdit, WorkshopSession, find_variant, variant_document

__all__ = ["fork", "apply_edit", "undo", "redo", "restore_version", "variant_model_draft", "variant_summary"]

MAX_NAME = 80


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _variant_id(session: WorkshopSession, name: str, reserved: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold().translate(str.maketrans("åäöé", "aaoe"))).strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"variant-{slug}".rstrip("-")
    slug = slug[:32].rstrip("-")
    taken = {v.id for v in session.variants} | reserved
    n = 1
    while f"{slug}-v{n}" in taken:
        n += 1
    return f"{slug}-v{n}"


def fork(session: WorkshopSession, base: ProcessModel, base_ref: str, name: str, *, author: str = "",
         reserved: set[str] = frozenset()) -> tuple[WorkshopSession, Variant]:
    """A new variant named `name`, a copy of `base` with an id of its own (never a library model's).

    Args:
        base_ref: what it was forked from (a library name, `upload:<file>`, or `#<variant id>`).
        reserved: ids the new variant must not take (the library's model ids).
    """
    name = " ".join(name.split())
    if not name:
        raise EditRefused("variant_name", "a variant needs a name")
    if len(name) > MAX_NAME:
        raise EditRefused("variant_name_long", f"a variant's name is at most {MAX_NAME} characters")
    if any(v.name.casefold() == name.casefold() for v in session.variants):
        raise EditRefused("variant_taken", f"there is already a variant called {name!r}", name=name)
    vid = _variant_id(session, name, set(reserved))
    data = model_to_data(base)
    data.update(id=vid, name={"sv": name, "en": name}, variant="future")
    doc = new_document(data)
    variant = Variant(id=vid, name=name, base=base_ref, base_model_id=base.id, author=author, created=_now(),
                      base_document=doc, document=doc)
    return session.model_copy(update={"variants": [*session.variants, variant]}), variant


def _replace(session: WorkshopSession, variant: Variant) -> WorkshopSession:
    return session.model_copy(update={"variants": [variant if v.id == variant.id else v for v in session.variants]})


def _commit(session: WorkshopSession, variant: Variant, action: str, target: str, puts, author: str, *,
            undoes: int | None = None, detail: dict | None = None) -> tuple[WorkshopSession, VariantEdit]:
    doc = variant.document
    new_doc = apply_puts(doc, puts)
    try:
        document_model(new_doc)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise EditRefused("invalid", f"the edit would break the model: {err['msg']}") from None
    back = invert(doc, puts)
    edit = VariantEdit(n=variant.version + 1, action=action, target=target, author=author, at=_now(),
                       puts=[p.to_data() for p in puts], undo=[p.to_data() for p in back], undoes=undoes,
                       detail=detail or {})
    variant = variant.model_copy(update={"document": new_doc, "history": [*variant.history, edit]})
    return _replace(session, variant), edit


def apply_edit(session: WorkshopSession, variant_id: str, build: Callable[[dict], Edit], *,
               author: str = "") -> tuple[WorkshopSession, VariantEdit]:
    """Build an edit against the variant's current draft and apply it (EditRefused if it cannot be)."""
    variant = find_variant(session, variant_id)
    edit = build(variant.document)
    return _commit(session, variant, edit.action, edit.target, edit.puts, author, detail=edit.detail)


def _edit(variant: Variant, n: int) -> VariantEdit:
    if not 1 <= n <= variant.version:
        raise EditRefused("no_version", f"variant {variant.id!r} has no edit {n}", n=n)
    return variant.history[n - 1]


def undo(session: WorkshopSession, variant_id: str, n: int, *, author: str = "") -> tuple[WorkshopSession, VariantEdit]:
    """Take back edit `n`, unless someone has changed what it touched since (then EditRefused)."""
    variant = find_variant(session, variant_id)
    edit = _edit(variant, n)
    puts = [Put.from_data(p) for p in edit.puts]
    if not is_current(variant.document, puts):
        raise EditRefused("changed_since", "someone has changed this since; undo it by hand", n=n)
    back = [Put.from_data(p) for p in edit.undo]
    return _commit(session, variant, "undo", edit.target, back, author, undoes=n,
                   detail={"action": edit.action})


def redo(session: WorkshopSession, variant_id: str, n: int, *, author: str = "") -> tuple[WorkshopSession, VariantEdit]:
    """Make undo edit `n` again undone: re-apply what it took back."""
    variant = find_variant(session, variant_id)
    undo_edit = _edit(variant, n)
    if undo_edit.undoes is None:
        raise EditRefused("not_undo", f"edit {n} is not an undo", n=n)
    if not is_current(variant.document, [Put.from_data(p) for p in undo_edit.puts]):
        raise EditRefused("changed_since", "someone has changed this since; redo it by hand", n=n)
    original = _edit(variant, undo_edit.undoes)
    return _commit(session, variant, "redo", original.target, [Put.from_data(p) for p in original.puts], author,
                   detail={"action": original.action})


def restore_version(session: WorkshopSession, variant_id: str, version: int, *,
                    author: str = "") -> tuple[WorkshopSession, VariantEdit]:
    """Make version `version` the current draft again, as a new edit that itself can be undone."""
    variant = find_variant(session, variant_id)
    earlier = variant_document(variant, version)
    return _commit(session, variant, "restore", "", [Put("document", "", earlier)], author,
                   detail={"version": version})


def variant_model_draft(variant: Variant) -> ProcessModel:
    """The variant's current model, type-checked only (it may be a draft that fails the checks)."""
    return document_model(variant.document)


def variant_summary(variant: Variant) -> dict:
    """What `mbk session list` prints of a variant: id, name, base, edits, last change."""
    last = variant.history[-1] if variant.history else None
    return {
        "id": variant.id,
        "name": variant.name,
        "base": variant.base,
        "edits": variant.version,
        "last_change": (last.at if last else variant.created).isoformat(),
        "last_by": (last.author if last else variant.author) or "",
    }
