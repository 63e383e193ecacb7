"""The built-in field types, registered in the order the editor's "add field" menu lists them.

A new type is one module here (its block, Django field and readings, see ``registry.FieldType``)
and its line below.
"""

from forms_app.builder.types import (  # noqa: F401  (importing a module registers its types)
    address,
    choices,
    dates,
    files,
    identity,
    numbers,
    regions,
    tables,
    text,
)
