"""The demo disclosure: 临沂 2016 published, an open survey with answers, idempotent."""

import pytest
from django.test import Client
from django.urls import reverse

from fixtures.demo.loader import load_demo
from publicity.models import ProjectPublication, Survey

pytestmark = pytest.mark.django_db


def test_demo_publishes_linyi_2016_with_an_open_survey():
    load_demo()
    assert ProjectPublication.objects.filter(is_published=True, project__plan__year=2016).count() == 10
    survey = Survey.objects.with_results().get(project__plan__year=2016)
    assert survey.is_open()
    assert survey.answers == 5
    assert survey.satisfaction_rate == pytest.approx(0.8)
    assert not load_demo().changed  # a second run writes nothing

    page = Client().get(reverse("publicity:disclosure-year", args=[2016])).content.decode()
    assert page.count('class="card project-card"') == 10
    assert "2016年临沂市十件民生大事" in page
