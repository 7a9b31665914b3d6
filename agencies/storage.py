"""Where signed decree (SK) documents are kept.

They are stored where every upload is (``STORAGES["default"]``: MEDIA_ROOT, or the bucket
when ADUAN_S3_BUCKET is set), which is never served as such (see the README's production
notes). Their links therefore point at a view that checks who asks
(``staffing:decree_document``), so the admin's "currently: …" link and the coverage page
open the PDF for the people allowed to read it and for nobody else; that view hands the file
out through ``core.uploads.serve_stored`` (a signed URL when the storage is a bucket).
"""

from django.core.files.storage import Storage, default_storage
from django.urls import reverse


class DecreeDocuments(Storage):
    """The default storage, read and written as it is, with links to the guarded view."""

    @property
    def backend(self):
        return default_storage

    def url(self, name):
        return reverse("staffing:decree_document", args=[name])

    def _open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def _save(self, name, content):
        return self.backend.save(name, content)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def delete(self, name):
        self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def path(self, name):
        return self.backend.path(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)


_documents = DecreeDocuments()


def decree_documents():
    """The storage, as a callable so migrations refer to it by name."""
    return _documents
