"""The documentation's diagrams: every Mermaid block of docs/*.md rendered to SVG by mermaid-cli
(pinned in docs/package.json) with Debian's Chromium; puppeteer never downloads a browser.

    python -m castline.docs_build setup     npm ci in docs/ when its lock file changed
    castline docs build [--out DIR]         render every page's diagrams (default build/docs)

Each page with diagrams is rendered to DIR/<page>.md, its diagrams replaced by images
DIR/<page>-<n>.svg.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

from castline.npm import install_locked
from infra.errors import InstallError

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
OUT = ROOT / "build" / "docs"
MMDC = DOCS / "node_modules" / ".bin" / "mmdc"
MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```", re.MULTILINE | re.DOTALL)
RENDER_TIMEOUT_S = 300
# The packages' install scripts would download a Chrome of their own.
NPM_ENV = {"PUPPETEER_SKIP_DOWNLOAD": "true"}


class DiagramError(Exception):
    """A page's diagrams did not render: mermaid-cli's own message says why."""


def diagrams(page: Path) -> list[str]:
    """The Mermaid source of each diagram on a page, in order."""
    return MERMAID_BLOCK.findall(page.read_text())


def pages_with_diagrams(docs: Path = DOCS) -> list[Path]:
    return [page for page in sorted(docs.glob("*.md")) if diagrams(page)]


def install_packages() -> None:
    if install_locked(DOCS, NPM_ENV):
        log.info("installed the docs' npm packages (mermaid-cli)")


def _puppeteer_config(out: Path) -> Path:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise InstallError("chromium is not installed: `make setup` installs it")
    config = out / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": chromium, "args": ["--no-sandbox"]}))
    return config


def render_page(page: Path, out: Path) -> list[Path]:
    """Render one page's diagrams into `out`; the SVG files, one per diagram, in order."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"{page.stem}-*.svg"):
        stale.unlink()
    config = _puppeteer_config(out)
    result = subprocess.run(
        [str(MMDC), "--quiet", "-p", str(config), "-i", str(page), "-o", str(out / page.name)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
        timeout=RENDER_TIMEOUT_S)
    svgs = [out / f"{page.stem}-{n}.svg" for n in range(1, len(diagrams(page)) + 1)]
    missing = [svg.name for svg in svgs if not svg.is_file()]
    if result.returncode != 0 or missing:
        lines = (result.stdout + result.stderr).strip().splitlines()
        message = "\n".join(line for line in lines if not line.lstrip().startswith("at "))[:2000]
        raise DiagramError(f"{page.name}: a diagram did not render ({', '.join(missing)}):\n"
                           f"{message}")
    return svgs


def build(out: Path = OUT, docs: Path = DOCS) -> list[Path]:
    """Every diagram of every page, rendered; the SVG files."""
    install_packages()
    return [svg for page in pages_with_diagrams(docs) for svg in render_page(page, out)]


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    if sys.argv[1:] != ["setup"]:
        sys.exit("usage: python -m castline.docs_build setup")
    try:
        install_packages()
    except InstallError as error:
        log.error("%s", error)
        sys.exit(1)


if __name__ == "__main__":
    main()
