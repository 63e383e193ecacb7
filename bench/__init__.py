"""Benchmarks run against a real gunicorn + PostgreSQL server (see README.md)."""
