"""Twilio calls these: delivery reports and learners' replies. Each request must carry a valid
Twilio signature over the public address and the posted fields; anything else is refused with
403 and changes nothing. No session, no CSRF token: Twilio has neither."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from enrolment.services.message_replies import message_receive, message_status_update


def _signed_by_twilio(request) -> bool:
    from twilio.request_validator import RequestValidator

    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    # The address Twilio signed is the public one it called, not what a proxy passed on.
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + request.get_full_path()
    return RequestValidator(token).validate(url, request.POST.dict(), signature)


def _twiml(text: str) -> HttpResponse:
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    xml = SimplerXMLGenerator(response, "utf-8")
    xml.startDocument()
    xml.startElement("Response", {})
    if text:
        xml.addQuickElement("Message", text)
    xml.endElement("Response")
    xml.endDocument()
    return response


@csrf_exempt
@require_POST
def status(request):
    if not _signed_by_twilio(request):
        return HttpResponseForbidden()
    message_status_update(
        provider_id=request.POST.get("MessageSid", "")[:64],
        provider_status=request.POST.get("MessageStatus", "")[:20],
        error_code=request.POST.get("ErrorCode", "")[:20],
    )
    # Twilio only needs a 2xx; an unknown id is answered the same, so as not to tell ids apart.
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def inbound(request):
    if not _signed_by_twilio(request):
        return HttpResponseForbidden()
    reply = message_receive(
        sender=request.POST.get("From", "")[:60],
        body=request.POST.get("Body", "")[:1600],
        provider_id=request.POST.get("MessageSid", "")[:64],
    )
    return _twiml(reply)
