"""Part II of the story, ReLU in a network: one scene module per stage, named after it."""
