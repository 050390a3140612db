"""ShotGrid push imports (/import/shotgun/...)."""
