"""Demo mode: both simulators with the seeded team, and the gateway pointed at them."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.app import gateway_listener
from gateway.config import Settings
from gateway.security import Secret
from gateway.servers import Listener, bind
from gateway.upstream_settings import ClockifySettings, ProductiveSettings
from simulators.clockify.app import DEMO_KEY, ClockifySimulator
from simulators.clockify.seed import WORKSPACE_ID
from simulators.productive.app import DEMO_TOKEN, ProductiveSimulator
from simulators.productive.seed import ORGANIZATION_ID, person_ids


@dataclass(slots=True)
class Demo:
    """The three listeners of a demo and the simulators behind two of them."""

    gateway: Listener
    productive: Listener
    clockify: Listener
    productive_sim: ProductiveSimulator
    clockify_sim: ClockifySimulator
    settings: Settings

    @property
    def listeners(self) -> list[Listener]:
        return [self.productive, self.clockify, self.gateway]


def demo_settings(productive_url: str, clockify_url: str, **overrides: object) -> Settings:
    settings = Settings(
        productive=ProductiveSettings(
            api_url=f"{productive_url}/api/v2",
            token=Secret(DEMO_TOKEN),
            organization_id=ORGANIZATION_ID,
            person_id=person_ids()[0],
        ),
        clockify=ClockifySettings(
            api_url=f"{clockify_url}/api/v1",
            reports_url=f"{clockify_url}/report/v1",
            api_key=Secret(DEMO_KEY),
            workspace_id=WORKSPACE_ID,
        ),
    )
    return settings.with_overrides(**overrides) if overrides else settings


def simulator_environment(
    productive_url: str, clockify_url: str, credentials: bool = True
) -> dict[str, str]:
    """Variables that point `timebridge serve` at the two simulators (with the demo's
    credentials unless `credentials` is False: then requests bring their own)."""
    env = {
        "PRODUCTIVE_API_URL": f"{productive_url}/api/v2",
        "CLOCKIFY_API_URL": f"{clockify_url}/api/v1",
        "CLOCKIFY_REPORTS_URL": f"{clockify_url}/report/v1",
    }
    if credentials:
        env |= {
            "PRODUCTIVE_API_TOKEN": DEMO_TOKEN,
            "PRODUCTIVE_ORGANIZATION_ID": ORGANIZATION_ID,
            "PRODUCTIVE_PERSON_ID": person_ids()[0],
            "CLOCKIFY_API_KEY": DEMO_KEY,
            "CLOCKIFY_WORKSPACE_ID": WORKSPACE_ID,
        }
    return env


# Dev servers (Vite, webpack) on any loopback port may call the demo from a browser.
LOCAL_ORIGINS = r"http://(localhost|127\.0\.0\.1)(:\d+)?"


def build_demo(
    host: str = "127.0.0.1",
    port: int = 0,
    productive_sim: ProductiveSimulator | None = None,
    clockify_sim: ClockifySimulator | None = None,
    **overrides: object,
) -> Demo:
    productive_sim = productive_sim or ProductiveSimulator()
    clockify_sim = clockify_sim or ClockifySimulator()
    productive = Listener(productive_sim.app, bind(host))
    clockify = Listener(clockify_sim.app, bind(host))
    settings = demo_settings(productive.url, clockify.url, **overrides)
    settings = settings.with_overrides(host=host, port=port)
    gateway = gateway_listener(settings, bind(host, port))
    return Demo(gateway, productive, clockify, productive_sim, clockify_sim, settings)
