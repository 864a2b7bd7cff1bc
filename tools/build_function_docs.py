"""Write docs/functions.md from the UDF registry: ``python tools/build_function_docs.py``.

Per function: the Excel name and call, the help line, the arguments with their docs, and
from the core function's docstring the formula (Returns), the reading of the sources
(Notes, Warnings) and the worked example (Examples, which runs as a doctest in the core).
A test fails when the file on disk differs from what this script writes (``make docs``).
"""

import inspect
import sys
from pathlib import Path

from udfs.explain import ARGUMENTS_DOC, CS_EXPLAIN, FUNCTION_NAME_DOC
from udfs.registry import REGISTRY

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "functions.md"

INTRO = """\
# Excel functions

Generated from `udfs/registry.py` by `tools/build_function_docs.py` (`make docs`); do not
edit by hand. Rates are fractions (format the cell as a percentage); NPS is on its own
-100..+100 scale. Each function calls the `csmetrics` Python function named under it.

## Errors

| value | when |
|---|---|
| `#DIV/0!` | a denominator is zero, or a range holds no numbers |
| `#NUM!` | an impossible value: a negative count, a score off its scale, more lost than held |
| `#VALUE!` | a single-number argument is text, blank or TRUE/FALSE |
| `#N/A`, `#REF!`, `#SPILL!`, ... | an input cell already holds that error: it is passed on |

Every Excel error value is passed on, the seven classic ones (`#NULL!`, `#DIV/0!`,
`#VALUE!`, `#REF!`, `#NAME?`, `#NUM!`, `#N/A`) and those of newer Excel versions
(`#GETTING_DATA`, `#SPILL!`, `#CONNECT!`, `#BLOCKED!`, `#UNKNOWN!`, `#FIELD!`, `#CALC!`,
`#BUSY!`, `#EXTERNAL!`, `#PYTHON!`), in a range as in a single cell: an error in, the same
error out. In a range, blanks, text and TRUE/FALSE are skipped, as Excel's AVERAGE does.
Dates are `#VALUE!`: no argument is a date. `=CS_EXPLAIN("CS_CRR", B2, B3, B4)` returns the message
behind an error, for example `CS_CRR: customers_start must be > 0, got 0`.
"""


def render():
    """The whole page as text."""
    parts = [INTRO, _explain_section()]
    parts += [_function_section(spec) for spec in REGISTRY]
    return "\n".join(parts)


def _explain_section():
    return (
        f"## CS_EXPLAIN\n\n{CS_EXPLAIN.__doc__}\n\n"
        "`=CS_EXPLAIN(function_name, arguments...)`\n\n"
        "| argument | kind | description |\n|---|---|---|\n"
        f"| function_name | text | {FUNCTION_NAME_DOC} |\n"
        f"| arguments... | any | {ARGUMENTS_DOC} |\n"
    )


def _function_section(spec):
    sections = _docstring_sections(spec.core)
    call = ", ".join(
        f"[{arg.name}]" if arg.optional else arg.name for arg in spec.args
    )
    lines = [
        f"## {spec.excel_name}\n",
        f"{spec.help}\n",
        f"`={spec.excel_name}({call})`"
        + (" spills a table with a header row." if spec.table else "")
        + "\n",
        f"Python: `csmetrics.{spec.core.__name__}`\n",
        "| argument | kind | description |",
        "|---|---|---|",
        *(f"| {arg.name} | {_kind(arg)} | {arg.doc} |" for arg in spec.args),
        "",
        f"**Formula.** {_prose(sections['Returns'][1:])}\n",
    ]
    for title in ("Notes", "Warnings"):
        if title in sections:
            lines.append(f"**{title}.** {_prose(sections[title])}\n")
    lines += ["**Worked example.**\n", *_example(sections["Examples"])]
    return "\n".join(lines)


def _kind(arg):
    if arg.optional:
        return f"{arg.kind.value}, default {arg.default}"
    return arg.kind.value


def _docstring_sections(function):
    """A numpy-style docstring as {section title: its lines}."""
    lines = inspect.cleandoc(function.__doc__).splitlines()
    sections, title = {"Summary": []}, "Summary"
    previous = ""
    for line, underline in zip(lines, [*lines[1:], ""], strict=True):
        if line.strip() and underline.strip() == "-" * len(line.strip()):
            title = line.strip()
            sections[title] = []
        elif line.strip() != "-" * len(previous.strip()) or not line.strip():
            sections[title].append(line)
        previous = line
    return sections


def _prose(lines):
    """Docstring lines as one markdown paragraph (reST literals and roles made plain)."""
    text = " ".join(line.strip() for line in lines if line.strip())
    return text.replace(":func:`", "`").replace(":class:`", "`").replace("``", "`")


def _example(lines):
    """Example paragraphs: prose as text, ``>>>`` blocks fenced as pycon."""
    out = []
    for paragraph in "\n".join(lines).strip().split("\n\n"):
        if paragraph.lstrip().startswith(">>>"):
            out += ["```pycon", inspect.cleandoc(paragraph), "```", ""]
        else:
            out += [_prose(paragraph.splitlines()), ""]
    return out


def main():
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
