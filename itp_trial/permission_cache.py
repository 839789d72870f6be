"""Each user's permissions, read from the database once and then kept in a shared cache until a role changes.

Django's ModelBackend reads a user's permissions with two queries on every request. Here they are read once per
user and kept in the "permissions" cache (Redis when the project has one, so every worker process sees the same
entries), under a key that names the user, the moment the account was created and whether it is a superuser.
Whatever can change what a user may do drops the entries: the user's groups or own permissions changing drops
the user's entry; a group's permissions changing, or a group or permission being deleted, starts a new
generation (every entry read before is ignored). Entries are dropped at once and again after the commit, so a
request that read the old permissions meanwhile cannot keep them. Without a reachable cache the permissions are
read from the database, as before.

The user's group names (what `roles.role_of` reads the study role from) are kept the same way, under their own
key, dropped with the permissions. Nothing read inside a transaction is kept: it may be rolled back.
"""

import logging
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete

log = logging.getLogger(__name__)

CACHE = "permissions"
GENERATION = "perms:generation"
TIMEOUT = 24 * 3600


def _key(user, kind: str = "perms") -> str:
    return f"{kind}:{user.pk}:{user.date_joined.timestamp():.6f}:{int(user.is_superuser)}"


def _in_transaction() -> bool:
    """Inside a transaction of the code's own: what it reads may never be committed. A test's enclosing block does
    not count; Django's durable atomic blocks tell them apart by the same mark."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _now_and_after_commit(action) -> None:
    action()
    transaction.on_commit(action)


def _quietly(action):
    def run():
        try:
            action()
        except Exception:  # an unreachable cache must not fail the write that changed a role
            log.warning("permissions cache unreachable", exc_info=True)
    return run


def user_forget(user) -> None:
    """Drop `user`'s cached permissions (now, and again when the transaction commits)."""
    keys = [_key(user), _key(user, "groups")]
    _now_and_after_commit(_quietly(lambda: caches[CACHE].delete_many(keys)))


def generation_new() -> None:
    """Ignore every cached permission set from now on (a group's or a permission's change)."""
    _now_and_after_commit(_quietly(lambda: caches[CACHE].set(GENERATION, uuid.uuid4().hex, None)))


def permissions_cached(user, load) -> set[str]:
    """The user's permissions from the cache, or `load()`ed and kept there (one round trip when cached)."""
    return _cached(user, "perms", load)


def group_names_cached(user, load) -> set[str]:
    """The names of the user's groups from the cache, or `load()`ed and kept there."""
    return _cached(user, "groups", load)


def _cached(user, kind: str, load) -> set[str]:
    cache, key = caches[CACHE], _key(user, kind)
    try:
        found = cache.get_many([GENERATION, key])
        generation = found.get(GENERATION)
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(GENERATION, generation, None):
                generation = cache.get(GENERATION)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return set(entry[1])
    except Exception:
        log.warning("permissions cache unreachable", exc_info=True)
        return load()
    found = load()
    if _in_transaction():
        return found
    try:
        cache.set(key, (generation, sorted(found)), TIMEOUT)
    except Exception:
        log.warning("permissions cache unreachable", exc_info=True)
    return found


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend (same login, same answers), with the permission sets kept in the shared cache."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = permissions_cached(
                user_obj, lambda: BaseBackend.get_all_permissions(self, user_obj))
        return user_obj._perm_cache


def _membership_changed(sender, instance, action, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        user_forget(instance)
    else:  # a group's members or permissions (or a permission's holders) changed
        generation_new()


def _deleted(sender, **kwargs):
    generation_new()


def connect() -> None:
    """Called once, from the project's app config."""
    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_membership_changed, sender=through, dispatch_uid=f"perm_cache_{through._meta.label}")
    for model in (Group, Permission):
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"perm_cache_delete_{model._meta.label}")
