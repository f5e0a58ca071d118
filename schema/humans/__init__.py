"""One human across both tools: linking accounts, the weekly timesheet, policy compliance
counting both tools, and cross-tool overlaps (issue 15). The modules named after a
computation (`days`, `compliance`, `overlaps`) are pure: they take records, not requests."""
