"""Benchmark: a school year's evidence bundle, the portal's way against the naive way.

    .venv/bin/python -m bench.evidence [--runs 3] [--naive-runs 1]

Seeds one school year (about 200 director and 80 principal inspections of 30 items, a
finding on one item in ten, 40 training sessions, 60 certificates, 30 rules), signs every
inspection and freezes it, as sign-off does. Then, side by side in one run, each in a
child process of its own so that its peak memory is its own:

  (a) the bundle as the portal makes it: summary sections rendered, frozen PDFs appended;
  (b) the same content rendered in one xhtml2pdf pass, the naive way.

Reports wall time (median), pages and peak memory of each, and the ratio (b)/(a). Memory is
given twice: the largest resident set of any one process (the export, a render worker, the
assembler), and the peak of the proportional set size summed over all of them, sampled every
20 ms, which counts pages shared between forked processes once.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def _app(database_url, folder):
    from bench.common import AUDIT_KEY, SECRET
    from portal import create_app

    return create_app(
        {
            "SECRET_KEY": SECRET,
            "AUDIT_KEY": AUDIT_KEY,
            "DATABASE_URL": database_url,
            "PASSWORD_HASH_PROFILE": "cheap",
            "UPLOAD_FOLDER": os.path.join(folder, "uploads"),
            "EVIDENCE_FOLDER": os.path.join(folder, "evidence"),
            "QUEUE_URL": "immediate",  # freezing runs where it is asked for
        }
    )


def seed(database_url, folder):
    from flask_migrate import upgrade

    from bench.seed import YEAR_END, seed_year
    from portal.evidence import freeze
    from portal.extensions import db

    app = _app(database_url, folder)
    with app.app_context():
        upgrade()
        school = seed_year("基准中学", "bench", until=YEAR_END, sign_off_share=1.0)
        started = time.perf_counter()
        pending = freeze.unfrozen(school.id)
        freeze.freeze_all(pending)
        frozen_seconds = time.perf_counter() - started
        db.session.commit()
        return school.id, len(pending), frozen_seconds


def _scope(school_id):
    from bench.seed import YEAR_END, YEAR_START
    from portal.evidence.parts import Scope
    from portal.extensions import db
    from portal.models import School
    from portal.timeutil import utcnow

    return Scope(db.session.get(School, school_id), YEAR_START, YEAR_END, utcnow(), "基准测试")


def portal_way(database_url, folder, school_id):
    from portal.evidence import bundle
    from portal.evidence.sections import ALL_KEYS
    from portal.services import audit

    with _app(database_url, folder).app_context():
        scope = _scope(school_id)
        output = os.path.join(folder, "bundle.pdf")
        started = time.perf_counter()
        pages = bundle.build(scope, ALL_KEYS, 0, audit.chain_head(school_id), output)
        return time.perf_counter() - started, pages, os.path.getsize(output)


def naive_way(database_url, folder, school_id):
    """Everything as one HTML document, rendered in one xhtml2pdf pass."""
    from flask import render_template
    from pypdf import PdfReader

    from portal.evidence import freeze, render
    from portal.evidence.sections import SECTIONS
    from portal.extensions import db
    from portal.models import Inspection, InspectionStatus
    from portal.services import audit

    with _app(database_url, folder).app_context(), render.evidence_language():
        scope = _scope(school_id)
        started = time.perf_counter()
        documents = [
            render_template(
                "evidence/cover.html",
                scope=scope,
                export_id=0,
                chain_head=audit.chain_head(school_id),
                section_titles=[str(s.title) for s in SECTIONS],
                title="基准",
            )
        ]
        for section in SECTIONS:
            part = section.part(scope)
            if part.template:
                documents.append(render_template(part.template, scope=scope, part=part))
        inspections = db.session.scalars(
            db.select(Inspection)
            .where(Inspection.school_id == school_id, Inspection.status == InspectionStatus.SIGNED_OFF)
            .order_by(Inspection.inspected_on)
        ).all()
        for inspection in inspections:
            documents.append(render_template("evidence/inspection.html", **freeze.inspection_context(inspection)))
        head = re.search(r"^.*?<body>", documents[0], re.S).group(0)
        bodies = [re.search(r"<body>(.*)</body>", html, re.S).group(1) for html in documents]
        data = render.html_to_pdf(head + "<pdf:nextpage />".join(bodies) + "</body></html>")
        return time.perf_counter() - started, len(PdfReader(__import__("io").BytesIO(data)).pages), len(data)


def child(mode, database_url, folder, school_id):
    seconds, pages, size = {"portal": portal_way, "naive": naive_way}[mode](database_url, folder, school_id)
    # The largest single process: this one, a render worker or the assembler.
    peak_mb = (
        max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        / 1024
    )
    print(json.dumps({"seconds": seconds, "pages": pages, "bytes": size, "peak_mb": peak_mb}))


def _tree(pid):
    """pid and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _pss_mb(pids):
    """Proportional set size summed over processes: shared pages (a forked worker's, say)
    are counted once in all, not once per process as RSS counts them."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


def _run_sampled(arguments):
    """Runs a child; returns its last line of output and the peak of its tree's summed PSS."""
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(arguments, stdout=out, stderr=subprocess.DEVNULL, text=True)  # noqa: S603
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, _pss_mb(_tree(process.pid)))
            time.sleep(0.02)
        if process.returncode != 0:
            raise SystemExit(f"{arguments} failed")
        out.seek(0)
        return out.read().strip().splitlines()[-1], peak


