from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data in and out of the tracker: CSV exports and imports, OTIO, ShotGrid and Kitsu-to-Kitsu imports."""

    name = "exchange"
    verbose_name = "Imports and exports"
