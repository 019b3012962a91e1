"""Click commands kept in their own modules; ``storyline.cli`` registers them on ``main``."""
