"""Load a project from disk: the only reader of pyproject.toml and the files it names.

OS and TOML errors become fletching errors here; validation is the model's job.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, TypeVar

from .discovery import Module
from .errors import BuildError, ConfigError, FletchingError, InternalError, raise_all
from .fields import docstring_summary
from .glob_keys import Match, license_files, sbom_files
from .inside import read_inside
from .locate import locate_modules
from .metadata import Config, Metadata
from .toml import loads
from .tree import Tree, similar_file
from .version_file import KEY as VERSION_FILE
from .version_file import version_file_path

if TYPE_CHECKING:
    from .own_keys import VersionSettings
    from .prepared import Prepared
    from .vcs import VcsVersion

T = TypeVar("T")


class Project(NamedTuple):
    """A project ready to build: its config, its modules and its final metadata."""

    root: Path
    config: Config
    # Every module the project ships; the first is the one a dynamic version and
    # description are read from: the one module, or the one [tool.*.module] name
    # picks among several [project] import-names.
    modules: tuple[Module, ...]
    metadata: Metadata
    # The folder prepare_metadata_for_build_* wrote, when the frontend hands it back:
    # the wheel then carries exactly its files (PEP 517).
    prepared: Prepared | None = None
    # The [tool.fletching] sbom-files matches (PEP 770), sorted; no core metadata field
    # names them, so they live here rather than in Metadata.
    sbom_files: tuple[Match, ...] = ()
    # (path, bytes) of files the build makes inside a package, in the wheel and the
    # sdist but never in the source tree: the [tool.fletching.version] file.
    generated: tuple[tuple[str, bytes], ...] = ()
    # The licence files (Metadata.license_files) with the rule that took each one.
    licenses: tuple[Match, ...] = ()

    @property
    def module(self) -> Module:
        """The module a dynamic version and description are read from."""
        return self.modules[0]

    @property
    def dist_info(self) -> str:
        return f"{self.metadata.stem}.dist-info"


def _where(exc: UnicodeDecodeError) -> str:
    data = exc.object[: exc.start]
    line = data.count(b"\n") + 1
    column = exc.start - (data.rfind(b"\n") + 1) + 1
    return f"byte 0x{exc.object[exc.start]:02x} at line {line}, column {column}"


def read_pyproject(root: Path, raw: bytes | None = None) -> dict[str, object]:
    """Load pyproject.toml; ``raw`` is its content when the caller has read it already."""
    try:
        text = (read_inside(root, "pyproject.toml")[0] if raw is None else raw).decode("utf-8")
    except FileNotFoundError:
        if (root / "flit.ini").is_file():
            raise ConfigError(
                "flit.ini is no longer read; describe the project in a [project] table in "
                "pyproject.toml (https://flit.pypa.io/en/latest/pyproject_toml.html)",
                file="flit.ini",
            ) from None
        raise ConfigError(
            "there is no pyproject.toml in the project folder", file=str(root)
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"is not valid UTF-8 ({_where(exc)}); save it as UTF-8", file="pyproject.toml"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror}", file="pyproject.toml") from exc
    try:
        return loads(text)
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", file="pyproject.toml") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        detail = str(exc)
        where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", detail)
        key = None
        if where:
            detail = detail[: where.start()]
            key = f"line {where.group(1)}, column {where.group(2)}"
        elif detail.endswith("(at end of document)"):
            detail, key = detail[: -len("(at end of document)")].rstrip(), "end of file"
        raise ConfigError(f"invalid TOML: {detail}", file="pyproject.toml", key=key) from exc


def load_config(root: Path) -> Config:
    from . import model  # here, not above: get_requires_for_build_* validates nothing

    return model.parse_pyproject(read_pyproject(root))


def _read_text(root: Path, relpath: str, key: str) -> str:
    """A UTF-8 text file with its line endings made '\\n', so that a checkout with CRLF
    endings (git's autocrlf on Windows) gives the same metadata."""
    text = _read_bytes_as_text(root, relpath, key)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_BOM = "\ufeff"


def _bom_warning(relpath: str) -> str:
    """A byte-order mark would open the long description: docutils then finds the
    title's underline too short, and the index does not render the page."""
    return (
        f"pyproject.toml: [project] readme: {relpath} starts with a UTF-8 byte-order mark,"
        " which is left out of the description; save the file without it"
    )


def _read_bytes_as_text(root: Path, relpath: str, key: str) -> str:
    try:
        return read_inside(root, relpath)[0].decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"the file {relpath!r} does not exist{similar_file(root, relpath)}",
            file="pyproject.toml",
            key=key,
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            f"{relpath!r} is a folder, not a file", file="pyproject.toml", key=key
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"the file {relpath!r} is not valid UTF-8 ({_where(exc)}); save it as UTF-8",
            file="pyproject.toml",
            key=key,
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"cannot read {relpath!r}: {exc.strerror}", file="pyproject.toml", key=key
        ) from exc


