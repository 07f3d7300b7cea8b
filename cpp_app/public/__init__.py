"""The public portal: published plans, "you said, we did", the dashboard and open data."""
