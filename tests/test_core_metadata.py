"""Core metadata rendering: field by field, version choice, and safety of headers."""

from __future__ import annotations

import email.parser

import pytest

from fletching._vendor.packaging.requirements import Requirement
from fletching.core_metadata import (
    metadata_fields,
    metadata_version,
    render_entry_points,
    render_metadata,
    render_wheel_file,
)
from fletching.errors import FletchingError, HeaderInjection, InternalError
from fletching.metadata import ImportName, Metadata, Person, Readme
from helpers import validated_metadata

BASE = Metadata(name="Demo_Pkg", normalized_name="demo-pkg", version="1.0")


def test_minimal_metadata() -> None:
    assert render_metadata(BASE) == "Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.0\n"
    assert render_metadata(BASE, sdist=True).startswith("Metadata-Version: 2.2\n")


def test_full_metadata_round_trips_through_packaging() -> None:
    meta = BASE._replace(
        description="A demo.",
        readme=Readme("text/markdown", "README.md", "# Démo\n\nBody text.\n"),
        requires_python=None,
        license_expression="MIT OR Apache-2.0",
        license_files=("LICENSE", "LICENSES/Apache-2.0.txt"),
        authors=(Person("Ann", None), Person("J. Doe", "jd@example.org"), Person(None, "x@e.org")),
        maintainers=(Person("Mo", "mo@example.org"),),
        keywords=("a", "b c"),
        classifiers=("Programming Language :: Python :: 3",),
        urls=(("Home", "https://example.org"),),
        dependencies=(Requirement("requests>=2"),),
        optional_dependencies=(
            ("test", (Requirement("pytest; python_version < '3.13'"), Requirement("mock"))),
        ),
        import_names=(ImportName("demo_pkg"),),
        import_namespaces=(),
    )
    text = render_metadata(meta)
    parsed = validated_metadata(text)
    assert parsed.metadata_version == "2.5"
    assert parsed.name == "Demo_Pkg"
    assert parsed.summary == "A demo."
    assert parsed.author == "Ann"
    assert parsed.author_email == '"J. Doe" <jd@example.org>, x@e.org'
    assert parsed.maintainer_email == "Mo <mo@example.org>"
    assert parsed.keywords == ["a", "b c"]
    assert str(parsed.license_expression) == "MIT OR Apache-2.0"
    assert parsed.license_files == ["LICENSE", "LICENSES/Apache-2.0.txt"]
    assert parsed.project_urls == {"Home": "https://example.org"}
    assert [str(r) for r in parsed.requires_dist or []] == [
        "requests>=2",
        'pytest; python_version < "3.13" and extra == "test"',
        'mock; extra == "test"',
    ]
    assert parsed.provides_extra == ["test"]
    assert parsed.description == "# Démo\n\nBody text.\n"
    assert parsed.description_content_type == "text/markdown"


def test_extra_marker_keeps_the_requirement_marker_grouped() -> None:
    meta = BASE._replace(
        optional_dependencies=(("x", (Requirement("a; os_name == 'nt' or os_name == 'posix'"),)),),
    )
    (value,) = [v for f, v in metadata_fields(meta) if f == "Requires-Dist"]
    assert value == 'a; (os_name == "nt" or os_name == "posix") and extra == "x"'
    req = Requirement(value)
    assert req.marker is not None
    assert not req.marker.evaluate({"extra": "y", "os_name": "nt"})
    assert req.marker.evaluate({"extra": "x", "os_name": "posix"})


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        pytest.param(
            "pkg @ https://example.org/pkg.whl",
            'pkg @ https://example.org/pkg.whl ; extra == "x"',
            id="url",
        ),
        pytest.param(
            "pkg[a] @ https://example.org/p;v=1.whl ; python_version < '3.10'",
            'pkg[a] @ https://example.org/p;v=1.whl ; (python_version < "3.10") and extra == "x"',
            id="url-with-semicolon-and-marker",
        ),
    ],
)
def test_a_url_requirement_of_an_extra_stays_valid(requirement: str, expected: str) -> None:
    """Without a space before the ';', the marker would be read as part of the URL."""
    meta = BASE._replace(optional_dependencies=(("x", (Requirement(requirement),)),))
    (value,) = [v for f, v in metadata_fields(meta) if f == "Requires-Dist"]
    assert value == expected
    parsed = validated_metadata(render_metadata(meta))
    (req,) = parsed.requires_dist
    assert req.url == Requirement(requirement).url
    assert req.marker is not None
    assert req.marker.evaluate({"extra": "x", "python_version": "3.9"})


