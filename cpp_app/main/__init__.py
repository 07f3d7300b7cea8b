"""The home page with what needs attention, and the health check."""
