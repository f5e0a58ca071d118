"""Adapters: translate between the unified model and each upstream's HTTP API."""
