"""The shape of the house, read from the code itself: the apps' layers run one way, each thing has
one place, and modules and functions stay small enough to read. A newcomer relies on these."""

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first: an app may import those before it, never those after it.
LAYERS = ["standards", "portfolio", "assessments", "exports", "ops"]
# The settings package, URLs and WSGI sit above every app; they import apps, apps never import them
# (except config.settings values through django.conf.settings, which is not an import of config).
TOP = "config"

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _python_files(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module the file imports, absolute, with the line it is imported on."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def _app_of(module: str) -> str | None:
    head = module.split(".")[0]
    return head if head in LAYERS or head == TOP else None


def test_imports_run_one_way_lowest_first():
    wrong = []
    for rank, app in enumerate(LAYERS):
        allowed = set(LAYERS[: rank + 1])
        for path in _python_files(app):
            for line, module in _imported_modules(path):
                target = _app_of(module)
                if target is not None and target not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == [], "A lower app imports a higher one (or config):\n" + "\n".join(wrong)


_TEMPLATE_REACH = re.compile(r"{%\s*(?:include|extends)\s+[\"']([a-z_]+)/")
_TEMPLATE_LOAD = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")


def _tag_libraries() -> dict[str, str]:
    """Each of our template tag libraries' names, with the app that defines it."""
    return {
        path.stem: app
        for app in LAYERS
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def test_templates_reach_only_down_except_by_url_name():
    libraries = _tag_libraries()
    wrong = []
    for rank, app in enumerate(LAYERS):
        allowed = set(LAYERS[: rank + 1])
        for path in sorted((ROOT / "templates" / app).rglob("*.html")):
            text = path.read_text()
            for folder in _TEMPLATE_REACH.findall(text):
                if folder in LAYERS and folder not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)} includes or extends a {folder} template")
            for loaded in _TEMPLATE_LOAD.findall(text):
                for library in loaded.split():
                    if libraries.get(library, app) not in allowed:
                        wrong.append(f"{path.relative_to(ROOT)} loads {library} from {libraries[library]}")
    assert wrong == [], "\n".join(wrong)


def _classes() -> list[tuple[str, Path, int]]:
    """Every module-level class. A class inside another (a model's `Status` choices, its `Meta`) is
    always read through its owner, `QualityReview.Outcome`, so its short name may repeat."""
    found = []
    for app in [*LAYERS, TOP]:
        for path in _python_files(app):
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, ast.ClassDef):
                    found.append((node.name, path, node.lineno))
    return found


# The name Django gives every management command's class.
_CONVENTIONAL = {"Command"}


def test_no_two_classes_share_a_name():
    where = defaultdict(list)
    for name, path, line in _classes():
        if name not in _CONVENTIONAL:
            where[name].append(f"{path.relative_to(ROOT)}:{line}")
    shared = {name: places for name, places in where.items() if len(places) > 1}
    assert shared == {}


def test_forms_live_in_forms_modules_not_views():
    wrong = []
    for app in LAYERS:
        for path in _python_files(app):
            if "views" not in path.relative_to(ROOT).parts and not path.stem.startswith("views"):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Attribute | ast.Name) and ast.unparse(base).endswith("Form")
                    for base in node.bases
                ):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert wrong == []


def _sized_sources() -> list[Path]:
    return [path for app in [*LAYERS, TOP] for path in _python_files(app)]


def test_no_module_is_longer_than_a_reader_can_hold():
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in _sized_sources()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert long == [], f"Modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(long)


def test_no_function_is_longer_than_a_screen_or_two():
    long = []
    for path in _sized_sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                lines = node.end_lineno - start + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines} lines")
    assert long == [], f"Functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)


@pytest.mark.parametrize("app", LAYERS)
def test_each_app_is_installed(app, settings):
    assert app in settings.INSTALLED_APPS
