"""CSV exports (/export/csv/...)."""
