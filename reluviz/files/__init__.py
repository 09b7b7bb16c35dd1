"""The files a user edits or names (weights, lesson, data): reading, checking, one-line errors."""
