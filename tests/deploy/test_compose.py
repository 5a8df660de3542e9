"""docker-compose.yml describes the production stack with the settings the code really reads."""
from pathlib import Path

import yaml

from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def load() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_stack_has_every_component():
    services = load()["services"]
    assert {"api", "worker", "worker-large", "redis", "s3", "flower"} <= set(services)


def test_every_setting_named_is_a_real_setting_and_parses():
    fields = {f"DESIGNIMAGE_{name.upper()}" for name in Settings.model_fields}
    for name, service in load()["services"].items():
        env = service.get("environment") or {}
        ours = {k: v for k, v in env.items() if k.startswith("DESIGNIMAGE_")}
        assert set(ours) <= fields, (name, set(ours) - fields)
        if ours:
            Settings(**{k.removeprefix("DESIGNIMAGE_").lower(): str(v).split(":-")[-1].rstrip("}")
                        for k, v in ours.items()})


def test_workers_consume_the_queues_the_settings_route_to():
    services = load()["services"]
    settings = Settings()
    assert settings.render_queue in services["worker"]["command"]
    assert settings.large_queue in services["worker-large"]["command"]
