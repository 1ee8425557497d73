from django.db import migrations
from django.utils import timezone


def start_the_clock(apps, schema_editor):
    """Accounts that exist before the password rules get their current hash as the first history entry,
    dated now: their 90 days start today rather than all expiring at once."""
    User = apps.get_model("org", "User")
    PasswordHistory = apps.get_model("accounts", "PasswordHistory")
    now = timezone.now()
    PasswordHistory.objects.bulk_create(
        PasswordHistory(user_id=pk, password=password, created=now)
        for pk, password in User.objects.exclude(password="").exclude(password__startswith="!").values_list(
            "pk", "password"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("org", "0001_initial"),
    ]

    operations = [migrations.RunPython(start_the_clock, migrations.RunPython.noop)]
