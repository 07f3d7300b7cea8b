"""Reports: PDF reports, the annual report, and large reports prepared outside the request."""
