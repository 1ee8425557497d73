"""Encrypted contact fields (minsheng/encrypted.py): ciphertext in the tables and their change history, text
in Python, the admin and the API; no searching inside them."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.urls import reverse

from minsheng import crypto
from org.models import Unit, User
from projects.models import Project
from proposals.models import Proposal
from supervision.models import Problem
from tests.factories import ProblemFactory, ProjectFactory, ProposalFactory
from tests.projects.test_admin import login

pytestmark = pytest.mark.django_db


def stored(model, pk, column, *, history=False):
    """The column's value as the database holds it (for history: every change-history row's)."""
    table = model.history.model._meta.db_table if history else model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608 (our names)
        values = [row[0] for row in cursor.fetchall()]
    return values if history else values[0]


def test_contact_fields_are_sm4_tokens_in_the_table_and_its_history(org):
    org.staff.phone = "13812345678"
    org.staff.save()
    project = ProjectFactory(plan__region=org.city, contact_person="王建国", contact_phone="0539-8888888")
    problem = ProblemFactory(project=project, reporter_name="张先生")
    proposal = ProposalFactory(proposer_name="李四")
    org.hrss.contact_phone = "0539-1234567"
    org.hrss.save()

    for model, pk, column, text in [
        (User, org.staff.pk, "phone", "13812345678"),
        (Project, project.pk, "contact_person", "王建国"),
        (Project, project.pk, "contact_phone", "0539-8888888"),
        (Problem, problem.pk, "reporter_name", "张先生"),
        (Proposal, proposal.pk, "proposer_name", "李四"),
        (Unit, org.hrss.pk, "contact_phone", "0539-1234567"),
    ]:
        raw = stored(model, pk, column)
        assert raw.startswith(f"sm4:{crypto.keyring().current_id}:"), (model, column)
        assert text not in raw
        assert crypto.decrypt_text(raw) == text
        assert getattr(model.objects.get(pk=pk), column) == text
        assert model.objects.filter(pk=pk).values_list(column, flat=True).get() == text
        history = stored(model, pk, column, history=True)
        assert history, (model, column)
        assert all(value == "" or value.startswith("sm4:") for value in history), (model, column)
        assert text in [crypto.decrypt_text(value) for value in history if value]


def test_bulletin_phones_are_encrypted(org):
    from bulletins.models import BulletinSettings

    settings_row = BulletinSettings.objects.create(
        region=org.city, office="临沂民生工作办公室", phone="8726095"
    )

    assert stored(BulletinSettings, settings_row.pk, "phone").startswith("sm4:")
    assert BulletinSettings.objects.get(pk=settings_row.pk).phone == "8726095"


def test_empty_values_stay_empty_and_can_be_filtered(org):
    org.staff.phone = "13812345678"
    org.staff.save()

    assert stored(User, org.leader.pk, "phone") == ""
    assert set(User.objects.filter(phone="").values_list("username", flat=True)) >= {"leader", "auditor"}
    assert "staff" not in set(User.objects.filter(phone="").values_list("username", flat=True))
    assert "staff" in set(User.objects.exclude(phone="").values_list("username", flat=True))


def test_searching_inside_an_encrypted_field_is_an_error_not_an_empty_result(org):
    with pytest.raises(FieldError, match="不能按内容查询"):
        list(User.objects.filter(phone="13812345678"))
    with pytest.raises(FieldError):
        list(Proposal.objects.filter(proposer_name__icontains="李"))
    with pytest.raises(FieldError):
        list(Project.objects.filter(contact_person__startswith="王"))


def test_queryset_update_and_bulk_update_encrypt_too(org):
    Unit.objects.filter(pk=org.hrss.pk).update(contact_phone="0539-1111111")
    assert stored(Unit, org.hrss.pk, "contact_phone").startswith("sm4:")

    org.edu.contact_phone = "0539-2222222"
    Unit.objects.bulk_update([org.edu], ["contact_phone"])
    assert stored(Unit, org.edu.pk, "contact_phone").startswith("sm4:")
    assert Unit.objects.get(pk=org.edu.pk).contact_phone == "0539-2222222"


def test_a_value_longer_than_max_length_is_refused_on_the_text(org):
    from django.core.exceptions import ValidationError

    org.staff.phone = "1" * 21  # the column holds the longer token; the rule is on the text
    with pytest.raises(ValidationError, match="phone"):
        org.staff.full_clean()


def test_a_row_written_in_clear_before_encryption_is_read_as_it_is(org):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_unit SET contact_phone = %s WHERE id = %s", ["0539-3333333", org.hrss.pk])

    assert Unit.objects.get(pk=org.hrss.pk).contact_phone == "0539-3333333"


def test_staff_see_the_names_in_the_admin_and_search_skips_them(client, org):
    ProposalFactory(round__region=org.city, proposer_name="欧阳修远", title="修缮老旧小区")
    login(client, org.staff)
    url = reverse("admin:proposals_proposal_changelist")

    page = client.get(url)
    assert page.status_code == 200
    assert "欧阳修远" in page.content.decode()

    by_title = client.get(url, {"q": "老旧小区"})
    by_name = client.get(url, {"q": "欧阳修远"})
    assert by_title.status_code == by_name.status_code == 200
    assert "修缮老旧小区" in by_title.content.decode()
    assert "修缮老旧小区" not in by_name.content.decode()  # the name is not searchable any more


def test_the_responsibility_list_searches_without_the_contact_person(client, org):
    ProjectFactory(plan__region=org.city, title="城区停车场", contact_person="王建国")
    login(client, org.staff)
    url = reverse("admin:supervision_responsibilityitem_changelist")

    page = client.get(url, {"q": "王建国"})
    assert page.status_code == 200
    assert "城区停车场" not in page.content.decode()
    listed = client.get(url)
    assert "王建国" in listed.content.decode()


def test_the_proposals_api_reads_the_name_and_its_search_leaves_it_out(org):
    from rest_framework.test import APIClient

    proposal = ProposalFactory(round__region=org.city, proposer_name="欧阳修远", title="修缮老旧小区")
    api = APIClient()
    api.force_authenticate(org.staff)

    detail = api.get(f"/api/v1/proposals/{proposal.pk}/")
    assert detail.status_code == 200
    assert detail.json()["proposer_name"] == "欧阳修远"
    search = api.get("/api/v1/proposals/", {"search": "欧阳修远"})
    assert search.status_code == 200
    assert search.json()["results"] == []
