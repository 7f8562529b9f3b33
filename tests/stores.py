"""The real services the scale-out tests need, started by the project's own scripts: SeaweedFS (an S3-compatible
object store, scripts/seaweedfs.sh). Each starts once per test session, on free loopback ports, in a temporary
directory, and is stopped at the end."""

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@dataclass(frozen=True)
class ObjectStore:
    """A running SeaweedFS: the AWS_* settings the app reads, and its bucket."""

    env: dict[str, str]
    bucket: str
    directory: Path

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["AWS_ENDPOINT_URL"],
            region_name=self.env["AWS_DEFAULT_REGION"],
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self, prefix: str) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}


def start_seaweedfs(directory: Path) -> ObjectStore:
    env = {**os.environ, "SEAWEEDFS_DIR": str(directory)}
    subprocess.run([str(SCRIPTS / "seaweedfs.sh"), "start"], env=env, check=True, capture_output=True, timeout=120)
    printed = subprocess.run(
        [str(SCRIPTS / "seaweedfs.sh"), "env"], env=env, check=True, capture_output=True, text=True
    )
    settings = dict(re.findall(r"^export (\w+)=(.*)$", printed.stdout, re.M))
    bucket = settings.pop("PHOTO_STORAGE_URL").removeprefix("s3://").split("/")[0]
    return ObjectStore(settings, bucket, directory)


def stop_seaweedfs(store: ObjectStore) -> None:
    env = {**os.environ, "SEAWEEDFS_DIR": str(store.directory)}
    subprocess.run([str(SCRIPTS / "seaweedfs.sh"), "stop"], env=env, check=False, capture_output=True, timeout=60)
