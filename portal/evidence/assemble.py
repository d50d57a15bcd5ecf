"""Joins a bundle's parts into one PDF: a process of its own that imports only pikepdf.

    python portal/evidence/assemble.py SPEC.json

Run by path, not as a module, so that it does not import the portal: its memory is the
merge's alone (qpdf holds the parts while it writes), not the merge's on top of the web
application and two 15 MB fonts. SPEC names the files in order, the bookmarks, the
page-number overlay, the document information, the attached manifest and the output.
Streams are copied as they are (no decoding and re-compressing): fast, and the frozen
inspection records keep their exact content.
"""

import json
import sys

import pikepdf


def assemble(spec):
    out = pikepdf.Pdf.new()
    sources = []
    try:
        for path in spec["files"]:
            source = pikepdf.open(path)
            sources.append(source)
            out.pages.extend(source.pages)
        with pikepdf.open(spec["stamps"]) as stamps:
            for page, stamp in zip(out.pages, stamps.pages, strict=True):
                page.add_overlay(stamp)
            with out.open_outline() as outline:
                for entry in spec["outline"]:
                    item = pikepdf.OutlineItem(entry["title"], entry["page"])
                    for child in entry.get("children", []):
                        item.children.append(pikepdf.OutlineItem(child["title"], child["page"]))
                    outline.root.append(item)
            for key, value in spec["docinfo"].items():
                out.docinfo[key] = value
            with open(spec["attachment"]["path"], "rb") as attached:
                out.attachments[spec["attachment"]["name"]] = pikepdf.AttachedFileSpec(
                    out, attached.read(), mime_type=spec["attachment"]["mime_type"]
                )
            out.save(
                spec["output"],
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                compress_streams=False,
            )
        return len(out.pages)
    finally:
        out.close()
        for source in sources:
            source.close()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as spec_file:
        pages = assemble(json.load(spec_file))
    print(pages)
