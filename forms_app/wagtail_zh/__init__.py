"""Wagtail's admin wholly in Simplified Chinese: the strings Wagtail's own zh_Hans catalogues lack."""
