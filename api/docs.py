"""The API's documentation pages: Swagger UI and Redoc from drf-spectacular-sidecar.

Our own templates (api/templates/api/) carry no inline script or style and no Google Fonts.
The two libraries still need a little more than the site's policy; what, and only for these
two views, is in ``SWAGGER_POLICY`` and ``REDOC_POLICY`` (added to settings.CONTENT_SECURITY_POLICY).
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

# Swagger UI's stylesheet draws its icons as data: SVG images.
SWAGGER_POLICY = {"img-src": ["data:"]}
# Redoc styles itself with <style> elements it writes at run time (styled-components), draws
# icons as data: images and runs its search in a worker made from a blob: URL. Scripts stay as
# strict as everywhere else. (Its "API docs by Redocly" logo comes from Redocly's CDN and is
# refused, as every CDN is.)
REDOC_POLICY = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"], "worker-src": ["blob:"]}


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"


# Public, like the schema they render.
def swagger_view(**initkwargs):
    return login_not_required(csp_update(SWAGGER_POLICY)(SwaggerView.as_view(**initkwargs)))


def redoc_view(**initkwargs):
    return login_not_required(csp_update(REDOC_POLICY)(RedocView.as_view(**initkwargs)))
