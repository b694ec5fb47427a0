from django.http import HttpResponse


def upload(request, pemda):
    return HttpResponse("todo")


def template(request, pemda):
    return HttpResponse("todo")


def preview(request, pemda, batch):
    return HttpResponse("todo")
