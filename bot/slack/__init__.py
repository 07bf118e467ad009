"""The Slack channel: a slack-bolt app that turns Slack requests into engine events.

``app.build_app`` wires the listeners, ``handlers`` translates events and carries out replies,
``identity`` maps Slack users and channels to people and labs, ``inbox`` keeps requests before they
are acknowledged and replays those a crash left unapplied, ``server`` serves HTTP mode.
"""
