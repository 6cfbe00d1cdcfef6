"""The documentation builds: every Mermaid diagram of docs/ renders to SVG with mermaid-cli and
Debian's Chromium (as `castline docs build` renders them), a broken one fails, the README fits
a screen and every link between the pages leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from castline.docs_build import DOCS, DiagramError, diagrams, install_packages, render_page
from castline.docs_build import pages_with_diagrams as pages

ROOT = DOCS.parent
README = ROOT / "README.md"
README_MOST_LINES = 150
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.fixture(scope="module", autouse=True)
def mermaid_cli() -> None:
    install_packages()


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_every_diagram_renders_to_svg(page: Path, tmp_path: Path) -> None:
    svgs = render_page(page, tmp_path)
    assert len(svgs) == len(diagrams(page))
    for svg in svgs:
        text = svg.read_text()
        assert text.lstrip().startswith("<svg"), svg.name
        assert "Syntax error" not in text, svg.name
    assert (tmp_path / page.name).read_text().count("](./") == len(svgs)


def test_a_diagram_that_does_not_parse_fails_the_build(tmp_path: Path) -> None:
    page = tmp_path / "broken.md"
    page.write_text("# Broken\n\n```mermaid\nsequenceDiagram\n    A-->>>>: no target\n```\n")
    with pytest.raises(DiagramError, match=r"broken\.md"):
        render_page(page, tmp_path / "out")


def test_the_architecture_page_has_the_model_and_the_diagrams() -> None:
    assert (DOCS / "architecture.md") in pages()
    assert len(diagrams(DOCS / "architecture.md")) >= 6  # the model and five sequences


def test_the_readme_fits_a_screen_and_links_the_docs() -> None:
    text = README.read_text()
    assert len(text.splitlines()) <= README_MOST_LINES
    linked = {Path(target).name for target in LINK.findall(text)}
    assert {page.name for page in DOCS.glob("*.md")} <= linked


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    targets = [t for t in LINK.findall(page.read_text()) if "://" not in t]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert not missing, f"{page.name} links to what does not exist: {missing}"
