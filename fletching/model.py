"""Validation: a pyproject mapping in, one frozen ``Config`` out (the types are in
``metadata.py``).

Nothing here touches the file system. ``parse_pyproject`` checks every static
value, one parser for each key (``fields``, ``people``, ``licenses``,
``requirements``, ``entry_points``), and records what still has to be read from
disk (readme file, license globs, the module's version and docstring);
``complete`` takes those facts and returns the final ``Metadata`` that the
renderers use. These, and ``partial.py`` (the tool table and the module's names
only, for the hooks that need no validated metadata), are the only places a
``Metadata`` is made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from . import _validate, import_lists, names
from ._validate import Collector, close_match, toml_string
from .entry_points import entry_point_groups, parse_entry_points, parse_scripts
from .errors import ConfigError, raise_all
from .fields import (
    parse_classifiers,
    parse_description,
    parse_import_names,
    parse_keywords,
    parse_readme,
    parse_urls,
    parse_version,
    parse_version_field,
)
from .licenses import License, parse_license, parse_license_files
from .metadata import Config, Metadata
from .people import parse_people
from .requirements import parse_dependencies, parse_optional_dependencies, parse_requires_python
from .tool_table import legacy_hint, parse_tool

T = TypeVar("T")

PROJECT_KEYS = (
    "name",
    "version",
    "description",
    "readme",
    "requires-python",
    "license",
    "license-files",
    "authors",
    "maintainers",
    "keywords",
    "classifiers",
    "urls",
    "scripts",
    "gui-scripts",
    "entry-points",
    "dependencies",
    "optional-dependencies",
    "dynamic",
    "import-names",
    "import-namespaces",
)
# The lists and tables of arbitrary entries a backend may add to when they are both
# given and listed in ``dynamic`` (PEP 808; a license string is extended with AND).
EXTENDABLE = (
    "authors", "maintainers", "classifiers", "dependencies", "entry-points", "scripts",
    "gui-scripts", "keywords", "license-files", "optional-dependencies", "urls",
    "import-names", "import-namespaces",
)  # fmt: skip
# Keys fletching can fill itself when they are listed in ``dynamic``.
FILLABLE = ("version", "description", "import-names", "import-namespaces")


def parse_pyproject(data: Mapping[str, object], file: str = "pyproject.toml") -> Config:
    """Validate a loaded pyproject.toml; raise ``ConfigError(s)`` listing every problem."""
    c = Collector(file)
    project = data.get("project")
    if project is None:
        hint = ""
        tool = data.get("tool")
        if (
            isinstance(tool, dict)
            and isinstance(tool.get("flit"), dict)
            and "metadata" in tool["flit"]
        ):
            hint = legacy_hint(tool["flit"])
        raise ConfigError(
            "there is no [project] table; fletching reads the project's metadata from it "
            "(https://packaging.python.org/en/latest/specifications/pyproject-toml/)" + hint,
            file=file,
        )
    if not isinstance(project, dict):
        raise ConfigError(
            f"expected a table, got {_validate.describe(project)}", file=file, key="[project]"
        )
    license = _field(c, project, "license", parse_license) or License()
    metadata = _parse_project(c, project, license)
    tool = parse_tool(c, data.get("tool", {}))
    license_patterns = parse_license_files(c, project, metadata, license)
    source = tool.version.source if tool.version is not None else None
    if source is not None and metadata is not None and "version" not in metadata.dynamic:
        c.error(
            "[tool.fletching.version] source",
            f"{toml_string(source)} sets the version, but [project] does not list"
            ' "version" in dynamic; add it there'
            + (" and remove [project] version" if metadata.version is not None else ""),
        )
    raise_all(c.errors)
    assert metadata is not None  # without a name, _parse_project recorded an error
    return Config(metadata, tool, license_patterns, license.file, tuple(c.warnings))


def _field(
    c: Collector,
    project: Mapping[str, object],
    key: str,
    parse: Callable[[Collector, object, str], T],
) -> T | None:
    """The parsed value of ``[project] key``, or None when the key is absent."""
    return parse(c, project[key], f"[project] {key}") if key in project else None


def _parse_project(
    c: Collector, project: Mapping[str, object], license: License
) -> Metadata | None:
    c.unknown_keys(project, PROJECT_KEYS, "[project]")
    dynamic = _parse_dynamic(c, project)
    name = project.get("name")
    identity = None
    if name is None:
        c.error(
            "[project] name", 'is required: give the distribution\'s name, e.g. name = "my-project"'
        )
    else:
        identity = _parse_name(c, name)
    # One parser for each key, in this order (the order of the messages).
    version = _field(c, project, "version", parse_version_field)
    if "version" not in project and "version" not in dynamic:
        c.error(
            "[project] version",
            'is required: set version = "1.0" or add "version" to [project] dynamic '
            "to read __version__ from the module",
        )
    description = _field(c, project, "description", parse_description)
    readme = _field(c, project, "readme", parse_readme)
    requires_python = _field(c, project, "requires-python", parse_requires_python)
    authors = _field(c, project, "authors", parse_people)
    maintainers = _field(c, project, "maintainers", parse_people)
    keywords = _field(c, project, "keywords", parse_keywords)
    classifiers = _field(c, project, "classifiers", parse_classifiers)
    urls = _field(c, project, "urls", parse_urls)
    scripts = _field(c, project, "scripts", parse_scripts)
    gui_scripts = _field(c, project, "gui-scripts", parse_scripts)
    entry_points = _field(c, project, "entry-points", parse_entry_points)
    dependencies = _field(c, project, "dependencies", parse_dependencies)
    optional = _field(c, project, "optional-dependencies", parse_optional_dependencies)
    import_names = _field(c, project, "import-names", parse_import_names)
    import_namespaces = _field(c, project, "import-namespaces", parse_import_names)
    import_lists.check_lists(c, project, dynamic)
    if identity is None:
        return None
    return Metadata(
        name=identity[0],
        normalized_name=identity[1],
        version=version,
        description=description,
        readme=readme,
        requires_python=requires_python,
        license_expression=license.expression,
        license_text=license.text,
        authors=authors or (),
        maintainers=maintainers or (),
        keywords=keywords or (),
        classifiers=classifiers or (),
        urls=urls or (),
        entry_points=entry_point_groups(scripts, gui_scripts, entry_points),
        dependencies=dependencies or (),
        optional_dependencies=optional or (),
        dynamic=frozenset(dynamic),
        import_names=import_names,
        import_namespaces=import_namespaces,
    )


def _parse_dynamic(c: Collector, project: Mapping[str, object]) -> list[str]:
    entries = c.string_list(project.get("dynamic", []), "[project] dynamic") or []
    dynamic = []
    for key, entry in entries:
        if entry not in PROJECT_KEYS or entry == "dynamic":
            c.error(key, f"{entry!r} is not a [project] key{close_match(entry, PROJECT_KEYS)}")
        elif entry == "name":
            c.error(key, 'the name cannot be dynamic; write name = "..." in [project]')
        elif entry in project:
            c.error(key, _static_and_dynamic(entry, project[entry]))
        elif entry not in FILLABLE:
            c.error(
                key,
                f"fletching cannot fill {entry!r} dynamically (it fills "
                f"{', '.join(FILLABLE)}); write [project] {entry} statically",
            )
        elif entry in dynamic:
            # flit_core reads dynamic as a set; nothing is lost.
            c.warn(
                key,
                f"{entry!r} is listed twice; list each key once, e.g."
                f" dynamic = [{toml_string(entry)}]",
            )
        else:
            dynamic.append(entry)
    return dynamic


def _static_and_dynamic(entry: str, value: object) -> str:
    """Why a key both given and listed in dynamic is refused. PEP 808 lets a backend add
    to a list or table so listed, and lets it warn or refuse where it adds nothing."""
    both = f"{entry!r} is both given in [project] and listed in dynamic"
    if entry in EXTENDABLE or (entry == "license" and isinstance(value, str)):
        return (
            f"{both}: PEP 808 lets a backend add entries to a list or table listed so, but"
            f" fletching adds none to {entry!r}; remove it from dynamic"
        )
    return (
        f"{both}, which the pyproject specification forbids for a string or a fixed table"
        " (PEP 808 allows it for lists and tables a backend adds to); remove one of the two"
    )


def _parse_name(c: Collector, value: object) -> tuple[str, str] | None:
    """(the name as given, its normalised form), or None after an error."""
    from ._vendor.packaging.utils import InvalidName, canonicalize_name

    name = c.typed(value, str, "[project] name")
    if name is None:
        return None
    try:
        return name, canonicalize_name(name, validate=True)
    except InvalidName:
        c.error(
            "[project] name",
            f"{name!r} is not a valid distribution name: use ASCII letters, digits, "
            "'.', '-' and '_', starting and ending with a letter or digit",
        )
        return None


def complete(
    config: Config,
    *,
    version: str | None = None,
    description: str | None = None,
    readme_text: str | None = None,
    license_files: tuple[str, ...] = (),
    module_names: tuple[str, ...] = (),
    namespace_packages: tuple[str, ...] = (),
    source: str = "the module",
) -> Metadata:
    """Fill in what was read from disk and return the final, renderable metadata.

    ``namespace_packages`` are the modules that are PEP 420 folders (no __init__)."""
    meta = config.metadata
    c = Collector("pyproject.toml")
    if "version" in meta.dynamic:
        # None: the step that reads it failed, and said why; the caller raises that.
        parsed = None if version is None else parse_version(version)
        if parsed is None and version is not None:
            # Kept with the others: the checks below still run.
            c.errors.append(
                ConfigError(
                    f"__version__ = {version!r} is not a valid version (PEP 440)",
                    file=source,
                    key="__version__",
                )
            )
        version = parsed
    else:
        version = meta.version
    readme = meta.readme
    if readme is not None and readme.text is None:
        readme = readme._replace(text=readme_text or "")
    import_names, import_namespaces = meta.import_names, meta.import_namespaces
    if module_names:
        if "import-names" in meta.dynamic:
            provided = (n for m in module_names for n in names.provided_import_names(m))
            import_names = import_lists.importable(c, "import-names", tuple(provided))
        if "import-namespaces" in meta.dynamic:
            import_namespaces = import_lists.importable(
                c, "import-namespaces", import_lists.namespaces(module_names)
            )
    result = meta._replace(
        version=version,
        description=description if "description" in meta.dynamic else meta.description,
        readme=readme,
        license_files=license_files,
        import_names=import_names,
        import_namespaces=import_namespaces,
    )
    if module_names:
        import_lists.check_against_modules(c, result, module_names, namespace_packages)
    raise_all(c.errors)
    return result
