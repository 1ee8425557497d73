"""Numbers as people write them, read by one parser in the filing form, the admin, the API and the importer;
and shown with separators in 万元/亿元 by one formatting helper."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from funding.models import Entry
from ledgers import cells
from minsheng import formatting, numbers
from projects.models import ProgressReport, Project
from tests.conftest import PASSWORD

HINT = "请输入数字，如 95,600、7.6亿、9640万"


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("95,600", "", Decimal("95600")),
        ("95，600", "", Decimal("95600")),
        ("１２３", "", Decimal("123")),
        (" 1 234.5 ", "", Decimal("1234.5")),
        ("9640万", "元", Decimal("96400000")),
        ("9640万元", "元", Decimal("96400000")),
        ("7.6亿", "元", Decimal("760000000")),
        ("7.6亿", "万元", Decimal("76000")),
        ("7.6亿元", "万元", Decimal("76000")),
        ("12", "万元", Decimal("12")),
        ("12万", "万元", Decimal("12")),
        ("3500元", "万元", Decimal("0.35")),
        ("9.3万", "人", Decimal("93000")),
        ("95,600人", "人", Decimal("95600")),
        ("9.3万", "万人", Decimal("9.3")),
        ("93000人", "万人", Decimal("9.3")),
        ("", "元", None),
        (None, "元", None),
    ],
)
def test_parse_reads_numbers_in_the_unit_of_the_field(raw, unit, expected):
    assert numbers.parse(raw, unit) == expected


@pytest.mark.parametrize("raw", ["abc", "9640万人", "7.6亿亿", "1.2.3", "万", "95.3%", "12公里"])
def test_parse_refuses_what_is_no_number(raw):
    with pytest.raises(numbers.NumberError):
        numbers.parse(raw, "元")


def test_importer_uses_the_same_parser():
    assert cells.money("9640万", "元") == Decimal("96400000.00")
    assert cells.money("7.6亿", "万元") == Decimal("760000000.00")
    assert cells.decimal("9.3万") == Decimal("93000.0000")
    with pytest.raises(cells.CellError, match="不是有效的数字"):
        cells.money("九千万", "元")


def test_form_field_takes_human_numbers_and_says_how_in_chinese():
    field = numbers.HumanDecimalField(unit="万元", max_digits=16, decimal_places=4, required=False)
    assert field.clean("7.6亿") == Decimal("76000")
    assert field.clean("") is None
    with pytest.raises(ValidationError) as refused:
        field.clean("七点六亿")
    assert refused.value.messages == [HINT]
    # A text input, so the browser lets "7.6亿" through; the saved value comes back without "12.0000".
    html = field.widget.render("x", field.prepare_value(Decimal("12.0000")))
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="12"' in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.0000"), "12"),
        (Decimal("95600"), "95,600"),
        (Decimal("1234.5000"), "1,234.5"),
        (None, "—"),
        (Decimal("-0.0001"), "-0.0001"),
    ],
)
def test_number_is_grouped_without_trailing_zeros(value, expected):
    assert formatting.number(value) == expected


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (Decimal("87825300"), "8,782.53万元"),
        (Decimal("760000000"), "7.6亿元"),
        (Decimal("18740000000"), "187.4亿元"),
        (Decimal("3500"), "0.35万元"),
        (None, "—"),
    ],
)
def test_money_is_shown_in_wan_or_yi(yuan, expected):
    assert formatting.money_grouped(yuan) == expected


def test_template_filters_render_figures_and_never_none():
    template = Template(
        "{% load figures %}{{ a|money }} {{ b|number }} {{ c|percent }} {{ d|money }} {{ a|wan }}"
    )
    figures = {"a": Decimal("96400000.00"), "b": Decimal("12.0000"), "c": Decimal("0.9133"), "d": None}
    context = Context(figures)
    assert template.render(context) == "9,640万元 12 91.3% — 9,640"


@pytest.mark.django_db
@pytest.mark.usefixtures("filing_day")
def test_filer_types_figures_as_written_on_paper(client, filing_project):
    client.force_login(filing_project.org.filer)
    targets = list(filing_project.targets.all())
    data = {
        "action": "save",
        "narrative": "春风行动",
        "problems": "",
        "next_steps": "",
        "investment_wan": "1.2亿",
        f"value_{targets[0].pk}": "4万",
        f"value_{targets[1].pk}": "３０，０００",
    }
    url = reverse("filing:report", kwargs={"pk": filing_project.pk, "month": 5})
    assert client.post(url, data).status_code == 302
    report = ProgressReport.objects.get(project=filing_project, month=5)
    assert report.investment_completed == Decimal("120000000.00")
    assert dict(report.values.values_list("target__name", "value")) == {
        "新增城镇就业": Decimal("40000"),
        "职业技能培训": Decimal("30000"),
    }
    page = client.get(url).content.decode()
    assert 'value="12000"' in page
    assert ".0000" not in page


@pytest.mark.django_db
@pytest.mark.usefixtures("filing_day")
def test_filing_form_refuses_words_with_a_chinese_hint(client, filing_project):
    client.force_login(filing_project.org.filer)
    targets = list(filing_project.targets.all())
    data = {"action": "save", "narrative": "", "investment_wan": "很多", f"value_{targets[0].pk}": "abc"}
    response = client.post(reverse("filing:report", kwargs={"pk": filing_project.pk, "month": 5}), data)
    assert response.status_code == 400
    assert response.content.decode().count(HINT) == 2
    assert not ProgressReport.objects.filter(project=filing_project, month=5).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("filing_day")
def test_filing_api_takes_written_numbers(client, filing_project):
    client.force_login(filing_project.org.filer)
    targets = list(filing_project.targets.all())
    body = {
        "project": filing_project.pk,
        "month": 5,
        "values": [{"target": targets[0].pk, "value": "4万"}, {"target": targets[1].pk, "value": 30000}],
        "investment_completed": "9640万",
    }
    response = client.post("/api/v1/filing/reports/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    report = ProgressReport.objects.get(project=filing_project, month=5)
    assert report.investment_completed == Decimal("96400000.00")
    assert report.values.get(target=targets[0]).value == Decimal("40000")
    body["investment_completed"] = "九千万"
    response = client.post("/api/v1/filing/reports/", body, content_type="application/json")
    assert response.status_code == 400
    assert HINT in str(response.json())


@pytest.mark.django_db
def test_funding_api_and_admin_take_written_amounts(client, org, poverty_project):
    assert client.login(username=org.staff.username, password=PASSWORD)
    body = {"project": poverty_project.pk, "kind": "arrival", "level": "central", "amount": "0.91亿"}
    response = client.post("/api/v1/funding/entries/", {**body, "date": "2016-03-10"})
    assert response.status_code == 201, response.json()
    assert Entry.objects.get().amount == Decimal("91000000.00")
    response = client.post("/api/v1/funding/entries/", {**body, "amount": "许多", "date": "2016-03-10"})
    assert response.status_code == 400
    assert HINT in str(response.json())

    data = {
        "project": poverty_project.pk,
        "kind": "arrival",
        "level": "province",
        "amount": "9,640万",
        "date": "2016-03-11",
        **{name: "" for name in ("document_number", "voucher", "purpose", "note", "recipient_unit")},
    }
    response = client.post(reverse("admin:funding_entry_add"), data)
    assert response.status_code == 302
    assert Entry.objects.get(level="province").amount == Decimal("96400000.00")


@pytest.mark.django_db
def test_project_admin_takes_planned_investment_as_written(client, org, make_project):
    project = make_project("01", targets={"新增城镇就业": 90000})
    assert client.login(username=org.staff.username, password=PASSWORD)
    url = reverse("admin:projects_project_change", args=[project.pk])
    form = client.get(url).context["adminform"].form
    assert form.fields["planned_investment"].widget.input_type == "text"
    assert isinstance(form.fields["planned_investment"], numbers.HumanDecimalField)
    field = form.fields["planned_investment"]
    assert field.clean("7.6亿") == Decimal("760000000")
    assert Project.objects.get(pk=project.pk).planned_investment is None
