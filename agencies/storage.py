"""Where signed decree (SK) documents are kept.

They are stored under MEDIA_ROOT like every upload, which is never served as such (see the
README's production notes). Their links therefore point at a view that checks who asks
(``staffing:decree_document``), so the admin's "currently: …" link and the coverage page
open the PDF for the people allowed to read it and for nobody else.
"""

from django.core.files.storage import FileSystemStorage
from django.urls import reverse


class DecreeDocuments(FileSystemStorage):
    def url(self, name):
        return reverse("staffing:decree_document", args=[name])


_documents = DecreeDocuments()


def decree_documents():
    """The storage, as a callable so migrations refer to it by name."""
    return _documents
