"""A channel that has had several posts at once: Slack allows about one a second there,
so SalesMeet's next post waits its turn, and the person waiting is told so, not told
that Slack refused it; the post follows, once."""

from __future__ import annotations


def test_a_booking_in_a_busy_channel_says_its_post_follows_in_a_moment(team, maya):
    team.slack.enforce_rate_limits(team.clock.monotonic, post_burst=1)
    answers = []
    for n in range(4):
        maya.says(f'/salesmeet schedule "Account review {n}" tomorrow {n + 2}pm')
        answers.append(maya.sees())
    assert all(f"Scheduled meeting #{n + 1}" in a for n, a in enumerate(answers))
    queued = [a for a in answers if "follows in a moment" in a]
    assert queued and not any("didn't accept" in a for a in answers)
    for _ in range(10):  # seconds pass: each waiting post gets its turn
        team.time_passes(seconds=1)
    posted = team.channel("#sales").posts_saying("Account review")
    # Each once, however often Slack said wait.
    assert sorted(p.text.split("*")[1] for p in posted) == [f"Account review {n}" for n in range(4)]
