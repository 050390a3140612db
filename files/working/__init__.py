"""Working and output files: file tree templates, path generation, revisions."""
