"""Pages of unit filing: sign in, my projects with this month's status, the monthly form, staff review."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

LOGIN_URL = reverse_lazy("filing:login")


@login_required(login_url=LOGIN_URL)
def home(request):
    return render(request, "filing/home.html", {"nav": "home"})


@login_required(login_url=LOGIN_URL)
def review(request):
    return render(request, "filing/home.html", {"nav": "review"})
