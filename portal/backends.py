from django.contrib.auth import get_user_model
from django.contrib.auth.backends import AllowAllUsersModelBackend, BaseBackend
from django.core.cache import cache
from django.db import transaction

from portal.roles import PLAN_ADMIN_APPS, Role

UserModel = get_user_model()

# Every request needs the user and their office. They are kept in the shared cache (Redis in
# production) and dropped there whenever either is saved or deleted (portal/apps.py), at once and
# again after the commit; the time limit bounds what a request that read the old row just before
# a commit could put back.
USER_CACHE_SECONDS = 30


def user_cache_key(user_id) -> str:
    return f"portal:user:{user_id}"


def user_cache_drop(user_ids) -> None:
    keys = [user_cache_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


class LoginBackend(AllowAllUsersModelBackend):
    """Lets a deactivated user reach confirm_login_allowed() (which tells them why they can't
    log in), but never keeps one logged in: a session of a deactivated user is anonymous."""

    def get_user(self, user_id):
        # Every request loads the user; the office comes with it (pages use both).
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            try:
                user = UserModel._default_manager.select_related("office").get(pk=user_id)
            except (UserModel.DoesNotExist, ValueError, TypeError):
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        return user if user.is_active else None


class RolePermissionBackend(BaseBackend):
    """Grants Django model permissions from the role table, so no one hand-edits permissions.

    Plan administrators get every permission on the apps holding payer rules and code sets.
    It authenticates no one; it only answers permission questions.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or getattr(user_obj, "role", "") != Role.PLAN_ADMIN:
            return False
        app_label = perm.split(".", 1)[0]
        return app_label in PLAN_ADMIN_APPS or perm == "portal.view_accesslog"

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active or getattr(user_obj, "role", "") != Role.PLAN_ADMIN:
            return False
        return app_label in PLAN_ADMIN_APPS or app_label == "portal"
