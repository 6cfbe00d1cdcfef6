"""Object storage for VODs: a local directory (served by the HLS server), or an S3 bucket."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Protocol

import boto3
import botocore.config
from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError

from config.settings import Settings


class StoreUnavailable(OSError):
    """The object store refused or did not answer; trying again later may work."""


CONTENT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t",
                 ".mp4": "video/mp4"}


class ObjectStore(Protocol):
    def put(self, key: str, source: Path) -> None:
        """Store the file under the key, replacing what was there (a repeat is harmless)."""

    def delete_prefix(self, prefix: str) -> None:
        """Remove every object whose key starts with the prefix (none: nothing happens)."""


def content_type(key: str) -> str:
    return CONTENT_TYPES.get(Path(key).suffix, "application/octet-stream")


class LocalObjectStore:
    """Keys are paths under the root; a file appears whole (written aside, then renamed)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, key: str, source: Path) -> None:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(source, partial)
        os.replace(partial, target)

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self.root / prefix, ignore_errors=True)


class S3ObjectStore:
    """Keys in one bucket; an upload appears whole (S3 puts are atomic)."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client, self.bucket = client, bucket

    def put(self, key: str, source: Path) -> None:
        try:
            self.client.upload_file(str(source), self.bucket, key,
                                    ExtraArgs={"ContentType": content_type(key)})
        except (BotoCoreError, ClientError, S3UploadFailedError) as error:
            raise StoreUnavailable(f"S3 put of {key}: {error}") from error

    def delete_prefix(self, prefix: str) -> None:
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix)
            for page in pages:
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})
        except (BotoCoreError, ClientError) as error:
            raise StoreUnavailable(f"S3 delete of {prefix}: {error}") from error


def s3_client(settings: Settings) -> Any:
    """boto3's S3 client for the settings' endpoint; the local server takes any keys."""
    local = settings.s3_endpoint_url is None
    return boto3.client(
        "s3", endpoint_url=settings.s3, region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id or ("local" if local else None),
        aws_secret_access_key=settings.s3_secret_access_key or ("local" if local else None),
        config=botocore.config.Config(s3={"addressing_style": "path"}))


def object_store(settings: Settings) -> ObjectStore:
    if settings.vod_store == "s3":
        return S3ObjectStore(s3_client(settings), settings.s3_bucket)
    return LocalObjectStore(settings.objects)
