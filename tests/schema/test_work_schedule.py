"""Person.workSchedule: expected hours from Clockify's member profiles, null on Productive,
read only when selected and for each person once."""

from __future__ import annotations

from tests.stack import Stack

PEOPLE = """{ people(first: 50) { nodes { platform email workSchedule {
  dailyCapacityMinutes workingDays weekStart weeklyCapacityMinutes } } } }"""


def test_clockify_profiles_give_the_schedule_and_productive_has_none(stack: Stack) -> None:
    nodes = stack.data(PEOPLE)["people"]["nodes"]
    schedules = {(n["platform"], n["email"]): n["workSchedule"] for n in nodes}
    assert all(s is None for (p, _), s in schedules.items() if p == "PRODUCTIVE")
    assert schedules[("CLOCKIFY", "ana.kovac@example.com")] == {
        "dailyCapacityMinutes": 480,
        "workingDays": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        "weekStart": "MONDAY",
        "weeklyCapacityMinutes": 2400,
    }
    hiro = schedules[("CLOCKIFY", "hiro.tanaka@example.com")]
    assert hiro["dailyCapacityMinutes"] == 360 and hiro["weeklyCapacityMinutes"] == 1440
    profiles = stack.clockify.log.count("GET", "/member-profile/")
    assert profiles == 9  # one per Clockify person, each once
    assert stack.counts() == (1, 10)  # the people lists, and the profiles


def test_profiles_are_not_read_unless_selected(stack: Stack) -> None:
    stack.data("{ people(first: 50) { nodes { email } } }")
    assert stack.clockify.log.count("GET", "/member-profile/") == 0
    assert stack.counts() == (1, 1)
