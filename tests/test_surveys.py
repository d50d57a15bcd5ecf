"""Surveys: the question list read line by line (a line of no known kind named), answered
anonymously through the public link once per device (a second answer, a rating out of range,
an empty form and a closed survey refused with the typed answers kept), typed in from paper
by the clerk only, the results of 1,500 answers, the canteen's actions, the semester's count,
the report back as a PDF, and nothing of one school reachable from another's link."""

import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Audience, QuestionKind, Role, Survey, SurveyAnswer, SurveyResponse
from portal.services import schools, survey_requirement, surveys
from portal.services.calendar import current_term
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login, refused
from tests.tamper import refused_by_the_database

QUESTIONS = """评分：饭菜的口味
选择：你觉得食堂的饭菜安全吗？｜放心｜比较放心｜不放心
文字：你对食堂有什么建议？
菜品：凉拌黄瓜
菜品：红烧肉"""


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def make_survey(people, questions=QUESTIONS, audience_size=40, is_open=True, audience=Audience.STUDENTS):
    survey = Survey(
        title="食品安全与满意度调查",
        audiences=audience if isinstance(audience, list) else [audience],
        audience_size=audience_size,
        closes_on=school_today(people.school) + timedelta(days=7),
    )
    surveys.create_survey(people.clerk, survey, questions)
    survey.is_open = is_open
    db.session.commit()
    return survey


def by_text(survey):
    return {question.text: str(question.id) for question in survey.questions}


def test_the_question_list_is_read_line_by_line(people):
    questions = surveys.parse_questions(QUESTIONS + "\n\nrating: Taste")
    assert [q.kind for q in questions] == [
        QuestionKind.RATING,
        QuestionKind.CHOICE,
        QuestionKind.TEXT,
        QuestionKind.DISH,
        QuestionKind.DISH,
        QuestionKind.RATING,
    ]
    assert questions[1].option_list == ["放心", "比较放心", "不放心"]
    refused(lambda: surveys.parse_questions("评分：口味\n口味好吗"), "第 2 行")
    refused(lambda: surveys.parse_questions("选择：安全吗？｜放心"), "两个选项")
    refused(lambda: surveys.parse_questions("\n".join(f"评分：第{n}题" for n in range(51))), "50")
    refused(lambda: surveys.parse_questions(""), "至少")


def test_the_menu_template_lists_the_last_weeks_dishes(people):
    today = school_today(people.school)
    for day in (today - timedelta(days=3), today - timedelta(days=30)):
        factories.make_canteen_day(people.school, day)
    factories.create_dish(people.school, "清炒西葫芦", day=today - timedelta(days=3))
    factories.create_dish(people.school, "老菜", day=today - timedelta(days=30))
    text = surveys.template("menu", people.school.id, today)
    assert "菜品：清炒西葫芦" in text and "老菜" not in text


def test_an_anonymous_answer_once_per_phone(client, people):
    survey = make_survey(people)
    ids = by_text(survey)
    url = f"/s/{survey.token}"
    page = client.get(url)
    assert page.status_code == 200 and "饭菜的口味" in page.get_data(as_text=True)
    assert "survey_device" in page.headers.get("Set-Cookie", "")
    out_of_range = client.post(url, data={ids["饭菜的口味"]: "6", ids["你对食堂有什么建议？"]: "少放辣椒"})
    assert out_of_range.status_code == 422 and "1 到 5" in out_of_range.get_data(as_text=True)
    assert "少放辣椒" in out_of_range.get_data(as_text=True)  # what was typed is kept
    assert client.post(url, data={}).status_code == 422
    done = client.post(
        url, data={ids["饭菜的口味"]: "4", ids["凉拌黄瓜"]: "1", ids["你对食堂有什么建议？"]: "少放辣椒"}
    )
    assert done.status_code == 200 and "已提交" in done.get_data(as_text=True)
    again = client.post(url, data={ids["饭菜的口味"]: "5"})
    assert again.status_code == 422 and "已经答过" in again.get_data(as_text=True)
    response = db.session.scalar(sa.select(SurveyResponse))
    assert response.device and len(response.device) == 64 and response.entered_by_id is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)) == 3
    other_phone = client.application.test_client()
    other_phone.get(url)
    assert other_phone.post(url, data={ids["饭菜的口味"]: "5"}).status_code == 200


