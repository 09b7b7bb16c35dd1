"""The story's words: how numbers are written and said, and the stages' names and titles."""
