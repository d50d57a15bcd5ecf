"""The storeroom and the cold chain as a section of the period evidence: stock movements per
item, expired and disposed stock, the stocktakes and their differences, the temperature
readings missing and out of range; then every storeroom ledger as a table."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from ..i18n import amount_filter
from ..models.cold_chain import TemperatureReading
from ..models.storeroom import StockBatch, StockDisposal, StockIssue, Stocktake
from ..services import cold_chain, stocktakes, storeroom
from ..timeutil import add_months, school_today
from .ledgers import ledger_part, ledger_tables
from .parts import iso, money, sheet
from .tables import Table, column, label, moment, name_of, register


def _movements(tables):
    """Per item: put away, issued, disposed of, the stocktakes' differences and the value issued."""
    rows = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    units = {}

    def add(batch, column, quantity):
        units[batch.item.name] = batch.item.unit
        rows[batch.item.name][column] += quantity

    for batch in tables.standing("stock_batches"):
        add(batch, 0, batch.quantity)
    for issue in tables.standing("stock_issues"):
        add(issue.batch, 1, issue.quantity)
        rows[issue.batch.item.name][4] += issue.value or 0
    for disposal in tables.standing("stock_disposals"):
        add(disposal.batch, 2, disposal.quantity)
    for stocktake in tables.records["stocktakes"]:
        for line in stocktake.lines if stocktake.is_signed else ():
            add(line.batch, 3, line.difference)
    return sheet(
        _l("Stock movements per item"),
        (
            _l("Stock item"),
            _l("Unit"),
            _l("Put away"),
            _l("Issued"),
            _l("Disposed of"),
            _l("Stocktake"),
            _l("Value issued (yuan)"),
        ),
        [
            [name, units[name], *(storeroom.amount(q, "") for q in quantities[:4]), f"{quantities[4]:.2f}"]
            for name, quantities in sorted(rows.items())
        ],
    )


def _differences(tables):
    return sheet(
        _l("Stocktake differences"),
        (_l("Month"), _l("Stock item"), _l("Batch put away on"), _l("Book"), _l("Counted"), _l("Reason"), _l("Signed")),
        [
            [
                stocktake.month.strftime("%Y-%m"),
                line.batch.item.name,
                iso(line.batch.day),
                storeroom.amount(line.book, line.batch.item.unit),
                storeroom.amount(line.counted, line.batch.item.unit),
                line.reason,
                str(_l("Yes") if stocktake.is_signed else _l("No")),
            ]
            for stocktake in tables.records["stocktakes"]
            for line in stocktake.differences
        ],
    )


def _gaps(gaps):
    return sheet(
        _l("Temperature readings missing"),
        (_l("Date"), _l("Fridge or freezer"), _l("Readings missing")),
        [[iso(gap.day), gap.unit.name, gap.missing] for gap in gaps],
    )


def _expired_on_hand(school, last):
    """Batches on hand now whose last day of use was within or before the period."""
    return [row for row in storeroom.on_hand(school.id) if row.batch.expires_on and row.batch.expires_on < last]


def _ended_months(first, last):
    """The first days of the months that ended within first..last (a stocktake is at month end)."""
    month, months = first.replace(day=1), []
    while add_months(month, 1) - timedelta(days=1) <= last:
        if add_months(month, 1) - timedelta(days=1) >= first:
            months.append(month)
        month = add_months(month, 1)
    return months


def build_storeroom(section, scope):
    school = scope.school
    tables = ledger_tables("storeroom", scope)
    last_complete_day = min(scope.last, school_today(school) - timedelta(days=1))
    gaps = cold_chain.gaps([school], scope.first, last_complete_day)[school.id]
    excursions = [reading for reading in tables.standing("temperature_readings") if reading.out_of_range]
    months = stocktakes.months_due(school.id, _ended_months(scope.first, last_complete_day))
    signed = {stocktake.month for stocktake in tables.records["stocktakes"] if stocktake.is_signed}
    unsigned_months = [month for month in months if month not in signed]
    expired = _expired_on_hand(school, last_complete_day)
    summary = [
        (
            _l(
                "Stock movements: %(batches)d put away, %(issues)d issued, %(disposals)d disposed of.",
                batches=len(tables.standing("stock_batches")),
                issues=len(tables.standing("stock_issues")),
                disposals=len(tables.standing("stock_disposals")),
            ),
            "",
        ),
        (
            _l("Expired stock still on hand: %(n)d batches.", n=len(expired)),
            "、".join(f"{row.batch.item.name}（{iso(row.batch.expires_on)}）" for row in expired),
        ),
        (
            _l(
                "Monthly stocktakes signed: %(done)d of %(months)d months.",
                done=len(months) - len(unsigned_months),
                months=len(months),
            ),
            "、".join(month.strftime("%Y-%m") for month in unsigned_months),
        ),
        (
            _l(
                "Temperature readings: %(gaps)d gaps on %(days)d days; %(excursions)d out of range.",
                gaps=sum(gap.missing for gap in gaps),
                days=len({gap.day for gap in gaps}),
                excursions=len(excursions),
            ),
            "",
        ),
    ]
    leading = [_movements(tables), _differences(tables), _gaps(gaps)]
    return ledger_part(
        section,
        tables,
        summary,
        leading=leading,
        charts_heading=_l("Fridge and freezer readings"),
        charts=_charts(school, tables, scope.first, last_complete_day),
    )


