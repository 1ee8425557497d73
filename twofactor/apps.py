from django.apps import AppConfig


class TwofactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = "双因素认证"

    def ready(self):
        from django.contrib import admin
        from django.db.models.signals import post_delete, post_save
        from django_otp import device_classes

        from . import devices

        # Every device model (TOTP, recovery codes, SMS): the session's verified-device record follows the
        # row, so a reset (devices deleted) ends the verification of every session at its next request.
        for model in device_classes():
            post_save.connect(devices.device_saved, sender=model, dispatch_uid=f"twofactor_saved_{model}")
            post_delete.connect(
                devices.device_deleted, sender=model, dispatch_uid=f"twofactor_deleted_{model}"
            )

        # Devices hold secrets (TOTP keys, recovery codes): nobody browses them in the admin; resetting a
        # user's second factor (twofactor/admin.py) is the one power over them. The admin's autodiscovery
        # ran in its own ready(), before this one.
        for model in device_classes():
            if admin.site.is_registered(model):
                admin.site.unregister(model)
