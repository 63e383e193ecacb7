"""Field types, the blocks editors build forms from, the schema, Django forms and the answer renderer."""
