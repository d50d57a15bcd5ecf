"""What several parts of the demo share: the school year, a moment of a day, a scanned paper, names."""

import io
from datetime import UTC, date, datetime, time, timedelta

from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from ..timeutil import zone

DEMO_PASSWORD = "demo-1234"  # noqa: S105 - the published demo password


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


GIVEN = ("子涵", "浩然", "欣怡", "宇轩", "梓萱", "俊杰", "思琪", "博文", "雨桐", "一鸣")


def term_start_of(today):
    """The first Monday of September of this school year."""
    year = today.year if today.month >= 8 else today.year - 1
    first = date(year, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def then(school, day, hour, now):
    """When a record of ``day`` was entered: that hour of the day, or now for today's."""
    return min(datetime.combine(day, time(hour), tzinfo=zone(school)).astimezone(UTC), now)


def scan(name):
    """A scanned ticket or certificate: a small grey image with the name of the paper."""
    image = Image.new("RGB", (320, 200), "#f2f2f2")
    ImageDraw.Draw(image).rectangle((10, 10, 310, 190), outline="#888888", width=3)
    data = io.BytesIO()
    image.save(data, "PNG")
    data.seek(0)
    return FileStorage(data, filename=name, content_type="image/png")
