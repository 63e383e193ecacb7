"""Models of the forms app, one idea per module; import them from here."""

from .pages import ApplicationFormPage, FormVersion, definition_hash
from .regions import LEVEL_ORDER, Region

__all__ = ["LEVEL_ORDER", "ApplicationFormPage", "FormVersion", "Region", "definition_hash"]
