"""The payroll URLs: each concept package lists its own, under one namespace."""

from payroll.annuity.urls import urlpatterns as annuity_urls
from payroll.cycles.urls import urlpatterns as cycle_urls
from payroll.levels.urls import urlpatterns as level_urls
from payroll.scales.urls import urlpatterns as scale_urls

app_name = "payroll"

urlpatterns = scale_urls + level_urls + cycle_urls + annuity_urls
