"""How a locale writes numbers and dates in a file, from CLDR through Babel.

A :class:`LocaleConventions` holds what a reader needs: the decimal separator, the
thousands separators, whether dates are written day first, and the Windows code page that
Excel uses for a non-UTF-8 CSV. The symbols and the date order come from the Unicode CLDR
data that Babel ships (``babel.numbers.get_decimal_symbol``, ``get_group_symbol`` and the
short date pattern of ``babel.dates.get_date_format``); only the code page, which CLDR does
not record, comes from Microsoft's table of Windows ANSI code pages
(https://learn.microsoft.com/windows/win32/intl/code-page-identifiers).
"""

import unicodedata
from dataclasses import dataclass

from babel.dates import get_date_format
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

CODE_PAGES = {"en": "cp1252", "fr": "cp1252", "ro": "cp1250", "de": "cp1252"}
SUPPORTED = tuple(CODE_PAGES)
SPACES = frozenset({" ", "\u00a0", "\u202f"})  # space, no-break space, narrow no-break space


@dataclass(frozen=True)
class LocaleConventions:
    """How one locale writes numbers and dates, and the code page of its CSV files.

    Examples
    --------
    >>> fr = resolve_locale("fr")
    >>> fr.decimal, sorted(fr.groups), fr.day_first, fr.code_page, fr.list_separator
    (',', [' ', '\\xa0', '\\u202f'], True, 'cp1252', ';')
    >>> fr.describe()
    'decimal comma, thousands separated by spaces, day-first dates (dd/mm/yyyy)'
    """

    code: str
    decimal: str
    groups: frozenset
    day_first: bool
    date_separator: str
    code_page: str

    @property
    def list_separator(self):
        """The field separator Excel writes in this locale's CSV files."""
        return ";" if self.decimal == "," else ","

    @property
    def number_example(self):
        """1250.5 as this locale writes it (the thousands separator shown as a space)."""
        return "".join(" " if c in SPACES else c for c in format_decimal(1250.5, locale=self.code,
                                                                       format="#,##0.00"))

    def describe(self):
        """The conventions in words, for messages."""
        decimal = "decimal comma" if self.decimal == "," else "decimal point"
        groups = "spaces" if self.groups <= SPACES else " or ".join(
            f"'{g}'" for g in sorted(self.groups))
        order = "dd/mm/yyyy" if self.day_first else "mm/dd/yyyy"
        if self.date_separator != "/":
            order = order.replace("/", self.date_separator)
        first = "day-first" if self.day_first else "month-first"
        return f"{decimal}, thousands separated by {groups}, {first} dates ({order})"


def resolve_locale(code):
    """The :class:`LocaleConventions` of ``code``, or None for no locale.

    Without a locale a reader accepts only what reads one way. ``code`` is matched
    without regard to case; ``fr_FR`` and ``fr-FR`` mean ``fr``.

    Examples
    --------
    >>> resolve_locale(None) is None
    True
    >>> ro = resolve_locale("ro-RO")
    >>> ro.decimal, sorted(ro.groups), ro.date_separator, ro.code_page
    (',', ['.'], '.', 'cp1250')
    >>> resolve_locale("xx")
    Traceback (most recent call last):
    ...
    ValueError: unknown locale 'xx'; the supported locales are en, fr, ro, de
    """
    if code is None or isinstance(code, LocaleConventions):
        return code
    language = str(code).strip().replace("-", "_").split("_")[0].lower()
    if language not in CODE_PAGES:
        raise ValueError(
            f"unknown locale {code!r}; the supported locales are {', '.join(SUPPORTED)}"
        )
    return _conventions(language)


def _conventions(code):
    group = get_group_symbol(code)
    pattern = get_date_format("short", locale=code).pattern
    return LocaleConventions(
        code=code,
        decimal=get_decimal_symbol(code),
        groups=SPACES if unicodedata.category(group) == "Zs" else frozenset({group}),
        day_first=pattern.lower().index("d") < pattern.index("M"),
        date_separator=next(c for c in pattern if not c.isalpha()),
        code_page=CODE_PAGES[code],
    )
