"""Template workbooks filled with openpyxl: the batch report side of csmetrics.

The only package of csmetrics that imports openpyxl. ``fill`` writes the engine's monthly
metrics into a template, ``audit`` adds the sheet of native formulas that re-checks them,
``safe_io`` saves reports without ever losing or half-writing a file.
"""
