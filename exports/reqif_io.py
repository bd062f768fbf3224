"""Write and read requirements as ReqIF 1.0 (OMG) with the `reqif` package, losslessly.

Each requirement is a SPEC-OBJECT whose string attributes are its fields (Swedish and
English texts as two attributes; structured fields as JSON); links become SPEC-RELATIONs
too, so requirements tools show the trace. Reading rebuilds the same RequirementSet.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError
from reqif.models.reqif_core_content import ReqIFCoreContent
from reqif.models.reqif_data_type import ReqIFDataTypeDefinitionString
from reqif.models.reqif_namespace_info import ReqIFNamespaceInfo
from reqif.models.reqif_req_if_content import ReqIFReqIFContent
from reqif.models.reqif_reqif_header import ReqIFReqIFHeader
from reqif.models.reqif_spec_hierarchy import ReqIFSpecHierarchy
from reqif.models.reqif_spec_object import ReqIFSpecObject, SpecObjectAttribute
from reqif.models.reqif_spec_object_type import ReqIFSpecObjectType, SpecAttributeDefinition
from reqif.models.reqif_spec_relation import ReqIFSpecRelation
from reqif.models.reqif_spec_relation_type import ReqIFSpecRelationType
from reqif.models.reqif_specification import ReqIFSpecification
from reqif.models.reqif_specification_type import ReqIFSpecificationType
from reqif.models.reqif_types import SpecObjectAttributeType
from reqif.object_lookup import ReqIFObjectLookup
from reqif.parser import ReqIFParser
from reqif.reqif_bundle import ReqIFBundle
from reqif.unparser import ReqIFUnparser

from process_models.errors import UserError

from .requirement import Requirement, RequirementSet

__all__ = ["write_reqif", "read_reqif", "FIELDS"]

STRING = SpecObjectAttributeType.STRING
DT = "DT-MBK-STRING"
OBJECT_TYPE = "SOT-MBK-REQUIREMENT"
SPEC_TYPE = "ST-MBK-SPECIFICATION"
RELATION_TYPES = {"derived_from": "SRT-MBK-DERIVED-FROM", "verified_by": "SRT-MBK-VERIFIED-BY"}
LABELS = ("title", "statement", "rationale", "evidence")
PLAIN = ("id", "kind", "verification", "phase", "area", "status")
STRUCTURED = ("evaluation", "sources", "links", "version")
#: attribute long names in order: ReqIF.ForeignID etc. are what DOORS/Polarion map by default
FIELDS = (["ReqIF.ForeignID"] + [f"MBK.{f}" for f in PLAIN[1:]]
          + [f"MBK.{f}.{lang}" for f in LABELS for lang in ("sv", "en")]
          + [f"MBK.{f}" for f in STRUCTURED] + ["ReqIF.Name", "ReqIF.Text"])


def _ad(name: str) -> str:
    return "AD-" + name.replace(".", "-").upper()


def _attrs(r: Requirement) -> list[SpecObjectAttribute]:
    data = r.model_dump(mode="json")
    values = {"ReqIF.ForeignID": r.id, "ReqIF.Name": r.title.sv, "ReqIF.Text": r.statement.sv}
    values.update({f"MBK.{f}": data[f] for f in PLAIN[1:]})
    for f in LABELS:
        if data[f] is not None:
            values.update({f"MBK.{f}.{lang}": data[f][lang] for lang in ("sv", "en")})
    values.update({f"MBK.{f}": json.dumps(data[f], ensure_ascii=False) for f in STRUCTURED})
    return [SpecObjectAttribute(attribute_type=STRING, definition_ref=_ad(k), value=str(v))
            for k, v in values.items()]


def _bundle(reqs: RequirementSet, stamp: str) -> ReqIFBundle:
    defs = [SpecAttributeDefinition(attribute_type=STRING, identifier=_ad(n), datatype_definition=DT, long_name=n,
                                    last_change=stamp) for n in FIELDS]
    set_data = {"title": reqs.title.model_dump(), "model": reqs.model, "session": reqs.session,
                "scenario": reqs.scenario, "schema_version": reqs.schema_version}
    ids = {r.id for r in reqs.requirements}
    relations = [
        ReqIFSpecRelation(identifier=f"REL-{r.id}-{i}", relation_type_ref=RELATION_TYPES[link.kind],
                          source=f"SO-{r.id}", target=f"SO-{link.target}", last_change=stamp)
        for r in reqs.requirements for i, link in enumerate(r.links) if link.target in ids
    ]
    content = ReqIFReqIFContent(
        data_types=[ReqIFDataTypeDefinitionString(identifier=DT, long_name="Text", max_length="32000",
                                                  last_change=stamp)],
        spec_types=[
            ReqIFSpecObjectType(identifier=OBJECT_TYPE, long_name="Requirement", attribute_definitions=defs,
                                last_change=stamp),
            *[ReqIFSpecRelationType(identifier=v, long_name=k, last_change=stamp) for k, v in RELATION_TYPES.items()],
            ReqIFSpecificationType(identifier=SPEC_TYPE, long_name="Specification", last_change=stamp,
                                   is_self_closed=True),
        ],
        spec_objects=[ReqIFSpecObject(identifier=f"SO-{r.id}", spec_object_type=OBJECT_TYPE,
                                      long_name=r.id, attributes=_attrs(r), last_change=stamp)
                      for r in reqs.requirements],
        spec_relations=relations or None,
        specifications=[ReqIFSpecification(
            identifier="SPEC-MBK", long_name=reqs.title.sv, specification_type=SPEC_TYPE, last_change=stamp,
            children=[ReqIFSpecHierarchy(identifier=f"SH-{r.id}", spec_object=f"SO-{r.id}", level=1,
                                         last_change=stamp)
                      for r in reqs.requirements] or None,
        )],
    )
    # the set's own fields ride in the header comment: the reqif package drops specification VALUES
    header = ReqIFReqIFHeader(identifier="HDR-MBK", title=reqs.title.sv, req_if_tool_id="MBK Studio",
                              source_tool_id="MBK Studio", req_if_version="1.0", creation_time=stamp,
                              comment=json.dumps(set_data, ensure_ascii=False))
    return ReqIFBundle(namespace_info=ReqIFNamespaceInfo.create_default(), req_if_header=header,
                       core_content=ReqIFCoreContent(req_if_content=content), tool_extensions_tag_exists=False,
                       lookup=ReqIFObjectLookup.empty(), exceptions=[])


def write_reqif(reqs: RequirementSet, path: str | Path, now: datetime | None = None) -> Path:
    """Write a .reqif file (XML, UTF-8); `now` stamps LAST-CHANGE (pass one for byte-stable files)."""
    stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(ReqIFUnparser.unparse(_bundle(reqs, stamp)), encoding="utf-8")
    return p


def _requirement(obj: ReqIFSpecObject, names: dict[str, str]) -> dict:
    v = {names[a.definition_ref]: a.value for a in obj.attributes if a.definition_ref in names}
    data: dict = {"id": v["ReqIF.ForeignID"]}
    data.update({f: v[f"MBK.{f}"] for f in PLAIN[1:]})
    for f in LABELS:
        if f"MBK.{f}.sv" in v:
            data[f] = {lang: v[f"MBK.{f}.{lang}"] for lang in ("sv", "en")}
    data.update({f: json.loads(v[f"MBK.{f}"]) for f in STRUCTURED})
    return data


def read_reqif(path: str | Path) -> RequirementSet:
    """Read a .reqif written by `write_reqif` back into a RequirementSet."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"{p}: no such ReqIF file")
    try:
        bundle = ReqIFParser.parse(str(p))
        content = bundle.core_content.req_if_content
        obj_type = next(t for t in content.spec_types if t.identifier == OBJECT_TYPE)
        names = {d.identifier: d.long_name for d in obj_type.attribute_definitions}
        spec = next(s for s in content.specifications if s.identifier == "SPEC-MBK")
        order = [h.spec_object for h in spec.children or []]
        objects = {o.identifier: o for o in content.spec_objects or []}
        set_data = json.loads(html.unescape(bundle.req_if_header.comment or "{}"))
        reqs = [_requirement(objects[ref], names) for ref in order]
    except (StopIteration, KeyError, AttributeError, json.JSONDecodeError) as exc:
        raise UserError(f"{p}: not a ReqIF file written by MBK Studio (missing {exc})") from None
    except Exception as exc:  # noqa: BLE001 - the reqif parser raises its own error types
        raise UserError(f"{p}: cannot parse ReqIF: {exc}") from None
    try:
        return RequirementSet(**set_data, requirements=reqs)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise UserError(f"{p}: {'.'.join(str(x) for x in first['loc'])}: {first['msg']}") from None
