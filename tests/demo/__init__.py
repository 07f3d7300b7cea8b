"""The demo department."""
