"""The media storage from the settings: local files under MEDIA_ROOT, or an S3-compatible
bucket (any S3: MinIO, Ceph, Garage, a cloud) through django-storages.

Read by ``aduan/settings.py`` (``STORAGES["default"]``, the bucket's origin in the
Content-Security-Policy's img-src) and by the tests, which point it at moto's server. The
bucket stays private: objects are written without an ACL, and a file is only ever reached
through a short-lived signed URL that a view hands out after its access check
(``core.uploads.serve_stored``).
"""

from urllib.parse import urlsplit

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "storages.backends.s3.S3Storage"


def media_storage(
    bucket: str,
    *,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    url_seconds: int = 300,
    addressing_style: str = "",
    location: str = "",
) -> dict:
    """``STORAGES["default"]``: local files when ``bucket`` is empty, otherwise the bucket.

    Without keys boto3 finds its own (an instance role, ``~/.aws``); with an endpoint
    (MinIO, Ceph, Garage, moto) path-style addressing is the default, as those servers expect.
    """
    if not bucket:
        return dict(LOCAL)
    options = {
        "bucket_name": bucket,
        "location": location.strip("/"),
        "default_acl": None,  # private: no ACL on the objects, no public bucket policy needed
        "querystring_auth": True,  # every URL is signed ...
        "querystring_expire": url_seconds,  # ... and short-lived
        "file_overwrite": False,  # like local files: a second "foto.jpg" gets its own name
        "client_config": client_config(addressing_style or ("path" if endpoint_url else None)),
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if region:
        options["region_name"] = region
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def client_config(addressing_style: str | None):
    """boto3's client settings: signature v4 (X-Amz-Expires in every signed URL), and a
    bucket that does not answer is given up in seconds (``/readyz`` must answer), not minutes."""
    from botocore.config import Config

    return Config(
        signature_version="s3v4",
        s3={"addressing_style": addressing_style} if addressing_style else {},
        connect_timeout=5,
        read_timeout=30,
        retries={"max_attempts": 3, "mode": "standard"},
    )


def media_origins(bucket: str, *, endpoint_url: str = "", region: str = "", addressing_style: str = "") -> list[str]:
    """Where a browser is sent to fetch a file, as Content-Security-Policy sources: a photo
    shown in a page follows the view's redirect to the bucket, and img-src must allow it."""
    if not bucket:
        return []
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        if addressing_style == "virtual":
            return [f"{parts.scheme}://{bucket}.{parts.netloc}"]
        return [f"{parts.scheme}://{parts.netloc}"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins
