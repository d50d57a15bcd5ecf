"""The period bundle: cover, contents, the chosen sections, the frozen inspection PDFs
appended as they are, and an index of them; bookmarks for every section and inspection,
page numbers, Chinese metadata and an attached JSON manifest.

Only the short summary sections are rendered here; the inspections were rendered once, at
sign-off. The pieces are joined by a small process of its own (assemble.py). Together
that keeps a school year's bundle to seconds and bounded memory (see bench/evidence.py).
"""

import json
import os
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass

import pikepdf
from flask import current_app, render_template
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ..errors import DomainError
from ..services.audit import Anchor
from . import listing, render, storage
from .sections import chosen

MANIFEST_NAME = "manifest.json"
KEYWORD_PREFIX = "portal-export:"
ASSEMBLER = os.path.join(os.path.dirname(__file__), "assemble.py")


@dataclass
class Piece:
    """One file of the bundle and where it starts (1-based)."""

    path: str
    pages: int = 0
    start: int = 0


def _count_pages(piece):
    with pikepdf.open(piece.path) as pdf:
        piece.pages = len(pdf.pages)
    return piece


def steps(section_keys):
    """Progress steps: each section's records, each document rendered, contents, assembly."""
    return 2 * len(chosen(section_keys)) + 3


def build(scope, section_keys, export_id, chain_head, output, progress=lambda step, total: None):
    """Renders and assembles the bundle into the file `output`; returns its page count."""
    with render.evidence_language(), tempfile.TemporaryDirectory(prefix="portal-bundle-") as folder:
        sections = chosen(section_keys)
        total = steps(section_keys)
        step = 0
        parts, documents = [], []
        for number, section in enumerate(sections, start=1):
            part = section.part(scope)
            piece = None
            if part.template:
                piece = Piece(os.path.join(folder, f"section-{number}.pdf"))
                documents.append((render_template(part.template, scope=scope, part=part), piece.path))
            frozen = [
                (title, Piece(storage.path_of(evidence.storage_key), evidence.pages)) for title, evidence in part.frozen
            ]
            parts.append((part, piece, frozen))
            step += 1
            progress(step, total)
        title = _(
            "%(school)s logistics evidence %(first)s to %(last)s",
            school=scope.school.name,
            first=scope.first,
            last=scope.last,
        )
        cover = Piece(os.path.join(folder, "cover.pdf"))
        cover_html = render_template(
            "evidence/cover.html",
            scope=scope,
            export_id=export_id,
            chain_head=chain_head,
            section_titles=[str(part.title) for part, _piece, _frozen in parts],
            title=title,
        )
        for _path in render.pdf_files([(cover_html, cover.path), *documents]):
            step += 1
            progress(step, total)
        for piece in [cover] + [piece for _part, piece, _frozen in parts if piece]:
            _count_pages(piece)
        contents, index = _contents_and_index(folder, scope.school.name, cover, parts)
        progress(total - 1, total)
        order = [cover, contents] + [
            p for _part, piece, frozen in parts for p in ([piece] if piece else []) + [f for _t, f in frozen]
        ]
        if index is not None:
            order.append(index)
        manifest = _manifest(scope, export_id, chain_head, [part for part, _piece, _frozen in parts])
        spec = {
            "files": [piece.path for piece in order],
            "outline": _outline(cover, contents, parts, index),
            "stamps": _page_numbers(folder, sum(piece.pages for piece in order)),
            "docinfo": {
                "/Title": title,
                "/Author": scope.school.name,
                "/Subject": _("Evidence for the logistics audit"),
                "/Creator": _("Logistics Portal"),
                "/Keywords": f"{KEYWORD_PREFIX}{export_id}",
            },
            "attachment": {
                "name": MANIFEST_NAME,
                "mime_type": "application/json",
                "path": _write_manifest(folder, manifest),
            },
            "output": output,
        }
        pages = _run_assembler(folder, spec)
        progress(total, total)
    return pages


def _lay_out(parts, first_page):
    """Start page of every section piece and frozen record, from first_page on."""
    page = first_page
    for _part, piece, frozen in parts:
        for each in ([piece] if piece else []) + [f for _title, f in frozen]:
            each.start = page
            page += each.pages
    return page


def _contents_and_index(folder, school_name, cover, parts):
    """The contents (sections only, so its length is known) at the front, the index of the
    inspection records at the back (so its length moves nothing before it)."""
    columns = (_("Section"), _("Page"))
    contents = Piece(os.path.join(folder, "contents.pdf"), pages=1)
    while True:
        index_start = _lay_out(parts, cover.pages + contents.pages + 1)
        has_index = any(frozen for _part, _piece, frozen in parts)
        entries = [(str(part.title), _section_start(piece, frozen)) for part, piece, frozen in parts]
        if has_index:
            entries.append((_("Index of signed inspection records"), index_start))
        planned = contents.pages
        listing.write(contents.path, _("Contents"), school_name, columns, entries)
        if _count_pages(contents).pages == planned:
            break
    cover.start, contents.start = 1, cover.pages + 1
    if not has_index:
        return contents, None
    index = Piece(os.path.join(folder, "index.pdf"), start=index_start)
    rows = [(title, piece.start) for _part, _piece, frozen in parts for title, piece in frozen]
    listing.write(index.path, _("Index of signed inspection records"), school_name, (_("Inspection"), _("Page")), rows)
    return contents, _count_pages(index)


def _section_start(piece, frozen):
    if piece is not None:
        return piece.start
    return frozen[0][1].start if frozen else 0


def _outline(cover, contents, parts, index):
    outline = [{"title": _("Cover"), "page": 0}, {"title": _("Contents"), "page": contents.start - 1}]
    for part, piece, frozen in parts:
        start = _section_start(piece, frozen)
        outline.append(
            {
                "title": str(part.title),
                "page": max(start - 1, 0),
                "children": [{"title": title, "page": each.start - 1} for title, each in frozen],
            }
        )
    if index is not None:
        outline.append({"title": _("Index of signed inspection records"), "page": index.start - 1})
    return outline


def _page_numbers(folder, total):
    """An overlay of 'n / N' in the embedded font, one page per page of the bundle."""
    path = os.path.join(folder, "page-numbers.pdf")
    overlay = canvas.Canvas(path, pagesize=A4)
    width, _height = A4
    for number in range(1, total + 1):
        overlay.setFont("PortalKai", 8)
        overlay.drawRightString(width - 28, 12, f"{number} / {total}")
        overlay.showPage()
    overlay.save()
    return path


def _write_manifest(folder, manifest):
    path = os.path.join(folder, MANIFEST_NAME)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=1, sort_keys=True)
    return path


def _run_assembler(folder, spec):
    spec_path = os.path.join(folder, "spec.json")
    with open(spec_path, "w", encoding="utf-8") as out:
        json.dump(spec, out, ensure_ascii=False)
    done = subprocess.run(  # noqa: S603 - our own script, a path we made
        [sys.executable, ASSEMBLER, spec_path], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise DomainError(_("The PDF could not be made.") + f" ({done.stderr.strip().splitlines()[-1:]})")
    return int(done.stdout.strip().splitlines()[-1])


def _manifest(scope, export_id, chain_head, parts):
    records = {}
    for part in parts:
        records.update(part.records)
    return {
        "portal_export": export_id,
        "school": {"id": scope.school.id, "name": scope.school.name},
        "period": {"from": scope.first.isoformat(), "to": scope.last.isoformat()},
        "generated_at": scope.generated_at.isoformat() if scope.generated_at else None,
        "generated_by": scope.generated_by,
        "audit_chain_head": {"chain": chain_head.chain, "seq": chain_head.seq, "hash": chain_head.hash},
        "sections": [part.key for part in parts],
        "records": records,
    }


def _capped_contents(stream):
    """The stream's data, inflated no further than MANIFEST_LIMIT_MB; None beyond it or
    when it is compressed another way than the portal writes it."""
    limit = current_app.config["EVIDENCE_MANIFEST_LIMIT_MB"] * 1024 * 1024
    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    if filters is None:
        return raw if len(raw) <= limit else None
    if filters != pikepdf.Name.FlateDecode:
        return None
    inflater = zlib.decompressobj()
    data = inflater.decompress(raw, limit + 1)
    return data if len(data) <= limit and not inflater.unconsumed_tail else None


def anchors_in(manifest):
    """The audit chain heads a bundle's manifest recorded when it was made."""
    head = (manifest or {}).get("audit_chain_head")
    if not isinstance(head, dict):
        return []
    anchor = Anchor.parse(f"{head.get('chain')}:{head.get('seq')}:{head.get('hash')}")
    return [anchor] if anchor else []


def read_manifest(path_or_stream):
    """The manifest attached to a bundle (a JSON object), or None for anything else. Read
    with a cap: pikepdf would inflate an attachment whole, and a 1 KB file can inflate to
    gigabytes."""
    try:
        with pikepdf.open(path_or_stream) as pdf:
            attached = pdf.attachments.get(MANIFEST_NAME)
            contents = _capped_contents(attached.get_file().obj) if attached else None
    except Exception:  # noqa: BLE001 - anything unreadable is simply not a bundle
        return None
    if not contents:
        return None
    try:
        manifest = json.loads(contents.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return manifest if isinstance(manifest, dict) else None
