"""What ``get_requires_for_build_*`` asks a frontend to install.

Nothing, unless ``[project] dynamic`` lists the version or the description and the
module gives them only by being imported; then the project's dependencies, as
written, because the build hook that imports the module may need them (flit_core
4.2 answers the same). This hook validates nothing else: the build hook that
follows validates the whole configuration, and the frontend validates what it
installs. It never imports packaging, trove-classifiers or the model.

The classic flit project (one module named after the project, ``__version__`` and
the docstring written in it) is answered from the TOML and the module's source
alone; anything else takes the general way, through the tool table and discovery.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


def build_requires(root: str, raw: bytes | None) -> list[str]:
    """``raw`` is pyproject.toml's content (None: it could not be read)."""
    data = _parsed(raw)
    answer = _classic(root, data) if data is not None else None
    if answer is not None:
        return answer
    from pathlib import Path

    return _build_requires(Path(root), raw, data)


def _parsed(raw: bytes | None) -> dict[str, object] | None:
    """pyproject.toml's tables, or None: the general way reports what is wrong."""
    from .toml import loads

    try:
        return None if raw is None else loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and TOMLDecodeError too
        return None


def _build_requires(root: Path, raw: bytes | None, data: dict[str, object] | None) -> list[str]:
    from ._validate import Collector
    from .config import read_pyproject
    from .errors import raise_all
    from .locate import locate_module
    from .module_info import read_static
    from .partial import partial_config

    if data is None:
        data = read_pyproject(root, raw)  # raises the error the TOML has
    project = data.get("project")
    if not isinstance(project, dict):
        return []  # the build hook reports it
    dynamic = project.get("dynamic")
    if not isinstance(dynamic, list) or not {"version", "description"} & set(map(str, dynamic)):
        return []
    c = Collector("pyproject.toml")
    # The module is found by this name unless the tool table or import-names give one.
    name = c.typed(project.get("name"), str, "[project] name")
    raise_all(c.errors)
    config = partial_config(project, data.get("tool", {}), name or "")
    if not config.needs_module_values:
        return []  # the version comes from git tags: nothing of the project is imported
    module = locate_module(root, config)
    need_docstring = "description" in config.metadata.dynamic
    if read_static(root, module, config.version_from_module, need_docstring) is not None:
        return []
    return _as_written(project)


def _as_written(project: Mapping[str, object]) -> list[str]:
    """``[project] dependencies`` as written; the build hook reports what is wrong in it."""
    dependencies = project.get("dependencies", [])
    if not isinstance(dependencies, list):
        return []
    return [item for item in dependencies if isinstance(item, str)]


def _classic(root: str, data: Mapping[str, object]) -> list[str] | None:
    """The answer for the classic flit project, or None: the general way decides."""
    project, tool = data.get("project"), data.get("tool", {})
    if not isinstance(project, dict) or not isinstance(tool, dict):
        return None
    if "import-names" in project or "import-namespaces" in project:
        return None  # the project lists its modules: the general way reads the lists
    dynamic = project.get("dynamic")
    name = _module_name(project.get("name"), tool)
    if name is None or not isinstance(dynamic, list):
        return None
    wanted = {"version", "description"} & set(map(str, dynamic))
    # (entry file, package folder or None), where discovery.find_module looks.
    found: list[tuple[str, str | None]] = []
    for folder in ("", "src/"):
        if os.path.isdir(os.path.join(root, folder + name)):
            found.append((f"{folder}{name}/__init__.py", folder + name))
        if os.path.isfile(os.path.join(root, f"{folder}{name}.py")):
            found.append((f"{folder}{name}.py", None))
    if not wanted or len(found) != 1 or not os.path.isfile(os.path.join(root, found[0][0])):
        return None  # nothing to read, or no single module file to read it from
    from .errors import FletchingError
    from .module_info import readable_statically

    try:
        static = readable_statically(root, *found[0], "version" in wanted, "description" in wanted)
    except FletchingError:  # a link leading out of the project, say
        return None
    return [] if static else _as_written(project)


def _module_name(name: object, tool: Mapping[str, object]) -> str | None:
    """The plain module name flit derives, or None where the tool tables could say
    more (a version from git, two module names, a table that is not one)."""
    flit, ours = tool.get("flit", {}), tool.get("fletching", {})
    if not isinstance(flit, dict) or not isinstance(ours, dict) or "version" in ours:
        return None
    modules = [table["module"] for table in (flit, ours) if "module" in table]
    if len(modules) > 1:
        return None
    if modules:
        name = modules[0].get("name") if isinstance(modules[0], dict) else None
    elif isinstance(name, str):
        from .names import import_name_for

        name = import_name_for(name)
    if not isinstance(name, str) or not name.isidentifier():
        return None  # a dotted portion, a stubs package, or a mistake: the general way
    import keyword

    return None if keyword.iskeyword(name) else name
