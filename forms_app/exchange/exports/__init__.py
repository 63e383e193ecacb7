"""Exporting submissions: columns from the form versions, fast streaming writers, background jobs.

``columns`` plans the columns of a form's export (fixed ones, one per field
of every version used, tables apart); ``writers`` streams rows to XLSX, CSV
and JSON in constant memory; ``resources`` exposes the same plan as a
django-import-export resource; ``jobs`` runs large exports in the background.
"""
