"""The import names of ``[project]`` (PEP 794): ``import-names`` and
``import-namespaces`` checked against each other when pyproject.toml is read, and
against the modules the project ships once they are found."""

from __future__ import annotations

from collections.abc import Mapping

from . import names
from ._validate import Collector, is_import_name
from .fields import import_name
from .metadata import ImportName, Metadata


def _listed(c: Collector, project: Mapping[str, object], key: str) -> list[tuple[str, str]]:
    """(item key, import name without '; private') of ``[project] key`` (its mistakes
    are reported by its parser)."""
    found = []
    value = project.get(key, [])
    for item_key, entry in Collector(c.file).string_list(value, f"[project] {key}") or []:
        parsed = import_name(entry)
        if parsed is not None:
            found.append((item_key, parsed.name))
    return found


def check_lists(c: Collector, project: Mapping[str, object], dynamic: list[str]) -> None:
    """PEP 794: a name in both lists is an error; the names above a dotted one should be
    listed too, which a warning asks for."""
    own = _listed(c, project, "import-names")
    spaces = _listed(c, project, "import-namespaces")
    exclusive = {name for _, name in own}
    for item_key, name in spaces:
        if name in exclusive:
            c.error(
                item_key,
                f"{name!r} is in both import-names and import-namespaces, which PEP 794 forbids"
                " (a name is either provided by this project alone or shared with others);"
                " keep it in one of the two",
            )
    if "import-namespaces" in dynamic:
        return  # filled with every name above the modules
    listed = exclusive | {name for _, name in spaces}
    for item_key, name in own:
        missing = [n for n in names.namespaces_around(name) if n not in listed]
        if missing:
            c.warn(
                item_key,
                f"{name!r} is listed without"
                f" {' and '.join(map(repr, missing))}; PEP 794 asks for every name above a"
                " dotted one: add it to [project] import-namespaces if other projects share"
                " it, or to import-names if this project alone provides it (the whole folder"
                " is then packed)",
            )


def importable(c: Collector, key: str, found: tuple[str, ...]) -> tuple[ImportName, ...] | None:
    """The names a dynamic ``key`` gets, or None (the key stays unset) after an error.

    A module flit_core packs although Python cannot import it ('not-valid') has no
    import name to write: packaging, and so the index, refuse it."""
    bad = [n for n in found if not is_import_name(n)]
    if not bad:
        return tuple(map(ImportName, found))
    c.error(
        "[project] dynamic",
        f"{bad[0]!r} is not an importable module name, so it cannot be written as"
        f" an {'Import-Name' if key == 'import-names' else 'Import-Namespace'};"
        f' remove "{key}" from dynamic',
    )
    return None


def namespaces(modules: tuple[str, ...]) -> tuple[str, ...]:
    """The namespace packages around the modules, each once, sorted."""
    return tuple(sorted({n for m in modules for n in names.namespaces_around(m)}))


def check_against_modules(
    c: Collector, meta: Metadata, modules: tuple[str, ...], namespace_packages: tuple[str, ...]
) -> None:
    """Declared import names must describe the modules the project ships.

    A PEP 420 folder the project ships whole may be declared in import-namespaces
    (PEP 794: a name it provides, but not alone, since other projects can add to it)."""
    spaces = {n.name for n in meta.import_namespaces or ()}
    own = spaces & set(namespace_packages)
    expected = [
        n
        for m in modules
        if m not in own
        for n in names.provided_import_names(m)
        if is_import_name(n)
    ]
    expected_spaces = set(namespaces(modules)) | own
    found = [n.name for n in meta.import_names or ()]
    if "import-names" in meta.dynamic and own & set(found):
        c.error(
            "[project] dynamic",
            f"{sorted(own & set(found))[0]!r} is listed in import-namespaces, so it cannot also"
            " be filled into import-names (PEP 794 forbids a name in both lists); list the"
            ' modules inside it in import-names, or remove "import-names" from dynamic',
        )
        return
    # A listed submodule of a listed package (PEP 794) ships with the package.
    outermost = [n for n in found if not any(n.startswith(o + ".") for o in found)]
    # Any order: with several modules, [tool.*.module] name may pick a later one.
    if meta.import_names is not None and sorted(outermost) != sorted(expected):
        c.error(
            "[project] import-names",
            f"{found!r} does not match the module this project ships; write "
            f"import-names = {expected!r}",
        )
    if meta.import_namespaces is not None and spaces != expected_spaces:
        c.error(
            "[project] import-namespaces",
            f"{sorted(spaces)!r} does not match the namespace packages around "
            f"{', '.join(repr(m) for m in modules)}; "
            f"write import-namespaces = {sorted(expected_spaces)!r}",
        )
