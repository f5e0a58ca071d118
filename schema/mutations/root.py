"""The root Mutation type, assembled from each family of mutations."""

from __future__ import annotations

import strawberry

from schema.mutations.approvals import ApprovalMutations
from schema.mutations.approver_mutations import ApproverMutations
from schema.mutations.policies import PolicyMutations
from schema.mutations.submit_week import SubmitWeekMutation
from schema.mutations.time_entries import TimeEntryMutations
from schema.mutations.timers import TimerMutations


@strawberry.type(description="Change time tracking data on Productive and Clockify.")
class Mutation(
    TimerMutations,
    TimeEntryMutations,
    ApprovalMutations,
    ApproverMutations,
    PolicyMutations,
    SubmitWeekMutation,
):
    pass
