"""Which of fletching's modules (and of the libraries inside it) each hook imports, in a
fresh interpreter, for a few typical projects: a hook that starts importing more fails
here, so that getting slower is a decision, not an accident.

Each hook imports only what the project needs: packaging's SPDX tables only for a
licence expression, the classifier list only with classifiers, nothing of version
control unless asked; get_requires_for_build_* nothing of packaging, the classifier
list or the model. When a list here gets shorter, shorten it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import EXAMPLES, REPO, copy_tree, write_project

sys.path.insert(0, str(REPO / "tests" / "benchmark"))
import bench_projects  # the benchmark's generated projects

HOOKS = (
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_wheel",
    "build_wheel",
    "build_wheel after prepare",
    "build_sdist",
)

_CHILD = """
import json, os, sys
project, out, hook = sys.argv[1:4]
os.chdir(project)
before = set(sys.modules)
from fletching import buildapi
if hook == "get_requires_for_build_wheel":
    buildapi.get_requires_for_build_wheel()
elif hook == "build_wheel after prepare":  # pip's way: out holds the prepared folder
    (name,) = [n for n in os.listdir(out) if n.endswith(".dist-info")]
    buildapi.build_wheel(out, metadata_directory=os.path.join(out, name))
else:
    getattr(buildapi, hook)(out)
print(json.dumps(sorted(set(sys.modules) - before)))
"""

V = "fletching._vendor."
# Names and versions: every project has them (and packaging.tags stays out).
PACKAGING_CORE = {V + "packaging", V + "packaging.utils", V + "packaging.version"}
SPECIFIERS = {V + "packaging._ranges", V + "packaging.specifiers"}
REQUIREMENTS = SPECIFIERS | {
    V + "packaging._parser",
    V + "packaging._tokenizer",
    V + "packaging.markers",
    V + "packaging.requirements",
}
LICENSES = {V + "packaging.licenses", V + "packaging.licenses._spdx"}
CLASSIFIERS = {V + "trove_classifiers"}
HOOK_MODULES = {"fletching", "fletching.buildapi", "fletching.errors", "fletching.inside"}
LOADING = HOOK_MODULES | {
    "fletching._validate",
    "fletching.config",
    "fletching.toml",
    "fletching.discovery",
    "fletching.fields",
    "fletching.glob_keys",
    "fletching.globs",
    "fletching.locate",
    "fletching.metadata",
    "fletching.names",
    "fletching.own_keys",
    "fletching.schemes",
    "fletching.tool_table",
    "fletching.tree",
    "fletching.version_file",
    "fletching.wheel_exclude",
}
VALIDATING = LOADING | {
    "fletching._vendor",
    "fletching.entry_points",
    "fletching.import_lists",
    "fletching.licenses",
    "fletching.model",
    "fletching.people",
    "fletching.requirements",
}
WRITING = {"fletching.archive", "fletching.compress", "fletching.core_metadata"}
WHEEL = WRITING | {"fletching.selection", "fletching.wheel"}
SDIST = WRITING | {"fletching.selection", "fletching.sdist"}
FROM_MODULE = {"fletching.module_info"}
PREPARED = LOADING | WHEEL | {"fletching.partial", "fletching.prepared"}
EVERYTHING = VALIDATING | PACKAGING_CORE | REQUIREMENTS | LICENSES | CLASSIFIERS
# What [project] requires-python, a licence expression and classifiers need.
NO_REQUIREMENTS = EVERYTHING - (REQUIREMENTS - SPECIFIERS)

# project: hook: the modules it may import.
EXPECTED: dict[str, dict[str, set[str]]] = {
    # The benchmark's tiny project: static, with a licence expression, classifiers and
    # requirements.
    "tiny": {
        "get_requires_for_build_wheel": HOOK_MODULES,
        "prepare_metadata_for_build_wheel": EVERYTHING | WHEEL,
        "build_wheel": EVERYTHING | WHEEL,
        "build_wheel after prepare": PREPARED,
        "build_sdist": EVERYTHING | SDIST,
    },
    # The classic flit project: version and description from the module (here by
    # importing it, as its __version__ is read from a file).
    "classic-flit": {
        "get_requires_for_build_wheel": HOOK_MODULES
        | FROM_MODULE
        | {"fletching.requires", "fletching.toml"},
        "prepare_metadata_for_build_wheel": NO_REQUIREMENTS | WHEEL | FROM_MODULE,
        "build_wheel": NO_REQUIREMENTS | WHEEL | FROM_MODULE,
        "build_wheel after prepare": PREPARED,
        "build_sdist": NO_REQUIREMENTS | SDIST | FROM_MODULE,
    },
    # Static, with nothing but a name, a version and a description: no licence
    # expression, no classifiers, no requirements.
    "static-plain": {
        "get_requires_for_build_wheel": HOOK_MODULES,
        "prepare_metadata_for_build_wheel": VALIDATING | PACKAGING_CORE | WHEEL,
        "build_wheel": VALIDATING | PACKAGING_CORE | WHEEL,
        "build_wheel after prepare": PREPARED,
        "build_sdist": VALIDATING | PACKAGING_CORE | SDIST,
    },
}


def _project(name: str, root: Path) -> Path:
    if name == "classic-flit":
        return copy_tree(EXAMPLES / "classic-flit", root)
    if name == "tiny":
        spec = next(s for s in bench_projects.specs(4, 1.0) if s.size == "tiny")
        files = bench_projects.generate(spec)
        files["pyproject.toml"] = bench_projects.pyproject_toml(
            spec, "fletching.buildapi", "fletching"
        ).encode()
        return write_project(root, files)
    pyproject = '[project]\nname = "plain"\nversion = "1.0"\ndescription = "Plain."\n'
    return write_project(root, {"pyproject.toml": pyproject, "plain.py": ""})


def imported(project: Path, out: Path, hook: str) -> set[str]:
    out.mkdir()
    if hook == "build_wheel after prepare":
        imported(project, out / "prepared", "prepare_metadata_for_build_wheel")
        out = out / "prepared"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(project), str(out), hook],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.splitlines()[-1])
    # tomli is the TOML reader before Python 3.11 (tomllib after), with its package.
    mine = {m for m in found if m.startswith("fletching") and not m.startswith(V + "tomli")}
    if not any(m.startswith(V) for m in mine):
        mine.discard(V.rstrip("."))
    return mine


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hook_imports_only_what_is_listed(tmp_path: Path, name: str) -> None:
    project = _project(name, tmp_path / "project")
    unexpected = {}
    for number, hook in enumerate(HOOKS):
        extra = imported(project, tmp_path / f"out{number}", hook) - EXPECTED[name][hook]
        if extra:
            unexpected[hook] = sorted(extra)
    assert unexpected == {}


def test_getting_the_requirements_imports_no_library_and_no_model(tmp_path: Path) -> None:
    project = _project("classic-flit", tmp_path / "project")
    found = imported(project, tmp_path / "out", "get_requires_for_build_wheel")
    assert not {m for m in found if m.startswith(V)}
    assert not {"fletching.model", "fletching.config", "fletching.discovery"} & found
