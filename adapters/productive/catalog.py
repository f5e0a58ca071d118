"""Productive's catalog reads: projects, services and tasks, listed for pickers or fetched by
id in one filter[id] request, with what they include shared with the request's loaders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from adapters.base import ProjectRecord, ServiceRecord, TaskRecord
from adapters.productive import translate
from adapters.productive.client import ProductiveHttp
from adapters.productive.jsonapi import Document


class ProductiveCatalog:
    """Mixed into ProductiveAdapter, which sets `http` and `share`."""

    http: ProductiveHttp
    share: Callable[[Sequence[Any]], None]

    def related_records(self, doc: Document) -> list[Any]:
        """Every included resource as a record, for priming the per-request loaders."""
        records: list[Any] = [translate.person(r, doc) for r in doc.of_type("people")]
        records += [translate.service(r, doc) for r in doc.of_type("services")]
        records += [translate.task(r) for r in doc.of_type("tasks")]
        records += [translate.project(r) for r in doc.of_type("projects")]
        return records

    async def get_services(self, ids: Sequence[str]) -> list[ServiceRecord | None]:
        doc = await self.http.get_all(
            "/services", {"filter[id]": ",".join(ids), "include": "deal.project"}
        )
        found = {str(r["id"]): translate.service(r, doc) for r in doc.data}
        self.share(self.related_records(doc))  # the included projects: no second read
        return [found.get(i) for i in ids]

    async def list_projects(
        self, *, text: str | None, archived: bool | None
    ) -> list[ProjectRecord]:
        params: dict[str, str] = {}
        if text:
            params["filter[query]"] = text
        if archived is not None:
            params["filter[status]"] = "2" if archived else "1"
        doc = await self.http.get_all("/projects", params)
        return [translate.project(r) for r in doc.data]

    async def list_services(
        self, *, text: str | None, project_ids: Sequence[str] | None
    ) -> list[ServiceRecord]:
        params = {"include": "deal.project"}
        if text:
            params["filter[query]"] = text
        if project_ids is not None:
            params["filter[project_id]"] = ",".join(project_ids)
        doc = await self.http.get_all("/services", params)
        self.share(self.related_records(doc))
        return [translate.service(r, doc) for r in doc.data]

    async def list_tasks(
        self,
        *,
        text: str | None,
        project_ids: Sequence[str] | None,
        done: bool | None,
        service_ids: Sequence[str] | None = None,
    ) -> list[TaskRecord]:
        params = {"include": "project"}
        if service_ids is not None:
            params["filter[service_id]"] = ",".join(service_ids)
        if text:
            params["filter[query]"] = text
        if project_ids is not None:
            params["filter[project_id]"] = ",".join(project_ids)
        if done is not None:
            params["filter[status]"] = "2" if done else "1"
        doc = await self.http.get_all("/tasks", params)
        self.share(self.related_records(doc))
        return [translate.task(r) for r in doc.data]

    async def get_tasks(self, ids: Sequence[str]) -> list[TaskRecord | None]:
        # The project comes included: without it the relationship carries no id.
        doc = await self.http.get_all("/tasks", {"filter[id]": ",".join(ids), "include": "project"})
        self.share(self.related_records(doc))
        found = {str(r["id"]): translate.task(r) for r in doc.data}
        return [found.get(i) for i in ids]

    async def get_projects(self, ids: Sequence[str]) -> list[ProjectRecord | None]:
        doc = await self.http.get_all("/projects", {"filter[id]": ",".join(ids)})
        found = {str(r["id"]): translate.project(r) for r in doc.data}
        return [found.get(i) for i in ids]
