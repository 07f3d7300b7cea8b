"""The one tabular import pipeline: read, map, validate and write rows; features register kinds."""
