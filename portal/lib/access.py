"""View decorators for role capabilities and for pages that show patient data."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers, patch_cache_control

from portal.roles import user_can


def capability_required(capability: str):
    """Login required, then the role must carry `capability` (else a 403 page with a way back)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not user_can(request.user, capability):
                raise PermissionDenied(f"Your role does not include {capability}.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def no_store(view):
    """Pages with patient data must not be kept by browsers or proxies."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapped
