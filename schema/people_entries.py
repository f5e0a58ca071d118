"""The entries of a people list: the query one person's `timeEntries` reads, and everyone's
entries read beside the list.

`people { … timeEntries(filter: {dateRange: …}) }` asks for the entries of every person the
list holds. Read by person IDs they wait for the list: two dependent round trips. The entries
of a date range can also be read without person IDs (Productive's `GET /time_entries` by date,
Clockify's detailed report without a users filter), so when the list has no text or email
filter the people resolver starts that read beside the people read, and each person's entries
are taken from it: one round trip. Only what fits in one upstream page is used (200 entries on
Productive, 1,000 on Clockify's report); a bigger organisation's week is read by person IDs
after the list, as before, and that first page was read for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments

from adapters.base import EntryQuery, Platform
from schema.context import Context
from schema.filters import PersonFilter, PersonTimeEntryFilter, TimeEntryOrder, entry_query
from schema.merged_entries import scope_for
from schema.selection import selected_relations

# Where a people connection's nodes are, and where their entries' fields are below them.
NODES = (("edges", "node"), ("nodes",))
ENTRY_NODES = (("timeEntries", "edges", "node"), ("timeEntries", "nodes"))


def person_entry_query(
    flt: PersonTimeEntryFilter | None, order: TimeEntryOrder | None, platform: Platform
) -> EntryQuery | None:
    """The query a person's `timeEntries(filter, orderBy)` reads on the person's platform;
    None when the filter leaves that platform nothing to match. Raises the user errors of a
    bad filter or order."""
    from schema.time_entry import check_order

    query, scopes = entry_query(flt, order)
    check_order(query, [platform], "orderBy")
    return scope_for(query, None, scopes, platform)


def read_everyones_entries(
    info: strawberry.Info[Context, None], platforms: list[Platform], flt: PersonFilter
) -> None:
    """Start everyone's entries for each date-bounded `timeEntries` below the people list's
    nodes, on each of `platforms`, beside the people read (see the module's docstring)."""
    if flt.text or flt.emails:
        return
    raw: GraphQLResolveInfo[Context] = info._raw_info
    person = raw.schema.type_map["Person"]
    assert isinstance(person, GraphQLObjectType)
    field = person.fields["timeEntries"]
    definition = (field.extensions or {})[GraphQLCoreConverter.DEFINITION_BACKREF]
    # strawberry hands resolvers the coerced values alone (its `build_resolve_info`); the
    # sources graphql-core keeps beside them only tell defaults apart.
    coerced: Any = raw.variable_values
    variables = VariableValues({}, coerced)
    entry_fields = _entry_fields(raw, variables)
    if not entry_fields:
        return
    schema = info.schema
    loaders = info.context.loaders
    paths = [(info.field_name, *nodes, *entries) for nodes in NODES for entries in ENTRY_NODES]
    relations = selected_relations(info, *paths)
    for node in entry_fields:
        try:
            arguments = convert_arguments(
                get_argument_values(field, node, variables),
                definition.arguments,
                scalar_registry=schema.schema_converter.scalar_registry,
                config=schema.config,
                info=info,
            )
            queries = {
                p: person_entry_query(arguments.get("filter"), arguments.get("order_by"), p)
                for p in platforms
            }
        except GraphQLError:
            continue  # the person's own resolver reports it
        for platform, query in queries.items():
            # Unbounded, everyone's entries would be everything ever tracked.
            if query is None or query.start is None or query.end is None:
                continue
            loaders.relations[platform] = loaders.relations[platform] | relations
            loaders.read_everyones_entries(platform, query)


def _entry_fields(raw: GraphQLResolveInfo[Context], variables: VariableValues) -> list[FieldNode]:
    """The `timeEntries` fields below the people list's nodes, as execution will see them
    (fragments looked through, @skip and @include applied)."""
    found: list[FieldNode] = []
    for path in NODES:
        level: list[FieldNode] = list(raw.field_nodes)
        for name in (*path, "timeEntries"):
            level = [f for node in level for f in _named(node.selection_set, name, raw, variables)]
        found += level
    return found


def _named(
    selections: SelectionSetNode | None,
    name: str,
    raw: GraphQLResolveInfo[Context],
    variables: VariableValues,
) -> Iterable[FieldNode]:
    for selection in selections.selections if selections else ():
        if not _included(selection, variables):
            continue
        if isinstance(selection, FieldNode):
            if selection.name.value == name:
                yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _named(selection.selection_set, name, raw, variables)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = raw.fragments.get(selection.name.value)
            if fragment is not None:
                yield from _named(fragment.selection_set, name, raw, variables)


def _included(node: object, variables: VariableValues) -> bool:
    if not isinstance(node, FieldNode | InlineFragmentNode | FragmentSpreadNode):
        return False
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip and skip["if"]:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return not (include and not include["if"])
