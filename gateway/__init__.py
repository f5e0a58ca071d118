"""The Timebridge gateway: Starlette app, configuration, credentials, GraphiQL and health."""
