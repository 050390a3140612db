"""Preview media: uploads, pictures and movies processed as jobs, downloads with ranges, storage."""
