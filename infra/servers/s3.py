"""A local S3-API server (moto's) for the VOD store: in memory, any keys accepted."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import botocore.exceptions
import httpx

from config.settings import Settings
from infra.server import LocalServer
from stores.objects import s3_client


class S3Server(LocalServer):
    name = "s3"
    wheels = (("moto", "moto[server]==5.2.5"),)
    ping_errors = (httpx.HTTPError,)

    def external_address(self, settings: Settings) -> str | None:
        return settings.s3_endpoint_url

    def address(self, settings: Settings) -> str:
        return settings.s3

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.s3_port,)

    def executable(self, settings: Settings) -> Path:
        return Path(sys.executable)

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        return ["-m", "moto.server", "-H", "127.0.0.1", "-p", str(settings.s3_port)]

    def ping(self, settings: Settings) -> None:
        httpx.get(f"{settings.s3}/moto-api/", timeout=1).raise_for_status()

    def after_ready(self, settings: Settings) -> None:
        """The bucket, its VODs readable by anyone (players fetch them as a CDN would)."""
        client = s3_client(settings)
        try:
            client.head_bucket(Bucket=settings.s3_bucket)
        except botocore.exceptions.ClientError:
            client.create_bucket(Bucket=settings.s3_bucket)
        client.put_bucket_policy(Bucket=settings.s3_bucket, Policy=json.dumps(
            public_reads(settings.s3_bucket, "vods/")))


def public_reads(bucket: str, prefix: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicReads", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/{prefix}*"}]}
