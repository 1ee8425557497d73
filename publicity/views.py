"""The portal's home page."""

from django.shortcuts import render


def home(request):
    return render(request, "publicity/home.html")
