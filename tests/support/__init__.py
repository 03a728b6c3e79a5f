"""Test support: a fake Slack Web API server and Slack request builders."""
