"""Benchmark: a survey's results page and its PDF with 1,500 answers.

    .venv/bin/python -m bench.surveys [--database-url URL] [--runs 7] [--answers 1500]

Seeds one school with a menu survey of 24 questions (20 dishes to rate, a rating, a choice,
two questions in words) answered by 1,500 phones, every question answered, a tenth of the
answers in words different from each other; inserted in bulk (the service's checks are
tested elsewhere). Measures the results page and the report back as a PDF as the clerk:
server time (median) and SQL statements of one request.
"""

import argparse
from datetime import UTC, date, datetime

import sqlalchemy as sa

from bench.common import QueryCounter, measure, migrated_app
from bench.seed import PASSWORD
from portal.extensions import db
from portal.models import Audience, Role, Survey, SurveyAnswer, SurveyResponse, Term
from portal.services import schools, surveys, users

TERM = (date(2026, 9, 1), date(2027, 1, 22))


def seed(answers):
    school = schools.create_school(None, name="问卷学校", county="郧西县")
    term = Term(school_id=school.id, name="2026年秋季学期", starts_on=TERM[0], ends_on=TERM[1])
    clerk = users.create_user(
        None, username="clerk", display_name="后勤", password=PASSWORD, roles=[Role.SCHOOL_ADMIN], school=school
    )
    questions = [f"菜品：菜品{n:02d}" for n in range(20)]
    questions += [
        "评分：饭菜的口味",
        "选择：饭菜安全吗？｜放心｜比较放心｜不放心",
        "文字：你的建议",
        "文字：你最不爱吃什么",
    ]
    survey = Survey(
        school_id=school.id,
        title="菜品满意度调查",
        audiences=[Audience.STUDENTS],
        audience_size=2000,
        closes_on=TERM[1],
        term=term,
        created_by=clerk,
        is_open=True,
    )
    survey.questions = surveys.parse_questions("\n".join(questions))
    for question in survey.questions:
        question.school_id = school.id
    db.session.add_all([term, survey])
    db.session.flush()
    now = datetime.now(UTC)
    db.session.execute(
        sa.insert(SurveyResponse),
        [
            {"school_id": school.id, "survey_id": survey.id, "device": f"{n:064d}", "submitted_at": now}
            for n in range(answers)
        ],
    )
    response_ids = db.session.scalars(sa.select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)).all()
    rows = []
    for n, response_id in enumerate(response_ids):
        for question in survey.questions:
            row = {
                "school_id": school.id,
                "response_id": response_id,
                "question_id": question.id,
                "choice": "",
                "text": "",
            }
            if question.kind.rated:
                row["rating"] = (n + question.position) % 5 + 1
            elif question.option_list:
                row["choice"] = question.option_list[n % 3]
            else:
                row["text"] = f"建议{n}" if n % 10 == 0 else "没有"
            rows.append(row)
    db.session.execute(sa.insert(SurveyAnswer), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return survey.id, len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--answers", type=int, default=1500)
    args = parser.parse_args()
    app, url = migrated_app(args.database_url, "portal-bench-surveys-")
    with app.app_context():
        counter = QueryCounter(db.engine)
        survey_id, rows = seed(args.answers)
    print(f"database: {url.split(':')[0]}; {args.answers} answer sheets, {rows} answers; median of {args.runs} runs")
    print(f"{'page':<16} {'ms':>8} {'queries':>8}")
    for label, path in (("results", f"/surveys/{survey_id}"), ("report PDF", f"/surveys/{survey_id}/report.pdf")):
        ms, queries = measure(app, counter, "clerk", path, args.runs)
        print(f"{label:<16} {ms:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
