"""The README stays short and the docs pages stay true to the Makefile: every link leads
somewhere, every variable a user sets is in the README's table, every command is named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MAKEFILE = ROOT / "Makefile"
PAGES = sorted((ROOT / "docs").glob("*.md"))
MAX_README_LINES = 250
#: Pages the README's "Learn more" links that may be written by someone else; a link to one
#: must still lead to a file (this test fails until it exists).
EXPECTED_PAGES = {"architecture.md"}
#: Make variables defined with ?= that are no setting of reluviz's: PYTHON is only the
#: interpreter `make setup` builds .venv with (python3), not something a render reads.
INTERNAL_VARIABLES = {"PYTHON"}
#: .PHONY targets nobody needs to type: `make test` runs both (the browser and office
#: packages its tests need, and ruff over the code).
INTERNAL_TARGETS = {"test-packages", "lint"}
#: The targets a user runs, as the issue lists them: each must be named as `make <target>`.
USER_TARGETS = {
    "render",
    "preview",
    "deck",
    "present",
    "script",
    "list",
    "batch",
    "weights",
    "train",
    "test",
    "test-heavy",
    "test-props",
    "bench",
}


def without_fences(text: str) -> str:
    """Markdown without its fenced blocks (a `# comment` in one is no heading)."""
    return re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.DOTALL | re.MULTILINE)


def prose(text: str) -> str:
    """Markdown without its fenced blocks and inline code, where a link cannot be."""
    return re.sub(r"`[^`\n]*`", "", without_fences(text))


def links(path: Path) -> list[str]:
    """The targets of every link and image in a Markdown file."""
    return re.findall(r"!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose(path.read_text()))


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", without_fences(path.read_text()), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def make_variables() -> set[str]:
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*\?=", MAKEFILE.read_text(), flags=re.MULTILINE))


def phony_targets() -> set[str]:
    (line,) = re.findall(r"^\.PHONY:(.*)$", MAKEFILE.read_text(), flags=re.MULTILINE)
    return set(line.split())


def variables_table() -> set[str]:
    """The names in the first column of the README's table headed `| variable | ...`."""
    lines = README.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\|\s*variable\s*\|", line))
    names = set()
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    return names


def test_the_readme_is_short():
    lines = len(README.read_text().splitlines())
    assert lines < MAX_README_LINES, f"README.md has {lines} lines; move detail into a docs/ page"


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(page):
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.is_file():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert not broken, broken


def test_the_readme_links_every_docs_page():
    linked = {Path(target.partition("#")[0]).name for target in links(README) if target.startswith("docs/")}
    missing = ({page.name for page in PAGES} | EXPECTED_PAGES) - linked
    assert not missing, f"docs pages the README's Learn more does not link: {sorted(missing)}"


def test_every_make_variable_is_in_the_readmes_variables_table():
    assert "VOICE_TIMEOUT" in make_variables()  # the Makefile is read as it should be
    missing = make_variables() - INTERNAL_VARIABLES - variables_table()
    assert not missing, f"Make variables missing from the README's variables table: {sorted(missing)}"


def test_every_command_a_user_runs_is_named_in_the_readme_or_a_docs_page():
    phony = phony_targets()
    assert USER_TARGETS <= phony, f"not in the Makefile's .PHONY line: {sorted(USER_TARGETS - phony)}"
    text = "\n".join(path.read_text() for path in [README, *PAGES])
    named = set(re.findall(r"\bmake ([a-z][a-z-]*)", text))
    missing = (phony - INTERNAL_TARGETS) - named
    assert not missing, f"targets no page names as `make <target>`: {sorted(missing)}"


def test_the_readme_has_the_notebook_example_its_test_runs():
    # tests/studio/test_notebook.py takes the first ```python block after this heading and runs it
    heading = "### From Python (a notebook)"
    text = README.read_text()
    assert re.search(rf"^{re.escape(heading)}$", text, flags=re.MULTILINE), heading
    assert re.search(r"^```python\n.+?^```", text.split(heading, 1)[1], flags=re.DOTALL | re.MULTILINE)


def test_make_test_is_what_ci_runs_and_the_readme_says_so():
    assert "make test\n" in (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^```sh\nmake render .*\nmake test .*\n```", README.read_text(), flags=re.MULTILINE)
