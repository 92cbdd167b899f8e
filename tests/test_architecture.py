"""The shape of the code, as README's Architecture section states it. import-linter checks
which package imports which (make lint, CI); these check what it cannot."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cms", "courses", "enrolment", "tests")
MAX_LINES = 400
ENROLMENT_TOP_LEVEL = {
    "__init__.py",
    "access.py",
    "apps.py",
    "auth.py",
    "errors.py",
    "tasks.py",
    "wagtail_hooks.py",
}
# Whoever shows a page asks enrolment.access; these decide access, so they stay out of screens.
ACCESS_CALLS = {"for_user", "has_role", "is_coordinator", "can_teach", "sponsor_for_user"}
SCREENS = ("enrolment/views", "enrolment/admin", "enrolment/forms", "enrolment/urls")


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def python_modules(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("path", list(python_modules(*PACKAGES)), ids=relative)
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_enrolment_holds_only_its_named_modules_and_packages():
    top = ROOT / "enrolment"
    modules = {p.name for p in top.iterdir() if p.suffix == ".py"}
    assert modules == ENROLMENT_TOP_LEVEL
    packages = {p.name for p in top.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert packages == {
        "admin",
        "forms",
        "migrations",
        "models",
        "services",
        "templatetags",
        "urls",
        "views",
    }


def calls_in(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and not (
                isinstance(func.value, ast.Name) and func.value.id == "access"
            ):
                names.add(func.attr)
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return names


@pytest.mark.parametrize("path", list(python_modules(*SCREENS)), ids=relative)
def test_screens_ask_access_rather_than_decide(path):
    decided_here = calls_in(path) & ACCESS_CALLS
    assert not decided_here, f"{path.relative_to(ROOT)} calls {sorted(decided_here)} itself"
