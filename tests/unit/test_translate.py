"""Pure translation: durations in every Clockify form, states, global IDs."""

from __future__ import annotations

import httpx
import pytest

from adapters.base import ApprovalState, Platform
from adapters.clockify import translate as clockify
from adapters.productive import translate as productive
from schema.errors import GatewayError
from schema.ids import decode, decode_as, encode


@pytest.mark.parametrize(
    "raw,seconds",
    [
        ("PT8H", 28800),
        ("PT1H30M", 5400),
        ("PT45S", 45),
        ("PT0S", 0),
        ("P1DT2H", 93600),
        ("PT1.5H", 5400),
        (8000, 8000),
        ("8000", 8000),
        (None, None),
        ("", None),
    ],
)
def test_clockify_durations_in_every_form(raw: object, seconds: int | None) -> None:
    assert clockify.duration_seconds(raw) == seconds


@pytest.mark.parametrize("raw", ["PT", "P", "1 hour", "PTXH", True])
def test_clockify_duration_garbage_is_refused(raw: object) -> None:
    with pytest.raises(ValueError):
        clockify.duration_seconds(raw)


def test_clockify_running_entry_has_no_duration_and_a_local_date() -> None:
    record = clockify.time_entry(
        {
            "id": "e1",
            "userId": "u1",
            "billable": True,
            "timeInterval": {"start": "2026-11-16T23:30:00Z", "end": None, "duration": None},
        },
        "Asia/Tokyo",
    )
    assert record.running and record.duration_seconds is None and record.billable_seconds is None
    assert record.date.isoformat() == "2026-11-17"  # 08:30 the next day in Tokyo


def test_clockify_report_entry_reads_underscore_id_and_integer_seconds() -> None:
    record = clockify.time_entry(
        {
            "_id": "r1",
            "userId": "u1",
            "billable": False,
            "locked": True,
            "tags": [{"id": "t1", "name": "x"}],
            "timeInterval": {
                "start": "2026-11-16T09:00:00+00:00",
                "end": "2026-11-16T10:00:00+00:00",
                "duration": 3600,
            },
        },
        None,
    )
    assert (record.remote_id, record.duration_seconds, record.billable_seconds) == ("r1", 3600, 0)
    assert record.locked and record.tag_ids == ("t1",)


@pytest.mark.parametrize(
    "attributes,disabled,state,raw",
    [
        ({"approved": True}, False, ApprovalState.APPROVED, "approved"),
        ({"rejected": True}, False, ApprovalState.REJECTED, "rejected"),
        ({"submitted": True}, False, ApprovalState.PENDING, "submitted"),
        ({}, False, ApprovalState.DRAFT, "unapproved"),
        ({}, True, ApprovalState.PENDING, "unapproved"),
    ],
)
def test_productive_approval_states(
    attributes: dict[str, bool], disabled: bool, state: ApprovalState, raw: str
) -> None:
    assert productive.approval_state(attributes, not disabled) == (state, raw)


def test_global_ids_round_trip_and_refuse_strangers() -> None:
    remote = "0123456789abcdef01234567"
    value = encode("TimeEntry", Platform.CLOCKIFY, remote)
    name, key = decode(value, "id")
    assert (name, key.platform, key.remote_id) == ("TimeEntry", Platform.CLOCKIFY, remote)
    with pytest.raises(GatewayError, match="^id: "):
        decode("!!!", "id")
    with pytest.raises(GatewayError, match="expected Person"):
        decode_as(value, "filter.personIds", "Person")
    with pytest.raises(GatewayError):
        decode(encode("Person", Platform.PRODUCTIVE, "1").replace("c", "x", 1) + "zz", "id")


