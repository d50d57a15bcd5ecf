"""The evidence PDF draws its pictures beside their figures: a school's gaps per week, the
clean-plate curve (and the fridges', tests/test_storeroom.py; the subsidy's year,
tests/test_subsidy.py). A chart's title is text in the PDF, and so are the words beside it."""

from datetime import date

from portal.evidence import storage
from tests import factories
from tests.test_evidence import make_export, pdf_text, people  # noqa: F401 (a fixture)


def test_the_compliance_section_draws_the_weeks_of_gaps_with_their_words(people):  # noqa: F811
    export = make_export(people, sections=["compliance"])
    text = pdf_text(storage.path_of(export.storage_key))
    assert "每周缺漏" in text  # the chart's title, drawn into the PDF
    assert "2026-09-14 当周：漏检" in text and "2026-09-21 当周：漏检" in text


def test_the_canteen_section_draws_the_clean_plate_curve_with_its_words(people):  # noqa: F811
    for day, kg in ((date(2026, 9, 15), "3.00"), (date(2026, 9, 16), "9.00")):
        factories.weigh_leftovers(people.school, people.cook, kg=kg, diners=100, day=day)
    export = make_export(people, sections=["canteen"])
    text = pdf_text(storage.path_of(export.storage_key))
    assert "每日每百人剩餐公斤数与目标对比" in text
    assert "称重 2 天，其中 1 天超过目标" in text


def test_one_day_weighed_is_a_line_not_a_chart(people):  # noqa: F811
    factories.weigh_leftovers(people.school, people.cook, kg="3.00", diners=100, day=date(2026, 9, 15))
    text = pdf_text(storage.path_of(make_export(people, sections=["canteen"]).storage_key))
    assert "每日每百人剩餐公斤数与目标对比" not in text and "剩餐" in text