def generate(
    root: Path, version_file: str | None, version: str | None
) -> tuple[tuple[str, bytes], ...]:
    """The generated version module, as (path, bytes) if there is one."""
    if version is None:
        return ()
    refuse_project_file(root, version_file)
    return _rendered(version_file, version)


def _rendered(version_file: str | None, version: str) -> tuple[tuple[str, bytes], ...]:
    from .version_file import render_version_file

    return () if version_file is None else ((version_file, render_version_file(version)),)


def refuse_project_file(root: Path, version_file: str | None) -> None:
    """The version module is refused where a file of the project is: packing it in
    that file's place would drop the file (and a module's own code with it). A module
    fletching generated is fine: a wheel built from an sdist finds the sdist's copy,
    maybe written by an older fletching."""
    if version_file is None:
        return
    from .version_file import is_generated

    try:
        found = read_inside(root, version_file)[0]
    except FileNotFoundError:
        found = None  # nothing there, the usual case
    except OSError as exc:  # a folder of that name, say: the archives could hold both
        raise ConfigError(
            f"{version_file!r} cannot be generated: {exc.strerror or exc} there; name a file"
            " that does not exist",
            file="pyproject.toml",
            key=VERSION_FILE,
        ) from None
    if found is not None and not is_generated(found):
        raise ConfigError(
            f"{version_file!r} exists in the project, and the build would pack the generated"
            " module in its place; name a file that does not exist (the build writes it into"
            " the wheel and the sdist only), or delete this one if an earlier tool generated it",
            file="pyproject.toml",
            key=VERSION_FILE,
        )


def _vcs_version(root: Path, name: str, settings: VersionSettings) -> VcsVersion:
    from .archive import source_date_epoch
    from .vcs import vcs_version

    epoch = source_date_epoch()
    return vcs_version(root, name=name, tag_pattern=settings.tag_pattern, epoch=epoch)


def check_external_data(root: Path, config: Config) -> None:
    from .schemes import scheme_folders

    raise_all(
        ConfigError(
            f"{folder!r} is not a folder in the project",
            file="pyproject.toml",
            key=f"[{config.tool.table}.external-data] {key}",
        )
        for _, key, folder in scheme_folders(config.tool)
        if not (root / folder).is_dir()
    )


