"""Training: courses, training records, imports and compliance with the hours rule."""