@pytest.mark.parametrize(
    ("changes", "wheel", "sdist"),
    [
        pytest.param({}, "2.1", "2.2", id="plain"),
        pytest.param({"license_expression": "MIT"}, "2.4", "2.4", id="license-expression"),
        pytest.param({"license_files": ("LICENSE",)}, "2.4", "2.4", id="license-file"),
        pytest.param({"import_names": ("x",)}, "2.5", "2.5", id="import-name"),
        pytest.param({"import_namespaces": ("x",)}, "2.5", "2.5", id="import-namespace"),
        pytest.param({"license_text": "Anything"}, "2.1", "2.2", id="legacy-license"),
    ],
)
def test_lowest_metadata_version_that_holds_the_fields(
    changes: dict[str, object], wheel: str, sdist: str
) -> None:
    fields = metadata_fields(BASE._replace(**changes))  # type: ignore[arg-type]
    assert metadata_version(fields, sdist=False) == wheel
    assert metadata_version(fields, sdist=True) == sdist


def test_empty_import_names_say_the_project_has_none() -> None:
    text = render_metadata(BASE._replace(import_names=()))
    assert "Import-Name: \n" in text
    validated_metadata(text)


def test_readme_without_content_type_has_no_type_field() -> None:
    text = render_metadata(BASE._replace(readme=Readme(None, "README", "Hello")))
    assert "Description-Content-Type" not in text
    assert text.endswith("\n\nHello\n")


def test_multiline_legacy_license_is_folded() -> None:
    text = render_metadata(BASE._replace(license_text="Line one\nLine two"))
    assert "License: Line one\n        Line two\n" in text
    message = email.parser.Parser().parsestr(text)
    assert not message.defects


@pytest.mark.parametrize("field", ["description", "name"])
@pytest.mark.parametrize("bad", ["x\nInjected: yes", "x\rInjected: yes", "x\u2028y"])
def test_renderer_refuses_values_that_would_forge_headers(field: str, bad: str) -> None:
    # The model rejects these first; the renderer is the last line of defence.
    with pytest.raises(HeaderInjection):
        render_metadata(BASE._replace(**{field: bad}))  # type: ignore[arg-type]


def test_a_forged_header_is_a_bug_not_a_user_error() -> None:
    """Shown with its traceback (not as a user's mistake), and not an ``assert``."""
    assert issubclass(HeaderInjection, InternalError)
    assert not issubclass(HeaderInjection, (FletchingError, AssertionError))


def test_wheel_file() -> None:
    text = render_wheel_file()
    lines = text.splitlines()
    assert lines[0] == "Wheel-Version: 1.0"
    assert lines[1].startswith("Generator: fletching ")
    assert lines[2:] == ["Root-Is-Purelib: true", "Tag: py3-none-any"]


def test_entry_points_text() -> None:
    meta = BASE._replace(
        entry_points=(
            ("console_scripts", (("demo", "demo:main"),)),
            ("demo.plugins", (("a", "demo.plugins:a"),)),
        ),
    )
    assert render_entry_points(meta) == (
        "[console_scripts]\ndemo = demo:main\n\n[demo.plugins]\na = demo.plugins:a\n"
    )
    assert render_entry_points(BASE) is None


def test_empty_description_is_an_empty_summary() -> None:
    assert "Summary: \n" in render_metadata(BASE._replace(description=""))
