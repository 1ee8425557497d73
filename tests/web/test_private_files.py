"""Private files are served only through the access-checked view (minsheng/files.py): the storage's URL of
every uploaded file leads there, nobody outside the record's scope gets it (404), /media/ serves nothing,
nginx gets X-Accel-Redirect when configured, and each download is a security event."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.security_events import EventKind, security_event
from org.choices import Role
from org.models import User
from tests import samples
from tests.conftest import PASSWORD

PDF = samples.pdf()
PNG = samples.png()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(org):
    """Who tries: the owner side comes from each case; these are the outsiders."""
    org.edu_filer = User.objects.create_user(
        username="edu_filer", password=PASSWORD, unit=org.edu, role=Role.FILER
    )
    org.jinan_filer = User.objects.create_user(
        username="jinan_filer", password=PASSWORD, unit=org.jinan_office, role=Role.FILER
    )
    return org


def report_attachment(org, make_project, file_report, **_):
    from projects.models import ReportAttachment

    project = make_project("01", targets={"指标": 100})
    report = file_report(project, 5, {"指标": 10})
    attachment = ReportAttachment.objects.create(
        report=report, kind="photo", file=ContentFile(PNG, name="现场.png"), size=len(PNG)
    )
    return attachment.file, [org.filer, org.staff], [org.edu_filer]


def funding_entry(org, poverty_project, money, **_):
    entry = money(
        poverty_project,
        "arrival",
        "central",
        "100",
        "2016-03-01",
        attachment=SimpleUploadedFile("到位.pdf", PDF),
    )
    return entry.attachment, [org.staff], [org.edu_filer]


def proposal_attachment(org, collection_round, **_):
    from proposals import services
    from proposals.choices import ProposalSource

    data = {
        "proposer_name": "王五",
        "category": "health",
        "title": "社区卫生室",
        "description": "y" * 20,
        "attachment": SimpleUploadedFile("现场.png", PNG),
    }
    proposal = services.submit_proposal(collection_round, data, source=ProposalSource.LETTER, actor=org.staff)
    return proposal.attachments.get().file, [org.staff], [org.filer]


def decision_document(org, make_candidate, **_):
    from proposals.choices import DecisionOutcome, DecisionStage
    from proposals.models import DecisionStep

    step = DecisionStep.objects.create(
        candidate=make_candidate(),
        stage=DecisionStage.RISK,
        held_on=datetime.date(2016, 10, 20),
        outcome=DecisionOutcome.PASSED,
        social_risk="low",
        environmental_risk="low",
        fiscal_risk="low",
        document=ContentFile(PDF, name="评估报告.pdf"),
    )
    return step.document, [org.staff], [org.filer]


def evidence(org, make_project, **_):
    from supervision import services
    from supervision.choices import ProblemSource, Severity

    project = make_project("01", year=2026, targets={"指标": 100})
    problem = services.record_problem(
        actor=org.staff,
        source=ProblemSource.PUBLIC,
        project=project,
        description="工地夜间施工扰民",
        severity=Severity.MAJOR,
        found_on=datetime.date(2026, 10, 1),
    )
    services.plan_rectification(
        problem, actor=org.filer, measures="调整施工时间", deadline=datetime.date(2026, 10, 20)
    )
    item = services.add_evidence(problem, actor=org.filer, file=SimpleUploadedFile("整改.png", PNG))
    return item.file, [org.filer, org.staff], [org.edu_filer]


def inspection_photo(org, **_):
    from supervision.models import Inspection, InspectionPhoto

    inspection = Inspection.objects.create(
        kind="open", region=org.city, date=datetime.date(2016, 6, 1), title="明查", inspectors="张三"
    )
    photo = InspectionPhoto.objects.create(inspection=inspection, file=ContentFile(PNG, name="暗访.png"))
    return photo.file, [org.staff], [org.filer]


def ledger_import(org, **_):
    from ledgers.models import LedgerImport

    item = LedgerImport.objects.create(
        kind="progress",
        region=org.city,
        file=ContentFile(samples.office(), name="台账.xlsx"),
        original_name="台账.xlsx",
        created_by=org.staff,
    )
    return item.file, [org.staff], [org.jinan_filer]


KINDS = [
    report_attachment,
    funding_entry,
    proposal_attachment,
    decision_document,
    evidence,
    inspection_photo,
    ledger_import,
]


@pytest.fixture
def make_case(request, people):
    def make(builder):
        names = builder.__code__.co_varnames[: builder.__code__.co_argcount]
        fixtures = {name: request.getfixturevalue(name) for name in names if name != "org"}
        return builder(people, **fixtures)

    return make


@pytest.mark.parametrize("builder", KINDS, ids=lambda b: b.__name__)
def test_private_file_reaches_only_those_who_may_see_its_record(client, people, make_case, builder):
    fieldfile, owners, outsiders = make_case(builder)
    url = fieldfile.url
    assert url.startswith("/files/")
    assert not url.startswith("/media/")
    content = fieldfile.storage.open(fieldfile.name).read()

    assert client.get(url).status_code == 404  # anonymous
    assert client.get("/media/" + fieldfile.name).status_code == 404  # no public path, even if guessed
    for outsider in [*outsiders, people.jinan_staff]:
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider.username
    for owner in owners:
        client.force_login(owner)
        response = client.get(url)
        assert response.status_code == 200, owner.username
        assert b"".join(response.streaming_content) == content
        assert response["X-Content-Type-Options"] == "nosniff"
        image = fieldfile.name.endswith(".png")
        assert response["Content-Disposition"].startswith("inline" if image else "attachment")


def test_download_is_a_security_event(client, people, make_case):
    fieldfile, owners, _ = make_case(report_attachment)
    seen = []

    def listen(sender, **kwargs):
        seen.append(kwargs)

    security_event.connect(listen)
    try:
        client.force_login(owners[0])
        client.get(fieldfile.url)
        client.force_login(people.edu_filer)
        client.get(fieldfile.url)  # refused: not a download
    finally:
        security_event.disconnect(listen)
    downloads = [event for event in seen if event["kind"] == EventKind.DOWNLOAD]
    assert len(downloads) == 1
    assert downloads[0]["user"] == owners[0]
    assert downloads[0]["detail"]["file"] == "现场.png"
    assert downloads[0]["target"].startswith("projects.reportattachment:")


def test_behind_nginx_the_view_answers_with_x_accel_redirect(client, people, make_case, settings):
    settings.MINSHENG_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    fieldfile, owners, outsiders = make_case(funding_entry)
    client.force_login(owners[0])
    response = client.get(fieldfile.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/protected/funding/")
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(outsiders[0])
    refused = client.get(fieldfile.url)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


def test_the_filing_attachment_view_uses_the_same_answer(client, people, make_case):
    from projects.models import ReportAttachment

    fieldfile, owners, outsiders = make_case(report_attachment)
    attachment = ReportAttachment.objects.get()
    url = f"/filing/attachments/{attachment.pk}/"
    client.force_login(outsiders[0])
    assert client.get(url).status_code == 404
    client.force_login(owners[0])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_and_api_link_files_through_the_view(client, people, make_case):
    from tests.clients import VerifiedAPIClient as APIClient

    fieldfile, owners, _ = make_case(proposal_attachment)
    from proposals.models import ProposalAttachment

    proposal = ProposalAttachment.objects.get().proposal
    api = APIClient()
    api.force_authenticate(people.staff)
    body = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert "/files/proposals/" in str(body["attachments"])
    assert "/media/" not in str(body)


def test_staff_bulletin_download_is_a_security_event(client, org, draft):
    from django.urls import reverse

    seen = []

    def listen(sender, **kwargs):
        seen.append(kwargs)

    security_event.connect(listen)
    try:
        client.force_login(org.staff)
        response = client.get(reverse("admin:bulletins_bulletin_docx_detail", args=[draft.pk]))
    finally:
        security_event.disconnect(listen)
    assert response.status_code == 200
    downloads = [event for event in seen if event["kind"] == EventKind.DOWNLOAD]
    assert [event["target"] for event in downloads] == [f"bulletin:{draft.pk}"]
    assert downloads[0]["detail"]["file"].endswith(".docx")


def test_admin_file_widget_links_through_the_view(client, people, make_case):
    from django.urls import reverse

    from funding.models import Entry

    fieldfile, owners, _ = make_case(funding_entry)
    client.force_login(owners[0])
    page = client.get(reverse("admin:funding_entry_change", args=[Entry.objects.get().pk])).content.decode()
    assert fieldfile.url in page
    assert 'href="/media/' not in page
