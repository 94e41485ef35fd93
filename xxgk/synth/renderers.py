"""The tools people flatten a report's web page with, run for real on the generated page.

Each renderer turns the `html` layout's page into the text one tool makes of it: pandoc
(plain, gfm), inscriptis, html2text, markdownify, BeautifulSoup's get_text with line breaks
or spaces, pandas.read_html then to_csv or to_string, lynx and w3m, python-docx and docx2txt
over the DOCX pandoc writes, and headless Chromium printing the page to PDF, read back by
pdftotext (with and without -layout) and pdfplumber. Gold stays the generator's.

`blanks`: what the tool's text keeps of an empty cell — "always" (a table's structure,
fixed-width columns, pandas' NaN), "nbsp" (a line of its own only where the page wrote the cell
as `&nbsp;`, nothing for `<td></td>`), "never" (a page joined by spaces, a PDF's text without
its columns). Where nothing is kept, the text of a row with an empty cell cannot tell where
each value stood: the generator marks that row's cells ambiguous.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from xxgk.synth.report import SyntheticReport, generate_report
from xxgk.template import VERSIONS, load

_TIMEOUT = 120  # seconds for one external tool on one page


class MissingTool(RuntimeError):
    """A renderer's tool (a Debian program or a Python package) is not installed here."""


@dataclass(frozen=True)
class Renderer:
    name: str
    convert: Callable[[str], str]
    needs: tuple[str, ...]  # programs on PATH and Python modules ("py:name")
    blanks: str = "always"  # "always" | "nbsp" | "never": see the module's docstring

    def drops_blanks(self, page: str) -> bool:
        """Whether the text of this page loses its empty cells."""
        return self.blanks == "never" or (self.blanks == "nbsp" and "<td></td>" in page)

    def missing(self) -> str | None:
        """What is not installed for this renderer, None when all is."""
        for need in self.needs:
            if need.startswith("py:"):
                if importlib.util.find_spec(need[3:]) is None:
                    return f"Python package {need[3:]!r}"
            elif shutil.which(need) is None:
                return f"program {need!r} (Debian package)"
        return None

    def __call__(self, page: str) -> str:
        if (what := self.missing()) is not None:
            raise MissingTool(f"renderer {self.name} needs the {what}")
        return self.convert(page)


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=True,  # type: ignore[call-overload]
                          timeout=_TIMEOUT, **kw)


def _file(page: str, directory: str, suffix: str = ".html") -> Path:
    path = Path(directory) / f"page{suffix}"
    path.write_text(page, encoding="utf-8")
    return path


def _pandoc(to: str) -> Callable[[str], str]:
    def convert(page: str) -> str:
        import pypandoc

        return str(pypandoc.convert_text(page, to, format="html"))
    return convert


def _inscriptis(page: str) -> str:
    import inscriptis

    return str(inscriptis.get_text(page))


def _html2text(page: str) -> str:
    import html2text

    return str(html2text.html2text(page))


def _markdownify(page: str) -> str:
    import markdownify

    return str(markdownify.markdownify(page))


def _soup(separator: str) -> Callable[[str], str]:
    def convert(page: str) -> str:
        from bs4 import BeautifulSoup

        return str(BeautifulSoup(page, "html.parser").get_text(separator))
    return convert


def _pandas(how: str) -> Callable[[str], str]:
    """The page's text outside its tables, then each table as pandas writes it: headings,
    paragraphs and tables in page order, however deep the page nests them (real pages keep
    them in layers of div), a table's own paragraphs inside its cells."""
    def convert(page: str) -> str:
        import pandas as pd
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(page, "html.parser")
        out = []
        for element in soup.find_all(["h1", "h2", "h3", "h4", "p", "table"]):
            if element.find_parent("table") is not None:
                continue
            if element.name != "table":
                out.append(element.get_text())
                continue
            frame = pd.read_html(io.StringIO(str(element)))[0]
            out.append(frame.to_csv(index=False) if how == "csv" else frame.to_string(index=False))
        return "\n".join(out)
    return convert


def _browser(program: str) -> Callable[[str], str]:
    def convert(page: str) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            path = _file(page, tmp)
            cmd = ([program, "-dump", "-nolist", "-assume_charset=utf-8",
                    "-display_charset=utf-8", "-width=120", str(path)] if program == "lynx"
                   else [program, "-dump", "-cols", "120", "-I", "UTF-8", "-O", "UTF-8",
                         str(path)])
            return _run(cmd).stdout
    return convert


