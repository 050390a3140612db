"""Time spents of tasks: reading, setting, adding and removing a person's minutes of a day."""
