"""Configs read without validating ``[project]``: only what finding the files needs.

Two hooks need part of pyproject.toml only. ``build_wheel`` given the folder
prepare_metadata_for_build_* wrote has the metadata there already, and
``get_requires_for_build_*`` only has to find the module a dynamic version is read
from. Neither imports packaging, trove-classifiers or the validating model
(``model.py``): the build hooks that write metadata validate everything.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import names
from ._validate import Collector
from .errors import raise_all
from .fields import parse_import_names
from .metadata import Config, Metadata
from .tool_table import parse_tool


def partial_config(
    project: Mapping[str, object],
    tool: object,
    name: str,
    normalized_name: str = "",
    version: str | None = None,
) -> Config:
    """A config with the tool table and ``[project]`` import-names, import-namespaces and
    dynamic, validated as ``model.parse_pyproject`` validates them; the other fields
    stay unset."""
    c = Collector("pyproject.toml")
    settings = parse_tool(c, tool)
    lists = {}
    for key in ("import-names", "import-namespaces"):
        if key in project:
            lists[key] = parse_import_names(c, project[key], f"[project] {key}")
    dynamic = project.get("dynamic")
    raise_all(c.errors)
    metadata = Metadata(
        name,
        normalized_name,
        version,
        import_names=lists.get("import-names"),
        import_namespaces=lists.get("import-namespaces"),
        dynamic=frozenset(map(str, dynamic)) if isinstance(dynamic, list) else frozenset(),
    )
    return Config(metadata, settings)


def prepared_config(
    name: str, file_name: str, version: str, tool: object, project: Mapping[str, object]
) -> Config:
    """The config of a project built from the ``.dist-info`` folder that
    prepare_metadata_for_build_* wrote (``prepared.load_prepared``).

    The folder holds the metadata; what choosing the files needs is its name (the
    ``[project] name`` its METADATA was checked against), the normalised name and
    version its folder name carries (``{file_name}-{version}.dist-info``, written
    from validated values), the tool table and ``[project] import-names`` (the
    modules to pack) and ``import-namespaces`` (which of them are namespace packages
    on purpose).
    """
    return partial_config(project, tool, name, names.normalized_from_file_name(file_name), version)
