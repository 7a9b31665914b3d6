"""The shape the portal's small public posts share ("Ikuti", "Saya juga mengalami ini"):
the client's limit first, then the form, then one action, answered as a status, a thanks
or an error for the box that posted it."""

from dataclasses import dataclass

from core import throttle
from core.errors import DomainError


@dataclass
class Answer:
    status: int = 200
    done: str = ""
    error: str = ""


def limited_post(request, rate: str, form, act, *, form_error=lambda form: "") -> Answer:
    """Answer a POST limited per client address by ``rate`` (a name of ``ADUAN_RATES``):

    1. over the limit: 429 and the one "too many requests" message; nothing else is read;
    2. an invalid form: 400 and ``form_error(form)`` (the form's own errors show beside
       its fields);
    3. ``act(form)`` returns the thanks and whether it counts against the limit (only what
       sends or stores something new does); a ``DomainError`` is shown as it is, 400.
    """
    if wait := throttle.retry_after(rate, request):
        return Answer(status=429, error=throttle.too_often_message(wait))
    if not form.is_valid():
        return Answer(status=400, error=form_error(form))
    try:
        done, counts = act(form)
    except DomainError as refused:
        return Answer(status=400, error=str(refused.message))
    if counts:
        throttle.count(rate, request)
    return Answer(done=done)
