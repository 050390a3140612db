"""Project templates: their links, a template made from a project, a template applied to a project.

Not `templates`: an app's `templates/` directory is where Django's app loader looks for HTML templates."""
