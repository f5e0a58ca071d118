"""`node(id:)`: from a global ID to the object, through the same loaders as everything else."""

from __future__ import annotations

from adapters.base import Platform
from adapters.clockify import translate as clockify_translate
from adapters.productive import translate as productive_translate
from schema.approval import Approval
from schema.assignments import load_assignment
from schema.context import Context
from schema.ids import NodeKey, decode
from schema.node import Node
from schema.person import Person
from schema.policy import Policy, policy_object
from schema.time_entry import TimeEntry
from schema.timer import Timer
from schema.work import Service, Tag, load_project, load_task


async def resolve_node(ctx: Context, value: str, argument: str) -> Node | None:
    type_name, key = decode(value, argument)
    loaders = ctx.loaders
    ctx.adapter(key.platform)  # an unconfigured platform is an error, not a null
    if type_name == "Person":
        record = await loaders.people[key.platform].load(key.remote_id)
        return Person(record=record) if record else None
    if type_name == "TimeEntry":
        entry = await loaders.entries[key.platform].load(key.remote_id)
        return TimeEntry(record=entry) if entry else None
    if type_name == "Timer":
        return await _timer(ctx, key)
    if type_name == "Project":
        return await load_project(ctx, key.platform, key.remote_id)
    if type_name == "Task":
        project_id, _, task_id = key.remote_id.rpartition("/")
        return await load_task(ctx, key.platform, project_id or None, task_id)
    if type_name == "Service" and key.platform is Platform.PRODUCTIVE:
        service = await loaders.services.load(key.remote_id)
        return Service(record=service) if service else None
    if type_name == "Tag" and key.platform is Platform.CLOCKIFY:
        tag = await loaders.tag(key.remote_id)
        return Tag(record=tag) if tag else None
    if type_name in ("TimeTrackingPolicy", "ApprovalPolicy", "TimeOffPolicy"):
        policy = await loaders.policy(key.platform, key.remote_id)
        found: Policy | None = policy_object(policy) if policy else None
        return found if found is not None and type(found).__name__ == type_name else None
    if type_name == "Approval":
        return await _approval(ctx, key)
    if type_name == "ApprovalPolicyAssignment":
        return await load_assignment(ctx, key.remote_id)
    if type_name == "Human":
        from schema.humans.query import load_human

        return await load_human(ctx, key.platform, key.remote_id)
    return None


async def _timer(ctx: Context, key: NodeKey) -> Timer | None:
    if key.platform is Platform.PRODUCTIVE:
        timer = (await ctx.adapter(key.platform).get_timers([key.remote_id]))[0]
        return Timer(record=timer) if timer else None
    # A Clockify timer is its time entry (running, or stopped since).
    entry = await ctx.loaders.entries[key.platform].load(key.remote_id)
    return Timer(record=clockify_translate.timer(entry)) if entry else None


async def _approval(ctx: Context, key: NodeKey) -> Approval | None:
    if key.platform is Platform.PRODUCTIVE and key.remote_id.startswith("booking/"):
        from schema.approver_reads import productive_approvers

        booking = await productive_approvers(ctx).booking(key.remote_id.partition("/")[2])
        return Approval(record=booking) if booking else None
    if key.platform is Platform.PRODUCTIVE:
        entry = await ctx.loaders.entries[key.platform].load(key.remote_id)
        return Approval(record=productive_translate.entry_approval(entry)) if entry else None
    kind, _, rest = key.remote_id.partition("/")
    adapter = ctx.adapter(key.platform)
    if kind == "timesheet":
        records = await adapter.approval_requests()
    elif kind == "time_off":
        records = await adapter.time_off_requests()
        rest = rest.rpartition("/")[2]
    else:
        return None
    found = next((r for r in records if r.remote_id == rest), None)
    return Approval(record=found) if found else None