def _charts(school, tables, first, last):
    """Each fridge and freezer's readings of the period as a chart, with its figures in words
    beside it (what the PDF's text search finds)."""
    if last < first:
        return []
    rounds = range(1, school.settings.temperature_readings_per_day + 1)
    readings = tables.standing("temperature_readings")
    charts = []
    for unit in cold_chain.units_of(school.id):
        of_unit = [reading for reading in readings if reading.unit_id == unit.id]
        by_day = {}
        for reading in of_unit:
            by_day.setdefault(reading.day, {})[reading.round] = reading
        values = [reading.temperature_c for reading in of_unit]
        text = _l(
            "%(unit)s (%(range)s): %(n)d readings, from %(lowest)s ℃ to %(highest)s ℃, %(out)d out of range.",
            unit=unit.name,
            range=unit.range_text,
            n=len(values),
            lowest=min(values, default="—"),
            highest=max(values, default="—"),
            out=sum(not unit.holds(value) for value in values),
        )
        charts.append((cold_chain.readings_chart(unit, by_day, first, last, rounds), text))
    return charts


def _quantity(record):
    return f"{amount_filter(record.quantity)}{record.batch.item.unit}"


register(
    Table(
        "stock_batches",
        "storeroom",
        (
            column(StockBatch.day, lambda b: iso(b.day)),
            column(StockBatch.item, lambda b: b.item.name),
            column(StockBatch.quantity, lambda b: f"{amount_filter(b.quantity)}{b.item.unit}"),
            column(StockBatch.unit_price, lambda b: money(b.unit_price)),
            column(_l("Production date or batch"), lambda b: b.batch or iso(b.production_date) or ""),
            column(StockBatch.expires_on, lambda b: iso(b.expires_on) or ""),
            column(StockBatch.storeroom, lambda b: b.storeroom),
            column(StockBatch.put_away_by, lambda b: name_of(b.put_away_by)),
        ),
        flag=lambda b: "" if b.unit_price is not None else str(_l("no price")),
        loads=("item", "put_away_by"),
    )
)

register(
    Table(
        "stock_issues",
        "storeroom",
        (
            column(StockIssue.day, lambda i: iso(i.day)),
            column(StockIssue.meal, lambda i: label(i.meal)),
            column(_l("Stock item"), lambda i: i.batch.item.name),
            column(_l("Batch put away on"), lambda i: iso(i.batch.day)),
            column(_l("Quantity"), _quantity),
            column(_l("Value (yuan)"), lambda i: money(i.value)),
            column(_l("Why this batch"), lambda i: i.reason),
            column(StockIssue.issued_by, lambda i: name_of(i.issued_by)),
        ),
        loads=("batch", "issued_by"),
    )
)

register(
    Table(
        "stock_disposals",
        "storeroom",
        (
            column(StockDisposal.day, lambda d: iso(d.day)),
            column(_l("Stock item"), lambda d: d.batch.item.name),
            column(_l("Use by"), lambda d: iso(d.batch.expires_on) or ""),
            column(_l("Quantity"), _quantity),
            column(StockDisposal.method, lambda d: d.method),
            column(StockDisposal.disposed_by, lambda d: name_of(d.disposed_by)),
            column(StockDisposal.witness, lambda d: name_of(d.witness)),
        ),
        loads=("batch", "disposed_by", "witness"),
    )
)

register(
    Table(
        "stocktakes",
        "storeroom",
        (
            column(Stocktake.month, lambda t: t.month.strftime("%Y-%m")),
            column(Stocktake.counted_on, lambda t: iso(t.counted_on)),
            column(_l("Batches counted"), lambda t: len(t.lines)),
            column(_l("Differences"), lambda t: len(t.differences)),
            column(Stocktake.keeper, lambda t: name_of(t.keeper)),
            moment(Stocktake.keeper_signed_at, "keeper_signed_at"),
            column(Stocktake.signed_by, lambda t: name_of(t.signed_by)),
            moment(Stocktake.signed_at, "signed_at"),
        ),
        flag=lambda t: "" if t.is_signed else str(_l("not signed")),
        loads=("lines", "keeper", "signed_by"),
    )
)

register(
    Table(
        "temperature_readings",
        "storeroom",
        (
            column(TemperatureReading.day, lambda r: iso(r.day)),
            column(TemperatureReading.unit, lambda r: r.unit.name),
            column(TemperatureReading.round, lambda r: r.round),
            column(TemperatureReading.temperature_c, lambda r: r.temperature_c),
            column(_l("Range"), lambda r: r.unit.range_text),
            column(TemperatureReading.action, lambda r: r.action),
            column(TemperatureReading.read_by, lambda r: name_of(r.read_by)),
        ),
        flag=lambda r: str(_l("out of range")) if r.out_of_range else "",
        loads=("unit", "read_by"),
    )
)
