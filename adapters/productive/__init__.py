"""Adapter for Productive.io's JSON:API (../shared/upstream/productive-*.txt, FACTS.md)."""
