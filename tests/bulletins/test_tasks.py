"""The build task (eager), the monthly beat entry and the build_bulletin command."""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from bulletins import services
from bulletins.choices import BulletinStatus
from bulletins.models import Bulletin, BulletinSettings
from bulletins.tasks import build_bulletin_task, build_monthly_bulletins_task
from tests.fixtures.bulletins import needs_poppler, pdf_text

pytestmark = pytest.mark.django_db


def test_build_task_creates_the_draft_once(org, small_plan):
    first = build_bulletin_task.delay(org.city.pk, 2016, 9, org.staff.pk).get()
    second = build_bulletin_task.delay(org.city.pk, 2016, 9, org.staff.pk).get()

    assert first == second == Bulletin.objects.get().pk


def test_build_task_leaves_an_issued_period_alone(org, draft, bulletin_media):
    services.issue_bulletin(draft, actor=org.staff, issued_on=datetime.date(2016, 10, 14))

    assert build_bulletin_task.delay(org.city.pk, 2016, 9).get() is None
    assert Bulletin.objects.count() == 1


def test_monthly_task_builds_last_months_draft_for_regions_that_ask(org, small_plan, make_project):
    BulletinSettings.objects.create(region=org.lanshan, office="兰山区民生办", auto_build=False)

    with time_machine.travel(datetime.datetime(2016, 10, 5, 7, tzinfo=datetime.UTC)):
        regions = build_monthly_bulletins_task.delay().get()

    assert regions == [org.city.pk]
    bulletin = Bulletin.objects.get()
    assert (bulletin.region, bulletin.year, bulletin.month, bulletin.status) == (
        org.city,
        2016,
        9,
        BulletinStatus.DRAFT,
    )


def test_monthly_beat_entry_is_collected():
    entry = settings.CELERY_BEAT_SCHEDULE["bulletins-monthly-drafts"]
    assert entry["task"] == "bulletins.tasks.build_monthly_bulletins_task"


@needs_poppler
def test_command_writes_a_draft_pdf(org, small_plan, tmp_path):
    out = tmp_path / "out" / "bulletin.pdf"
    stdout = io.StringIO()

    call_command(
        "build_bulletin",
        "--year",
        "2016",
        "--month",
        "9",
        "--region",
        "371300",
        "--out",
        str(out),
        stdout=stdout,
    )

    text = pdf_text(out).replace("\n", "")
    assert "1-9月份全市重点民生事项进展情况通报" in text
    assert "草稿" in text
    assert Bulletin.objects.get().status == BulletinStatus.DRAFT
    assert str(out) in stdout.getvalue()


@needs_poppler
def test_command_issue_and_later_runs_write_the_frozen_pdf(org, small_plan, tmp_path, bulletin_media):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    call_command(
        "build_bulletin",
        "--year",
        "2016",
        "--month",
        "9",
        "--out",
        str(first),
        "--issue",
        stdout=io.StringIO(),
    )

    call_command(
        "build_bulletin", "--year", "2016", "--month", "9", "--out", str(second), stdout=io.StringIO()
    )

    bulletin = Bulletin.objects.get()
    assert bulletin.status == BulletinStatus.ISSUED
    assert first.read_bytes() == second.read_bytes() == Path(bulletin.pdf.path).read_bytes()
    assert "第1期" in pdf_text(first).replace(" ", "")


def test_command_needs_a_region_when_several_have_plans(org, small_plan, make_project, tmp_path):
    make_project("L1", region=org.lanshan, lead_unit=org.lanshan_gov)

    with pytest.raises(CommandError, match="请用 --region 指定"):
        call_command("build_bulletin", "--year", "2016", "--month", "9", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="不存在"):
        call_command(
            "build_bulletin", "--year", "2016", "--month", "9", "--region", "999999", "--out", "x.pdf"
        )