class _Gathered:
    """The errors of the steps of one load, raised together at the end: one failed
    build shows every mistake."""

    def __init__(self) -> None:
        self.errors: list[FletchingError] = []

    def run(self, func: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        """``func``'s result, or None with its errors kept."""
        try:
            return func(*args, **kwargs)
        except FletchingError as exc:
            self.errors.extend(getattr(exc, "errors", None) or [exc])
            return None


class _Dynamic(NamedTuple):
    """What fills a dynamic version and description, and where it came from."""

    version: str | None = None
    description: str | None = None
    source: str = "the module"
    warnings: tuple[str, ...] = ()


def load_project(root: Path) -> Project:
    """Read, validate and complete everything a build needs, reporting all problems at once.

    pyproject.toml first: nothing can be looked for without it, so its errors stop
    the load. Then each step below runs whatever the others gave, and every error is
    gathered: the modules; the readme; the licence and SBOM files; the external data
    folders; where the version module goes (needs the modules); the dynamic version
    and description, from git or from the module (needs the modules); and last the
    final metadata (needs the modules), whose errors join the others.
    """
    from . import model

    root = root.resolve()
    config = load_config(root)
    tree = Tree(root)
    step = _Gathered()
    modules = step.run(locate_modules, root, config)
    readme_text, readme_warnings = step.run(_readme_text, root, config) or (None, ())
    licenses = step.run(license_files, tree, config)
    sboms = step.run(sbom_files, tree, config)
    step.run(check_external_data, root, config)
    version_file = step.run(version_file_path, config, modules) if modules else None
    step.run(refuse_project_file, root, version_file)
    dynamic = step.run(_dynamic_values, root, config, modules)
    metadata = None
    if modules:
        namespaces = tuple(
            m.name for m in modules if m.is_package and not (root / m.entry_file).is_file()
        )
        metadata = step.run(
            model.complete,
            config,
            version=dynamic.version if dynamic else None,
            description=dynamic.description if dynamic else None,
            readme_text=readme_text,
            license_files=tuple(m.path for m in licenses or ()),
            module_names=tuple(m.name for m in modules),
            namespace_packages=namespaces,
            source=dynamic.source if dynamic else modules[0].entry_file,
        )
    raise_all(step.errors)
    if not modules or metadata is None or metadata.version is None:
        raise InternalError("no module, metadata or version, and no error saying why")
    warnings = readme_warnings + (dynamic.warnings if dynamic else ())
    return Project(
        root,
        config._replace(warnings=config.warnings + warnings) if warnings else config,
        modules,
        metadata,
        sbom_files=sboms or (),
        # Checked by refuse_project_file above; rendered only now the version is known.
        generated=_rendered(version_file, metadata.version),
        licenses=licenses or (),
    )


def _readme_text(root: Path, config: Config) -> tuple[str | None, tuple[str, ...]]:
    """The readme file's text, if [project] readme names a file, and the warnings."""
    readme = config.metadata.readme
    if readme is None or readme.file is None:
        return None, ()
    text = _read_text(root, readme.file, "[project] readme")
    if text.startswith(_BOM):
        return text[len(_BOM) :], (_bom_warning(readme.file),)
    return text, ()


def _dynamic_values(root: Path, config: Config, modules: tuple[Module, ...] | None) -> _Dynamic:
    """The dynamic version and description: the version from git when asked, else
    both from the first module, read statically (imported as a last resort); nothing
    when the modules were not found (that error is reported)."""
    meta = config.metadata
    if config.version_from_vcs and config.tool.version is not None:
        vcs = _vcs_version(root, meta.name, config.tool.version)
        return _Dynamic(vcs.version, None, vcs.source, vcs.warnings)
    if not config.needs_module_values or not modules:
        return _Dynamic()
    module = modules[0]
    need_version = config.version_from_module
    need_docstring = "description" in meta.dynamic
    wanted = " and ".join(
        k for k, needed in (("version", need_version), ("description", need_docstring)) if needed
    )
    if module.is_package and not (root / module.entry_file).is_file():
        # A namespace package (PEP 420) has no file to read them from, and importing
        # it would find an installed package of the same name first.
        raise ConfigError(
            f"{module.name!r} is a namespace package (it has no {module.entry_file}),"
            f" so there is no module file to read the {wanted} from; set [project]"
            f" {wanted}, or add {module.entry_file}",
            file="pyproject.toml",
            key="[project] dynamic",
        )
    from .module_info import module_values

    values = module_values(root, module, need_version, need_docstring)
    summary = docstring_summary(values.docstring)
    errors = []
    if need_version and values.version is None:
        errors.append(
            BuildError(
                '[project] dynamic lists "version" but the module has no __version__; '
                'add __version__ = "1.0" to it, or set [project] version',
                file=module.entry_file,
            )
        )
    if need_docstring and not summary:
        errors.append(
            BuildError(
                '[project] dynamic lists "description" but the module has no docstring; '
                "start the module with a one-line docstring, or set [project] description",
                file=module.entry_file,
            )
        )
    raise_all(errors)
    return _Dynamic(values.version, summary, module.entry_file)
