"""How the names of a project relate: distribution, file and import names.

The one home of the ``-stubs`` rule (a stub-only package, PEP 561, is named
``<module>-stubs``, ships ``.pyi`` files and provides no import name of its own),
of the import name flit derives from a distribution name, and of the escaped
name that wheel and sdist file names carry. Pure string rules: no I/O, no
packaging (building from prepared metadata uses them too).
"""

from __future__ import annotations

STUBS_SUFFIX = "-stubs"


def split_stubs(name: str) -> tuple[str, bool]:
    """``(name without its '-stubs' suffix, whether it had one)``."""
    if name.endswith(STUBS_SUFFIX):
        return name[: -len(STUBS_SUFFIX)], True
    return name, False


def is_stubs(name: str) -> bool:
    """Whether ``name`` names a stub-only package."""
    return split_stubs(name)[1]


def init_files(module: str) -> tuple[str, ...]:
    """The files that make a folder the package ``module``, the one to name last:
    a stubs package may have an ``__init__.pyi`` instead of an ``__init__.py``."""
    return ("__init__.py", "__init__.pyi") if is_stubs(module) else ("__init__.py",)


def import_name_for(dist_name: str) -> str:
    """The import name flit derives from a distribution name: '-' becomes '_'.

    Case and dots are kept, as flit keeps them: ``zope.foo`` means the namespace
    portion ``zope/foo``; a ``-stubs`` suffix keeps its hyphen.
    """
    base, stubs = split_stubs(dist_name)
    return base.replace("-", "_") + (STUBS_SUFFIX if stubs else "")


def provided_import_names(module: str) -> tuple[str, ...]:
    """The import names the module provides (PEP 794): itself, unless it holds stubs."""
    return () if is_stubs(module) else (module,)


def namespaces_around(module: str) -> tuple[str, ...]:
    """The namespace packages a dotted module is a portion of, outermost first."""
    parts = module.split(".")
    return tuple(".".join(parts[:i]) for i in range(1, len(parts)))


def file_name(normalized_name: str) -> str:
    """The name as wheel and sdist file names carry it: the normalised name with
    '_' for '-' (the normalised name has no '_' of its own)."""
    return normalized_name.replace("-", "_")


def normalized_from_file_name(name: str) -> str:
    """The normalised name back from ``file_name``'s result."""
    return name.replace("_", "-")
