"""How the suite runs (a pytest plugin, loaded by tests/conftest.py).

- Time limits by kind of test: a test that hangs fails quickly, with every thread's stack
  (pytest-timeout's signal method), instead of holding CI for minutes.
- A test marked ``browser`` also counts as ``one_database``; a ``one_database`` test is left
  out of a PostgreSQL run (and a test in tests/test_suite.py fails when one of them writes
  SQL of its own or checks a trigger or a constraint).
- ``--boundary-moments`` runs every test marked ``clock`` once more at each moment of
  tests/clock.py (``--boundary-moments=all``: every test that runs in this process, the
  sweep that finds a test reasoning about today without saying so). A test is marked
  ``clock`` when it says so, or when its own code, a fixture it asks for or a helper of its
  module it calls takes today from the clock, unless it is marked ``real_time`` (it reads
  the real clock on purpose).
- A process that has not ended two minutes after its tests did prints every thread's
  stack and exits: a thread or child process that never ends cannot hold CI.
- At the end, how many tests ran on which database.
"""

import ast
import faulthandler
import inspect
import os
import re
import textwrap

import pytest

from tests import clock

# Seconds a test may take, set up and torn down included, by its kind.
TIMEOUTS = {"in_process": 90, "browser": 120, "processes": 300}
EXIT_GRACE_SECONDS = 120
SINGLE_DATABASE_SOURCES = pytest.StashKey[dict]()
# Code that reads the clock (a date passed in as ``today=`` does not).
TODAY = re.compile(
    r"\b(school_today|school_now|utcnow|open_day|at_most_now|term_of_today|next_school_day|expires_in_days)\b"
    r"|\.now\(|\.today\("
)


def pytest_addoption(parser):
    parser.addoption(
        "--boundary-moments",
        nargs="?",
        const="marked",
        choices=("marked", "all"),
        help="also run each test marked clock (or, with =all, each in-process test) at every moment of tests/clock.py",
    )


def pytest_generate_tests(metafunc):
    chosen = metafunc.config.getoption("boundary_moments")
    if chosen is None or "clock_moment" not in metafunc.fixturenames:
        return
    if chosen == "marked" and not _reasons_about_today(metafunc):
        return
    if chosen == "all" and any(metafunc.definition.get_closest_marker(kind) for kind in ("browser", "processes")):
        return
    moments = clock.moments()
    metafunc.parametrize(
        "clock_moment", [None, *moments], indirect=True, ids=["now", *(moment.name for moment in moments)]
    )


def _reasons_about_today(metafunc):
    """Marked clock, or today read from the clock by the test's own code, one of its
    fixtures, or a helper of its module that either of them calls (a level deep)."""
    if metafunc.definition.get_closest_marker("clock"):
        return True
    if any(metafunc.definition.get_closest_marker(kind) for kind in ("browser", "real_time")):
        return False
    functions = [metafunc.function]
    functions += [definitions[-1].func for definitions in metafunc._arg2fixturedefs.values() if definitions]
    module = vars(metafunc.module)
    for function in list(functions):
        functions += [module[name] for name in _names_called(function) if inspect.isfunction(module.get(name))]
    return any(TODAY.search(_code(function)) for function in functions if _is_ours(function))


def _is_ours(function):
    return getattr(function, "__module__", "").startswith("tests")


def _code(function):
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _names_called(function):
    tree = ast.parse(textwrap.dedent(_code(function)) or "pass")
    return {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


def _kind(item):
    for kind in ("browser", "processes"):
        if item.get_closest_marker(kind):
            return kind
    return "in_process"


def pytest_collection_modifyitems(config, items):
    single = {}
    for item in items:
        kind = _kind(item)
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TIMEOUTS[kind]))
        if kind == "browser":
            item.add_marker(pytest.mark.one_database)
        if item.get_closest_marker("one_database"):
            single[item.nodeid] = _source(item)
    config.stash[SINGLE_DATABASE_SOURCES] = single
    if os.environ.get("PORTAL_TEST_DATABASE_URL"):
        left_out = [item for item in items if item.nodeid in single]
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item.nodeid not in single]


def _source(item):
    """What a single-database test runs: the whole module when the marker is the module's
    (or the browser directory's), else the test function itself."""
    function_marked = any(mark.name in ("one_database", "browser") for mark in item.own_markers)
    module_wide = not function_marked or item.get_closest_marker("browser")
    return inspect.getsource(item.module if module_wide else item.function)


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter):
    """How many tests ran on which database, and where the time went. The phases a test
    passed (setup, teardown) are filed under ""."""
    stats = terminalreporter.stats
    reports = [report for outcome in ("", "passed", "failed", "error") for report in stats.get(outcome, [])]
    ran = {report.nodeid for report in reports if report.when == "call" or report.outcome != "passed"}
    seconds = {}
    for report in reports:
        keywords = getattr(report, "keywords", {})  # a module that failed to import has none
        kind = next((kind for kind in ("browser", "processes") if kind in keywords), "in_process")
        seconds[kind] = seconds.get(kind, 0) + report.duration
    database = "PostgreSQL" if os.environ.get("PORTAL_TEST_DATABASE_URL") else "SQLite"
    spent = ", ".join(f"{kind} {total:.0f} s" for kind, total in sorted(seconds.items()))
    terminalreporter.write_line(f"{len(ran)} tests ran on {database}; their time by kind, all processes: {spent}")


def pytest_unconfigure(config):
    faulthandler.dump_traceback_later(EXIT_GRACE_SECONDS, exit=True)
