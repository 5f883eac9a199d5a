"""The frozen model: the types validation builds (``model.py``) and the renderers read.

Only the validating functions in ``model.py`` construct a ``Metadata``: every value
in it has been checked and normalised with the key it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from . import names
from .tool_table import ToolSettings

if TYPE_CHECKING:
    from ._vendor.packaging.requirements import Requirement
    from ._vendor.packaging.specifiers import SpecifierSet

# (group, ((name, object reference), ...)), sorted: what entry_points.txt holds.
EntryPoints = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


class ImportName(str):
    """A name of [project] import-names or import-namespaces (PEP 794), parsed once:
    the string is what core metadata writes (``pkg`` or ``pkg; private``), ``name``
    the bare import name."""

    name: str
    private: bool

    def __new__(cls, name: str, private: bool = False) -> ImportName:
        self = super().__new__(cls, f"{name}; private" if private else name)
        self.name = name
        self.private = private
        return self


class Person(NamedTuple):
    name: str | None
    email: str | None


class Readme(NamedTuple):
    content_type: str | None
    file: str | None = None
    text: str | None = None


class Metadata(NamedTuple):
    """Everything that becomes core metadata, validated and normalised."""

    name: str
    # canonicalize_name(name), worked out once while validating, so that building from
    # prepared metadata never needs packaging (see partial.prepared_config).
    normalized_name: str
    version: str | None = None  # normalised (PEP 440), e.g. '1.0rc1' for '1.0-RC1'
    description: str | None = None
    readme: Readme | None = None
    requires_python: SpecifierSet | None = None
    license_expression: str | None = None
    license_text: str | None = None
    license_files: tuple[str, ...] = ()
    authors: tuple[Person, ...] = ()
    maintainers: tuple[Person, ...] = ()
    keywords: tuple[str, ...] = ()
    classifiers: tuple[str, ...] = ()
    urls: tuple[tuple[str, str], ...] = ()
    entry_points: EntryPoints = ()
    dependencies: tuple[Requirement, ...] = ()
    optional_dependencies: tuple[tuple[str, tuple[Requirement, ...]], ...] = ()
    dynamic: frozenset[str] = frozenset()
    import_names: tuple[ImportName, ...] | None = None
    import_namespaces: tuple[ImportName, ...] | None = None

    @property
    def file_name(self) -> str:
        """The name as it appears in wheel and sdist file names."""
        return names.file_name(self.normalized_name)

    @property
    def stem(self) -> str:
        """``{name}-{version}``, how the wheel, sdist, .dist-info and .data names begin."""
        return f"{self.file_name}-{self.version}"


class Config(NamedTuple):
    """The parsed pyproject.toml, with what is still to be read from disk."""

    metadata: Metadata
    tool: ToolSettings = ToolSettings()
    # (key, pattern) of [project] license-files; None means "use the defaults".
    license_file_patterns: tuple[tuple[str, str], ...] | None = None
    legacy_license_file: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def version_from_vcs(self) -> bool:
        return self.tool.version is not None and self.tool.version.source == "vcs"

    @property
    def version_from_module(self) -> bool:
        return "version" in self.metadata.dynamic and not self.version_from_vcs

    @property
    def needs_module_values(self) -> bool:
        return self.version_from_module or "description" in self.metadata.dynamic
