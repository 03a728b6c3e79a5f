"""Test support: the real app behind the Slack simulator (harness), the same as a
conversation (transcript), signed requests on the wall clock, and shared readers."""
