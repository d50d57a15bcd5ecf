"""Benchmark: the memory one uploaded workbook takes, a workbook bomb against a real register.

    .venv/bin/python -m bench.workbooks [--inflated-mb 200] [--students 3000]

Each case runs in a fresh Python of its own, which reports its peak resident set; the figure
given is that peak less the peak of a fresh Python that only created the app:

  (a) the bomb (a small .xlsx whose shared strings inflate to --inflated-mb) through the upload
      check the portal runs (files.check_upload for a roster): refused from the zip's directory;
  (b) the same bomb read the way the portal read it before, openpyxl in read-only mode;
  (c) a register export of --students students through the check and read in full.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests import workbooks

ROOT = Path(__file__).resolve().parents[1]
START = """
import resource
from tests.conftest import KEYS
from portal import create_app
app = create_app(KEYS | {"DATABASE_URL": "sqlite://", "TESTING": True})
"""
CHECK = """
from werkzeug.datastructures import FileStorage
from portal.errors import DomainError
from portal.services import files
with app.test_request_context():
    try:
        files.check_upload(FileStorage(open(PATH, "rb"), "x.xlsx"), files.ROSTER)
        print("ACCEPTED")
    except DomainError as exc:
        print("REFUSED")
"""
OPENPYXL = """
from openpyxl import load_workbook
workbook = load_workbook(PATH, read_only=True, data_only=True)
rows = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
print("READ", rows)
"""
READ = """
from portal.services import nutrition
with app.app_context():
    rows, problems = nutrition.read_register(PATH)
    print("READ", len(rows))
"""


def peak_megabytes(script, path=""):
    peak = "\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    code = START + f"PATH = {path!r}\n" + script + peak
    done = subprocess.run(  # noqa: S603 - this file's own scripts
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    lines = done.stdout.strip().splitlines()
    return int(lines[-1]), lines[-2] if len(lines) > 1 else ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inflated-mb", type=int, default=200)
    parser.add_argument("--students", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bomb, register = Path(folder) / "bomb.xlsx", Path(folder) / "register.xlsx"
        bomb.write_bytes(workbooks.bomb(args.inflated_mb))
        register.write_bytes(workbooks.register(args.students))
        baseline, _ = peak_megabytes("")
        print(f"fresh Python with the app: {baseline} MB")
        print(f"bomb: {bomb.stat().st_size // 1024} KB inflating to {args.inflated_mb} MB")
        for name, script, path in (
            ("(a) bomb, the upload check", CHECK, bomb),
            ("(b) bomb, openpyxl read-only (before)", OPENPYXL, bomb),
            (f"(c) register of {args.students}, check", CHECK, register),
            (f"(c) register of {args.students}, read", READ, register),
        ):
            peak, outcome = peak_megabytes(script, str(path))
            print(f"{name:45} +{peak - baseline:4d} MB  {outcome}")


if __name__ == "__main__":
    main()
