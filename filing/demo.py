"""Demo data of filing: the Linyi 2016 plan files by the 5th of the next month, reminded 3 days before and
1 day after (the demo filer `tianbao` of 市人社局 sees its projects at /filing/)."""

from projects.demo import linyi_2016
from projects.models import Plan

from .models import FilingWindow

SEEDED_MODELS = [FilingWindow]


def load(loader) -> None:
    plan = Plan.objects.get(region__code=linyi_2016.PLAN["region"], year=linyi_2016.PLAN["year"])
    loader.upsert(FilingWindow, {"plan": plan}, due_day=5, remind_before_days=3, remind_after_days=1)


def load_current(loader, current) -> None:
    """The demo year's plans (projects/demo/current_year.py) file by the 5th of the next month too."""
    for plan in (current.plan, current.lanshan_plan):
        loader.upsert(FilingWindow, {"plan": plan}, due_day=5, remind_before_days=3, remind_after_days=1)
