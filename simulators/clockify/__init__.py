"""Simulator of the Clockify REST API v1 and its reports API (../shared/upstream/clockify-*)."""
