"""Exports of submissions (XLSX, CSV, JSON, PDF bundles) and imports from spreadsheets."""