def measure(mode, database_url, folder, school_id, runs):
    results = []
    for _ in range(runs):
        line, pss = _run_sampled(
            [
                sys.executable,
                "-m",
                "bench.evidence",
                "--child",
                mode,
                "--database-url",
                database_url,
                "--folder",
                folder,
                "--school",
                str(school_id),
            ]
        )
        results.append(json.loads(line) | {"pss_mb": pss})
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "pages": results[0]["pages"],
        "mb": results[0]["bytes"] / 1024 / 1024,
        "peak_mb": max(r["peak_mb"] for r in results),
        "pss_mb": max(r["pss_mb"] for r in results),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-runs", type=int, default=1)
    parser.add_argument("--child")
    parser.add_argument("--database-url")
    parser.add_argument("--folder")
    parser.add_argument("--school", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.database_url, args.folder, args.school)
        return
    folder = tempfile.mkdtemp(prefix="portal-evidence-bench-")
    database_url = "sqlite:///" + os.path.join(folder, "bench.sqlite3")
    started = time.perf_counter()
    school_id, frozen, frozen_seconds = seed(database_url, folder)
    print(
        f"seeded and froze {frozen} inspections in {time.perf_counter() - started:.0f} s "
        f"(freezing: {frozen_seconds / max(frozen, 1) * 1000:.0f} ms per inspection, paid once at sign-off)"
    )
    portal = measure("portal", database_url, folder, school_id, args.runs)
    naive = measure("naive", database_url, folder, school_id, args.naive_runs) if args.naive_runs else None
    print(f"{'way':<32} {'seconds':>8} {'pages':>6} {'MB':>6} {'peak RSS':>9} {'peak PSS, all':>14}")
    rows = (("(a) frozen PDFs reused", portal), ("(b) one xhtml2pdf pass", naive))
    for label, row in ((label, row) for label, row in rows if row is not None):
        print(
            f"{label:<32} {row['seconds']:>8.1f} {row['pages']:>6} {row['mb']:>6.1f} "
            f"{row['peak_mb']:>9.0f} {row['pss_mb']:>14.0f}"
        )
    if naive is not None:
        print(f"ratio (b)/(a): {naive['seconds'] / portal['seconds']:.1f}x")


if __name__ == "__main__":
    main()
