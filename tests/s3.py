"""A local S3-compatible server for the object-storage tests: moto's standalone server
(``moto[server]`` from requirements-dev.txt) on a free port of 127.0.0.1, started once per
test session when a test first asks for it, and a fresh private bucket per test with the
media storage pointed at it through the same settings code production uses
(aduan/objectstorage.py). Nothing leaves the machine."""

import logging
import uuid

import boto3
import pytest
from botocore.config import Config

from aduan import objectstorage

KEY, SECRET, REGION = "aduan-test", "aduan-test-secret", "us-east-1"


def start_server():
    """moto's S3 server in a thread of this process, on a free port: (server, its URL)."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


@pytest.fixture(scope="session")
def s3_endpoint():
    server, url = start_server()
    yield url
    server.stop()


def client(endpoint):
    """A boto3 client of its own, to look into the bucket past Django."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name=REGION,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def bucket_settings(name, endpoint, *, url_seconds=300, prefix=""):
    return {
        "ADUAN_S3_BUCKET": name,
        "ADUAN_S3_ENDPOINT_URL": endpoint,
        "ADUAN_S3_REGION": REGION,
        "ADUAN_S3_PREFIX": prefix,
        "ADUAN_S3_URL_SECONDS": url_seconds,
        "default": objectstorage.media_storage(
            name,
            endpoint_url=endpoint,
            region=REGION,
            access_key=KEY,
            secret_key=SECRET,
            url_seconds=url_seconds,
            location=prefix,
        ),
    }


@pytest.fixture
def bucket(request, settings, s3_endpoint):
    """A new private bucket, the media storage on it; on a unittest-style test class the
    test reads ``self.bucket`` (its name), ``self.s3`` (a boto3 client), ``self.endpoint``."""
    name = f"aduan-{uuid.uuid4().hex[:12]}"
    s3 = client(s3_endpoint)
    s3.create_bucket(Bucket=name)
    values = bucket_settings(name, s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": values.pop("default")}
    for setting, value in values.items():
        setattr(settings, setting, value)
    if request.instance is not None:
        request.instance.bucket, request.instance.s3, request.instance.endpoint = name, s3, s3_endpoint
    yield name
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=name).get("Contents", [])]
    for key in keys:
        s3.delete_object(Bucket=name, Key=key)
    s3.delete_bucket(Bucket=name)


def keys_in(s3, bucket_name):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket_name).get("Contents", []))
