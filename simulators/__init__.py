"""Faithful fakes of the Productive.io and Clockify HTTP APIs, for tests, benchmarks and demo."""
