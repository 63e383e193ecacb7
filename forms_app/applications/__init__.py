"""Form pages under notices, their versions, drafts, the wizard and submissions."""
