"""The Slack fixtures (the real bolt app against the fake Slack) for the access tests."""

from tests.slack.conftest import fake_slack, slack, slack_service, slack_settings  # noqa: F401  (fixtures)
