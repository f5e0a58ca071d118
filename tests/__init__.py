"""Timebridge tests: behaviour through real interfaces, over loopback HTTP."""
