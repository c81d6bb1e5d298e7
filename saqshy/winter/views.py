from django.http import HttpRequest, HttpResponse


def stranded_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
