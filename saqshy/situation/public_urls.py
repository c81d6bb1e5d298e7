from django.urls import path

from saqshy.situation import public

app_name = "public"

urlpatterns = [path("", public.public_page, name="page")]
