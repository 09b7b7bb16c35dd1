"""What every scene draws with: the story scene, style, numbers, plots, the diagram."""
