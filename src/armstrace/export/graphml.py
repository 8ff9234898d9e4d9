"""GraphML export for Gephi, Cytoscape, yEd and networkx: a directed multigraph whose nodes are
actors (code, name, kind, capital coordinates) and whose edges are records or claims, supplier
to recipient. Written with the standard library, node by node as edges first need them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

from armstrace.export.base import Tally
from armstrace.export.source import ClaimItem, Scalar, flat_claim, flat_record
from armstrace.kb.transfer_records import TransferRecord

__all__ = ["CLAIM_EDGE", "NODE", "RECORD_EDGE", "write_claims", "write_records"]

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

Attributes = Sequence[tuple[str, str]]  # (attribute name, GraphML attr.type)
NODE: Attributes = (("name", "string"), ("kind", "string"), ("lat", "double"), ("lon", "double"))
RECORD_EDGE: Attributes = (
    ("label", "string"), ("category", "string"), ("status", "string"), ("support", "int"),
    ("independent_sources", "int"), ("confidence", "double"), ("embargo", "boolean"),
    ("embargo_regimes", "string"), ("first_seen", "string"), ("last_seen", "string"),
    ("designations", "string"), ("items", "string"), ("sources", "string"),
)  # fmt: skip
CLAIM_EDGE: Attributes = (
    ("label", "string"), ("category", "string"), ("status", "string"), ("date", "string"),
    ("items", "string"), ("source", "string"), ("document_name", "string"), ("url", "string"),
    ("evidence", "string"), ("record_ids", "string"),
)  # fmt: skip

# XML 1.0 forbids most control characters even when escaped; extracted text may carry them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _INVALID_XML.sub("", str(value))


def _scalar(value: object) -> Scalar:
    return value if isinstance(value, str | int | float | bool) else None


def _key_id(scope: str, name: str) -> str:
    return f"{scope[0]}_{name}"


def _header(out: TextIO, edge: Attributes) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    location = f"{NAMESPACE} {SCHEMA}"
    out.write(f'<graphml xmlns="{NAMESPACE}" xmlns:xsi="{XSI}" xsi:schemaLocation="{location}">\n')
    for scope, attributes in (("node", NODE), ("edge", edge)):
        for name, kind in attributes:
            key = ET.Element(
                "key",
                {"id": _key_id(scope, name), "for": scope, "attr.name": name, "attr.type": kind},
            )
            out.write("  " + ET.tostring(key, encoding="unicode") + "\n")
    out.write('  <graph id="armstrace" edgedefault="directed">\n')


def _element(tag: str, ident: Mapping[str, str], scope: str, values: Mapping[str, Scalar],
             attributes: Attributes) -> str:  # fmt: skip
    element = ET.Element(tag, {k: _text(v) for k, v in ident.items()})
    for name, _ in attributes:
        value = values.get(name)
        if value is None or value == "":
            continue  # absent, not empty: GraphML readers then apply no default
        ET.SubElement(element, "data", {"key": _key_id(scope, name)}).text = _text(value)
    return "    " + ET.tostring(element, encoding="unicode") + "\n"


class _Graph:
    def __init__(self, out: TextIO, edge: Attributes) -> None:
        self.out, self.edge, self.nodes = out, edge, set[str]()
        self.tally = Tally()
        _header(out, edge)

    def node(self, code: str) -> None:
        if code in self.nodes:
            return
        from armstrace.serve.geo import node

        self.nodes.add(code)
        info = node(code)
        values: dict[str, Scalar] = {name: _scalar(info.get(name)) for name, _ in NODE}
        self.out.write(_element("node", {"id": code}, "node", values, NODE))
        self.tally.objects += 1

    def add(self, ident: str, supplier: str | None, recipient: str | None,
            values: Mapping[str, Scalar]) -> None:  # fmt: skip
        if supplier is None or recipient is None:
            self.tally.leave_out("supplier or recipient unknown: no edge to draw")
            return
        self.node(supplier)
        self.node(recipient)
        ident_attrs = {"id": ident, "source": supplier, "target": recipient}
        self.out.write(_element("edge", ident_attrs, "edge", values, self.edge))
        self.tally.written += 1
        self.tally.objects += 1

    def close(self) -> Tally:
        self.out.write("  </graph>\n</graphml>\n")
        return self.tally


def _label(category: str, status: str) -> str:
    return f"{category} ({status})"


def _write(items: Iterable[tuple[str, str | None, str | None, dict[str, Scalar]]], out: TextIO,
           edge: Attributes) -> Tally:  # fmt: skip
    graph = _Graph(out, edge)
    for ident, supplier, recipient, values in items:
        graph.add(ident, supplier, recipient, values)
    return graph.close()


def write_records(records: Iterable[TransferRecord], out: TextIO) -> Tally:
    return _write(
        (
            (
                r.id,
                r.supplier,
                r.recipient,
                {**flat_record(r), "label": _label(r.category, r.status)},
            )
            for r in records
        ),
        out,
        RECORD_EDGE,
    )


def write_claims(claims: Iterable[ClaimItem], out: TextIO) -> Tally:
    return _write(
        (
            (
                c.id,
                c.claim.supplier,
                c.claim.recipient,
                {**flat_claim(c), "label": _label(c.claim.category, c.claim.status)},
            )
            for c in claims
        ),
        out,
        CLAIM_EDGE,
    )
