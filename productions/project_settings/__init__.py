"""A production's settings: the project lists, its team, linked settings, the softwares of its task types,
its metadata descriptors and its preview account."""
