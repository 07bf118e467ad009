"""The secretariat's tools: FAQ answers, the eligibility questionnaire, the reviewers' comparison.

Channel-neutral services and texts that the terminal, Slack and Telegram commands share.
"""
