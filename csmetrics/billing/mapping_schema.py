"""The one schema of a lines mapping (``--from generic``, and the bundled Chargebee and
Recurly maps), as data, and the check of a mapping against it.

Every key a mapping may hold is listed, with the values it allows; the allowed words come
from their one definition (the model's kinds and statuses, the supported locales, the
readings of ``maps/currency_decimals.toml``), so a typo (``inclusiv``, ``recuring``) is an
error listing what is allowed, never a silent default.
"""

from csmetrics.billing.checks import Finding
from csmetrics.billing.minor_units import readings
from csmetrics.billing.model import KINDS, STATUSES
from csmetrics.tables.locales import SUPPORTED

TEXT = "text"
FLAG = "true or false"

LINE_COLUMNS = ("customer_id", "invoice_id", "currency", "amount", "start")
LINE_OPTIONAL = ("line_id", "invoice_total", "end", "subscription_id", "discount", "tax",
                 "kind", "status", "proration", "issue_date", "due_date", "paid_date",
                 "written_off_date")
CREDIT_NOTE_COLUMNS = ("credit_note_id", "invoice_id", "total")
CREDIT_NOTE_OPTIONAL = ("type", "status", "date")


def _columns(required, optional):
    """The columns of a table: every required name, and any optional one (a map may
    require an optional column, so that its file is recognised by it)."""
    return {"keys": {name: TEXT for name in required + optional}, "required": required}


def _words(allowed):
    return {"any_key": tuple(allowed)}


def schema():
    """The schema: a table is ``{"keys": {key: schema}, "required": (...)}`` or
    ``{"any_key": schema}``; a leaf is :data:`TEXT`, :data:`FLAG` or a tuple of the words
    allowed."""
    units = ("cents", "units")
    return {"required": ("tables",), "keys": {
        "locale": SUPPORTED,
        "decimals": tuple(readings()),
        "tables": {"required": ("lines",), "keys": {
            "lines": {"required": ("columns",), "keys": {
                "unit": units,
                "end": ("exclusive", "inclusive"),
                "amount_includes_tax": FLAG,
                "amount_after_discount": FLAG,
                "columns": _columns(LINE_COLUMNS, LINE_OPTIONAL),
                "optional": _columns((), LINE_OPTIONAL),
                "kinds": _words(KINDS),
                "statuses": _words(STATUSES),
            }},
            "credit_notes": {"required": ("columns",), "keys": {
                "unit": units,
                "optional_table": FLAG,
                "columns": _columns(CREDIT_NOTE_COLUMNS, CREDIT_NOTE_OPTIONAL),
                "optional": _columns((), CREDIT_NOTE_OPTIONAL),
            }},
        }},
    }}


def mapping_problems(spec, name):
    """Error findings for every value of the mapping ``spec`` (read from the file ``name``)
    that the schema does not allow, each naming the key, the value and what is allowed.

    >>> spec = {"tables": {"lines": {"end": "inclusiv", "columns": {
    ...     "customer_id": "C", "invoice_id": "I", "currency": "D", "amount": "A",
    ...     "start": 1}, "kinds": {"abo": "recuring"}}}}
    >>> for problem in mapping_problems(spec, "map.toml"):
    ...     print(problem)
    error: map.toml, column 'tables.lines.end': 'inclusiv' is not allowed here; the allowed
    values are: exclusive, inclusive
    error: map.toml, column 'tables.lines.columns.start': 1 is not text: a column name is
    written in quotes ("Date")
    error: map.toml, column 'tables.lines.kinds.abo': 'recuring' is not allowed here; the
    allowed values are: recurring, proration, one_off, credit
    """
    return list(_problems(spec, schema(), (), name))


def _problems(value, rule, path, name):
    key = ".".join(path) or "(top)"
    if isinstance(rule, dict):
        if not isinstance(value, dict):
            yield Finding("error", f"{value!r} should be a table ([{key}])", name, None, key)
            return
        for missing in [k for k in rule.get("required", ()) if k not in value]:
            yield Finding("error", f"the mapping needs '{missing}' here (our column = the "
                          "file's header)" if "columns" in path else
                          f"the mapping needs [{'.'.join((*path, missing))}]", name, None, key)
        for child, inner in value.items():
            if "any_key" in rule:
                yield from _problems(inner, rule["any_key"], (*path, str(child)), name)
            elif child in rule["keys"]:
                yield from _problems(inner, rule["keys"][child], (*path, child), name)
            else:
                yield Finding("error", f"unknown key {child!r}; the allowed keys here are: "
                              f"{', '.join(rule['keys'])}", name, None,
                              ".".join((*path, str(child))))
    elif rule == TEXT:
        if not isinstance(value, str) or not value.strip():
            yield Finding("error", f"{value!r} is not text: a column name is written in quotes "
                          '("Date")', name, None, key)
    elif rule == FLAG:
        if not isinstance(value, bool):
            yield Finding("error", f"{value!r} is not true or false", name, None, key)
    elif not isinstance(value, str) or value not in rule:
        yield Finding("error", f"{value!r} is not allowed here; the allowed values are: "
                      f"{', '.join(rule)}", name, None, key)
