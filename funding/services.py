"""Every write to a project's money: plan and adjust the split, record arrivals, disbursements and spending,
cancel a wrong entry. Admin, API, ledger imports and demo data all go through these functions.

Each runs in one transaction and locks the project's `FundingSource` row(s) with SELECT ... FOR UPDATE, so
two entries made at the same moment are applied one after the other and can never together push
disbursed above arrived or spent above disbursed. A refused entry raises `DomainError` (Chinese message,
stable code) and writes nothing.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from minsheng.errors import CommonErrorCode, DomainError, PermissionDenied
from minsheng.uploads import ATTACHMENT_EXTENSIONS, check_file
from org import access
from org.models import Unit
from projects.models import Project

from .choices import TOTAL_FIELD, EntryKind, SourceLevel
from .errors import FundingErrorCode
from .models import Entry, FundingSource, PlanAdjustment

MAX_AMOUNT = Decimal("1e16")  # 18 digits with 2 decimal places
CENT = Decimal("0.01")

# For each kind: the kind whose total it must not exceed (credit) and the kind that must not exceed it.
CREDIT_OF: dict[str, str] = {
    EntryKind.DISBURSEMENT: EntryKind.ARRIVAL,
    EntryKind.SPENDING: EntryKind.DISBURSEMENT,
}
DEBIT_OF = {credit: debit for debit, credit in CREDIT_OF.items()}
EXCEEDS_CODE: dict[str, FundingErrorCode] = {
    EntryKind.DISBURSEMENT: FundingErrorCode.DISBURSEMENT_EXCEEDS_ARRIVAL,
    EntryKind.SPENDING: FundingErrorCode.SPENDING_EXCEEDS_DISBURSEMENT,
}


def yuan(amount: Decimal) -> str:
    """An exact amount for messages: "1,234,567.80元"."""
    return f"{amount:,.2f}元"


def parse_amount(raw, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A money amount in yuan as Decimal; floats, text that is not a number, negatives and more than two
    decimal places are refused with a Chinese message."""
    if isinstance(raw, float):
        raise DomainError(
            "金额须为精确的十进制数（字符串或Decimal），不能使用浮点数。",
            code=FundingErrorCode.FLOAT_AMOUNT,
            field=field,
        )
    if isinstance(raw, bool) or raw is None or (isinstance(raw, str) and not raw.strip()):
        raise DomainError("请填写金额。", code=FundingErrorCode.AMOUNT_REQUIRED, field=field)
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise DomainError(
            f"“{raw}”不是有效的金额。", code=CommonErrorCode.NOT_A_NUMBER, field=field
        ) from None
    if not amount.is_finite():
        raise DomainError(f"“{raw}”不是有效的金额。", code=CommonErrorCode.NOT_A_NUMBER, field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(
            "金额必须大于零。" if not allow_zero else "金额不能为负数。",
            code=FundingErrorCode.NEGATIVE_AMOUNT,
            field=field,
        )
    if amount != amount.quantize(CENT):
        raise DomainError("金额最多保留两位小数（到分）。", code=FundingErrorCode.TOO_PRECISE, field=field)
    if amount >= MAX_AMOUNT:
        raise DomainError("金额超出范围。", code=FundingErrorCode.AMOUNT_TOO_LARGE, field=field)
    return amount.quantize(CENT)


def parse_level(raw) -> SourceLevel:
    """A source level by its value ("central") or its label ("中央"); anything else is refused."""
    for level in SourceLevel:
        if raw == level.value or raw == level.label:
            return level
    raise DomainError(f"未知的资金来源层级“{raw}”。", code=FundingErrorCode.UNKNOWN_LEVEL, field="level")


def _check_date(project: Project, date) -> datetime.date:
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise DomainError("请填写有效的日期。", code=CommonErrorCode.INVALID_DATE, field="date")
    year = project.plan.year
    if date.year != year:
        raise DomainError(
            f"日期须在项目计划年度（{year}年）内。", code=FundingErrorCode.DATE_OUTSIDE_YEAR, field="date"
        )
    if date > timezone.localdate():
        raise DomainError("日期不能晚于今天。", code=FundingErrorCode.DATE_IN_FUTURE, field="date")
    return date


def _require_staff(actor, project: Project) -> None:
    access.require("edit", actor, message="只有民生办工作人员可以登记和调整资金。")
    access.require("see", actor, project, message="您无权操作该项目。")


def _lock_sources(project: Project, levels) -> dict[str, FundingSource]:
    """Create the project's rows for `levels` if missing (race-free) and lock all of the project's rows."""
    FundingSource.objects.bulk_create(
        [FundingSource(project=project, level=level) for level in levels], ignore_conflicts=True
    )
    rows = FundingSource.objects.select_for_update().filter(project=project).order_by("level")
    return {row.level: row for row in rows}


def _lowest_balance_from(
    project: Project, level: str, credit: str, debit: str, date: datetime.date
) -> Decimal:
    """The lowest of (credits - debits) at the end of each day from `date` on, over active entries.

    A new debit of X dated `date` is possible when this is >= X: money cannot be passed on before it came in,
    on any day, not just in the year's total.
    """
    balance = Decimal("0")
    lowest = None
    by_day: dict[datetime.date, Decimal] = {}
    rows = (
        Entry.objects.active()
        .filter(project=project, level=level, kind__in=(credit, debit))
        .values_list("date", "kind", "amount")
    )
    for day, kind, amount in rows:
        by_day[day] = by_day.get(day, Decimal("0")) + (amount if kind == credit else -amount)
    for day in sorted(by_day):
        balance += by_day[day]
        if day >= date:
            lowest = balance if lowest is None else min(lowest, balance)
    # Before the first entry on or after `date`, the balance at `date` itself counts too.
    at_date = sum((v for d, v in by_day.items() if d <= date), Decimal("0"))
    return at_date if lowest is None else min(lowest, at_date)


CHAIN_WORDS: dict[str, tuple[str, str, str]] = {
    EntryKind.DISBURSEMENT: ("拨付", "到位", "已到位未拨付"),
    EntryKind.SPENDING: ("支出", "拨付", "已拨付未支出"),
}


def _require_room(source: FundingSource, project: Project, debit: str, amount: Decimal, date) -> None:
    """Refuse a debit (disbursement or spending) larger than what its credit left, on any day from `date`."""
    credit = CREDIT_OF[debit]
    verb, credit_word, room_word = CHAIN_WORDS[debit]
    level = source.get_level_display()
    total_credit = getattr(source, TOTAL_FIELD[credit])
    total_debit = getattr(source, TOTAL_FIELD[debit])
    room = min(total_credit - total_debit, _lowest_balance_from(project, source.level, credit, debit, date))
    if amount > room:
        raise DomainError(
            f"本次{verb}{yuan(amount)}超过{level}资金{room_word}的余额{yuan(max(room, Decimal('0')))}"
            f"（累计{credit_word}{yuan(total_credit)}，累计{verb}{yuan(total_debit)}；"
            f"按日期计算，{date:%Y-%m-%d}及以后不能超过当日{room_word}的金额）。未作任何修改。",
            code=EXCEEDS_CODE[debit],
            field="amount",
        )


def _move_total(source: FundingSource, kind: str, delta: Decimal) -> None:
    field = TOTAL_FIELD[kind]
    FundingSource.objects.filter(pk=source.pk).update(**{field: F(field) + delta})
    setattr(source, field, getattr(source, field) + delta)


@transaction.atomic
def record_entry(project: Project, *, kind, level, amount, date, actor, **details) -> Entry:
    """Record an arrival (到位), disbursement (拨付) or spending (支出) of one source level's money.

    `details`: document_number (文号), recipient_unit (拨付 only, required), voucher, purpose (支出,
    required), attachment, note. Refuses, writing nothing: an unknown kind or level, a bad amount, a date
    outside the plan year or in the future, a disbursement above what arrived or a spending above what was
    disbursed (per source level, and on every day from the entry's date on).
    """
    if kind not in EntryKind.values:
        raise DomainError(f"未知的资金流水类型“{kind}”。", code=FundingErrorCode.UNKNOWN_KIND, field="kind")
    kind = EntryKind(kind)
    level = parse_level(level)
    amount = parse_amount(amount)
    project = Project.objects.select_related("plan").get(pk=project.pk)
    _require_staff(actor, project)
    _check_date(project, date)
    recipient = details.get("recipient_unit")
    if kind == EntryKind.DISBURSEMENT:
        if recipient is None:
            raise DomainError(
                "拨付必须写明拨付至哪个实施单位。",
                code=FundingErrorCode.RECIPIENT_REQUIRED,
                field="recipient_unit",
            )
        if not Unit.objects.restrict(actor).filter(pk=recipient.pk).exists():
            raise PermissionDenied("拨付对象单位不在您的管辖范围内。")
    elif recipient is not None:
        raise DomainError(
            "只有拨付需要填写拨付单位。", code=FundingErrorCode.RECIPIENT_NOT_ALLOWED, field="recipient_unit"
        )
    if kind == EntryKind.SPENDING and not (details.get("purpose") or "").strip():
        raise DomainError("支出必须写明用途。", code=FundingErrorCode.PURPOSE_REQUIRED, field="purpose")
    attachment = details.get("attachment")
    if attachment and not getattr(attachment, "_committed", False):
        # The 文号 document or voucher: a document or a scanned photo, checked by content before storing.
        check_file(attachment, ATTACHMENT_EXTENSIONS, field="attachment")
    source = _lock_sources(project, [level])[level]
    if kind in CREDIT_OF:
        _require_room(source, project, kind, amount, date)
    entry = Entry(project=project, kind=kind, level=level, amount=amount, date=date, recorded_by=actor)
    for name in ("document_number", "recipient_unit", "voucher", "purpose", "attachment", "note"):
        value = details.get(name)
        if value is not None:
            setattr(entry, name, value.strip() if isinstance(value, str) else value)
    entry._history_user = actor
    entry.save()
    _move_total(source, kind, amount)
    return entry


def record_arrival(
    project: Project, *, level, amount, date, actor, document_number: str = "", **details
) -> Entry:
    """到位: money of one source level has arrived for the project (with its document number 文号)."""
    return record_entry(
        project, kind=EntryKind.ARRIVAL, level=level, amount=amount, date=date, actor=actor,
        document_number=document_number, **details,
    )  # fmt: skip


def record_disbursement(
    project: Project, *, level, amount, date, recipient_unit, actor, voucher: str = "", **details
) -> Entry:
    """拨付: arrived money passed on to the implementing unit; refused above what arrived and was not
    passed on yet."""
    return record_entry(
        project, kind=EntryKind.DISBURSEMENT, level=level, amount=amount, date=date, actor=actor,
        recipient_unit=recipient_unit, voucher=voucher, **details,
    )  # fmt: skip


def record_spending(
    project: Project, *, level, amount, date, purpose, actor, voucher: str = "", **details
) -> Entry:
    """支出: disbursed money spent for a purpose; refused above what was disbursed and is not yet spent."""
    return record_entry(
        project, kind=EntryKind.SPENDING, level=level, amount=amount, date=date, actor=actor,
        purpose=purpose, voucher=voucher, **details,
    )  # fmt: skip


@transaction.atomic
def cancel_entry(entry: Entry, *, actor, reason: str) -> Entry:
    """作废: a wrong entry stops counting (it stays, with who, when and why). Refused when cancelling an
    arrival or disbursement would leave more passed on than came in."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("作废必须说明原因。", code=CommonErrorCode.REASON_REQUIRED, field="cancel_reason")
    entry = Entry.objects.select_related("project__plan").get(pk=entry.pk)
    _require_staff(actor, entry.project)
    source = _lock_sources(entry.project, [entry.level])[entry.level]
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_cancelled:
        raise DomainError("该笔流水已作废。", code=FundingErrorCode.ALREADY_CANCELLED)
    if entry.kind in DEBIT_OF:
        debit = DEBIT_OF[entry.kind]
        # Removing a credit of X is a debit of X on the same day.
        room = min(
            getattr(source, TOTAL_FIELD[entry.kind]) - getattr(source, TOTAL_FIELD[debit]),
            _lowest_balance_from(entry.project, entry.level, entry.kind, debit, entry.date),
        )
        if entry.amount > room:
            verb = CHAIN_WORDS[debit][0]
            raise DomainError(
                f"作废后该{source.get_level_display()}资金的累计{verb}将超过累计{entry.get_kind_display()}，"
                f"请先作废相应的{verb}记录。未作任何修改。",
                code=FundingErrorCode.CANCEL_BREAKS_BALANCE,
            )
    entry.cancelled_at = timezone.now()
    entry.cancelled_by = actor
    entry.cancel_reason = reason
    entry._history_user = actor
    entry.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    _move_total(source, entry.kind, -entry.amount)
    return entry


def _parse_split(amounts: Mapping) -> dict[str, Decimal]:
    if not amounts:
        raise DomainError(
            "请填写各来源层级的计划金额。", code=FundingErrorCode.AMOUNTS_REQUIRED, field="amounts"
        )
    return {
        parse_level(level).value: parse_amount(value, allow_zero=True) for level, value in amounts.items()
    }


FIRST_PLAN_REASON = "首次录入资金计划"


@transaction.atomic
def plan_funding(project: Project, amounts: Mapping, *, actor, approval_document: str = "") -> PlanAdjustment:
    """The first planned split by source level ({level: amount in yuan}), recorded as an adjustment from
    nothing. Once anything is planned, a change goes through `adjust_plan` with a reason."""
    _require_staff(actor, project)
    split = _parse_split(amounts)
    rows = _lock_sources(project, split)
    if any(row.planned for row in rows.values()):
        raise DomainError(
            "该项目已有资金计划，修改须通过资金计划调整并说明理由。", code=FundingErrorCode.PLAN_EXISTS
        )
    return _change_plan(
        project, rows, split, actor=actor, reason=FIRST_PLAN_REASON, approval_document=approval_document
    )


def _split(rows: dict[str, FundingSource]) -> dict[str, str]:
    return {
        level: f"{rows[level].planned:.2f}"
        for level in SourceLevel.values
        if level in rows and rows[level].planned
    }


def _change_plan(
    project, rows, split, *, actor, reason, approved_by="", approval_document=""
) -> PlanAdjustment:
    before = _split(rows)
    for level, amount in split.items():
        row = rows[level]
        if row.planned != amount:
            row.planned = amount
            row._history_user = actor
            row.save(update_fields=["planned"])
    adjustment = PlanAdjustment(
        project=project,
        reason=reason,
        approved_by=(approved_by or "").strip(),
        approval_document=(approval_document or "").strip(),
        before=before,
        after=_split(rows),
        recorded_by=actor,
    )
    adjustment._history_user = actor
    adjustment.save()
    return adjustment


@transaction.atomic
def adjust_plan(
    project: Project,
    amounts: Mapping,
    *,
    actor,
    reason: str,
    approved_by: str = "",
    approval_document: str = "",
) -> PlanAdjustment:
    """Change the planned split ({level: new amount}; levels not named keep theirs), recorded with its
    reason and approval. The planned amount may fall below what already arrived: `checks.over_plan` then
    reports it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("调整资金计划必须说明理由。", code=CommonErrorCode.REASON_REQUIRED, field="reason")
    _require_staff(actor, project)
    split = _parse_split(amounts)
    rows = _lock_sources(project, split)
    if all(rows[level].planned == amount for level, amount in split.items()):
        raise DomainError("调整后的金额与原计划相同。", code=FundingErrorCode.NO_CHANGE)
    return _change_plan(
        project,
        rows,
        split,
        actor=actor,
        reason=reason,
        approved_by=approved_by,
        approval_document=approval_document,
    )
