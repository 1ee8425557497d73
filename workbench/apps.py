from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The parts that join minsheng up: one login, each role's home, the 民生办 workbench, the change history
    and the navigation shared by the pages and the admin."""

    name = "workbench"
    verbose_name = "工作台"
