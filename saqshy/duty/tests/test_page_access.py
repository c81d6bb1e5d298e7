"""The inherited page tests (``core.testing.pages``) for the duty pages."""

from __future__ import annotations

from typing import Any

from saqshy.accounts.models import Agency, Region
from saqshy.core.testing.pages import ScopedPageTests
from saqshy.duty.models import Person, Post
from saqshy.duty.tests.factories import PersonFactory, PostFactory, PostNeedFactory, ShiftFactory


class PostPageTests(ScopedPageTests):
    model = Post
    list_url = "duty:posts"
    detail_url = "duty:post"

    def make_object(self, region: Region) -> Post:
        post: Post = PostFactory(region=region)
        PostNeedFactory(post=post)
        ShiftFactory(post=post, person=PersonFactory(agency=_police(region)))
        return post


class PersonPageTests(ScopedPageTests):
    model = Person
    list_url = "duty:personnel"
    detail_url = "duty:person"
    create_url = "duty:person-create"
    edit_url = "duty:person-edit"

    def make_object(self, region: Region) -> Person:
        person: Person = PersonFactory(agency=_police(region))
        return person

    def form_payload(self, region: Region) -> dict[str, Any]:
        return {
            "agency": _police(region).pk,
            "personnel_number": "P-77777",
            "first_name": "Dana",
            "last_name": "Seitkali",
            "position": "Sergeant",
            "weekly_hours": 36,
            "phone": "+77010000000",
            "active": "True",
        }


def _police(region: Region) -> Agency:
    agency: Agency = Agency.objects.get(code=f"police-{region.slug}")
    return agency
