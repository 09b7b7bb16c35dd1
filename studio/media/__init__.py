"""Sound and video: voices, narration, loudness, captions, ffmpeg, the film."""
