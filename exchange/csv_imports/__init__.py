"""CSV and OTIO imports (/import/csv/..., /import/otio/...)."""
