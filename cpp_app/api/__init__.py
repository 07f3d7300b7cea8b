"""JSON API v1: engagement records for records systems, personal tokens, an OpenAPI document."""