def test_a_closed_survey_and_an_unknown_link(client, people):
    survey = make_survey(people, is_open=False)
    page = client.get(f"/s/{survey.token}").get_data(as_text=True)
    assert "已结束" in page and "提交" not in page.split("已结束")[1]
    assert client.post(f"/s/{survey.token}", data={by_text(survey)["饭菜的口味"]: "5"}).status_code == 422
    assert client.get("/s/not-a-survey").status_code == 404
    assert client.get("/s/" + "x" * 200).status_code == 404


def test_another_schools_link_reaches_nothing_of_this_one(client, people, other_school):
    here = make_survey(people)
    there_people = factories.school_staff(other_school, keeper="外校库管")
    there = make_survey(there_people)
    url = f"/s/{there.token}"
    client.get(url)
    # A question of this school posted through the other school's link is not read.
    posted = client.post(url, data={by_text(here)["饭菜的口味"]: "1", by_text(there)["饭菜的口味"]: "5"})
    assert posted.status_code == 200
    assert db.session.scalar(sa.select(SurveyAnswer.question_id)) == int(by_text(there)["饭菜的口味"])
    assert surveys.results(here).responses == 0
    login(client, there_people.clerk)
    assert client.get(f"/surveys/{here.id}").status_code == 404
    assert client.get(f"/surveys/{here.id}/qr.svg").status_code == 404
    assert client.post(f"/surveys/{here.id}/paper", data={by_text(here)["饭菜的口味"]: "1"}).status_code == 404


def test_paper_forms_are_typed_in_by_the_clerk_only(client, people):
    survey = make_survey(people, is_open=False)  # paper forms come in after the survey closed
    ids = by_text(survey)
    login(client, people.cook)
    assert client.post(f"/surveys/{survey.id}/paper", data={ids["饭菜的口味"]: "3"}).status_code == 403
    login(client, people.clerk)
    for rating in ("3", "4"):
        assert client.post(f"/surveys/{survey.id}/paper", data={ids["饭菜的口味"]: rating}).status_code == 302
    found = surveys.results(survey)
    assert found.responses == 2 and found.questions[0].average == 3.5


def test_the_results_of_1500_answers(people):
    survey = make_survey(people, audience_size=2000)
    ids = by_text(survey)
    for n in range(1500):
        surveys.answer(
            survey,
            {
                ids["饭菜的口味"]: str(n % 5 + 1),
                ids["你觉得食堂的饭菜安全吗？"]: ("放心", "比较放心", "不放心")[n % 3],
                ids["凉拌黄瓜"]: "1" if n % 2 else "2",
                ids["红烧肉"]: "5",
                ids["你对食堂有什么建议？"]: "希望多一些水果" if n % 100 == 0 else "",
            },
            device_cookie=f"phone-{n}",
        )
    db.session.commit()
    found = surveys.results(survey)
    assert (found.responses, found.response_rate) == (1500, 75)
    taste, safe, suggestions, cucumber, pork = found.questions
    assert taste.average == 3.0 and taste.ratings[5] == 300
    assert safe.choices == {"放心": 500, "比较放心": 500, "不放心": 500}
    assert suggestions.texts == ["希望多一些水果"] * 15
    assert [r.question.text for r in found.dishes_least_liked] == ["凉拌黄瓜", "红烧肉"]
    assert cucumber.average == 1.5 and pork.average == 5.0


