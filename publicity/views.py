"""The portal's home page."""

from django.shortcuts import render

from .disclosure.views import home_disclosure


def home(request):
    return render(request, "publicity/home.html", {"disclosure": home_disclosure()})
