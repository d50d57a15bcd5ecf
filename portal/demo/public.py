"""The demo school's public pages: its notice published since the term began, and two complaints
through its code: one answered a day late (a confirmed problem, fixed and checked), one waiting."""

from datetime import UTC, datetime, time, timedelta

from ..models.public_notice import PublicNotice
from ..services import complaints, public_notice, rectification
from ..timeutil import utcnow, zone
from .common import term_start_of


def seed_public(school, members, today):
    director, cook = members["director"], members["cook1"]
    everything = dict.fromkeys(PublicNotice.SECTIONS, True)
    public_notice.save(members["clerk"], school, term_start_of(today), everything)

    def moment(days_ago, hour, minute=0):
        local = datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=zone(school))
        return local.astimezone(UTC)

    late = complaints.receive(
        school,
        "今天午餐的青菜是凉的，米饭也有点硬。",
        contact="13907310001",
        device_cookie="demo-phone-1",
        address="192.168.1.23",
        now=moment(10, 12, 40),
    )
    complaints.answer(
        director,
        late,
        "已核实：当天青菜出锅后放置过久，米饭加水偏少。食堂已改为分批炒制青菜，并调整蒸饭用水。已电话回复家长。",
        problem="青菜出锅后放置过久，出餐时偏凉",
        responsible=cook,
        now=moment(6, 9, 30),
    )
    [task] = [task for task in rectification.tasks_of(cook) if task.source is late]
    rectification.rectify(cook, task, "青菜改为每批 10 分钟内出餐，保温台加盖。", now=moment(6, 11))
    rectification.verify(director, task, now=moment(6, 12, 30))
    complaints.receive(
        school,
        "周三的红烧肉太咸了，孩子说吃不完。",
        device_cookie="demo-phone-2",
        address="192.168.1.57",
        now=min(moment(1, 13, 5), utcnow()),
    )
