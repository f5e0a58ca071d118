"""Simulator of the Productive.io JSON:API (../shared/upstream/productive-*.txt and FACTS.md)."""
