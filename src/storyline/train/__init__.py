"""Training the learned parts (``make train``): ``python -m storyline.train PolNeAR/train``."""
