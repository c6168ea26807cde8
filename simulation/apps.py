from django.apps import AppConfig


class SimulationConfig(AppConfig):
    """The city simulation: drives every app month by month (no models)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "simulation"
    verbose_name = "城市模拟"
