"""Shenbao's application forms: one Django app per role, layered from the builder up to the review desk."""
