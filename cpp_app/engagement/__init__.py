"""Engagement: records of engagement, the rules that link them, and the figures they give."""
