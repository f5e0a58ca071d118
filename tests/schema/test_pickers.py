"""Picker lists for timer and timesheet forms: projects, services, tasks and tags from both
platforms, with search, parent and archived filters, paging, and exact upstream counts."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from tests.stack import Stack


def names(data: dict[str, Any], field: str) -> list[tuple[str, str]]:
    return [(n["platform"], n["name"]) for n in data[field]["nodes"]]


def sent(stack: Stack, path: str) -> list[dict[str, list[str]]]:
    return [parse_qs(r.query) for r in stack.productive.log.matching("GET", path)]


def test_projects_from_both_platforms_by_name_in_one_read_each(stack: Stack) -> None:
    data = stack.data("{ projects { totalCount nodes { platform name archived } } }")
    assert data["projects"]["totalCount"] == 6
    assert names(data, "projects")[:2] == [("CLOCKIFY", "Internal"), ("PRODUCTIVE", "Internal")]
    assert stack.counts() == (1, 1)


def test_project_search_and_archived_filter_reach_productive(stack: Stack) -> None:
    data = stack.data(
        '{ projects(filter: {text: "mobile", archived: false}) { nodes { platform name } } }'
    )
    assert sorted(names(data, "projects")) == [
        ("CLOCKIFY", "Mobile app"),
        ("PRODUCTIVE", "Mobile app"),
    ]
    [query] = sent(stack, "/projects")
    assert query["filter[query]"] == ["mobile"] and query["filter[status]"] == ["1"]
    archived = stack.data("{ projects(filter: {archived: true}) { totalCount } }")
    assert archived["projects"]["totalCount"] == 0


def test_services_are_productive_only_and_filter_by_project(stack: Stack) -> None:
    everything = stack.data("{ services { totalCount nodes { name project { id name } } } }")
    assert everything["services"]["totalCount"] == 5
    assert stack.counts() == (1, 0)  # projects came included; Clockify has no services
    mobile = next(
        n["project"]["id"]
        for n in everything["services"]["nodes"]
        if n["project"]["name"] == "Mobile app"
    )
    stack.reset()
    data = stack.data(
        "query($p: [ID!]) { services(filter: {projectIds: $p}) { nodes { name } } }",
        {"p": [mobile]},
    )
    assert [n["name"] for n in data["services"]["nodes"]] == ["Development", "QA"]
    [query] = sent(stack, "/services")
    assert query["filter[project_id]"] == ["302"] or len(query["filter[project_id]"]) == 1


def test_tasks_by_project_batch_per_platform(stack: Stack) -> None:
    projects = stack.data('{ projects(filter: {text: "website"}) { nodes { id platform } } }')
    ids = [n["id"] for n in projects["projects"]["nodes"]]
    stack.reset()
    data = stack.data(
        """query($p: [ID!]) { tasks(filter: {projectIds: $p, done: false}) {
        nodes { platform name done project { name } } } }""",
        {"p": ids},
    )
    nodes = data["tasks"]["nodes"]
    assert {(n["platform"], n["name"]) for n in nodes} == {
        ("CLOCKIFY", "Checkout flow"),
        ("CLOCKIFY", "Landing page"),
        ("PRODUCTIVE", "Checkout flow"),
        ("PRODUCTIVE", "Landing page"),
    }
    assert {n["project"]["name"] for n in nodes} == {"Website relaunch"}
    # Productive: one tasks read (its project included); Clockify: the project's task list
    # and the projects list the task's project name comes from.
    assert stack.counts() == (1, 2)
    [query] = sent(stack, "/tasks")
    assert query["filter[status]"] == ["1"] and "project" in query["include"][0]


def test_tasks_without_a_project_read_every_clockify_project(stack: Stack) -> None:
    data = stack.data('{ tasks(filter: {text: "testing"}) { nodes { platform name } } }')
    assert sorted(names(data, "tasks")) == [
        ("CLOCKIFY", "Release testing"),
        ("PRODUCTIVE", "Release 2.0 testing"),
    ]
    assert stack.counts() == (1, 4)  # Clockify: projects, then each of 3 projects' tasks


def test_tags_are_clockify_only(stack: Stack) -> None:
    data = stack.data('{ tags(filter: {text: "end"}) { nodes { platform name } } }')
    assert names(data, "tags") == [("CLOCKIFY", "backend"), ("CLOCKIFY", "frontend")]
    assert stack.counts() == (0, 1)
    none = stack.data("{ tags(filter: {archived: true}) { totalCount } }")
    assert none["tags"]["totalCount"] == 0


def test_nested_project_tasks_and_services_cost_one_read_per_kind(stack: Stack) -> None:
    data = stack.data("{ projects { nodes { platform name tasks { name } services { name } } } }")
    by = {(n["platform"], n["name"]): n for n in data["projects"]["nodes"]}
    assert [t["name"] for t in by[("PRODUCTIVE", "Mobile app")]["tasks"]] == [
        "Push notifications",
        "Release 2.0 testing",
    ]
    assert [s["name"] for s in by[("PRODUCTIVE", "Mobile app")]["services"]] == [
        "Development",
        "QA",
    ]
    assert by[("CLOCKIFY", "Mobile app")]["services"] == []
    assert len(by[("CLOCKIFY", "Mobile app")]["tasks"]) == 2
    # Productive: projects, services, tasks; Clockify: projects, then 3 task lists.
    assert stack.counts() == (3, 4)


def test_pickers_page_both_ways(stack: Stack) -> None:
    query = """query($first: Int, $after: String, $last: Int, $before: String) {
      projects(first: $first, after: $after, last: $last, before: $before) {
        pageInfo { hasNextPage endCursor startCursor } nodes { id } } }"""
    everything = [n["id"] for n in stack.data(query, {"first": 200})["projects"]["nodes"]]
    head = stack.data(query, {"first": 4})["projects"]
    rest = stack.data(query, {"first": 4, "after": head["pageInfo"]["endCursor"]})["projects"]
    assert [n["id"] for n in head["nodes"] + rest["nodes"]] == everything
    back = stack.data(query, {"last": 2, "before": rest["pageInfo"]["startCursor"]})["projects"]
    assert [n["id"] for n in back["nodes"]] == everything[2:4]


def test_a_failing_platform_leaves_the_other_pickers(stack: Stack) -> None:
    stack.clockify.settings.faults.error_rate = 1.0
    try:
        body = stack.gql("{ projects { nodes { platform } } }")
    finally:
        stack.clockify.settings.faults.error_rate = 0.0
    assert {n["platform"] for n in body["data"]["projects"]["nodes"]} == {"PRODUCTIVE"}
    assert body["errors"][0]["extensions"]["platform"] == "CLOCKIFY"


def test_tasks_of_a_service_are_productive_only(stack: Stack) -> None:
    services = stack.data('{ services(filter: {text: "QA"}) { nodes { id } } }')
    qa = services["services"]["nodes"][0]["id"]
    stack.reset()
    data = stack.data(
        "query($s: [ID!]) { tasks(filter: {serviceIds: $s}) { nodes { platform name } } }",
        {"s": [qa]},
    )
    assert names(data, "tasks") == [("PRODUCTIVE", "Release 2.0 testing")]
    assert stack.counts() == (1, 0)  # Clockify has no services: not read
    [query] = sent(stack, "/tasks")
    assert len(query["filter[service_id]"]) == 1
