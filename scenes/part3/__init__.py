"""Part III of the story, two inputs: one scene module per stage, named after it."""
