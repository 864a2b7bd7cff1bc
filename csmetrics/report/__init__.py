"""Reports: labels in three languages, and the batch filler of the template workbooks.

The only package of csmetrics that imports openpyxl. ``labels`` holds every report text,
``fill`` writes the engine's monthly metrics into a template, ``audit`` adds the sheet of
native formulas that re-checks them, ``safe_io`` saves reports without ever losing or
half-writing a file, ``batch`` runs many reports.
"""
