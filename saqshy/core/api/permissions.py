"""The API's single permission rule: the user's grants for this model and action.

Visibility is already decided by the queryset (``restrict(user, "view")``): what a user may
not see is a 404. This class decides what they may *do*: an action their role lacks, or a
change to a visible record outside the region they may change, is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

from saqshy.core.scoping import user_scope

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def action_for(request: Request, view: APIView) -> str:
    explicit: dict[str, str] = getattr(view, "scoped_actions", {})
    name = getattr(view, "action", None)
    if name in explicit:
        return explicit[name]
    return METHOD_ACTIONS.get(request.method or "GET", "view")


class ScopedActionPermission(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = _model_of(view)
        if model is None:
            return True
        return not user_scope(user, model, action_for(request, view)).empty

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        action = action_for(request, view)
        if action == "view":
            return True
        region_of = getattr(obj, "scope_region_id", None)
        agency_of = getattr(obj, "scope_agency_id", None)
        scope = user_scope(request.user, type(obj), action)
        return scope.covers(region_of() if region_of else None, agency_of() if agency_of else None)


def _model_of(view: APIView) -> Any:
    queryset = getattr(view, "queryset", None)
    return getattr(queryset, "model", None)
