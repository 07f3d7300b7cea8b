"""The demo department: stations, members, one user per role, and a station's activity."""
