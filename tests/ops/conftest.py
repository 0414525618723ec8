"""A real S3 server on loopback (moto's server mode) for the object-storage tests, and a fixture that
puts one test's evidence storage in it."""

import uuid
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from config.settings.storage import object_storage
from tests.conftest import _forget_cached_storages

BUCKET = "portfolio-evidence"
REGION = "eu-west-2"
# moto accepts any key pair; these never leave the machine.
CREDENTIALS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}


@dataclass
class ObjectStore:
    endpoint_url: str
    host: str
    port: int
    client: Any  # a boto3 S3 client, with the bucket owner's credentials (boto3 has no types here)
    prefix: str = ""

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=BUCKET, Prefix=self.prefix + "/")
        return sorted(entry["Key"] for entry in listing.get("Contents", []))


@pytest.fixture(scope="session")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint_url = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint_url, region_name=REGION,
        aws_access_key_id=CREDENTIALS["access_key"], aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield ObjectStore(endpoint_url=endpoint_url, host=host, port=port, client=client)
    server.stop()


def use_object_storage(settings, store: ObjectStore) -> ObjectStore:
    """Points the default storage at a folder of its own in the bucket, set up as production sets it."""
    here = ObjectStore(store.endpoint_url, store.host, store.port, store.client, prefix=f"test-{uuid.uuid4().hex}")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": object_storage(
            bucket=BUCKET, endpoint_url=store.endpoint_url, region=REGION, prefix=here.prefix,
            access_key=CREDENTIALS["access_key"], secret_key=CREDENTIALS["secret_key"],
        ),
    }
    _forget_cached_storages()
    return here


@pytest.fixture
def object_store(settings, s3_server):
    yield use_object_storage(settings, s3_server)
    _forget_cached_storages()
