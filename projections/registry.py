"""Every PostgreSQL projection the worker runs."""

from __future__ import annotations

from projections.channels import ChannelsProjection
from projections.runner import Projection

PROJECTIONS: tuple[Projection, ...] = (ChannelsProjection(),)
