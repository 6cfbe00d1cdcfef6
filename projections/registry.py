"""Every PostgreSQL projection the worker runs."""

from __future__ import annotations

from projections.channels import ChannelsProjection
from projections.follows import FollowsProjection
from projections.ledger import LedgerProjection
from projections.runner import Projection
from projections.users import UsersProjection
from projections.video_views import VideoViewsProjection

PROJECTIONS: tuple[Projection, ...] = (
    ChannelsProjection(), UsersProjection(), FollowsProjection(), LedgerProjection(),
    VideoViewsProjection(),
)