@lru_cache(maxsize=8)
def _docx(page: str) -> bytes:
    import pypandoc

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "page.docx"
        pypandoc.convert_text(page, "docx", format="html", outputfile=str(out))
        return out.read_bytes()


def _python_docx(page: str) -> str:
    """Every paragraph and every table cell's text, one per line, in document order."""
    import docx

    document = docx.Document(io.BytesIO(_docx(page)))
    out = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            out.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            table = docx.table.Table(block, document)
            out += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(out)


def _docx2txt(page: str) -> str:
    import docx2txt

    return str(docx2txt.process(io.BytesIO(_docx(page))))


@lru_cache(maxsize=1024)  # the three PDF renderers of a sweep print each page once
def print_pdf(page: str) -> bytes:
    """The page printed to PDF by headless Chromium (what "save as PDF" gives)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    with tempfile.TemporaryDirectory() as tmp:
        path, out = _file(page, tmp), Path(tmp) / "page.pdf"
        _run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
              f"--print-to-pdf={out}", path.as_uri()])
        return out.read_bytes()


def _pdftotext(layout: bool) -> Callable[[str], str]:
    def convert(page: str) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "page.pdf"
            pdf.write_bytes(print_pdf(page))
            flags = ["-layout"] if layout else []
            return _run(["pdftotext", *flags, "-enc", "UTF-8", str(pdf), "-"]).stdout
    return convert


def _pdfplumber(page: str) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(print_pdf(page))) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


_CHROMIUM = ("chromium", "pdftotext")
RENDERERS: dict[str, Renderer] = {r.name: r for r in (
    Renderer("pandoc_plain", _pandoc("plain"), ("py:pypandoc",)),
    Renderer("pandoc_gfm", _pandoc("gfm"), ("py:pypandoc",)),
    Renderer("inscriptis", _inscriptis, ("py:inscriptis",)),
    Renderer("html2text", _html2text, ("py:html2text",)),
    Renderer("markdownify", _markdownify, ("py:markdownify",)),
    Renderer("bs4_lines", _soup("\n"), ("py:bs4",), "nbsp"),
    Renderer("bs4_spaces", _soup(" "), ("py:bs4",), "never"),
    Renderer("pandas_csv", _pandas("csv"), ("py:pandas", "py:lxml", "py:bs4")),
    Renderer("pandas_string", _pandas("string"), ("py:pandas", "py:lxml", "py:bs4")),
    Renderer("lynx", _browser("lynx"), ("lynx",), "nbsp"),
    Renderer("w3m", _browser("w3m"), ("w3m",)),
    Renderer("python_docx", _python_docx, ("py:pypandoc", "py:docx"), "nbsp"),
    Renderer("docx2txt", _docx2txt, ("py:pypandoc", "py:docx2txt"), "nbsp"),
    Renderer("pdftotext_layout", _pdftotext(True), _CHROMIUM),
    Renderer("pdftotext", _pdftotext(False), _CHROMIUM, "never"),
    Renderer("pdfplumber", _pdfplumber, ("chromium", "py:pdfplumber"), "never"),
)}


def _encoded(text: str, encoding: str) -> bytes:
    """The text saved in `encoding`; a character it lacks (GBK has no no-break space) is saved
    as a space, as the tools that save text do."""
    return "".join(c if _encodable(c, encoding) else " " for c in text).encode(encoding)


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def render_report(seed: int, renderer: str, **kw: object) -> SyntheticReport:
    """generate_report's page, flattened by `renderer`; `kw` as generate_report's."""
    tool = RENDERERS[renderer]
    encoding = str(kw.pop("encoding", None) or "utf-8")
    page = generate_report(seed, layout="html", encoding="utf-8", **kw)  # type: ignore[arg-type]
    text = tool(page.text)
    ambiguous = set(page.ambiguous)
    if tool.drops_blanks(page.text):  # a row with an empty cell: where its values stood
        for row in load(page.version).rows if page.version in VERSIONS else ():
            keys = [c.key for c in row.cells]
            if any(page.gold[k] is None for k in keys):
                ambiguous.update(keys)
    stem = page.name.rsplit(".", 1)[0]
    return replace(page, name=f"{stem}.txt", data=_encoded(text, encoding), text=text,
                   layout=renderer, encoding=encoding, ambiguous=ambiguous)
