"""Adapter for Clockify's REST API v1 and reports API (../shared/upstream/clockify-*)."""
