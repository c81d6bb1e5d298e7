"""No page, API view or template reaches scoped rows through a relation without ``restrict()``.

Seeing a record is not seeing everything hung on it: a post's shifts belong to the agencies of
the people on them, a user's grants to that user. Product code walks a relation to a scoped
model only through ``core.scoping.restricted`` (one record) or ``restricted_prefetch`` (a page
of records, or an API viewset's ``related_rows``). This test reads the code and lists every
walk that does not, so a new view cannot forget it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.test import SimpleTestCase

PACKAGE = Path(__file__).resolve().parents[2]

# (file relative to the package, relation): walks that are safe without restrict(), and why.
ALLOWED = {
    # The signed-in user's own grants: who they are, not rows of a region.
    ("accounts/api/views.py", "grants"),
    ("situation/views.py", "grants"),
    ("accounts/api/serializers.py", "grants"),
    ("incidents/views.py", "grants"),
    # Whether an incident already in scope has units on it (exists(): decides its buttons).
    ("incidents/views.py", "assignments"),
    # A violation picked from an inspection the viewset has already scoped (same region).
    ("inspections/api/views.py", "violations"),
    # An alert's own language blocks and areas: parts of the one alert already in scope, in its
    # region by construction (their scope is ``alert__region``), written and published with it.
    ("alerts/views.py", "infos"),
    ("alerts/views.py", "areas"),
    ("alerts/api/views.py", "infos"),
    ("alerts/api/views.py", "areas"),
    ("alerts/api/serializers.py", "infos"),
    ("alerts/api/serializers.py", "areas"),
    # An assessment's own checklist answers: parts of the one assessment already in scope
    # (their scope is ``assessment__facility__region``), written and completed with it.
    ("protection/views.py", "answers"),
}
# Methods on a related manager (or a queryset) that read rows.
_ROW_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "get",
        "first",
        "last",
        "order_by",
        "select_related",
        "prefetch_related",
        "values",
        "values_list",
        "count",
        "exists",
        "aggregate",
        "annotate",
        "iterator",
        "only",
        "defer",
        "distinct",
    }
)
_HELPERS = frozenset({"restricted", "restricted_prefetch"})


def scoped_relations() -> frozenset[str]:
    """Accessor names of every reverse or many-to-many relation that leads to a scoped model."""
    names = set()
    for model in apps.get_models():
        if not model.__module__.startswith("saqshy."):
            continue
        for field in model._meta.get_fields():
            if not (field.one_to_many or field.many_to_many):
                continue
            target = field.related_model
            scoped = any(
                getattr(target, attr, None) is not None
                for attr in ("scope_region_field", "scope_agency_field")
            )
            if scoped:
                names.add(field.get_accessor_name() if field.auto_created else field.name)
    return frozenset(names)


def product_files() -> list[Path]:
    found: set[Path] = set()
    for pattern in ("**/views.py", "*/api/*.py"):
        found.update(PACKAGE.glob(pattern))
    found.update(PACKAGE.glob("**/templates/**/*.html"))
    return sorted(found)


def _helper_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name in _HELPERS


def python_walks(source: str, relations: frozenset[str]) -> list[tuple[int, str]]:
    """``(line, relation)`` for each unrestricted walk in Python source.

    A walk is ``obj.<relation>.<row method>`` not inside a helper call, or a lookup string
    through a scoped relation handed to ``prefetch_related`` or ``Prefetch``.
    """
    tree = ast.parse(source)
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if _helper_call(node):
            guarded.update(id(inner) for inner in ast.walk(node))
    walks = []
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _ROW_METHODS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in relations
            and not (isinstance(node.value.value, ast.Name) and node.value.value.id == "saqshy")
        ):
            walks.append((node.lineno, node.value.attr))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in ("prefetch_related", "Prefetch"):
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    hit = next((p for p in arg.value.split("__") if p in relations), None)
                    if hit:
                        walks.append((node.lineno, hit))
    return walks


def template_walks(source: str, relations: frozenset[str]) -> list[tuple[int, str]]:
    """``(line, relation)`` for each ``obj.<relation>.all`` (or ``.count`` …) in a template."""
    pattern = re.compile(
        r"\b\w+\.(" + "|".join(sorted(relations)) + r")\.(all|count|exists|first|last)\b"
    )
    return [
        (source.count("\n", 0, match.start()) + 1, match.group(1))
        for match in pattern.finditer(source)
    ]


def nested_relations(source: str, relations: frozenset[str]) -> list[tuple[int, str]]:
    """``(line, relation)`` for each ``rel = XSerializer(many=True)`` of a model serializer
    (plain serializers describe computed answers, not relations)."""
    nested = []
    for cls in ast.walk(ast.parse(source)):
        if not isinstance(cls, ast.ClassDef):
            continue
        if not any("ModelSerializer" in ast.unparse(base) for base in cls.bases):
            continue
        for node in cls.body:
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
                continue
            func = node.value.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            many = any(
                k.arg == "many" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in node.value.keywords
            )
            for target in node.targets:
                named = isinstance(target, ast.Name) and target.id in relations
                if named and many and name.endswith("Serializer"):
                    nested.append((node.lineno, target.id))
    return nested


def prefetched_relations(source: str) -> set[str]:
    """The keys of every ``related_rows = {...}`` in an API views module."""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        value = getattr(node, "value", None)
        targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
        named = any(isinstance(t, ast.Name) and t.id == "related_rows" for t in targets)
        if named and isinstance(value, ast.Dict):
            keys.update(str(k.value) for k in value.keys if isinstance(k, ast.Constant))
    return keys


def unprefetched_nesting() -> list[str]:
    """Nested serializers of scoped relations that no viewset prefetches through the helper."""
    relations = scoped_relations()
    found = []
    for serializers in sorted(PACKAGE.glob("*/api/serializers.py")):
        views = serializers.with_name("views.py")
        restricted = (
            prefetched_relations(views.read_text(encoding="utf-8")) if views.exists() else set()
        )
        relative = serializers.relative_to(PACKAGE).as_posix()
        for line, relation in nested_relations(serializers.read_text(encoding="utf-8"), relations):
            if relation not in restricted and (relative, relation) not in ALLOWED:
                found.append(f"{relative}:{line} nests .{relation} not in any related_rows")
    return found


def unrestricted_walks() -> list[str]:
    relations = scoped_relations()
    found = unprefetched_nesting()
    for path in product_files():
        relative = path.relative_to(PACKAGE).as_posix()
        source = path.read_text(encoding="utf-8")
        scan = python_walks if path.suffix == ".py" else template_walks
        for line, relation in scan(source, relations):
            if (relative, relation) not in ALLOWED:
                found.append(f"{relative}:{line} walks .{relation} without restricted()")
    return found


class RelatedRowsAreRestrictedTests(SimpleTestCase):
    def test_no_view_api_or_template_walks_a_scoped_relation_unrestricted(self) -> None:
        self.assertEqual(unrestricted_walks(), [])

    def test_the_scan_sees_the_walks_it_is_meant_to_refuse(self) -> None:
        relations = scoped_relations()
        self.assertIn("shifts", relations)
        self.assertNotIn("districts", relations, "reference data is not scoped")
        old_post_page = 'shifts = post.shifts.select_related("person").order_by("starts_at")'
        self.assertEqual(python_walks(old_post_page, relations), [(1, "shifts")])
        fixed = 'shifts = restricted(user, post.shifts).select_related("person")'
        self.assertEqual(python_walks(fixed, relations), [])
        prefetch = 'Post.objects.prefetch_related("needs__agency", Prefetch("shifts"))'
        self.assertEqual(python_walks(prefetch, relations), [(1, "needs"), (1, "shifts")])
        self.assertEqual(python_walks('restricted_prefetch(u, "needs", q)', relations), [])
        page = "{% for need in post.needs.all %}{{ need }}{% endfor %}"
        self.assertEqual(template_walks(page, relations), [(1, "needs")])
        self.assertEqual(template_walks("{{ line.units.label }}", relations), [])
        nested = "class S(ModelSerializer):\n    needs = NeedSerializer(many=True, read_only=True)"
        self.assertEqual(nested_relations(nested, relations), [(2, "needs")])
        answer = "class S(Serializer):\n    results = RowSerializer(many=True)"
        self.assertEqual(nested_relations(answer, relations), [])
        views = 'class V:\n    related_rows = {"needs": PostNeed.objects.all()}'
        self.assertEqual(prefetched_relations(views), {"needs"})
