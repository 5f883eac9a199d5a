"""``[project] requires-python``, ``dependencies`` and ``optional-dependencies``,
checked with packaging (imported only when a value needs it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._validate import Collector, quote_key

if TYPE_CHECKING:
    from ._vendor.packaging.requirements import Requirement
    from ._vendor.packaging.specifiers import SpecifierSet


def parse_requires_python(c: Collector, value: object, key: str) -> SpecifierSet | None:
    """``[project] requires-python``: a version specifier set (PEP 440)."""
    from ._vendor.packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = c.typed(value, str, key)
    if text is None:
        return None
    try:
        return SpecifierSet(text)
    except InvalidSpecifier as exc:
        c.error(key, f"{text!r} is not a valid version specifier, e.g. '>=3.9': {exc}")
        return None


def _requirement(c: Collector, text: str, key: str) -> Requirement | None:
    from ._vendor.packaging.requirements import InvalidRequirement, Requirement

    if not c.single_line(text, key):
        return None
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        detail = str(exc).splitlines()[0]
        c.error(key, f"{text!r} is not a valid requirement (PEP 508): {detail}")
        return None
    if requirement.extras:
        from ._vendor.packaging.utils import canonicalize_name

        # Extras are compared normalised (PEP 685), and flit_core writes them so.
        requirement.extras = {canonicalize_name(extra) for extra in requirement.extras}
    return requirement


def parse_dependencies(c: Collector, value: object, key: str) -> tuple[Requirement, ...]:
    """An array of requirements (PEP 508), each on a single line."""
    reqs = [_requirement(c, text, item_key) for item_key, text in c.string_list(value, key) or []]
    return tuple(r for r in reqs if r is not None)


def parse_optional_dependencies(
    c: Collector, value: object, key: str
) -> tuple[tuple[str, tuple[Requirement, ...]], ...] | None:
    """(extra, its requirements) in the order given, each extra normalised (PEP 685)."""
    from ._vendor.packaging.utils import InvalidName, canonicalize_name

    table = c.typed(value, dict, key)
    if table is None:
        return None
    extras: dict[str, tuple[Requirement, ...]] = {}
    for extra, items in table.items():
        extra_key = f"{key}.{quote_key(extra)}"
        try:
            normal = canonicalize_name(extra, validate=True)
        except InvalidName:
            c.error(
                extra_key, f"{extra!r} is not a valid extra name (letters, digits, '.', '-', '_')"
            )
            continue
        if normal in extras:
            c.error(
                extra_key,
                f"{extra!r} is the same extra as another one once normalised ({normal!r})",
            )
            continue
        reqs = [_requirement(c, text, k) for k, text in c.string_list(items, extra_key) or []]
        extras[normal] = tuple(r for r in reqs if r is not None)
    return tuple(extras.items())