@pytest.mark.parametrize(
    ("type_name", "platform", "remote"),
    [
        ("TimeEntry", Platform.CLOCKIFY, "8160/../../../_sim/requests"),
        ("TimeEntry", Platform.CLOCKIFY, "abc:def"),
        ("Person", Platform.PRODUCTIVE, "1/../../x"),
        ("Person", Platform.PRODUCTIVE, "1,2"),
        ("Person", Platform.PRODUCTIVE, "12a"),
        ("Task", Platform.CLOCKIFY, "0123456789abcdef01234567/.."),
        ("Approval", Platform.CLOCKIFY, "timesheet/../0123456789abcdef01234567"),
        ("Approval", Platform.CLOCKIFY, "time_off/0123456789abcdef01234567"),
    ],
)
def test_ids_carry_only_upstream_shaped_ids(
    type_name: str, platform: Platform, remote: str
) -> None:
    with pytest.raises(GatewayError, match="is not a Timebridge ID"):
        decode(encode(type_name, platform, remote), "id")


def test_composite_ids_check_each_part() -> None:
    hex24 = "0123456789abcdef01234567"
    for type_name, remote in (
        ("Task", f"{hex24}/{hex24}"),
        ("Task", f"/{hex24}"),
        ("Approval", f"timesheet/{hex24}"),
        ("Approval", f"time_off/{hex24}/{hex24}"),
    ):
        assert decode(encode(type_name, Platform.CLOCKIFY, remote), "id")[1].remote_id == remote


def test_upstream_field_errors_map_to_unified_input_paths() -> None:
    from adapters.clockify.client import map_error as clockify_error
    from adapters.productive.client import map_error as productive_error
    from schema.mutations.common import UserErrorCode, map_rejection
    from schema.mutations.time_entry_inputs import CLOCKIFY_FIELDS, PRODUCTIVE_FIELDS

    productive = httpx.Response(
        422,
        json={
            "errors": [
                {
                    "status": "422",
                    "code": "invalid_attribute",
                    "title": "Invalid Attribute",
                    "detail": "can't be blank",
                    "source": {"pointer": "data/attributes/date"},
                }
            ]
        },
    )
    [problem] = map_rejection(productive_error(productive), PRODUCTIVE_FIELDS)
    assert (problem.code, problem.field) == (UserErrorCode.INVALID_INPUT, ("input", "date"))
    clockify = httpx.Response(
        400, json={"message": "Field 'end' must be after 'start'", "code": 400}
    )
    [problem] = map_rejection(clockify_error(clockify), CLOCKIFY_FIELDS)
    assert problem.field == ("input", "endedAt")
    conflict = httpx.Response(
        409,
        json={
            "errors": [
                {
                    "status": "409",
                    "code": "record_already_archived",
                    "title": "Conflict error",
                    "source": {},
                }
            ]
        },
    )
    [problem] = map_rejection(productive_error(conflict), {})
    assert problem.code is UserErrorCode.CONFLICT


def test_every_upstream_path_segment_is_encoded_and_dot_segments_refused() -> None:
    from adapters.upstream_paths import UnsafePath, encode_path

    assert encode_path("/workspaces/ab12/time-entries") == "/workspaces/ab12/time-entries"
    assert encode_path("/tags/a b?c#d") == "/tags/a%20b%3Fc%23d"
    for bad in ("/a/../b", "/a/./b", "/a//b", "relative/path", "/a/"):
        with pytest.raises(UnsafePath):
            encode_path(bad)


@pytest.mark.parametrize(
    "days,expected",
    [
        ('["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]', 5),  # the docs' sample
        (["SATURDAY", "SUNDAY"], 2),
        ("MONDAY", 1),  # the spec's type: one day
        ("[not json", 0),
        (None, 0),
    ],
)
def test_clockify_working_days_in_every_documented_shape(days: object, expected: int) -> None:
    schedule = clockify.work_schedule(
        {"workCapacity": "PT7H30M", "workingDays": days, "weekStart": "SUNDAY"}
    )
    assert len(schedule.working_days) == expected
    assert schedule.capacity_seconds == 27000 and schedule.week_start == "SUNDAY"
