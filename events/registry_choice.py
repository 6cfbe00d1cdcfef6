"""The schema registry the settings choose: a Confluent Schema Registry, or the manifest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from events.confluent_registry import ConfluentRegistry
from events.registry import ManifestRegistry, SchemaRegistry

if TYPE_CHECKING:
    from config.settings import Settings


def registry_from_settings(settings: Settings) -> SchemaRegistry:
    """A Confluent Schema Registry when `schema_registry_url` is set, else the manifest."""
    if settings.schema_registry_url:
        return ConfluentRegistry(settings.schema_registry_url)
    return ManifestRegistry()
