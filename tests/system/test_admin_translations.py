"""The admin is in Chinese: django-unfold's own strings come from locale/zh_Hans (unfold ships no catalog)."""

import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@pytest.fixture
def zh():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Filters", "筛选"),
        ("Apply Filters", "应用筛选"),
        ("Clear all filters", "清除全部筛选"),
        ("Search apps and models...", "搜索应用和模型…"),
        ("No results found", "未找到结果"),
        ("Dark", "深色"),
        ("Light", "浅色"),
        ("System", "跟随系统"),
        ("Welcome back to", "欢迎登录"),
        ("Return to site", "返回网站"),
        ("Select action", "选择操作"),
        # Existing Django translations we override: ours must win (LOCALE_PATHS come first).
        ("Log out", "退出登录"),
        ("Delete selected %(model)s", "删除选中的%(model)s"),
        # Django 6.1's new blank choice of every select, not yet in its zh_Hans catalog.
        ("- Select an option -", "请选择"),
        ("No %s matches the given query.", "没有符合条件的%s。"),
        # django-filter ships zh_CN only.
        ("%s (descending)", "%s（降序）"),
        # Untranslated on purpose: Django resolves the untranslated name to the zh-hans date format.
        ("DATETIME_FORMAT", "DATETIME_FORMAT"),
    ],
)
def test_unfold_msgids_translate(zh, msgid, expected):
    assert translation.gettext(msgid) == expected


def test_plural_and_context(zh):
    assert translation.ngettext("%(counter)s result", "%(counter)s results", 1) == "%(counter)s 条结果"
    assert translation.ngettext("%(counter)s result", "%(counter)s results", 7) % {"counter": 7} == "7 条结果"
    assert translation.pgettext("verb", "impersonate") == "模拟登录"
    # Strings Django's own catalogs already translate well are left to them.
    assert translation.gettext("Save and continue editing") == "保存并继续编辑"


def test_compiled_catalog_matches_po_and_keeps_placeholders():
    po = (LOCALE_DIR / "django.po").read_text(encoding="utf-8")
    with open(LOCALE_DIR / "django.mo", "rb") as fp:
        catalog = gettext.GNUTranslations(fp)._catalog
    msgids = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    # The .mo is committed: it must be compiled from the current .po (one message per msgid line).
    assert len(msgids) == len(re.findall(r"^msgid ", po, flags=re.M)) - 1
    for key, msgstr in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04", 1)[-1]
        if not msgid:
            continue
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
        assert msgstr.startswith("\n") == msgid.startswith("\n"), msgid


def visible_text(body):
    """What a person reads: element text plus title/placeholder/aria-label/alt, less icon ligatures."""
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<span class="material-symbols-outlined[^"]*"[^>]*>[^<]*</span>', " ", body)
    attributes = re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', body)
    text = re.sub(r"<[^>]+>", "\n", body)
    lines = [html.unescape(line).strip() for line in text.splitlines()]
    return [line for line in lines + [html.unescape(a) for a in attributes] if line]


def english_words(lines):
    return [line for line in lines if re.search(r"[A-Za-z]{3,}", line)]


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    # /admin/login/ serves the one login of minsheng (workbench.views.LoginView), shared with the pages.
    response = client.get("/admin/login/")
    assert response.status_code == 200
    body = response.content.decode()
    for chinese in ["欢迎登录", "登录", "用户名", "密码", "返回网站"]:
        assert chinese in body
    lines = visible_text(body)
    for english in ["Welcome back to", "Log in", "Return to site", "Username", "Password", "Light", "Dark"]:
        assert english not in lines
    assert english_words(lines) == []


@pytest.mark.django_db
def test_admin_chrome_is_chinese(client, django_user_model):
    # The password change page carries the whole unfold chrome (sidebar search, shortcuts, theme switch)
    # without depending on which models the project registers.
    admin = django_user_model.objects.create_superuser(username="root", password="x-pass-123")
    client.force_login(admin)
    response = client.get("/admin/password_change/")
    assert response.status_code == 200
    body = response.content.decode()
    for chinese in ["搜索应用和模型…", "退出登录", "可用快捷键", "展开/收起侧边栏", "跟随系统", "修改密码"]:
        assert chinese in body
    lines = visible_text(body)
    for english in ["Search apps and models...", "Log out", "Available shortcuts", "Toggle sidebar"]:
        assert english not in lines

    # Signing out of the admin returns to the one login page.
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_admin_javascript_catalog_translates_the_date_shortcuts():
    # What /admin/jsi18n/ serves: the admin's djangojs catalog with ours (LOCALE_PATHS) merged over it.
    import django.contrib.admin
    from django.utils.translation.trans_real import DjangoTranslation

    catalog = DjangoTranslation(
        "zh-hans", domain="djangojs", localedirs=[Path(django.contrib.admin.__file__).parent / "locale"]
    )
    behind = catalog.ngettext(
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)",
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours behind.)",
        8,
    )
    note = behind % {"timezone": catalog.gettext("server"), "offset": 8}
    assert note == "注意：请按服务器时区填写时间（本机时间比它慢 8 小时）。"
    assert catalog.gettext("Today (%(date)s)") % {"date": "2026年十二月3日"} == "今天（2026年十二月3日）"
    assert catalog.gettext("Now") == "现在"  # Django's own translations stay


@pytest.mark.django_db
def test_history_of_a_change_without_a_user_reads_system(client, org):
    # Records written outside a request (the demo loader, imports, tasks) have no history user.
    client.force_login(org.admin)
    response = client.get(f"/admin/org/region/{org.lanshan.pk}/history/")
    assert response.status_code == 200
    lines = visible_text(response.content.decode())
    assert "系统" in lines
    assert "None" not in lines


@pytest.mark.django_db
def test_history_change_from_nothing_reads_empty_in_chinese(client, org):
    org.hrss.credit_code = "91371300MA3C00000X"
    org.hrss.save()
    client.force_login(org.admin)
    response = client.get(f"/admin/org/unit/{org.hrss.pk}/history/")
    lines = visible_text(response.content.decode())
    # The unfolding table of what changed: the field, its old value (none) and the new one.
    header = lines.index("新值")
    row = ["统一社会信用代码", "（空）", "91371300MA3C00000X"]
    assert lines[header - 2 : header + 4] == ["字段", "原值", "新值", *row]
    assert "None" not in lines


@pytest.mark.django_db
def test_old_version_of_a_record_has_no_dead_history_tab(client, org):
    client.force_login(org.admin)
    record = org.lanshan.history.first()
    response = client.get(f"/admin/org/region/{org.lanshan.pk}/history/{record.history_id}/")
    assert response.status_code == 200
    # The tab without an address ran a click handler of an undefined Alpine dropdown.
    assert "actionDropdownOpen" not in response.content.decode()


@pytest.mark.django_db
def test_relative_link_followed_from_an_old_version_lands_on_its_page(client, org):
    # The password button of a user's change form is "../password/"; on an old version it pointed
    # under history/ and answered 500.
    client.force_login(org.admin)
    response = client.get(f"/admin/org/user/{org.staff.pk}/history/password/")
    assert response.status_code == 302
    assert response["Location"] == "../../password/"
    assert client.get(f"/admin/org/user/{org.staff.pk}/password/").status_code == 200
