"""What a render publishes: the kit, manifest, page, presenter, deck, script, batches."""
