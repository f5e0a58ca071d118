"""Resolving mutation inputs to upstream targets: whose timer, which adapter, which writes."""

from __future__ import annotations

from adapters.base import Platform
from adapters.clockify.writes import ClockifyWrites
from adapters.productive.writes import ProductiveWrites
from schema.context import Context
from schema.enums import PlatformName
from schema.mutations.common import UserErrorCode, decode_input, invalid


def productive_writes(ctx: Context) -> ProductiveWrites:
    return ProductiveWrites(ctx.adapter(Platform.PRODUCTIVE))


def clockify_writes(ctx: Context) -> ClockifyWrites:
    return ClockifyWrites(ctx.adapter(Platform.CLOCKIFY))


def check_platform(platform: PlatformName, ctx: Context) -> Platform:
    domain = platform.domain
    ctx.adapter(domain)  # unconfigured: a top-level NOT_CONFIGURED error
    return domain


async def person_on(
    ctx: Context, platform: Platform, person: str | None, path: tuple[str, ...] = ("personId",)
) -> str:
    """The upstream person id: the given Person ID on that platform, else the viewer."""
    if person is not None:
        key = decode_input(person, path, "Person")
        if key.platform is not platform:
            raise invalid(path, f"this person is on {key.platform.name}, not {platform.name}")
        return key.remote_id
    if platform is Platform.PRODUCTIVE:
        adapter = ctx.adapter(platform)
        if not adapter.person_id:
            raise invalid(
                path,
                "required: Productive has no 'current user' endpoint and "
                "PRODUCTIVE_PERSON_ID is not set",
            )
        return str(adapter.person_id)
    return str((await ctx.adapter(platform).viewer()).remote_id)


def unsupported(platform: Platform, **given: object) -> None:
    """Refuse inputs the platform cannot take, naming each, before any upstream call."""
    for name, value in given.items():
        if value is not None and value is not False:
            raise invalid(
                (name,),
                f"{platform.name.capitalize()} does not support `{name}`",
                UserErrorCode.UNSUPPORTED_ON_PLATFORM,
            )