def test_the_canteens_action_and_the_report_back(client, people):
    survey = make_survey(people)
    surveys.answer(survey, {by_text(survey)["凉拌黄瓜"]: "1"}, device_cookie="phone")
    db.session.commit()
    login(client, people.director)
    done = client.post(
        f"/surveys/{survey.id}/actions", data={"action": "午餐轮换菜单中去掉凉拌黄瓜", "dish": "凉拌黄瓜"}
    )
    assert done.status_code == 302
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "午餐轮换菜单中去掉凉拌黄瓜" in page and "最不受欢迎的菜" in page
    pdf = client.get(f"/surveys/{survey.id}/report.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    assert "凉拌黄瓜" in text and "去掉凉拌黄瓜" in text and "收回 1 份" in text
    qr = client.get(f"/surveys/{survey.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def _answered(people, audience):
    survey = make_survey(people, audience=audience)
    surveys.answer(survey, {by_text(survey)["饭菜的口味"]: "5"}, device_cookie=f"phone-{survey.id}")
    db.session.commit()
    return survey


def test_a_semester_without_the_two_surveys_is_flagged(client, people):
    _answered(people, Audience.STUDENTS)
    make_survey(people, audience=Audience.PARENTS)  # never answered: it does not count
    login(client, people.principal)
    page = client.get("/surveys").get_data(as_text=True)
    assert "已完成 1 次问卷调查，应完成 2 次（师生 1 次，家长 0 次）" in page and "尚无家长的问卷调查" in page
    compliance = client.get("/compliance").get_data(as_text=True)
    assert "1/2" in compliance and "本学期已完成的问卷调查" in compliance


def test_two_student_surveys_are_not_the_parents_one(client, people):
    """The 指引 asks for one of 师生 and one of 家长: two of students fall short, one of each does."""
    for _n in range(2):
        _answered(people, Audience.STUDENTS)
    term = current_term(people.school.id, school_today(people.school))
    semester = survey_requirement.of_term(people.school, term)
    assert semester.held == 2 and not semester.met and [str(g) for g in semester.missing_groups] == ["家长"]
    _answered(people, Audience.PARENTS)
    assert survey_requirement.of_term(people.school, term).met
    _answered(people, Audience.TEACHERS)  # staff count as 师生
    assert survey_requirement.of_term(people.school, term).held_for("staff_and_students") == 3


def test_one_survey_may_ask_students_and_parents_and_counts_for_each(client, people):
    term = current_term(people.school.id, school_today(people.school))
    _answered(people, [Audience.STUDENTS, Audience.TEACHERS])  # both in 师生: counted once
    semester = survey_requirement.of_term(people.school, term)
    assert (semester.held_for("staff_and_students"), semester.held_for("parents"), semester.met) == (1, 0, False)
    _answered(people, [Audience.STUDENTS, Audience.PARENTS])
    semester = survey_requirement.of_term(people.school, term)
    assert (semester.held_for("staff_and_students"), semester.held_for("parents"), semester.held) == (2, 1, 3)
    assert semester.met
    login(client, people.principal)
    page = client.get("/surveys").get_data(as_text=True)
    assert "学生/家长" in page and "学生/教师" in page
    refused(lambda: make_survey(people, audience=[]), "学生、教师、家长")
    assert "asks_someone" in refused_by_the_database("UPDATE survey SET asks_students = false, asks_teachers = false")


def test_a_school_may_ask_for_more_surveys_never_fewer(people):
    settings = people.school.settings
    settings.surveys_per_semester = 1
    refused(lambda: schools.save_settings(people.clerk, settings, None), "《中小学校园食品安全和膳食经费管理工作指引》")
    assert "surveys_per_semester" in refused_by_the_database("UPDATE school_settings SET surveys_per_semester = 1")


def test_writing_surveys_is_for_the_clerk_and_the_director(client, people, create_user):
    for who in (people.cook, people.principal, create_user(Role.COUNTY_AUDITOR)):
        login(client, who)
        assert client.get("/surveys/new").status_code == 403
        assert client.post("/surveys/new", data={"title": "x"}).status_code == 403
    login(client, people.clerk)
    form = {
        "title": "家长满意度调查",
        "audiences": ["students", "parents"],
        "audience_size": "300",
        "closes_on": (school_today(people.school) + timedelta(days=10)).isoformat(),
        "questions": "评分：饭菜质量\n问题没有前缀",
    }
    bad = client.post("/surveys/new", data=form)
    assert (
        bad.status_code == 422
        and "第 2 行" in bad.get_data(as_text=True)
        and "问题没有前缀" in bad.get_data(as_text=True)
    )
    assert client.post("/surveys/new", data=form | {"questions": "评分：饭菜质量"}).status_code == 302
    assert db.session.scalar(sa.select(Survey)).audiences == [Audience.STUDENTS, Audience.PARENTS]
    nobody = client.post("/surveys/new", data={k: v for k, v in form.items() if k != "audiences"})
    assert nobody.status_code == 422 and "请选择谁来回答" in nobody.get_data(as_text=True)


def test_the_county_reads_a_schools_surveys(client, people, create_user):
    survey = make_survey(people)
    login(client, create_user(Role.COUNTY_AUDITOR))
    assert client.get("/surveys").status_code == 302
    page = client.get(f"/surveys?school={people.school.id}").get_data(as_text=True)
    assert survey.title in page and "新建" not in page
    assert client.get(f"/surveys/{survey.id}").status_code == 200
    assert client.post(f"/surveys/{survey.id}/close").status_code == 403
