"""The home page, the icon and the health check."""
