from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "组织机构"

    def ready(self):
        from django.contrib.auth import models as auth_models
        from django.contrib.auth.signals import user_logged_in

        from .signals import record_last_login

        # Django's handler saves the user, which writes a history row (an empty "修改") at every sign-in;
        # ours updates the one column without a save. last_login is excluded from the user's history anyway.
        user_logged_in.disconnect(auth_models.update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="update_last_login")
