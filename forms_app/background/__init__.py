"""Long work done by a task worker, tracked so the user sees its progress and outcome."""
