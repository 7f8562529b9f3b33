"""Health check for monitoring and deploys."""
