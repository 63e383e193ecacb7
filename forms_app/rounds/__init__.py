"""Copy to next year, comparison with last year, extensions, reminders and recommendation batches."""
