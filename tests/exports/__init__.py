"""CSV downloads, plain and Excel-friendly."""
