"""A production's schedule: milestones, schedule items, day offs, time spents, schedule versions."""
