"""The semi-annual update: its four elements, its sources, the workflow and what it changes."""
