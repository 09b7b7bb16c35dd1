"""Part I of the story, what ReLU is: one scene module per stage, named after it."""
